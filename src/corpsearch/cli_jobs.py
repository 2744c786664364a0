"""The job commands of the ``corpsearch`` CLI: ``index``, ``status`` and ``schedule``.

Thin wrappers over :mod:`corpsearch.jobs` and :mod:`corpsearch.status`: they read options and
the configuration file, call the library, and render. Exit codes: 0 done, 1 runtime error,
2 usage error, 3 another job holds the index (see ``docs/jobs.md``), 130 interrupted.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .cli import EXIT_LOCKED
from .config import JobSettings, find_config, load_config
from .engine import ALL_ENGINES
from .errors import ConfigError, IndexLockedError, printable
from .export import json_text, safe_terminal_text
from .sources import SourceLimits
from .status import JobStatus, job_status

if TYPE_CHECKING:
    # the job (and with it the extraction stack) is imported by the commands that run one
    from .jobs import Progress, RunSummary

__all__ = [
    "EXIT_LOCKED",
    "EXIT_PARTIAL",
    "index_command",
    "limit_options",
    "parse_every",
    "schedule_command",
    "source_limits",
    "status_command",
]

F = TypeVar("F", bound=Callable[..., Any])
# The run finished and committed, but some sources failed: for cron, which mails on non-zero.
EXIT_PARTIAL = 4
EXIT_INTERRUPTED = 130


def _job_options(function: F) -> F:
    options = [
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Configuration file (default: ./corpsearch.toml if present).",
        ),
        click.option(
            "--index",
            "index_dir",
            type=click.Path(file_okay=False, path_type=Path),
            help="Index folder  [default: index].",
        ),
        click.option(
            "--profiles",
            multiple=True,
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            help="Folder of extra site profiles (*.toml); may be repeated.",
        ),
        click.option(
            "--site-tz", metavar="ZONE", help="Read every page's local times in this zone."
        ),
        click.option(
            "--engine",
            type=click.Choice(ALL_ENGINES),
            help="Engine of a new index or a rebuild  [default: the one in use, else tantivy].",
        ),
        click.option(
            "--dsn",
            metavar="DSN",
            help="PostgreSQL database of a new postgres index (postgresql://USER@HOST:PORT/DB).",
        ),
        click.option(
            "--keep-removed",
            is_flag=True,
            default=None,
            help="Keep the articles of source files that disappeared.",
        ),
        click.option(
            "--follow-links",
            is_flag=True,
            default=None,
            help="Read files that are links to files outside the folders given (skipped and "
            "reported otherwise).",
        ),
        click.option(
            "--wait",
            type=click.FloatRange(min=0),
            default=None,
            help="Seconds to wait for a running job before giving up (exit code 3).",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=0),
            default=None,
            help="Extraction processes (0 = one per core).",
        ),
        click.option(
            "--scheduler",
            metavar="ADDRESS",
            help="Extract on the workers of this Dask scheduler (tcp://HOST:8786) instead of "
            "local processes; see docs/dask.md.",
        ),
        click.option(
            "--batch",
            type=click.IntRange(min=1),
            default=None,
            help="Pages per commit  [default: 500].",
        ),
        click.option(
            "--json", "as_json", is_flag=True, help="Print the run summary as JSON on stdout."
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _settings(paths: tuple[Path, ...], config_path: Path | None, **options: Any) -> JobSettings:
    settings = load_config(find_config(config_path)).with_overrides(
        sources=paths or None,
        index=options.pop("index_dir"),
        profiles=options.pop("profiles") or None,
        **options,
    )
    missing = [p for p in paths if _missing(p)]
    if missing:
        # Before anything is opened or created: a typo must not leave an empty index behind.
        raise ConfigError(
            f"no such file or folder: {', '.join(map(str, missing))}; check the path "
            "(nothing was indexed)"
        )
    if not settings.sources:
        raise ConfigError(
            "no sources to index; give paths (corpsearch index PAGES/) or set sources in "
            "corpsearch.toml"
        )
    settings.zone()  # a bad zone is a usage error before the lock is taken
    return settings


def _missing(path: Path) -> bool:
    """No such file or folder (a name too long, a link loop: reported by the run as before)."""
    try:
        path.lstat()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


def limit_options(function: F) -> F:
    """--max-file-mb and --max-decompressed-mb, gathered into a SourceLimits by ``source_limits``."""
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


def source_limits() -> SourceLimits:
    meta = click.get_current_context().meta
    return SourceLimits(meta["max_file_bytes"], meta["max_decompressed_bytes"])


@click.command("index")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_job_options
@limit_options
@click.option(
    "--rebuild",
    is_flag=True,
    default=None,
    help="Build a new index beside the current one and swap it in when complete.",
)
def index_command(
    paths: tuple[Path, ...], config_path: Path | None, as_json: bool, **options: Any
) -> None:
    """Bring the index up to date with the pages under PATHS (or the configured sources).

    Only new and changed files are read; files that disappeared are removed from the index.
    Running it twice changes nothing the second time.

    Exit codes: 0 done, 4 done but some sources could not be read (listed on stderr and in
    corpsearch status), 1 error or nothing could be indexed, 2 usage error, 3 another job holds
    the index, 130 interrupted.
    """
    from .jobs import run_job

    settings = _settings(paths, config_path, **options)
    with _stop_on_signals() as stop:
        try:
            summary = run_job(
                settings, on_progress=_progress_printer(), stop=stop, limits=source_limits()
            )
        except IndexLockedError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(EXIT_LOCKED)
        finally:
            _finish_line()
    _report(summary, as_json)
    if summary.status == "interrupted":
        sys.exit(EXIT_INTERRUPTED)
    if summary.failed and not (summary.new + summary.changed + summary.unchanged):
        raise click.ClickException("nothing could be indexed; see corpsearch status")
    if summary.failed:
        sys.exit(EXIT_PARTIAL)


@click.command("status")
@click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Index folder  [default: index, or the configuration file's].",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Configuration file (default: ./corpsearch.toml if present).",
)
@click.option(
    "--runs",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="How many of the last runs to show.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status_command(
    index_dir: Path | None, config_path: Path | None, runs: int, as_json: bool
) -> None:
    """Show the last runs of the indexing job, their failures, and whether a job runs now.

    Exit codes: 0 the index can be read, 1 there is none or it cannot be read.
    """
    folder = index_dir or load_config(find_config(config_path)).index
    status = job_status(folder, runs=runs)
    if as_json:
        click.echo(json_text(status.to_dict(), indent=2))
    else:
        for line in render_status(status):
            click.echo(line)
    if status.counts is None:  # no index there, or one that cannot be read: as query does
        sys.exit(1)


@click.command("schedule")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--every", required=True, help="Interval between runs: 90s, 15m, 1h, 1h30m.")
@_job_options
@limit_options
def schedule_command(
    paths: tuple[Path, ...], every: str, config_path: Path | None, as_json: bool, **options: Any
) -> None:
    """Run the indexing job now and then every interval, in the foreground (for containers).

    A run starts only when the previous one has finished; SIGTERM or Ctrl-C ends the current run
    after committing what is done, and the command exits without leaving a lock.
    """
    from .jobs import run_job

    interval = parse_every(every)
    settings = _settings(paths, config_path, **options)
    with _stop_on_signals() as stop:
        click.echo(f"corpsearch schedule: indexing every {every}; stop with SIGTERM", err=True)
        while not stop.is_set():
            started = time.monotonic()
            try:
                summary = run_job(
                    settings, stop=stop, command="corpsearch schedule", limits=source_limits()
                )
                _report(summary, as_json)
            except IndexLockedError as error:
                click.echo(f"skipped this run: {error}", err=True)
            except ConfigError:
                raise
            except Exception as error:  # the schedule outlives one failed run
                message = safe_terminal_text(f"run failed: {error}")
                click.echo(f"{message}; retrying at the next interval", err=True)
            next_start = started + interval
            while next_start <= time.monotonic():
                next_start += interval
            stop.wait(next_start - time.monotonic())
    click.echo("corpsearch schedule: stopped", err=True)


def parse_every(text: str) -> float:
    """``90s``, ``15m``, ``1h``, ``1h30m``, ``1d`` or a number of seconds → seconds."""
    match = re.fullmatch(
        r"\s*(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+(?:\.\d+)?)s?)?\s*", text
    )
    if not text.strip() or match is None:
        raise ConfigError(f"cannot read the interval {text!r}; write it as 90s, 15m, 1h or 1h30m")
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    total = days * 86400 + hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise ConfigError(f"the interval {text!r} must be longer than zero")
    return total


# -- rendering -------------------------------------------------------------------------------


def _report(summary: RunSummary, as_json: bool) -> None:
    if as_json:
        click.echo(json_text(summary.to_dict()))
    # Failures are listed even under cron, where nobody would otherwise notice them.
    for failure in summary.failures[:MAX_FAILURES_SHOWN]:
        click.echo(safe_terminal_text(f"skipped {failure.source}: {failure.reason}"), err=True)
    if summary.failed > MAX_FAILURES_SHOWN:
        click.echo(f"... and {summary.failed - MAX_FAILURES_SHOWN} more", err=True)
    watches = summary.watches or {}
    for failure in watches.get("failures", []):
        click.echo(safe_terminal_text(f"watch not delivered: {failure}"), err=True)
    click.echo(summary_line(summary), err=True)


MAX_FAILURES_SHOWN = 100


def summary_line(summary: RunSummary) -> str:
    line = (
        f"{summary.started} {summary.status}: {summary.new} new, {summary.changed} changed, {summary.removed} "
        f"removed, {summary.unchanged} unchanged, {summary.failed} failed in "
        f"{summary.seconds:.1f}s ({summary.index})"
    )
    if summary.merged:
        line += f"; {summary.merged} duplicate capture(s) merged"
    if summary.failed:
        line += "; see corpsearch status for the failures"
    found = sum((summary.watches or {}).get("found", {}).values())
    if found:
        line += f"; {found} new watch hit(s)"
    return safe_terminal_text(line)


def render_status(status: JobStatus) -> Iterator[str]:
    """The status as lines for a terminal: what they quote (file names, reasons, the index
    folder's name) without control characters."""
    for line in _status_lines(status):
        yield safe_terminal_text(line)


def _status_lines(status: JobStatus) -> Iterator[str]:
    where = f" (generation {status.generation})" if status.generation else ""
    if status.counts is not None:
        yield (
            f"index {status.index}{where}: {status.counts.get('article', 0)} articles, "
            f"{status.counts.get('comment', 0)} comments"
        )
    else:
        yield f"index {status.index}: {status.problem}"
    if status.running is not None:
        yield f"job running now: {status.running.describe()} ({status.running.command})"
    else:
        yield "no job running now"
    if not status.runs:
        yield "no runs recorded yet"
        return
    yield "last runs (oldest first):"
    for run in status.runs:
        yield (
            f"  {run.get('started')}  {run.get('status', '?'):<11} "
            f"{float(run.get('seconds') or 0):7.1f}s  new {run.get('new', 0)}  changed "
            f"{run.get('changed', 0)}  removed {run.get('removed', 0)}  unchanged "
            f"{run.get('unchanged', 0)}  failed {run.get('failed', 0)}"
            + (f"  error: {run['error']}" if run.get("error") else "")
        )
    yield from _watch_lines(status)
    last = status.runs[-1]
    if last.get("failures"):
        yield f"failures of the last run ({last.get('failed', 0)}):"
        for failure in last["failures"]:
            # The name as it is, escapes shown (\x1b, \xe9 for a byte that is not UTF-8).
            yield f"  {printable(str(failure['source']))}: {failure['reason']}"


def _watch_lines(status: JobStatus) -> Iterator[str]:
    failing = [w for w in status.watches if w.get("last_error")]
    if failing:
        yield f"watch targets failing ({len(failing)}; their hits are kept and retried):"
    for item in failing:
        since = f" since {item['failing_since']}" if item.get("failing_since") else ""
        yield safe_terminal_text(
            f"  {item['watch']} → {item['target']}{since}, {item['waiting']} hit(s) waiting: "
            f"{item['last_error']}"
        )


_last_progress = [0.0, False]


def _progress_printer() -> Callable[[Progress], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(progress: Progress) -> None:
        now = time.monotonic()
        if now - _last_progress[0] < 0.2 and progress.done < progress.total:
            return
        _last_progress[0], _last_progress[1] = now, True
        left = progress.remaining
        eta = f", {left:.0f}s left" if left is not None else ""
        records = f", {progress.records:,} articles" if progress.records else ""
        sys.stderr.write(
            f"\rindexing {progress.done}/{progress.total} files{records} "
            f"({progress.rate:.0f} files/s{eta})\x1b[K"
        )
        sys.stderr.flush()

    return show


def _finish_line() -> None:
    if _last_progress[1]:
        sys.stderr.write("\n")
        _last_progress[1] = False


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """SIGTERM and the first Ctrl-C ask the job to stop after its current page; a second
    Ctrl-C interrupts at once."""
    stop = threading.Event()

    def handle(number: int, frame: FrameType | None) -> None:
        if stop.is_set() and number == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()

    previous = {s: signal.signal(s, handle) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
