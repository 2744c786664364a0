"""Comment records mined from the shape of the markup alone, as in data-record mining: a comment
template renders one subtree per comment, so the records of a thread are sibling subtrees of
one tag whose descendants follow the same tag paths, each dated and holding a sentence of
prose. Class names are not compared (templates vary them per record: ``even``/``odd``,
``depth-2``, ``bypostauthor``), nor are ids. A reply is a subtree nested in a record that has
the record's own shape while the record keeps a date and prose of its own outside it (a wrapper
of the record's body has neither the shape nor leaves anything behind). A header and a body
that alternate as siblings (``dt``/``dd``) pair into one record each; sibling records that all
link to comments on other pages are a widget of comments elsewhere, not a thread. (The author
of such records, read from their common layout, is :mod:`corpsearch.extract.comment_layout`'s.)

Used by :mod:`corpsearch.extract.comment_shapes` under a heading in readers' words, and by
:mod:`corpsearch.extract.comment_items` where reply controls or "says" verbs mark the records.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree
from lxml.etree import _Element

from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.comment_markup import first_class

__all__ = [
    "CLOCK",
    "PROSE",
    "SKIP_TAGS",
    "THREAD_WORD",
    "comment_like",
    "nested_replies",
    "paired_records",
    "records_by_thread_words",
    "repeated_records",
    "similar",
    "tag_paths",
    "without_comments_elsewhere",
]

_PATH_DEPTH = 3
_MIN_SIMILARITY = 0.5
_SKIP = frozenset(["script", "style", "noscript", "template", "svg"])
SKIP_TAGS = _SKIP  # elements that hold no record's words
# a time of day (after an ideograph too: "今天08:23"), a day of the month written as an ordinal
# or an age without "ago": a date the date reader does not place on its own ("Jun 20th at
# 2:41 am", "Ed Erhart 1 year")
_CLOCK = re.compile(
    r"(?:\b|(?<=[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]))"
    r"\d{1,2}:\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?(?!\d)|\b\d{1,2}(?:st|nd|rd|th)\b|"
    r"\b\d{1,2}\s+(?:years?|months?|weeks?|days?|hours?|minutes?)\b",
    re.I,
)
CLOCK = _CLOCK  # for the miner of records over the whole page and the layout reader
# a sentence: a word and four more after spaces, or, in Chinese and Japanese, which put no
# spaces between words, ten ideographs or kana in a run (CJK punctuation inside it)
_PROSE = re.compile(
    r"[^\W\d_]{2,}(?:\s+\S+){4,}"
    r"|(?:[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][\u3000-\u303f\uff01-\uff65]?){10,}"
)
PROSE = _PROSE  # for the layout reader: where a record's text begins


def tag_paths(el: _Element, depth: int = _PATH_DEPTH) -> frozenset[str]:
    """The tag paths below ``el`` to ``depth`` levels ("footer", "footer/time", "div/p")."""
    paths: set[str] = set()
    stack: list[tuple[_Element, str, int]] = [(el, "", 0)]
    while stack:
        node, prefix, level = stack.pop()
        if level == depth:
            continue
        for child in node.iterchildren(etree.Element):
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            path = f"{prefix}/{tag}" if prefix else tag
            paths.add(path)
            stack.append((child, path, level + 1))
    return frozenset(paths)


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two sets of tag paths alike enough for two records of one template."""
    union = a | b
    return bool(union) and len(a & b) / len(union) >= _MIN_SIMILARITY


_similar = similar


def _own(el: _Element, without: frozenset[_Element]) -> tuple[str, bool]:
    """The words of ``el`` outside the subtrees ``without`` (nested replies), and whether a
    ``time`` element or a date in a ``title`` is among them."""
    parts: list[str] = []
    dated = False

    def walk(node: _Element) -> None:
        nonlocal dated
        if node.tag == "time":
            dated = True
        title = node.get("title")
        if not dated and title and len(title) <= 90 and find_date_span(title) is not None:
            dated = True
        if node.text:
            parts.append(node.text)
        for child in node:
            if child not in without:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return " ".join(" ".join(parts).split()), dated


def _inside(node: _Element | None, box: _Element) -> bool:
    """``node`` is ``box`` or lies inside it."""
    while node is not None:
        if node is box:
            return True
        node = node.getparent()
    return False


