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

from config.text import search_text
from stories.search import CLOSE_RATIO, Query, _close, postgresql_matches, search_stories, singular, understand


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
        found = postgresql_matches(standards, parsed).order_by("-rank", "-pk")
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
