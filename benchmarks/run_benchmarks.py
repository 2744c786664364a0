"""Measure corpsearch's engines at several corpus sizes, next to SQLite FTS5; write the report.

    python benchmarks/run_benchmarks.py --sizes 1000,10000

For each size: generate (or reuse) the corpus under benchmarks/corpus/, then measure extraction
(on a sample of pages), and for each engine: the end-to-end build as users run it
(``corpsearch index`` on all cores), index size, peak memory, indexing the extracted documents
alone, a rerun with 1% of the pages changed and query latency; and SQLite FTS5 on the same
documents (read back from the index, so every engine indexes exactly the same ones). Writes
benchmarks/results/<size>.json after each step and docs/benchmarks.md at the end.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_build import (
    change_pages,
    extract_all,
    extract_parallel,
    folder_bytes,
    index_documents,
    job_in_child,
    page_files,
    spread,
)
from bench_fts import build_fts, time_fts
from bench_queries import BenchQuery, draw_queries, time_corpsearch
from bench_report import write_report
from corpsearch import Index
from corpsearch.documents import IndexDocument

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def git_commit() -> str:
    """The commit measured, with ``+changes`` when src/ differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "src"], cwd=ROOT)
    except OSError:
        return "unknown"
    return head + ("+changes" if dirty.returncode else "")


def size_name(pages: int) -> str:
    return f"{pages // 1000}k" if pages % 1000 == 0 else str(pages)


def ensure_corpus(pages: int, seed: int) -> Path:
    folder = HERE / "corpus" / size_name(pages)
    summary = folder / "summary.json"
    if summary.exists():
        meta = json.loads(summary.read_text(encoding="utf-8"))
        if meta.get("pages") == pages and meta.get("seed") == seed:
            log(f"reusing the corpus in {folder.relative_to(ROOT)}")
            return folder
        shutil.rmtree(folder)
    log(f"generating {pages} pages into {folder.relative_to(ROOT)}")
    subprocess.run(
        [
            sys.executable,
            str(HERE / "gen_corpus.py"),
            "--pages",
            str(pages),
            "--out",
            str(folder),
            "--seed",
            str(seed),
        ],
        check=True,
    )
    return folder


def median_of(runs: int, measure: Callable[[], float]) -> tuple[float, list[float]]:
    values = [measure() for _ in range(runs)]
    return statistics.median(values), values