def comment_like(
    el: _Element, without: frozenset[_Element] = frozenset(), *, dated_only: bool = True
) -> bool:
    """Dated and holding a sentence of prose (outside ``without``), no ``h1``; a form to write
    in (a reply box with its ``textarea``, placed in every comment) counts for nothing, neither
    text nor date, while any other form (a sign-up, search or login box) rules ``el`` out.
    ``dated_only=False`` asks for the prose only (where other evidence stands for the date)."""
    if el.find(".//h1") is not None:
        return False
    if any(f.find(".//textarea") is None for f in el.iter("form")):
        return False
    forms = frozenset(
        f
        for f in el.iter("form", "textarea")
        if f.tag == "form" or not any(a.tag == "form" for a in f.iterancestors())
    )
    if el in forms:
        return False
    without = without | forms
    dated: bool | None = None
    if without:
        text, dated = _own(el, without)
    else:
        text = " ".join("".join(el.itertext()).split())
    # the prose first: the date tests cost more and decide only for prose
    if not 20 <= len(text) <= 20000 or _PROSE.search(text) is None:
        return False
    if not dated_only:
        return True
    if dated is None:
        dated = next(el.iter("time"), None) is not None or any(
            (t := d.get("title")) and len(t) <= 90 and find_date_span(t) is not None
            for d in el.iter(etree.Element)
        )
    if dated:
        return True
    # a record's date sits in its header or in its footer; elements written without space
    # between them ("NAME<span>2021-03-04</span>Chrome 89") are read apart
    ends: tuple[str, ...] = (text[:300], text[-300:])
    if not without:
        spaced = " ".join(" ".join(el.itertext()).split())
        if spaced != text:
            ends += (spaced[:300], spaced[-300:])
    return any(find_date_span(part) is not None or _CLOCK.search(part) is not None for part in ends)


def repeated_records(box: _Element, after: _Element | None = None) -> list[_Element]:
    """The comment records among the children of ``box`` (those after ``after`` when given):
    children of one tag shaped alike (by their tag paths), at least two of them comment-like
    and more than half of those shaped like them; then the replies nested in them. Empty when
    there are none."""
    kids = box.iterchildren(etree.Element) if after is None else after.itersiblings()
    children = [c for c in kids if isinstance(c.tag, str) and c.tag not in _SKIP]
    if box.tag == "dl":
        described = _term_groups(children)
        # replies in a description list inside the description (Thesis' ``dl.children``)
        for record in list(described):
            for inner in list(record.iter("dl")):
                kids = [c for c in inner.iterchildren(etree.Element) if c.tag not in _SKIP]
                described.extend(_term_groups(kids, least=1))
        if described:
            return described
    by_tag: dict[str, list[_Element]] = {}
    for c in children:
        by_tag.setdefault(str(c.tag), []).append(c)
    for same in by_tag.values():
        if len(same) < 2:
            continue
        records = [c for c in same if comment_like(c)]
        if len(records) < 2:
            continue
        shapes = [tag_paths(r) for r in records]
        alike = [c for c in same if any(_similar(tag_paths(c), s) for s in shapes)]
        if len(records) * 2 <= len(alike):
            continue
        return records + nested_replies(records, shapes)
    return paired_records(children)


def _term_groups(children: list[_Element], least: int = 2) -> list[_Element]:
    """A description list whose every term heads a comment: each ``dt`` with the ``dd``
    elements after it (Blogger's name ``dt``, text ``dd`` and date ``dd``) is one record when
    every group is dated and holds prose, at least ``least`` of them; the groups are wrapped into new ``div`` elements in
    the tree, which are returned. Empty otherwise."""
    if not children or children[0].tag != "dt" or any(c.tag not in ("dt", "dd") for c in children):
        return []
    groups: list[list[_Element]] = []
    for c in children:
        if c.tag == "dt":
            groups.append([c])
        else:
            groups[-1].append(c)
    if len(groups) < least or any(len(g) < 2 for g in groups):
        return []
    for group in groups:
        text = " ".join(" ".join("".join(el.itertext()).split()) for el in group)
        dated = any(el.find(".//time") is not None for el in group) or any(
            find_date_span(part) is not None or _CLOCK.search(part) is not None
            for part in (text[:300], text[-300:])
        )
        if not dated or _PROSE.search(text) is None or len(text) > 20000:
            return []
    records: list[_Element] = []
    for group in groups:
        wrapper = etree.Element("div")
        group[0].addprevious(wrapper)
        wrapper.tail, group[-1].tail = group[-1].tail, None
        for el in group:
            wrapper.append(el)
        records.append(wrapper)
    return records


def _kind(el: _Element) -> tuple[str, str]:
    return str(el.tag), el.get("class") or ""


