"""Counts from an engine's aggregations: the requests and how to read their answers.

An engine that can aggregate over value columns (tantivy's fast fields) answers
:meth:`~corpsearch.engine.base.Engine.counts` in two aggregations instead of reading every
match: one counts the distinct values of each field and the span of the matches' dates, the
other counts the dates by local period, as ranges of UTC seconds between the first instants of
consecutive periods in the zone asked for (so daylight-saving changes and offsets of any size
count exactly as the plain implementation does). The requests are the Elasticsearch-style
dictionaries tantivy accepts; nothing here imports an engine library.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from .base import period_start

__all__ = [
    "MAX_BUCKETS",
    "date_request",
    "period_bounds",
    "read_dates",
    "read_terms",
    "read_values",
    "terms_request",
]

# tantivy refuses an aggregation that makes more than 65,000 buckets; asking for fewer leaves
# room for the few others of the same request. A field with more distinct values than this (or
# a span of more periods) is counted by reading the matches instead.
MAX_BUCKETS = 60_000
SPAN = "span"


def terms_request(column: str) -> dict[str, Any]:
    """The distinct values of one column and how many matches hold each."""
    return {"terms": {"field": column, "size": MAX_BUCKETS, "segment_size": MAX_BUCKETS}}


def read_terms(found: Mapping[str, Any]) -> dict[str, int] | None:
    """A :func:`terms_request`'s values and counts, or ``None`` if it did not hold them all."""
    if found.get("sum_other_doc_count") or found.get("doc_count_error_upper_bound"):
        return None
    return {str(b["key"]): int(b["doc_count"]) for b in found["buckets"]}


def values_request(columns: Mapping[str, str], seconds: str) -> dict[str, Any]:
    """Distinct values of each column (counted field → column) and the span of the dates."""
    request: dict[str, Any] = {name: terms_request(column) for name, column in columns.items()}
    request[SPAN] = {"stats": {"field": seconds}}
    return request


def read_values(
    answer: Mapping[str, Any], fields: Sequence[str], total: int
) -> dict[str, dict[str | None, int]] | None:
    """Each field's values and counts (``None``: matches without one), or ``None`` when an
    answer is not complete (a field had more distinct values than were asked for)."""
    values: dict[str, dict[str | None, int]] = {}
    for name in fields:
        terms = read_terms(answer[name])
        if terms is None:
            return None
        counts: dict[str | None, int] = {key: count for key, count in terms.items()}
        missing = total - sum(counts.values())
        if missing:
            counts[None] = missing
        values[name] = counts
    return values


def dated(answer: Mapping[str, Any]) -> tuple[int, int, int]:
    """How many matches have a date, and the first and last of their UTC seconds."""
    span = answer[SPAN]
    count = int(span["count"])
    if not count:
        return 0, 0, 0
    return count, math.floor(span["min"]), math.floor(span["max"])


def period_bounds(first: int, last: int, period: str, tz: tzinfo) -> list[tuple[date, int]] | None:
    """The local periods from the one holding UTC second ``first`` to the one after the one
    holding ``last``, each with the UTC second it begins at; ``None`` if they are too many."""
    start = period_start(_local_day(first, tz), period)
    end = period_start(_local_day(last, tz), period)
    bounds: list[tuple[date, int]] = []
    while True:
        bounds.append((start, _first_second(start, tz)))
        if start > end:
            return bounds
        if len(bounds) > MAX_BUCKETS:
            return None
        start = _next(start, period)


def date_request(seconds: str, bounds: Sequence[tuple[date, int]]) -> dict[str, Any]:
    """One range of UTC seconds per period: from its first second to the next period's."""
    ranges = [
        {"key": day.isoformat(), "from": begin, "to": bounds[i + 1][1]}
        for i, (day, begin) in enumerate(bounds[:-1])
    ]
    return {"periods": {"range": {"field": seconds, "ranges": ranges}}}


def read_dates(answer: Mapping[str, Any]) -> dict[date, int]:
    return {
        date.fromisoformat(str(bucket["key"])): int(bucket["doc_count"])
        for bucket in answer["periods"]["buckets"]
        if bucket.get("doc_count") and "from" in bucket and "to" in bucket
    }


def _local_day(second: int, tz: tzinfo) -> date:
    return datetime.fromtimestamp(second, UTC).astimezone(tz).date()


def _first_second(day: date, tz: tzinfo) -> int:
    """The UTC second at which ``day`` begins in ``tz``. A midnight skipped by a clock change
    (fold 0) is read with the offset before the change: the instant of the change itself."""
    return math.floor(datetime.combine(day, time(), tz).timestamp())


def _next(start: date, period: str) -> date:
    if period == "day":
        return date.fromordinal(start.toordinal() + 1)
    if period == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)
