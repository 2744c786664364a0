"""trafilatura's pruning expressions as Python tests that select the same elements.

trafilatura prunes a page with XPath expressions that test id, class and style attributes with
EXSLT regular expressions: libxml2 calls back into Python for every test of every element, and
these expressions took about a third of trafilatura's time on a dev page (docs/benchmarks.md).
Each function here walks the same tags in document order and applies the same tests, with the
regular expressions read from trafilatura's own expressions (``re:test`` is ``re.search`` with
the default flags in lxml too), so a vocabulary trafilatura changes is followed.
tests/test_extract_boilerplate.py holds every function to its expression's elements on the
dev pages, on the page as parsed and as trafilatura converts it.

XPath's string value of an absent attribute is the empty string, and of ``@id|@class`` the
value of whichever of the two the element has first (attributes are in document order in the
order of the source); :func:`_value` and :func:`_first` read them so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, partial

from lxml import etree
from lxml.html import HtmlElement

__all__ = ["BODY_FRAMES", "STAND_INS", "Select", "prune"]

# one expression: the elements it selects under a tree (not the tree itself), in document order
Select = Callable[[HtmlElement], list[HtmlElement]]

# the tags most of the expressions look at (self::div or self::item or …)
_BLOCKS = ("div", "item", "list", "p", "section", "span")


def _value(element: HtmlElement, name: str) -> str:
    return element.get(name) or ""


def _first(element: HtmlElement, one: str, other: str) -> str:
    for name, value in element.items():
        if name in (one, other):
            return str(value)
    return ""


@cache
def _patterns(name: str, index: int) -> list[re.Pattern[str]]:
    """The regular expressions of the ``re:test(…)`` calls of expression ``index`` of
    trafilatura's list ``name``, in their order (with the flag ``i``, ignoring case)."""
    import trafilatura.xpaths

    path = getattr(trafilatura.xpaths, name)[index].path
    calls = re.findall(r"re:test\([^,]+, '([^']*)'(?:, '([^']*)')?\)", path)
    return [re.compile(p, re.IGNORECASE if "i" in flags else 0) for p, flags in calls]


