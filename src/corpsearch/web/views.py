"""What each page shows, computed from the library: the templates only lay it out.

Each function takes an open :class:`~corpsearch.Index` and the request's options and returns
plain values; the JSON API returns the same values as ``corpsearch query --format json``.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import date

from ..engine import Hit
from ..facets import NONE, Summary
from ..grouping import Group
from ..index import Index, SearchResult
from ..query.ast import And, MatchAll, Node, Or, Term
from ..series import time_series
from .chart import Chart, build_chart, choose_unit, day_counts
from .forms import SERIES, SearchForm
from .html import facet_query

__all__ = [
    "AllDocuments",
    "AuthorView",
    "Facet",
    "SearchView",
    "Summaries",
    "author_view",
    "search_view",
]

FACET_FIELDS = ("kind", "site", "author")
FACET_TOP = 10
SERIES_TOP = 5


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    count: int
    href: str | None  # the search narrowed to this value; None when it cannot be written


@dataclass(frozen=True, slots=True)
class Facet:
    name: str
    values: tuple[FacetValue, ...]
    more: int  # values not shown


@dataclass(frozen=True, slots=True)
class SearchView:
    form: SearchForm
    result: SearchResult
    facets: tuple[Facet, ...]
    chart: Chart

    @property
    def hits(self) -> list[Hit]:
        return self.result.hits

    @property
    def first(self) -> int:
        return self.result.offset + 1

    @property
    def last(self) -> int:
        return self.result.offset + len(self.result.hits)

    @property
    def previous_href(self) -> str | None:
        if self.form.offset <= 0:
            return None
        return "/?" + self.form.params(offset=max(0, self.form.offset - self.form.limit))

    @property
    def next_href(self) -> str | None:
        if self.last >= self.result.total or not self.form.limit:
            return None
        return "/?" + self.form.params(offset=self.form.offset + self.form.limit)


class AllDocuments:
    """Documents per day of each kind within the date filters: what each bar's share is taken
    of (as ``query --share`` takes it). Kept while the index's counts and generation stay the
    same: every search page needs it and it costs a pass over every document."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[tuple[object, ...], Counter[date]] = {}

    def days(self, index: Index, form: SearchForm, kinds: tuple[str, ...]) -> Counter[date]:
        key = (
            str(index.folder),
            tuple(sorted(index.count().items())),
            kinds,
            form.since,
            form.until,
            form.tz_name,
        )
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        base = index.query_tree(MatchAll(), since=form.since, until=form.until, tz=form.tz)
        of_kinds: Node = And((base, Or(tuple(Term("kind", kind) for kind in kinds))))
        summary = index.summary(of_kinds, facets=("day",), tz=form.tz)
        days, _ = day_counts(summary.facets["day"])
        with self._lock:
            if len(self._cache) > 32:
                self._cache.clear()
            self._cache[key] = days
        return days


class Summaries:
    """The facet and day counts of recent searches: paging through hits, changing the sort or
    the chart's period asks for the same counts again, and they cost a pass over every hit.
    Kept for :data:`SUMMARY_SECONDS` (``since=now-7d`` moves) and while the index is the same."""

    def __init__(self, size: int = 64) -> None:
        self._lock = threading.Lock()
        self._size = size
        self._cache: OrderedDict[tuple[object, ...], tuple[float, Summary]] = OrderedDict()

    def get(self, index: Index, form: SearchForm) -> Summary:
        key = (
            str(index.folder),
            tuple(sorted(index.count().items())),
            form.q,
            form.kind,
            form.since,
            form.until,
            form.tz_name,
        )
        now = time.monotonic()
        with self._lock:
            found = self._cache.get(key)
            if found is not None and now - found[0] < SUMMARY_SECONDS:
                self._cache.move_to_end(key)
                return found[1]
        summary = index.summary(form.q, facets=(*FACET_FIELDS, "day"), **form.filters)
        with self._lock:
            self._cache[key] = (now, summary)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return summary


SUMMARY_SECONDS = 300.0


def search_view(
    index: Index, form: SearchForm, everything: AllDocuments, summaries: Summaries | None = None
) -> SearchView:
    """One page of hits for ``form``, with facets and the chart of all hits."""
    result = index.search(
        form.q, sort=form.sort, limit=form.limit, offset=form.offset, **form.filters
    )
    if summaries is not None:
        summary = summaries.get(index, form)
    else:
        summary = index.summary(form.q, facets=(*FACET_FIELDS, "day"), **form.filters)
    facets = tuple(_facet(form, name, summary) for name in FACET_FIELDS)
    return SearchView(form, result, facets, chart_of(index, form, summary, everything))


def chart_of(
    index: Index, form: SearchForm, summary: Summary, everything: AllDocuments | None
) -> Chart:
    """The chart of the hits counted in ``summary``: shares of the documents of the kind asked
    for (else of the kinds of the hits), a line per top site or author with ``form.series``."""
    days, undated = day_counts(summary.facets["day"])
    unit = form.unit or choose_unit(days)
    series = None
    if form.series in SERIES and days:
        tree = index.query_tree(form.q, **form.filters)
        series = time_series(
            index.engine, tree, unit, by=form.series, top=SERIES_TOP, kind=form.kind, tz=form.tz
        )
    all_days = None
    kinds: tuple[str, ...] = ()
    if everything is not None and days:
        kinds = (
            (form.kind,)
            if form.kind
            else tuple(sorted(value for value, count in summary.facets.get("kind", []) if count))
        )
        all_days = everything.days(index, form, kinds)
    return build_chart(days, undated, unit, all_days=all_days, series=series, share_of=kinds)


def _facet(form: SearchForm, name: str, summary: Summary) -> Facet:
    pairs = summary.facets.get(name, [])
    values = []
    for value, count in pairs[:FACET_TOP]:
        href = None
        if value != NONE:
            narrowed = facet_query(form.q, name, value)
            if narrowed is not None:
                href = "/?" + form.params(q=narrowed, offset=0)
        values.append(FacetValue(value, count, href))
    return Facet(name, tuple(values), max(0, len(pairs) - FACET_TOP))


@dataclass(frozen=True, slots=True)
class AuthorView:
    name: str
    query: str
    total: int
    kinds: tuple[tuple[str, int], ...]
    groups: list[Group]
    articles: int
    chart: Chart
    sites: tuple[tuple[str, int], ...] = field(default=())


AUTHOR_ARTICLES = 50


def author_view(index: Index, name: str, form: SearchForm) -> AuthorView:
    """Everything ``name`` wrote (comments, and articles bylined), over time and by article."""
    tree = Term("author", name)
    summary = index.summary(tree, facets=("kind", "site", "day"), tz=form.tz)
    grouped = index.search(tree, sort="-date", group="article", limit=AUTHOR_ARTICLES)
    days, undated = day_counts(summary.facets["day"])
    chart = build_chart(days, undated, form.unit or choose_unit(days))
    quoted = facet_query("", "author", name)
    return AuthorView(
        name=name,
        query=quoted or "",
        total=summary.total,
        kinds=tuple(summary.facets["kind"]),
        groups=grouped.groups or [],
        articles=grouped.total,
        chart=chart,
        sites=tuple(summary.facets["site"][:FACET_TOP]),
    )
