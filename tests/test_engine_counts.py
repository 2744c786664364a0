"""Counts from the engine (facets, histograms): the same on every engine as the plain count.

Every engine indexes the documents of the differential test (the seed, real pages and variations
of their text), some of them moved to instants next to local midnights and clock changes of
several zones and given authors that differ only in case; for random query trees and every
period and zone, ``Engine.counts`` of each engine (tantivy's aggregations, postgres's
``GROUP BY``, whoosh's plain version) must equal the plain count over the matches' values.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from corpsearch import Index
from corpsearch.documents import IndexDocument
from corpsearch.engine import Engine, engine_class, postgres_counts, value_counts
from corpsearch.engine.base import COUNTED, PERIODS, Sort
from corpsearch.query import ast

from .conftest import PAGES, SEED_TEXT
from .test_engine_tantivy import _documents, _queries

ZONES = [
    ZoneInfo(name)
    for name in ("UTC", "Asia/Beirut", "America/Santiago", "Asia/Kathmandu", "Pacific/Chatham")
]


def _edges() -> list[datetime]:
    """Instants a second either side of local midnights and clock changes in ``ZONES``."""
    edges = []
    for zone in ZONES:
        for day in (datetime(2014, 3, 30), datetime(2014, 9, 7), datetime(2014, 4, 27)):
            midnight = day.replace(tzinfo=zone).astimezone(UTC)
            edges += [midnight + timedelta(seconds=s) for s in (-1, 0, 1, 3600, -3600)]
    return edges


def _counted_documents() -> list[IndexDocument]:
    rng = random.Random(7)
    documents = []
    edges = _edges()
    for doc in _documents():
        roll = rng.random()
        if roll < 0.3:
            doc = replace(doc, date=rng.choice(edges))
            doc = replace(doc, published=doc.date.isoformat() if doc.date else None)
        elif roll < 0.4 and doc.author:
            doc = replace(doc, author=doc.author.upper())  # "BOB" and "bob" are two values
        documents.append(doc)
    return documents


@pytest.fixture(scope="module")
def engines(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[list[Engine]]:
    """whoosh (the plain count), tantivy (aggregations), postgres (GROUP BY) on one server
    and on the sharded topology (a plain GROUP BY per shard, summed)."""
    documents = _counted_documents()
    opened = []
    dsns = {
        "postgres": request.getfixturevalue("postgres_dsn"),
        "postgres-sharded": request.getfixturevalue("cluster_dsn"),
    }
    for name in ("whoosh", "tantivy", *dsns):
        folder = tmp_path_factory.mktemp(name)
        engine = engine_class(name.split("-")[0]).create_on(folder, dsns.get(name))
        for part in (documents[::2], documents[1::2]):  # two segments at least
            writer = engine.writer()
            writer.add(part)
            writer.commit()
        opened.append(engine)
    yield opened
    for engine in opened:
        engine.close()


def test_counts_equal_the_plain_count_on_every_engine(engines: list[Engine]) -> None:
    queries = _queries(99)
    trees: list[ast.Node] = [ast.MatchAll(), ast.Term("kind", "comment")]
    trees += [queries.tree() for _ in range(25)]
    rng = random.Random(3)
    for tree in trees:
        fields = rng.sample(COUNTED, rng.randint(1, 3))
        for period in (None, *PERIODS):
            zone = rng.choice(ZONES)
            expected = Engine.counts(engines[0], tree, fields, period, zone)
            for engine in engines:
                found = engine.counts(tree, fields, period, zone)
                assert found == expected, (engine.name, tree, period, zone)


def test_every_zone_counts_days_exactly(engines: list[Engine]) -> None:
    whoosh, tantivy, *postgres = engines
    for zone in ZONES:
        expected = Engine.counts(whoosh, ast.MatchAll(), COUNTED, "day", zone)
        assert tantivy.counts(ast.MatchAll(), COUNTED, "day", zone) == expected
        for server in postgres:
            assert server.counts(ast.MatchAll(), COUNTED, "day", zone) == expected
        assert sum(expected.periods.values()) + expected.undated == expected.total
        assert expected.values["author"].get(None)  # documents without an author are counted


def test_too_many_values_or_periods_are_counted_from_the_matches(
    engines: list[Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    tantivy = engines[1]
    zone = ZoneInfo("Asia/Beirut")
    expected = Engine.counts(tantivy, ast.MatchAll(), COUNTED, "day", zone)
    monkeypatch.setattr(value_counts, "MAX_BUCKETS", 2)  # fewer than the authors, and the days
    assert tantivy.counts(ast.MatchAll(), COUNTED, "day", zone) == expected
    assert tantivy.counts(ast.MatchAll(), ("kind",), "day", zone) == replace(
        expected, values={"kind": expected.values["kind"]}
    )


def test_the_summary_is_the_same_on_every_engine(
    tmp_path: Path, postgres_dsn: str, cluster_dsn: str
) -> None:
    summaries = []
    dsns = {"postgres": postgres_dsn, "postgres-sharded": cluster_dsn}
    for name in ("whoosh", "tantivy", *dsns):
        engine = name.split("-")[0]
        with Index.create(tmp_path / name, engine=engine, dsn=dsns.get(name)) as index:
            index.add([SEED_TEXT, PAGES])
            summary = index.summary(
                "assad OR mobile OR kind:comment",
                facets=["site", "author", "kind", "day", "week", "month", "year"],
                histogram="week",
                tz=ZoneInfo("Asia/Beirut"),
            )
            summaries.append(summary.to_dict())
    assert summaries[0] == summaries[1] == summaries[2] == summaries[3]
    facets = summaries[1]["facets"]
    assert isinstance(facets, dict)
    assert {"value": "naharnet.com", "count": 6} in facets["site"]


def test_postgres_counts_in_the_server_in_any_zone(
    engines: list[Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """GROUP BY in the server, never the matches read back: for named zones and fixed offsets
    (an offset is east of UTC, as Python's; PostgreSQL's text '+05:45' would be west)."""
    whoosh, _, *postgres = engines
    zones = [ZONES[1], timezone(timedelta(hours=5, minutes=45)), timezone(-timedelta(hours=3))]
    expected = {
        (zone, period): Engine.counts(whoosh, ast.MatchAll(), COUNTED, period, zone)
        for zone in zones
        for period in PERIODS
    }

    def no_reading(*args: object) -> None:
        raise AssertionError("counted from the matches, not by the server")

    monkeypatch.setattr(type(postgres[0]), "scan", no_reading)
    tree = ast.Term("kind", "comment")
    for server in postgres:  # one server, then the shards
        for (zone, period), counted in expected.items():
            assert server.counts(ast.MatchAll(), COUNTED, period, zone) == counted, (zone, period)
        assert server.counts(tree).total == Engine.counts(whoosh, tree).total > 0


def test_article_tallies_equal_the_plain_ones(engines: list[Engine]) -> None:
    """--group article: postgres's GROUP BY article_id gives the plain version's groups, in
    its order (each article where its best-placed hit is), on every page, on one server and
    on the shards."""
    queries = _queries(41)
    trees: list[ast.Node] = [ast.MatchAll(), ast.Term("kind", "comment")]
    trees += [queries.tree() for _ in range(12)]
    sorts: tuple[Sort, ...] = ("relevance", "date", "-date")
    for postgres in engines[2:]:
        grouped = 0
        for tree in trees:
            for sort in sorts:
                total, everything = Engine.article_tallies(postgres, tree, sort, 0, 10**6)
                grouped += total
                assert postgres.article_tallies(tree, sort, 0, 10**6) == (total, everything)
                assert postgres.article_tallies(tree, sort, 3, 4) == (total, everything[3:7])
                assert postgres.article_tallies(tree, sort, total + 1, 5) == (total, [])
        assert grouped > 100


def _first(day: date, zone: ZoneInfo) -> int:
    return int(datetime.combine(day, datetime.min.time(), tzinfo=zone).timestamp())


@pytest.mark.parametrize("zone", ZONES, ids=str)
@pytest.mark.parametrize("period", ["day", "month", "year"])
def test_period_thresholds_start_each_local_period(zone: ZoneInfo, period: str) -> None:
    """On shards each period is counted as the seconds from its first to the next one's
    (postgres_counts): each threshold is the first second of its local period."""
    first, last = _first(date(2013, 12, 20), zone), _first(date(2015, 1, 3), zone)
    found = postgres_counts.period_thresholds(period, zone, first, last)
    assert found is not None
    assert found.starts[0] <= datetime.fromtimestamp(first, zone).date()
    assert found.starts[-1] <= datetime.fromtimestamp(last, zone).date()
    assert len(found.seconds) == len(found.starts) + 1
    for start, second, end in zip(found.starts, found.seconds, found.seconds[1:], strict=False):
        assert datetime.fromtimestamp(second - 1, zone).date() < start
        assert datetime.fromtimestamp(second, zone).date() == start
        assert datetime.fromtimestamp(end - 1, zone).date() >= start
    assert {"day": 380, "month": 14, "year": 3}[period] >= len(found.starts)


def test_period_thresholds_of_a_skipped_day_and_a_day_lived_twice() -> None:
    """Samoa skipped 30 December 2011: an empty day. Sitka went back a whole day in 1867
    (Alaska's purchase): its days are not one span of seconds each, so None (the coordinator
    then groups the matches' local dates)."""
    apia = ZoneInfo("Pacific/Apia")
    found = postgres_counts.period_thresholds(
        "day", apia, _first(date(2011, 12, 28), apia), _first(date(2012, 1, 2), apia)
    )
    assert found is not None
    at = found.starts.index(date(2011, 12, 30))
    assert found.seconds[at] == found.seconds[at + 1]
    sitka = ZoneInfo("America/Sitka")
    assert (
        postgres_counts.period_thresholds(
            "day", sitka, _first(date(1867, 10, 10), sitka), _first(date(1867, 10, 30), sitka)
        )
        is None
    )
    assert postgres_counts.period_thresholds("day", UTC, 0, 10**10) is None  # too many
