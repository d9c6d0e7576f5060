from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region, Store
from stories.guestbook import exchanged_store
from stories.models import Story, hot_score
from tests.conftest import make_user
from tests.factories import jpeg_upload, make_pillar, make_story

pytestmark = pytest.mark.django_db


def make_stories(author, count: int, **kw) -> list[Story]:
    pillar = make_pillar()
    return [
        make_story(author, title=f"Story {i}", tags=["pluie", f"t{i}"], pillar=pillar,
                   photos=[jpeg_upload(size=(16, 16))] if i % 2 else [], **kw)
        for i in range(count)
    ]  # fmt: skip


class HotRankingTests:
    def test_a_fresh_story_with_a_few_votes_beats_an_old_one_with_many(self):
        now = timezone.now()
        fresh = hot_score(votes=3, voter_stores=2, tried_stores=0, published_at=now)
        old = hot_score(votes=200, voter_stores=10, tried_stores=2, published_at=now - timedelta(days=4))
        assert fresh > old

    def test_support_from_several_stores_beats_many_votes_from_one(self):
        now = timezone.now()
        broad = hot_score(votes=5, voter_stores=5, tried_stores=0, published_at=now)
        narrow = hot_score(votes=10, voter_stores=1, tried_stores=0, published_at=now)
        assert broad > narrow

    def test_a_store_trying_the_idea_counts_more_than_a_vote(self):
        now = timezone.now()
        tried = hot_score(votes=1, voter_stores=1, tried_stores=1, published_at=now)
        voted = hot_score(votes=3, voter_stores=1, tried_stores=0, published_at=now)
        assert tried > voted

    def test_the_feed_sorts_by_the_stored_score(self, client, cast):
        old = make_story(cast.camille, title="Old and loved")
        Story.objects.filter(pk=old.pk).update(
            vote_count=50,
            published_at=timezone.now() - timedelta(days=5),
            hot_score=hot_score(
                votes=50, voter_stores=1, tried_stores=0, published_at=timezone.now() - timedelta(days=5)
            ),
        )
        make_story(cast.hugo, title="Fresh")
        client.force_login(cast.lea)
        hot = [s["title"] for s in client.get("/stories/?sort=hot").context["stories"]]
        top = [s["title"] for s in client.get("/stories/?sort=top").context["stories"]]
        new = [s["title"] for s in client.get("/stories/?sort=new").context["stories"]]
        assert hot == ["Fresh", "Old and loved"]
        assert top == ["Old and loved", "Fresh"]
        assert new == ["Fresh", "Old and loved"]


