"""Articles tallied in a tantivy index: how many articles the matches of a query belong to, and
the matches of each article of a page counted by kind, by terms aggregations over the value
column of the article ids (the engine's ``article_tallies``)."""

from __future__ import annotations

from typing import Any

from tantivy import Occur, Query

from . import value_counts
from .base import ArticleTally

__all__ = ["article_total", "id_parts", "page_tallies"]

_HEX = "0123456789abcdef"
_MAX_ID_PARTS = 16


def id_parts(parts: int) -> list[str | None]:
    """``parts`` regular expressions that split ids by their last character, together
    matching every id (the last one takes whatever the others leave: other characters too);
    ``[None]`` for one part (no split)."""
    if parts == 1:
        return [None]
    size = len(_HEX) // parts
    patterns = [f"(?s).*[{_HEX[i * size : (i + 1) * size]}]" for i in range(parts - 1)]
    return [*patterns, f"(?s).*[^{_HEX[: (parts - 1) * size]}]"]


def page_tallies(
    searcher: Any, schema: Any, query: Any, article_ids: list[str]
) -> list[ArticleTally]:
    """The tallies of ``article_ids``: their matches of ``query`` counted by kind."""
    if not article_ids:
        return []
    in_page = Query.boolean_query(
        [
            (Occur.Must, query),
            (Occur.Must, Query.term_set_query(schema, "article_id", article_ids)),
        ]
    )
    request = {
        "a": {
            "terms": {"field": "article_id", "size": len(article_ids)},
            "aggs": {"kind": {"terms": {"field": "kind", "size": 2}}},
        }
    }
    kinds: dict[str, dict[str, int]] = {
        str(bucket["key"]): {str(k["key"]): int(k["doc_count"]) for k in bucket["kind"]["buckets"]}
        for bucket in searcher.aggregate(in_page, request)["a"]["buckets"]
    }
    return [
        ArticleTally(key, bool(kinds[key].get("article")), kinds[key].get("comment", 0))
        for key in article_ids
    ]


def article_total(searcher: Any, query: Any, matches: int) -> int | None:
    """How many articles the ``matches`` of ``query`` belong to, from terms aggregations
    over the article ids (only their number is read). tantivy refuses more buckets than
    ``value_counts.MAX_BUCKETS`` or so in one request, so with more matches than that the
    ids are split into parts by their last character (ids are hex digests: each part holds
    its share), as many as the most articles there can be need; each part is one pass over
    the matches that keeps only its ids' buckets. The parts are doubled if one overflows
    anyway (comments whose article is gone); ``None`` if even sixteen parts overflow."""
    # The articles are at most the matches and at most the index's articles (deleted ones
    # counted until their segments merge); with hashed ids each part holds its share of
    # them, give or take a few per cent. A part more than needed costs a pass over the
    # matches, not buckets: fewer than an estimate of the articles (HyperLogLog) costs.
    parts = 1
    if matches > value_counts.MAX_BUCKETS:
        bound = min(matches, searcher.doc_freq("kind", "article"))
        while parts < _MAX_ID_PARTS and bound * 1.1 > parts * value_counts.MAX_BUCKETS:
            parts *= 2
    while parts <= _MAX_ID_PARTS:
        total = 0
        for include in id_parts(parts):
            request = value_counts.terms_request("article_id")
            if include is not None:
                request["terms"]["include"] = include
            found = searcher.aggregate(query, {"a": request})["a"]
            if found.get("sum_other_doc_count") or found.get("doc_count_error_upper_bound"):
                break
            total += len(found["buckets"])
        else:
            return total
        parts *= 2
    return None
