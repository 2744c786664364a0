"""Candidates regrouped before they are read: a comment's header and the text that follows it
as a sibling wrapped into one record, an item that is only the text giving way to its row,
an empty anchor that marks where a comment starts taking the rows up to the next one, and the
replies of another shape than the comments found in a box named as the replies.

Used by :mod:`corpsearch.extract.comments`.
"""

from __future__ import annotations

import re
from itertools import pairwise

from lxml import etree
from lxml.etree import _Element

from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.comment_evidence import prop
from corpsearch.extract.comment_markup import ROLE_AUTHOR, attr_names, first_class, roles
from corpsearch.extract.comment_records import CLOCK, comment_like
from corpsearch.extract.comment_shapes import is_dated

__all__ = ["gather_bodies", "lift_bodies", "replies_in_boxes", "rows_after_anchors"]


def lift_bodies(found: list[_Element]) -> list[_Element]:
    """Items that are only a comment's text (``p.comment`` beside a header ``div`` naming the
    author and date, SilverStripe's page comments): when each sits alone in a row of a list
    whose rows are dated and hold prose, the row is the comment."""
    where: dict[_Element, list[_Element]] = {}
    for el in found:
        parent = el.getparent()
        if parent is not None and parent.tag not in ("body", "html"):
            where.setdefault(parent, []).append(el)
    items = set(found)
    lifted: dict[_Element, _Element] = {}
    for row, inside in where.items():
        el = inside[0]
        box = row.getparent()
        if len(inside) != 1 or row in items or box is None:
            continue
        rows = [r for r in box if r.tag == row.tag and len(where.get(r, ())) == 1]
        if len(rows) < 2 or _names_author(el) or comment_like(el) or not comment_like(row):
            continue
        lifted[el] = row
    return [lifted.get(el, el) for el in found]


def _names_author(el: _Element) -> bool:
    return any(
        roles(d) & ROLE_AUTHOR or prop(d) in ("author", "creator") for d in el.iter(etree.Element)
    )


def _dd_group(dt: _Element, items: set[_Element], seen: set[_Element]) -> list[_Element]:
    """The ``dd`` siblings after ``dt`` up to the next ``dt``, none of them an item: what the
    term's description list says of it (Blogger's text ``dd`` and footer ``dd``)."""
    group: list[_Element] = []
    nxt = dt.getnext()
    while nxt is not None and (not isinstance(nxt.tag, str) or nxt.tag == "dd"):
        if isinstance(nxt.tag, str):
            if nxt in items or nxt in seen:
                return []
            group.append(nxt)
        nxt = nxt.getnext()
    return group


def gather_bodies(found: list[_Element], seen: set[_Element]) -> list[_Element]:
    """Items that are only a comment's header (a name and a date, no text) whose text follows
    as the next sibling, itself no item, undated and longer than the header (a header ``div``
    and a text ``div`` named in words we do not know): each header and its text are wrapped
    into one element, which becomes the item, where two or more items of one list show it. A
    ``dt`` takes the ``dd`` elements after it, which belong to it, when together they are
    dated and hold prose (Blogger's name ``dt``, text ``dd`` and date ``dd``)."""
    items = set(found)
    pairs: dict[_Element, list[_Element]] = {}
    for el in found:
        if el.getparent() is None:
            continue
        if el.tag == "dt":
            group = _dd_group(el, items, seen)
            head = " ".join("".join(el.itertext()).split())
            if group and len(head) <= 150 and comment_like(el.getparent(), _others(el, group)):
                pairs[el] = group
            continue
        nxt = el.getnext()
        while nxt is not None and not isinstance(nxt.tag, str):
            nxt = nxt.getnext()
        if nxt is None or nxt in items or nxt in seen:
            continue
        head = " ".join("".join(el.itertext()).split())
        text = " ".join("".join(nxt.itertext()).split())
        if not head or len(head) > 150 or len(text) <= len(head):
            continue
        if not is_dated(el) and find_date_span(head) is None and CLOCK.search(head) is None:
            continue
        if nxt.find(".//form") is not None or is_dated(nxt) or find_date_span(text[:100]):
            continue
        if any(d in items for d in nxt.iter()) or not re.search(r"[^\W\d_]{2,}\s+\S+", text):
            continue
        pairs[el] = [nxt]
    by_parent: dict[_Element | None, int] = {}
    for el in pairs:
        by_parent[el.getparent()] = by_parent.get(el.getparent(), 0) + 1
    out: list[_Element] = []
    for el in found:
        body = pairs.get(el)
        if body is None or (by_parent[el.getparent()] < 2 and el.tag != "dt"):
            out.append(el)
            continue
        wrapper = etree.Element("div")
        el.addprevious(wrapper)
        wrapper.tail, body[-1].tail = body[-1].tail, None
        wrapper.append(el)
        for part in body:
            wrapper.append(part)
        if el.tag != "dt" and body[0].get("itemprop") is None:
            # the pair says which part is the text (a body in a ``blockquote`` is then no
            # quote): marked as schema.org would mark it
            body[0].set("itemprop", "text")
        seen.add(wrapper)
        out.append(wrapper)
    return out


