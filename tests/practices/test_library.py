from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from practices.library import services
from practices.models import Standard
from stories import services as story_services
from stories.models import Story
from tests.conftest import make_user
from tests.factories import make_pillar, make_standard, make_story

pytestmark = pytest.mark.django_db

LIBRARY = reverse("practices:library")


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [standard.title for standard in response.context["standards"]]


def story_titles(response) -> list[str]:
    return [story.title for story in response.context["stories"]]


def make_standards(owner, count: int, **kw) -> list[Standard]:
    pillar = make_pillar()
    return [
        make_standard(owner, title=f"Umbrella standard {i}", pillar=pillar, tags=["pluie", f"t{i}"], **kw)
        for i in range(count)
    ]


class BrowseTests:
    def test_it_lists_published_standards_only(self, client, cast):
        make_standard(cast.julien, title="Published")
        make_standard(cast.julien, title="Draft", publish=False)
        retired = make_standard(cast.julien, title="Retired")
        services.standard_retire(standard=retired, editor=cast.julien)
        for person in [cast.camille, cast.julien]:
            client.force_login(person)
            assert titles(client.get(LIBRARY)) == ["Published"]

    def test_it_filters_by_pillar_and_tag(self, client, cast):
        positive = make_pillar(slug="be-positive", name="Be positive")
        charge = make_pillar(slug="take-charge", name="Take charge")
        make_standard(cast.julien, title="Drawing on gifts", pillar=positive, tags=["gift"])
        make_standard(cast.julien, title="Umbrellas", pillar=charge, tags=["rain", "loan"])
        make_standard(cast.julien, title="Parking warden", pillar=charge, tags=["car park"])
        client.force_login(cast.lea)
        assert titles(client.get(LIBRARY, {"pillar": "be-positive"})) == ["Drawing on gifts"]
        assert sorted(titles(client.get(LIBRARY, {"pillar": "take-charge"}))) == ["Parking warden", "Umbrellas"]
        assert titles(client.get(LIBRARY, {"tag": "car-park"})) == ["Parking warden"]
        assert titles(client.get(LIBRARY, {"pillar": "take-charge", "tag": "rain"})) == ["Umbrellas"]
        assert titles(client.get(LIBRARY, {"tag": "nothing"})) == []
        assert len(titles(client.get(LIBRARY, {"pillar": "no-such-pillar"}))) == 3  # falls back to all
        page = client.get(standard_url("Umbrellas")).content.decode()
        assert 'href="/library/?tag=rain"' in page and 'href="/library/?pillar=take-charge"' in page

    def test_it_sorts_by_newest_most_used_and_title(self, client, cast):
        old = make_standard(cast.julien, title="B old")
        used = make_standard(cast.julien, title="C used")
        make_standard(cast.julien, title="A new")
        Standard.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=30))
        Standard.objects.filter(pk=used.pk).update(published_at=timezone.now() - timedelta(days=20))
        story = make_story(cast.camille)
        services.story_promote(story=story, curator=cast.julien, standard=used)
        for person in [cast.hugo, cast.lea]:
            story_services.tried_record(user=person, story=story)
        client.force_login(cast.lea)
        assert titles(client.get(LIBRARY)) == ["A new", "C used", "B old"]
        assert titles(client.get(LIBRARY, {"sort": "new"})) == ["A new", "C used", "B old"]
        assert titles(client.get(LIBRARY, {"sort": "used"}))[0] == "C used"
        assert titles(client.get(LIBRARY, {"sort": "title"})) == ["A new", "B old", "C used"]
        assert "tried in 2 stores" in client.get(LIBRARY).content.decode()

    def test_the_most_used_sort_reads_counters_kept_on_the_standard(self, client, cast):
        first, second = make_standard(cast.julien, title="First"), make_standard(cast.julien, title="Second")
        one, two, three = (make_story(cast.camille, title=f"Story {i}") for i in range(3))
        services.story_promote(story=one, curator=cast.julien, standard=first)
        services.story_promote(story=two, curator=cast.julien, standard=second)
        services.story_promote(story=three, curator=cast.julien, standard=second)
        story_services.tried_record(user=cast.hugo, story=one)
        client.force_login(cast.lea)
        assert titles(client.get(LIBRARY, {"sort": "used"})) == ["First", "Second"]  # 1 store against 0
        story_services.tried_record(user=cast.hugo, story=two)
        story_services.tried_record(user=cast.lea, story=three)
        assert titles(client.get(LIBRARY, {"sort": "used"})) == ["Second", "First"]  # 2 against 1
        assert list(Standard.objects.order_by("title").values_list("source_count", "tried_total")) == [(1, 1), (2, 2)]

    @pytest.mark.parametrize("query", ["sort=nonsense", "sort=", "sort=title;DROP", "page=x", "page=-3", "page=99999"])
    def test_unknown_values_fall_back_instead_of_failing(self, client, cast, query):
        make_standard(cast.julien)
        client.force_login(cast.lea)
        assert client.get(f"{LIBRARY}?{query}").status_code == 200

    def test_it_pages_through_many_standards(self, client, cast):
        make_standards(cast.julien, 25)
        client.force_login(cast.lea)
        first, second = client.get(LIBRARY, {"sort": "title"}), client.get(LIBRARY, {"sort": "title", "page": 2})
        assert len(first.context["standards"]) == 20 and first.context["next_url"]
        assert len(second.context["standards"]) == 5 and second.context["next_url"] is None
        assert second.context["prev_url"] == "?sort=title&page=1"
        assert 'href="?sort=title&amp;page=2"' in first.content.decode()

    def test_htmx_gets_the_results_only(self, client, cast):
        make_standard(cast.julien, title="Umbrellas")
        client.force_login(cast.lea)
        page = client.get(LIBRARY, {"q": "umbrellas"}, headers={"HX-Request": "true"}).content.decode()
        assert 'id="library-results"' in page and "Umbrellas" in page and "<html" not in page


