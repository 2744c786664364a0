"""The names a question may choose from: output formats, facets, periods and series.

They live apart from the code that uses them (output, facets, series, which import them from
here) so that the command line can offer them as choices without importing that code: a plain
``corpsearch query`` then loads no facets, charts or series (benchmarks/results/startup.md).
"""

from __future__ import annotations

__all__ = ["FACETS", "FORMATS", "HISTOGRAM_UNITS", "SERIES_BY"]

# How results are printed (corpsearch.output).
FORMATS = ("table", "json", "jsonl", "csv")
# What hits are counted by, and the periods a histogram counts them in (corpsearch.facets).
FACETS = ("site", "author", "kind", "day", "week", "month", "year")
HISTOGRAM_UNITS = ("day", "week", "month", "year")
# What --histogram may draw one series per (corpsearch.series).
SERIES_BY = ("site", "author")
