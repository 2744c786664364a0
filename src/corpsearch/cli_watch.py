"""``corpsearch watch``: saved searches run after every indexing job (see the README).

Thin wrappers over :mod:`corpsearch.watch_delivery`: they read options and the configuration
file, call the library and render. Exit codes: 0 done, 1 runtime error (no such watch, no
index), 2 usage error (a malformed query or target), 3 another job holds the index.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from .config import JobSettings, find_config, load_config, parse_zone
from .engine import Hit
from .export import hit_record, json_text, safe_terminal_text
from .watch_delivery import (
    WatchDetails,
    add_watch,
    remove_watch,
    run_watches,
    watch_details,
    watch_history,
)
from .watches import DIGESTS, Watch

__all__ = ["watch_group"]

F = TypeVar("F", bound=Callable[..., Any])


def _where(function: F) -> F:
    function = click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Configuration file (default: ./corpsearch.toml if present).",
    )(function)
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Index folder  [default: index, or the configuration file's].",
    )(function)


def _settings(index_dir: Path | None, config_path: Path | None) -> tuple[Path, JobSettings]:
    settings = load_config(find_config(config_path)).with_overrides(index=index_dir)
    return settings.index, settings


@click.group("watch")
def watch_group() -> None:
    """Saved searches run after every `corpsearch index`, reporting only new hits."""


@watch_group.command("add")
@click.argument("name")
@click.argument("query")
@_where
@click.option(
    "--kind",
    type=click.Choice(["article", "comment"]),
    default=None,
    help="Only articles or only comments.",
)
@click.option("--since", help="Only hits on or after this date (now-7d, 2014-09-13).")
@click.option("--until", help="Only hits on or before this date.")
@click.option("--tz", default="UTC", show_default=True, help="Zone of dates and digest days.")
@click.option(
    "--notify",
    "targets",
    multiple=True,
    metavar="TARGET",
    help="jsonl:PATH, webhook:URL, command:CMD or email:ADDRESS; may be repeated.",
)
@click.option("--digest", type=click.Choice(DIGESTS), help="Deliver once per period.")
def add_command(
    name: str,
    query: str,
    index_dir: Path | None,
    config_path: Path | None,
    kind: str | None,
    since: str | None,
    until: str | None,
    tz: str,
    targets: tuple[str, ...],
    digest: str | None,
) -> None:
    """Save a watch: QUERY (the grammar of `corpsearch query`) runs after every indexing job
    over the pages it added or changed, and each new hit goes to every --notify target once."""
    parse_zone(tz)
    folder, settings = _settings(index_dir, config_path)
    watch = Watch(name, query, kind, since, until, tz, targets, digest)
    saved = add_watch(folder, settings, watch)
    click.echo(f"watch {saved.name} added: {saved.query}", err=True)


@watch_group.command("list")
@_where
@click.option("--json", "as_json", is_flag=True, help="Print the watches as JSON.")
def list_command(index_dir: Path | None, config_path: Path | None, as_json: bool) -> None:
    """List the watches with their query, targets and hits so far."""
    folder, settings = _settings(index_dir, config_path)
    details = watch_details(folder, settings)
    if as_json:
        click.echo(json.dumps([d.to_dict() for d in details], ensure_ascii=False, indent=2))
        return
    if not details:
        click.echo("no watches; add one with: corpsearch watch add NAME QUERY --notify TARGET")
    for item in details:
        targets = ", ".join(item.watch.targets) or "no targets (watch run prints the hits)"
        digest = f", {item.watch.digest} digest" if item.watch.digest else ""
        click.echo(
            safe_terminal_text(
                f"{item.watch.name}: {item.watch.query!r}{_filters(item.watch)} → "
                f"{targets}{digest}; {item.hits} hit(s) so far"
            )
        )


@watch_group.command("show")
@click.argument("name")
@_where
@click.option("--json", "as_json", is_flag=True, help="Print the watch as JSON.")
def show_command(
    name: str, index_dir: Path | None, config_path: Path | None, as_json: bool
) -> None:
    """Show one watch: its query, filters, targets and how each target is doing."""
    folder, settings = _settings(index_dir, config_path)
    (item,) = watch_details(folder, settings, [name])
    if as_json:
        click.echo(json.dumps(item.to_dict(), ensure_ascii=False, indent=2))
        return
    for line in _show_lines(item):
        click.echo(safe_terminal_text(line))


@watch_group.command("rm")
@click.argument("name")
@_where
def rm_command(name: str, index_dir: Path | None, config_path: Path | None) -> None:
    """Remove a watch, with its history and the hits still waiting for delivery."""
    folder, settings = _settings(index_dir, config_path)
    removed = remove_watch(folder, settings, name)
    click.echo(f"watch {removed.name} removed", err=True)


@watch_group.command("run")
@click.argument("name", required=False)
@_where
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "jsonl"]),
    default="table",
    help="Output: a readable table, or JSON Lines.",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=None,
    help="Seconds to wait for a running indexing job (exit code 3 after).",
)
def run_command(
    name: str | None,
    index_dir: Path | None,
    config_path: Path | None,
    fmt: str,
    wait: float | None,
) -> None:
    """Run a watch (or every watch) over the whole index now: every hit not reported before is
    printed on stdout and delivered to the watch's targets."""
    folder, settings = _settings(index_dir, config_path)
    settings = settings.with_overrides(wait=wait)

    def show(watch: Watch, hit: Hit) -> None:
        if fmt == "jsonl":
            click.echo(json_text({**hit_record(hit), "watch": watch.name}))
        else:
            for line in _hit_lines(watch, hit):
                click.echo(line)

    report = run_watches(folder, settings, [name] if name else [], on_hit=show)
    found = sum(report.found.values())
    click.echo(
        f"{found} new hit(s) for {len(report.found)} watch(es); {report.delivered} delivered "
        f"(run {report.run})",
        err=True,
    )
    for failure in report.failures:
        click.echo(safe_terminal_text(f"not delivered: {failure}"), err=True)


