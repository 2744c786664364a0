"""Which elements of a page are its comments: the candidate items, before they are nested and read.

Items are recognised by what templates put on them (schema.org ``Comment`` microdata, ARIA
labels, ids such as ``comment-1234``, class names naming one comment in several languages), the
rows of an element named as a comment list or section, header-only items joined with the body
that follows them, and, on pages without any comment markup, records found by their repeated
shape. Items inside sidebars, widgets of comments elsewhere, forms and navigation, and boxes
promoting other pages (:mod:`corpsearch.extract.comment_teasers`), are left out.

Used by :mod:`corpsearch.extract.comments`, which nests the candidates and reads each record.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from lxml import etree
from lxml.etree import _Element

from corpsearch.extract.comment_embeds import without_posts_elsewhere
from corpsearch.extract.comment_evidence import is_comment_type
from corpsearch.extract.comment_forum import forum_posts
from corpsearch.extract.comment_headed import records_by_comment_headings
from corpsearch.extract.comment_lists import records_of_lists
from corpsearch.extract.comment_markup import (
    COMMENT_WORD,
    ITEM_ID,
    attr_names,
    class_names,
    class_tokens,
    first_class,
    flat_text,
    has_text,
    holds,
)
from corpsearch.extract.comment_mining import records_anywhere
from corpsearch.extract.comment_parts import records_in_item_boxes, records_of_parts
from corpsearch.extract.comment_records import (
    comment_like,
    records_by_thread_words,
    without_comments_elsewhere,
)
from corpsearch.extract.comment_regroup import (
    gather_bodies,
    lift_bodies,
    replies_in_boxes,
    rows_after_anchors,
)
from corpsearch.extract.comment_repeater import records_of_repeaters
from corpsearch.extract.comment_shapes import (
    record_under_heading,
    records_by_repetition,
    records_under_heading,
    records_under_label,
    similar_records,
)
from corpsearch.extract.comment_teasers import without_teasers
from corpsearch.extract.comment_widgets import without_reviews_elsewhere

__all__ = ["candidates", "doc_key"]


_ITEM_TOKEN = re.compile(
    rf"^(?:[a-z0-9]+[-_]{{1,2}})?{COMMENT_WORD}(?:[-_]?(?:item|entry|single|block))?"
    r"(?:--[a-z0-9_-]{4,})?$|^(?:h-cite|p-comment|u-comment|topic-post|single-comment|commentitem)$",
    re.IGNORECASE,
)


# the lower-case word before a capital that starts another ("blog|Comment")
_CAMEL_PREFIX = re.compile(r"^([a-z][a-z0-9]+)(?=[A-Z][a-z])")

_LIST_TOKEN = re.compile(
    rf"{COMMENT_WORD}s?[-_]?(?:list|items|stream)|commentlist|commentslist", re.IGNORECASE
)
# a section named only "comments": its children count only when they repeat one class
_SECTION_TOKEN = re.compile(rf"^{COMMENT_WORD}s$|^{COMMENT_WORD}s?[-_](?:section|area|box)$", re.I)


_EXCLUDE_TOKEN = re.compile(
    r"pingback|trackback|^(?:sidebar|side-bar|widget-area|sidebar[-_]?\d|(?:primary|secondary)[-_]sidebar)$|recent[-_]?comments?|latest[-_]?comments?|top[-_]?commented|"
    r"comment[-_]?form|commentform|widget_recent|popular|most[-_]commented",
    re.IGNORECASE,
)


_PART_TOKEN = re.compile(
    r"(?:body|content|text|author|meta|metadata|date|time|header|footer|avatar|reply|respond|actions?|"
    r"form|title|count|area|section|list|links?|info|rating|vote|like|toolbar|edit|number|tools|"
    r"thread|children|notes?|policy|closed|template|button|icon|msg|message|status)s?$",
    re.IGNORECASE,
)


# ARIA: WAI-ARIA 1.3's role "comment", or an article labelled as a comment for screen readers
# ("Comment by NAME", "Reply from NAME", "Kommentar von NAME")
_ARIA_LABEL = re.compile(rf"^(?:thread level \d+:\s*)?{COMMENT_WORD}\b", re.IGNORECASE)


def _aria_comment(el: _Element) -> bool:
    role = el.get("role")
    if role == "comment":
        return True
    if role != "article" and el.tag != "article":
        return False
    label = el.get("aria-label")
    ref = el.get("aria-labelledby")
    if not label and ref:
        # the label is another element's text (Coral's hidden "Comment from NAME")
        named = el.xpath("(.//*[@id=$ref])[1] | (//*[@id=$ref])[1]", ref=ref.split()[0])
        label = " ".join("".join(named[0].itertext()).split()) if named else None
    return bool(label) and _ARIA_LABEL.match(label.strip()) is not None


def _is_item(el: _Element) -> bool:
    if is_comment_type(el) or _aria_comment(el):
        return True
    ident = el.get("id") or ""
    if ident and ITEM_ID.match(ident):
        return True
    cls = el.get("class")
    return bool(cls) and _item_class(cls)


@lru_cache(maxsize=4096)
def _item_class(cls: str) -> bool:
    """A class attribute that names a single comment; cached, as a page repeats its
    comments' classes (the names as class_tokens gives them)."""
    for tok in class_names(cls):
        # a prefix joined in camel case ("blogComment", "userComment") as "blog-comment" is
        for form in {tok, _CAMEL_PREFIX.sub(r"\1-", tok)}:
            if _ITEM_TOKEN.match(form) and not _PART_TOKEN.search(form.split("--")[0]):
                return True
    return False


