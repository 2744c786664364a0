"""Highlighted snippets: matched words are wrapped in ``<mark>`` … ``</mark>``.

Engines produce snippets in that one form, as safe HTML: the page's text escaped
(:func:`escape_text`), so a snippet holding ``<script>`` or ``<img onerror>`` shows the words
instead of running them, and the only tags are corpsearch's own ``<mark>``. This module turns
them into plain text with the character offsets of the marks (for JSON) or into wrapped,
coloured terminal lines (for tables).
"""

from __future__ import annotations

import html
import re

__all__ = ["MARK_CLOSE", "MARK_OPEN", "escape_text", "mark_spans", "plain_text", "wrap_marked"]

MARK_OPEN = "<mark>"
MARK_CLOSE = "</mark>"
_MARK = re.compile(r"</?mark>")


def escape_text(text: str) -> str:
    """Page text as HTML element content: ``&``, ``<`` and ``>`` escaped, so no tag or entity
    of the page survives and a ``<mark>`` in the page's own text is not taken for a mark."""
    return html.escape(text, quote=False)


def plain_text(snippet: str) -> str:
    """The snippet without its marks, as the page's text (escapes undone)."""
    return html.unescape(_MARK.sub("", snippet))


def mark_spans(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """The plain text (escapes undone) and the ``[start, end)`` character offsets of each mark
    within it."""
    spans: list[tuple[int, int]] = []
    plain: list[str] = []
    length = 0
    start: int | None = None
    position = 0
    for match in _MARK.finditer(snippet):
        # Escapes are undone piece by piece: none spans a mark, since marks are put between them.
        piece = html.unescape(snippet[position : match.start()])
        plain.append(piece)
        length += len(piece)
        position = match.end()
        if match.group() == MARK_OPEN:
            start = length
        elif start is not None:
            spans.append((start, length))
            start = None
    plain.append(html.unescape(snippet[position:]))
    return "".join(plain), spans


def wrap_marked(
    snippet: str, width: int, *, max_lines: int = 3, on: str = "", off: str = ""
) -> list[str]:
    """The snippet wrapped to ``width`` columns in at most ``max_lines`` lines.

    Marked characters are put between ``on`` and ``off`` (terminal colour codes, or nothing).
    A snippet that does not fit ends with an ellipsis.
    """
    text, spans = mark_spans(" ".join(snippet.split()))
    width = max(width, 10)
    lines: list[tuple[int, int]] = []
    begin = 0
    while begin < len(text) and len(lines) < max_lines:
        end = min(len(text), begin + width)
        if end < len(text):
            cut = text.rfind(" ", begin, end + 1)
            end = cut if cut > begin else end
        lines.append((begin, end))
        begin = end
        while begin < len(text) and text[begin] == " ":
            begin += 1
    truncated = begin < len(text)
    rendered = []
    for number, (first, last) in enumerate(lines):
        ellipsis = truncated and number == len(lines) - 1
        if ellipsis and last - first >= width:
            last -= 1
        rendered.append(_paint(text, first, last, spans, on, off) + ("…" if ellipsis else ""))
    return rendered


def _paint(
    text: str, first: int, last: int, spans: list[tuple[int, int]], on: str, off: str
) -> str:
    if not on:
        return text[first:last]
    out = []
    position = first
    for start, end in spans:
        start, end = max(start, first), min(end, last)
        if start >= end:
            continue
        out.append(text[position:start])
        out.append(on + text[start:end] + off)
        position = end
    out.append(text[position:last])
    return "".join(out)
