"""The attention-over-time chart: hits per period, their share of all documents, and a series
per top site or author, drawn as SVG on the server (the page runs no script).

Counts come from the ``day`` facet of one :meth:`corpsearch.Index.summary` pass; periods are
made from days here, with the same keys as ``corpsearch query --histogram`` (ISO weeks start on
Monday), so the chart's bars are the CLI's histogram.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..errors import ConfigError
from ..facets import MAX_BUCKETS, NONE, period_key

__all__ = ["Bar", "Chart", "Series", "build_chart", "choose_unit", "day_counts", "periods"]

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
class Series:
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
    series: tuple[Series, ...] = ()
    width: int = WIDTH
    height: int = HEIGHT
    ticks: tuple[tuple[float, str], ...] = field(default=())
    baseline: float = HEIGHT - BOTTOM

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


def period_start(day: date, unit: str) -> date:
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def _next(start: date, unit: str) -> date:
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


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
        current = _next(current, unit)
    return out


def build_chart(
    days: Counter[date],
    undated: int,
    unit: str,
    *,
    all_days: Counter[date] | None = None,
    series: Sequence[tuple[str, Counter[date]]] = (),
) -> Chart:
    """The chart of ``days`` per ``unit``; ``all_days`` (every document) gives each bar's share,
    ``series`` a line per label."""
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
    for (label, counted), colour in zip(series, SERIES_COLOURS, strict=False):
        values = [0] * len(rows)
        for day, count in counted.items():
            where = index.get(period_start(day, unit))
            if where is not None:
                values[where] += count
        points = " ".join(
            f"{LEFT + (n + 0.5) * step:.1f},{TOP + plot_h - (plot_h * v / largest if largest else 0):.1f}"
            for n, v in enumerate(values)
        )
        lines.append(Series(label, colour, tuple(values), points))
    return Chart(
        unit=unit,
        bars=tuple(bars),
        largest=largest,
        undated=undated,
        series=tuple(lines),
        ticks=_ticks(bars),
    )


def _ticks(bars: Sequence[Bar]) -> tuple[tuple[float, str], ...]:
    """At most six labels under the bars, evenly spread."""
    if not bars:
        return ()
    every = max(1, -(-len(bars) // 6))
    return tuple((round(bar.x + bar.width / 2, 2), bar.key) for bar in bars[::every])
