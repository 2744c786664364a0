"""The snippet rules every engine keeps: which fields a hit's snippet comes from, its length,
the fallback when no word is marked, and cutting at word boundaries.

An engine highlights with its own machinery (a snippet generator, a highlighter, its own
search for the matched words) and uses these for what the engines must agree on.
"""

from __future__ import annotations

import re

from ..snippets import escape_text

__all__ = ["SNIPPET_CHARS", "SNIPPET_FIELDS", "WORD", "lead_snippet", "word_window"]

# Runs of word characters: the words of the text fields (docs/engines.md).
WORD = re.compile(r"\w+")
# The fields a hit's snippet is taken from, in order of preference, and its length.
SNIPPET_FIELDS = {"article": ("body", "headline"), "comment": ("text", "quote")}
SNIPPET_CHARS = 200
ELLIPSIS = " …"


def lead_snippet(text: str) -> str:
    """The snippet of a hit with no marked word: the start of its text, whitespace folded, cut
    after the last whole word that fits in :data:`SNIPPET_CHARS` (then an ellipsis)."""
    words = " ".join(text.split())
    if len(words) > SNIPPET_CHARS:
        # a space just past the limit ends a whole word: keep that word
        space = words.rfind(" ", 0, SNIPPET_CHARS + 1)
        words = (words[:space] if space > 0 else words[:SNIPPET_CHARS]) + ELLIPSIS
    return escape_text(words)


def word_window(text: str, start: int, end: int, keep: int | None = None) -> tuple[int, int]:
    """``text[start:end]`` narrowed to begin and end at word boundaries: a word cut in two at
    either end is left out (unless it is the only one); the window still begins at ``keep`` or
    before it."""
    low, high = start, min(end, len(text))
    if low > 0 and low < high and not text[low - 1].isspace() and not text[low].isspace():
        space = _next_space(text, low, high if keep is None else min(high, keep))
        if space is not None:
            low = space
    if high < len(text) and not text[high].isspace() and not text[high - 1].isspace():
        space = text.rfind(" ", low, high)
        space = max(space, *(text.rfind(c, low, high) for c in "\n\t\r"))
        if space > low:
            high = space
    return low, high


def _next_space(text: str, low: int, high: int) -> int | None:
    for at in range(low, high):
        if text[at].isspace():
            return at
    return None
