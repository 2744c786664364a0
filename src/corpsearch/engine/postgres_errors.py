"""The postgres engine's errors: psycopg's raised as corpsearch errors that say what to do.

Kept apart from the engine so its writer (postgres_writer) raises them the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import psycopg
from psycopg.conninfo import conninfo_to_dict

from ..errors import DatabaseError, IndexDamagedError
from . import postgres_cluster
from .base import translating

__all__ = ["first_line", "guarded", "where"]

P = ParamSpec("P")
R = TypeVar("R")


def where(dsn: str) -> str:
    """The server a DSN names, for messages (never its password)."""
    try:
        parts = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "the server of its DSN"
    host = parts.get("host") or "the local socket"
    return f"{host}:{parts.get('port') or 5432}/{parts.get('dbname') or ''}"


def first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else repr(error)


def guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Raise psycopg's errors as corpsearch errors that say what to do."""

    def translate(error: BaseException, self: Any) -> None:
        shard = postgres_cluster.shard_named(error, getattr(self, "_shards", None) or [])
        if shard is not None and isinstance(error, psycopg.OperationalError):
            raise DatabaseError(
                f"shard {shard.number} of this index's cluster ({shard.hosts}) cannot be "
                f"reached: {first_line(error)}; start it (corpsearch cluster start DIR), or "
                "query with --partial to answer from the other shards"
            ) from error
        if isinstance(error, psycopg.OperationalError):
            raise DatabaseError(
                f"the PostgreSQL server of this index ({where(self._connection.dsn)}) cannot "
                f"be used: {str(error).strip().splitlines()[0] if str(error) else error!r}; "
                "start it, or check the DSN in corpsearch.toml or --dsn"
            ) from error
        if isinstance(error, psycopg.errors.ReadOnlySqlTransaction):
            raise DatabaseError(
                "a shard of this index's cluster is answering from a replica, which is "
                f"read-only ({first_line(error)}): its primary is down; start it (corpsearch "
                "cluster start DIR) or promote the replica, then run the job again"
            ) from error
        if isinstance(error, psycopg.errors.UndefinedTable):
            raise IndexDamagedError(
                f"the tables of this index (schema {self._connection.schema}) are gone from "
                f"{where(self._connection.dsn)}; rebuild it: corpsearch index --rebuild PATH"
            ) from error
        if isinstance(error, psycopg.Error):
            raise DatabaseError(
                f"PostgreSQL refused a request of the postgres engine ({error.sqlstate}: "
                f"{str(error).strip().splitlines()[0]}); check the server's log"
            ) from error

    return translating(translate)(method)