def manifest_authors(corpus: Path) -> list[str]:
    """One entry per comment (and byline), so authors are drawn as often as they write."""
    authors: list[str] = []
    with (corpus / "manifest.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            page = json.loads(line)
            if page.get("byline"):
                authors.append(page["byline"])
            authors.extend(c["author"] for c in page["comments"] if c.get("author"))
    return authors


def fts_seconds(db: Path, documents: list[IndexDocument]) -> float:
    return build_fts(db, documents)[0]


def save(result: dict[str, Any], results: Path) -> None:
    """Write the figures measured so far, so a run stopped halfway still leaves them."""
    path = results / f"{size_name(result['pages'])}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def bench_size(pages: int, args: argparse.Namespace, result: dict[str, Any]) -> None:
    corpus = ensure_corpus(pages, args.seed)
    files = page_files(corpus)
    work = HERE / "work" / size_name(pages)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    runs = args.runs if args.runs else (3 if pages <= 1000 else 1)
    cores = os.cpu_count() or 1
    engines: dict[str, dict[str, Any]] = {}
    result.update(pages=len(files), runs=runs, cores=cores, engines=engines)

    # Pages per second of extraction does not depend on the corpus size, so large corpora
    # measure it on an evenly spread sample; the end-to-end builds extract every page.
    sample = spread(files, args.sample)
    log(f"{pages}: extraction of {len(sample)} pages on one core")
    med, values = median_of(runs, lambda: extract_all(sample)[0])
    result["extract_1core"] = {"seconds": med, "runs": values, "pages": len(sample)}
    log(f"{pages}: extraction of {len(sample)} pages on {cores} cores")
    med, values = median_of(runs, lambda: extract_parallel(sample, cores))
    result["extract_all_cores"] = {"seconds": med, "runs": values, "pages": len(sample)}
    save(result, args.results)

    # Engine by engine, and the reference right after the first, so a run stopped early still
    # holds whole comparisons.
    documents: list[IndexDocument] = []
    queries: dict[str, list[BenchQuery]] = {}
    for engine in args.engines:
        log(f"{pages}: end-to-end build with {engine} (corpsearch index, {cores} workers)")
        builds = [job_in_child(corpus, work / engine, engine, cores) for _ in range(runs)]
        figures: dict[str, Any] = {
            "end_to_end": {
                "seconds": statistics.median(b["seconds"] for b in builds),
                "runs": [b["seconds"] for b in builds],
                "peak_rss_largest_process_bytes": max(
                    b["peak_rss_largest_process_bytes"] for b in builds
                ),
                "peak_rss_all_processes_bytes": max(
                    b["peak_rss_all_processes_bytes"] for b in builds
                ),
                "articles": builds[-1]["summary"]["articles"],
                "comments": builds[-1]["summary"]["comments"],
                "failed": builds[-1]["summary"]["failed"],
            },
            "index_bytes": folder_bytes(work / engine),
        }
        engines[engine] = figures
        save(result, args.results)

        if not documents:
            log(f"{pages}: reading the indexed documents back")
            with Index.open(work / engine) as ix:
                documents = sorted(ix.documents(), key=lambda d: (d.article_id, d.position, d.id))
            result["documents"] = len(documents)
            result["comments"] = sum(d.kind == "comment" for d in documents)
            log(f"{pages}: drawing {args.queries} queries per type")
            queries = draw_queries(documents, manifest_authors(corpus), args.queries)
            result["query_examples"] = {k: [q.text for q in qs[:3]] for k, qs in queries.items()}
            result["query_budget_seconds"] = args.budget
            log(f"{pages}: SQLite FTS5 reference")
            db = work / "fts5.sqlite"
            med, values = median_of(runs, functools.partial(fts_seconds, db, documents))
            result["fts5"] = {
                "index_seconds": med,
                "index_runs": values,
                "bytes": db.stat().st_size,
                "sqlite_version": __import__("sqlite3").sqlite_version,
                "queries": time_fts(db, queries, args.budget),
            }
            db.unlink()
            save(result, args.results)

        log(f"{pages}: {engine} query latency")
        with Index.open(work / engine) as ix:
            figures["queries"] = time_corpsearch(ix, queries, args.budget)
        save(result, args.results)

        # whoosh's end-to-end build is bound by this same indexing; above the limit it would
        # add hours and tell little more
        if engine != "whoosh" or pages <= args.whoosh_records_limit:
            log(f"{pages}: {engine} indexing the extracted documents")
            target = work / f"{engine}-records"
            med, values = median_of(
                runs, functools.partial(index_documents, target, engine, documents)
            )
            figures["index_records"] = {"seconds": med, "runs": values}
            shutil.rmtree(target, ignore_errors=True)
            save(result, args.results)

        originals = change_pages(files, args.changed)
        try:
            log(f"{pages}: {engine} rerun with {len(originals)} pages changed")
            rerun = job_in_child(corpus, work / engine, engine, cores)
        finally:
            for path, data in originals.items():
                path.write_bytes(data)
        if rerun["summary"]["changed"] != len(originals):
            raise RuntimeError(f"the rerun changed {rerun['summary']['changed']} pages")
        figures["rerun"] = {
            "changed_pages": len(originals),
            "seconds": rerun["seconds"],
            "unchanged": rerun["summary"]["unchanged"],
        }
        save(result, args.results)
        if not args.keep:
            shutil.rmtree(work / engine, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes in pages")
    parser.add_argument(
        "--runs",
        type=int,
        default=0,
        help="runs per build figure (default: 3 up to 1k pages, else 1)",
    )
    parser.add_argument("--queries", type=int, default=200, help="queries per query type")
    parser.add_argument(
        "--budget",
        type=float,
        default=60.0,
        help="seconds per query type and engine, after which timing stops (at least 40 queries)",
    )
    parser.add_argument(
        "--engines",
        type=lambda text: text.split(","),
        default=["tantivy", "whoosh"],
        help="corpsearch engines to measure, comma-separated (default: tantivy,whoosh)",
    )
    parser.add_argument(
        "--sample", type=int, default=2000, help="pages for the extraction-only figures"
    )
    parser.add_argument(
        "--whoosh-records-limit",
        type=int,
        default=10_000,
        help="largest corpus on which whoosh also indexes the extracted documents alone",
    )
    parser.add_argument("--changed", type=float, default=0.01, help="share of pages to change")
    parser.add_argument("--seed", type=int, default=42, help="corpus seed")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the indexes in benchmarks/work")
    parser.add_argument(
        "--report-only", action="store_true", help="only rewrite the report from the results"
    )
    args = parser.parse_args()
    args.results.mkdir(parents=True, exist_ok=True)
    if args.report_only:
        write_report(args.report, args.results)
        return
    for pages in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        result: dict[str, Any] = {
            "pages": pages,
            "command": " ".join(sys.argv[1:]),
            "commit": git_commit(),
            "machine": {
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(terse=True),
            },
            "complete": False,
        }
        bench_size(pages, args, result)
        result["wall_seconds"] = time.perf_counter() - started
        result["machine"]["load_average_at_end"] = os.getloadavg()
        result["complete"] = True
        save(result, args.results)
        log(f"{pages}: done in {result['wall_seconds']:.0f} s")
    write_report(args.report, args.results)
    log(f"wrote {args.report}")


if __name__ == "__main__":
    main()
