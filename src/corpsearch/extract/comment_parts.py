"""Comments known only by their parts: a template (or a converter that dropped its item
elements) whose header and text elements are named as a comment's (``comment-header`` with the
name, ``comment-message`` with the text) while nothing around them names a comment, and no
date is shown that the miners of records by shape could go by.

Each header part is taken with the lowest element around it that also holds a text part: where
that element holds no other header (a bare ``li`` per comment) it is the record; where it holds
the headers of several comments (the parts of every comment side by side in one box) each
header with the parts that follow it as its siblings is one record, wrapped into an element of
its own. Two or more records are asked for, each with a short header that shows a name and a
text part holding a sentence, no form and no ``h1``: a lone pair of parts, or parts left empty
by a template that shows no comment, is none.

Where only the text part is named (``p.commentText`` under a bare ``strong`` NAME and a
``span`` DATE), the record is the lowest element around it that repeats among its siblings
(one tag and class, each holding a text part), when its header beside the text is short and
shows a date (:func:`_records_around_texts`). And where an item is only the box of comments
named as its parts (``div.…_comment_content`` rows, each dated with prose, in a
``div.…_comment_block`` that keeps only a heading and a button of its own), the rows are the
items (:func:`records_in_item_boxes`).

Used by :mod:`corpsearch.extract.comment_items`.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.etree import _Element

from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.comment_markup import COMMENT_WORD, attr_names, flat_text, holds
from corpsearch.extract.comment_records import CLOCK, PROSE, comment_like

__all__ = ["records_in_item_boxes", "records_of_parts"]

# a comment's header, or the author element that stands for it, and its text: the comment
# word, then the part's name, maybe numbered ("dsq-comment-header-17", "comment_author")
_HEAD_WORDS = r"header|head|kopf|byline|author|autor|auteur|meta|info"
_TEXT_WORDS = r"body|texte?|texto|testo|tekst|message|msg|content|inhalt"
_HEAD_PART = re.compile(
    rf"(?:^|[-_]){COMMENT_WORD}[-_]?(?:{_HEAD_WORDS})(?:[-_]\d+)?$", re.IGNORECASE
)
_TEXT_PART = re.compile(
    rf"(?:^|[-_]){COMMENT_WORD}[-_]?(?:{_TEXT_WORDS})(?:[-_]\d+)?$", re.IGNORECASE
)
_MAX_HEAD = 150  # characters: a header shows a name, a date, a counter, no paragraph


def _is_part(el: _Element, pattern: re.Pattern[str]) -> bool:
    return any(pattern.search(name) for name in attr_names(el))


def records_of_parts(selected: list[_Element], found: list[_Element]) -> list[_Element]:
    """The records that header and text parts outside every item in ``found`` make, as
    described above (each a new element where the parts were siblings in one box); none
    unless two or more are."""
    items = set(found)
    heads = [
        el
        for el in selected
        if _is_part(el, _HEAD_PART)
        and not any(a in items for a in el.iterancestors())
        and not any(d in items for d in el.iter())
    ]
    # the outermost header part only: an author part inside a header part is the same one
    heads = [h for h in heads if not any(o is not h and holds(o, h) for o in heads)]
    texts = [
        el
        for el in selected
        if _is_part(el, _TEXT_PART)
        and el not in items
        and not any(a in items for a in el.iterancestors())
    ]
    if not texts:
        return []
    if len(heads) < 2:
        return _records_around_texts(texts, items)
    text_set = set(texts)
    owner: dict[_Element, tuple[_Element, _Element]] = {}  # head -> (box, child of box)
    for head in heads:
        child, box = head, head.getparent()
        while box is not None and box.tag not in ("body", "html"):
            if any(d in text_set for d in box.iter()):
                owner[head] = (box, child)
                break
            child, box = box, box.getparent()
    by_box: dict[_Element, list[_Element]] = {}
    for head, (box, _child) in owner.items():
        by_box.setdefault(box, []).append(head)
    records: list[_Element] = []
    wrappers: list[_Element] = []
    for box, held in by_box.items():
        if len(held) == 1:
            records.append(box)
        else:
            starts = list(dict.fromkeys(owner[h][1] for h in held))
            runs = _sibling_runs(box, starts, items)
            wrappers += runs
            records += runs
    good = [r for r in records if _holds_a_comment(r, text_set)]
    if len(good) < 2:
        good = []
    for wrapper in wrappers:
        if wrapper not in good:
            _unwrap(wrapper)
    return good or _records_around_texts(texts, items)


def _sibling_runs(box: _Element, starts: list[_Element], items: set[_Element]) -> list[_Element]:
    """Each header child of ``box`` with the siblings after it, up to the next header child
    or to an element that is no part of it (an item found already, an empty anchor), wrapped
    into one element."""
    start_set = set(starts)
    runs: list[_Element] = []
    for start in starts:
        run = [start]
        nxt = start.getnext()
        while nxt is not None and nxt not in start_set and nxt not in items:
            if isinstance(nxt.tag, str):
                run.append(nxt)
            nxt = nxt.getnext()
        wrapper = etree.Element("div")
        start.addprevious(wrapper)
        wrapper.tail, run[-1].tail = run[-1].tail, None
        for el in run:
            wrapper.append(el)
        runs.append(wrapper)
    return runs


def _holds_a_comment(record: _Element, texts: set[_Element]) -> bool:
    """A short header with a word in it and a text part holding a sentence, no form or
    ``h1``."""
    if record.find(".//h1") is not None or record.find(".//form") is not None:
        return False
    heads = [d for d in record.iter(etree.Element) if _is_part(d, _HEAD_PART)]
    body = [d for d in record.iter(etree.Element) if d in texts]
    if not heads or not body:
        return False
    head = flat_text(heads[0])
    if not head or len(head) > _MAX_HEAD or not re.search(r"[^\W\d_]", head):
        return False
    return any(PROSE.search(flat_text(b)) for b in body)


def _unwrap(wrapper: _Element) -> None:
    tail = wrapper.tail
    kids = list(wrapper)
    for el in kids:
        wrapper.addprevious(el)
    if kids:
        kids[-1].tail = (kids[-1].tail or "") + (tail or "")
    parent = wrapper.getparent()
    if parent is not None:
        parent.remove(wrapper)


_MAX_UP = 6  # levels from a text part up to the record around it


def _records_around_texts(texts: list[_Element], items: set[_Element]) -> list[_Element]:
    """Where only the text part of a comment is named (``p.commentText`` under a bare
    ``strong`` NAME and ``span`` DATE): the lowest element around each text part that is one
    of two or more siblings of one tag and class each holding a text part is a record, when it
    holds that one text part only, with a sentence in it, and a short header beside it that
    shows a word and a date, no form and no ``h1``, nothing found already; none unless two or
    more are."""
    texts = [t for t in texts if not any(o is not t and holds(o, t) for o in texts)]
    text_set = set(texts)
    held: dict[_Element, list[_Element]] = {}
    for text in texts:
        node = text.getparent()
        for _ in range(_MAX_UP):
            if node is None or node.tag in ("body", "html"):
                break
            parent = node.getparent()
            if parent is None:
                break
            alike = [
                sib
                for sib in parent.iterchildren(node.tag)
                if sib.get("class") == node.get("class") and any(d in text_set for d in sib.iter())
            ]
            if len(alike) >= 2:
                held.setdefault(node, []).append(text)
                break
            node = parent
    good = [
        record
        for record, inner in held.items()
        if len(inner) == 1 and _dated_header_beside(record, inner[0], items)
    ]
    return good if len(good) >= 2 else []


def _dated_header_beside(record: _Element, text: _Element, items: set[_Element]) -> bool:
    if record.find(".//h1") is not None or record.find(".//form") is not None:
        return False
    if any(d in items for d in record.iter()) or not PROSE.search(flat_text(text)):
        return False
    head = " ".join(_words_outside(record, text).split())
    if not head or len(head) > _MAX_HEAD or not re.search(r"[^\W\d_]", head):
        return False
    return find_date_span(head) is not None or CLOCK.search(head) is not None


def _words_outside(el: _Element, part: _Element) -> str:
    """The words of ``el`` outside ``part``, in document order."""
    words: list[str] = [el.text or ""]
    for child in el.iterchildren(etree.Element):
        if any(d is part for d in child.iter()):
            if child is not part:
                words.append(_words_outside(child, part))
        else:
            words.append("".join(child.itertext()))
        words.append(child.tail or "")
    return " ".join(words)


_COMMENT_NAME = re.compile(COMMENT_WORD, re.IGNORECASE)


def records_in_item_boxes(items: list[_Element], selected: list[_Element]) -> list[_Element]:
    """``items`` where one of them is a box of comments named as a comment's parts: two or
    more siblings of one tag and a class naming a comment's part (``…_comment_content`` inside
    ``div.…_comment_block``), each dated and holding prose, no item inside them, while the box
    keeps no date and prose of its own outside them (a section heading, a button): the box
    gives way to them, as to the comments it holds."""
    item_set = set(items)
    groups: dict[tuple[_Element, str, str], list[_Element]] = {}
    for el in selected:
        cls = el.get("class")
        parent = el.getparent()
        if el in item_set or not cls or parent is None or not _COMMENT_NAME.search(cls):
            continue
        groups.setdefault((parent, str(el.tag), cls), []).append(el)
    held: dict[_Element, list[_Element]] = {}
    for (parent, _tag, _cls), group in groups.items():
        if len(group) < 2:
            continue
        box: _Element | None = parent
        while box is not None and box not in item_set:
            box = box.getparent()
        if box is None or any(d in item_set for g in group for d in g.iter()):
            continue
        if all(comment_like(g) for g in group):
            held.setdefault(box, []).extend(group)
    out: list[_Element] = []
    for item in items:
        inner = held.get(item)
        if inner and not comment_like(item, frozenset(inner)):
            out.extend(inner)
        else:
            out.append(item)
    return out
