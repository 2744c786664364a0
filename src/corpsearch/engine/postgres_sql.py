"""The postgres engine's words and SQL: corpsearch's own analysis written as ``tsvector`` values,
and the query tree compiled to a ``WHERE`` clause and a rank expression.

Nothing here talks to a server or imports a driver: the compiler asks its ``lookup`` for the
words of the vocabulary table that a prefix or fuzzy term stands for, and returns SQL text with
``%s`` placeholders and their values, which the engine module runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ..errors import QueryError, QueryTooBroadError
from ..query import ast
from .base import MAX_EXPANSION
from .ordering import mark, seconds

__all__ = [
    "COLUMNS",
    "FIELD_WEIGHTS",
    "HIT_COLUMNS",
    "MAX_CHAINS",
    "SCHEMA",
    "STORED",
    "VALUES",
    "Compiled",
    "Compiler",
    "keyword_value",
    "snippet",
    "tsvector",
    "words",
]

# The same words as the other engines: runs of word characters, lowercased.
_WORD = re.compile(r"\w+")
# Blank lines split the quote field into passages (see whoosh_engine.PassageGapFilter).
_PASSAGE = re.compile(r"\n\s*\n")
# Positions between two quoted passages; a phrase's words are never this far apart.
PASSAGE_GAP = 1000
# PostgreSQL keeps positions 1..16383 and at most 256 of them per word; a word longer than
# 2047 bytes cannot be a lexeme at all (such "words" are runs of junk, never searched for).
MAX_POSITION = 16383
MAX_POSITIONS_PER_WORD = 256
MAX_LEXEME_BYTES = 2047
# How many flat chains one proximity phrase may become: PG 15 mis-evaluates ``<N>`` nested
# inside ``|``, so "a b c"~2 is written as every chain a <i> b <j> c of allowed distances.
MAX_CHAINS = 512
SNIPPET_CHARS = 200
SNIPPET_FIELDS = {"article": ("body", "headline"), "comment": ("text", "quote")}
# Rank weights per field: a word in a headline counts twice (HEADLINE_BOOST of the others).
FIELD_WEIGHTS = {"headline": 2.0, "body": 1.0, "text": 1.0, "quote": 1.0}
# ts_rank_cd normalisation 1: divide by 1 + log(document length), so a long body does not win
# by length alone.
RANK_NORMALISATION = 1
_FIELD = {"article": "article_id"}
_KEYWORD_COLUMN = {
    "author": "author_key",
    "site": "site_key",
    "url": "url",
    "kind": "kind",
    "lang": "lang_key",
    "id": "id",
    "article_id": "article_id",
}


# The index's tables, created in its own schema.
SCHEMA = """
CREATE TABLE docs (
    id text COLLATE "C" NOT NULL,
    kind text NOT NULL,
    article_id text COLLATE "C" NOT NULL,
    headline text NOT NULL, body text NOT NULL, text text NOT NULL, quote text NOT NULL,
    author text, site text, url text, lang text,
    author_key text COLLATE "C", site_key text COLLATE "C", lang_key text,
    date timestamptz, date_s bigint, published text,
    position integer NOT NULL, comment_count integer NOT NULL,
    article_headline text NOT NULL, source bytea NOT NULL, parent text,
    headline_tsv tsvector NOT NULL, body_tsv tsvector NOT NULL,
    text_tsv tsvector NOT NULL, quote_tsv tsvector NOT NULL
);
CREATE INDEX docs_headline ON docs USING gin (headline_tsv);
CREATE INDEX docs_body ON docs USING gin (body_tsv);
CREATE INDEX docs_text ON docs USING gin (text_tsv);
CREATE INDEX docs_quote ON docs USING gin (quote_tsv);
CREATE INDEX docs_id ON docs (id);
CREATE INDEX docs_article ON docs (article_id);
CREATE INDEX docs_author ON docs (author_key);
CREATE INDEX docs_site ON docs (site_key);
CREATE INDEX docs_kind ON docs (kind);
CREATE INDEX docs_date ON docs (date_s);
CREATE TABLE vocab (field text NOT NULL, word text COLLATE "C" NOT NULL,
                    PRIMARY KEY (field, word));
