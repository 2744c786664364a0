"""The postgres engine's counts (facets, histograms) as ``GROUP BY`` queries, and how to read
their rows. Nothing here talks to a server: the engine module runs the SQL.

One table (a single server) is counted in one scan with ``GROUPING SETS``: the total, each
counted field, and the local period of each match's date, computed by the server in the zone
asked for (``date AT TIME ZONE``, then ``date_trunc``), so clock changes and offsets such as
+05:45 fall where reading each match's date in Python puts them. Several tables (the shards of
a cluster, see corpsearch.cluster) are counted by one plain ``GROUP BY`` per table and field,
joined by ``UNION ALL`` and summed: postgres_fdw sends a plain aggregate on one foreign table to
its shard, never ``GROUPING SETS``, and runs the shards' parts at once (``async_capable``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from .base import ValueCounts

__all__ = ["counts_sql", "read_counts", "zone_parameter"]

_COLUMN = {"kind": "kind", "site": "site", "author": "author"}
# date_trunc's names of the periods Engine.counts takes (a week is counted by its days)
_TRUNC = {"day": "day", "month": "month", "year": "year"}
TOTAL, PERIOD = "", "period"


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


def counts_sql(
    tables: Sequence[str],
    where: str,
    params: Sequence[object],
    fields: Sequence[str],
    period: str | None,
    zone: tuple[str, object] | None,
    foreign: bool = False,
) -> tuple[str, list[object]]:
    """Rows ``(group, value, count)``: ``group`` is ``''`` for the total, a field's name, or
    ``'period'`` (``value`` the period's first day as text, NULL for undated matches).
    ``foreign``: the tables are shards' foreign tables, each counted by plain aggregates."""
    # Each match's counted values, its local period computed once in a subquery (the planner
    # pulls it up, so the aggregate over a foreign table is still sent whole to its shard).
    columns = [f"{_COLUMN[name]} AS {name}" for name in fields]
    names = list(fields)
    zone_params: list[object] = []
    if period is not None:
        if zone is None:
            raise ValueError("periods need a zone the server knows")
        columns.append(f"{_period(period, zone[0])} AS {PERIOD}")
        names.append(PERIOD)
        zone_params.append(zone[1])
    selected = ", ".join(columns) or "1 AS one"

    def matches(table: str) -> tuple[str, list[object]]:
        return f"(SELECT {selected} FROM {table} WHERE {where}) AS m", [*zone_params, *params]

    if len(tables) == 1 and not foreign:
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
    parts: list[str] = []
    values = []
    for table in tables:
        source, used = matches(table)
        parts.append(f"SELECT '' AS g, NULL::text AS v, count(*) AS n FROM {source}")
        values += used
        for name in names:
            parts.append(f"SELECT '{name}', ({name})::text, count(*) FROM {source} GROUP BY {name}")
            values += used
    statement = "SELECT g, v, sum(n)::bigint FROM (" + " UNION ALL ".join(parts) + ") AS parts"
    return statement + " GROUP BY g, v", values


def read_counts(
    rows: Iterable[tuple[str, str | None, int]], fields: Sequence[str], period: str | None
) -> ValueCounts:
    total = undated = 0
    values: dict[str, dict[str | None, int]] = {name: {} for name in fields}
    periods: dict[date, int] = {}
    for group, value, count in rows:
        if group == TOTAL:
            total += int(count)
        elif group == PERIOD:
            if value is None:
                undated += int(count)
            else:
                periods[date.fromisoformat(value)] = int(count)
        else:
            values[group][value] = values[group].get(value, 0) + int(count)
    if period is None:
        undated = 0
    return ValueCounts(total, values, periods, undated)
