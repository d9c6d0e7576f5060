import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


class LoginTests:
    def test_it_logs_in_and_lands_on_home(self, client, cast):
        response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == "/"

    @pytest.mark.parametrize(
        ("language", "message"),
        [
            ("en", "Please enter a correct username and password"),
            ("fr", "Saisissez un nom d’utilisateur et un mot de passe valides"),
        ],
    )
    def test_a_wrong_password_says_so_in_the_page_language(self, client, cast, language, message):
        response = client.post(
            reverse("login"),
            {"username": "camille", "password": "wrong"},
            headers={"accept-language": language},
        )
        assert response.status_code == 200
        assert message in response.content.decode()

    def test_an_unknown_user_gets_the_same_message_as_a_wrong_password(self, client, cast):
        wrong_password = client.post(reverse("login"), {"username": "camille", "password": "nope"})
        unknown_user = client.post(reverse("login"), {"username": "nobody-here", "password": "nope"})
        assert wrong_password.context["form"].errors == unknown_user.context["form"].errors

    @pytest.mark.parametrize("target", ["https://evil.example.com/", "//evil.example.com/x", "http:evil.example.com"])
    def test_it_ignores_an_off_site_next(self, client, cast, target):
        response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD, "next": target})
        assert response.status_code == 302
        assert response["Location"] == "/"

    def test_it_follows_an_on_site_next(self, client, cast):
        next_url = reverse("accounts:profile", args=["hugo"])
        response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD, "next": next_url})
        assert response["Location"] == next_url

    def test_it_restores_the_language_the_person_chose(self, client, cast):
        cast.camille.preferred_language = "fr"
        cast.camille.save()
        response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD})
        assert response.cookies["django_language"].value == "fr"

    def test_logout_needs_a_post_and_ends_the_session(self, client, cast):
        client.force_login(cast.camille)
        assert client.get(reverse("logout")).status_code == 405
        response = client.post(reverse("logout"))
        assert response.status_code == 302
        assert client.get("/").status_code == 302


class AccessTests:
    @pytest.mark.parametrize("path", ["/", "/people/camille/", "/accounts/password_change/"])
    def test_anonymous_people_are_sent_to_log_in(self, client, cast, path):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")

    @pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password_reset/", "/healthz"])
    def test_public_pages_answer_anonymous_people(self, client, path):
        assert client.get(path).status_code == 200

    @pytest.mark.parametrize("username", ["camille", "julien", "lea"])
    def test_a_non_admin_gets_no_admin(self, client, cast, username):
        client.force_login(getattr(cast, username))
        for path in ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{cast.hugo.pk}/change/"]:
            response = client.get(path)
            assert response.status_code == 302
            assert response["Location"].startswith("/admin/login/")

    def test_an_admin_gets_the_admin(self, client, cast):
        client.force_login(cast.admin)
        for path in ["/admin/", "/admin/accounts/user/", "/admin/accounts/store/", "/admin/auth/group/"]:
            assert client.get(path).status_code == 200, path


class PasswordResetTests:
    def test_it_mails_a_link_to_a_known_address(self, client, cast):
        response = client.post(reverse("password_reset"), {"email": "camille@example.com"})
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        assert "/accounts/reset/" in mail.outbox[0].body

    def test_an_unknown_address_looks_the_same_and_sends_nothing(self, client, cast):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
        assert mail.outbox == []

    def test_a_bad_address_is_refused_with_a_message(self, client, cast):
        response = client.post(
            reverse("password_reset"), {"email": "not an address"}, headers={"accept-language": "fr"}
        )
        assert response.status_code == 200
        assert "Saisissez une adresse de courriel valide" in response.content.decode()

    def test_password_change_keeps_the_old_one_when_the_new_ones_differ(self, client, cast):
        client.force_login(cast.camille)
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": "a-new-Pass-123", "new_password2": "another-Pass-456"},
        )
        assert response.status_code == 200
        cast.camille.refresh_from_db()
        assert cast.camille.check_password(PASSWORD)
