"""The extractor and the web pages keep and link the same addresses."""

from __future__ import annotations

import pytest

from corpsearch.extract import web_url as extract_web_url
from corpsearch.records import Problem
from corpsearch.urls import web_address
from corpsearch.web.html import web_url as page_web_url

ADDRESSES = [
    ("https://example.com/a?b=1", "https://example.com/a?b=1"),
    ("  http://example.com/  ", "http://example.com/"),
    ("HTTPS://Example.com/", "HTTPS://Example.com/"),
    ("javascript:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("https://exa\nmple.com/", None),
    ("data:text/html,<b>x</b>", None),
    ("file:///etc/passwd", None),
    ("https:///no-host", None),
    ("http://[::1", None),
    ("", None),
]


@pytest.mark.parametrize(("url", "kept"), ADDRESSES)
def test_one_rule_for_extraction_and_pages(url: str, kept: str | None) -> None:
    problems: list[Problem] = []
    assert web_address(url) == kept
    assert page_web_url(url) == kept
    assert extract_web_url(url, problems) == kept
    # The extractor says why it left an address out; a kept one gives no problem.
    assert [p.field for p in problems] == ([] if kept else ["url"])