"""
COLUMNS = [
    "id",
    "kind",
    "article_id",
    "headline",
    "body",
    "text",
    "quote",
    "author",
    "site",
    "url",
    "lang",
    "author_key",
    "site_key",
    "lang_key",
    "date",
    "date_s",
    "published",
    "position",
    "comment_count",
    "article_headline",
    "source",
    "parent",
    "headline_tsv",
    "body_tsv",
    "text_tsv",
    "quote_tsv",
]
STORED = [c for c in COLUMNS if c not in ("author_key", "site_key", "lang_key", "date_s")]
STORED = [c for c in STORED if not c.endswith("_tsv") and c != "date"]
VALUES = ["id", "kind", "article_id", "author", "site", "date"]
HIT_COLUMNS = [
    "id",
    "kind",
    "article_headline",
    "author",
    "published",
    "url",
    "article_id",
    "site",
    "position",
    "comment_count",
    "source",
]


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if len(w.encode()) <= MAX_LEXEME_BYTES]


def _quoted(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(field_name: str, text: str) -> tuple[str, set[str]]:
    """The ``tsvector`` literal of one field's text, and its distinct words."""
    positions: dict[str, list[int]] = {}
    at = 0
    passages = _PASSAGE.split(text) if field_name == "quote" else [text]
    for number, passage in enumerate(passages):
        if number:
            at += PASSAGE_GAP
        for word in words(passage):
            at += 1
            found = positions.setdefault(word, [])
            if len(found) < MAX_POSITIONS_PER_WORD:
                found.append(min(at, MAX_POSITION))
    literal = " ".join(
        f"{_quoted(word)}:{','.join(str(p) for p in sorted(set(ps)))}"
        for word, ps in positions.items()
    )
    return literal, set(positions)


def keyword_value(field_name: str, text: str) -> str:
    """A whole-value field's text as it is stored and compared."""
    if field_name in ("url", "id", "article_id"):
        return text
    text = text.lower()
    if field_name == "site" and text.startswith("www."):
        return text[4:]
    return text


# lookup(field, kind, text, distance, limit) -> words of the vocabulary: kind is "prefix" or
# "fuzzy"; at most ``limit`` are returned.
Lookup = Callable[[str, str, str, int, int], list[str]]


@dataclass
class Compiled:
    where: str
    params: list[object]
    rank: str
    rank_params: list[object]
    # (field, words) a hit's snippet marks; prefixes as (field, "prefix*")
    marks: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Part:
    sql: str
    params: list[object]
    rank: list[tuple[str, list[object]]] = field(default_factory=list)


_FALSE = _Part("FALSE", [])
_TRUE = _Part("TRUE", [])


