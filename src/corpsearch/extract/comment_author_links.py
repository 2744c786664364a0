"""Authors shown as links in a comment's header: the one name link of an author element that
holds more (a bio, a badge), a wiki signature's name before its tool links, and a plain link or
the words before the permalink on the header line.

Used by :mod:`corpsearch.extract.comment_authors`.
"""

from __future__ import annotations

import re

from lxml.etree import _Element

from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.comment_evidence import header_region, is_counter
from corpsearch.extract.comment_markup import (
    ROLE_DEBRIS_NOT_AUTHOR,
    SAYS,
    flat_text,
    holds,
    longest_words,
    roles,
    text_of,
)
from corpsearch.extract.comment_names import clean_author

__all__ = ["Candidate", "header_link_author", "links_to_itself", "name_link"]

# what a piece of author evidence proposes: the element holding the name (None for words of a
# line) and the raw text
Candidate = tuple[_Element | None, str]


def links_to_itself(a: _Element, record: _Element) -> bool:
    """A permalink: to an anchor of the page, or to an address naming the comment's number."""
    href = (a.get("href") or "").strip()
    if not href:
        return False  # an anchor, or a name shown as a link without an address
    if href.startswith(("#", "javascript:")) or "#comment" in href.lower():
        return True
    numbers: set[str] = set()
    node: _Element | None = record
    for _ in range(3):
        if node is None:
            break
        numbers.update(re.findall(r"\d{3,}", str(node.get("id") or "")))
        node = node.getparent()
    return any(re.search(rf"(?<!\d){n}(?!\d)", href) for n in numbers)


def name_link(el: _Element) -> str | None:
    """The one link inside an author element whose text is a name, when the element holds more
    than the name (a bio line, a fan counter, a role label)."""
    links = [a for a in el.iter("a") if flat_text(a) and not is_counter(flat_text(a))]
    links = [a for a in links if find_date_span(flat_text(a)) is None]  # a permalink's date
    if len(links) > 1:
        return _signature_name(el, links)
    if len(links) != 1:
        return None
    label = flat_text(links[0])
    if find_date_span(label) is not None:
        return None
    name = clean_author(label)
    rest = flat_text(el).replace(label, " ", 1)
    rest = SAYS.sub("", " ".join(rest.split())).strip(" :,|·-")
    if name is None or len(rest.split()) < 3:
        return None
    return name


# what follows the name link in a signature: its tool links in brackets ("(talk)",
# "(talk | contribs)"), nothing else
_TOOL_LINKS = re.compile(r"^\(\s*[^()]{1,40}\)$")


def _signature_name(el: _Element, links: list[_Element]) -> str | None:
    """A signature: the name link, then only the poster's tool links in brackets (a wiki's
    "NAME (talk)"): the first link is the name."""
    label = flat_text(links[0])
    rest = " ".join(flat_text(el).replace(label, " ", 1).split())
    if not _TOOL_LINKS.match(rest):
        return None
    inside = rest[1:-1]
    others = [flat_text(a) for a in links[1:]]
    if any(o not in inside for o in others) or re.sub(r"[\s|·,/]+", "", inside) != "".join(
        o.replace(" ", "") for o in others
    ):
        return None  # words in the brackets that no link shows: a place, a handle
    return clean_author(label)


def header_link_author(
    node: _Element, elements: list[_Element], text_el: _Element | None, stop: set[_Element]
) -> Candidate | None:
    """A plain link in the header line before the text ("<a class=url>NAME</a> 1 year"): the
    author, with the header line itself to keep out of the text; without a link, the words
    before the permalink on the header line ("mxa <a href=#comment-1>1 year</a>")."""
    region = header_region(elements, text_el)
    for el in region:
        if el.tag != "a" or roles(el) & ROLE_DEBRIS_NOT_AUTHOR:
            continue
        href = (el.get("href") or "").strip()
        label = flat_text(el)
        if not label or links_to_itself(el, node):
            continue
        if find_date_span(label) is not None or clean_author(label) is None:
            continue
        line = el.getparent()
        while line is not None and line is not node and line.tag in ("span", "strong", "b", "em"):
            line = line.getparent()
        if (
            line is not None
            and line is not node
            and len(flat_text(line)) <= 120
            and not holds(line, longest_words(node, stop))  # the name's line, not the words
        ):
            return line, label
        return el, label
    for el in region:
        href = el.get("href") or "" if el.tag == "a" else ""
        line = el.getparent()
        if "#comment" not in href or line is None or line is node or len(flat_text(line)) > 120:
            continue
        before = (line.text or "") + "".join(
            text_of(c, set()) + (c.tail or "") for c in line if c is not el and _precedes(c, el)
        )
        author = clean_author(before) if before.strip() else None
        if author and len(author.split()) <= 5:
            return line, before
    return None


def _precedes(a: _Element, b: _Element) -> bool:
    parent = a.getparent()
    return parent is not None and parent is b.getparent() and parent.index(a) < parent.index(b)
