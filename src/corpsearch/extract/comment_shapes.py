"""Comment records found by their shape, as in data-record mining: a comment template repeats one
subtree per comment. Elements marked as a comment's text are lifted to the subtree that repeats
as a sibling of the same tag and class (cards, utility-class layouts, forum posts without a
comment class), kept where the group shows it is a discussion; an element of the comment
section whose children are named like the children of the comments already found is a comment
too, whatever its own class says (replies in ``article_comment_answer`` boxes next to
``article_comment_item`` ones); and a comment whose header and body are sibling elements, each
taken for an item, joined into one; and a thread's title may be a plain block styled as a
heading.

Used by :mod:`corpsearch.extract.comments`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml import etree
from lxml.etree import _Element

from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.comment_fields import Fields, Item
from corpsearch.extract.comment_markup import (
    COMMENT_WORD,
    ROLE_DATE,
    ROLE_TEXT,
    attr_names,
    roles,
    text_class,
)
from corpsearch.extract.comment_mining import signed_posts, teaser_like
from corpsearch.extract.comment_records import (
    comment_like,
    nested_replies,
    repeated_records,
    similar,
    tag_paths,
)

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


_DISCUSSION = re.compile(rf"{COMMENT_WORD}|discuss|thread|respon|forum", re.IGNORECASE)
_THREAD_PIECE = re.compile(r"repl|vote|upvote|downvote|antwort|respond|risp", re.IGNORECASE)
_MAX_CLIMB = 8


def records_by_repetition(body: _Element, known: list[_Element]) -> list[_Element]:
    """Comment records of templates that name no comment on the record itself (looked for when
    no comment markup is found on the page): an element of
    the text kind (``gh-comment-content``, ``commento-body``, ``cooked``) outside every known
    item is lifted to its lowest ancestor that repeats as a sibling of the same tag and class
    holding such a text too; a group of such siblings is kept when it shows a discussion (a
    comment word on the records, their text or the section around them, or reply and vote
    widgets in most records). A record inside a record, of the same tag and class, is a reply."""
    groups = _repeated_groups(body, known)
    found: list[_Element] = []
    for (_parent, tag, cls), members in groups.items():
        # a form or the article's own heading is never inside a comment
        records = [r for r in members if r.find(".//form") is None and r.find(".//h1") is None]
        records = [r for r in records if r.find(".//textarea") is None]
        if len(records) < 2 or not _is_discussion(records):
            continue
        records += _variants(records)
        for record in records:
            found.append(record)
            found.extend(d for d in record.iter(tag) if d is not record and d.get("class") == cls)
    return found


def _variants(records: list[_Element]) -> list[_Element]:
    """Siblings of ``records`` that differ from them only in some of their classes (a reply
    card indented by a margin class, "card ml-5" beside "card ml-0"): the same tag, the same
    first class, tag paths like theirs, and a comment of their own."""
    parent = records[0].getparent()
    if parent is None:
        return []
    first = (records[0].get("class") or "").split()[:1]
    shapes = [tag_paths(r) for r in records]
    known = set(records)
    return [
        sib
        for sib in parent.iterchildren(records[0].tag)
        if sib not in known
        and (sib.get("class") or "").split()[:1] == first
        and any(similar(tag_paths(sib), s) for s in shapes)
        and comment_like(sib)
    ]


def _repeated_groups(
    body: _Element, known: list[_Element]
) -> dict[tuple[_Element, str, str], list[_Element]]:
    """Candidate records keyed by their parent, tag and class: the repeated ancestors of the
    elements of the text kind outside the known items."""
    inside: set[_Element] = set()
    for el in known:
        inside.update(el.iter())
    texts: dict[str, list[_Element]] = {}
    for el in body.iter(etree.Element):
        cls = el.get("class")
        if cls and text_class(cls) and el not in inside:
            texts.setdefault(cls, []).append(el)
    groups: dict[tuple[_Element, str, str], list[_Element]] = {}
    for cls, parts in texts.items():
        for part in parts if len(parts) >= 2 else []:
            record = _repeated_ancestor(part, cls)
            if record is None:
                continue
            members = groups.setdefault(
                (record.getparent(), record.tag, record.get("class") or ""), []
            )
            if record not in members:
                members.append(record)
    return groups


def _repeated_ancestor(part: _Element, cls: str) -> _Element | None:
    node = part.getparent()
    for _ in range(_MAX_CLIMB):
        parent = node.getparent() if node is not None else None
        if node is None or parent is None or node.tag in ("body", "html"):
            return None
        node_cls = node.get("class")
        # a record without a class counts too (Flarum's bare ``article`` per post): its
        # siblings then share the lack of one
        if not (node_cls and text_class(node_cls)):
            for sib in parent:
                if (
                    sib is not node
                    and sib.tag == node.tag
                    and sib.get("class") == node.get("class")
                    and any(d.get("class") == cls for d in sib.iter(part.tag))
                ):
                    return node
        node = parent
    return None


def _is_discussion(records: list[_Element]) -> bool:
    """A group of repeated records is a discussion when most of them are dated and a comment
    word names the records, their text or the box around them (three levels up), or most of
    them carry reply or vote widgets: a list of teasers or of recipe steps shows neither."""
    n_dated = sum(1 for r in records if is_dated(r))
    signed = n_dated * 2 < len(records) and signed_posts(records)
    if n_dated * 2 < len(records) and not signed:
        return False
    first = records[0]
    names = attr_names(first)
    names += [n for d in first.iter(etree.Element) if roles(d) & ROLE_TEXT for n in attr_names(d)]
    node = first.getparent()
    # undated posts: the box that names them a discussion may be a wrapper or two further up
    for _ in range(5 if signed else 3):
        if node is None or node.tag == "body":
            break
        names += attr_names(node)
        node = node.getparent()
    if any(_DISCUSSION.search(n) for n in names):
        return True
    with_widgets = sum(
        1
        for r in records
        if any(_THREAD_PIECE.search(n) for d in r.iter(etree.Element) for n in attr_names(d))
    )
    return with_widgets * 2 >= len(records)


def is_dated(record: _Element) -> bool:
    """A ``time`` element, a date role or a date in a ``title`` inside ``record``."""
    for d in record.iter(etree.Element):
        if d.tag == "time" or roles(d) & ROLE_DATE:
            return True
        title = d.get("title")
        if title and len(title) <= 90 and find_date_span(title) is not None:
            return True
    return False


# a heading over a comment list, in the words readers see ("3 Comments", "12 thoughts on …",
# "Leave a Reply", "Kommentare (4)", "Réactions"); not a widget of comments elsewhere
_THREAD_HEADING = re.compile(
    r"\b(?:comments?|kommentare?|commentaires?|comentarios?|commenti|reacties|komentarz[ey]?|"
    r"komentáře|kommentarer|thoughts on|responses?|replies|réactions?|reacciones|discussion|"
    r"diskussion|leserkommentare|reader comments|leave a reply|antworten)\b",
    re.IGNORECASE,
)
_NOT_THREAD_HEADING = re.compile(
    r"\b(?:most|latest|recent|popular|top|neueste|letzte|derniers|últimos|ultimi)\b", re.I
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _thread_headings(body: _Element) -> Iterator[_Element]:
    """The short headings that announce the comments in readers' words ("3 Comments",
    "Kommentare"), not a list of other posts' ("Recent comments")."""
    for heading in body.iter(*_HEADINGS):
        words = " ".join("".join(heading.itertext()).split())
        if (
            len(words) <= 80
            and _THREAD_HEADING.search(words)
            and not _NOT_THREAD_HEADING.search(words)
        ):
            yield heading


