"""Cached story cards and story bodies: whatever the cache holds, every page shows the story as it is now."""

import datetime
import re
import socket
import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timesince as django_timesince
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import override

import config.cache
from accounts import roles
from practices import services as practices_services
from practices.referents import referent_name, referent_remove
from stories import services
from stories.fragments import FRAGMENT_VERSION, age_bucket
from stories.listing import story_discussion
from stories.models import Story, hot_score
from tests.conftest import make_user
from tests.factories import make_pillar, make_standard, make_story

pytestmark = pytest.mark.django_db


def feed(client: Client, path: str = "/stories/?sort=new") -> str:
    return client.get(path).content.decode()


def card_of(page: str, title: str) -> str:
    """The HTML of the card whose title is `title`."""
    cards = re.findall(r'<article class="story-card.*?</article>', page, re.DOTALL)
    matching = [card for card in cards if f">{title}</a></h2>" in card]
    assert len(matching) == 1, f"{len(matching)} cards titled {title!r}"
    return matching[0]


def cached_keys(kind: str) -> list[str]:
    # The local-memory cache the tests run with keeps its keys in a dict.
    return [key for key in cache._cache if f":story-{kind}:{FRAGMENT_VERSION}:" in key]


def page_of(client: Client, story: Story) -> str:
    return client.get(story.get_absolute_url()).content.decode()


def vote(client: Client, story: Story, voted: str = "1") -> None:
    assert client.post(reverse("stories:vote", args=[story.pk]), {"voted": voted}).status_code == 302


