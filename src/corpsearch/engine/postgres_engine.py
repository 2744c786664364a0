"""The postgres engine: the only module that imports psycopg.

The index folder keeps the manifest, the run log and ``connection.json`` (see postgres_conn);
the documents live in one PostgreSQL schema per index: a ``docs`` table with one row per article
and comment and a ``tsvector`` per text field, built from corpsearch's own words (so the same
words match as on the other engines), and a ``vocab`` table of the words of each field, for
prefix limits and fuzzy terms. The query tree is compiled by postgres_sql; ranking is
``ts_rank_cd`` (docs/engines.md says how its order differs from BM25).
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from ..documents import IndexDocument, stored_document
from ..errors import DatabaseError, IndexDamagedError, IndexLockedError, QueryError
from ..query import ast
from . import postgres_counts
from .base import (
    ArticleTally,
    DocValues,
    Engine,
    EngineWriter,
    Hit,
    SearchPage,
    SearchRequest,
    Sort,
    ValueCounts,
    translating,
)
from .ordering import constant_score, seconds
from .postgres_conn import Connection, new_connection, read_connection
from .postgres_sql import (
    COLUMNS,
    HIT_COLUMNS,
    SCHEMA,
    STORED,
    VALUES,
    Compiled,
    Compiler,
    keyword_value,
    snippet,
    tsvector,
)

__all__ = ["PostgresEngine"]

# Rows sent per COPY, and fetched per round trip by a streaming cursor.
COPY_ROWS = 1000
FETCH_ROWS = 1000
# Seconds a new writer waits for the lock of a writer that may have just died.
LOCK_GRACE = 2.0
TEXT = ast.TEXT_FIELDS

_UTF8 = ("utf-8", "surrogateescape")

R = TypeVar("R")


def _where(dsn: str) -> str:
    """The server a DSN names, for messages (never its password)."""
    try:
        parts = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "the server of its DSN"
    host = parts.get("host") or "the local socket"
    return f"{host}:{parts.get('port') or 5432}/{parts.get('dbname') or ''}"


def _translate(error: BaseException, engine: Any) -> None:
    """Raise psycopg's errors as corpsearch errors that say what to do."""
    connection = engine._connection
    if isinstance(error, psycopg.OperationalError):
        raise DatabaseError(
            f"the PostgreSQL server of this index ({_where(connection.dsn)}) cannot "
            f"be used: {str(error).strip().splitlines()[0] if str(error) else error!r}; "
            "start it, or check the DSN in corpsearch.toml or --dsn"
        ) from error
    if isinstance(error, psycopg.errors.UndefinedTable):
        raise IndexDamagedError(
            f"the tables of this index (schema {connection.schema}) are gone from "
            f"{_where(connection.dsn)}; rebuild it: corpsearch index --rebuild PATH"
        ) from error
    if isinstance(error, psycopg.Error):
        raise DatabaseError(
            f"PostgreSQL refused a request of the postgres engine ({error.sqlstate}: "
            f"{str(error).strip().splitlines()[0]}); check the server's log"
        ) from error


_guarded = translating(_translate)


