"""What a piece of feedback is about: pillars and sentiment from the curators' word lists, and what answers it.

`Matcher` reads the word lists once (one query) and then matches any number of texts in memory:
words are compared without accents, case or punctuation (config.text.search_text), whole words only
("file" matches "file d'attente", not "profile"). The reason names the words that matched.
Suggestions come from the library's search (practices.library.search), remembered per set of words
so an import of 100,000 items runs a few searches, not one per item.

Replacing the word lists by a model means replacing `Matcher.match` only: same input, same `Match`.
"""

import re
from dataclasses import dataclass, field

from config.text import search_text
from practices.library.search import search
from practices.models import Feedback, PillarWords, Standard
from practices.voice.words import COMPLAINT_WORDS, PRAISE_WORDS
from stories.models import Story

SUGGESTIONS = 3
PRAISE_RATING, COMPLAINT_RATING = 8, 4  # on the 0-10 scale: from 8 a praise, up to 4 a complaint


def words_of(text: str) -> str:
    """Text as matching compares it, padded so " word " finds whole words."""
    return " " + " ".join(re.sub(r"[^\w]+", " ", search_text(text)).split()) + " "


@dataclass
class Match:
    pillar_ids: list[int]
    sentiment: str
    reason: str  # the words that matched, as the lists spell them: "attente, caisse"
    words: list[str] = field(default_factory=list)  # the pillar words, for the suggestions' search


class Matcher:
    def __init__(self):
        self.pillar_words: list[tuple[int, str, str]] = []  # (pillar id, word as written, word as compared)
        for pillar_id, words in PillarWords.objects.order_by("pillar__order", "pk").values_list("pillar_id", "words"):
            for word in PillarWords(words=words).word_list():
                self.pillar_words.append((pillar_id, word, words_of(word)))
        self.praise = [(word, words_of(word)) for word in PRAISE_WORDS]
        self.complaint = [(word, words_of(word)) for word in COMPLAINT_WORDS]
        self.suggested: dict[tuple, tuple[list[int], list[int]]] = {}
        self.searched: dict[str, tuple[list[int], list[int]]] = {}
        self.pillar_standards: dict[tuple[int, ...], list[int]] = {}

    def match(self, text: str, rating: int | None = None) -> Match:
        compared = words_of(text)
        pillar_ids: list[int] = []
        matched: list[str] = []
        for pillar_id, word, padded in self.pillar_words:
            if padded.strip() and padded in compared:
                if pillar_id not in pillar_ids:
                    pillar_ids.append(pillar_id)
                if word not in matched:
                    matched.append(word)
        praise = [word for word, padded in self.praise if padded in compared]
        complaint = [word for word, padded in self.complaint if padded in compared]
        score = len(praise) - len(complaint)
        if rating is not None:
            score += 2 if rating >= PRAISE_RATING else -2 if rating <= COMPLAINT_RATING else 0
        sentiment = (
            Feedback.Sentiment.PRAISE
            if score > 0
            else Feedback.Sentiment.COMPLAINT
            if score < 0
            else Feedback.Sentiment.NEUTRAL
        )
        reason_words = matched + [word for word in praise + complaint if word not in matched]
        return Match(pillar_ids=pillar_ids, sentiment=sentiment, reason=", ".join(reason_words)[:300], words=matched)

    def suggestions(self, match: Match) -> tuple[list[int], list[int]]:
        """Up to three published standards, then stories, that answer these words: (standard ids, story ids)."""
        key = (tuple(match.words), tuple(match.pillar_ids))
        if key not in self.suggested:
            self.suggested[key] = self.find(match)
        return self.suggested[key]

    def found(self, word: str) -> tuple[list[int], list[int]]:
        """The search's first standards and stories for one word, searched once per matcher (imports repeat words)."""
        if word not in self.searched:
            found = search(word, standards=Standard.objects.published(), stories=Story.objects.published())
            self.searched[word] = (
                list(found.standards.values_list("pk", flat=True)[:SUGGESTIONS]),
                list(found.stories.values_list("pk", flat=True)[:SUGGESTIONS]),
            )
        return self.searched[word]

    def by_pillar(self, pillar_ids: tuple[int, ...]) -> list[int]:
        """The newest published standards of these pillars, read once per matcher."""
        if pillar_ids not in self.pillar_standards:
            newest = Standard.objects.published().filter(pillar_id__in=pillar_ids).order_by("-pk")
            self.pillar_standards[pillar_ids] = list(newest.values_list("pk", flat=True)[: 2 * SUGGESTIONS])
        return self.pillar_standards[pillar_ids]

    def find(self, match: Match) -> tuple[list[int], list[int]]:
        standards: list[int] = []
        stories: list[int] = []
        for word in match.words[:3]:
            found_standards, found_stories = self.found(word)
            for pk in found_standards:
                if pk not in standards:
                    standards.append(pk)
            if len(standards) < SUGGESTIONS:
                for pk in found_stories:
                    if pk not in stories:
                        stories.append(pk)
        if len(standards) < SUGGESTIONS and match.pillar_ids:
            for pk in self.by_pillar(tuple(match.pillar_ids)):
                if pk not in standards and len(standards) < SUGGESTIONS:
                    standards.append(pk)
        standards = standards[:SUGGESTIONS]
        return standards, stories[: SUGGESTIONS - len(standards)]
