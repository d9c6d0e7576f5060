"""Issue 16: the profile's Web Push choices, where push is set up (the sending is tested in tests/accounts)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, assert_accessible, log_in
from tests.browser.test_app import wait_for_service_worker

pytestmark = pytest.mark.django_db(transaction=True)


class PushChoicesTests:
    def test_camille_finds_the_push_choices_on_her_profile(self, new_page, cast, settings):
        settings.VAPID_PUBLIC_KEY = (
            "BCFhaOmTeLbdVHSzMhbgsjdEkco-Z1gvvLtAE7eNLiAYmsCYSlk_sPNMtuKJSp8sz4tr-0zvYt1aTL_sgCCVuVM"
        )
        settings.VAPID_PRIVATE_KEY = "nJpjCdIB8zYguuRKqW9iGLvKLcwOU_Fxz-Nnq-mov00"
        settings.WEB_PUSH = True
        page = new_page(locale="fr-FR", device=PHONE)
        log_in(page, "camille")
        page.goto("/people/camille/")
        wait_for_service_worker(page)
        section = page.locator("#push-settings")
        expect(section).to_be_visible()
        expect(page.locator("#push-status")).to_have_text("Les notifications sont désactivées sur cet appareil.")
        assert section.get_by_label("Standards à relire").is_checked()
        for name in ("Activer (ou enregistrer) sur cet appareil", "Désactiver sur cet appareil"):
            box = section.get_by_role("button", name=name).bounding_box()
            assert box["height"] >= 44
        assert_accessible(page)
        assert page.console_errors == []
