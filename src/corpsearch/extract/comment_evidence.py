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
from corpsearch.extract.comment_markup import SAYS_WORDS
from corpsearch.extract.date_names import weekday_start


@dataclass(frozen=True, slots=True)
class PageContext:
    """What the whole page tells about its comments' dates."""

    default_tz: tzinfo = UTC
    captured_at: datetime | None = None
    month_first: bool | None = None  # None: the page does not say
    page_day: date | None = None  # the article's day: the year of dates shown without one
    # machine values that the comments all carry while showing other dates (a theme printing
    # the post's date in every comment's ``datetime``): no comment's own time
    shared_stamps: frozenset[str] = frozenset()


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


def _type_of(el: _Element) -> str | None:
    """The schema.org type an element declares, as microdata or RDFa, lower case."""
    for attr in ("itemtype", "typeof"):
        value = (el.get(attr) or "").strip().rstrip("/")
        if value:
            return re.split(r"[:/#]", value.split()[0])[-1].lower()
    return None


def is_comment_type(el: _Element) -> bool:
    """``itemtype=".../Comment"`` or RDFa ``typeof="schema:Comment"``."""
    return _type_of(el) == "comment"


# an RDFa relation to the one who wrote (``rel="schema:author"``, ``rel="sioc:has_creator"``);
# a bare ``rel="author"`` is a link's relation, read with the profile links
_RDFA_AUTHOR = re.compile(r"^\S+[:/#](?:author|creator|has_creator)$", re.IGNORECASE)


def is_rdfa_author(el: _Element) -> bool:
    return any(_RDFA_AUTHOR.match(token) for token in (el.get("rel") or "").split())


def person_name(el: _Element, within: _Element) -> bool:
    """Whether ``el`` is the name of a Person: a ``name`` property whose item (the element
    itself or the nearest typed element around it, up to ``within``) is a Person, not the
    Comment whose title also carries ``property="schema:name"``."""
    if prop(el) != "name":
        return False
    node: _Element | None = el
    while node is not None and node is not within:
        if _about_another(node):
            return False
        node = node.getparent()
    node = el
    while node is not None:
        kind = _type_of(node)
        if kind is not None:
            return kind == "person"
        if node is within:
            return False
        node = node.getparent()
    return False


# A line for screen readers ("In reply to TITLE by NAME", Drupal's `visually-hidden` parent
# line) names the comment answered and its author, not this comment's author.
_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:sr-only|screen-reader-text|visually-hidden|hidden)(?:\s|$)")
_REPLY_TO = re.compile(
    r"^\s*(?:in reply to|reply to|replying to|antwort an|antwort auf|en réponse à|"
    r"respuesta a|en respuesta a|in risposta a|als antwoord op)\b",
    re.IGNORECASE,
)


def _about_another(node: _Element) -> bool:
    if _HIDDEN_CLASS.search(node.get("class") or ""):
        return True
    text = node.text or ""
    return node.tag in ("p", "div", "span", "small") and bool(_REPLY_TO.match(text))


# "12 Fans", "3 points", "1.204 Kommentare", "level 1": a counter or a level, not a name
_COUNTER = re.compile(r"^(?:\d[\d.,]*\s*[^\W\d_]+\.?|(?:level|lvl|rang|rank)\s*\d+)$", re.I)
# Chinese, Japanese and Korean write a count's unit right after its digits ("12赞", "3条回复",
# "5楼", "20명"): a count is one of those units, while a name may open with digits too ("913虎")
_CJK_AFTER_DIGITS = re.compile(r"^\d[\d.,]*\s*(?=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af])")
_CJK_UNIT = re.compile(
    r"(?:个|個|条|條|人|次|楼|樓|层|層|位|名|件|篇|则|則|票|分|点|點|赞|讚|贊|粉丝|粉絲|关注|"
    r"關注|评论|評論|回复|回覆|回|帖|贴|万|萬|千|百|岁|歲|级|級|개|명|번|층|점|회|건)"
)


def is_counter(text: str) -> bool:
    text = text.strip()
    digits = _CJK_AFTER_DIGITS.match(text)
    if digits is not None:
        return _CJK_UNIT.match(text, digits.end()) is not None
    return bool(_COUNTER.match(text))


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


