"""Counts of hits: by site, author, kind, or period (facets), and over time (a histogram).

Both come from one pass over the matching documents' values, so they cost about the same
whether a query has ten hits or a million; only the counts themselves are held.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta, tzinfo

from .choices import FACETS, HISTOGRAM_UNITS, SERIES_BY
from .engine.base import COUNTED, DocValues, ValueCounts, count_values, period_start
from .errors import ConfigError

__all__ = [
    "FACETS",
    "HISTOGRAM_UNITS",
    "SERIES_BY",
    "Bucket",
    "Summary",
    "next_period",
    "period_key",
    "period_start",
    "summarise",
]

NONE = "(none)"


@dataclass(frozen=True, slots=True)
class Bucket:
    """One period of a histogram: its key (2014-09, 2014-W37, ...), first day and hit count."""

    key: str
    start: date
    count: int

    def to_dict(self) -> dict[str, object]:
        return {"key": self.key, "start": self.start.isoformat(), "count": self.count}


@dataclass(slots=True)
class Summary:
    """``facets`` maps a facet name to (value, count) pairs, most frequent first."""

    total: int = 0
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    histogram_unit: str | None = None
    histogram: list[Bucket] = field(default_factory=list)
    undated: int = 0

    def to_dict(self) -> dict[str, object]:
        result: dict[str, object] = {"total": self.total}
        if self.facets:
            result["facets"] = {
                name: [{"value": value, "count": count} for value, count in pairs]
                for name, pairs in self.facets.items()
            }
        if self.histogram_unit is not None:
            result["histogram"] = {
                "unit": self.histogram_unit,
                "buckets": [bucket.to_dict() for bucket in self.histogram],
                "undated": self.undated,
            }
        return result


def summarise(
    values: Iterable[DocValues],
    *,
    facets: Iterable[str] = (),
    histogram: str | None = None,
    tz: tzinfo = UTC,
    top: int | None = None,
) -> Summary:
    """Count ``values`` by each facet and, with ``histogram``, by period (dates read in ``tz``)."""
    names, fields, period = counting(facets, histogram)
    return from_counts(
        count_values(values, fields, period, tz), facets=names, histogram=histogram, top=top
    )


def counting(
    facets: Iterable[str], histogram: str | None
) -> tuple[list[str], list[str], str | None]:
    """The facets asked for (checked), the values to count for them, and the period to count
    dates by: days for days and weeks, else months for months, else years."""
    names = list(dict.fromkeys(facets))
    for name in names:
        if name not in FACETS:
            raise ConfigError(f"unknown facet {name!r}; choose from {', '.join(FACETS)}")
    if histogram is not None and histogram not in HISTOGRAM_UNITS:
        raise ConfigError(
            f"unknown histogram unit {histogram!r}; choose from {', '.join(HISTOGRAM_UNITS)}"
        )
    units = {name for name in names if name in HISTOGRAM_UNITS} | {histogram} - {None}
    period = next((p for p in ("day", "month", "year") if p in units), None)
    if "week" in units:
        period = "day"
    fields = [name for name in names if name in COUNTED]
    return names, fields, period


def from_counts(
    counts: ValueCounts,
    *,
    facets: Iterable[str] = (),
    histogram: str | None = None,
    top: int | None = None,
) -> Summary:
    """The summary of an engine's counts (made with the fields and period of :func:`counting`)."""
    summary = Summary(total=counts.total, histogram_unit=histogram)
    for name in facets:
        counter: Counter[str] = Counter()
        if name in COUNTED:
            for value, count in counts.values[name].items():
                counter[value or NONE] += count
        else:
            for start, count in counts.periods.items():
                counter[period_key(start, name)] += count
            if counts.undated:
                counter[NONE] += counts.undated
        ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        summary.facets[name] = ordered[:top] if top else ordered
    if histogram is not None:
        summary.undated = counts.undated
        periods: Counter[date] = Counter()
        for start, count in counts.periods.items():
            periods[period_start(start, histogram)] += count
        if periods:
            summary.histogram = _buckets(periods, histogram)
    return summary


def period_key(day: date, unit: str) -> str:
    """The key of the period holding ``day``: 2014-09-13, 2014-W37, 2014-09 or 2014."""
    if unit == "day":
        return day.isoformat()
    if unit == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def _next_start(start: date, unit: str) -> date:
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


# A histogram lists every period from the first hit to the last, empty ones too, up to this many.
MAX_BUCKETS = 10_000


def _buckets(periods: Counter[date], unit: str) -> list[Bucket]:
    first, last = min(periods), max(periods)
    buckets: list[Bucket] = []
    current = first
    while current <= last:
        if len(buckets) >= MAX_BUCKETS:
            raise ConfigError(
                f"the hits span more than {MAX_BUCKETS:,} {unit}s; use a longer unit "
                "(--histogram month or year) or a narrower date range"
            )
        buckets.append(Bucket(period_key(current, unit), current, periods.get(current, 0)))
        current = _next_start(current, unit)
    return buckets


# The first day of the period after one (for time series); period_start, the first day of the
# period holding a day, comes from the engine seam, which counts by it.
next_period = _next_start
