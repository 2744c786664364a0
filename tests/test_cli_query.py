"""The query command's grouping, counts, exports and errors, and the stats command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpsearch.cli import cli

from .conftest import PAGES, SEED_TEXT


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-query") / "index"
    result = CliRunner().invoke(cli, ["index", "--index", str(folder), str(SEED_TEXT), str(PAGES)])
    assert result.exit_code == 0, result.stderr
    return folder


def run(index_dir: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["query", "--index", str(index_dir), *args])
    return result.exit_code, result.stdout, result.stderr


def test_group_article_shows_the_seed_article_once_with_four_comments(index_dir: Path) -> None:
    code, out, _ = run(index_dir, "author:_mowaten_", "--group", "article", "--no-color")
    assert code == 0
    assert out.startswith("1 article for 'author:_mowaten_'")
    assert out.count("U.S. Insists No Anti-Jihadist Coordination with Assad") == 1
    assert "4 matching comments" in out
    assert out.count("comment by _mowaten_") == 4
    code, out, _ = run(index_dir, "author:_mowaten_", "--group", "article", "--format", "json")
    data = json.loads(out)
    assert data["total"] == 1
    [group] = data["groups"]
    assert group["comment_hits"] == 4 and len(group["comments"]) == 4
    assert group["article"]["headline"].startswith("U.S. Insists")


def test_comments_of_one_article_and_articles_by_their_comments(index_dir: Path) -> None:
    code, out, _ = run(
        index_dir, "headline:assad comments:(author:imagine_1979)", "--format", "json"
    )
    [article] = json.loads(out)["hits"]
    assert article["kind"] == "article"
    code, out, _ = run(index_dir, f"article:{article['id']}", "--format", "jsonl", "--sort", "date")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [hit["published"][11:16] for hit in lines] == [
        "14:32",
        "14:43",
        "17:11",
        "17:24",
        "17:26",
    ]
    assert {hit["article_id"] for hit in lines} == {article["id"]}


def test_table_fits_the_terminal_and_colours_matches(index_dir: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["query", "--index", str(index_dir), "civilians", "--color"],
        env={"COLUMNS": "60"},
    )
    assert result.exit_code == 0
    assert "\x1b[1;33mcivilians\x1b[0m" in result.stdout
    for line in result.stdout.replace("\x1b[1;33m", "").replace("\x1b[0m", "").splitlines():
        assert len(line) <= 60, line
    assert "comment by _mowaten_ · 2014-09-13 17:24 +03:00" in result.stdout
    assert "on: U.S. Insists No Anti-Jihadist Coordination with Assad" in result.stdout


def test_facets_and_histogram(index_dir: Path) -> None:
    code, out, _ = run(
        index_dir, "kind:comment site:naharnet.com", "--facet", "author", "--histogram", "day"
    )
    assert code == 0
    assert "by author:" in out and "hits per day:" in out
    assert "_mowaten_     4  " in out
    code, out, _ = run(
        index_dir,
        "kind:comment site:naharnet.com",
        "--facet",
        "author",
        "--histogram",
        "month",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert data["total"] == 5 and len(data["hits"]) == 5
    assert data["facets"]["author"] == [
        {"value": "_mowaten_", "count": 4},
        {"value": "imagine_1979", "count": 1},
    ]
    assert data["histogram"]["buckets"] == [{"key": "2014-09", "start": "2014-09-01", "count": 5}]
    code, out, _ = run(
        index_dir, "kind:comment site:naharnet.com", "--facet", "author", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows == [
        {"facet": "author", "value": "_mowaten_", "count": "4"},
        {"facet": "author", "value": "imagine_1979", "count": "1"},
    ]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table"])
def test_all_exports_every_hit(index_dir: Path, fmt: str) -> None:
    code, out, _ = run(
        index_dir, "site:naharnet.com OR headline:mobile", "--all", "--format", fmt, "--limit", "2"
    )
    assert code == 0
    if fmt == "json":
        data = json.loads(out)
        assert data["total"] == 7 and len(data["hits"]) == 7
    elif fmt == "jsonl":
        assert len(out.splitlines()) == 7
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(out)))) == 7
    else:
        assert out.startswith("7 hits") and "7. " in out and "more with --offset" not in out


def test_paging_reports_the_exact_total(index_dir: Path) -> None:
    code, out, _ = run(
        index_dir, "site:naharnet.com", "--limit", "2", "--offset", "2", "--format", "json"
    )
    data = json.loads(out)
    assert data["total"] == 6 and data["offset"] == 2 and len(data["hits"]) == 2
    code, out, _ = run(index_dir, "site:naharnet.com", "--limit", "2", "--offset", "2")
    assert code == 0
    assert "(showing 3–4 of 6; more with --offset 4)" in out


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("assad AND", 'position 10; to search for the word itself write "AND" in quotes'),
        ("as*ad", 'position 3; to search the text itself write "as*ad"'),
        ("kind:blog", "kind is 'article' or 'comment', not 'blog' at position 6"),
        ("date:[2014-09 TO", "expected a date in the range at position 17"),
    ],
)
def test_malformed_queries_name_the_position(index_dir: Path, query: str, message: str) -> None:
    code, _, err = run(index_dir, query)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_group_and_all_together_is_a_usage_error(index_dir: Path) -> None:
    code, _, err = run(index_dir, "assad", "--all", "--group", "article")
    assert code == 2 and "--all" in err


def test_stats_command(index_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", "--index", str(index_dir)])
    assert result.exit_code == 0
    assert "engine     tantivy (schema version" in result.stdout
    assert "naharnet.com" in result.stdout
    result = CliRunner().invoke(cli, ["stats", "--index", str(index_dir), "--json"])
    data = json.loads(result.stdout)
    assert data["by_kind"]["article"] == 1 + len([p for p in PAGES.iterdir() if p.is_file()])
    assert data["by_site"]["naharnet.com"] == {"article": 1, "comment": 5}
    assert data["size_bytes"] > 0
    missing = CliRunner().invoke(cli, ["stats", "--index", str(index_dir.parent / "none")])
    assert missing.exit_code == 1 and "no corpsearch index" in missing.stderr
