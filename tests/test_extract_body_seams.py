"""Body text at the seams trafilatura cuts or glues: an empty inline element inside a paragraph
(a placeholder a script fills, an icon) must not end the paragraph, and a text that an inline
element follows keeps the space the page shows between them. The markup here is written for
these tests."""

from __future__ import annotations

import pytest

from corpsearch.extract.article import extract_article

_FILLER = "<p>" + "The council met on Tuesday and voted on the budget for next year. " * 6 + "</p>"


def _body(article: str) -> str:
    markup = (
        "<html><head><title>Budget night</title></head><body>"
        f'<div class="article-body">{_FILLER}{article}{_FILLER}</div></body></html>'
    )
    return extract_article(markup, url="https://news.example.org/a/1").body


@pytest.mark.parametrize(
    "placeholder",
    [
        '<span id="quote_ACME"></span>',  # a stock quote a script fills in
        '<span class="quote"><script>load("ACME")</script></span>',  # empty once cleaned
        '<i class="icon icon-chart"></i>',
        "<b></b><em></em>",  # two in a row: the tail passes through both
        '<span class="price"><img src="up.png"></span>',
    ],
)
def test_an_empty_inline_element_does_not_cut_its_paragraph(placeholder: str) -> None:
    paragraph = (
        '<p>Shares of <span id="stock_ACME"><a href="https://quotes.example.org/ACME">Acme'
        f"</a></span>{placeholder} rose after the results, and the board kept its forecast "
        "for the year.</p>"
    )
    body = _body(paragraph)
    assert "Shares of Acme rose after the results, and the board kept its forecast" in body


def test_an_empty_element_between_two_words_keeps_them_apart_and_hidden_text_stays_out() -> None:
    # the space after an empty element is its tail: removed with it, the words would meet
    body = _body("<p>The mayor<span></span> spoke first, and the vote came late at night.</p>")
    assert "The mayor spoke first, and the vote came late at night." in body
    # what is not shown is not taken back: only the tail after a hidden element is
    body = _body(
        '<p>The mayor <span style="display:none">advert text</span>spoke first, and the vote '
        "came late at night.</p>"
    )
    assert "advert text" not in body
    assert "spoke first, and the vote came late at night." in body


def test_a_text_before_inline_code_keeps_its_space() -> None:
    # the heading's tail is trimmed, the code element after it rendered right against it
    body = _body(
        "<h2>Conclusion</h2>Pensez donc à <code>yield</code> lorsque vous écrivez une méthode "
        "assez généraliste, notamment pour une librairie."
    )
    assert "Pensez donc à yield lorsque vous écrivez" in body
    assert "àyield" not in body


def test_a_word_the_page_glues_to_inline_code_stays_glued() -> None:
    # where the page writes the two without a space (a plural, Chinese), none is put in
    body = _body(
        "<h2>Conclusion</h2>Ces deux exemples utilisent des<code>yield</code>s imbriqués dans "
        "une méthode assez généraliste."
    )
    assert "des yield" not in body
    body = _body(
        "<h2>结论</h2>在编写通用方法时可以使用<code>yield</code>关键字，特别是编写程序库的时候。"
        "这一点在很多场合都很有用。"
    )
    assert "使用yield" in body


def test_only_the_inline_elements_cleaning_leaves_empty_are_dropped() -> None:
    from lxml import etree

    from corpsearch.extract.boilerplate import drop_empty_inline
    from corpsearch.extract.htmltree import parse_html

    root = parse_html(
        "<html><body><div>a<span></span> b<i><script>x()</script></i> c<span> </span>d"
        "<span><a href='/x'>e</a></span>f<div></div> g<span>h</span></div></body></html>"
    ).root
    assert root is not None
    drop_empty_inline(root)
    # the empty span and the span holding only a script go, their tails kept; a span with a
    # space, one with a link, and blocks (not inline) stay
    assert etree.tostring(root.find(".//div"), encoding="unicode") == (
        '<div>a b c<span> </span>d<span><a href="/x">e</a></span>f<div/> g<span>h</span></div>'
    )
