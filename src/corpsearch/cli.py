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
from .engine import ENGINES, Sort
from .errors import ConfigError, CorpsearchError, QueryError
from .extract import ExtractOptions
from .index import Index
from .output import FORMATS, render_articles, render_result, safe_terminal_text
from .profiles import load_profiles
from .records import Article
from .sources import SourceLimits

__all__ = ["cli", "main"]

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_INDEX = "index"


class UsageFailure(click.ClickException):
    exit_code = 2


class ZoneType(click.ParamType):  # type: ignore[type-arg]
    name = "ZONE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tzinfo:
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


class _Group(click.Group):
    """Turns library errors into one-line CLI errors with the documented exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (QueryError, ConfigError) as error:
            raise UsageFailure(str(error)) from error
        except CorpsearchError as error:
            raise click.ClickException(str(error)) from error


def _limit_options(function: F) -> F:
    """--max-file-mb and --max-decompressed-mb, gathered into a SourceLimits by ``_limits``."""
    defaults = SourceLimits()
    for name, default, text in (
        ("max_file_bytes", defaults.max_file_bytes, "Skip page files larger than this (MB)."),
        (
            "max_decompressed_bytes",
            defaults.max_decompressed_bytes,
            "Skip gzipped pages that unpack to more than this (MB).",
        ),
    ):
        function = click.option(
            "--" + name.replace("_bytes", "_mb").replace("_", "-"),
            name,
            type=click.FloatRange(min=0, min_open=True),
            default=default / 2**20,
            show_default=True,
            expose_value=False,
            callback=lambda ctx, _param, value: ctx.meta.__setitem__(
                _param.name, int(value * 2**20)
            ),
            help=text,
        )(function)
    return function


def _limits() -> SourceLimits:
    meta = click.get_current_context().meta
    return SourceLimits(meta["max_file_bytes"], meta["max_decompressed_bytes"])


@click.group(cls=_Group)
@click.version_option(package_name="corpsearch")
def cli() -> None:
    """Full-text search for scraped news articles and their reader comments."""


@cli.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_profile_options
@_limit_options
def extract_command(
    paths: tuple[Path, ...], profiles: tuple[Path, ...], site_tz: tzinfo | None
) -> None:
    """Print the records of pages as JSON Lines, one article with its comments per line.

    PATHS are page files (.html, .htm, .txt, optionally gzipped) or folders of them.
    """
    failed = 0
    for item in extract_paths(paths, _extract_options(profiles, site_tz), _limits()):
        if isinstance(item, Article):
            for line in render_articles([item]):
                click.echo(line, nl=False)
        else:
            failed += 1
            click.echo(safe_terminal_text(f"skipped {item.path}: {item.reason}"), err=True)
    if failed:
        raise click.ClickException(f"{failed} source(s) could not be read; see the messages above")


@cli.command("index")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_index_option
@_profile_options
@_limit_options
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="whoosh",
    show_default=True,
    help="Engine of a new index (an existing index keeps the engine it was built with).",
)
def index_command(
    paths: tuple[Path, ...],
    index_dir: Path,
    profiles: tuple[Path, ...],
    site_tz: tzinfo | None,
    engine: str,
) -> None:
    """Extract the pages under PATHS and add them to the index (re-indexing replaces)."""
    with Index.open(index_dir, create=True, engine=engine) as index:
        report = index.add(paths, options=_extract_options(profiles, site_tz), limits=_limits())
    for failure in report.failures:
        click.echo(safe_terminal_text(f"skipped {failure.source}: {failure.reason}"), err=True)
    click.echo(
        f"indexed {report.articles} article(s) with {report.comments} comment(s) "
        f"from {report.pages} page(s) into {index_dir}; {len(report.failures)} failed",
        err=True,
    )
    if report.failures and not report.articles:
        raise click.ClickException("nothing could be indexed; see the messages above")


@cli.command("query")
@click.argument("query")
@_index_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=10, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date", "-date"]),
    default="relevance",
    show_default=True,
)
@click.option("--since", help="Only hits on or after this date ('2014-09-13', '13 Sep 2014').")
@click.option("--until", help="Only hits on or before this date (the whole day included).")
@click.option(
    "--tz", type=ZoneType(), default="UTC", show_default=True, help="Zone of query dates."
)
@click.option("--kind", type=click.Choice(["article", "comment"]), default=None)
@click.option(
    "--color/--no-color", default=None, help="Highlight matches (default: on a terminal)."
)
def query_command(
    query: str,
    index_dir: Path,
    fmt: str,
    limit: int,
    offset: int,
    sort: Sort,
    since: str | None,
    until: str | None,
    tz: tzinfo,
    kind: str | None,
    color: bool | None,
) -> None:
    """Search the index. See the README for the query language."""
    with Index.open(index_dir) as index:
        result = index.search(
            query,
            sort=sort,
            limit=limit,
            offset=offset,
            kind=kind,
            since=since,
            until=until,
            tz=tz,
        )
    use_color = sys.stdout.isatty() if color is None else color
    for chunk in render_result(result, fmt, color=use_color):
        click.echo(chunk, nl=False)


def main() -> None:
    """Entry point. Library errors are handled by the command group; this is the last line of
    defence, so that not even a bug shows a user a traceback."""
    try:
        cli.main()
    except Exception as error:
        if os.environ.get("CORPSEARCH_DEBUG"):
            traceback.print_exc()
        click.echo(
            f"Error: unexpected {type(error).__name__}: {error}. This is a bug in corpsearch; "
            "please report it with the command you ran (set CORPSEARCH_DEBUG=1 for details).",
            err=True,
        )
        sys.exit(1)
