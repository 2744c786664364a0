"""Hostile queries: any text given to the parser or the index, and any query tree built in code,
gives results or a one-line QueryError/CorpsearchError with a position, never another exception
and never a hang (hypothesis' deadline bounds every example). The searches run on each engine."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpsearch import (
    ConfigError,
    CorpsearchError,
    Index,
    QueryError,
    SearchResult,
    parse_query,
)
from corpsearch import index as index_module
from corpsearch.cli import cli
from corpsearch.engine import ENGINES, compiler
from corpsearch.engine.compiler import MAX_EXPANSION
from corpsearch.query.ast import (
    KEYWORD_FIELDS,
    TEXT_FIELDS,
    And,
    DateRange,
    Fuzzy,
    HasComments,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Term,
)
from corpsearch.query.limits import MAX_TREE_DEPTH

from . import reliability
from .conftest import SEED_TEXT

SETTINGS = {
    "deadline": 2000,  # ms per example: a query that takes longer counts as a hang
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "derandomize": True,
}

# Pieces of the query language, so that generated text reaches deep into the grammar.
TOKENS = st.sampled_from(
    [
        "assad", "civil", "war", '"', "(", ")", " OR ", " AND ", "NOT ", "-", "*", "~", "~2",
        "~9", "author:", "headline:", "date:", "comments:", "nosuch:", "date:[", " TO ", "]",
        "}", "{", ">=", "<", "2014-09-13", "2014-09", "now-7d", "now-99999999d", "9999-99",
        ":", " ", "\n", "\x1b[31m", "é", "ß", "_mowaten_", '"a b"~', "?", "\\", "\x00",
    ]
)  # fmt: skip
QUERY_TEXT = st.one_of(st.text(max_size=60), st.lists(TOKENS, max_size=25).map("".join))


def _assert_clean(error: CorpsearchError, text: str) -> None:
    message = str(error)
    assert message and "\n" not in message and "Traceback" not in message
    if isinstance(error, QueryError):
        assert 0 <= error.position <= max(len(text), error.position)
        assert "at position" in message


PARSER_EXAMPLES = reliability.generated(
    "Queries",
    "arbitrary text to the query parser",
    "a query tree, or QueryError with a one-line message and a position",
    200,
)


@settings(max_examples=PARSER_EXAMPLES, **SETTINGS)  # type: ignore[arg-type]
@given(text=QUERY_TEXT)
def test_the_parser_takes_any_text(text: str) -> None:
    try:
        parse_query(text, now=datetime(2026, 1, 1, tzinfo=UTC))
    except QueryError as error:
        _assert_clean(error, text)
        assert error.position <= len(text)


@pytest.fixture(scope="module", params=ENGINES)
def seed_index(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Index]:
    folder = tmp_path_factory.mktemp("hostile-queries") / "index"
    with Index.create(folder, engine=request.param) as index:
        index.add([SEED_TEXT])
    with Index.open(folder) as index:
        yield index


SEARCH_EXAMPLES = reliability.generated(
    "Queries",
    "arbitrary query strings to Index.search",
    "results, or QueryError/CorpsearchError with a one-line message",
    100,
)


@settings(max_examples=SEARCH_EXAMPLES, **SETTINGS)  # type: ignore[arg-type]
@given(text=QUERY_TEXT, sort=st.sampled_from(["relevance", "date", "-date"]))
def test_the_index_takes_any_query_string(seed_index: Index, text: str, sort: str) -> None:
    try:
        result = seed_index.search(text, sort=sort, limit=5)  # type: ignore[arg-type]
    except CorpsearchError as error:
        _assert_clean(error, text)
    else:
        assert result.total >= len(result.hits)


WORDS = st.one_of(st.text(max_size=12), st.sampled_from(["assad", "war", "_mowaten_", "a", ""]))
FIELDS = st.sampled_from([None, *TEXT_FIELDS, *KEYWORD_FIELDS])
MOMENTS = st.one_of(
    st.none(),
    st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    ),
)


def _and(children: list[Node]) -> Node:
    return And(tuple(children))


def _or(children: list[Node]) -> Node:
    return Or(tuple(children))


def _expand(inner: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.lists(inner, max_size=4).map(_and),
        st.lists(inner, max_size=4).map(_or),
        inner.map(Not),
        inner.map(HasComments),
    )


LEAVES = st.one_of(
    st.builds(Term, FIELDS, WORDS),
    st.builds(Phrase, FIELDS, WORDS, st.integers(0, 10**6)),
    st.builds(Prefix, FIELDS, WORDS),
    st.builds(Fuzzy, FIELDS, WORDS, st.integers(-1, 5)),
    st.builds(DateRange, MOMENTS, MOMENTS),
    st.just(MatchAll()),
)
TREES = st.recursive(LEAVES, _expand, max_leaves=12)
TREE_EXAMPLES = reliability.generated(
    "Queries",
    "generated query trees (every node kind, odd fields, empty words, far dates)",
    "results, or a CorpsearchError with a one-line message",
    100,
)


@settings(max_examples=TREE_EXAMPLES, **SETTINGS)  # type: ignore[arg-type]
@given(tree=TREES)
def test_the_index_takes_any_query_tree(seed_index: Index, tree: Node) -> None:
    try:
        seed_index.search(tree, limit=5)
    except CorpsearchError as error:
        _assert_clean(error, "")


PATHOLOGICAL = reliability.cases(
    "Queries",
    "pathological queries: deep nesting, long NOT chains, very long text, "
    "wildcards and fuzzy words that stand for thousands of words",
    "QueryError saying what to change, or results, within the deadline",
    [
        pytest.param("(" * 60 + "war" + ")" * 60, "nested too deeply", id="60-parentheses"),
        pytest.param("NOT " * 1000 + "war", None, id="1000-nots"),
        pytest.param("-" * 3000 + "war", None, id="3000-minus"),
        pytest.param("war " * 1100, "over the limit", id="4400-characters"),
        pytest.param(" OR ".join(["war"] * 500), None, id="500-ors"),
        pytest.param("w*", f"more than {MAX_EXPANSION:,}", id="prefix-of-thousands"),
        pytest.param("w0000~2", "more than 100", id="fuzzy-of-hundreds"),
        pytest.param("comments:(" * 40 + "w1" + ")" * 40, None, id="40-nested-comments"),
    ],
)


@pytest.fixture(scope="module", params=ENGINES)
def many_words_index(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Index]:
    """An index whose one page holds more distinct words starting with w than the cap."""
    folder = tmp_path_factory.mktemp("many-words")
    words = " ".join(f"w{n:04d}" for n in range(MAX_EXPANSION + 500))
    page = folder / "words.html"
    page.write_text(f"<html><body><h1>war words</h1><p>war {words}</p></body></html>")
    with Index.create(folder / "index", engine=request.param) as index:
        index.add([page])
    with Index.open(folder / "index") as index:
        yield index


@pytest.mark.parametrize(("query", "error"), PATHOLOGICAL)
def test_pathological_queries(
    many_words_index: Index, monkeypatch: pytest.MonkeyPatch, query: str, error: str | None
) -> None:
    if "~" in query:
        # Fuzzy words reach hundreds, not thousands, of these words: lower the cap to see it.
        monkeypatch.setattr(compiler, "MAX_EXPANSION", 100)
    if error is None:
        assert many_words_index.search(query).total >= 0
    else:
        with pytest.raises(QueryError, match=error) as raised:
            many_words_index.search(query)
        _assert_clean(raised.value, query)


def test_a_tree_built_in_code_is_bounded_too(seed_index: Index) -> None:
    tree: Node = Term(None, "war")
    for _ in range(MAX_TREE_DEPTH + 1):
        tree = Not(tree)
    with pytest.raises(QueryError, match="nested more than"):
        seed_index.search(tree)


CLI_QUERIES = reliability.cases(
    "Queries",
    "malformed queries on the command line",
    "exit code 2 and one line `Error: ... at position N`, no traceback",
    ['"unclosed', "a AND", "(war", "date:[2014 TO", "nosuch:x", "war)", "w*x", "\x1b[2J"],
)


@pytest.fixture(scope="module", params=ENGINES)
def seed_folder(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> str:
    folder = str(tmp_path_factory.mktemp("cli-queries") / "index")
    args = ["index", "--index", folder, "--engine", request.param, str(SEED_TEXT)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    return folder


@pytest.mark.parametrize("query", CLI_QUERIES)
def test_malformed_queries_on_the_command_line(seed_folder: str, query: str) -> None:
    result = CliRunner().invoke(cli, ["query", "--index", seed_folder, query])
    if query == "\x1b[2J":  # an escape sequence is only a strange word: no error, no echo
        assert result.exit_code == 0
        assert "\x1b" not in result.stdout
        return
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "position" in lines[0]


DATE_QUERIES = reliability.cases(
    "Queries",
    "dates at and past the ends of the calendar (year 9999, now minus 10^8 days, 2^63 seconds, "
    "10^11 years), as query values and as --since/--until",
    "results where the date is a real one (9999-12-31 is a day), else QueryError/ConfigError "
    "naming the supported range; search, summary, iter_hits and every sort alike",
    [
        pytest.param("date:9999", None, id="year-9999"),
        pytest.param("date:9999-12-31", None, id="last-day"),
        pytest.param("date:<9999-12-31", None, id="before-last-day"),
        pytest.param("date:>=0001-01-01", None, id="first-day"),
        pytest.param("date:[0001-01-01 TO 9999-12-31]", None, id="whole-calendar"),
        pytest.param("date:>now-100000000d", "out of range", id="now-1e8-days"),
        pytest.param("date:now-9223372036854775808s", "out of range", id="now-2^63-seconds"),
        pytest.param("date:[now-99999999999y TO now+99999999999y]", "out of range", id="1e11-y"),
        pytest.param("date:now+99999999999999999999999999h", "out of range", id="26-digits"),
    ],
)


@pytest.mark.parametrize(("query", "error"), DATE_QUERIES)
def test_dates_past_the_calendar(seed_index: Index, query: str, error: str | None) -> None:
    for tz in (UTC, ZoneInfo("Asia/Beirut"), ZoneInfo("America/New_York")):
        calls = _every_read(seed_index, query, tz=tz)
        for call in calls:
            if error is None:
                call()
            else:
                with pytest.raises(QueryError, match=error) as raised:
                    call()
                assert "0001-01-01 to 9999-12-31" in str(raised.value)
                _assert_clean(raised.value, query)


def _every_read(index: Index, query: str | Node, **filters: object) -> list[Callable[[], object]]:
    """Each way the library reads hits: a page in every sort, counts, a stream, groups."""
    reads: list[Callable[[], object]] = [
        lambda sort=sort: index.search(query, sort=sort, limit=3, **filters)  # type: ignore[misc, arg-type]
        for sort in ("relevance", "date", "-date")
    ]
    reads.append(lambda: index.search(query, group="article", **filters))  # type: ignore[arg-type]
    reads.append(lambda: index.summary(query, facets=["site"], histogram="day", **filters))  # type: ignore[arg-type]
    reads.append(lambda: list(index.iter_hits(query, sort="date", **filters)))  # type: ignore[arg-type]
    return reads


BOUND_OPTIONS = reliability.cases(
    "Queries",
    "--since/--until at and past the ends of the calendar",
    "results for real dates, else ConfigError naming the supported range; on the command line "
    "exit 2 with one line",
    [
        pytest.param({"since": "0001-01-01", "until": "9999-12-31"}, None, id="whole-calendar"),
        pytest.param({"until": "9999"}, None, id="until-9999"),
        pytest.param({"since": "now-100000000d"}, "out of range", id="since-now-1e8-days"),
        pytest.param({"until": "now+9223372036854775808s"}, "out of range", id="until-2^63-s"),
    ],
)


@pytest.mark.parametrize(("bounds", "error"), BOUND_OPTIONS)
def test_since_and_until_past_the_calendar(
    seed_index: Index, bounds: dict[str, str], error: str | None
) -> None:
    for tz in (UTC, ZoneInfo("Asia/Beirut"), ZoneInfo("America/New_York")):
        for call in _every_read(seed_index, "war", tz=tz, **bounds):
            if error is None:
                call()
            else:
                with pytest.raises(ConfigError, match=error):
                    call()


def test_the_calendar_ends_on_the_command_line(seed_folder: str) -> None:
    runner = CliRunner()
    base = ["query", "--index", seed_folder]
    whole = [*base, "war", "--histogram", "day", "--since", "0001-01-01", "--until", "9999-12-31"]
    result = runner.invoke(cli, whole)
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, [*base, "date:9999-12-31"]).exit_code == 0
    for args in (["date:>now-100000000d"], ["war", "--since", "now-100000000d"]):
        result = runner.invoke(cli, [*base, *args])
        assert result.exit_code == 2, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "0001-01-01 to 9999-12-31" in lines[0]


HOSTILE_VALUES = reliability.cases(
    "Queries",
    "numbers past any engine's integers (phrase distance 10^14, limit 10^20, offset 2^63-1 "
    "and 10^9 in every sort) and text that is not UTF-8 (a byte read as a lone surrogate), "
    "as query strings and as trees built in code",
    "results (an empty page past the last hit, found without an offset-sized buffer) or a "
    "QueryError/ConfigError with a one-line message; search, summary, iter_hits and every sort",
    [
        pytest.param('"civil war"~99999999999999', {}, "phrase distance", id="slop-1e14"),
        pytest.param('"civil war"~10001', {}, "phrase distance", id="slop-over-cap"),
        pytest.param('"civil war"~10000', {}, None, id="slop-at-cap"),
        pytest.param(Phrase(None, "civil war", 2**70), {}, "phrase distance", id="tree-slop"),
        pytest.param(Phrase(None, "civil war", -1), {}, "phrase distance", id="tree-slop-neg"),
        pytest.param("caf\udce9", {}, "not UTF-8", id="byte-e9"),
        pytest.param("a\udcffb", {}, "not UTF-8", id="byte-ff"),
        pytest.param(Term("author", "a\udcffb"), {}, "not UTF-8", id="tree-byte"),
        pytest.param("war", {"limit": 10**20}, None, id="limit-1e20"),
        pytest.param("war", {"offset": 999_999_999}, None, id="offset-1e9"),
        pytest.param("war", {"offset": 2**63 - 1, "limit": 2**63}, None, id="offset-2^63"),
        pytest.param("war", {"offset": 10**30}, None, id="offset-1e30"),
        pytest.param("war", {"per_group": 10**20}, None, id="per-group-1e20"),
    ],
)


@pytest.mark.parametrize(("query", "numbers", "error"), HOSTILE_VALUES)
def test_hostile_values(
    seed_index: Index, query: str | Node, numbers: dict[str, int], error: str | None
) -> None:
    text = query if isinstance(query, str) else ""
    group = {"group": "article"} if "per_group" in numbers else {}
    for sort in ("relevance", "date", "-date"):
        call: Callable[[], object] = lambda sort=sort: seed_index.search(  # noqa: E731
            query,
            sort=sort,  # type: ignore[arg-type]
            **group,  # type: ignore[arg-type]
            **numbers,
        )
        if error is None:
            result = call()
            assert isinstance(result, SearchResult)
            if "offset" in numbers:
                assert result.hits == [] and result.total == seed_index.search(query).total > 0
            continue
        with pytest.raises(QueryError, match=error) as raised:
            call()
        _assert_clean(raised.value, text)
    if error is not None:  # the other ways of reading hits refuse it the same way
        for read in _every_read(seed_index, query):
            with pytest.raises(QueryError, match=error):
                read()


def test_a_deep_page_is_the_same_page(seed_index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages past DEEP_PAGE come from the stream of hits: the same hits, in the same order."""
    for sort in ("relevance", "date", "-date"):
        shallow = [
            [hit.id for hit in seed_index.search("*", sort=sort, limit=4, offset=o).hits]  # type: ignore[arg-type]
            for o in (0, 3, 9)
        ]
        monkeypatch.setattr(index_module, "DEEP_PAGE", 2)
        deep = [
            [hit.id for hit in seed_index.search("*", sort=sort, limit=4, offset=o).hits]  # type: ignore[arg-type]
            for o in (0, 3, 9)
        ]
        monkeypatch.undo()
        assert deep == shallow and all(shallow[:2])


