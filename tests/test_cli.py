"""The command line: thin wrappers, results on stdout, messages on stderr, exit codes 0/1/2."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from corpsearch.cli import cli

from .conftest import ROOT, SEED_HTML, SEED_TEXT


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def index_dir(tmp_path: Path, runner: CliRunner) -> Path:
    folder = tmp_path / "index"
    result = runner.invoke(cli, ["index", "--index", str(folder), str(SEED_TEXT)])
    assert result.exit_code == 0, result.stderr
    assert "1 new, 0 changed, 0 removed, 0 unchanged, 0 failed" in result.stderr
    assert result.stdout == ""
    return folder


def test_extract_prints_one_json_line_per_article(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["extract", str(SEED_TEXT), str(SEED_HTML)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    records = [json.loads(line) for line in lines]
    assert [len(r["comments"]) for r in records] == [5, 5]
    assert records[0]["comments"][0]["published"] == "2014-09-13T14:32:00+03:00"


def test_query_json_output(runner: CliRunner, index_dir: Path) -> None:
    result = runner.invoke(
        cli, ["query", "--index", str(index_dir), "--format", "json", '"kill their own people"']
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == '"kill their own people"'
    assert data["total"] == 2
    assert list(data["hits"][0]) == [
        "id", "kind", "score", "headline", "author", "published", "url", "article_id", "snippet",
        "site", "comment_count", "snippet_text", "marks",
    ]  # fmt: skip
    comment = next(h for h in data["hits"] if h["kind"] == "comment")
    assert comment["headline"] == "U.S. Insists No Anti-Jihadist Coordination with Assad"
    assert comment["author"] == "_mowaten_"


def test_query_options(runner: CliRunner, index_dir: Path) -> None:
    def total(*args: str) -> int:
        result = runner.invoke(cli, ["query", "--index", str(index_dir), "--format", "json", *args])
        assert result.exit_code == 0, result.stderr
        return int(json.loads(result.stdout)["total"])

    assert total("kind:comment", "--since", "2014-09-14") == 0
    assert total("*", "--kind", "comment") == 5
    assert (
        total("date:[2014-09-13T17:00 TO 2014-09-13T18:00] kind:comment", "--tz", "Asia/Beirut")
        == 3
    )


def test_query_table_jsonl_and_csv(runner: CliRunner, index_dir: Path) -> None:
    table = runner.invoke(cli, ["query", "--index", str(index_dir), "author:imagine_1979"])
    assert "1 hit for 'author:imagine_1979'" in table.stdout
    assert "comment by imagine_1979 · 2014-09-13 14:43 +03:00" in table.stdout
    assert "\x1b[" not in table.stdout  # no colour when not on a terminal
    jsonl = runner.invoke(cli, ["query", "--index", str(index_dir), "--format", "jsonl", "assad"])
    assert all(json.loads(line)["id"] for line in jsonl.stdout.splitlines())
    csv = runner.invoke(cli, ["query", "--index", str(index_dir), "--format", "csv", "reuters"])
    rows = csv.stdout.splitlines()
    assert rows[0].startswith("id,kind,score,headline")
    assert len(rows) == 2 and "<mark>" not in rows[1]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["query", '"unclosed'], 2, r"unclosed quotation mark at position 1"),
        (["query", "bogus:x"], 2, r"unknown field 'bogus'"),
        (["query", "--tz", "Mars/Base", "x"], 2, r"unknown time zone"),
        (["query", "x", "--since", "the day after"], 2, r"cannot read the date"),
    ],
)
def test_usage_errors_exit_2(
    runner: CliRunner, index_dir: Path, args: list[str], code: int, message: str
) -> None:
    result = runner.invoke(cli, [*args[:1], "--index", str(index_dir), *args[1:]])
    assert result.exit_code == code
    assert re.search(message, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_missing_index_exits_1_and_says_what_to_do(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["query", "--index", str(tmp_path / "nope"), "assad"])
    assert result.exit_code == 1
    assert "corpsearch index --index" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreadable_file_exits_1_with_one_line(
    runner: CliRunner, tmp_path: Path, engine: str
) -> None:
    bad = tmp_path / "bad.html.gz"
    bad.write_bytes(b"not gzip at all")
    index = str(tmp_path / "ix")
    result = runner.invoke(cli, ["index", "--index", index, "--engine", engine, str(bad)])
    assert result.exit_code == 1
    assert "1 failed" in result.stderr
    assert "see corpsearch status" in result.stderr
    status = runner.invoke(cli, ["status", "--index", index])
    assert status.exit_code == 0, status.stderr
    assert "not a readable gzip file" in status.stdout
    assert "0 articles, 0 comments" in status.stdout
    extract = runner.invoke(cli, ["extract", str(bad)])
    assert extract.exit_code == 1
    assert "not a readable gzip file" in extract.stderr


def test_installed_command_runs_without_traceback(tmp_path: Path) -> None:
    """The console script itself, as a user runs it."""
    from corpsearch import Index

    Index.create(tmp_path / "ix").close()
    command = [sys.executable, "-m", "corpsearch", "query", "--index", str(tmp_path / "ix"), '"x']
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "unclosed quotation mark" in done.stderr


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    with click.Context(cli) as ctx:
        names = cli.list_commands(ctx)
    assert {"query", "index", "show", "serve", "watch"} <= set(names)
    for name in names:
        assert f"corpsearch {name}" in readme, name


def test_a_mistyped_command_is_told_the_right_one() -> None:
    result = CliRunner().invoke(cli, ["quer", "assad"])
    assert result.exit_code == 2
    assert "No such command 'quer'. Did you mean 'query'?" in result.output


def test_every_command_loads_under_its_name() -> None:
    # the commands are imported when used: a wrong entry in COMMANDS shows only here
    with click.Context(cli) as ctx:
        for name in cli.list_commands(ctx):
            command = cli.get_command(ctx, name)
            assert command is not None and command.name == name, name
