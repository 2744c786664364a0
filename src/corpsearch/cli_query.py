"""``corpsearch query`` and ``corpsearch stats``: the commands that read an index.

What only some questions need (facets and charts, series, words in context, chosen fields,
exports) is imported where they are asked for, so that a plain search loads no more than the
index, its engine and the table (``tests/test_cli_imports.py``).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import os
import sys
from collections.abc import Iterable, Iterator
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .choices import DEFAULT_WIDTH, FACETS, FORMATS, HISTOGRAM_UNITS, SERIES_BY
from .cli import UsageFailure, ZoneType
from .cli_settings import index_options
from .cli_words import WordsCommand

if TYPE_CHECKING:
    from .engine import Hit, Sort
    from .facets import Summary
    from .index import Index
    from .series import TimeSeries

__all__ = ["query_command", "stats_command"]


_QUERY_EXAMPLES = """\b
Examples:
  corpsearch query assad regime                  both words, in any text field
  corpsearch query '"civil war"'                 the phrase
  corpsearch query '"kill people"~3'             the words at most 3 apart
  corpsearch query 'author:_mowaten_ date:2014-09' --sort date
  corpsearch query 'kind:comment -author:_mowaten_'
  corpsearch query 'headline:assad comments:(quote:"own people")'
  corpsearch query 'assad~1 OR regim*' --kwic

