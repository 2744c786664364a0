"""Parsing the forms added to the grammar, and the errors people meet first."""

from __future__ import annotations

import pytest

from corpsearch import QueryError, parse_query
from corpsearch.query.ast import And, Or, Term


def test_alternatives_of_a_whole_value() -> None:
    assert parse_query("kind:article|comment") == Or(
        (Term("kind", "article"), Term("kind", "comment"))
    )
    assert parse_query("author:_mowaten_|imagine_1979") == Or(
        (Term("author", "_mowaten_"), Term("author", "imagine_1979"))
    )
    assert parse_query("KIND:Article") == Term("kind", "article")
    # a bar in text is not an alternative
    assert parse_query("headline:a|b") == Term("headline", "a|b")


def test_article_means_the_comments_on_that_article() -> None:
    assert parse_query("article:7e66dacde04247a7") == And(
        (Term("article", "7e66dacde04247a7"), Term("kind", "comment"))
    )
    assert parse_query("id:7e66dacde04247a7") == Term("id", "7e66dacde04247a7")


@pytest.mark.parametrize(
    ("query", "position", "expected", "hint"),
    [
        ("assad AND", 9, "expected a word, phrase or '('", '"AND" in quotes'),
        ("assad OR", 8, "expected a word, phrase or '('", '"OR" in quotes'),
        ("kind:blog", 5, "kind is 'article' or 'comment'", "kind:article|comment"),
        ("author:a||b", 9, "expected a value on both sides of '|'", "author:a|b"),
        ("foo:bar", 0, "unknown field 'foo'", '"foo:bar"'),
        ("OR assad", 0, "expected a word, phrase or '(' but found 'OR'", '"OR" in quotes'),
        ("assad*s", 5, "wildcards are allowed only at the end", '"assad*s"'),
        ('"civil war"~x', 12, 'expected a number after "~"', None),
    ],
)
def test_errors_name_position_expectation_and_quoting(
    query: str, position: int, expected: str, hint: str | None
) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    assert caught.value.position == position
    assert expected in str(caught.value)
    if hint is None:
        assert caught.value.hint is None
    else:
        assert caught.value.hint is not None and hint in caught.value.hint
