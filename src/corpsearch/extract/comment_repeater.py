"""Comments whose parts, not the comments, carry the comment word: a server-side repeater
(ASP.NET's ``Repeater``/``DataList``, a JSF table) renders each comment as one element whose
id holds the repeater's running number (``ctl00_…_lstComment_ctrl0_tblOdd``,
``…_ctrl1_tblEven``, ``comments:2:row``), while the name link, the date and the text inside it
are each classed just ``comment``, so each is found as an item of its own and none is a
whole comment.

Each item is taken up to the nearest element around it whose id a sibling of the same tag
shares but for a different number at one place (the repeater's running number: evidence
that the siblings are records of one list). The items that element holds are the parts of
one comment where they are two or more, none inside another, and told apart by what they
hold: one of them holds the prose and no date of its own (the text), the others are short
(a name, a date, a counter). Where two or more records are so, each replaces its parts among
the items.

Used by :mod:`corpsearch.extract.comment_items`.
"""

from __future__ import annotations

import re

from lxml.etree import _Element

from corpsearch.extract.comment_markup import flat_text, holds
from corpsearch.extract.comment_records import PROSE, comment_like

__all__ = ["records_of_repeaters"]

_NUMBER = re.compile(r"\d+")
_MAX_UP = 8  # levels from a part up to its record
_MAX_PART = 100  # characters: a name, a date, a counter


def _running_number(el: _Element, cache: dict[_Element, bool]) -> bool:
    """``el``'s id and a sibling's of the same tag alike up to a number that differs."""
    if el not in cache:
        cache[el] = _numbered_like_a_sibling(el)
    return cache[el]


def _numbered_like_a_sibling(el: _Element) -> bool:
    ident = el.get("id")
    parent = el.getparent()
    if not ident or parent is None:
        return False
    siblings = [
        other for sib in parent.iterchildren(el.tag) if sib is not el and (other := sib.get("id"))
    ]
    if not siblings:
        return False
    for match in _NUMBER.finditer(ident):
        prefix = ident[: match.start()]
        if not prefix:
            continue
        number = int(match.group())
        for other in siblings:
            if other.startswith(prefix):
                theirs = _NUMBER.match(other, len(prefix))
                if theirs is not None and int(theirs.group()) != number:
                    return True
    return False


def _parts_of_one(parts: list[_Element]) -> bool:
    """Two or more parts, none inside another: one the text (prose, no date of its own),
    the others short."""
    if len(parts) < 2:
        return False
    if any(a is not b and holds(a, b) for a in parts for b in parts):
        return False
    texts = [p for p in parts if PROSE.search(flat_text(p))]
    if len(texts) != 1 or comment_like(texts[0]):
        return False
    return all(0 < len(flat_text(p)) <= _MAX_PART for p in parts if p is not texts[0])


def records_of_repeaters(found: list[_Element], seen: set[_Element]) -> list[_Element]:
    """``found`` with the parts of each comment of a repeater replaced by its record, as
    described above; the records are added to ``seen``."""
    found_set = set(found)
    groups: dict[_Element, list[_Element]] = {}
    cache: dict[_Element, bool] = {}
    for item in found:
        node = item.getparent()
        for _ in range(_MAX_UP):
            if node is None or node.tag in ("body", "html") or node in found_set:
                break
            if _running_number(node, cache):
                groups.setdefault(node, []).append(item)
                break
            node = node.getparent()
    records = {record: parts for record, parts in groups.items() if _parts_of_one(parts)}
    if len(records) < 2:
        return found
    first = {parts[0]: record for record, parts in records.items()}
    parts = {p for group in records.values() for p in group}
    seen.update(records)
    return [first.get(el, el) for el in found if el in first or el not in parts]
