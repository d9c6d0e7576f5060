"""Chart geometry for server-drawn SVG: a line over time, horizontal bars, a grid of counts.

Plain functions with no ORM and no HTML: they place things in a fixed coordinate
space (the SVG's viewBox) and the templates in templates/practices/dashboard/
draw them. Coordinates are strings, so that no locale turns 12.5 into "12,5".
"""

from dataclasses import dataclass
from datetime import date

WIDTH = 400
LABEL_CHARS = 24


def nice_max(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50... at least `value`: a round top for an axis."""
    top = 1
    while True:
        for step in (1, 2, 5):
            if top * step >= value:
                return top * step
        top *= 10


def shorten(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else f"{label[: limit - 1]}…"


def coordinate(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class Tick:
    position: str
    label: str


@dataclass(frozen=True)
class DateTick:
    position: str
    day: date
    anchor: str


@dataclass(frozen=True)
class Line:
    label: str
    points: str
    css: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    lines: list[Line]
    y_ticks: list[Tick]
    x_ticks: list[DateTick]


def line_chart(
    days: list[date], series: list[tuple[str, list[float]]], height: int = 200, styles: list[str] | None = None
) -> LineChart:
    """Lines of values over `days` (by default at most two styles: the first solid, the second dashed)."""
    styles = styles or ["line-main", "line-compare"]
    left, right, top, bottom = 40, WIDTH - 10, 12, height - 28
    peak = nice_max(max((max(values, default=0) for _label, values in series), default=0))

    def x(index: int) -> float:
        return left + (right - left) * (index / (len(days) - 1) if len(days) > 1 else 0.5)

    def y(value: float) -> float:
        return bottom - (bottom - top) * value / peak

    lines = [
        Line(
            label=label,
            points=" ".join(f"{coordinate(x(i))},{coordinate(y(v))}" for i, v in enumerate(values)),
            css=styles[min(number, len(styles) - 1)],
        )
        for number, (label, values) in enumerate(series)
    ]
    levels = [0, peak // 2, peak] if peak % 2 == 0 else [0, peak]
    y_ticks = [Tick(position=coordinate(y(level)), label=str(level)) for level in levels]
    picked = sorted({0, len(days) // 2, len(days) - 1}) if days else []
    anchors = {0: "start", len(days) - 1: "end"}
    x_ticks = [DateTick(position=coordinate(x(i)), day=days[i], anchor=anchors.get(i, "middle")) for i in picked]
    return LineChart(WIDTH, height, left, right, top, bottom, lines, y_ticks, x_ticks)


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: str
    text_y: str
    width: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_x: int
    bar_height: int
    bars: list[Bar]


def bar_chart(items: list[tuple[str, int | None]], maximum: int = 100, unit: str = "") -> BarChart:
    """Horizontal bars, one per (label, value); None draws no bar and says "—"."""
    bar_x, bar_end, bar_height, step = 150, WIDTH - 48, 20, 30
    bars = []
    for index, (label, value) in enumerate(items):
        top = 6 + index * step
        length = (bar_end - bar_x) * min(value or 0, maximum) / maximum if maximum else 0
        bars.append(
            Bar(
                label=shorten(label, 20),
                text="—" if value is None else f"{value}{unit}",
                y=coordinate(top),
                text_y=coordinate(top + bar_height * 0.72),
                width=coordinate(max(length, 0)),
            )
        )
    return BarChart(WIDTH, 12 + step * max(len(items), 1), bar_x, bar_height, bars)


@dataclass(frozen=True)
class GridCell:
    x: str
    y: str
    text_x: str
    text_y: str
    value: int
    level: int
    gap: bool


@dataclass(frozen=True)
class GridRow:
    label: str
    text_y: str
    cells: list[GridCell]


@dataclass(frozen=True)
class GridChart:
    width: int
    height: int
    cell_width: str
    cell_height: int
    columns: list[Tick]
    rows: list[GridRow]
    header: int


def grid_chart(columns: list[str], rows: list[tuple[str, list[tuple[int, bool]]]]) -> GridChart:
    """A table of counts as shaded cells: rows × columns of (count, is a gap); darker is more."""
    label_width, header, cell_height = 150, 84, 34
    cell_width = (WIDTH - label_width - 4) / max(len(columns), 1)
    peak = max((value for _label, cells in rows for value, _gap in cells), default=0)
    ticks = [
        Tick(position=coordinate(label_width + cell_width * (index + 0.5)), label=shorten(label, 16))
        for index, label in enumerate(columns)
    ]
    grid_rows = []
    for row_index, (label, cells) in enumerate(rows):
        top = header + row_index * cell_height
        grid_rows.append(
            GridRow(
                label=shorten(label, 19),
                text_y=coordinate(top + cell_height * 0.62),
                cells=[
                    GridCell(
                        x=coordinate(label_width + cell_width * index + 1),
                        y=coordinate(top + 1),
                        text_x=coordinate(label_width + cell_width * (index + 0.5)),
                        text_y=coordinate(top + cell_height * 0.62),
                        value=value,
                        # Five shades; 0 only for an empty cell.
                        level=0 if not value or not peak else 1 + min(3, (4 * value - 1) // peak),
                        gap=gap,
                    )
                    for index, (value, gap) in enumerate(cells)
                ],
            )
        )
    height = header + cell_height * max(len(rows), 1) + 4
    return GridChart(WIDTH, height, coordinate(cell_width - 2), cell_height - 2, ticks, grid_rows, header)
