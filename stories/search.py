"""Search over stories, and the query language every search box shares (the library's too).

A query is a list of units, all required, in any order: a word, or a "quoted phrase"
whose words must follow each other. Text is compared lower-cased and without
accents (config.text.search_text), so "cafe" finds "café".

Spelling: a word that is no known word (SearchWord, the lexicon of every word of
stories and standards) also matches its closest known spellings ("parapluyes" →
"parapluies"), and the page says "did you mean …". PostgreSQL finds them with the
trigram index on the lexicon; SQLite compares with difflib within a length window.

PostgreSQL: the stored, GIN-indexed `search_vector` (French and English stemming of
the accent-free document) decides the candidates; at most CANDIDATES of them, the
hottest, are ranked (title matches first, then ts_rank, then recency), so a word in
half the stories costs the same as a rare one.

SQLite (the embedded default): the FTS5 table `story_fts` (unicode61, diacritics
removed), kept in step by stories.models.update_search_vectors; each word matches
as a prefix of its crude singular, so "averses" finds "averse".

practices/library/search.py builds on this module for standards (stories never import practices).
"""

import difflib
import re
from dataclasses import dataclass, field
from functools import reduce
from operator import add, or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, connections
from django.db.models import Case, Expression, F, FloatField, Q, QuerySet, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Length, Substr
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from config.text import search_text
from stories.models import SEARCH_WORD_MAX, SearchWord

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
CLOSE_RATIO = 0.75  # difflib ratio for "misspelt by a letter or two"
LENGTH_WINDOW = 2  # a close word is at most this many letters longer or shorter
ALTERNATIVES_PER_TERM = 4
CANDIDATES = 200
WORD = re.compile(r"[^\W_]+")  # letters and digits: nothing a tsquery or an FTS5 query reads as an operator


@dataclass
class Query:
    """A parsed search: units (each one word, or the words of a quoted phrase) and spelling help."""

    units: list[list[str]] = field(default_factory=list)
    cut: bool = False  # the text was longer than MAX_QUERY_LENGTH and was cut
    alternatives: dict[str, list[str]] = field(default_factory=dict)  # word → close known words
    did_you_mean: str = ""  # the query with unknown words replaced by their closest known word

    def __bool__(self) -> bool:
        return bool(self.units)

    @property
    def words(self) -> list[str]:
        return [word for unit in self.units for word in unit]

    def group(self, word: str) -> list[str]:
        return [word, *self.alternatives.get(word, [])]


def parse(text: str) -> Query:
    """The units of a query ("quoted phrases" kept together), without spelling help."""
    query = Query(cut=len(text) > MAX_QUERY_LENGTH)
    count = 0
    for index, part in enumerate(text[:MAX_QUERY_LENGTH].split('"')):
        words = [word[:SEARCH_WORD_MAX] for word in WORD.findall(search_text(part)) if len(word) > 1]
        words = words[: MAX_TERMS - count]
        count += len(words)
        if index % 2 and len(words) > 1:
            query.units.append(words)
        else:
            query.units.extend([word] for word in words)
    return query


def singular(word: str) -> str:
    """A crude French and English singular: enough for "parapluies" to find "parapluie"."""
    if len(word) > 4 and word.endswith(("s", "x")):
        return word[:-1]
    return word


def _forms(word: str) -> set[str]:
    """Spellings that make a word known: itself, its singular, its plurals."""
    return {word, singular(word), word + "s", word + "x", word + "es"}


def _close(term: str, word: str) -> float:
    return difflib.SequenceMatcher(None, term, word).ratio()


