"""How comments nest: a candidate inside another is a part of it or a reply, a box of replies
after a comment answers it, and a reply shown flat that links to the comment it answers gets it
as parent. Comments are told apart by the numbers of their ids.

Used by :mod:`corpsearch.extract.comments`.
"""

from __future__ import annotations

import re

from lxml.etree import _Element

from corpsearch.extract.comment_fields import Item
from corpsearch.extract.comment_markup import DIGITS, attr_names, flat_text, has_text

__all__ = ["build", "flatten", "parents_by_indent", "parents_by_reply_link"]


_REPLY_BOX = re.compile(
    r"children|repl|sub|nested|thread|child|level|antwort|respuesta|indent", re.IGNORECASE
)


def _numbers(el: _Element) -> frozenset[str] | None:
    """The numbers in an element's comment id ("wc-comm-512_61" gives 512 and 61): two ids
    name the same comment when one's numbers hold the other's ("comment-201" and
    "wpd-comm-201_0"), different ones otherwise, even when both carry the post's number."""
    for attr in ("id", "data-comment-id", "data-id"):
        value = el.get(attr)
        if value and DIGITS.search(value):
            return frozenset(_NUMBER_RUN.findall(value))
    return None


_NUMBER_RUN = re.compile(r"\d+")


def _same_comment(a: frozenset[str], b: frozenset[str]) -> bool:
    return a <= b or b <= a


def build(cands: list[_Element], records: frozenset[_Element] = frozenset()) -> list[Item]:
    """Nest candidates into items: an inner candidate is a part of its item or a reply to it.
    ``records`` are candidates mined by their shape: one inside another is a reply, as the
    mining took it only when the outer one keeps a comment of its own."""
    cand_set = set(cands)
    items: dict[_Element, Item] = {}
    owner: dict[_Element, Item] = {}
    top: list[Item] = []
    for el in cands:
        anc: _Element | None = el.getparent()
        container: Item | None = None
        path: list[_Element] = []
        while anc is not None:
            if anc in cand_set:
                container = owner[anc]
                break
            path.append(anc)
            anc = anc.getparent()
        if container is None:
            replied = _box_after(path, owner)
            item = Item(el, [], [], parent=replied)
            items[el] = item
            owner[el] = item
            if replied is None:
                top.append(item)
            else:
                replied.replies.append(item)
            continue
        if (el in records and container.node in records) or _is_reply(container, el, path):
            item = Item(el, [], [], parent=container)
            container.replies.append(item)
            items[el] = item
            owner[el] = item
        else:
            container.parts.append(el)
            owner[el] = container
    return top


# a box indented from the left, by a utility class ("ml-3", "pl-4", "ms-2") or its style
_INDENT_BOX = re.compile(r"^(?:ml|pl|ms|ps)-(?:\d|\[)", re.IGNORECASE)


def _indented_box(box: _Element) -> bool:
    if any(_INDENT_BOX.match(t) for t in (box.get("class") or "").split()):
        return True
    return _INDENT_STYLE.search(box.get("style") or "") is not None


def _box_after(path: list[_Element], owner: dict[_Element, Item]) -> Item | None:
    """The comment a box of replies follows as its sibling (Drupal's ``div.indented`` after
    the comment it answers, a ``div.ml-3`` in utility classes): replies outside the comment
    they answer."""
    for at, box in enumerate(path[:3]):
        named = any(_REPLY_BOX.search(n) for n in attr_names(box)) or _indented_box(box)
        if not named and not _wrapped_with(box, owner):
            continue
        # the box may sit alone in wrappers of its own (Coral's reply list inside a bare
        # div): the sibling before the outermost such wrapper is the comment answered
        for outer in path[at : at + 3]:
            prev = _previous_with_text(outer)
            if prev is not None:
                if prev in owner:
                    return owner[prev]
                break
    return None


