"""The postgres engine's writer: one transaction per batch, rows by ``COPY``, one writer at a
time (a session advisory lock on the index's schema)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from datetime import UTC
from typing import TYPE_CHECKING, Any

import psycopg

from ..analysis import names_of
from ..documents import IndexDocument, streams_of
from ..errors import DatabaseError, IndexLockedError
from ..query import ast
from .base import EngineWriter
from .ordering import seconds
from .postgres_errors import guarded
from .postgres_sql import COLUMNS, keyword_value, tsvector, tsvector_of

if TYPE_CHECKING:
    from .postgres_engine import PostgresEngine

__all__ = ["PostgresWriter"]

# Rows sent per COPY.
COPY_ROWS = 1000
# Seconds a new writer waits for the lock of a writer that may have just died.
LOCK_GRACE = 2.0
TEXT = ast.TEXT_FIELDS
_UTF8 = ("utf-8", "surrogateescape")


class PostgresWriter(EngineWriter):
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

    @guarded
    def delete_article(self, article_id: str) -> None:
        self._live()
        if article_id in self._adding:
            self._flush()  # a delete removes what was added before it, waiting rows too
        self._deletes.append(article_id)

    @guarded
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
        streams = streams_of(doc)
        for name in TEXT:
            # the analysed stream (corpsearch.analysis), passage by passage like the exact one
            passages = streams.quote if name == "quote" else [getattr(streams, name)]
            literal, found = tsvector_of([p.split() for p in passages])
            vectors.append(literal)
            self._words.update((name + "_stem", w) for w in found)
        author_words, author_keys, sites = names_of(doc.author, doc.site)
        self._words.update(("author_words", w) for w in author_words)
        self._words.update(("site_keys", w) for w in sites)
        if doc.lang:
            self._words.add(("lang", doc.lang))
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
            [_clean(w) for w in author_words],
            [_clean(k) for k in author_keys],
            [_clean(k) for k in sites],
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

    @guarded
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
