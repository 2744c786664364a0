"""A comment's time: when it was written, not when it was last edited; the time shown in the
text completes a machine value that gives only the day."""

from __future__ import annotations

from datetime import UTC, datetime

from corpsearch.extract.comments import find_comments


def _page(meta: str) -> str:
    return (
        "<html><body><article><h1>A post</h1><p>The post.</p></article>"
        '<ol class="commentlist"><li class="comment" id="comment-7">'
        f'<div class="comment-meta"><cite class="fn">Anna</cite> {meta}</div>'
        "<p>The comment by Anna, with a few words.</p></li></ol></body></html>"
    )


def test_the_time_it_was_written_wins_over_the_time_it_was_edited() -> None:
    meta = (
        '<span class="edited">edited <time datetime="2020-08-02T09:00:00Z">Aug 2</time></span>'
        ' <time datetime="2020-07-29T18:45:00Z">July 29, 2020</time>'
    )
    [comment] = find_comments(_page(meta))
    assert comment.published == datetime(2020, 7, 29, 18, 45, tzinfo=UTC)


def test_an_edited_time_is_still_used_when_it_is_the_only_one() -> None:
    meta = '<time class="updated" datetime="2020-08-02T09:00:00Z">Aug 2, 2020</time>'
    [comment] = find_comments(_page(meta))
    assert comment.published == datetime(2020, 8, 2, 9, 0, tzinfo=UTC)


def test_a_date_only_machine_value_takes_the_time_the_text_shows() -> None:
    meta = '<time datetime="2020-07-29">July 29, 2020 at 6:45 pm</time>'
    [comment] = find_comments(_page(meta))
    assert comment.published == datetime(2020, 7, 29, 18, 45, tzinfo=UTC)


CAPTURED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_a_time_counted_back_from_the_capture_leaves_the_machine_value_in_its_zone() -> None:
    # "2 days ago" beside 18:15 +02:00 is no evidence that the page shows another zone
    meta = '<time datetime="2024-04-29T18:15:03+02:00"><a href="#c">2 days ago</a></time>'
    [comment] = find_comments(_page(meta), captured_at=CAPTURED)
    assert comment.published is not None
    assert comment.published.isoformat() == "2024-04-29T18:15:03+02:00"


def test_a_short_date_standing_alone_in_the_header_dates_the_comment() -> None:
    [compact] = find_comments(_page("<span>2d</span>"), captured_at=CAPTURED)
    assert compact.published == datetime(2024, 4, 29, 12, 0, tzinfo=UTC)
    [no_year] = find_comments(_page("<span>Apr 25</span>"), captured_at=CAPTURED)
    assert no_year.published is not None and no_year.published.date().isoformat() == "2024-04-25"


def test_a_short_date_inside_a_line_of_words_is_no_date() -> None:
    [comment] = find_comments(
        _page("<span>from 2d printers and May 5 plans</span>"), captured_at=CAPTURED
    )
    assert comment.published is None


def test_a_date_written_after_edit_words_is_not_the_comments_time() -> None:
    # "(modified at 2021-03-05 10:41:17)" after the shown creation time, which has no year
    meta = '<span title="Mar 5th 2021">Mar 5th at 10:03 AM</span> (modified at 2021-03-05 10:41:17)'
    [comment] = find_comments(_page(meta), page_published=datetime(2021, 3, 2, tzinfo=UTC))
    assert comment.published == datetime(2021, 3, 5, 10, 3, tzinfo=UTC)


def test_the_time_of_day_in_its_own_element_before_the_date() -> None:
    meta = '<span class="time">07:42 PM</span> <span class="date">03 March 2021</span>'
    [comment] = find_comments(_page(meta))
    assert comment.published == datetime(2021, 3, 3, 19, 42, tzinfo=UTC)


def test_a_relative_time_takes_the_date_of_its_tooltip() -> None:
    # the capture time may be only the file's: the tooltip's absolute date is the moment
    meta = '<span title="Mar 11th 2021, 19:14:00">2 days ago</span>'
    [comment] = find_comments(_page(meta), captured_at=datetime(2026, 12, 3, tzinfo=UTC))
    assert comment.published == datetime(2021, 3, 11, 19, 14, tzinfo=UTC)


def _us_page(lang: str, shown: str) -> str:
    return (
        f'<html lang="{lang}"><body><article><h1>A post</h1><p>The post.</p></article>'
        '<ol class="commentlist">'
        + "".join(
            f'<li class="comment" id="comment-{i}"><div class="comment-meta">'
            f'<cite class="fn">{name}</cite> <span class="date">{shown}</span></div>'
            f"<p>The comment by {name}, with a few words.</p></li>"
            for i, name in enumerate(["Anna", "Ben", "Cleo"])
        )
        + "</ol></body></html>"
    )


