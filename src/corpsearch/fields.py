"""Chosen columns of hits (``query --fields``): full text out, not only a snippet.

A hit carries what a result list shows; the text of an article or a comment, its quotes, its
parent and language are read from the stored document, looked up for a batch of hits at a time,
so an export of every hit keeps the memory bound it has without fields (one batch, not the
result). The same records serve CSV, JSON Lines, JSON and the table (and the web pages).
"""

from __future__ import annotations

import csv
import io
import itertools
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from .documents import IndexDocument
from .engine import Engine, Hit
from .errors import ConfigError
from .export import csv_cells, json_text, safe_terminal_text
from .query.ast import Or, Term
from .snippets import plain_text

__all__ = [
    "FIELDS",
    "csv_lines",
    "field_records",
    "parse_fields",
    "render_fields",
]

FIELDS = {
    "id": "the document's id",
    "short_id": "its short id, as the table shows it",
    "kind": "article or comment",
    "headline": "the article's headline (a comment's: the article it is on)",
    "author": "an article's byline, a comment's author",
    "published": "the page's date and time, ISO 8601 in the page's own zone",
    "text": "an article's body, a comment's own words (without what it quotes)",
    "quotes": "the passages a comment quotes",
    "parent": "the id of the comment a reply answers",
    "position": "a comment's place on the page, from 0",
    "url": "the page's URL",
    "source": "the file (or file#offset of the archive record) it was read from",
    "site": "the site's host name",
    "language": "language code",
    "score": "relevance score (0 when sorted by date)",
    "article_id": "the id of the article (its own id for an article)",
    "comment_count": "an article's number of comments",
    "snippet": "the matched words in context, without marks",
}
# Fields read from the stored document rather than from the hit.
_STORED = frozenset({"text", "quotes", "parent", "language"})
# Stored documents looked up at once: one query per batch, the batch the only hits held.
BATCH = 200
# Fields the table prints on the hit's first line (the others are text, printed under it).
_SHORT = frozenset(FIELDS) - {"text", "quotes", "snippet", "headline", "url", "source"}
_UNLABELLED = frozenset({"id", "short_id", "kind", "author", "published", "site"})

ShortId = Callable[[str], str]


def parse_fields(spec: str) -> tuple[str, ...]:
    """``"id,kind,text"`` as a field list, each known and named once."""
    names = tuple(name.strip().lower() for name in spec.split(",") if name.strip())
    unknown = [name for name in names if name not in FIELDS]
    if unknown or not names:
        raise ConfigError(
            f"unknown field(s) {', '.join(map(repr, unknown)) or '(none given)'} for --fields; "
            f"choose from {','.join(FIELDS)}"
        )
    if len(set(names)) != len(names):
        raise ConfigError(f"--fields names a field twice: {spec!r}")
    return names


def field_records(
    engine: Engine,
    hits: Iterable[Hit],
    fields: Sequence[str],
    short_id: ShortId | None = None,
    *,
    batch: int = BATCH,
) -> Iterator[dict[str, Any]]:
    """One record per hit with exactly ``fields``, in that order; the stored documents of
    ``batch`` hits at a time are looked up when a field needs them."""
    stream = iter(hits)
    if not _STORED & set(fields):
        for hit in stream:
            yield _record(hit, None, fields, short_id)
        return
    while chunk := list(itertools.islice(stream, batch)):
        ids = tuple(Term("id", hit.id) for hit in chunk)
        found = {doc.id: doc for doc in engine.stored(Or(ids))}
        for hit in chunk:
            yield _record(hit, found.get(hit.id), fields, short_id)


