"""One parse of an HTML page into the lxml tree that every layer reads.

Metadata, dates, the body (trafilatura takes the tree as it is) and the comments all read the
same tree, so a page is parsed once. Its elements are ``lxml.html.HtmlElement`` (what
trafilatura expects) by a default class lookup done in C: lxml.html's own parser picks a
class per element through a Python callback, which made every walk over the tree about twice
as slow (measured in docs/benchmarks.md).

The markup is prepared as trafilatura's loader prepares it (invalid XML characters, a broken
doctype line and a self-closing ``<html/>`` repaired), so that the body is extracted from the
tree trafilatura itself would have built.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import islice

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HtmlProcessingInstruction,
    document_fromstring,
    fromstring,
)

from .depth import MAX_DEPTH

__all__ = ["ParsedPage", "document_root", "emoji_as_text", "parse_html", "repair_markup"]

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
# an element MAX_DEPTH + 1 levels down: the page nests deeper than the flattening limit
_TOO_DEEP = etree.XPath("boolean(" + "/*" * (MAX_DEPTH + 1) + ")")


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """The page's root element (None when the text is not HTML), and whether the page nests
    deeper than :data:`~corpsearch.extract.depth.MAX_DEPTH` levels (then it is flattened and
    parsed again, see :mod:`corpsearch.extract.depth`)."""

    root: HtmlElement | None
    too_deep: bool = False


def _parser() -> etree.HTMLParser:
    # a parser per call: lxml parser objects must not be shared between threads
    # encoding: what bytes handed to it are (the text is encoded as UTF-8 below)
    parser = etree.HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
    )
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=HtmlElement,
            comment=HtmlComment,
            pi=HtmlProcessingInstruction,
            entity=HtmlEntity,
        )
    )
    return parser


def parse_html(markup: str) -> ParsedPage:
    """Parse ``markup`` once; ``root`` is None for empty text and for text that is not HTML
    (no ``html`` near its start and at most one element, as trafilatura judges it, unless
    that element holds elements of its own)."""
    if not markup or not markup.strip():
        return ParsedPage(None)
    beginning = markup[:50].lower()
    markup = repair_markup(markup, beginning)
    parser = _parser()
    root: HtmlElement | None
    try:
        root = fromstring(markup, parser=parser)
    except ValueError:  # a str with an encoding declaration: lxml wants it without one
        # (the text is decoded already; the declared encoding is not that of these characters)
        markup = _XML_DECLARATION.sub("", markup, count=1)
        root = _parse_again(markup, parser)
    except (etree.ParserError, etree.XMLSyntaxError):
        root = None
    if root is None or len(root) < 1:
        again = _parse_again(markup, parser)
        root = again if again is not None else root
    if root is None or ("html" not in beginning and len(root) < 2 and not _nested(root)):
        return ParsedPage(None)
    emoji_as_text(root)
    return ParsedPage(root, too_deep=_TOO_DEEP(root.getroottree()))


def emoji_as_text(root: etree._Element) -> None:
    """An image that stands for an emoji (its alt text emoji alone: WordPress' wp-emoji and
    Twemoji put ``<img class="emoji" alt="🙂">`` in place of the character, and pages saved
    after their scripts ran keep the image) becomes the character again, so that a comment
    made of a smiley keeps its text and words beside one stay apart."""
    for image in list(root.iter("img")):
        alt = image.get("alt")
        if not alt or len(alt) > 8:
            continue
        # an old WordPress smiley's alt is its text form (":)") under class "wp-smiley"
        if not all(_is_emoji(ch) for ch in alt) and "smiley" not in (image.get("class") or ""):
            continue
        parent = image.getparent()
        if parent is None:
            continue
        text = alt + (image.tail or "")
        previous = image.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(image)


def _is_emoji(char: str) -> bool:
    # pictographs and symbols (So), and what joins or varies them (ZWJ, variation selectors,
    # skin-tone modifiers are Sk)
    return unicodedata.category(char) in ("So", "Sk") or char in "\u200d\ufe0f\ufe0e"


def _nested(root: HtmlElement) -> bool:
    """Markup beneath the one element lxml made of the text (three elements or more under it):
    a page's main column saved after a line of plain text ("# Heading" of a markdown file, then
    ``<div class="main">…``) is HTML, where plain text wraps into one element with at most an
    inline element or two inside."""
    return len(root) == 1 and next(islice(root[0].iterdescendants(), 2, None), None) is not None


# the characters trafilatura's loader removes (its INVALID_XML_CHARS), looked for one by one:
# each search is a fast scan, together about half of one pass of the pattern over a page
_INVALID_XML = (
    *(chr(code) for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))),
    "\ufffe",
    "\uffff",
)


def repair_markup(markup: str, beginning: str) -> str:
    """``trafilatura.utils.repair_faulty_html(markup, beginning)``, the same steps, with its
    pattern over the whole page run only when a character it removes is there (pages hardly
    ever hold one); tests/test_extract_htmltree.py holds the two to the same answers."""
    from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, INVALID_XML_CHARS

    if any(ch in markup for ch in _INVALID_XML):
        markup = INVALID_XML_CHARS.sub("", markup)
    # libxml2 stumbles over a doctype line ending in "/>"
    if "doctype" in beginning:
        firstline, _, rest = markup.partition("\n")
        markup = DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    # a self-closing <html/> in the first lines
    for line in markup[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            markup = FAULTY_HTML.sub(r"\1>", markup, count=1)
            break
    return markup


def _parse_again(markup: str, parser: etree.HTMLParser) -> HtmlElement | None:
    try:
        root = fromstring(markup.encode("utf-8", "surrogatepass"), parser=parser)
    except (ValueError, etree.ParserError, etree.XMLSyntaxError):
        return None
    return root if isinstance(root, HtmlElement) else None


def document_root(markup: str, root: HtmlElement | None) -> HtmlElement:
    """The root element of the whole document that ``root`` (from :func:`parse_html` on
    ``markup``) belongs to; for text that :func:`parse_html` does not take for HTML, the
    document lxml makes of it, or an empty one. Site profiles read every element of a page."""
    if root is not None:
        top = root.getroottree().getroot()
        return top if isinstance(top, HtmlElement) else root
    if markup.strip():
        try:
            return document_fromstring(markup.encode("utf-8", "surrogatepass"), parser=_parser())
        except (ValueError, etree.ParserError, etree.XMLSyntaxError):
            pass
    empty: HtmlElement = document_fromstring(b"<html></html>", parser=_parser())
    return empty