def standard_url(title: str) -> str:
    return Standard.objects.get(title=title).get_absolute_url()


@pytest.fixture
def library(cast) -> None:
    """A small library in both languages, with the stories behind it."""
    owner = cast.julien
    make_standard(
        owner,
        title="Warn customers about the traffic warden",
        summary="Tell customers who parked outside before the ticket is written.",
        practice="Watch the street from the till; ask out loud who parked outside.",
        language="en",
    )
    make_standard(
        owner,
        title="Carry heavy bags to the car",
        summary="Offer to carry heavy purchases to the car park.",
        practice="Tell a colleague and take the shortest route. Mind the warden: a warden writes tickets fast.",
        language="en",
    )
    make_standard(
        owner,
        title="Prêter un parapluie les jours d'averse",
        summary="Un parapluie près de la porte, prêté sans formalité.",
        practice="Le prêter sans caution : le client le rapporte à sa prochaine visite.",
        tags=["pluie"],
        language="fr",
    )
    make_standard(
        owner,
        title="Un vélo réparé sur place",
        summary="Quand la chaîne saute devant le magasin, on la remet.",
        practice="Garder une pince et des gants à la caisse.",
        language="fr",
    )
    make_standard(
        owner,
        title="Rembourser un achat fait ailleurs",
        summary="Régler le problème du client même s'il ne vient pas de chez nous.",
        practice="Si le geste coûte peu, le faire sur place.",
        language="fr",
    )
    make_standard(owner, title="Brouillon sur le parapluie", summary="Pas encore prêt.", practice="-", publish=False)
    retired = make_standard(owner, title="Un parapluie signé", summary="Retiré.", practice="Signer le parapluie.")
    services.standard_retire(standard=retired, editor=owner)
    make_story(cast.camille, title="Des parapluies à prêter", body="Il pleuvait : on a prêté un parapluie.")
    make_story(cast.hugo, title="A warden outside", body="I warned everyone who had parked outside.")