def _others(dt: _Element, group: list[_Element]) -> frozenset[_Element]:
    """The children of ``dt``'s list other than ``dt`` and its ``dd`` group."""
    parent = dt.getparent()
    keep = {dt, *group}
    return frozenset(c for c in (parent if parent is not None else []) if c not in keep)


# a box of replies, in the plural (the singular names a reply itself)
_REPLIES_BOX = re.compile(
    r"replies|repl(?:y|ies)[-_]?(?:list|container|wrap)|children|antworten|respuestas|risposte|"
    r"r[ée]ponses",
    re.IGNORECASE,
)


def replies_in_boxes(items: list[_Element]) -> tuple[list[_Element], set[_Element]]:
    """Replies of another shape than the comments: inside a comment found by its markup, a box
    named as its replies ("gsc-replies", "children") whose children are dated and hold prose
    while the comment keeps a date and prose of its own outside the box. The replies to add,
    and the boxes they were found in (what else was taken in them gives way to them)."""
    known = set(items)
    found: list[_Element] = []
    boxes: set[_Element] = set()
    for el in items:
        if el in boxes:
            continue
        for box in el.iter(etree.Element):
            if box is el or not any(_REPLIES_BOX.search(n) for n in attr_names(box)):
                continue
            if any(d in known and _same_template(d, el) for d in box.iter(el.tag)):
                # its replies are found already: the comment's own template repeated, maybe
                # with other classes after the first (LiquidThreads' "lqt-thread-reply")
                continue
            kids = [c for c in box.iterchildren(etree.Element) if comment_like(c)]
            if not kids or not comment_like(el, frozenset([box])):
                continue
            boxes.add(box)
            found.extend(k for k in kids if k not in known)
            known.update(kids)
    return found, boxes


def _same_template(a: _Element, b: _Element) -> bool:
    """One tag and one first class (the others may differ: a reply's own class), or one
    class attribute where there is no class."""
    if a.tag != b.tag:
        return False
    first = first_class(b)
    return first_class(a) == first if first else a.get("class") == b.get("class")


def rows_after_anchors(found: list[_Element], seen: set[_Element]) -> list[_Element]:
    """Empty anchors named as comments (``<a id="comment212"></a>``) that mark where each
    comment starts in a run of siblings no element of its own holds (XOOPS prints a comment as
    three rows of one table: name and date, poster and text, reply link): the anchors' rows,
    the children of the box holding them all, each take the siblings up to the next anchor's
    row (the last one as many as the others took) and are wrapped into one element, which
    becomes the item, where two or more such runs are dated and hold prose and hold no other
    item. The anchors stay as they are otherwise."""
    empty = [el for el in found if len(el) == 0 and not (el.text or "").strip()]
    if len(empty) < 2:
        return found
    box = _holder(empty)
    if box is None or box.tag in ("body", "html"):
        return found
    kids = [c for c in box.iterchildren(etree.Element)]
    rows: list[_Element] = []
    for anchor in empty:
        node = anchor
        while node.getparent() is not box:
            node = node.getparent()
        rows.append(node)
    starts = [kids.index(r) for r in rows]
    if len(set(starts)) != len(starts) or starts != sorted(starts):
        return found
    spans = [b - a for a, b in pairwise(starts)]
    # the last run: as long as the others when they are all one length, else up to the end
    last = spans[0] if len(set(spans)) == 1 else len(kids) - starts[-1]
    others = set(found) - set(empty)
    wrapped: dict[_Element, _Element] = {}
    for anchor, start, span in zip(empty, starts, [*spans, last], strict=True):
        run = kids[start : start + span]
        if any(d in others for el in run for d in el.iter()):
            continue  # the comment has an element of its own, found already
        if any(el.find(".//form") is not None or el.tag == "form" for el in run):
            continue
        wrapper = etree.Element("div")
        run[0].addprevious(wrapper)
        for el in run:
            wrapper.append(el)
        if comment_like(wrapper):
            wrapped[anchor] = wrapper
        else:
            _unwrap(wrapper)
    if len(wrapped) < 2:
        for wrapper in wrapped.values():
            _unwrap(wrapper)
        return found
    seen.update(wrapped.values())
    return [wrapped.get(el, el) for el in found]


def _holder(els: list[_Element]) -> _Element | None:
    """The lowest element holding all of ``els``."""
    chain = list(els[0].iterancestors())
    for el in els[1:]:
        ancestors = set(el.iterancestors())
        chain = [a for a in chain if a in ancestors]
    return chain[0] if chain else None


def _unwrap(wrapper: _Element) -> None:
    for el in list(wrapper):
        wrapper.addprevious(el)
    parent = wrapper.getparent()
    if parent is not None:
        parent.remove(wrapper)
