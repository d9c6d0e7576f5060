"""The dashboard's voice of the customer: what customers said per store and region, against staff stories.

`voice_report` reads the period's feedback in three aggregate queries whatever the number of items
(count and ratings per store and source; complaints per store and pillar; mystery-shop pillar scores
per region and week), and compares, per pillar, the share of customer complaints with the share of
staff stories (the dashboard's story counts, passed in): a gap is a pillar customers complain about
that the stores tell few stories about.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Avg, Count, FloatField, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncWeek

from practices.models import Feedback
from stories.models import Pillar

# A gap: at least this many complaints about the pillar, at least this share of the complaints,
# and less than half that share of the stories.
GAP_MIN_COMPLAINTS = 3
GAP_MIN_SHARE = 20


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class Voice:
    """Feedback about one store, or several summed."""

    count: int = 0
    # Plain dicts (no lambdas), so that the report pickles into the cache.
    ratings: dict[str, list[int]] = field(default_factory=dict)  # source → [sum, n]
    complaints: dict[int, int] = field(default_factory=dict)  # pillar pk → complaints
    stories: dict[int, int] = field(default_factory=dict)  # pillar pk → staff stories

    def add(self, other: "Voice") -> None:
        self.count += other.count
        for source, (total, rated) in other.ratings.items():
            mine = self.ratings.setdefault(source, [0, 0])
            mine[0] += total
            mine[1] += rated
        for pk, n in other.complaints.items():
            self.complaints[pk] = self.complaints.get(pk, 0) + n
        for pk, n in other.stories.items():
            self.stories[pk] = self.stories.get(pk, 0) + n

    def average(self, source: str) -> float | None:
        total, rated = self.ratings.get(source, (0, 0))
        return round(total / rated, 1) if rated else None

    def complaint_share(self, pillar_pk: int) -> int | None:
        return percent(self.complaints.get(pillar_pk, 0), sum(self.complaints.values()))

    def story_share(self, pillar_pk: int) -> int | None:
        return percent(self.stories.get(pillar_pk, 0), sum(self.stories.values()))

    def is_gap(self, pillar_pk: int) -> bool:
        """Customers complain about this pillar and the stores tell few stories about it."""
        complaints = self.complaints.get(pillar_pk, 0)
        share = self.complaint_share(pillar_pk) or 0
        if complaints < GAP_MIN_COMPLAINTS or share < GAP_MIN_SHARE:
            return False
        return 2 * (self.story_share(pillar_pk) or 0) < share


@dataclass
class VoiceReport:
    pillars: list[Pillar]
    stores: dict[int, Voice]
    weeks: list[date]
    # (region pk, pillar slug) → one [sum, n] per week: mystery-shop scores
    scores: dict[tuple[int, str], list[list[float]]]

    def of(self, store_pks: list[int]) -> Voice:
        total = Voice()
        for pk in store_pks:
            if pk in self.stores:
                total.add(self.stores[pk])
        return total

    def score_series(self, region_pk: int | None, slug: str) -> list[float | None]:
        """A pillar's average mystery-shop score per week, for a region or (None) the network."""
        sums = [[0.0, 0] for _week in self.weeks]
        for (region, pillar), values in self.scores.items():
            if pillar == slug and (region_pk is None or region == region_pk):
                for week, (total, n) in zip(sums, values, strict=True):
                    week[0] += total
                    week[1] += n
        return [round(total / n, 1) if n else None for total, n in sums]


def weeks_between(start: date, end: date) -> list[date]:
    monday = start - timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def voice_report(
    start: date, end: date, pillars: list[Pillar], stories: dict[tuple[int, str, int | None], int]
) -> VoiceReport:
    """The period's feedback per store, complaints per pillar, and mystery-shop scores per region and week."""
    items = Feedback.objects.filter(date__gte=start, date__lte=end)
    stores: dict[int, Voice] = defaultdict(Voice)
    rows = items.values("store_id", "source").annotate(n=Count("pk"), total=Sum("rating"), rated=Count("rating"))
    for row in rows.order_by():
        voice = stores[row["store_id"]]
        voice.count += row["n"]
        voice.ratings[row["source"]] = [row["total"] or 0, row["rated"]]
    complaints = (
        Feedback.pillars.through.objects.filter(
            feedback__date__gte=start, feedback__date__lte=end, feedback__sentiment=Feedback.Sentiment.COMPLAINT
        )
        .values("feedback__store_id", "pillar_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in complaints:
        stores[row["feedback__store_id"]].complaints[row["pillar_id"]] = row["n"]
    for (store_pk, _kind, pillar_pk), count in stories.items():
        if pillar_pk is not None:
            mine = stores[store_pk].stories
            mine[pillar_pk] = mine.get(pillar_pk, 0) + count
    weeks = weeks_between(start, end)
    position = {week: index for index, week in enumerate(weeks)}
    scored = {f"s{pillar.pk}": Avg(Cast(KT(f"pillar_scores__{pillar.slug}"), FloatField())) for pillar in pillars} | {
        f"n{pillar.pk}": Count(KT(f"pillar_scores__{pillar.slug}")) for pillar in pillars
    }
    shops = (
        items.filter(source=Feedback.Source.MYSTERY_SHOP)
        .annotate(week=TruncWeek("date"))
        .values("store__region_id", "week")
        .annotate(**scored)
        .order_by()
    )
    scores: dict[tuple[int, str], list[list[float]]] = {}
    for row in shops:
        week = row["week"]
        week = week.date() if hasattr(week, "date") else week
        if week not in position:
            continue
        for pillar in pillars:
            average, n = row[f"s{pillar.pk}"], row[f"n{pillar.pk}"]
            if average is None or not n:
                continue
            series = scores.setdefault((row["store__region_id"], pillar.slug), [[0.0, 0] for _w in weeks])
            series[position[week]][0] += average * n
            series[position[week]][1] += n
    return VoiceReport(pillars=pillars, stores=dict(stores), weeks=weeks, scores=scores)