class SearchTests:
    def search(self, client, q: str):
        return client.get(LIBRARY, {"q": q})

    @pytest.mark.parametrize(
        ("q", "first"),
        [
            ("warden", "Warn customers about the traffic warden"),
            ("Traffic", "Warn customers about the traffic warden"),
            ("heavy bags", "Carry heavy bags to the car"),
            ("averse", "Prêter un parapluie les jours d'averse"),
        ],
    )
    def test_a_word_from_the_title_finds_the_standard_first(self, client, cast, library, q, first):
        client.force_login(cast.lea)
        assert titles(self.search(client, q))[0] == first

    def test_a_title_word_ranks_above_the_same_word_said_twice_in_another_text(self, client, cast):
        make_standard(cast.julien, title="Lend an umbrella", summary="Keep a few by the door.", practice="No form.")
        make_standard(
            cast.julien,
            title="Greet customers at the door",
            summary="Say hello within ten seconds.",
            practice="Point to the umbrella stand, and take their umbrella when it rains.",
        )
        client.force_login(cast.lea)
        assert titles(self.search(client, "umbrella")) == ["Lend an umbrella", "Greet customers at the door"]

    @pytest.mark.parametrize(
        ("q", "first"),
        [
            ("reparer", "Un vélo réparé sur place"),
            ("répare", "Un vélo réparé sur place"),
            ("PRETER", "Prêter un parapluie les jours d'averse"),
            ("regler probleme", "Rembourser un achat fait ailleurs"),
        ],
    )
    def test_accents_and_case_are_ignored(self, client, cast, library, q, first):
        client.force_login(cast.lea)
        assert titles(self.search(client, q))[0] == first

    def test_a_plural_finds_the_singular(self, client, cast, library):
        client.force_login(cast.lea)
        assert titles(self.search(client, "parapluies")) == ["Prêter un parapluie les jours d'averse"]
        assert titles(self.search(client, "customer")) == ["Warn customers about the traffic warden"]

    def test_a_word_misspelt_by_a_letter_finds_the_standard_first(self, client, cast, library):
        # Both engines promise spelling tolerance for standards (SQLite scores them in Python).
        client.force_login(cast.lea)
        assert titles(self.search(client, "parapluyes"))[0] == "Prêter un parapluie les jours d'averse"
        assert titles(self.search(client, "wardon"))[0] == "Warn customers about the traffic warden"

    def test_stories_tolerate_a_misspelling_too(self, client, cast, library):
        # Both engines: the lexicon gives the close spelling (trigram index on PostgreSQL, difflib on SQLite)
        client.force_login(cast.lea)
        assert story_titles(self.search(client, "parapluyes")) == ["Des parapluies à prêter"]

    def test_on_postgresql_words_are_stemmed(self, client, cast, library):
        if connection.vendor != "postgresql":
            pytest.skip("SQLite has no stemmer")
        client.force_login(cast.lea)
        assert titles(self.search(client, "remboursements"))[0] == "Rembourser un achat fait ailleurs"
        assert titles(self.search(client, "warned"))[0] == "Warn customers about the traffic warden"

    def test_every_word_must_match(self, client, cast, library):
        client.force_login(cast.lea)
        assert titles(self.search(client, "parapluie warden")) == []
        assert titles(self.search(client, "zzyzx")) == []
        assert "No standard matches this search." in self.search(client, "zzyzx").content.decode()

    def test_stories_come_in_a_second_section(self, client, cast, library):
        client.force_login(cast.lea)
        response = self.search(client, "parapluie")
        assert titles(response) == ["Prêter un parapluie les jours d'averse"]
        assert story_titles(response) == ["Des parapluies à prêter"]
        page = response.content.decode()
        # the matched word is marked: "Des <mark>parapluies</mark> à prêter"
        assert page.index('id="standards-title"') < page.index('id="stories-title"') < page.index("<mark>parapluies")
        assert "Camille Martin, Paris Opéra" in page

    def test_drafts_retired_standards_and_hidden_stories_are_never_found(self, client, cast, library):
        hidden = make_story(cast.hugo, title="Hidden parapluie", body="Un parapluie caché.")
        deleted = make_story(cast.hugo, title="Deleted parapluie", body="Un parapluie supprimé.")
        story_services.story_set_status(story=hidden, status=Story.Status.HIDDEN)
        story_services.story_set_status(story=deleted, status=Story.Status.DELETED)
        for person in [cast.hugo, cast.julien]:  # the author and a curator, who may read the hidden story
            client.force_login(person)
            response = self.search(client, "parapluie")
            assert titles(response) == ["Prêter un parapluie les jours d'averse"]
            assert story_titles(response) == ["Des parapluies à prêter"]
            page = response.content.decode()
            assert "Hidden parapluie" not in page and "Deleted parapluie" not in page

    def test_the_filters_narrow_a_search(self, client, cast, library):
        make_standard(cast.julien, title="Parapluie du magasin", pillar=make_pillar(slug="be-positive"))
        client.force_login(cast.lea)
        assert titles(client.get(LIBRARY, {"q": "parapluie", "pillar": "be-positive"})) == ["Parapluie du magasin"]
        assert titles(client.get(LIBRARY, {"q": "parapluie", "tag": "pluie"})) == [
            "Prêter un parapluie les jours d'averse"
        ]

    @pytest.mark.parametrize(
        "q",
        [
            "parapluie\x00",
            "\x00",
            "x" * 201,
            "parapluie " * 40,
            "a & b | !c:* <-> (",
            "' OR 1=1 --",
            "\\",
            ":*",
            "é" * 200,
            " ",
            "a",
        ],
    )
    def test_odd_queries_never_fail(self, client, cast, library, q):
        client.force_login(cast.lea)
        # A control character in any query string is a 400 (config.middleware), never a 500.
        assert self.search(client, q).status_code == (400 if "\x00" in q else 200)


