"""Article dates: day and month told apart by the page's own text, days from the URL alone, a
dateline preferred to a caption, the dateline's time kept on the URL's day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

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

    assert shown_date("Tue, 03/02/2021 - 10:14") == "2021-03-02T10:14"  # 2 March: a Tuesday
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


def test_an_update_line_closed_by_a_colon_says_the_numbers_are_day_first() -> None:
    head = '<meta name="date" content="05/01/2021">'
    body = "<p>Posted 05/01/2021 by Ruth</p><p>Last updated 18/01/2021: the list.</p>"
    assert extract_article(_page(head, body)).published == datetime(2021, 1, 5, tzinfo=UTC)


def test_a_day_and_a_time_in_elements_of_their_own_give_the_pages_offset() -> None:
    head = '<meta property="article:published_time" content="2019-11-20T01:50:59Z">'
    body = "<div><div>Nov. 19, 2019</div><div>5:50 PM</div></div>"
    published = extract_article(_page(head, body)).published
    assert published is not None and published.isoformat() == "2019-11-19T17:50:59-08:00"


def test_an_update_time_gives_no_offset() -> None:
    head = '<meta name="date" content="2020-04-21 17:52:26">'
    body = "<p>April 21, 2020 at 5:52 pm</p><p>Updated April 22, 2020 at 7:07 am</p>"
    fields = extract_article(_page(head, body))
    assert fields.published == datetime(2020, 4, 21, 17, 52, 26, tzinfo=UTC) and fields.zone is None


@pytest.mark.parametrize(
    ("value", "shown", "day", "offset"),
    [
        ("2021-03-10T02:40:00Z", "2021-03-09", "2021-03-09", -3),  # the day before: a zone west
        ("2021-03-03T23:30:00Z", "2021-03-04", "2021-03-04", 1),  # the day after: a zone east
        ("2021-03-10T13:00:00Z", "2021-03-09", None, None),  # no zone is 14 hours west
        ("2021-03-10T08:00:00Z", "2021-03-11", None, None),  # nor 16 hours east
        ("2021-03-10T02:40:00Z", "2021-03-10", None, None),  # the page shows the UTC day
    ],
)
def test_the_local_day_of_a_utc_value(
    value: str, shown: str, day: str | None, offset: int | None
) -> None:
    from corpsearch.extract.datelines import local_day_offset

    found = local_day_offset(datetime.fromisoformat(value), [[shown]])
    if day is None:
        assert found is None
    else:
        assert found is not None and found.utcoffset(None) == timedelta(hours=offset or 0)
        assert datetime.fromisoformat(value).astimezone(found).date().isoformat() == day


def test_an_update_day_is_not_the_local_day() -> None:
    from corpsearch.extract.datelines import local_day_offset

    value = datetime.fromisoformat("2021-03-10T20:00:00Z")
    assert local_day_offset(value, [["2021-03-11"]], ["2021-03-11T09:00:00Z"]) is None


def test_a_caption_is_known_by_the_image_it_describes() -> None:
    body = (
        '<div class="wp-caption"><img aria-describedby="c1" src="a.jpg">'
        '<p id="c1">Photo: Luc, 2 March 2021</p></div><p>Posted 4 March 2021</p>'
    )
    assert extract_article(_page("", body)).published == datetime(2021, 3, 4, tzinfo=UTC)
    body = (
        '<a href="x"><img src="a.jpg" alt="FILE - In this March 2, 2011 file photo, a man"></a>'
        "<p>AP - FILE - In this March 2, 2011 file photo, a man waves.</p><p>Aug. 24, 2011</p>"
    )
    assert extract_article(_page("", body)).published == datetime(2011, 8, 24, tzinfo=UTC)


def test_a_byline_above_the_headline_dates_the_article() -> None:
    markup = (
        '<html lang="de"><head><title>Die Patientenakte</title></head><body><div class="hero">'
        '<p class="about"><span>Von</span> <span><a href="/a/m">Moritz B.</a></span> '
        "<span>publiziert am 25. September 2018</span></p><h1>Die Patientenakte</h1></div>"
        f"<div>{TEXT}</div></body></html>"
    )
    assert extract_article(markup).published == datetime(2018, 9, 25, tzinfo=UTC)


def test_a_clock_time_in_a_us_zone_says_month_first() -> None:
    from corpsearch.extract.htmldates import shows_us_zone

    assert shows_us_zone(["Posted 02/03/2021 6:05 PM EST"]) and shows_us_zone(["9:24 pm ET"])
    assert not shows_us_zone(["10:00 CET", "500 MT of steel", "le 3 mars ET le 4"])
    body = "<p>Posted 02/03/2021 6:05 PM EST</p>"
    published = extract_article(_page("", body)).published
    assert published is not None and published.date().isoformat() == "2021-02-03"


def test_a_site_headers_date_of_today_is_not_the_articles() -> None:
    nav = "".join(f'<li><a href="/s{i}">Section number {i}</a></li>' for i in range(30))
    markup = (
        '<html lang="es"><head><title>Anticorrupción decide</title></head><body>'
        '<div class="fecha"><time datetime="jueves, 09 enero 2014 10:21">jueves, 09 enero 2014'
        f"</time></div><ul>{nav}</ul><article><hgroup><h3>Anticorrupción decide</h3></hgroup>"
        f"<p><strong>Patricio C.</strong> | Palma | 08/01/2014</p>{TEXT}</article></body></html>"
    )
    published = extract_article(markup).published
    assert published is not None and published.date().isoformat() == "2014-01-08"


def test_a_microformat_abbr_title_and_a_date_header_above_the_post() -> None:
    post = (
        '<div class="date-outer"><h2 class="date-header"><span>Thursday, March 4, 2021</span>'
        '</h2><div class="date-posts"><div class="post"><h3 class="post-title">Council votes</h3>'
        f"{TEXT}<p>Posted at <abbr class='published' itemprop='datePublished' "
        "title='2021-03-04T18:05:00-06:00'>6:05 PM</abbr></p></div></div></div>"
    )
    markup = f"<html><head><title>Council votes</title></head><body>{post}</body></html>"
    published = extract_article(markup).published
    assert published == datetime.fromisoformat("2021-03-04T18:05:00-06:00")
    markup = markup.replace("itemprop='datePublished' ", "")  # the date header alone
    published = extract_article(markup).published
    assert published is not None and published.date().isoformat() == "2021-03-04"


def test_a_publication_date_rewritten_at_each_update_gives_way_to_the_dateline() -> None:
    head = (
        '<meta name="date" content="2019-11-19 19:31:39">'
        '<meta property="article:modified_time" content="2019-11-19 19:31:39">'
    )
    body = '<p><time datetime="2019-11-18 19:14:00">November 18, 2019 -- 19:14 GMT</time></p>'
    fields = extract_article(_page(head, body))
    assert fields.published == datetime(2019, 11, 18, 19, 14, tzinfo=UTC)
    assert fields.published_reason and "modification" in fields.published_reason
    # modified later: the publication date stands
    same = head.replace(
        'modified_time" content="2019-11-19 19:31:39', 'modified_time" content="2019-11-20 08:00:00'
    )
    fields = extract_article(_page(same, body))
    assert fields.published == datetime(2019, 11, 19, 19, 31, 39, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2021年03月02日", "2021-03-02"),
        ("2021年03月03日 8:41", "2021-03-03T08:41"),
        ("2021년 3월 2일", "2021-03-02"),
        ("2 марта 2021 10:20", "2021-03-02T10:20"),
        ("12 stycznia 2021", "2021-01-12"),
    ],
)
def test_datelines_in_more_languages(text: str, iso: str) -> None:
    from corpsearch.extract.htmldates import shown_date

    assert shown_date(text) == iso


def test_a_dateline_with_a_us_zone_name_gives_the_offset_and_the_pages_zone() -> None:
    from datetime import timezone

    from corpsearch.extract.htmldates import shown_date

    fields = extract_article(_page("", "<p>Published March 4, 2021, 4:30 PM PST</p>"))
    assert fields.published == datetime.fromisoformat("2021-03-04T16:30:00-08:00")
    assert fields.zone == timezone(timedelta(hours=-8))
    # in capitals only: French "est" after a time is a verb
    assert shown_date("4 mars 2021 à 10h30 est prévu") == "2021-03-04T10:30"
    # a UTC value whose dateline shows the same instant with its zone's name
    head = '<meta property="article:published_time" content="2021-03-03T02:30:00Z">'
    fields = extract_article(_page(head, "<p>March 2, 2021 9:30 PM EST</p>"))
    assert fields.published is not None
    assert fields.published.isoformat() == "2021-03-02T21:30:00-05:00"


def test_a_time_without_zone_shown_as_it_is_beside_a_declared_offset_is_the_pages_clock() -> None:
    head = (
        '<meta name="date" content="2021-03-04 18:05">'
        '<meta property="article:modified_time" content="2021-03-05T09:00:00+01:00">'
    )
    fields = extract_article(_page(head, "<p>4. März 2021, 18:05 Uhr</p>", lang="de"))
    assert fields.published == datetime.fromisoformat("2021-03-04T18:05:00+01:00")
    # shown five hours earlier than the value's clock: the value was UTC
    head = (
        '<meta name="date" content="2019-11-18T17:01:27">'
        '<meta property="article:modified_time" content="2019-11-20T07:00:21-05:00">'
    )
    fields = extract_article(_page(head, "<p>November 18, 2019 12:01 PM</p>"))
    assert fields.published == datetime.fromisoformat("2019-11-18T12:01:27-05:00")


def test_an_update_on_the_same_local_day_in_the_pages_region_leaves_the_day() -> None:
    from corpsearch.extract.datelines import local_day_offset

    # 17:30 UTC is past midnight in Indonesia (+7 to +9), where the page shows the 4th; its
    # update at 02:10 UTC fell on the 4th too, which says nothing against that day
    value = datetime.fromisoformat("2021-03-03T17:30:00Z")
    update = ["2021-03-04T02:10:00Z"]
    assert local_day_offset(value, [["2021-03-04"]], update, (7.0, 9.0)) == timezone(
        timedelta(hours=7)
    )
    # a region whose zones cannot reach that day keeps the update rule
    assert local_day_offset(value, [["2021-03-04"]], update, (-10.0, -4.0)) is None


def test_a_dateline_in_a_language_comment_dates_are_read_in_orders_the_day() -> None:
    from corpsearch.extract.date_names import region_offsets
    from corpsearch.extract.htmldates import shown_date

    assert shown_date("4 Maret 2021") == "2021-03-04"  # Indonesian
    assert shown_date("3 березня 2021") == "2021-03-03"  # Ukrainian
    assert region_offsets(["", "id-ID"]) == (7.0, 9.0)
    assert region_offsets(["id_ID"]) == (7.0, 9.0)
    assert region_offsets(["en"]) is None


def test_an_update_labelled_in_its_own_element_gives_no_offset() -> None:
    # Brightspot: "Updated" and "Published" are labels beside the dates, the update first
    head = '<meta property="article:published_time" content="2021-03-04T01:45:00Z">'
    body = (
        "<div><span>Updated</span> <span>03/05/2021 10:12 AM EST</span></div>"
        "<div><span>Published</span> <span>03/03/2021 08:45 PM EST</span></div>"
    )
    fields = extract_article(_page(head, body))
    assert fields.published is not None
    assert fields.published.isoformat() == "2021-03-03T20:45:00-05:00"


def test_a_relative_date_whose_tooltip_holds_the_day() -> None:
    body = (
        "<p>The county archive let me photograph the logbook of the North Reef light.</p>"
        '<footer><a href="/post/1" title="Wednesday, March 3rd, 2021 9:48pm">Posted 2 days ago'
        "</a></footer>"
    )
    fields = extract_article(_page("", body))
    assert fields.published is not None and fields.published.date().isoformat() == "2021-03-03"
    # a tooltip with no date, or a shown text that is a date itself, is no such evidence
    body = '<p>Text of the post, long enough.</p><a title="Permalink">Posted 2 days ago</a>'
    assert extract_article(_page("", body)).published is None


@pytest.mark.parametrize(
    "body",
    [
        # an update's line with its own date above the publication's: not a label of it
        "<p>Updated: March 5, 2021</p><p>Published: March 3, 2021</p>",
        # both on one meta line, or in two sentences of one paragraph
        "<p>Updated March 5, 2021 · Published March 3, 2021</p>",
        "<p>Last updated on 5 March 2021. First published on 3 March 2021.</p>",
    ],
)
def test_the_publication_after_an_update_shown_first(body: str) -> None:
    published = extract_article(_page("", body)).published
    assert published is not None and published.date().isoformat() == "2021-03-03"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("03-03-2021", "2021-03-03"),
        ("2021/03/03 10:00", "2021-03-03T10:00"),
        ("2021. március 3.", "2021-03-03"),  # Hungarian, the year first
        ("3 Maret 2021", "2021-03-03"),
    ],
)
def test_more_written_forms_of_a_dateline(text: str, iso: str) -> None:
    from corpsearch.extract.htmldates import shown_date

    assert shown_date(text) == iso


@pytest.mark.parametrize(
    "before",
    [
        # a figure's text without a figcaption is the image's
        '<figure><img src="a.jpg" alt=""><em>The hall on February 12, 2021.</em></figure>',
        # a photo credit just under its image
        '<img src="a.jpg" alt="The hall"><p class="credit">Photo taken February 12, 2021</p>',
    ],
)
def test_an_images_unnamed_caption_or_credit_does_not_date_the_article(before: str) -> None:
    published = extract_article(_page("", f"{before}<p>March 3, 2021</p>")).published
    assert published is not None and published.date().isoformat() == "2021-03-03"


def test_a_stand_label_dates_an_update() -> None:
    body = "<p>Stand: 05.03.2021</p><p>03.03.2021, 08:00 Uhr</p>"
    published = extract_article(_page("", body, lang="de")).published
    assert published is not None and published.date().isoformat() == "2021-03-03"
    # a byline named a credit, with no image before it, still dates the article
    body = '<p class="story-credit">By Ann Lee, March 3, 2021</p>'
    published = extract_article(_page("", body)).published
    assert published is not None and published.date().isoformat() == "2021-03-03"


def test_a_dateline_as_bare_text_after_the_heading() -> None:
    from corpsearch.extract.article import extract_article

    markup = (
        "<html><body><h1>Fan site - Archive</h1><h2>Chapter 121 is online</h2>"
        "24. März 2004, 19:49 | Genesis<p>Chapter 121 is online now, chapter 122 follows on "
        "Friday.</p><h3>#1 comment by Naru</h3>26. März 2004, 16:19<p>Thanks!</p></body></html>"
    )
    published = extract_article(markup).published
    assert published is not None and published.date().isoformat() == "2004-03-24"


def test_a_day_only_in_the_posts_closing_meta_line() -> None:
    # Kubrick-style themes close a post with "This entry was posted on DATE and is filed
    # under …" and show no date anywhere else
    from corpsearch.extract.article import extract_article

    text = "<p>" + "The report says attacks on power grids remain rare but are growing. " * 12
    markup = (
        f"<html><body><h1>No cyberterrorism this time</h1>{text}</p>"
        "<p class='postmetadata'>Dieser Beitrag wurde am Samstag, 3. Dezember 2011 um "
        "%H:%M Uhr veröffentlicht und unter <a href='/c'>Cybercrime</a> gespeichert.</p>"
        "</body></html>"
    )
    published = extract_article(markup).published
    assert published is not None and published.date().isoformat() == "2011-12-03"


def test_a_dateline_of_day_month_and_year_each_closed_by_a_comma() -> None:
    # a Latin American news site's dateline above its headline, with other stories' days in
    # a sidebar below the article: "26, Abril, 2022" is the article's day
    from corpsearch.extract.htmldates import shown_date

    assert shown_date("26, Abril, 2022") == "2022-04-26"
    assert shown_date("el tomo 3, mayo 2019") is None  # one comma: a list, no dateline
    body = (
        '<div class="meta"><span>Managua, Nicaragua</span><span> 26, Abril, 2022</span>'
        "<span> 7:43 p.m.</span></div><h1>El Banco Central informa de la deuda</h1>"
        "<p>La deuda externa total aumentó en 884,3 millones de dólares respecto a 2020. "
        "Lo informó este martes el Banco Central.</p><p>Los desembolsos fueron altos. Otra "
        "frase más.</p><aside><h5>Otras noticias</h5><small>22 Apr, 2022</small></aside>"
    )
    article = extract_article(_page("", body, lang="es"))
    assert article.published is not None
    assert article.published.date().isoformat() == "2022-04-26"


def test_an_events_widget_and_the_menu_bars_day_are_not_the_articles() -> None:
    # a church weekly's page: the day of the visit as an item of the top menu, the article's
    # day only in a sidebar box, and an events widget whose items each carry <time> elements
    page = (
        '<html lang="de"><head><title>Neuer Leiter | DER SONNTAG</title></head><body>'
        '<ul class="menu"><li class="date"><strong>Montag, 09.12.2019</strong></li>'
        '<li><a href="/ueber-uns">Über uns</a></li><li><a href="/abo">Aboservice</a></li>'
        '<li><a href="/kontakt">Kontakt</a></li></ul>'
        '<div class="content"><div class="col"><h1>Neuer Leiter für den Chor</h1>'
        "<p>Neuer Leiter des Chores wird Emanuel Scobel. Darauf hat sich die Kommission "
        "verständigt. Das teilte die Stadt am Freitag mit.</p><p>Er wird voraussichtlich "
        "im Oktober nach Leipzig wechseln. Er freue sich darauf.</p></div>"
        '<div class="col"><div class="info">VERÖFFENTLICHT AM 07.06.2019</div>'
        '<div class="events">'
        + "".join(
            f'<ul class="description"><li><time datetime="2019-12-{d}T00:00:00+01:00">'
            f"{d}.12.2019</time> – Dresden</li><li>Konzert</li></ul>"
            for d in ("11", "09", "09")
        )
        + "</div></div></div></body></html>"
    )
    article = extract_article(page)
    assert article.published is not None
    assert article.published.date().isoformat() == "2019-06-07"