class FeedTests:
    @pytest.mark.parametrize("count", [1, 25])
    def test_the_feed_makes_the_same_queries_for_1_or_25_stories(self, client, cast, count, django_assert_num_queries):
        make_stories(cast.camille, count)
        client.force_login(cast.hugo)
        # session, user (with their store), permissions and unread count (one query), the page's story
        # ids, their cards (values, tags, cover and my vote in one query), pillars for the filter.
        # The same whether the cards come from the cache (the second time) or not.
        for _ in range(2):
            with django_assert_num_queries(6):
                response = client.get("/stories/")
            assert len(response.context["stories"]) == min(count, 20)
            assert response.content.decode().count('<article class="story-card') == min(count, 20)

    def test_filters_narrow_the_feed(self, client, cast):
        pillar = make_pillar(slug="be-positive", name="Be positive")
        make_story(cast.camille, title="Paris attention", kind="attention", pillar=pillar, tags=["pluie"])
        make_story(cast.hugo, title="Lyon story", kind="story", tags=["parking"])
        client.force_login(cast.lea)

        def titles(query: str) -> list[str]:
            return sorted(s["title"] for s in client.get(f"/stories/?{query}").context["stories"])

        assert titles("kind=attention") == ["Paris attention"]
        assert titles("pillar=be-positive") == ["Paris attention"]
        assert titles("store=lyon-bellecour") == ["Lyon story"]
        assert titles("region=ile-de-france") == ["Paris attention"]
        assert titles("tag=parking") == ["Lyon story"]
        assert titles("q=lyon") == ["Lyon story"]
        assert titles("period=week") == ["Lyon story", "Paris attention"]

    @pytest.mark.parametrize(
        "query",
        [
            "sort=sideways&period=forever&kind=poem&pillar=nope&page=-3",
            "page=abc",
            "page=99999999999999999999",
            "q=%00",
            "q=' OR 1=1 --",
            "q=" + "x" * 5000,
            "tag=%00&store=%00",
            "q=%F0%9F%98%80",
        ],
    )
    def test_hostile_queries_get_a_normal_page(self, client, cast, query):
        make_story(cast.camille)
        client.force_login(cast.hugo)
        # A control character in any query string is a 400 (config.middleware), never a 500.
        assert client.get(f"/stories/?{query}").status_code == (400 if "%00" in query else 200)

    def test_a_value_that_names_no_pillar_falls_back_like_any_other(self, client, cast):
        pillar = make_pillar(slug="be-positive", name="Be positive")
        make_story(cast.camille, title="Positive", pillar=pillar)
        make_story(cast.camille, title="Other")
        client.force_login(cast.hugo)

        def titles() -> list[str]:
            return sorted(s["title"] for s in client.get("/stories/?pillar=be-positive").context["stories"])

        assert titles() == ["Positive"]
        pillar.slug = "positive"  # a query string that named a row is read again: never stale
        pillar.save()
        assert titles() == ["Other", "Positive"]

    def test_pages_follow_without_counting(self, client, cast):
        make_stories(cast.camille, 21)
        client.force_login(cast.hugo)
        first = client.get("/stories/?sort=new&kind=story")
        second = client.get("/stories/?sort=new&kind=story&page=2")
        assert first.context["has_next"] and not second.context["has_next"]
        assert len(second.context["stories"]) == 1
        # The links keep the filters.
        assert 'rel="next" href="?sort=new&amp;kind=story&amp;page=2"' in first.content.decode()
        assert 'rel="prev" href="?sort=new&amp;kind=story&amp;page=1"' in second.content.decode()
        assert 'rel="prev"' not in first.content.decode() and 'rel="next"' not in second.content.decode()

    def test_htmx_gets_only_the_list(self, client, cast):
        make_story(cast.camille, title="Only the list")
        client.force_login(cast.hugo)
        response = client.get("/stories/?sort=new", headers={"HX-Request": "true"})
        page = response.content.decode()
        assert "Only the list" in page
        assert "<html" not in page

    def test_hidden_and_deleted_stories_stay_out(self, client, cast):
        make_story(cast.camille, title="Visible")
        Story.objects.filter(pk=make_story(cast.camille, title="Hidden").pk).update(status="hidden")
        Story.objects.filter(pk=make_story(cast.camille, title="Deleted").pk).update(status="deleted")
        client.force_login(cast.hugo)
        assert [s["title"] for s in client.get("/stories/").context["stories"]] == ["Visible"]

    def test_the_home_page_is_the_feed(self, client, cast):
        make_story(cast.camille, title="On the home page")
        client.force_login(cast.hugo)
        assert "On the home page" in client.get("/").content.decode()


