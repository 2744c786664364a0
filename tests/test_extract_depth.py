"""Flattening of deep HTML: real pages pass unchanged, absurd nesting is cut with its text kept."""

from __future__ import annotations

import gzip

import pytest

from corpsearch.extract.depth import MAX_DEPTH, flatten_deep

from .conftest import PAGES, SEED_HTML, SHARED_DATA

REAL = [
    SEED_HTML,
    *sorted(PAGES.iterdir()),
    *sorted((SHARED_DATA / "comment-pages").glob("*.html")),
]


def _text(path: object) -> str:
    data = path.read_bytes()  # type: ignore[attr-defined]
    if str(path).endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_pages_are_not_touched(path: object) -> None:
    markup = _text(path)
    flat = flatten_deep(markup)
    assert flat.dropped == 0 and flat.markup is markup
    assert 3 < flat.deepest < MAX_DEPTH


def test_deep_nesting_is_cut_below_the_limit_and_text_is_kept() -> None:
    markup = "<html><body>" + "<div>" * 1000 + "<p>bottom</p>" + "</div>" * 1000 + "</body></html>"
    flat = flatten_deep(markup, limit=50)
    assert flat.deepest == 1003
    assert flat.dropped == 2 * (1000 - 48) + 2  # the divs and the p below level 50, both tags
    assert "bottom" in flat.markup
    assert flatten_deep(flat.markup, limit=50).dropped == 0


def test_tags_inside_scripts_and_comments_do_not_count() -> None:
    fake = "<div>" * 500
    markup = f"<html><body><script>var s = '{fake}';</script><!-- {fake} --><p>x</p></body></html>"
    assert flatten_deep(markup, limit=10).dropped == 0
