"""The managers' dashboard: participation, how practices travel, pillar coverage, quiet stores and adoption.

`build_report` reads everything the page and its CSV exports show in a fixed
number of aggregate queries (GROUP BY store, region, pillar or day), whatever the
number of stores and people; the rest is sums in Python over those few rows. It
covers the whole network: choosing a region only orders and filters what is shown,
so every curator shares one report per period, kept a minute (`cached_report`).

Only what can be attributed to a store counts (head-office people belong to none).
Stories and comments count when published; a person "took part" when they posted,
voted, commented, said their store tried an idea or confirmed reading a standard.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Region, Store, User
from config.cache import cache_get_many, cache_set_many
from config.fragments import DEPLOY_VERSION
from practices.models import Acknowledgement, PathAssignment, PathStep, Promotion, Standard
from practices.voice.report import VoiceReport, voice_report
from stories.models import Comment, Pillar, Story, Tried, Vote

PERIOD_DEFAULT = 28
PERIOD_MAX = 365
QUIET_DAYS = 30
# Up to two months a day is one point of the line; beyond, a week.
DAILY_UP_TO = 62
# Every curator sees the same network-wide report: it is computed once a minute at most per period.
REPORT_SECONDS = 60


# The period


@dataclass(frozen=True)
class Period:
    """The last `days` days, today included; `note` says why the asked period was changed (empty: it was not)."""

    days: int
    note: str = ""

    def start(self, today: date) -> date:
        return today - timedelta(days=self.days - 1)

    @property
    def by_week(self) -> bool:
        return self.days > DAILY_UP_TO


def parse_period(raw: str | None) -> Period:
    """The `?period=` parameter in days: 28 when absent, clamped to 1–365 with a note, never an error."""
    text = (raw or "").strip()
    if not text:
        return Period(PERIOD_DEFAULT)
    try:
        days = int(text)
    except ValueError:
        shown = text if len(text) <= 20 else f"{text[:20]}…"
        note = _("“%(value)s” is not a number of days: the dashboard shows the last %(days)d days.")
        return Period(PERIOD_DEFAULT, note % {"value": shown, "days": PERIOD_DEFAULT})
    if days < 1:
        return Period(1, _("A period is at least one day: the dashboard shows today only."))
    if days > PERIOD_MAX:
        note = _("A period is at most %(days)d days: the dashboard shows the last %(days)d days.")
        return Period(PERIOD_MAX, note % {"days": PERIOD_MAX})
    return Period(days)


# What the report holds


@dataclass
class Participation:
    """What people of a store (or of several, summed) did in the period."""

    stories: int = 0
    attentions: int = 0
    guestbook: int = 0
    votes: int = 0
    comments: int = 0
    tries: int = 0
    acknowledgements: int = 0
    staff: int = 0
    active: int = 0
    # How practices travel: its stories tried by other stores (and by stores of other regions),
    # and other stores' stories it tried.
    travelled: int = 0
    travelled_far: int = 0
    adopted: int = 0

    @property
    def contributions(self) -> int:
        return (
            self.stories
            + self.attentions
            + self.guestbook
            + self.votes
            + self.comments
            + self.tries
            + self.acknowledgements
        )

    @property
    def share(self) -> int | None:
        """The share of the staff who took part, in percent (None without staff)."""
        return round(100 * self.active / self.staff) if self.staff else None

    def add(self, other: "Participation") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Adoption:
    """Learning paths today: people following one, and how far they read."""

    people: int = 0
    finished: int = 0
    not_started: int = 0
    read: int = 0
    required: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.read / self.required) if self.required else None

    def add(self, other: "Adoption") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class StoreRow:
    store: Store
    participation: Participation
    adoption: Adoption
    # Nothing from the store in the last QUIET_DAYS days.
    quiet: bool


@dataclass
class RegionRow:
    region: Region | None  # None: the whole network
    stores: list[StoreRow] = field(default_factory=list)
    participation: Participation = field(default_factory=Participation)
    adoption: Adoption = field(default_factory=Adoption)
    promotions: int = 0
    standards: int = 0

    @property
    def pk(self) -> int | None:
        return self.region.pk if self.region else None


@dataclass
class Timeline:
    """Stories, petites attentions and guestbook entries per day (or per week) and region."""

    buckets: list[date]
    by_week: bool
    counts: dict[int, list[int]]  # region pk → one count per bucket

    def series(self, region_pk: int | None) -> list[int]:
        """One region's counts, or the network's (None)."""
        if region_pk is not None:
            return self.counts.get(region_pk, [0] * len(self.buckets))
        return [sum(values) for values in zip(*self.counts.values(), strict=True)] or [0] * len(self.buckets)


@dataclass
class Coverage:
    """Stories per pillar and region; a gap is a pillar with less than half a fair share of the region's stories."""

    pillars: list[Pillar]
    counts: dict[tuple[int, int | None], int]  # (region pk, pillar pk or None) → stories

    def count(self, region_pk: int, pillar_pk: int | None) -> int:
        return self.counts.get((region_pk, pillar_pk), 0)

    def total(self, region_pk: int) -> int:
        return sum(self.count(region_pk, pillar.pk) for pillar in self.pillars)

    def is_gap(self, region_pk: int, pillar_pk: int) -> bool:
        count = self.count(region_pk, pillar_pk)
        return count == 0 or 2 * count * len(self.pillars) < self.total(region_pk)


