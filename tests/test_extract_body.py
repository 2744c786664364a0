"""The body layer's tree preparation: hidden elements removed before boilerplate removal, and the
check that bytes are text at all. The markup here is written for these tests."""

from __future__ import annotations

import pytest
from lxml import etree

from corpsearch.extract.body import _HIDDEN_CLASS, _drop_hidden, _hiding_class
from corpsearch.extract.charset import looks_binary
from corpsearch.extract.htmltree import parse_html


def _after_drop(inner: str) -> str:
    root = parse_html(f"<html><body>{inner}<p>shown</p></body></html>").root
    assert root is not None
    _drop_hidden(root)
    return etree.tostring(root, encoding="unicode")


@pytest.mark.parametrize(
    "inner",
    [
        "<div hidden>x</div>",
        '<div class="card SR-ONLY">x</div>',
        '<span class="Screen-Reader-Text">x</span>',
        '<div class="u-hidden other">x</div>',
        '<div class="element-invisible">x</div>',
        '<div style="DISPLAY : NONE">x</div>',
        '<div style="color: red; visibility:hidden">x</div>',
        # the style pattern ignores case as Python does: İ and ı are cases of i, ſ of s
        '<div style="visibility:hıdden">x</div>',
        '<div style="diſplay:none">x</div>',
    ],
)
def test_hidden_elements_are_removed_with_their_text(inner: str) -> None:
    assert _after_drop(inner) == "<html><body><p>shown</p></body></html>"


@pytest.mark.parametrize(
    "inner",
    [
        '<div class="hiddenx">x</div>',  # a hiding name only as part of another word
        '<div class="not-sr-only-here">x</div>',
        '<div style="display:block">x</div>',
        '<div data-hidden="1">x</div>',
    ],
)
def test_shown_elements_stay(inner: str) -> None:
    assert _after_drop(inner) == f"<html><body>{inner}<p>shown</p></body></html>"


def test_the_text_after_a_removed_element_stays() -> None:
    assert _after_drop("a<span hidden>x</span>b") == "<html><body>ab<p>shown</p></body></html>"


def test_every_hiding_class_passes_the_first_look() -> None:
    # _hiding_class tests substrings before splitting: each name must hold one of them
    for name in _HIDDEN_CLASS:
        assert _hiding_class(name.upper()), name
        assert _hiding_class(f"a {name} b"), name


def test_binary_data_is_told_from_text() -> None:
    assert looks_binary(bytes(range(256)) * 16)
    assert looks_binary(b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02\x03" * 500)
    assert not looks_binary(b"<html><body>" + "é".encode() * 2000)
    assert not looks_binary("<html>text</html>".encode("utf-16"))
    assert not looks_binary(b"")
    # the share of control bytes decides: 5% of the first 4 KiB
    assert not looks_binary(b"\x01" * 200 + b"a" * 3896)
    assert looks_binary(b"\x01" * 210 + b"a" * 3886)
