"""The postgres engine's connections to its server (postgres_engine, the engine, reads through
them): one for short reads, in autocommit; spare ones for streams and for reads of several
statements in one transaction (a server-side cursor in a transaction of its own, or a page's
statements on one snapshot), kept for the next read since a new session costs a fork on the
server and, on shards, one more on every shard. On shards a read cut off by a server that
stopped is asked again (postgres_fdw then connects afresh, to the shard's replica if need be),
and with ``partial`` the shards that do not answer are left out of every query of a session.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import psycopg
from psycopg import sql
from psycopg.pq import TransactionStatus

from . import postgres_cluster
from .postgres_conn import Connection

__all__ = ["Connections"]

# Rows fetched per round trip by a streaming cursor.
FETCH_ROWS = 1000
# On shards: tries of a read cut off by a shard server that stopped, a pause apart (seconds).
READ_ATTEMPTS = 3
RETRY_PAUSE = 0.3

IDLE = TransactionStatus.IDLE

R = TypeVar("R")


class Connections:
    """The connections of one engine (see the module docstring)."""

    partial: bool = False  # set by the engine's user (Engine.partial)

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._conn: psycopg.Connection[Any] | None = None
        self._shards: list[postgres_cluster.Shard] | None = None  # read with the connection
        self._missing: list[postgres_cluster.Shard] = []
        self._probed = False  # with --partial: which shards answer, asked once
        self._viewed = False  # the connection's view of the live shards is made
        # Connections of finished streams, kept for the next: a new session costs a fork on
        # the server, and on shards one more on every shard for postgres_fdw's connections.
        self._spare: list[psycopg.Connection[Any]] = []
        self._closed = False

    @property
    def _schema(self) -> str:
        return self._connection.schema

    def _search_path(self) -> sql.Composed:
        return sql.SQL("SET search_path TO {}, public").format(sql.Identifier(self._schema))

    def _connect(self, autocommit: bool = True) -> psycopg.Connection[Any]:
        conn = psycopg.connect(self._connection.dsn, autocommit=autocommit, connect_timeout=10)
        return conn

    def _read(self) -> psycopg.Connection[Any]:
        """The engine's connection for short reads (autocommit: each statement its snapshot)."""
        if self._conn is None or self._conn.closed:
            conn = self._connect()
            conn.execute(self._search_path())
            if self._shards is None:
                self._shards = postgres_cluster.read_partitions(conn)
            self._conn, self._viewed = conn, False
        if self.partial and self._shards and not self._probed:
            self._missing = postgres_cluster.unreachable(self._conn, self._shards)
            self._probed = True
        if self._missing and not self._viewed:
            self._session(self._conn)
            self._viewed = True
        return self._conn

    def _session(self, conn: psycopg.Connection[Any]) -> None:
        """With --partial and shards down: ``docs`` is a view of the live shards' tables."""
        if self._missing and self._shards:
            postgres_cluster.live_view(conn, self._schema, self._shards, self._missing)

    def _fetch(self, statement: str, params: Sequence[object] = ()) -> list[Any]:
        """The rows of one read (retried as :meth:`_reading` says)."""
        return self._reading(lambda conn: conn.execute(statement.encode(), list(params)).fetchall())

    def _reading(self, read: Callable[[psycopg.Connection[Any]], R]) -> R:
        """``read`` on the engine's connection. On shards a read cut off by a server that
        stopped is asked once more: postgres_fdw then connects afresh, to the shard's replica
        if need be."""
        for attempt in range(READ_ATTEMPTS):
            try:
                return read(self._read())
            except psycopg.OperationalError as error:
                self._settle()
                if not self._shards or attempt + 1 == READ_ATTEMPTS:
                    raise
                if postgres_cluster.shard_named(error, self._shards):
                    raise  # every host of a shard refused: asking again will not help
                time.sleep(RETRY_PAUSE)
        raise AssertionError("unreachable")

    def _settle(self) -> None:
        """After a failed read: forget a closed connection, and end a transaction a server
        left failed (a shard lost in the middle of one), so the next read starts clean."""
        conn = self._conn
        if conn is None:
            return
        if conn.closed:
            self._conn = None
        elif conn.info.transaction_status != IDLE:
            try:
                conn.rollback()
            except psycopg.Error:
                conn.close()
                self._conn = None

    def missing_shards(self) -> list[str]:
        return [f"shard {s.number} ({s.hosts})" for s in self._missing]

    def close(self) -> None:
        self._closed = True
        while self._spare:
            self._spare.pop().close()
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _stream(
        self, statement: str, params: list[object], make: Callable[[Any], R]
    ) -> Iterator[R]:
        """Rows of one snapshot through a server-side cursor in a transaction of its own, a
        page of rows in memory (on shards, a stream cut off before its first row is started
        again, as :meth:`_fetch`)."""
        self._read()  # the shards and, with --partial, the live ones
        for attempt in range(READ_ATTEMPTS):
            given = reusable = False
            conn = self._stream_connection()
            try:
                with conn.transaction(), conn.cursor(name="corpsearch_stream") as cursor:
                    cursor.itersize = FETCH_ROWS
                    cursor.execute(statement.encode(), params)
                    for row in cursor:
                        given = True
                        yield make(row)
                reusable = True
                return
            except GeneratorExit:  # the reader stopped early: the transaction is rolled back
                reusable = True
                raise
            except psycopg.OperationalError as error:
                shards = self._shards or []
                if given or not shards or attempt + 1 == READ_ATTEMPTS:
                    raise
                if postgres_cluster.shard_named(error, shards):
                    raise
                time.sleep(RETRY_PAUSE)
            finally:
                self._give_back(conn, reusable)

    def _give_back(self, conn: psycopg.Connection[Any], reusable: bool = True) -> None:
        if reusable and not self._closed and conn.info.transaction_status == IDLE:
            self._spare.append(conn)
        else:
            conn.close()

    def _alone(self, read: Callable[[psycopg.Connection[Any]], R]) -> R:
        """``read`` on a connection no other thread uses (a spare one), for reads of several
        statements in one transaction; retried as :meth:`_reading`."""
        self._read()  # the shards and, with --partial, the live ones
        for attempt in range(READ_ATTEMPTS):
            conn, reusable = self._stream_connection(), False
            try:
                found = read(conn)
                reusable = True
                return found
            except psycopg.OperationalError as error:
                shards = self._shards or []
                if not shards or attempt + 1 == READ_ATTEMPTS:
                    raise
                if postgres_cluster.shard_named(error, shards):
                    raise
                time.sleep(RETRY_PAUSE)
            finally:
                self._give_back(conn, reusable)
        raise AssertionError("unreachable")

    def _stream_connection(self) -> psycopg.Connection[Any]:
        """A spare connection, or a new one (autocommit, so that its settings and the view of
        the live shards outlast each stream's transaction)."""
        try:
            return self._spare.pop()
        except IndexError:
            pass
        conn = self._connect()
        try:
            conn.execute(self._search_path())
            self._session(conn)
        except BaseException:
            conn.close()
            raise
        return conn