_WIDGET_TOKEN = re.compile(r"widget(?:[-_]|$)", re.IGNORECASE)
_POST_INSIDE = (
    ".//h1 | .//article | .//*[contains(@class, 'post-title') or contains(@class, 'entry-title')"
    " or contains(@class, 'post-body') or contains(@class, 'entry-content')]"
)


def _excluded(el: _Element, cache: dict[_Element, bool]) -> bool:
    """Inside a sidebar, widget of recent comments, form, navigation, pingback list?"""
    if el in cache:
        return cache[el]
    if el.tag in ("body", "html"):
        result = False
    elif any(_EXCLUDE_TOKEN.search(name) for name in attr_names(el)):
        result = True
    elif any(_WIDGET_TOKEN.match(name) for name in attr_names(el)):
        # a widget (latest reviews, comments on other pages), unless it holds the post itself
        # (Blogger puts the whole blog in widgets)
        result = not el.xpath(_POST_INSIDE)
    elif el.tag in ("aside", "nav", "textarea"):
        # a sidebar or menu, unless it is the comment section itself
        result = not any("omment" in name for name in attr_names(el))
    else:
        parent = el.getparent()
        result = parent is not None and _excluded(parent, cache)
    cache[el] = result
    return result


# case-blind stems of the comment words ("Comment", "Kommentar", "comentário"), looked for as
# substrings (case-sensitive, one search each: about half the time of one pattern of
# alternatives over a class attribute), and a number id such as "c12345678"
_ATTR_STEMS = ("omment", "epl", "omentar", "omentár", "eactie", "espuesta", "h-cite", "topic-post")
_C_NUMBER = re.compile(r"^c\d{8,}$")


def _marks(value: str) -> bool:
    for stem in _ATTR_STEMS:
        if stem in value:
            return True
    return value[0] == "c" and _C_NUMBER.search(value) is not None


def _select(root: _Element) -> list[_Element]:
    """Elements whose class, id or itemtype may mark a comment or a comment list."""
    body = root.find("body")
    if body is None:
        body = root
    selected: list[_Element] = []
    for el in body.iter(etree.Element):
        if el.get("itemtype") is not None or el.get("typeof") is not None or el.get("role"):
            selected.append(el)
            continue
        cls = el.get("class")
        ident = el.get("id")
        if (cls and _marks(cls)) or (ident and _marks(ident)):
            selected.append(el)
    return selected


def doc_key(el: _Element, cache: dict[_Element, tuple[int, ...]]) -> tuple[int, ...]:
    """Position in document order, from the element's path of child indexes."""
    key = cache.get(el)
    if key is None:
        parent = el.getparent()
        key = (0,) if parent is None else (*doc_key(parent, cache), parent.index(el))
        cache[el] = key
    return key


def _writing_box(el: _Element) -> bool:
    """A box to write a comment in, named like a comment (Waline's ``div.wl-comment`` holds
    only its fields and a button): a ``textarea`` and no sentence beside the controls."""
    return el.find(".//textarea") is not None and not comment_like(el, dated_only=False)


