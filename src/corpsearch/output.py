"""Rendering results: a readable table, JSON, JSON Lines or CSV. Streams; never prints itself."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterable, Iterator

from .index import SearchResult
from .records import Article

__all__ = ["FORMATS", "render_articles", "render_result", "safe_terminal_text"]

FORMATS = ("table", "json", "jsonl", "csv")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MARK = re.compile(r"</?mark>")
# DEL and C1 controls, which json leaves raw, and lone surrogates (file names that are not UTF-8),
# which cannot be written as UTF-8.
_RAW_IN_JSON = re.compile(r"[\x7f-\x9f\ud800-\udfff]")
CSV_COLUMNS = (
    "id",
    "kind",
    "score",
    "headline",
    "author",
    "published",
    "url",
    "article_id",
    "snippet",
)


def safe_terminal_text(text: str) -> str:
    """Page text with control characters (terminal escape sequences among them) removed."""
    return _CONTROL.sub("", text)


def _json(value: object, indent: int | None = None) -> str:
    """JSON with every control character escaped (json leaves DEL and C1 controls raw)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render_articles(articles: Iterable[Article]) -> Iterator[str]:
    """Extracted records as JSON Lines, one article (with its comments) per line."""
    for article in articles:
        yield _json(article.to_dict()) + "\n"


def render_result(result: SearchResult, fmt: str, *, color: bool = False) -> Iterator[str]:
    if fmt == "json":
        yield _json(result.to_dict(), indent=2) + "\n"
    elif fmt == "jsonl":
        for hit in result.hits:
            yield _json(hit.to_dict()) + "\n"
    elif fmt == "csv":
        yield from _csv(result)
    else:
        yield from _table(result, color)


def _csv(result: SearchResult) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for hit in result.hits:
        row = hit.to_dict()
        row["snippet"] = _MARK.sub("", str(row["snippet"]))
        # Page text must not drive the terminal the CSV is printed on.
        row = {key: safe_terminal_text(v) if isinstance(v, str) else v for key, v in row.items()}
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


def _table(result: SearchResult, color: bool) -> Iterator[str]:
    width = max(60, shutil.get_terminal_size((100, 24)).columns)
    shown = len(result.hits)
    yield f"{result.total} hit{'s' if result.total != 1 else ''} for {result.query!r}"
    yield f" (showing {shown})\n" if shown < result.total else "\n"
    for number, hit in enumerate(result.hits, 1):
        when = hit.published or "no date"
        if hit.kind == "comment":
            head = f"{number}. comment by {hit.author or 'unknown'} · {when}"
            context = f"   on: {hit.headline}"
        else:
            count = f"{hit.comment_count} comment{'s' if hit.comment_count != 1 else ''}"
            head = f"{number}. article · {when} · {count}"
            context = f"   {hit.headline}"
        yield _fit(safe_terminal_text(head), width) + "\n"
        yield _fit(safe_terminal_text(context), width) + "\n"
        if hit.url:
            yield _fit(f"   {safe_terminal_text(hit.url)}", width) + "\n"
        snippet = safe_terminal_text(hit.snippet)
        plain = _MARK.sub("", snippet)
        if color:
            snippet = snippet.replace("<mark>", "\x1b[1;33m").replace("</mark>", "\x1b[0m")
        else:
            snippet = plain
        if len(plain) > 3 * width:
            snippet = _fit(plain, 3 * width)
        yield f"   {snippet}\n"
    if not result.hits:
        yield "Try fewer words, OR between alternatives, or a wider date range.\n"


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
