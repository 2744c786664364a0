"""Reading one comment's fields from its markup: author, time, text, quotes, links, id.

Used by :mod:`corpsearch.extract.comments`; works on lxml elements.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lxml.etree import _Element

from corpsearch.extract.comment_dates import (
    RELATIVE_TO_CAPTURE,
    DateFound,
    find_date_span,
    parse_visible_date,
)
from corpsearch.extract.comment_evidence import (
    PageContext,
    byline_name,
    header_region,
    is_counter,
    is_title,
    prop,
)
from corpsearch.extract.comment_markup import (
    DEBRIS_LINE,
    DIGITS,
    ITEM_ID,
    LEAD,
    PROFILE_HREF,
    ROLE_AUTHOR,
    ROLE_DATE,
    ROLE_DEBRIS,
    ROLE_DEBRIS_NOT_AUTHOR,
    ROLE_HEADER,
    ROLE_TEXT,
    SAYS,
    URL,
    flat_text,
    roles,
    text_of,
)
from corpsearch.extract.comment_times import pick_date


@dataclass(slots=True)
class Item:
    node: _Element
    parts: list[_Element]
    replies: list[Item]
    parent: Item | None = None


def _own_iter(node: _Element, stop: set[_Element]) -> list[_Element]:
    """Descendants of ``node`` in document order, not entering ``stop`` subtrees."""
    result: list[_Element] = []
    stack = list(reversed(list(node)))
    while stack:
        el = stack.pop()
        if el in stop or not isinstance(el.tag, str):
            continue
        result.append(el)
        stack.extend(reversed(list(el)))
    return result


def _pick_text(elements: list[_Element]) -> _Element | None:
    for el in elements:
        # marked as the text but wrapping the author too (itemprop="author" inside): the mark
        # is wrong; the comment is read as if it had none
        if prop(el) in ("text", "commentText", "articleBody", "description") and not any(
            prop(d) in ("author", "creator") for d in el.iter() if d is not el
        ):
            return el
    found: list[_Element] = []
    for el in elements:
        if roles(el) & ROLE_TEXT:
            found.append(el)
    if not found:
        return None
    # one without author/date/header pieces inside; of those the one holding the most text
    # (outermost first on a tie), so a notice marked as text ("…_opt_out_text") loses to the body
    best: _Element | None = None
    best_size = -1
    for el in found:
        inner = [d for d in el.iter() if isinstance(d.tag, str) and d is not el]
        if not any(_is_header_piece(d) for d in inner):
            size = len(flat_text(el))
            if size > best_size:
                best, best_size = el, size
    return best


def _is_header_piece(el: _Element) -> bool:
    if el.tag in ("time", "cite"):
        return True
    return bool(roles(el) & ROLE_HEADER) and not _holds_running_text(el)


def _holds_running_text(el: _Element) -> bool:
    """A wrapper that holds a whole comment: a class naming the comment's author
    (``bypostauthor``, ``comment-author-NAME``) on it does not make it a header."""
    for d in el.iter("p", "blockquote"):
        words = flat_text(d)
        # a paragraph of prose: long, or a sentence that is no "Submitted by NAME on DATE" line
        if len(words) > 80 or (
            len(words.split()) >= 5 and words[-1] in ".!?…" and find_date_span(words) is None
        ):
            return True
    return len(flat_text(el)) > 300


def _pick_author(elements: list[_Element]) -> list[_Element]:
    """Elements that may hold the author's name, most likely first."""
    result: list[_Element] = []
    for el in elements:
        if prop(el) in ("author", "creator"):
            for d in el.iter():
                if prop(d) == "name":
                    result.append(d)
            result.append(el)
    matches: list[_Element] = []
    for el in elements:
        if roles(el) & ROLE_AUTHOR and flat_text(el) and not _holds_running_text(el):
            matches.append(el)
    for i, first in enumerate(matches):
        inner = [m for m in matches[i + 1 :] if _contains(first, m)]
        result.extend(inner)
        result.append(first)
    for el in elements:
        if el.tag == "cite" and flat_text(el):
            result.append(el)
    return result


def _contains(outer: _Element, inner: _Element) -> bool:
    node: _Element | None = inner.getparent()
    while node is not None:
        if node is outer:
            return True
        node = node.getparent()
    return False


