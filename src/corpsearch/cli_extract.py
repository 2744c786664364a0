"""``corpsearch extract``: the records of pages as JSON Lines (the only command here that
needs the extraction stack, imported when it runs)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .cli import ZoneType
from .cli_jobs import limit_options, source_limits

if TYPE_CHECKING:
    from .extract import ExtractOptions

__all__ = ["extract_command"]

F = TypeVar("F", bound=Callable[..., Any])


def _extract_options(profiles: tuple[Path, ...], site_tz: tzinfo | None) -> ExtractOptions:
    from .extract import ExtractOptions
    from .profiles import load_profiles

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


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_profile_options
@limit_options
@click.option(
    "--follow-links",
    is_flag=True,
    help="Read files that are links to files outside the folders given (skipped otherwise).",
)
def extract_command(
    paths: tuple[Path, ...], profiles: tuple[Path, ...], site_tz: tzinfo | None, follow_links: bool
) -> None:
    """Print the records of pages as JSON Lines, one article with its comments per line.

    PATHS are page files (.html, .htm, .txt, optionally gzipped), web archives (.warc, .warc.gz,
    .arc, .arc.gz) or folders of them.
    """
    from . import extract_paths
    from .output import render_articles, safe_terminal_text
    from .records import Article

    failed = 0
    options = _extract_options(profiles, site_tz)
    for item in extract_paths(paths, options, source_limits(), follow_links=follow_links):
        if isinstance(item, Article):
            for line in render_articles([item]):
                click.echo(line, nl=False)
        else:
            failed += 1
            click.echo(safe_terminal_text(f"skipped {item.path}: {item.reason}"), err=True)
    if failed:
        raise click.ClickException(f"{failed} source(s) could not be read; see the messages above")
