"""The job commands over the command line: intervals, configuration, status and the lock; the
job tests run on each engine."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from corpsearch import Index
from corpsearch.cli import cli
from corpsearch.cli_jobs import EXIT_LOCKED, parse_every
from corpsearch.errors import ConfigError
from corpsearch.generations import resolve
from corpsearch.lock import acquire

from .pagegen import headline_word, make_pages, page_path


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90),
        ("90s", 90),
        ("15m", 900),
        ("1h", 3600),
        ("1h30m", 5400),
        ("1d", 86400),
        ("0.5s", 0.5),
    ],
)
def test_parse_every(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "15x", "m", "0", "-5m"])
def test_parse_every_refuses(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_every(text)


def _run(*args: str | Path) -> Result:
    """``corpsearch ARGS`` in this process; anything but an exit is a failure."""
    result = CliRunner().invoke(cli, [str(arg) for arg in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    return result


def _status(index_dir: Path) -> dict[str, Any]:
    result = _run("status", "--index", index_dir, "--json")
    assert result.exit_code == 0, result.stderr
    value = json.loads(result.stdout)
    assert isinstance(value, dict)
    return value


def test_config_status_and_a_second_job_over_the_cli(tmp_path: Path, engine: str) -> None:
    make_pages(tmp_path / "pages", 6)
    config = tmp_path / "corpsearch.toml"
    config.write_text(
        f'sources = ["pages"]\nindex = "index"\nengine = "{engine}"\nworkers = 1\n',
        encoding="utf-8",
    )
    index_dir = tmp_path / "index"
    first = _run("index", "--config", config, "--json")
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout)["new"] == 6
    with Index.open(index_dir) as index:
        assert index.engine.name == engine

    with acquire(index_dir, command="corpsearch index"):
        refused = _run("index", "--config", config)
        assert refused.exit_code == EXIT_LOCKED, refused.stderr
        assert f"process {os.getpid()}" in refused.stderr and "--wait" in refused.stderr
        running = _status(index_dir)["running"]
        assert (running["pid"], running["command"]) == (os.getpid(), "corpsearch index")

    page_path(tmp_path / "pages", 2).unlink()
    second = _run("index", "--config", config, "--json")
    assert second.exit_code == 0, second.stderr
    status = _status(index_dir)
    assert status["running"] is None
    assert status["counts"] == {"article": 5, "comment": 25}
    assert [(r["status"], r["new"], r["removed"]) for r in status["runs"]] == [
        ("ok", 6, 0),
        ("ok", 0, 1),
    ]
    text = _run("status", "--config", config)
    assert "5 articles, 25 comments" in text.stdout
    assert "no job running now" in text.stdout


# The file each engine keeps its table of contents in.
TOC = {"whoosh": "*.toc", "tantivy": "meta.json"}


def test_status_of_a_damaged_index_and_the_rebuild_it_asks_for(tmp_path: Path, engine: str) -> None:
    pages, index_dir = tmp_path / "pages", tmp_path / "index"
    make_pages(pages, 3)
    common = ("--index", index_dir, "--workers", "1")
    assert _run("index", pages, *common, "--engine", engine).exit_code == 0
    (toc,) = (resolve(index_dir) / engine).glob(TOC[engine])
    toc.write_bytes(toc.read_bytes()[:10])

    status = _run("status", "--index", index_dir)
    assert status.exit_code == 1, status.stderr  # as query does
    assert f"index {index_dir}" in status.stdout and "is damaged" in status.stdout
    query = _run("query", "--index", index_dir, headline_word(1))
    assert query.exit_code == 1
    (line,) = query.stderr.splitlines()
    assert line.startswith("Error: ") and "corpsearch index --rebuild" in line
    again = _run("index", pages, *common)
    assert again.exit_code == 1 and "--rebuild" in again.stderr

    rebuilt = _run("index", pages, *common, "--rebuild", "--json")
    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert json.loads(rebuilt.stdout)["new"] == 3
    assert _status(index_dir)["counts"] == {"article": 3, "comment": 15}
    with Index.open(index_dir) as index:
        assert index.engine.name == engine
        assert index.search(headline_word(1)).total == 1