def candidates(
    root: _Element, order: dict[_Element, tuple[int, ...]]
) -> tuple[list[_Element], list[_Element]]:
    """The candidate items in document order, and those of them mined by shape alone (whose
    parts are read from the records' common layout too)."""
    selected = _select(root)
    mined: list[_Element] = []
    items = _without_containers([el for el in selected if _is_item(el) and not _writing_box(el)])
    items = records_in_item_boxes(items, selected)
    found: list[_Element] = list(items)
    seen: set[_Element] = set(items)
    holding: dict[_Element, list[_Element]] = {}
    for item in items:
        anc = item.getparent()
        while anc is not None:
            holding.setdefault(anc, []).append(item)
            anc = anc.getparent()
    for el in selected:
        if el not in seen:
            found.extend(_list_rows(el, seen, holding))
    found = records_of_repeaters(found, seen)
    parts = records_of_parts(selected, found)
    found += parts
    seen.update(parts)
    found = [_gather_siblings(el, seen) for el in found]
    found = rows_after_anchors(found, seen)
    found = gather_bodies(found, seen)
    found = lift_bodies(found)
    # boxes named like comments that promote other pages, and other sites' posts shown on
    # the page, are none, before the page is judged to hold no comment markup
    found = without_posts_elsewhere(root, without_teasers(root, found))
    excluded: dict[_Element, bool] = {}
    if all(_no_record(el) for el in found):
        # no comment markup, only counters and links named like it ("3 replies"): the records
        # are looked for by their repeated shape
        body = root.find("body")
        body = body if body is not None else root
        found += without_posts_elsewhere(root, records_by_repetition(body, found))
        if all(_no_record(el) for el in found):
            # each way in turn, until one finds records that are neither in a sidebar nor
            # a widget of comments on other pages
            ways = (records_under_heading, records_by_thread_words, records_under_label)
            last = (
                records_anywhere,
                record_under_heading,
                records_by_comment_headings,
                forum_posts,
            )
            for way in (*ways, *last):
                mined = [el for el in way(body) if not _excluded(el, excluded)]
                mined = without_reviews_elsewhere(root, without_comments_elsewhere(root, mined))
                mined = without_posts_elsewhere(root, without_teasers(root, mined))
                if mined:
                    # a record that is only a header ("On DATE, NAME wrote:") takes the
                    # text that follows it as its sibling
                    mined = gather_bodies(_records_in_boxes(mined), seen)
                    break
            found += mined
    # a section, list row or mined record that only holds a list of comments gives way to them
    found, mined = records_of_lists(found, mined)
    found = [el for el in found if not _excluded(el, excluded)]
    found = without_reviews_elsewhere(root, without_comments_elsewhere(root, found))
    found = without_posts_elsewhere(root, found)
    found += [el for el in similar_records(found) if not _excluded(el, excluded)]
    replies, boxes = replies_in_boxes(found)
    if boxes:
        # a box of replies taken for a comment, and the rows taken in it, give way to the
        # replies it holds (items by their own markup stay)
        inside = {d for box in boxes for d in box.iter()} - set(replies)
        found = [el for el in found if el not in inside or (el not in boxes and _is_item(el))]
    found += replies
    found.sort(key=lambda e: doc_key(e, order))
    return found, mined


def _records_in_boxes(records: list[_Element]) -> list[_Element]:
    """Records mined by shape, one of which is only a box around records of the others' tag
    and class (Commentics' replies group, hidden until a script opens it, holding comment
    boxes like those of the thread) and keeping no comment of its own outside them: the box
    gives way to the records it holds."""
    (tag, cls), repeats = Counter((r.tag, r.get("class")) for r in records).most_common(1)[0]
    if repeats < 2 or not cls:
        return records
    out: list[_Element] = []
    for record in records:
        inner = []
        if (record.tag, record.get("class")) != (tag, cls):
            inner = [d for d in record.iter(tag) if d is not record and d.get("class") == cls]
            if inner and comment_like(record, frozenset(inner)):
                inner = []  # a comment with replies, of a class of its own ("parent")
        # the outermost of them: a reply's replies are found inside it
        out.extend(d for d in inner if not any(o is not d and holds(o, d) for o in inner))
        if not inner:
            out.append(record)
    return out


