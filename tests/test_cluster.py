"""The postgres engine on a real local topology (tests/pgcluster.py: a coordinator, two shards,
a streaming replica of each): the same answers as one server, an article and its comments on
one shard, counts sent to the shards, reads that go on from a replica when a shard's primary
stops, and a shard that is down as a clear error or, with --partial, the other shard's answer.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
from click.testing import CliRunner

from corpsearch import Index
from corpsearch.cli import cli
from corpsearch.cluster import load_topology, start_cluster
from corpsearch.engine import postgres_counts

from .conftest import FIXTURES, PAGES, SEED_HTML, SEED_TEXT

SOURCES = [SEED_TEXT, SEED_HTML, PAGES, FIXTURES / "query-pages"]
QUERIES = ["assad", "kind:comment", "author:_mowaten_", '"civil war" OR mobile', "comments:(the)"]


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory, cluster_dsn: str) -> Iterator[Index]:
    """One index on the topology for the module (the tests leave every server running)."""
    folder = tmp_path_factory.mktemp("sharded") / "index"
    index = Index.create(folder, engine="postgres", dsn=cluster_dsn)
    for source in SOURCES:
        assert index.add([source]).failures == []
    yield index
    index.close()


def _answers(index: Index) -> dict[str, tuple[int, list[str]]]:
    found = {}
    for query in QUERIES:
        result = index.search(query, sort="date", limit=1000)
        found[query] = (result.total, [hit.id for hit in result.hits])
    return found


def _coordinator(index: Index) -> psycopg.Connection[tuple[object, ...]]:
    connection = json.loads((index.folder / "postgres" / "connection.json").read_text())
    conn = psycopg.connect(connection["dsn"], autocommit=True)
    conn.execute(f"SET search_path TO {connection['schema']}, public")
    return conn


def test_same_answers_as_one_server_with_articles_whole_on_a_shard(
    tmp_path: Path, sharded: Index, postgres_dsn: str
) -> None:
    with Index.create(tmp_path / "single", engine="postgres", dsn=postgres_dsn) as single:
        for source in SOURCES:
            single.add([source])
        assert _answers(sharded) == _answers(single)
        assert sharded.count() == single.count()
        summary = {"facets": ["site", "author", "kind", "day"], "histogram": "week"}
        zone = ZoneInfo("Asia/Beirut")
        assert (
            sharded.summary("the OR kind:comment", **summary, tz=zone).to_dict()  # type: ignore[arg-type]
            == single.summary("the OR kind:comment", **summary, tz=zone).to_dict()  # type: ignore[arg-type]
        )
        grouped = sharded.search("the", group="article", sort="date", limit=50)
        assert (
            grouped.to_dict()
            == single.search("the", group="article", sort="date", limit=50).to_dict()
        )
    with _coordinator(sharded) as conn:
        shards = conn.execute(
            "SELECT tableoid::regclass::text, count(*) FROM docs GROUP BY 1 ORDER BY 1"
        ).fetchall()
        assert [name for name, _ in shards] == ["docs_shard0", "docs_shard1"]
        assert all(count > 5 for _, count in shards)
        split = conn.execute(
            "SELECT article_id FROM docs GROUP BY article_id HAVING count(DISTINCT tableoid) > 1"
        ).fetchall()
        assert split == []  # an article and its comments are on one shard


def test_counts_and_totals_are_sent_to_the_shards(sharded: Index) -> None:
    """EXPLAIN: the total and each field's counts are aggregates each shard computes, its
    part an asynchronous foreign scan (the coordinator adds up a few rows per value); the
    local period is grouped on the coordinator from the shards' dates (docs/scaling.md)."""
    engine = sharded.engine
    compiled = engine._compile(sharded.query_tree("the OR kind:comment"))  # type: ignore[attr-defined]
    statement, params = postgres_counts.counts_sql(
        ["docs_shard0", "docs_shard1"], compiled.where, compiled.params, ["site"], "day",
        ("%s", "UTC"), True,
    )  # fmt: skip
    with _coordinator(sharded) as conn:
        plan = "\n".join(
            row[0] for row in conn.execute(f"EXPLAIN (VERBOSE) {statement}".encode(), params)
        )
    pushed = [line.strip() for line in plan.splitlines() if "Remote SQL" in line]
    assert sum("count(*) FROM" in line and "GROUP BY" not in line for line in pushed) == 2, plan
    assert sum("site, count(*) FROM" in line and "GROUP BY 2" in line for line in pushed) == 2
    assert plan.count("Async Foreign Scan") >= 4, plan


