"""The postgres engine's counts (facets, histograms) as ``GROUP BY`` queries, and how to read
their rows. Nothing here talks to a server: the engine module runs the SQL.

One table (a single server) is counted in one scan with ``GROUPING SETS``: the total, each
counted field, and the local period of each match's date, computed by the server in the zone
asked for (``date AT TIME ZONE``, then ``date_trunc``), so clock changes and offsets such as
+05:45 fall where reading each match's date in Python puts them. postgres_fdw never sends
``GROUPING SETS`` to a shard, so the shards of a cluster (see corpsearch.cluster) are counted
by a join with each shard's small table of numbers (``count_axes``, 0 to 7): every match meets
one number per grouping set (0 the total, 1 the first field, …), a ``CASE`` on it picks the
value counted, and one plain ``GROUP BY`` over the join, which postgres_fdw sends whole, counts
them all in one scan of the shard's matches. The shards' parts are joined by ``UNION ALL``,
run at once (``async_capable``) and summed. An index made before ``count_axes`` (and a period
the shards cannot be sent, below) is counted by one ``GROUP BY`` per shard and field instead.

On shards the local period is not ``date AT TIME ZONE``: postgres_fdw never sends a function
that takes a text constant (the zone's name; its collation is not a column's), so the shards
would send every match's date to be grouped on the coordinator. Instead Python computes the
first second of every local period from the first to the last date of the index
(:func:`period_thresholds`, from the same zone rules that read each match's date) and each
shard groups by ``width_bucket(date_s, thresholds)``, which it is sent.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from .base import ValueCounts

__all__ = ["Thresholds", "counts_sql", "period_thresholds", "read_counts", "zone_parameter"]

_COLUMN = {"kind": "kind", "site": "site", "author": "author"}
# date_trunc's names of the periods Engine.counts takes (a week is counted by its days)
_TRUNC = {"day": "day", "month": "month", "year": "year"}
TOTAL, PERIOD = "", "period"
# More local periods than this between an index's first and last dates are grouped on the
# coordinator (the thresholds travel in every shard's statement).
MAX_THRESHOLDS = 20_000
# The rows of a shard's count_axes (postgres_cluster.AXES): the total and up to seven groups.
AXES_LIMIT = 8
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The first UTC second of each local period (``seconds``, ascending), the period's first
    day (``starts``) and, last, the first second of the period after them: ``width_bucket``
    numbers the periods from 1; 0 and ``len(starts) + 1`` are dates outside them."""

    seconds: tuple[int, ...]
    starts: tuple[date, ...]


def zone_parameter(tz: tzinfo) -> tuple[str, object] | None:
    """The SQL placeholder and value that name ``tz`` to the server, or ``None`` when it
    cannot be named (the engine then counts from the matches' values)."""
    if isinstance(tz, ZoneInfo) and tz.key:
        return "%s", tz.key
    if tz is UTC:
        return "%s", "UTC"
    if isinstance(tz, timezone):
        offset = tz.utcoffset(None)
        # an interval is an offset east of UTC (a text '+05:45' would be POSIX: west)
        return "%s::interval", f"{offset // timedelta(seconds=1)} seconds"
    return None


def _period(period: str, zone: str) -> str:
    return f"date_trunc('{_TRUNC[period]}', date AT TIME ZONE {zone})::date"


def _local_day(second: int, tz: tzinfo) -> date:
    return datetime.fromtimestamp(second, tz).date()


def _first_second(day: date, tz: tzinfo) -> int:
    """The first whole UTC second whose local date in ``tz`` is ``day`` or later."""
    guess = int(datetime.combine(day, time(), tzinfo=tz).timestamp())
    if _local_day(guess - 1, tz) < day <= _local_day(guess, tz):
        return guess
    low, high = guess - 2 * 86400, guess + 2 * 86400  # a clock change at midnight moved it
    while low < high:
        middle = (low + high) // 2
        if _local_day(middle, tz) >= day:
            high = middle
        else:
            low = middle + 1
    return low


def _goes_back(start: int, end: int, day: date, tz: tzinfo) -> bool:
    """Whether, between two seconds of ``day``, the clock goes back to the day before (then a
    local day is not one span of seconds, and buckets cannot count it)."""
    offset = datetime.fromtimestamp(start, tz).utcoffset()
    if datetime.fromtimestamp(end, tz).utcoffset() == offset:
        return False
    low, high = start, end  # the first second with the new offset
    while low < high:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == offset:
            low = middle + 1
        else:
            high = middle
    return _local_day(low, tz) < day


