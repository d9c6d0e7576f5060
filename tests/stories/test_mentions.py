"""@username in a story's text is linked and notifies the person, as in comments; an edit notifies only the
newly mentioned; finding the people asks the database only for the names written."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Notification
from accounts.personal_data import person_erase
from stories import services
from stories.models import Story
from tests.conftest import make_user
from tests.factories import make_story


def story_data(**kw) -> dict:
    data = {"kind": "story", "title": "Thanks to a colleague", "body": "Text", "tags": "", "language": "en"}
    return data | kw


def mentions() -> list[tuple[str, str]]:
    rows = Notification.objects.filter(kind=Notification.Kind.MENTION)
    return sorted(rows.values_list("recipient__username", "actor__username"))


class StoryMentionTests:
    def test_a_new_story_links_and_notifies_the_people_it_mentions(self, client, cast):
        client.force_login(cast.camille)
        body = "With @hugo and @LEA, and @camille herself. Ask @julien."
        assert client.post(reverse("stories:new"), story_data(body=body)).status_code == 302
        story = Story.objects.get()
        assert 'href="/people/hugo/"' in story.body_html and 'href="/people/lea/"' in story.body_html
        assert '<a href="/people/julien/" rel="nofollow noopener noreferrer">@julien</a>.' in story.body_html
        assert mentions() == [("hugo", "camille"), ("julien", "camille"), ("lea", "camille")]
        page = client.get(story.get_absolute_url()).content.decode()
        assert 'href="/people/hugo/"' in page
        notification = Notification.objects.get(recipient=cast.hugo)
        assert notification.url == story.get_absolute_url()

    def test_an_edit_notifies_only_the_newly_mentioned(self, client, cast):
        story = make_story(cast.camille, body="Thanks @hugo")
        assert mentions() == [("hugo", "camille")]
        client.force_login(cast.camille)
        data = story_data(title=story.title, body="Thanks @hugo and @lea")
        assert client.post(reverse("stories:edit", args=[story.pk]), data).status_code == 302
        assert mentions() == [("hugo", "camille"), ("lea", "camille")]
        client.post(reverse("stories:edit", args=[story.pk]), data)  # the same text again: nobody new
        assert mentions() == [("hugo", "camille"), ("lea", "camille")]
        story.refresh_from_db()
        assert 'href="/people/lea/"' in story.body_html

    def test_unknown_inactive_and_e_mail_addresses_are_left_alone(self, cast):
        gone = make_user("gone", store=cast.paris, role="Staff", is_active=False)
        story = make_story(cast.camille, body="Ask @nobody, @gone or write to hugo@example.com")
        assert "<a" not in story.body_html
        assert not Notification.objects.filter(kind="mention").exists()
        assert not Notification.objects.filter(recipient=gone).exists()

    def test_a_mention_cannot_smuggle_markup(self, cast):
        story = make_story(cast.camille, body="@hugo<script>alert(1)</script> [x](javascript:alert(1)) @hugo")
        assert "<script>" not in story.body_html and 'href="javascript:' not in story.body_html
        assert Notification.objects.filter(recipient=cast.hugo, kind="mention").count() == 1

    def test_a_guestbook_entry_mentions_too(self, cast):
        make_story(cast.hugo, kind=Story.Kind.GUESTBOOK, body="Merci @camille")
        assert mentions() == [("camille", "hugo")]

    def test_erasing_a_mentioned_person_unlinks_them_and_keeps_the_others(self, cast):
        story = make_story(cast.camille, body="Thanks @hugo. And @lea too")
        person_erase(person=cast.hugo, delete_content=False)
        story.refresh_from_db()
        assert "@hugo" not in story.body and f"@former-{cast.hugo.pk}." in story.body
        assert "/people/hugo/" not in story.body_html and 'href="/people/lea/"' in story.body_html


class MentionQueryTests:
    def test_only_the_names_written_are_asked_for_in_one_query(self, cast):
        for number in range(30):
            make_user(f"person{number}", store=cast.paris, role="Staff")
        with CaptureQueriesContext(connection) as queries:
            found = services.mentioned_users("Hello @Hugo and @person7, not @nobody.")
        assert [person.username for person in found] == ["hugo", "person7"]
        assert len(queries) == 1
        sql = queries[0]["sql"].lower()
        assert "hugo" in sql and "person7" in sql and "person8" not in sql

    def test_no_mention_no_query(self, cast):
        with CaptureQueriesContext(connection) as queries:
            assert services.mentioned_users("No one here, write to a@b.fr") == []
        assert len(queries) == 0

    def test_at_most_twenty_people(self, cast):
        for number in range(25):
            make_user(f"p{number}", store=cast.paris, role="Staff")
        text = " ".join(f"@p{number}" for number in range(25))
        assert len(services.mentioned_users(text)) == services.MAX_MENTIONS