def _clean_author(raw: str) -> str | None:
    text = " ".join(unicodedata.normalize("NFC", raw.replace("\xa0", " ")).split())
    if len(text) > 160:  # a name with its date and "says:" is never this long
        return None
    span = find_date_span(text)
    if span:
        text = (text[: span[0]] + " " + text[span[1] :]).strip(" ,·|-–—")
        text = " ".join(text.split())
    text = SAYS.sub("", text)
    text = LEAD.sub("", text).strip()
    text = _NOT_VERIFIED.sub("", text)
    text = re.sub(r"\s*[:·|]\s*$", "", text).strip()
    text = re.sub(r"^(?:at|um|à|a las|alle|kl\.?|om|às|o)\s+", "", text, flags=re.I)
    for weekday in (_WEEKDAY, _WEEKDAY_SHORT):
        text, cut = weekday.subn("", text)
        if cut:  # the separator before the weekday goes with it; a name's own comma stays
            text = text.strip(" ,")
    text = re.sub(r"\s+(?:on|at|am|um|le|el|il|op|em|den|w|o|le)$", "", text, flags=re.IGNORECASE)
    if not text or len(text) > 80 or DEBRIS_LINE.match(text) or _COMMENT_WORD.search(text):
        return None
    if is_counter(text) or re.fullmatch(r"[\d\s:.,/@-]+", text):
        return None
    return text


_WEEKDAY = re.compile(
    r"[\s,]+(?:mon|tues|wednes|thurs|fri|satur|sun)day$|[\s,]+(?:montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|"
    r"miércoles|jueves|viernes|sábado|domingo|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|"
    r"mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|maandag|dinsdag|woensdag|donderdag|"
    r"vrijdag|zaterdag|zondag)$",
    re.IGNORECASE,
)


# "NAME | Di", "NAME, Mon.": an abbreviated weekday glued on after a separator
_WEEKDAY_SHORT = re.compile(
    r"\s*[,|·/]\s*(?:mo|di|mi|do|fr|sa|so|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|lun|mar|mer|"
    r"jeu|ven|sam|dim|mié|jue|vie|sáb|dom|gio|lu|ma|me|je|ve)\.?$",
    re.IGNORECASE,
)


_COMMENT_WORD = re.compile(
    r"\b(?:comments?|kommentare?|commentaires?|comentarios?|commenti|commento|reacties|komentarz[ey]?|"
    r"conversation|discussion|diskussion|discusión|discussione|"
    r"responses?|repl(?:y|ies)|antworten|respuestas|répondre|réponses?|responder|rispondi)\b",
    re.IGNORECASE,
)


_NOT_VERIFIED = re.compile(
    r"\s*\((?:not verified|unverified|nicht überprüft|nicht verifiziert|non vérifié|no verificado|"
    r"non verificato|niet geverifieerd)\)$",
    re.IGNORECASE,
)


def platform_id(item: Item) -> str | None:
    ids: list[str] = [str(el.get("id")) for el in [item.node, *item.parts] if el.get("id")]
    for ident in ids:
        if ident and ITEM_ID.match(ident):
            return re.sub(r"^(?:li|div)[-_]", "", ident)
    for ident in ids:
        if ident and DIGITS.search(ident):
            return ident
    for el in [item.node, *item.parts]:
        for attr in ("data-comment-id", "data-post-id", "data-id"):
            value = el.get(attr)
            if value:
                return str(value)
    # an id on a header inside the item (wrapped dt/dd groups, anchors)
    for el in _own_iter(item.node, {r.node for r in item.replies}):
        ident = el.get("id") or el.get("name")
        if ident and ITEM_ID.match(ident):
            return str(ident)
    return None


@dataclass(slots=True)
class Fields:
    author: str | None
    date: DateFound | None
    text: str
    quotes: tuple[str, ...]
    links: tuple[str, ...]


