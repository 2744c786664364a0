"""Extraction speed of two versions of corpsearch on the same pages, interleaved page by page.

    python benchmarks/bench_extract_versions.py --before main --corpus benchmarks/corpus/1k

The version at git revision ``--before`` (its ``src/`` exported to a temporary folder) and this
checkout's ``src/`` each run in a worker process; both are pinned to the same core and the parent
asks them in turn for page i, so the two meet the same load. Each figure is the CPU time of
``corpsearch.extract.extract`` on one page, the fastest of ``--repeat`` runs (other load only
ever adds time). Pages: a generated corpus (``--corpus``, ``--sample`` of its pages evenly
spread), else the dev pages of ``shared/data`` (``--every N`` takes every Nth).

Prints the medians, means and the median of the per-page ratios, with the load average;
``--write`` appends them to ``benchmarks/results/extract.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build import page_files, spread  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "extract.md"
DATA = ROOT.parent / "shared" / "data"
DEV_SETS = (
    DATA / "article-extraction-benchmark" / "html",
    DATA / "comment-pages",
    DATA / "comment-pages-2",
)

# The worker: the given src/ first on the path, then page numbers in, fastest CPU ms out.
WORKER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from corpsearch.extract import ExtractOptions, extract
from corpsearch.sources import SourceDocument, iter_sources

paths = json.loads(sys.stdin.readline())
docs = [d for p in paths for d in iter_sources([Path(p)]) if isinstance(d, SourceDocument)]
options = ExtractOptions()
extract(docs[0], options)  # models and caches loaded before timing
print(len(docs), flush=True)
for line in sys.stdin:
    index, repeat = map(int, line.split())
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        extract(docs[index], options)
        best = min(best, (time.process_time() - start) * 1000)
    print(best, flush=True)
"""


def export_src(revision: str, into: Path) -> Path:
    """The ``src/`` folder of ``revision``, written under ``into``."""
    archive = into / "src.tar"
    subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), revision, "src"],
        check=True,
    )
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


class Worker:
    def __init__(self, src: Path, paths: list[str], core: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(src)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(self.process.pid, {core})
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        self.stdin.write(json.dumps(paths) + "\n")
        self.stdin.flush()
        self.pages = int(self.stdout.readline())

    def time(self, index: int, repeat: int) -> float:
        self.stdin.write(f"{index} {repeat}\n")
        self.stdin.flush()
        return float(self.stdout.readline())

    def close(self) -> None:
        self.stdin.close()
        self.process.wait()


def pages(corpus: Path | None, sample: int, every: int) -> list[Path]:
    if corpus is not None:
        return spread(page_files(corpus), sample)
    return [p for folder in DEV_SETS for p in sorted(folder.glob("*.htm*"))][::every]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default="main", help="git revision to compare with")
    parser.add_argument("--corpus", type=Path, help="a generated corpus (gen_corpus.py)")
    parser.add_argument("--sample", type=int, default=100, help="corpus pages, evenly spread")
    parser.add_argument("--every", type=int, default=1, help="dev pages: take every Nth")
    parser.add_argument("--repeat", type=int, default=3, help="runs per page (fastest kept)")
    parser.add_argument("--write", action="store_true", help=f"append to {RESULTS.name}")
    args = parser.parse_args(argv)
    files = [str(p) for p in pages(args.corpus, args.sample, args.every)]
    core = min(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0
    start_load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory() as tmp:
        before_src = export_src(args.before, Path(tmp))
        workers = {
            f"before ({args.before})": Worker(before_src, files, core),
            "after (this checkout)": Worker(ROOT / "src", files, core),
        }
        counts = {w.pages for w in workers.values()}
        if len(counts) != 1:
            raise SystemExit(f"the two versions read different numbers of pages: {counts}")
        times: dict[str, list[float]] = {name: [] for name in workers}
        for index in range(counts.pop()):
            for name, worker in workers.items():
                times[name].append(worker.time(index, args.repeat))
        for worker in workers.values():
            worker.close()
    before, after = times.values()
    what = f"{args.corpus.name} corpus, {len(files)} pages" if args.corpus else "dev pages"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python benchmarks/"
        f"bench_extract_versions.py --before {args.before}` on {what} ({len(before)} read), "
        f"one core of {os.cpu_count()}, Python {platform.python_version()}; fastest of "
        f"{args.repeat} runs per page, the two versions interleaved page by page; load average "
        f"{start_load} at the start, {load} at the end.",
        "",
        "| version | median ms/page | mean | 90th percentile |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, values in times.items():
        ordered = sorted(values)
        p90 = ordered[int(0.9 * (len(ordered) - 1))]
        lines.append(
            f"| {name} | {statistics.median(values):.1f} | {statistics.fmean(values):.1f} "
            f"| {p90:.1f} |"
        )
    ratio = statistics.median(a / b for a, b in zip(after, before, strict=True) if b)
    lines += ["", f"after / before, median of the per-page ratios: {ratio:.2f}"]
    text = "\n".join(lines)
    print(text)
    if args.write:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(f"\n{text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
