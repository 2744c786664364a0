"""Flattening of absurdly deep HTML before it is parsed.

libxml2 (under lxml and trafilatura) stops building the tree 256 levels down, so
the text of a page nested deeper (a broken template, or a page made to defeat parsers) would be
lost without a word. Real pages nest a few dozen levels. Before parsing, the tags below
:data:`MAX_DEPTH` levels are dropped and their text kept, as paragraphs where blocks were, so
the page is read as far as it can be, and the article gets a ``markup`` problem saying what was
done.

The scan is one linear pass over the tags; pages within the limit are returned unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

__all__ = ["MAX_DEPTH", "Flattened", "flatten_deep", "too_deep"]

MAX_DEPTH = 200

_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<(/?)([A-Za-z][A-Za-z0-9:-]*)\b[^>]*>", re.DOTALL)
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
# Elements inside a line of text: dropped without a trace, so that no word is split.
_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "big",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "font",
        "i",
        "kbd",
        "label",
        "mark",
        "nobr",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
    ]
)
# Elements whose content is text, not markup.
_RAW = frozenset(["script", "style", "textarea", "title", "xmp"])
# Elements an HTML parser closes when a sibling of the same name opens.
_SIBLINGS = frozenset(["p", "li", "dt", "dd", "option", "tr", "td", "th"])


@dataclass(frozen=True, slots=True)
class Flattened:
    markup: str
    deepest: int
    dropped: int


def flatten_deep(markup: str, limit: int = MAX_DEPTH) -> Flattened:
    """``markup`` with the tags below ``limit`` levels dropped: a run of them becomes one
    paragraph break ("<p>", one level below the limit), or nothing where they are all inline."""
    stack: list[tuple[str, bool]] = []  # open elements: name, and whether the tag is kept
    drops: list[tuple[int, int]] = []
    dropped_names: list[str] = []
    deepest = 0
    position = 0
    while (match := _TOKEN.search(markup, position)) is not None:
        position = match.end()
        closing, name = match.group(1), match.group(2)
        if name is None:  # a comment
            continue
        name = name.lower()
        if closing:
            at = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0] == name), None)
            if at is not None:
                if not stack[at][1]:
                    drops.append(match.span())
                    dropped_names.append(name)
                del stack[at:]
            continue
        if name in _VOID or match.group(0).endswith("/>"):
            continue
        if name in _SIBLINGS and stack and stack[-1][0] == name:
            stack.pop()
        keep = len(stack) < limit
        stack.append((name, keep))
        deepest = max(deepest, len(stack))
        if not keep:
            drops.append(match.span())
            dropped_names.append(name)
        if name in _RAW:
            closer = _raw_end(name).search(markup, position)
            position = closer.start() if closer is not None else len(markup)
    if not drops:
        return Flattened(markup, deepest, 0)
    pieces: list[str] = []
    last = 0
    for (start, end), name in zip(drops, dropped_names, strict=True):
        between = markup[last:start]
        # A run of dropped tags with only white space between them becomes one break, or
        # nothing if they are all inline; a block's tag becomes "<p>", which the parser closes
        # at the next one or at the end of the element above, so the text at the bottom comes
        # out as paragraphs. Text left bare in a <div>, or in a long run of blanks, the article
        # extractor takes for layout and drops: the text would be lost after all.
        if between.strip() or not pieces:
            pieces.extend((between, ""))
        if name not in _INLINE:
            pieces[-1] = "<p>"
        last = end
    pieces.append(markup[last:])
    return Flattened("".join(pieces), deepest, len(drops))


def too_deep(flat: Flattened, limit: int = MAX_DEPTH) -> str:
    """The problem recorded for a flattened page."""
    return (
        f"the HTML nests {flat.deepest} levels deep; the {flat.dropped} tags below level "
        f"{limit} were dropped and their text kept"
    )


@cache
def _raw_end(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}\s*>", re.IGNORECASE)
