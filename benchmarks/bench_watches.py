"""Memory and time of running the watches after a job that added many pages at once.

For each size: generates that many copies of the seed page (tests/pagegen.py), indexes them,
adds a watch that matches every comment with the word ``chupachups`` (one per page) and every
article (``kind:article``), records all the articles as added by one run (what the job does
around its commits) and runs the watches the way the job does after its commit, delivering to a
JSON Lines file. Peaks are Python allocations (tracemalloc); the baseline is one search of the
same index for a page of ten hits, which opens the same searcher. Prints a Markdown table.

    python benchmarks/bench_watches.py --sizes 500,2000,8000
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from corpsearch import Index  # noqa: E402
from corpsearch.config import JobSettings  # noqa: E402
from corpsearch.jobs import run_job  # noqa: E402
from corpsearch.watch_delivery import add_watch, after_job  # noqa: E402
from corpsearch.watch_state import WatchState  # noqa: E402
from corpsearch.watches import Watch  # noqa: E402
from pagegen import make_pages  # noqa: E402

QUERY = "chupachups OR kind:article"


def measure(size: int, work: Path, engine: str) -> dict[str, float]:
    folder = work / f"{engine}-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    pages, index_dir, out = folder / "pages", folder / "index", folder / "hits.jsonl"
    make_pages(pages, size)
    run_job(JobSettings(sources=(pages,), index=index_dir, engine=engine, workers=2))
    settings = JobSettings(index=index_dir)
    add_watch(index_dir, settings, Watch("all", QUERY, targets=(f"jsonl:{out}",)))
    with Index.open(index_dir) as index:
        articles = [hit.id for hit in index.iter_hits("kind:article")]
        tracemalloc.start()
        index.search(QUERY, limit=10)
        baseline = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    state = WatchState.open(index_dir)
    assert state is not None
    with state:
        state.stage("bench", index_dir.joinpath("CURRENT").read_text().strip(), articles)
        state.confirm("bench")
    tracemalloc.start()
    started = time.perf_counter()
    report = after_job(index_dir, settings, "bench")
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert report is not None and not report.failures, report
    delivered = sum(1 for _ in out.open(encoding="utf-8"))
    assert delivered == 2 * size == report.delivered, (delivered, report)
    return {
        "pages": size,
        "hits": delivered,
        "baseline": baseline / 2**20,
        "peak": peak / 2**20,
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="500,2000,8000")
    parser.add_argument("--engines", default="whoosh,tantivy")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work" / "watches")
    options = parser.parse_args()
    print(
        f"Linux {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}\n"
    )
    print(
        "| engine | pages (articles pending) | hits delivered | page of 10: peak (MiB) | "
        "watches: peak (MiB) | watches: time (s) | ms per hit |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for engine in options.engines.split(","):
        for size in (int(s) for s in options.sizes.split(",")):
            r = measure(size, options.work, engine)
            print(
                f"| {engine} | {r['pages']:,.0f} | {r['hits']:,.0f} | {r['baseline']:.1f} | "
                f"{r['peak']:.1f} | {r['seconds']:.1f} | {1000 * r['seconds'] / r['hits']:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
