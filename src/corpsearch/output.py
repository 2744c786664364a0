"""Rendering results: a readable table, JSON, JSON Lines or CSV. Streams; never prints itself."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from .choices import FORMATS
from .engine import Hit
from .export import CSV_COLUMNS, hit_record, json_text, render_csv, safe_terminal_text
from .snippets import plain_text, wrap_marked

if TYPE_CHECKING:
    from .facets import Summary
    from .grouping import Group
    from .index import SearchResult
    from .records import Article

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "local_time",
    "render_articles",
    "render_result",
    "render_table",
    "safe_terminal_text",
    "terminal_width",
]

_COLOUR_ON, _COLOUR_OFF = "\x1b[1;33m", "\x1b[0m"


def terminal_width() -> int:
    return max(40, shutil.get_terminal_size((100, 24)).columns)


def render_articles(articles: Iterable[Article]) -> Iterator[str]:
    """Extracted records as JSON Lines, one article (with its comments) per line."""
    for article in articles:
        yield json_text(article.to_dict()) + "\n"


def render_result(
    result: SearchResult,
    fmt: str,
    *,
    color: bool = False,
    width: int | None = None,
    summary: Summary | None = None,
    short_id: ShortId | None = None,
    raw_csv: bool = False,
) -> Iterator[str]:
    """The result in ``fmt``; ``summary`` (facet counts, histogram) goes into JSON and tables.

    ``short_id`` gives the id a table shows for each hit (see :mod:`corpsearch.ids`);
    ``raw_csv`` leaves CSV cells that start like a formula as they are
    (:func:`corpsearch.export.csv_cell`)."""
    if summary is not None and fmt == "json":
        data = json.loads("".join(render_result(result, fmt)))
        data.update({key: value for key, value in summary.to_dict().items() if key != "total"})
        yield json_text(data, indent=2) + "\n"
        return
    if summary is not None and fmt == "table":
        yield from render_result(result, fmt, color=color, width=width, short_id=short_id)
        from .charts import render_summary

        yield from render_summary(summary, width or terminal_width())
        return
    if result.groups is not None:
        yield from _render_groups(
            result, result.groups, fmt, color, width or terminal_width(), short_id, raw_csv
        )
    elif fmt == "json":
        data = result.to_dict()
        data["hits"] = [hit_record(hit) for hit in result.hits]
        yield json_text(data, indent=2) + "\n"
    elif fmt == "jsonl":
        for hit in result.hits:
            yield json_text(hit_record(hit)) + "\n"
    elif fmt == "csv":
        yield from render_csv(result.hits, raw=raw_csv)
    else:
        yield from render_table(
            result.query,
            result.total,
            result.hits,
            color=color,
            width=width,
            first=result.offset,
            short_id=short_id,
        )


def render_table(
    query: str,
    total: int,
    hits: Iterable[Hit],
    *,
    color: bool = False,
    width: int | None = None,
    first: int = 0,
    short_id: ShortId | None = None,
) -> Iterator[str]:
    """Hits as numbered blocks that fit ``width`` columns; comment hits show their article.

    Each block starts with the hit's short id (``corpsearch show`` and ``article:`` take it)."""
    width = width or terminal_width()
    shown = 0
    yield f"{total:,} hit{'s' if total != 1 else ''} for {safe_terminal_text(query)!r}\n"
    for number, hit in enumerate(hits, first + 1):
        shown += 1
        yield from _hit_lines(hit, f"{number}. {_short(hit.id, short_id)} · ", width, color)
    if shown and shown < total:
        last = first + shown
        yield f"(showing {first + 1}–{last} of {total:,}; more with --offset {last})\n"
    if not total:
        yield "Try fewer words, OR between alternatives, or a wider date range.\n"
    elif first >= total:
        yield f"(no hits from --offset {first}: there are {total:,}; try --offset 0)\n"


ShortId = Callable[[str], str]


def _short(full: str, short_id: ShortId | None) -> str:
    return short_id(full) if short_id is not None else full


