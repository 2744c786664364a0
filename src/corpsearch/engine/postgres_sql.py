"""The postgres engine's words and SQL: corpsearch's own analysis written as ``tsvector`` values,
and the query tree compiled to a ``WHERE`` clause and a rank expression.

Nothing here talks to a server or imports a driver: the compiler asks its ``lookup`` for the
words of the vocabulary table that a prefix or fuzzy term stands for, and returns SQL text with
``%s`` placeholders and their values, which the engine module runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..analysis import marked_words
from ..passages import PASSAGE_GAP, quote_passages
from ..query import ast
from .compiler import (
    FIELD_WEIGHTS,
    NAME_FIELDS,
    STEM,
    STEM_FIELDS,
    Expansion,
    QueryCompiler,
    keyword_value,
)
from .compiler_snippets import SNIPPET_CHARS, SNIPPET_FIELDS, WORD, lead_snippet, word_window
from .ordering import MAX_CHAINS, chain_count, distance_chains, mark

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
    "tsvector_of",
    "words",
]

# PostgreSQL keeps positions 1..16383 and at most 256 of them per word; a word longer than
# 2047 bytes cannot be a lexeme at all (such "words" are runs of junk, never searched for).
MAX_POSITION = 16383
MAX_POSITIONS_PER_WORD = 256
MAX_LEXEME_BYTES = 2047
# PG 15 mis-evaluates ``<N>`` nested inside ``|``, so a proximity is written as its flat chains
# (ordering.distance_chains), at most ordering.MAX_CHAINS of them.
# ts_rank_cd normalisation 1: divide by 1 + log(document length), so a long body does not win
# by length alone.
RANK_NORMALISATION = 1
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
    text_tsv tsvector NOT NULL, quote_tsv tsvector NOT NULL,
    headline_stem_tsv tsvector NOT NULL, body_stem_tsv tsvector NOT NULL,
    text_stem_tsv tsvector NOT NULL, quote_stem_tsv tsvector NOT NULL,
    author_words text[] COLLATE "C" NOT NULL, author_keys text[] COLLATE "C" NOT NULL,
    site_keys text[] COLLATE "C" NOT NULL
);
CREATE INDEX docs_headline ON docs USING gin (headline_tsv);
CREATE INDEX docs_body ON docs USING gin (body_tsv);
CREATE INDEX docs_text ON docs USING gin (text_tsv);
CREATE INDEX docs_quote ON docs USING gin (quote_tsv);
CREATE INDEX docs_headline_stem ON docs USING gin (headline_stem_tsv);
CREATE INDEX docs_body_stem ON docs USING gin (body_stem_tsv);
CREATE INDEX docs_text_stem ON docs USING gin (text_stem_tsv);
CREATE INDEX docs_quote_stem ON docs USING gin (quote_stem_tsv);
CREATE INDEX docs_author_words ON docs USING gin (author_words);
CREATE INDEX docs_author_keys ON docs USING gin (author_keys);
CREATE INDEX docs_site_keys ON docs USING gin (site_keys);
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
    "headline_stem_tsv",
    "body_stem_tsv",
    "text_stem_tsv",
    "quote_stem_tsv",
    "author_words",
    "author_keys",
    "site_keys",
]
_UNSTORED = ("author_key", "site_key", "lang_key", "date_s", "date", *NAME_FIELDS, "author_keys")
STORED = [c for c in COLUMNS if c not in _UNSTORED and not c.endswith("_tsv")]
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
    "lang",
]
# The array column of each name field (the compiler's author_key is the list of whole names).
_NAME_COLUMN = {
    "author_words": "author_words",
    "author_key": "author_keys",
    "site_keys": "site_keys",
}


def words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if len(w.encode()) <= MAX_LEXEME_BYTES]


def _quoted(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(field_name: str, text: str) -> tuple[str, set[str]]:
    """The ``tsvector`` literal of one field's text (its exact stream), and its distinct words."""
    passages = quote_passages(text) if field_name == "quote" else [text]
    return tsvector_of([words(p) for p in passages])


