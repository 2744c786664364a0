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


def test_a_weekday_before_a_numeric_date_says_which_number_is_the_day() -> None:
    from corpsearch.extract.comment_dates import parse_visible_date
    from corpsearch.extract.htmldates import shown_date

    assert shown_date("Tue, 03/02/2021 - 10:14") == "2021-03-02"  # 2 March was a Tuesday
    assert shown_date("Wed, 03/02/2021") == "2021-02-03"  # 3 February a Wednesday
    found = parse_visible_date("Mi., 03.02.2021 um 10:14", UTC, month_first=None)
    assert found is not None and found.value == datetime(2021, 2, 3, 10, 14, tzinfo=UTC)
    found = parse_visible_date("Tue 03/02/2021 10:14", UTC, month_first=None)
    assert found is not None and found.value == datetime(2021, 3, 2, 10, 14, tzinfo=UTC)


def test_a_comment_date_is_not_read_as_a_day_before_its_article() -> None:
    from datetime import date

    from corpsearch.extract.comment_dates import parse_visible_date

    # 05.02.2021 under an article of 1 March 2021 is 2 May, not 5 February
    found = parse_visible_date("05.02.2021 10:00", UTC, None, None, date(2021, 3, 1))
    assert found is not None and found.value == datetime(2021, 5, 2, 10, 0, tzinfo=UTC)
    # where the page says day first, it is read so
    found = parse_visible_date("05.02.2021 10:00", UTC, None, False, date(2021, 3, 1))
    assert found is not None and found.value == datetime(2021, 2, 5, 10, 0, tzinfo=UTC)


def test_an_rdfa_creation_date_dates_the_article() -> None:
    body = (
        '<p class="submitted"><span property="dc:date dc:created" '
        'content="2021-03-03T20:15:00+01:00">Eingereicht am Mi., 03.03.2021 - 20:15</span></p>'
    )
    fields = extract_article(_page("", body, lang="de"))
    assert fields.published == datetime.fromisoformat("2021-03-03T20:15:00+01:00")
    assert fields.zone is not None


def test_a_dateline_beats_a_captions_sentence_with_a_date() -> None:
    body = (
        '<div class="bild"><img src="a.jpg" alt="">'
        "<p>Die Wiese im Winter, aufgenommen am 2. Februar 2009 von Helmut Rapp.</p></div>"
        "<p>11. März 2012</p>"
    )
    fields = extract_article(_page("", body, lang="de"))
    assert fields.published is not None and fields.published.date().isoformat() == "2012-03-11"
    body = (
        '<figure><img src="a.jpg"><figcaption>May 2, 2009</figcaption></figure><p>June 3, 2012</p>'
    )
    fields = extract_article(_page("", body))
    assert fields.published is not None and fields.published.date().isoformat() == "2012-06-03"
