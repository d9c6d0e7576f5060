"""The benchmark's verdicts, table and JSON file."""

import json
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

from bench.pages import CEILING


@dataclass
class Row:
    name: str
    method: str
    path: str | None
    target: float | None
    check_status: int | None = None
    requests_per_sec: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    ratio: float | None = None
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    wrk: dict[str, Any] | None = None

    @property
    def failed(self) -> bool:
        return bool(self.failures)

    @property
    def verdict(self) -> str:
        if self.failed:
            return "FAILED"
        if self.target is None:
            return ""
        if self.ratio is None:
            return "NO CEILING"
        return "PASS" if self.ratio >= self.target else "BELOW"


def combine_rounds(rounds: dict[str, list[Row]], ceilings: list[Row]) -> list[Row]:
    """One row per page measured in rounds: medians of its rounds, and of its ratio in each round.

    `ceilings` are the ceiling's measurements, one opening each round and one after
    the last: a page's ratio in round r is to the mean of ceilings r and r + 1.
    """
    ceiling_rps = [row.requests_per_sec for row in ceilings]
    combined = []
    for name, measured in rounds.items():
        row = Row(name=name, method=measured[0].method, path=measured[0].path, target=measured[0].target)
        row.check_status = measured[0].check_status
        for measurement in measured:
            row.failures += [failure for failure in measurement.failures if failure not in row.failures]
            row.notes += [note for note in measurement.notes if note not in row.notes]
        done = [(n, m) for n, m in enumerate(measured) if not m.failed and m.requests_per_sec is not None]
        if done:
            row.requests_per_sec = median(m.requests_per_sec for _n, m in done)
            row.p50_ms = median(m.p50_ms for _n, m in done)
            row.p99_ms = median(m.p99_ms for _n, m in done)
            row.wrk = {"rounds": [m.wrk for _n, m in done]}
            ratios = []
            for n, measurement in done:
                around = [rps for rps in ceiling_rps[n : n + 2] if rps]
                if around:
                    ratios.append(measurement.requests_per_sec / (sum(around) / len(around)))
            if ratios:
                row.ratio = round(median(ratios), 3)
                if name != CEILING:
                    row.notes.append("ratio in each round: " + ", ".join(f"{ratio:.2f}" for ratio in ratios))
        combined.append(row)
    measured_ceilings = [rps for rps in ceiling_rps if rps]
    if measured_ceilings and max(measured_ceilings) > 1.2 * min(measured_ceilings):
        spread = max(measured_ceilings) / min(measured_ceilings) - 1
        combined[0].notes.append(
            f"the ceiling's measurements ({', '.join(f'{rps:,.0f}' for rps in measured_ceilings)} req/s) differ by"
            f" up to {spread:.0%}: the machine is busy; each page is compared with the ceilings around it"
        )
    return combined


def add_reference_ratios(rows: list[Row], ceilings: list[Row]) -> float | None:
    """Set each reference row's share of the mean of all the ceiling's measurements; return that mean."""
    measured = [row.requests_per_sec for row in ceilings if not row.failed and row.requests_per_sec]
    if not measured:
        return None
    ceiling = sum(measured) / len(measured)
    for row in rows:
        if row.requests_per_sec is not None:
            row.ratio = round(row.requests_per_sec / ceiling, 3)
    return ceiling


def number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def table(rows: list[Row]) -> str:
    header = f"{'page':<30} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>10} {'target':>7}  result"
    lines = [header, "-" * len(header)]
    for row in rows:
        target = "" if row.target is None else f"≥ {row.target:.2f}"
        lines.append(
            f"{row.name:<30} {number(row.requests_per_sec):>9} {number(row.p50_ms, 2):>8} {number(row.p99_ms, 2):>8}"
            f" {number(row.ratio, 2):>10} {target:>7}  {row.verdict}"
        )
    for row in rows:
        for failure in row.failures:
            lines.append(f"FAILED {row.name} ({row.method} {row.path}): {failure}")
        for note in row.notes:
            lines.append(f"note   {row.name}: {note}")
    return "\n".join(lines)


def write_json(path: Path, *, rows: list[Row], ceiling_rps: float | None, run: dict[str, Any]) -> None:
    pages = [
        {
            "name": row.name,
            "method": row.method,
            "path": row.path,
            "check_status": row.check_status,
            "requests_per_sec": row.requests_per_sec,
            "p50_ms": row.p50_ms,
            "p99_ms": row.p99_ms,
            "ratio_to_ceiling": row.ratio,
            "target_ratio": row.target,
            "result": row.verdict or "reference",
            "failures": row.failures,
            "notes": row.notes,
            "wrk": row.wrk,
        }
        for row in rows
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({**run, "ceiling_rps": ceiling_rps, "pages": pages}, indent=2, ensure_ascii=False) + "\n"
    )
