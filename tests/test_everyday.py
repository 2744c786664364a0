"""Everyday paths a new user takes, each of which used to break, and the help they get."""

from __future__ import annotations

import gzip
import io
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from warcio.warcwriter import WARCWriter

from corpsearch import Index
from corpsearch.cli import cli
from corpsearch.cli_help import topic_text
from corpsearch.config import JobSettings
from corpsearch.jobs import Progress, run_job

from .conftest import PAGES, ROOT, SEED_HTML, write_warc

BIN = Path(sys.executable).parent / "corpsearch"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("everyday") / "index"
    with Index.create(folder) as index:
        assert not index.add([SEED_HTML, PAGES]).failures
    return folder


def _query(index_dir: Path, *args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, ["query", "--index", str(index_dir), *args])


def test_a_query_may_start_with_a_dash_and_need_no_quotes(index_dir: Path) -> None:
    dashed = _query(index_dir, "-author:_mowaten_", "kind:comment", "--format", "json")
    assert dashed.exit_code == 0, dashed.stderr
    data = json.loads(dashed.stdout)
    assert data["query"] == "-author:_mowaten_ kind:comment"
    assert data["total"] > 0 and all(h["author"] != "_mowaten_" for h in data["hits"])
    with Index.open(index_dir) as index:
        expected = index.search("-author:_mowaten_ kind:comment").total
        both = index.search("assad regime").total
    assert data["total"] == expected
    words = _query(index_dir, "assad", "regime", "--format", "json")
    assert words.exit_code == 0 and json.loads(words.stdout)["total"] == both > 0
    # options anywhere, values that look like words, an optional value
    mixed = _query(index_dir, "--limit", "1", "assad", "--kwic", "12", "regime")
    assert mixed.exit_code == 0 and mixed.stdout.endswith("for 'assad regime'\n")
    assert _query(index_dir, "--", "--limit").exit_code == 0  # a word after --, searched


def test_offset_past_the_end_says_how_many_hits_there_are(index_dir: Path) -> None:
    result = _query(index_dir, "author:_mowaten_", "--offset", "50")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "4 hits for 'author:_mowaten_'",
        "(no hits from --offset 50: there are 4; try --offset 0)",
    ]


def test_index_of_a_missing_folder_is_a_usage_error_that_creates_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["index", "--index", str(tmp_path / "index"), str(tmp_path / "pages")]
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: no such file or folder: {tmp_path / 'pages'}; check the path (nothing was indexed)"
    ]
    assert not (tmp_path / "index").exists()


def test_index_with_some_unreadable_sources_exits_4(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "sitepoint.html").write_bytes((PAGES / "sitepoint.html").read_bytes())
    (pages / "empty.html").write_bytes(b"")
    result = CliRunner().invoke(cli, ["index", "--index", str(tmp_path / "index"), str(pages)])
    assert result.exit_code == 4, result.output
    assert f"skipped {pages / 'empty.html'}: file is empty" in result.stderr
    summary = result.stderr.splitlines()[-1]
    # a log line carries its time
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00 ok: 1 new, .* 1 failed", summary)
    again = CliRunner().invoke(cli, ["index", "--index", str(tmp_path / "index"), str(pages)])
    assert again.exit_code == 4  # the source still fails
    (pages / "empty.html").unlink()
    clean = CliRunner().invoke(cli, ["index", "--index", str(tmp_path / "index"), str(pages)])
    assert clean.exit_code == 0, clean.output
    helped = CliRunner().invoke(cli, ["index", "--help"]).stdout
    assert "4 done but some sources could not be read" in " ".join(helped.split())
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "`4` `corpsearch index` finished and committed, but some sources could not be read" in (
        readme
    )


def test_status_of_a_missing_index_exits_1_like_query(tmp_path: Path) -> None:
    missing = str(tmp_path / "nothing")
    status = CliRunner().invoke(cli, ["status", "--index", missing])
    query = CliRunner().invoke(cli, ["query", "--index", missing, "x"])
    assert status.exit_code == query.exit_code == 1
    assert "no corpsearch index in" in status.stdout


