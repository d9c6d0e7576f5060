import pytest

from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)


class LanguageJourneyTests:
    @pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
    def test_camille_logs_in_in_french_switches_to_english_and_logs_out(self, new_page, cast, device):
        page = new_page(locale="fr-FR", device=device)
        page.goto("/")
        assert "/accounts/login/" in page.url
        assert page.locator("html").get_attribute("lang") == "fr"
        assert_accessible(page)

        log_in(page, "camille")
        phone = device.get("is_mobile", False)  # issue 16: phones have a tab bar, laptops the navigation row
        nav = page.get_by_role("navigation", name="Rubriques" if phone else "Principale")
        assert nav.get_by_role("link", name="Fil").is_visible()
        if phone:
            page.locator(".person-menu summary").click()
        assert page.get_by_role("link", name="Magasins").is_visible()
        assert_accessible(page)

        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
        nav = page.get_by_role("navigation", name="Sections" if phone else "Main")
        assert nav.get_by_role("link", name="Feed").is_visible()
        assert page.locator("html").get_attribute("lang") == "en"

        page.locator(".person-menu summary").click()
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url("**/accounts/login/")
        assert page.get_by_role("heading", name="Log in").is_visible()
        assert page.console_errors == []

    def test_a_wrong_password_says_so_in_french(self, new_page, cast):
        page = new_page(locale="fr-FR")
        page.goto("/accounts/login/")
        page.locator("input[name=username]").fill("camille")
        page.locator("input[name=password]").fill("mauvais")
        page.locator("form button[type=submit]").first.click()
        assert page.get_by_text("Saisissez un nom d’utilisateur et un mot de passe valides").is_visible()

    def test_the_skip_link_is_the_first_stop_of_the_keyboard(self, new_page, cast):
        page = new_page()
        log_in(page, "camille")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent")
        assert focused.strip() == "Skip to main content"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