The whole grammar: corpsearch help query-language
"""


@click.command("query", cls=WordsCommand, epilog=_QUERY_EXAMPLES)
@click.argument("words", nargs=-1, required=True, metavar="QUERY")
@index_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output: a readable table, JSON, JSON Lines or CSV.",
)
@click.option(
    "--limit", type=click.IntRange(min=0), default=10, show_default=True, help="Hits per page."
)
@click.option(
    "--offset",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Hits to skip (the next page: --offset 10).",
)
@click.option("--all", "everything", is_flag=True, help="Every hit, streamed (for exports).")
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date", "-date"]),
    default="relevance",
    show_default=True,
    help="Ranking (BM25F, headline weighted) or by date, oldest or newest first.",
)
@click.option("--group", type=click.Choice(["article"]), help="Each article once, with comments.")
@click.option("--facet", "facets", multiple=True, type=click.Choice(FACETS), help="Count hits by.")
@click.option("--histogram", type=click.Choice(HISTOGRAM_UNITS), help="Hits per period.")
@click.option("--since", help="Only hits on or after this date ('2014-09-13', '13 Sep 2014').")
@click.option("--until", help="Only hits on or before this date (the whole day included).")
@click.option("--tz", type=ZoneType(), default="UTC", show_default=True, help="Zone of dates.")
@click.option(
    "--kind",
    type=click.Choice(["article", "comment"]),
    default=None,
    help="Only articles or only comments.",
)
@click.option("--color/--no-color", default=None, help="Highlight matches (default: on a tty).")
@click.option(
    "--fields",
    "fields_spec",
    metavar="LIST",
    help="Columns to print, comma-separated, e.g. id,kind,author,published,text "
    "(text: an article's body, a comment's own words); see 'Full text out' in the README.",
)
@click.option(
    "--kwic",
    type=click.IntRange(min=5, max=500),
    is_flag=False,
    flag_value=DEFAULT_WIDTH,
    default=None,
    metavar="[WIDTH]",
    help=f"Keyword in context: one line per match with WIDTH characters each side "
    f"(default {DEFAULT_WIDTH}), aligned on the match; csv, jsonl and json too.",
)
@click.option(
    "--share",
    is_flag=True,
    help="With --histogram: each period's hits as a share of all documents of their kind "
    "in that period.",
)
@click.option(
    "--by",
    "series_by",
    type=click.Choice(SERIES_BY),
    help="With --histogram: one series per site or author (the --top most frequent).",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="How many series --by draws.",
)
@click.option(
    "--partial",
    is_flag=True,
    help="An index on shards: answer from the shards that are up when some are down, with a "
    "warning naming those left out (else a shard that is down is an error).",
)
@click.option(
    "--raw-csv",
    is_flag=True,
    help="CSV cells as they are, without the ' put before a cell that starts with = + - @, "
    "tab or CR (which a spreadsheet would run as a formula).",
)
def query_command(
    words: tuple[str, ...],
    index_dir: Path,
    fmt: str,
    limit: int,
    offset: int,
    everything: bool,
    sort: Sort,
    group: str | None,
    facets: tuple[str, ...],
    histogram: str | None,
    since: str | None,
    until: str | None,
    tz: tzinfo,
    kind: str | None,
    color: bool | None,
    fields_spec: str | None,
    kwic: int | None,
    share: bool,
    series_by: str | None,
    top: int,
    partial: bool,
    raw_csv: bool,
) -> None:
    """Search the index. QUERY is one or more words; quote it to keep a phrase together, and
    a word may start with '-' (corpsearch query -author:x kind:comment).

    With --facet or --histogram, JSON output adds the counts; CSV and JSON Lines output print
    only the counts; the table prints them after the hits.
    """
    query = " ".join(words)
    if everything and group:
        raise UsageFailure("--all exports hits one by one; it cannot be used with --group")
    use_color = _use_color(color)
    filters: dict[str, Any] = {"kind": kind, "since": since, "until": until, "tz": tz}
    fields = None
    if fields_spec is not None:
        from .fields import parse_fields

        fields = parse_fields(fields_spec)
    if (fields is not None or kwic is not None) and group:
        raise UsageFailure("--fields and --kwic print hits one by one; not with --group")
    if fields is not None and kwic is not None:
        raise UsageFailure("--kwic prints its own columns; leave out --fields")
    if (fields is not None or kwic is not None) and fmt == "json" and (facets or histogram):
        raise UsageFailure(
            "--facet and --histogram with --fields or --kwic print their counts in the table "
            "only; use --format table, or ask for the counts without --fields/--kwic"
        )
    if (share or series_by) and not histogram:
        raise UsageFailure("--share and --by go with --histogram PERIOD (day, week, month, year)")
    series_of = histogram if share or series_by else None
    if series_of and facets and fmt == "csv":
        raise UsageFailure("--facet with --share or --by: use --format json, jsonl or table")
    from .index import Index

    with Index.open(index_dir, partial=partial) as index, _missing_shards_warned(index):
        summary = series = None
        if series_of:
            from .query.ast import MatchAll
            from .series import time_series

            base = index.query_tree(MatchAll(), **filters)
            series = time_series(index.engine, index.query_tree(query, **filters), series_of,
                                 share=share, by=series_by, top=top, kind=kind, base=base,
                                 tz=tz)  # fmt: skip
            histogram = None  # drawn as the series
        if facets or histogram:
            summary = index.summary(query, facets=facets, histogram=histogram, top=50, **filters)
        if fmt in ("csv", "jsonl") and (summary or series):
            if summary is not None:
                from .charts import render_summary_rows

                _echo(render_summary_rows(summary, fmt, raw_csv=raw_csv))
            if series is not None:
                from .series import render_series_rows

                _echo(render_series_rows(series, fmt, raw_csv=raw_csv))
            return
        if fields is not None or kwic is not None:
            from .export import csv_cells

            if everything:
                total = index.search(query, limit=0, **filters).total
                hits: Iterable[Hit] = itertools.islice(
                    index.iter_hits(query, sort=sort, **filters), offset, None
                )
            else:
                page = index.search(query, sort=sort, limit=limit, offset=offset, **filters)
                total, hits = page.total, page.hits
            short = index.short_ids()
            cells = functools.partial(csv_cells, raw=raw_csv)
            if kwic is not None:
                from .kwic import kwic_lines, render_kwic

                lines = kwic_lines(index.engine, index.query_tree(query, **filters), hits, kwic)
                out = render_kwic(query, total, lines, fmt, width=kwic, short_id=short,
                                  color=use_color, csv_row=cells)  # fmt: skip
                _echo(out, use_color)
            elif fields is not None:
                from .fields import field_records, render_fields
                from .output import terminal_width

                records = field_records(index.engine, hits, fields, short)
                width = terminal_width()
                rendered = render_fields(
                    query, total, records, fields, fmt, first=offset, width=width, csv_row=cells
                )
                _echo(rendered)
            if fmt == "table":
                _echo(_counts(summary, series))
            return
        if everything:
            total = index.search(query, limit=0, **filters).total
            hits = itertools.islice(index.iter_hits(query, sort=sort, **filters), offset, None)
            if fmt == "table":
                from .output import render_table

                table = render_table(
                    query, total, hits, color=use_color, first=offset, short_id=index.short_ids()
                )
                _echo(table, use_color)
            else:
                from .export import render_export

                _echo(render_export(query, total, hits, fmt, raw_csv=raw_csv))
            if fmt == "table":
                _echo(_counts(summary, series))
            return
        from .output import render_result

        result = index.search(query, sort=sort, limit=limit, offset=offset, group=group, **filters)
        rendered = render_result(
            result,
            fmt,
            color=use_color,
            summary=summary,
            short_id=index.short_ids(),
            raw_csv=raw_csv,
        )
        if series is not None and fmt == "json":
            from .export import json_text

            data = json.loads("".join(rendered))
            data["histogram"] = series.to_dict()
            rendered = iter([json_text(data, indent=2) + "\n"])
        _echo(rendered, use_color)
        if series is not None and fmt == "table":
            from .output import terminal_width
            from .series import render_series

            _echo(render_series(series, terminal_width()))


@contextlib.contextmanager
def _missing_shards_warned(index: Index) -> Iterator[None]:
    """After a --partial answer, a warning on stderr for each shard it left out."""
    yield
    for shard in index.engine.missing_shards():
        click.echo(f"Warning: {shard} did not answer; these results leave out its documents",
                   err=True)  # fmt: skip


def _counts(summary: Summary | None, series: TimeSeries | None) -> Iterator[str]:
    from .output import terminal_width

    if summary is not None:
        from .charts import render_summary

        yield from render_summary(summary, terminal_width())
    if series is not None:
        from .series import render_series

        yield from render_series(series, terminal_width())


def _use_color(asked: bool | None) -> bool:
    """--color/--no-color, else colour on a terminal unless NO_COLOR is set (no-color.org)."""
    if asked is not None:
        return asked
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _echo(chunks: Iterable[str], color: bool | None = None) -> None:
    """``color=True`` keeps colour codes that click would strip when stdout is not a terminal."""
    for chunk in chunks:
        click.echo(chunk, nl=False, color=color)


@click.command("stats")
@index_options
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
def stats_command(index_dir: Path, as_json: bool) -> None:
    """Documents by kind and site, date span, size on disk, engine and schema version."""
    from .charts import render_stats
    from .export import json_text
    from .index import Index

    with Index.open(index_dir) as index:
        stats = index.stats()
    if as_json:
        click.echo(json_text(stats.to_dict(), indent=2))
    else:
        _echo(render_stats(stats))