def _wrapped_with(box: _Element, owner: dict[_Element, Item]) -> bool:
    """An unnamed box right after a comment, inside a wrapper that holds that one comment and
    the box (Bootstrap's media object: ``div.comment`` and the replies' ``div.media`` in one
    ``media-body``): the comment's own box of replies. A box of more comments in the thread's
    list itself ("load more") sits beside several comments and is none."""
    prev = _previous_with_text(box)
    parent = box.getparent()
    if prev is None or prev not in owner or parent is None:
        return False
    return sum(1 for c in parent if c in owner) == 1


def _previous_with_text(el: _Element) -> _Element | None:
    """The sibling before ``el``, past up to three empty ones (anchors, clearing divs)."""
    prev = el.getprevious()
    steps = 0
    while prev is not None and steps < 3 and not has_text(prev):
        prev = prev.getprevious()
        steps += 1
    return prev if prev is not None and has_text(prev) else None


def _is_reply(container: Item, el: _Element, path: list[_Element]) -> bool:
    if _same_template(el, container.node):
        # the record's own template repeated inside it, as it is or with a class of its
        # own added (HashOver's "hashover-comment hashover-reply" inside "hashover-comment",
        # whose id "hashover-c1r1" holds no number the answered "hashover-c1" lacks)
        return True
    outer = _numbers(container.node)
    for part in container.parts:
        outer = outer or _numbers(part)
    inner = _numbers(el)
    if outer and inner:
        return not _same_comment(outer, inner)
    for p in path:
        if p.tag in ("ul", "ol") or any(_REPLY_BOX.search(n) for n in attr_names(p)):
            return True
    if el.tag == "li":
        return True
    if inner and container.parts:
        return True
    # a second full item after the first one's body is a reply
    return any(_numbers(p) for p in container.parts) and inner is not None


def _same_template(el: _Element, outer: _Element) -> bool:
    """``el`` carries every class of ``outer`` and the same tag: a record of the same template,
    maybe marked as a reply by a class added after the shared ones."""
    names = (el.get("class") or "").split()
    outer_names = (outer.get("class") or "").split()
    return el.tag == outer.tag and bool(outer_names) and names[: len(outer_names)] == outer_names


def flatten(items: list[Item]) -> list[Item]:
    out: list[Item] = []
    for item in items:
        out.append(item)
        out.extend(flatten(item.replies))
    return out


_REPLY_TO = re.compile(
    r"\b(?:in reply to|reply to|replying to|replied to|in response to|antwort an|antwort auf|"
    r"als antwort auf|en réponse à|réponse à|en respuesta a|respuesta a|in risposta a|"
    r"risposta a|em resposta a|in antwoord op|reactie op|w odpowiedzi na|ответ на)\b",
    re.IGNORECASE,
)


def parents_by_reply_link(flat: list[Item]) -> None:
    """Replies shown flat that name the comment they answer by a link ("in reply to NAME",
    "Reply to NAME" pointing at ``#comment-12`` or carrying the answered post's number): that
    comment is the parent."""
    by_numbers: list[tuple[frozenset[str], Item]] = []
    cache: dict[int, set[str]] = {}
    for at, it in enumerate(flat):
        if it.parent is None:
            parent = _linked_parent(it, by_numbers) or _named_parent(it, flat, at, cache)
            if parent is not None:
                it.parent = parent
                parent.replies.append(it)
        numbers = _numbers(it.node) or next((n for p in it.parts if (n := _numbers(p))), None)
        if numbers:
            by_numbers.append((numbers, it))


def _anchors(it: Item) -> set[str]:
    """The fragment names that lead to a comment: its node's id, the ids and anchor names of
    elements in it."""
    names: set[str] = set()
    for el in it.node.iter():
        for attr in ("id", "name"):
            value = el.get(attr)
            if value and (attr == "id" or el.tag == "a"):
                names.add(value)
    return names


