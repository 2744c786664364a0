"""Hits of the whoosh engine with their snippets, made by whoosh's highlighter.

The words marked in a field are the query's terms in it and the words whose analysed form the
query found in the field's analysed stream (corpsearch.analysis.marked_words); a field without
any gives the lead of the document's first text instead (corpsearch.engine.compiler_snippets).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import highlight
from whoosh import query as wq

from ..analysis import marked_words
from ..snippets import escape_text
from .base import Hit
from .compiler import STEM
from .compiler_snippets import SNIPPET_CHARS, SNIPPET_FIELDS, WORD, lead_snippet

__all__ = ["SNIPPET_TEXT_FIELDS", "Highlighter"]

SNIPPET_TEXT_FIELDS = ("body", "headline", "text", "quote")


def _make_hit(stored: dict[str, Any], score: float, snippet: str) -> Hit:
    kind = stored["kind"]
    if not snippet:
        first = next((stored[f] for f in SNIPPET_FIELDS.get(kind, ()) if stored.get(f)), "")
        snippet = lead_snippet(first)
    return Hit(
        id=stored["id"],
        kind=kind,
        score=score,
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


def _fragmenter() -> Any:
    return highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)


class Highlighter:
    """Hits with their snippets: the words to mark in a field are the query's terms in it and
    the words whose analysed form the query found in the field's analysed stream."""

    def __init__(self, searcher: Any, compiled: Any) -> None:
        self._searcher = searcher
        # Query.existing_terms skips fields after the first one it sees, so terms are listed here.
        words: dict[str, set[str]] = {}
        reader = searcher.reader()
        for field, text in _positive_terms(compiled, reader):
            if field in SNIPPET_TEXT_FIELDS or field.removesuffix(STEM) in SNIPPET_TEXT_FIELDS:
                word = text.decode("utf-8") if isinstance(text, bytes) else str(text)
                words.setdefault(field, set()).add(word)
        self._words = {field: frozenset(found) for field, found in words.items()}

    def hit(self, docnum: int, score: float) -> Hit:
        stored = self._searcher.stored_fields(docnum)
        snippet = ""
        for field in SNIPPET_FIELDS.get(stored["kind"], ()):
            text = stored.get(field)
            words = self._words.get(field, frozenset())
            forms = self._words.get(field + STEM)
            if text and forms:
                words = words | marked_words(text, stored.get("lang"), forms)
            if text and words:
                snippet = highlight.highlight(
                    text,
                    words,
                    self._searcher.schema[field].analyzer,
                    _fragmenter(),
                    _MarkFormatter(),
                    top=2,
                )
                if snippet:
                    break
        return _make_hit(stored, score, snippet)


def _positive_terms(query: Any, reader: Any) -> Iterator[tuple[str, Any]]:
    """The (field, term) pairs a query matches documents by, outside its negated parts (the
    words of ``-word`` are in no hit; a snippet has nothing to mark of them)."""
    if isinstance(query, wq.Not):
        return
    if query.is_leaf():
        yield from query.expanded_terms(reader, phrases=True)
        return
    for child in query.children():
        yield from _positive_terms(child, reader)


class _MarkFormatter(highlight.Formatter):  # type: ignore[misc]
    """Matched words wrapped in ``<mark>``, the text escaped; fragments joined with an ellipsis."""

    between = " … "

    def _text(self, text: str) -> str:
        return escape_text(text)  # a snippet is safe HTML (see corpsearch.snippets)

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{escape_text(highlight.get_text(text, token, replace))}</mark>"

    def format_fragment(self, fragment: Any, replace: bool = False) -> str:
        text = " ".join(str(super().format_fragment(fragment, replace)).split())
        source = fragment.text
        # Fragments are cut by characters; drop a word cut in two at either end (a word
        # followed by punctuation is whole).
        if 0 < fragment.startchar < len(source) and _cut(source, fragment.startchar):
            text = text.partition(" ")[2] or text
        if 0 < fragment.endchar < len(source) and _cut(source, fragment.endchar):
            text = text.rpartition(" ")[0] or text
        return text


def _cut(text: str, at: int) -> bool:
    """Whether ``at`` falls inside a word of ``text``."""
    return bool(WORD.match(text, at - 1)) and bool(WORD.match(text, at))
