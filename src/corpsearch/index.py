"""The index: a folder holding one engine's files and a small metadata file.

:class:`Index` is the library's main object: it adds sources (source → extract → index) and
answers query strings or query trees.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from types import TracebackType

from .documents import documents_of
from .engine import Engine, Hit, SearchRequest, Sort, engine_class
from .errors import ConfigError, IndexNotFoundError, IndexVersionError
from .extract import ExtractOptions, extract
from .faults import failure_reason, index_writes
from .query.ast import And, DateRange, Node, Term
from .query.dates import parse_loose_period
from .query.limits import check_tree
from .query.parser import parse_query
from .sources import SourceFailure, SourceLimits, iter_sources

__all__ = ["SCHEMA_VERSION", "Failure", "Index", "IndexReport", "SearchResult"]

SCHEMA_VERSION = 1
META_FILE = "corpsearch.json"


@dataclass(frozen=True, slots=True)
class Failure:
    """A source that was not indexed, and why."""

    source: str
    reason: str


@dataclass(slots=True)
class IndexReport:
    """What one ``add`` did."""

    pages: int = 0
    articles: int = 0
    comments: int = 0
    failures: list[Failure] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "pages": self.pages,
            "articles": self.articles,
            "comments": self.comments,
            "failed": len(self.failures),
            "failures": [{"source": f.source, "reason": f.reason} for f in self.failures],
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    total: int
    hits: list[Hit]

    def to_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "total": self.total,
            "hits": [hit.to_dict() for hit in self.hits],
        }


class Index:
    """An open index folder. Use :meth:`open` or :meth:`create`, or as a context manager."""

    def __init__(self, folder: Path, engine: Engine) -> None:
        self.folder = folder
        self.engine = engine

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls, folder: str | os.PathLike[str], *, create: bool = False, engine: str = "whoosh"
    ) -> Index:
        """Open the index in ``folder``; with ``create=True`` make one there if there is none."""
        path = Path(folder)
        meta_path = path / META_FILE
        if not meta_path.exists():
            if create:
                return cls.create(path, engine=engine)
            raise IndexNotFoundError(
                f"no corpsearch index in {path}; build one with: corpsearch index --index {path} PATH"
            )
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if not isinstance(meta, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as error:
            raise IndexVersionError(
                f"the index metadata {meta_path} cannot be read ({error}); "
                f"rebuild the index: corpsearch index --rebuild --index {path} PATH"
            ) from error
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise IndexVersionError(
                f"the index in {path} has schema version {meta.get('schema_version')}, this "
                f"corpsearch needs {SCHEMA_VERSION}; rebuild it: "
                f"corpsearch index --rebuild --index {path} PATH"
            )
        try:
            kind = engine_class(str(meta.get("engine")))
        except ConfigError as error:
            raise IndexVersionError(
                f"the index in {path} cannot be opened: {error}; "
                f"rebuild it: corpsearch index --rebuild --index {path} PATH"
            ) from error
        return cls(path, kind.open(path / kind.name))

    @classmethod
    def create(cls, folder: str | os.PathLike[str], *, engine: str = "whoosh") -> Index:
        path = Path(folder)
        kind = engine_class(engine)
        with index_writes(path):
            path.mkdir(parents=True, exist_ok=True)
            opened = kind.create(path / kind.name)
            meta = {
                "format": "corpsearch-index",
                "schema_version": SCHEMA_VERSION,
                "engine": kind.name,
            }
            tmp = path / (META_FILE + ".tmp")
            tmp.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
            os.replace(tmp, path / META_FILE)
        return cls(path, opened)

    def close(self) -> None:
        self.engine.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------------

    def add(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        options: ExtractOptions | None = None,
        limits: SourceLimits | None = None,
    ) -> IndexReport:
        """Extract every page under ``paths`` and index it, replacing earlier versions."""
        options = options or ExtractOptions()
        report = IndexReport()
        writer = self.engine.writer()
        in_batch: set[str] = set()
        try:
            for item in iter_sources(paths, limits):
                if isinstance(item, SourceFailure):
                    report.failures.append(Failure(item.path, item.reason))
                    continue
                report.pages += 1
                try:
                    article = extract(item, options)
                except Exception as error:  # one bad page never stops a run
                    report.failures.append(Failure(str(item.ref), failure_reason(error)))
                    continue
                if article.id in in_batch:
                    # An engine cannot delete what the same uncommitted batch added.
                    writer.commit()
                    writer, in_batch = self.engine.writer(), set()
                writer.delete_article(article.id)
                writer.add(documents_of(article))
                in_batch.add(article.id)
                report.articles += 1
                report.comments += len(article.comments)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        return report

    # -- reading -----------------------------------------------------------------------------

    def search(
        self,
        query: str | Node,
        *,
        sort: Sort = "relevance",
        limit: int = 10,
        offset: int = 0,
        kind: str | None = None,
        since: str | datetime | None = None,
        until: str | datetime | None = None,
        tz: tzinfo = UTC,
    ) -> SearchResult:
        """Search with a query string (or a query tree built in code)."""
        if limit < 0 or offset < 0:
            raise ConfigError("limit and offset must not be negative")
        now = datetime.now(UTC)
        tree = parse_query(query, tz=tz, now=now) if isinstance(query, str) else query
        check_tree(tree, query if isinstance(query, str) else "")
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
        if filters:
            tree = And((tree, *filters))
        page = self.engine.search(SearchRequest(tree, sort=sort, limit=limit, offset=offset))
        text = query if isinstance(query, str) else repr(query)
        return SearchResult(query=text, total=page.total, hits=page.hits)

    def count(self) -> dict[str, int]:
        return self.engine.count()


def _bound(value: str | datetime, tz: tzinfo, now: datetime, *, start: bool) -> datetime:
    """``--since`` starts at the beginning of what it names, ``--until`` includes all of it."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    period = parse_loose_period(value, tz, now)
    if period is None:
        raise ConfigError(
            f"cannot read the date {value!r}; write it as 2014-09-13, '13 Sep 2014' or now-7d"
        )
    return period.start if start else period.end