# a header line that gives the date first and the author last, bare at its end: "2. Le
# vendredi, 29 décembre 2006, 21:14 par NAME", "On DATE by NAME", "Am DATE von NAME" (Dotclear's
# "N. On DATE, TIME by NAME" in every language it is translated into)
_COUNTER_LEAD = re.compile(r"^\s*#?\d{1,5}[.)]?\s+")
_BY_NAME = re.compile(
    r"^[\s,.]*(?:by|von|par|por|di|da|door|af|przez|de)\s+(?P<name>[^\s,:;].{0,60}?)\s*$",
    re.IGNORECASE,
)


def date_byline_name(text: str) -> str | None:
    """The name at the end of a short line that holds, before it, only a counter, a word
    leading to the date and the date ("N. Le DATE par NAME"); None for any other line (words
    before the date that may be a name or a title, a sentence after it)."""
    text = " ".join(text.split())
    if len(text) > 150:
        return None
    span = find_date_span(text)
    if span is None:
        return None
    before = _COUNTER_LEAD.sub("", text[: weekday_start(text, span[0])], count=1)
    if before.strip() and _DATE_LEAD.fullmatch(before.strip() + " ") is None:
        return None
    m = _BY_NAME.match(text[span[1] :])
    if m is None:
        return None
    name = m.group("name").strip(" .")
    if (
        not name
        or len(name.split()) > 5
        or name[:1].isdigit()
        or re.search(r"[^\W\d_]{3,}[.!?;]\s|[\"“”„«»]", name + " ")
    ):
        return None
    return name


# the words that only lead to a date at the head of a line ("On", "Am", "Le", "El", "Il", "Op",
# "Em", "Dnia"): a preposition, no name
_DATE_LEAD = re.compile(r"(?:on|am|le|el|il|op|em|den|dnia|w dniu)\s+", re.IGNORECASE)
# after the date, the name and then the verb ("…, NAME said:", "…, NAME a dit :"), or the verb
# and then the name ("… schrieb NAME:", "… schreef NAME:")
_NAME_SAID = re.compile(
    rf"^\s*,?\s*(?P<name>[^\s,:;].{{0,60}}?)\s*,?\s+(?:{SAYS_WORDS})\s*(?P<end>:|\.\.\.|…|$)",
    re.IGNORECASE,
)
_SAID_NAME = re.compile(
    rf"^\s*,?\s*(?:{SAYS_WORDS})\s+(?P<name>[^\s,:;].{{0,60}}?)\s*(?P<end>:|$)", re.IGNORECASE
)


def said_name(text: str) -> str | None:
    """The name in a prose line that gives the date first, led only by a preposition, and the
    name after it with a verb of saying: "On DATE, NAME said:", "Am DATE schrieb NAME:", "Le
    DATE, NAME a dit :", "El DATE, NAME dijo:". The line opens the text (a header above the
    words) or ends it (a line after them); None when nothing before the date but its
    preposition, or nothing after it but a name and the verb."""
    text = " ".join(text.split())
    for start in _line_starts(text):
        lead = _DATE_LEAD.match(text, start)
        if lead is None:
            continue
        rest = text[lead.end() : lead.end() + 200]
        span = find_date_span(rest)
        if span is None or weekday_start(rest, span[0]) != 0:
            continue  # words before the date: not a preposition alone
        after = rest[span[1] :]
        m = _NAME_SAID.match(after) or _SAID_NAME.match(after)
        if m is None or (start > 0 and lead.end() + span[1] + m.end() < len(text)):
            continue  # within the words, a line of this shape is the commenter's sentence
        name = m.group("name").strip(" ,")
        if (
            len(name.split()) <= 5
            and not name[:1].isdigit()
            and not re.search(r"[^\W\d_]{3,}[.!?;]\s|[\"“”„«»]", name + " ")
        ):
            return name
    return None


def _line_starts(text: str) -> list[int]:
    """Where a line may begin: the start of the text, and after the end of a sentence."""
    return [0] + [m.end() for m in re.finditer(r"[.!?…”\"»)]\s+", text)]


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
