"""The postgres engine on a real local topology (tests/pgcluster.py: a coordinator, two shards,
a streaming replica of each): the same answers as one server, an article and its comments on
one shard, counts sent to the shards, reads that go on from a replica when a shard's primary
stops, and a shard that is down as a clear error or, with --partial, the other shard's answer.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
from click.testing import CliRunner

from corpsearch import Index
from corpsearch.cli import cli
from corpsearch.cluster import load_topology, start_cluster

from .conftest import FIXTURES, PAGES, ROOT, SEED_HTML, SEED_TEXT
from .pgserver import _programs

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


def _plans(index: Index, read: Callable[[], object], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The plans (EXPLAIN VERBOSE, by auto_explain) of every statement ``read`` runs on the
    engine's connections to the coordinator (its own, and those it takes for a transaction)."""
    engine = index.engine
    plans: list[str] = []
    explained: list[psycopg.Connection[tuple[object, ...]]] = []

    def explain(conn: psycopg.Connection[tuple[object, ...]]) -> None:
        conn.add_notice_handler(lambda notice: plans.append(notice.message_primary or ""))
        conn.execute("LOAD 'auto_explain'")
        for name, value in [
            ("log_level", "notice"),
            ("log_verbose", "on"),
            ("log_min_duration", "0"),
        ]:
            conn.execute(f"SET auto_explain.{name} = {value}")
        explained.append(conn)

    explain(engine._read())  # type: ignore[attr-defined]
    taken = engine._stream_connection  # type: ignore[attr-defined]
    monkeypatch.setattr(engine, "_spare", [])
    monkeypatch.setattr(engine, "_stream_connection", lambda: explain(taken()) or explained[-1])
    read()
    for conn in explained:
        if not conn.closed:
            conn.execute("SET auto_explain.log_min_duration = -1")
    return [plan for plan in plans if "Query Text" in plan]


def _shard_reads(plan: str) -> list[tuple[bool, bool, str]]:
    """Each scan of a shard in ``plan``: (asynchronous, an aggregate, its remote SQL)."""
    reads, scan = [], None
    for line in plan.splitlines():
        line = line.strip()
        if "Foreign Scan" in line:
            scan = [line.startswith(("->  Async", "Async")), False]
        elif scan is not None and line.startswith("Relations: Aggregate on"):
            scan[1] = True
        elif scan is not None and line.startswith("Remote SQL:"):
            reads.append((scan[0], scan[1], line.removeprefix("Remote SQL: ")))
            scan = None
    return reads


# What each shard must be sent, found in its remote SQL.
PUSHED = [
    ("top 10 by relevance", lambda i: i.search("the OR kind:comment"), r"array_agg\(id ORDER BY \(+ts_rank_cd\(.*\)\)\[1:10\]"),
    ("top 10 by date", lambda i: i.search("the", sort="-date"), r"array_agg\(id ORDER BY date_s DESC NULLS LAST, id ASC NULLS LAST\)\)\[1:10\]"),
    ("counts and a histogram", lambda i: i.summary("the", facets=["site", "author", "kind"], histogram="month", tz=ZoneInfo("Asia/Beirut")), r"width_bucket\(r1\.date_s, '\{\d+,\d+,.*count_axes"),
    ("--group article", lambda i: i.search("the", group="article", limit=5), r"bool_or\(\(kind = 'article'\)\).*array_agg\(.*GROUP BY 1"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "read", "pushed"), PUSHED, ids=[p[0] for p in PUSHED])
