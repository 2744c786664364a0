"""Where a postgres index's documents live: its ``connection.json`` (the server's DSN and the
index's own schema on it), kept in the engine folder beside the manifest and run log.

No driver is imported here, so the job can find the DSN of the index in use (for a rebuild
that keeps its database) without loading the engine.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, IndexDamagedError

__all__ = ["CONNECTION_FILE", "Connection", "new_connection", "read_connection", "stored_dsn"]

CONNECTION_FILE = "connection.json"
ENGINE_FOLDER = "postgres"


@dataclass(frozen=True, slots=True)
class Connection:
    dsn: str
    schema: str  # one schema per index, so several indexes (and generations) share a database


def new_connection(folder: Path, dsn: str | None) -> Connection:
    """A fresh schema name for a new index on ``dsn``, written to ``folder``."""
    if not dsn or not dsn.strip():
        raise ConfigError(
            "the postgres engine keeps its documents in a PostgreSQL database: give "
            "--dsn postgresql://USER@HOST:PORT/DATABASE or set dsn in corpsearch.toml"
        )
    connection = Connection(dsn.strip(), "corpsearch_" + secrets.token_hex(6))
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (CONNECTION_FILE + ".tmp")
    tmp.write_text(
        json.dumps({"dsn": connection.dsn, "schema": connection.schema}, indent=2) + "\n",
        encoding="utf-8",
    )
    os.replace(tmp, folder / CONNECTION_FILE)
    return connection


def read_connection(folder: Path) -> Connection:
    path = folder / CONNECTION_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        connection = Connection(str(data["dsn"]), str(data["schema"]))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IndexDamagedError(
            f"the postgres index's {path} cannot be read ({error}); rebuild the index with "
            "corpsearch index --rebuild --engine postgres --dsn DSN PATH"
        ) from error
    if not connection.schema.replace("_", "").isalnum():
        raise IndexDamagedError(f"{path} names the schema {connection.schema!r}, not one of ours")
    return connection


def stored_dsn(index_folder: Path) -> str | None:
    """The DSN of the postgres index in ``index_folder`` (a generation folder), if it is one."""
    try:
        return read_connection(index_folder / ENGINE_FOLDER).dsn
    except IndexDamagedError:
        return None