@watch_group.command("history")
@click.argument("name")
@_where
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="How many entries to show.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON Lines.")
def history_command(
    name: str, index_dir: Path | None, config_path: Path | None, limit: int, as_json: bool
) -> None:
    """The last hits a watch reported, newest first, with the run that found each and the
    targets still waiting for it."""
    folder, settings = _settings(index_dir, config_path)
    records = watch_history(folder, settings, name, limit)
    if as_json:
        for record in records:
            click.echo(json_text(record))
        return
    if not records:
        click.echo(f"watch {name} has reported nothing yet")
    for record in records:
        waiting = f" · waiting for {', '.join(record['waiting'])}" if record["waiting"] else ""
        who = record.get("author") or "unknown"
        click.echo(
            safe_terminal_text(
                f"{record['found']}  {record.get('kind')} by {who} · "
                f"{record.get('published') or 'no date'} · {record.get('headline') or ''} · "
                f"id {record.get('id')}{waiting}"
            )
        )


def _filters(watch: Watch) -> str:
    parts = [
        f"{label} {value}"
        for label, value in (("kind", watch.kind), ("since", watch.since), ("until", watch.until))
        if value
    ]
    if watch.tz != "UTC":
        parts.append(f"tz {watch.tz}")
    return f" ({', '.join(parts)})" if parts else ""


def _show_lines(item: WatchDetails) -> Iterator[str]:
    watch = item.watch
    yield f"watch {watch.name}, added {watch.created}"
    yield f"  query: {watch.query}{_filters(watch)}"
    if watch.digest:
        yield f"  digest: {watch.digest} (in {watch.tz})"
    yield f"  hits reported so far: {item.hits}"
    status = {t.target: t for t in item.targets}
    if not watch.targets:
        yield "  no targets: `corpsearch watch run` prints its hits"
    for spec in watch.targets:
        known = status.get(spec)
        if known is None:
            yield f"  → {spec}: nothing delivered yet"
        elif known.last_error:
            yield (
                f"  → {spec}: FAILING since {known.failing_since} ({known.failures} attempt(s)), "
                f"{known.waiting} waiting: {known.last_error}"
            )
        else:
            yield f"  → {spec}: last delivery {known.last_ok}, {known.waiting} waiting"
    for spec, known in status.items():
        if spec not in watch.targets and known.last_error:
            yield f"  {spec}: {known.last_error}"


def _hit_lines(watch: Watch, hit: Hit) -> Iterator[str]:
    record = hit_record(hit)
    when = hit.published or "no date"
    yield safe_terminal_text(f"[{watch.name}] {hit.kind} by {hit.author or 'unknown'} · {when}")
    yield safe_terminal_text(f"   {'on: ' if hit.kind == 'comment' else ''}{hit.headline}")
    yield safe_terminal_text(f"   {record['snippet_text']}")
    yield f"   id {hit.id}"
