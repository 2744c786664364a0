"""trafilatura's body extraction for the options corpsearch uses, without the work they discard.

``bare_extraction(tree, include_comments=False, fast=True, output_format="txt")`` runs
``trafilatura.core.trafilatura_sequence``; with those options part of what it does is never
read: a copy of the cleaned tree kept for the comparison with other extractors that ``fast``
skips, with precision a second copy of the page kept for a baseline rescue that precision never
runs, a copy of the cleaned tree that only the rescue of short texts reads, and the
extraction options built again for every call. Its pruning expressions (XPath with EXSLT
regular expressions, see :mod:`corpsearch.extract.prunes`) cost more than the cleaning they
serve.

:func:`body_tree` runs the same steps on one copy of the page: trafilatura's own functions for
cleaning, converting and reading the text; its sequence and the main extractor's functions
that prune (``extract_content``, ``_extract``, ``prune_unwanted_sections`` of trafilatura
2.3.1) are restated below
with the pruning expressions' Python tests in their place, and the cleaned tree made again
for the rescue instead of copied for every page). tests/test_extract_boilerplate.py
holds the body trees to ``bare_extraction``'s on real pages, so a trafilatura whose steps
differ fails there.

One step is added, on the page's copy before cleaning: :func:`drop_empty_inline`. With
precision trafilatura removes empty elements together with their tail text, so a paragraph
ends at an empty inline placeholder (a quote box a script fills, an icon) and the rest of it
is lost; the empty inline elements are removed first, their tails kept.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import copy
from functools import cache
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from corpsearch.extract.prunes import BODY_FRAMES, prune

__all__ = ["body_tree", "drop_empty_inline"]

# the inline tags among those trafilatura's cleaning removes when empty (CUT_EMPTY_ELEMS)
_INLINE = ("b", "em", "i", "q", "span", "strong")


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

    options = _options("recall" if recall else "precision")
    try:
        page, cleaned = _cleaned(tree, options, recall)
        body, text = _extract_content(cleaned, options, lambda: _cleaned(tree, options, recall)[1])
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


def _cleaned(tree: HtmlElement, options: Any, recall: bool) -> tuple[HtmlElement, HtmlElement]:
    """A copy of the page with trafilatura's whole-page prunes, and its cleaned and converted
    tree (the same tree with precision: it reads the page only through its cleaned tree;
    recall's baseline rescue reads the page as it was before cleaning)."""
    from trafilatura.core import _forum_thread_page
    from trafilatura.htmlprocessing import convert_tags, tree_cleaning

    page = copy(tree)
    drop_empty_inline(page)
    is_forum = _forum_thread_page(page)
    prune(page, "RAW_TREE_PRUNE_XPATH")
    if not recall or not is_forum:  # comments are off: their sections go before cleaning
        prune(page, "REMOVE_COMMENTS_AND_LISTS_XPATH")
    cleaned = tree_cleaning(copy(page) if recall else page, options)
    cleaned = convert_tags(cleaned, options, None)
    if not recall and not is_forum:  # after the conversion, where lists are <list>
        prune(cleaned, "REMOVE_COMMENTS_XPATH")
    return page, cleaned


def drop_empty_inline(page: HtmlElement) -> None:
    """Remove the inline elements of ``page`` that trafilatura's cleaning leaves empty (no
    text, and no child but elements it deletes or unwraps empty), keeping their tail text
    where trafilatura's precision drops it."""
    from trafilatura.settings import MANUALLY_CLEANED, MANUALLY_STRIPPED
    from trafilatura.xml import delete_element

    cleaned, stripped = frozenset(MANUALLY_CLEANED), frozenset(MANUALLY_STRIPPED)

    def empty(element: etree._Element) -> bool:
        return element.text is None and all(
            not child.tail and (child.tag in cleaned or (child.tag in stripped and empty(child)))
            for child in element
        )

    # every one, the last first: a tail may pass to an empty element before it
    for element in reversed([e for e in page.iter(*_INLINE) if empty(e)]):
        delete_element(element)


def _extract_content(
    cleaned: HtmlElement, options: Any, again: Callable[[], HtmlElement]
) -> tuple[etree._Element, str]:
    """``trafilatura.main_extractor.extract_content``, but for its copy of the cleaned tree,
    which only the recovery of wild text reads: ``again()`` makes that tree anew, when it is
    needed (on about one page in ten)."""
    from trafilatura.main_extractor import _elem_text, recover_wild_text
    from trafilatura.settings import MIN_DUPLICATE_LENGTH
    from trafilatura.utils import SPACING_PROTECTED, text_chars_test
    from trafilatura.xml import delete_element

    order = list(cleaned.iter())  # the main pass moves elements; the copy keeps the order
    body, text, potential_tags = _extract(cleaned, options)
    if len(body) == 0 or len(text) < options.min_extracted_size:
        # wild text, less what the main pass consumed
        backup = again()
        consumed = {twin for e, twin in zip(order, backup.iter(), strict=True) if e.tag == "done"}
        body = recover_wild_text(backup, body, options, potential_tags, consumed)
        text = " ".join(body.itertext()).strip()
    previous = None
    for element in list(body):  # an element repeating the one before
        current = _elem_text(element)
        if current and current == previous and len(current) > MIN_DUPLICATE_LENGTH:
            delete_element(element, keep_tail=False)
        else:
            previous = current
    etree.strip_elements(body, "done")
    etree.strip_tags(body, "div")
    for linebreak in body.iter("lb"):  # a break left only separating pruned blocks
        if (
            linebreak.tail
            and not text_chars_test(linebreak.tail)
            and not any(a.tag in SPACING_PROTECTED for a in linebreak.iterancestors())
        ):
            linebreak.tail = None
    return body, text


def _extract(tree: HtmlElement, options: Any) -> tuple[etree._Element, str, set[str]]:
    """``trafilatura.main_extractor._extract``: the first content frame of BODY_XPATH that
    gives text, pruned, its elements converted."""
    from trafilatura.htmlprocessing import process_node
    from trafilatura.main_extractor import NOT_AT_THE_END, REBUILT_BLOCKS, handle_textelem
    from trafilatura.settings import INLINE_FORMATTABLE, TAG_CATALOG
    from trafilatura.utils import text_chars_test
    from trafilatura.xml import delete_element

    potential_tags = set(TAG_CATALOG)
    if options.tables is True:
        potential_tags.update(["table", "td", "th", "tr"])
    if options.images is True:
        potential_tags.add("graphic")
    if options.links is True:
        potential_tags.add("ref")
    body = etree.Element("body")
    for frame in BODY_FRAMES:
        subtree = frame(tree)
        if subtree is None:
            continue
        subtree = _prune_sections(subtree, potential_tags, options)
        if len(subtree) == 0:
            continue
        paragraph_text = subtree.xpath("//p//text()")
        factor = 1 if options.focus == "precision" else 3
        if not paragraph_text or len("".join(paragraph_text)) < options.min_extracted_size * factor:
            potential_tags.add("div")
        elements = list(subtree.iterdescendants(etree.Element))  # its ".//*"
        tags = {e.tag for e in elements}
        if tags == {"lb"} or (
            subtree.tag == "div" and "div" in potential_tags and tags <= INLINE_FORMATTABLE | {"lb"}
        ):
            elements = [subtree]  # one run of text: the frame itself
        lead, start = None, len(body)
        if elements != [subtree] and text_chars_test(subtree.text):
            lead = etree.Element("p")
            lead.text = subtree.text
            lead = process_node(lead, options)
        for element in elements:
            if element.getroottree().getroot() is body:
                continue  # moved into the body with an element emitted whole
            tag, tail = element.tag, element.tail
            processed = handle_textelem(element, potential_tags, options)
            if processed is not None:
                body.append(processed)
                if element.getroottree().getroot() is not body:
                    element.tag = "done"
            if (
                tag in REBUILT_BLOCKS
                and text_chars_test(tail)
                and (processed is None or processed.tail is None)
            ):
                tail_element = etree.Element("p")
                tail_element.text = tail
                if process_node(tail_element, options) is not None:
                    body.append(tail_element)
        while len(body) > 0 and body[-1].tag in NOT_AT_THE_END:
            delete_element(body[-1], keep_tail=False)
        if sum(e.tag != "graphic" for e in body) > 1:  # real content, not a lone image
            if lead is not None:
                body.insert(start, lead)
            break
    return body, " ".join(body.itertext()).strip(), potential_tags


def _prune_sections(tree: HtmlElement, potential_tags: set[str], options: Any) -> HtmlElement:
    """``trafilatura.main_extractor.prune_unwanted_sections`` (teasers not kept)."""
    from trafilatura.htmlprocessing import delete_by_link_density, link_density_test_tables
    from trafilatura.xml import delete_element

    precision = options.focus == "precision"
    tree = prune(tree, "OVERALL_DISCARD_XPATH", with_backup=True)
    if "graphic" not in potential_tags:
        tree = prune(tree, "DISCARD_IMAGE_ELEMENTS")
    if options.focus != "recall":
        tree = prune(tree, "TEASER_DISCARD_XPATH")
        if precision:
            tree = prune(tree, "PRECISION_DISCARD_XPATH")
    for _ in range(2):
        tree = delete_by_link_density(tree, "div", backtracking=True, favor_precision=precision)
        tree = delete_by_link_density(tree, "list", backtracking=False, favor_precision=precision)
        tree = delete_by_link_density(tree, "p", backtracking=False, favor_precision=precision)
    if "table" in potential_tags or precision:
        tables = [e for e in tree.iter("table") if link_density_test_tables(e) is True]
        for element in tables:
            delete_element(element, keep_tail=False)
    if precision:
        while len(tree) > 0 and tree[-1].tag == "head":
            delete_element(tree[-1], keep_tail=False)
        tree = delete_by_link_density(tree, "head", backtracking=False, favor_precision=True)
        tree = delete_by_link_density(tree, "quote", backtracking=False, favor_precision=True)
    etree.strip_tags(tree, "span", *(() if "ref" in potential_tags else ("ref",)))
    return tree