def paired_records(children: list[_Element]) -> list[_Element]:
    """Comments whose header and body are sibling elements with no element of their own
    (``dt`` "DATE - NAME" + ``dd`` text, a header ``div`` + a body ``div``): the children
    alternate two kinds (tag and class), every first of a pair short and dated and every
    second holding prose. Each pair is wrapped into a new ``div`` in the tree, which is
    returned as the record; empty when the children do not alternate so."""
    kids = [c for c in children if isinstance(c.tag, str) and c.tag not in _SKIP]
    if len(kids) < 2 or len(kids) % 2:
        return []
    head, body = _kind(kids[0]), _kind(kids[1])
    if head == body:
        return []
    pairs = list(zip(kids[0::2], kids[1::2], strict=True))
    for a, b in pairs:
        if _kind(a) != head or _kind(b) != body or b.find(".//form") is not None:
            return []
        top = " ".join("".join(a.itertext()).split())
        text = " ".join("".join(b.itertext()).split())
        if len(top) > 200 or len(top) >= len(text):
            return []  # a header is a line or two, shorter than the text it heads
        dated = a.find(".//time") is not None or bool(
            find_date_span(top) is not None or _CLOCK.search(top)
        )
        if not dated or _PROSE.search(text) is None:
            return []
    records: list[_Element] = []
    for a, b in pairs:
        wrapper = etree.Element("div")
        a.addprevious(wrapper)
        wrapper.tail, b.tail = b.tail, None
        wrapper.append(a)
        wrapper.append(b)
        records.append(wrapper)
    return records


def nested_replies(
    records: list[_Element], shapes: list[frozenset[str]] | None = None
) -> list[_Element]:
    """The replies nested in ``records``: subtrees of their tag, comment-like, shaped like one
    of them or of their first class (the template repeated: a reply thread without the
    subject heading of the thread it answers), that leave the record a date and prose of its
    own."""
    if shapes is None:
        shapes = [tag_paths(r) for r in records]
    found: list[_Element] = []
    for record in records:
        first = first_class(record)
        # subtrees of the record's tag shaped like a record, with a comment of their own
        cls = record.get("class")
        cands = [
            d
            for d in record.iter(etree.Element)
            if d is not record
            and (
                (d.tag != record.tag and cls and d.get("class") == cls)
                or (
                    d.tag == record.tag
                    and (
                        (first and first_class(d) == first)
                        or any(_similar(tag_paths(d), s) for s in shapes)
                    )
                )
            )
            and comment_like(d)
        ]
        if not cands:
            continue
        cand_set = set(cands)
        accepted: list[_Element] = []
        for d in cands:
            # a wrapper of replies or of the record's own body keeps nothing of its own
            inner = frozenset(c for c in cands if c is not d and _inside(c, d))
            if inner and not comment_like(d, inner):
                continue
            owner = next((a for a in d.iterancestors() if a in accepted), record)
            others = frozenset(
                c for c in cand_set if c is not owner and _inside(c, owner) and not _inside(d, c)
            )
            if comment_like(owner, others | {d}):
                accepted.append(d)
        found.extend(accepted)
    return found


# the visible words of a reply or report control, or the verb after a commenter's name: what
# a thread shows in every record and a list of teasers never does
_THREAD_WORD = re.compile(
    r"^(?:reply|reply to this|antworten|antwort|répondre|repondre|responder|responde|rispondi|"
    r"rispondere|svar|svara|besvar|odpowiedz|odpowiedź|reageer|beantwoorden|ответить|"
    r"report|report abuse|melden|signaler|segnala|denunciar|says|sagt|dit|dice|dijo|disse|"
    r"schreibt|écrit|escribió|scrive|skriver|zegt|wrote)\s*:?$",
    re.IGNORECASE,
)
THREAD_WORD = _THREAD_WORD  # for the layout reader: a control's word is no name
_MARK_TAGS = ("a", "button", "span", "small", "em", "b", "strong", "cite", "div", "p", "li")
_MAX_UP = 10
# the first letters of those words: most short texts are ruled out before the regex runs
_FIRST = frozenset("rRaAsSoObBоОmMdDeEzZwWéÉ")


