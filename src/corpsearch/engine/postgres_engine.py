"""The postgres engine. With postgres_reads (its connections), postgres_writer (writes),
postgres_errors (psycopg's errors as corpsearch's) and postgres_cluster (shards), the only
modules that import psycopg.

The index folder keeps the manifest, the run log and ``connection.json`` (see postgres_conn);
the documents live in one PostgreSQL schema per index: a ``docs`` table with one row per article
and comment and a ``tsvector`` per text field, built from corpsearch's own words (so the same
words match as on the other engines), and a ``vocab`` table of the words of each field, for
prefix limits and fuzzy terms. The query tree is compiled by postgres_sql; ranking is
``ts_rank_cd`` (docs/engines.md says how its order differs from BM25). On a coordinator with
shards, ``docs`` is partitioned over them (postgres_cluster, docs/scaling.md); totals, pages,
counts and groups are then asked of each shard's partition as aggregates it computes whole
(postgres_pushdown, postgres_counts), and reads cut off by a stopped server are retried
(postgres_reads).
Rows become hits and documents in postgres_rows.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from ..documents import IndexDocument
from ..errors import IndexDamagedError, QueryError
from ..query import ast
from . import postgres_cluster, postgres_counts, postgres_pushdown
from .base import (
    ArticleTally,
    DocValues,
    Engine,
    Hit,
    SearchPage,
    SearchRequest,
    Sort,
    ValueCounts,
)
from .compiler import STEM_FIELDS
from .ordering import constant_score
from .postgres_conn import Connection, new_connection, read_connection
from .postgres_errors import guarded, where
from .postgres_reads import Connections
from .postgres_rows import document_of, hit_of, values_of
from .postgres_sql import (
    HIT_COLUMNS,
    SCHEMA,
    STORED,
    VALUES,
    Compiled,
    Compiler,
)
from .postgres_writer import PostgresWriter

__all__ = ["PostgresEngine"]

TEXT = ast.TEXT_FIELDS
# The fields whose words the vocabulary table lists, for prefix and fuzzy words.
_VOCABULARY = frozenset((*TEXT, *STEM_FIELDS, "author_words", "site_keys"))


class PostgresEngine(Connections, Engine):
    name = "postgres"

    def __init__(self, connection: Connection) -> None:
        Connections.__init__(self, connection)

    @classmethod
    def create(cls, folder: Path) -> PostgresEngine:
        return cls.create_on(folder, None)

    @classmethod
    def create_on(cls, folder: Path, dsn: str | None) -> PostgresEngine:
        engine = cls(new_connection(folder, dsn))
        engine._create_schema()
        return engine

    @classmethod
    def open(cls, folder: Path) -> PostgresEngine:
        engine = cls(read_connection(folder))
        engine._check_schema()
        return engine

    @guarded
    def _create_schema(self) -> None:
        with self._connect() as conn, conn.transaction():
            with contextlib.suppress(psycopg.Error), conn.transaction():
                # levenshtein() for fuzzy words; a trusted extension since PG 13
                conn.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch SCHEMA public")
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self._schema)))
            conn.execute(self._search_path())
            if not postgres_cluster.create_on_shards(conn, self._schema, _connect_shard):
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement.encode())

    @guarded
    def _check_schema(self) -> None:
        found = self._fetch("SELECT to_regclass('docs')")
        if not found or found[0][0] is None:
            raise IndexDamagedError(
                f"the tables of this index (schema {self._schema}) are gone from "
                f"{where(self._connection.dsn)}; rebuild it: corpsearch index --rebuild PATH"
            )

    # -- writing -----------------------------------------------------------------------------

    @guarded
    def writer(self) -> PostgresWriter:
        self._read()
        if self._shards and any(s.axes is None for s in self._shards):
            self.add_count_axes()
        return PostgresWriter(self)

    @guarded
    def add_count_axes(self) -> None:
        """Give an index on shards made before ``count_axes`` its tables (postgres_cluster)."""
        with self._connect() as conn, conn.transaction():
            conn.execute(self._search_path())
            postgres_cluster.add_count_axes(conn, self._schema, self._shards or [], _connect_shard)
            self._shards = postgres_cluster.read_partitions(conn)

    # -- reading -----------------------------------------------------------------------------

    @guarded
    def count(self) -> dict[str, int]:
        counts = {"article": 0, "comment": 0}
        # by counts(), so that on shards each shard counts its own
        for kind, number in self.counts(ast.MatchAll(), ("kind",)).values["kind"].items():
            if kind is not None:
                counts[kind] = number
        return counts

    @guarded
    def documents(self) -> Iterator[IndexDocument]:
        yield from self._stream(f"SELECT {', '.join(STORED)} FROM docs", [], document_of)

    @guarded
    def stored(self, query: ast.Node) -> Iterator[IndexDocument]:
        compiled = self._compile(query)
        statement = f"SELECT {', '.join(STORED)} FROM docs WHERE {compiled.where}"
        yield from self._stream(statement, compiled.params, document_of)

    @guarded
    def counts(
        self,
        query: ast.Node,
        fields: Sequence[str] = (),
        period: str | None = None,
        tz: tzinfo = UTC,
    ) -> ValueCounts:
        """Counted by the server in one ``GROUP BY GROUPING SETS`` scan, on shards by one
        aggregate per shard (postgres_counts); a zone the server does not know is counted from
        the matches' values instead."""
        zone = postgres_counts.zone_parameter(tz) if period is not None else None
        live = self._parts()
        # each live shard's table of axes, to count every field at once (none: an older index)
        shards = [s for s in self._shards or [] if s not in self._missing]
        axes = [s.axes for s in shards if s.axes] if live else []
        joined = axes if axes and len(axes) == len(shards) else None
        # on shards the periods' first seconds are sent (postgres_counts): any zone will do
        thresholds = self._thresholds(live, period, tz) if live and period else None
        if period is not None and zone is None and thresholds is None:
            return super().counts(query, fields, period, tz)
        compiled = self._compile(query)

        def count(limits: postgres_counts.Thresholds | None) -> ValueCounts:
            statement, params = postgres_counts.counts_sql(
                live or ["docs"], compiled.where, compiled.params, fields, period, zone,
                bool(live), limits, joined,
            )  # fmt: skip
            return postgres_counts.read_counts(
                self._fetch(statement, params), fields, period, limits
            )

        try:
            try:
                return count(thresholds)
            except ValueError:  # a date written since the thresholds, beyond them
                if zone is None:
                    return super().counts(query, fields, period, tz)
                return count(None)
        except psycopg.errors.InvalidParameterValue:  # "time zone ... not recognized"
            return super().counts(query, fields, period, tz)

    def _thresholds(
        self, parts: Sequence[str], period: str, tz: tzinfo
    ) -> postgres_counts.Thresholds | None:
        """The local periods from the first to the last date on the shards (each shard's
        ``min``/``max`` of its date index)."""
        each = " UNION ALL ".join(
            f"SELECT min(date_s) AS first, max(date_s) AS last FROM {part}" for part in parts
        )
        rows = self._fetch(f"SELECT min(first), max(last) FROM ({each}) AS shards")
        first, last = rows[0] if rows and rows[0][0] is not None else (0, 0)
        return postgres_counts.period_thresholds(period, tz, int(first), int(last))

    @guarded
    def ids_with_prefix(self, prefix: str, limit: int = 10) -> list[str]:
        if not re.fullmatch(r"[0-9a-f]+", prefix):
            return []
        rows = self._fetch(
            "SELECT DISTINCT id FROM docs WHERE id LIKE %s ORDER BY id LIMIT %s",
            [prefix + "%", limit],
        )
        return [row[0] for row in rows]

    @guarded
    def search(self, request: SearchRequest) -> SearchPage:
        compiled = self._compile(request.query)
        parts = self._parts()
        if parts and request.limit > 0:
            return self._search_shards(compiled, request, parts)
        total = self._total(compiled)
        if request.limit <= 0 or total <= request.offset:
            return SearchPage(total=total)
        statement, params = self._hits_sql(compiled, request.sort, request.query)
        rows = self._fetch(
            statement + " LIMIT %s OFFSET %s", [*params, request.limit, request.offset]
        )
        by_score = request.sort == "relevance"
        return SearchPage(total=total, hits=[hit_of(row, compiled, by_score) for row in rows])

    def _search_shards(
        self, compiled: Compiled, request: SearchRequest, parts: list[str]
    ) -> SearchPage:
        """A page on shards: each shard's count and first ids in the page's order, then the
        rows of those ids, in one transaction (one snapshot of every shard; postgres_pushdown
        says why), on a connection of its own (the web app reads from several threads)."""
        order, score, score_params = _order(compiled, request.sort, request.query)
        first = request.offset + request.limit
        ids_sql, ids_params = postgres_pushdown.top_ids_sql(
            parts, compiled.where, compiled.params, order, score, score_params, first
        )
        rows_sql, rows_params = postgres_pushdown.rows_sql(
            [*HIT_COLUMNS, *TEXT], order, score, score_params
        )

        def read(conn: psycopg.Connection[Any]) -> tuple[int, list[Any]]:
            with conn.transaction():
                found = conn.execute(ids_sql.encode(), ids_params).fetchall()
                total = sum(int(count) for count, _ in found)
                ids = [id_ for _, chosen in found for id_ in chosen or ()]
                if total <= request.offset or not ids:
                    return total, []
                values = [*rows_params, ids, request.limit, request.offset]
                return total, conn.execute(rows_sql.encode(), values).fetchall()

        total, rows = self._alone(read)
        by_score = request.sort == "relevance"
        return SearchPage(total=total, hits=[hit_of(row, compiled, by_score) for row in rows])

    @guarded
    def iter_hits(self, query: ast.Node, sort: Sort = "relevance") -> Iterator[Hit]:
        compiled = self._compile(query)
        statement, params = self._hits_sql(compiled, sort, query)
        by_score = sort == "relevance"
        yield from self._stream(statement, params, lambda row: hit_of(row, compiled, by_score))

    @guarded
    def ranked(self, query: ast.Node, sort: Sort = "relevance") -> Iterator[DocValues]:
        compiled = self._compile(query)
        statement, params = self._hits_sql(compiled, sort, query, columns=VALUES)
        yield from self._stream(statement, params, values_of)

    @guarded
    def scan(self, query: ast.Node) -> Iterator[DocValues]:
        compiled = self._compile(query)
        statement = f"SELECT {', '.join(VALUES)} FROM docs WHERE {compiled.where}"
        yield from self._stream(statement, compiled.params, values_of)

    def _parts(self) -> list[str]:
        """The foreign tables of the shards that answer (none on a single server)."""
        self._read()
        return [s.partition for s in self._shards or [] if s not in self._missing]

    def _total(self, compiled: Compiled) -> int:
        """How many documents match: on shards one ``count(*)`` per shard's table, which
        postgres_fdw sends whole to the shard (over the partitioned table it would fetch a
        row per match and count them here)."""
        parts = self._parts()
        if not parts:
            rows = self._fetch(f"SELECT count(*) FROM docs WHERE {compiled.where}", compiled.params)
        else:
            each = " UNION ALL ".join(
                f"SELECT count(*) AS n FROM {part} WHERE {compiled.where}" for part in parts
            )
            rows = self._fetch(
                f"SELECT sum(n)::bigint FROM ({each}) AS shards", compiled.params * len(parts)
            )
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    def _hits_sql(
        self,
        compiled: Compiled,
        sort: Sort,
        query: ast.Node,
        columns: list[str] | None = None,
    ) -> tuple[str, list[object]]:
        wanted = columns or [*HIT_COLUMNS, *TEXT]
        order, score, score_params = _order(compiled, sort, query)
        statement = (
            f"SELECT {', '.join(wanted)}, ({score})::float8 AS score FROM docs "
            f"WHERE {compiled.where} ORDER BY {order}"
        )
        return statement, [*score_params, *compiled.params]

    @guarded
    def article_tallies(
        self, query: ast.Node, sort: Sort, offset: int, limit: int
    ) -> tuple[int, list[ArticleTally]]:
        """One ``GROUP BY article_id`` over the matches numbered in ``sort`` order: each
        article's place is its best-placed hit's (the plain version's order, exactly)."""
        compiled = self._compile(query)
        order, score, score_params = _order(compiled, sort, query)
        parts = self._parts()
        if parts:  # on shards each shard groups its own articles (postgres_pushdown)
            statement, params = postgres_pushdown.tallies_sql(
                parts, compiled.where, compiled.params, order, score, score_params
            )
            counted, counted_params = postgres_pushdown.count_articles_sql(
                parts, compiled.where, compiled.params
            )
            return self._tallies(statement, params, counted, counted_params, offset, limit)
        statement = (
            "SELECT article_id, bool_or(kind = 'article'), count(*) FILTER "
            "(WHERE kind = 'comment'), count(*) OVER () FROM (SELECT article_id, kind, "
            f"row_number() OVER (ORDER BY {order}) AS place FROM (SELECT id, kind, "
            f"article_id, date_s, ({score})::float8 AS score FROM docs "
            f"WHERE {compiled.where}) AS matches) AS placed "
            "GROUP BY article_id ORDER BY min(place)"
        )
        counted = f"SELECT count(DISTINCT article_id) FROM docs WHERE {compiled.where}"
        params = [*score_params, *compiled.params]
        return self._tallies(statement, params, counted, compiled.params, offset, limit)

    def _tallies(
        self,
        statement: str,
        params: list[object],
        counted: str,
        counted_params: list[object],
        offset: int,
        limit: int,
    ) -> tuple[int, list[ArticleTally]]:
        """The page of ``statement``'s groups, and their number (by ``counted`` when the page
        is past the last)."""
        rows = self._fetch(statement + " LIMIT %s OFFSET %s", [*params, max(limit, 0), offset])
        if rows:
            total = int(rows[0][3])
        else:
            found = self._fetch(counted, counted_params)
            total = int(found[0][0]) if found and found[0][0] is not None else 0
        return total, [ArticleTally(row[0], bool(row[1]), int(row[2])) for row in rows]

    def _compile(self, query: ast.Node) -> Compiled:
        return Compiler(self._lookup, self._languages).sql(query)

    def _languages(self) -> list[str]:
        """The languages of the index's documents, which the writer lists in the vocabulary."""
        return [row[0] for row in self._fetch("SELECT word FROM vocab WHERE field = 'lang'")]

    def _lookup(self, field: str, kind: str, text: str, distance: int, limit: int) -> list[str]:
        """The words (or whole values) of ``field`` a prefix or fuzzy term stands for."""
        like = _like(text[:1] if kind == "fuzzy" else text) + "%"
        params: list[object]
        if field in _VOCABULARY:
            source, column, params = "vocab WHERE field = %s AND", "word", [field]
        else:
            column = {"author": "author_key", "site": "site_key", "lang": "lang_key"}.get(
                field, field
            )
            source, params = "docs WHERE", []
        statement = f"SELECT DISTINCT {column} FROM {source} {column} LIKE %s"
        params = [*params, like]
        if kind == "fuzzy":
            if len(text) > 255:
                return []  # beyond levenshtein(); no word of that length is worth a typo
            statement += (
                f" AND length({column}) BETWEEN %s AND %s AND length({column}) <= 255"
                f" AND levenshtein(substr({column}, 2), %s) <= %s"
            )
            params += [len(text) - distance, len(text) + distance, text[1:], distance]
        try:
            rows = self._fetch(statement + " LIMIT %s", [*params, limit])
        except psycopg.errors.UndefinedFunction as error:
            raise QueryError(
                "fuzzy words on the postgres engine need the fuzzystrmatch extension, which "
                "this database lacks",
                query="",
                position=0,
                hint="install postgresql-contrib and run CREATE EXTENSION fuzzystrmatch",
            ) from error
        return [row[0] for row in rows]


def _connect_shard(dsn: str) -> psycopg.Connection[Any]:
    return psycopg.connect(dsn, autocommit=True, connect_timeout=10)


def _order(compiled: Compiled, sort: Sort, query: ast.Node) -> tuple[str, str, list[object]]:
    """The ``ORDER BY`` of hits in ``sort`` order, and the score expression with its values."""
    if sort == "relevance" and not constant_score(query):
        return "score DESC, date_s DESC NULLS LAST, id", compiled.rank, compiled.rank_params
    order = {
        "relevance": "date_s DESC NULLS LAST, id",
        "date": "date_s ASC NULLS LAST, id",
        "-date": "date_s DESC NULLS LAST, id",
    }[sort]
    return order, "0", []


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
