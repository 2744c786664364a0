"""Year-first and East Asian dates, and the words of a last-edited time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corpsearch.extract.comment_dates import find_date_span, parse_visible_date
from corpsearch.extract.date_forms import edited_before, edited_note, has_digit, year_first


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2021年03月03日 8:41", datetime(2021, 3, 3, 8, 41, tzinfo=UTC)),
        ("2021年3月4日(木) 21:07", datetime(2021, 3, 4, 21, 7, tzinfo=UTC)),
        ("2021년 3월 4일 09:15", datetime(2021, 3, 4, 9, 15, tzinfo=UTC)),
        ("佐藤（2021/03/02 18:22）", datetime(2021, 3, 2, 18, 22, tzinfo=UTC)),
        ("2021.03.14 10:02", datetime(2021, 3, 14, 10, 2, tzinfo=UTC)),
    ],
)
def test_year_first_dates_are_read_year_month_day(text: str, want: datetime) -> None:
    found = parse_visible_date(text, UTC)
    assert found is not None and found.value == want


def test_year_first_needs_a_real_date() -> None:
    assert year_first("version 2021.13.40") is None
    assert year_first("2021.03.012:22 pm") is None  # digits glued on: no date of this shape


def test_a_date_shown_without_a_year_is_found_in_a_header_line() -> None:
    line = "Dana Whitfield · Mar 03, 11:47 AM · #"
    span = find_date_span(line)
    assert span is not None and line[: span[0]].strip(" ·") == "Dana Whitfield"


@pytest.mark.parametrize(
    "line",
    ["(aangepast op: 05-03-2021)", "Edited March 4, 2021", "(modified at 2021-03-05 10:41:17)"],
)
def test_a_line_that_is_only_an_edit_note(line: str) -> None:
    assert edited_note(line, find_date_span(line))


def test_a_creation_date_beside_an_edit_note_is_no_note() -> None:
    line = "04-03-2021 08:17:33 (aangepast op: 05-03-2021)"
    assert not edited_note(line, find_date_span(line))
    assert edited_before(line, line.index("05-03"))
    assert not edited_before(line, 0)


def test_the_shown_date_wins_over_an_edited_machine_one() -> None:
    text = "Mar 5th at 10:03 AM (modified at 2021-03-05 10:41:17)"
    found = parse_visible_date(text, UTC, year_hint=datetime(2021, 3, 2).date())
    assert found is not None and found.value == datetime(2021, 3, 5, 10, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("4. března 2021 12:30", datetime(2021, 3, 4, 12, 30, tzinfo=UTC)),  # Czech
        ("12 Mart 2021 14:05", datetime(2021, 3, 12, 14, 5, tzinfo=UTC)),  # Turkish
        ("4 березня 2021 р. 10:15", datetime(2021, 3, 4, 10, 15, tzinfo=UTC)),  # Ukrainian
        ("4 Maret 2021 08:00", datetime(2021, 3, 4, 8, 0, tzinfo=UTC)),  # Indonesian
        ("4 de març de 2021 09:30", datetime(2021, 3, 4, 9, 30, tzinfo=UTC)),  # Catalan
        ("4 augusti 2021 18:02", datetime(2021, 8, 4, 18, 2, tzinfo=UTC)),  # Swedish
    ],
)
def test_month_names_of_more_languages(text: str, want: datetime) -> None:
    found = parse_visible_date(text, UTC)
    assert found is not None and found.value == want


@pytest.mark.parametrize(
    ("text", "hours"), [("3時間前", 3), ("2日前", 48), ("3시간 전", 3), ("2天前", 48)]
)
def test_east_asian_relative_times(text: str, hours: int) -> None:
    captured = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    found = parse_visible_date(text, UTC, captured)
    assert found is not None and found.value is not None
    assert (captured - found.value).total_seconds() == hours * 3600
    assert find_date_span("投稿者 " + text) is not None


def test_weekdays_of_more_languages_order_a_numeric_date_and_leave_a_name() -> None:
    from corpsearch.extract.comment_names import clean_author
    from corpsearch.extract.date_names import weekday_before

    assert weekday_before("Čtvrtek, 04.03.2021", 9) == 3  # Thursday: March 4
    assert weekday_before("Perşembe 04.03.2021", 9) == 3
    assert clean_author("Jana Nováková, čtvrtek") == "Jana Nováková"


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("4. März 2021 um 14:05 Uhr MESZ", 2),
        ("04.03.2021 14:05 CET", 1),
        ("4 March 2021 10:00 JST", 9),
        ("4 March 2021 10:00 (AEDT)", 11),
        ("04.03.2021 14:05 cet article", 0),  # "cet" in French prose is no zone
    ],
)
def test_zone_names_of_europe_and_asia_after_a_time(text: str, hours: int) -> None:
    found = parse_visible_date(text, UTC)
    assert found is not None and found.value is not None
    offset = found.value.utcoffset()
    assert offset is not None and offset.total_seconds() == hours * 3600


@pytest.mark.parametrize(
    "text", ["just now", "gerade eben", "à l'instant", "только что", "たった今"]
)
def test_just_now_alone_in_an_element_is_the_capture_time(text: str) -> None:
    from corpsearch.extract.comment_dates import parse_element_date

    captured = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    found = parse_element_date(text, UTC, captured)
    assert found is not None and found.value == captured
    assert parse_element_date("I just now saw it", UTC, captured) is None


@pytest.mark.parametrize(
    ("text", "hour"),
    [
        ("2021年3月4日 午後3:15", 15),
        ("2021年3月4日 午前11:05", 11),
        ("2021년 3월 4일 오후 3:15", 15),
    ],
)
def test_the_half_of_the_day_written_before_an_east_asian_time(text: str, hour: int) -> None:
    found = parse_visible_date(text, UTC)
    assert found is not None and found.value is not None and found.value.hour == hour


@pytest.mark.parametrize(
    "text",
    ["", "no digits here", "Comment 12", "٣ أيام", "x²", "①", "ß é ü", "১২ ঘণ্টা", "\u00a0", "0"],
)
def test_has_digit_answers_as_asking_every_character(text: str) -> None:
    # the date readers' prefilter: the same answer as str.isdigit asked of each character,
    # superscripts and circled digits (digits to str.isdigit, not to \d) included
    assert has_digit(text) == any(ch.isdigit() for ch in text)
    assert has_digit(text * 3 + "a") == any(ch.isdigit() for ch in text)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("4-mar-2021 19.12.05 by giuliana.ferri", datetime(2021, 3, 4, 19, 12, 5, tzinfo=UTC)),
        ("5-mar-2021 9.02.47", datetime(2021, 3, 5, 9, 2, 47, tzinfo=UTC)),
        ("03.03.2021 kl. 19.12", datetime(2021, 3, 3, 19, 12, tzinfo=UTC)),
    ],
)
def test_a_time_written_with_dots_right_after_a_date(text: str, want: datetime) -> None:
    found = parse_visible_date(text, UTC)
    assert found is not None and found.value == want and not found.date_only
    span = find_date_span(text)  # the time belongs to the date's span, the name does not
    assert span is not None and text[span[1] :] in ("", " by giuliana.ferri")


def test_dots_alone_are_a_date_and_a_number_after_a_date_no_time() -> None:
    found = parse_visible_date("Am 19.12.05 schrieb", UTC)  # 19 December 2005, not 19:12:05
    assert found is not None and found.date_only and found.value.year == 2005
    found = parse_visible_date("4-mar-2021 1.5 km", UTC)
    assert found is not None and found.date_only


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("5 juin 2009 à 16 h 10 min", datetime(2009, 6, 5, 16, 10, tzinfo=UTC)),
        ("30 juin 2009 à 0 h 11 min", datetime(2009, 6, 30, 0, 11, tzinfo=UTC)),
        ("19 février 2013 à 15 h 50 min", datetime(2013, 2, 19, 15, 50, tzinfo=UTC)),
        ("le 3 mars 2021 à 9 h 05 min", datetime(2021, 3, 3, 9, 5, tzinfo=UTC)),
    ],
)
def test_french_wordpress_times_with_a_spaced_h(text: str, want: datetime) -> None:
    # WordPress's French default time format is "G \h i \m\i\n"
    found = parse_visible_date(text, UTC)
    assert found is not None and found.value == want
    span = find_date_span(text)
    assert span is not None and text[span[1] :].strip() == ""  # "min" is part of the time


def test_a_spaced_h_without_min_is_no_time() -> None:
    # "à 16 h 10" could be a duration or a count; only the whole format is read as a time
    found = parse_visible_date("5 juin 2009, 16 h 10 tours", UTC)
    assert found is not None and found.value == datetime(2009, 6, 5, tzinfo=UTC)
