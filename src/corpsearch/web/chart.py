"""The attention-over-time chart: hits per period, their share of all documents, and a series
per top site or author, drawn as SVG on the server (the page runs no script).

Counts come from the ``day`` facet of one :meth:`corpsearch.Index.summary` pass; periods are
made from days here, with the same keys as ``corpsearch query --histogram`` (ISO weeks start on
Monday), and shares are taken as ``--share`` takes them, so the chart is the CLI's histogram.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..errors import ConfigError
from ..facets import MAX_BUCKETS, NONE, next_period, period_key, period_start
from ..series import TimeSeries

__all__ = ["Bar", "Chart", "Line", "build_chart", "choose_unit", "day_counts", "periods"]

WIDTH, HEIGHT = 720, 180
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 8, 28
# With the unit left to corpsearch, the chart has at most this many bars.
AUTO_BARS = 120
MAX_STEP = 40.0
SERIES_COLOURS = ("#b8336a", "#2a7f62", "#c17c00", "#5b4fc4", "#1d6fa3")


@dataclass(frozen=True, slots=True)
class Bar:
    key: str
    start: date
    count: int
    share: float | None  # of all documents in the period, 0..1; None when none is known
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    colour: str
    counts: tuple[int, ...]
    points: str  # SVG polyline points


@dataclass(frozen=True, slots=True)
class Chart:
    unit: str
    bars: tuple[Bar, ...]
    largest: int
    undated: int
    series: tuple[Line, ...] = ()
    width: int = WIDTH
    height: int = HEIGHT
    ticks: tuple[tuple[float, str], ...] = field(default=())
    baseline: float = HEIGHT - BOTTOM
    share_of: str = "documents"  # what the shares are of: "comments", "articles and comments"

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)


def day_counts(pairs: Iterable[tuple[str, int]]) -> tuple[Counter[date], int]:
    """The ``day`` facet's pairs as counts per day, and the number of undated hits."""
    days: Counter[date] = Counter()
    undated = 0
    for key, count in pairs:
        if key == NONE:
            undated += count
        else:
            days[date.fromisoformat(key)] += count
    return days, undated


def choose_unit(days: Iterable[date]) -> str:
    """The finest unit that draws the span of ``days`` in at most :data:`AUTO_BARS` bars."""
    known = list(days)
    if not known:
        return "month"
    span = (max(known) - min(known)).days + 1
    for unit, length in (("day", 1), ("week", 7), ("month", 31)):
        if span / length <= AUTO_BARS:
            return unit
    return "year"


def periods(days: Counter[date], unit: str) -> list[tuple[date, int]]:
    """Counts per period from the first dated hit to the last, empty periods included."""
    if not days:
        return []
    counts: Counter[date] = Counter()
    for day, count in days.items():
        counts[period_start(day, unit)] += count
    first, last = min(counts), max(counts)
    out: list[tuple[date, int]] = []
    current = first
    while current <= last:
        if len(out) >= MAX_BUCKETS:
            raise ConfigError(
                f"the hits span more than {MAX_BUCKETS:,} {unit}s; choose a longer period "
                "(month or year) or a narrower date range"
            )
        out.append((current, counts.get(current, 0)))
        current = next_period(current, unit)
    return out


def build_chart(
    days: Counter[date],
    undated: int,
    unit: str,
    *,
    all_days: Counter[date] | None = None,
    series: TimeSeries | None = None,
    share_of: tuple[str, ...] = (),
) -> Chart:
    """The chart of ``days`` per ``unit``. ``all_days``, the documents the hits are compared
    with (those of the hits' kinds within the date filters, as ``query --share`` takes them),
    gives each bar's share; ``series`` (``query --by``) a line per site or author."""
    rows = periods(days, unit)
    everything: Counter[date] = Counter()
    for day, count in (all_days or {}).items():
        everything[period_start(day, unit)] += count
    largest = max((count for _, count in rows), default=0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    # A few bars stay bar-shaped instead of filling the whole width.
    step = min(plot_w / len(rows), MAX_STEP) if rows else plot_w
    gap = min(2.0, step * 0.2)
    bars = []
    for number, (start, count) in enumerate(rows):
        height = plot_h * count / largest if largest else 0.0
        known = everything.get(start, 0)
        bars.append(
            Bar(
                key=period_key(start, unit),
                start=start,
                count=count,
                share=count / known if all_days is not None and known else None,
                x=round(LEFT + number * step + gap / 2, 2),
                y=round(TOP + plot_h - height, 2),
                width=round(max(step - gap, 0.5), 2),
                height=round(height, 2),
            )
        )
    lines = []
    index = {start: number for number, (start, _) in enumerate(rows)}
    lines_of = series.series if series is not None else ()
    for line, colour in zip(lines_of, SERIES_COLOURS, strict=False):
        label = line.value
        values = [0] * len(rows)
        for point in line.points:
            where = index.get(point.start)
            if where is not None:
                values[where] += point.count
        points = " ".join(
            f"{LEFT + (n + 0.5) * step:.1f},{TOP + plot_h - (plot_h * v / largest if largest else 0):.1f}"
            for n, v in enumerate(values)
        )
        lines.append(Line(label, colour, tuple(values), points))
    return Chart(
        unit=unit,
        bars=tuple(bars),
        largest=largest,
        undated=undated,
        series=tuple(lines),
        ticks=_ticks(bars),
        share_of=" and ".join(f"{kind}s" for kind in share_of) or "documents",
    )


def _ticks(bars: Sequence[Bar]) -> tuple[tuple[float, str], ...]:
    """At most six labels under the bars, evenly spread."""
    if not bars:
        return ()
    every = max(1, -(-len(bars) // 6))
    return tuple((round(bar.x + bar.width / 2, 2), bar.key) for bar in bars[::every])
