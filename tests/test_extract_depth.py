"""Flattening of deep HTML: real pages pass unchanged, absurd nesting is cut with its text kept."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from corpsearch import Index, extract_paths
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
    # What is left nests at most one level more: the paragraph breaks put where blocks were.
    assert flatten_deep(flat.markup, limit=51).dropped == 0
    assert "<p>bottom" in flat.markup


def test_tags_inside_scripts_and_comments_do_not_count() -> None:
    fake = "<div>" * 500
    markup = f"<html><body><script>var s = '{fake}';</script><!-- {fake} --><p>x</p></body></html>"
    assert flatten_deep(markup, limit=10).dropped == 0


@pytest.mark.parametrize("depth", [250, 1000])
@pytest.mark.parametrize("name", ["seed_page.html", "sitepoint.html", "telegraph.html"])
def test_text_below_the_limit_reaches_the_index(
    tmp_path: Path, engine: str, depth: int, name: str
) -> None:
    """A real page with a deep nest at the start of its story: the text at the bottom of the
    nest is in the article's body and found by a search, as the ``markup`` problem says."""
    deep = (
        "<div>" * depth
        + "<p>Harf said the bottom of the <b>nes</b>ting is still part of the story.</p>"
        + "<p>A second deep paragraph about coordination.</p>"
        + "</div>" * depth
    )
    source = SEED_HTML if name == "seed_page.html" else PAGES / name
    markup = source.read_text(encoding="utf-8")
    anchor = markup.index("<p>")
    page = tmp_path / name
    page.write_text(markup[:anchor] + deep + markup[anchor:], encoding="utf-8")
    with Index.create(tmp_path / "index", engine=engine) as index:
        report = index.add([page])
        assert report.articles == 1 and not report.failures
        found = index.search('"bottom of the nesting is still part"', kind="article")
        assert found.total == 1
        assert index.search('"still part of the story" "deep paragraph"').total == 1
    (article,) = extract_paths([page])
    assert article.body is not None and "story.\n\nA second deep" in article.body
    problems = [p.reason for p in article.problems if p.field == "markup"]
    assert problems and "text kept" in problems[0]
    assert depth < int(problems[0].split("nests ")[1].split()[0]) < depth + 20
