"""The whoosh engine (with whoosh_compiler, whoosh_formats, whoosh_snippets and whoosh_streams,
the only modules importing whoosh).

Choices that matter (see docs/engines.md):
- words are ``\\w+`` runs, lower-cased, no stop words (``employer.The`` is two words, not
  one); each text field has a second, analysed stream (``body_stem``: folded and stemmed in
  the document's language by corpsearch.analysis, split at spaces here);
- author and site are stored whole; ``author:`` and ``site:`` search the folded words and names
  and the site's domains (``author_words``, ``author_key``, ``site_keys``);
- dates are integer UTC seconds in a numeric field, so ranges are exact at both ends; two more
  sortable columns put undated documents last in either sort order;
- corpsearch's own parser and the shared compiler build the queries (whoosh_compiler); whoosh's
  query parser is never used.
"""

from __future__ import annotations

import pickle
import struct
import time
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index, scoring, sorting
from whoosh import query as wq
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filetables import FileFormatError
from whoosh.index import LockError
from whoosh.writing import IndexWriter

from ..analysis import names_of
from ..documents import IndexDocument, stored_document, streams_of
from ..errors import IndexLockedError, IndexNotFoundError
from ..faults import damaged_index, index_writes, rebuild_hint
from ..passages import PASSAGE_BREAK, PASSAGE_GAP, PASSAGE_JOIN
from ..query import ast
from .base import (
    DocValues,
    Engine,
    EngineWriter,
    Hit,
    SearchPage,
    SearchRequest,
    Sort,
)
from .compiler import FIELD_WEIGHTS, STEM
from .kind_lengths import FIELD_KIND
from .whoosh_compiler import (
    STEMS,
    VALUES,
    WHOLE,
    WORDS,
    WhooshCompiler,
)
from .whoosh_formats import MatchPositions
from .whoosh_searchers import Searchers
from .whoosh_snippets import Highlighter
from .whoosh_streams import NO_DATE_HIGH as _NO_DATE_HIGH
from .whoosh_streams import NO_DATE_LOW as _NO_DATE_LOW
from .whoosh_streams import columns as _columns
from .whoosh_streams import ordered as _ordered
from .whoosh_streams import values as _values
from .whoosh_writer import SegmentWriter

__all__ = ["WhooshEngine"]


# Defined here, not in whoosh_compiler: an index's schema pickles its analysers by module and
# name, so every existing index looks for corpsearch.engine.whoosh_engine.PassageGapFilter.
class PassageGapFilter(Filter):  # type: ignore[misc]
    """Drops passage breaks and moves the words after each break ``PASSAGE_GAP`` positions on.

    The quote field joins several quoted passages with blank lines; the gap keeps a phrase (even
    with slop) from matching the end of one passage and the start of the next.
    """

    def __call__(self, tokens: Any) -> Any:
        shift = 0
        for token in tokens:
            if not token.text.strip("\n\r\t "):
                shift += PASSAGE_GAP
                continue
            if shift and token.positions:
                token.pos += shift
            yield token


PASSAGES = RegexTokenizer(r"\w+|" + PASSAGE_BREAK.pattern) | PassageGapFilter() | LowercaseFilter()
# The quote's analysed stream: analysed words apart at spaces, passages apart by blank lines.
STEM_PASSAGES = RegexTokenizer(r"\S+|" + PASSAGE_BREAK.pattern) | PassageGapFilter()


# What whoosh raises on reading a damaged index file (a pickled table of contents, packed
# integers, compressed columns), on opening the index and while searching it.
_DAMAGE_READING = (
    OSError,
    EOFError,
    struct.error,
    pickle.UnpicklingError,
    zlib.error,
    FileFormatError,
    # a segment file's header read as garbage gives the wrong keys
    KeyError,
)
_DAMAGE = (*_DAMAGE_READING, ValueError, TypeError, IndexError, KeyError, index.IndexError)


class _KindScorer(scoring.BM25FScorer):  # type: ignore[misc]
    """BM25F with a field's average length taken over the documents that have the field.

    whoosh divides a field's total length by *all* documents; comments have no headline or body
    and articles no comment text, so headlines and bodies would look several times longer than
    average and lose to comments whatever their boost.
    """

    def __init__(
        self, searcher: Any, fieldname: str, text: str, b: float, k1: float, qf: int = 1
    ) -> None:
        parent = searcher.get_parent()
        self.idf = parent.idf(fieldname, text)
        having = parent.doc_frequency("kind", FIELD_KIND[fieldname])
        self.avgfl = (parent.field_length(fieldname) / having if having else 0) or 1
        self.B = b
        self.K1 = k1
        self.qf = qf
        self.setup(searcher, fieldname, text)


