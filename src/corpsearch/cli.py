"""The ``corpsearch`` command: thin wrappers over the library.

Each command parses options, calls one library function, renders the result to stdout and maps
errors to exit codes: 1 for runtime errors (missing index, unreadable files), 2 for usage errors
(bad options, malformed queries). Logs and progress go to stderr.

The commands live in the ``cli_*`` modules, imported when a command runs (or when ``--help``
lists them): ``corpsearch --version`` loads only click, and ``corpsearch query`` loads the index
and its engine but not the extraction stack, the job machinery, the web app or the watches
(``tests/test_cli_imports.py`` holds every command to that).
"""

from __future__ import annotations

import importlib
import os
import sys
from datetime import UTC, tzinfo
from typing import Any

import click

from . import __version__
from .errors import ConfigError, CorpsearchError, IndexLockedError, QueryError, printable

__all__ = ["cli", "main"]

# Exit code of a command refused because another job holds the index's write lock.
EXIT_LOCKED = 3


class UsageFailure(click.ClickException):
    exit_code = 2


class LockedFailure(click.ClickException):
    """Another job holds the index's write lock."""

    exit_code = EXIT_LOCKED


class ZoneType(click.ParamType):  # type: ignore[type-arg]
    name = "ZONE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tzinfo:
        if isinstance(value, tzinfo):
            return value
        if value == "UTC":  # the default of --tz: the library's own UTC, no zone database read
            return UTC
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(f"unknown time zone {value!r}; use an IANA name such as Asia/Beirut or UTC")


# Every command: name -> "module:object", the module imported only when the command is used.
COMMANDS = {
    "check": "cli_check:check_command",
    "cluster": "cli_cluster:cluster_group",
    "extract": "cli_extract:extract_command",
    "help": "cli_help:help_command",
    "index": "cli_jobs:index_command",
    "query": "cli_query:query_command",
    "schedule": "cli_jobs:schedule_command",
    "serve": "cli_serve:serve_command",
    "show": "cli_show:show_command",
    "stats": "cli_query:stats_command",
    "status": "cli_jobs:status_command",
    "watch": "cli_watch:watch_group",
}


class _Group(click.Group):
    """Loads a command's module when the command is asked for (click's "lazy group"), and
    turns library errors into one-line CLI errors with the documented exit codes."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, name = COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(f".{module}", __package__), name)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.NoSuchCommand as error:
            # click suggests from the commands loaded so far: suggest from all of them
            raise click.NoSuchCommand(
                error.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader stopped reading (corpsearch query ... | head -1): that is no error.
            # What is still buffered goes nowhere, so flushing at exit cannot fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except (QueryError, ConfigError) as error:
            raise UsageFailure(str(error)) from error
        except IndexLockedError as error:
            raise LockedFailure(str(error)) from error
        except CorpsearchError as error:
            raise click.ClickException(str(error)) from error


# The version is the package's own: click's default looks it up in the installed metadata,
# which costs importlib.metadata and a scan of sys.path on every start.
@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, package_name="corpsearch")
def cli() -> None:
    """Full-text search for scraped news articles and their reader comments."""


def main() -> None:
    """Entry point. Library errors are handled by the command group; this is the last line of
    defence, so that not even a bug shows a user a traceback."""
    try:
        cli.main()
    except Exception as error:
        if os.environ.get("CORPSEARCH_DEBUG"):
            import traceback

            traceback.print_exc()
        click.echo(
            f"Error: unexpected {type(error).__name__}: {printable(str(error))}. This is a bug "
            "in corpsearch; "
            "please report it with the command you ran (set CORPSEARCH_DEBUG=1 for details).",
            err=True,
        )
        sys.exit(1)
