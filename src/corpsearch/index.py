"""The index: a folder holding one engine's files and a small metadata file.

:class:`Index` is the library's main object: it adds sources (source → extract → index) and
answers query strings or query trees.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from .documents import IndexDocument, documents_of
from .engine import DEFAULT_ENGINE, Engine, Hit, SearchRequest, Sort, engine_class
from .errors import (
    ConfigError,
    IndexDamagedError,
    IndexNotFoundError,
    IndexVersionError,
)
from .faults import DISK_FULL, failure_reason, index_writes, write_failure
from .generations import CURRENT_FILE, resolve
from .ids import ShortIds, expand_short_ids, resolve_id
from .query.ast import Node
from .query.limits import check_tree
from .query.parser import parse_query
from .query_tree import build_tree, check_sort, located, with_filters

if TYPE_CHECKING:
    from .extract import ExtractOptions
    from .facets import Summary
    from .grouping import Group
    from .records import Article
    from .sources import SourceDocument, SourceLimits
    from .stats import IndexStats
    from .thread import Thread

__all__ = ["SCHEMA_VERSION", "Failure", "Index", "IndexReport", "SearchResult", "build_tree"]

# Pages reaching further than this many hits are read from the stream of hits (see Index._page).
DEEP_PAGE = 10_000
# 2: quote passages kept apart, value columns for counts; 3: reply parents; 4: tantivy value
# columns; 5: an analysed (folded, stemmed) stream per text field, name words, site domains;
# 6: tantivy's exact stream made by corpsearch's words, the text as written stored beside it
SCHEMA_VERSION = 6
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
    merged: int = 0  # captures of an article already read in this run (see dedupe.py)

    def to_dict(self) -> dict[str, object]:
        return {
            "pages": self.pages,
            "articles": self.articles,
            "comments": self.comments,
            "merged": self.merged,
            "failed": len(self.failures),
            "failures": [{"source": f.source, "reason": f.reason} for f in self.failures],
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One page of hits; with ``group="article"`` one page of articles (``total`` counts them)."""

    query: str
    total: int
    hits: list[Hit]
    groups: list[Group] | None = None
    offset: int = 0

    def __iter__(self) -> Iterator[Hit]:
        """The hits of this page (of a grouped search: each group's article)."""
        if self.groups is not None:
            return iter([group.article for group in self.groups])
        return iter(self.hits)

    def __len__(self) -> int:
        """The hits on this page (``total`` counts them all)."""
        return len(self.hits) if self.groups is None else len(self.groups)

    def to_dict(self) -> dict[str, object]:
        result: dict[str, object] = {"query": self.query, "total": self.total}
        result["offset"] = self.offset
        if self.groups is not None:
            result["groups"] = [group.to_dict() for group in self.groups]
        else:
            result["hits"] = [hit.to_dict() for hit in self.hits]
        return result