class _KindBM25F(scoring.BM25F):  # type: ignore[misc]
    def scorer(self, searcher: Any, fieldname: str, text: str, qf: int = 1) -> Any:
        if fieldname not in FIELD_KIND or not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf)
        b = self._field_B.get(fieldname, self.B)
        return _KindScorer(searcher, fieldname, text, b, self.K1, qf=qf)


WEIGHTING = _KindBM25F()
# Memory for whoosh's posting pool before it spills a sorted run to disk; more made no measured
# difference to indexing speed (benchmarks/whoosh_tuning.py).
WRITER_LIMIT_MB = 128


def _sort_key() -> NUMERIC:
    # Only ever a sort column: indexing it would add four terms per document, nearly all of
    # them unique, and writing terms is most of what a whoosh commit costs.
    field = NUMERIC(numtype=int, bits=64, signed=True, sortable=True)
    field.indexed = False
    return field


def _counted(field: TEXT) -> TEXT:
    """A text field whose postings are counted from its analyser's matches (whoosh_formats)."""
    found = MatchPositions.of(
        field.analyzer, field.format.field_boost, PassageGapFilter, PASSAGE_GAP
    )
    if found is None:
        raise TypeError(f"no MatchPositions for the analyser {field.analyzer!r}")
    field.format = found
    return field


def _schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        kind=ID(stored=True, sortable=True),
        article_id=ID(stored=True, sortable=True),
        headline=_counted(TEXT(analyzer=WORDS, stored=True, field_boost=FIELD_WEIGHTS["headline"])),
        body=_counted(TEXT(analyzer=WORDS, stored=True)),
        text=_counted(TEXT(analyzer=WORDS, stored=True)),
        quote=_counted(TEXT(analyzer=PASSAGES, stored=True)),
        headline_stem=_counted(TEXT(analyzer=STEMS, field_boost=FIELD_WEIGHTS["headline"])),
        body_stem=_counted(TEXT(analyzer=STEMS)),
        text_stem=_counted(TEXT(analyzer=STEMS)),
        quote_stem=_counted(TEXT(analyzer=STEM_PASSAGES)),
        author=TEXT(analyzer=WHOLE, stored=True, phrase=False, sortable=True),
        site=TEXT(analyzer=WHOLE, stored=True, phrase=False, sortable=True),
        author_words=TEXT(analyzer=STEMS, phrase=False),
        author_key=TEXT(analyzer=VALUES, phrase=False),
        site_keys=TEXT(analyzer=STEMS, phrase=False),
        url=ID(stored=True),
        lang=ID(stored=True),
        date=NUMERIC(numtype=int, bits=64, signed=True),
        date_asc=_sort_key(),
        date_desc=_sort_key(),
        published=STORED(),
        position=STORED(),
        comment_count=STORED(),
        article_headline=STORED(),
        source=STORED(),
        parent=STORED(),
    )


