"""A lead paragraph that a template sets in a box of its own right before the article's text
container is the body's first paragraph; boxes that only look so (an image's, a list of
teasers, an ad, a lead box elsewhere) stay out. The markup here is written for these tests."""

from __future__ import annotations

import pytest

from corpsearch.extract.article import extract_article

_LEAD = (
    "Last year the region welcomed sixteen million visitors from abroad, two million more "
    "than the year before, the statistics office said."
)
_TEXT = (
    "Most of them came from the neighbouring countries, and the largest group stayed for a "
    "week or less. "
) * 3
_MORE = "Visitors from overseas spent the most per head, about three thousand a visit. " * 3


def _page(before: str) -> str:
    return (
        "<html><head><title>Visitors spend more | Harbour Times</title></head><body>"
        "<div id='nav'><a href='/'>Home</a> <a href='/news'>News</a></div>"
        "<div class='art-area'><h2 class='art-title'>Visitors spend more</h2>"
        "<div class='art-date'>2015-08-03 09:05</div>"
        f"{before}<div class='art-content'>{_TEXT}<br><br>{_MORE}<br><br>{_TEXT}</div></div>"
        "<div class='footer'>Contact us</div></body></html>"
    )


def _body(before: str) -> str:
    return extract_article(_page(before), url="https://news.example.org/a/1").body


@pytest.mark.parametrize(
    "box",
    [
        f"<div class='art-lead'> {_LEAD} </div>",
        f"<div class='article__standfirst'><p>{_LEAD}</p></div>",
        f"<p class='lead'>{_LEAD}</p>",
        f"<div class='perex'>{_LEAD} <a href='/stats'>Statistics</a></div>",
    ],
)
def test_a_lead_box_before_the_text_container_opens_the_body(box: str) -> None:
    body = _body(box)
    assert body.startswith(_LEAD), body[:120]
    assert _MORE.split(". ")[0] in body


@pytest.mark.parametrize(
    "box",
    [
        # an image's box, a caption of a few words: no sentence of text
        "<div class='lead-image'><img src='a.jpg' alt=''><span>Photo: Harbour Times</span></div>",
        # a list of other stories under a "teaser" name: links, several items
        "<div class='teaser'><ul><li><a href='/a'>Ferries run late again this week</a></li>"
        "<li><a href='/b'>New harbour master named by the council</a></li></ul></div>",
        # an ad slot whose name holds "lead" only inside a word
        f"<div class='leaderboard'>{_LEAD}</div>",
    ],
)
def test_boxes_that_are_no_lead_stay_out(box: str) -> None:
    body = _body(box)
    assert body.startswith(_TEXT.split(". ")[0]), body[:120]


def test_a_lead_box_elsewhere_is_not_moved() -> None:
    # a summary box in the sidebar, its next element no text container
    page = _page("").replace(
        "<div class='footer'>",
        f"<div class='sidebar'><div class='summary'>{_LEAD}</div><div class='ad'>x</div></div>"
        "<div class='footer'>",
    )
    body = extract_article(page, url="https://news.example.org/a/1").body
    assert _LEAD not in body
