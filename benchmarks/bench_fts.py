"""The reference point: the same documents in SQLite FTS5 (Python's sqlite3), bm25 ranking.

One FTS5 table holds the text fields (headline, body, text, quote — what an unfielded corpsearch
query searches); a plain table with the same rowid holds id, kind, author (lower-cased), site,
article id and the UTC date in seconds, with B-tree indexes on author and date. A page of hits
returns the top 10 with a snippet and counts all matches, as ``Index.search`` does; facets are
three ``GROUP BY`` counts (site, author, kind) and the total; the histogram counts by UTC month
(SQLite has no time zones); groups are the 10 best articles by their best match and the number
of articles; ``comments:(…)`` the 10 newest articles with a matching comment and their number;
the first CSV row is the first row of every match in bm25 order.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench_queries import MIN_QUERIES, BenchQuery, latency
from corpsearch.documents import IndexDocument

__all__ = ["build_fts", "time_fts"]


def build_fts(path: Path, documents: Iterable[IndexDocument]) -> tuple[float, int]:
    """Build the FTS5 database; (seconds, documents)."""
    path.unlink(missing_ok=True)
    start = time.perf_counter()
    db = sqlite3.connect(path)
    db.executescript(
        """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE VIRTUAL TABLE fts USING fts5(headline, body, text, quote);
        CREATE TABLE meta (rowid INTEGER PRIMARY KEY, id TEXT, kind TEXT, author TEXT,
                           date INTEGER, site TEXT, article_id TEXT);
        """
    )
    count = 0
    with db:
        for doc in documents:
            count += 1
            db.execute(
                "INSERT INTO fts(rowid, headline, body, text, quote) VALUES (?, ?, ?, ?, ?)",
                (count, doc.headline, doc.body, doc.text, doc.quote),
            )
            db.execute(
                "INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    count,
                    doc.id,
                    doc.kind,
                    doc.author.lower() if doc.author else None,
                    int(doc.date.timestamp()) if doc.date else None,
                    doc.site,
                    doc.article_id,
                ),
            )
    db.executescript(
        """
        CREATE INDEX meta_author ON meta(author, date);
        CREATE INDEX meta_date ON meta(date);
        INSERT INTO fts(fts) VALUES ('optimize');
        """
    )
    db.close()
    return time.perf_counter() - start, count


def _match(query: BenchQuery) -> str | None:
    if query.match is not None:
        return query.match
    parts = [f'"{w}"' for w in query.words]
    if query.phrase:
        parts.append('"' + " ".join(query.phrase) + '"')
    return " AND ".join(parts) or None


def _sql(query: BenchQuery) -> tuple[str, str, list[Any]]:
    """(FROM ... WHERE ..., ORDER BY ..., parameters)."""
    where: list[str] = []
    params: list[Any] = []
    match = _match(query)
    if match is not None:
        source = "fts JOIN meta ON meta.rowid = fts.rowid"
        where.append("fts MATCH ?")
        params.append(match)
    else:
        source = "meta"
    if query.author is not None:
        where.append("meta.author = ?")
        params.append(query.author)
    if query.start is not None:
        where.append("meta.date >= ?")
        params.append(query.start)
    if query.end is not None:
        where.append("meta.date < ?")
        params.append(query.end)
    if query.sort == "-date" or match is None:
        order = "meta.date DESC, meta.id"
    else:
        order = "bm25(fts), meta.date DESC, meta.id"
    return f"{source} WHERE {' AND '.join(where)}", order, params


def time_fts(
    path: Path,
    queries: dict[str, list[BenchQuery]],
    budget: float | None = None,
    minimum: int = MIN_QUERIES,
) -> dict[str, Any]:
    db = sqlite3.connect(path)

    def run(query: BenchQuery) -> int:
        body, order, params = _sql(query)
        if query.op == "comments":
            body += " AND meta.kind = 'comment'"
        count = "count(*)"
        if query.op == "facets":
            for column in ("site", "author", "kind"):
                db.execute(
                    f"SELECT meta.{column}, count(*) AS n FROM {body} GROUP BY meta.{column} "
                    "ORDER BY n DESC LIMIT 10",
                    params,
                ).fetchall()
        elif query.op == "histogram":
            db.execute(
                f"SELECT strftime('%Y-%m', meta.date, 'unixepoch') AS month, count(*) FROM {body}"
                " GROUP BY month",
                params,
            ).fetchall()
        elif query.op in ("group", "comments"):
            # bm25() cannot stand in an aggregate: score each match in a subquery (its LIMIT
            # keeps SQLite from flattening it into the aggregate), then group
            score = "bm25(fts)" if query.op == "group" else "-meta.date"
            db.execute(
                f"SELECT article_id, min(score) AS best FROM (SELECT meta.article_id, {score} "
                f"AS score FROM {body} LIMIT -1) GROUP BY article_id ORDER BY best LIMIT 10",
                params,
            ).fetchall()
            count = "count(DISTINCT meta.article_id)"
        elif query.op == "first CSV row of --all":
            fields = "meta.id, meta.author, meta.date, snippet(fts, -1, '', '', ' … ', 20)"
            row = db.execute(f"SELECT {fields} FROM {body} ORDER BY {order}", params).fetchone()
            return int(row is not None)
        else:
            fields = "meta.id, meta.author, meta.date"
            if "fts MATCH" in body:
                fields += ", snippet(fts, -1, '<mark>', '</mark>', ' … ', 20)"
            db.execute(f"SELECT {fields} FROM {body} ORDER BY {order} LIMIT 10", params).fetchall()
        (total,) = db.execute(f"SELECT {count} FROM {body}", params).fetchone()
        return int(total)

    try:
        return {
            kind: latency(run, qs, budget, minimum)
            for kind, qs in queries.items()
            if qs and qs[0].fts
        }
    finally:
        db.close()
