"""Company sign-in in a real browser: the log-in page, the provider's page, back signed in."""

import pytest

from accounts.models import User
from tests.browser.conftest import PHONE, assert_accessible
from tests.oidc_provider import set_claims

pytestmark = pytest.mark.django_db(transaction=True)


class CompanySignInJourneyTests:
    def test_camille_signs_in_with_her_company_account_on_her_phone(self, new_page, cast, company_sign_in):
        User.objects.filter(pk=cast.camille.pk).update(employee_id="E1", language="fr")
        set_claims(company_sign_in, "camille.martin", employee_id="E1", email="camille@example.com")
        page = new_page(locale="fr-FR", device=PHONE)
        page.goto("/stories/")
        assert "/accounts/login/" in page.url
        assert_accessible(page)
        page.get_by_role("link", name="Se connecter avec votre compte d’entreprise").click()

        page.wait_for_url(f"{company_sign_in}/**")  # the provider's own page
        page.get_by_label("Subject").fill("camille.martin")
        page.console_errors.clear()  # the provider's page wants its CSS from a CDN: not ours to judge
        page.get_by_role("button", name="Authorize").click()

        page.wait_for_url("**/stories/")  # back where she was going, signed in
        assert page.locator("html").get_attribute("lang") == "fr"
        page.locator(".person-menu summary").click()
        assert page.get_by_role("button", name="Se déconnecter").count() == 1
        assert page.console_errors == []

    def test_a_leaver_is_told_why_and_stays_out(self, new_page, cast, company_sign_in):
        User.objects.filter(pk=cast.hugo.pk).update(is_active=False)
        set_claims(company_sign_in, "hugo", email="hugo@example.com")
        page = new_page(locale="en-GB")
        page.goto("/accounts/login/")
        page.get_by_role("link", name="Sign in with your company account").click()
        page.get_by_label("Subject").fill("hugo")
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url("**/accounts/company/callback/**")
        assert page.get_by_role("alert").inner_text().startswith("Your account has been deactivated")
        assert page.get_by_role("link", name="Log in with a password").is_visible()
        assert_accessible(page)
        page.goto("/stories/")
        assert "/accounts/login/" in page.url