class PostgresEngine(Engine):
    name = "postgres"

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._conn: psycopg.Connection[Any] | None = None

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

    @_guarded
    def _create_schema(self) -> None:
        with self._connect() as conn, conn.transaction():
            with contextlib.suppress(psycopg.Error), conn.transaction():
                # levenshtein() for fuzzy words; a trusted extension since PG 13
                conn.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch SCHEMA public")
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self._schema)))
            conn.execute(self._search_path())
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement.encode())

    @_guarded
    def _check_schema(self) -> None:
        found = self._read().execute("SELECT to_regclass('docs')").fetchone()
        if found is None or found[0] is None:
            raise IndexDamagedError(
                f"the tables of this index (schema {self._schema}) are gone from "
                f"{_where(self._connection.dsn)}; rebuild it: corpsearch index --rebuild PATH"
            )

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
            self._conn = self._connect()
            self._conn.execute(self._search_path())
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- writing -----------------------------------------------------------------------------

    @_guarded
    def writer(self) -> _PostgresWriter:
        return _PostgresWriter(self)

    # -- reading -----------------------------------------------------------------------------

    @_guarded
    def count(self) -> dict[str, int]:
        counts = {"article": 0, "comment": 0}
        for kind, number in self._read().execute("SELECT kind, count(*) FROM docs GROUP BY kind"):
            counts[kind] = number
        return counts

    @_guarded
    def documents(self) -> Iterator[IndexDocument]:
        yield from self._stream(f"SELECT {', '.join(STORED)} FROM docs", [], _document)

    @_guarded
    def stored(self, query: ast.Node) -> Iterator[IndexDocument]:
        compiled = self._compile(query)
        statement = f"SELECT {', '.join(STORED)} FROM docs WHERE {compiled.where}"
        yield from self._stream(statement, compiled.params, _document)

    @_guarded
    def counts(
        self,
        query: ast.Node,
        fields: Sequence[str] = (),
        period: str | None = None,
        tz: tzinfo = UTC,
    ) -> ValueCounts:
        """Counted by the server in one ``GROUP BY GROUPING SETS`` scan (postgres_counts); a
        zone the server does not know is counted from the matches' values instead."""
        zone = postgres_counts.zone_parameter(tz) if period is not None else None
        if period is not None and zone is None:
            return super().counts(query, fields, period, tz)
        compiled = self._compile(query)
        statement, params = postgres_counts.counts_sql(
            ["docs"], compiled.where, compiled.params, fields, period, zone
        )
        try:
            rows = self._read().execute(statement.encode(), params).fetchall()
        except psycopg.errors.InvalidParameterValue:  # "time zone ... not recognized"
            return super().counts(query, fields, period, tz)
        return postgres_counts.read_counts(rows, fields, period)

    @_guarded
    def ids_with_prefix(self, prefix: str, limit: int = 10) -> list[str]:
        if not re.fullmatch(r"[0-9a-f]+", prefix):
            return []
        rows = self._read().execute(
            "SELECT DISTINCT id FROM docs WHERE id LIKE %s ORDER BY id LIMIT %s",
            [prefix + "%", limit],
        )
        return [row[0] for row in rows]

    @_guarded
    def search(self, request: SearchRequest) -> SearchPage:
        compiled = self._compile(request.query)
        conn = self._read()
        total_row = conn.execute(
            f"SELECT count(*) FROM docs WHERE {compiled.where}", compiled.params
        ).fetchone()
        total = int(total_row[0]) if total_row else 0
        if request.limit <= 0 or total <= request.offset:
            return SearchPage(total=total)
        statement, params = self._hits_sql(compiled, request.sort, request.query)
        rows = conn.execute(
            statement + " LIMIT %s OFFSET %s", [*params, request.limit, request.offset]
        )
        by_score = request.sort == "relevance"
        return SearchPage(total=total, hits=[_hit(row, compiled, by_score) for row in rows])

    @_guarded
    def iter_hits(self, query: ast.Node, sort: Sort = "relevance") -> Iterator[Hit]:
        compiled = self._compile(query)
        statement, params = self._hits_sql(compiled, sort, query)
        by_score = sort == "relevance"
        yield from self._stream(statement, params, lambda row: _hit(row, compiled, by_score))

    @_guarded
    def ranked(self, query: ast.Node, sort: Sort = "relevance") -> Iterator[DocValues]:
        compiled = self._compile(query)
        statement, params = self._hits_sql(compiled, sort, query, columns=VALUES)
        yield from self._stream(statement, params, _values)

    @_guarded
    def scan(self, query: ast.Node) -> Iterator[DocValues]:
        compiled = self._compile(query)
        statement = f"SELECT {', '.join(VALUES)} FROM docs WHERE {compiled.where}"
        yield from self._stream(statement, compiled.params, _values)

    def _stream(
        self, statement: str, params: list[object], make: Callable[[Any], R]
    ) -> Iterator[R]:
        """Rows of one snapshot through a server-side cursor, a page of rows in memory."""
        with self._connect(autocommit=False) as conn:
            conn.execute(self._search_path())
            with conn.cursor(name="corpsearch_stream") as cursor:
                cursor.itersize = FETCH_ROWS
                cursor.execute(statement.encode(), params)
                for row in cursor:
                    yield make(row)

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

    @_guarded
    def article_tallies(
        self, query: ast.Node, sort: Sort, offset: int, limit: int
    ) -> tuple[int, list[ArticleTally]]:
        """One ``GROUP BY article_id`` over the matches numbered in ``sort`` order: each
        article's place is its best-placed hit's (the plain version's order, exactly)."""
        compiled = self._compile(query)
        order, score, score_params = _order(compiled, sort, query)
        statement = (
            "SELECT article_id, bool_or(kind = 'article'), count(*) FILTER "
            "(WHERE kind = 'comment'), count(*) OVER () FROM (SELECT article_id, kind, "
            f"row_number() OVER (ORDER BY {order}) AS place FROM (SELECT id, kind, "
            f"article_id, date_s, ({score})::float8 AS score FROM docs "
            f"WHERE {compiled.where}) AS matches) AS placed "
            "GROUP BY article_id ORDER BY min(place) LIMIT %s OFFSET %s"
        )
        params = [*score_params, *compiled.params, max(limit, 0), offset]
        conn = self._read()
        rows = conn.execute(statement.encode(), params).fetchall()
        if rows:
            total = int(rows[0][3])
        else:
            counted = f"SELECT count(DISTINCT article_id) FROM docs WHERE {compiled.where}"
            row = conn.execute(counted.encode(), compiled.params).fetchone()
            total = int(row[0]) if row else 0
        return total, [ArticleTally(row[0], bool(row[1]), int(row[2])) for row in rows]

    def _compile(self, query: ast.Node) -> Compiled:
        return Compiler(self._lookup).sql(query)

    def _lookup(self, field: str, kind: str, text: str, distance: int, limit: int) -> list[str]:
        """The words (or whole values) of ``field`` a prefix or fuzzy term stands for."""
        like = _like(text[:1] if kind == "fuzzy" else text) + "%"
        params: list[object]
        if field in TEXT:
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
            rows = self._read().execute(statement + " LIMIT %s", [*params, limit])
        except psycopg.errors.UndefinedFunction as error:
            raise QueryError(
                "fuzzy words on the postgres engine need the fuzzystrmatch extension, which "
                "this database lacks",
                query="",
                position=0,
                hint="install postgresql-contrib and run CREATE EXTENSION fuzzystrmatch",
            ) from error
        return [row[0] for row in rows]


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


