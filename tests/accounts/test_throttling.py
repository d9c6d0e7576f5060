"""Log-in throttling (django-axes): by name and address, a cool-off, a message saying until when."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client: Client, username: str, password: str, address: str = "10.0.0.1", language: str = "en"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        headers={"accept-language": language},
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


class LoginThrottlingTests:
    def test_a_few_wrong_passwords_then_the_right_one_logs_in(self, client, cast):
        for _ in range(9):
            assert log_in(client, "camille", "wrong").status_code == 200
        assert log_in(client, "camille", PASSWORD).status_code == 302
        assert signed_in(client)

    def test_30_wrong_passwords_lock_the_name_at_that_address(self, client, cast):
        statuses = [log_in(client, "camille", "wrong").status_code for _ in range(30)]
        assert statuses[:9] == [200] * 9
        assert set(statuses[10:]) == {429}
        response = log_in(client, "camille", PASSWORD)
        assert response.status_code == 429
        assert not signed_in(client)
        html = response.content.decode()
        assert "Too many wrong passwords for this name" in html
        assert "try again in 15 minutes" in html
        assert 'name="username"' in html and 'value="camille"' in html  # the page, not a bare message

    def test_the_message_speaks_french(self, client, cast):
        for _ in range(10):
            log_in(client, "camille", "wrong", language="fr")
        response = log_in(client, "camille", PASSWORD, language="fr")
        assert response.status_code == 429
        assert "Trop de mots de passe erronés" in response.content.decode()

    def test_another_person_at_the_same_address_is_not_locked(self, cast):
        for _ in range(12):
            log_in(Client(), "camille", "wrong")
        hugo = Client()
        assert log_in(hugo, "hugo", PASSWORD).status_code == 302
        assert signed_in(hugo)

    def test_the_same_person_from_another_address_is_not_locked(self, cast):
        for _ in range(12):
            log_in(Client(), "camille", "wrong", address="10.0.0.1")
        elsewhere = Client()
        assert log_in(elsewhere, "camille", PASSWORD, address="10.0.0.2").status_code == 302

    def test_the_lock_ends_after_the_cool_off(self, client, cast):
        for _ in range(12):
            log_in(client, "camille", "wrong")
        assert log_in(client, "camille", PASSWORD).status_code == 429
        AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
        assert log_in(client, "camille", PASSWORD).status_code == 302
        assert signed_in(client)


class PasswordResetLimitTests:
    def test_20_requests_for_one_address_send_3_mails(self, client, cast):
        statuses = [
            client.post("/accounts/password_reset/", {"email": "camille@example.com"}).status_code for _ in range(20)
        ]
        assert statuses[:3] == [302] * 3
        assert set(statuses[3:]) == {429}
        assert len(mail.outbox) == 3

    def test_the_refusal_is_the_form_with_a_message(self, client, cast):
        for _ in range(3):
            client.post("/accounts/password_reset/", {"email": "camille@example.com"})
        response = client.post(
            "/accounts/password_reset/", {"email": "Camille@Example.com"}, headers={"accept-language": "fr"}
        )
        assert response.status_code == 429
        html = response.content.decode()
        assert 'name="email"' in html
        assert "Attendez une minute" in html

    def test_other_addresses_are_not_limited_by_one(self, client, cast):
        for _ in range(5):
            client.post("/accounts/password_reset/", {"email": "camille@example.com"})
        assert client.post("/accounts/password_reset/", {"email": "hugo@example.com"}).status_code == 302
        assert len(mail.outbox) == 4

    def test_one_client_address_is_limited_across_emails(self, client, cast):
        statuses = [
            client.post("/accounts/password_reset/", {"email": f"nobody{n}@example.com"}).status_code for n in range(25)
        ]
        assert statuses.count(302) == 20
