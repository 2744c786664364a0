"""Terminal renderings of counts: facet tables, a histogram as a bar chart, index statistics."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from .export import csv_row, json_text, safe_terminal_text
from .facets import Summary
from .stats import IndexStats

__all__ = ["bar", "render_stats", "render_summary", "render_summary_rows"]

_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(count: int, largest: int, width: int) -> str:
    """A horizontal bar ``count/largest`` of ``width`` cells, drawn to an eighth of a cell."""
    if largest <= 0 or count <= 0:
        return ""
    eighths = max(1, round(count / largest * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def render_summary(summary: Summary, width: int = 80) -> Iterator[str]:
    """Facet counts as aligned columns with bars, then the histogram as a bar chart."""
    for name, counted in summary.facets.items():
        yield f"\nby {name}:\n"
        # Values are page text (authors, sites): shown without control characters, on one line.
        pairs = [(" ".join(safe_terminal_text(value).split()), n) for value, n in counted]
        if not pairs:
            yield "   (no hits)\n"
            continue
        label = min(max(len(value) for value, _ in pairs), max(12, width // 3))
        digits = max(len(f"{count:,}") for _, count in pairs)
        largest = pairs[0][1] if pairs else 0
        room = min(50, max(5, width - label - digits - 8))
        for value, count in pairs:
            shown = value if len(value) <= label else value[: label - 1] + "…"
            yield f"   {shown:<{label}}  {count:>{digits},}  {bar(count, largest, room)}\n"
    if summary.histogram_unit is not None:
        yield f"\nhits per {summary.histogram_unit}:\n"
        buckets = summary.histogram
        if not buckets:
            yield "   (no dated hits)\n"
        else:
            label = max(len(bucket.key) for bucket in buckets)
            largest = max(bucket.count for bucket in buckets)
            digits = len(f"{largest:,}")
            room = min(50, max(5, width - label - digits - 8))
            for bucket in buckets:
                shown = f"{bucket.count:>{digits},}"
                yield f"   {bucket.key:<{label}}  {shown}  {bar(bucket.count, largest, room)}\n"
        if summary.undated:
            yield f"   ({summary.undated:,} hit(s) without a date)\n"


def render_summary_rows(summary: Summary, fmt: str, *, raw_csv: bool = False) -> Iterator[str]:
    """The counts as CSV or JSONL rows ``facet, value, count`` (a histogram's facet: its unit);
    CSV cells go through :func:`corpsearch.export.csv_cell`."""
    rows = [
        {"facet": name, "value": value, "count": count}
        for name, pairs in summary.facets.items()
        for value, count in pairs
    ]
    if summary.histogram_unit is not None:
        unit = summary.histogram_unit
        rows += [{"facet": unit, "value": b.key, "count": b.count} for b in summary.histogram]
    if fmt == "jsonl":
        for row in rows:
            yield json_text(row) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=("facet", "value", "count"))
    writer.writeheader()
    writer.writerows(csv_row(row, raw=raw_csv) for row in rows)
    yield buffer.getvalue()


def render_stats(stats: IndexStats) -> Iterator[str]:
    """The statistics of an index as a short readable report."""
    yield f"index      {safe_terminal_text(str(stats.folder))}\n"
    yield f"engine     {stats.engine} (schema version {stats.schema_version})\n"
    yield f"size       {_size(stats.size_bytes)}\n"
    kinds = ", ".join(f"{count:,} {kind}s" for kind, count in stats.by_kind.items())
    yield f"documents  {stats.documents:,} ({kinds})\n"
    if stats.first_date is not None and stats.last_date is not None:
        span = f"{stats.first_date.isoformat()} to {stats.last_date.isoformat()}"
        yield f"dates      {span} (UTC); {stats.undated:,} undated\n"
    else:
        yield f"dates      none; {stats.undated:,} undated\n"
    if stats.by_site:
        sites = [(safe_terminal_text(site), kinds_of) for site, kinds_of in stats.by_site.items()]
        width = max(len(site) for site, _ in sites)
        yield "sites\n"
        for site, kinds_of in sites:
            articles, comments = kinds_of.get("article", 0), kinds_of.get("comment", 0)
            yield f"   {site:<{width}}  {articles:>8,} articles  {comments:>9,} comments\n"


def _size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size:,} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size:,} bytes"
