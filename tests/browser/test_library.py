import re

import pytest

from practices.library import services as practices_services
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, log_in
from tests.factories import make_pillar, make_story

pytestmark = pytest.mark.django_db(transaction=True)


class LibraryJourneyTests:
    def test_julien_promotes_camille_is_credited_and_lea_finds_it_misspelt(self, new_page, cast):
        pillar = make_pillar()
        story = make_story(
            cast.camille,
            title="Un parapluie pour rentrer au sec",
            body="Une cliente n'avait pas de parapluie sous l'averse : je lui ai prêté le mien.",
            kind="attention",
            language="fr",
            pillar=pillar,
            tags=["pluie"],
        )
        make_story(cast.hugo, title="A water bowl for dogs", body="Dogs wait at the door on rainy days.")
        practices_services.standard_create(
            owner=cast.julien,
            title="Un bol d'eau pour les chiens",
            summary="Les jours de pluie comme de soleil, un bol d'eau près de la porte.",
            practice="Remplir le bol chaque matin.",
            language="fr",
            publish=True,
        )

        julien = new_page(device=DESKTOP)
        log_in(julien, "julien")
        julien.get_by_role("link", name="Curation").click()
        assert julien.get_by_role("link", name="Un parapluie pour rentrer au sec", exact=True).is_visible()
        assert_accessible(julien)
        card = julien.locator(".curation-queue li", has_text="Un parapluie pour rentrer au sec")
        card.get_by_role("link", name=re.compile("^Promote")).click()
        assert julien.get_by_label("Title").input_value() == "Un parapluie pour rentrer au sec"
        julien.get_by_label("Why promote this story?").fill("Three stores asked for it.")
        assert_accessible(julien)
        julien.get_by_role("button", name="Promote").click()
        julien.wait_for_url("**/library/un-parapluie-pour-rentrer-au-sec/")
        assert julien.get_by_text("The story became the standard").is_visible()
        sources = julien.locator(".source-story")
        assert sources.get_by_role("link", name="Camille Martin").get_attribute("href") == "/people/camille/"
        assert sources.get_by_role("link", name="Paris Opéra").is_visible()
        assert sources.get_by_text("Three stores asked for it.").is_visible()

        camille = new_page(device=PHONE)
        log_in(camille, "camille")
        assert "1 unread" in camille.locator("#notifications-link").text_content()
        camille.locator("#notifications-link").click()
        assert camille.get_by_text("became the standard").is_visible()
        camille.locator(".notifications li.unread button").first.click()
        camille.wait_for_url("**/library/un-parapluie-pour-rentrer-au-sec/")
        assert camille.locator(".source-story").get_by_role("link", name="Camille Martin").is_visible()
        camille.goto(f"/stories/{story.pk}/")
        inspired = camille.locator(".inspired")
        assert "This story inspired the standard" in inspired.text_content()
        assert inspired.get_by_role("link").get_attribute("href") == "/library/un-parapluie-pour-rentrer-au-sec/"

        lea = new_page(locale="fr-FR", device=PHONE)
        log_in(lea, "lea")
        lea.get_by_role("link", name="Bibliothèque").click()
        lea.get_by_label("Rechercher dans les standards et les histoires").fill("parapluyes")
        lea.get_by_label("Rechercher dans les standards et les histoires").press("Enter")
        lea.wait_for_url(re.compile(r"q=parapluyes"))
        lea.get_by_role("heading", name="Histoires").wait_for()  # the search results replaced the list
        first = lea.locator("#library-results .standard-card h2 a").first
        assert first.text_content() == "Un parapluie pour rentrer au sec"
        assert lea.locator("#library-results .standard-card").count() == 1
        assert_accessible(lea)
        assert julien.console_errors == [] and camille.console_errors == [] and lea.console_errors == []
