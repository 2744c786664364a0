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

Writes a Markdown table to ``--out`` and the figures to ``--json`` (rewritten after each
engine, so a long run that is stopped keeps what it measured; a run with ``--engines`` adds its
rows to the figures already in that file). The servers are stopped and removed at the end, or,
with ``--keep``, stopped and kept in ``--work``, so a later run with ``--reuse`` starts them
again and measures the queries of the loaded indexes without loading them again (to time a
change of the query code on the same data).

    python benchmarks/bench_postgres.py --documents 20000 --out benchmarks/results/postgres-20k.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import psycopg  # noqa: E402

from bench_counts import make_documents  # noqa: E402
from bench_queries import QUERY_TYPES, BenchQuery, draw_queries, latency  # noqa: E402
from corpsearch import Index  # noqa: E402
from corpsearch.cluster import (  # noqa: E402
    Topology,
    cluster_status,
    destroy_cluster,
    init_cluster,
    start_cluster,
    stop_cluster,
)
from corpsearch.documents import IndexDocument  # noqa: E402

ZONE = ZoneInfo("Asia/Beirut")
EXTRA = ("counts (4 fields, months)", "--group article (page 1)")
OLDER_COUNTS = "counts, a field at a time (as before count_axes)"
ENGINES = ("tantivy", "single", "sharded")
PROGRESS_EVERY = 100_000  # documents between two progress lines on stderr


def load(index: Index, documents: list[IndexDocument], batch: int, name: str) -> float:
    """Seconds to write ``documents`` in commits of ``batch``."""
    started = time.perf_counter()
    for at in range(0, len(documents), batch):
        writer = index.engine.writer()
        writer.add(documents[at : at + batch])
        writer.commit()
        done = at + batch
        if done % PROGRESS_EVERY < batch:  # a long load says how far it is
            seconds = time.perf_counter() - started
            print(
                f"{name}: {done:,} documents in {seconds:,.0f} s ({done / seconds:,.0f}/s), "
                f"load {os.getloadavg()[0]:.1f}",
                file=sys.stderr,
                flush=True,
            )
    return time.perf_counter() - started


