"""Query trees as the index runs them: a query string parsed and checked, with the filters of
the options (``kind``, ``since``, ``until``) added, and the checks of the query options that
every search path shares. :class:`corpsearch.index.Index` runs them on its engine;
:func:`build_tree` needs no index (a watch's query is checked with it when it is saved).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from .errors import ConfigError, QueryTooBroadError
from .query.ast import And, DateRange, Node, Term
from .query.limits import check_tree
from .query.parser import parse_query

__all__ = ["build_tree", "check_sort", "located", "with_filters"]


def build_tree(
    query: str | Node,
    *,
    kind: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    tz: tzinfo = UTC,
) -> Node:
    """The query tree of ``query`` with the option filters, without an open index (short ids
    stay as written): a watch's query is checked with it when the watch is saved."""
    now = datetime.now(UTC)
    tree = parse_query(query, tz=tz, now=now) if isinstance(query, str) else query
    check_tree(tree, query if isinstance(query, str) else "")
    return with_filters(tree, kind=kind, since=since, until=until, tz=tz, now=now)


def with_filters(
    tree: Node,
    *,
    kind: str | None,
    since: str | date | None,
    until: str | date | None,
    tz: tzinfo,
    now: datetime,
) -> Node:
    filters: list[Node] = []
    if kind is not None:
        if kind not in ("article", "comment"):
            raise ConfigError(f"unknown kind {kind!r}; use article or comment")
        filters.append(Term("kind", kind))
    if since is not None or until is not None:
        filters.append(
            DateRange(
                _bound(since, tz, now, start=True) if since is not None else None,
                _bound(until, tz, now, start=False) if until is not None else None,
            )
        )
    return And((tree, *filters)) if filters else tree


class located:  # noqa: N801 - a context manager used like a function
    """Gives an engine's too-broad error (which knows the term, not where it was) a position."""

    def __init__(self, query: str | Node) -> None:
        self.query = query if isinstance(query, str) else ""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> None:
        if isinstance(error, QueryTooBroadError) and not error.query and self.query:
            raise error.located(self.query) from None


def check_sort(sort: str) -> None:
    if sort not in ("relevance", "date", "-date"):
        raise ConfigError(f"cannot sort by {sort!r}; sort by relevance, date or -date")


def _bound(value: str | date, tz: tzinfo, now: datetime, *, start: bool) -> datetime:
    """``--since`` starts at the beginning of what it names, ``--until`` includes all of it:
    a ``date`` is its whole day in ``tz``, a ``datetime`` that instant (naive: in ``tz``)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        value = value.isoformat()  # the day, read as --since/--until read one
    from .query.dates import SUPPORTED_RANGE, DateOutOfRange, parse_loose_period

    try:
        period = parse_loose_period(value, tz, now)
    except DateOutOfRange:
        raise ConfigError(f"the date {value!r} is out of range; {SUPPORTED_RANGE}") from None
    if period is None:
        raise ConfigError(
            f"cannot read the date {value!r}; write it as 2014-09-13, '13 Sep 2014' or now-7d"
        )
    return period.start if start else period.end