class QueryCountTests:
    @pytest.mark.parametrize("count", [1, 25])
    def test_the_library_makes_the_same_queries_for_1_or_25_standards(
        self, client, cast, count, django_assert_num_queries
    ):
        make_standards(cast.julien, count)
        client.force_login(cast.lea)
        # session, user, permissions and unread count (one query), standards page (with counts), their tags,
        # pillars (one list for the filter and the links)
        with django_assert_num_queries(6):
            response = client.get(LIBRARY)
        assert len(response.context["standards"]) == min(count, 20)

    @pytest.mark.parametrize("count", [1, 25])
    def test_a_search_makes_the_same_queries_for_1_or_25_results(self, client, cast, count, django_assert_num_queries):
        make_standards(cast.julien, count)
        for i in range(count):
            make_story(cast.camille, title=f"Umbrella story {i}")
        client.force_login(cast.lea)
        # session, user, permissions and unread count, the known words spelt like the query (stories/search.py:
        # trigram index on PostgreSQL, a length window on SQLite), on SQLite only: every published standard's
        # document, scored in Python; matching stories, standards page (with counts), their tags, pillars
        with django_assert_num_queries(8 if connection.vendor == "postgresql" else 9):
            response = client.get(LIBRARY, {"q": "umbrella"})
        assert len(response.context["standards"]) == min(count, 20)
        assert len(response.context["stories"]) == min(count, 10)

    @pytest.mark.parametrize("count", [1, 25])
    def test_the_archive_makes_the_same_queries_for_1_or_25_standards(
        self, client, cast, count, django_assert_num_queries
    ):
        for standard in make_standards(cast.julien, count):
            services.standard_retire(standard=standard, editor=cast.julien)
        client.force_login(cast.lea)
        # session, user, permissions and unread count (one query), standards page (with counts), their tags
        with django_assert_num_queries(5):
            response = client.get(reverse("practices:archive"))
        assert len(response.context["standards"]) == min(count, 20)

    @pytest.mark.parametrize("count", [1, 25])
    def test_a_standard_page_makes_the_same_queries_for_1_or_25_sources(
        self, client, cast, count, django_assert_num_queries
    ):
        standard = make_standard(cast.julien)
        stores = [cast.paris, cast.marais, cast.lyon]
        for i in range(count):
            author = make_user(f"author{i}", store=stores[i % 3], role="Staff")
            story = make_story(author, title=f"Source {i}")
            services.story_promote(story=story, curator=cast.julien, standard=standard, note=f"Note {i}")
        client.force_login(cast.lea)
        # session, user, permissions and unread count (one query), the standard (with pillar and owner),
        # its tags, its sources (with authors, stores, curators), its revisions (with editors), what
        # customers said about its sources (with stores; issue 18)
        with django_assert_num_queries(8):
            response = client.get(standard.get_absolute_url())
        assert len(response.context["promotions"]) == count
        assert response.content.decode().count('class="mb-3 source-story"') == count