@dataclass
class Report:
    period: Period
    start: date
    end: date
    stores: list[StoreRow]
    regions: list[RegionRow]
    network: RegionRow
    timeline: Timeline
    coverage: Coverage
    computed_at: datetime
    voice: "VoiceReport | None" = None

    def region(self, pk: int | None) -> RegionRow:
        return next((row for row in self.regions if row.pk == pk), self.network)

    def region_of_store(self, store_pk: int | None) -> Region | None:
        return next((row.store.region for row in self.stores if row.store.pk == store_pk), None)

    @property
    def quiet_stores(self) -> list[StoreRow]:
        return [row for row in self.stores if row.quiet]


# The queries


def period_bounds(period: Period) -> tuple[date, date, datetime]:
    """The first and last days of the period, and the moment it starts (midnight, local time)."""
    today = timezone.localdate()
    start = period.start(today)
    return start, today, timezone.make_aware(datetime.combine(start, time.min))


def stores_with_recent_activity(recent: datetime) -> QuerySet:
    """Every store with its region, and whether anything came from it since `recent`."""
    contributed = (
        Q(pk__in=Story.objects.published().filter(published_at__gte=recent, store__isnull=False).values("store_id"))
        | Q(pk__in=Vote.objects.filter(created_at__gte=recent, store__isnull=False).values("store_id"))
        | Q(
            pk__in=Comment.objects.filter(
                status=Comment.Status.PUBLISHED, created_at__gte=recent, author__store__isnull=False
            ).values("author__store_id")
        )
        | Q(pk__in=Tried.objects.filter(created_at__gte=recent).values("store_id"))
        | Q(
            pk__in=Acknowledgement.objects.filter(acknowledged_at__gte=recent, user__store__isnull=False).values(
                "user__store_id"
            )
        )
    )
    return Store.objects.select_related("region").annotate(
        contributed=ExpressionWrapper(contributed, output_field=BooleanField())
    )


def people_by_store(since: datetime) -> dict[int, tuple[int, int]]:
    """Per store: its active people, and how many of them took part since `since`."""
    took_part = (
        Q(pk__in=Story.objects.published().filter(published_at__gte=since).values("author_id"))
        | Q(pk__in=Vote.objects.filter(created_at__gte=since).values("user_id"))
        | Q(pk__in=Comment.objects.filter(status=Comment.Status.PUBLISHED, created_at__gte=since).values("author_id"))
        | Q(pk__in=Tried.objects.filter(created_at__gte=since).values("user_id"))
        | Q(pk__in=Acknowledgement.objects.filter(acknowledged_at__gte=since).values("user_id"))
    )
    rows = (
        User.objects.filter(is_active=True, store__isnull=False)
        .values("store_id")
        .annotate(staff=Count("pk"), active=Count("pk", filter=took_part))
        .order_by()
    )
    return {row["store_id"]: (row["staff"], row["active"]) for row in rows}


def stories_in(since: datetime) -> QuerySet:
    """Published stories of every kind posted in a store since `since`."""
    return Story.objects.published().filter(published_at__gte=since, store__isnull=False)


def count_by(queryset: QuerySet, key: str) -> dict:
    """One GROUP BY: {value of `key`: number of rows}."""
    rows = queryset.values(key).annotate(n=Count("*")).order_by()
    return {row[key]: row["n"] for row in rows}


def tries_by_store(since: datetime) -> dict[int, tuple[int, int]]:
    """Per store: its "we tried it" since `since`, and how many of those were other stores' stories."""
    from_elsewhere = Q(story__store__isnull=True) | ~Q(story__store=F("store"))
    rows = (
        Tried.objects.filter(created_at__gte=since)
        .values("store_id")
        .annotate(tries=Count("*"), adopted=Count("pk", filter=from_elsewhere))
        .order_by()
    )
    return {row["store_id"]: (row["tries"], row["adopted"]) for row in rows}


