"""Each person's language: chosen, else the roster's, else their browser's at their last sign-in."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.conftest import PASSWORD
from tests.factories import make_story

pytestmark = pytest.mark.django_db

FRENCH_HOME = 'lang="fr"'
ENGLISH_HOME = 'lang="en"'


def page_language(client, **headers) -> str:
    response = client.get(reverse("accounts:notifications"), headers=headers)
    assert response.status_code == 200
    return response["Content-Language"]


class PersonLanguageTests:
    def test_the_language_the_person_chose_wins_over_the_browser(self, client, cast):
        User.objects.filter(pk=cast.camille.pk).update(preferred_language="fr", language="en")
        client.force_login(cast.camille)
        assert page_language(client, accept_language="en") == "fr"

    def test_the_rosters_language_comes_next(self, client, cast):
        User.objects.filter(pk=cast.camille.pk).update(language="fr", browser_language="en")
        client.force_login(cast.camille)
        assert page_language(client, accept_language="en") == "fr"

    def test_then_the_browsers_language_at_the_last_sign_in(self, client, cast):
        User.objects.filter(pk=cast.camille.pk).update(browser_language="fr")
        client.force_login(cast.camille)
        assert page_language(client, accept_language="en") == "fr"

    def test_with_nothing_known_the_browser_chooses_as_before(self, client, cast):
        client.force_login(cast.camille)
        assert page_language(client, accept_language="fr") == "fr"
        assert page_language(client, accept_language="en") == "en"

    def test_the_switcher_sets_the_persons_language_for_the_next_pages(self, client, cast):
        User.objects.filter(pk=cast.camille.pk).update(language="fr")
        client.force_login(cast.camille)
        client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
        assert page_language(client, accept_language="fr") == "en"

    def test_anonymous_pages_follow_the_browser(self, client, cast):
        response = client.get(reverse("login"), headers={"accept-language": "fr"})
        assert response["Content-Language"] == "fr"


class SignInLanguageTests:
    def test_signing_in_records_what_the_browser_asks_for(self, client, cast):
        client.post(
            reverse("login"),
            {"username": "camille", "password": PASSWORD},
            headers={"accept-language": "fr-FR,fr;q=0.9,en;q=0.5"},
        )
        cast.camille.refresh_from_db()
        assert cast.camille.browser_language == "fr"
        assert page_language(client, accept_language="en") == "fr"

    def test_a_cookie_left_by_someone_else_is_not_the_browsers_language(self, client, cast):
        client.cookies["django_language"] = "fr"
        client.post(reverse("login"), {"username": "hugo", "password": PASSWORD}, headers={"accept-language": "en"})
        cast.hugo.refresh_from_db()
        assert cast.hugo.browser_language == "en"

    def test_signing_in_sets_the_cookie_to_the_rosters_language(self, client, cast):
        User.objects.filter(pk=cast.camille.pk).update(language="fr")
        response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD})
        assert response.cookies["django_language"].value == "fr"


class MailLanguageTests:
    def test_a_password_reset_mail_is_in_the_persons_language_not_the_requesters(self, client, cast):
        User.objects.filter(pk=cast.camille.pk).update(language="fr")
        client.post(reverse("password_reset"), {"email": "camille@example.com"}, headers={"accept-language": "en"})
        assert mail.outbox[0].subject == "Réinitialisation de votre mot de passe Histoires de service"
        assert "Bonjour Camille Martin," in mail.outbox[0].body

    def test_the_digest_follows_the_rosters_language(self, cast):
        User.objects.filter(pk=cast.camille.pk).update(language="fr")
        make_story(cast.hugo, title="A bowl of water for dogs")
        call_command("send_digests", week=timezone.localdate().isoformat(), stdout=StringIO())
        subjects = {message.to[0]: message.subject for message in mail.outbox}
        assert subjects["camille@example.com"].startswith("Votre semaine sur Histoires de service")
        assert subjects["lea@example.com"].startswith("Your week on Service stories")

    def test_the_demos_french_staff_get_french_digests(self):
        call_command("seed_demo", verbosity=0, stdout=StringIO())
        User.objects.update(weekly_digest=True)
        call_command("send_digests", week=timezone.localdate().isoformat(), stdout=StringIO())
        subjects = {message.to[0]: message.subject for message in mail.outbox}
        assert subjects, "the demo's week sent no digest"
        for address in ["camille@example.com", "hugo@example.com", "julien@example.com", "lea@example.com"]:
            if address in subjects:
                assert subjects[address].startswith("Votre semaine"), address
        assert any(address in subjects for address in ["camille@example.com", "hugo@example.com"])

    def test_the_demo_gives_old_demo_databases_their_language_and_codes(self):
        call_command("seed_demo", verbosity=0, stdout=StringIO())
        User.objects.filter(username="camille").update(language="", employee_id=None)
        call_command("seed_demo", verbosity=0, stdout=StringIO())
        camille = User.objects.select_related("store").get(username="camille")
        assert (camille.language, camille.employee_id, camille.store.store_code) == ("fr", "E00001", "PAR01")
        assert User.objects.get(username="admin").language == ""
