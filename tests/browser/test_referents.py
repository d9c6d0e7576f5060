import pytest

from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, log_in
from tests.factories import make_pillar, make_story

pytestmark = pytest.mark.django_db(transaction=True)


class ReferentJourneyTests:
    def test_julien_names_hugo_referent_and_hugo_sees_it_on_his_profile(self, new_page, cast):
        make_pillar(slug="be-positive", name="Be positive", name_fr="Soyez positif", order=1)
        pillar = make_pillar()  # Take charge
        make_story(cast.hugo, title="My umbrella went home with a customer", pillar=pillar)
        make_story(cast.julien, title="A spare phone charger at the till", pillar=pillar)

        julien = new_page(device=DESKTOP)
        log_in(julien, "julien")
        julien.get_by_role("link", name="Curation").click()
        julien.get_by_role("link", name="Referents").click()
        julien.get_by_role("link", name="Name a referent").click()
        assert julien.get_by_label("Region").input_value() == str(cast.lyon.region_id)  # his region first
        julien.get_by_label("Username of the staff member").fill("hugo")
        julien.get_by_label("Pillar").select_option(label="Take charge")
        assert_accessible(julien)
        julien.get_by_role("button", name="Name referent").click()
        julien.wait_for_url("**/people/referents/")
        assert julien.get_by_text("Hugo Bernard is now referent for Take charge in Auvergne-Rhône-Alpes.").is_visible()
        assert_accessible(julien)
        region = julien.locator(".referents-region", has_text="Auvergne-Rhône-Alpes")
        assert region.get_by_role("link", name="Hugo Bernard").get_attribute("href") == "/people/hugo/"

        hugo = new_page(locale="fr-FR", device=PHONE)
        log_in(hugo, "hugo")
        card = hugo.locator(".story-card", has_text="My umbrella went home with a customer")
        assert card.locator(".referent-mark").text_content() == "Référent"
        hugo.get_by_role("link", name="Moi").click()  # the tab bar's link to his profile
        hugo.wait_for_url("**/people/hugo/")
        roles = hugo.locator(".referent-roles")
        assert roles.text_content().strip() == "Référent pour « Prenez les choses en main » en Auvergne-Rhône-Alpes"
        assert hugo.locator(".recognition .referent-mark").is_visible()
        assert_accessible(hugo)
        hugo.get_by_role("link", name="Voir les histoires candidates de votre pilier").click()
        hugo.wait_for_url("**/curation/")
        queue = hugo.locator(".curation-queue")
        assert queue.get_by_role("link", name="A spare phone charger at the till").is_visible()
        assert queue.locator("a[href$='/promote/']").count() == 0  # read-only
        assert_accessible(hugo)
        assert julien.console_errors == [] and hugo.console_errors == []
