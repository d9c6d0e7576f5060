import csv
import io
import re

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from practices.library import services as practices_services
from practices.onboarding import services as onboarding
from tests.browser.conftest import PHONE, assert_accessible, log_in
from tests.factories import make_story

pytestmark = pytest.mark.django_db(transaction=True)


def first_weeks(cast):
    """A path for new hires: a judgement case (from camille's story), then a standard lea has already read."""
    story = make_story(
        cast.camille,
        title="Recharger le téléphone d'une cliente pour son train",
        body="Son téléphone s'est éteint juste avant son train, avec le billet dedans.\n\n"
        "Nous l'avons branché derrière la caisse avec notre chargeur : dix minutes plus tard, elle avait son billet.",
        language="fr",
    )
    charger = practices_services.story_promote(
        story=story,
        curator=cast.julien,
        new_standard={
            "title": "Prêter un chargeur à la caisse",
            "summary": "Un chargeur multi-câbles reste branché derrière la caisse.",
            "practice": "Proposer le chargeur et une chaise, sans rien demander en échange.",
            "language": "fr",
        },
    ).standard
    practices_services.standard_set_situation(
        standard=charger,
        editor=cast.julien,
        situation="Une cliente s'apprête à partir quand son téléphone s'éteint. Son train part dans quarante "
        "minutes et son billet est dans le téléphone.",
    )
    umbrella = practices_services.standard_create(
        owner=cast.julien,
        title="Prêter un parapluie les jours d'averse",
        summary="Quelques parapluies près de l'entrée, prêtés sans formalité.",
        practice="Prêter sans caution ni fiche.",
        language="fr",
        publish=True,
    )
    path = onboarding.path_create(
        curator=cast.julien, title="Premières semaines", audience=Group.objects.get(name=roles.NEW_HIRES)
    )
    onboarding.path_step_add(path=path, standard=charger, note="Commencez par celui-ci.")
    onboarding.path_step_add(path=path, standard=umbrella)
    umbrella.refresh_from_db()
    onboarding.standard_acknowledge(user=cast.lea, standard=umbrella, revision=umbrella.revision)
    return path, charger, umbrella


def progress_value(page) -> tuple[str, str]:
    bar = page.locator("progress.path-progress")
    return bar.get_attribute("value"), bar.get_attribute("max")


