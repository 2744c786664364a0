"""A record's author read from the common layout of the records of a thread, for records
found by their shape alone (whose markup names no author): the position, a path of tags and
sibling numbers, that most records fill with a short, name-like text that differs between them;
and the header lines (the name, a date, an age) cut from the start of a text read that way.

Used by :mod:`corpsearch.extract.comments` and :mod:`corpsearch.extract.comment_mining`.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.etree import _Element

from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.comment_markup import first_class
from corpsearch.extract.comment_records import CLOCK, PROSE, SKIP_TAGS, THREAD_WORD

__all__ = ["author_column", "without_header_lines"]

_IN_PAGE = re.compile(r"#[^\s#]")
# an age shown as a compact count ("2d", "3h", "5 min"): a header's line
_AGE = re.compile(r"^\d{1,3}\s?(?:s|m|min|h|hr|d|w|wk|mo|y|yr)$", re.IGNORECASE)


# a name: a few words, a letter first (not one to three capitals: avatar initials)
_NAME_SHAPE = re.compile(r"^[^\W\d_][^\n]{0,39}$")
# Chinese or Japanese prose, written without spaces: ten ideographs or kana in a row, or a
# sentence's comma or stop between them ("价格高得离谱，比公交车贵多了！"), which no name is
_CJK_PROSE = re.compile(
    r"(?:[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][\u3000-\u303f\uff01-\uff65]?){10,}"
    r"|[\u3040-\u30ff\u3400-\u9fff][，。！？；][\u3040-\u30ff\u3400-\u9fff]"
)


def _leaves(record: _Element, skip: frozenset[_Element]) -> list[tuple[str, str]]:
    """(position path, words) of the blocks of ``record`` that hold words of their own, in
    document order; the path counts same-tag siblings that hold a word ("div/div[2]/p"),
    never classes."""
    out: list[tuple[str, str]] = []

    def walk(node: _Element, path: str) -> None:
        seen: dict[str, int] = {}
        for child in node.iterchildren(etree.Element):
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIP_TAGS or child in skip:
                continue
            if tag == "a" and _IN_PAGE.match(child.get("href") or ""):
                continue  # a link to a place on the page: a permalink or a title, no name
            if not any(ch.isalpha() for ch in "".join(child.itertext())):
                # no word in it (an avatar's "?", an image, an icon button): it holds no name,
                # and counting it would shift the positions of the records that lack it
                continue
            seen[tag] = seen.get(tag, 0) + 1
            here = f"{path}/{tag}[{seen[tag]}]"
            # words of its own: before its first child or after one ("<a id=c1></a> NAME")
            own = (child.text or "").strip() or any((c.tail or "").strip() for c in child)
            if own:
                out.append((here, " ".join("".join(child.itertext()).split())))
            # a line of words around elements ("On <b>DATE</b>, <b>NAME</b> wrote:") holds
            # positions of its own
            walk(child, here)

    walk(record, "")
    return out


def author_column(records: list[_Element]) -> dict[_Element, str]:
    """The author of each record read from the records' common layout: the first position
    (path of tags and sibling numbers) that most records fill with a short text, a letter
    first, no date, no counter, no reply control, differing between records (a label repeated
    in every record is furniture); else each record's first such line before its text. Empty
    when neither qualifies."""
    if len(records) < 2:
        return {}
    nested = frozenset(records)
    values: dict[str, dict[_Element, str]] = {}
    order: list[str] = []
    for record in records:
        for path, words in _leaves(record, nested - {record}):
            column = values.setdefault(path, {})
            if path not in order:
                order.append(path)
            column.setdefault(record, words)
    for path in order:
        column = values[path]
        if len(column) * 5 < len(records) * 3:
            continue
        texts = list(column.values())
        if not all(_name_like(t) for t in texts):
            continue
        if len(set(texts)) * 2 < len(texts) or len(set(texts)) < 2:
            continue
        return column
    return _first_names(records, nested)


def _first_names(records: list[_Element], nested: frozenset[_Element]) -> dict[_Element, str]:
    """Where no one position holds the name in every record (an avatar's initial, a link for
    some names and a ``div`` for others shift them): each record's first name-like line
    before the text that follows it, when most records have one and they differ."""
    if len({first_class(r) for r in records}) > 1:
        return {}  # a template's records share their first class; a page's columns do not
    column: dict[_Element, str] = {}
    for record in records:
        name = None
        for _path, words in _leaves(record, nested - {record}):
            if len(words) > 60 or PROSE.search(words):
                if name is not None:
                    column[record] = name  # a name, then the text it heads
                break  # the text begins: the header is over
            if name is None and _name_like(words):
                name = words
    texts = list(column.values())
    if (
        len(column) * 5 < len(records) * 3
        or len(set(texts)) < 2
        or len(set(texts)) * 2 < len(texts)
    ):
        return {}
    return column


def _name_like(text: str) -> bool:
    if not _NAME_SHAPE.match(text) or len(text.split()) > 5 or (len(text) <= 3 and text.isupper()):
        return False
    if THREAD_WORD.match(text) or find_date_span(text) is not None or CLOCK.search(text):
        return False
    if _CJK_PROSE.search(text):
        return False
    return not any(ch.isdigit() for ch in text)


def without_header_lines(text: str, author: str) -> str:
    """``text`` without the paragraphs before its own words that are the author's line or a
    date (a layout read without class names leaves them in)."""
    paragraphs = text.split("\n\n")
    start = 0
    while start < len(paragraphs) - 1:
        line = paragraphs[start].strip()
        if (
            (author in line and len(line) <= len(author) + 20)
            or (len(line) <= 60 and (find_date_span(line) is not None or CLOCK.search(line)))
            or _AGE.match(line)
        ):
            start += 1
        else:
            break
    return "\n\n".join(paragraphs[start:])


def labels_taken_for_names(authored: list[tuple[_Element, _Element | None]]) -> set[_Element]:
    """The records, of ``(record, element its author was read from)`` pairs, whose author
    element is of a kind (tag and first class) that most of its sibling records show beside
    an author element of another kind, outside their replies: a label the template puts next
    to the name (the poster's place, "[山东省德州市网友]"), which a record without a
    name (an anonymous post) shows alone. Such a record names no author."""
    records = frozenset(record for record, _el in authored)
    groups: dict[_Element | None, list[tuple[_Element, _Element]]] = {}
    for record, el in authored:
        if el is not None:
            groups.setdefault(record.getparent(), []).append((record, el))
    labels: set[_Element] = set()
    for group in groups.values():
        if len(group) < 3:
            continue
        for record, el in group:
            kind = _kind(el)
            if not kind[1]:
                continue
            others = [(r, e) for r, e in group if r is not record and _kind(e) != kind]
            if not others or len(others) * 2 < len(group) - 1:
                continue
            beside = [r for r, e in others if _beside(r, e, kind, records)]
            if beside and len(beside) * 2 >= len(others):
                labels.add(record)
    return labels


def _kind(el: _Element) -> tuple[str, str]:
    return str(el.tag), first_class(el)


def _beside(
    record: _Element, author_el: _Element, kind: tuple[str, str], records: frozenset[_Element]
) -> bool:
    """``record`` holds an element of ``kind``, outside the records nested in it, that neither
    holds its author element nor lies inside it."""
    stack = list(record.iterchildren(etree.Element))
    while stack:
        d = stack.pop()
        if d in records:
            continue
        if d is not author_el and _kind(d) == kind and d not in author_el.iterancestors():
            return True
        if d is not author_el:
            stack.extend(d.iterchildren(etree.Element))
    return False
