"""The whoosh engine: the only module that imports whoosh.

Choices that matter (see docs/engines.md):
- words are ``\\w+`` runs, lower-cased, no stop words and no stemming, so a phrase is found
  exactly as written and ``employer.The`` is two words, not one;
- author and site are whole values, lower-cased (``_mowaten_`` stays one term);
- dates are integer UTC seconds in a numeric field, so ranges are exact at both ends; two more
  sortable columns put undated documents last in either sort order;
- corpsearch's own parser builds the queries; whoosh's query parser is never used.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import highlight, index, sorting
from whoosh import query as wq
from whoosh.analysis import IDTokenizer, LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.writing import IndexWriter

from ..documents import IndexDocument
from ..errors import IndexLockedError, IndexNotFoundError, QueryError
from ..query import ast
from .base import Engine, EngineWriter, Hit, SearchPage, SearchRequest

__all__ = ["WhooshEngine"]

WORDS = RegexTokenizer(r"\w+") | LowercaseFilter()
WHOLE = IDTokenizer() | LowercaseFilter()
_NO_DATE_LOW = -(2**62)
_NO_DATE_HIGH = 2**62
# How many comment matches ``comments:(...)`` may turn into article ids before asking for a
# narrower query.
MAX_HAS_COMMENTS_ARTICLES = 100_000
SNIPPET_FIELDS = {"article": ("body", "headline"), "comment": ("text", "quote")}


def _schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        kind=ID(stored=True),
        article_id=ID(stored=True),
        headline=TEXT(analyzer=WORDS, stored=True, field_boost=2.0),
        body=TEXT(analyzer=WORDS, stored=True),
        text=TEXT(analyzer=WORDS, stored=True),
        quote=TEXT(analyzer=WORDS, stored=True),
        author=TEXT(analyzer=WHOLE, stored=True, phrase=False),
        site=TEXT(analyzer=WHOLE, stored=True, phrase=False),
        url=ID(stored=True),
        lang=ID(stored=True),
        date=NUMERIC(numtype=int, bits=64, signed=True),
        date_asc=NUMERIC(numtype=int, bits=64, signed=True, sortable=True),
        date_desc=NUMERIC(numtype=int, bits=64, signed=True, sortable=True),
        published=STORED(),
        position=STORED(),
        comment_count=STORED(),
        article_headline=STORED(),
        source=STORED(),
    )


class WhooshEngine(Engine):
    name = "whoosh"

    def __init__(self, ix: index.Index) -> None:
        self._ix = ix

    @classmethod
    def create(cls, folder: Path) -> WhooshEngine:
        folder.mkdir(parents=True, exist_ok=True)
        return cls(index.create_in(str(folder), _schema()))

    @classmethod
    def open(cls, folder: Path) -> WhooshEngine:
        if not index.exists_in(str(folder)):
            raise IndexNotFoundError(f"no whoosh index in {folder}; rebuild with --rebuild")
        return cls(index.open_dir(str(folder)))

    def writer(self) -> _WhooshWriter:
        try:
            # Separate files per segment, not one compound file: whoosh copies a compound file's
            # parts into memory each time a searcher opens them, which cost every query more
            # than the search itself (docs/benchmarks.md).
            return _WhooshWriter(self._ix.writer(limitmb=128, compound=False))
        except LockError as error:
            raise IndexLockedError(
                "another job is writing to this index; wait for it to finish and try again"
            ) from error

    def count(self) -> dict[str, int]:
        with self._ix.searcher() as searcher:
            # doc_frequency would also count deleted documents not yet merged away.
            return {
                kind: len(searcher.search(wq.Term("kind", kind), limit=1))
                for kind in ("article", "comment")
            }

    def close(self) -> None:
        self._ix.close()

    def search(self, request: SearchRequest) -> SearchPage:
        with self._ix.searcher() as searcher:
            compiled = _Compiler(searcher).compile(request.query)
            wanted = request.offset + request.limit
            results = searcher.search(
                compiled,
                limit=max(wanted, 1),
                sortedby=_sort_facets(request.sort),
                terms=True,
                # whoosh's optimised AndNot matcher raises IndexError on some segment layouts
                # (every fork; docs/whoosh-distribution.md); the plain matcher is correct.
                optimize=not _has_negation(request.query),
            )
            results.fragmenter = highlight.ContextFragmenter(maxchars=200, surround=60)
            results.formatter = _MarkFormatter()
            total = len(results)
            by_score = request.sort == "relevance"
            hits = [_hit(h, by_score) for h in results[request.offset : wanted]]
            return SearchPage(total=total, hits=hits)


def _has_negation(node: ast.Node) -> bool:
    match node:
        case ast.Not():
            return True
        case ast.And(children) | ast.Or(children):
            return any(_has_negation(child) for child in children)
        case ast.HasComments(inner):
            return _has_negation(inner)
    return False


def _sort_facets(sort: str) -> Any:
    by_id = sorting.FieldFacet("id")
    if sort == "date":
        return [sorting.FieldFacet("date_asc"), by_id]
    if sort == "-date":
        return [sorting.FieldFacet("date_desc", reverse=True), by_id]
    return [sorting.ScoreFacet(), sorting.FieldFacet("date_desc", reverse=True), by_id]


def _hit(hit: Any, by_score: bool) -> Hit:
    stored = hit.fields()
    kind = stored["kind"]
    snippet = ""
    for field in SNIPPET_FIELDS.get(kind, ()):
        if stored.get(field):
            snippet = hit.highlights(field, top=2)
            if snippet:
                break
    if not snippet:
        first = next((stored[f] for f in SNIPPET_FIELDS.get(kind, ()) if stored.get(f)), "")
        snippet = " ".join(first.split())[:200]
    return Hit(
        id=stored["id"],
        kind=kind,
        score=_score(hit.score, by_score),
        headline=stored.get("article_headline") or "",
        author=stored.get("author"),
        published=stored.get("published"),
        url=stored.get("url"),
        article_id=stored["article_id"],
        snippet=snippet,
        site=stored.get("site"),
        position=stored.get("position") or 0,
        comment_count=stored.get("comment_count") or 0,
        source=stored.get("source") or "",
    )


def _score(key: Any, by_score: bool) -> float:
    # With several sort facets whoosh gives the sort key; ScoreFacet's part is the negated score.
    if isinstance(key, tuple):
        return float(-key[0]) if by_score else 0.0
    return float(key or 0.0)


class _MarkFormatter(highlight.Formatter):  # type: ignore[misc]
    """Matched words wrapped in ``<mark>``; fragments joined with an ellipsis."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{highlight.get_text(text, token, replace)}</mark>"

    def format_fragment(self, fragment: Any, replace: bool = False) -> str:
        text = " ".join(str(super().format_fragment(fragment, replace)).split())
        source = fragment.text
        # Fragments are cut by characters; drop a word cut in two at either end.
        if fragment.startchar > 0 and not source[fragment.startchar - 1].isspace():
            text = text.partition(" ")[2] or text
        if fragment.endchar < len(source) and not source[fragment.endchar].isspace():
            text = text.rpartition(" ")[0] or text
        return text


