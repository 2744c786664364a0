"""The tantivy engine (with the other ``tantivy_*`` modules of this package, the only modules
that import tantivy).

Same fields, words and result sets as the whoosh engine (a differential test holds them
together); the design is in docs/engines.md: comments link to articles by ``article_id``,
replacing is delete-then-add in one commit, dates are date fields queried with UTC datetimes.
The index layout is in tantivy_schema, the query primitives in tantivy_compiler, the snippets
in tantivy_snippets and tantivy_fragments, the article tallies in tantivy_tallies.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import weakref
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Occur, Order, Query

from ..documents import IndexDocument, stored_document
from ..errors import IndexLockedError, IndexNotFoundError
from ..faults import rebuild_hint, write_failure
from ..query import ast
from . import tantivy_tallies, value_counts
from .base import (
    PAGE_SIZE,
    ArticleTally,
    DocValues,
    Engine,
    EngineWriter,
    Hit,
    SearchPage,
    SearchRequest,
    Sort,
    ValueCounts,
)
from .ordering import constant_score, stable_order
from .tantivy_compiler import TantivyCompiler, TermLists
from .tantivy_faults import LOCK_DENIED, fault, guarded, read_only_view
from .tantivy_schema import UTF8, analyzers, decoded, document, schema, stored_fields
from .tantivy_snippets import Snippets

__all__ = ["TantivyEngine"]

# Hits fetched beyond the page when ranking by score, so equal scores can be put in a stable
# order (by date, newest first, then id).
_RELEVANCE_SLACK = 64


class TantivyEngine(Engine):
    name = "tantivy"

    def __init__(self, ix: Any, folder: Path, files: Path, view: Path | None = None) -> None:
        self._ix = ix
        self._folder = folder  # the corpsearch index folder, for messages
        # tantivy's list of the index's segments and deletes, rewritten whole by every commit:
        # the reader is reloaded only when it changed (see _searcher)
        self._meta = files / "meta.json"
        self._seen: bytes | None = None
        self._view = view  # the read-only view this index was opened through (see tantivy_faults)
        # An Index the caller never closes still removes its view, when collected or at exit.
        self._drop_view = weakref.finalize(self, shutil.rmtree, view, True) if view else None
        self._schema = ix.schema
        self._analyzers = analyzers()
        # words listed for fuzzy words, kept while the reader's state of the index is unchanged
        self._term_lists = TermLists()
        for name, analyzer in self._analyzers.items():
            ix.register_tokenizer(name, analyzer)

    @classmethod
    def create(cls, folder: Path) -> TantivyEngine:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            return cls(
                tantivy.Index(schema(), path=str(folder), reuse=False), folder.parent, folder
            )
        except BaseException as error:
            fault(error, folder.parent)
            raise

    @classmethod
    def open(cls, folder: Path) -> TantivyEngine:
        if not folder.is_dir() or not tantivy.Index.exists(str(folder)):
            raise IndexNotFoundError(f"no tantivy index in {folder}; {rebuild_hint(folder.parent)}")
        try:
            return cls(tantivy.Index.open(str(folder)), folder.parent, folder)
        except ValueError as error:
            if not LOCK_DENIED.search(str(error)):
                fault(error, folder.parent)
                raise
        except BaseException as error:
            fault(error, folder.parent)
            raise
        view = read_only_view(folder)
        try:
            return cls(tantivy.Index.open(str(view)), folder.parent, view, view)
        except BaseException as error:
            shutil.rmtree(view, ignore_errors=True)
            fault(error, folder.parent)
            raise

    @guarded
    def writer(self) -> _TantivyWriter:
        if self._view is not None:
            raise write_failure(OSError(errno.EACCES, os.strerror(errno.EACCES)), self._folder)
        try:
            writer = self._ix.writer()
        except ValueError as error:
            if "lock" not in str(error).lower():
                raise
            raise IndexLockedError(
                "another job is writing to this index; wait for it to finish and try again"
            ) from error
        return _TantivyWriter(self, writer)

    @guarded
    def reload(self) -> None:
        self._ix.reload()
        self._seen = None
        self._term_lists.clear()

    def _searcher(self) -> Any:
        # tantivy's reader follows commits by itself, but a moment late; a search started after
        # a commit must see it (a long-lived Index serving a reader while a job runs). Reloading
        # opens every segment again (0.1 to 0.3 ms, and the searcher's cache of stored documents
        # starts empty), so it is done only when meta.json, which every commit rewrites and which
        # is all the reader's state comes from, is not what it was at the last reload.
        try:
            meta = self._meta.read_bytes()
        except OSError:
            meta = None  # tantivy says what is wrong, if anything is
        if meta is None or meta != self._seen:
            self._ix.reload()
            self._seen = meta
            self._term_lists.clear()
        return self._ix.searcher()

    @guarded
    def count(self) -> dict[str, int]:
        searcher = self._searcher()
        return {
            kind: searcher.search(self._term("kind", kind), limit=1).count
            for kind in ("article", "comment")
        }

    @guarded
    def documents(self) -> Iterator[IndexDocument]:
        searcher = self._searcher()
        if not searcher.num_docs:
            return
        everything = searcher.search(Query.all_query(), limit=searcher.num_docs).hits
        for _, address in everything:
            yield stored_document(stored_fields(searcher.doc(address).to_dict()))

    @guarded
    def stored(self, query: ast.Node) -> Iterator[IndexDocument]:
        searcher = self._searcher()
        compiled = self._compiler(searcher).compile(query)
        count = searcher.search(compiled, limit=1).count
        if not count:
            return
        for _, address in searcher.search(compiled, limit=count).hits:
            yield stored_document(stored_fields(searcher.doc(address).to_dict()))

    @guarded
    def ids_with_prefix(self, prefix: str, limit: int = 10) -> list[str]:
        if not re.fullmatch(r"[0-9a-f]+", prefix):
            return []  # ids are hex digits; nothing else may reach the regex
        searcher = self._searcher()
        query = Query.regex_query(self._schema, "id", prefix + "[0-9a-f]*")
        count = searcher.search(query, limit=1).count
        if not count:
            return []
        hits = searcher.search(query, limit=count).hits
        return sorted(str(decoded(searcher.doc(a).to_dict()["id"][0])) for _, a in hits)[:limit]

    def close(self) -> None:
        self._ix = None
        if self._drop_view is not None:
            self._drop_view()

    @guarded
    def search(self, request: SearchRequest) -> SearchPage:
        searcher = self._searcher()
        compiler = self._compiler(searcher)
        compiled = compiler.compile(request.query)
        wanted = request.offset + request.limit
        if request.sort == "relevance" and not constant_score(request.query):
            total, ranked = self._by_score(searcher, compiled, wanted)
        else:
            total, ranked = self._by_key(searcher, compiled, request.sort, wanted)
            if request.sort == "relevance" and ranked:
                score = searcher.search(compiled, limit=1).hits[0][0]
                ranked = [(score, address) for _, address in ranked]
        page = ranked[request.offset : wanted]
        snippets = Snippets(searcher, compiler, compiled)
        by_score = request.sort == "relevance"
        hits = [
            _hit(searcher.doc(address), score if by_score else 0.0, snippets)
            for score, address in page
        ]
        return SearchPage(total=total, hits=hits)

    @guarded
    def iter_hits(self, query: ast.Node, sort: Sort = "relevance") -> Iterator[Hit]:
        """Every hit from one snapshot of the index. In date order a page starts after the last
        key of the page before, so memory holds one page however many hits there are; by score,
        the scores and addresses of all hits are held (no stored text), as tantivy has no way to
        resume a ranking."""
        searcher = self._searcher()
        compiler = self._compiler(searcher)
        compiled = compiler.compile(query)
        snippets = Snippets(searcher, compiler, compiled)
        for score, address in self._in_order(searcher, query, compiled, sort):
            yield _hit(searcher.doc(address), score, snippets)

    @guarded
    def ranked(self, query: ast.Node, sort: Sort = "relevance") -> Iterator[DocValues]:
        """The values of every match in the order of :meth:`iter_hits`, without the snippets
        (which took two thirds of the time of a grouping or a count)."""
        searcher = self._searcher()
        compiled = self._compiler(searcher).compile(query)
        for _, address in self._in_order(searcher, query, compiled, sort):
            yield _values(searcher.doc(address))

    @guarded
    def counts(
        self,
        query: ast.Node,
        fields: Sequence[str] = (),
        period: str | None = None,
        tz: tzinfo = UTC,
    ) -> ValueCounts:
        """Counted in the index by two aggregations over value columns; a field with too many
        distinct values, or dates over too many periods, are counted by reading the matches."""
        searcher = self._searcher()
        compiled = self._compiler(searcher).compile(query)
        total = searcher.search(compiled, limit=1).count
        columns = {name: _COUNTED_COLUMN[name] for name in fields}
        try:
            answer = searcher.aggregate(compiled, value_counts.values_request(columns, "seconds"))
        except ValueError as error:
            if "bucket limit" not in str(error):
                raise
            return super().counts(query, fields, period, tz)
        values = value_counts.read_values(answer, fields, total)
        if values is None:
            return super().counts(query, fields, period, tz)
        if period is None:
            return ValueCounts(total, values, {}, 0)
        count, first, last = value_counts.dated(answer)
        if not count:
            return ValueCounts(total, values, {}, total)
        bounds = value_counts.period_bounds(first, last, period, tz)
        if bounds is None:
            return super().counts(query, fields, period, tz)
        found = searcher.aggregate(compiled, value_counts.date_request("seconds", bounds))
        return ValueCounts(total, values, value_counts.read_dates(found), total - count)

    @guarded
    def article_tallies(
        self, query: ast.Node, sort: Sort, offset: int, limit: int
    ) -> tuple[int, list[ArticleTally]]:
        """Tallied in the index: terms aggregations over the matches' article ids count the
        articles (corpsearch.engine.tantivy_tallies); the order comes from the ranked matches,
        read only as far as the page's last article, and the page's tallies from one aggregation over the
        matches in its articles. With more articles than even the partitioned aggregations
        hold, the plain version reads every match."""
        searcher = self._searcher()
        compiled = self._compiler(searcher).compile(query)
        matches = searcher.search(compiled, limit=1).count
        total = tantivy_tallies.article_total(searcher, compiled, matches) if matches else 0
        if total is None:
            return super().article_tallies(query, sort, offset, limit)
        page: list[str] = []
        if offset < total and limit > 0:
            seen: set[str] = set()
            for _, address in self._in_order(searcher, query, compiled, sort):
                article_id = searcher.doc(address).get_first("article_id")
                if article_id not in seen:
                    seen.add(article_id)
                    page.append(article_id)
                    if len(page) == offset + limit:
                        break
        return total, tantivy_tallies.page_tallies(searcher, self._schema, compiled, page[offset:])

    def _in_order(
        self, searcher: Any, query: ast.Node, compiled: Any, sort: Sort
    ) -> Iterator[tuple[float, Any]]:
        """(score, address) of every match in ``sort`` order (see :meth:`iter_hits`)."""
        if sort == "relevance" and not constant_score(query):
            yield from self._by_score_rounds(searcher, compiled)
            return
        first = searcher.search(compiled, limit=1).hits
        if not first:
            return
        score = first[0][0] if sort == "relevance" else 0.0
        field = "date_asc" if sort == "date" else "date_desc"
        after: int | None = None
        while True:
            page_query = compiled
            if after is not None:
                # date_desc is read in descending order: what comes next has smaller keys
                lower, upper = (
                    (after + 1, _KEY_MAX) if field == "date_asc" else (_KEY_MIN, after - 1)
                )
                rest = Query.range_query(
                    self._schema, field, tantivy.FieldType.Integer, lower, upper
                )
                page_query = Query.boolean_query([(Occur.Must, compiled), (Occur.Must, rest)])
            _, ranked = self._by_key(searcher, page_query, sort, PAGE_SIZE)
            if not ranked:
                return
            for _, address in ranked:
                yield score, address
            # a full page took every document sharing its last key, so the next starts beyond it
            after = searcher.fast_field_values(field, [ranked[-1][1]])[0]

    def _by_key(
        self, searcher: Any, query: Any, sort: Sort, wanted: int
    ) -> tuple[int, list[tuple[float, Any]]]:
        """Hits ordered by a sort key; the id decides between equal keys."""
        field, order = ("date_asc", Order.Asc) if sort == "date" else ("date_desc", Order.Desc)
        result = searcher.search(query, limit=max(wanted, 1), order_by_field=field, order=order)
        found: list[tuple[int, Any]] = list(result.hits)
        if found and len(found) >= wanted and result.count > len(found):
            # Documents with the same key as the last one may lie beyond it: fetch them all.
            last = found[-1][0]
            ties = Query.range_query(self._schema, field, tantivy.FieldType.Integer, last, last)
            both = Query.boolean_query([(Occur.Must, query), (Occur.Must, ties)])
            tied_count = searcher.search(both, limit=1).count
            tied = searcher.search(both, limit=max(tied_count, 1), order_by_field=field)
            found = [item for item in found if item[0] != last] + list(tied.hits)
        sign = 1 if order == Order.Asc else -1
        ordered = stable_order([(sign * key, a) for key, a in found], _id_reader(searcher))
        return result.count, [(0.0, address) for _, address in ordered]

    def _by_score_rounds(self, searcher: Any, query: Any) -> Iterator[tuple[float, Any]]:
        """Every match by score, the first ones at once: tantivy cannot resume a ranking, so
        each round ranks four times as many matches as the one before (a page, then more, up to
        all of them) and gives the matches scoring above the lowest score it fetched. Every
        match scoring that much was fetched, so their order is final and each round goes on
        where the one before stopped: the first row of an export of a million hits comes after
        ranking a page of them, not all of them."""
        done = 0
        wanted = PAGE_SIZE
        while True:
            count, ranked = self._by_score(searcher, query, wanted)
            if len(ranked) >= count:  # every match was fetched: the whole order is final
                yield from ranked[done:count]
                return
            floor = ranked[-1][0]
            final = next((i for i, (score, _) in enumerate(ranked) if score <= floor), 0)
            yield from ranked[done:final]
            done = max(done, final)
            wanted = min(wanted * 4, count)

    def _by_score(
        self, searcher: Any, query: Any, wanted: int
    ) -> tuple[int, list[tuple[float, Any]]]:
        result = searcher.search(query, limit=max(wanted + _RELEVANCE_SLACK, 1))
        found: list[tuple[float, Any]] = list(result.hits)
        keys = searcher.fast_field_values("date_desc", [a for _, a in found]) if found else []
        # Equal scores: newest first (the descending key holds the date), then by id.
        keyed = [((-hit[0], -(key or 0)), hit) for hit, key in zip(found, keys, strict=True)]
        read_id = _id_reader(searcher)
        ordered = stable_order(keyed, lambda hit: read_id(hit[1]))
        return result.count, [hit for _, hit in ordered]

    def _compiler(self, searcher: Any) -> TantivyCompiler:
        return TantivyCompiler(self._schema, self._analyzers, searcher, self._term_lists)

    def _term(self, field: str, value: str) -> Any:
        return Query.term_query(self._schema, field, value)


_KEY_MIN, _KEY_MAX = -(2**63), 2**63 - 1


def _id_reader(searcher: Any) -> Any:
    return lambda address: searcher.doc(address).get_first("id") or ""


def _text(doc: Any, field: str) -> str | None:
    value = doc.get_first(field)
    if value is None:
        return None
    return bytes(value).decode(*UTF8) if isinstance(value, bytes | list) else str(value)


_COUNTED_COLUMN = {"kind": "kind", "author": "author_value", "site": "site_value"}


def _values(doc: Any) -> DocValues:
    published = _text(doc, "published")
    return DocValues(
        id=doc.get_first("id"),
        kind=doc.get_first("kind"),
        article_id=doc.get_first("article_id"),
        author=doc.get_first("author"),
        site=doc.get_first("site"),
        date=datetime.fromisoformat(published).astimezone(UTC) if published else None,
    )


def _hit(doc: Any, score: float, snippets: Snippets) -> Hit:
    kind = doc.get_first("kind")
    return Hit(
        id=doc.get_first("id"),
        kind=kind,
        score=float(score),
        headline=_text(doc, "article_headline") or "",
        author=doc.get_first("author"),
        published=_text(doc, "published"),
        url=doc.get_first("url"),
        article_id=doc.get_first("article_id"),
        snippet=snippets(doc, kind),
        site=doc.get_first("site"),
        position=doc.get_first("position") or 0,
        comment_count=doc.get_first("comment_count") or 0,
        source=_text(doc, "source") or "",
    )


class _TantivyWriter(EngineWriter):
    def __init__(self, engine: TantivyEngine, writer: Any) -> None:
        self._engine = engine
        self._writer = writer
        self._folder = engine._folder

    @guarded
    def delete_article(self, article_id: str) -> None:
        # Deletes apply to documents added before them, so delete-then-add in one commit
        # replaces an article and its comments at once.
        self._writer.delete_documents_by_term("article_id", article_id)

    @guarded
    def add(self, documents: Iterable[IndexDocument]) -> None:
        for doc in documents:
            self._writer.add_document(document(doc))

    @guarded
    def commit(self) -> None:
        self._writer.commit()
        self._finish()
        self._engine.reload()

    def cancel(self) -> None:
        # Called after a failure; a second failure here must not hide the first, and the
        # writer is dropped whatever happens, which releases the index's write lock.
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.rollback()
            with contextlib.suppress(Exception):
                self._writer.wait_merging_threads()
            self._writer = None

    def _finish(self) -> None:
        # Waiting for merges consumes the writer and releases the index's write lock.
        self._writer.wait_merging_threads()
        self._writer = None