def test_pages_counts_and_groups_are_computed_on_the_shards(
    sharded: Index,
    what: str,
    read: Callable[[Index], object],
    pushed: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No shard sends a row per match (docs/scaling.md, "What the plans show"): each reads
    either an aggregate the shard computes whole (its WHERE, and its ORDER BY, GROUP BY or
    histogram buckets; each shard's part asynchronous, so the shards work at once) or the rows
    of the page's ids (for --group article, the hits of the page's articles)."""
    plans = _plans(sharded, lambda: read(sharded), monkeypatch)
    reads = [scan for plan in plans for scan in _shard_reads(plan)]
    assert len(reads) >= 2, plans
    for asynchronous, aggregate, remote in reads:
        page_rows = "WHERE ((id = ANY ('{" in remote or "AND (((article_id = '" in remote
        assert aggregate or page_rows, (what, remote)
        assert asynchronous or not aggregate, (what, remote)
    aggregates = [remote for _, aggregate, remote in reads if aggregate]
    assert sum(bool(re.search(pushed, remote)) for remote in aggregates) == 2, (what, aggregates)
    # the matching is sent too: in a WHERE, or in the ON of the join with count_axes
    sent = [re.search(r"WHERE|INNER JOIN \S+\.count_axes r2 ON ", r) for r in aggregates]
    assert all(found for found, r in zip(sent, aggregates, strict=True) if "min(date_s)" not in r)


def test_counts_are_one_aggregate_per_shard(
    sharded: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Facets, the histogram and the total: one scan of each shard's matches (their join with
    the shard's count_axes, one aggregate it computes whole, the shards at once), not one per
    field; an index without count_axes (made before it) counts one field at a time, alike."""
    zone = ZoneInfo("Asia/Beirut")

    def summary() -> dict[str, object]:
        found = sharded.summary(
            "the OR kind:comment", facets=["site", "author", "kind"], histogram="month", tz=zone
        )
        return found.to_dict()

    plans = _plans(sharded, summary, monkeypatch)
    reads = [scan for plan in plans for scan in _shard_reads(plan)]
    counted = [(asynchronous, remote) for asynchronous, aggregate, remote in reads
               if aggregate and "min(date_s)" not in remote]  # fmt: skip
    assert len(counted) == 2, counted  # one per shard
    for asynchronous, remote in counted:
        assert asynchronous, remote
        assert "count_axes" in remote and "width_bucket(" in remote, remote
        assert all(f".{column}" in remote for column in ("site", "author", "kind")), remote
    joined = summary()
    with _coordinator(sharded) as conn:  # as an index made before count_axes
        conn.execute("DROP FOREIGN TABLE axes_shard0, axes_shard1")
    with Index.open(sharded.folder) as older:
        found: list[dict[str, object]] = []
        asked = {"facets": ["site", "author", "kind"], "histogram": "month", "tz": zone}
        plans = _plans(
            older,
            lambda: found.append(older.summary("the OR kind:comment", **asked).to_dict()),  # type: ignore[arg-type]
            monkeypatch,
        )
        assert found == [joined]
        reads = [scan for plan in plans for scan in _shard_reads(plan)]
        assert len([r for r in reads if r[1]]) > 2 * 2  # a field at a time
        assert not any("count_axes" in remote for _, _, remote in reads)
        older.engine.writer().cancel()  # its next write adds them again
        assert all(s.axes for s in older.engine._shards)  # type: ignore[attr-defined]
    assert summary() == joined
    assert joined["total"] == sharded.search("the OR kind:comment", limit=0).total > 0


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


def test_pages_from_several_threads_at_once(sharded: Index) -> None:
    """The web app searches from several threads on one index: a page's transaction on shards
    is on a connection of its own, so the threads' pages never mix."""
    expected = _answers(sharded)
    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(lambda _: _answers(sharded), range(8)))
    assert all(answers == expected for answers in found)


@pytest.mark.sharded
def test_the_readme_cluster_example_runs_as_written() -> None:
    """The README's block starts a sharded topology, indexes the bundled pages into it, finds
    the seed's 4 comments by _mowaten_ and destroys it, run as one shell script in a folder
    holding ``fixtures/`` (as a checkout does)."""
    if _programs() is None:
        pytest.skip("PostgreSQL 15 is not installed (apt-get install postgresql-15)")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"a test runs this block as written\):\n\n```sh\n(.*?)```", readme, re.S)
    assert found is not None
    folder = Path(tempfile.mkdtemp(prefix="corpsearch-readme-"))
    if os.geteuid() == 0:  # the servers run as postgres, who must reach ./cluster
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
    os.symlink(FIXTURES, folder / "fixtures")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    try:
        done = subprocess.run(
            ["bash", "-e", "-c", found.group(1)], cwd=folder, env=env, capture_output=True,
            text=True, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "4 hits for 'author:_mowaten_'" in done.stdout, done.stdout
        assert not (folder / "cluster" / "cluster.json").exists()  # destroyed
    finally:
        if (folder / "cluster" / "cluster.json").exists():
            CliRunner().invoke(cli, ["cluster", "destroy", "--yes", str(folder / "cluster")])
        shutil.rmtree(folder, ignore_errors=True)