def _next_start(day: date, period: str) -> date:
    if period == "day":
        return day + _DAY
    if period == "month":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date(day.year + 1, 1, 1)


def _start(day: date, period: str) -> date:
    if period == "day":
        return day
    return day.replace(day=1) if period == "month" else date(day.year, 1, 1)


def period_thresholds(period: str, tz: tzinfo, first: int, last: int) -> Thresholds | None:
    """The local periods (``day``, ``month``, ``year``) in ``tz`` from the one of UTC second
    ``first`` to the one of ``last``; ``None`` when they are too many, out of Python's range,
    or when a clock change in them goes back across midnight (rare zone histories)."""
    try:
        return _cached_thresholds(period, tz, first, last)
    except TypeError:  # a tzinfo that cannot be hashed
        return _thresholds(period, tz, first, last)


@functools.lru_cache(maxsize=64)
def _cached_thresholds(period: str, tz: tzinfo, first: int, last: int) -> Thresholds | None:
    return _thresholds(period, tz, first, last)


def _thresholds(period: str, tz: tzinfo, first: int, last: int) -> Thresholds | None:
    try:
        day, end = _local_day(first, tz), _local_day(last, tz)
        if (end - day).days > MAX_THRESHOLDS * (1 if period == "day" else 31):
            return None
        start = _start(day, period)
        starts: list[date] = []
        seconds: list[int] = []
        previous = _first_second(start, tz)
        while start <= end:
            following = _next_start(start, period)
            starts.append(start)
            seconds.append(previous)
            # each local day of the period must be one span of seconds (or none: a day a
            # zone skipped, as Samoa's 2011-12-30)
            at, begun = start, previous
            while at < following:
                ends = _first_second(at + _DAY, tz)
                if ends < begun or (ends > begun and _goes_back(begun, ends - 1, at, tz)):
                    return None
                at, begun = at + _DAY, ends
            start, previous = following, begun
            if len(starts) > MAX_THRESHOLDS:
                return None
        seconds.append(previous)
    except (OverflowError, ValueError, OSError):  # beyond the years datetime holds
        return None
    return Thresholds(tuple(seconds), tuple(starts))


def counts_sql(
    tables: Sequence[str],
    where: str,
    params: Sequence[object],
    fields: Sequence[str],
    period: str | None,
    zone: tuple[str, object] | None,
    foreign: bool = False,
    thresholds: Thresholds | None = None,
    axes: Sequence[str] | None = None,
) -> tuple[str, list[object]]:
    """Rows ``(group, value, count)``: ``group`` is ``''`` for the total, a field's name, or
    ``'period'`` (``value`` the period's first day as text, or with ``thresholds`` its number,
    NULL for undated matches). ``foreign``: the tables are shards' foreign tables, each counted
    by plain aggregates, the period by ``thresholds`` when given; ``axes``: each table's
    foreign table of its shard's ``count_axes``, to count every field in one aggregate."""
    # Each match's counted values, its local period computed once in a subquery (the planner
    # pulls it up, so the aggregate over a foreign table is still sent whole to its shard).
    columns = [f"{_COLUMN[name]} AS {name}" for name in fields]
    names = list(fields)
    zone_params: list[object] = []
    if period is not None:
        names.append(PERIOD)
        if thresholds is None:
            if zone is None:
                raise ValueError("periods need a zone the server knows, or thresholds")
            columns.append(f"{_period(period, zone[0])} AS {PERIOD}")
            zone_params.append(zone[1])
    selected = ", ".join(columns) or "1 AS one"

    def matches(table: str) -> tuple[str, list[object]]:
        return f"(SELECT {selected} FROM {table} WHERE {where}) AS m", [*zone_params, *params]

    if len(tables) == 1 and not foreign and thresholds is None:
        source, values = matches(tables[0])
        if not names:
            return f"SELECT '', NULL, count(*) FROM {source}", values
        tags = " ".join(f"WHEN GROUPING({n}) = 0 THEN '{n}'" for n in names)
        # a column outside a row's grouping set is NULL there, so COALESCE gives the set's own
        value = "COALESCE(" + ", ".join(f"({n})::text" for n in names) + ")"
        sets = ", ".join(["()", *(f"({n})" for n in names)])
        statement = (
            f"SELECT CASE {tags} ELSE '' END, {value}, count(*) FROM {source} "
            f"GROUP BY GROUPING SETS ({sets})"
        )
        return statement, values
    if axes is not None and len(names) < AXES_LIMIT and (period is None or thresholds):
        return _joined_counts_sql(tables, axes, where, params, names, thresholds)
    parts: list[str] = []
    values = []
    # Each part is one shard's aggregate, its columns (group, text value, period number,
    # count) as the shard returns them: a cast on the coordinator would put a projection
    # between the Append and the foreign scan, which then no longer runs at once with the others.
    for table in tables:
        parts.append(
            f"SELECT '' AS g, NULL::text AS v, NULL::integer AS b, count(*) AS n FROM {table} "
            f"WHERE {where}"
        )
        values += params
        for name in names:
            # each part selects only its own value (and sends the thresholds only once)
            used: list[object]
            if name != PERIOD:
                value, bucket, used = f"({_COLUMN[name]})::text", "NULL::integer", []
            elif thresholds is not None:
                value, bucket = "NULL::text", "width_bucket(date_s, %s::bigint[])"
                used = [list(thresholds.seconds)]
            else:
                period_sql = columns[-1].removesuffix(f" AS {PERIOD}")
                value, bucket, used = f"({period_sql})::text", "NULL::integer", zone_params
            parts.append(
                f"SELECT '{name}', v, b, count(*) FROM (SELECT {value} AS v, {bucket} AS b "
                f"FROM {table} WHERE {where}) AS m GROUP BY v, b"
            )
            values += [*used, *params]
    statement = (
        "SELECT g, COALESCE(v, (b)::text), sum(n)::bigint FROM ("
        + " UNION ALL ".join(parts)
        + ") AS parts GROUP BY g, v, b"
    )
    return statement, values


