"""Company sign-in (OpenID Connect) end to end, against a real provider on loopback (oidc-provider-mock)."""

from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse

from accounts import oidc
from accounts.models import User
from tests.conftest import PASSWORD
from tests.oidc_provider import CLIENT_ID, port, provider, set_claims

pytestmark = pytest.mark.django_db

START = reverse("accounts:company-sign-in")
CALLBACK = reverse("accounts:company-sign-in-callback")


def to_provider(client, **params) -> str:
    """Start signing in: the provider's authorisation URL our site sent the browser to."""
    response = client.get(START, params)
    assert response.status_code == 302
    return response["Location"]


def provider_answer(authorize_url: str, sub: str) -> str:
    """The person signs in at the provider as `sub`: the callback URL (path and query) it sends them back to."""
    answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    location = urlsplit(answer.headers["Location"])
    assert location.path == CALLBACK
    return f"{location.path}?{location.query}"


def sign_in(client, sub: str, **params):
    return client.get(provider_answer(to_provider(client, **params), sub))


def signed_in_as(client) -> User | None:
    response = client.get(reverse("accounts:notifications"))
    return response.wsgi_request.user if response.status_code == 200 else None


class LoginPageTests:
    def test_the_company_button_comes_first_when_it_is_set_up(self, client, cast, company_sign_in):
        page = client.get(reverse("login")).content.decode()
        assert "Sign in with your company account" in page
        assert page.index("Sign in with your company account") < page.index('name="password"')

    def test_there_is_no_button_without_the_settings(self, client, cast):
        page = client.get(reverse("login")).content.decode()
        assert "Sign in with your company account" not in page and 'name="password"' in page
        assert client.get(START).status_code == 404 and client.get(CALLBACK).status_code == 404

    def test_it_speaks_french(self, client, cast, company_sign_in):
        page = client.get(reverse("login"), headers={"accept-language": "fr"}).content.decode()
        assert "Se connecter avec votre compte d’entreprise" in page


class CodeFlowTests:
    def test_a_roster_person_signs_in_by_employee_id(self, client, cast, company_sign_in):
        User.objects.filter(pk=cast.camille.pk).update(employee_id="E1")
        set_claims(company_sign_in, "c-123", employee_id="E1", email="someone-else@example.com")
        response = sign_in(client, "c-123", next="/stories/")
        assert response.status_code == 302 and response["Location"] == "/stories/"
        assert signed_in_as(client) == cast.camille

    def test_else_by_email(self, client, cast, company_sign_in):
        set_claims(company_sign_in, "h-456", email="HUGO@example.com")
        assert sign_in(client, "h-456")["Location"] == "/"
        assert signed_in_as(client) == cast.hugo

    def test_it_records_the_browsers_language_and_sets_the_persons(self, client, cast, company_sign_in):
        User.objects.filter(pk=cast.hugo.pk).update(language="fr")
        set_claims(company_sign_in, "h-456", email="hugo@example.com")
        callback = provider_answer(to_provider(client), "h-456")
        response = client.get(callback, headers={"accept-language": "en-GB,en;q=0.8"})
        hugo = User.objects.get(pk=cast.hugo.pk)
        assert hugo.browser_language == "en" and response.cookies["django_language"].value == "fr"

    def test_an_unknown_person_is_refused_and_not_created(self, client, cast, company_sign_in):
        set_claims(company_sign_in, "x-1", email="stranger@example.com", employee_id="E999")
        response = sign_in(client, "x-1")
        assert response.status_code == 403
        assert "not on the staff list of this site yet" in response.content.decode()
        assert not User.objects.filter(email="stranger@example.com").exists()
        assert signed_in_as(client) is None

    def test_unless_the_site_creates_people(self, client, cast, company_sign_in, settings):
        settings.OIDC_CREATE_USERS = True
        set_claims(company_sign_in, "x-1", email="zoe@example.com", given_name="Zoé", family_name="Lefèvre")
        assert sign_in(client, "x-1").status_code == 302
        zoe = User.objects.get(email="zoe@example.com")
        assert zoe.username == "zoe.lefevre" and signed_in_as(client) == zoe
        assert list(zoe.groups.values_list("name", flat=True)) == ["Staff"]

    def test_a_deactivated_person_is_refused_with_a_clear_page(self, client, cast, company_sign_in):
        User.objects.filter(pk=cast.camille.pk).update(is_active=False)
        set_claims(company_sign_in, "c-123", email="camille@example.com")
        response = sign_in(
            client,
            "c-123",
        )
        assert response.status_code == 403
        assert "Your account has been deactivated" in response.content.decode()
        assert signed_in_as(client) is None

    def test_an_email_the_provider_has_not_verified_is_not_trusted(self, client, cast, company_sign_in):
        set_claims(company_sign_in, "c-123", email="camille@example.com", email_verified=False)
        assert sign_in(client, "c-123").status_code == 403

    def test_two_people_with_the_same_email_are_refused(self, client, cast, company_sign_in):
        User.objects.filter(pk=cast.hugo.pk).update(email="camille@example.com")
        set_claims(company_sign_in, "c-123", email="camille@example.com")
        response = sign_in(client, "c-123")
        assert response.status_code == 403 and "Several people" in response.content.decode()

    def test_a_tampered_state_is_refused(self, client, cast, company_sign_in):
        set_claims(company_sign_in, "c-123", email="camille@example.com")
        callback = provider_answer(to_provider(client), "c-123")
        response = client.get(callback.replace("state=", "state=x"))
        assert response.status_code == 400
        assert "could not be checked" in response.content.decode() and signed_in_as(client) is None

    def test_a_callback_without_a_sign_in_started_here_is_refused(self, client, cast, company_sign_in):
        set_claims(company_sign_in, "c-123", email="camille@example.com")
        callback = provider_answer(to_provider(client), "c-123")
        client.cookies.clear()  # another browser
        assert client.get(callback).status_code == 400
        assert signed_in_as(client) is None

    def test_a_replayed_code_is_refused(self, client, cast, company_sign_in):
        set_claims(company_sign_in, "c-123", email="camille@example.com")
        callback = provider_answer(to_provider(client), "c-123")
        assert client.get(callback).status_code == 302
        client.post(reverse("logout"))
        assert client.get(callback).status_code == 400  # the same answer again: its state is spent
        # The same code with a fresh state of this browser: the provider refuses a used code.
        code = parse_qs(urlsplit(callback).query)["code"][0]
        fresh_state = parse_qs(urlsplit(to_provider(client)).query)["state"][0]
        assert client.get(CALLBACK, {"code": code, "state": fresh_state}).status_code == 400
        assert signed_in_as(client) is None

    def test_the_person_saying_no_at_the_provider_comes_back_not_signed_in(self, client, cast, company_sign_in):
        answer = requests.post(to_provider(client), data={"action": "deny"}, allow_redirects=False, timeout=5)
        location = urlsplit(answer.headers["Location"])
        response = client.get(f"{location.path}?{location.query}")
        assert response.status_code == 403 and signed_in_as(client) is None