class OnboardingJourneyTests:
    def test_lea_learns_julien_revises_lea_reads_again_julien_follows_the_stores(self, new_page, cast):
        path, charger, _umbrella = first_weeks(cast)

        # Léa, on her phone in French: her path, a judgement case, the reveal, the acknowledgement.
        lea = new_page(locale="fr-FR", device=PHONE)
        log_in(lea, "lea")
        lea.get_by_role("link", name="Apprendre").click()
        lea.wait_for_url("**/onboarding/")
        assert progress_value(lea) == ("1", "2")
        assert lea.get_by_text("1 standard lu sur 2").is_visible()
        assert (
            lea.locator(".next-step").get_by_role("link", name="Prêter un chargeur à la caisse").get_attribute("href")
            == f"/library/{charger.slug}/"
        )
        assert_accessible(lea)
        lea.get_by_role("link", name="Commencez par la situation : que feriez-vous ?").click()
        lea.wait_for_url(f"**/onboarding/cases/{charger.slug}/")
        assert lea.get_by_text("son billet est dans le téléphone").is_visible()
        assert lea.get_by_text("Proposer le chargeur").count() == 0  # the standard stays hidden until she answers
        assert_accessible(lea)
        lea.get_by_role("button", name="Enregistrer ma réponse et découvrir le standard").click()
        assert lea.get_by_text("Écrivez ce que vous feriez avant de découvrir le standard.").is_visible()
        lea.get_by_label("Que feriez-vous ?").fill("Je lui prêterais mon chargeur et une chaise.")
        lea.get_by_role("button", name="Enregistrer ma réponse et découvrir le standard").click()
        lea.get_by_role("heading", name="Ce qui s’est vraiment passé").wait_for()
        assert lea.locator(".your-answer").get_by_text("Je lui prêterais mon chargeur et une chaise.").is_visible()
        assert lea.get_by_text("Proposer le chargeur et une chaise").is_visible()
        assert lea.locator(".real-story").get_by_role("link", name="Camille Martin").is_visible()
        assert_accessible(lea)
        lea.get_by_role("button", name="J’ai lu et compris").click()
        lea.wait_for_url("**/onboarding/")
        assert progress_value(lea) == ("2", "2")
        assert lea.get_by_text("Vous avez lu tous les standards de ce parcours. Bravo !").is_visible()
        assert_accessible(lea)

        # Julien, on his phone too: a material revision of the standard Léa has just confirmed.
        julien = new_page(locale="en-GB", device=PHONE)
        log_in(julien, "julien")
        julien.goto(f"/library/{charger.slug}/edit/")
        julien.get_by_label("The practice").fill(
            "Proposer le chargeur et une chaise, sans rien demander en échange. Noter l'heure sur le cahier."
        )
        julien.get_by_label("What changed?").fill("Noter l'heure du prêt sur le cahier.")
        julien.get_by_label("Material change: everyone who read the standard must read it again").check()
        assert_accessible(julien)
        julien.get_by_role("button", name="Publish the revision").click()
        julien.wait_for_url(f"**/library/{charger.slug}/")
        assert julien.get_by_text("Revision published.").is_visible()

        # Léa is told in French, sees what changed, and her progress for it is reset.
        lea.goto("/onboarding/")
        assert progress_value(lea) == ("1", "2")
        assert lea.locator(".path-step", has_text="Prêter un chargeur").get_by_text("Modifié : à relire").is_visible()
        assert "1" in lea.locator("#notifications-link").text_content()
        lea.locator("#notifications-link").click()
        assert lea.get_by_text(
            "Le standard « Prêter un chargeur à la caisse » a changé : relisez-le et confirmez."
        ).is_visible()
        lea.locator(".notifications li.unread button").first.click()
        lea.wait_for_url(f"**/library/{charger.slug}/")
        changed = lea.locator(".standard-changed")
        assert "Ce standard a changé depuis que vous avez lu la révision 1" in changed.text_content()
        assert "Noter l'heure du prêt sur le cahier." in changed.text_content()
        assert changed.get_by_role("link", name=re.compile("Voir la révision 1")).get_attribute("href") == (
            f"/library/{charger.slug}/revisions/1/"
        )
        assert lea.get_by_role("button", name="J’ai lu et compris").is_visible()
        assert_accessible(lea)

        # Julien reorders the path from his phone, then follows Léa's store in the table and downloads the CSV.
        julien.get_by_role("link", name="Learn").click()
        julien.get_by_role("link", name="Manage learning paths").click()
        julien.get_by_role("link", name="Premières semaines", exact=True).click()
        assert_accessible(julien)
        julien.get_by_role("button", name=re.compile("^↓ Down.*Prêter un chargeur")).click()
        titles = julien.locator(".manage-steps li p a").all_text_contents()
        assert titles == ["Prêter un parapluie les jours d'averse", "Prêter un chargeur à la caisse"]
        julien.get_by_role("link", name="Progress").first.click()
        julien.wait_for_url(f"**/onboarding/paths/{path.pk}/progress/")
        store_row = julien.locator(".progress-by-store tbody tr", has_text="Paris Marais")
        assert store_row.locator("td").all_text_contents() == ["1", "0", "0", "50%"]
        person_row = julien.locator(".progress-by-person tbody tr", has_text="Léa Durand")
        assert "1/2" in person_row.text_content()
        assert_accessible(julien)
        with julien.expect_download() as download_info:
            julien.get_by_role("link", name="Download as CSV").click()
        download = download_info.value
        assert re.fullmatch(rf"path-{path.pk}-progress-\d{{4}}-\d{{2}}-\d{{2}}\.csv", download.suggested_filename)
        with open(download.path(), encoding="utf-8-sig") as file:
            rows = list(csv.reader(io.StringIO(file.read())))
        assert rows[0][:3] == ["Person", "Username", "Store"]
        assert rows[1][:8] == ["Léa Durand", "lea", "Paris Marais", "Île-de-France", "1", "2", "50", "in progress"]
        assert lea.console_errors == [] and julien.console_errors == []
