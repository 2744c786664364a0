"""``corpsearch cluster``: a local PostgreSQL topology for the postgres engine (a coordinator,
shard servers and their streaming replicas on loopback ports; see docs/scaling.md).

Thin wrappers over :mod:`corpsearch.cluster`. ``init`` prints the coordinator's DSN as its last
line, for ``corpsearch index --engine postgres --dsn DSN``. Exit codes: 0 done, 1 runtime
error (a server that does not start), 2 usage error.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .cluster import (
    Topology,
    cluster_status,
    destroy_cluster,
    init_cluster,
    start_cluster,
    stop_cluster,
)

__all__ = ["cluster_group"]

_folder = click.argument("folder", type=click.Path(file_okay=False, path_type=Path))


@click.group("cluster")
def cluster_group() -> None:
    """A local coordinator with shard servers and replicas (corpsearch cluster init DIR)."""


@cluster_group.command("init")
@_folder
@click.option("--shards", type=click.IntRange(min=0), default=2, show_default=True,
              help="Shard servers; the documents are spread over them by article id "
                   "(0: one server, no shards).")  # fmt: skip
@click.option("--replicas", type=click.IntRange(min=0), default=1, show_default=True,
              help="Streaming replicas of each shard (pg_basebackup -R).")  # fmt: skip
@click.option("--shared-buffers", default="32MB", show_default=True,
              help="shared_buffers of each server.")  # fmt: skip
@click.option("--fast", is_flag=True,
              help="fsync off: for tests and benchmarks, never for data worth keeping.")  # fmt: skip
def init_command(folder: Path, shards: int, replicas: int, shared_buffers: str, fast: bool) -> None:
    """Make and start a new topology in FOLDER; the last line printed is the coordinator's DSN."""
    topology = init_cluster(
        folder, shards=shards, replicas=replicas, shared_buffers=shared_buffers, fast=fast
    )
    _echo_nodes(topology, None)
    click.echo(topology.dsn)


@cluster_group.command("status")
@_folder
@click.option("--json", "as_json", is_flag=True, help="Print the servers as JSON.")
def status_command(folder: Path, as_json: bool) -> None:
    """Each server of the topology: name, role, shard, port, running or stopped."""
    statuses = cluster_status(folder)
    if as_json:
        rows = [
            {"name": s.node.name, "role": s.node.role, "shard": s.node.shard,
             "port": s.node.port, "running": s.running}
            for s in statuses
        ]  # fmt: skip
        click.echo(json.dumps(rows, indent=2))
        return
    for status in statuses:
        click.echo(_line(status.node.name, status.node.role, status.node.port, status.running))


@cluster_group.command("start")
@_folder
def start_command(folder: Path) -> None:
    """Start the servers that are stopped (replicas after their primaries)."""
    topology = start_cluster(folder)
    _echo_nodes(topology, True)
    click.echo(topology.dsn)


@cluster_group.command("stop")
@_folder
@click.argument("nodes", nargs=-1)
def stop_command(folder: Path, nodes: tuple[str, ...]) -> None:
    """Stop every server, or only the NODES named (e.g. shard1 shard1-replica1)."""
    stop_cluster(folder, nodes)


@cluster_group.command("destroy")
@_folder
@click.confirmation_option(prompt="Stop the servers and delete the cluster's data?")
def destroy_command(folder: Path) -> None:
    """Stop every server and delete FOLDER with all its data."""
    destroy_cluster(folder)


def _echo_nodes(topology: Topology, running: bool | None) -> None:
    for node in topology.nodes:
        click.echo(_line(node.name, node.role, node.port, running), err=True)


def _line(name: str, role: str, port: int, running: bool | None) -> str:
    state = "" if running is None else ("  running" if running else "  stopped")
    return f"{name:<20} {role:<12} 127.0.0.1:{port}{state}"
