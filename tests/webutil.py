"""Shared pieces of the web tests: the index they serve and the CLI's output to compare with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from corpsearch import Index
from corpsearch.cli import cli

from .conftest import FIXTURES, PAGES, SEED_HTML

HOSTILE = FIXTURES / "hostile" / "hostile_page.html"
QUERY_PAGES = FIXTURES / "query-pages"


def build_index(folder: Path, engine: str) -> Path:
    """The seed page, the hostile page and the real pages, indexed with ``engine``."""
    with Index.create(folder, engine=engine) as index:
        report = index.add([SEED_HTML, HOSTILE, PAGES, QUERY_PAGES])
        assert not report.failures, report.failures
    return folder


def cli_output(folder: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["query", "--index", str(folder), *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes.decode("utf-8")  # .output would turn CSV's \r\n into \n


def cli_json(folder: Path, *args: str) -> Any:
    return json.loads(cli_output(folder, *args, "--format", "json"))