def read_fields(item: Item, ctx: PageContext) -> Fields:
    stop = {r.node for r in item.replies}
    elements = _own_iter(item.node, stop)
    text_el = _pick_text(elements)
    outside = elements
    if text_el is not None:
        inside = set(text_el.iter())
        outside = [el for el in elements if el not in inside]
    author_els = _pick_author(outside)
    header_skip: set[_Element] = set(stop)
    if text_el is not None:
        header_skip.add(text_el)
    for el in outside:
        if roles(el) & ROLE_DEBRIS_NOT_AUTHOR:
            header_skip.add(el)
    header_text = " ".join(text_of(item.node, header_skip).split())
    date = pick_date(outside, header_text, ctx)
    if date is None and text_el is not None:
        # a timestamp the template puts inside the text element ("15 seconds ago (7:18 PM)")
        pieces = [el for el in _own_iter(text_el, stop) if _is_date_piece(el)]
        date = pick_date(pieces, "", ctx) if pieces else None

    author: str | None = None
    author_el: _Element | None = None
    for el in author_els:
        skip_in_author = {
            d for d in el.iter() if d.tag == "time" or (d is not el and is_counter(flat_text(d)))
        }
        author = _clean_author(text_of(el, skip_in_author))
        link = _name_link(el)
        if link is not None and author is not None and author != link[0]:
            author = link[0]  # the name is the link; the rest is a bio, a badge, a label
        if author:
            author_el = el
            break
    if author is None:
        # a prose byline: "geschrieben von NAME am DATE", "Comment by NAME — DATE"
        for line in [flat_text(el) for el in outside if roles(el) & (ROLE_DATE | ROLE_HEADER)]:
            named = byline_name(line)
            author = _clean_author(named) if named else None
            if author:
                break
        if author is None and header_text:
            named = byline_name(header_text[:200])
            author = _clean_author(named) if named else None
    if author is None:
        for el in outside:
            if el.tag == "a" and PROFILE_HREF.search(el.get("href") or "") and flat_text(el):
                author = _clean_author(flat_text(el))
                if author:
                    author_el = el
                    break
    if author is None:
        author, author_el = _header_link_author(item.node, elements, text_el)
    if author is None:
        for el in outside:
            if el.tag in ("strong", "b", "h2", "h3", "h4", "h5", "h6") and flat_text(el):
                author = _clean_author(flat_text(el))
                if author:
                    break
    if author is None and header_text:
        candidate = _clean_author(header_text)
        # a short line is a name only when the comment holds more than that line
        whole = " ".join(text_of(item.node, stop).split())
        if candidate and len(candidate.split()) <= 5 and _clean_author(whole) != candidate:
            author = candidate

    # text
    skip: set[_Element] = set(stop)
    quotes: list[str] = []
    body_root = text_el if text_el is not None else item.node
    body_elements = _own_iter(body_root, stop) if text_el is not None else elements
    for el in body_elements:
        if el.tag == "blockquote":
            q = text_of(el, stop)
            if q:
                quotes.append(q)
            skip.add(el)
        elif (
            roles(el) & ROLE_DEBRIS
            or el.get("aria-hidden") == "true"
            or _is_date_piece(el)
            or (text_el is None and is_title(el))
        ):
            skip.add(el)
    if text_el is None:
        for el in elements:
            if el is author_el or _is_header_piece(el):
                skip.add(el)
        if author_el is not None:
            block = _header_block(author_el, item.node)
            if block is not None:
                skip.add(block)
    text = text_of(body_root, skip)
    if text_el is None and text:
        text = _strip_header_lines(text, author)
        if date is not None and _dated_by_prose(date, text, ctx):
            # "It's over a week ago since you published this": the commenter's words
            date = None
    links: list[str] = []
    for el in body_elements:
        if el.tag == "a" and not any(_contains(s, el) or s is el for s in skip):
            href = (el.get("href") or "").strip()
            if href.startswith(("http://", "https://")) and href not in links:
                links.append(href)
    for url in URL.findall(text):
        if url not in links:
            links.append(url)
    return Fields(author, date, text, tuple(quotes), tuple(links))


def _dated_by_prose(date: DateFound, text: str, ctx: PageContext) -> bool:
    """A relative date read from the comment's own sentences, not from its header."""
    if date.reason not in (RELATIVE_TO_CAPTURE, "relative date and no capture time"):
        return False
    in_text = parse_visible_date(text[:160], ctx.default_tz, ctx.captured_at, ctx.month_first)
    return in_text is not None and in_text.value == date.value and in_text.reason == date.reason


