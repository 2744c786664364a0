"""Extraction fuzzing: real pages, cut at random points and mutated, go through extract without
an exception escaping: what cannot be read is a `problems` entry or an ExtractionError."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpsearch import SourceFailure, SourceLimits, extract, iter_sources
from corpsearch.errors import ExtractionError
from corpsearch.records import Article, SourceRef
from corpsearch.sources import SourceDocument

from . import reliability
from .conftest import SHARED_DATA

COMMENT_PAGES = sorted((SHARED_DATA / "comment-pages").glob("*.html"))
BENCHMARK_PAGES = sorted((SHARED_DATA / "article-extraction-benchmark" / "html").glob("*.html.gz"))
PAGES = COMMENT_PAGES + BENCHMARK_PAGES
needs_pages = pytest.mark.skipif(not PAGES, reason=f"the real pages are not in {SHARED_DATA}")

# Fragments that break parsers and extractors when dropped into a page.
SPLINTERS = [
    b"<", b">", b"</div>" * 50, b"<div>" * 500, b"<!--", b"<![CDATA[", b"<script>", b"</body>",
    b"<html>", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"&#0;", b"&#x110000;", b"&#99999999;",
    b'<meta charset="utf-16">', b'<meta charset="x-nothing">', b'<time datetime="99999-99-99">',
    b'<link rel="canonical" href="file:///etc/passwd">', b"\x1b[2J", b"\r", b"\xc3",
    b'<p class="comment">', b"<h1>", b"</h1>", b"<p>", "\u2028".encode(),
]  # fmt: skip


@cache
def _page(index: int) -> bytes:
    path = PAGES[index]
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


@st.composite
def mutated_pages(draw: st.DrawFn) -> tuple[str, bytes]:
    index = draw(st.integers(0, len(PAGES) - 1))
    data = _page(index)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["cut", "drop", "splinter", "noise", "repeat"]))
        if op == "cut":
            data = data[:at]
        elif op == "drop":
            data = data[:at] + data[at + draw(st.integers(1, 5000)) :]
        elif op == "splinter":
            data = data[:at] + draw(st.sampled_from(SPLINTERS)) + data[at:]
        elif op == "noise":
            data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
        else:
            data = data[:at] + data[at : at + 2000] * draw(st.integers(2, 20)) + data[at:]
    return PAGES[index].name, data


EXAMPLES = reliability.generated(
    "Extraction fuzzing",
    "real pages (the comment pages and the article-extraction benchmark), cut and mutated "
    "(splinters of markup, random bytes, repeats), read as HTML and as text",
    "an Article (with `problems` for what it lacks) or an ExtractionError with a reason; "
    "no other exception",
    30,
)


@needs_pages
@settings(
    max_examples=EXAMPLES,
    deadline=5000,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(page=mutated_pages(), kind=st.sampled_from(["html", "html", "text"]))
def test_mutated_real_pages_never_raise_anything_else(page: tuple[str, bytes], kind: str) -> None:
    name, data = page
    document = SourceDocument(SourceRef(f"fuzz/{name}"), kind, data)  # type: ignore[arg-type]
    try:
        article = extract(document)
    except ExtractionError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert isinstance(article, Article)
        missing = {p.field for p in article.problems}
        assert article.headline is not None or "headline" in missing
        assert article.body or "body" in missing


CUT_ARCHIVES = reliability.cases(
    "Extraction fuzzing",
    "benchmark .html.gz files cut short",
    "skipped as a truncated gzip, with the reason",
    [0.1, 0.5, 0.9, 0.999],
)


@needs_pages
@pytest.mark.parametrize("keep", CUT_ARCHIVES)
def test_cut_archives_are_reported(tmp_path: Path, keep: float) -> None:
    data = BENCHMARK_PAGES[int(keep * 100)].read_bytes()
    path = tmp_path / "cut.html.gz"
    path.write_bytes(data[: int(len(data) * keep)])
    (item,) = iter_sources([path], SourceLimits())
    assert isinstance(item, SourceFailure)
    assert "truncated" in item.reason or "not a readable gzip" in item.reason
