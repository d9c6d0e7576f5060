"""Issue 16: the values behind the phone layout (excerpts, filter chips, the header's tabs and menu)."""

import pytest

from stories.pages import excerpt, filter_chips
from tests.factories import make_story

pytestmark = pytest.mark.django_db


class ExcerptTests:
    def test_plain_text_without_markdown(self):
        text = "# Rain\n\nI lent **our** umbrella to [Mrs Roux](https://example.com).\n- one\n- two"
        assert excerpt(text) == "Rain I lent our umbrella to Mrs Roux. one two"

    def test_cut_at_a_word(self):
        assert excerpt("word " * 100, chars=20) == "word word word word…"

    def test_empty(self):
        assert excerpt(None) == ""


class FilterChipTests:
    choices = {
        "sorts": [("hot", "Hot"), ("new", "New")],
        "periods": [("all", "All time"), ("week", "This week")],
        "kinds": [("", "All kinds"), ("story", "Service story")],
        "pillars": [("take-charge", "Take charge")],
    }

    def test_defaults_make_no_chip(self):
        assert filter_chips({"sort": "hot", "period": "all", "q": ""}, self.choices) == []

    def test_each_chip_removes_only_its_filter(self):
        chosen = {"sort": "new", "period": "all", "kind": "story", "tag": "rain", "q": "umbrella"}
        chips = filter_chips(chosen, self.choices)
        assert chips == [
            ("Search: umbrella", "/stories/?sort=new&kind=story&tag=rain"),
            ("New", "/stories/?q=umbrella&kind=story&tag=rain"),
            ("Service story", "/stories/?q=umbrella&sort=new&tag=rain"),
            ("Tag: rain", "/stories/?q=umbrella&sort=new&kind=story"),
        ]


class FeedPageTests:
    def test_cards_show_the_first_lines_and_tried_count(self, client, cast):
        make_story(cast.hugo, title="Umbrella", body="It rained **hard** today.")
        client.force_login(cast.camille)
        page = client.get("/stories/?kind=story").content.decode()
        assert '<p class="excerpt">It rained hard today.</p>' in page
        assert "0 stores tried it" in page
        assert 'class="chip"' in page and 'class="filter-toggle"' in page

    def test_header_tabs_and_menu(self, client, cast):
        client.force_login(cast.julien)
        page = client.get("/stories/").content.decode()
        assert 'class="tab-bar"' in page and 'href="/people/julien/" class="tab-me"' in page
        assert 'class="person-menu-list"' in page and 'href="/curation/flags/"' in page


class TriedRulesTests:
    def test_not_offered_to_the_authors_own_store_nor_on_a_guestbook(self, client, cast):
        from django.core.exceptions import PermissionDenied

        from stories import services

        own = make_story(cast.camille, title="Ours")  # Paris Opéra
        guestbook = make_story(cast.hugo, title="A thank-you", kind="guestbook")
        other = make_story(cast.hugo, title="From Lyon")
        client.force_login(cast.camille)
        assert client.get(own.get_absolute_url()).context["can_try"] is False
        assert client.get(guestbook.get_absolute_url()).context["can_try"] is False
        assert client.get(other.get_absolute_url()).context["can_try"] is True
        assert client.post(f"/stories/{own.pk}/tried/").status_code == 403
        assert client.post(f"/stories/{guestbook.pk}/tried/").status_code == 403
        with pytest.raises(PermissionDenied):
            services.tried_record(user=cast.camille, story=own)
        assert own.tries.count() == 0 and guestbook.tries.count() == 0


class ReportNotificationTests:
    def test_curators_are_told_and_the_header_counts_open_reports(self, client, cast):
        from accounts.models import Notification
        from stories import services

        story = make_story(cast.camille, title="Buy cheap coffee")
        services.flag_create(reporter=cast.hugo, story=story, reason="wrong")
        told = Notification.objects.filter(kind="report")
        assert sorted(n.recipient.username for n in told) == ["admin", "julien"]  # whoever may moderate
        assert told.first().text == "Hugo Bernard reported content on “Buy cheap coffee”."
        client.force_login(cast.julien)
        page = client.get("/stories/").content.decode()
        assert 'Reports <span class="badge text-bg-warning">1<span class="visually-hidden"> open' in page
        client.force_login(cast.camille)
        assert "open reports" not in client.get("/stories/").content.decode()


class LivelyDemoTests:
    def test_the_demo_has_votes_comments_and_tries_so_trending_and_top_differ(self):
        from io import StringIO

        from django.core.management import call_command

        from stories.models import Comment, Story, Tried, Vote

        call_command("seed_demo", verbosity=0, stdout=StringIO())
        assert Vote.objects.count() > 20 and Comment.objects.count() > 5 and Tried.objects.count() > 5
        assert not Tried.objects.filter(story__kind="guestbook").exists()
        assert not any(t.store_id == t.story.store_id for t in Tried.objects.select_related("story"))
        published = Story.objects.published()
        hot = list(published.ranked("hot").values_list("pk", flat=True))
        top = list(published.ranked("top").values_list("pk", flat=True))
        assert hot != top

    def test_the_demo_feed_s_trending_top_this_week_and_top_this_month_differ(self, client):
        from io import StringIO

        from django.core.management import call_command

        from accounts.models import User

        call_command("seed_demo", verbosity=0, stdout=StringIO())
        client.force_login(User.objects.get(username="camille"))

        def order(**query) -> list[int]:
            return [row["pk"] for row in client.get("/stories/", query).context["stories"]]

        trending, week, month = order(sort="hot"), order(sort="top", period="week"), order(sort="top", period="month")
        assert len(week) >= 3, "the demo's last week has stories to rank"
        assert trending[: len(week)] != week
        assert week != month[: len(week)] or len(month) > len(week)
        assert month != trending[: len(month)]
