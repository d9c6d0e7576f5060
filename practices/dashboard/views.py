"""The managers' dashboard and its CSV exports, for curators (practices.view_dashboard)."""

import csv
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from practices.access import require_perm
from practices.dashboard import charts
from practices.dashboard import report as dashboard
from practices.dashboard.report import RegionRow, Report
from practices.dashboard.tables import TABLES, View, period_label
from practices.spreadsheet import spreadsheet_safe


def choose_scope(request: HttpRequest, report: Report) -> tuple[RegionRow, str]:
    """The region shown first: `?region=` (a slug, or "all" for the network), else the person's own region.

    An unknown region falls back to the default with a note, never an error.
    """
    default = report.region(getattr(report.region_of_store(request.user.store_id), "pk", None))
    raw = request.GET.get("region", "").strip()
    if not raw:
        return default, ""
    if raw == "all":
        return report.network, ""
    match = next((row for row in report.regions if row.region.slug == raw), None)
    if match is not None:
        return match, ""
    shown = raw if len(raw) <= 40 else f"{raw[:40]}…"
    return default, _("There is no region “%(value)s”: the dashboard shows %(scope)s.") % {
        "value": shown,
        "scope": scope_name(default),
    }


def scope_name(scope: RegionRow) -> str:
    return scope.region.name if scope.region else _("the whole network")


def load(request: HttpRequest) -> tuple[View, list[str]]:
    require_perm(request, "practices.view_dashboard")
    period = dashboard.parse_period(request.GET.get("period"))
    report = dashboard.cached_report(period)
    scope, region_note = choose_scope(request, report)
    return View(report=report, scope=scope), [note for note in (period.note, region_note) if note]


def dashboard_page(request: HttpRequest) -> HttpResponse:
    view, notes = load(request)
    report = view.report
    query = urlencode({"period": report.period.days, "region": view.scope.region.slug if view.scope.region else "all"})
    tables = {name: build(view) for name, build in TABLES.items()}
    for table in tables.values():
        table.export_url = f"{reverse('practices:dashboard-export', args=[table.name])}?{query}"
    context = {
        "report": report,
        "scope": view.scope,
        "scope_name": scope_name(view.scope),
        "notes": notes,
        "period_label": period_label(report),
        "regions": report.regions,
        "tables": tables,
        **chart_context(view),
        **voice_context(view),
    }
    return render(request, "practices/dashboard/dashboard.html", context)


def chart_context(view: View) -> dict:
    """The three charts and the sentences that stand for them (their text alternatives)."""
    report, scope = view.report, view.scope
    timeline = report.timeline
    series = [(_("Network"), timeline.series(None))]
    if scope.region is not None:
        series.insert(0, (scope.region.name, timeline.series(scope.pk)))
    line_desc = " ".join(
        (
            _("%(name)s: %(total)d in all, at most %(peak)d in one week.")
            if timeline.by_week
            else _("%(name)s: %(total)d in all, at most %(peak)d in one day.")
        )
        % {"name": name, "total": sum(values), "peak": max(values, default=0)}
        for name, values in series
    )
    stores = [row for row in report.stores if view.in_scope(row)]
    shares = [(row.store.name, row.participation.share) for row in stores]
    bars_desc = "; ".join(f"{name}: {'—' if share is None else f'{share}%'}" for name, share in shares)
    coverage = report.coverage
    grid_rows = [
        (
            region.region.name,
            [(coverage.count(region.pk, p.pk), coverage.is_gap(region.pk, p.pk)) for p in coverage.pillars],
        )
        for region in report.regions
    ]
    gaps = [
        _("%(pillar)s in %(region)s (%(count)d)")
        % {"pillar": pillar.label, "region": region.region.name, "count": coverage.count(region.pk, pillar.pk)}
        for region in report.regions
        for pillar in coverage.pillars
        if coverage.is_gap(region.pk, pillar.pk)
    ]
    return {
        "line_chart": charts.line_chart(timeline.buckets, series),
        "line_desc": line_desc,
        "bar_chart": charts.bar_chart(shares, unit="%"),
        "bars_desc": bars_desc or _("No store."),
        "grid_chart": charts.grid_chart([pillar.label for pillar in coverage.pillars], grid_rows),
        "grid_desc": _("Gaps: %(gaps)s.") % {"gaps": "; ".join(gaps)} if gaps else _("No gap."),
    }


def voice_context(view: View) -> dict:
    """The mystery-shop chart and the gaps between what customers complain about and what stores tell."""
    voice, scope = view.report.voice, view.scope
    series = []
    for pillar in voice.pillars:
        values = voice.score_series(scope.pk, pillar.slug)
        if any(value is not None for value in values):
            series.append((pillar.label, values))
    shown = []
    for label, values in series:
        carried, last = [], 0.0
        for value in values:  # a week without a mystery shop keeps the previous week's score on the chart
            last = value if value is not None else last
            carried.append(last)
        shown.append((label, carried))
    chart = charts.line_chart(voice.weeks, shown, styles=PILLAR_LINES) if shown else None
    desc = " ".join(
        _("%(pillar)s: %(last)s on 10 in the last week scored.")
        % {"pillar": label, "last": next(value for value in reversed(values) if value is not None)}
        for label, values in series
    )
    regions = [scope] if scope.region is not None else view.report.regions
    gaps = []
    for region in regions:
        totals = voice.of([row.store.pk for row in region.stores])
        for pillar in voice.pillars:
            if totals.is_gap(pillar.pk):
                gaps.append(
                    _(
                        "In %(region)s, customers complain about “%(pillar)s” (%(complaints)d%% of complaints), "
                        "your stores tell %(stories)d%% of their stories about it."
                    )
                    % {
                        "region": region.region.name,
                        "pillar": pillar.label,
                        "complaints": totals.complaint_share(pillar.pk) or 0,
                        "stories": totals.story_share(pillar.pk) or 0,
                    }
                )
    return {"mystery_chart": chart, "mystery_desc": desc or _("No mystery shop in the period."), "voice_gaps": gaps}


PILLAR_LINES = ["line-main", "line-compare", "line-third", "line-fourth"]


def export(request: HttpRequest, table: str) -> HttpResponse:
    """One of the page's tables as CSV, for the same period and region."""
    if table not in TABLES:
        require_perm(request, "practices.view_dashboard")
        raise Http404
    view, _notes = load(request)
    built = TABLES[table](view)
    scope = view.scope.region.slug if view.scope.region else "network"
    filename = f"dashboard-{table}-{scope}-{view.report.period.days}d-{timezone.localdate().isoformat()}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheets read the accents as UTF-8
    writer = csv.writer(response)
    writer.writerow([spreadsheet_safe(column.label) for column in built.columns])
    for row in built.all_rows:
        writer.writerow([value if isinstance(value, int) else spreadsheet_safe(value) for value in row])
    return response
