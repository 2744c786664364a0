"""Lists of readers' words about other pages, whatever they are named: a widget of the latest
reviews or comments where each record names the page it is about by a link in its header
("Ann, 3 March 2020, <a href="/hotels/seaview/">Seaview Hotel</a>"). A thread's records link
to the commenter (a profile or a homepage), to themselves (permalinks, reply controls) or,
inside their text, to whatever the commenter cites; none of those is such a link."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree
from lxml.etree import _Element

from corpsearch.extract.comment_author_links import links_to_itself
from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.comment_labels import CONTROL_LINE
from corpsearch.extract.comment_markup import (
    DEBRIS_LINE,
    PROFILE_HREF,
    ROLE_AUTHOR,
    ROLE_TEXT,
    roles,
)

__all__ = ["without_reviews_elsewhere"]

# a commenter's own site, as templates mark the link to it
_COMMENTER_REL = frozenset(["external", "ugc", "nofollow", "author", "me"])
# where a commenter's words are, and a link in them is theirs
_TEXT_TAGS = frozenset(["p", "blockquote", "li", "pre", "dd"])
_LETTER = re.compile(r"[^\W\d_]")
_NUMBER = re.compile(r"\d{3,}")
_WORD = re.compile(r"[^\W\d_]{2,}")


def without_reviews_elsewhere(root: _Element, found: list[_Element]) -> list[_Element]:
    """``found`` without the groups of sibling records (two or more) that each link, in
    their header, to a page of this site other than this one, the pages not all one."""
    page = _page(root)
    groups: dict[_Element | None, list[_Element]] = {}
    for el in found:
        groups.setdefault(el.getparent(), []).append(el)
    drop: set[_Element] = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        targets = [_page_named(el, page) for el in group]
        if all(t is not None for t in targets) and len(set(targets)) >= 2:
            drop.update(group)
    return [el for el in found if el not in drop]


def _page(root: _Element) -> tuple[str, str] | None:
    """This page's host and path, from its canonical address."""
    for xpath in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        values = root.xpath(xpath)
        if values:
            parts = urlsplit(str(values[0]).strip())
            return parts.netloc.lower(), parts.path.rstrip("/")
    return None


def _page_named(record: _Element, page: tuple[str, str] | None) -> str | None:
    """The path of the first link of ``record``'s header to another page of this site."""
    for a in record.iter("a"):
        href = (a.get("href") or "").strip()
        parts = urlsplit(href)
        if not href or parts.fragment or parts.scheme not in ("", "http", "https"):
            continue  # an anchor, a comment's permalink (without_comments_elsewhere), mailto:
        path = parts.path.rstrip("/")
        if not path or PROFILE_HREF.search(href) or links_to_itself(a, record):
            continue
        if _COMMENTER_REL & set((a.get("rel") or "").lower().split()):
            continue
        if parts.netloc and (page is None or parts.netloc.lower() != page[0]):
            continue  # another site: the commenter's, or one the commenter cites
        if page is not None and path == page[1]:
            continue
        label = " ".join("".join(a.itertext()).split())
        if not _LETTER.search(label) or CONTROL_LINE.match(label) or DEBRIS_LINE.match(label):
            continue  # "Reply", "Report", "12 likes", a post's number "#2", an icon
        if find_date_span(label) is not None:
            continue  # a permalink shown as the post's date ("/t/1/2": "December 29, 2014")
        if any(n in path for n in _own_numbers(record)):
            continue  # the post's own page ("/post/3310" of a record with data-pid="3310")
        if _in_words_or_name(a, record) or not _named_apart(a, record):
            continue
        return path
    return None


def _in_words_or_name(a: _Element, record: _Element) -> bool:
    """Whether the link is inside the record's text or its author element."""
    node: _Element | None = a
    while node is not None and node is not record:
        if node.tag in _TEXT_TAGS or roles(node) & (ROLE_TEXT | ROLE_AUTHOR):
            return True
        node = node.getparent()
    return False


def _own_numbers(record: _Element) -> set[str]:
    """The numbers of three digits or more in the record's attributes (its id, a
    ``data-pid``), where a link to the record's own page repeats one."""
    return {n for value in record.attrib.values() for n in _NUMBER.findall(str(value))}


def _named_apart(a: _Element, record: _Element) -> bool:
    """Whether the record shows who wrote it apart from the link: an element of the author
    kind outside it, or words before it that are no date ("Ann 3 March 2020 <a>…</a>"): a
    name that is itself the link (to the commenter's page on the site) is no other page's
    title."""
    inside = set(a.iter())
    if any(roles(d) & ROLE_AUTHOR and d not in inside for d in record.iter(etree.Element)):
        return True
    before: list[str] = []
    for piece in record.xpath(".//text()"):
        owner = piece.getparent()
        if owner in inside and not (owner is a and piece.is_tail):
            break  # the link's own words: what comes before them is all
        before.append(str(piece))
    words = " ".join(" ".join(before).split())
    span = find_date_span(words)
    if span is not None:
        words = words[: span[0]] + words[span[1] :]
    return bool(_WORD.search(words))