def _record(
    hit: Hit, doc: IndexDocument | None, fields: Sequence[str], short_id: ShortId | None
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": hit.id,
        "kind": hit.kind,
        "headline": hit.headline,
        "author": hit.author,
        "published": hit.published,
        "position": hit.position if hit.kind == "comment" else None,
        "url": hit.url,
        "source": hit.source,
        "site": hit.site,
        "score": round(hit.score, 4),
        "article_id": hit.article_id,
        "comment_count": hit.comment_count if hit.kind == "article" else None,
    }
    out: dict[str, Any] = {}
    for name in fields:
        if name in values:
            out[name] = values[name]
        elif name == "short_id":
            out[name] = short_id(hit.id) if short_id else hit.id
        elif name == "snippet":
            out[name] = plain_text(hit.snippet)
        elif doc is None:  # removed between the search and the lookup
            out[name] = [] if name == "quotes" else None
        elif name == "text":
            out[name] = doc.body if doc.kind == "article" else doc.text
        elif name == "quotes":
            out[name] = [q for q in doc.quote.split("\n\n") if q.strip()]
        elif name == "parent":
            out[name] = doc.parent
        elif name == "language":
            out[name] = doc.lang
    return out


def render_fields(
    query: str,
    total: int,
    records: Iterable[dict[str, Any]],
    fields: Sequence[str],
    fmt: str,
    *,
    first: int = 0,
    width: int = 100,
    csv_row: Callable[[Sequence[object]], Sequence[object]] | None = None,
) -> Iterator[str]:
    """The records as ``fmt`` (csv, jsonl, json, table), streamed."""
    if fmt == "jsonl":
        for record in records:
            yield json_text(record) + "\n"
    elif fmt == "json":
        head = json_text({"query": query, "total": total, "offset": first, "fields": list(fields)})
        yield head[:-1] + ', "hits": ['
        for number, record in enumerate(records):
            yield ("," if number else "") + "\n  " + json_text(record)
        yield "\n]}\n"
    elif fmt == "csv":
        rows = ([record[name] for name in fields] for record in records)
        yield from csv_lines(fields, rows, csv_row)
    else:
        yield from _table(query, total, records, fields, first, width)


def _cell(value: object) -> object:
    if isinstance(value, list):
        return "\n\n".join(str(v) for v in value)  # passages apart, as the page kept them
    return "" if value is None else value


def _plain_row(cells: Sequence[object]) -> Sequence[object]:
    # Page text must neither drive the terminal the CSV is printed on nor run as a formula.
    return csv_cells(cells)


def csv_lines(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    row: Callable[[Sequence[object]], Sequence[object]] | None = None,
) -> Iterator[str]:
    """CSV text, a row at a time; ``row`` makes each row's cells safe (by default
    :func:`corpsearch.export.csv_cells`: control characters removed from text, so page text
    cannot drive a terminal, and a cell that starts like a formula quoted)."""
    clean = row or _plain_row
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for cells in rows:
        writer.writerow(clean([_cell(c) for c in cells]))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


def _table(
    query: str,
    total: int,
    records: Iterable[dict[str, Any]],
    fields: Sequence[str],
    first: int,
    width: int,
) -> Iterator[str]:
    yield f"{total:,} hit{'s' if total != 1 else ''} for {safe_terminal_text(query)!r}\n"
    shown = 0
    for number, record in enumerate(records, first + 1):
        shown += 1
        short = [
            str(record[n]) if n in _UNLABELLED else f"{n} {record[n]}"
            for n in fields
            if n in _SHORT and record[n] not in (None, "")
        ]
        yield safe_terminal_text(f"{number}. " + " · ".join(short)) + "\n"
        for name in fields:
            if name in _SHORT or record[name] in (None, "", []):
                continue
            label = f"   {name}: "
            room = max(width - len(label), 20)
            paragraphs = safe_terminal_text(str(_cell(record[name]))).split("\n\n")
            lines: list[str] = []
            for paragraph in paragraphs:
                if lines:
                    lines.append("")
                lines.extend(textwrap.wrap(" ".join(paragraph.split()), room) or [""])
            for index, line in enumerate(lines):
                lead = label if index == 0 else " " * len(label)
                yield f"{lead}{line}".rstrip() + "\n"
    if shown and first + shown < total:
        last = first + shown
        yield f"(showing {first + 1}–{last} of {total:,}; more with --offset {last})\n"
    elif not shown and total:
        yield f"(no hits from --offset {first}: there are {total:,}; try --offset 0)\n"
