"""Attention over time: ``--histogram PERIOD --share`` and ``--by site|author``."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpsearch import Index
from corpsearch.cli import cli
from corpsearch.documents import IndexDocument
from corpsearch.facets import period_key
from corpsearch.query.ast import MatchAll
from corpsearch.series import time_series

from .conftest import FIXTURES, PAGES, SEED_HTML


@pytest.fixture()
def index_dir(tmp_path: Path, engine: str) -> Path:
    folder = tmp_path / "index"
    with Index.create(folder, engine=engine) as index:
        assert not index.add([SEED_HTML, PAGES, FIXTURES / "query-pages"]).failures
    return folder


def _month_counts(docs: list[IndexDocument]) -> Counter[str]:
    return Counter(period_key(d.date.date(), "month") for d in docs if d.date is not None)


def test_share_is_matches_over_all_documents_of_the_kind_per_period(index_dir: Path) -> None:
    query = "thanks OR thank"
    with Index.open(index_dir) as index:
        matched_ids = {hit.id for hit in index.iter_hits(query, kind="comment")}
        comments = [d for d in index.documents() if d.kind == "comment"]
        tree = index.query_tree(query, kind="comment")
        series = time_series(index.engine, tree, "month", share=True, kind="comment")
    matched = _month_counts([d for d in comments if d.id in matched_ids])
    everything = _month_counts(comments)
    assert len(matched_ids) >= 5 and series.kinds == ("comment",)
    (line,) = series.series
    points = {p.key: p for p in line.points}
    assert {k: p.count for k, p in points.items() if p.count} == dict(matched)
    for key, point in points.items():
        assert point.total == everything.get(key, 0)
        assert point.share == (point.count / point.total if point.total else None)
    assert sum(p.count for p in line.points) + series.undated == len(matched_ids)


def test_by_site_gives_one_series_per_site_with_its_own_shares(index_dir: Path) -> None:
    with Index.open(index_dir) as index:
        tree = index.query_tree("kind:comment")
        series = time_series(index.engine, tree, "year", share=True, by="site", top=2)
        sites = Counter(d.site for d in index.documents() if d.kind == "comment")
    ranked = sorted(sites.items(), key=lambda item: (-item[1], item[0]))
    assert [(s.value, s.count) for s in series.series] == ranked[:2]
    assert series.others == sum(n for _, n in ranked[2:])
    for line in series.series:  # every comment of a site matches: its shares are all 1
        assert {p.share for p in line.points if p.total} == {1.0}


def test_date_filters_cut_the_denominators_too(index_dir: Path) -> None:
    with Index.open(index_dir) as index:
        filters = {"kind": "comment", "since": "2016-11-02", "until": "2016-11-30"}
        tree = index.query_tree("kind:comment", **filters)
        base = index.query_tree(MatchAll(), **filters)
        series = time_series(index.engine, tree, "month", share=True, base=base)
        expected = sum(
            1
            for d in index.documents()
            if d.kind == "comment" and d.published and d.published[:10] >= "2016-11-02"
            and d.published[:7] == "2016-11"
        )  # fmt: skip
    (point,) = series.series[0].points
    assert point.key == "2016-11" and point.count == point.total == expected and expected > 0


def test_cli_table_json_and_csv(index_dir: Path) -> None:
    runner = CliRunner()
    base = ["query", "--index", str(index_dir), "thanks OR thank", "--kind", "comment"]
    table = runner.invoke(cli, [*base, "--histogram", "month", "--share", "--limit", "0"])
    assert table.exit_code == 0, table.stderr
    assert "share of all comments per month:" in table.stdout
    assert any(
        line.strip().startswith("2016-11  8 of 18   44.4%") for line in table.stdout.splitlines()
    )
    data = json.loads(
        runner.invoke(
            cli, [*base, "--histogram", "year", "--by", "author", "--format", "json"]
        ).stdout
    )
    assert data["histogram"]["by"] == "author" and data["histogram"]["share"] is False
    assert len(data["histogram"]["series"]) == 5
    rows = list(csv.DictReader(io.StringIO(runner.invoke(
        cli, [*base, "--histogram", "year", "--share", "--format", "csv"]).stdout)))  # fmt: skip
    assert list(rows[0]) == ["series", "key", "start", "count", "total", "share"]
    assert {row["series"] for row in rows} == {"(all)"}
    lonely = runner.invoke(cli, [*base, "--share"])
    assert lonely.exit_code == 2 and "--share and --by go with --histogram" in lonely.stderr
