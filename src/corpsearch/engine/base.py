"""The engine seam: what corpsearch needs from a search engine, and nothing more.

An engine stores :class:`~corpsearch.documents.IndexDocument` values in a folder, compiles the
query tree into its own queries, and answers :class:`SearchRequest` with a :class:`SearchPage`.
Only an engine's own module imports its library.
"""

from __future__ import annotations

import functools
import inspect
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Literal, ParamSpec, TypeVar

from ..documents import IndexDocument
from ..query.ast import Node

__all__ = [
    "COUNTED",
    "PERIODS",
    "ArticleTally",
    "DocValues",
    "Engine",
    "EngineWriter",
    "Hit",
    "SearchPage",
    "SearchRequest",
    "Sort",
    "ValueCounts",
    "count_values",
    "period_start",
    "translating",
]

# Hits per page when the plain implementations below page through search results.
PAGE_SIZE = 1000

Sort = Literal["relevance", "date", "-date"]
# The values :meth:`Engine.counts` counts, and the periods it counts dates by (a week is counted
# by its days: weeks begin on Monday, so a week starts in one month and may end in the next).
COUNTED = ("kind", "site", "author")
PERIODS = ("day", "month", "year")


P = ParamSpec("P")
R = TypeVar("R")


def translating(
    translate: Callable[[BaseException, Any], None],
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A decorator for an engine's methods that raises its library's errors as corpsearch errors:
    whatever a method raises (a streaming method: while its caller reads it) goes to
    ``translate(error, self)``, which raises the corpsearch error in its place, or returns to
    let the error through as it is."""

    def guarded(method: Callable[P, R]) -> Callable[P, R]:
        if inspect.isgeneratorfunction(method):

            @functools.wraps(method)
            def streaming(*args: P.args, **kwargs: P.kwargs) -> Any:
                try:
                    yield from method(*args, **kwargs)
                except BaseException as error:
                    translate(error, args[0])
                    raise

            return streaming

        @functools.wraps(method)
        def calling(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return method(*args, **kwargs)
            except BaseException as error:
                translate(error, args[0])
                raise

        return calling

    return guarded


@dataclass(frozen=True, slots=True)
class SearchRequest:
    query: Node
    sort: Sort = "relevance"
    limit: int = 10
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    kind: str
    score: float
    headline: str  # the article's headline, for comment hits too
    author: str | None
    published: str | None
    url: str | None
    article_id: str
    snippet: str
    site: str | None = None
    position: int = 0
    comment_count: int = 0
    source: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "score": round(self.score, 4),
            "headline": self.headline,
            "author": self.author,
            "published": self.published,
            "url": self.url,
            "article_id": self.article_id,
            "snippet": self.snippet,
        }


@dataclass(frozen=True, slots=True)
class DocValues:
    """The few values of a matching document that counts, groups and statistics need."""

    id: str
    kind: str
    article_id: str
    author: str | None
    site: str | None
    date: datetime | None  # UTC


@dataclass(frozen=True, slots=True)
class ValueCounts:
    """How many matches of a query there are, hold each value and fall in each period.

    ``values`` maps each counted field to its values and their counts (``None``: matches without
    a value); ``periods`` maps the first day of every local period holding dated matches to how
    many it holds; ``undated`` counts the matches without a date (when periods were asked for).
    """

    total: int
    values: Mapping[str, Mapping[str | None, int]]
    periods: Mapping[date, int]
    undated: int


def period_start(day: date, unit: str) -> date:
    """The first day of the period (day, week, month or year) holding ``day``."""
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def count_values(
    docs: Iterable[DocValues], fields: Sequence[str], period: str | None, tz: tzinfo
) -> ValueCounts:
    """The counts of :meth:`Engine.counts`, from the values of every match."""
    values: dict[str, Counter[str | None]] = {name: Counter() for name in fields}
    periods: Counter[date] = Counter()
    total = undated = 0
    for doc in docs:
        total += 1
        for name, counter in values.items():
            counter[getattr(doc, name)] += 1
        if period is not None:
            if doc.date is None:
                undated += 1
            else:
                periods[period_start(doc.date.astimezone(tz).date(), period)] += 1
    return ValueCounts(total, values, periods, undated)


@dataclass(frozen=True, slots=True)
class ArticleTally:
    """One article among the hits grouped by article: whether it matched itself, and how
    many of its comments matched."""

    article_id: str
    article_matched: bool
    comment_hits: int


@dataclass(frozen=True, slots=True)
class SearchPage:
    total: int
    hits: list[Hit] = field(default_factory=list)


class EngineWriter(ABC):
    """One batch of changes; nothing is visible to searches until :meth:`commit`."""

    @abstractmethod
    def delete_article(self, article_id: str) -> None:
        """Remove an article's document and all its comments."""

    @abstractmethod
    def add(self, documents: Iterable[IndexDocument]) -> None: ...

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def cancel(self) -> None: ...


class Engine(ABC):
    name: str
    # Answer from the shards that are up when some are down (an engine on shards only); what
    # was left out is named by :meth:`missing_shards`.
    partial: bool = False

    def missing_shards(self) -> list[str]:
        """The shards this engine's answers left out (with ``partial``), each named."""
        return []

    @classmethod
    @abstractmethod
    def create(cls, folder: Path) -> Engine: ...

    @classmethod
    @abstractmethod
    def open(cls, folder: Path) -> Engine: ...

    @classmethod
    def create_on(cls, folder: Path, dsn: str | None) -> Engine:
        """A new index whose documents live on the database server ``dsn`` names."""
        if dsn is None:
            return cls.create(folder)
        from ..errors import ConfigError

        raise ConfigError(
            f"the {cls.name} engine keeps its documents in the index folder; "
            "--dsn is for --engine postgres"
        )

    @abstractmethod
    def writer(self) -> EngineWriter: ...

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchPage: ...

    # The three methods below have plain implementations on top of :meth:`search`, so a new
    # engine works at once; an engine overrides them to stream without paging.

    def iter_hits(self, query: Node, sort: Sort = "relevance") -> Iterator[Hit]:
        """Every hit of ``query`` in ``sort`` order, one at a time, without a full hit list."""
        offset = 0
        while True:
            page = self.search(SearchRequest(query, sort=sort, limit=PAGE_SIZE, offset=offset))
            yield from page.hits
            offset += len(page.hits)
            if not page.hits or offset >= page.total:
                return

    def ranked(self, query: Node, sort: Sort = "relevance") -> Iterator[DocValues]:
        """The values of every match in ``sort`` order (cheaper than :meth:`iter_hits`)."""
        for hit in self.iter_hits(query, sort):
            yield DocValues(
                id=hit.id,
                kind=hit.kind,
                article_id=hit.article_id,
                author=hit.author,
                site=hit.site,
                date=datetime.fromisoformat(hit.published).astimezone(UTC)
                if hit.published
                else None,
            )

    def scan(self, query: Node) -> Iterator[DocValues]:
        """The values of every document matching ``query``, in no particular order."""
        return self.ranked(query, "date")

    def counts(
        self,
        query: Node,
        fields: Sequence[str] = (),
        period: str | None = None,
        tz: tzinfo = UTC,
    ) -> ValueCounts:
        """How many documents match ``query``, by each of ``fields`` (of :data:`COUNTED`) and,
        with ``period`` (of :data:`PERIODS`), by the local period (in ``tz``) of their date.

        This plain version reads every match's values; an engine that can count in its own
        index overrides it, and must give the same counts."""
        return count_values(self.scan(query), fields, period, tz)

    def article_tallies(
        self, query: Node, sort: Sort, offset: int, limit: int
    ) -> tuple[int, list[ArticleTally]]:
        """How many articles the hits of ``query`` belong to, and the tallies of the articles
        ``offset:offset+limit`` in the order of each one's best-placed hit in ``sort`` order.

        This plain version reads every match's values in order; an engine that can group in
        its own index overrides it, and must give the same tallies."""
        tallies: dict[str, list[int]] = {}
        for values in self.ranked(query, sort):
            tally = tallies.setdefault(values.article_id, [0, 0])
            tally[0 if values.kind == "article" else 1] += 1
        page = list(tallies.items())[offset : offset + limit]
        found = [ArticleTally(key, bool(matched), hits) for key, (matched, hits) in page]
        return len(tallies), found

    def stored(self, query: Node) -> Iterator[IndexDocument]:
        """Every document matching ``query`` as it was indexed, in no particular order (for
        reading one article's thread: ``query`` is expected to match few documents)."""
        wanted = {hit.id for hit in self.iter_hits(query, "date")}
        if wanted:
            yield from (doc for doc in self.documents() if doc.id in wanted)

    def ids_with_prefix(self, prefix: str, limit: int = 10) -> list[str]:
        """Up to ``limit`` ids that start with ``prefix`` (hex digits), smallest first: what a
        short id stands for."""
        return sorted(doc.id for doc in self.documents() if doc.id.startswith(prefix))[:limit]

    @abstractmethod
    def count(self) -> dict[str, int]:
        """Documents by kind."""

    @abstractmethod
    def documents(self) -> Iterator[IndexDocument]:
        """Every document as it was indexed, in no particular order (for moving an index to
        another engine, or measuring one on the same documents)."""

    @abstractmethod
    def close(self) -> None: ...