def understand(text: str) -> Query:
    """Parse a query and look its words up in the lexicon (one query): close spellings of unknown words."""
    query = parse(text)
    words = sorted(set(query.words))
    if not words:
        return query
    forms = set().union(*(_forms(word) for word in words))
    nearby = reduce(
        or_,
        [
            Q(length__range=(len(word) - LENGTH_WINDOW, len(word) + LENGTH_WINDOW))
            & (Q(word__trigram_similar=word) if connection.vendor == "postgresql" else Q(word__startswith=word[0]))
            for word in words
            if len(word) >= 4  # shorter words have too many neighbours to guess from
        ],
        Q(word__in=forms),
    )
    lexicon = set(SearchWord.objects.alias(length=Length("word")).filter(nearby).values_list("word", flat=True)[:2000])
    corrections = {}
    for word in words:
        if _forms(word) & lexicon or len(word) < 4:
            continue
        close = sorted(
            (
                known
                for known in lexicon
                if abs(len(known) - len(word)) <= LENGTH_WINDOW
                and WORD.fullmatch(known)
                and _close(word, known) >= CLOSE_RATIO
            ),
            key=lambda known: (-_close(word, known), known),
        )[:ALTERNATIVES_PER_TERM]
        if close:
            query.alternatives[word] = close
            corrections[word] = close[0]
    if corrections:
        query.did_you_mean = " ".join(
            (
                f'"{" ".join(corrections.get(w, w) for w in unit)}"'
                if len(unit) > 1
                else corrections.get(unit[0], unit[0])
            )
            for unit in query.units
        )
    return query


# The document starts with the title, accent-free: its first len(title) characters, after a space.
TITLE_TEXT = Concat(Value(" "), Substr("search_document", 1, Length("title")), output_field=TextField())


def in_title(query: Query) -> Expression:
    """How many query words (or close spellings, or singulars) start a word of the title: title matches first.

    A prefix test on the title's text, because a second tsvector per matched row costs ten times more.
    """
    scores = []
    for word in query.words:
        spellings = sorted({*query.group(word), *(singular(w) for w in query.group(word))})
        starts_a_word = reduce(or_, [Q(title_text__contains=f" {w}") for w in spellings])
        scores.append(Case(When(starts_a_word, then=Value(1.0)), default=Value(0.0)))
    return reduce(add, scores)


def tsquery(query: Query) -> SearchQuery:
    """French or English: every unit, each word or one of its close spellings, phrases word after word."""

    def either(word: str) -> str:
        return "(" + " | ".join(query.group(word)) + ")"

    raw = " & ".join("(" + " <-> ".join(either(word) for word in unit) + ")" for unit in query.units)
    return SearchQuery(raw, config="french", search_type="raw") | SearchQuery(raw, config="english", search_type="raw")


def fts5_query(query: Query) -> str:
    """The FTS5 MATCH expression: every unit; a word as a prefix of its singular, or of a close spelling."""

    def either(word: str) -> str:
        return "(" + " OR ".join(f'"{singular(w)}"*' for w in query.group(word)) + ")"

    def phrase(unit: list[str]) -> str:
        return " + ".join(f'"{singular(word)}"*' for word in unit)

    return " AND ".join(either(unit[0]) if len(unit) == 1 else phrase(unit) for unit in query.units)


def postgresql_matches(queryset: QuerySet, query: Query, *, first_by: str) -> QuerySet:
    """`queryset` (already filtered: the person's filters are part of the same SQL) narrowed and ranked.

    Bounded ranking: at most CANDIDATES matches, the first in the `first_by` order (an indexed
    column), are ranked. The planner picks the GIN index for a rare word (few candidates) or
    walks that column's index for a common one, so a word in half the rows costs what a rare one does.
    """
    text_query = tsquery(query)
    matches = queryset.filter(search_vector=text_query)
    matches = queryset.model.objects.filter(pk__in=matches.order_by(first_by).values("pk")[:CANDIDATES])
    rank = in_title(query) + SearchRank(F("search_vector"), text_query)
    return matches.alias(title_text=TITLE_TEXT).annotate(rank=rank)


