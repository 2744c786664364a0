"""Comment records found by their shape, as in data-record mining: a comment template repeats one
subtree per comment, so an element of the comment section whose children are named like the
children of the comments already found is a comment too, whatever its own class says (replies in
``article_comment_answer`` boxes next to ``article_comment_item`` ones); and a comment whose
header and body are sibling elements, each taken for an item, joined into one.

Used by :mod:`corpsearch.extract.comments`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml.etree import _Element

from corpsearch.extract.comment_fields import Fields, Item

_PART = re.compile(r"[^\W\d_]{2,}")
_MIN_PARTS = 4  # a shape of fewer words says too little to match on
_MIN_SIMILARITY = 0.6


def shape(el: _Element) -> frozenset[str]:
    """The words of the class names of an element's children ("comment_author_pic" gives
    comment, author, pic)."""
    words: set[str] = set()
    for child in el:
        if isinstance(child.tag, str):
            words.update(w.lower() for w in _PART.findall(child.get("class") or ""))
    return frozenset(words)


def _section(items: list[_Element]) -> _Element | None:
    """The smallest element holding every item (for one item, its parent's parent)."""
    if len(items) == 1:
        parent = items[0].getparent()
        return parent.getparent() if parent is not None else None
    chain: list[_Element] = []
    node: _Element | None = items[0]
    while node is not None:
        chain.append(node)
        node = node.getparent()
    common = set(chain)
    for item in items[1:]:
        node = item
        while node is not None and node not in common:
            node = node.getparent()
        if node is None:
            return None
        # keep only the ancestors from this one up
        index = chain.index(node)
        chain = chain[index:]
        common = set(chain)
    return chain[0] if chain else None


def similar_records(items: Iterable[_Element]) -> list[_Element]:
    """Elements of the comment section shaped like the items, neither holding one nor inside
    one, with text; in document order."""
    found = list(items)
    if not found:
        return []
    section = _section(found)
    if section is None or section.tag in ("body", "html"):
        return []
    shapes = {s for s in (shape(el) for el in found) if len(s) >= _MIN_PARTS}
    if not shapes:
        return []
    tags = {el.tag for el in found}
    known = set(found)
    around: set[_Element] = set()  # the items' ancestors and descendants
    for el in found:
        around.update(el.iter())
        node = el.getparent()
        while node is not None and node not in around:
            around.add(node)
            node = node.getparent()
    result: list[_Element] = []
    for el in section.iter(*tags):
        if el in known or el in around:
            continue
        own = shape(el)
        if len(own) < _MIN_PARTS:
            continue
        similar = any(len(own & s) / len(own | s) >= _MIN_SIMILARITY for s in shapes)
        if similar and "".join(el.itertext()).strip():
            result.append(el)
            around.update(el.iter())
    return result


def join_split_items(flat: list[Item], fields: dict[int, Fields]) -> list[Item]:
    """A comment whose header (author, time, no text) and body (text, neither author nor time)
    are sibling elements, each taken for an item (``dt``/``dd`` pairs, a header ``div`` and a body
    ``div``): one comment, the header's fields with the body's text, the body's replies its own."""
    out: list[Item] = []
    skip: set[int] = set()
    for i, it in enumerate(flat):
        if id(it) in skip:
            continue
        head = fields[id(it)]
        nxt = flat[i + 1] if i + 1 < len(flat) else None
        if (
            nxt is not None
            and nxt.node.getprevious() is it.node
            and not head.text
            and (head.author is not None or head.date is not None)
        ):
            body = fields[id(nxt)]
            if body.text and body.author is None and (body.date is None or body.date.value is None):
                fields[id(it)] = Fields(head.author, head.date, body.text, body.quotes, body.links)
                it.replies.extend(nxt.replies)
                for reply in nxt.replies:
                    reply.parent = it
                skip.add(id(nxt))
        out.append(it)
    return out
