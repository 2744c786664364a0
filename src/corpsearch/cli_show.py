"""``corpsearch show ID``: read an article with its comment thread, or one comment in it."""

from __future__ import annotations

import sys
from datetime import tzinfo
from pathlib import Path

import click

from .capture import read_capture
from .cli_settings import index_options
from .export import json_text, safe_terminal_text
from .index import Index
from .output import terminal_width
from .thread_text import render_thread

__all__ = ["show_command"]


class _Zone(click.ParamType):  # type: ignore[type-arg]
    name = "ZONE"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> tzinfo:
        from .config import parse_zone
        from .errors import ConfigError

        if isinstance(value, tzinfo):
            return value
        try:
            return parse_zone(str(value))
        except ConfigError as error:
            self.fail(str(error))


@click.command("show")
@click.argument("doc_id", metavar="ID")
@index_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: the thread to read; json: the article record with its comments "
    "(corpsearch extract's shape, plus each comment's depth in the reply tree).",
)
@click.option(
    "--source",
    "source",
    is_flag=True,
    help="Print the page as captured instead: the page file, or the archive record's HTML.",
)
@click.option("--whole", is_flag=True, help="For a comment: the whole thread, not only its branch.")
@click.option("--no-body", is_flag=True, help="Leave out the article's text.")
@click.option(
    "--tz",
    type=_Zone(),
    default=None,
    help="Show times in this zone (default: each page's own local time).",
)
def show_command(
    doc_id: str,
    index_dir: Path,
    fmt: str,
    source: bool,
    whole: bool,
    no_body: bool,
    tz: tzinfo | None,
) -> None:
    """Print an article with its comment thread, or a comment in its thread.

    ID is an article's or a comment's id, or its short id (the first column of the query
    table; a few leading digits are enough while they name one document). Replies are
    indented under the comment they answer, quoted passages start with '>'.
    """
    with Index.open(index_dir) as index:
        thread = index.thread(doc_id)
        short = index.short_ids()
        if source:
            capture = read_capture(thread.article.source)
            if sys.stdout.isatty():
                click.echo(safe_terminal_text(capture.text), nl=False)
            else:  # exactly the captured bytes, for diff, grep or a browser
                sys.stdout.buffer.write(capture.data)
                sys.stdout.buffer.flush()
            return
        if fmt == "json":
            click.echo(json_text(thread.to_dict(), indent=2))
            return
        lines = render_thread(
            thread, width=terminal_width(), tz=tz, short_id=short, whole=whole, body=not no_body
        )
        for line in lines:
            click.echo(line, nl=False)