def records_by_thread_words(body: _Element) -> list[_Element]:
    """Comment records of a template without class names, ids or heading we know: the
    elements showing a reply control or a "says" verb are lifted to their lowest ancestor that
    repeats as a sibling of one tag holding such a mark too; that parent's children shaped
    alike (``repeated_records``) are the records when most of them show the mark."""
    marks: list[_Element] = []
    for el in body.iter(*_MARK_TAGS):
        for text, holder in ((el.text, el), (el.tail, el.getparent())):
            # "<b>NAME</b> says:": the tail's line is the element around the name
            if not text or len(text) >= 60 or holder is None or holder.tag not in _MARK_TAGS:
                continue
            words = text.strip()
            if words and words[0] in _FIRST and _THREAD_WORD.match(words) and holder not in marks:
                marks.append(holder)
    if len(marks) < 2:
        return []
    marked: dict[_Element, int] = {}
    for mark in marks:
        node = mark.getparent()
        for _ in range(_MAX_UP):
            if node is None:
                break
            marked[node] = marked.get(node, 0) + 1
            node = node.getparent()
    boxes: list[_Element] = []
    for mark in marks:
        node = mark
        for _ in range(_MAX_UP):
            parent = node.getparent()
            if parent is None or parent.tag in ("html",):
                break
            if any(s is not node and s.tag == node.tag and s in marked for s in parent):
                if parent not in boxes:
                    boxes.append(parent)
                break
            node = parent
    found: list[_Element] = []
    taken: set[_Element] = set()
    for box in boxes:
        if any(_inside(box, t) for t in taken):
            continue  # a box of replies inside a record already taken
        records = repeated_records(box)
        if not records:
            nested = _self_nested(box, marked)
            if nested:
                found.extend(nested)
                taken.add(box)
                continue
            # a template that shows no date (a Bootstrap media list with "says" and "Reply"):
            # a reply control and a "says" verb in every record stand for it
            tops = _marked_undated(box, marked)
            found.extend(tops)
            taken.update(tops)
            continue
        tops = [r for r in records if r.getparent() is box]
        if not tops or sum(1 for r in tops if r in marked) * 2 <= len(tops):
            continue
        found.extend(records)
        taken.update(tops)
    return found


def _marked_undated(box: _Element, marked: dict[_Element, int]) -> list[_Element]:
    """Records of a template that shows no date (a Bootstrap media list with "NAME says:"
    and "Reply"): children of ``box`` of one tag and shape, each holding two marks (a reply
    control and a "says" verb) and prose; the marks stand for the date. Empty otherwise."""
    kids = [
        c
        for c in box.iterchildren(etree.Element)
        if marked.get(c, 0) >= 2 and comment_like(c, dated_only=False)
    ]
    if len(kids) < 2 or len({c.tag for c in kids}) != 1:
        return []
    first = tag_paths(kids[0])
    if not all(_similar(tag_paths(c), first) for c in kids[1:]):
        return []
    return kids


def _self_nested(box: _Element, marked: dict[_Element, int]) -> list[_Element]:
    """A thread of one comment and its replies (nothing repeats as a sibling): ``box`` holds
    a child shaped like itself, both comment-like, both showing a reply control or a "says"
    verb, and ``box`` keeps a date and prose of its own outside the child. The box and its
    replies, or nothing."""
    own = tag_paths(box)
    replies = [
        c
        for c in box.iterchildren(etree.Element)
        if c in marked and _similar(tag_paths(c), own) and comment_like(c)
    ]
    if not replies or marked.get(box, 0) <= sum(marked[c] for c in replies):
        return []  # the box's own mark is missing: it is a wrapper of replies
    if not comment_like(box, frozenset(replies)):
        return []
    return [box, *replies]


def _page_path(root: _Element) -> str | None:
    for xpath in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        values = root.xpath(xpath)
        if values:
            return urlsplit(str(values[0]).strip()).path.rstrip("/")
    return None


def _elsewhere_link(el: _Element, anchors: set[str]) -> str | None:
    """The path of the first link in ``el`` to a comment on some page (a path and a
    fragment: "/archives/210-pool.html#c1795"), if any. A permalink is none: its fragment
    names an element of this page, or its path the same comment ("/comment/31#comment-31")."""
    for a in el.iter("a"):
        parts = urlsplit(a.get("href") or "")
        if not parts.fragment or not (parts.path or parts.netloc) or parts.fragment in anchors:
            continue
        number = re.search(r"\d+", parts.fragment)
        if number and number.group(0) in parts.path:
            continue
        return parts.path.rstrip("/")
    return None


def without_comments_elsewhere(root: _Element, found: list[_Element]) -> list[_Element]:
    """Without the lists of readers' comments on other pages (a "latest comments" widget,
    whatever it is named): sibling records that each link to a comment on a page, those
    pages not all one, or none of them this page. A thread's permalinks all point at the
    page itself."""
    groups: dict[_Element | None, list[_Element]] = {}
    for el in found:
        groups.setdefault(el.getparent(), []).append(el)
    anchors: set[str] | None = None
    drop: set[_Element] = set()
    for group in groups.values():
        # the cheap test first: every record links somewhere with a fragment
        if len(group) < 2 or any(_elsewhere_link(el, set()) is None for el in group):
            continue
        if anchors is None:
            anchors = {str(v) for v in root.xpath("//@id | //a/@name")}
        paths = [_elsewhere_link(el, anchors) for el in group]
        page = _page_path(root)
        if any(p is None for p in paths):
            continue
        if len(set(paths)) >= 2 or (page is not None and page not in paths):
            drop.update(group)
    return [el for el in found if el not in drop]
