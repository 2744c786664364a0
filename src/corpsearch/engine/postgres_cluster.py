"""The postgres engine on shards: a coordinator whose ``docs`` table is hash-partitioned by
article id over foreign tables, one per shard (postgres_fdw), each shard a primary with its
streaming replicas behind one multi-host connection string.

The coordinator keeps the shards in ``corpsearch_cluster.shards`` and one postgres_fdw server
per shard (``corpsearch_shard_N``: the shard's hosts in order, primary first,
``target_session_attrs 'any'``, so a shard whose primary is down is read from a replica;
``async_capable``, so the shards are scanned at once). An index created on the coordinator
creates its schema on every shard (a plain ``docs`` table with its indexes) and, on the
coordinator, ``docs`` partitioned by ``HASH (article_id)`` with one foreign partition per shard
and ``vocab`` as a local table. An article and its comments share an article id, so they are
on one shard and written in one shard's transaction.

Where the ``citus`` extension is installed in the coordinator's database, ``docs`` is made a
Citus distributed table on ``article_id`` instead (and ``vocab`` a reference table); that path
is not tested here (docs/scaling.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from .postgres_sql import SCHEMA

__all__ = [
    "Shard",
    "add_count_axes",
    "create_on_shards",
    "has_citus",
    "live_view",
    "read_partitions",
    "register_shards",
    "shard_named",
    "unreachable",
]

CATALOG = "corpsearch_cluster"
SERVER = "corpsearch_shard_{}"
PARTITION = "docs_shard{}"
# Each shard's table of the numbers 0..AXES-1, and the coordinator's foreign table of it: a
# join with it counts every field of the matches in one aggregate the shard computes whole
# (postgres_counts); indexes made before it have none and count one field at a time.
AXES_TABLE = "count_axes"
AXES_PARTITION = "axes_shard{}"
AXES = 8
# Seconds a coordinator tries one host of a shard before the next.
CONNECT_TIMEOUT = 3
_SERVER_IN_ERROR = re.compile(r'server "(corpsearch_shard_\d+)"')


@dataclass(frozen=True, slots=True)
class Shard:
    number: int
    partition: str  # the coordinator's foreign table of it
    server: str  # its postgres_fdw server
    hosts: str  # "127.0.0.1:5433,127.0.0.1:5434", primary first
    axes: str | None = None  # the coordinator's foreign table of its count_axes, if any

    def dsn(self, user: str, dbname: str) -> str:
        """A libpq DSN of the shard's primary (for creating an index's tables on it)."""
        return (
            f"postgresql://{user}@{self.hosts}/{dbname}?target_session_attrs=read-write"
            f"&connect_timeout={CONNECT_TIMEOUT}"
        )


def register_shards(
    dsn: str, shards: Sequence[Sequence[tuple[str, int]]], *, user: str = "corpsearch"
) -> None:
    """Make the coordinator at ``dsn`` know the shards (each its hosts, primary first)."""
    with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as conn, conn.transaction():
        dbname = conn.info.dbname
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgres_fdw")
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(CATALOG)))
        conn.execute(
            sql.SQL(
                "CREATE TABLE {}.shards (shard integer PRIMARY KEY, server text NOT NULL)"
            ).format(sql.Identifier(CATALOG))
        )
        for number, hosts in enumerate(shards):
            server = SERVER.format(number)
            options = {
                "host": ",".join(h for h, _ in hosts),
                "port": ",".join(str(p) for _, p in hosts),
                "dbname": dbname,
                "target_session_attrs": "any",
                "connect_timeout": str(CONNECT_TIMEOUT),
                "async_capable": "true",
                "fetch_size": "1000",
                "batch_size": "100",
                # no use_remote_estimate: with the shards' estimates of a small table the
                # planner counted fetched rows on the coordinator instead of sending the
                # aggregates (docs/scaling.md, "What the plans show")
            }
            listed = sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(k), sql.Literal(v))
                for k, v in options.items()
            )
            conn.execute(
                sql.SQL("CREATE SERVER {} FOREIGN DATA WRAPPER postgres_fdw OPTIONS ({})").format(
                    sql.Identifier(server), listed
                )
            )
            conn.execute(
                sql.SQL("CREATE USER MAPPING FOR PUBLIC SERVER {} OPTIONS (user {})").format(
                    sql.Identifier(server), sql.Literal(user)
                )
            )
            conn.execute(
                sql.SQL("INSERT INTO {}.shards VALUES (%s, %s)").format(sql.Identifier(CATALOG)),
                [number, server],
            )


def _shards(conn: psycopg.Connection[Any]) -> list[Shard]:
    found = conn.execute("SELECT to_regclass(%s)", [f"{CATALOG}.shards"]).fetchone()
    if found is None or found[0] is None:
        return []
    rows = conn.execute(
        sql.SQL(
            "SELECT c.shard, c.server, s.srvoptions FROM {}.shards c "
            "JOIN pg_foreign_server s ON s.srvname = c.server ORDER BY c.shard"
        ).format(sql.Identifier(CATALOG))
    ).fetchall()
    return [Shard(n, PARTITION.format(n), server, _hosts(options)) for n, server, options in rows]


def _hosts(options: Sequence[str] | None) -> str:
    values = dict(o.split("=", 1) for o in options or [])
    hosts = values.get("host", "").split(",")
    ports = values.get("port", "").split(",")
    return ",".join(f"{h}:{p}" for h, p in zip(hosts, ports, strict=False))


def has_citus(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute("SELECT count(*) FROM pg_extension WHERE extname = 'citus'").fetchone()
    return bool(row and row[0])


def create_on_shards(
    conn: psycopg.Connection[Any],
    schema: str,
    connect: Callable[[str], psycopg.Connection[Any]],
) -> bool:
    """The index's tables when the coordinator ``conn`` (in a transaction, ``search_path`` on
    the new ``schema``) has shards or Citus; ``False`` when it is a single server."""
    statements = [s.strip() for s in SCHEMA.split(";") if s.strip()]
    if has_citus(conn):
        for statement in statements:
            conn.execute(statement.encode())
        conn.execute("SELECT create_distributed_table('docs', 'article_id')")
        conn.execute("SELECT create_reference_table('vocab')")
        return True
    shards = _shards(conn)
    if not shards:
        return False
    docs = [s for s in statements if s.startswith("CREATE TABLE docs")]
    for shard in shards:
        user, dbname = conn.info.user, conn.info.dbname
        with connect(shard.dsn(user, dbname)) as remote, remote.transaction():
            remote.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
            remote.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
            for statement in statements:
                if not statement.startswith("CREATE TABLE vocab"):
                    remote.execute(statement.encode())
    # vocab stays on the coordinator: prefix and fuzzy words are looked up before the query
    conn.execute(next(s for s in statements if s.startswith("CREATE TABLE vocab")).encode())
    conn.execute((docs[0] + " PARTITION BY HASH (article_id)").encode())
    for shard in shards:
        conn.execute(
            sql.SQL(
                "CREATE FOREIGN TABLE {} PARTITION OF docs FOR VALUES WITH (MODULUS {}, "
                "REMAINDER {}) SERVER {} OPTIONS (schema_name {}, table_name 'docs')"
            ).format(
                sql.Identifier(shard.partition),
                sql.Literal(len(shards)),
                sql.Literal(shard.number),
                sql.Identifier(shard.server),
                sql.Literal(schema),
            )
        )
    add_count_axes(conn, schema, shards, connect)
    return True


def add_count_axes(
    conn: psycopg.Connection[Any],
    schema: str,
    shards: Sequence[Shard],
    connect: Callable[[str], psycopg.Connection[Any]],
) -> None:
    """Each shard's ``count_axes`` and the coordinator's foreign table of it, where missing
    (an index made before them gets them at its next write); ``conn`` as for
    :func:`create_on_shards`."""
    user, dbname = conn.info.user, conn.info.dbname
    for shard in shards:
        with connect(shard.dsn(user, dbname)) as remote, remote.transaction():
            remote.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
            remote.execute(
                f"CREATE TABLE IF NOT EXISTS {AXES_TABLE} (axis integer PRIMARY KEY)".encode()
            )
            remote.execute(
                f"INSERT INTO {AXES_TABLE} SELECT generate_series(0, {AXES - 1}) "
                "ON CONFLICT DO NOTHING".encode()
            )
            # its true size, so the shard's planner scans the matches once, not once per axis
            remote.execute(f"ANALYZE {AXES_TABLE}".encode())
        conn.execute(
            sql.SQL(
                "CREATE FOREIGN TABLE IF NOT EXISTS {} (axis integer) SERVER {} "
                "OPTIONS (schema_name {}, table_name {})"
            ).format(
                sql.Identifier(AXES_PARTITION.format(shard.number)),
                sql.Identifier(shard.server),
                sql.Literal(schema),
                sql.Literal(AXES_TABLE),
            )
        )


def read_partitions(conn: psycopg.Connection[Any]) -> list[Shard]:
    """The shards of the index in ``conn``'s ``search_path`` (none on a single server)."""
    rows = conn.execute(
        "SELECT c.relname, s.srvname, s.srvoptions FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_foreign_table f ON f.ftrelid = c.oid "
        "JOIN pg_foreign_server s ON s.oid = f.ftserver "
        "WHERE i.inhparent = to_regclass('docs') ORDER BY c.relname"
    ).fetchall()
    shards = []
    for partition, server, options in rows:
        number = int(partition.removeprefix("docs_shard"))
        axes = AXES_PARTITION.format(number)
        found = conn.execute("SELECT to_regclass(%s)", [axes]).fetchone()
        has_axes = found is not None and found[0] is not None
        shards.append(Shard(number, partition, server, _hosts(options), axes if has_axes else None))
    return sorted(shards, key=lambda s: s.number)


