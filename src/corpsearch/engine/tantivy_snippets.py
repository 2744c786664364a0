"""Snippets of tantivy hits: highlighted fragments from tantivy's snippet generator, with the
shared rules of corpsearch.engine.compiler_snippets."""

from __future__ import annotations

import re
from typing import Any

import tantivy
from tantivy import Occur, Query

from .compiler_snippets import SNIPPET_CHARS, SNIPPET_FIELDS, lead_snippet
from .ordering import mark
from .tantivy_compiler import TantivyCompiler
from .tantivy_fragments import f32_score, fragment
from .tantivy_schema import passages

__all__ = ["Snippets"]


class Snippets:
    """Highlighted fragments of a hit's text, matched words in ``<mark>``.

    tantivy's snippet generator knows the words of term and phrase queries on the field itself;
    words the query found in the analysed stream (``Wahlen`` for ``wahl``) or by a prefix or
    fuzzy part are looked up in each hit's own text and added to the query.
    """

    def __init__(self, searcher: Any, compiler: TantivyCompiler, query: Any) -> None:
        self._searcher = searcher
        self._compiler = compiler
        self._query = query
        # One generator per field and set of marked words: the hits of a query in one
        # language mostly mark the same forms (``Wahl``, ``Wahlen``), so most hits reuse one.
        self._generators: dict[tuple[str, frozenset[str]], Any] = {}
        # The words each generator marks, with their scores, as a pattern over a text's words
        # (corpsearch.engine.tantivy_fragments); None: it marks none.
        self._marks: dict[tuple[str, frozenset[str]], tuple[Any, dict[bytes, float]] | None] = {}

    def __call__(self, doc: Any, kind: str) -> str:
        fields = [f for f in SNIPPET_FIELDS.get(kind, ()) if doc.get_first(f)]
        best = ""
        most = 0
        lang = doc.get_first("lang")
        for field in fields:
            words = self._compiler.marked_words(field, passages(doc, field), lang)
            if not words and not self._compiler.searches(field):
                # nothing to mark: the query has no term of this field's exact stream and no
                # word of the text matched otherwise, so tantivy's snippet would mark none
                continue
            snippet, marked = self._snippet(doc, field, words)
            if marked > most:
                best, most = snippet, marked
        if best:
            return best
        return lead_snippet(passages(doc, fields[0]) if fields else "")

    def _snippet(self, doc: Any, field: str, words: set[str]) -> tuple[str, int]:
        """The field's snippet and how many words it marks: tantivy's generator's, chosen in
        Python when the field has one value whose characters Python classes as tantivy does
        (corpsearch.engine.tantivy_fragments: the same fragment, without tantivy tokenizing the
        whole text with its slowest regular-expression matcher)."""
        generator = self._generator(field, words)
        values = doc.get_all(field)
        if len(values) == 1:
            marks = self._marked(field, words, generator)
            if marks is None:
                return "", 0
            found = fragment(str(values[0]), marks[0], marks[1], SNIPPET_CHARS)
            if found is not None:
                text, ranges = found
                return (mark(text, ranges), len(ranges)) if ranges else ("", 0)
        return _mark(generator.snippet_from_doc(doc))

    def _marked(
        self, field: str, words: set[str], generator: Any
    ) -> tuple[Any, dict[bytes, float]] | None:
        """The words ``generator`` marks and their scores: those of the query's terms (and the
        added ``words``) it marks in a text holding each of them once, each scoring as tantivy
        scores it, ``1 / (1 + doc_freq)``."""
        key = (field, frozenset(words))
        if key in self._marks:
            return self._marks[key]
        candidates = sorted(self._compiler.exact_terms(field) | words)
        marks = None
        if candidates:
            probe = " ".join(candidates)
            document = tantivy.Document()
            document.add_text(field, probe)
            generator.set_max_num_chars(len(probe.encode()) + 1)
            try:
                found = generator.snippet_from_doc(document)
            finally:
                generator.set_max_num_chars(SNIPPET_CHARS)
            raw = found.fragment().encode()
            terms = {raw[r.start : r.end] for r in found.highlighted()}
            if terms:
                scores = {t: f32_score(self._searcher.doc_freq(field, t.decode())) for t in terms}
                alternatives = b"|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
                pattern = re.compile(rb"(?<![^ ])(?:" + alternatives + rb")(?![^ ])")
                marks = (pattern, scores)
        self._marks[key] = marks
        return marks

    def _generator(self, field: str, words: set[str]) -> Any:
        key = (field, frozenset(words))
        generator = self._generators.get(key)
        if generator is None:
            query = self._query
            if words:
                query = Query.boolean_query(
                    [(Occur.Should, self._query)]
                    + [(Occur.Should, self._compiler.term(field, w)) for w in sorted(words)]
                )
            generator = self._generators[key] = self._create(field, query)
        return generator

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
