"""Article dates: day and month told apart by the page's own text, days from the URL alone, a
dateline preferred to a caption, the dateline's time kept on the URL's day."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corpsearch.extract.article import extract_article
from corpsearch.extract.htmldates import date_from_url, day_order, is_ambiguous

TEXT = "<p>" + "The council met and voted on the budget for the coming year. " * 8 + "</p>"


def _page(head: str, body: str, lang: str = "en") -> str:
    return (
        f'<html lang="{lang}"><head><title>Council votes</title>{head}</head>'
        f"<body><article><h1>Council votes</h1>{body}{TEXT}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("texts", "values", "order"),
    [
        (["Published May 6, 2019"], ["05/06/2019"], False),  # the named date is May 6
        (["Publié le 5 juin 2019"], ["05/06/2019"], True),  # ... and June 5 here
        (["Updated 25.06.2019 10:00"], [], True),  # 25 can only be a day
        (["posted 12.29.14 at 9:14 pm"], [], False),
        (["05/06/2019"], ["05/06/2019"], None),  # the same ambiguous date says nothing
        (["at 10:21, 3 comments"], [], None),
    ],
)
def test_day_order_from_the_pages_text(
    texts: list[str], values: list[str], order: bool | None
) -> None:
    assert day_order(texts, values) is order


def test_ambiguous_values() -> None:
    assert is_ambiguous("05/06/2019") and is_ambiguous("5.6.19")
    assert not is_ambiguous("25/06/2019") and not is_ambiguous("2019-06-05")
    assert not is_ambiguous("06/06/2019")  # the same either way


def test_a_numeric_meta_date_is_read_in_the_order_the_visible_date_shows() -> None:
    head = '<meta name="date" content="05/06/2019">'
    # an English page that writes June 5: the value is day first (dateutil alone says May 6)
    june = _page(head, "<p class=byline>June 5, 2019</p>")
    assert extract_article(june).published == datetime(2019, 6, 5, tzinfo=UTC)
    # the byline names May 6 here: the value is month first
    may = _page(head, "<p class=byline>May 6, 2019</p>", lang="de")
    assert extract_article(may).published == datetime(2019, 5, 6, tzinfo=UTC)


def test_without_evidence_in_the_text_the_locale_decides() -> None:
    head = '<meta name="date" content="05/06/2019">'
    assert extract_article(_page(head, "", lang="de")).published == datetime(2019, 6, 5, tzinfo=UTC)
    assert extract_article(_page(head, "", lang="en-US")).published == datetime(
        2019, 5, 6, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://example.org/2019/04/09/council-votes", "2019-04-09"),
        ("https://example.org/news/council-votes-20190409/", "2019-04-09"),
        ("https://example.org/story_20190409.html", "2019-04-09"),
        ("https://example.org/article/201904091234/", None),  # an id, not a date
        ("https://example.org/council-votes?d=20190409", None),  # the query is not the path
    ],
)
def test_days_from_the_url_path(url: str, day: str | None) -> None:
    assert date_from_url(url) == day


def test_a_date_only_in_the_url() -> None:
    fields = extract_article(_page("", ""), url="https://example.org/news/votes-20190409/")
    assert fields.published == datetime(2019, 4, 9, tzinfo=UTC)
    assert fields.published_reason is not None and "URL" in fields.published_reason


def test_the_datelines_time_is_kept_on_the_urls_day() -> None:
    markup = _page("", "<p>April 9, 2019 at 10:22</p>")
    fields = extract_article(markup, url="https://example.org/2019/04/09/council-votes")
    assert fields.published == datetime(2019, 4, 9, 10, 22, tzinfo=UTC)


def test_a_dateline_is_preferred_to_a_date_in_a_caption() -> None:
    body = (
        "<figure><figcaption>Protesters outside the town hall in Lyon, France, on "
        "January 16, 2020, before the vote on the budget.</figcaption></figure>"
        "<p>February 3, 2020</p>"
    )
    assert extract_article(_page("", body)).published == datetime(2020, 2, 3, tzinfo=UTC)