def _source(value: bytes) -> str:
    return bytes(value).decode(*_UTF8)


def _hit(row: Any, compiled: Compiled, by_score: bool) -> Hit:
    (id_, kind, headline, author, published, url, article_id, site, position, count, source) = row[
        :11
    ]
    texts = dict(zip(TEXT, row[11:15], strict=True))
    return Hit(
        id=id_,
        kind=kind,
        score=float(row[15]) if by_score else 0.0,
        headline=headline,
        author=author,
        published=published,
        url=url,
        article_id=article_id,
        snippet=snippet(texts, kind, compiled.marks),
        site=site,
        position=position,
        comment_count=count,
        source=_source(source),
    )


def _values(row: Any) -> DocValues:
    date = row[5].astimezone(UTC) if row[5] is not None else None
    return DocValues(
        id=row[0], kind=row[1], article_id=row[2], author=row[3], site=row[4], date=date
    )


def _document(row: Any) -> IndexDocument:
    values = dict(zip(STORED, row, strict=True))
    values["source"] = _source(values["source"])
    return stored_document(values)


class _PostgresWriter(EngineWriter):
    """One transaction; a session advisory lock on the index's schema keeps it the only
    writer. A killed job's transaction is rolled back by the server: nothing half-written.

    Deletes and rows wait in memory and go to the server together: every replaced article's
    documents by one ``DELETE``, then the new rows by ``COPY``, ``COPY_ROWS`` at a time (a job
    replaces an article by deleting it and adding its documents, one article after another)."""

    def __init__(self, engine: PostgresEngine) -> None:
        self._connection = engine._connection
        conn = engine._connect(autocommit=True)
        try:
            conn.execute(engine._search_path())
            if not _advisory_lock(conn, engine._schema):
                raise IndexLockedError(
                    "another job is writing to this index; wait for it to finish and try again"
                )
            conn.autocommit = False
        except BaseException:
            conn.close()
            raise
        self._conn: psycopg.Connection[Any] | None = conn
        self._rows: list[tuple[object, ...]] = []
        self._adding: set[str] = set()  # article ids of the waiting rows
        self._deletes: list[str] = []
        self._words: set[tuple[str, str]] = set()

    def _live(self) -> psycopg.Connection[Any]:
        if self._conn is None:
            raise DatabaseError("this batch was already committed or cancelled; open a new one")
        return self._conn

    @_guarded
    def delete_article(self, article_id: str) -> None:
        self._live()
        if article_id in self._adding:
            self._flush()  # a delete removes what was added before it, waiting rows too
        self._deletes.append(article_id)

    @_guarded
    def add(self, documents: Iterable[IndexDocument]) -> None:
        for doc in documents:
            self._rows.append(self._row(doc))
            self._adding.add(doc.article_id)
            if len(self._rows) >= COPY_ROWS:
                self._flush()

    def _row(self, doc: IndexDocument) -> tuple[object, ...]:
        vectors = []
        for name in TEXT:
            literal, found = tsvector(name, getattr(doc, name))
            vectors.append(literal)
            self._words.update((name, w) for w in found)
        date = doc.date.astimezone(UTC) if doc.date is not None else None
        return (
            doc.id,
            doc.kind,
            doc.article_id,
            *(_clean(getattr(doc, name)) for name in TEXT),
            _clean(doc.author),
            _clean(doc.site),
            _clean(doc.url),
            _clean(doc.lang),
            keyword_value("author", doc.author) if doc.author else None,
            keyword_value("site", doc.site) if doc.site else None,
            doc.lang.lower() if doc.lang else None,
            date,
            seconds(date) if date is not None else None,
            doc.published,
            doc.position,
            doc.comment_count,
            _clean(doc.article_headline),
            doc.source.encode(*_UTF8),
            doc.parent,
            *vectors,
        )

    def _flush(self) -> None:
        conn = self._live()
        if self._deletes:
            # the deletes came before the waiting rows, or their articles' rows would be flushed
            conn.execute("DELETE FROM docs WHERE article_id = ANY(%s)", [self._deletes])
            self._deletes = []
        if self._rows:
            copying = f"COPY docs ({', '.join(COLUMNS)}) FROM STDIN".encode()
            with conn.cursor() as cursor, cursor.copy(copying) as copy:
                for row in self._rows:
                    copy.write_row(row)
            self._rows = []
            self._adding = set()
        if self._words:
            fields, found = zip(*sorted(self._words), strict=True)
            conn.execute(
                "INSERT INTO vocab (field, word) SELECT * FROM unnest(%s::text[], %s::text[]) "
                "ON CONFLICT DO NOTHING",
                [list(fields), list(found)],
            )
            self._words = set()

    @_guarded
    def commit(self) -> None:
        self._flush()
        conn = self._live()
        conn.commit()
        self._conn = None
        conn.close()  # ends the session, which releases the advisory lock

    def cancel(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.rollback()
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None


def _advisory_lock(conn: psycopg.Connection[Any], schema: str) -> bool:
    """The index's writer lock. A job killed a moment ago may still hold it: its server
    process ends when it reads the end of the dead client's connection, so the lock is tried
    for up to ``LOCK_GRACE`` seconds before another writer is said to hold it."""
    deadline = time.monotonic() + LOCK_GRACE
    while True:
        row = conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [schema]).fetchone()
        if row and row[0]:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def _clean(value: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL characters; they become U+FFFD (the replacement mark)."""
    return value.replace("\x00", "\ufffd") if value else value