def _corpsearch(*args: str) -> subprocess.CompletedProcess[str]:
    """A process of its own: an engine that aborts on a number must not take pytest with it."""
    command = [sys.executable, "-m", "corpsearch", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_hostile_numbers_on_the_command_line(seed_folder: str) -> None:
    base = ["query", "--index", seed_folder, "war"]
    for args in (
        ["--sort", "date", "--offset", "999999999"],
        ["--offset", "9223372036854775807"],
        ["--limit", "100000000000000000000"],
    ):
        result = _corpsearch(*base, *args)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    result = _corpsearch(*base[:-1], '"civil war"~99999999999999')
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "phrase distance" in result.stderr


def test_a_query_that_is_not_utf8_on_the_command_line(seed_folder: str) -> None:
    command = [sys.executable, "-m", "corpsearch", "query", "--index", seed_folder]
    result = subprocess.run(
        [os.fsencode(arg) for arg in command] + [b"caf\xe9"],
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "\\xe9, which is not UTF-8" in lines[0] and "position 4" in lines[0]


def _nested(depth: int, wrap: Callable[[Node], Node]) -> Node:
    tree: Node = Term(None, "war")
    for _ in range(depth):
        tree = wrap(tree)
    return tree


DEEP_TREES = reliability.cases(
    "Queries",
    "query trees built in code nested 65, 1,000 and 100,000 deep (And, Or, Not, comments:, "
    "mixed), 100,000 wide",
    "QueryError 'nested more than 64 levels' (or 'more than 2000 parts'), whatever the depth; "
    "search, summary, iter_hits and every sort",
    [
        pytest.param(lambda: _nested(65, Not), "nested more than", id="not-65"),
        pytest.param(lambda: _nested(1000, Not), "nested more than", id="not-1000"),
        pytest.param(lambda: _nested(1000, lambda n: And((n,))), "nested more than", id="and-1000"),
        pytest.param(lambda: _nested(1000, lambda n: Or((n,))), "nested more than", id="or-1000"),
        pytest.param(lambda: _nested(1000, HasComments), "nested more than", id="comments-1000"),
        pytest.param(
            lambda: _nested(100_000, lambda n: Not(And((n, MatchAll())))),
            "nested more than",
            id="mixed-100000",
        ),
        pytest.param(
            lambda: And(tuple(Term(None, f"w{n}") for n in range(100_000))),
            "more than 2000 parts",
            id="wide-100000",
        ),
    ],
)


@pytest.mark.parametrize(("build", "error"), DEEP_TREES)
def test_deep_trees_built_in_code(seed_index: Index, build: Callable[[], Node], error: str) -> None:
    tree = build()
    for read in _every_read(seed_index, tree):
        with pytest.raises(QueryError, match=error) as raised:
            read()
        _assert_clean(raised.value, "")


UNPRINTABLE = ["\x1b[31m", "\x07", "\x85", "\n", "\r", "\u2028", "\u2029", "\x00", "\x9b2J"]
MESSAGE_QUERIES = reliability.cases(
    "Queries",
    "control characters and line breaks (ESC, BEL, U+0085, CR, LF, U+2028, U+2029, NUL, "
    "8-bit CSI) inside malformed queries, an unknown field, a bad date and an index path",
    "one printable line on stderr: each such character written as its escape (\\x1b, \\u2028)",
    [pytest.param(f"nosuch:a{char}b", id=f"field-{n}") for n, char in enumerate(UNPRINTABLE)]
    + [pytest.param(f'"a{char}b', id="unclosed-esc") for char in UNPRINTABLE[:1]]
    + [pytest.param(f"date:20{char}14", id="date-bel") for char in UNPRINTABLE[1:2]]
    + [pytest.param(f"(a{char}b", id="paren-u2028") for char in UNPRINTABLE[5:6]],
)


def _printable_line(text: str) -> None:
    lines = text.rstrip("\n").split("\n")
    assert len(lines) == 1, text
    assert lines[0].isprintable(), repr(lines[0])


@pytest.mark.parametrize("query", MESSAGE_QUERIES)
def test_error_messages_stay_one_printable_line(seed_folder: str, query: str) -> None:
    with Index.open(seed_folder) as index, pytest.raises(QueryError) as raised:
        index.search(query)
    _printable_line(str(raised.value))
    result = CliRunner().invoke(cli, ["query", "--index", seed_folder, query])
    assert result.exit_code == 2, result.output
    _printable_line(result.stderr)
    char = next(c for c in UNPRINTABLE if c in query)
    if query.startswith("nosuch:") and not char.isspace():  # the message quotes the word
        assert char.encode("unicode_escape").decode()[:4] in result.stderr


def test_an_index_path_with_control_characters(tmp_path: Path) -> None:
    folder = tmp_path / "no\x1b]0;title\x07\u2028index\udce9"
    result = subprocess.run(
        [sys.executable, "-m", "corpsearch", "query", "--index", os.fsencode(folder), "war"],
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    line = result.stderr.decode()
    _printable_line(line)
    assert "no\\x1b]0;title\\x07\\u2028index\\xe9" in line


def _only_corpsearch_errors(index: Index, query: str | Node) -> None:
    """Every read of ``query`` gives results or a CorpsearchError with one clean line."""
    for read in _every_read(index, query):
        try:
            read()
        except CorpsearchError as error:
            _assert_clean(error, query if isinstance(query, str) else "")


EVERY_READ_EXAMPLES = reliability.generated(
    "Queries",
    "arbitrary query strings to search (every sort, grouped), summary and iter_hits",
    "results, or a CorpsearchError with a one-line message; never another exception",
    30,
)


@settings(max_examples=EVERY_READ_EXAMPLES, **SETTINGS)  # type: ignore[arg-type]
@given(text=QUERY_TEXT)
def test_every_read_takes_any_query_string(seed_index: Index, text: str) -> None:
    _only_corpsearch_errors(seed_index, text)


EVERY_READ_TREES = reliability.generated(
    "Queries",
    "generated query trees to search (every sort, grouped), summary and iter_hits",
    "results, or a CorpsearchError with a one-line message; never another exception",
    20,
)


@settings(max_examples=EVERY_READ_TREES, **SETTINGS)  # type: ignore[arg-type]
@given(tree=TREES)
def test_every_read_takes_any_query_tree(seed_index: Index, tree: Node) -> None:
    _only_corpsearch_errors(seed_index, tree)


def test_every_hostile_case_meets_only_corpsearch_errors(seed_index: Index) -> None:
    """Each hand-made hostile query of this module, through every read of the library."""
    queries: list[str | Node] = [*CLI_QUERIES, *(p.values[0] for p in MESSAGE_QUERIES)]  # type: ignore[misc]
    queries += [p.values[0] for p in (*DATE_QUERIES, *HOSTILE_VALUES, *PATHOLOGICAL)]  # type: ignore[misc]
    queries += [p.values[0]() for p in DEEP_TREES]  # type: ignore[operator]
    for query in queries:
        _only_corpsearch_errors(seed_index, query)
    for numbers in ({"limit": -1}, {"offset": -5}, {"limit": 10**40, "offset": 10**40}):
        for sort in ("relevance", "date", "-date"):
            try:
                seed_index.search("war", sort=sort, **numbers)  # type: ignore[arg-type]
            except CorpsearchError as error:
                _assert_clean(error, "")
    for bad in ({"kind": "x\x1b"}, {"since": "x\n"}, {"group": "site"}, {"sort": "size"}):
        with pytest.raises(CorpsearchError) as raised:
            seed_index.search("war", **bad)  # type: ignore[arg-type]
        _assert_clean(raised.value, "")