class TokenChecksTests:
    def test_an_expired_id_token_is_refused(self, client, cast, settings):
        with provider(offset=1, access_token_max_age=timedelta(seconds=-300)) as issuer:
            settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = issuer, CLIENT_ID, "x"
            oidc._discovery.clear()
            set_claims(issuer, "c-123", email="camille@example.com")
            response = sign_in(client, "c-123")
        assert response.status_code == 400 and signed_in_as(client) is None

    def test_an_id_token_for_another_site_is_refused(self, cast, company_sign_in):
        """A token the same provider issued to another client (its audience) is not for us, signature or not."""
        nonce = "n-1"
        query = {
            "response_type": "code",
            "client_id": "another-site",
            "redirect_uri": "http://another.example/callback",
            "scope": "openid email",
            "state": "s-1",
            "nonce": nonce,
        }
        set_claims(company_sign_in, "c-123", email="camille@example.com")
        answer = requests.post(
            f"{company_sign_in}/oauth2/authorize?{urlencode(query)}",
            data={"sub": "c-123"},
            allow_redirects=False,
            timeout=5,
        )
        code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
        tokens = requests.post(
            f"{company_sign_in}/oauth2/token",
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": query["redirect_uri"]},
            auth=("another-site", "its-secret"),
            timeout=5,
        ).json()
        backend = oidc.RosterOIDCBackend()
        backend.load_settings()
        with pytest.raises(SuspiciousOperation, match="not this site"):
            backend.verify_token(tokens["id_token"], nonce=nonce)

    def test_a_provider_that_does_not_answer_gets_a_clear_page_and_passwords_still_work(self, client, cast, settings):
        settings.OIDC_ISSUER = f"http://127.0.0.1:{port(9)}"  # nothing listens there
        settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = CLIENT_ID, "x"
        settings.OIDC_TIMEOUT = 1
        oidc._discovery.clear()
        response = client.get(START)
        assert response.status_code == 503
        page = response.content.decode()
        assert "not answering right now" in page and f'href="{reverse("login")}"' in page
        response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD})
        assert response.status_code == 302 and signed_in_as(client) == cast.camille


class PasswordSwitchTests:
    def test_password_sign_in_can_be_switched_off(self, client, cast, company_sign_in, settings):
        settings.PASSWORD_LOGIN = False
        page = client.get(reverse("login")).content.decode()
        assert "Sign in with your company account" in page and 'name="password"' not in page
        response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD})
        assert response.status_code == 403 and signed_in_as(client) is None
        admin_login = client.get("/admin/login/?next=/admin/")
        assert admin_login.status_code == 302 and admin_login["Location"] == "/accounts/login/?next=%2Fadmin%2F"

    def test_an_admin_signed_in_by_the_company_reaches_the_admin(self, client, cast, company_sign_in, settings):
        settings.PASSWORD_LOGIN = False
        set_claims(company_sign_in, "a-1", email="admin@example.com")
        sign_in(client, "a-1")
        assert client.get("/admin/").status_code == 200
