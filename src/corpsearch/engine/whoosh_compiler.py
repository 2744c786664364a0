"""The whoosh engine's words and its primitives for the shared query compiler
(corpsearch.engine.compiler): query tree → whoosh query objects, never through whoosh's query
parser."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from whoosh import query as wq
from whoosh.analysis import IDTokenizer, LowercaseFilter, RegexTokenizer

from ..analysis import analyse, exact_words
from ..passages import PASSAGE_GAP, quote_passages
from .compiler import STEM, Expansion, QueryCompiler, base_field
from .ordering import in_order

__all__ = ["STEMS", "VALUES", "WHOLE", "WORDS", "WhooshCompiler"]

WORDS = RegexTokenizer(r"\w+") | LowercaseFilter()
WHOLE = IDTokenizer() | LowercaseFilter()
# The analysed stream, analysed in Python already (corpsearch.analysis): words apart at spaces.
STEMS = RegexTokenizer(r"\S+")
# Whole values, one a line (an author's folded names).
VALUES = RegexTokenizer(r"[^\n]+")


class WhooshCompiler(QueryCompiler[wq.Query]):
    """Query tree → whoosh query objects: the primitives of corpsearch.engine.compiler."""

    def __init__(self, searcher: Any) -> None:
        super().__init__()
        self._searcher = searcher

    def languages(self) -> list[str]:
        return [_text(t) for t in self._searcher.lexicon("lang")]

    def word(self, field: str, term: str) -> wq.Query:
        return wq.Term(field, term)

    def phrase(self, field: str, terms: Sequence[str]) -> wq.Query:
        # whoosh counts slop from 1 (adjacent); corpsearch counts the words allowed in between.
        return wq.Phrase(field, list(terms), slop=1)

    def proximity(self, field: str, terms: Sequence[str], slop: int) -> wq.Query:
        query = wq.Phrase(field, list(terms), slop=slop + 1)
        if base_field(field) != "quote" or slop + 1 < PASSAGE_GAP:
            return query
        # So wide a proximity reaches across the gap between two quoted passages: the
        # candidates are checked passage by passage, and those near only across are left out.
        across = []
        for docnum in query.docs(self._searcher):
            stored = self._searcher.stored_fields(docnum)
            passages = [
                analyse(p, stored.get("lang")) if field.endswith(STEM) else exact_words(p)
                for p in quote_passages(stored[base_field(field)])
            ]
            if not any(in_order(words, terms, slop) for words in passages):
                across.append(stored["id"])
        if not across:
            return query
        return wq.And([query, wq.Not(wq.Or([wq.Term("id", i) for i in across]))])

    def value(self, field: str, value: str) -> wq.Query:
        return wq.Term(field, value)

    def prefix(self, field: str, literal: str) -> Expansion[wq.Query]:
        return self._expansion(wq.Prefix(field, literal))

    def fuzzy(self, field: str, literal: str, distance: int) -> Expansion[wq.Query]:
        return self._expansion(wq.FuzzyTerm(field, literal, maxdist=distance, prefixlength=1))

    def _expansion(self, query: wq.Query) -> Expansion[wq.Query]:
        reader = self._searcher.reader()
        words = (text for leaf in query.leaves() for text in leaf.expanded_terms(reader))
        return Expansion(query, words)

    def date_range(self, start: int | None, end: int | None) -> wq.Query:
        return wq.NumericRange("date", start, end, endexcl=True)

    def dated(self) -> wq.Query:
        return wq.NumericRange("date", None, None, endexcl=True)

    def all_of(self, must: Sequence[wq.Query], must_not: Sequence[wq.Query]) -> wq.Query:
        parts = [*must, *(wq.Not(q) for q in must_not)]
        return parts[0] if len(parts) == 1 else wq.And(parts)

    def any_of(self, parts: Sequence[wq.Query]) -> wq.Query:
        return wq.Or(list(parts))

    def match_all(self) -> wq.Query:
        return wq.Every()

    def nothing(self) -> wq.Query:
        return wq.NullQuery

    def id_set(self, ids: Sequence[str]) -> wq.Query:
        return wq.Or([wq.Term("id", i) for i in ids])

    def article_ids(self, comments: wq.Query, limit: int) -> set[str]:
        ids: set[str] = set()
        for docnum in comments.docs(self._searcher):
            ids.add(self._searcher.stored_fields(docnum)["article_id"])
            if len(ids) >= limit:
                break
        return ids


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