class WhooshEngine(Engine):
    name = "whoosh"

    def __init__(self, ix: index.Index) -> None:
        self._ix = ix
        # The corpsearch index folder (whoosh's files are in its "whoosh" subfolder).
        self._folder = Path(getattr(ix.storage, "folder", ".")).parent
        # Searches and counts reuse this thread's searcher (whoosh_searchers); the iterating
        # methods, which a caller may leave half read, open their own.
        self._searchers = Searchers(self._searcher)

    @classmethod
    def create(cls, folder: Path) -> WhooshEngine:
        folder.mkdir(parents=True, exist_ok=True)
        return cls(index.create_in(str(folder), _schema()))

    @classmethod
    def open(cls, folder: Path) -> WhooshEngine:
        try:
            if not index.exists_in(str(folder)):
                raise IndexNotFoundError(
                    f"no whoosh index in {folder}; {rebuild_hint(folder.parent)}"
                )
            return cls(_retry_vanished(lambda: index.open_dir(str(folder))))
        except _DAMAGE as error:
            raise damaged_index(error, folder.parent) from error

    def writer(self) -> _WhooshWriter:
        try:
            with index_writes(self._folder, _DAMAGE_READING):
                # Separate files per segment, not one compound file: whoosh copies a compound
                # file's parts into memory each time a searcher opens them, which cost every
                # query more than the search itself (docs/benchmarks.md).
                writer = SegmentWriter(self._ix, limitmb=WRITER_LIMIT_MB, compound=False)
                return _WhooshWriter(writer, self._folder)
        except LockError as error:
            raise IndexLockedError(
                "another job is writing to this index; wait for it to finish and try again"
            ) from error

    def count(self) -> dict[str, int]:
        with self._reading(), self._searchers.held() as searcher:
            if not searcher.reader().has_deletions():
                return {
                    kind: searcher.doc_frequency("kind", kind) for kind in ("article", "comment")
                }
            # doc_frequency still counts deleted documents until segments merge
            return {
                kind: sum(1 for _ in wq.Term("kind", kind).docs(searcher))
                for kind in ("article", "comment")
            }

    def documents(self) -> Iterator[IndexDocument]:
        with self._reading(), self._searcher() as searcher:
            for values in searcher.all_stored_fields():
                yield stored_document(values)

    def stored(self, query: ast.Node) -> Iterator[IndexDocument]:
        with self._reading(), self._searcher() as searcher:
            compiled = WhooshCompiler(searcher).compile(query)
            for docnum in searcher.search(compiled, limit=None, scored=False).docs():
                yield stored_document(searcher.stored_fields(docnum))

    def ids_with_prefix(self, prefix: str, limit: int = 10) -> list[str]:
        with self._reading(), self._searcher() as searcher:
            # the lexicon holds the ids of deleted documents until segments merge: search
            found = searcher.search(wq.Prefix("id", prefix), limit=None, scored=False)
            return sorted(searcher.stored_fields(d)["id"] for d in found.docs())[:limit]

    def close(self) -> None:
        self._searchers.close()
        self._ix.close()

    def _searcher(self) -> Any:
        return _retry_vanished(lambda: self._ix.searcher(weighting=WEIGHTING))

    @contextmanager
    def _reading(self) -> Iterator[None]:
        # whoosh leaves a damaged segment's file open when it gives up on it; the damage is
        # reported below, so the ResourceWarning of that file adds nothing.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                yield
            except _DAMAGE_READING as error:
                raise damaged_index(error, self._folder) from error

    def search(self, request: SearchRequest) -> SearchPage:
        with self._reading(), self._searchers.held() as searcher:
            compiled = WhooshCompiler(searcher).compile(request.query)
            wanted = request.offset + request.limit
            results = searcher.search(
                compiled,
                limit=max(wanted, 1),
                sortedby=_sort_facets(request.sort),
                # whoosh's optimised AndNot matcher raises IndexError on some segment layouts
                # (every fork; docs/whoosh-distribution.md); the plain matcher is correct.
                optimize=not _has_negation(request.query),
            )
            total = len(results)
            by_score = request.sort == "relevance"
            highlighter = Highlighter(searcher, compiled)
            hits = [
                highlighter.hit(h.docnum, _score(h.score, by_score))
                for h in results[request.offset : wanted]
            ]
            return SearchPage(total=total, hits=hits)

    def iter_hits(self, query: ast.Node, sort: Sort = "relevance") -> Iterator[Hit]:
        with self._reading(), self._searcher() as searcher:
            if searcher.doc_count_all() == 0:
                return  # an empty index has no columns to read
            compiled = WhooshCompiler(searcher).compile(query)
            highlighter = Highlighter(searcher, compiled)
            for docnum, score in _ordered(searcher, compiled, sort):
                yield highlighter.hit(docnum, score)

    def ranked(self, query: ast.Node, sort: Sort = "relevance") -> Iterator[DocValues]:
        with self._reading(), self._searcher() as searcher:
            if searcher.doc_count_all() == 0:
                return  # an empty index has no columns to read
            compiled = WhooshCompiler(searcher).compile(query)
            columns = _columns(searcher.reader())
            for docnum, _ in _ordered(searcher, compiled, sort):
                yield _values(columns, docnum)

    def scan(self, query: ast.Node) -> Iterator[DocValues]:
        with self._reading(), self._searcher() as searcher:
            if searcher.doc_count_all() == 0:
                return  # an empty index has no columns to read
            compiled = WhooshCompiler(searcher).compile(query)
            for leaf, _ in searcher.leaf_searchers():
                reader = leaf.reader()
                columns = _columns(reader)
                matcher = compiled.matcher(leaf, leaf.boolean_context())
                while matcher.is_active():
                    doc = matcher.id()
                    if not reader.is_deleted(doc):
                        yield _values(columns, doc)
                    matcher.next()


