"""The benchmark's verdicts, table and JSON file."""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.pages import CEILING, CEILING_AGAIN


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


def add_ratios(rows: list[Row]) -> float | None:
    """Set each row's share of the ceiling's req/s (the mean of its measurements); return that req/s."""
    ceilings = [
        row.requests_per_sec
        for row in rows
        if row.name in (CEILING, CEILING_AGAIN) and not row.failed and row.requests_per_sec
    ]
    if not ceilings:
        return None
    ceiling = sum(ceilings) / len(ceilings)
    if max(ceilings) > 1.2 * min(ceilings):
        next(row for row in rows if row.name in (CEILING, CEILING_AGAIN)).notes.append(
            f"the two ceiling measurements differ by {max(ceilings) / min(ceilings) - 1:.0%}: the machine is busy"
        )
    for row in rows:
        if row.requests_per_sec is not None:
            row.ratio = round(row.requests_per_sec / ceiling, 3)
    return ceiling


def number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def table(rows: list[Row]) -> str:
    header = f"{'page':<22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>10} {'target':>7}  result"
    lines = [header, "-" * len(header)]
    for row in rows:
        target = "" if row.target is None else f"≥ {row.target:.2f}"
        lines.append(
            f"{row.name:<22} {number(row.requests_per_sec):>9} {number(row.p50_ms, 2):>8} {number(row.p99_ms, 2):>8}"
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
