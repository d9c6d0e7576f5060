"""How well the matcher reads feedback: precision and recall per pillar on a labelled set.

The labelled set (practices/voice/data/labelled_feedback.csv) holds the demo's sayings and a few hundred
items written for it, in English and French, each with the pillars it speaks about and its sentiment,
labelled by hand without looking at the word lists. `evaluate()` matches every text (without its rating:
the words alone) and compares. `manage.py evaluate_voice` prints the figures.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from practices.voice.matching import Matcher
from stories.models import Pillar

LABELLED_SET = Path(__file__).parent / "data" / "labelled_feedback.csv"


@dataclass
class Labelled:
    origin: str
    language: str
    pillars: set[str]
    sentiment: str
    text: str


def labelled_set(path: Path = LABELLED_SET) -> list[Labelled]:
    with path.open(newline="", encoding="utf-8") as file:
        return [
            Labelled(
                origin=row["origin"],
                language=row["language"],
                pillars={slug for slug in row["pillars"].split(";") if slug},
                sentiment=row["sentiment"],
                text=row["text"],
            )
            for row in csv.DictReader(file)
        ]


@dataclass
class Score:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def support(self) -> int:
        return self.true_positive + self.false_negative

    @property
    def precision(self) -> float | None:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else None

    @property
    def recall(self) -> float | None:
        return self.true_positive / self.support if self.support else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p and r else None


@dataclass
class Evaluation:
    items: int
    pillars: dict[str, Score]
    sentiments: dict[str, Score]
    sentiment_correct: int
    overall: Score = field(default_factory=Score)

    @property
    def sentiment_accuracy(self) -> float:
        return self.sentiment_correct / self.items if self.items else 0.0


def evaluate(items: list[Labelled], matcher: Matcher | None = None) -> Evaluation:
    """Match every labelled text with the word lists and count hits and misses per pillar and sentiment."""
    matcher = matcher or Matcher()
    slug_of = dict(Pillar.objects.values_list("pk", "slug"))
    slugs = sorted({slug for item in items for slug in item.pillars})
    pillars = {slug: Score() for slug in slugs}
    sentiments = {name: Score() for name in ("praise", "complaint", "neutral")}
    overall = Score()
    correct = 0
    for item in items:
        match = matcher.match(item.text)
        found = {slug_of[pk] for pk in match.pillar_ids}
        for slug in slugs:
            expected, got = slug in item.pillars, slug in found
            for score in (pillars[slug], overall):
                score.true_positive += expected and got
                score.false_positive += got and not expected
                score.false_negative += expected and not got
        correct += match.sentiment == item.sentiment
        for name, score in sentiments.items():
            expected, got = item.sentiment == name, match.sentiment == name
            score.true_positive += expected and got
            score.false_positive += got and not expected
            score.false_negative += expected and not got
    return Evaluation(
        items=len(items), pillars=pillars, sentiments=sentiments, sentiment_correct=correct, overall=overall
    )
