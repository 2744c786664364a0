"""Site profiles read the page's lxml tree: selectors as CSS matches them, text as the profile
format says (docs/profiles.md). The pages here are small markup written for these tests."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest

from corpsearch.errors import ProfileError
from corpsearch.extract.htmltree import document_root, parse_html
from corpsearch.extract.profile_html import block_text, extract_with_profile
from corpsearch.extract.selectors import Matcher
from corpsearch.profiles import HtmlLayout, Profile, load_profiles


def _page(markup: str) -> Matcher:
    return Matcher(document_root(markup, parse_html(markup).root))


def _profile(**selectors: str) -> Profile:
    return Profile(
        name="test",
        hosts=(),
        timezone=UTC,  # type: ignore[arg-type]  # any tzinfo serves the extractor
        date_formats=("%d %B %Y, %H:%M",),
        html=HtmlLayout(**selectors),
    )


def test_block_text_breaks_paragraphs_and_lines_and_leaves_out_code() -> None:
    page = _page(
        "<html><body><div id='t'>First <b>bold</b> line<br>second line"
        "<p>Para two</p><script>var x = 1;</script><style>p {}</style>"
        "<noscript>enable scripts</noscript><p>Three <ruby>漢<rt>kan</rt></ruby> end</p>"
        "<template><p>never shown</p></template>tail</div></body></html>"
    )
    node = page.first(None, "#t")
    assert node is not None
    assert block_text(node) == "First bold line\nsecond line\n\nPara two\n\nThree 漢 end\n\ntail"


def test_scoped_selector_finds_descendants_with_ancestors_outside_the_scope() -> None:
    page = _page(
        "<html><body><div class='thread'>"
        "<div class='c' id='c1'><span class='who'>ann</span><div class='c' id='c2'>"
        "<span class='who'>bob</span></div></div></div>"
        "<div class='c' id='c3'><span class='who'>cy</span></div></body></html>"
    )
    comments = page.all(None, "div.c")
    assert [c.get("id") for c in comments] == ["c1", "c2", "c3"]
    # the ancestor div.thread is outside each comment, as in querySelector
    whos = [page.first(c, "div.thread .who") for c in comments]
    assert [w.text if w is not None else None for w in whos] == ["ann", "bob", None]
    # a scope never matches itself
    assert [c.get("id") for c in page.all(comments[0], "div.c")] == ["c2"]


def test_quotes_are_taken_out_and_the_words_around_them_stay_apart() -> None:
    page = _page(
        "<html><body><div class='comment' id='x'><span class='a'>ann</span>"
        "<span class='d'>13 September 2014, 14:32</span><div class='t'>Yea"
        "<blockquote>outer <blockquote>inner</blockquote> end</blockquote>that's bad"
        " <a href='http://example.com/x'>link</a> <a href='/local'>no</a></div></div>"
        "</body></html>"
    )
    profile = _profile(
        comment="div.comment",
        comment_author=".a",
        comment_date=".d",
        comment_text=".t",
        comment_quote="blockquote",
    )
    (comment,) = extract_with_profile(page, profile, UTC).comments
    assert comment.author == "ann"
    assert comment.published is not None and comment.published.hour == 14
    assert comment.quotes == ("outer\n\ninner end",)  # the inner quotation went with it
    assert comment.text == "Yea that's bad link no"
    assert comment.links == ("http://example.com/x",)
    assert comment.platform_id == "x"


def test_headline_body_and_count() -> None:
    page = _page(
        "<html><body><h1 class='h'> The <i>headline</i> </h1><div class='b'><p>One.</p>"
        "<p>Two.</p></div><h3><span>7</span></h3></body></html>"
    )
    parts = extract_with_profile(
        page, _profile(headline="h1.h", body=".b", comment_count="h3 span"), UTC
    )
    assert parts.headline == "The headline"
    assert parts.body == "One.\n\nTwo."
    assert parts.comment_count == 7


def test_a_selector_the_extractor_cannot_read_is_an_error_when_the_profile_loads(
    tmp_path: Path,
) -> None:
    (tmp_path / "bad.toml").write_text('name = "bad"\n[html]\nbody = "div..story"\n')
    with pytest.raises(ProfileError, match=r"html\.body = 'div\.\.story'.*docs/profiles\.md"):
        load_profiles([tmp_path])


def test_the_bundled_profiles_load() -> None:
    assert any(p.name == "naharnet" for p in load_profiles())