def _hit_lines(
    hit: Hit, prefix: str, width: int, color: bool, indent: str = "   ", under: bool = False
) -> Iterator[str]:
    """A hit's lines; ``under`` an article, a comment leaves out the article it is on.

    When the snippet is the headline itself (only the headline matched), the headline line
    shows the marks and no snippet follows.
    """
    when = _when(hit.published)
    on, off = (_COLOUR_ON, _COLOUR_OFF) if color else ("", "")
    snippet = safe_terminal_text(hit.snippet)
    headline_only = hit.kind == "article" and plain_text(snippet).strip() == hit.headline.strip()
    if hit.kind == "comment":
        head = f"{prefix}comment by {hit.author or 'unknown'} · {when}"
        context = f"{indent}on: {safe_terminal_text(hit.headline)}"
    else:
        count = f"{hit.comment_count} comment{'s' if hit.comment_count != 1 else ''}"
        head = f"{prefix}article · {hit.site or 'unknown site'} · {when} · {count}"
        context = f"{indent}{safe_terminal_text(hit.headline)}"
    yield _fit(safe_terminal_text(head), width) + "\n"
    if headline_only:
        lines = wrap_marked(snippet, width - len(indent), max_lines=1, on=on, off=off)
        yield f"{indent}{lines[0] if lines else ''}\n"
    elif not under:
        yield _fit(context, width) + "\n"
    if hit.url and not under:
        yield _fit(f"{indent}{safe_terminal_text(hit.url)}", width) + "\n"
    if headline_only:
        return
    for line in wrap_marked(snippet, width - len(indent), on=on, off=off):
        yield f"{indent}{line}\n"


def _render_groups(
    result: SearchResult,
    groups: list[Group],
    fmt: str,
    color: bool,
    width: int,
    short_id: ShortId | None = None,
    raw_csv: bool = False,
) -> Iterator[str]:
    if fmt == "json":
        data = result.to_dict()
        data["groups"] = [_group_record(group) for group in groups]
        yield json_text(data, indent=2) + "\n"
    elif fmt == "jsonl":
        for group in groups:
            yield json_text(_group_record(group)) + "\n"
    elif fmt == "csv":
        hits = (hit for group in groups for hit in (group.article, *group.comments))
        yield from render_csv(hits, raw=raw_csv)
    else:
        total = result.total
        query = safe_terminal_text(result.query)
        yield f"{total:,} article{'s' if total != 1 else ''} for {query!r}\n"
        for number, group in enumerate(groups, result.offset + 1):
            matched = group.comment_hits
            note = f" · {matched} matching comment{'s' if matched != 1 else ''}" if matched else ""
            prefix = f"{number}. {_short(group.article.id, short_id)} · "
            lines = list(_hit_lines(group.article, prefix, width, color))
            lines[0] = _fit(lines[0].rstrip("\n") + note, width) + "\n"
            yield from lines
            for comment in group.comments:
                prefix = f"   - {_short(comment.id, short_id)} · "
                yield from _hit_lines(comment, prefix, width, color, "     ", under=True)
            if matched > len(group.comments):
                yield f"     … and {matched - len(group.comments)} more\n"
        if not total:
            yield "Try fewer words, OR between alternatives, or a wider date range.\n"


def _group_record(group: Group) -> dict[str, object]:
    return {
        "article": hit_record(group.article),
        "article_matched": group.article_matched,
        "comment_hits": group.comment_hits,
        "comments": [hit_record(hit) for hit in group.comments],
    }


def local_time(value: datetime | None, tz: tzinfo | None = None) -> str:
    """A time as the page showed it (its own zone), or in ``tz``: ``2014-09-13 17:05 +03:00``."""
    if value is None:
        return "no date"
    if tz is not None:
        value = value.astimezone(tz)
    offset = value.strftime("%z")
    zone = f"{offset[:3]}:{offset[3:]}" if offset else ""
    return f"{value:%Y-%m-%d %H:%M} {zone}".strip()


def _when(published: str | None) -> str:
    """The page's local time, short: ``2014-09-13 17:24 +03:00``."""
    if not published:
        return "no date"
    try:
        return local_time(datetime.fromisoformat(published))
    except ValueError:
        return published


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
