"""Search over standards and stories: the one place that knows the engine.

Documents are stored lower-cased and without accents (`search_document`), and
queries are normalised the same way, so "reparer" finds "réparé".

On PostgreSQL: full-text search with French and English stemming on a stored,
GIN-indexed `search_vector`, ranked by ts_rank. Spelling tolerance comes from pg_trgm on the
lexicon of known words (stories.SearchWord): each query word also matches its
close neighbours there ("parapluyes" → "parapluies"). Trigram matching on the
words, not on whole documents, keeps it at milliseconds for 100,000 stories.
Stories, which can match by the tens of thousands, are ranked among their 200
hottest matches, so ranking costs the same whatever the table size.

On SQLite (the embedded default) a simpler match: every word (or its singular)
must appear in the document; standards, which are few, are scored in Python
and also match words within a letter or two.

Everything goes through search(); replacing the engine means changing this module only.
"""

import difflib
import re
from dataclasses import dataclass
from functools import reduce
from operator import add, or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Expression, F, FloatField, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat, Length, Substr

from config.text import search_text
from stories.models import SEARCH_WORD_MAX, SearchWord

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
CLOSE_RATIO = 0.75  # difflib ratio for "misspelt by a letter or two"
ALTERNATIVES_PER_TERM = 4
STORY_CANDIDATES = 200


@dataclass
class SearchResults:
    standards: QuerySet
    stories: QuerySet


def search(query: str, *, standards: QuerySet, stories: QuerySet) -> SearchResults:
    """Standards and stories matching `query`, best first.

    Both querysets come filtered for the person searching (what they may see);
    search only narrows them and orders them by relevance.
    """
    terms = _terms(search_text(query[:MAX_QUERY_LENGTH]))
    if not terms:
        return SearchResults(standards=standards.none(), stories=stories.none())
    if connection.vendor == "postgresql":
        groups = _with_close_words(terms)
        return SearchResults(
            standards=_postgresql(standards, groups),
            stories=_postgresql(stories, groups, candidates=STORY_CANDIDATES),
        )
    return SearchResults(standards=_sqlite_standards(standards, terms), stories=_sqlite(stories, terms))


def _terms(text: str) -> list[str]:
    return [word[:SEARCH_WORD_MAX] for word in re.findall(r"\w+", text) if len(word) > 1][:MAX_TERMS]


def _close(term: str, word: str) -> float:
    return difflib.SequenceMatcher(None, term, word).ratio()


def _with_close_words(terms: list[str]) -> list[list[str]]:
    """Each term with the known words spelt nearly like it (one query on the trigram index)."""
    known = SearchWord.objects.filter(reduce(or_, [Q(word__trigram_similar=term) for term in terms]))
    candidates = list(known.values_list("word", flat=True)[:200])
    groups = []
    for term in terms:
        close = sorted(
            (word for word in candidates if word != term and _close(term, word) >= CLOSE_RATIO),
            key=lambda word: -_close(term, word),
        )
        groups.append([term, *close[:ALTERNATIVES_PER_TERM]])
    return groups


# The document starts with the title, accent-free: its first len(title) characters, after a space.
TITLE_TEXT = Concat(Value(" "), Substr("search_document", 1, Length("title")), output_field=TextField())


def _in_title(groups: list[list[str]]) -> Expression:
    """How many query words (or close spellings, or singulars) start a word of the title: title matches first.

    A prefix test on the title's text, because a second tsvector per matched row costs ten times more.
    """
    scores = []
    for group in groups:
        words = sorted({*group, *(_singular(word) for word in group)})
        starts_a_word = reduce(or_, [Q(title_text__contains=f" {word}") for word in words])
        scores.append(Case(When(starts_a_word, then=Value(1.0)), default=Value(0.0)))
    return reduce(add, scores)


def _postgresql(queryset: QuerySet, groups: list[list[str]], candidates: int | None = None) -> QuerySet:
    # Terms are \w+ runs, so they carry no tsquery operator: "(a | b) & (c)" is safe to build.
    raw = " & ".join("(" + " | ".join(group) + ")" for group in groups)
    query = SearchQuery(raw, config="french", search_type="raw") | SearchQuery(raw, config="english", search_type="raw")
    matches = queryset.filter(search_vector=query)
    if candidates:
        hottest = matches.order_by("-hot_score").values("pk")[:candidates]
        matches = queryset.filter(pk__in=hottest)
    rank = _in_title(groups) + SearchRank(F("search_vector"), query)
    return matches.alias(title_text=TITLE_TEXT).annotate(rank=rank).order_by("-rank", "-pk")


def _singular(word: str) -> str:
    """A crude French and English singular: enough for "parapluies" to find "parapluie"."""
    if len(word) > 4 and word.endswith(("s", "x")):
        return word[:-1]
    return word


def _sqlite(queryset: QuerySet, terms: list[str]) -> QuerySet:
    for term in terms:
        queryset = queryset.filter(search_document__contains=_singular(term))
    return queryset.annotate(rank=Value(1.0, output_field=FloatField())).order_by("-published_at", "-pk")


def _match(term: str, words: set[str]) -> float:
    """How well `term` matches the closest word of a document, from 0 (not at all) to 1."""
    term = _singular(term)
    best = 0.0
    for word in words:
        if word.startswith(term):
            return 1.0
        best = max(best, _close(term, _singular(word)))
    return best if best >= CLOSE_RATIO else 0.0


def _sqlite_standards(queryset: QuerySet, terms: list[str]) -> QuerySet:
    """Standards number in the hundreds, so their documents are scored in Python, with typos allowed."""
    scores = {}
    for pk, title, document in queryset.values_list("pk", "title", "search_document"):
        words = set(re.findall(r"\w+", document))
        matched = [_match(term, words) for term in terms]
        if all(matched):
            title_words = set(re.findall(r"\w+", search_text(title)))
            in_title = sum(_match(term, title_words) for term in terms)  # title matches come first
            scores[pk] = in_title + sum(matched) + sum(document.count(_singular(term)) for term in terms) / 100
    ranked = sorted(scores, key=lambda pk: (-scores[pk], -pk))
    if not ranked:
        return queryset.none()
    position = Case(*[When(pk=pk, then=Value(index)) for index, pk in enumerate(ranked)], output_field=IntegerField())
    return queryset.filter(pk__in=ranked).order_by(position)
