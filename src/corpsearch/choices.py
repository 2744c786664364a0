"""The names a question may choose from: output formats, facets, periods, series and the width of
words in context.

They live apart from the code that uses them (output, facets, series, kwic, which import them
from here) so that the command line can offer them as choices without importing that code: a
plain ``corpsearch query`` then loads no facets, charts, series or concordance
(benchmarks/results/startup.md).
"""

from __future__ import annotations

__all__ = ["DEFAULT_WIDTH", "FACETS", "FORMATS", "HISTOGRAM_UNITS", "SERIES_BY"]

# How results are printed (corpsearch.output).
FORMATS = ("table", "json", "jsonl", "csv")
# What hits are counted by, and the periods a histogram counts them in (corpsearch.facets).
FACETS = ("site", "author", "kind", "day", "week", "month", "year")
HISTOGRAM_UNITS = ("day", "week", "month", "year")
# What --histogram may draw one series per (corpsearch.series).
SERIES_BY = ("site", "author")
# Characters of context on each side of a match (corpsearch.kwic).
DEFAULT_WIDTH = 30
