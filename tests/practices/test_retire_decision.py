"""Retiring a standard asks for confirmation and a reason, kept in the decision log and shown on its page."""

import pytest
from django.urls import reverse

from practices.onboarding import services as onboarding
from stories.models import Decision
from tests.factories import make_standard


def retire_url(standard) -> str:
    return reverse("practices:standard-retire", args=[standard.slug])


class RetireDecisionTests:
    def test_the_standard_page_links_to_a_confirmation_with_a_reason(self, client, cast):
        standard = make_standard(cast.julien)
        client.force_login(cast.julien)
        assert f'href="{retire_url(standard)}"' in client.get(standard.get_absolute_url()).content.decode()
        page = client.get(retire_url(standard))
        assert page.status_code == 200
        assert 'name="reason"' in page.content.decode() and "Retire the standard" in page.content.decode()
        standard.refresh_from_db()
        assert standard.status == "published"

    @pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": " \n "}])
    def test_without_a_reason_the_form_comes_back_and_nothing_changes(self, client, cast, data):
        standard = make_standard(cast.julien)
        client.force_login(cast.julien)
        response = client.post(retire_url(standard), data)
        assert response.status_code == 200
        assert "Give a reason: it is kept in the decision log." in response.content.decode()
        standard.refresh_from_db()
        assert standard.status == "published" and not Decision.objects.exists()

    def test_the_reason_is_logged_and_shown_on_the_standard(self, client, cast):
        standard = make_standard(cast.julien, title="Old habit")
        client.force_login(cast.julien)
        client.post(retire_url(standard), {"reason": "Customers now pay by phone"})
        standard.refresh_from_db()
        assert standard.status == "retired"
        decision = Decision.objects.get()
        assert (decision.action, decision.curator, decision.subject, decision.url) == (
            "retire_standard",
            cast.julien,
            "Old habit",
            standard.get_absolute_url(),
        )
        client.force_login(cast.camille)
        page = client.get(standard.get_absolute_url()).content.decode()
        assert "Retired by Julien" in page and "“Customers now pay by phone”" in page
        client.force_login(cast.julien)
        assert "Standard retired" in client.get(reverse("stories:flags")).content.decode()

    def test_in_french(self, client, cast):
        standard = make_standard(cast.julien)
        client.force_login(cast.julien)
        page = client.get(retire_url(standard), headers={"accept-language": "fr"})
        assert "Retirer le standard" in page.content.decode()

    @pytest.mark.parametrize("username", ["camille", "hugo", "lea"])
    def test_staff_get_403_and_nothing_changes(self, client, cast, username):
        standard = make_standard(cast.julien)
        client.force_login(getattr(cast, username))
        assert client.get(retire_url(standard)).status_code == 403
        assert client.post(retire_url(standard), {"reason": "Mine now"}).status_code == 403
        standard.refresh_from_db()
        assert standard.status == "published" and not Decision.objects.exists()

    def test_a_draft_cannot_be_retired(self, client, cast):
        standard = make_standard(cast.julien, publish=False)
        client.force_login(cast.julien)
        client.post(retire_url(standard), {"reason": "x"})
        standard.refresh_from_db()
        assert standard.status == "draft" and not Decision.objects.exists()

    def test_a_standard_in_a_path_is_refused_before_asking_for_a_reason(self, client, cast):
        standard = make_standard(cast.julien)
        path = onboarding.path_create(curator=cast.julien, title="First weeks")
        onboarding.path_step_add(path=path, standard=standard)
        client.force_login(cast.julien)
        response = client.get(retire_url(standard), follow=True)
        assert "take it out of the path before retiring it" in response.content.decode()
        assert 'name="reason"' not in response.content.decode()
        client.post(retire_url(standard), {"reason": "Old"})
        standard.refresh_from_db()
        assert standard.status == "published" and not Decision.objects.exists()
