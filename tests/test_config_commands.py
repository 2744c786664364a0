"""One configuration for every command: corpsearch.toml (or --config) tells each where the index is."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from corpsearch.cli import cli

from .conftest import SEED_HTML


def test_every_command_finds_the_configured_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "pages").mkdir(parents=True)
    (project / "pages" / "seed_page.html").write_bytes(SEED_HTML.read_bytes())
    (project / "corpsearch.toml").write_text('sources = ["pages"]\nindex = "data/idx"\n')
    monkeypatch.chdir(project)
    runner = CliRunner()
    built = runner.invoke(cli, ["index"])
    assert built.exit_code == 0, built.output
    assert (project / "data" / "idx").is_dir() and not (project / "index").exists()
    with_config = {
        ("query", "author:_mowaten_"): "4 hits for 'author:_mowaten_'",
        ("show", "b01cf153", "--no-body"): "article · b01cf153 · naharnet.com",
        ("stats",): "articles",
        ("status",): "1 articles, 5 comments",
        ("check",): "6 documents read",
    }
    for args, expected in with_config.items():
        result = runner.invoke(cli, list(args))
        assert result.exit_code == 0, (args, result.output)
        assert expected in result.output, args
    # from another folder, with --config; --index still wins over the file
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = str(project / "corpsearch.toml")
    for args, expected in with_config.items():
        result = runner.invoke(cli, [*args, "--config", config])
        assert result.exit_code == 0 and expected in result.output, (args, result.output)
    missing = runner.invoke(cli, ["query", "x", "--config", config, "--index", "nowhere"])
    assert missing.exit_code == 1 and "no corpsearch index in nowhere" in missing.stderr
    bad = runner.invoke(cli, ["stats", "--config", str(elsewhere / "none.toml")])
    assert bad.exit_code == 2 and "does not exist" in bad.stderr