def _has_negation(node: ast.Node) -> bool:
    match node:
        case ast.Not():
            return True
        case ast.And(children) | ast.Or(children):
            return any(_has_negation(child) for child in children)
        case ast.HasComments(inner):
            return _has_negation(inner)
    return False


def _retry_vanished(open_: Callable[[], _T]) -> _T:
    """Open the latest commit, again if a writer committed meanwhile and removed the files the
    first try had chosen (readers must never fail because a job is writing)."""
    for attempt in range(_OPEN_ATTEMPTS):
        try:
            return open_()
        except FileNotFoundError:
            if attempt == _OPEN_ATTEMPTS - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


_OPEN_ATTEMPTS = 8
_T = TypeVar("_T")


def _sort_facets(sort: str) -> Any:
    by_id = sorting.FieldFacet("id")
    if sort == "date":
        return [sorting.FieldFacet("date_asc"), by_id]
    if sort == "-date":
        return [sorting.FieldFacet("date_desc", reverse=True), by_id]
    return [sorting.ScoreFacet(), sorting.FieldFacet("date_desc", reverse=True), by_id]


def _score(key: Any, by_score: bool) -> float:
    # With several sort facets whoosh gives the sort key; ScoreFacet's part is the negated score.
    if isinstance(key, tuple):
        return float(-key[0]) if by_score else 0.0
    return float(key or 0.0)


class _WhooshWriter(EngineWriter):
    """Every ``OSError`` (full disk, read-only folder) becomes an ``IndexWriteError``."""

    def __init__(self, writer: IndexWriter, folder: Path) -> None:
        self._writer = writer
        self._folder = folder

    def delete_article(self, article_id: str) -> None:
        with index_writes(self._folder, _DAMAGE_READING):
            self._writer.delete_by_term("article_id", article_id)

    def add(self, documents: Iterable[IndexDocument]) -> None:
        with index_writes(self._folder, _DAMAGE_READING):
            for doc in documents:
                self._writer.add_document(**_fields(doc))

    def commit(self) -> None:
        with index_writes(self._folder, _DAMAGE_READING):
            self._writer.commit()

    def cancel(self) -> None:
        # Called after a failure; a second failure here (an OSError, or whoosh saying that a
        # writer whose commit failed is already closed) must not hide the first.
        with suppress(Exception):
            self._writer.cancel()


def _fields(doc: IndexDocument) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": doc.id,
        "kind": doc.kind,
        "article_id": doc.article_id,
        "headline": doc.headline,
        "body": doc.body,
        "text": doc.text,
        "quote": doc.quote,
        "published": doc.published,
        "position": doc.position,
        "comment_count": doc.comment_count,
        "article_headline": doc.article_headline,
        "source": doc.source,
    }
    # The analysed streams, one analysed word per word (positions hold); the quote's passages
    # stay apart by blank lines, which STEM_PASSAGES turns into a gap of positions.
    streams = streams_of(doc)
    for name, analysed in (
        ("headline", streams.headline),
        ("body", streams.body),
        ("text", streams.text),
    ):
        if getattr(doc, name):
            fields[name + STEM] = analysed
    if doc.quote:
        fields["quote" + STEM] = PASSAGE_JOIN.join(streams.quote)
    for key in ("author", "site", "url", "lang", "parent"):
        value = getattr(doc, key)
        if value:
            fields[key] = value
    author_words, author_keys, sites = names_of(doc.author, doc.site)
    if author_words:
        fields["author_words"] = " ".join(author_words)
        fields["author_key"] = "\n".join(author_keys)
    if sites:
        fields["site_keys"] = " ".join(sites)
    if doc.date is not None:
        seconds = _seconds(doc.date)
        fields.update(date=seconds, date_asc=seconds, date_desc=seconds)
    else:
        fields.update(date_asc=_NO_DATE_HIGH, date_desc=_NO_DATE_LOW)
    return fields


def _seconds(value: datetime) -> int:
    return int(value.timestamp() // 1)
