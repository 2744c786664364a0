from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from corpsearch import QueryError, parse_query
from corpsearch.query.ast import (
    And,
    DateRange,
    Fuzzy,
    HasComments,
    Not,
    Or,
    Phrase,
    Prefix,
    Term,
)

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_words_are_anded() -> None:
    assert parse_query("assad regime") == And((Term(None, "assad"), Term(None, "regime")))


def test_boolean_precedence_and_negation() -> None:
    assert parse_query("a OR b -c") == Or(
        (Term(None, "a"), And((Term(None, "b"), Not(Term(None, "c")))))
    )
    assert parse_query("NOT (a AND b)") == Not(And((Term(None, "a"), Term(None, "b"))))


def test_fields_phrases_and_groups() -> None:
    assert parse_query("author:_mowaten_") == Term("author", "_mowaten_")
    assert parse_query('text:"civil war"~2') == Phrase("text", "civil war", 2)
    assert parse_query("headline:(assad OR damascus)") == Or(
        (Term("headline", "assad"), Term("headline", "damascus"))
    )
    assert parse_query("assad* assad~2") == And((Prefix(None, "assad"), Fuzzy(None, "assad", 2)))
    assert parse_query("comments:(author:x)") == HasComments(Term("author", "x"))


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ("date:2014-09-13", "2014-09-13", "2014-09-14"),
        ("date:2014-09", "2014-09-01", "2014-10-01"),
        ("date:2014", "2014-01-01", "2015-01-01"),
        ("date:[2014-09-01 TO 2014-09-30]", "2014-09-01", "2014-10-01"),
        ("date:{2014-09-01 TO 2014-09-30}", "2014-09-02", "2014-09-30"),
        ("date:[2014-09-13T14:00 TO 2014-09-13T15:00}", "2014-09-13T14:00", "2014-09-13T15:00"),
    ],
)
def test_date_values_stand_for_their_whole_period(query: str, start: str, end: str) -> None:
    assert parse_query(query, now=NOW) == DateRange(utc(start), utc(end))


def test_open_ranges_and_comparisons() -> None:
    assert parse_query("date:>=2014-09-13") == DateRange(utc("2014-09-13"), None)
    assert parse_query("date:>2014-09-13") == DateRange(utc("2014-09-14"), None)
    assert parse_query("date:<2014-09-13") == DateRange(None, utc("2014-09-13"))
    assert parse_query("date:[2014-09 TO *]") == DateRange(utc("2014-09-01"), None)
    assert parse_query("date:>now-7d", now=NOW).start == datetime(2026, 1, 8, 12, 0, 1, tzinfo=UTC)  # type: ignore[union-attr]


def test_dates_without_zone_are_read_in_the_given_zone() -> None:
    tree = parse_query("date:[2014-09-13T17:00 TO 2014-09-13T18:00}", tz=ZoneInfo("Asia/Beirut"))
    assert tree == DateRange(utc("2014-09-13T14:00"), utc("2014-09-13T15:00"))


@pytest.mark.parametrize(
    ("query", "position", "words"),
    [
        ('"unclosed', 1, "unclosed quotation mark"),
        ("(a b", 1, "expected ')'"),
        ("a )", 3, "unexpected ')'"),
        ("nosuchfield:x", 1, "unknown field"),
        ("date:yesterday", 6, "expected a date"),
        ("a OR", 5, "query ended"),
        ("date:[2014 TO]", 14, "expected a date"),
        ("", 1, "empty query"),
    ],
)
def test_errors_name_position_and_expectation(query: str, position: int, words: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    assert caught.value.position + 1 == position
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_error_suggests_quoting() -> None:
    with pytest.raises(QueryError, match=re.escape('"http://example.com/a"')):
        parse_query("http://example.com/a")


def test_equals_marks_a_word_or_phrase_written_exactly() -> None:
    assert parse_query("=Wahl") == Term(None, "Wahl", exact=True)
    assert parse_query('="die Wahl"~2') == Phrase(None, "die Wahl", 2, exact=True)
    assert parse_query("body:=Wahl -=Wahlen") == And(
        (Term("body", "Wahl", exact=True), Not(Term(None, "Wahlen", exact=True)))
    )
    assert parse_query("=wahl*") == Prefix(None, "wahl", exact=True)
    assert parse_query("=wahl~2") == Fuzzy(None, "wahl", 2, exact=True)
    assert parse_query("headline:(=Wahl OR wahl)") == Or(
        (Term("headline", "Wahl", exact=True), Term("headline", "wahl"))
    )
    # a lone = (or ==) is a word like any other, as it was
    assert parse_query("a = b") == And((Term(None, "a"), Term(None, "="), Term(None, "b")))


@pytest.mark.parametrize(
    ("query", "position", "words"),
    [
        ("author:=ivan", 7, "matched whole already"),
        ("=*", 0, "goes before a word or a phrase"),
    ],
)
def test_equals_outside_text_is_refused(query: str, position: int, words: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    assert caught.value.position == position
    assert words in str(caught.value)