def search_stories(queryset: QuerySet, query: Query) -> QuerySet:
    """Stories of `queryset` matching `query`, best first (rank, then the newest)."""
    if not query:
        return queryset.none().annotate(rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        matches = postgresql_matches(queryset, query, first_by="-hot_score")
    else:
        found = RawSQL("SELECT rowid FROM story_fts WHERE story_fts MATCH %s", [fts5_query(query)])
        matches = queryset.filter(pk__in=found).alias(title_text=TITLE_TEXT).annotate(rank=in_title(query))
    return matches.order_by("-rank", "-published_at", "-pk")


def did_you_mean_url(params: QueryDict, query: Query) -> str:
    """The same page with the suggested spelling as the query (first page), or "" when there is nothing to suggest."""
    if not query.did_you_mean:
        return ""
    params = params.copy()
    params["q"] = query.did_you_mean
    params.pop("page", None)
    return f"?{params.urlencode()}"


def mark_prefixes(query: Query) -> list[str]:
    """The accent-free word starts that highlight() marks for `query`: plain strings, fit for a fragment's values."""
    return sorted({singular(w)[: max(3, len(singular(w)) - 2)] for word in query.words for w in query.group(word)})


def highlight(text: str, query: Query) -> SafeString:
    """`text` escaped, with the words that match the query wrapped in <mark> (accents and case ignored)."""
    return highlight_prefixes(text, mark_prefixes(query))


def highlight_prefixes(text: str, prefixes: list[str] | tuple[str, ...]) -> SafeString:
    """`text` escaped, with each word that starts (accents and case ignored) with one of `prefixes` in <mark>."""
    prefixes = tuple(prefixes)
    if not prefixes:
        return escape(text)  # escape() returns a SafeString
    out = []
    for piece in re.split(r"(\w+)", text):
        escaped = escape(piece)
        if piece and search_text(piece).startswith(prefixes):
            escaped = f"<mark>{escaped}</mark>"
        out.append(escaped)
    return mark_safe("".join(out))  # noqa: S308 (every piece of the text is escaped above; only <mark> is added)


# Suggestions as one types (practices/library/search.py suggest): titles that have a word starting
# with each typed word, accents ignored. The typed words are prefixes, the last one usually unfinished.

SUGGEST_MIN_CHARS = 2
SUGGEST_WORDS = 4
# Suggestions come from the hottest stories only: a bounded walk of the hotness index, whatever the words
# (a full-text condition here would let the planner misjudge a rare prefix and walk every row).
SUGGEST_WINDOW = 2000


def suggest_prefixes(text: str) -> list[str]:
    """The typed words, accent-free, at most SUGGEST_WORDS; none for fewer than SUGGEST_MIN_CHARS letters."""
    words = [word[:SEARCH_WORD_MAX] for word in WORD.findall(search_text(text[:MAX_QUERY_LENGTH]))]
    if sum(len(word) for word in words) < SUGGEST_MIN_CHARS:
        return []
    return words[:SUGGEST_WORDS]


def titles_in_window(queryset: QuerySet, *, order: str, prefixes: list[str], limit: int, fields: list[str]) -> list:
    """`fields` of the rows, among the SUGGEST_WINDOW first of `queryset` by `order` (descending), whose title
    has a word starting with each prefix (accents ignored): at most `limit`, in that order.

    The window is a subquery with its own LIMIT, which the planner cannot merge into the outer
    query: an index walk of SUGGEST_WINDOW rows, then their titles compared, on both engines and at
    any size of table. (A full-text condition or a plain IN would let the planner misjudge a
    rare prefix and walk or loop over every row.)
    """
    if not prefixes:
        return []
    connection_ = connections[queryset.db]
    quote = connection_.ops.quote_name
    columns = list(dict.fromkeys([*fields, "id", "title", "search_document", order]))
    window = queryset.order_by(f"-{order}", "-id").values(*columns)[:SUGGEST_WINDOW]
    sql, params = window.query.sql_with_params()
    title_text = "(' ' || substr(w.search_document, 1, length(w.title)))"
    matches = " AND ".join([f"{title_text} LIKE %s"] * len(prefixes))  # prefixes are letters and digits only
    selected = ", ".join(f"w.{quote(name)}" for name in fields)
    outer = f"SELECT {selected} FROM ({sql}) w WHERE {matches} ORDER BY w.{quote(order)} DESC, w.id DESC LIMIT %s"  # noqa: S608
    with connection_.cursor() as cursor:
        cursor.execute(outer, [*params, *[f"% {prefix}%" for prefix in prefixes], limit])
        return cursor.fetchall()
