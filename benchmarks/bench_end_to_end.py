"""End-to-end build speed of two versions of corpsearch, with 1 and 2 extraction workers.

    python benchmarks/bench_end_to_end.py --corpus benchmarks/corpus/600 --before main

``corpsearch index CORPUS --workers N --json`` in a fresh process on a fresh index, as a user
runs it (``bench_build.job_in_child``: the installed command, extraction in N worker
processes, indexing in the main process), once with the ``src/`` of git revision ``--before``
(exported to a temporary folder) and once with this checkout's, the two alternating for each
worker count so that they meet similar load. Prints pages/s (pages read / wall-clock seconds
of the whole job), the CPU seconds of the job and its workers (user + system: what other
load on a shared machine adds least to) and the pages per CPU second, with the load average
before and after each run; ``--write`` appends them to ``benchmarks/results/end_to_end.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from bench_build import job_in_child, page_files  # noqa: E402
from bench_extract_versions import export_src  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "end_to_end.md"


def _cpu() -> float:
    # the job and its workers, once waited for, count as this process's children
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a generated corpus")
    parser.add_argument("--before", default="main", help="git revision to compare with")
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--engine", default="tantivy")
    parser.add_argument("--write", action="store_true", help=f"append to {RESULTS.name}")
    args = parser.parse_args(argv)
    pages = len(page_files(args.corpus))
    counts = [int(n) for n in args.workers.split(",")]
    rows = []
    saved = os.environ.get("PYTHONPATH")
    with tempfile.TemporaryDirectory() as tmp:
        versions = {
            f"before ({args.before})": export_src(args.before, Path(tmp)),
            "after (this checkout)": ROOT / "src",
        }
        try:
            for workers in counts:
                for name, src in versions.items():
                    os.environ["PYTHONPATH"] = str(src)  # the job's corpsearch is this one
                    folder = Path(tmp) / "index"
                    shutil.rmtree(folder, ignore_errors=True)
                    before, cpu = _load(), _cpu()
                    run = job_in_child(args.corpus, folder, args.engine, workers)
                    cpu = _cpu() - cpu
                    read = run["summary"]["articles"] + run["summary"]["failed"]
                    rows.append(
                        f"| {name} | {workers} | {read / run['seconds']:.1f} "
                        f"| {run['seconds']:.1f} | {cpu:.1f} | {read / cpu:.1f} "
                        f"| {before} → {_load()} |"
                    )
                    print(rows[-1], flush=True)
        finally:
            if saved is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = saved
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python benchmarks/"
        f"bench_end_to_end.py --before {args.before}` on {args.corpus.name} ({pages} pages), "
        f"engine {args.engine}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        "one run each, the versions alternating.",
        "",
        "| version | workers | pages/s | seconds | CPU seconds | pages per CPU second "
        "| load before → after |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        *rows,
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(f"\n{text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
