"""Counts of hits: by site, author, kind, or period (facets), and over time (a histogram).

Both come from one pass over the matching documents' values, so they cost about the same
whether a query has ten hits or a million; only the counts themselves are held.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from .engine.base import DocValues
from .errors import ConfigError

__all__ = [
    "FACETS",
    "HISTOGRAM_UNITS",
    "Bucket",
    "Summary",
    "next_period",
    "period_key",
    "period_start",
    "summarise",
]

FACETS = ("site", "author", "kind", "day", "week", "month", "year")
HISTOGRAM_UNITS = ("day", "week", "month", "year")
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
    names = list(dict.fromkeys(facets))
    for name in names:
        if name not in FACETS:
            raise ConfigError(f"unknown facet {name!r}; choose from {', '.join(FACETS)}")
    if histogram is not None and histogram not in HISTOGRAM_UNITS:
        raise ConfigError(
            f"unknown histogram unit {histogram!r}; choose from {', '.join(HISTOGRAM_UNITS)}"
        )
    counters = {name: Counter[str]() for name in names}
    periods: Counter[date] = Counter()
    summary = Summary(histogram_unit=histogram)
    for doc in values:
        summary.total += 1
        local = doc.date.astimezone(tz) if doc.date is not None else None
        for name, counter in counters.items():
            counter[_facet_value(doc, name, local)] += 1
        if histogram is not None:
            if local is None:
                summary.undated += 1
            else:
                periods[_period_start(local.date(), histogram)] += 1
    for name, counter in counters.items():
        ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        summary.facets[name] = ordered[:top] if top else ordered
    if histogram is not None and periods:
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


def _facet_value(doc: DocValues, name: str, local: datetime | None) -> str:
    if name == "site":
        return doc.site or NONE
    if name == "author":
        return doc.author or NONE
    if name == "kind":
        return doc.kind
    return period_key(local.date(), name) if local is not None else NONE


def _period_start(day: date, unit: str) -> date:
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


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


# The first day of the period holding a day, and of the period after one (for time series).
period_start = _period_start
next_period = _next_start
