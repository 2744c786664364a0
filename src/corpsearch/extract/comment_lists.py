"""Lists of comments taken for one comment: a candidate (an element named like a comment
section, a row of a comment list, a record mined by shape) that holds a list of records and
keeps no comment of its own outside them is their box, and gives way to them.

The records are found by their shape, not by their class names: sibling subtrees of one tag
shaped alike (their tag paths), two or more of them dated and holding prose, most of them
showing a short name-like line (a link or a span) that differs from record to record, none a
teaser of another page. A sibling of the records that holds elements of the records' own tag
and first class is a box of replies (a "dialog" list under each comment): those elements are
replies. Once two records prove the template, a sibling of the same tag and first class that
is dated and has words of its own is a comment too, however short ("+1", "谢谢").

Inside a record, blocks shaped as posts (a name and a text of the kinds the records show
theirs in) without a date of their own stand above its text as the earlier posts it replies to
("floors" quoted in the reply); they are marked as quotes (``itemprop="citation"``), never the
record's text. The block of the kind every record holds its words in is marked as the text
(``itemprop="text"``), so that a label beside the name (the poster's place) stays out of it.

Used by :mod:`corpsearch.extract.comment_items`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from lxml import etree
from lxml.etree import _Element

from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.comment_evidence import prop
from corpsearch.extract.comment_markup import first_class, flat_text, has_text, holds
from corpsearch.extract.comment_mining import teaser_like
from corpsearch.extract.comment_records import (
    CLOCK,
    PROSE,
    SKIP_TAGS,
    THREAD_WORD,
    comment_like,
    nested_replies,
    similar,
    tag_paths,
)

__all__ = ["QUOTED_POST", "records_of_lists"]

# the mark a quoted earlier post gets, as schema.org names a cited work
QUOTED_POST = "citation"

_INLINE = frozenset(["a", "span", "b", "strong", "em", "i", "small", "label", "button", "abbr"])
_MAX_DOWN = 6  # levels from a candidate to the list inside it
_NAME_TAGS = frozenset(["a", "span", "strong", "b", "cite", "em", "div", "p", "h3", "h4", "h5"])
_BLOCK_TAGS = ("p", "div", "li", "dd", "td", "blockquote", "section", "article")
_MAX_NAME_WORDS = 5
_MAX_NAME_CHARS = 40
_LEAST_LETTERS = 4  # letters or ideographs of a short comment besides its date
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def records_of_lists(
    found: list[_Element], mined: list[_Element]
) -> tuple[list[_Element], list[_Element]]:
    """``found`` and ``mined`` with every box of records replaced by the records (and their
    replies) it holds, in document order within each box; a box that was mined gives mined
    records."""
    known = set(found)
    holding: set[_Element] = set()
    for el in found:
        holding.update(el.iterancestors())
    mined_set = set(mined)
    out: list[_Element] = []
    out_mined: list[_Element] = []
    for el in found:
        records = [] if el in holding or el.tag in _INLINE else _records_inside(el)
        if not records:
            out.append(el)
            if el in mined_set:
                out_mined.append(el)
            continue
        fresh = [r for r in records if r not in known]
        known.update(fresh)
        out.extend(fresh)
        if el in mined_set:
            out_mined.extend(fresh)
    return out, out_mined


def _records_inside(el: _Element) -> list[_Element]:
    """The records of the lists inside ``el`` when ``el`` is only their box (it keeps no date
    and prose of its own outside them); empty otherwise."""
    if _dated_pieces(el) < 2:
        return []
    lists: list[list[_Element]] = []
    frontier = [el]
    for _ in range(_MAX_DOWN):
        below: list[_Element] = []
        for node in frontier:
            records = _list_records(node)
            if records:
                lists.append(records)
            else:
                below.extend(
                    c for c in node.iterchildren(etree.Element) if c.tag not in SKIP_TAGS and len(c)
                )
        frontier = below
        if not frontier:
            break
    tops = frozenset(r for records in lists for r in records)
    if not tops or comment_like(el, tops):
        return []
    for records in lists:
        _mark_parts(records)
    return [r for records in lists for r in records]


def _dated_pieces(el: _Element) -> int:
    """How many ``time`` elements and short dated lines ``el`` holds (two at most counted)."""
    count = 0
    for d in el.iter(etree.Element):
        if d.tag in SKIP_TAGS:
            continue
        own = d.text
        if d.tag == "time" or (
            own and len(own) <= 80 and (find_date_span(own) or CLOCK.search(own))
        ):
            count += 1
            if count >= 2:
                break
    return count


def _list_records(box: _Element) -> list[_Element]:
    """The comment records among the children of ``box`` and their replies; empty when the
    children are no list of comments."""
    kids = [c for c in box.iterchildren(etree.Element) if c.tag not in SKIP_TAGS]
    by_tag: dict[str, list[_Element]] = {}
    for c in kids:
        by_tag.setdefault(str(c.tag), []).append(c)
    for same in by_tag.values():
        if len(same) < 2:
            continue
        liked = [c for c in same if comment_like(c)]
        if not liked:
            continue
        kinds = {first_class(c) for c in liked}
        # a kind that holds records of another kind is a box of their replies
        boxes = {first_class(c) for c in same if _holds_kind(c, kinds - {first_class(c)})}
        rows = [c for c in same if first_class(c) not in boxes]
        # the records share their template's first class: the kind most of the rows are
        counts = Counter(first_class(c) for c in rows if c in liked)
        if not counts:
            continue
        kind = counts.most_common(1)[0][0]
        kept = [c for c in liked if first_class(c) == kind]
        shapes = [tag_paths(r) for r in kept]
        # short comments of the template that the others prove, of its kind and shape
        records = [
            c
            for c in rows
            if c in kept
            or (
                first_class(c) == kind
                and any(similar(tag_paths(c), s) for s in shapes)
                and _short_comment(c)
            )
        ]
        if len(records) < 2 or len(records) * 2 <= len(rows):
            continue
        if any(teaser_like(r) for r in records) or _titled(records) or not _named(records):
            continue
        replies = nested_replies(records, shapes)
        for c in same:
            if first_class(c) in boxes:
                replies.extend(_replies_in_box(c, str(c.tag), kind))
        return _in_order(records + [r for r in replies if r not in records])
    return []


def _holds_kind(el: _Element, kinds: set[str]) -> bool:
    """Whether ``el`` holds an element of its own tag whose first class is one of ``kinds``."""
    return any(d is not el and first_class(d) in kinds for d in el.iter(el.tag) if first_class(d))


def _replies_in_box(box: _Element, tag: str, kind: str) -> list[_Element]:
    """The outermost elements in a box of replies of the records' tag and first class, dated,
    with words of their own."""
    found: list[_Element] = []
    for d in box.iter(tag):
        if d is box or first_class(d) != kind or any(f in d.iterancestors() for f in found):
            continue
        if comment_like(d) or _short_comment(d):
            found.append(d)
    return found


def _short_comment(el: _Element) -> bool:
    """A record too short for a sentence of prose: dated, no form, and words beside the date
    and the controls."""
    if el.find(".//form") is not None or el.find(".//h1") is not None:
        return False
    text = flat_text(el)
    span = find_date_span(text)
    if span is None:
        clock = CLOCK.search(text)
        if clock is None:
            return False
        span = clock.span()
    rest = text[: span[0]] + " " + text[span[1] :]
    return sum(ch.isalpha() for ch in rest) >= _LEAST_LETTERS


def _named(records: list[_Element]) -> bool:
    """Most records show a short name-like line (a link or span, a few words, a letter first,
    no date, no control word), and the names differ: a list of comments, not of headlines or
    counters."""
    names = [flat_text(el) for el in (_first_name(r) for r in records) if el is not None]
    return len(names) * 5 >= len(records) * 3 and len(set(names)) >= 2


def _titled(records: list[_Element]) -> bool:
    """Most records' first link of words leads to another page under a title's words (a
    list of related stories: "某集团上半年净利润同比增长", a source and a date beside it),
    where a comment's first link is its author's name."""
    titled = 0
    for record in records:
        for a in record.iter("a"):
            words = flat_text(a)
            if not words:
                continue
            href = (a.get("href") or "").strip()
            linked = href[:1] not in ("", "#") and not href.lower().startswith("javascript:")
            titled += linked and _word_count(words) > _MAX_NAME_WORDS
            break
    return titled * 2 > len(records)


def _first_name(record: _Element) -> _Element | None:
    """The first element of ``record`` whose words are name-like."""
    for d in record.iter(*_NAME_TAGS):
        # the innermost element of its words ("<a><img> NAME</a>", not the line around it)
        if d is record or any(has_text(c) for c in d.iterchildren(etree.Element)):
            continue
        if _name_like(flat_text(d)):
            return d
    return None


def _name_like(words: str) -> bool:
    if not words or len(words) > _MAX_NAME_CHARS or not words[0].isalpha():
        return False
    if _word_count(words) > _MAX_NAME_WORDS or PROSE.search(words):
        return False
    if find_date_span(words) is not None or CLOCK.search(words) or THREAD_WORD.match(words):
        return False
    return sum(ch.isalpha() for ch in words) >= 2


def _word_count(text: str) -> int:
    """Words, two ideographs or kana counting as one (Chinese and Japanese write no spaces)."""
    cjk = len(_CJK.findall(text))
    return len(_CJK.sub(" ", text).split()) + (cjk + 1) // 2


def _in_order(els: list[_Element]) -> list[_Element]:
    return sorted(els, key=_path)


def _path(el: _Element) -> list[int]:
    """The positions of ``el`` and its ancestors among their siblings, from the top."""
    path: list[int] = []
    parent = el.getparent()
    while parent is not None:
        path.append(parent.index(el))
        el, parent = parent, parent.getparent()
    path.reverse()
    return path


def _kind(el: _Element) -> tuple[str, str]:
    return str(el.tag), el.get("class") or ""


def _mark_parts(records: list[_Element]) -> None:
    """Mark the posts a record quotes above its own text, and its text: the kind (tag and
    class) of block that holds the longest words of most records is the text's; where a
    record holds more than one block of that kind, each block beside them that holds a name of
    the kind the records show theirs in and a text, and no date, is a quoted post. The one
    block of the text's kind left, holding neither the name nor a date, is the text."""
    text_kind = _common(_kind(t) for r in records if (t := _longest_words(r)) is not None)
    name_kind = _common(_kind(n) for r in records if (n := _first_name(r)) is not None)
    if text_kind is None or not text_kind[1]:
        return
    for record in records:
        texts = [d for d in record.iter(text_kind[0]) if _kind(d) == text_kind]
        if len(texts) >= 2 and name_kind is not None and name_kind[1]:
            _mark_quotes(record, texts, name_kind)
        own = [t for t in texts if not any(prop(a) == QUOTED_POST for a in t.iterancestors())]
        name = _first_name(record)
        if (
            len(own) == 1
            and prop(own[0]) is None
            and not holds(own[0], name)
            and _dated_pieces(own[0]) == 0
        ):
            # the block of the kind every record holds its words in is the text
            own[0].set("itemprop", "text")


