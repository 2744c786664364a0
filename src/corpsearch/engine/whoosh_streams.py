"""Reading whoosh search objects hit by hit: sort keys, orders and column values.

The objects come from :mod:`corpsearch.engine.whoosh_engine` (this module imports nothing of
whoosh itself). Only a sort key and a document number are held per hit, so exporting a million
hits needs tens of megabytes, never the stored fields of all of them.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from .base import DocValues

__all__ = ["NO_DATE_HIGH", "NO_DATE_LOW", "columns", "ordered", "values"]

# Sort values of undated documents, so they come last in either date order.
NO_DATE_LOW = -(2**62)
NO_DATE_HIGH = 2**62


def columns(reader: Any) -> dict[str, Any]:
    names = ("id", "kind", "article_id", "author", "site", "date_asc")
    return {name: reader.column_reader(name) for name in names}


def ordered(searcher: Any, compiled: Any, sort: str) -> Iterator[tuple[int, float]]:
    """Document numbers (and scores) of every match in sort order, ties broken as in search.

    Only a sort key and a document number are held per hit (about 50 bytes); stored fields are
    left for the caller to read one hit at a time.
    """
    keys, docnums = _sort_keys(searcher, compiled, sort)
    order = sorted(range(len(docnums)), key=keys.__getitem__)
    reader = searcher.reader()
    ids = reader.column_reader("id")
    newest = reader.column_reader("date_desc")

    def tie_break(i: int) -> tuple[int, str]:
        doc = docnums[i]
        return (-newest[doc] if sort == "relevance" else 0, _text(ids[doc]))

    run_start = 0
    for end in range(1, len(order) + 1):
        if end < len(order) and keys[order[end]] == keys[order[run_start]]:
            continue
        run = order[run_start:end]
        run.sort(key=tie_break)
        for i in run:
            yield docnums[i], (-keys[i] if sort == "relevance" else 0.0)
        run_start = end


def values(columns: dict[str, Any], doc: int) -> DocValues:
    seconds = columns["date_asc"][doc]
    return DocValues(
        id=_text(columns["id"][doc]),
        kind=_text(columns["kind"][doc]),
        article_id=_text(columns["article_id"][doc]),
        author=_text(columns["author"][doc]) or None,
        site=_text(columns["site"][doc]) or None,
        date=None if seconds >= NO_DATE_HIGH else datetime.fromtimestamp(seconds, UTC),
    )


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value or "")


def _sort_keys(searcher: Any, compiled: Any, sort: str) -> tuple[Any, Any]:
    """Each hit's primary sort key and document number, in compact arrays."""
    keys: Any = array("d") if sort == "relevance" else array("q")
    docnums = array("q")
    context = searcher.context() if sort == "relevance" else searcher.boolean_context()
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        dates = reader.column_reader("date_asc" if sort == "date" else "date_desc")
        matcher = compiled.matcher(leaf, context)
        while matcher.is_active():
            doc = matcher.id()
            if not reader.is_deleted(doc):
                if sort == "relevance":
                    keys.append(-matcher.score())
                elif sort == "date":
                    keys.append(dates[doc])
                else:
                    keys.append(-dates[doc])
                docnums.append(doc + offset)
            matcher.next()
    return keys, docnums