class Index:
    """An open index folder. Use :meth:`open` or :meth:`create`, or as a context manager."""

    def __init__(self, folder: Path, engine: Engine) -> None:
        self.folder = folder
        self.engine = engine

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        folder: str | os.PathLike[str],
        *,
        create: bool = False,
        engine: str = DEFAULT_ENGINE,
        partial: bool = False,
    ) -> Index:
        """Open the index in ``folder``; with ``create=True`` make one there if there is none.
        ``partial``: an index on shards answers from the shards that are up when some are down
        (``index.engine.missing_shards()`` names those left out) instead of failing."""
        home = Path(folder)  # the folder named in messages, not the generation inside it
        if home.exists() and not home.is_dir():
            raise IndexNotFoundError(
                f"{home} is a file, not an index folder; give the folder the index was built "
                f"in (corpsearch index --index FOLDER PATH)"
            )
        path = resolve(home)
        meta_path = path / META_FILE
        if path != home and not meta_path.exists():
            raise IndexDamagedError(
                f"the index in {home} is damaged: its {CURRENT_FILE} file names the generation "
                f"{path.name}, which {'is empty' if path.is_dir() else 'does not exist'}; "
                f"rebuild it: corpsearch index --rebuild --index {home} PATH"
            )
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
                f"rebuild the index: corpsearch index --rebuild --index {home} PATH"
            ) from error
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise IndexVersionError(
                f"the index in {home} has schema version {meta.get('schema_version')}, this "
                f"corpsearch needs {SCHEMA_VERSION}; rebuild it: "
                f"corpsearch index --rebuild --index {home} PATH"
            )
        try:
            kind = engine_class(str(meta.get("engine")))
        except ConfigError as error:
            raise IndexVersionError(
                f"the index in {home} cannot be opened: {error}; "
                f"rebuild it: corpsearch index --rebuild --index {home} PATH"
            ) from error
        opened = kind.open(path / kind.name)
        opened.partial = partial
        return cls(path, opened)

    @classmethod
    def create(
        cls,
        folder: str | os.PathLike[str],
        *,
        engine: str = DEFAULT_ENGINE,
        dsn: str | None = None,
    ) -> Index:
        """A new index; ``dsn`` names the database server of an engine that keeps its documents
        there (postgres)."""
        path = Path(folder)
        kind = engine_class(engine)
        with index_writes(path):
            path.mkdir(parents=True, exist_ok=True)
            opened = kind.create_on(path / kind.name, dsn)
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
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        *,
        options: ExtractOptions | None = None,
        limits: SourceLimits | None = None,
        follow_links: bool = False,
    ) -> IndexReport:
        """Extract every page under ``paths`` (one path, or several) and index it, replacing
        earlier versions; files in a folder that are links out of it are failures unless
        ``follow_links``."""
        # Writing loads what reading never needs: the extraction stack (see extract below),
        # the reading of files and archives, the merging of captures.
        from .dedupe import Captures
        from .extract import ExtractOptions
        from .sources import SourceFailure, iter_sources

        options = options or ExtractOptions()
        report = IndexReport()
        writer = self.engine.writer()
        in_batch: set[str] = set()
        captures = Captures()
        try:
            for item in iter_sources(paths, limits, follow_links=follow_links):
                if isinstance(item, SourceFailure):
                    report.failures.append(Failure(item.path, item.reason))
                    continue
                report.pages += 1
                try:
                    article = extract(item, options)
                except OSError as error:
                    if error.errno in DISK_FULL:  # not the page's fault: as the job does, stop
                        raise write_failure(error, self.folder) from error
                    report.failures.append(Failure(str(item.ref), failure_reason(error)))
                    continue
                except Exception as error:  # one bad page never stops a run
                    report.failures.append(Failure(str(item.ref), failure_reason(error)))
                    continue
                verdict = captures.admit(article, item.modified)
                report.merged += verdict.merged
                if not verdict.index:
                    continue
                stale = {article.id, *(old for old, _ in verdict.replaces)}
                if stale & in_batch:
                    # An engine cannot delete what the same uncommitted batch added.
                    writer.commit()
                    writer, in_batch = self.engine.writer(), set()
                for old in sorted(stale):
                    writer.delete_article(old)
                writer.add(documents_of(article))
                in_batch.add(article.id)
                report.articles += 1 - len(verdict.replaces)
                report.comments += len(article.comments) - sum(n for _, n in verdict.replaces)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        return report

    # -- reading -----------------------------------------------------------------------------

    def query_tree(
        self,
        query: str | Node,
        *,
        kind: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        tz: tzinfo = UTC,
    ) -> Node:
        """The query tree a search runs: the parsed query and the option filters."""
        now = datetime.now(UTC)
        tree = parse_query(query, tz=tz, now=now) if isinstance(query, str) else query
        check_tree(tree, query if isinstance(query, str) else "")
        tree = expand_short_ids(tree, self.engine, query if isinstance(query, str) else "")
        return with_filters(tree, kind=kind, since=since, until=until, tz=tz, now=now)

    def search(
        self,
        query: str | Node,
        *,
        sort: Sort = "relevance",
        limit: int = 10,
        offset: int = 0,
        kind: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        tz: tzinfo = UTC,
        group: str | None = None,
        per_group: int = 10,
    ) -> SearchResult:
        """Search with a query string (or a query tree built in code).

        ``group="article"`` returns each matching article once, with its matching comments
        (up to ``per_group`` of them) and their count; ``limit`` and ``offset`` then count articles.
        """
        if limit < 0 or offset < 0:
            raise ConfigError("limit and offset must not be negative")
        check_sort(sort)
        if group not in (None, "article"):
            raise ConfigError(f"cannot group by {group!r}; the one grouping is 'article'")
        with located(query):
            tree = self.query_tree(query, kind=kind, since=since, until=until, tz=tz)
            # Only now, with its depth checked (without recursion), may the tree be shown:
            # repr, like every recursive walk of it, would exhaust the stack on a deep one.
            text = query if isinstance(query, str) else repr(query)
            if group is not None:
                from .grouping import group_by_article

                total, groups = group_by_article(
                    self.engine, tree, sort=sort, limit=limit, offset=offset, per_group=per_group
                )
                return SearchResult(text, total, [], groups=groups, offset=offset)
            total, hits = self._page(tree, sort, limit, offset)
        return SearchResult(query=text, total=total, hits=hits, offset=offset)

    def _page(self, tree: Node, sort: Sort, limit: int, offset: int) -> tuple[int, list[Hit]]:
        """One page of hits. An engine keeps the best ``offset + limit`` hits in a buffer of
        that size (tantivy allocates it whole, and its sizes are 64-bit), so a page beyond
        :data:`DEEP_PAGE` is counted first, held within the hits there are, and read from the
        stream of hits instead: memory then grows with the index, never with the numbers."""
        if offset + limit <= DEEP_PAGE:
            page = self.engine.search(SearchRequest(tree, sort=sort, limit=limit, offset=offset))
            return page.total, page.hits
        total = self.engine.search(SearchRequest(tree, sort=sort, limit=0)).total
        limit = max(min(limit, total - offset), 0)
        if limit == 0:
            return total, []
        if offset + limit <= DEEP_PAGE:
            page = self.engine.search(SearchRequest(tree, sort=sort, limit=limit, offset=offset))
            return page.total, page.hits
        stream = self.engine.iter_hits(tree, sort)
        try:
            return total, list(itertools.islice(stream, offset, offset + limit))
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()

    def iter_hits(
        self,
        query: str | Node,
        *,
        sort: Sort = "relevance",
        kind: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        tz: tzinfo = UTC,
    ) -> Iterator[Hit]:
        """Every hit, one at a time in ``sort`` order, never as a full list (for exports)."""
        check_sort(sort)
        with located(query):
            tree = self.query_tree(query, kind=kind, since=since, until=until, tz=tz)
            yield from self.engine.iter_hits(tree, sort)

    def summary(
        self,
        query: str | Node,
        *,
        facets: Iterable[str] = (),
        histogram: str | None = None,
        top: int | None = None,
        kind: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        tz: tzinfo = UTC,
    ) -> Summary:
        """Counts of the hits by facet (site, author, kind, month, year, ...) and over time.

        ``top`` keeps the most frequent values of each facet; periods are read in ``tz``.
        """
        from .facets import counting, from_counts

        with located(query):
            tree = self.query_tree(query, kind=kind, since=since, until=until, tz=tz)
            names, fields, period = counting(facets, histogram)
            counts = self.engine.counts(tree, fields, period, tz)
            return from_counts(counts, facets=names, histogram=histogram, top=top)

    def stats(self) -> IndexStats:
        """Documents by kind and site, date span, size on disk, engine and schema version."""
        from .stats import index_stats

        return index_stats(self)

    def count(self) -> dict[str, int]:
        return self.engine.count()

    def get(self, doc_id: str) -> IndexDocument:
        """The document with this id or short id, as indexed (:class:`DocumentNotFoundError`
        when there is none, :class:`AmbiguousIdError` when a short id names several)."""
        from .thread import read_document

        return read_document(self.engine, doc_id)

    def thread(self, doc_id: str) -> Thread:
        """The article with this id (or the article of this comment) and its comment thread."""
        from .thread import read_thread

        return read_thread(self.engine, doc_id)

    def resolve_id(self, text: str) -> str:
        """The full id a full or short id names."""
        return resolve_id(self.engine, text)

    def short_ids(self) -> ShortIds:
        """A function giving each id's short form: unique in this index, 8 digits or more."""
        return ShortIds(self.engine)

    def documents(self) -> Iterator[IndexDocument]:
        """Every indexed document, as indexed, in no particular order."""
        return self.engine.documents()


def extract(document: SourceDocument, options: ExtractOptions) -> Article:
    """The extract stage, imported on first use: the extraction stack (lxml, cssselect, trafilatura)
    is loaded when pages are added, never by a search, so a query process starts without it."""
    from .extract import extract as extract_page

    return extract_page(document, options)