def travel_by_store(since: datetime) -> dict[int, tuple[int, int]]:
    """Per store: its stories that other stores tried since `since`, and those tried by stores of another region."""
    rows = (
        Tried.objects.filter(created_at__gte=since, story__store__isnull=False)
        .exclude(store=F("story__store"))
        .values("story__store_id")
        .annotate(
            stories=Count("story", distinct=True),
            far=Count("story", distinct=True, filter=~Q(store__region=F("story__store__region"))),
        )
        .order_by()
    )
    return {row["story__store_id"]: (row["stories"], row["far"]) for row in rows}


def promotions_by_region(since: datetime) -> tuple[dict[int, tuple[int, int]], tuple[int, int]]:
    """Stories promoted since `since` and the distinct standards they went to: per region, and for the network.

    One row per (region, standard) promoted into in the period: a handful a week.
    """
    rows = (
        Promotion.objects.filter(created_at__gte=since, story__store__isnull=False)
        .values("story__store__region_id", "standard_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    regions: dict[int, tuple[int, int]] = {}
    standards = set()
    for row in rows:
        stories, count = regions.get(row["story__store__region_id"], (0, 0))
        regions[row["story__store__region_id"]] = (stories + row["n"], count + 1)
        standards.add(row["standard_id"])
    return regions, (sum(stories for stories, _count in regions.values()), len(standards))


def subquery_count(queryset: QuerySet) -> Subquery:
    """COUNT(*) of a correlated queryset, as a scalar subquery (no GROUP BY)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
    return Subquery(counted.values("n"), output_field=IntegerField())


def adoption_by_store() -> defaultdict[int, Adoption]:
    """Learning paths today, per store: one row per person on a path, summed here.

    For each active person in a store whose group is a path's audience or whom a
    curator assigned: the steps of their paths whose standard is published, and how
    many of those they read (an acknowledgement at or after the standard's last
    material revision), as two correlated counts in the same query.
    """
    person = OuterRef(OuterRef("pk"))
    in_audience = User.groups.through.objects.filter(user_id=person, group_id=OuterRef("path__audience_id"))
    assigned = PathAssignment.objects.filter(user_id=person, path_id=OuterRef("path_id"))
    steps = PathStep.objects.filter(standard__status=Standard.Status.PUBLISHED).filter(
        Exists(in_audience) | Exists(assigned)
    )
    read = Acknowledgement.objects.filter(
        user_id=person, standard_id=OuterRef("standard_id"), revision__gte=OuterRef("standard__material_revision")
    )
    on_a_path = Q(pk__in=User.groups.through.objects.filter(group__learning_paths__isnull=False).values("user_id")) | Q(
        pk__in=PathAssignment.objects.values("user_id")
    )
    people = (
        User.objects.filter(on_a_path, is_active=True, store__isnull=False)
        .annotate(required=subquery_count(steps), done=subquery_count(steps.filter(Exists(read))))
        .values_list("store_id", "required", "done")
    )
    by_store: defaultdict[int, Adoption] = defaultdict(Adoption)
    for store_pk, required, done in people:
        if required:  # a path whose standards are all drafts or retired asks nothing yet
            row = by_store[store_pk]
            row.people += 1
            row.required += required
            row.read += done
            row.finished += done >= required
            row.not_started += done == 0
    return by_store


def timeline(since: datetime, start: date, end: date, by_week: bool) -> Timeline:
    """Stories per region and day (or week, starting on Monday), zeros included."""
    if by_week:
        bucket = TruncWeek("published_at", output_field=DateField())
        first = start - timedelta(days=start.weekday())
        buckets = [first + timedelta(weeks=n) for n in range((end - first).days // 7 + 1)]
    else:
        bucket = TruncDate("published_at")
        buckets = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    rows = (
        stories_in(since).annotate(bucket=bucket).values("store__region_id", "bucket").annotate(n=Count("*")).order_by()
    )
    position = {day: index for index, day in enumerate(buckets)}
    counts: dict[int, list[int]] = {}
    for row in rows:
        day = row["bucket"].date() if isinstance(row["bucket"], datetime) else row["bucket"]
        if day in position:
            counts.setdefault(row["store__region_id"], [0] * len(buckets))[position[day]] += row["n"]
    return Timeline(buckets=buckets, by_week=by_week, counts=counts)


def stories_by_store(since: datetime) -> dict[tuple[int, str, int | None], int]:
    """Stories since `since` per store, kind and pillar: one pass gives participation and pillar coverage."""
    rows = stories_in(since).values("store_id", "kind", "pillar_id").annotate(n=Count("*")).order_by()
    return {(row["store_id"], row["kind"], row["pillar_id"]): row["n"] for row in rows}


def coverage(stories: dict[tuple[int, str, int | None], int], stores: list[Store]) -> Coverage:
    """Stories per region and pillar, from the counts per store (and the pillars: one query)."""
    region_of = {store.pk: store.region_id for store in stores}
    counts: dict[tuple[int, int | None], int] = defaultdict(int)
    for (store_pk, _kind, pillar_pk), count in stories.items():
        counts[region_of[store_pk], pillar_pk] += count
    return Coverage(pillars=list(Pillar.objects.all()), counts=dict(counts))


KIND_FIELDS = {Story.Kind.STORY: "stories", Story.Kind.ATTENTION: "attentions", Story.Kind.GUESTBOOK: "guestbook"}


def participation_by_store(
    since: datetime, stories: dict[tuple[int, str, int | None], int]
) -> defaultdict[int, Participation]:
    """What each store's people did since `since`: the stories counted already, then six GROUP BY queries."""
    by_store: defaultdict[int, Participation] = defaultdict(Participation)
    for (store_pk, kind, _pillar_pk), count in stories.items():
        row = by_store[store_pk]
        setattr(row, KIND_FIELDS[kind], getattr(row, KIND_FIELDS[kind]) + count)
    for store_pk, (staff, active) in people_by_store(since).items():
        by_store[store_pk].staff, by_store[store_pk].active = staff, active
    votes = Vote.objects.filter(created_at__gte=since, store__isnull=False)
    for store_pk, count in count_by(votes, "store_id").items():
        by_store[store_pk].votes = count
    comments = Comment.objects.filter(
        status=Comment.Status.PUBLISHED, created_at__gte=since, author__store__isnull=False
    )
    for store_pk, count in count_by(comments, "author__store_id").items():
        by_store[store_pk].comments = count
    for store_pk, (tries, adopted) in tries_by_store(since).items():
        by_store[store_pk].tries, by_store[store_pk].adopted = tries, adopted
    readings = Acknowledgement.objects.filter(acknowledged_at__gte=since, user__store__isnull=False)
    for store_pk, count in count_by(readings, "user__store_id").items():
        by_store[store_pk].acknowledgements = count
    for store_pk, (travelled, far) in travel_by_store(since).items():
        by_store[store_pk].travelled, by_store[store_pk].travelled_far = travelled, far
    return by_store


def build_report(period: Period) -> Report:
    """Everything the dashboard shows, for the whole network, in fifteen queries whatever its size."""
    start, end, since = period_bounds(period)
    recent = timezone.now() - timedelta(days=QUIET_DAYS)
    stores = list(stores_with_recent_activity(recent))
    stories = stories_by_store(since)
    participation = participation_by_store(since, stories)
    adoption = adoption_by_store()
    rows = [
        StoreRow(
            store=store,
            participation=participation[store.pk],
            adoption=adoption[store.pk],
            quiet=not store.contributed,
        )
        for store in stores
    ]
    regions, network = group_by_region(rows, promotions_by_region(since))
    pillar_coverage = coverage(stories, stores)
    return Report(
        period=period,
        start=start,
        end=end,
        stores=rows,
        regions=regions,
        network=network,
        timeline=timeline(since, start, end, period.by_week),
        coverage=pillar_coverage,
        computed_at=timezone.now(),
        voice=voice_report(start, end, pillar_coverage.pillars, stories),
    )


def group_by_region(
    rows: list[StoreRow], promotions: tuple[dict[int, tuple[int, int]], tuple[int, int]]
) -> tuple[list[RegionRow], RegionRow]:
    """Regions (by name) with their stores and sums, and the network's sums."""
    by_region, (network_promotions, network_standards) = promotions
    regions: dict[int, RegionRow] = {}
    network = RegionRow(region=None, promotions=network_promotions, standards=network_standards)
    for row in rows:
        region = regions.setdefault(row.store.region_id, RegionRow(region=row.store.region))
        for total in (region, network):
            total.stores.append(row)
            total.participation.add(row.participation)
            total.adoption.add(row.adoption)
    for region in regions.values():
        region.promotions, region.standards = by_region.get(region.pk, (0, 0))
    return sorted(regions.values(), key=lambda region: region.region.name), network


def cached_report(period: Period) -> Report:
    """build_report(period), kept REPORT_SECONDS in the cache; a cache that fails only means computing it.

    Keyed on the deploy's version (config.fragments), so a report kept by an earlier release is never read.
    """
    key = f"dashboard:report:{DEPLOY_VERSION}:{period.days}:{timezone.localdate().isoformat()}"
    report = cache_get_many([key]).get(key)
    if report is None:
        report = build_report(period)
        cache_set_many({key: report}, timeout=REPORT_SECONDS)
    return replace(report, period=period)  # the note, in this person's language
