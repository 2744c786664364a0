"""``corpsearch check``: read the whole index to find damage before a search meets it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .check import check_index
from .cli_settings import index_options

__all__ = ["check_command"]


@click.command("check")
@index_options
@click.option("--quick", is_flag=True, help="Only the cheap check every index job runs.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check_command(index_dir: Path, quick: bool, as_json: bool) -> None:
    """Check the index for damaged files (every stored document, every hit).

    Exits 0 when the index can be used, 1 with a one-line error saying how to rebuild it when
    it is damaged.
    """
    report = check_index(index_dir, full=not quick)
    if as_json:
        click.echo(json.dumps(report.to_dict()))
    else:
        what = "full check" if report.full else "quick check"
        click.echo(f"ok: {report.folder}: {report.documents} documents read ({what})")