def records_under_heading(body: _Element) -> list[_Element]:
    """Comment records of a template whose class names and ids say nothing: the repeated
    children (same tag and class) of a box that a heading in readers' words announces as the
    comments ("3 Comments", "Kommentare"), each dated and holding a sentence of prose, none
    holding a form or the page's heading. Nested records of the same tag and class are
    replies."""
    found: list[_Element] = []
    for heading in _thread_headings(body):
        box = _box_after_heading(heading)
        if box is not None:
            # two headings over one box ("3 Comments", "Comments on …") find it twice
            found.extend(r for r in box if r not in found)
    return found


def record_under_heading(body: _Element) -> list[_Element]:
    """A thread of one comment in a template without class names (a blog's own loop: "<p><strong>On
    March 3, 2021, NAME said:</strong></p>" and the text as bare paragraphs): under a heading
    that announces the comments, the siblings up to the next heading or form are one dated
    header line that ends as speech is introduced (a colon) and the undated paragraphs of prose
    after it. They are wrapped into one element, the record."""
    for heading in _thread_headings(body):
        run: list[_Element] = []
        sib = heading.getnext()
        while sib is not None and len(run) <= _MAX_RUN:
            if isinstance(sib.tag, str):
                if sib.tag in _HEADINGS or sib.tag == "form" or sib.find(".//form") is not None:
                    break
                run.append(sib)
            sib = sib.getnext()
        if not 2 <= len(run) <= _MAX_RUN:
            continue
        head, rest = run[0], run[1:]
        line = " ".join("".join(head.itertext()).split())
        if len(line) > 150 or not line.endswith(":") or find_date_span(line) is None:
            continue
        texts = [" ".join("".join(el.itertext()).split()) for el in rest]
        if any(is_dated(el) or find_date_span(t[:100]) for el, t in zip(rest, texts, strict=True)):
            continue  # a second header: more than one comment, which the other ways read
        if not any(_PROSE.search(t) for t in texts):
            continue
        wrapper = etree.Element("div")
        head.addprevious(wrapper)
        wrapper.tail, rest[-1].tail = rest[-1].tail, None
        for el in run:
            wrapper.append(el)
        return [wrapper]
    return []


