"""The postgres engine's pages of hits and of articles on shards, as SQL each shard runs whole.

postgres_fdw sends a shard the ``WHERE`` clause of a query on its foreign table, but with its
default estimates (a foreign table has no statistics) it sorts and limits on the coordinator:
every match's row, texts and ``tsvector``s included, would cross the network to be ranked
there. An aggregate on one foreign table, though, it sends whole, ``ORDER BY`` inside the
aggregate included. So on shards:

- the page of hits asks each shard for its count and the ids of its first ``offset + limit``
  matches in the page's order, ``(array_agg(id ORDER BY …))[1:k]``, then the rows of those ids
  (``id = ANY(…)``, sent to every shard), ordered and cut on the coordinator: at most
  ``shards × k`` rows cross instead of every match;
- ``--group article`` asks each shard for one row per matching article (an article and its
  comments are on one shard): whether the article matched, how many of its comments did, and
  the sort key of its best-placed hit (``(array_agg(… ORDER BY …))[1]``); the coordinator
  orders the articles by those keys, which is the order of their best hits, as on one server.

Nothing here talks to a server: the engine module runs the SQL (docs/scaling.md shows the
plans).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["count_articles_sql", "rows_sql", "tallies_sql", "top_ids_sql"]


def _inside(order: str, score: str) -> str:
    """``order`` (an ``ORDER BY`` over a select's ``score``, ``date_s`` and ``id``) written
    over the table's own columns, for an aggregate's ``ORDER BY``."""
    terms = []
    for term in order.split(", "):
        name, _, rest = term.partition(" ")
        terms.append(f"({score})::float8 {rest}" if name == "score" else term)
    return ", ".join(terms)


def _score_params(order: str, params: Sequence[object]) -> list[object]:
    return list(params) if order.startswith("score") else []


def top_ids_sql(
    parts: Sequence[str],
    where: str,
    params: Sequence[object],
    order: str,
    score: str,
    score_params: Sequence[object],
    first: int,
) -> tuple[str, list[object]]:
    """Rows ``(count, ids)``, one per shard's table: its matches and the ids of its ``first``
    matches in ``order``."""
    inside = _inside(order, score)
    statements, values = [], []
    for part in parts:
        statements.append(
            f"SELECT count(*), (array_agg(id ORDER BY {inside}))[1:(%s)::integer] FROM {part} WHERE {where}"
        )
        values += [*_score_params(order, score_params), first, *params]
    return " UNION ALL ".join(statements), values


def rows_sql(
    columns: Sequence[str], order: str, score: str, score_params: Sequence[object]
) -> tuple[str, list[object]]:
    """The rows of the ids given as the last but two parameter, in ``order``; ``LIMIT`` and
    ``OFFSET`` are the last two."""
    statement = (
        f"SELECT {', '.join(columns)}, ({score})::float8 AS score FROM docs "
        f"WHERE id = ANY(%s) ORDER BY {order} LIMIT %s OFFSET %s"
    )
    return statement, list(score_params)


def tallies_sql(
    parts: Sequence[str],
    where: str,
    params: Sequence[object],
    order: str,
    score: str,
    score_params: Sequence[object],
) -> tuple[str, list[object]]:
    """Rows ``(article_id, article matched, matching comments, articles in all)`` of the
    matching articles in the order of their best-placed hits (the caller adds ``LIMIT`` and
    ``OFFSET``)."""
    inside = _inside(order, score)
    # the best hit's sort key: (expression, its name, whether it holds the score's parameters)
    keys = [("date_s", "date_s", False), ("id", "id", False)]
    if order.startswith("score"):
        keys.insert(0, (f"({score})::float8", "score", True))
    statements, values = [], []
    for part in parts:
        best = ", ".join(
            f"(array_agg({key} ORDER BY {inside}))[1] AS {name}" for key, name, _ in keys
        )
        statements.append(
            "SELECT article_id, bool_or(kind = 'article') AS article, "
            f"count(*) FILTER (WHERE kind = 'comment') AS comments, {best} "
            f"FROM {part} WHERE {where} GROUP BY article_id"
        )
        for _, _, scored in keys:
            values += [*(score_params if scored else []), *_score_params(order, score_params)]
        values += list(params)
    statement = (
        "SELECT article_id, article, comments, count(*) OVER () FROM ("
        + " UNION ALL ".join(statements)
        + f") AS articles ORDER BY {order}"
    )
    return statement, values


def count_articles_sql(
    parts: Sequence[str], where: str, params: Sequence[object]
) -> tuple[str, list[object]]:
    """How many articles match (each is on one shard, so the shards' counts add up)."""
    each = " UNION ALL ".join(
        f"SELECT count(DISTINCT article_id) AS n FROM {part} WHERE {where}" for part in parts
    )
    return f"SELECT sum(n)::bigint FROM ({each}) AS shards", list(params) * len(parts)
