"""Destructive curator decisions (hide, delete someone else's story or comment) ask for confirmation and a
reason, kept in the decision log; staff get 403 and nothing changes."""

import pytest
from django.urls import reverse

from stories import services
from stories.models import Comment, Decision, Story
from tests.factories import make_story


def reason_error(response) -> bool:
    return "Give a reason: it is kept in the decision log." in response.content.decode()


class HideStoryTests:
    def test_get_asks_for_confirmation_and_a_reason(self, client, cast):
        story = make_story(cast.camille, title="Hide me")
        client.force_login(cast.julien)
        page = client.get(reverse("stories:hide", args=[story.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Hide the story" in html and 'name="reason"' in html and "Hide “Hide me”?" in html
        story.refresh_from_db()
        assert story.status == "published"

    def test_a_hide_with_its_reason_is_logged_and_shown_to_the_author(self, client, cast):
        story = make_story(cast.camille, title="Hide me")
        client.force_login(cast.julien)
        response = client.post(reverse("stories:hide", args=[story.pk]), {"reason": "Names a customer"})
        assert response.status_code == 302
        story.refresh_from_db()
        assert story.status == "hidden"
        decision = Decision.objects.get()
        assert (decision.action, decision.curator, decision.reason, decision.story) == (
            "hide_story",
            cast.julien,
            "Names a customer",
            story,
        )
        client.force_login(cast.camille)
        page = client.get(story.get_absolute_url()).content.decode()
        assert "Hidden by Julien" in page and "“Names a customer”" in page

    @pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "   "}])
    def test_without_a_reason_the_form_comes_back_and_nothing_changes(self, client, cast, data):
        story = make_story(cast.camille)
        client.force_login(cast.julien)
        response = client.post(reverse("stories:hide", args=[story.pk]), data)
        assert response.status_code == 200 and reason_error(response)
        story.refresh_from_db()
        assert story.status == "published" and not Decision.objects.exists()

    def test_a_control_character_in_the_reason_is_refused(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.julien)
        response = client.post(reverse("stories:hide", args=[story.pk]), {"reason": "bad\x00"})
        assert response.status_code == 200 and "invisible control characters" in response.content.decode()
        story.refresh_from_db()
        assert story.status == "published"

    def test_showing_again_needs_no_reason_and_is_logged(self, client, cast):
        story = make_story(cast.camille)
        services.story_hide(story=story, curator=cast.julien, reason="Check the facts")
        client.force_login(cast.julien)
        assert client.post(reverse("stories:hide", args=[story.pk])).status_code == 302
        story.refresh_from_db()
        assert story.status == "published"
        assert [d.action for d in Decision.objects.all()] == ["show_story", "hide_story"]

    @pytest.mark.parametrize("username", ["hugo", "lea", "camille"])
    def test_staff_get_403_and_nothing_changes(self, client, cast, username):
        story = make_story(cast.camille)
        client.force_login(getattr(cast, username))
        assert client.get(reverse("stories:hide", args=[story.pk])).status_code == 403
        assert client.post(reverse("stories:hide", args=[story.pk]), {"reason": "Mine"}).status_code == 403
        story.refresh_from_db()
        assert story.status == "published" and not Decision.objects.exists()

    def test_a_missing_story_is_404(self, client, cast):
        client.force_login(cast.julien)
        assert client.post(reverse("stories:hide", args=[999999]), {"reason": "x"}).status_code == 404