def _mark_quotes(record: _Element, texts: list[_Element], name_kind: tuple[str, str]) -> None:
    """Mark the blocks beside the record's texts that hold a name and a text and no date."""
    box = _lowest_holder(texts)
    if box is None or (box is not record and not holds(record, box)):
        return
    for child in box.iterchildren(etree.Element):
        if child in texts or not any(holds(child, t) for t in texts):
            continue
        named = any(_kind(d) == name_kind for d in child.iter(name_kind[0]))
        if named and _dated_pieces(child) == 0:
            child.set("itemprop", QUOTED_POST)


def _longest_words(record: _Element) -> _Element | None:
    """The block with the longest piece of words of ``record`` that is no date (a name's
    label beside it is inline, and may be longer than a short text)."""
    best, owner = 0, None
    for d in record.iter(*_BLOCK_TAGS):
        own = " ".join((d.text or "").split())
        if len(own) > best and find_date_span(own) is None and CLOCK.search(own) is None:
            best, owner = len(own), d
    return owner


def _common(kinds: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    counts = Counter(kinds)
    if not counts:
        return None
    kind, n = counts.most_common(1)[0]
    return kind if n >= 2 else None


def _lowest_holder(els: list[_Element]) -> _Element | None:
    chain = list(els[0].iterancestors())
    for el in els[1:]:
        ancestors = set(el.iterancestors())
        chain = [a for a in chain if a in ancestors]
    return chain[0] if chain else None
