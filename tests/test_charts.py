"""Bar charts and reports in the terminal."""

from __future__ import annotations

from datetime import UTC, datetime

from corpsearch.charts import bar, render_stats, render_summary
from corpsearch.engine.base import DocValues
from corpsearch.facets import summarise
from corpsearch.stats import IndexStats


def test_bars_are_proportional_to_an_eighth_of_a_cell() -> None:
    assert bar(10, 10, 8) == "█" * 8
    assert bar(5, 10, 8) == "█" * 4
    assert bar(1, 16, 8) == "▌"
    assert bar(1, 10_000, 8) == "▏"  # a count above zero always shows
    assert bar(0, 10, 8) == ""


def test_histogram_lines_fit_the_width() -> None:
    values = [
        DocValues(str(i), "comment", "a", "someone", "site", datetime(2014, m, 1, tzinfo=UTC))
        for i, m in enumerate([1, 1, 1, 2, 5, 5])
    ]
    lines = "".join(render_summary(summarise(values, histogram="month"), 40)).splitlines()
    assert lines[1] == "hits per month:"
    assert [line.split()[:2] for line in lines[2:]] == [
        ["2014-01", "3"],
        ["2014-02", "1"],
        ["2014-03", "0"],
        ["2014-04", "0"],
        ["2014-05", "2"],
    ]
    assert all(len(line) <= 40 for line in lines)


def test_stats_report() -> None:
    stats = IndexStats("ix", "whoosh", 2, 3 * 2**20, 6, {"article": 1, "comment": 5})
    stats.by_site = {"naharnet.com": {"article": 1, "comment": 5}}
    text = "".join(render_stats(stats))
    assert "size       3.0 MiB" in text
    assert "documents  6 (1 articles, 5 comments)" in text
    assert "dates      none; 0 undated" in text
    assert "naharnet.com         1 articles          5 comments" in text