def _joined_counts_sql(
    tables: Sequence[str],
    axes: Sequence[str],
    where: str,
    params: Sequence[object],
    names: Sequence[str],
    thresholds: Thresholds | None,
) -> tuple[str, list[object]]:
    """One aggregate per shard over its matches joined with its axes (module docstring)."""
    text = " ".join(
        f"WHEN {at} THEN ({_COLUMN[name]})::text"
        for at, name in enumerate(names, 1)
        if name != PERIOD
    )
    # the bucket number stays an integer: postgres_fdw sends no cast of it to text
    bucket = "NULL::integer"
    used: list[object] = []
    if PERIOD in names and thresholds is not None:
        at = names.index(PERIOD) + 1
        bucket = f"CASE a.axis WHEN {at} THEN width_bucket(date_s, %s::bigint[]) END"
        used = [list(thresholds.seconds)]
    value = f"CASE a.axis {text} END" if text else "NULL::text"
    parts: list[str] = []
    values: list[object] = []
    for table, numbers in zip(tables, axes, strict=True):
        # (group, text value, period number, count) as the shard returns them: a cast here
        # would put a projection between the Append and the foreign scan, which then no
        # longer runs at once with the others
        parts.append(
            f"SELECT a.axis AS g, {value} AS v, {bucket} AS b, count(*) AS n "
            f"FROM {table} CROSS JOIN {numbers} AS a WHERE a.axis <= {len(names)} "
            f"AND ({where}) GROUP BY 1, 2, 3"
        )
        values += [*used, *params]
    tags = "".join(f" WHEN {at} THEN '{name}'" for at, name in enumerate(names, 1))
    group = f"CASE g{tags} ELSE '' END" if tags else "''"
    statement = (
        f"SELECT {group}, COALESCE(v, (b)::text), sum(n)::bigint FROM ("
        + " UNION ALL ".join(parts)
        + ") AS parts GROUP BY g, v, b"
    )
    return statement, values


def read_counts(
    rows: Iterable[tuple[str, str | None, int]],
    fields: Sequence[str],
    period: str | None,
    thresholds: Thresholds | None = None,
) -> ValueCounts:
    """The counts of ``counts_sql``'s rows. ``ValueError`` when a period's number is outside
    ``thresholds`` (a document written after they were computed, with a date beyond them)."""
    total = undated = 0
    values: dict[str, dict[str | None, int]] = {name: {} for name in fields}
    periods: dict[date, int] = {}
    for group, value, count in rows:
        if group == TOTAL:
            total += int(count)
        elif group == PERIOD:
            if value is None:
                undated += int(count)
            elif thresholds is None:
                periods[date.fromisoformat(value)] = int(count)
            elif 1 <= int(value) <= len(thresholds.starts):
                periods[thresholds.starts[int(value) - 1]] = int(count)
            else:
                raise ValueError(f"a date outside the periods counted (bucket {value})")
        else:
            values[group][value] = values[group].get(value, 0) + int(count)
    if period is None:
        undated = 0
    return ValueCounts(total, values, periods, undated)
