"""One parse per page: the tree every layer reads, and the depth check that replaces a scan."""

from __future__ import annotations

import pytest
from lxml.html import HtmlElement

from corpsearch.extract.article import extract_article
from corpsearch.extract.depth import MAX_DEPTH, flatten_deep
from corpsearch.extract.htmltree import parse_html, repair_markup

from .conftest import PAGES, SHARED_DATA

REAL = [PAGES / "sitepoint.html", SHARED_DATA / "comment-pages-2" / "tr_lemire.html"]


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_the_article_layer_reads_the_given_tree_as_it_would_parse_the_page(path: object) -> None:
    markup = path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    parsed = parse_html(markup)
    assert isinstance(parsed.root, HtmlElement) and not parsed.too_deep
    # every element is an HtmlElement (what trafilatura needs), found without a Python callback
    assert all(isinstance(e, HtmlElement) for e in parsed.root.iter("div", "p", "a"))
    assert extract_article(markup, tree=parsed.root) == extract_article(markup)


@pytest.mark.parametrize("depth", [MAX_DEPTH - 5, MAX_DEPTH + 5, 1000])
def test_too_deep_agrees_with_the_flattening_scan(depth: int) -> None:
    markup = "<html><body>" + "<div>" * depth + "<p>x</p>" + "</div>" * depth + "</body></html>"
    assert parse_html(markup).too_deep == (flatten_deep(markup).dropped > 0)


@pytest.mark.parametrize("text", ["", "   ", "just a line of text, no markup"])
def test_text_that_is_not_html_has_no_tree(text: str) -> None:
    assert parse_html(text).root is None


def test_an_xml_declaration_with_an_encoding_is_read() -> None:
    markup = '<?xml version="1.0" encoding="utf-8"?>\n<html><body><h1>Title</h1></body></html>'
    root = parse_html(markup).root
    assert root is not None and root.findtext(".//h1") == "Title"


def test_a_declared_encoding_does_not_reinterpret_text_already_decoded() -> None:
    markup = (
        "<?xml version='1.0' encoding='ISO-8859-1'?><html><body><p>Zürich à Çà</p></body></html>"
    )
    root = parse_html(markup).root
    assert root is not None and root.findtext(".//p") == "Zürich à Çà"


@pytest.mark.parametrize(
    "markup",
    [
        "<!DOCTYPE html/>\n<html><body><p>a\x00b\x1fc\ufffe</p></body></html>",
        "<!doctype html PUBLIC '-//W3C//DTD XHTML 1.0//EN' 'x'/>\n<html><p>x</p></html>",
        '<html lang="en"/>\n<body><p>self-closing html</p></body>',
        "\n\n\n\n<html/>\n<p>too far down to repair</p>",
        "<html><body><p>tab\tand newline\n kept, \x0b and \x0c not</p></body></html>",
    ]
    + [path.read_text(encoding="utf-8") for path in REAL],
)
def test_the_markup_is_repaired_as_trafilaturas_loader_repairs_it(markup: str) -> None:
    from trafilatura.utils import repair_faulty_html

    beginning = markup[:50].lower()
    assert repair_markup(markup, beginning) == repair_faulty_html(markup, beginning)


def test_a_main_column_saved_after_a_line_of_plain_text_is_html() -> None:
    # a markdown file holding a page's rendered main column under its own "# heading" line
    markup = (
        "# Indexing modes\n\n\n"
        '<div class="main">\n<h1>ARM assembler in Raspberry Pi – Chapter 7 </h1>\n'
        '<p class="post-meta"><span class="date">January 26, 2013</span> '
        '<span class="author">Roger Ferrer Ibáñez</span></p>\n'
        "<p>ARM architecture has been for long targeted at embedded systems. Embedded systems "
        "usually end being used in massively manufactured products.</p>\n"
        "<p>It will take us several chapters to learn all of these techniques.</p>\n</div>"
    )
    assert parse_html(markup).root is not None
    fields = extract_article(markup)
    assert fields.headline == "ARM assembler in Raspberry Pi – Chapter 7"
    assert fields.published is not None and fields.published.date().isoformat() == "2013-01-26"
    assert fields.body.startswith("ARM architecture has been for long targeted")


@pytest.mark.parametrize("text", ["just a line of text", "one <b>bold</b> word in a line"])
def test_plain_text_with_one_element_is_still_no_html(text: str) -> None:
    assert parse_html(text).root is None


def test_a_section_with_one_wrapper_after_a_front_matter_is_html() -> None:
    markup = (
        '---\nlayout: post\ntitle: "A post"\n---\n\n'
        '<section id="content"><div class="region"><div class="node">'
        "<h2>A post</h2><p>Its text, long enough to be a paragraph of its own.</p>"
        "</div></div></section>"
    )
    assert parse_html(markup).root is not None
