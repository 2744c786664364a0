"""The shortcuts to an element's flat text (has_text, flat_text_head) answer as flat_text does,
and text_class as the text role of roles() does, on every element of real comment pages and on
text split at awkward places."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from corpsearch.extract.charset import decode_page
from corpsearch.extract.comment_markup import (
    ROLE_TEXT,
    flat_text,
    flat_text_head,
    has_text,
    roles,
    text_class,
)
from corpsearch.extract.htmltree import parse_html

from .conftest import ROOT, SHARED_DATA

PAGES = (
    sorted((SHARED_DATA / "comment-pages").glob("*.htm*"))[:6]
    + sorted((ROOT / "fixtures" / "zoo").glob("*.html"))[:6]
)


def test_words_split_over_pieces_and_blank_pieces() -> None:
    el = lxml_html.fromstring(
        "<div>  <span>wo</span><b>rd</b> \n <i> </i>next<br>  <em>last</em>  </div>"
    )
    assert flat_text(el) == "word next last"
    for size in range(0, 20):
        assert flat_text_head(el, size) == flat_text(el)[:size]
    assert has_text(el)
    assert not has_text(lxml_html.fromstring("<div> <span>\n\t</span> <i></i>\u00a0</div>"))


@pytest.mark.skipif(not PAGES, reason="no pages to read")
def test_every_element_of_real_pages() -> None:
    seen = 0
    for path in PAGES:
        root = parse_html(decode_page(path.read_bytes(), None).text).root
        assert root is not None
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            text = flat_text(el)
            assert has_text(el) == bool(text)
            for size in (1, 40, 300):
                assert flat_text_head(el, size) == text[:size]
            cls = el.get("class")
            if cls:
                assert text_class(cls) == bool(roles(el) & ROLE_TEXT), cls
            seen += 1
    assert seen > 1000


@pytest.mark.parametrize(
    ("cls", "text"),
    [
        ("comment-content", True),
        ("commentText", True),
        ("comment-content--2GFZCWhT", True),
        ("comment-content-wrap", False),
        ("comment-header entry-content", True),
        ("comment-meta", False),
        ("", False),
    ],
)
def test_text_class_names(cls: str, text: bool) -> None:
    assert text_class(cls) is text
    if cls:
        assert bool(roles(lxml_html.fromstring(f'<div class="{cls}">x</div>')) & ROLE_TEXT) is text


def test_attribute_stems_are_found_as_the_pattern_of_alternatives_finds_them() -> None:
    import re

    from corpsearch.extract.comment_items import _marks

    pattern = re.compile(r"omment|omentar|omentár|eactie|epl|espuesta|h-cite|topic-post|^c\d{8,}$")
    values = ["c12345678", "c1234567", "xc12345678", "c12345678\n", "Comment", "reply-to"]
    for path in PAGES:
        root = parse_html(decode_page(path.read_bytes(), None).text).root
        assert root is not None
        values += [v for el in root.iter() for v in (el.get("class"), el.get("id")) if v]
    assert all(_marks(v) == bool(pattern.search(v)) for v in values)