def _name_link(el: _Element) -> tuple[str, _Element] | None:
    """The one link inside an author element whose text is a name, when the element holds more
    than the name (a bio line, a fan counter, a role label)."""
    links = [a for a in el.iter("a") if flat_text(a) and not is_counter(flat_text(a))]
    if len(links) != 1:
        return None
    label = flat_text(links[0])
    if find_date_span(label) is not None:
        return None
    name = _clean_author(label)
    rest = flat_text(el).replace(label, " ", 1)
    rest = SAYS.sub("", " ".join(rest.split())).strip(" :,|·-")
    if name is None or len(rest.split()) < 3:
        return None
    return name, links[0]


def _header_block(author_el: _Element, node: _Element) -> _Element | None:
    """The header line around the author ("NAME Party: X Reply #1 Oct. 9, 2010"): the largest
    ancestor below the comment that holds no paragraph and little text, while the comment has
    text outside it."""
    total = len(flat_text(node))
    block: _Element | None = None
    current = author_el.getparent()
    while current is not None and current is not node:
        size = len(flat_text(current))
        if size > 160 or current.find(".//p") is not None or current.find(".//br") is not None:
            break
        if total - size < 20:
            break
        block = current
        current = current.getparent()
    return block


def _is_date_piece(el: _Element) -> bool:
    """A timestamp inside the comment's text element ("15 seconds ago (7:18 PM)")."""
    if el.tag != "time" and not roles(el) & ROLE_DATE:
        return False
    text = flat_text(el)
    if not text or len(text) > 60:
        return False
    span = find_date_span(text)
    return span is not None and span[1] - span[0] >= len(text) // 2


def _header_link_author(
    node: _Element, elements: list[_Element], text_el: _Element | None
) -> tuple[str | None, _Element | None]:
    """A plain link in the header line before the text ("<a class=url>NAME</a> 1 year"): the
    author, with the header line itself to keep out of the text."""
    region = header_region(elements, text_el)
    for el in region:
        if el.tag != "a" or roles(el) & ROLE_DEBRIS_NOT_AUTHOR:
            continue
        href = (el.get("href") or "").strip()
        label = flat_text(el)
        if not label or href.startswith(("#", "javascript:")) or "#comment" in href:
            continue
        if find_date_span(label) is not None:
            continue
        author = _clean_author(label)
        if not author:
            continue
        line = el.getparent()
        while line is not None and line is not node and line.tag in ("span", "strong", "b", "em"):
            line = line.getparent()
        if line is not None and line is not node and len(flat_text(line)) <= 120:
            return author, line
        return author, el
    # no link: the words before the permalink on the header line ("mxa <a href=#comment-1>1
    # year</a>")
    for el in region:
        href = el.get("href") or "" if el.tag == "a" else ""
        line = el.getparent()
        if "#comment" not in href or line is None or line is node or len(flat_text(line)) > 120:
            continue
        before = (line.text or "") + "".join(
            text_of(c, set()) + (c.tail or "") for c in line if c is not el and _precedes(c, el)
        )
        author = _clean_author(before) if before.strip() else None
        if author and len(author.split()) <= 5:
            return author, line
    return None, None


def _precedes(a: _Element, b: _Element) -> bool:
    parent = a.getparent()
    return parent is not None and parent is b.getparent() and parent.index(a) < parent.index(b)


# what is left of a header line whose name and date went elsewhere ("•", "|", "—")
_SEPARATORS = re.compile(r"[\s•·|/,:;*\-–—]+")


def _strip_header_lines(text: str, author: str | None) -> str:
    paragraphs = text.split("\n\n")
    kept: list[str] = []
    for para in paragraphs:
        lines = []
        for line in para.split("\n"):
            if len(line) > 120:
                lines.append(line)
                continue
            bare = SAYS.sub("", line).strip()
            if not bare or (author and bare == author) or _SEPARATORS.fullmatch(bare):
                continue
            span = find_date_span(bare)
            if span and span[1] - span[0] >= len(bare) - 4:
                continue
            lines.append(line)
        if lines:
            kept.append("\n".join(lines))
    return "\n\n".join(kept)
