"""The dashboard's tables, built from a Report: the page shows them and each exports as CSV.

One definition per table, so that the page and its CSV always agree. Rows come in
groups: the chosen region's first, then the rest of the network for comparison.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from practices.dashboard.report import RegionRow, Report, StoreRow
from practices.models import Feedback

Value = int | str | None


@dataclass(frozen=True)
class Cell:
    """A value the page marks (a gap in pillar coverage); the CSV writes the value alone."""

    value: Value
    gap: bool = False


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = True


@dataclass
class RowGroup:
    label: str | None
    rows: list[list[Value | Cell]]
    current: bool = False  # the chosen region's rows


@dataclass(frozen=True)
class Shown:
    """A cell as the page shows it."""

    text: str
    numeric: bool
    gap: bool = False


@dataclass
class Table:
    name: str
    title: str
    columns: list[Column]
    groups: list[RowGroup]
    footer: list[list[Value | Cell]] = field(default_factory=list)
    note: str = ""
    export_url: str = ""

    @property
    def all_rows(self) -> list[list[Value]]:
        """Every row, groups then footer, with plain values (what the CSV writes)."""
        rows = [row for group in self.groups for row in group.rows] + self.footer
        return [[cell.value if isinstance(cell, Cell) else cell for cell in row] for row in rows]

    def shown(self, row: list[Value | Cell]) -> list[Shown]:
        cells = []
        for column, cell in zip(self.columns, row, strict=True):
            value, gap = (cell.value, cell.gap) if isinstance(cell, Cell) else (cell, False)
            cells.append(Shown(text="—" if value is None else str(value), numeric=column.numeric, gap=gap))
        return cells

    @property
    def shown_groups(self) -> list[tuple[RowGroup, list[list[Shown]]]]:
        return [(group, [self.shown(row) for row in group.rows]) for group in self.groups if group.rows]

    @property
    def shown_footer(self) -> list[list[Shown]]:
        return [self.shown(row) for row in self.footer]


@dataclass(frozen=True)
class View:
    """What the person is looking at: a report and the region shown first (its `region` None: the network)."""

    report: Report
    scope: RegionRow

    def store_groups(self, rows: Callable[[StoreRow], list[Value | Cell] | None]) -> list[RowGroup]:
        """The chosen region's stores, then the others (all stores when the scope is the network)."""
        mine, others = [], []
        for store_row in self.report.stores:
            row = rows(store_row)
            if row is not None:
                (mine if self.in_scope(store_row) else others).append(row)
        if self.scope.region is None:
            return [RowGroup(None, mine, current=True)]
        return [
            RowGroup(self.scope.region.name, mine, current=True),
            RowGroup(_("Rest of the network"), others),
        ]

    def in_scope(self, row: StoreRow) -> bool:
        return self.scope.region is None or row.store.region_id == self.scope.region.pk


def staff_column() -> Column:
    return Column(pgettext("people in a store", "Staff"))


def participation_columns() -> list[Column]:
    return [
        staff_column(),
        Column(_("Took part")),
        Column(_("Share of staff who took part (%)")),
        Column(_("Stories")),
        Column(_("Petites attentions")),
        Column(_("Guestbook entries")),
        Column(_("Votes")),
        Column(_("Comments")),
        Column(_("“We tried it”")),
        Column(_("Acknowledgements")),
    ]


def participation_cells(row: StoreRow | RegionRow) -> list[Value]:
    p = row.participation
    return [
        p.staff,
        p.active,
        p.share,
        p.stories,
        p.attentions,
        p.guestbook,
        p.votes,
        p.comments,
        p.tries,
        p.acknowledgements,
    ]


def regions_table(view: View) -> Table:
    rows = [[row.region.name, len(row.stores), *participation_cells(row)] for row in view.report.regions]
    current = [row for row, region in zip(rows, view.report.regions, strict=True) if region.pk == view.scope.pk]
    others = [row for row, region in zip(rows, view.report.regions, strict=True) if region.pk != view.scope.pk]
    groups = [RowGroup(None, current, current=True), RowGroup(None, others)] if current else [RowGroup(None, others)]
    return Table(
        name="regions",
        title=_("Participation by region"),
        columns=[Column(_("Region"), numeric=False), Column(_("Stores")), *participation_columns()],
        groups=groups,
        footer=[[_("Network"), len(view.report.stores), *participation_cells(view.report.network)]],
    )


def stores_table(view: View) -> Table:
    return Table(
        name="stores",
        title=_("Participation by store"),
        columns=[
            Column(_("Store"), numeric=False),
            Column(_("Region"), numeric=False),
            *participation_columns(),
            Column(_("Its stories tried by other stores")),
        ],
        groups=view.store_groups(
            lambda row: [
                row.store.name,
                row.store.region.name,
                *participation_cells(row),
                row.participation.travelled,
            ]
        ),
    )


