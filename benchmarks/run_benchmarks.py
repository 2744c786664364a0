"""Measure corpsearch at several corpus sizes, next to SQLite FTS5, and write the report.

    python benchmarks/run_benchmarks.py --sizes 1000,10000

For each size: generate (or reuse) the corpus under benchmarks/corpus/, then measure extraction,
indexing, end-to-end builds, index size, peak memory, query latency and a rerun with 1% of the
pages changed. Writes benchmarks/results/<pages>.json and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
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
    build_in_child,
    change_pages,
    extract_all,
    extract_parallel,
    folder_bytes,
    index_articles,
    page_files,
    rerun_changed,
)
from bench_fts import build_fts, time_fts
from bench_queries import draw_queries, time_corpsearch
from bench_report import write_report
from corpsearch import Index
from corpsearch.documents import documents_of

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


def bench_size(pages: int, args: argparse.Namespace) -> dict[str, Any]:
    corpus = ensure_corpus(pages, args.seed)
    files = page_files(corpus)
    work = HERE / "work" / size_name(pages)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    runs = args.runs if args.runs else (3 if pages <= 1000 else 1)
    cores = os.cpu_count() or 1
    result: dict[str, Any] = {"pages": len(files), "runs": runs, "cores": cores}

    log(f"{pages}: extraction on one core")
    timings = []
    articles: list[Any] = []
    for _ in range(runs):
        seconds, articles = extract_all(files)
        timings.append(seconds)
    result["extract_1core"] = {"seconds": statistics.median(timings), "runs": timings}
    documents = [doc for article in articles for doc in documents_of(article)]
    result["documents"] = len(documents)
    result["comments"] = len(documents) - len(articles)

    log(f"{pages}: extraction on {cores} cores")
    med, values = median_of(runs, lambda: extract_parallel(files, cores))
    result["extract_all_cores"] = {"seconds": med, "runs": values, "workers": cores}

    log(f"{pages}: indexing extracted records")
    med, values = median_of(runs, lambda: index_articles(work / "records-index", articles)[0])
    result["index_records"] = {"seconds": med, "runs": values}

    log(f"{pages}: end-to-end builds (Index.add, one process each)")
    builds = [build_in_child(work / "index", files) for _ in range(runs)]
    result["end_to_end"] = {
        "seconds": statistics.median(b["seconds"] for b in builds),
        "runs": [b["seconds"] for b in builds],
        "peak_rss_bytes": max(b["peak_rss_bytes"] for b in builds),
        "indexed_documents": builds[-1]["documents"],
        "failures": builds[-1]["failures"],
    }
    result["index_bytes"] = folder_bytes(work / "index")
    compound = any((work / "index").rglob("*.seg"))
    result["whoosh_segments"] = "compound" if compound else "separate files"

    log(f"{pages}: rerun with {args.changed:.0%} of the pages changed")
    originals = change_pages(files, args.changed)
    try:
        changed = sorted(originals)
        med, values = median_of(runs, lambda: rerun_changed(work / "index", changed))
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
    with Index.open(work / "index") as ix:
        counts = ix.count()
    result["rerun"] = {
        "changed_pages": len(changed),
        "seconds": med,
        "runs": values,
        "documents_after": counts["article"] + counts["comment"],
    }

    log(f"{pages}: drawing {args.queries} queries per type")
    queries = draw_queries(documents, manifest_authors(corpus), args.queries)
    result["query_examples"] = {kind: [q.text for q in qs[:3]] for kind, qs in queries.items()}
    log(f"{pages}: corpsearch query latency")
    with Index.open(work / "index") as ix:
        result["queries"] = time_corpsearch(ix, queries)

    log(f"{pages}: SQLite FTS5 reference")
    db = work / "fts5.sqlite"
    med, values = median_of(runs, lambda: build_fts(db, documents)[0])
    result["fts5"] = {
        "index_seconds": med,
        "index_runs": values,
        "bytes": db.stat().st_size,
        "queries": time_fts(db, queries),
        "sqlite_version": __import__("sqlite3").sqlite_version,
    }
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return result


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
    results = []
    for pages in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        result = bench_size(pages, args)
        result["wall_seconds"] = time.perf_counter() - started
        result["command"] = f"--sizes {pages} --queries {args.queries}" + (
            f" --runs {args.runs}" if args.runs else ""
        )
        result["commit"] = git_commit()
        result["machine"] = {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(terse=True),
            "load_average": os.getloadavg(),
        }
        (args.results / f"{size_name(pages)}.json").write_text(
            json.dumps(result, indent=2) + "\n", encoding="utf-8"
        )
        results.append(result)
        log(f"{pages}: done in {result['wall_seconds']:.0f} s")
    write_report(args.report, args.results)
    log(f"wrote {args.report}")


if __name__ == "__main__":
    main()
