"""The options of a web request, read from its query string and checked like the CLI's.

Every page and API call takes the same options as ``corpsearch query``; a value that the CLI
would refuse is refused here with the same kind of error (:class:`ConfigError`), which the app
shows as a page (or JSON) with the message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import tzinfo
from typing import TypedDict
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..engine import Sort
from ..errors import ConfigError
from ..facets import HISTOGRAM_UNITS

__all__ = [
    "MAX_LIMIT",
    "MAX_QUERY_CHARS",
    "PAGE_SIZES",
    "SERIES",
    "Filters",
    "SearchForm",
    "read_form",
]

PAGE_SIZES = (10, 20, 50, 100)
# One request answers at most this many hits; every hit is in the CSV and JSON Lines downloads.
MAX_LIMIT = 1000
# Far beyond any query a person types; keeps a pasted document from becoming a query.
MAX_QUERY_CHARS = 2000
SERIES = ("site", "author")
SORTS: tuple[Sort, ...] = ("relevance", "date", "-date")
KINDS = ("article", "comment")


class Filters(TypedDict):
    kind: str | None
    since: str | None
    until: str | None
    tz: tzinfo


@dataclass(frozen=True, slots=True)
class SearchForm:
    """What a search asks for; ``q`` empty means no search yet (the start page)."""

    q: str = ""
    kind: str | None = None
    since: str | None = None
    until: str | None = None
    sort: Sort = "relevance"
    limit: int = 10
    offset: int = 0
    tz_name: str = "UTC"
    unit: str | None = None  # None: chosen from the span of the hits
    series: str | None = None

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.tz_name)

    @property
    def filters(self) -> Filters:
        """The keyword arguments of :meth:`corpsearch.Index.search` for the filters."""
        return {"kind": self.kind, "since": self.since, "until": self.until, "tz": self.tz}

    def params(self, **changes: object) -> str:
        """The query string of this search with ``changes`` (for links: pages, facets, sort)."""
        form = replace(self, **changes)  # type: ignore[arg-type]
        pairs: list[tuple[str, str]] = [("q", form.q)]
        defaults = SearchForm()
        for name, key in (
            ("kind", "kind"),
            ("since", "since"),
            ("until", "until"),
            ("sort", "sort"),
            ("limit", "limit"),
            ("offset", "offset"),
            ("tz_name", "tz"),
            ("unit", "unit"),
            ("series", "series"),
        ):
            value = getattr(form, name)
            if value is not None and value != getattr(defaults, name):
                pairs.append((key, str(value)))
        return urlencode(pairs)


def read_form(params: Mapping[str, str], *, default_limit: int = 10) -> SearchForm:
    """The search a query string asks for; a bad value raises :class:`ConfigError`."""
    q = params.get("q", "").strip()
    if len(q) > MAX_QUERY_CHARS:
        raise ConfigError(
            f"the query is {len(q):,} characters long; at most {MAX_QUERY_CHARS:,} are allowed"
        )
    kind = params.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise ConfigError(f"unknown kind {kind!r}; use article or comment")
    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        raise ConfigError(f"cannot sort by {sort!r}; sort by relevance, date or -date")
    unit = params.get("unit") or None
    if unit is not None and unit not in HISTOGRAM_UNITS:
        raise ConfigError(f"unknown period {unit!r}; choose from {', '.join(HISTOGRAM_UNITS)}")
    series = params.get("series") or None
    if series is not None and series not in SERIES:
        raise ConfigError(f"unknown series {series!r}; choose from {', '.join(SERIES)}")
    tz_name = params.get("tz") or "UTC"
    try:
        ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"unknown time zone {tz_name!r}; use an IANA name such as Asia/Beirut or UTC"
        ) from None
    return SearchForm(
        q=q,
        kind=kind,
        since=params.get("since") or None,
        until=params.get("until") or None,
        sort=sort,
        limit=_number(params, "limit", default_limit, 0, MAX_LIMIT),
        offset=_number(params, "offset", 0, 0, None),
        tz_name=tz_name,
        unit=unit,
        series=series,
    )


def _number(params: Mapping[str, str], name: str, default: int, low: int, high: int | None) -> int:
    text = params.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {text!r}") from None
    if value < low or (high is not None and value > high):
        most = f" and at most {high:,}" if high is not None else ""
        raise ConfigError(
            f"{name} must be at least {low}{most}; for every hit download the CSV or JSON Lines"
        )
    return value
