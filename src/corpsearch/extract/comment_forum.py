"""Readers' forum posts shown on an article's page: a story's forum thread, or its best-rated
posts, shown below the text under a heading or tab in readers' words ("Comments", "Highly
rated", "Top comments", "Reader comments", "Most recommended"), each post a block of one tag
and class that names no comment: a header with the post's date line and its author's name
(in either order), the post's title as a heading (its subject, "Re: …"), then the text, with
vote counts and report buttons in small forms of their own.

A post is known by that shape, looked for only in the boxes after such a heading: a header of
a line or two before the title heading that shows a date and, in an element apart from the
date, a short name; prose after the title, which is no link to another page (a teaser's);
no ``h1``, no field to write in (a form of buttons only, to vote or to report, is a control of
the post). Two or more posts of one tag and first class among the children of one box make
the thread. A list of other stories (a title, a date and a teaser, no one's name), or a "most
read" box, is none.

Used by :mod:`corpsearch.extract.comment_items` among the ways of finding records by shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree
from lxml.etree import _Element

from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.comment_markup import first_class, flat_text
from corpsearch.extract.comment_names import clean_author
from corpsearch.extract.comment_records import CLOCK, PROSE
from corpsearch.extract.comment_teasers import leads_away

__all__ = ["forum_posts"]

_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_LABELS = ("h2", "h3", "h4", "h5", "h6", "div", "span", "p", "strong", "b", "li", "header")
_MAX_LABEL = 40
# what names the posts below as readers': the comment words, readers' or a forum's posts, or
# the readers' ratings of their posts ("Highly rated", "Most recommended", "Top comments")
_COMMENTS = (
    r"comments?|kommentare?|commentaires?|comentarios?|commenti|reacties|komentarze?|"
    r"kommentarer|replies|responses|reactions|discussion|diskussion"
)
_RATED = r"(?:highly|most|top|best)[\s-]+(?:rated|recommended|liked|voted|upvoted)"
_READER_LABEL = re.compile(
    rf"^(?:\d+\s+)?(?:(?:top|best|featured|highly|most|highest|readers?'?|reader's|our|your)\s+)*"
    rf"(?:{_COMMENTS}|{_RATED}|(?:readers?'?|reader's|forum)\s+posts)"
    rf"(?:\s+(?:{_COMMENTS}))?(?:\s*\(\d+\))?\s*:?$",
    re.IGNORECASE,
)
_MAX_HEADER = 200  # characters: a date line and a name, a counter, no paragraph
_MAX_TITLE = 150
_MAX_NAME = 40
_MAX_NAME_WORDS = 4
_MAX_UP = 3  # levels from the label up to the box beside the posts
_MAX_BOX_DEPTH = 4  # levels from a box after the label down to the posts' parent
_TEXT_FIELD = frozenset(["", "text", "search", "email", "password", "url", "tel"])
_SKIP = frozenset(["script", "style", "noscript", "template"])
_LETTER = re.compile(r"[^\W\d_]")


def forum_posts(body: _Element) -> list[_Element]:
    """The posts under the first heading in readers' words that has some, as described
    above; empty when there are none."""
    for label in _reader_labels(body):
        posts = _posts_after(label)
        if posts:
            return posts
    return []


def _reader_labels(body: _Element) -> Iterator[_Element]:
    for el in body.iter(*_LABELS):
        own = (el.text or "").strip()
        if el.tag not in _HEADINGS and (not own or len(own) > _MAX_LABEL):
            continue  # a block styled as a heading shows its words as its own text
        words = flat_text(el)
        if not words or len(words) > _MAX_LABEL or not _READER_LABEL.match(words):
            continue
        if any(a.tag in ("a", "button", "nav") for a in el.iterancestors()):
            continue  # a link to the comments, a menu entry
        yield el


def _posts_after(label: _Element) -> list[_Element]:
    """The posts in the first box after ``label`` (its following siblings, then those of its
    parent's, up to the next heading) holding some."""
    node: _Element | None = label
    for _ in range(_MAX_UP):
        if node is None or node.tag == "body":
            return []
        sib = node.getnext()
        while sib is not None:
            if isinstance(sib.tag, str) and sib.tag not in _SKIP:
                posts = _posts_within(sib, _MAX_BOX_DEPTH)
                if posts:
                    return posts
                if sib.tag in _HEADINGS or sib.tag == "h1":
                    return []
            sib = sib.getnext()
        node = node.getparent()
    return []


def _posts_within(box: _Element, depth: int) -> list[_Element]:
    """The posts among the children of ``box`` or of a box inside it, ``depth`` levels down."""
    children = [c for c in box.iterchildren(etree.Element) if c.tag not in _SKIP]
    groups: dict[tuple[str, str], list[_Element]] = {}
    for c in children:
        groups.setdefault((str(c.tag), first_class(c)), []).append(c)
    for same in groups.values():
        if len(same) >= 2:
            posts = [c for c in same if _forum_post(c)]
            if len(posts) >= 2 and len(posts) * 2 > len(same):
                return posts
    if depth > 1:
        for c in children:
            posts = _posts_within(c, depth - 1)
            if posts:
                return posts
    return []


def _forum_post(el: _Element) -> bool:
    """A header with a date and a name apart from it, then a title heading, then prose."""
    if el.find(".//h1") is not None or el.find(".//textarea") is not None:
        return False
    if any(_writes(form) for form in el.iter("form")):
        return False
    title = next(el.iter(*_HEADINGS), None)
    if title is None or not 0 < len(flat_text(title)) <= _MAX_TITLE or _links_away(title):
        return False
    header, after = _around(el, title)
    line = " ".join(" ".join(header).split())
    if not line or len(line) > _MAX_HEADER:
        return False
    if find_date_span(line) is None and CLOCK.search(line) is None:
        return False
    if not any(_name_sized(piece) for piece in header):
        return False
    return PROSE.search(" ".join(after)) is not None


def _links_away(title: _Element) -> bool:
    """A title that is one link to another page: a story's teaser, not a post's subject."""
    links = list(title.iter("a"))
    return (
        len(links) == 1
        and leads_away(links[0].get("href"))
        and flat_text(links[0]) == flat_text(title)
    )


def _writes(form: _Element) -> bool:
    """A form with a field to write in or pick from, not a form of buttons only."""
    for field in form.iter("input", "select"):
        if field.tag == "select" or (field.get("type") or "").lower() in _TEXT_FIELD:
            return True
    return False


def _around(el: _Element, title: _Element) -> tuple[list[str], list[str]]:
    """The text pieces of ``el`` before ``title`` and after it, in document order, each piece
    one element's own text or a tail (so a name and a date in elements apart stay apart)."""
    before: list[str] = []
    after: list[str] = []
    into = before

    def walk(node: _Element) -> None:
        nonlocal into
        if node is title:
            into = after
            return
        if node.text:
            into.append(node.text)
        for child in node.iterchildren(etree.Element):
            if child.tag not in _SKIP:
                walk(child)
            if child.tail:
                into.append(child.tail)

    walk(el)
    return [p for p in before if p.strip()], [p for p in after if p.strip()]


def _name_sized(piece: str) -> bool:
    """A short piece of words without a date: a name as a post's header shows it."""
    words = " ".join(piece.split())
    if not words or len(words) > _MAX_NAME or len(words.split()) > _MAX_NAME_WORDS:
        return False
    if _LETTER.search(words) is None or find_date_span(words) is not None:
        return False
    return clean_author(words) is not None  # no "by", counter or label alone
