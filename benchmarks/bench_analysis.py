"""Indexing and query latency of one corpsearch version, for comparing two (before/after).

The pages of a generated corpus (benchmarks/gen_corpus.py) are extracted once and kept in
``--documents`` (a pickle), so two versions index exactly the same documents; then the
documents are indexed ``--runs`` times into a fresh index (median seconds), and the query set
of bench_queries.py (drawn from those documents with its fixed seed) is timed on the last one,
in a process of its own that opens the index as a search does (not the one that holds every
document and wrote the index).

    PYTHONPATH=src python benchmarks/bench_analysis.py CORPUS --documents docs.pickle

It imports whichever corpsearch is on the path, so the same command measures two checkouts.
``--compare BEFORE AFTER`` (two ``src`` folders) measures both in one run: rounds of one
indexing run and the queries in a child process of each, and of ``corpsearch index`` over the
corpus's pages end to end (a new index of ``--engine``; its CPU time is the job's with its
extraction workers'), the two versions taking turns (which goes first alternates), so
both meet the same load; it writes the medians, every round and the load average, with the
CPU time of each version's process beside the time taken (on a shared machine the CPU varies
far less). Indexing alone takes the documents as the extraction workers hand them to the writer:
with their analysed streams, if the version's workers analyse (that analysis is timed apart).
``--report`` prints the report of saved runs, merging their rounds:

    python benchmarks/bench_analysis.py CORPUS --documents docs.pickle \
        --compare ../main/src src --rounds 3 --json run1.json
    python benchmarks/bench_analysis.py --report run1.json run2.json --json results/analysis.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import extract_all, index_documents, page_files
from bench_queries import BenchQuery, draw_queries, time_corpsearch
from corpsearch import Index
from corpsearch.documents import IndexDocument, documents_of


def _documents(corpus: Path, cache: Path) -> list[IndexDocument]:
    """The corpus's documents, extracted once and kept as plain values (so that versions whose
    IndexDocument has other fields read the same documents)."""
    names = {f.name for f in dataclasses.fields(IndexDocument)}
    if cache.exists():
        values: list[dict[str, Any]] = pickle.loads(cache.read_bytes())
        return [IndexDocument(**{k: v for k, v in doc.items() if k in names}) for doc in values]
    _, articles = extract_all(page_files(corpus))
    documents = [doc for article in articles for doc in documents_of(article)]
    common = names - {"analysed"}
    values = [{k: getattr(doc, k) for k in common} for doc in documents]
    cache.write_bytes(pickle.dumps(values))
    return documents


def _as_the_workers_hand_them(documents: list[IndexDocument]) -> tuple[list[IndexDocument], float]:
    """The documents with their analysed streams, as the extraction workers hand them to the
    writer (when this version's workers analyse: corpsearch.documents.streams_of), and the
    seconds that analysis took (spent on the workers, beside extraction)."""
    try:
        from corpsearch.documents import streams_of
    except ImportError:
        return documents, 0.0
    start = time.perf_counter()
    ready = [dataclasses.replace(doc, analysed=streams_of(doc)) for doc in documents]
    seconds = time.perf_counter() - start
    return ready, seconds


def _exact(query: BenchQuery) -> BenchQuery:
    """The query with its leading word or phrase marked exact (``=``): the same documents as
    before the analysed streams, so its latency compares the engines' work alone."""
    if query.words or query.phrase:
        return dataclasses.replace(query, text="=" + query.text)
    return query


def _cpu_ms(ix: Index, queries: dict[str, list[BenchQuery]], repeat: int) -> dict[str, float]:
    """Median CPU milliseconds of this process per query (its threads included), each query's
    the least of ``repeat`` runs: on a shared machine the CPU a query costs varies far less
    than the time it takes, and its least of a few runs less again (other jobs only add)."""
    found = {}
    for kind, qs in queries.items():
        times = []
        for q in qs:
            least = float("inf")
            for _ in range(repeat):
                began = time.process_time()
                ix.search(q.text, sort=q.sort, limit=10)  # type: ignore[arg-type]
                least = min(least, (time.process_time() - began) * 1000)
            times.append(least)
        found[kind] = statistics.median(times)
    return found


def _shown(ix: Index, queries: dict[str, list[BenchQuery]]) -> dict[str, float]:
    """Mean hits on the first page (at most 10) per query type: each needs a snippet."""
    return {
        kind: statistics.mean(len(ix.search(q.text, sort=q.sort, limit=10).hits) for q in qs)  # type: ignore[arg-type]
        for kind, qs in queries.items()
    }


def _query_figures(args: argparse.Namespace, documents: list[IndexDocument]) -> dict[str, Any]:
    """The query set's latency, CPU and hits shown on the index at ``--query-index``."""
    authors = [doc.author for doc in documents if doc.author]
    drawn = draw_queries(documents, authors, args.queries)
    queries = {kind: drawn[kind] for kind in _KINDS}
    exact = {kind: [_exact(q) for q in qs] for kind, qs in queries.items()}
    with Index.open(args.query_index) as ix:
        time_corpsearch(ix, exact)  # a first pass, so neither set runs on cold caches
        latency = time_corpsearch(ix, queries)
        exact_latency = time_corpsearch(ix, exact)
        cpu_ms = _cpu_ms(ix, queries, args.repeat)
        exact_cpu_ms = _cpu_ms(ix, exact, args.repeat)
        shown = _shown(ix, queries)
    return {
        "query_cpu_median_ms": cpu_ms,
        "exact_query_cpu_median_ms": exact_cpu_ms,
        "query_median_ms": {kind: f["median_ms"] for kind, f in latency.items()},
        "exact_query_median_ms": {kind: f["median_ms"] for kind, f in exact_latency.items()},
        "hits_shown": shown,
    }


def _child(src: Path, args: list[str]) -> Any:
    """This script run with the corpsearch of ``src``; its figures. The query set is drawn from
    word counts whose ties fall in the order of a set of strings, so a fixed hash seed gives
    both versions the same queries."""
    env = {**os.environ, "PYTHONPATH": str(src.resolve()), "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{src}: {done.stderr}")
    return json.loads(done.stdout)


def _end_to_end(src: Path, corpus: Path, workers: int, engine: str) -> tuple[float, float]:
    """Seconds and CPU seconds (the job's process and its extraction workers) of
    ``corpsearch index`` (the version in ``src``) over the corpus, a new index of ``engine``."""
    env = {**os.environ, "PYTHONPATH": str(src.resolve())}
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "corpsearch", "index", str(corpus)]
        command += ["--index", str(Path(folder) / "index"), "--workers", str(workers), "--json"]
        command += ["--engine", engine]
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
        return seconds, cpu


