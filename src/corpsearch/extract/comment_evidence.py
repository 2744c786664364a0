"""Evidence about a comment's parts that does not depend on class names: what a text looks like
(a byline, a counter, a name), where it sits (the header line before the text) and what markup
vocabularies (microdata, RDFa) say. Used by :mod:`corpsearch.extract.comment_fields`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from lxml.etree import _Element

from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.date_names import weekday_start


@dataclass(frozen=True, slots=True)
class PageContext:
    """What the whole page tells about its comments' dates."""

    default_tz: tzinfo = UTC
    captured_at: datetime | None = None
    month_first: bool | None = None  # None: the page does not say
    page_day: date | None = None  # the article's day: the year of dates shown without one


def prop(el: _Element) -> str | None:
    """The schema.org property an element carries, as microdata (``itemprop="text"``) or as
    RDFa (``property="schema:text"``, ``property="http://schema.org/text"``)."""
    value = el.get("itemprop")
    if value:
        return str(value)
    value = el.get("property")
    if not value:
        return None
    return re.split(r"[:/#]", value.strip().split()[0])[-1] or None


def is_comment_type(el: _Element) -> bool:
    """``itemtype=".../Comment"`` or RDFa ``typeof="schema:Comment"``."""
    for attr in ("itemtype", "typeof"):
        value = (el.get(attr) or "").strip().rstrip("/")
        if value and re.split(r"[:/#]", value.split()[0])[-1].lower() == "comment":
            return True
    return False


# "12 Fans", "3 points", "1.204 Kommentare", "level 1": a counter or a level, not a name
_COUNTER = re.compile(r"^(?:\d[\d.,]*\s*[^\W\d_]+\.?|(?:level|lvl|rang|rank)\s*\d+)$", re.I)


def is_counter(text: str) -> bool:
    return bool(_COUNTER.match(text.strip()))


# a byline before a date: "geschrieben von NAME am", "Comment by NAME —", "posted by NAME on"
_BYLINE = re.compile(
    r"(?:^|[\s(\[|])(?:by|von|par|por|di|da|door|af|przez|de)\s+"
    r"(?P<name>[^\s].{0,60}?)\s*(?:\b(?:am|on|at|le|el|il|op|em|den|um|às|a las|the)\b|[,—–|·-])?\s*$",
    re.IGNORECASE,
)


def byline_name(text: str) -> str | None:
    """The name in a prose line that introduces a comment's author and then its date
    ("geschrieben von berg2012 am 21. Jan. 2015", "Comment by Mirko Lange — 17.07, 2011");
    None when the line has no date or no "by" word before it."""
    text = " ".join(text.split())
    span = find_date_span(text)
    if span is None or span[0] == 0:
        return None
    m = _BYLINE.search(text[: weekday_start(text, span[0])])  # "on Tue, 03/02/2021"
    if not m:
        return None
    name = m.group("name").strip(" ,:;—–|·-")
    if not name or len(name.split()) > 5 or any(ch.isdigit() for ch in name[:1]):
        return None
    return name


_TITLE_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])


def header_region(elements: list[_Element], text_el: _Element | None) -> list[_Element]:
    """The elements before a comment's text: up to the text element, or up to the first block
    that reads like running text (a paragraph of more than 120 characters, or a second short
    paragraph after a short first line)."""
    region: list[_Element] = []
    short_blocks = 0
    for el in elements:
        if el is text_el:
            break
        if el.tag in ("p", "blockquote", "pre"):
            size = len(" ".join("".join(el.itertext()).split()))
            if size > 120 or short_blocks >= 1:
                break
            short_blocks += 1
        region.append(el)
    return region


def is_title(el: _Element) -> bool:
    """A heading inside a comment is the comment's title (or its author line), never its text."""
    return el.tag in _TITLE_TAGS and len(" ".join("".join(el.itertext()).split())) <= 150