def travel_table(view: View) -> Table:
    def cells(row: RegionRow) -> list[Value]:
        p = row.participation
        return [p.travelled, p.travelled_far, p.adopted, row.promotions, row.standards]

    rows = [(region, [region.region.name, *cells(region)]) for region in view.report.regions]
    return Table(
        name="travel",
        title=_("How practices travel"),
        columns=[
            Column(_("Region"), numeric=False),
            Column(_("Its stories tried by other stores")),
            Column(_("… by stores of another region")),
            Column(_("Other stores' stories it tried")),
            Column(_("Stories promoted")),
            Column(_("Standards they went into")),
        ],
        groups=[
            RowGroup(None, [row for region, row in rows if region.pk == view.scope.pk], current=True),
            RowGroup(None, [row for region, row in rows if region.pk != view.scope.pk]),
        ],
        footer=[[_("Network"), *cells(view.report.network)]],
    )


def timeline_table(view: View) -> Table:
    timeline = view.report.timeline
    first = _("Week of") if timeline.by_week else _("Day")
    columns = [Column(first, numeric=False)]
    series = []
    if view.scope.region is not None:
        columns.append(Column(view.scope.region.name))
        series.append(timeline.series(view.scope.pk))
    columns.append(Column(_("Network")))
    series.append(timeline.series(None))
    rows = [[day.isoformat(), *values] for day, *values in zip(timeline.buckets, *series, strict=True)]
    return Table(
        name="timeline",
        title=_("Stories, petites attentions and guestbook entries over time"),
        columns=columns,
        groups=[RowGroup(None, rows)],
    )


def coverage_table(view: View) -> Table:
    coverage = view.report.coverage

    def row(region: RegionRow) -> list[Value | Cell]:
        pk = region.pk
        cells = [Cell(coverage.count(pk, p.pk), gap=coverage.is_gap(pk, p.pk)) for p in coverage.pillars]
        gaps = ", ".join(p.label for p in coverage.pillars if coverage.is_gap(pk, p.pk))
        return [region.region.name, *cells, coverage.count(pk, None), gaps]

    regions = view.report.regions
    return Table(
        name="pillars",
        title=_("Pillar coverage"),
        columns=[
            Column(_("Region"), numeric=False),
            *[Column(pillar.label) for pillar in coverage.pillars],
            Column(_("No pillar")),
            Column(_("Gaps"), numeric=False),
        ],
        groups=[
            RowGroup(None, [row(region) for region in regions if region.pk == view.scope.pk], current=True),
            RowGroup(None, [row(region) for region in regions if region.pk != view.scope.pk]),
        ],
        note=_("A gap: a pillar with less than half of the region's stories spread evenly over the pillars."),
    )


def quiet_table(view: View) -> Table:
    return Table(
        name="quiet",
        title=_("Quiet stores"),
        columns=[Column(_("Store"), numeric=False), Column(_("Region"), numeric=False), staff_column()],
        groups=view.store_groups(
            lambda row: [row.store.name, row.store.region.name, row.participation.staff] if row.quiet else None
        ),
    )


def adoption_table(view: View) -> Table:
    def cells(row: StoreRow | RegionRow) -> list[Value]:
        a = row.adoption
        return [a.people, a.finished, a.not_started, a.percent]

    footer = [[_("Network"), "", *cells(view.report.network)]]
    if view.scope.region is not None:
        footer.insert(0, [view.scope.region.name, "", *cells(view.scope)])
    return Table(
        name="adoption",
        title=_("Adoption of learning paths"),
        columns=[
            Column(_("Store"), numeric=False),
            Column(_("Region"), numeric=False),
            Column(_("People on a path")),
            Column(_("Finished")),
            Column(_("Not started")),
            Column(_("Standards read (%)")),
        ],
        groups=view.store_groups(lambda row: [row.store.name, row.store.region.name, *cells(row)]),
        footer=footer,
        note=_("Today, whatever the period: a standard counts once its latest material revision is confirmed."),
    )


def rating_columns() -> list[Column]:
    return [Column(_("Average rating: %(source)s") % {"source": label}) for _value, label in Feedback.Source.choices]


