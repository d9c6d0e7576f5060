"""Search over standards and stories: the library's entry to stories/search.py.

The query language, spelling help and the story engine live in stories/search.py
(stories never import practices); standards use the same pieces:

On PostgreSQL: full-text search with French and English stemming on the stored,
GIN-indexed `search_vector`, ranked by title matches then ts_rank. Spelling tolerance
comes from pg_trgm on the lexicon of known words (stories.SearchWord).

On SQLite (the embedded default) standards, which number in the hundreds, are
scored in Python and also match words within a letter or two; stories use FTS5.

Everything goes through search(); replacing the engine means changing these two modules only.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import reverse
from django.utils.safestring import SafeString
from taggit.models import Tag

from config.text import search_text
from stories.search import (
    CLOSE_RATIO,
    Query,
    _close,
    highlight_prefixes,
    postgresql_matches,
    search_stories,
    singular,
    suggest_prefixes,
    titles_in_window,
    understand,
)


@dataclass
class SearchResults:
    standards: QuerySet
    stories: QuerySet
    query: Query


def search(query: str, *, standards: QuerySet, stories: QuerySet) -> SearchResults:
    """Standards and stories matching `query`, best first.

    Both querysets come filtered for the person searching (what they may see and
    the filters they chose); search narrows them inside the same query and orders them by relevance.
    """
    parsed = understand(query)
    if not parsed:
        return SearchResults(standards=standards.none(), stories=stories.none(), query=parsed)
    if connection.vendor == "postgresql":
        found = postgresql_matches(standards, parsed, first_by="-pk").order_by("-rank", "-pk")
    else:
        found = _sqlite_standards(standards, parsed)
    return SearchResults(standards=found, stories=search_stories(stories, parsed), query=parsed)


def _match(term: str, words: set[str]) -> float:
    """How well `term` matches the closest word of a document, from 0 (not at all) to 1."""
    term = singular(term)
    best = 0.0
    for word in words:
        if word.startswith(term):
            return 1.0
        best = max(best, _close(term, singular(word)))
    return best if best >= CLOSE_RATIO else 0.0


def _sqlite_standards(queryset: QuerySet, query: Query) -> QuerySet:
    """Standards number in the hundreds, so their documents are scored in Python, with typos allowed."""
    scores = {}
    terms = query.words
    phrases = [" ".join(unit) for unit in query.units if len(unit) > 1]
    for pk, title, document in queryset.values_list("pk", "title", "search_document"):
        if not all(phrase in document for phrase in phrases):
            continue
        words = set(re.findall(r"\w+", document))
        matched = [_match(term, words) for term in terms]
        if all(matched):
            title_words = set(re.findall(r"\w+", search_text(title)))
            in_title = sum(_match(term, title_words) for term in terms)  # title matches come first
            scores[pk] = in_title + sum(matched) + sum(document.count(singular(term)) for term in terms) / 100
    ranked = sorted(scores, key=lambda pk: (-scores[pk], -pk))
    if not ranked:
        return queryset.none()
    position = Case(*[When(pk=pk, then=Value(index)) for index, pk in enumerate(ranked)], output_field=IntegerField())
    return queryset.filter(pk__in=ranked).order_by(position)


# Suggestions as one types (the search boxes of the feed and the library).

SUGGEST_STORIES = 5
SUGGEST_STANDARDS = 3
SUGGEST_TAGS = 3
TAGS_READ = 2000


@dataclass
class Suggestion:
    label: SafeString  # the title, escaped, the typed word starts in <mark>
    url: str


@dataclass
class Suggestions:
    standards: list[Suggestion]
    stories: list[Suggestion]
    tags: list[Suggestion]

    def __bool__(self) -> bool:
        return bool(self.standards or self.stories or self.tags)


def suggest(text: str, *, standards: QuerySet, stories: QuerySet) -> Suggestions:
    """Standards, stories and tags whose title or name has a word starting with each typed word (accents ignored).

    At most a handful of each, in three bounded queries whatever the words and the size of
    the tables (stories.search.titles_in_window: index walks of SUGGEST_WINDOW rows, LIMITs);
    nothing for fewer than two letters.
    """
    prefixes = suggest_prefixes(text)
    if not prefixes:
        return Suggestions(standards=[], stories=[], tags=[])
    # The newest standards and the hottest stories, SUGGEST_WINDOW of each (index walks), their titles compared.
    standard_rows = titles_in_window(
        standards, order="published_at", prefixes=prefixes, limit=SUGGEST_STANDARDS, fields=["title", "slug"]
    )
    story_rows = titles_in_window(
        stories, order="hot_score", prefixes=prefixes, limit=SUGGEST_STORIES, fields=["id", "title"]
    )
    return Suggestions(
        standards=[
            Suggestion(highlight_prefixes(title, prefixes), reverse("practices:standard", args=[slug]))
            for title, slug in standard_rows
        ],
        stories=[
            Suggestion(highlight_prefixes(title, prefixes), reverse("stories:detail", args=[pk]))
            for pk, title in story_rows
        ],
        tags=tag_suggestions(prefixes),
    )


def tag_suggestions(prefixes: list[str]) -> list[Suggestion]:
    """The matching tags, each a link to the feed of that tag."""
    feed_url = reverse("stories:feed")
    return [
        Suggestion(highlight_prefixes(f"#{name}", prefixes), f"{feed_url}?tag={slug}")
        for name, slug in matching_tags(prefixes)
    ]


def matching_tags(prefixes: list[str]) -> list[tuple[str, str]]:
    """(name, slug) of the tags with a word starting with each prefix, accents ignored, by name.

    Tag slugs keep their accents (taggit), and neither engine here unaccents in SQL, so the
    names (a short list: a network uses tens or hundreds of tags) are compared in Python,
    at most TAGS_READ of them.
    """
    found = []
    for name, slug in Tag.objects.order_by("name").values_list("name", "slug")[:TAGS_READ]:
        words = re.findall(r"[^\W_]+", search_text(name))
        if all(any(word.startswith(prefix) for word in words) for prefix in prefixes):
            found.append((name, slug))
            if len(found) == SUGGEST_TAGS:
                break
    return found
