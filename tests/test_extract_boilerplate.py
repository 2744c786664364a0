"""The body layer's shortcut through trafilatura (extract/boilerplate.py, prunes.py) gives what trafilatura
gives: each Python test selects the elements of the expression it stands in for, and the body
trees equal ``bare_extraction``'s (on the page less its empty inline elements, the one step
body_tree adds), on the real pages of fixtures/pages and the dev sets."""

from __future__ import annotations

import gzip
from copy import deepcopy
from pathlib import Path

import pytest
from lxml import etree
from lxml.html import HtmlElement

from corpsearch.extract import decode
from corpsearch.extract.boilerplate import body_tree, drop_empty_inline
from corpsearch.extract.htmltree import parse_html
from corpsearch.extract.prunes import BODY_FRAMES, STAND_INS

from .conftest import PAGES, SHARED_DATA

DEV = [
    SHARED_DATA / "article-extraction-benchmark" / "html",
    SHARED_DATA / "comment-pages",
    SHARED_DATA / "comment-pages-2",
]


def _pages() -> list[Path]:
    found = sorted(PAGES.glob("*.htm*"))
    for folder in DEV:
        found += sorted(folder.glob("*.htm*"))
    return found


def _tree(path: Path) -> HtmlElement:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    root = parse_html(decode(data)).root
    assert root is not None, path
    return root


def _converted(tree: HtmlElement, focus: str) -> HtmlElement:
    """The tree as trafilatura cleans and converts it (where its post-conversion expressions
    run: lists are <list>, items <item>)."""
    from trafilatura.htmlprocessing import convert_tags, tree_cleaning
    from trafilatura.settings import Extractor

    options = Extractor(fast=True, precision=focus == "precision", recall=focus == "recall")
    return convert_tags(tree_cleaning(deepcopy(tree), options), options, None)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def trees() -> list[tuple[str, HtmlElement]]:
    pages = _pages()
    if len(pages) < 100:
        pytest.skip("the dev sets are not next to the checkout")
    return [(p.name, _tree(p)) for p in pages]


@pytest.fixture(scope="module")
def converted(trees: list[tuple[str, HtmlElement]]) -> list[HtmlElement]:
    return [_converted(tree, "precision") for _name, tree in trees]


@pytest.mark.parametrize("name", sorted(STAND_INS))
def test_each_test_selects_what_its_expression_selects(
    name: str, trees: list[tuple[str, HtmlElement]], converted: list[HtmlElement]
) -> None:
    import trafilatura.xpaths

    expressions = getattr(trafilatura.xpaths, name)
    assert len(expressions) == len(STAND_INS[name])
    selected = [0] * len(expressions)
    # where trafilatura runs them: on the page as parsed, or cleaned and converted
    on_page = name in ("RAW_TREE_PRUNE_XPATH", "REMOVE_COMMENTS_AND_LISTS_XPATH")
    for (page, tree), cleaned in zip(trees, converted, strict=True):
        for where in (tree,) if on_page else (cleaned,):
            for n, (expression, select) in enumerate(
                zip(expressions, STAND_INS[name], strict=True)
            ):
                expected = expression(where)
                assert select(where) == expected, (page, expression.path)
                selected[n] += len(expected)
    assert all(selected), selected  # the pages hold what each expression looks for


def test_each_frame_is_the_first_its_expression_finds(
    trees: list[tuple[str, HtmlElement]], converted: list[HtmlElement]
) -> None:
    from trafilatura.xpaths import BODY_XPATH

    assert len(BODY_FRAMES) == len(BODY_XPATH)
    found = [0] * len(BODY_XPATH)
    for (page, _tree), cleaned in zip(trees, converted, strict=True):
        for n, (expression, frame) in enumerate(zip(BODY_XPATH, BODY_FRAMES, strict=True)):
            expected = next((s for s in expression(cleaned) if s is not None), None)
            assert frame(cleaned) is expected, (page, n)
            found[n] += expected is not None
    assert all(found), found


def _bare(tree: HtmlElement, recall: bool) -> bytes | None:
    from trafilatura import bare_extraction

    page = deepcopy(tree)
    drop_empty_inline(page)
    document = bare_extraction(
        page,
        include_comments=False,
        fast=True,
        output_format="txt",
        favor_precision=not recall,
        favor_recall=recall,
    )
    body = getattr(document, "body", None)
    return None if body is None else etree.tostring(body, encoding="utf-8")


@pytest.mark.parametrize("recall", [False, True], ids=["precision", "recall"])
def test_the_body_tree_is_bare_extractions(
    recall: bool, trees: list[tuple[str, HtmlElement]]
) -> None:
    empty = 0
    for page, tree in trees[:: 3 if recall else 1]:
        before = etree.tostring(tree)
        body = body_tree(tree, recall=recall)
        got = None if body is None else etree.tostring(body, encoding="utf-8")
        assert got == _bare(tree, recall), page
        assert etree.tostring(tree) == before, page  # the page's tree is left as it was
        empty += got is None
    assert empty < len(trees) / 10
