"""Year-first and East Asian dates, and the words of a last-edited time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corpsearch.extract.comment_dates import find_date_span, parse_visible_date
from corpsearch.extract.date_forms import edited_before, edited_note, year_first


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