def _without_containers(items: list[_Element]) -> list[_Element]:
    """Without the items that only hold comments: an element whose id reads as a comment's
    (``comment233``, the entry's number in soojung's ``div.comments``) around two or more
    items of one tag and class, each a comment, keeping no date and prose of its own outside
    them, is their box, not a comment."""
    inner: dict[_Element, list[_Element]] = {}
    item_set = set(items)
    for el in items:
        anc = el.getparent()
        while anc is not None:
            if anc in item_set:
                inner.setdefault(anc, []).append(el)
                break  # the nearest item holding it
            anc = anc.getparent()
    boxes = {
        el
        for el, held in inner.items()
        if len(held) >= 2
        and len({(h.tag, h.get("class")) for h in held}) == 1
        and all(comment_like(h) for h in held)
        and not comment_like(el, frozenset(held))
    }
    return [el for el in items if el not in boxes]


_NO_ROW_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6", "p", "a", "span", "form", "input"])


def _list_rows(
    el: _Element, seen: set[_Element], holding: dict[_Element, list[_Element]]
) -> list[_Element]:
    """The comments of an element named as a comment list or section that the item marks miss:
    its repeated children when no item is inside them, or a row whose only item covers just
    its header. Rows taken are added to ``seen``."""
    names = attr_names(el)
    is_list = any(_LIST_TOKEN.search(n) for n in names)
    if not is_list and (el in holding or not any(_SECTION_TOKEN.search(n) for n in names)):
        return []
    tag, children = _rows(el, is_list)
    if not children or tag in _NO_ROW_TAGS:
        return []
    inner = {c: ([c] if c in seen else []) + holding.get(c, []) for c in children}
    rows: list[_Element] = []
    for c in children:
        if c.tag != tag or c in seen:
            continue
        row_items = inner[c]
        if not any(inner.values()):
            take = has_text(c)
        else:
            # a list row whose only item marks just its header: the row is the comment
            take = (
                len(row_items) == 1
                and row_items[0] is not c
                and len(flat_text(c)) > len(flat_text(row_items[0])) + 20
            )
        if take:
            seen.add(c)
            rows.append(c)
    return rows


def _rows(el: _Element, is_list: bool) -> tuple[str, list[_Element]]:
    """A list's children of its most common tag; in a section, the repeated blocks of one class,
    none holding a form."""
    children = [c for c in el if isinstance(c.tag, str) and c.tag not in ("script", "style")]
    if not children:
        return "", []
    if is_list:
        tag, _count = Counter(c.tag for c in children).most_common(1)[0]
        return str(tag), children
    # by the first class only: a template varies the others per record ("card ml-0" and the
    # reply's "card ml-5")
    shape, repeats = Counter((c.tag, first_class(c)) for c in children).most_common(1)[0]
    if repeats < 2 or not shape[1]:
        return "", []
    rows = [
        c
        for c in children
        if (c.tag, first_class(c)) == shape
        and c.find(".//form") is None
        and c.find(".//textarea") is None
    ]
    return str(shape[0]), rows


_INLINE = frozenset(["a", "span", "b", "strong", "em", "i", "small", "label", "button", "abbr"])
_LETTER = re.compile(r"[^\W\d_]")


def _no_record(el: _Element) -> bool:
    """A link or counter named like a comment ("3 replies"), or a box of one that shows no
    word (a comment counter "17" in a ``div.comment_block``): no comment markup."""
    return el.tag in _INLINE or not any(_LETTER.search(t) for t in el.itertext())


_SIBLING_PART = re.compile(r"body|content|text|message|footer|meta|date|time", re.IGNORECASE)


def _gather_siblings(el: _Element, seen: set[_Element]) -> _Element:
    """A header-only item whose body follows as siblings (``dt`` + ``dd`` lists of old Blogger
    templates): wrap the header and those siblings into one element, which becomes the item."""
    if len(flat_text(el)) > 120 or el.getparent() is None:
        return el
    following: list[_Element] = []
    sib = el.getnext()
    while sib is not None and sib not in seen and isinstance(sib.tag, str):
        names = class_tokens(sib)
        if not names or not any(_SIBLING_PART.search(n) for n in names):
            break
        following.append(sib)
        sib = sib.getnext()
    if not any(_SIBLING_PART.search(" ".join(class_tokens(f))) and flat_text(f) for f in following):
        return el
    if not any(
        re.search(r"body|content|text|message", " ".join(class_tokens(f)), re.I) for f in following
    ):
        return el
    wrapper = etree.Element("div")
    el.addprevious(wrapper)
    tail = el.tail
    wrapper.append(el)
    for f in following:
        wrapper.append(f)
    wrapper.tail = tail
    seen.add(wrapper)
    return wrapper