def test_a_reader_that_stops_reading_is_no_error(index_dir: Path) -> None:
    job = subprocess.Popen(
        [str(BIN), "query", "--index", str(index_dir), "*", "--all", "--format", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert job.stdout is not None and job.stderr is not None
    job.stdout.close()  # as head does once it has its line
    assert job.wait(timeout=60) == 0
    assert job.stderr.read() == b""


def _on_terminal(args: list[str], env: dict[str, str]) -> bytes:
    master, slave = pty.openpty()
    try:
        job = subprocess.Popen(args, stdout=slave, stderr=subprocess.DEVNULL, env=env)
        os.close(slave)
        output = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the terminal closed: the command ended
                break
            if not chunk:
                break
            output += chunk
        assert job.wait(timeout=60) == 0
    finally:
        os.close(master)
    return output


def test_no_color_is_honoured_on_a_terminal(index_dir: Path) -> None:
    args = [str(BIN), "query", "--index", str(index_dir), "civilians"]
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert b"\x1b[1;33m" in _on_terminal(args, env)
    plain = _on_terminal(args, {**env, "NO_COLOR": "1"})
    assert b"\x1b[" not in plain and b"civilians" in plain
    assert b"\x1b[1;33m" in _on_terminal([*args, "--color"], {**env, "NO_COLOR": "1"})


def test_progress_counts_the_records_of_an_archive(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc.gz"
    names = ["pixelmonkey.html", "sitepoint.html", "telegraph.html"]
    records = [
        (f"https://example.org/{n}", (PAGES / n).read_bytes(), "2020-01-01T10:00:00Z", "text/html")
        for n in names
    ]
    write_warc(archive, records, gzip=True)
    seen: list[Progress] = []
    settings = JobSettings(sources=(archive,), index=tmp_path / "index", workers=1)
    run_job(settings, on_progress=seen.append)
    assert seen[-1].done == seen[-1].total == 1 and seen[-1].records == 3


def test_plain_arc_files_and_warc_resource_records_are_read(tmp_path: Path) -> None:
    body = (PAGES / "pixelmonkey.html").read_bytes()
    head = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n"
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    arc = tmp_path / "pages" / "old.arc"
    arc.parent.mkdir()
    arc.write_bytes(
        b"filedesc://old.arc 0.0.0.0 20200101000000 text/plain %d\n" % len(head) + head + b"\n"
        + b"http://example.org/p 1.2.3.4 20200102030405 text/html %d\n" % len(http) + http + b"\n"
    )  # fmt: skip
    saved = tmp_path / "pages" / "saved.warc.gz"
    with saved.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        page = (PAGES / "sitepoint.html").read_bytes()
        for name, data, kind in (("s", page, "text/html"), ("i", b"\x89PNG", "image/png")):
            writer.write_record(
                writer.create_warc_record(
                    f"https://example.org/{name}",
                    "resource",
                    payload=io.BytesIO(data),
                    length=len(data),
                    warc_content_type=kind,
                )
            )
    assert gzip.decompress(saved.read_bytes()).count(b"WARC-Type: resource") == 2
    result = CliRunner().invoke(cli, ["index", "--index", str(tmp_path / "index"),
                                      str(tmp_path / "pages")])  # fmt: skip
    assert result.exit_code == 0, result.output
    with Index.open(tmp_path / "index") as index:
        sites = {h.site for h in index.search("kind:article").hits}
        assert sites == {"pixelmonkey.org", "sitepoint.com"}
        article = index.search("site:sitepoint.com kind:article").hits[0]
        assert index.thread(article.id).article.source.offset == 0
    shown = CliRunner().invoke(cli, ["show", "--index", str(tmp_path / "index"), article.id,
                                     "--source"])  # fmt: skip
    assert shown.stdout_bytes == page


def _commands() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    stack: list[tuple[str, click.Command]] = [("corpsearch", cli)]
    while stack:
        name, command = stack.pop()
        found.append((name, command))
        if isinstance(command, click.Group):
            stack.extend((f"{name} {n}", c) for n, c in command.commands.items())
    return found


def test_every_option_of_every_command_has_help_and_h_works() -> None:
    runner = CliRunner()
    for name, command in _commands():
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts[0]} has no help text"
        words = name.split()[1:]
        short = runner.invoke(cli, [*words, "-h"])
        assert short.exit_code == 0 and short.stdout.startswith("Usage: "), name


def test_query_help_ends_with_examples_and_the_grammar_ships_with_the_package() -> None:
    text = CliRunner().invoke(cli, ["query", "-h"]).stdout
    tail = text[text.index("Examples:") :]
    assert "corpsearch query '\"civil war\"'" in tail
    assert tail.rstrip().endswith("The whole grammar: corpsearch help query-language")
    printed = CliRunner().invoke(cli, ["help", "query-language"])
    assert printed.exit_code == 0
    docs = (ROOT / "docs" / "query-language.md").read_text(encoding="utf-8")
    assert printed.stdout == topic_text("query-language") == docs
    assert "query-language" in CliRunner().invoke(cli, ["help"]).stdout