def unreachable(conn: psycopg.Connection[Any], shards: Sequence[Shard]) -> list[Shard]:
    """The shards of which no host answers (``conn`` in autocommit: a failed probe ends
    nothing but itself)."""
    missing = []
    for shard in shards:
        probe = sql.SQL("SELECT 1 FROM {} LIMIT 1").format(sql.Identifier(shard.partition))
        try:
            conn.execute(probe).fetchall()
        except psycopg.OperationalError as error:
            if shard_named(error, [shard]) is None:
                raise
            missing.append(shard)
    return missing


def live_view(
    conn: psycopg.Connection[Any], schema: str, shards: Sequence[Shard], missing: Sequence[Shard]
) -> None:
    """A temporary view ``docs`` (the session's temporary schema is searched first) of the
    live shards' tables, so every query of the session reads only those."""
    live = [s for s in shards if s not in missing]
    if not live:
        names = ", ".join(f"shard {s.number} ({s.hosts})" for s in missing)
        raise psycopg.OperationalError(
            f'no shard of this index answers: could not connect to server "{missing[0].server}"'
            f" ({names})"
        )
    parts = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT * FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(s.partition))
        for s in live
    )
    conn.execute(sql.SQL("CREATE TEMPORARY VIEW docs AS {}").format(parts))


def shard_named(error: BaseException, shards: Sequence[Shard]) -> Shard | None:
    """The shard a postgres_fdw error is about ('could not connect to server "…"')."""
    found = _SERVER_IN_ERROR.search(str(error))
    if found is None:
        return None
    return next((s for s in shards if s.server == found.group(1)), None)