class Compiler:
    """Query tree → SQL over the ``docs`` table (see postgres_engine._SCHEMA)."""

    def __init__(self, lookup: Lookup) -> None:
        self._lookup = lookup
        self.marks: list[tuple[str, str]] = []

    def compile(self, node: ast.Node) -> Compiled:
        part = self._node(node)
        rank = " + ".join(sql for sql, _ in part.rank) or "0"
        rank_params = [p for _, params in part.rank for p in params]
        return Compiled(part.sql, part.params, rank, rank_params, self.marks)

    def _node(self, node: ast.Node) -> _Part:
        match node:
            case ast.And(children):
                return self._and(children)
            case ast.Or(children):
                if not children:
                    return _FALSE
                return self._join(" OR ", [self._node(c) for c in children])
            case ast.Not(child):
                return self._and((node,)) if child is not None else _FALSE
            case ast.MatchAll():
                return _TRUE
            case ast.DateRange(start, end):
                return self._dates(start, end)
            case ast.HasComments(inner):
                part = self._node(inner)
                return _Part(
                    "(kind = 'article' AND id IN (SELECT article_id FROM docs "
                    f"WHERE kind = 'comment' AND ({part.sql})))",
                    part.params,
                )
            case ast.Term(name, text):
                return self._per_field(name, lambda f: self._words(f, text, 0))
            case ast.Phrase(name, text, slop):
                return self._per_field(name, lambda f: self._words(f, text, slop))
            case ast.Prefix(name, text):
                found: list[int] = []
                part = self._per_field(name, lambda f: self._expanded(f, "prefix", text, 0, found))
                self._check(found, f"{text}*", text)
                return part
            case ast.Fuzzy(name, text, distance):
                found = []
                part = self._per_field(
                    name, lambda f: self._expanded(f, "fuzzy", text, distance, found)
                )
                self._check(found, f"{text}~{distance}", text)
                return part
        raise TypeError(f"not a query node: {node!r}")

    @staticmethod
    def _join(operator: str, parts: Sequence[_Part]) -> _Part:
        return _Part(
            "(" + operator.join(p.sql for p in parts) + ")",
            [v for p in parts for v in p.params],
            [r for p in parts for r in p.rank],
        )

    def _and(self, children: Sequence[ast.Node]) -> _Part:
        if not children:
            return _FALSE
        parts = []
        for child in children:
            if isinstance(child, ast.Not):
                inner = self._node(child.child)
                # NOT over a NULL-able test: a document without the value does not match it.
                parts.append(_Part(f"(({inner.sql}) IS NOT TRUE)", inner.params))
            else:
                parts.append(self._node(child))
        return self._join(" AND ", parts)

    def _per_field(self, name: str | None, build: Callable[[str], _Part]) -> _Part:
        if name is None:
            return self._join(" OR ", [build(f) for f in ast.TEXT_FIELDS])
        column = _FIELD.get(name, name)
        if column not in ast.TEXT_FIELDS and column not in _KEYWORD_COLUMN:
            return _FALSE
        return build(column)

    def _text_match(self, name: str, query: str) -> _Part:
        rank = f"ts_rank_cd({name}_tsv, %s::tsquery, {RANK_NORMALISATION}) * {FIELD_WEIGHTS[name]}"
        return _Part(f"{name}_tsv @@ %s::tsquery", [query], [(rank, [query])])

    def _words(self, name: str, text: str, slop: int) -> _Part:
        if name not in ast.TEXT_FIELDS:
            return _Part(f"{_KEYWORD_COLUMN[name]} = %s", [keyword_value(name, text)])
        tokens = words(text)
        if not tokens:
            return _FALSE
        self.marks += [(name, t) for t in tokens]
        quoted = [_quoted(t) for t in tokens]
        if slop == 0 or len(tokens) == 1:
            return self._text_match(name, " <-> ".join(quoted))
        if (slop + 1) ** (len(tokens) - 1) > MAX_CHAINS or slop + 1 >= PASSAGE_GAP:
            raise QueryError(
                f"a proximity of {slop} over {len(tokens)} words is more than the postgres "
                f"engine compiles yet ({MAX_CHAINS} word chains)",
                query="",
                position=0,
                hint="use a smaller ~N or fewer words, or the tantivy engine",
            )
        chains = [
            quoted[0] + "".join(f" <{d}> {w}" for d, w in zip(gaps, quoted[1:], strict=True))
            for gaps in _distances(len(tokens) - 1, slop + 1)
        ]
        return self._text_match(name, " | ".join(f"({c})" for c in chains))

    def _expanded(self, name: str, kind: str, text: str, distance: int, found: list[int]) -> _Part:
        value = keyword_value(name, text) if name not in ast.TEXT_FIELDS else text.lower()
        if not value:
            return _FALSE
        matched = self._lookup(name, kind, value, distance, MAX_EXPANSION + 1)
        found.append(len(matched))
        if not matched:
            return _FALSE
        if name not in ast.TEXT_FIELDS:
            return _Part(f"{_KEYWORD_COLUMN[name]} = ANY(%s)", [matched])
        if kind == "prefix":
            self.marks.append((name, value + "*"))
            query = _quoted(value) + ":*"
        else:
            self.marks += [(name, w) for w in matched]
            query = " | ".join(_quoted(w) for w in matched)
        return self._text_match(name, query)

    @staticmethod
    def _check(found: list[int], written: str, term: str) -> None:
        if sum(found) > MAX_EXPANSION:
            raise QueryTooBroadError(
                f"{written!r} matches more than {MAX_EXPANSION:,} different words",
                term=term,
                hint="make it longer or more exact",
            )

    @staticmethod
    def _dates(start: datetime | None, end: datetime | None) -> _Part:
        # Whole UTC seconds, rounded down, as the other engines compare them.
        if start is None and end is None:
            return _Part("date_s IS NOT NULL", [])
        low = None if start is None else seconds(start)
        high = None if end is None else seconds(end)
        if low is not None and high is not None and low >= high:
            return _FALSE
        tests: list[str] = []
        params: list[object] = []
        if low is not None:
            tests.append("date_s >= %s")
            params.append(low)
        if high is not None:
            tests.append("date_s < %s")
            params.append(high)
        return _Part("(" + " AND ".join(tests) + ")", params)


def _distances(gaps: int, most: int) -> Iterator[tuple[int, ...]]:
    if gaps == 0:
        yield ()
        return
    for first in range(1, most + 1):
        for rest in _distances(gaps - 1, most):
            yield (first, *rest)


def snippet(texts: dict[str, str], kind: str, marks: list[tuple[str, str]]) -> str:
    """The fragment of the hit's text with most matched words, those words in ``<mark>``."""
    best, most = "", 0
    fields = [f for f in SNIPPET_FIELDS.get(kind, ()) if texts.get(f)]
    for name in fields:
        wanted = {w for f, w in marks if f == name and not w.endswith("*")}
        prefixes = tuple(w[:-1] for f, w in marks if f == name and w.endswith("*"))
        if not wanted and not prefixes:
            continue
        text = texts[name]
        found = [
            m
            for m in re.finditer(r"\w+", text)
            if m.group().lower() in wanted or (prefixes and m.group().lower().startswith(prefixes))
        ]
        if len(found) <= most:
            continue
        start = max(0, found[0].start() - SNIPPET_CHARS // 4)
        window = text[start : start + SNIPPET_CHARS]
        ranges = []
        for match in found:
            if match.end() - start > len(window):
                break
            low = len(text[start : match.start()].encode())
            ranges.append((low, low + len(match.group().encode())))
        if ranges:
            best, most = mark(window, ranges), len(found)
    if best:
        return best
    first = texts.get(fields[0], "") if fields else ""
    return " ".join(first.split())[:SNIPPET_CHARS]
