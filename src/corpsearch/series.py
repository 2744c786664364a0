"""Attention over time (``query --histogram PERIOD --share``, ``--by site|author``).

Per period: how many documents match, and with ``share`` what part they are of all documents of
the same kind in that period (Media Cloud's "attention" measure: a count alone grows with the
corpus). ``by`` splits the hits into one series per site or author (the ``top`` most frequent),
and each series' share is then taken of that site's or author's own documents.

Counts come from one pass over the matching documents' values and, for shares, one pass over the
values of every document of the kinds counted; only the counts are held.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, tzinfo

from .charts import bar
from .choices import SERIES_BY
from .engine import Engine
from .engine.base import DocValues
from .errors import ConfigError
from .export import csv_cells, json_text, safe_terminal_text
from .facets import HISTOGRAM_UNITS, MAX_BUCKETS, NONE, next_period, period_key, period_start
from .fields import csv_lines
from .query import ast

__all__ = [
    "SERIES_BY",
    "SERIES_COLUMNS",
    "Point",
    "Series",
    "TimeSeries",
    "render_series",
    "render_series_rows",
    "time_series",
]

ALL = "(all)"


@dataclass(frozen=True, slots=True)
class Point:
    """One period: ``count`` matching documents, ``total`` documents of the same kind (and site
    or author) in it when shares were asked for, and ``share`` = count / total."""

    key: str
    start: date
    count: int
    total: int | None = None

    @property
    def share(self) -> float | None:
        """None without shares, and for a period with no documents at all (no share to give)."""
        if not self.total:
            return None
        return self.count / self.total

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "key": self.key,
            "start": self.start.isoformat(),
            "count": self.count,
        }
        if self.total is not None:
            data["total"] = self.total
            share = self.share
            data["share"] = None if share is None else round(share, 6)
        return data


@dataclass(frozen=True, slots=True)
class Series:
    """One line of the chart: every hit (``value`` is ``(all)``) or one site's or author's."""

    value: str
    count: int
    points: tuple[Point, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "value": self.value,
            "count": self.count,
            "points": [p.to_dict() for p in self.points],
        }


@dataclass(frozen=True, slots=True)
class TimeSeries:
    unit: str
    by: str | None
    share: bool
    kinds: tuple[str, ...]  # the kinds the shares are taken of
    series: tuple[Series, ...]
    undated: int = 0
    others: int = 0  # hits of values beyond the top ones
    total: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "unit": self.unit,
            "by": self.by,
            "share": self.share,
            "share_of": list(self.kinds) if self.share else None,
            "total": self.total,
            "undated": self.undated,
            "others": self.others,
            "series": [s.to_dict() for s in self.series],
        }


def time_series(
    engine: Engine,
    tree: ast.Node,
    unit: str,
    *,
    share: bool = False,
    by: str | None = None,
    top: int = 5,
    kind: str | None = None,
    base: ast.Node | None = None,
    tz: tzinfo = UTC,
) -> TimeSeries:
    """Hits of ``tree`` per period in ``tz``; shares are of the documents of ``kind`` (by default
    the kinds the hits are of) in the same period (and site or author with ``by``) among
    ``base`` (every document by default; give the query's date filters so that a period cut
    by them is compared with the same part of it)."""
    if unit not in HISTOGRAM_UNITS:
        raise ConfigError(f"unknown period {unit!r}; choose from {', '.join(HISTOGRAM_UNITS)}")
    if by is not None and by not in SERIES_BY:
        raise ConfigError(f"cannot split by {by!r}; choose from {', '.join(SERIES_BY)}")
    if top < 1:
        raise ConfigError("--top must be at least 1")
    counts: Counter[tuple[str, date]] = Counter()
    per_value: Counter[str] = Counter()
    kinds: set[str] = set()
    total = undated = 0
    for doc in engine.scan(tree):
        total += 1
        kinds.add(doc.kind)
        value = _value(doc, by)
        per_value[value] += 1
        start = _start(doc, unit, tz)
        if start is None:
            undated += 1
        else:
            counts[(value, start)] += 1
    ranked = sorted(per_value.items(), key=lambda item: (-item[1], item[0]))
    chosen = [value for value, _ in ranked[:top]]
    others = sum(n for _, n in ranked[top:])
    share_kinds = (kind,) if kind is not None else tuple(sorted(kinds))
    totals: Counter[tuple[str, date]] | None = None
    if share and counts:
        totals = _totals(engine, base, share_kinds, by, set(chosen), unit, tz)
    periods = _periods({start for _, start in counts}, unit)
    series = tuple(
        Series(
            value,
            per_value[value],
            tuple(
                Point(
                    period_key(start, unit),
                    start,
                    counts.get((value, start), 0),
                    totals.get((value, start), 0) if totals is not None else None,
                )
                for start in periods
            ),
        )
        for value in chosen
    )
    return TimeSeries(unit, by, share, share_kinds, series, undated, others, total)


def _value(doc: DocValues, by: str | None) -> str:
    if by == "site":
        return doc.site or NONE
    if by == "author":
        return doc.author or NONE
    return ALL


def _start(doc: DocValues, unit: str, tz: tzinfo) -> date | None:
    if doc.date is None:
        return None
    return period_start(doc.date.astimezone(tz).date(), unit)


def _totals(
    engine: Engine,
    base: ast.Node | None,
    kinds: tuple[str, ...],
    by: str | None,
    values: set[str],
    unit: str,
    tz: tzinfo,
) -> Counter[tuple[str, date]]:
    """Every document of ``kinds`` per (value, period): the denominators of the shares."""
    totals: Counter[tuple[str, date]] = Counter()
    everything: ast.Node = ast.Or(tuple(ast.Term("kind", k) for k in kinds))
    if base is not None:
        everything = ast.And((base, everything))
    for doc in engine.scan(everything):
        value = _value(doc, by)
        if value not in values:
            continue
        start = _start(doc, unit, tz)
        if start is not None:
            totals[(value, start)] += 1
    return totals


def _periods(starts: set[date], unit: str) -> list[date]:
    """Every period from the first hit's to the last's, empty ones too."""
    if not starts:
        return []
    current, last = min(starts), max(starts)
    out: list[date] = []
    while current <= last:
        if len(out) >= MAX_BUCKETS:
            raise ConfigError(
                f"the hits span more than {MAX_BUCKETS:,} {unit}s; use a longer period "
                "(--histogram month or year) or a narrower date range"
            )
        out.append(current)
        current = next_period(current, unit)
    return out


SERIES_COLUMNS = ("series", "key", "start", "count", "total", "share")


def render_series_rows(series: TimeSeries, fmt: str, *, raw_csv: bool = False) -> Iterator[str]:
    """One row per series and period: ``series, key, start, count, total, share`` (total and
    share empty without --share), as CSV or JSON Lines; ``raw_csv``: see
    :func:`corpsearch.export.csv_cell`."""
    rows = (
        {"series": line.value, "total": None, "share": None, **point.to_dict()}
        for line in series.series
        for point in line.points
    )
    if fmt == "jsonl":
        for row in rows:
            yield json_text({name: row[name] for name in SERIES_COLUMNS}) + "\n"
    else:
        cells = ([row[n] for n in SERIES_COLUMNS] for row in rows)
        yield from csv_lines(SERIES_COLUMNS, cells, functools.partial(csv_cells, raw=raw_csv))


def render_series(series: TimeSeries, width: int = 80) -> Iterator[str]:
    """The series as bar charts: counts, or with shares ``count of total  share%`` and bars of
    the share (so periods of a growing corpus compare)."""
    what = (
        "hits"
        if not series.share
        else f"share of all {' and '.join(k + 's' for k in series.kinds)}"
    )
    split = f" by {series.by} (top {len(series.series)})" if series.by else ""
    yield f"\n{what} per {series.unit}{split}:\n"
    if not series.series or not series.series[0].points:
        yield "   (no dated hits)\n"
    for line in series.series:
        if series.by:
            value = safe_terminal_text(line.value)  # an author or site: page text
            yield f"  {value} ({line.count:,} hit{'s' if line.count != 1 else ''})\n"
        label = max(len(p.key) for p in line.points) if line.points else 0
        digits = max((len(f"{p.count:,}") for p in line.points), default=1)
        totals = max((len(f"{p.total:,}") for p in line.points if p.total is not None), default=0)
        room = min(50, max(5, width - label - digits - totals - 20))
        top = (
            max((p.share or 0.0) if series.share else p.count for p in line.points)
            if line.points
            else 0
        )
        for point in line.points:
            head = f"   {point.key:<{label}}  {point.count:>{digits},}"
            if series.share and point.total is not None:
                share = point.share
                shown = "–" if share is None else f"{share:.1%}"
                head += f" of {point.total:>{totals},}  {shown:>6}"
                size = bar(round((share or 0) * 1_000_000), round(top * 1_000_000), room)
            else:
                size = bar(point.count, int(top), room)
            yield f"{head}  {size}".rstrip() + "\n"
    if series.others:
        yield f"   ({series.others:,} hit(s) of other {series.by}s not shown; raise --top)\n"
    if series.undated:
        yield f"   ({series.undated:,} hit(s) without a date)\n"
