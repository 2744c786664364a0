"""A real sharded topology for the tests: ``corpsearch cluster init`` (a coordinator, two
shard servers, a streaming replica of each), in a temporary folder, with 16 MB of shared
buffers and no fsync (``--fast``); destroyed with ``corpsearch cluster destroy``."""

from __future__ import annotations

import os
import pwd
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpsearch.cli import cli
from corpsearch.cluster import load_topology

from .pgserver import _programs

SHARDS = 2


def cluster_topology() -> Iterator[Path]:
    if _programs() is None:
        pytest.skip("PostgreSQL 15 is not installed (apt-get install postgresql-15)")
    parent = Path(tempfile.mkdtemp(prefix="corpsearch-cluster-"))
    if os.geteuid() == 0:  # the servers run as postgres, who must reach their folders
        user = pwd.getpwnam("postgres")
        os.chown(parent, user.pw_uid, user.pw_gid)
    folder = parent / "cluster"
    try:
        done = CliRunner().invoke(cli, ["cluster", "init", str(folder), "--shards", str(SHARDS),
                                        "--replicas", "1", "--fast", "--shared-buffers", "16MB"])  # fmt: skip
        assert done.exit_code == 0, done.output
        assert done.stdout.splitlines()[-1] == load_topology(folder).dsn
        yield folder
    finally:
        if (folder / "cluster.json").exists():
            CliRunner().invoke(cli, ["cluster", "destroy", "--yes", str(folder)])
        shutil.rmtree(parent, ignore_errors=True)


def coordinator_dsn(folder: Path) -> str:
    return load_topology(folder).dsn
