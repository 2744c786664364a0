"""Teaser boxes named like comments: a box whose class happens to carry a comment word (a
template's "comment" or "opinion" box style) that promotes another page — a section heading
over ONE link that wraps the whole blurb (an image, a paragraph ending in a more-marker "»",
"mehr", "read more") and points away from this page. A reader's comment shows who wrote it
apart from any link to elsewhere, and its words are no link: its header may link to the
comment's own permalink or its name to the commenter's site, but the text stays outside.

Used by :mod:`corpsearch.extract.comment_items`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree
from lxml.etree import _Element

from corpsearch.extract.comment_author_links import links_to_itself
from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.comment_markup import ROLE_AUTHOR, ROLE_DATE, roles

__all__ = ["leads_away", "without_teasers"]

# the headings a page gives its sections (as big as a title), not the name-sized element a
# comment's header shows its author in
_SECTION_HEADINGS = frozenset(["h1", "h2", "h3"])
# how a promo blurb ends: an arrow or a "more" word pointing at the page it promotes
_MORE_MARKER = re.compile(
    r"(?:[>»›→]|\b(?:mehr|weiterlesen|weiter|more|read more|continue reading|lire la suite|"
    r"la suite|leer más|leggi tutto|lees meer|czytaj dalej)\b)\W{0,3}$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{2,}")


def without_teasers(root: _Element, found: list[_Element]) -> list[_Element]:
    """``found`` without the teasers of other pages (:func:`_is_teaser`): the items of one
    parent when all of them are teasers, none inside another item. A comment whose words are
    all one link (a reader posting a document) stays among the other comments of its thread."""
    if not found:
        return found
    page = _page_path(root)
    items = set(found)
    groups: dict[_Element | None, list[_Element]] = {}
    for el in found:
        groups.setdefault(el.getparent(), []).append(el)
    drop: set[_Element] = set()
    for group in groups.values():
        if any(anc in items for anc in group[0].iterancestors()):
            continue  # a reply: teaser boxes are never inside a comment
        if all(_is_teaser(el, page) for el in group):
            drop.update(group)
    return [el for el in found if el not in drop] if drop else found


def _page_path(root: _Element) -> tuple[str, str] | None:
    """This page's host and path, from its canonical address."""
    for xpath in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        values = root.xpath(xpath)
        if values:
            parts = urlsplit(str(values[0]).strip())
            return parts.netloc.lower(), parts.path.rstrip("/")
    return None


def _is_teaser(record: _Element, page: tuple[str, str] | None) -> bool:
    """Whether all of ``record``'s words but a section heading sit inside one link to another
    page, no date is shown outside that blurb, and either the heading stands where a comment
    shows its author or the blurb ends in a more-marker."""
    link = _wrapping_link(record)
    if link is None or not _to_another_page(link, record, page):
        return False
    blurb = _words(link)
    if len(_WORD.findall(blurb)) < 6:
        return False  # a name or a title as a link, not a blurb
    inside = set(link.iter())
    headings: list[_Element] = []
    for el in record.iter(etree.Element):
        if el in inside:
            continue
        if el.tag == "time" or el.get("datetime") or roles(el) & (ROLE_AUTHOR | ROLE_DATE):
            return False  # a comment's own header marks
        if el.tag in _SECTION_HEADINGS and not any(h in el.iterancestors() for h in headings):
            headings.append(el)
    heading_words = " ".join(_words(h) for h in headings)
    outside = _words_outside(record, inside, headings)
    if _WORD.search(outside):
        return False  # words of the item's own besides the heading and the link
    if find_date_span(heading_words) is not None or _header_date(link):
        return False  # a dated header: a comment, or a teaser of one
    return bool(heading_words) or _MORE_MARKER.search(blurb) is not None


def _wrapping_link(record: _Element) -> _Element | None:
    """The one link holding the item's longest run of words (none when two links hold words
    beyond a title's)."""
    links = [a for a in record.iter("a") if a.get("href")]
    wordy = [a for a in links if len(_WORD.findall(_words(a))) >= 6]
    if len(wordy) != 1:
        return None
    return wordy[0]


def leads_away(href: str | None) -> bool:
    """Whether a link's ``href`` may lead to another page: not empty, not an anchor of this
    page ("#", "#c12"), not a script run on this page ("javascript:replyFloor(…)", the whole
    text of a comment made its reply control); an address of another scheme (mailto:, tel:)
    leads to no page either."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return False
    scheme = urlsplit(href).scheme.lower() if ":" in href else ""
    return scheme in ("", "http", "https")


def _to_another_page(a: _Element, record: _Element, page: tuple[str, str] | None) -> bool:
    href = (a.get("href") or "").strip()
    parts = urlsplit(href)
    if not leads_away(href) or links_to_itself(a, record):
        return False  # a permalink, an anchor of this page, a script
    if parts.fragment and not parts.path:
        return False
    host, path = page if page is not None else ("", None)
    if parts.path.rstrip("/") == path and parts.netloc.lower() in ("", host):
        return False  # this page itself
    return bool(parts.path or parts.netloc)


def _header_date(link: _Element) -> bool:
    """A date in a heading or the first line inside the link: the link wraps a dated record
    (a comment teaser, "DATE | NAME:" over its words), not a promo."""
    for el in link.iter(etree.Element):
        if el.tag == "time" or el.get("datetime"):
            return True
        if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and find_date_span(_words(el)):
            return True
    first = (link.text or "").strip()
    return bool(first) and find_date_span(first) is not None


def _words(el: _Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _words_outside(record: _Element, inside: set[_Element], headings: list[_Element]) -> str:
    """The words of ``record`` in neither the link nor a heading (scripts and styles left out)."""
    skip = set(inside)
    for h in headings:
        skip.update(h.iter())
    out: list[str] = []
    for piece in record.xpath(".//text()"):
        owner = piece.getparent()
        if piece.is_tail:
            # a tail belongs to the element's parent
            owner = owner.getparent() if owner is not None else None
        if owner is None or owner in skip or owner.tag in ("script", "style"):
            continue
        out.append(str(piece))
    return " ".join(" ".join(out).split())