class DeleteStoryTests:
    def test_a_curator_deleting_someone_elses_story_gives_a_reason(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.julien)
        page = client.get(reverse("stories:delete", args=[story.pk])).content.decode()
        assert 'name="reason"' in page
        response = client.post(reverse("stories:delete", args=[story.pk]), {"reason": ""})
        assert response.status_code == 200 and reason_error(response)
        story.refresh_from_db()
        assert story.status == "published" and not Decision.objects.exists()
        client.post(reverse("stories:delete", args=[story.pk]), {"reason": "Posted twice"})
        story.refresh_from_db()
        assert story.status == "deleted"
        assert Decision.objects.get().action == "delete_story"

    def test_the_author_deletes_without_a_reason_and_nothing_is_logged(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.camille)
        assert 'name="reason"' not in client.get(reverse("stories:delete", args=[story.pk])).content.decode()
        assert client.post(reverse("stories:delete", args=[story.pk])).status_code == 302
        story.refresh_from_db()
        assert story.status == "deleted" and not Decision.objects.exists()

    def test_staff_cannot_delete_someone_elses_story(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        assert client.post(reverse("stories:delete", args=[story.pk]), {"reason": "x"}).status_code == 403
        story.refresh_from_db()
        assert story.status == "published"


class CommentDecisionTests:
    def test_hiding_a_comment_asks_for_a_reason(self, client, cast):
        story = make_story(cast.camille)
        comment = services.comment_add(author=cast.hugo, story=story, body="Rude words")
        client.force_login(cast.julien)
        page = client.get(story.get_absolute_url()).content.decode()
        assert f'href="/comments/{comment.pk}/hide/"' in page
        confirm = client.get(reverse("stories:comment-hide", args=[comment.pk])).content.decode()
        assert "Rude words" in confirm and 'name="reason"' in confirm
        response = client.post(reverse("stories:comment-hide", args=[comment.pk]), {})
        assert response.status_code == 200 and reason_error(response)
        comment.refresh_from_db()
        assert comment.status == "published"
        client.post(reverse("stories:comment-hide", args=[comment.pk]), {"reason": "Disrespectful"})
        comment.refresh_from_db()
        assert comment.status == "hidden"
        decision = Decision.objects.get()
        assert (decision.action, decision.comment, decision.story, decision.reason) == (
            "hide_comment",
            comment,
            story,
            "Disrespectful",
        )

    def test_a_curator_deletes_someone_elses_comment_with_a_reason(self, client, cast):
        story = make_story(cast.camille)
        comment = services.comment_add(author=cast.hugo, story=story, body="Phone number 0612")
        client.force_login(cast.julien)
        response = client.post(reverse("stories:comment-delete", args=[comment.pk]))
        assert response.status_code == 200 and reason_error(response)
        comment.refresh_from_db()
        assert comment.status == "published"
        client.post(reverse("stories:comment-delete", args=[comment.pk]), {"reason": "A customer's number"})
        comment.refresh_from_db()
        assert comment.status == "deleted"
        assert Decision.objects.get().action == "delete_comment"
        story.refresh_from_db()
        assert story.comment_count == 0

    def test_the_author_deletes_their_comment_at_once(self, client, cast):
        story = make_story(cast.camille)
        comment = services.comment_add(author=cast.hugo, story=story, body="Oops")
        client.force_login(cast.hugo)
        assert client.post(reverse("stories:comment-delete", args=[comment.pk])).status_code == 302
        comment.refresh_from_db()
        assert comment.status == "deleted" and not Decision.objects.exists()

    @pytest.mark.parametrize("name", ["stories:comment-hide", "stories:comment-delete"])
    def test_staff_get_403_and_nothing_changes(self, client, cast, name):
        story = make_story(cast.camille)
        comment = services.comment_add(author=cast.hugo, story=story, body="Text")
        client.force_login(cast.lea)
        assert client.get(reverse(name, args=[comment.pk])).status_code == 403
        assert client.post(reverse(name, args=[comment.pk]), {"reason": "x"}).status_code == 403
        comment.refresh_from_db()
        assert comment.status == "published" and not Decision.objects.exists()


class ReportDecisionTests:
    def test_hiding_from_the_queue_needs_a_reason(self, client, cast):
        story = make_story(cast.camille, title="Reported story")
        flag = services.flag_create(reporter=cast.hugo, story=story, reason="spam")
        client.force_login(cast.julien)
        url = reverse("stories:flag-decide", args=[flag.pk])
        response = client.post(url, {"action": "hide"})
        assert response.status_code == 200 and reason_error(response)
        flag.refresh_from_db()
        story.refresh_from_db()
        assert (flag.status, story.status) == ("open", "published")
        client.post(url, {"action": "hide", f"flag-{flag.pk}-reason": "Advertising"})
        flag.refresh_from_db()
        story.refresh_from_db()
        assert (flag.status, story.status) == ("hidden", "hidden")
        queue = client.get(reverse("stories:flags")).content.decode()
        assert "Story hidden" in queue and "“Advertising”" in queue

    def test_dismissing_is_logged_without_a_reason(self, client, cast):
        story = make_story(cast.camille)
        flag = services.flag_create(reporter=cast.hugo, story=story, reason="spam")
        client.force_login(cast.julien)
        client.post(reverse("stories:flag-decide", args=[flag.pk]), {"action": "dismiss"})
        assert Decision.objects.get().action == "dismiss_report"
        assert Story.objects.get().status == "published"


class DecisionLogAdminTests:
    def test_the_admin_lists_the_log_read_only(self, client, cast):
        story = make_story(cast.camille, title="Logged story")
        services.story_hide(story=story, curator=cast.julien, reason="Logged reason")
        client.force_login(cast.admin)
        page = client.get(reverse("admin:stories_decision_changelist"))
        assert page.status_code == 200 and "Logged reason" in page.content.decode()
        assert client.get(reverse("admin:stories_decision_add")).status_code == 403
        assert Comment.objects.count() == 0

    def test_restoring_from_the_admin_is_logged_too(self, client, cast):
        story = make_story(cast.camille, title="Restore me")
        services.story_hide(story=story, curator=cast.julien, reason="Checking")
        client.force_login(cast.admin)
        changelist = reverse("admin:stories_story_changelist")
        client.post(changelist, {"action": "restore", "_selected_action": [story.pk]})
        story.refresh_from_db()
        assert story.status == "published"
        assert [(d.action, d.curator) for d in Decision.objects.all()] == [
            ("show_story", cast.admin),
            ("hide_story", cast.julien),
        ]