def commit_of() -> str:
    """The checkout's commit (and ``+changes`` when its files differ from it)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


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
    shards = getattr(index.engine, "_shards", None)
    if shards:  # the same counts as an index made before count_axes gets them: field by field
        index.engine._shards = [replace(shard, axes=None) for shard in shards]  # type: ignore[attr-defined]
        try:
            found[OLDER_COUNTS] = latency(counts, words, budget)
        finally:
            index.engine._shards = shards  # type: ignore[attr-defined]
    return found


def repeated(documents: list[IndexDocument], count: int) -> list[IndexDocument]:
    """``documents`` and copies of them with ids (and article ids) shifted by their number,
    up to ``count``: the corpus :func:`fill` makes in the server."""
    out = list(documents[:count])
    while len(out) < count:
        shift = len(out)
        for doc in documents[: count - shift]:
            out.append(
                replace(doc, id=_shifted(doc.id, shift), article_id=_shifted(doc.article_id, shift))
            )
    return out


def _shifted(value: str, shift: int) -> str:
    return f"{int(value, 16) + shift:016x}"


def fill(index: Index, written: int, count: int) -> float:
    """Bring the postgres index from its ``written`` documents (the first ones, written by the
    job writer) to ``count`` by copies of their rows made in the server (INSERT … SELECT, ids
    shifted as :func:`repeated` shifts them; no new words, so ``vocab`` is whole). Seconds."""
    schema = index.engine._connection.schema  # type: ignore[attr-defined]
    dsn = index.engine._connection.dsn  # type: ignore[attr-defined]
    started = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"SET search_path TO {schema}, public")
        columns = [
            row[0]
            for row in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
                "AND table_name = 'docs' ORDER BY ordinal_position",
                [schema],
            ).fetchall()
        ]
        row = conn.execute("SELECT count(*) FROM docs").fetchone()
        have = int(row[0]) if row else 0
        if have < count and have % written:
            raise SystemExit(f"the index holds {have:,} documents, not a multiple of {written:,}")
        while have < count:
            shift = f"lpad(to_hex(('x' || {{}})::bit(64)::bigint + {have}), 16, '0')"
            chosen = [
                shift.format(c) + f" AS {c}" if c in ("id", "article_id") else c for c in columns
            ]
            last = f"{min(written, count - have):016x}"
            conn.execute(
                f"INSERT INTO docs ({', '.join(columns)}) SELECT {', '.join(chosen)} FROM docs "
                f"WHERE id < %s",
                [last],
            )
            have += min(written, count - have)
            print(f"filled to {have:,} documents", file=sys.stderr, flush=True)
        conn.execute("ANALYZE docs")
    return time.perf_counter() - started


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
    parser.add_argument(
        "--engines", default=",".join(ENGINES), help="which of tantivy,single,sharded to run"
    )
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="stop the servers but keep --work")
    parser.add_argument(
        "--leave-running", action="store_true", help="with --keep: leave the servers running"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure the queries of the indexes kept in --work"
    )
    parser.add_argument(
        "--written",
        type=int,
        default=None,
        help="postgres: the documents the job writer writes; the server copies the rest",
    )
    parser.add_argument(
        "--sharded-written",
        type=int,
        default=None,
        help="on the shards: the documents the job writer writes; the rest are copied from "
        "the one server's index (run or kept in --work)",
    )
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    args.written = args.written or args.documents
    chosen = [e.strip() for e in args.engines.split(",") if e.strip()]
    if not chosen or set(chosen) - set(ENGINES):
        parser.error(f"--engines takes some of {','.join(ENGINES)}")
    if (args.keep or args.reuse) and args.work is None:
        parser.error("--keep and --reuse need --work")
    work = args.work or Path(tempfile.mkdtemp(prefix="corpsearch-bench-pg-"))
    work.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:  # the servers run as postgres, who must reach their folders
        shutil.chown(work, "postgres", "postgres")
    began = time.perf_counter()
    documents = make_documents(args.written)
    authors = sorted({d.author for d in documents if d.author})
    queries = draw_queries(documents, authors, args.per_type)
    corpus = repeated(documents, args.documents)
    load_before = os.getloadavg()[0]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    names = {
        "tantivy": "tantivy",
        "single": "postgres, one server",
        "sharded": f"postgres, {args.shards} shards + replicas",
    }
    figures: dict[str, Any] = {"rows": {}}
    if args.json and args.json.exists():
        figures = json.loads(args.json.read_text(encoding="utf-8"))
    runs: dict[str, Any] = figures.setdefault("runs", {})
    rows: dict[str, dict[str, Any]] = figures["rows"]
    with LoadSampler() as sampler:
        for engine in chosen:
            name = names[engine]
            run_began = time.perf_counter()
            run_started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
            run_load = os.getloadavg()[0]
            with LoadSampler() as run_sampler:
                row = run_engine(engine, name, work, corpus, queries, args)
            if args.reuse and name in rows:  # the load figures of the run that loaded
                row = {**rows[name], "queries": row["queries"]}
            rows[name] = row
            runs[name] = {
                "started": run_started,
                "seconds": round(time.perf_counter() - run_began),
                "load_before": run_load,
                "load_after": os.getloadavg()[0],
                "load_during": run_sampler.summary(),
                "commit": commit_of(),
                "reused": args.reuse,
            }
            print(f"{name}: {row['docs_per_s']:.0f} docs/s", file=sys.stderr, flush=True)
            if args.json:
                figures.update(documents=len(corpus), batch=args.batch, cores=os.cpu_count())
                args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    load_after = os.getloadavg()[0]
    during = f"{sampler.summary()} ({started}, {time.perf_counter() - began:,.0f} s in all)"
    text = render(rows, runs, len(corpus), args, load_before, load_after, during)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


def run_engine(
    engine: str,
    name: str,
    work: Path,
    corpus: list[IndexDocument],
    queries: dict[str, list[BenchQuery]],
    args: argparse.Namespace,
) -> dict[str, Any]:
    """Load ``corpus`` into one engine (or, with ``--reuse``, open what was loaded) and
    measure it; a cluster is stopped afterwards (and kept with ``--keep``). On postgres the job
    writer writes the first ``--written`` documents (on the shards ``--sharded-written``) and
    the server copies the rest (:func:`fill`, :func:`copy_from_single`)."""
    folder = work / f"index-{engine}"
    topology: Topology | None = None
    if engine != "tantivy":
        cluster = work / engine
        if args.reuse:
            topology = start_cluster(cluster)
        elif engine == "single":
            topology = init_cluster(cluster, shards=0, fast=True, shared_buffers="128MB")
        else:
            topology = init_cluster(
                cluster, shards=args.shards, replicas=1, fast=True, shared_buffers="64MB"
            )
    written = len(corpus) if engine == "tantivy" else min(args.written, len(corpus))
    if engine == "sharded" and args.sharded_written is not None:
        written = args.sharded_written
    try:
        if args.reuse:
            index = Index.open(folder)
        elif engine == "tantivy":
            index = Index.create(folder, engine="tantivy")
        else:
            assert topology is not None
            index = Index.create(folder, engine="postgres", dsn=topology.dsn)
        with index:
            seconds = 0.0 if args.reuse else load(index, corpus[:written], args.batch, name)
            copied = 0.0
            if engine == "sharded" and args.sharded_written is not None:
                copied = copy_from_single(index, work, written)
            elif engine != "tantivy":
                copied = fill(index, args.written, len(corpus))
            if args.reuse and engine == "sharded":
                # loaded by an older version: the tables its next write would add
                index.engine.add_count_axes()  # type: ignore[attr-defined]
            size = folder_bytes(folder) if topology is None else postgres_bytes(index, topology)
            return {
                "written": 0 if args.reuse else written,
                "docs_per_s": written / seconds if seconds else 0.0,
                "copied_s": copied,
                "bytes": size,
                "queries": measure(index, queries, args.budget),
            }
    finally:
        if topology is not None and args.leave_running:
            pass  # stopped by hand: corpsearch cluster stop WORK/ENGINE
        elif topology is not None and args.keep:
            stop_cluster(work / engine)
        elif topology is not None:
            destroy_cluster(work / engine)


def copy_from_single(index: Index, work: Path, after: int) -> float:
    """Copy the documents after the first ``after`` from the one server's index (kept in
    ``work``) into the shards' index, through the coordinator (postgres_fdw routes each row
    to its shard), and its words. Seconds."""
    running = all(node.running for node in cluster_status(work / "single"))
    single = start_cluster(work / "single")
    source = json.loads(
        next((work / "index-single").rglob("connection.json")).read_text(encoding="utf-8")
    )
    schema = index.engine._connection.schema  # type: ignore[attr-defined]
    dsn = index.engine._connection.dsn  # type: ignore[attr-defined]
    port = single.nodes[0].port
    started = time.perf_counter()
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(
                "CREATE SERVER bench_single FOREIGN DATA WRAPPER postgres_fdw OPTIONS "
                f"(host '127.0.0.1', port '{port}', dbname 'postgres', fetch_size '2000')"
            )
            conn.execute(
                "CREATE USER MAPPING FOR PUBLIC SERVER bench_single OPTIONS (user 'corpsearch')"
            )
            conn.execute("CREATE SCHEMA bench_single")
            conn.execute(
                f"IMPORT FOREIGN SCHEMA {source['schema']} LIMIT TO (docs, vocab) "
                "FROM SERVER bench_single INTO bench_single"
            )
            conn.execute(f"SET search_path TO {schema}, public")
            conn.execute(
                "INSERT INTO docs SELECT * FROM bench_single.docs WHERE id >= %s",
                [f"{after:016x}"],
            )
            conn.execute(
                "INSERT INTO vocab SELECT * FROM bench_single.vocab ON CONFLICT DO NOTHING"
            )
            conn.execute("DROP SERVER bench_single CASCADE")
            conn.execute("DROP SCHEMA bench_single CASCADE")
    finally:
        if not running:  # left as it was: another run may be measuring it
            stop_cluster(work / "single")
    return time.perf_counter() - started


def render(
    rows: dict[str, dict[str, Any]],
    runs: dict[str, dict[str, Any]],
    count: int,
    args: argparse.Namespace,
    before: float,
    after: float,
    during: str,
) -> str:
    names = list(rows)
    each = "; ".join(
        f"{n}: {r['started']}, {r['seconds']:,} s, load {r['load_before']:.1f} before / "
        f"{r['load_after']:.1f} after, {r['load_during']} during, commit {r['commit']}"
        + (" (queries again on the loaded data)" if r["reused"] else "")
        for n, r in runs.items()
    )
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
        f"Each engine's run: {each}.",
        "",
        "| | " + " | ".join(names) + " |",
        "| --- |" + " --- |" * len(names),
        "| load (documents/s) | " + " | ".join(_load_cell(rows[n]) for n in names) + " |",
        "| copied in the server (s) | "
        + " | ".join(f"{rows[n].get('copied_s', 0):,.0f}" for n in names)
        + " |",
        "| index size (MB) | " + " | ".join(f"{rows[n]['bytes'] / 1e6:,.1f}" for n in names) + " |",
    ]
    for kind in (*QUERY_TYPES, *EXTRA, OLDER_COUNTS):
        cells = []
        for name in names:
            found = rows[name]["queries"].get(kind)
            cells.append(f"{found['median_ms']:,.1f} / {found['p95_ms']:,.1f}" if found else "")
        if any(cells):
            lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _load_cell(row: dict[str, Any]) -> str:
    if not row.get("docs_per_s"):
        return "(not loaded in this run)"
    written, copied = row.get("written"), row.get("copied_s")
    return f"{row['docs_per_s']:,.0f}" + (f" (first {written:,})" if written and copied else "")


if __name__ == "__main__":
    main()