def _named_parent(it: Item, flat: list[Item], at: int, cache: dict[int, set[str]]) -> Item | None:
    """The comment before ``flat[at]`` (``it``) that a short link of ``it`` points at by its
    anchor ("@ NAME" to ``#1714134411203``): a reply shown flat naming the one it answers."""
    links = [a for a in it.node.iter("a") if "#" in (a.get("href") or "")]
    if not links:
        return None
    own = {v for el in it.node.iter() if (v := el.get("id"))}
    for a in links:
        fragment = (a.get("href") or "").rpartition("#")[2]
        if not fragment or fragment in own or len(flat_text(a)) > 40:
            continue
        for item in (flat[i] for i in range(at - 1, -1, -1)):
            names = cache.get(id(item))
            if names is None:
                names = cache[id(item)] = _anchors(item)
            if fragment in names:
                return item
    return None


def _linked_parent(it: Item, earlier: list[tuple[frozenset[str], Item]]) -> Item | None:
    if not earlier:
        return None
    for a in it.node.iter("a"):
        label = flat_text(a)
        context = flat_text(a.getparent()) if a.getparent() is not None else label
        if not _REPLY_TO.search(label) and not _REPLY_TO.search(context[:80]):
            continue
        values = [(a.get("href") or "").rpartition("#")[2]]
        values += [v for k, v in a.attrib.items() if k.startswith("data-")]
        for value in values:
            numbers = frozenset(_NUMBER_RUN.findall(value))
            if not numbers:
                continue
            for known, item in reversed(earlier):
                if known == numbers or (len(numbers) == 1 and numbers <= known):
                    return item
    return None


# how far a record is indented: an inline offset ("padding-left: 40px", "margin-left:2em"), a
# level in its class ("level-1", "commentlevel-2", "depth-3") or a utility margin ("ml-5")
_INDENT_STYLE = re.compile(r"(?:padding|margin)-left\s*:\s*(\d+(?:\.\d+)?)\s*(px|em|rem|%)?", re.I)
_LEVEL_CLASS = re.compile(r"(?:level|depth|indent)[-_]?(\d{1,2})$", re.IGNORECASE)
# a left margin or padding of a CSS utility framework ("ml-5", "ps-3": Bootstrap, Tailwind)
_INDENT_CLASS = re.compile(r"^(?:ml|ms|pl|ps)-(\d{1,2})$")
_UNIT = {"em": 16.0, "rem": 16.0, "%": 8.0}


def _indent(el: _Element) -> float | None:
    m = _INDENT_STYLE.search(el.get("style") or "")
    if m:
        return float(m.group(1)) * _UNIT.get((m.group(2) or "px").lower(), 1.0)
    for token in (el.get("class") or "").split():
        level = _LEVEL_CLASS.search(token)
        if level:
            return float(level.group(1)) * 1000.0
    for token in (el.get("class") or "").split():
        step = _INDENT_CLASS.match(token)
        if step:
            return float(step.group(1)) * 4.0
    return None


def parents_by_indent(flat: list[Item]) -> None:
    """Replies shown flat, one list for the whole thread, whose nesting is shown only by how
    far each record is indented (Serendipity's ``padding-left`` per depth, Plone's
    ``level-N``): a record indented further than the one before answers the nearest earlier
    record of the same list indented less. Only lists whose records differ in indent."""
    groups: dict[_Element | None, list[Item]] = {}
    for it in flat:
        groups.setdefault(it.node.getparent(), []).append(it)
    for group in groups.values():
        indents = [_indent(it.node) for it in group]
        if len(group) < 2 or len({i for i in indents if i is not None}) < 1:
            continue
        values = [i or 0.0 for i in indents]
        if len(set(values)) < 2:
            continue
        stack: list[tuple[float, Item]] = []
        for it, value in zip(group, values, strict=True):
            while stack and stack[-1][0] >= value:
                stack.pop()
            if stack and it.parent is None:
                parent = stack[-1][1]
                it.parent = parent
                parent.replies.append(it)
            stack.append((value, it))
