"""The page's own zone, for a site no profile describes: taken from the offsets the article's
dates declare, used for the article's day and for comment times shown without a zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from corpsearch.extract import extract
from corpsearch.extract.article import extract_article
from corpsearch.sources import SourceDocument, SourceRef

from .conftest import SHARED_DATA

SET1, SET2 = SHARED_DATA / "comment-pages", SHARED_DATA / "comment-pages-2"
needs_data = pytest.mark.skipif(not SET2.is_dir(), reason="shared/data is not beside the checkout")


@needs_data
def test_a_date_given_in_utc_is_shown_in_the_offset_the_page_declares() -> None:
    # JSON-LD gives 2025-04-15T03:08Z; the page's other dates carry -03:00 (Paraguay): the
    # same instant, shown at 00:08 on the page's own clock
    html = (SET1 / "wochenblatt.html").read_text(encoding="utf-8")
    fields = extract_article(html)
    zone = timezone(timedelta(hours=-3))
    assert fields.zone == zone
    assert fields.published == datetime(2025, 4, 15, 3, 8, tzinfo=UTC)
    assert fields.published is not None and fields.published.utcoffset() == timedelta(hours=-3)
    assert fields.published.date().isoformat() == "2025-04-15"


@needs_data
def test_utc_offsets_say_nothing_about_the_zone() -> None:
    # every date of this page is given in UTC: no zone is inferred from them
    html = (SET2 / "nc_yahoo.html").read_text(encoding="utf-8", errors="replace")
    assert extract_article(html).zone is None


def _page(dates: str, comment_time: str) -> SourceDocument:
    html = (
        f"<html><head><title>An article</title>{dates}</head>"
        "<body><article><h1>An article</h1><p>"
        + "A sentence of the article, long enough for the text of the page. "
        * 6
        + '</p></article><ol class="commentlist"><li class="comment" id="comment-1">'
        f'<cite class="fn">Anna</cite><div class="comment-meta">{comment_time}</div>'
        "<p>The comment by Anna.</p></li></ol></body></html>"
    )
    return SourceDocument(SourceRef("zone/page.html"), "html", html.encode())


def test_comment_times_are_read_in_an_offset_declared_by_another_article_date() -> None:
    # the published value is in UTC; the article's modified time declares -04:00
    dates = (
        '<meta property="article:published_time" content="2016-06-23T14:14:51Z">'
        '<meta property="article:modified_time" content="2016-06-23T12:00:00-04:00">'
    )
    article = extract(_page(dates, "June 23, 2016 at 5:21 pm"))
    [comment] = article.comments
    zone = timezone(timedelta(hours=-4))
    assert comment.published == datetime(2016, 6, 23, 17, 21, tzinfo=zone)
    assert article.published is not None and article.published.utcoffset() == -timedelta(hours=4)
    [problem] = [p.reason for p in article.problems if p.field == "comments"]
    assert "offset the article's own dates declare (-0400)" in problem


def test_without_any_offset_comment_times_are_read_in_utc_and_the_record_says_so() -> None:
    dates = '<meta property="article:published_time" content="2016-06-23T14:14:51Z">'
    article = extract(_page(dates, "June 23, 2016 at 5:21 pm"))
    [comment] = article.comments
    assert comment.published == datetime(2016, 6, 23, 17, 21, tzinfo=UTC)
    [problem] = [p.reason for p in article.problems if p.field == "comments"]
    assert "in UTC" in problem and "declare no offset" in problem
