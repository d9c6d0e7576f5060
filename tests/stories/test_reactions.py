import threading

import pytest
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse

from accounts.models import Notification, User
from stories import services
from stories.models import Comment, CommentRevision, Flag, Story, Tried, Vote
from tests.conftest import make_user
from tests.factories import make_story

pytestmark = pytest.mark.django_db


def vote_url(story) -> str:
    return reverse("stories:vote", args=[story.pk])


class VoteTests:
    def test_a_vote_counts_once_and_updates_the_hot_score(self, client, cast):
        story = make_story(cast.camille)
        before = story.hot_score
        client.force_login(cast.hugo)
        assert client.post(vote_url(story), {"voted": "1"}).status_code == 302
        assert client.post(vote_url(story), {"voted": "1"}).status_code == 302  # a double click
        story.refresh_from_db()
        assert story.vote_count == 1 == Vote.objects.count()
        assert story.voter_store_count == 1
        assert story.hot_score > before

    def test_toggling_withdraws_the_vote(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        client.post(vote_url(story))
        client.post(vote_url(story))
        story.refresh_from_db()
        assert story.vote_count == 0 == Vote.objects.count()

    def test_htmx_gets_the_button_back(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        response = client.post(vote_url(story), {"voted": "1"}, headers={"HX-Request": "true"})
        page = response.content.decode()
        assert 'aria-pressed="true"' in page
        assert "1 vote" in page
        assert "<html" not in page

    def test_the_author_cannot_vote_for_their_own_story(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.camille)
        assert client.post(vote_url(story)).status_code == 403
        assert not Vote.objects.exists()

    def test_get_is_refused(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        assert client.get(vote_url(story)).status_code == 405

    def test_a_missing_csrf_token_is_refused(self, cast):
        story = make_story(cast.camille)
        client = Client(enforce_csrf_checks=True)
        client.force_login(cast.hugo)
        assert client.post(vote_url(story)).status_code == 403
        assert not Vote.objects.exists()

    @pytest.mark.parametrize("status", ["hidden", "deleted"])
    def test_no_vote_or_comment_on_a_hidden_or_deleted_story(self, client, cast, status):
        story = make_story(cast.camille)
        Story.objects.filter(pk=story.pk).update(status=status)
        client.force_login(cast.julien)
        assert client.post(vote_url(story)).status_code == 404
        assert client.post(reverse("stories:comment-new", args=[story.pk]), {"body": "Hi"}).status_code == 404
        assert not Vote.objects.exists() and not Comment.objects.exists()

    def test_milestones_notify_the_author_once(self, cast):
        story = make_story(cast.camille)
        voters = [make_user(f"voter{i}", store=cast.lyon, role="Staff") for i in range(6)]
        for voter in voters[:5]:
            services.vote_set(user=voter, story=story, voted=True)
        services.vote_set(user=voters[0], story=story, voted=False)
        services.vote_set(user=voters[5], story=story, voted=True)
        milestones = Notification.objects.filter(recipient=cast.camille, kind="milestone")
        assert [n.params["votes"] for n in milestones] == [5]

    def test_the_feed_shows_my_votes(self, client, cast):
        voted, other = make_story(cast.camille, title="Voted"), make_story(cast.camille, title="Other")
        services.vote_set(user=cast.hugo, story=voted, voted=True)
        client.force_login(cast.hugo)
        stories = {s["title"]: s["user_voted"] for s in client.get("/stories/").context["stories"]}
        assert stories == {"Voted": True, "Other": False}
        assert other.pk


class CounterTests:
    def test_every_counter_matches_its_rows_after_each_kind_of_reaction(self, cast):
        story = make_story(cast.camille)
        services.vote_set(user=cast.hugo, story=story, voted=True)
        services.vote_set(user=cast.lea, story=story, voted=True)
        services.tried_record(user=cast.hugo, story=story)
        first = services.comment_add(author=cast.hugo, story=story, body="One")
        services.comment_add(author=cast.lea, story=story, body="Two")
        services.comment_set_status(comment=first, status=Comment.Status.HIDDEN)
        services.vote_set(user=cast.lea, story=story, voted=False)
        story.refresh_from_db()
        assert (story.vote_count, story.voter_store_count, story.tried_count, story.comment_count) == (1, 1, 1, 1)
        assert story.hot_score == story.compute_hot_score()

    def test_each_reaction_recounts_only_its_own_counter(self, cast):
        story = make_story(cast.camille)
        # Out of step on purpose: an action that recounted everything would put them right.
        Story.objects.filter(pk=story.pk).update(vote_count=7, voter_store_count=7, tried_count=7, comment_count=7)
        services.comment_add(author=cast.hugo, story=story, body="Hello")
        story.refresh_from_db()
        assert (story.vote_count, story.tried_count, story.comment_count) == (7, 7, 1)
        services.vote_set(user=cast.hugo, story=story, voted=True)
        story.refresh_from_db()
        assert (story.vote_count, story.voter_store_count, story.tried_count, story.comment_count) == (1, 1, 7, 1)
        services.tried_record(user=cast.hugo, story=story)
        story.refresh_from_db()
        assert (story.vote_count, story.tried_count, story.comment_count) == (1, 1, 1)


class ConcurrentVoteTests:
    @pytest.mark.django_db(transaction=True)
    @pytest.mark.parametrize("form", [{"voted": "1"}, {}], ids=["vote", "toggle"])
    def test_twenty_people_voting_at_once_are_all_counted(self, cast, form):
        story = make_story(cast.camille)
        voters = [make_user(f"racer{i}", store=cast.lyon if i % 2 else cast.marais, role="Staff") for i in range(20)]
        clients = []
        for voter in voters:
            client = Client()
            client.force_login(voter)
            clients.append(client)
        barrier = threading.Barrier(len(clients))
        statuses: list[int] = []
        errors: list[Exception] = []

        def vote(client: Client) -> None:
            try:
                barrier.wait()
                statuses.append(client.post(vote_url(story), form).status_code)
            except Exception as error:
                errors.append(error)
            finally:
                close_old_connections()

        threads = [threading.Thread(target=vote, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        story.refresh_from_db()
        assert errors == []
        assert statuses == [302] * 20
        assert story.vote_count == 20 == Vote.objects.filter(story=story).count()
        assert story.voter_store_count == 2


class TriedTests:
    def test_a_store_tries_an_idea_once_and_the_author_hears_of_it(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        url = reverse("stories:tried", args=[story.pk])
        assert client.post(url, {"outcome": "Customers loved it"}).status_code == 302
        client.force_login(cast.julien)  # same store as hugo
        client.post(url, {"outcome": ""})
        story.refresh_from_db()
        assert story.tried_count == 1
        assert Tried.objects.get().outcome == "Customers loved it"
        notification = Notification.objects.get(recipient=cast.camille, kind="tried")
        assert "Lyon Bellecour" in notification.text
        page = client.get(story.get_absolute_url()).content.decode()
        assert "Lyon Bellecour" in page and "Customers loved it" in page

    def test_an_over_long_outcome_is_refused(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        response = client.post(reverse("stories:tried", args=[story.pk]), {"outcome": "x" * 141})
        assert response.status_code == 200
        assert not Tried.objects.exists()

    def test_head_office_cannot_say_a_store_tried(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.admin)
        assert client.post(reverse("stories:tried", args=[story.pk])).status_code == 403


class CommentTests:
    def comment(self, client, story, body, **extra):
        return client.post(reverse("stories:comment-new", args=[story.pk]), {"body": body, **extra})

    def test_a_comment_with_a_mention_notifies_author_and_mentioned(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        response = self.comment(client, story, "Great idea @camille and @lea!")
        comment = Comment.objects.get()
        assert response["Location"] == comment.get_absolute_url()
        assert 'href="/people/camille/"' in comment.body_html
        kinds = sorted(Notification.objects.values_list("recipient__username", "kind"))
        assert kinds == [("camille", "comment"), ("camille", "mention"), ("lea", "mention")]
        story.refresh_from_db()
        assert story.comment_count == 1

    def test_a_reply_notifies_the_parent_author(self, client, cast):
        story = make_story(cast.camille)
        parent = services.comment_add(author=cast.hugo, story=story, body="First")
        client.force_login(cast.lea)
        self.comment(client, story, "Agreed", parent=parent.pk)
        reply = Comment.objects.get(body="Agreed")
        assert reply.parent == parent
        assert Notification.objects.filter(recipient=cast.hugo, kind="reply").exists()

    def test_htmx_gets_the_comments_back(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        response = client.post(
            reverse("stories:comment-new", args=[story.pk]), {"body": "In place"}, headers={"HX-Request": "true"}
        )
        page = response.content.decode()
        assert 'id="comments"' in page and "In place" in page and "<html" not in page

    @pytest.mark.parametrize(
        ("body", "message"),
        [("", "Write something before sending."), ("x" * 3001, "at most 3000"), ("a\x00b", "Null characters")],
    )
    def test_bad_comments_are_refused_with_a_message(self, client, cast, body, message):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        response = self.comment(client, story, body)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Comment.objects.exists()

    def test_script_in_a_comment_is_inert(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        self.comment(client, story, "<script>alert(1)</script> [x](javascript:alert(1))")
        page = client.get(story.get_absolute_url()).content.decode()
        assert "<script>alert(1)" not in page and 'href="javascript:' not in page

    def test_edit_keeps_the_earlier_text_and_others_cannot_edit(self, client, cast):
        story = make_story(cast.camille)
        comment = services.comment_add(author=cast.hugo, story=story, body="Before")
        client.force_login(cast.lea)
        assert client.post(reverse("stories:comment-edit", args=[comment.pk]), {"body": "Hacked"}).status_code == 403
        client.force_login(cast.hugo)
        assert client.post(reverse("stories:comment-edit", args=[comment.pk]), {"body": "After"}).status_code == 302
        comment.refresh_from_db()
        assert comment.body == "After" and comment.edited_at
        assert CommentRevision.objects.get().body == "Before"

    def test_delete_shows_a_placeholder_and_keeps_the_text(self, client, cast):
        story = make_story(cast.camille)
        comment = services.comment_add(author=cast.hugo, story=story, body="Secret words")
        client.force_login(cast.lea)
        assert client.post(reverse("stories:comment-delete", args=[comment.pk])).status_code == 403
        client.force_login(cast.hugo)
        client.post(reverse("stories:comment-delete", args=[comment.pk]))
        page = client.get(story.get_absolute_url()).content.decode()
        assert "Comment deleted." in page and "Secret words" not in page
        comment.refresh_from_db()
        assert comment.body == "Secret words"

    def test_staff_cannot_hide_a_comment(self, client, cast):
        story = make_story(cast.camille)
        comment = services.comment_add(author=cast.hugo, story=story, body="Text")
        client.force_login(cast.lea)
        assert client.post(reverse("stories:comment-hide", args=[comment.pk])).status_code == 403
        comment.refresh_from_db()
        assert comment.status == "published"

    @pytest.mark.parametrize("count", [1, 25])
    def test_the_story_page_makes_the_same_queries_whatever_the_comments(
        self, client, cast, count, django_assert_num_queries
    ):
        story = make_story(cast.camille)
        for i in range(count):
            services.comment_add(author=cast.hugo, story=story, body=f"Comment {i}")
            services.tried_record(user=make_user(f"u{i}", store=cast.lyon, role="Staff"), story=story)
        client.force_login(cast.lea)
        # session, user (with store), permissions and unread count, story, its names (author, store,
        # region, pillar, tags), my vote and whether it has photos or comments, comments with authors,
        # tries with stores (its photos only when it has some: none here); cached or not.
        for _ in range(2):
            with django_assert_num_queries(7):
                assert client.get(story.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize("count", [1, 51])
    def test_a_very_long_discussion_is_shown_fifty_threads_at_a_time(
        self, client, cast, count, django_assert_num_queries
    ):
        story = make_story(cast.camille)
        first = services.comment_add(author=cast.hugo, story=story, body="Thread 0")
        services.comment_add(author=cast.lea, story=story, body="Reply to 0", parent=first)
        for i in range(1, count):
            services.comment_add(author=cast.hugo, story=story, body=f"Thread {i}")
        client.force_login(cast.lea)
        # session, user (with store), permissions and unread count, story, its card row (names, my vote), one
        # page of threads with their replies and authors (no tries: none read)
        with django_assert_num_queries(6):
            page = client.get(story.get_absolute_url()).content.decode()
        assert "Thread 0" in page and "Reply to 0" in page
        assert ("Thread 49<" in page) == (count > 49) and "Thread 50<" not in page
        assert ("?comments=2#comments" in page) == (count > 50)
        if count > 50:
            page = client.get(story.get_absolute_url(), {"comments": 2}).content.decode()
            assert "Thread 50<" in page and "Thread 0<" not in page and "?comments=1#comments" in page


class FlagTests:
    def test_report_a_comment_once_and_a_curator_hides_it(self, client, cast):
        story = make_story(cast.camille)
        comment = services.comment_add(author=cast.camille, story=story, body="Rude words")
        url = reverse("stories:comment-flag", args=[story.pk, comment.pk])
        client.force_login(cast.hugo)
        assert client.post(url, {"reason": "offensive", "text": "Not nice"}).status_code == 302
        client.post(url, {"reason": "spam"})
        assert Flag.objects.count() == 1

        client.force_login(cast.julien)
        queue = client.get(reverse("stories:flags"))
        assert "Rude words" in queue.content.decode()
        flag = Flag.objects.get()
        decision = {"action": "hide", f"flag-{flag.pk}-reason": "Rude"}
        client.post(reverse("stories:flag-decide", args=[flag.pk]), decision)
        flag.refresh_from_db()
        comment.refresh_from_db()
        assert (flag.status, flag.decided_by, comment.status) == ("hidden", cast.julien, "hidden")

    def test_a_bad_reason_is_refused(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        response = client.post(reverse("stories:flag", args=[story.pk]), {"reason": "because"})
        assert response.status_code == 200
        assert not Flag.objects.exists()

    def test_dismissing_leaves_the_story_visible(self, client, cast):
        story = make_story(cast.camille)
        flag = services.flag_create(reporter=cast.hugo, story=story, reason="spam")
        client.force_login(cast.julien)
        client.post(reverse("stories:flag-decide", args=[flag.pk]), {"action": "dismiss"})
        story.refresh_from_db()
        flag.refresh_from_db()
        assert (story.status, flag.status) == ("published", "dismissed")

    @pytest.mark.parametrize("username", ["hugo", "lea"])
    def test_staff_and_new_hires_get_no_moderation_queue(self, client, cast, username):
        story = make_story(cast.camille)
        flag = services.flag_create(reporter=cast.julien, story=story, reason="spam")
        client.force_login(getattr(cast, username))
        assert client.get(reverse("stories:flags")).status_code == 403
        assert client.post(reverse("stories:flag-decide", args=[flag.pk]), {"action": "hide"}).status_code == 403
        flag.refresh_from_db()
        assert flag.status == "open"


class NotificationTests:
    def test_the_inbox_opens_and_marks_read(self, client, cast):
        story = make_story(cast.camille)
        services.comment_add(author=cast.hugo, story=story, body="Hello")
        services.comment_add(author=cast.lea, story=story, body="Hi")
        client.force_login(cast.camille)
        assert client.get("/").context["unread_count"] == 2
        page = client.get(reverse("accounts:notifications"))
        assert "Hugo Bernard commented on your story" in page.content.decode()
        first = Notification.objects.filter(recipient=cast.camille).last()
        response = client.post(reverse("accounts:notification-open", args=[first.pk]))
        assert response["Location"].startswith(story.get_absolute_url())
        assert client.get("/").context["unread_count"] == 1
        client.post(reverse("accounts:notifications-read-all"))
        assert client.get("/").context["unread_count"] == 0

    def test_it_speaks_the_readers_language(self, client, cast):
        story = make_story(cast.camille, title="Parapluie")
        services.comment_add(author=cast.hugo, story=story, body="Bravo")
        client.force_login(cast.camille)
        page = client.get(reverse("accounts:notifications"), headers={"accept-language": "fr"}).content.decode()
        assert "a commenté votre histoire" in page

    def test_nobody_opens_someone_elses_notification(self, client, cast):
        story = make_story(cast.camille)
        services.comment_add(author=cast.hugo, story=story, body="Hello")
        notification = Notification.objects.get()
        client.force_login(cast.lea)
        assert client.post(reverse("accounts:notification-open", args=[notification.pk])).status_code == 404
        notification.refresh_from_db()
        assert notification.read_at is None
        assert User.objects.count() == 5
