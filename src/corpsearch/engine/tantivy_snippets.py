"""Snippets of tantivy hits: highlighted fragments as tantivy's snippet generator chooses them,
with the shared rules of corpsearch.engine.compiler_snippets."""

from __future__ import annotations

from typing import Any

import tantivy

from ..passages import PASSAGE_JOIN
from .compiler_snippets import SNIPPET_CHARS, SNIPPET_FIELDS, lead_snippet
from .ordering import mark
from .tantivy_compiler import TantivyCompiler
from .tantivy_fragments import f32_score, fragment
from .tantivy_schema import UTF8, written

__all__ = ["Snippets"]


class Snippets:
    """Highlighted fragments of a hit's text, matched words in ``<mark>``.

    The fragment is the one tantivy's snippet generator would choose, chosen in Python
    (corpsearch.engine.tantivy_fragments) over the words of the exact stream: the words the
    generator marks for the query's terms of the field (found once per field, by asking the
    generator to mark a text holding each of them once), and the words the query found in the
    analysed stream (``Wahlen`` for ``wahl``) or by a prefix or fuzzy part, looked up in each
    hit's own text.
    """

    def __init__(self, searcher: Any, compiler: TantivyCompiler, query: Any) -> None:
        self._searcher = searcher
        self._compiler = compiler
        self._query = query
        # The words marked in each field for the query's own terms, with their scores; and the
        # same with a hit's added words, by field and words: the hits of a query in one
        # language mostly mark the same forms (``Wahl``, ``Wahlen``).
        self._own: dict[str, dict[bytes, float]] = {}
        self._marks: dict[tuple[str, frozenset[str]], dict[bytes, float]] = {}

    def __call__(self, doc: Any, kind: str) -> str:
        best = ""
        most = 0
        lang = doc.get_first("lang")
        first = None
        for field in SNIPPET_FIELDS.get(kind, ()):
            values = written(doc, field)
            if not any(values):
                continue
            if first is None:
                first = values
            words = self._compiler.marked_words(field, PASSAGE_JOIN.join(values), lang)
            if not words and not self._compiler.searches(field):
                # nothing to mark: the query has no term of this field's exact stream and no
                # word of the text matched otherwise
                continue
            snippet, marked = self._snippet(values, field, words)
            if marked > most:
                best, most = snippet, marked
        if best:
            return best
        return lead_snippet(PASSAGE_JOIN.join(first) if first else "")

    def _snippet(self, values: list[str], field: str, words: set[str]) -> tuple[str, int]:
        """The field's snippet and how many words it marks."""
        marks = self._marked(field, words)
        if not marks:
            return "", 0
        # the generator reads a field of several values as one text, joined by a space
        text = values[0] if len(values) == 1 else " ".join(values)
        found, ranges = fragment(text, marks, SNIPPET_CHARS)
        return (mark(found, ranges), len(ranges)) if ranges else ("", 0)

    def _marked(self, field: str, words: set[str]) -> dict[bytes, float]:
        """The words the generator would mark in ``field`` for the query with ``words`` added
        (as term queries of the field), and their scores: those of the query's own terms, and
        the added words the index holds, each scoring as tantivy scores it,
        ``1 / (1 + doc_freq)``."""
        own = self._own.get(field)
        if own is None:
            own = self._own[field] = self._probed(field)
        if not words:
            return own
        key = (field, frozenset(words))
        marks = self._marks.get(key)
        if marks is None:
            marks = dict(own)
            for word in words:
                term = word.encode(*UTF8)
                if term not in marks:
                    count = self._searcher.doc_freq(field, word)
                    if count:  # the generator leaves out a term no document holds
                        marks[term] = f32_score(count)
            self._marks[key] = marks
        return marks

    def _probed(self, field: str) -> dict[bytes, float]:
        """The query's own terms the generator marks in ``field``: of every term the query holds
        of the field's exact stream, those it marks in a text holding each of them once."""
        candidates = sorted(self._compiler.exact_terms(field))
        if not candidates:
            return {}
        probe = " ".join(candidates)
        generator = tantivy.SnippetGenerator.create(
            self._searcher, self._query, self._compiler.schema, field
        )
        generator.set_max_num_chars(len(probe.encode()) + 1)
        document = tantivy.Document()
        document.add_text(field, probe)
        found = generator.snippet_from_doc(document)
        raw = found.fragment().encode()
        terms = {raw[r.start : r.end] for r in found.highlighted()}
        return {t: f32_score(self._searcher.doc_freq(field, t.decode())) for t in terms}
