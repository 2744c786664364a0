"""The tantivy engine: the only module that imports tantivy.

Same fields, words and result sets as the whoosh engine (a differential test holds them
together); the design is in docs/engines.md: comments link to articles by ``article_id``,
replacing is delete-then-add in one commit, dates are date fields queried with UTC datetimes,
and the query tree is compiled directly (fuzzy words as regular expressions over terms,
proximity checked on stored text), never through tantivy's query parser.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import inspect
import itertools
import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import tantivy
from tantivy import Filter, Occur, Order, Query, TextAnalyzerBuilder, Tokenizer

from ..documents import IndexDocument, stored_document
from ..errors import IndexLockedError, IndexNotFoundError, QueryError, QueryTooBroadError
from ..faults import DISK_FULL, damaged_index, rebuild_hint, write_failure
from ..query import ast
from ..snippets import escape_text
from . import value_counts
from .base import (
    MAX_EXPANSION,
    PAGE_SIZE,
    DocValues,
    Engine,
    EngineWriter,
    Hit,
    SearchPage,
    SearchRequest,
    Sort,
    ValueCounts,
)
from .fuzzy_regex import fuzzy_patterns, prefix_pattern
from .kind_lengths import FIELD_KIND, bm25_idf, kind_length_weights
from .ordering import constant_score, in_order, mark, seconds, sort_keys, stable_order

__all__ = ["TantivyEngine"]

WORDS = "corpsearch_words"
WHOLE = "corpsearch_whole"
HEADLINE_BOOST = 2.0
# How many comment matches ``comments:(...)`` may turn into article ids, and how many candidate
# documents a proximity query may check in stored text (about 0.3 ms each), before asking for
# a narrower query.
MAX_HAS_COMMENTS_ARTICLES = 100_000
MAX_PROXIMITY_CANDIDATES = 20_000
SNIPPET_FIELDS = {"article": ("body", "headline"), "comment": ("text", "quote")}
SNIPPET_CHARS = 200
# Hits fetched beyond the page when ranking by score, so equal scores can be put in a stable
# order (by date, newest first, then id).
_RELEVANCE_SLACK = 64


# How tantivy's errors on files begin (it raises them all as ValueError); a Rust panic, such as
# an assertion on a damaged file's offsets, arrives as pyo3's PanicException, not an Exception.
_FILE_ERRORS = (
    "Failed to open",
    "An IO error occurred",
    "Data corrupted",
    "Incompatible index",
    "An index exists but the schema does not match",
)
_OS_ERROR = re.compile(r"\(os error (\d+)\)|\bcode: (\d+)")
P = ParamSpec("P")
R = TypeVar("R")


def _fault(error: BaseException, folder: Path) -> None:
    """Raise tantivy's error on reading or writing the index's files as a corpsearch error; an
    error that is not about the files is left alone."""
    if type(error).__name__ == "PanicException":
        raise damaged_index(error, folder) from error
    if not isinstance(error, ValueError) or not str(error).startswith(_FILE_ERRORS):
        return
    found = _OS_ERROR.search(str(error))
    code = int(found.group(1) or found.group(2)) if found else 0
    if code in DISK_FULL or code in (errno.EACCES, errno.EPERM, errno.EROFS):
        # The operating system's error, as the whoosh engine reports it, with tantivy's behind.
        cause = OSError(code, os.strerror(code))
        cause.__cause__ = error
        raise write_failure(cause, folder) from cause
    raise damaged_index(error, folder) from error


# tantivy's reader takes a lock file in the index folder, which a read-only folder refuses.
_LOCK_DENIED = re.compile(r"Failed to acquire Lockfile.*(PermissionDenied|ReadOnlyFilesystem)")


def _read_only_view(folder: Path) -> Path:
    """A temporary folder of links to the index's files, where tantivy can take its reader's
    lock: searching needs no write lock, but tantivy's reader wants a lock file it can open for
    writing beside the files. No writer is ever opened on the view (``writer`` refuses), so the
    index itself is only read."""
    view = Path(tempfile.mkdtemp(prefix="corpsearch-read-only-"))
    try:
        for entry in folder.iterdir():
            if not entry.name.endswith(".lock"):
                (view / entry.name).symlink_to(entry.resolve())
    except OSError:
        shutil.rmtree(view, ignore_errors=True)
        raise
    return view


def _guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Raise tantivy's errors on damaged files, full disks and read-only folders, met by a
    method of an object with a ``_folder``, as :class:`~corpsearch.errors.IndexError_`
    subclasses that say what to do."""
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def streaming(*args: P.args, **kwargs: P.kwargs) -> Any:
            try:
                yield from method(*args, **kwargs)
            except BaseException as error:
                _fault(error, args[0]._folder)  # type: ignore[attr-defined]
                raise

        return streaming

    @functools.wraps(method)
    def calling(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except BaseException as error:
            _fault(error, args[0]._folder)  # type: ignore[attr-defined]
            raise

    return calling


def _analyzers() -> dict[str, Any]:
    return {
        WORDS: TextAnalyzerBuilder(Tokenizer.regex(r"\w+")).filter(Filter.lowercase()).build(),
        WHOLE: TextAnalyzerBuilder(Tokenizer.raw()).filter(Filter.lowercase()).build(),
    }


def _schema() -> Any:
    builder = tantivy.SchemaBuilder()
    for name in ("id", "url", "lang"):
        builder.add_text_field(name, stored=True, tokenizer_name="raw")
    # Value columns, which counts aggregate: the kind, and the author and site as written
    # (their indexed terms are lower-cased), and the UTC seconds of the date.
    builder.add_text_field("kind", stored=True, tokenizer_name="raw", fast=True)
    for name in ("author_value", "site_value"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_integer_field("seconds", fast=True)
    builder.add_text_field("article_id", stored=True, tokenizer_name="raw", fast=True)
    for name in ast.TEXT_FIELDS:
        builder.add_text_field(name, stored=True, tokenizer_name=WORDS)
    for name in ("author", "site"):
        builder.add_text_field(name, stored=True, tokenizer_name=WHOLE, index_option="freq")
    builder.add_date_field("date", indexed=True, fast=True)
    builder.add_integer_field("date_asc", fast=True)
    builder.add_integer_field("date_desc", fast=True)
    for name in ("published", "article_headline", "source", "parent"):
        builder.add_bytes_field(name, stored=True)
    for name in ("position", "comment_count"):
        builder.add_integer_field(name, stored=True)
    return builder.build()


class TantivyEngine(Engine):
    name = "tantivy"

    def __init__(self, ix: Any, folder: Path, view: Path | None = None) -> None:
        self._ix = ix
        self._folder = folder  # the corpsearch index folder, for messages
        self._view = view  # the read-only view this index was opened through (see _read_only_view)
        # An Index the caller never closes still removes its view, when collected or at exit.
        self._drop_view = weakref.finalize(self, shutil.rmtree, view, True) if view else None
        self._schema = ix.schema
        self._analyzers = _analyzers()
        for name, analyzer in self._analyzers.items():
            ix.register_tokenizer(name, analyzer)

    @classmethod
    def create(cls, folder: Path) -> TantivyEngine:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            return cls(tantivy.Index(_schema(), path=str(folder), reuse=False), folder.parent)
        except BaseException as error:
            _fault(error, folder.parent)
            raise

    @classmethod
    def open(cls, folder: Path) -> TantivyEngine:
        if not folder.is_dir() or not tantivy.Index.exists(str(folder)):
            raise IndexNotFoundError(f"no tantivy index in {folder}; {rebuild_hint(folder.parent)}")
        try:
            return cls(tantivy.Index.open(str(folder)), folder.parent)
        except ValueError as error:
            if not _LOCK_DENIED.search(str(error)):
                _fault(error, folder.parent)
                raise
        except BaseException as error:
            _fault(error, folder.parent)
            raise
        view = _read_only_view(folder)
        try:
            return cls(tantivy.Index.open(str(view)), folder.parent, view)
        except BaseException as error:
            shutil.rmtree(view, ignore_errors=True)
            _fault(error, folder.parent)
            raise

    @_guarded
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

    @_guarded
    def reload(self) -> None:
        self._ix.reload()

    def _searcher(self) -> Any:
        # tantivy's reader follows commits by itself, but a moment late; a search started after
        # a commit must see it (a long-lived Index serving a reader while a job runs)
        self._ix.reload()
        return self._ix.searcher()

    @_guarded
    def count(self) -> dict[str, int]:
        searcher = self._searcher()
        return {
            kind: searcher.search(self._term("kind", kind), limit=1).count
            for kind in ("article", "comment")
        }

    @_guarded
    def documents(self) -> Iterator[IndexDocument]:
        searcher = self._searcher()
        if not searcher.num_docs:
            return
        everything = searcher.search(Query.all_query(), limit=searcher.num_docs).hits
        for _, address in everything:
            values = searcher.doc(address).to_dict()
            yield stored_document(
                {name: _stored_value(name, value) for name, value in values.items()}
            )

    @_guarded
    def stored(self, query: ast.Node) -> Iterator[IndexDocument]:
        searcher = self._searcher()
        compiled = _Compiler(self, searcher).compile(query)
        count = searcher.search(compiled, limit=1).count
        if not count:
            return
        for _, address in searcher.search(compiled, limit=count).hits:
            values = searcher.doc(address).to_dict()
            yield stored_document({name: _decoded(value[0]) for name, value in values.items()})

    @_guarded
    def ids_with_prefix(self, prefix: str, limit: int = 10) -> list[str]:
        if not re.fullmatch(r"[0-9a-f]+", prefix):
            return []  # ids are hex digits; nothing else may reach the regex
        searcher = self._searcher()
        query = Query.regex_query(self._schema, "id", prefix + "[0-9a-f]*")
        count = searcher.search(query, limit=1).count
        if not count:
            return []
        hits = searcher.search(query, limit=count).hits
        return sorted(str(_decoded(searcher.doc(a).to_dict()["id"][0])) for _, a in hits)[:limit]

    def close(self) -> None:
        self._ix = None
        if self._drop_view is not None:
            self._drop_view()

    @_guarded
    def search(self, request: SearchRequest) -> SearchPage:
        searcher = self._searcher()
        compiler = _Compiler(self, searcher)
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
        snippets = _Snippets(searcher, compiler, compiled)
        by_score = request.sort == "relevance"
        hits = [
            _hit(searcher.doc(address), score if by_score else 0.0, snippets)
            for score, address in page
        ]
        return SearchPage(total=total, hits=hits)

    @_guarded
    def iter_hits(self, query: ast.Node, sort: Sort = "relevance") -> Iterator[Hit]:
        """Every hit from one snapshot of the index. In date order a page starts after the last
        key of the page before, so memory holds one page however many hits there are; by score,
        the scores and addresses of all hits are held (no stored text), as tantivy has no way to
        resume a ranking."""
        searcher = self._searcher()
        compiler = _Compiler(self, searcher)
        compiled = compiler.compile(query)
        snippets = _Snippets(searcher, compiler, compiled)
        for score, address in self._in_order(searcher, query, compiled, sort):
            yield _hit(searcher.doc(address), score, snippets)

    @_guarded
    def ranked(self, query: ast.Node, sort: Sort = "relevance") -> Iterator[DocValues]:
        """The values of every match in the order of :meth:`iter_hits`, without the snippets
        (which took two thirds of the time of a grouping or a count)."""
        searcher = self._searcher()
        compiled = _Compiler(self, searcher).compile(query)
        for _, address in self._in_order(searcher, query, compiled, sort):
            yield _values(searcher.doc(address))

    @_guarded
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
        compiled = _Compiler(self, searcher).compile(query)
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

    def _term(self, field: str, value: str) -> Any:
        return Query.term_query(self._schema, field, value)


_KEY_MIN, _KEY_MAX = -(2**63), 2**63 - 1


def _id_reader(searcher: Any) -> Any:
    return lambda address: searcher.doc(address).get_first("id") or ""


class _Snippets:
    """Highlighted fragments of a hit's text, matched words in ``<mark>``.

    tantivy's snippet generator knows the words of term and phrase queries; words found by a
    prefix or fuzzy query are looked up in each hit's own text and added to the query.
    """

    def __init__(self, searcher: Any, compiler: _Compiler, query: Any) -> None:
        self._searcher = searcher
        self._compiler = compiler
        self._query = query
        self._generators: dict[str, Any] = {}

    def __call__(self, doc: Any, kind: str) -> str:
        fields = [f for f in SNIPPET_FIELDS.get(kind, ()) if doc.get_first(f)]
        best = ""
        most = 0
        for field in fields:
            snippet, marked = _mark(self._generator(field, doc).snippet_from_doc(doc))
            if marked > most:
                best, most = snippet, marked
        if best:
            return best
        first = _passages(doc, fields[0]) if fields else ""
        return escape_text(" ".join(first.split())[:SNIPPET_CHARS])

    def _generator(self, field: str, doc: Any) -> Any:
        words = self._compiler.expanded_words(field, _passages(doc, field))
        if words:
            query = Query.boolean_query(
                [(Occur.Should, self._query)]
                + [(Occur.Should, self._compiler.term(field, w)) for w in sorted(words)]
            )
            return self._create(field, query)
        if field not in self._generators:
            self._generators[field] = self._create(field, self._query)
        return self._generators[field]

    def _create(self, field: str, query: Any) -> Any:
        generator = tantivy.SnippetGenerator.create(
            self._searcher, query, self._compiler.schema, field
        )
        generator.set_max_num_chars(SNIPPET_CHARS)
        return generator


def _mark(snippet: Any) -> tuple[str, int]:
    """The fragment with its highlighted words in ``<mark>``, and how many there are."""
    ranges = [(r.start, r.end) for r in snippet.highlighted()]  # bytes of the UTF-8 text
    return (mark(snippet.fragment(), ranges), len(ranges)) if ranges else ("", 0)


def _text(doc: Any, field: str) -> str | None:
    value = doc.get_first(field)
    if value is None:
        return None
    return bytes(value).decode(*_UTF8) if isinstance(value, bytes | list) else str(value)


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


def _hit(doc: Any, score: float, snippets: _Snippets) -> Hit:
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

    @_guarded
    def delete_article(self, article_id: str) -> None:
        # Deletes apply to documents added before them, so delete-then-add in one commit
        # replaces an article and its comments at once.
        self._writer.delete_documents_by_term("article_id", article_id)

    @_guarded
    def add(self, documents: Iterable[IndexDocument]) -> None:
        for doc in documents:
            self._writer.add_document(_document(doc))

    @_guarded
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


def _document(doc: IndexDocument) -> Any:
    out = tantivy.Document()
    for field in ("id", "kind", "article_id", *ast.TEXT_FIELDS, "author", "site", "url", "lang"):
        value = getattr(doc, field)
        if field == "quote":
            # One value per quoted passage: tantivy puts a position between two values, so a
            # phrase never joins the end of one quotation to the start of the next.
            for passage in _PASSAGE_BREAK.split(value):
                if passage:
                    out.add_text(field, passage)
        elif value:
            out.add_text(field, value)
    for field in ("published", "article_headline", "source", "parent"):
        value = getattr(doc, field)
        if value:
            out.add_bytes(field, value.encode(*_UTF8))
    out.add_integer("position", doc.position)
    out.add_integer("comment_count", doc.comment_count)
    utc = _clamped(doc.date) if doc.date is not None else None
    if utc is not None:
        out.add_date("date", datetime.fromtimestamp(utc, UTC))
    for field in ("author", "site"):
        value = getattr(doc, field)
        if value:
            out.add_text(field + "_value", value)
    if utc is not None:
        out.add_integer("seconds", utc)
    asc, desc = sort_keys(utc, doc.id)
    out.add_integer("date_asc", asc)
    out.add_integer("date_desc", desc)
    return out


# Stored values are kept as UTF-8 bytes; a file name that is not UTF-8 (read by Python with
# its bytes escaped as surrogates) keeps its bytes.
_UTF8 = ("utf-8", "surrogateescape")


def _decoded(value: object) -> object:
    return value.decode(*_UTF8) if isinstance(value, bytes) else value


# Passages of the quote field are joined by blank lines (corpsearch.documents).
_PASSAGE_BREAK = re.compile(r"\n\s*\n")
_PASSAGE_JOIN = "\n\n"


def _stored_value(name: str, values: list[object]) -> object:
    """A field's stored value as indexed: the quote's passages joined again."""
    if name == "quote":
        return _PASSAGE_JOIN.join(str(v) for v in values)
    return _decoded(values[0])


def _passages(doc: Any, field: str) -> str:
    """The text of a field: its values (a quote's passages) joined as they were indexed."""
    return _PASSAGE_JOIN.join(str(v) for v in doc.get_all(field))


def _clamped(value: datetime) -> int:
    """UTC seconds, held within the dates tantivy can store (1677 to 2262)."""
    return min(max(seconds(value), _FIRST_SECOND), _LAST_SECOND)


_FIRST_SECOND = -int(-tantivy.MIN_DATETIME.timestamp() // 1)
_LAST_SECOND = int(tantivy.MAX_DATETIME.timestamp() // 1)


class _Compiler:
    """Query tree → tantivy query objects."""

    def __init__(self, engine: TantivyEngine, searcher: Any) -> None:
        self.schema = engine._schema
        self._analyzers = engine._analyzers
        self._searcher = searcher
        # tantivy averages a field's length over all documents; these weights make up for
        # comments having no headline or body and articles no text or quote. Like tantivy's
        # token totals, doc_freq still counts deleted documents until their segments merge.
        self._total = searcher.num_docs
        kinds = set(FIELD_KIND.values())
        self._weights = kind_length_weights(
            self._total, {kind: searcher.doc_freq("kind", kind) for kind in kinds}
        )
        # (field or None for every text field, pattern) of prefix and fuzzy queries.
        self._expanding: list[tuple[str | None, re.Pattern[str]]] = []
        # The index words that begin like the prefix or fuzzy term being compiled, by field, and
        # the patterns of that term.
        self._expansions: list[tuple[list[str], list[re.Pattern[str]]]] = []

    def term(self, field: str, word: str) -> Any:
        return Query.term_query(self.schema, field, word)

    def expanded_words(self, field: str, text: str) -> set[str]:
        """The words of ``text`` that the query's prefix and fuzzy parts match in ``field``."""
        patterns = [p for f, p in self._expanding if f in (None, field)]
        if not patterns:
            return set()
        words = {str(w) for w in self._analyzers[WORDS].analyze(text)}
        return {w for w in words if any(p.fullmatch(w) for p in patterns)}

    def compile(self, node: ast.Node) -> Any:
        match node:
            case ast.And(children):
                return self._and(children)
            case ast.Or(children):
                if not children:
                    return Query.empty_query()
                return Query.boolean_query([(Occur.Should, self.compile(c)) for c in children])
            case ast.Not():
                return self._and((node,))
            case ast.MatchAll():
                return Query.all_query()
            case ast.DateRange(start, end):
                return self._dates(start, end)
            case ast.HasComments(inner):
                return self._has_comments(inner)
            case ast.Term(field, text) | ast.Phrase(field, text, _):
                slop = node.slop if isinstance(node, ast.Phrase) else 0
                return self._per_field(field, lambda f: self._words(f, text, slop))
            case ast.Prefix(field, text):
                self._expansions = []
                query = self._per_field(field, lambda f: self._prefix(f, text, field))
                self._check_expansion(f"{text}*")
                return query
            case ast.Fuzzy(field, text, distance):
                self._expansions = []
                query = self._per_field(field, lambda f: self._fuzzy(f, text, distance, field))
                self._check_expansion(f"{text}~{distance}")
                return query
        raise TypeError(f"not a query node: {node!r}")

    def _and(self, children: Sequence[ast.Node]) -> Any:
        if not children:
            return Query.empty_query()
        clauses = [
            (Occur.MustNot, self.compile(c.child))
            if isinstance(c, ast.Not)
            else (Occur.Must, self.compile(c))
            for c in children
        ]
        if all(occur == Occur.MustNot for occur, _ in clauses):
            clauses.insert(0, (Occur.Must, Query.all_query()))
        return Query.boolean_query(clauses)

    def _per_field(self, field: str | None, build: Any) -> Any:
        if field is None:
            return Query.boolean_query([(Occur.Should, build(f)) for f in ast.TEXT_FIELDS])
        name = _FIELD.get(field, field)
        if name not in _QUERYABLE:
            return Query.empty_query()
        return build(name)

    def _keyword(self, field: str, text: str) -> str:
        if field in ("url", "id", "article_id"):
            return text
        if field == "site":
            text = self._whole(text)
            return text[4:] if text.startswith("www.") else text
        if field == "author":
            return self._whole(text)
        return text.lower()

    def _whole(self, text: str) -> str:
        tokens = self._analyzers[WHOLE].analyze(text)
        return str(tokens[0]) if tokens else text.lower()

    def _words(self, field: str, text: str, slop: int) -> Any:
        if field not in ast.TEXT_FIELDS:
            return Query.term_query(self.schema, field, self._keyword(field, text))
        tokens = [str(t) for t in self._analyzers[WORDS].analyze(text)]
        if not tokens:
            return Query.empty_query()
        if len(tokens) == 1:
            return self._weighted(field, self.term(field, tokens[0]), tokens)
        if slop == 0:
            words: list[str | tuple[int, str]] = list(tokens)
            return self._weighted(field, Query.phrase_query(self.schema, field, words), tokens)
        # The candidates query scores each distinct word once.
        return self._weighted(field, self._proximity(field, tokens, slop), sorted(set(tokens)))

    def _weighted(self, field: str, query: Any, words: Sequence[str]) -> Any:
        """``query``'s BM25 score in a text field, weighted for field lengths and headlines."""
        weight = self._weights[field]
        boost = HEADLINE_BOOST if field == "headline" else 1.0
        scored = Query.boost_query(query, boost * weight.scale)
        if not weight.per_idf:
            return scored
        counts = {w: self._searcher.doc_freq(field, w) for w in words}
        # tantivy's idf of a phrase is the sum of its words' idf.
        idf = sum(bm25_idf(counts[w], self._total) for w in words)
        # The idf part only counts where ``query`` matches, so it may come from any query that
        # matches wherever ``query`` does: the rarest word's, cheaper than a phrase again.
        rarest = self.term(field, min(words, key=lambda w: (counts[w], w)))
        extra = Query.const_score_query(rarest, boost * weight.per_idf * idf)
        return Query.boolean_query([(Occur.Must, scored), (Occur.Should, extra)])

    def _proximity(self, field: str, tokens: list[str], slop: int) -> Any:
        """Words in order with at most ``slop`` others between each neighbouring pair.

        tantivy's slop means something else (one budget for the whole phrase, and words may swap
        places), so its sloppy phrase only narrows the candidates: with a budget of ``slop`` for
        every gap it matches every document that ours does, and some more, which are checked
        against their stored text. The score is that of the documents holding every word.
        """
        candidates = Query.boolean_query(
            [(Occur.Must, self.term(field, t)) for t in sorted(set(tokens))]
        )
        budget = slop * (len(tokens) - 1)
        near = Query.phrase_query(self.schema, field, list(tokens), budget)
        count = self._searcher.search(near, limit=1).count
        if count > MAX_PROXIMITY_CANDIDATES:
            raise QueryError(
                f"a proximity query matches more than {MAX_PROXIMITY_CANDIDATES} candidates",
                query="",
                position=0,
                hint="add words or narrow the query",
            )
        analyzer = self._analyzers[WORDS]
        ids = []
        for _, address in self._searcher.search(near, limit=max(count, 1)).hits:
            doc = self._searcher.doc(address)
            # each passage of a field on its own: words never stand near across two quotes
            passages = [[str(t) for t in analyzer.analyze(v)] for v in doc.get_all(field)]
            if any(in_order(words, tokens, slop) for words in passages):
                ids.append(doc.get_first("id"))
        if not ids:
            return Query.empty_query()
        exact = Query.const_score_query(Query.term_set_query(self.schema, "id", ids), 0.0)
        return Query.boolean_query([(Occur.Must, candidates), (Occur.Must, exact)])

    def _prefix(self, field: str, text: str, asked: str | None) -> Any:
        keyword = self._keyword(field, text)
        # Every word beginning with the keyword matches: one more than the limit is enough.
        return self._regexes(field, [prefix_pattern(keyword)], asked, keyword, MAX_EXPANSION + 1)

    def _fuzzy(self, field: str, text: str, distance: int, asked: str | None) -> Any:
        keyword = self._keyword(field, text)
        patterns = _fuzzy_patterns(keyword, distance)
        return self._regexes(field, list(patterns), asked, keyword[:1])

    def _regexes(
        self,
        field: str,
        patterns: list[str],
        asked: str | None,
        literal: str,
        enough: int | None = None,
    ) -> Any:
        """Terms of ``field`` matching any of ``patterns``, which all begin with ``literal``
        (of which ``enough`` are enough to count)."""
        compiled = [re.compile(p) for p in patterns]
        self._expanding += [(None if asked is None else field, p) for p in compiled]
        if compiled:
            found = self._searcher.terms_with_prefix(field, literal, limit=enough)
            self._expansions.append(([term for term, _ in found], compiled))
        queries = [Query.regex_query(self.schema, field, p) for p in patterns]
        if not queries:
            return Query.empty_query()
        query = (
            queries[0]
            if len(queries) == 1
            else Query.boolean_query([(Occur.Should, q) for q in queries])
        )
        # A regular expression's matches score a constant, with no field length to weigh.
        return Query.boost_query(query, HEADLINE_BOOST) if field == "headline" else query

    def _check_expansion(self, written: str) -> None:
        """Refuse a prefix or fuzzy term that stands for too many words of the index."""
        if sum(len(candidates) for candidates, _ in self._expansions) <= MAX_EXPANSION:
            return  # the words beginning like the term are few enough: no need to match them
        matched = (
            term
            for candidates, patterns in self._expansions
            for term in candidates
            if any(p.fullmatch(term) for p in patterns)
        )
        if next(itertools.islice(matched, MAX_EXPANSION, None), None) is not None:
            raise QueryTooBroadError(
                f"{written!r} matches more than {MAX_EXPANSION:,} different words",
                term=written.rstrip("~0123456789"),
                hint="make it longer or more exact",
            )

    def _article_ids(self, comments: Any) -> list[str]:
        """The distinct article ids of matching comments (one more than the limit at most)."""
        size = MAX_HAS_COMMENTS_ARTICLES + 1
        try:
            found = self._searcher.aggregate(
                comments, {"ids": {"terms": {"field": "article_id", "size": size}}}
            )
            return [str(bucket["key"]) for bucket in found["ids"]["buckets"]]
        except ValueError as error:
            if "bucket limit" not in str(error):
                raise
        # tantivy caps an aggregation at 65,000 buckets: read the comments' stored ids instead.
        ids: set[str] = set()
        count = self._searcher.search(comments, limit=1).count
        for _, address in self._searcher.search(comments, limit=count).hits:
            ids.add(self._searcher.doc(address).get_first("article_id"))
            if len(ids) >= size:
                break
        return sorted(ids)

    def _dates(self, start: datetime | None, end: datetime | None) -> Any:
        if start is None and end is None:
            return Query.exists_query("date")
        low = None if start is None else datetime.fromtimestamp(_clamped(start), UTC)
        high = None if end is None else datetime.fromtimestamp(_clamped(end), UTC)
        if low is not None and high is not None and low >= high:
            return Query.empty_query()
        return Query.range_query(
            self.schema,
            "date",
            tantivy.FieldType.Date,
            low,
            high,
            include_lower=True,
            include_upper=high is None,
        )

    def _has_comments(self, inner: ast.Node) -> Any:
        comments = Query.boolean_query(
            [
                (Occur.Must, Query.term_query(self.schema, "kind", "comment")),
                (Occur.Must, self.compile(inner)),
            ]
        )
        ids = self._article_ids(comments)
        if len(ids) > MAX_HAS_COMMENTS_ARTICLES:
            raise QueryError(
                f"comments:(...) matches comments on more than {MAX_HAS_COMMENTS_ARTICLES} "
                "articles",
                query="",
                position=0,
                hint="narrow the inner query",
            )
        if not ids:
            return Query.empty_query()
        return Query.boolean_query(
            [
                (Occur.Must, Query.term_query(self.schema, "kind", "article")),
                (Occur.Must, Query.term_set_query(self.schema, "id", ids)),
            ]
        )


@functools.lru_cache(maxsize=512)
def _fuzzy_patterns(word: str, distance: int) -> tuple[str, ...]:
    """Regular expressions for a fuzzy word, split until tantivy accepts each of them."""
    schema = tantivy.SchemaBuilder().add_text_field("t", tokenizer_name="raw").build()

    def fits(pattern: str) -> bool:
        # Long alternations with wildcards exceed tantivy's automaton limit; do not try.
        if len(pattern) > _MAX_PATTERN_CHARS:
            return False
        try:
            Query.regex_query(schema, "t", pattern)
        except ValueError:
            return False
        return True

    return tuple(fuzzy_patterns(word, distance, fits))


_MAX_PATTERN_CHARS = 1200
_FIELD = {"article": "article_id"}
_QUERYABLE = frozenset(
    ("id", "kind", "article_id", "url", "lang", "author", "site", *ast.TEXT_FIELDS)
)
