"""The last way to find comment records when nothing on the page names them, no heading in
readers' words announces them and no reply control marks them: data-record mining over the
whole page. A box whose children of one tag are shaped alike (their tag paths), each dated
(a time, a date or a clock time in a short line or in the text after an element, a date in a
short element's ``title``) and
holding prose, is a thread when its records also show the layout of a comment: one position
that every record fills with a short name, different from record to record, and no record
holding a heading of the page's outline (teasers of other articles carry their titles in
``h2``/``h3``, comments never do), a link whose words are a title, or a "read more" link.

Used by :mod:`corpsearch.extract.comments` after the other ways found nothing.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.etree import _Element

from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.comment_layout import author_column
from corpsearch.extract.comment_markup import ROLE_AUTHOR, ROLE_TEXT, roles
from corpsearch.extract.comment_records import CLOCK as _CLOCK
from corpsearch.extract.comment_records import repeated_records
from corpsearch.extract.comment_teasers import leads_away
from corpsearch.extract.date_forms import has_digit

__all__ = ["records_anywhere", "signed_posts", "teaser_like"]

_OUTLINE = (".//h1", ".//h2", ".//h3")
_SKIP = frozenset(["script", "style", "noscript", "template", "svg", "head", "select"])
_MAX_TITLE_WORDS = 5
_LEAST_WORDS = 2  # a record's own words besides its name and date, zone names left
_MAX_UP = 8  # levels from a date to the box of records holding it  # a link of more words than a name holds is a title of another page


# the link a teaser ends with
_READ_MORE = re.compile(
    r"^(?:read more|more|continue reading|read on|weiterlesen|mehr|lire la suite|la suite|"
    r"leer más|seguir leyendo|continua a leggere|leggi tutto|lees meer|czytaj dalej)\W*$",
    re.IGNORECASE,
)


# the subject of a reply in forum software and mail ("Re: Marina fees", "AW: …", "Odp: …")
_REPLY_SUBJECT = re.compile(r"^(?:re|aw|antw|sv|vs|odp|r)\s*(?:\[\d+\])?\s*:", re.IGNORECASE)


def _own_title(heading: _Element) -> bool:
    """A record's own title, not another page's: a reply's subject ("Re: …"), or a heading
    whose links all lead to a place on this page (the post's permalink, ``#p5521``)."""
    text = " ".join("".join(heading.itertext()).split())
    if _REPLY_SUBJECT.match(text):
        return True
    hrefs = [a.get("href") or "" for a in heading.iter("a")]
    return bool(hrefs) and all(href.startswith("#") and len(href) > 1 for href in hrefs)


def teaser_like(record: _Element) -> bool:
    """A record that looks like a teaser of another page rather than a comment: it holds a
    heading of the outline (not one that is only a name of a word or three, the commenter's
    in Discourse's ``h3.username``, nor the record's own title), a "read more" link or a link
    whose words are a title."""
    for path in _OUTLINE:
        for heading in record.iterfind(path):
            text = " ".join("".join(heading.itertext()).split())
            if _name_and_date(text):
                continue
            words = text.split()
            if (len(words) > 3 or any(ch.isdigit() for w in words for ch in w)) and not _own_title(
                heading
            ):
                return True
    for a in record.iter("a"):
        label = " ".join("".join(a.itertext()).split())
        if _READ_MORE.match(label):
            return True
        count = _word_count(label)
        # a long linked line is a teaser's title, unless it is one link in a longer text
        if (
            count > _MAX_TITLE_WORDS
            and leads_away(a.get("href"))
            and count * 2 > _word_count(" ".join("".join(record.itertext()).split()))
        ):
            return True
    return False


# a comment's number in its header: "#3", "3楼" (its floor in the thread), "3F", "3층"
_NUMBER = re.compile(r"(?:^|\s)(?:#\d{1,5}|\d{1,5}\s?(?:楼|樓|层|層|F|층|번))(?=\s|$)")


def _name_and_date(text: str) -> bool:
    """A heading that shows a name and the date or the number beside it ("NAME 6天前",
    "Slade1 · 2 hours ago", "NAME 1楼"): the commenter's header line, whatever digits the
    name holds."""
    span = find_date_span(text)
    if span is None:
        mark = _NUMBER.search(text)
        if mark is None:
            return False
        span = mark.span()
    rest = " ".join((text[: span[0]] + " " + text[span[1] :]).strip(" ·•|,-–—").split())
    return 0 < len(rest) <= 40 and len(rest.split()) <= 3 and _word_count(rest) <= 3


# Chinese and Japanese write no spaces between words: two ideographs or kana count as one
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _word_count(text: str) -> int:
    cjk = len(_CJK.findall(text))
    return len(_CJK.sub("", text).split()) + cjk // 2


def _dated_boxes(body: _Element) -> set[_Element]:
    """The elements two or more of whose children hold a date (a ``time`` element, or a short
    line with a date or a clock time): where records of a thread can be; the rest of the page
    is not looked at."""
    holders: dict[_Element, set[_Element]] = {}
    for el in body.iter(etree.Element):
        tag = el.tag
        if tag in _SKIP:
            continue
        if tag != "time" and not _dated(el.text) and (el.get("title") is None or not _titled(el)):
            # the date may follow the name's element instead ("by <strong>NAME</strong> »
            # DATE", "<a><img> NAME</a> - DATE"): a dated tail belongs to the parent
            if not _dated(el.tail):
                continue
            parent = el.getparent()
            if parent is None or parent.tag in _SKIP:
                continue
            el = parent
        child, node = el, el.getparent()
        for _ in range(_MAX_UP):
            if node is None or node is body.getparent():
                break
            holders.setdefault(node, set()).add(child)
            child, node = node, node.getparent()
    return {box for box, children in holders.items() if len(children) >= 2}


def _dated(own: str | None) -> bool:
    """A short text of its own with a date or a clock time."""
    if not own or len(own) > 80 or not has_digit(own):
        return False
    return find_date_span(own) is not None or _CLOCK.search(own) is not None


def _titled(el: _Element) -> bool:
    """A short element whose ``title`` holds the date its text abbreviates ("2d" with
    "Apr 27, 2024 9:14 am" in the tooltip)."""
    title = el.get("title")
    if not title or len(title) > 90 or not has_digit(title):
        return False
    return len(el.text or "") <= 20 and find_date_span(title) is not None


def _words_beyond(records: list[_Element], column: dict[_Element, str]) -> bool:
    """More than half of the records hold words besides their name and their date: a row of
    a byline ("Updated DATE", "Published DATE", the label in the name's place) is no
    comment."""
    worded = 0
    for record in records:
        text = " ".join("".join(record.itertext()).split())
        name = column.get(record)
        if name:
            text = text.replace(name, " ", 1)
        span = find_date_span(text)
        if span is not None:
            text = text[: span[0]] + " " + text[span[1] :]
        words = [w for w in _CLOCK.sub(" ", text).split() if any(ch.isalpha() for ch in w)]
        worded += len(words) >= _LEAST_WORDS
    return worded * 2 > len(records)


def records_anywhere(body: _Element) -> list[_Element]:
    """The records (and nested replies) of every box of the page that passes the tests
    above, outermost boxes only."""
    found: list[_Element] = []
    taken: list[_Element] = []
    # the boxes in document order, by their paths of child positions (a walk over the whole
    # page again costs more)
    for box in sorted(_dated_boxes(body), key=_path):
        if box.tag in _SKIP:
            continue
        if any(t in box.iterancestors() for t in taken):
            continue
        records = repeated_records(box)
        tops = [r for r in records if r.getparent() is box]
        if len(tops) < 2 or any(teaser_like(r) for r in tops):
            continue
        column = author_column(tops)
        if not column or not _words_beyond(tops, column):
            continue
        found.extend(records)
        taken.append(box)
    return found


def _path(el: _Element) -> list[int]:
    """The positions of ``el`` and its ancestors among their siblings, from the top: in the
    order of these lists, elements are in document order."""
    path: list[int] = []
    parent = el.getparent()
    while parent is not None:
        path.append(parent.index(el))
        el, parent = parent, parent.getparent()
    path.reverse()
    return path


def signed_posts(records: list[_Element]) -> bool:
    """Records of a template that shows no date (Flarum's posts as the server renders them:
    ``h3.PostUser-name`` and ``div.Post-body``): each names who wrote it in an element of the
    author kind, a short line of a name, the names differ from record to record, each holds its
    text in an element of the text kind with a sentence of prose, and none links to another
    page outside its name (a list of products or teasers links to their pages)."""
    names: set[str] = set()
    for record in records:
        name = next(
            (
                words
                for d in record.iter(etree.Element)
                if roles(d) & ROLE_AUTHOR
                and 0 < len(words := " ".join("".join(d.itertext()).split())) <= 60
                and len(words.split()) <= 5
                and not any(ch.isdigit() for ch in words[:1])
            ),
            None,
        )
        if name is None:
            return False
        names.add(name)
        texts = [d for d in record.iter(etree.Element) if roles(d) & ROLE_TEXT]
        if not any(_SENTENCE.search(" ".join("".join(t.itertext()).split())) for t in texts):
            return False
        for a in record.iter("a"):
            href = a.get("href") or ""
            if href[:1] not in ("#", "") and not any(
                roles(up) & ROLE_AUTHOR for up in (a, *a.iterancestors())
            ):
                return False
    return len(names) >= 2


# a sentence of prose: five words or more and a stop
_SENTENCE = re.compile(r"[^\W\d_]{2,}(?:\s+\S+){4,}[.!?…]")
