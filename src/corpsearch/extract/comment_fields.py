"""Reading one comment's fields from its markup: author, time, text, quotes, links, id.

Used by :mod:`corpsearch.extract.comments`; works on lxml elements.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from lxml import etree
from lxml.etree import _Element

from corpsearch.extract.comment_authors import (
    AuthorView,
    holds_running_text,
    read_author,
)
from corpsearch.extract.comment_dates import (
    RELATIVE_TO_CAPTURE,
    DateFound,
    find_date_span,
    parse_visible_date,
)
from corpsearch.extract.comment_evidence import PageContext, is_title, prop
from corpsearch.extract.comment_labels import EXPAND_CONTROL
from corpsearch.extract.comment_lines import strip_header_lines, strip_trailing_footer
from corpsearch.extract.comment_lists import QUOTED_POST
from corpsearch.extract.comment_markup import (
    DIGITS,
    HIDDEN_STYLE,
    ITEM_ID,
    ROLE_AUTHOR,
    ROLE_DATE,
    ROLE_DEBRIS,
    ROLE_DEBRIS_NOT_AUTHOR,
    ROLE_HEADER,
    ROLE_TEXT,
    URL,
    flat_text,
    has_text,
    holds,
    is_hidden,
    longest_words,
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


def _own_iter(node: _Element, stop: set[_Element], shown: _Element | None = None) -> list[_Element]:
    """Descendants of ``node`` in document order, not entering ``stop`` subtrees nor those
    the page never shows (:func:`hidden_box`) but ``shown`` (see :func:`collapsed_box`)."""
    result: list[_Element] = []
    stack = list(reversed(list(node)))
    while stack:
        el = stack.pop()
        if el in stop or not isinstance(el.tag, str) or (el is not shown and hidden_box(el)):
            continue
        result.append(el)
        stack.extend(reversed(list(el)))
    return result


_CONTROLS = ("form", "input", "button", "textarea", "select")


def hidden_box(el: _Element) -> bool:
    """An element of a comment the page never shows: hidden by its style or the ``hidden``
    attribute (a private-message box, "Enviar mensaje a NAME", opened by a click), or kept
    from screen readers while holding form controls (a popup of the commenter's menu). No
    part of the comment's header or text."""
    if is_hidden(el):
        return True
    if el.get("aria-hidden") != "true":
        return False
    return el.tag in _CONTROLS or any(True for _ in el.iterdescendants(*_CONTROLS))


def collapsed_box(node: _Element, stop: set[_Element]) -> _Element | None:
    """The box a comment's page keeps collapsed (a comment below the rating threshold, its
    header shown and its content ``display:none`` until a click): a box hidden by its style
    that holds an element marked as the text (its class or ``itemprop``), and no form
    controls. Read only for a comment that shows nothing but its header: its words are in
    the page all the same."""
    stack = list(reversed(list(node)))
    while stack:
        el = stack.pop()
        if el in stop or not isinstance(el.tag, str):
            continue
        style = el.get("style")
        if style and HIDDEN_STYLE.search(style):
            if not any(True for _ in el.iterdescendants(*_CONTROLS)) and any(
                (roles(d) & ROLE_TEXT or prop(d) in ("text", "commentText")) and has_text(d)
                for d in el.iterdescendants(etree.Element)
                if not any(holds(r, d) for r in stop)
            ):
                return el
            continue
        stack.extend(reversed(list(el)))
    return None


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
        if not any(_is_header_piece(d) or _header_line(d) or _lead_name(d) for d in inner):
            size = len(flat_text(el))
            if size > best_size:
                best, best_size = el, size
    return _inside_title(best, found)


def _inside_title(best: _Element | None, found: list[_Element]) -> _Element | None:
    """The text element inside ``best`` when all that ``best`` adds to it is a short line
    that is no prose: the comment's title or a label above its text (SPIP's
    ``forum-message`` holding the ``forum-chapo`` title and the ``forum-texte``)."""
    if best is None:
        return None
    whole = " ".join(flat_text(best).split())
    for el in found:
        if el is best or best not in el.iterancestors():
            continue
        own = " ".join(flat_text(el).split())
        if not own or own not in whole:
            continue
        extra = " ".join(whole.replace(own, " ", 1).split())
        if not extra or len(extra) > 100 or len(own) <= len(extra):
            continue
        # no prose, or a line wholly in bold ("le Parti … interdit depuis 2014 !!")
        if not _prose(extra) or any(
            _emphasis_only(d) and " ".join(flat_text(d).split()) == extra for d in best.iter()
        ):
            return el
    return best


def _prose(text: str | None) -> bool:
    """Running text: long, or a sentence of five words or more."""
    words = " ".join((text or "").split())
    return len(words) > 80 or (len(words.split()) >= 5 and words[-1:] in (".", "!", "?", "…"))


def _emphasis_only(el: _Element) -> bool:
    """A line wholly in one emphasis element ("<p><em>Your comment is awaiting
    moderation.</em></p>"): the template's notice, not a commenter's paragraph."""
    if el.tag in ("em", "i", "strong", "b", "small"):
        return True
    kids = [c for c in el if isinstance(c.tag, str)]
    return (
        len(kids) == 1
        and kids[0].tag in ("em", "i", "strong", "b", "small")
        and not (el.text or "").strip()
        and not (kids[0].tail or "").strip()
    )


# what a body of paragraphs is made of, and nothing of a header
_BODY_BLOCKS = frozenset(["p", "blockquote", "ul", "ol", "pre", "br", "hr", "img", "figure"])


def _wrapped_text(node: _Element, stop: set[_Element]) -> _Element | None:
    """No element is marked as the text, and a notice in emphasis stands beside a block of
    paragraphs ("<p><em>Your comment is awaiting moderation.</em></p>" before the body
    wrapper of a template whose class names no one listed): that block is the text, when
    nothing else of the comment is prose."""
    children = [c for c in node if isinstance(c.tag, str) and c not in stop]
    wrappers = [
        c
        for c in children
        if c.tag in ("div", "section")
        and len(c)
        and all(not isinstance(k.tag, str) or k.tag in _BODY_BLOCKS for k in c)
        and any(_prose(flat_text(p)) for p in c.iter("p"))
    ]
    if len(wrappers) != 1:
        return None
    wrapper = wrappers[0]
    if any(_is_header_piece(d) for d in wrapper.iter() if d is not wrapper):
        return None
    if _prose(node.text) or any(_prose(c.tail) for c in children):
        return None
    notices = 0
    for child in children:
        if child is wrapper or not _prose(flat_text(child)):
            continue
        if not _emphasis_only(child):
            return None
        notices += 1
    # only where a notice stands beside the body is there anything to keep out of the text
    return wrapper if notices else None


_SUBHEADINGS = frozenset(["h2", "h3", "h4", "h5", "h6"])


def _is_header_piece(el: _Element) -> bool:
    if el.tag in ("time", "cite"):
        return True
    if el.tag in _SUBHEADINGS:
        # a short heading that holds a date ("<h4>NAME <small>Posted DATE</small></h4>") is
        # the comment's header line, whatever its class says, never a part of its text
        line = flat_text(el)
        return len(line) <= 120 and find_date_span(line) is not None
    return bool(roles(el) & ROLE_HEADER) and not holds_running_text(el)


def _header_line(el: _Element) -> bool:
    """A short line holding the author's element and the date's (the name's link and
    "12小时前" side by side): a header, so an element holding it is no text."""
    if len(el) < 2:
        return False
    kids = [c for c in el if isinstance(c.tag, str)]
    if not any(roles(c) & ROLE_AUTHOR for c in kids) or not any(roles(c) & ROLE_DATE for c in kids):
        return False
    return len(flat_text(el)) <= 120


def _lead_name(el: _Element) -> bool:
    """The author's name as the lead of a reply's line ("<span class=name>NAME：</span>text"):
    a short element of the author kind ending in a colon, the header of that line."""
    if not roles(el) & ROLE_AUTHOR:
        return False
    words = flat_text(el)
    return 0 < len(words) <= 60 and words[-1] in ":："


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


# an author read from a labelled field or the markup's own author (see comment_authors)
SURE_AUTHOR = 0.9


@dataclass(slots=True)
class Fields:
    author: str | None
    date: DateFound | None
    text: str
    quotes: tuple[str, ...]
    links: tuple[str, ...]
    # how sure the reading of the author is (comment_authors' evidence); a labelled field or
    # the markup's own author is not overruled by the layout the records share
    author_confidence: float = 0.0
    author_el: _Element | None = None  # the element the author was read from


def read_fields(item: Item, ctx: PageContext) -> Fields:
    """Author, time, text, quotes and links of one comment, from its own markup (its replies
    cut out): which element is the text, which names the author and which dates it is decided
    from evidence (see :mod:`corpsearch.extract.comment_authors` for the author)."""
    fields = _read(item, ctx, None)
    if not fields.text and not fields.quotes:
        box = collapsed_box(item.node, {r.node for r in item.replies})
        if box is not None:
            return _read(item, ctx, box)
    return fields


def _read(item: Item, ctx: PageContext, shown: _Element | None) -> Fields:
    view = _view(item, shown)
    date = _read_date(view, ctx)
    found = read_author(view)
    author = found.name if found is not None else None
    author_el = found.element if found is not None else None
    text, quotes, body_elements, skip = _read_text(view, author_el)
    if view.text_el is None and text:
        text = strip_trailing_footer(strip_header_lines(text, author), date, ctx)
        if date is not None and _dated_by_prose(date, text, ctx):
            # "It's over a week ago since you published this": the commenter's words
            date = None
    confidence = found.confidence if found is not None else 0.0
    links = _links(body_elements, skip, text)
    return Fields(author, date, text, quotes, links, confidence, author_el)


def _view(item: Item, shown: _Element | None = None) -> AuthorView:
    stop = {r.node for r in item.replies}
    elements = _own_iter(item.node, stop, shown)
    text_el = _pick_text(elements)
    if text_el is None:
        text_el = _wrapped_text(item.node, stop)
    outside = elements
    if text_el is not None:
        inside = set(text_el.iter())
        outside = [el for el in elements if el not in inside]
    header_skip: set[_Element] = set(stop)
    if text_el is not None:
        header_skip.add(text_el)
    header_skip.update(el for el in outside if roles(el) & ROLE_DEBRIS_NOT_AUTHOR)
    header_text = " ".join(text_of(item.node, header_skip).split())
    return AuthorView(item.node, elements, outside, text_el, header_text, stop)


def _read_date(view: AuthorView, ctx: PageContext) -> DateFound | None:
    date = pick_date(view.outside, view.header_text, ctx)
    if date is None and view.text_el is not None:
        # a timestamp the template puts inside the text element ("15 seconds ago (7:18 PM)")
        pieces = [el for el in _own_iter(view.text_el, view.stop) if _is_date_piece(el)]
        date = pick_date(pieces, "", ctx) if pieces else None
    if date is None or date.reason == RELATIVE_TO_CAPTURE or date.date_only:
        # "3 days ago" shown, the date itself in the element's title ("April 28, 2024 9:14 am")
        titled = _titled_date(view.outside, ctx)
        if titled is not None and (date is None or _agrees(titled, date, ctx)):
            return titled
    return date


def _titled_date(elements: list[_Element], ctx: PageContext) -> DateFound | None:
    """A full date and time in the ``title`` of a short element of the header (the tooltip
    of a relative or abbreviated time)."""
    for el in elements:
        title = el.get("title")
        if not title or len(title) > 90 or not any(ch.isdigit() for ch in title):
            continue
        if len(flat_text(el)) > 40:
            continue
        found = parse_visible_date(title, ctx.default_tz, None, ctx.month_first)
        if found is not None and found.value is not None and not found.date_only:
            return found
    return None


def _agrees(titled: DateFound, shown: DateFound, ctx: PageContext) -> bool:
    """The tooltip's date is the shown one's: the same day; a relative date ("3 days ago") is
    counted from a capture time that may only be the file's, so its tooltip, an absolute date
    and time, is the better reading of the same moment."""
    if titled.value is None or shown.value is None:
        return shown.value is None
    if shown.date_only and shown.reason != RELATIVE_TO_CAPTURE:
        return titled.value.date() == shown.value.date()
    return True


def _read_text(
    view: AuthorView, author_el: _Element | None
) -> tuple[str, tuple[str, ...], list[_Element], set[_Element]]:
    """The comment's own words (quotes apart), the elements they come from and those left out."""
    skip: set[_Element] = set(view.stop)
    quoted: list[_Element] = []
    text_el = view.text_el
    body_root = text_el if text_el is not None else view.node
    body_elements = _own_iter(body_root, view.stop) if text_el is not None else view.elements
    for el in body_elements:
        if el.tag == "blockquote" or prop(el) == QUOTED_POST:
            quoted.append(el)
            skip.add(el)
        elif (
            roles(el) & ROLE_DEBRIS
            or el.get("aria-hidden") == "true"
            or _is_date_piece(el)
            or (is_title(el) and (text_el is None or _leading_title(el, text_el)))
            or _expand_control(el)
        ):
            skip.add(el)
    label = _aria_label(view.node)
    if label is not None:
        skip.add(label)
    if text_el is None:
        skip.update(el for el in view.elements if el is author_el or _is_header_piece(el))
        if author_el is not None:
            block = _header_block(author_el, view.node, label, view.stop)
            if block is not None:
                skip.add(block)
    text = text_of(body_root, skip)
    outer = [q for q in quoted if not any(o is not q and holds(o, q) for o in quoted)]
    if not text.strip() and len(outer) == 1:
        # nothing of the comment is outside the one blockquote: it is the comment's body
        # (a template's styling, with the date and the reply link inside), not a quote
        skip.discard(outer[0])
        quoted.remove(outer[0])
        text = text_of(body_root, skip)
    if text_el is not None:
        # the earlier posts a reply quotes above its text element (comment_lists marks them)
        quoted += [el for el in view.outside if prop(el) == QUOTED_POST]
    quotes = [q for q in (text_of(el, view.stop) for el in quoted) if q]
    return text, tuple(quotes), body_elements, skip


def _leading_title(el: _Element, text_el: _Element) -> bool:
    """A heading that opens the text element, nothing before it, more words after it: the
    post's title ("Re: …", a forum post's subject), not its text."""
    if el.getparent() is not text_el or (text_el.text or "").strip():
        return False
    after = bool((el.tail or "").strip()) or el.getnext() is not None
    return after and next(text_el.iterchildren(etree.Element), None) is el


def _expand_control(el: _Element) -> bool:
    """An element that only opens the rest of the comment ("<i>rozwiń komentarz</i>", "<a>…
    show more</a>")."""
    if el.tag not in _INLINE_CONTROLS or len(el) > 2:
        return False
    words = flat_text(el)
    return 0 < len(words) <= 40 and EXPAND_CONTROL.match(words) is not None


_INLINE_CONTROLS = frozenset(["a", "span", "i", "em", "b", "strong", "small", "button", "div", "p"])


def _aria_label(node: _Element) -> _Element | None:
    """The element inside the comment that ``aria-labelledby`` names: its label for screen
    readers ("Comment from NAME 5 days ago", hidden from sight), never its words."""
    ident = (node.get("aria-labelledby") or "").split()
    if not ident:
        return None
    for el in node.iter(etree.Element):
        if el.get("id") == ident[0] and el is not node:
            return el
    return None


def _links(body_elements: list[_Element], skip: set[_Element], text: str) -> tuple[str, ...]:
    links: list[str] = []
    for el in body_elements:
        if el.tag == "a" and not any(holds(s, el) for s in skip):
            href = (el.get("href") or "").strip()
            if href.startswith(("http://", "https://")) and href not in links:
                links.append(href)
    for url in URL.findall(text):
        if url not in links:
            links.append(url)
    return tuple(links)


def _dated_by_prose(date: DateFound, text: str, ctx: PageContext) -> bool:
    """A relative date read from the comment's own sentences, not from its header."""
    if date.reason not in (RELATIVE_TO_CAPTURE, "relative date and no capture time"):
        return False
    in_text = parse_visible_date(text[:160], ctx.default_tz, ctx.captured_at, ctx.month_first)
    return in_text is not None and in_text.value == date.value and in_text.reason == date.reason


def _header_block(
    author_el: _Element,
    node: _Element,
    label: _Element | None = None,
    replies: Collection[_Element] = (),
) -> _Element | None:
    """The header line around the author ("NAME Party: X Reply #1 Oct. 9, 2010"): the largest
    ancestor below the comment that holds no paragraph and little text, while the comment has
    text outside it (its screen-reader ``label`` is none)."""
    total = len(flat_text(node)) - (len(flat_text(label)) if label is not None else 0)
    block: _Element | None = None
    words = longest_words(node, replies)
    current = author_el.getparent()
    while current is not None and current is not node:
        size = len(flat_text(current))
        if size > 160 or current.find(".//p") is not None or current.find(".//br") is not None:
            break
        if total - size < 20 or holds(current, words):
            break  # the comment's words are inside: a header line holds none
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
    if span is not None and span[1] - span[0] >= len(text) // 2:
        return True
    # an abbreviated time ("2d", "3h") whose tooltip is the date
    title = el.get("title") or ""
    return len(text) <= 12 and bool(title) and find_date_span(title) is not None