def test_a_us_page_writes_its_numeric_dates_month_first() -> None:
    # nothing else on the page tells 3/4/2021 apart; the region of the language tag does
    [first, *_] = find_comments(_us_page("en-US", "3/4/2021 9:15 PM"))
    assert first.published == datetime(2021, 3, 4, 21, 15, tzinfo=UTC)
    [first, *_] = find_comments(_us_page("en-GB", "3/4/2021 9:15 PM"))
    assert first.published == datetime(2021, 4, 3, 21, 15, tzinfo=UTC)
    [first, *_] = find_comments(_us_page("en", "3/4/2021 9:15 PM"))  # a language alone: day first
    assert first.published == datetime(2021, 4, 3, 21, 15, tzinfo=UTC)


def test_og_locale_or_the_articles_own_day_on_the_page_say_month_first() -> None:
    # no region in <html lang>: the page's og:locale names it
    page = _us_page("en", "3/4/2021 9:15 PM").replace(
        "<body>", '<head><meta property="og:locale" content="en_US"></head><body>', 1
    )
    [first, *_] = find_comments(page)
    assert first.published == datetime(2021, 3, 4, 21, 15, tzinfo=UTC)
    # no region anywhere: the article's day (2021-02-09 from its metadata) printed "02/09/2021"
    # in its dateline is month first, so the comments' "3/4/2021" is March 4th too
    dated = _us_page("en", "3/4/2021 9:15 PM").replace(
        "<p>The post.</p>", "<p>Posted 02/09/2021</p><p>The post.</p>", 1
    )
    published = datetime(2021, 2, 9, 8, 0, tzinfo=UTC)
    [first, *_] = find_comments(dated, page_published=published)
    assert first.published == datetime(2021, 3, 4, 21, 15, tzinfo=UTC)
    # the same day printed "09.02.2021" is day first, as is the default
    dotted = dated.replace("02/09/2021", "09.02.2021")
    [first, *_] = find_comments(dotted, page_published=published)
    assert first.published == datetime(2021, 4, 3, 21, 15, tzinfo=UTC)
    # what the comments' own dates say outranks the region: "13/4/2021" among them
    mixed = page.replace("3/4/2021 9:15 PM", "13/4/2021 9:15 PM", 1)
    [first, second, *_] = find_comments(mixed)
    assert [c.published.month if c.published else None for c in (first, second)] == [4, 4]


def test_a_date_in_an_emphasis_line_under_the_text_dates_the_comment() -> None:
    # a static copy of blog comments: "NAME said..." in a heading, the text, then the date in
    # an ``em`` of its own; the texts are long enough that the header's first characters do
    # not reach the date
    words = "This worked for me after a long afternoon of trying everything else in the docs. "
    items = "".join(
        f'<div class="swcomment"><h4><a href="/u/{name}">{name}</a> said...</h4>'
        f'<p style="margin-left: 30px">{words * 3}{name}</p>'
        f'<em class="swlightgray" style="margin-left: 30px">{shown}</em></div>'
        for name, shown in [
            ("Trevor", "October 02, 2009 04:59 PM"),
            ("Nick", "April 26, 2009 10:45 AM"),
            ("Jerry", "January 16, 2009 06:49 AM"),
        ]
    )
    html = (
        "<html><body><article><h1>A post</h1><p>The post.</p></article>"
        f"<h3>Comments</h3>{items}</body></html>"
    )
    assert [c.published for c in find_comments(html)] == [
        datetime(2009, 10, 2, 16, 59, tzinfo=UTC),
        datetime(2009, 4, 26, 10, 45, tzinfo=UTC),
        datetime(2009, 1, 16, 6, 49, tzinfo=UTC),
    ]


def test_a_year_no_web_comment_can_carry_leaves_the_comment_without_a_time() -> None:
    from datetime import UTC, datetime

    from corpsearch.extract.comment_dates import parse_visible_date

    saved = datetime(2011, 4, 16, tzinfo=UTC)
    for shown in ("15.04.8266, 13:02 | Anna:", "15.04.1965, 13:02 | Anna:", "3 March 2999"):
        found = parse_visible_date(shown, UTC, saved)
        assert found is not None and found.value is None, shown
        assert found.reason is not None and "cannot be a comment's" in found.reason
    found = parse_visible_date("15.04.2011, 13:02 | Anna:", UTC, saved)
    assert found is not None and found.value == datetime(2011, 4, 15, 13, 2, tzinfo=UTC)