def customers_table(view: View) -> Table:
    voice = view.report.voice
    pillars = voice.pillars

    def cells(totals) -> list[Value | Cell]:
        ratings = [totals.average(source) for source in Feedback.Source.values]
        gaps = ", ".join(p.label for p in pillars if totals.is_gap(p.pk))
        return [totals.count, *ratings, sum(totals.complaints.values()), gaps]

    def row(store_row: StoreRow) -> list[Value | Cell] | None:
        return [store_row.store.name, store_row.store.region.name, *cells(voice.of([store_row.store.pk]))]

    network = voice.of([row.store.pk for row in view.report.stores])
    footer = [[_("Network"), "", *cells(network)]]
    if view.scope.region is not None:
        footer.insert(0, [view.scope.region.name, "", *cells(voice.of([r.store.pk for r in view.scope.stores]))])
    return Table(
        name="customers",
        title=_("What customers said, by store"),
        columns=[
            Column(_("Store"), numeric=False),
            Column(_("Region"), numeric=False),
            Column(_("Feedback")),
            *rating_columns(),
            Column(_("Complaints about a pillar")),
            Column(_("Gaps"), numeric=False),
        ],
        groups=view.store_groups(row),
        footer=footer,
        note=_("Ratings on 10. A gap: a pillar customers complain about that the store tells few stories about."),
    )


def customer_pillars_table(view: View) -> Table:
    voice = view.report.voice
    pillars = voice.pillars

    def row(region: RegionRow) -> list[Value | Cell]:
        totals = voice.of([store_row.store.pk for store_row in region.stores])
        gaps = ", ".join(p.label for p in pillars if totals.is_gap(p.pk))
        return [region.region.name, *pillar_share_cells(totals, pillars), gaps]

    columns = [Column(_("Region"), numeric=False), *pillar_share_columns(pillars)]
    regions = view.report.regions
    return Table(
        name="customer_pillars",
        title=_("Customer complaints and staff stories per pillar"),
        columns=[*columns, Column(_("Gaps"), numeric=False)],
        groups=[
            RowGroup(None, [row(region) for region in regions if region.pk == view.scope.pk], current=True),
            RowGroup(None, [row(region) for region in regions if region.pk != view.scope.pk]),
        ],
        note=_(
            "A gap (dashed): at least 3 complaints about the pillar, at least 20% of the region's complaints, "
            "and less than half that share of its stories."
        ),
    )


def pillar_share_cells(totals, pillars) -> list[Value | Cell]:
    """Per pillar, the share of complaints then the share of stories, both marked when they make a gap."""
    cells: list[Value | Cell] = []
    for pillar in pillars:
        gap = totals.is_gap(pillar.pk)
        cells += [Cell(totals.complaint_share(pillar.pk), gap=gap), Cell(totals.story_share(pillar.pk), gap=gap)]
    return cells


def pillar_share_columns(pillars) -> list[Column]:
    columns = []
    for pillar in pillars:
        columns += [
            Column(_("%(pillar)s: share of complaints (%%)") % {"pillar": pillar.label}),
            Column(_("%(pillar)s: share of stories (%%)") % {"pillar": pillar.label}),
        ]
    return columns


def customer_pillars_by_store_table(view: View) -> Table:
    voice = view.report.voice
    pillars = voice.pillars

    def row(store_row: StoreRow) -> list[Value | Cell]:
        totals = voice.of([store_row.store.pk])
        gaps = ", ".join(p.label for p in pillars if totals.is_gap(p.pk))
        return [store_row.store.name, store_row.store.region.name, *pillar_share_cells(totals, pillars), gaps]

    return Table(
        name="customer_pillars_stores",
        title=_("Customer complaints and staff stories per pillar, by store"),
        columns=[
            Column(_("Store"), numeric=False),
            Column(_("Region"), numeric=False),
            *pillar_share_columns(pillars),
            Column(_("Gaps"), numeric=False),
        ],
        groups=view.store_groups(row),
    )


def mystery_table(view: View) -> Table:
    voice = view.report.voice
    series = [voice.score_series(view.scope.pk, pillar.slug) for pillar in voice.pillars]
    rows = [[week.isoformat(), *values] for week, *values in zip(voice.weeks, *series, strict=True)]
    return Table(
        name="mystery_shop",
        title=_("Mystery-shop scores per pillar"),
        columns=[Column(_("Week of"), numeric=False), *[Column(pillar.label) for pillar in voice.pillars]],
        groups=[RowGroup(None, rows)],
        note=_("Average score on 10 of the mystery shops of the week, in %(scope)s.")
        % {"scope": view.scope.region.name if view.scope.region else _("the whole network")},
    )


TABLES: dict[str, Callable[[View], Table]] = {
    "regions": regions_table,
    "stores": stores_table,
    "travel": travel_table,
    "timeline": timeline_table,
    "pillars": coverage_table,
    "quiet": quiet_table,
    "adoption": adoption_table,
    "customers": customers_table,
    "customer_pillars": customer_pillars_table,
    "customer_pillars_stores": customer_pillars_by_store_table,
    "mystery_shop": mystery_table,
}


def period_label(report: Report) -> str:
    return _("%(start)s to %(end)s") % {
        "start": date_format(report.start, "DATE_FORMAT"),
        "end": date_format(report.end, "DATE_FORMAT"),
    }
