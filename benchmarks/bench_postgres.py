"""The postgres engine on one server and on shards with replicas, against tantivy.

Makes ``--documents`` documents from the seed's and the bundled real pages' text (as
bench_counts.py: new ids, dates over five years, 2,000 authors, 20 sites, an article to every
ten comments), starts a PostgreSQL 15 server and a topology of ``--shards`` shards with a
replica each (``corpsearch.cluster``, loopback ports, in ``--work``), loads the same documents
into tantivy, postgres on the one server and postgres on the shards (one writer, commits of
``--batch`` documents, as a job commits), and measures for each:

- load: documents per second (extraction excluded: the documents are made once);
- index size: tantivy's folder; postgres's tables and indexes (on every shard);
- every query type of bench_queries.py (top 10 with snippets and the total), and counts
  (site, author, kind and months in Asia/Beirut) and ``--group article`` pages:
  median and p95 in milliseconds.

Writes a Markdown table to ``--out``. The servers are stopped and removed at the end.

    python benchmarks/bench_postgres.py --documents 20000 --out benchmarks/results/postgres-20k.md
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import psycopg  # noqa: E402

from bench_counts import make_documents  # noqa: E402
from bench_queries import QUERY_TYPES, BenchQuery, draw_queries, latency  # noqa: E402
from corpsearch import Index  # noqa: E402
from corpsearch.cluster import Topology, destroy_cluster, init_cluster  # noqa: E402
from corpsearch.documents import IndexDocument  # noqa: E402

ZONE = ZoneInfo("Asia/Beirut")
EXTRA = ("counts (4 fields, months)", "--group article (page 1)")


def load(index: Index, documents: list[IndexDocument], batch: int) -> float:
    """Seconds to write ``documents`` in commits of ``batch``."""
    started = time.perf_counter()
    for at in range(0, len(documents), batch):
        writer = index.engine.writer()
        writer.add(documents[at : at + batch])
        writer.commit()
    return time.perf_counter() - started


def postgres_bytes(index: Index, topology: Topology) -> int:
    """The bytes of the index's tables and indexes on the coordinator and every shard."""
    schema = index.engine._connection.schema  # type: ignore[attr-defined]
    ports = [n.port for n in topology.nodes if n.role in ("coordinator", "primary")]
    total = 0
    for port in ports:
        with psycopg.connect(f"postgresql://corpsearch@127.0.0.1:{port}/postgres") as conn:
            row = conn.execute(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind IN ('r', 'm')",
                [schema],
            ).fetchone()
            total += int(row[0]) if row else 0
    return total


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure(index: Index, queries: dict[str, list[BenchQuery]], budget: float) -> dict[str, Any]:
    def search(query: BenchQuery) -> int:
        return index.search(query.text, sort=query.sort, limit=10).total  # type: ignore[arg-type]

    found = {kind: latency(search, qs, budget) for kind, qs in queries.items()}
    words = [q for q in queries["common word"] + queries["word + date range"]]

    def counts(query: BenchQuery) -> int:
        summary = index.summary(
            query.text, facets=["site", "author", "kind"], histogram="month", tz=ZONE
        )
        return int(summary.total)

    def grouped(query: BenchQuery) -> int:
        return index.search(query.text, group="article", limit=10).total

    found[EXTRA[0]] = latency(counts, words, budget)
    found[EXTRA[1]] = latency(grouped, words, budget)
    return found


class LoadSampler:
    """The machine's 1-minute load average every ``every`` seconds while a run goes on (the
    machine may be shared: the figures are read beside it)."""

    def __init__(self, every: float = 15.0) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> str:
        if not self.samples:
            return "not sampled"
        mean = sum(self.samples) / len(self.samples)
        return f"{min(self.samples):.1f} to {max(self.samples):.1f}, mean {mean:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--batch", type=int, default=2_000)
    parser.add_argument("--per-type", type=int, default=40)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per query type")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="corpsearch-bench-pg-"))
    work.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:  # the servers run as postgres, who must reach their folders
        shutil.chown(work, "postgres", "postgres")
    began = time.perf_counter()
    documents = make_documents(args.documents)
    authors = sorted({d.author for d in documents if d.author})
    queries = draw_queries(documents, authors, args.per_type)
    load_before = os.getloadavg()[0]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    sampler = LoadSampler().__enter__()
    single = init_cluster(work / "single", shards=0, fast=True, shared_buffers="128MB")
    sharded = init_cluster(
        work / "sharded", shards=args.shards, replicas=1, fast=True, shared_buffers="64MB"
    )
    rows: dict[str, dict[str, Any]] = {}
    try:
        setups: dict[str, Callable[[], Index]] = {
            "tantivy": lambda: Index.create(work / "tantivy", engine="tantivy"),
            "postgres, one server": lambda: Index.create(
                work / "pg-single", engine="postgres", dsn=single.dsn
            ),
            f"postgres, {args.shards} shards + replicas": lambda: Index.create(
                work / "pg-sharded", engine="postgres", dsn=sharded.dsn
            ),
        }
        for name, create in setups.items():
            with create() as index:
                seconds = load(index, documents, args.batch)
                if index.engine.name == "tantivy":
                    size = folder_bytes(work / "tantivy")
                else:
                    size = postgres_bytes(index, sharded if "shards" in name else single)
                rows[name] = {
                    "docs_per_s": len(documents) / seconds,
                    "bytes": size,
                    "queries": measure(index, queries, args.budget),
                }
                print(f"{name}: {rows[name]['docs_per_s']:.0f} docs/s", file=sys.stderr)
    finally:
        destroy_cluster(work / "single")
        destroy_cluster(work / "sharded")
    load_after = os.getloadavg()[0]
    sampler.__exit__()
    during = f"{sampler.summary()} ({started}, {time.perf_counter() - began:,.0f} s in all)"
    text = render(rows, len(documents), args, load_before, load_after, during)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


def render(
    rows: dict[str, dict[str, Any]],
    count: int,
    args: argparse.Namespace,
    before: float,
    after: float,
    during: str,
) -> str:
    names = list(rows)
    lines = [
        f"# postgres engine: one server, {args.shards} shards with replicas, tantivy",
        "",
        f"`python benchmarks/bench_postgres.py --documents {count}` — {count:,} documents "
        f"(bench_counts.py's), commits of {args.batch:,}; {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores shared with other work, load "
        f"{before:.1f} before / {after:.1f} after, sampled every 15 s during the run: {during}. "
        "All servers on this machine (loopback), fsync off. Latency: median / p95 in ms, top "
        "10 with snippets and the total.",
        "",
        "| | " + " | ".join(names) + " |",
        "| --- |" + " --- |" * len(names),
        "| load (documents/s) | "
        + " | ".join(f"{rows[n]['docs_per_s']:,.0f}" for n in names)
        + " |",
        "| index size (MB) | " + " | ".join(f"{rows[n]['bytes'] / 1e6:,.1f}" for n in names) + " |",
    ]
    for kind in (*QUERY_TYPES, *EXTRA):
        cells = []
        for name in names:
            found = rows[name]["queries"][kind]
            cells.append(f"{found['median_ms']:,.1f} / {found['p95_ms']:,.1f}")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
