"""Suggestions as one types (practices/library/views.py suggest): titles and tags, accents ignored, bounded."""

import pytest

from stories.models import Story
from stories.services import story_set_status
from tests.factories import make_standard, make_story

pytestmark = pytest.mark.django_db
SUGGEST = "/search/suggest/"


@pytest.fixture
def shelf(cast):
    make_story(cast.camille, title="Un café offert", body="Pendant les travaux.", tags=["accueil"])
    make_story(cast.camille, title="Réparation express", body="La fidélité se gagne.", tags=["réparation"])
    make_story(cast.hugo, title="Parapluies prêtés", body="Une averse soudaine.")
    make_story(cast.hugo, title="Parking", body="Un café pour patienter.")  # café in the body only
    make_standard(cast.julien, title="Offrir un café aux clients qui attendent", summary="Un geste simple.")
    make_standard(cast.julien, title="Brouillon café", summary="Pas prêt.", publish=False)


def links(client, q: str, htmx: bool = True) -> str:
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(SUGGEST, {"q": q}, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


class SuggestTests:
    @pytest.mark.parametrize(
        ("q", "expected", "absent"),
        [
            ("caf", ["Un <mark>café</mark> offert", "Offrir un <mark>café</mark> aux clients"], ["Parking"]),
            ("CAFE", ["Un <mark>café</mark> offert"], ["Brouillon"]),  # drafts are never suggested
            ("repar", ["<mark>Réparation</mark> express", "#<mark>réparation</mark>"], []),
            ("reparati", ["<mark>Réparation</mark> express"], []),
            ("parapl", ["<mark>Parapluies</mark> prêtés"], []),
            ("café off", ["Un <mark>café</mark> <mark>offert</mark>"], ["Offrir un"]),
            ("accu", ["#<mark>accueil</mark>"], []),
        ],
    )
    def test_it_suggests_titles_and_tags_accents_ignored(self, client, cast, shelf, q, expected, absent):
        client.force_login(cast.lea)
        page = links(client, q)
        for text in expected:
            assert text in page
        for text in absent:
            assert text not in page

    def test_the_suggestions_are_links(self, client, cast, shelf):
        client.force_login(cast.lea)
        story = Story.objects.get(title="Un café offert")
        page = links(client, "caf")
        assert f'href="/stories/{story.pk}/"' in page
        assert 'href="/library/offrir-un-cafe-aux-clients-qui-attendent/"' in page or "/library/" in page
        assert '<ul class="search-suggestions list-unstyled" aria-label="Suggestions">' in page
        assert "<html" not in page  # only the list, for htmx

    def test_without_javascript_it_is_a_page_of_links(self, client, cast, shelf):
        client.force_login(cast.lea)
        page = links(client, "caf", htmx=False)
        assert "<html" in page and "Un <mark>café</mark> offert" in page
        assert 'href="/stories/?q=caf"' in page and 'href="/library/?q=caf"' in page

    def test_hidden_stories_are_never_suggested(self, client, cast, shelf):
        story_set_status(story=Story.objects.get(title="Un café offert"), status=Story.Status.HIDDEN)
        client.force_login(cast.julien)
        assert "Un <mark>café</mark> offert" not in links(client, "caf")

    def test_it_suggests_only_from_a_bounded_window_of_the_hottest_stories(self, client, cast, monkeypatch):
        from stories import search

        monkeypatch.setattr(search, "SUGGEST_WINDOW", 2)
        cold = make_story(cast.camille, title="Café froid", body="x")
        for i in range(2):
            make_story(cast.camille, title=f"Autre {i}", body="x")
        Story.objects.filter(pk=cold.pk).update(hot_score=-1)
        client.force_login(cast.lea)
        assert "froid" not in links(client, "caf")  # outside the window: the search (Enter) finds it
        Story.objects.filter(pk=cold.pk).update(hot_score=1e6)
        assert "Café froid".replace("Café", "<mark>Café</mark>") in links(client, "caf")

    def test_it_waits_for_two_letters(self, client, cast, shelf):
        client.force_login(cast.lea)
        assert "<li>" not in links(client, "c")
        assert "<li>" in links(client, "ca")

    def test_it_answers_in_french(self, client, cast, shelf):
        client.force_login(cast.lea)
        page = client.get(SUGGEST, {"q": "zzzz"}, headers={"HX-Request": "true", "accept-language": "fr"})
        assert "Aucune suggestion" in page.content.decode()

    def test_it_requires_a_log_in(self, client, shelf):
        assert client.get(SUGGEST, {"q": "caf"}).status_code == 302

    def test_a_hostile_title_stays_escaped(self, client, cast):
        make_story(cast.camille, title="<script>alert(1)</script> café", body="x")
        client.force_login(cast.lea)
        page = links(client, "cafe")
        assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>café</mark>" in page
        assert "<script>alert" not in page

    @pytest.mark.parametrize("count", [1, 12])
    def test_it_makes_the_same_queries_for_1_or_many_matches(self, client, cast, count, django_assert_num_queries):
        for i in range(count):
            make_story(cast.camille, title=f"Café numéro {i}", body="x", tags=[f"cafe-{i}"])
            make_standard(cast.julien, title=f"Café standard {i}", summary="x")
        client.force_login(cast.lea)
        # session, user; the newest standards, the hottest stories (each a bounded window whose titles are
        # compared: stories/search.py titles_in_window), tags
        with django_assert_num_queries(5):
            page = links(client, "caf")
        assert page.count("<li>") == min(count, 3) * 2 + min(count, 5)


HOSTILE = [
    "",
    "   ",
    "?!,;",
    "' OR 1=1 --",
    "& | ! ( ) :* <-> \\",
    '"unclosed phrase',
    '""',
    "cafe\x00",
    "cafe\x07",
    "😀 café",
    "😀😀😀",
    "кофе 咖啡",
    "x" * 5000,
    "café " * 1000,
    "AND OR NOT NEAR",
    "caf*",
    "^caf",
    "NEAR(caf",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_fails(client, cast, shelf, text):
    client.force_login(cast.lea)
    # A control character in a query string is refused before any view (config.middleware): 400, never 500.
    expected = 400 if any(ord(character) < 32 for character in text) else 200
    for headers in [{"HX-Request": "true"}, {}]:
        assert client.get(SUGGEST, {"q": text}, headers=headers).status_code == expected


def test_the_library_marks_the_matched_words_in_summaries(client, cast):
    make_standard(cast.julien, title="Accueil", summary="<b>Un café</b> offert à l'attente.", practice="-")
    client.force_login(cast.lea)
    page = client.get("/library/", {"q": "cafe"}).content.decode()
    assert "&lt;b&gt;Un <mark>café</mark>&lt;/b&gt; offert" in page
    assert "<mark>" not in client.get("/library/").content.decode()