_MAX_RUN = 12  # a header line and the paragraphs of one comment
_PROSE = re.compile(r"[^\W\d_]{2,}(?:\s+\S+){4,}")


def records_under_label(body: _Element) -> list[_Element]:
    """The records of the box after a plain block or span styled as the thread's heading, its
    words nothing but the thread's title ("Comments", "10 réactions", "Kommentare (4)"), not
    inside a link or menu: the first such box found, as ``records_under_heading`` reads it."""
    found: list[_Element] = []
    for label in body.iter(*_LABEL_TAGS):
        own = label.text
        if not own or len(own) > 40 or not _THREAD_LABEL.match(own.strip() or "-"):
            continue
        words = " ".join("".join(label.itertext()).split())
        if len(words) > 40 or not _THREAD_LABEL.match(words):
            continue
        if any(a.tag in ("a", "button", "nav") for a in label.iterancestors()):
            continue  # a link to the comments, a menu entry
        box = _box_after_heading(label)
        # a counter line ("12 comments") over teasers of other stories announces no thread
        if box is not None and not any(teaser_like(r) for r in box):
            found.extend(box)
            break
    return found


# a label that is nothing but a thread's title: "Comments", "10 réactions", "Kommentare (4)"
_THREAD_LABEL = re.compile(
    r"^(?:\d+\s+)?(?:comments?|kommentare?|commentaires?|comentarios?|commenti|reacties|"
    r"komentarze?|kommentarer|responses?|réactions?|reacciones|leserkommentare|reader comments|"
    r"reactions?|discussion|diskussion)(?:\s*\(\d+\))?\s*:?$",
    re.IGNORECASE,
)
_LABEL_TAGS = ("div", "span", "p", "strong", "b", "header")


def _box_after_heading(heading: _Element) -> list[_Element] | None:
    """The records of the first box after ``heading`` (its following siblings, then those of
    its parent's) whose children repeat one tag and class as comment-like records."""
    # a heading without a count that a form follows ("Leave a Reply", "Post a comment") is the
    # form's title: what lies beyond its box (a sidebar, the footer) is no thread it announces
    counted = any(ch.isdigit() for ch in "".join(heading.itertext()))
    node: _Element | None = heading
    for _ in range(3):
        if node is None:
            return None
        parent = node.getparent()
        if parent is not None:
            # the records may follow the heading as its own siblings (Drupal's comment section)
            records = repeated_records(parent, after=node)
            if records:
                return records
        sib = node.getnext()
        titles_form = False
        while sib is not None:
            records = _repeated_children(sib)
            if records:
                return records
            if sib.tag in _HEADINGS:
                return None
            titles_form = titles_form or sib.tag == "form" or sib.find(".//form") is not None
            sib = sib.getnext()
        if titles_form and not counted:
            return None
        node = node.getparent()
    return None


def _boxes(box: _Element) -> list[_Element]:
    """``box``, its children and grandchildren, each past its chain of single-child wrappers
    (``div > div > div > ol``), in that order: where the records of a thread may sit."""
    out: list[_Element] = []
    frontier = [box]
    for _ in range(3):
        below: list[_Element] = []
        for el in frontier:
            if el not in out:
                out.append(el)
            node = el
            for _ in range(6):
                kids = [c for c in node.iterchildren(etree.Element) if c.tag not in _NOT_BOX]
                if len(kids) != 1:
                    break
                node = kids[0]
            if node is not el and node not in out:
                out.append(node)
            below.extend(c for c in node.iterchildren(etree.Element) if c.tag not in _NOT_BOX)
        frontier = below[:60]
    return out


_NOT_BOX = frozenset(["script", "style", "noscript", "template"])


def _repeated_children(box: _Element) -> list[_Element]:
    for candidate in _boxes(box):
        # templates vary the class per record (even/odd, depth, author, "last"): records by
        # their shape first, then by one tag and class
        by_shape = repeated_records(candidate)
        if by_shape:
            return by_shape
        children = [c for c in candidate.iterchildren(etree.Element)]
        keys = [(c.tag, c.get("class")) for c in children]
        for key in dict.fromkeys(keys):
            same = [c for c, k in zip(children, keys, strict=True) if k == key]
            records = [c for c in same if _comment_like(c)]
            if len(records) >= 2 and len(records) * 2 > len(same):
                nested = [
                    d
                    for r in records
                    for d in r.iter(key[0])
                    if d is not r and d.get("class") == key[1] and _comment_like(d)
                ]
                more = [d for d in nested_replies(records) if d not in nested]
                return records + nested + more
    return []


def _comment_like(el: _Element) -> bool:
    if el.find(".//form") is not None or el.find(".//h1") is not None:
        return False
    text = " ".join("".join(el.itertext()).split())
    if not 20 <= len(text) <= 20000:
        return False
    has_date = is_dated(el) or find_date_span(text[:300]) is not None
    return has_date and re.search(r"[^\W\d_]{2,}(?:\s+\S+){4,}", text) is not None
