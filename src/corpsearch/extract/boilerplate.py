"""trafilatura's body extraction for the options corpsearch uses, without the work they discard.

``bare_extraction(tree, include_comments=False, fast=True, output_format="txt")`` runs
``trafilatura.core.trafilatura_sequence``; with those options part of what it does is never
read: a copy of the cleaned tree kept for the comparison with other extractors that ``fast``
skips, with precision a second copy of the page kept for a baseline rescue that precision never
runs, and the extraction options built again for every call. Its pruning expressions (XPath
with EXSLT regular expressions: every test a call from libxml2 back into Python, over every
element of the page) cost more than the cleaning they serve. :func:`body_tree` runs the same
steps with trafilatura's own functions on one copy of the page, and runs the three expressions
it applies to the whole page as Python tests that select the same elements, with the regular
expressions read from trafilatura's own expressions. tests/test_extract_boilerplate.py holds
each test to its expression's elements, and the bodies to ``bare_extraction``'s, on real pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

__all__ = ["STAND_INS", "body_tree"]

# one expression: the elements it selects under a tree, in document order
Select = Callable[[HtmlElement], list[HtmlElement]]


def _value(element: HtmlElement, name: str) -> str:
    # an absent attribute is the empty string to XPath's string functions and to re:test
    return element.get(name) or ""


def _patterns(expression: Any) -> list[re.Pattern[str]]:
    """The regular expressions of the ``re:test(…)`` calls in one of trafilatura's compiled
    expressions, in their order (lxml compiles them with ``re.search``'s defaults too)."""
    return [re.compile(p) for p in re.findall(r"re:test\([^,]+, '([^']*)'\)", expression.path)]


@dataclass(frozen=True, slots=True)
class _Rules:
    scroll_id: re.Pattern[str]
    scroll_class: re.Pattern[str]
    named_box_id: re.Pattern[str]
    named_box_class: re.Pattern[str]
    comments_id: re.Pattern[str]
    comments_class: re.Pattern[str]
    comment_list_id: re.Pattern[str]
    comment_list_class: re.Pattern[str]


@cache
def _rules() -> _Rules:
    from trafilatura.xpaths import (
        RAW_TREE_PRUNE_XPATH,
        REMOVE_COMMENTS_AND_LISTS_XPATH,
        REMOVE_COMMENTS_XPATH,
    )

    scroll_id, scroll_class, named_id, named_class = _patterns(RAW_TREE_PRUNE_XPATH[0])
    ids, classes, list_ids, list_classes = _patterns(REMOVE_COMMENTS_AND_LISTS_XPATH[0])
    if [p.pattern for p in _patterns(REMOVE_COMMENTS_XPATH[0])] != [ids.pattern, classes.pattern]:
        raise RuntimeError("trafilatura's comment expressions changed: see extract/boilerplate.py")
    return _Rules(
        scroll_id, scroll_class, named_id, named_class, ids, classes, list_ids, list_classes
    )


def _scroll_boxes(tree: HtmlElement) -> list[HtmlElement]:
    """RAW_TREE_PRUNE_XPATH[0]: infinite-scroll boxes of follow-up articles, unless one holds
    the page's h1 (then it is the article) and is not a named follow-up box."""
    rules = _rules()
    found = []
    for element in tree.iterdescendants("div", "section", "aside"):
        ident, names = _value(element, "id"), _value(element, "class")
        if (rules.scroll_id.search(ident) or rules.scroll_class.search(names)) and (
            element.find(".//h1") is None
            or rules.named_box_id.search(ident)
            or rules.named_box_class.search(names)
        ):
            found.append(element)
    return found


def _share_buttons(tree: HtmlElement) -> list[HtmlElement]:
    """RAW_TREE_PRUNE_XPATH[1]: Elementor's share bars."""
    return [
        element
        for element in tree.iterdescendants("div", "section", "aside")
        if "elementor-share-buttons" in _value(element, "class")
    ]


def _comment_sections(tree: HtmlElement, *, lists: bool) -> list[HtmlElement]:
    """REMOVE_COMMENTS_XPATH (``lists``: REMOVE_COMMENTS_AND_LISTS_XPATH, which also takes
    ``ol`` and ``ul`` lists named as comments, not by the disqus ids)."""
    rules = _rules()
    tags = (
        ("div", "list", "section", "details", "ol", "ul")
        if lists
        else ("div", "list", "section", "details")
    )
    found = []
    for element in tree.iterdescendants(*tags):
        ident, names = _value(element, "id"), _value(element, "class")
        if not (rules.comments_id.search(ident) or rules.comments_class.search(names)):
            continue
        if (
            element.tag in ("ol", "ul")
            and not rules.comment_list_id.search(ident)
            and not rules.comment_list_class.search(names)
        ):
            continue
        found.append(element)
    return found


# trafilatura's expression lists (in trafilatura.xpaths), each expression's test in its place
STAND_INS: dict[str, list[Select]] = {
    "RAW_TREE_PRUNE_XPATH": [_scroll_boxes, _share_buttons],
    "REMOVE_COMMENTS_AND_LISTS_XPATH": [partial(_comment_sections, lists=True)],
    "REMOVE_COMMENTS_XPATH": [partial(_comment_sections, lists=False)],
}


def _prune(tree: HtmlElement, selects: Sequence[Select]) -> None:
    """``trafilatura.htmlprocessing.prune_unwanted_nodes`` without its backup: each
    expression's elements removed (their tails kept) before the next one looks."""
    from trafilatura.xml import delete_element

    for select in selects:
        for element in select(tree):
            delete_element(element)


@cache
def _options(focus: str) -> Any:
    from trafilatura.settings import Extractor

    return Extractor(
        output_format="txt",
        fast=True,
        precision=focus == "precision",
        recall=focus == "recall",
        comments=False,
    )


def body_tree(tree: HtmlElement, *, recall: bool = False) -> etree._Element | None:
    """The body tree of ``bare_extraction(tree, include_comments=False, fast=True,
    output_format="txt", favor_precision=True)`` (``recall``: ``favor_recall=True``), or None
    where that returns None. ``tree`` is not changed."""
    from trafilatura.baseline import baseline
    from trafilatura.core import _forum_thread_page
    from trafilatura.htmlprocessing import convert_tags, tree_cleaning
    from trafilatura.main_extractor import extract_content

    options = _options("recall" if recall else "precision")
    try:
        page = copy(tree)
        is_forum = _forum_thread_page(page)
        _prune(page, STAND_INS["RAW_TREE_PRUNE_XPATH"])
        if not recall or not is_forum:  # comments are off: their sections go before cleaning
            _prune(page, STAND_INS["REMOVE_COMMENTS_AND_LISTS_XPATH"])
        # precision reads the page only through its cleaned tree: cleaned in place. Recall's
        # baseline rescue reads the page as it was before cleaning.
        cleaned = tree_cleaning(copy(page) if recall else page, options)
        cleaned = convert_tags(cleaned, options, None)
        if not recall and not is_forum:  # after the conversion, where lists are <list>
            _prune(cleaned, STAND_INS["REMOVE_COMMENTS_XPATH"])
        body, text = extract_content(cleaned, options)
        if recall and len(text) < options.min_extracted_size:
            rescued, rescued_text, rescued_length = baseline(page)
            if rescued_length > len(text):
                body, text = rescued, rescued_text
        if options.max_tree_size and len(body) > options.max_tree_size:
            etree.strip_tags(body, "hi")
            if len(body) > options.max_tree_size:
                return None
        if len(text) < options.min_output_size and options.min_output_comm_size > 0:
            return None  # too short (trafilatura's size checks; there are no comments)
    except (TypeError, ValueError):  # what bare_extraction turns into None
        return None
    return body