class _WhooshWriter(EngineWriter):
    def __init__(self, writer: IndexWriter) -> None:
        self._writer = writer

    def delete_article(self, article_id: str) -> None:
        self._writer.delete_by_term("article_id", article_id)

    def add(self, documents: Iterable[IndexDocument]) -> None:
        for doc in documents:
            self._writer.add_document(**_fields(doc))

    def commit(self) -> None:
        self._writer.commit()

    def cancel(self) -> None:
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
    for key in ("author", "site", "url", "lang"):
        value = getattr(doc, key)
        if value:
            fields[key] = value
    if doc.date is not None:
        seconds = _seconds(doc.date)
        fields.update(date=seconds, date_asc=seconds, date_desc=seconds)
    else:
        fields.update(date_asc=_NO_DATE_HIGH, date_desc=_NO_DATE_LOW)
    return fields


def _seconds(value: datetime) -> int:
    return int(value.timestamp() // 1)


class _Compiler:
    """Query tree → whoosh query objects."""

    def __init__(self, searcher: Any) -> None:
        self._searcher = searcher

    def compile(self, node: ast.Node) -> wq.Query:
        match node:
            case ast.And(children):
                return wq.And([self.compile(c) for c in children])
            case ast.Or(children):
                return wq.Or([self.compile(c) for c in children])
            case ast.Not(child):
                return wq.Not(self.compile(child))
            case ast.MatchAll():
                return wq.Every()
            case ast.DateRange(start, end):
                return wq.NumericRange(
                    "date",
                    None if start is None else _seconds(start),
                    None if end is None else _seconds(end),
                    endexcl=True,
                )
            case ast.HasComments(inner):
                return self._has_comments(inner)
            case ast.Term(field, text) | ast.Phrase(field, text, _):
                slop = node.slop if isinstance(node, ast.Phrase) else 0
                return self._per_field(field, lambda f: _words(f, text, slop))
            case ast.Prefix(field, text):
                return self._per_field(field, lambda f: wq.Prefix(f, _keyword(f, text)))
            case ast.Fuzzy(field, text, distance):
                return self._per_field(
                    field,
                    lambda f: wq.FuzzyTerm(f, _keyword(f, text), maxdist=distance, prefixlength=1),
                )
        raise TypeError(f"not a query node: {node!r}")

    def _per_field(self, field: str | None, build: Any) -> wq.Query:
        if field is None:
            return wq.Or([build(f) for f in ast.TEXT_FIELDS])
        return build(_FIELD.get(field, field))

    def _has_comments(self, inner: ast.Node) -> wq.Query:
        comments = wq.And([wq.Term("kind", "comment"), self.compile(inner)])
        ids: set[str] = set()
        for docnum in comments.docs(self._searcher):
            ids.add(self._searcher.stored_fields(docnum)["article_id"])
            if len(ids) > MAX_HAS_COMMENTS_ARTICLES:
                raise QueryError(
                    f"comments:(...) matches comments on more than {MAX_HAS_COMMENTS_ARTICLES} "
                    "articles",
                    query="",
                    position=0,
                    hint="narrow the inner query",
                )
        if not ids:
            return wq.NullQuery
        return wq.And([wq.Term("kind", "article"), wq.Or([wq.Term("id", i) for i in sorted(ids)])])


_FIELD = {"article": "article_id"}


def _keyword(field: str, text: str) -> str:
    if field in ("url", "id", "article_id"):
        return text
    if field == "site":
        text = text.lower()
        return text[4:] if text.startswith("www.") else text
    return text.lower()


def _words(field: str, text: str, slop: int) -> wq.Query:
    if field not in ast.TEXT_FIELDS:
        return wq.Term(field, _keyword(field, text))
    tokens = [t.text for t in WORDS(text)]
    if not tokens:
        return wq.NullQuery
    if len(tokens) == 1:
        return wq.Term(field, tokens[0])
    # whoosh counts slop from 1 (adjacent); corpsearch counts the words allowed in between.
    return wq.Phrase(field, tokens, slop=slop + 1)