def compare(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    """Both versions, round by round in turns; the figures and a markdown report."""
    before, after = args.compare
    child = [str(args.corpus), "--documents", str(args.documents), "--runs", "1"]
    child += ["--queries", str(args.queries), "--engine", args.engine]
    child += ["--repeat", str(args.repeat)]
    rounds: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    loads = [os.getloadavg()]
    pages = len(page_files(args.corpus))
    for number in range(args.rounds):
        order = [("before", before), ("after", after)]
        for name, src in order if number % 2 == 0 else order[::-1]:
            figures = _child(src, child)
            if args.end_to_end:
                seconds, cpu = _end_to_end(src, args.corpus, args.workers, args.engine)
                figures["end_to_end_seconds"] = seconds
                figures["end_to_end_cpu_seconds"] = cpu
            rounds[name].append(figures)
            loads.append(os.getloadavg())
    medians = _medians(rounds)
    documents = rounds["after"][0]["documents"]
    figures = {
        "engine": args.engine,
        "documents": documents,
        "pages": pages,
        "rounds": args.rounds,
        "repeat": args.repeat,
        "cores": os.cpu_count(),
        "medians": medians,
        "runs": rounds,
        "load_average": loads,
    }
    return figures, _report(figures)


def _medians(rounds: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    """Each version's medians over its rounds."""
    medians: dict[str, dict[str, float]] = {}
    for name, runs in rounds.items():
        found = {"index_seconds": statistics.median(r["index_seconds_median"] for r in runs)}
        found["worker_analysis_seconds"] = statistics.median(
            r.get("worker_analysis_seconds", 0.0) for r in runs
        )
        if all("index_cpu_seconds_median" in r for r in runs):
            found["index_cpu_seconds"] = statistics.median(
                r["index_cpu_seconds_median"] for r in runs
            )
        if all("end_to_end_seconds" in r for r in runs):
            found["end_to_end_seconds"] = statistics.median(r["end_to_end_seconds"] for r in runs)
        if all("end_to_end_cpu_seconds" in r for r in runs):
            found["end_to_end_cpu_seconds"] = statistics.median(
                r["end_to_end_cpu_seconds"] for r in runs
            )
        for kind in runs[0]["query_median_ms"]:
            found[kind] = statistics.median(r["query_median_ms"][kind] for r in runs)
            found["=" + kind] = statistics.median(r["exact_query_median_ms"][kind] for r in runs)
            found["hits " + kind] = runs[0]["hits_shown"][kind]
            if all("query_cpu_median_ms" in r for r in runs):
                found["cpu " + kind] = statistics.median(
                    r["query_cpu_median_ms"][kind] for r in runs
                )
                found["=cpu " + kind] = statistics.median(
                    r["exact_query_cpu_median_ms"][kind] for r in runs
                )
        medians[name] = found
    return medians


def merged(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Saved runs of --compare as one: their rounds together, the medians over all of them."""
    first = runs[0]
    rounds = {name: [r for run in runs for r in run["runs"][name]] for name in first["runs"]}
    loads = first["load_average"] + [x for run in runs[1:] for x in run["load_average"][1:]]
    return {
        **first,
        "rounds": len(rounds["after"]),
        "runs": rounds,
        "medians": _medians(rounds),
        "load_average": loads,
    }


# The query types timed: pages of hits (bench_queries draws others, which ask for facets,
# groups and the like, and are measured by bench_query_kinds).
_KINDS = (
    "common word",
    "rare word",
    "3-word phrase",
    "author",
    "date range",
    "word + date range",
    "phrase + author + date range",
    "word sorted by date",
)
# The query types whose word or phrase ``=`` marks exact (the others have none to mark).
_EXACT_KINDS = (
    "common word",
    "rare word",
    "3-word phrase",
    "word + date range",
    "phrase + author + date range",
    "word sorted by date",
)


def _report(figures: dict[str, Any]) -> str:
    before, after = figures["medians"]["before"], figures["medians"]["after"]
    documents, pages = figures["documents"], figures["pages"]
    # CPU time (of the process, its threads included) is reported when it was measured: on a
    # shared machine it varies far less than the time taken.
    cpu = "index_cpu_seconds" in before
    head_cells = " CPU before | CPU after | change |" if cpu else ""
    rows = [f"| | before | after | change |{head_cells}", "| --- " * (7 if cpu else 4) + "|"]

    def change(old: float, new: float) -> str:
        return f"{new / old - 1:+.0%}" if old else "–"

    def row(label: str, old: float, new: float, unit: str, cpu_key: str | None = None) -> None:
        line = f"| {label} | {old:,.1f} {unit} | {new:,.1f} {unit} | {change(old, new)} |"
        if cpu:
            if cpu_key and cpu_key in before:
                a, b = before[cpu_key], after[cpu_key]
                digits = 2 if cpu_key.endswith("_seconds") else 1
                cpu_unit = "s" if cpu_key.endswith("_seconds") else "ms"
                line += f" {a:.{digits}f} {cpu_unit} | {b:.{digits}f} {cpu_unit} | {change(a, b)} |"
            else:
                line += " | | |"
        rows.append(line)

    def note(label: str, old: str, new: str) -> None:
        rows.append(f"| {label} | {old} | {new} | |" + (" | | |" if cpu else ""))

    row("indexing alone", documents / before["index_seconds"], documents / after["index_seconds"],
        "documents/s", "index_cpu_seconds")  # fmt: skip
    for name, figures_ in (("before", before), ("after", after)):
        if figures_.get("worker_analysis_seconds"):
            seconds = f"{figures_['worker_analysis_seconds']:.2f} s"
            note(f"… analysis, in the extraction workers ({name})", "", seconds)
    if "end_to_end_seconds" in before:
        row("`corpsearch index`, end to end", pages / before["end_to_end_seconds"],
            pages / after["end_to_end_seconds"], "pages/s", "end_to_end_cpu_seconds")  # fmt: skip
    plain = (
        "index_seconds",
        "end_to_end_seconds",
        "end_to_end_cpu_seconds",
        "worker_analysis_seconds",
        "index_cpu_seconds",
    )
    kinds = [k for k in before if k not in plain and not k.startswith(("=", "hits ", "cpu "))]
    for kind in kinds:
        row(f"query: {kind} (median)", before[kind], after[kind], "ms", "cpu " + kind)
        note(
            "… hits shown (of 10)", f"{before['hits ' + kind]:.1f}", f"{after['hits ' + kind]:.1f}"
        )
        if kind in _EXACT_KINDS:
            row("… the same with `=` (exact)", before["=" + kind], after["=" + kind], "ms",
                "=cpu " + kind)  # fmt: skip
    loads = figures["load_average"]
    low = min(load[0] for load in loads)
    high = max(load[0] for load in loads)
    rows.append("")
    rows.append("Round by round (seconds; the 1-minute load average after each run):")
    rows.append("")
    cpu_head = " indexing CPU before | after |" if cpu else ""
    rows.append(f"| round | indexing before | after |{cpu_head} end to end before | after | load |")
    rows.append("| --- " * (8 if cpu else 6) + "|")
    runs = figures["runs"]
    for number, (old, new) in enumerate(zip(runs["before"], runs["after"], strict=True)):
        ends = [r.get("end_to_end_seconds") for r in (old, new)]
        cells = " | ".join("–" if e is None else f"{e:.1f}" for e in ends)
        load = " / ".join(f"{x[0]:.1f}" for x in loads[1 + 2 * number : 3 + 2 * number])
        used = (
            f" {old['index_cpu_seconds_median']:.2f} | {new['index_cpu_seconds_median']:.2f} |"
            if cpu
            else ""
        )
        rows.append(
            f"| {number + 1} | {old['index_seconds_median']:.2f} | "
            f"{new['index_seconds_median']:.2f} |{used} {cells} | {load} |"
        )
    head = (
        f"{figures['engine']}, {pages:,} generated pages ({documents:,} documents), "
        f"medians of {figures['rounds']} rounds, the two versions in turns on "
        f"{figures['cores']} cores; 1-minute load average {low:.1f} to {high:.1f} over the run "
        "(other jobs shared the machine)."
    )
    if figures.get("repeat"):
        head += f" A query's CPU time is the least of {figures['repeat']} runs of it."
    head += "\n\n"
    return head + "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?", help="a folder written by gen_corpus.py")
    parser.add_argument("--documents", type=Path, help="extracted documents (a pickle)")
    parser.add_argument("--engine", default="tantivy")
    parser.add_argument("--runs", type=int, default=5, help="indexing runs (median)")
    parser.add_argument("--queries", type=int, default=100, help="queries per query type")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each query for its CPU time (the least)"
    )
    parser.add_argument(
        "--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"), help="two src folders"
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds of --compare (median)")
    parser.add_argument("--end-to-end", action="store_true", help="also time corpsearch index")
    parser.add_argument("--workers", type=int, default=2, help="workers of corpsearch index")
    parser.add_argument("--json", type=Path, help="write --compare's figures to FILE")
    parser.add_argument(
        "--query-index", type=Path, help="only time the queries, on this index (made by a run)"
    )
    parser.add_argument(
        "--report",
        type=Path,
        nargs="+",
        help="print the report of --compare's FILE (several: merged)",
    )
    args = parser.parse_args(argv)
    if args.report:
        saved = [json.loads(path.read_text(encoding="utf-8")) for path in args.report]
        figures = merged(saved) if len(saved) > 1 else saved[0]
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        sys.stdout.write(_report(figures))
        return 0
    if args.corpus is None or args.documents is None:
        parser.error("give CORPUS and --documents (or --report FILE)")
    if args.compare:
        _documents(args.corpus, args.documents)  # extracted once, for both versions
        figures, report = compare(args)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        sys.stdout.write(report)
        return 0
    documents = _documents(args.corpus, args.documents)
    if args.query_index:
        sys.stdout.write(json.dumps(_query_figures(args, documents), indent=2) + "\n")
        return 0
    ready, analysis_seconds = _as_the_workers_hand_them(documents)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "index"
        runs, cpu = [], []
        for _ in range(args.runs):
            began = time.process_time()
            runs.append(index_documents(target, args.engine, ready))
            cpu.append(time.process_time() - began)
        del ready
        # The queries run in a process of their own, which opens the index as a search does:
        # not this one, which holds every document and its streams and wrote the index.
        asked = [str(args.corpus), "--documents", str(args.documents), "--engine", args.engine]
        asked += ["--queries", str(args.queries), "--repeat", str(args.repeat)]
        done = subprocess.run(
            [sys.executable, __file__, *asked, "--query-index", str(target)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr)
        queried = json.loads(done.stdout)
    figures = {
        "engine": args.engine,
        "documents": len(documents),
        "index_seconds_median": statistics.median(runs),
        "index_runs": runs,
        "index_cpu_seconds_median": statistics.median(cpu),
        "worker_analysis_seconds": analysis_seconds,
        "documents_per_second": len(documents) / statistics.median(runs),
        **queried,
        "load_average": os.getloadavg(),
    }
    sys.stdout.write(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