def _scroll_boxes(tree: HtmlElement) -> list[HtmlElement]:
    """RAW_TREE_PRUNE_XPATH[0]: infinite-scroll boxes of follow-up articles, unless one holds
    an h1 (then it is the article) and is not a named follow-up box."""
    scroll_id, scroll_class, named_id, named_class = _patterns("RAW_TREE_PRUNE_XPATH", 0)
    found = []
    for element in tree.iterdescendants("div", "section", "aside"):
        ident, names = _value(element, "id"), _value(element, "class")
        if (scroll_id.search(ident) or scroll_class.search(names)) and (
            element.find(".//h1") is None or named_id.search(ident) or named_class.search(names)
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
    """REMOVE_COMMENTS_XPATH; with ``lists`` REMOVE_COMMENTS_AND_LISTS_XPATH, which also takes
    ``ol`` and ``ul`` lists named as comments (not by the disqus ids)."""
    if lists:
        ids, classes, list_ids, list_classes = _patterns("REMOVE_COMMENTS_AND_LISTS_XPATH", 0)
        tags: tuple[str, ...] = ("div", "list", "section", "details", "ol", "ul")
    else:
        ids, classes = _patterns("REMOVE_COMMENTS_XPATH", 0)
        tags = ("div", "list", "section", "details")
    found = []
    for element in tree.iterdescendants(*tags):
        ident, names = _value(element, "id"), _value(element, "class")
        if not (ids.search(ident) or classes.search(names)):
            continue
        if (
            lists
            and element.tag in ("ol", "ul")
            and not list_ids.search(ident)
            and not list_classes.search(names)
        ):
            continue
        found.append(element)
    return found


def _boilerplate_blocks(tree: HtmlElement) -> list[HtmlElement]:
    """OVERALL_DISCARD_XPATH[0]: navigation, consent, sharing, ads, bylines, related links…
    by their role, id and class."""
    cookie, ids, classes = _patterns("OVERALL_DISCARD_XPATH", 0)
    found = []
    for element in tree.iterdescendants(*_BLOCKS):
        if (
            element.get("data-lp-replacement-content") is not None
            or "nav" in _value(element, "role").replace("N", "n")
            or "MostPopularStories" in _value(element, "data-component")
            or cookie.search(_first(element, "id", "class"))
            or ids.search(_value(element, "id"))
            or classes.search(_value(element, "class"))
        ):
            found.append(element)
    return found


def _hidden_and_replies(tree: HtmlElement) -> list[HtmlElement]:
    """OVERALL_DISCARD_XPATH[1]: any element hidden by its id, class, style or aria-hidden,
    and comment titles and reply boxes."""
    hidden, ids, classes = _patterns("OVERALL_DISCARD_XPATH", 1)
    found = []
    for element in tree.iterdescendants(etree.Element):
        names = element.get("class")
        style = _value(element, "style")
        if (
            names == "comments-title"
            or _first(element, "id", "class").startswith("reply-")
            or hidden.search(_first(element, "id", "style"))
            or "display:none" in style
            or "display: none" in style
            or ids.search(_value(element, "id"))
            or classes.search(names or "")
            or element.get("aria-hidden") == "true"
        ):
            found.append(element)
    return found


def _teasers(tree: HtmlElement) -> list[HtmlElement]:
    """TEASER_DISCARD_XPATH: blocks named teaser (or Teaser)."""
    return [
        element
        for element in tree.iterdescendants(*_BLOCKS)
        if "teaser" in _value(element, "id").replace("T", "t")
        or "teaser" in _value(element, "class").replace("T", "t")
    ]


def _headers(tree: HtmlElement) -> list[HtmlElement]:
    """PRECISION_DISCARD_XPATH[0]: every header."""
    return list(tree.iterdescendants("header"))


def _bottoms_and_links(tree: HtmlElement) -> list[HtmlElement]:
    """PRECISION_DISCARD_XPATH[1]: blocks named bottom or link, or with a border."""
    bottom, link = _patterns("PRECISION_DISCARD_XPATH", 1)
    found = []
    for element in tree.iterdescendants(*_BLOCKS):
        first = _first(element, "id", "class")
        if bottom.search(first) or link.search(first) or "border" in _value(element, "style"):
            found.append(element)
    return found


def _captions(tree: HtmlElement) -> list[HtmlElement]:
    """DISCARD_IMAGE_ELEMENTS: blocks named caption."""
    return [
        element
        for element in tree.iterdescendants(*_BLOCKS)
        if "caption" in _value(element, "id") or "caption" in _value(element, "class")
    ]


# trafilatura's expression lists (trafilatura.xpaths), each expression's test in its place
STAND_INS: dict[str, list[Select]] = {
    "RAW_TREE_PRUNE_XPATH": [_scroll_boxes, _share_buttons],
    "REMOVE_COMMENTS_AND_LISTS_XPATH": [partial(_comment_sections, lists=True)],
    "REMOVE_COMMENTS_XPATH": [partial(_comment_sections, lists=False)],
    "OVERALL_DISCARD_XPATH": [_boilerplate_blocks, _hidden_and_replies],
    "TEASER_DISCARD_XPATH": [_teasers],
    "PRECISION_DISCARD_XPATH": [_headers, _bottoms_and_links],
    "DISCARD_IMAGE_ELEMENTS": [_captions],
}


# --- the content frames: BODY_XPATH ----------------------------------------------------------

_FRAMES = ("article", "div", "main", "section")


def _first_frame(
    tree: HtmlElement, tags: tuple[str, ...], test: Callable[[HtmlElement], object]
) -> HtmlElement | None:
    # the first element in document order passing the test: what trafilatura takes of the
    # expression's elements (each is the first of its kind, ".//*[…][1]" or "(.//*[…])[1]")
    for element in tree.iterdescendants(*tags):
        if test(element):
            return element
    return None


def _article_body(tree: HtmlElement) -> HtmlElement | None:
    """BODY_XPATH[0]: a frame named as an article's or a post's body."""
    ids, classes = _patterns("BODY_XPATH", 0)

    def test(element: HtmlElement) -> object:
        names = element.get("class")
        return (
            names in ("post", "entry")
            or element.get("itemprop") == "articleBody"
            or element.get("id") == "articleContent"
            or ids.search(_value(element, "id"))
            or classes.search(names or "")
        )

    return _first_frame(tree, _FRAMES, test)


def _article(tree: HtmlElement) -> HtmlElement | None:
    """BODY_XPATH[1]: the first article."""
    return next(tree.iterdescendants("article"), None)


def _story(tree: HtmlElement) -> HtmlElement | None:
    """BODY_XPATH[2]: a frame named as an article's, a story's or a post's text."""
    ids, fulltext, classes = _patterns("BODY_XPATH", 2)

    def test(element: HtmlElement) -> object:
        ident, names = element.get("id"), element.get("class")
        return (
            element.get("role") == "article"
            or ident in ("article", "story")
            or names in ("postarea", "art-postcontent", "text", "cell", "story")
            or ids.search(ident or "")
            or fulltext.search(names or "")
            or classes.search(names or "")
        )

    return _first_frame(tree, _FRAMES, test)


def _main_content(tree: HtmlElement) -> HtmlElement | None:
    """BODY_XPATH[3]: a frame named as the page's content."""
    ids, classes = _patterns("BODY_XPATH", 3)
    main = str.maketrans("CM", "cm")
    page = str.maketrans("CP", "cp")

    def test(element: HtmlElement) -> object:
        ident, names = _value(element, "id"), _value(element, "class")
        return (
            element.get("id") == "content"
            or element.get("class") == "content"
            or ids.search(ident)
            or classes.search(names)
            or "main-content" in ident.translate(main)
            or "main-content" in names.translate(main)
            or "page-content" in names.translate(page)
        )

    return _first_frame(tree, _FRAMES, test)


def _main(tree: HtmlElement) -> HtmlElement | None:
    """BODY_XPATH[4]: the first frame whose class, id or role starts with "main", or the first
    main, whichever comes first."""

    def test(element: HtmlElement) -> object:
        return element.tag == "main" or (
            _value(element, "class").startswith("main")
            or _value(element, "id").startswith("main")
            or _value(element, "role").startswith("main")
        )

    return _first_frame(tree, ("article", "div", "section", "main"), test)


# BODY_XPATH: each expression's first element, in the expressions' order
BODY_FRAMES: list[Callable[[HtmlElement], HtmlElement | None]] = [
    _article_body,
    _article,
    _story,
    _main_content,
    _main,
]


def prune(tree: HtmlElement, name: str, *, with_backup: bool = False) -> HtmlElement:
    """``trafilatura.htmlprocessing.prune_unwanted_nodes(tree, <name>, with_backup)`` with the
    Python tests: without backup, each expression's elements are removed (their tails kept)
    before the next one looks; with it, the outermost elements of all the expressions are
    removed only when more than a seventh of the text stays."""
    from trafilatura.xml import delete_element

    selects = STAND_INS[name]
    if not with_backup:
        for select in selects:
            for element in select(tree):
                delete_element(element)
        return tree
    matches = dict.fromkeys(element for select in selects for element in select(tree))
    outer = [e for e in matches if not any(a in matches for a in e.iterancestors())]
    old_len = len(tree.text_content())
    if old_len - sum(len(e.text_content()) for e in outer) > old_len / 7:
        for element in outer:
            delete_element(element)
    return tree