def _caught_up(folder: Path) -> None:
    """Wait until every replica has replayed what its primary wrote."""
    topology = load_topology(folder)
    deadline = time.monotonic() + 30
    for shard in range(topology.shards):
        primary, *replicas = topology.shard_nodes(shard)
        with psycopg.connect(f"postgresql://corpsearch@127.0.0.1:{primary.port}/postgres") as p:
            written = p.execute("SELECT pg_current_wal_lsn()").fetchone()
        for replica in replicas:
            url = f"postgresql://corpsearch@127.0.0.1:{replica.port}/postgres"
            with psycopg.connect(url, autocommit=True) as r:
                while True:
                    row = r.execute(
                        "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", written
                    ).fetchone()
                    if row and row[0]:
                        break
                    assert time.monotonic() < deadline, f"{replica.name} did not catch up"
                    time.sleep(0.05)


def _cli(*args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(cli, list(args))
    assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
    return done.exit_code, done.stdout, done.stderr


def test_reads_go_on_from_the_replica_when_a_primary_stops(
    sharded: Index, cluster_folder: Path
) -> None:
    expected = _answers(sharded)
    _caught_up(cluster_folder)
    stopping = threading.Thread(
        target=lambda: _cli("cluster", "stop", str(cluster_folder), "shard0"), daemon=True
    )
    answered = 0
    try:
        started = time.monotonic()
        stopping.start()
        while stopping.is_alive() or answered < 10 or time.monotonic() - started < 1:
            assert _answers(sharded) == expected
            answered += 1
        code, out, _ = _cli("cluster", "status", str(cluster_folder), "--json")
        running = {node["name"]: node["running"] for node in json.loads(out)}
        assert code == 0 and running["shard0"] is False and running["shard0-replica1"] is True
        assert _answers(sharded) == expected  # a new session connects to the replica at once
    finally:
        stopping.join(60)
        start_cluster(cluster_folder)
    assert answered >= 10


def test_a_shard_that_is_down_is_named_or_left_out_with_partial(
    sharded: Index, cluster_folder: Path
) -> None:
    folder = str(sharded.folder)
    with _coordinator(sharded) as conn:
        on_shard0 = {row[0] for row in conn.execute("SELECT id FROM docs_shard0")}
    full = _answers(sharded)
    code, _, _ = _cli("cluster", "stop", str(cluster_folder), "shard1", "shard1-replica1")
    assert code == 0
    try:
        code, out, err = _cli("query", "--index", folder, "assad")
        assert code == 1 and "Traceback" not in err
        assert "shard 1 of this index's cluster" in err and "--partial" in err
        for query, (_, ids) in full.items():
            code, out, err = _cli("query", "--index", folder, "--partial", "--sort", "date",
                                  "--limit", "1000", "--format", "json", query)  # fmt: skip
            assert code == 0, err
            assert [h["id"] for h in json.loads(out)["hits"]] == [i for i in ids if i in on_shard0]
            assert "Warning: shard 1 (127.0.0.1:" in err and "did not answer" in err
        code, out, err = _cli("query", "--index", folder, "--partial", "--facet", "kind",
                              "--format", "jsonl", "kind:comment")  # fmt: skip
        comments = sum(1 for i in on_shard0 if i in full["kind:comment"][1])
        assert json.loads(out.splitlines()[0])["count"] == comments
    finally:
        start_cluster(cluster_folder)
    assert _answers(sharded) == full
