"""The ``corpsearch`` command: thin wrappers over the library.

Each command parses options, calls one library function, renders the result to stdout and maps
errors to exit codes: 1 for runtime errors (missing index, unreadable files), 2 for usage errors
(bad options, malformed queries). Logs and progress go to stderr.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from . import extract_paths
from .cli_jobs import EXIT_LOCKED, index_command, schedule_command, status_command
from .errors import ConfigError, CorpsearchError, IndexLockedError, QueryError
from .extract import ExtractOptions
from .index import Index
from .output import FORMATS, render_articles, render_result
from .profiles import load_profiles
from .records import Article

__all__ = ["cli", "main"]

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_INDEX = "index"


class UsageFailure(click.ClickException):
    exit_code = 2


class ZoneType(click.ParamType):
    name = "ZONE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tzinfo:
        if isinstance(value, tzinfo):
            return value
        try:
            return ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(f"unknown time zone {value!r}; use an IANA name such as Asia/Beirut or UTC")


def _index_option(function: F) -> F:
    return click.option(
        "--index",
        "index_dir",
        default=DEFAULT_INDEX,
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="Index folder.",
    )(function)


def _extract_options(profiles: tuple[Path, ...], site_tz: tzinfo | None) -> ExtractOptions:
    return ExtractOptions(profiles=load_profiles(profiles), site_tz=site_tz)


def _profile_options(function: F) -> F:
    function = click.option(
        "--profiles",
        multiple=True,
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Folder of extra site profiles (*.toml); may be repeated.",
    )(function)
    return click.option(
        "--site-tz",
        type=ZoneType(),
        default=None,
        help="Read every page's local times in this zone instead of its site profile's.",
    )(function)


@click.group()
@click.version_option(package_name="corpsearch")
def cli() -> None:
    """Full-text search for scraped news articles and their reader comments."""


@cli.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_profile_options
def extract_command(paths: tuple[Path, ...], profiles: tuple[Path, ...], site_tz: tzinfo | None) -> None:
    """Print the records of pages as JSON Lines, one article with its comments per line.

    PATHS are page files (.html, .htm, .txt, optionally gzipped) or folders of them.
    """
    failed = 0
    for item in extract_paths(paths, _extract_options(profiles, site_tz)):
        if isinstance(item, Article):
            for line in render_articles([item]):
                click.echo(line, nl=False)
        else:
            failed += 1
            click.echo(f"skipped {item.path}: {item.reason}", err=True)
    if failed:
        raise click.ClickException(f"{failed} source(s) could not be read; see the messages above")


@cli.command("query")
@click.argument("query")
@_index_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=10, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--sort", type=click.Choice(["relevance", "date", "-date"]), default="relevance", show_default=True
)
@click.option("--since", help="Only hits on or after this date ('2014-09-13', '13 Sep 2014').")
@click.option("--until", help="Only hits on or before this date (the whole day included).")
@click.option("--tz", type=ZoneType(), default="UTC", show_default=True, help="Zone of query dates.")
@click.option("--kind", type=click.Choice(["article", "comment"]), default=None)
@click.option("--color/--no-color", default=None, help="Highlight matches (default: on a terminal).")
def query_command(
    query: str,
    index_dir: Path,
    fmt: str,
    limit: int,
    offset: int,
    sort: str,
    since: str | None,
    until: str | None,
    tz: tzinfo,
    kind: str | None,
    color: bool | None,
) -> None:
    """Search the index. See the README for the query language."""
    with Index.open(index_dir) as index:
        result = index.search(
            query, sort=sort, limit=limit, offset=offset, kind=kind, since=since, until=until, tz=tz  # type: ignore[arg-type]
        )
    use_color = sys.stdout.isatty() if color is None else color
    for chunk in render_result(result, fmt, color=use_color):
        click.echo(chunk, nl=False)


cli.add_command(index_command)
cli.add_command(status_command)
cli.add_command(schedule_command)


def main() -> None:
    """Entry point: library errors become one-line messages with the right exit code."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except IndexLockedError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(EXIT_LOCKED)
    except (QueryError, ConfigError) as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    except CorpsearchError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as error:  # the last line of defence: no traceback reaches a user
        if os.environ.get("CORPSEARCH_DEBUG"):
            traceback.print_exc()
        click.echo(
            f"Error: unexpected {type(error).__name__}: {error}. This is a bug in corpsearch; "
            "please report it with the command you ran (set CORPSEARCH_DEBUG=1 for details).",
            err=True,
        )
        sys.exit(1)
    sys.exit(0)
