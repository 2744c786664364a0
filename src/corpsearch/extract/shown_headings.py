"""The headings a page shows, as headline candidates: each ``h1``, the ``h2``s of a header or
an article, and every other ``h2`` to ``h6``; for each its text with its parts (a kicker, the
headline, a line of its own) kept apart, the part its class marks as the headline, and whether
it only links to the site's home page (a logo).

Read by :func:`corpsearch.extract.metadata.read_metadata`; chosen between by
:mod:`corpsearch.extract.headline`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from corpsearch.textnorm import clean_text

__all__ = ["Heading", "read_shown_headings"]


@dataclass(frozen=True)
class Heading:
    """A displayed headline element: its text, its parts, and the part marked as headline."""

    text: str
    parts: tuple[str, ...] = ()
    marked: str | None = None
    level: int = 1
    home_link: bool = False  # its links all lead to the site's home page: a logo


def read_shown_headings(tree: HtmlElement) -> tuple[list[Heading], list[Heading]]:
    """The headings that show the headline most often (each ``h1``, then up to six ``h2``s of
    a header or an article, as level 2), and the page's other headings, each with its level
    (the first 80 ``h2``/``h3``s, the first 20 of each lower level)."""
    shown: list[Heading] = []
    for h1 in tree.iter("h1"):
        heading = _heading(h1)
        if heading:
            shown.append(heading)
    in_header = [h2 for h2 in tree.iter("h2") if _header_h2(h2)][:6]
    for h2 in in_header:
        heading = _heading(h2)
        if heading:
            shown.append(replace(heading, level=2))
    others: list[Heading] = []
    seen = {2: 0, 3: 0, 4: 0, 5: 0, 6: 0}
    for other in tree.iter("h2", "h3", "h4", "h5", "h6"):
        level = int(str(other.tag)[1])
        seen[level] += 1
        # the first 80 h2/h3s, and the first 20 of each lower level
        if (seen[2] + seen[3] > 80) if level < 4 else (seen[level] > 20):
            continue
        heading = _heading(other)
        if heading:
            others.append(replace(heading, level=level))
    return shown, others


_HIDDEN = re.compile(r"sr-only|screen-reader|visually-hidden|\bhidden\b|offscreen", re.I)
_HEADLINE_PART = re.compile(r"headline|title|heading", re.I)
_NOT_HEADLINE_PART = re.compile(
    r"kicker|dachzeile|topline|overline|eyebrow|subtitle|sub-title", re.I
)


_SHOWN_TEXT = etree.XPath(".//text()[not(ancestor::style) and not(ancestor::script)]")


def _shown_text(element: HtmlElement) -> str:
    """The text of an element without what its style and script elements hold (a logo's CSS
    inside a site-name heading)."""
    return "".join(_SHOWN_TEXT(element))


_BREAKS = frozenset(
    {"br", "div", "p", "header", "section", "h1", "h2", "h3", "h4", "h5", "h6", "li"}
)
# where two child elements meet with nothing between them, a word ending in a letter or a stop
# and one starting with a capital are two pieces ("<span>Budget</span><span>Council…</span>",
# styled as lines of their own), not one word; a word split by markup ("Mc<b>D</b>onald",
# "<b>e</b><i>Bay</i>") is not such a seam
_SEAM = re.compile(r"(?:[^\W\d_]|[:.!?])$")


def _heading(element: HtmlElement) -> Heading | None:
    if _HIDDEN.search(element.get("class") or "") or element.get("aria-hidden") == "true":
        return None
    # the heading's pieces: its own text, each child element's, each tail; a line break or a
    # block between two pieces is a space, so that a kicker and a headline on their own lines
    # are not glued into one word
    pieces: list[str] = [element.text or ""]
    joined: list[str] = [element.text or ""]
    parts, marked = [], None
    last = ""  # a child element's words with nothing after them yet, else ""
    for child in element:
        if not isinstance(child.tag, str) or child.tag in ("style", "script"):
            pieces.append(child.tail or "")
            joined.append(child.tail or "")
            last = last if not child.tail else ""
            continue
        shown = _shown_text(child)
        gap = " " if child.tag in _BREAKS else ""
        if _glued(last, shown):
            joined.append(" ")
        last = shown if not child.tail else ""
        joined += [gap, shown, gap, child.tail or ""]
        pieces += [shown, child.tail or ""]
        part = clean_text(shown)
        names = (child.get("class") or "") + " " + (child.get("itemprop") or "")
        if (
            part
            and marked is None
            and _HEADLINE_PART.search(names)
            and not _NOT_HEADLINE_PART.search(names)
        ):
            marked = part
    text = clean_text("".join(joined))
    if not text:
        return None
    parts = [p for p in (clean_text(piece) for piece in pieces) if p]
    hrefs = [a.get("href") or "" for a in element.iter("a")]
    # a heading inside a link (``<a href="/"><h1>Site</h1></a>``) is that link's text
    wrapper = next((a for a in element.iterancestors("a")), None)
    if wrapper is not None:
        hrefs.append(wrapper.get("href") or "")
    return Heading(
        text,
        tuple(parts) if len(parts) > 1 else (),
        marked if len(parts) > 1 else None,
        home_link=bool(hrefs) and all(_is_home(href) for href in hrefs),
    )


def _glued(before: str, after: str) -> bool:
    """Whether two child elements' words, side by side, would read as one word glued."""
    return bool(
        before
        and after
        and not before[-1].isspace()
        and not after[0].isspace()
        and _SEAM.search(before)
        and after[0].isupper()
        # a piece of a line (two words or more) after a word, not a word's second half
        and len(after.split()) >= 2
        and len(before.split()[-1].rstrip(":.!?")) >= 3
    )


def _is_home(href: str) -> bool:
    """A link to a site's home page: ``/``, ``https://example.com/``, ``/index.html``."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:")):
        return False
    parts = urlsplit(href)
    return not parts.query and parts.path.lower() in ("", "/", "/index.html", "/index.php")


def _header_h2(h2: HtmlElement) -> bool:
    """An ``<h2>`` in a header or an article, or one linking its post (``rel=bookmark``)."""
    if any(a.tag in ("header", "article") for a in h2.iterancestors()):
        return True
    return any(a.get("rel") == "bookmark" for a in h2.iterchildren("a"))