def tsvector_of(passages: Sequence[Sequence[str]]) -> tuple[str, set[str]]:
    """The ``tsvector`` literal of the terms of a field's passages (``PASSAGE_GAP`` positions
    apart), and its distinct terms."""
    positions: dict[str, list[int]] = {}
    at = 0
    for number, passage in enumerate(passages):
        if number:
            at += PASSAGE_GAP
        for word in passage:
            at += 1
            if len(word.encode()) > MAX_LEXEME_BYTES:
                continue
            found = positions.setdefault(word, [])
            if len(found) < MAX_POSITIONS_PER_WORD:
                found.append(min(at, MAX_POSITION))
    literal = " ".join(
        f"{_quoted(word)}:{','.join(str(p) for p in sorted(set(ps)))}"
        for word, ps in positions.items()
    )
    return literal, set(positions)


# lookup(field, kind, text, distance, limit) -> words of the vocabulary: kind is "prefix" or
# "fuzzy"; at most ``limit`` are returned.
Lookup = Callable[[str, str, str, int, int], list[str]]
# languages() -> the languages of the index's documents (the vocabulary's "lang" words).
Languages = Callable[[], list[str]]


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


class Compiler(QueryCompiler[_Part]):
    """Query tree → SQL over the ``docs`` table (see :data:`SCHEMA`): the primitives of
    corpsearch.engine.compiler, with ``comments:(...)`` as a subquery."""

    native_has_comments = True

    def __init__(self, lookup: Lookup, languages: Languages = list) -> None:
        super().__init__()
        self._lookup = lookup
        self._languages = languages
        self.marks: list[tuple[str, str]] = []

    def sql(self, node: ast.Node) -> Compiled:
        part = self.compile(node)
        rank = " + ".join(sql for sql, _ in part.rank) or "0"
        rank_params = [p for _, params in part.rank for p in params]
        return Compiled(part.sql, part.params, rank, rank_params, self.marks)

    def words(self, field: str, text: str) -> list[str]:
        return words(text)

    def languages(self) -> list[str]:
        return self._languages()

    @staticmethod
    def _join(operator: str, parts: Sequence[_Part]) -> _Part:
        return _Part(
            "(" + operator.join(p.sql for p in parts) + ")",
            [v for p in parts for v in p.params],
            [r for p in parts for r in p.rank],
        )

    def all_of(self, must: Sequence[_Part], must_not: Sequence[_Part]) -> _Part:
        # NOT over a NULL-able test: a document without the value does not match it.
        excluded = [_Part(f"(({p.sql}) IS NOT TRUE)", p.params) for p in must_not]
        return self._join(" AND ", [*must, *excluded])

    def any_of(self, parts: Sequence[_Part]) -> _Part:
        return self._join(" OR ", parts)

    def match_all(self) -> _Part:
        return _TRUE

    def nothing(self) -> _Part:
        return _FALSE

    def commented_articles(self, comments: _Part) -> _Part:
        return _Part(
            f"(kind = 'article' AND id IN (SELECT article_id FROM docs WHERE {comments.sql}))",
            comments.params,
        )

    def _text_match(self, name: str, query: str) -> _Part:
        rank = f"ts_rank_cd({name}_tsv, %s::tsquery, {RANK_NORMALISATION}) * {FIELD_WEIGHTS[name]}"
        return _Part(f"{name}_tsv @@ %s::tsquery", [query], [(rank, [query])])

    def value(self, field: str, value: str) -> _Part:
        if field in _NAME_COLUMN:
            return _Part(f"{_NAME_COLUMN[field]} @> %s::text[]", [[value]])
        return _Part(f"{_KEYWORD_COLUMN[field]} = %s", [value])

    def word(self, field: str, term: str) -> _Part:
        self.marks.append((field, term))
        return self._text_match(field, _quoted(term))

    def phrase(self, field: str, terms: Sequence[str]) -> _Part:
        self.marks += [(field, t) for t in terms]
        return self._text_match(field, " <-> ".join(_quoted(t) for t in terms))

    def proximity(self, field: str, terms: Sequence[str], slop: int) -> _Part:
        if chain_count(len(terms), slop) > MAX_CHAINS or slop + 1 >= PASSAGE_GAP:
            self.refuse(
                f"a proximity of {slop} over {len(terms)} words is more than the postgres "
                f"engine compiles yet ({MAX_CHAINS} word chains)",
                "use a smaller ~N or fewer words, or the tantivy engine",
            )
        self.marks += [(field, t) for t in terms]
        quoted = [_quoted(t) for t in terms]
        chains = [
            quoted[0] + "".join(f" <{d}> {w}" for d, w in zip(gaps, quoted[1:], strict=True))
            for gaps in distance_chains(len(terms), slop)
        ]
        return self._text_match(field, " | ".join(f"({c})" for c in chains))

    def prefix(self, field: str, literal: str) -> Expansion[_Part]:
        return self._vocabulary(field, "prefix", literal, 0)

    def fuzzy(self, field: str, literal: str, distance: int) -> Expansion[_Part]:
        return self._vocabulary(field, "fuzzy", literal, distance)

    def _vocabulary(self, name: str, kind: str, literal: str, distance: int) -> Expansion[_Part]:
        matched = self._lookup(name, kind, literal, distance, self.words_enough())
        if not matched:
            return Expansion(_FALSE, matched)
        if name in _NAME_COLUMN:
            return Expansion(_Part(f"{_NAME_COLUMN[name]} && %s::text[]", [matched]), matched)
        if name not in ast.TEXT_FIELDS and name not in STEM_FIELDS:
            return Expansion(_Part(f"{_KEYWORD_COLUMN[name]} = ANY(%s)", [matched]), matched)
        if kind == "prefix":
            self.marks.append((name, literal + "*"))
            query = _quoted(literal) + ":*"
        else:
            self.marks += [(name, w) for w in matched]
            query = " | ".join(_quoted(w) for w in matched)
        return Expansion(self._text_match(name, query), matched)

    def dated(self) -> _Part:
        return _Part("date_s IS NOT NULL", [])

    def date_range(self, start: int | None, end: int | None) -> _Part:
        tests: list[str] = []
        params: list[object] = []
        if start is not None:
            tests.append("date_s >= %s")
            params.append(start)
        if end is not None:
            tests.append("date_s < %s")
            params.append(end)
        return _Part("(" + " AND ".join(tests) + ")", params)