class FeedCardTests:
    def test_the_cards_come_from_the_cache_the_second_time(self, client, cast):
        make_story(cast.camille, title="Cached")
        client.force_login(cast.hugo)
        first = card_of(feed(client), "Cached")
        assert len(cached_keys("card")) == 1
        second = card_of(feed(client), "Cached")
        without_token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
        assert without_token.sub("", second) == without_token.sub("", first)
        assert len(cached_keys("card")) == 1

    def test_a_page_of_cards_is_one_entry_for_everyone_who_sees_it_alike(self, client, cast):
        stories = [make_story(cast.camille, title=f"Shared {n}") for n in range(3)]
        hugo, lea = Client(), Client()
        hugo.force_login(cast.hugo)
        lea.force_login(cast.lea)
        feed(hugo)
        page = feed(lea)
        assert len(cached_keys("cards")) == 1 and len(cached_keys("card")) == 3
        vote(lea, stories[1])
        assert 'aria-pressed="true"' in card_of(feed(lea), "Shared 1")
        assert 'aria-pressed="true"' not in card_of(feed(hugo), "Shared 1")
        assert len(cached_keys("cards")) == 3  # before the vote, and after it as lea and as hugo see it
        # The list after the vote is put together from the cards' entries: only the changed one is new.
        assert len(cached_keys("card")) == 5
        without_token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
        assert without_token.sub("", card_of(feed(lea), "Shared 0")) == without_token.sub("", card_of(page, "Shared 0"))

    def test_a_vote_shows_at_once_to_the_voter_and_to_everyone_else(self, client, cast):
        story = make_story(cast.camille, title="Umbrellas")
        others = Client()
        others.force_login(cast.lea)
        client.force_login(cast.hugo)
        assert "0 votes" in card_of(feed(client), "Umbrellas")
        assert "0 votes" in card_of(feed(others), "Umbrellas")

        vote(client, story)
        mine = card_of(feed(client), "Umbrellas")
        assert "1 vote" in mine and 'aria-pressed="true"' in mine
        theirs = card_of(feed(others), "Umbrellas")
        assert "1 vote" in theirs and 'aria-pressed="false"' in theirs

        vote(client, story, voted="0")
        mine = card_of(feed(client), "Umbrellas")
        assert "0 votes" in mine and 'aria-pressed="false"' in mine
        assert "0 votes" in card_of(feed(others), "Umbrellas")

    def test_the_author_sees_a_count_where_others_see_a_button(self, client, cast):
        make_story(cast.camille, title="Mine")
        reader = Client()
        reader.force_login(cast.hugo)
        assert "<button" in card_of(feed(reader), "Mine")
        client.force_login(cast.camille)
        own = card_of(feed(client), "Mine")
        assert "<button" not in own and "0 votes" in own

    def test_an_edit_shows_at_once(self, client, cast):
        story = make_story(cast.camille, title="Before", tags=["rain"])
        client.force_login(cast.hugo)
        assert "#rain" in card_of(feed(client), "Before")
        services.story_update(
            story=story,
            editor=cast.camille,
            kind="attention",
            title="After",
            body="New text",
            pillar=make_pillar(),
            tags=["sun"],
            language="en",
        )
        card = card_of(feed(client), "After")
        assert "#sun" in card and "#rain" not in card
        assert "Petite attention" in card and "Take charge" in card
        assert "Before" not in feed(client)

    def test_a_comment_counts_at_once(self, client, cast):
        story = make_story(cast.camille, title="Discussed")
        client.force_login(cast.hugo)
        assert "0 comments" in card_of(feed(client), "Discussed")
        services.comment_add(author=cast.lea, story=story, body="Nice")
        assert "1 comment" in card_of(feed(client), "Discussed")

    @pytest.mark.parametrize("status", ["hidden", "deleted"])
    def test_a_hidden_or_deleted_story_leaves_the_feed_at_once(self, client, cast, status):
        story = make_story(cast.camille, title="Going away")
        make_story(cast.camille, title="Staying")
        client.force_login(cast.hugo)
        assert "Going away" in feed(client)
        services.story_set_status(story=story, status=status)
        page = feed(client)
        assert "Going away" not in page and "Staying" in page
        assert "Going away" not in feed(client, "/stories/?sort=new&page=1")

    def test_a_new_story_is_first_in_new_at_once(self, client, cast):
        make_story(cast.camille, title="Earlier")
        client.force_login(cast.hugo)
        assert "Earlier" in feed(client)  # the page is now cached
        make_story(cast.lea, title="Just now")
        assert client.get("/stories/?sort=new").context["stories"][0].title == "Just now"

    def test_votes_reorder_the_hot_feed_at_once(self, client, cast):
        older = make_story(cast.camille, title="Older")
        five_hours_ago = timezone.now() - timedelta(hours=5)
        score = hot_score(votes=0, voter_stores=0, tried_stores=0, published_at=five_hours_ago)
        Story.objects.filter(pk=older.pk).update(published_at=five_hours_ago, hot_score=score)
        make_story(cast.camille, title="Newer")
        client.force_login(cast.hugo)
        assert [s.title for s in client.get("/stories/").context["stories"]] == ["Newer", "Older"]
        for person in (cast.hugo, cast.lea, cast.julien):
            services.vote_set(user=person, story=older, voted=True)
        assert [s.title for s in client.get("/stories/").context["stories"]] == ["Older", "Newer"]

    def test_each_filter_and_page_is_a_list_of_its_own(self, client, cast):
        make_story(cast.camille, title="An attention", kind="attention")
        make_story(cast.camille, title="A story", kind="story")
        client.force_login(cast.hugo)
        assert "A story" in feed(client, "/stories/")
        page = feed(client, "/stories/?kind=attention")
        assert "An attention" in page and "A story" not in page
        assert "An attention" not in feed(client, "/stories/?kind=story")

    def test_an_administrator_restoring_a_story_brings_it_back_at_once(self, client, cast):
        story = make_story(cast.camille, title="Back again")
        services.story_set_status(story=story, status="deleted")
        client.force_login(cast.admin)
        assert "Back again" not in feed(client)
        changelist = reverse("admin:stories_story_changelist")
        form = {"action": "restore", "_selected_action": [story.pk]}
        assert client.post(changelist, form).status_code == 302
        assert "Back again" in feed(client)

    def test_the_filter_form_shows_the_chosen_filters_and_new_pillars(self, client, cast):
        make_pillar(slug="be-positive", name="Be positive")
        client.force_login(cast.hugo)
        assert 'value="week" selected' in feed(client, "/stories/?period=week")
        page = feed(client, "/stories/?period=month&pillar=be-positive")
        assert 'value="month" selected' in page and 'value="be-positive" selected' in page
        assert 'value="week" selected' not in page
        client.force_login(cast.admin)
        form = {"name": "Take charge", "name_fr": "Prendre les choses en main", "slug": "take-charge", "order": 3}
        assert client.post(reverse("admin:stories_pillar_add"), form).status_code == 302
        assert 'value="take-charge"' in feed(client, "/stories/?period=week")
        french = client.get("/stories/?period=week", headers={"accept-language": "fr"}).content.decode()
        assert "Prendre les choses en main" in french and "Cette semaine" in french

    def test_a_french_reader_gets_french_cards_after_an_english_one(self, client, cast):
        make_story(cast.camille, title="Bilingual", tags=["pluie"])
        client.force_login(cast.hugo)
        english = card_of(feed(client), "Bilingual")
        assert "by Camille Martin" in english and "Service story" in english and "0 comments" in english
        french_reader = Client()
        french_reader.force_login(cast.lea)
        french_reader.cookies["django_language"] = "fr"
        french = card_of(feed(french_reader), "Bilingual")
        assert "par Camille Martin" in french and "Histoire de service" in french and "0 commentaire" in french
        assert "Utile" in french
        assert "by Camille Martin" in card_of(feed(client), "Bilingual")

    def test_the_age_is_up_to_date(self, client, cast, monkeypatch):
        make_story(cast.camille, title="Aging")
        client.force_login(cast.hugo)
        assert "0\xa0minutes" in card_of(feed(client), "Aging")
        now = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: now() + timedelta(hours=3, minutes=5))  # time passes, nothing else
        assert "3\xa0hours, 5\xa0minutes" in card_of(feed(client), "Aging")

    def test_each_reader_gets_their_own_csrf_token_and_way_back(self, cast):
        story = make_story(cast.camille, title="Protected")
        first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
        first.force_login(cast.hugo)
        second.force_login(cast.lea)
        feed(first, "/stories/?sort=new&kind=story")
        card = card_of(feed(second, "/stories/?sort=new"), "Protected")
        assert 'name="next" value="/stories/?sort=new"' in card
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', card).group(1)
        form = {"voted": "1", "csrfmiddlewaretoken": token, "next": "/stories/?sort=new"}
        response = second.post(reverse("stories:vote", args=[story.pk]), form)
        assert response.status_code == 302
        assert response["Location"] == "/stories/?sort=new"
        assert "fragment-" not in card

    def test_a_guestbook_shows_the_same_cards(self, client, cast):
        entry = make_story(cast.camille, title="Guestbook entry", kind="guestbook")
        client.force_login(cast.hugo)
        page = client.get(reverse("stories:store", args=["paris-opera"])).content.decode()
        assert "0 votes" in card_of(page, "Guestbook entry")
        vote(client, entry)
        page = client.get(reverse("stories:store", args=["paris-opera"])).content.decode()
        assert 'aria-pressed="true"' in card_of(page, "Guestbook entry")

    def test_the_feed_and_a_story_page_work_when_the_cache_is_down(self, client, cast, settings):
        story = make_story(cast.camille, title="Still here")
        settings.CACHES = {
            "default": {
                "BACKEND": "config.cache.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            }
        }
        client.force_login(cast.hugo)
        response = client.get("/stories/")
        assert response.status_code == 200
        assert "Still here" in response.content.decode()
        vote(client, story)
        assert 'aria-pressed="true"' in card_of(feed(client), "Still here")
        assert "Still here" in client.get(story.get_absolute_url()).content.decode()


class StoryBodyTests:
    def test_an_edit_shows_at_once_on_the_story_page(self, client, cast):
        story = make_story(cast.camille, title="Before", body="Old text", tags=["rain"])
        client.force_login(cast.hugo)
        page = client.get(story.get_absolute_url()).content.decode()
        assert "Old text" in page and "#rain" in page
        assert len(cached_keys("body")) == 1
        services.story_update(
            story=story,
            editor=cast.camille,
            kind="story",
            title="After",
            body="New text",
            pillar=None,
            tags=["sun"],
            language="en",
        )
        page = client.get(story.get_absolute_url()).content.decode()
        assert "New text" in page and "#sun" in page
        assert "Old text" not in page and "#rain" not in page

    def test_votes_and_comments_show_at_once_on_the_story_page(self, client, cast):
        story = make_story(cast.camille, title="Page")
        other = Client()
        other.force_login(cast.lea)
        client.force_login(cast.hugo)
        assert "0 votes" in client.get(story.get_absolute_url()).content.decode()
        assert "0 votes" in other.get(story.get_absolute_url()).content.decode()
        vote(client, story)
        client.post(reverse("stories:comment-new", args=[story.pk]), {"body": "Fresh comment"})
        mine = client.get(story.get_absolute_url()).content.decode()
        assert 'aria-pressed="true"' in mine and "1 vote" in mine and "Fresh comment" in mine
        theirs = other.get(story.get_absolute_url()).content.decode()
        assert 'aria-pressed="false"' in theirs and "1 vote" in theirs and "Fresh comment" in theirs

    def test_every_change_to_the_discussion_shows_at_once(self, client, cast):
        story = make_story(cast.camille, title="Talked about")
        client.force_login(cast.lea)

        def page() -> str:
            return client.get(story.get_absolute_url()).content.decode()

        assert "No comment yet" in page() and "No store has tried it yet" in page()
        comment = services.comment_add(author=cast.hugo, story=story, body="First words")
        assert "First words" in page()
        services.comment_edit(comment=comment, body="Second thoughts")
        assert "Second thoughts" in page() and "First words" not in page()
        services.comment_set_status(comment=comment, status="hidden")
        assert "Second thoughts" not in page()
        services.tried_record(user=cast.hugo, story=story, outcome="Customers loved it")
        assert "Lyon Bellecour" in page() and "Customers loved it" in page()
        services.tried_record(user=cast.hugo, story=story, outcome="Still loved")
        assert "Still loved" in page()

    def test_a_hidden_story_shows_its_warning_and_then_leaves(self, client, cast):
        story = make_story(cast.camille, title="Moderated")
        client.force_login(cast.julien)
        assert "This story is hidden" not in client.get(story.get_absolute_url()).content.decode()
        client.post(reverse("stories:hide", args=[story.pk]))
        assert "This story is hidden" in client.get(story.get_absolute_url()).content.decode()
        reader = Client()
        reader.force_login(cast.hugo)
        assert reader.get(story.get_absolute_url()).status_code == 404

    def test_a_french_reader_gets_the_french_page_after_an_english_one(self, client, cast):
        story = make_story(cast.camille, title="Bilingual page", kind="attention")
        client.force_login(cast.hugo)
        assert "by Camille Martin" in client.get(story.get_absolute_url()).content.decode()
        french_reader = Client()
        french_reader.force_login(cast.lea)
        french_reader.cookies["django_language"] = "fr"
        page = french_reader.get(story.get_absolute_url()).content.decode()
        assert "par Camille Martin" in page and "by Camille Martin" not in page

    def test_the_comment_form_keeps_its_label_help_and_errors(self, client, cast):
        story = make_story(cast.camille)
        client.force_login(cast.hugo)
        page = client.get(story.get_absolute_url()).content.decode()
        assert '<label class="form-label" for="id_body">Your comment</label>' in page
        assert 'aria-describedby="id_body_helptext"' in page
        response = client.post(reverse("stories:comment-new", args=[story.pk]), {"body": "   "})
        page = response.content.decode()
        assert 'aria-invalid="true"' in page and "Write something before sending." in page
        assert 'aria-describedby="id_body_helptext id_body_error"' in page
        typed = client.post(reverse("stories:comment-new", args=[story.pk]), {"body": "x" * 3001})
        assert "x" * 3001 + "</textarea>" in typed.content.decode()  # what was typed stays, with its error
        french = client.get(story.get_absolute_url(), headers={"accept-language": "fr"}).content.decode()
        assert '<label class="form-label" for="id_body">Votre commentaire</label>' in french
        assert '<label class="form-label" for="id_body">Your comment</label>' in page_of(client, story)


class StoryPageTests:
    """The content of a story page is shared by readers who see it alike, and each reader sees their own side."""

    @staticmethod
    def reader(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def test_readers_who_see_it_alike_share_one_entry(self, cast):
        story = make_story(cast.camille, title="Shared page")
        nina = make_user("nina", store=cast.lyon, role=roles.STAFF)
        first = page_of(self.reader(cast.hugo), story)
        second = page_of(self.reader(nina), story)
        assert len(cached_keys("page")) == 1
        assert "We tried it at Lyon Bellecour" in first and "We tried it at Lyon Bellecour" in second
        page_of(self.reader(cast.lea), story)  # another store: another entry
        assert len(cached_keys("page")) == 2
        assert "We tried it at Paris Marais" in page_of(self.reader(cast.lea), story)

    def test_the_author_the_curator_and_a_colleague_each_see_their_own_buttons(self, cast):
        story = make_story(cast.camille, title="Buttons")
        people = (cast.camille, cast.julien, cast.hugo)
        author, curator, colleague = (page_of(self.reader(user), story) for user in people)
        edit = reverse("stories:edit", args=[story.pk])
        hide = reverse("stories:hide", args=[story.pk])
        assert edit in author and edit in curator and edit not in colleague
        assert hide in curator and hide not in author and hide not in colleague
        assert 'name="voted"' not in author and 'name="voted"' in colleague
        assert reverse("stories:flag", args=[story.pk]) in colleague
        assert reverse("stories:flag", args=[story.pk]) not in author

    def test_what_most_readers_of_a_store_see_is_never_served_to_one_who_sees_more(self, cast):
        story = make_story(cast.camille, title="Slot")
        nina = make_user("nina", store=cast.lyon, role=roles.STAFF)
        page_of(self.reader(cast.hugo), story)  # a plain reader in Lyon: the slot for Lyon readers
        curator = page_of(self.reader(cast.julien), story)  # in Lyon too, but a curator
        assert reverse("stories:hide", args=[story.pk]) in curator
        voter = self.reader(nina)
        vote(voter, story)
        assert 'aria-pressed="true"' in page_of(voter, story)
        assert 'aria-pressed="false"' in page_of(self.reader(cast.hugo), story)
        assert reverse("stories:hide", args=[story.pk]) not in page_of(self.reader(cast.hugo), story)

    def test_a_store_that_tried_the_idea_no_longer_gets_the_form(self, cast):
        story = make_story(cast.camille, title="Tried")
        hugo, julien = self.reader(cast.hugo), self.reader(cast.julien)
        assert "We tried it at Lyon Bellecour" in page_of(julien, story)
        hugo.post(reverse("stories:tried", args=[story.pk]), {"outcome": "Loved it"})
        page = page_of(julien, story)  # same store as hugo
        assert "Loved it" in page and "We tried it at Lyon Bellecour" not in page
        assert "We tried it at Paris Marais" in page_of(self.reader(cast.lea), story)

    def test_stores_that_tried_the_idea_share_the_page_again(self, cast):
        story = make_story(cast.camille, title="Tried everywhere")
        for user in (cast.hugo, cast.lea):
            self.reader(user).post(reverse("stories:tried", args=[story.pk]), {"outcome": ""})
        first, second = page_of(self.reader(cast.hugo), story), page_of(self.reader(cast.lea), story)
        assert "We tried it at" not in first and "We tried it at" not in second
        assert len(cached_keys("page")) == 1

    def test_only_the_author_of_a_comment_may_edit_it_on_the_shared_page(self, cast):
        story = make_story(cast.camille, title="Discussed")
        hugo, lea = self.reader(cast.hugo), self.reader(cast.lea)
        page_of(lea, story)
        hugo.post(reverse("stories:comment-new", args=[story.pk]), {"body": "Mine"})
        comment = story.comments.get()
        edit = reverse("stories:comment-edit", args=[comment.pk])
        assert edit in page_of(hugo, story)
        theirs = page_of(lea, story)
        assert "Mine" in theirs and edit not in theirs
        assert reverse("stories:comment-flag", args=[story.pk, comment.pk]) in theirs

    def test_how_long_ago_a_comment_was_written_is_up_to_date(self, client, cast, monkeypatch):
        story = make_story(cast.camille, title="Aging comment")
        client.force_login(cast.hugo)
        client.post(reverse("stories:comment-new", args=[story.pk]), {"body": "Old news"})
        lea = self.reader(cast.lea)
        assert "0\xa0minutes" in page_of(lea, story)
        later = timedelta(hours=2, minutes=1)  # time passes, nothing else: for the page and for the timesince filter

        class AnyDatetime(type):
            def __instancecheck__(cls, value):
                return isinstance(value, datetime.datetime)

        class Later(datetime.datetime, metaclass=AnyDatetime):
            @classmethod
            def now(cls, tz=None):
                return datetime.datetime.now(tz) + later

        now = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: now() + later)
        monkeypatch.setattr(django_timesince, "datetime", SimpleNamespace(datetime=Later))
        assert "2\xa0hours, 1\xa0minute" in page_of(lea, story)

    def test_a_draft_standard_it_inspired_shows_to_curators_only(self, cast):
        story = make_story(cast.camille, title="Inspiring")
        standard = make_standard(cast.julien, title="Draft rule", publish=False)
        practices_services.story_promote(story=story, curator=cast.julien, standard=standard, publish=False)
        assert "Draft rule" in page_of(self.reader(cast.julien), story)
        assert "Draft rule" not in page_of(self.reader(cast.hugo), story)
        practices_services.standard_publish(standard=standard, editor=cast.julien)
        assert "Draft rule" in page_of(self.reader(cast.hugo), story)

    def test_each_reader_gets_their_own_token_and_it_works(self, cast):
        story = make_story(cast.camille, title="Tokens")
        first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
        first.force_login(cast.hugo)
        second.force_login(cast.julien)
        page_of(first, story)
        page = page_of(second, story)
        token = re.search(r'action="/stories/\d+/comments/".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S)
        form = {"body": "With my own token", "csrfmiddlewaretoken": token.group(1)}
        assert second.post(reverse("stories:comment-new", args=[story.pk]), form).status_code == 302
        assert "fragment-" not in page

    def test_a_hidden_story_is_never_kept(self, cast):
        story = make_story(cast.camille, title="Hidden page")
        services.story_set_status(story=story, status="hidden")
        assert "This story is hidden" in page_of(self.reader(cast.julien), story)
        assert cached_keys("page") == []


class CacheRoundTripTests:
    """A warm page reads the cache once for most readers, twice for those who see it their own way."""

    @pytest.fixture
    def reads(self, monkeypatch):
        calls = []
        get_many = cache.get_many

        def counted(keys, *args, **kwargs):
            calls.append(list(keys))
            return get_many(keys, *args, **kwargs)

        monkeypatch.setattr(cache, "get_many", counted)
        return calls

    @staticmethod
    def path(page: str, story: Story) -> str:
        return "/stories/" if page == "feed" else story.get_absolute_url()

    @pytest.mark.parametrize("page", ["feed", "story"])
    def test_a_reader_who_has_not_voted_reads_the_cache_once(self, client, cast, reads, page):
        story = make_story(cast.camille, title="Round trips")
        lea = Client()
        lea.force_login(cast.lea)
        lea.get(self.path(page, story))  # another reader who sees it the same way
        client.force_login(cast.hugo)
        client.get(self.path(page, story))
        reads.clear()
        assert "Round trips" in client.get(self.path(page, story)).content.decode()
        # The person's permissions and unread count, the header and footer, the rows, my
        # votes, and the page's cards (feed) or content (story) as most readers see it.
        assert len(reads) == 1
        assert any(key.startswith("chrome:") for key in reads[0]) and any("permissions" in key for key in reads[0])

    def test_a_search_keeps_no_slot(self, client, cast, reads):
        make_story(cast.camille, title="Umbrella")
        client.force_login(cast.hugo)
        client.get("/stories/?q=umbrella")
        assert cached_keys("cards-slot") == []
        assert "Umbrella" in client.get("/stories/?q=umbrella").content.decode()

    @pytest.mark.parametrize("page", ["feed", "story"])
    def test_a_voter_reads_the_cache_once_from_their_own_slot(self, client, cast, reads, page):
        story = make_story(cast.camille, title="Round trips")
        client.force_login(cast.hugo)
        vote(client, story)
        assert 'aria-pressed="true"' in client.get(self.path(page, story)).content.decode()
        reads.clear()
        assert 'aria-pressed="true"' in client.get(self.path(page, story)).content.decode()
        assert len(reads) == 1  # the page as this voter sees it comes from their own slot, read with the rest
        other = Client()
        other.force_login(cast.lea)
        assert 'aria-pressed="false"' in other.get(self.path(page, story)).content.decode()


class AgeBucketTests:
    def test_the_bucket_changes_whenever_the_text_does(self):
        published = timezone.now().replace(microsecond=0) - timedelta(days=800)
        # Every minute over two days, every hour over two months, every day over three years.
        steps = (
            [timedelta(minutes=m) for m in range(0, 2 * 24 * 60)]
            + [timedelta(hours=h) for h in range(24, 62 * 24)]
            + [timedelta(days=d) for d in range(7, 3 * 365)]
        )
        seen: dict[tuple, str] = {}
        with override("en"):
            for step in steps:
                for jitter in (timedelta(0), timedelta(seconds=59)):
                    now = published + step + jitter
                    bucket, text = age_bucket(published, now), timesince(published, now)
                    assert seen.setdefault(bucket, text) == text, (step, jitter)


class StoryRowTests:
    """The story page's story comes from the cache; everything that changes what it shows reaches it at once."""

    def page(self, client, story) -> str:
        return client.get(story.get_absolute_url()).content.decode()

    def test_an_edit_changes_the_page_title(self, client, cast):
        story = make_story(cast.camille, title="First title")
        client.force_login(cast.hugo)
        assert "<title>First title" in self.page(client, story)
        services.story_update(
            story=story, editor=cast.camille, kind="story", title="Second title", body="Text", pillar=None,
            tags=[], language="en",
        )  # fmt: skip
        assert "<title>Second title" in self.page(client, story)

    def test_hiding_a_story_takes_it_away_from_readers_at_once(self, client, cast):
        story = make_story(cast.camille, title="Soon hidden")
        client.force_login(cast.hugo)
        assert client.get(story.get_absolute_url()).status_code == 200
        services.story_set_status(story=story, status="hidden")
        assert client.get(story.get_absolute_url()).status_code == 404
        services.story_set_status(story=story, status="published")
        assert client.get(story.get_absolute_url()).status_code == 200

    def test_each_reader_sees_their_own_vote(self, client, cast):
        story = make_story(cast.camille, title="Voted")
        other = Client()
        other.force_login(cast.lea)
        client.force_login(cast.hugo)
        self.page(client, story)
        vote(client, story)
        assert 'aria-pressed="true"' in self.page(client, story)
        theirs = self.page(other, story)
        assert 'aria-pressed="false"' in theirs and "1 vote" in theirs

    def test_the_standard_it_inspired_shows_and_follows_its_title(self, client, cast):
        story = make_story(cast.camille, title="Inspiring")
        client.force_login(cast.hugo)
        assert "This story inspired" not in self.page(client, story)
        standard = make_standard(cast.julien, title="Lend umbrellas")
        practices_services.story_promote(story=story, curator=cast.julien, standard=standard)
        assert "Lend umbrellas" in self.page(client, story)
        practices_services.standard_update(
            standard=standard, editor=cast.julien, title="Lend umbrellas freely", summary=standard.summary,
            practice=standard.practice, why=standard.why, pillar=None, tags=[], change_note="Clearer",
        )  # fmt: skip
        assert "Lend umbrellas freely" in self.page(client, story)

    def test_a_referent_named_or_removed_shows_on_their_story_pages_at_once(self, client, cast):
        pillar = make_pillar(slug="be-positive", name="Be positive")
        story = make_story(cast.hugo, title="Hugo's page")
        client.force_login(cast.lea)
        assert ">Referent</span>" not in self.page(client, story)
        referent = referent_name(person=cast.hugo, pillar=pillar, region=cast.lyon.region, curator=cast.julien)
        assert ">Referent</span>" in self.page(client, story)
        referent_remove(referent=referent)
        assert ">Referent</span>" not in self.page(client, story)

    def test_an_administrator_restoring_a_story_brings_its_page_back(self, client, cast):
        story = make_story(cast.camille, title="Restored page")
        client.force_login(cast.admin)
        assert client.get(story.get_absolute_url()).status_code == 200
        services.story_set_status(story=story, status="deleted")
        changelist = reverse("admin:stories_story_changelist")
        assert client.post(changelist, {"action": "restore", "_selected_action": [story.pk]}).status_code == 302
        client.force_login(cast.hugo)
        assert "Restored page" in self.page(client, story)

    def test_deleting_a_pillar_ends_the_referent_mark_on_story_pages_at_once(self, client, cast):
        pillar = make_pillar(slug="be-positive", name="Be positive")
        story = make_story(cast.hugo, title="Hugo's page")
        referent_name(person=cast.hugo, pillar=pillar, region=cast.lyon.region, curator=cast.julien)
        client.force_login(cast.admin)
        assert ">Referent</span>" in self.page(client, story)
        delete = reverse("admin:stories_pillar_delete", args=[pillar.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 302
        assert ">Referent</span>" not in self.page(client, story)

    def test_the_cached_discussion_holds_no_password_or_e_mail(self, client, cast):
        story = make_story(cast.camille, title="Discussed")
        services.comment_add(author=cast.hugo, story=story, body="Hello")
        comments, _tries, _version = story_discussion(story)
        assert {"password", "email"} <= comments[0].author.get_deferred_fields()


class CacheFailureTests:
    def test_a_hanging_cache_is_left_alone_after_one_failure(self, client, cast, settings, monkeypatch):
        """A Redis that accepts connections and never answers: one attempt, then pages go without it."""
        monkeypatch.setattr(config.cache, "PAUSE_AFTER_FAILURE", 600)  # however slow this machine is today
        attempts = []
        server = socket.create_server(("127.0.0.1", 0))
        server.settimeout(0.1)

        def accept() -> None:
            held = []
            while not stop.is_set():
                try:
                    held.append(server.accept()[0])  # and never answer
                    attempts.append(1)
                except TimeoutError:
                    continue

        stop = threading.Event()
        thread = threading.Thread(target=accept)
        thread.start()
        try:
            port = server.getsockname()[1]
            settings.CACHES = {
                "default": {
                    "BACKEND": "config.cache.RedisCache",
                    "LOCATION": f"redis://127.0.0.1:{port}/0",
                    "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
                }
            }
            story = make_story(cast.camille, title="Still served")
            client.force_login(cast.hugo)
            for _ in range(3):
                assert "Still served" in feed(client)
                assert client.get(story.get_absolute_url()).status_code == 200
        finally:
            stop.set()
            thread.join()
            server.close()
        assert len(attempts) == 1  # six pages, about twenty cache calls each, one connection tried