class StorePageTests:
    @pytest.mark.parametrize("count", [1, 25])
    def test_the_store_page_makes_the_same_queries_for_1_or_25_entries(
        self, client, cast, count, django_assert_num_queries
    ):
        make_stories(cast.camille, count, kind="guestbook")
        make_stories(cast.hugo, count, kind="guestbook")
        # Someone who may not write here (Lyon's staff may, the weeks Lyon borrows this guestbook: the form
        # then reads the pillars and tags, as for the store's own staff).
        client.force_login(make_user("siege", store=None, role="Staff"))
        # session, user (with store), permissions and unread count, store, entries' ids, all stores
        # (exchange and borrowing), partner's entries' ids, both lists' cards (one query); cached cards or not.
        for _ in range(2):
            with django_assert_num_queries(8):
                response = client.get(reverse("stories:store", args=["paris-opera"]))
            assert len(response.context["entries"]) == min(count, 20)

    def test_staff_write_in_their_own_store_guestbook(self, client, cast):
        client.force_login(cast.camille)
        response = client.post(
            reverse("stories:guestbook-write", args=["paris-opera"]),
            {"title": "Idea for the window", "body": "Put the umbrellas near the door.", "language": "en"},
        )
        assert response.status_code == 302
        entry = Story.objects.get()
        assert (entry.kind, entry.store) == ("guestbook", cast.paris)

    def test_nobody_writes_in_another_store_guestbook(self, client, cast):
        # Lyon borrows one of the two Paris guestbooks this week (tests/stories/test_guestbook_borrowing.py):
        # the other one is closed to its staff.
        borrowed = exchanged_store(cast.lyon, timezone.localdate())
        other = cast.marais if borrowed == cast.paris else cast.paris
        client.force_login(cast.hugo)
        response = client.post(
            reverse("stories:guestbook-write", args=[other.slug]),
            {"title": "Not mine", "body": "Text", "language": "en"},
        )
        assert response.status_code == 403
        assert not Story.objects.exists()
        assert client.get(reverse("stories:store", args=[other.slug])).context["form"] is None

    def test_a_curator_writes_in_any_guestbook(self, client, cast):
        client.force_login(cast.julien)
        response = client.post(
            reverse("stories:guestbook-write", args=["paris-opera"]),
            {"title": "From the region", "body": "Text", "language": "en"},
        )
        assert response.status_code == 302
        assert Story.objects.get().store == cast.paris

    def test_a_bad_entry_keeps_the_text(self, client, cast):
        client.force_login(cast.camille)
        response = client.post(
            reverse("stories:guestbook-write", args=["paris-opera"]),
            {"title": "", "body": "Kept text", "language": "en"},
        )
        assert response.status_code == 200
        assert "Kept text" in response.content.decode()

    def test_an_unknown_store_is_404(self, client, cast):
        client.force_login(cast.camille)
        assert client.get("/stores/nowhere/").status_code == 404
        assert client.post("/stores/nowhere/guestbook/", {}).status_code == 404

    def test_the_stores_page_lists_stores_by_region(self, client, cast):
        client.force_login(cast.camille)
        page = client.get(reverse("stories:stores")).content.decode()
        assert page.index("Auvergne-Rhône-Alpes") < page.index("Lyon Bellecour") < page.index("Île-de-France")


class GuestbookExchangeTests:
    def network(self) -> list[Store]:
        north = Region.objects.create(name="North", slug="north")
        south = Region.objects.create(name="South", slug="south")
        return [
            Store.objects.create(name=f"Store {i}", slug=f"store-{i}", region=north if i < 3 else south, city="X")
            for i in range(6)
        ]

    def test_every_store_gets_another_store_from_another_region(self):
        stores = self.network()
        for store in stores:
            partner = exchanged_store(store, date(2026, 11, 23))
            assert partner.pk != store.pk
            assert partner.region_id != store.region_id

    def test_the_partner_changes_every_week_and_is_stable_within_a_week(self):
        store = self.network()[0]
        monday = date(2026, 11, 23)
        assert exchanged_store(store, monday) == exchanged_store(store, monday + timedelta(days=6))
        weeks = [exchanged_store(store, monday + timedelta(weeks=w)) for w in range(3)]
        assert len({s.pk for s in weeks}) == 3

    def test_stores_of_one_region_read_different_books_the_same_week(self):
        stores = self.network()
        partners = {exchanged_store(s, date(2026, 11, 23)).pk for s in stores[:3]}
        assert len(partners) == 3

    def test_a_single_region_network_still_swaps(self):
        region = Region.objects.create(name="Only", slug="only")
        a = Store.objects.create(name="A", slug="a", region=region, city="X")
        b = Store.objects.create(name="B", slug="b", region=region, city="X")
        assert exchanged_store(a, date(2026, 11, 23)) == b

    def test_a_lone_store_has_no_partner(self):
        region = Region.objects.create(name="Only", slug="only")
        a = Store.objects.create(name="A", slug="a", region=region, city="X")
        assert exchanged_store(a, date(2026, 11, 23)) is None