def snippet(
    texts: dict[str, str], kind: str, marks: list[tuple[str, str]], lang: str | None = None
) -> str:
    """The fragment of the hit's text with most matched words, those words in ``<mark>``: the
    query's words of the field's exact stream, and the words whose analysed form (in the hit's
    language) the query found in its analysed stream."""
    best, most = "", 0
    fields = [f for f in SNIPPET_FIELDS.get(kind, ()) if texts.get(f)]
    for name in fields:
        wanted = {w for f, w in marks if f == name and not w.endswith("*")}
        prefixes = tuple(w[:-1] for f, w in marks if f == name and w.endswith("*"))
        stream = name + STEM
        forms = {w for f, w in marks if f == stream and not w.endswith("*")}
        starts = tuple(w[:-1] for f, w in marks if f == stream and w.endswith("*"))
        text = texts[name]
        if forms or starts:
            wanted |= marked_words(text, lang, forms, starts)
        if not wanted and not prefixes:
            continue
        found = [
            m
            for m in WORD.finditer(text)
            if m.group().lower() in wanted or (prefixes and m.group().lower().startswith(prefixes))
        ]
        if len(found) <= most:
            continue
        first = found[0].start()
        start = max(0, first - SNIPPET_CHARS // 4)
        low, high = word_window(text, start, start + SNIPPET_CHARS, keep=first)
        window = text[low:high]
        ranges = []
        for match in found:
            if match.end() > high:
                break
            at = len(text[low : match.start()].encode())
            ranges.append((at, at + len(match.group().encode())))
        if ranges:
            best, most = mark(window, ranges), len(found)
    if best:
        return best
    return lead_snippet(texts.get(fields[0], "") if fields else "")
