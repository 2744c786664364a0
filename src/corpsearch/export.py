"""Exports: every hit of a query as JSON, JSON Lines, CSV or a table, streamed.

Hits arrive one at a time from :meth:`corpsearch.index.Index.iter_hits` and are written as they
come, so the size of an export is limited by the disk, not by memory.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from .engine import Hit
from .snippets import mark_spans

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# DEL and C1 controls, which json leaves raw, and lone surrogates (file names that are not UTF-8),
# which cannot be written as UTF-8.
_RAW_IN_JSON = re.compile(r"[\x7f-\x9f\ud800-\udfff]")


def safe_terminal_text(text: str) -> str:
    """Page text with control characters (terminal escape sequences among them) removed."""
    return _CONTROL.sub("", text)


# What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection"): a cell such as
# =HYPERLINK(...) or =cmd|' /C calc'!A0 would run when the CSV is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object, *, raw: bool = False) -> object:
    """A value as a CSV cell: text without control characters (the CSV may be printed on a
    terminal) and, unless ``raw``, prefixed with a single quote when it starts like a formula,
    as OWASP recommends, so that a spreadsheet shows it as text."""
    if not isinstance(value, str):
        return value
    text = safe_terminal_text(value)
    return "'" + text if not raw and text.startswith(FORMULA_STARTS) else text


def csv_row(row: Mapping[str, object], *, raw: bool = False) -> dict[str, object]:
    """Every cell of ``row`` through :func:`csv_cell`."""
    return {key: csv_cell(value, raw=raw) for key, value in row.items()}


def csv_cells(cells: Sequence[object], *, raw: bool = False) -> list[object]:
    """Every cell of a row given as a list through :func:`csv_cell`."""
    return [csv_cell(value, raw=raw) for value in cells]


def json_text(value: object, indent: int | None = None) -> str:
    """JSON with every control character escaped (json leaves DEL and C1 controls raw)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


__all__ = [
    "CSV_COLUMNS",
    "EXPORT_FORMATS",
    "FORMULA_STARTS",
    "csv_cell",
    "csv_cells",
    "csv_row",
    "hit_record",
    "json_text",
    "render_csv",
    "render_export",
    "safe_terminal_text",
]

EXPORT_FORMATS = ("json", "jsonl", "csv")
CSV_COLUMNS = (
    "id",
    "kind",
    "score",
    "headline",
    "author",
    "published",
    "site",
    "url",
    "article_id",
    "snippet",
)


def hit_record(hit: Hit) -> dict[str, object]:
    """A hit as JSON: the snippet with ``<mark>`` tags, and ``marks``, the ``[start, end)``
    offsets of the marked words in ``snippet_text`` (the snippet without tags)."""
    record = hit.to_dict()
    plain, spans = mark_spans(hit.snippet)
    record["site"] = hit.site
    if hit.kind == "article":
        record["comment_count"] = hit.comment_count
    record["snippet_text"] = plain
    record["marks"] = [list(span) for span in spans]
    return record


def render_export(
    query: str, total: int, hits: Iterable[Hit], fmt: str, *, raw_csv: bool = False
) -> Iterator[str]:
    """Every hit in ``fmt``; JSON is one object whose ``hits`` array is written hit by hit.
    ``raw_csv`` leaves CSV cells that start like a formula as they are (see :func:`csv_cell`)."""
    if fmt == "json":
        head = json_text({"query": query, "total": total})
        yield head[:-1] + ', "hits": ['
        for number, hit in enumerate(hits):
            separator = "," if number else ""
            yield f"{separator}\n  " + json_text(hit_record(hit))
        yield "\n]}\n"
    elif fmt == "jsonl":
        for hit in hits:
            yield json_text(hit_record(hit)) + "\n"
    elif fmt == "csv":
        yield from render_csv(hits, raw=raw_csv)
    else:
        raise ValueError(f"not an export format: {fmt!r}")


def render_csv(hits: Iterable[Hit], *, raw: bool = False) -> Iterator[str]:
    """Hits as CSV rows, each cell through :func:`csv_cell`."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for hit in hits:
        row = hit_record(hit)
        row["snippet"] = row["snippet_text"]
        writer.writerow(csv_row(row, raw=raw))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()
