"""How much an unchanged run of ``corpsearch index`` costs compared with the first run.

Generates copies of the seed page (tests/pagegen.py), then, for each repetition on a fresh
index: runs the job (all pages new), runs it again on the unchanged folder, edits one page and
runs it a third time. Times are wall-clock times of the whole ``corpsearch`` process, as cron
would see them. Prints a Markdown table (medians) for docs/jobs.md.

    python benchmarks/bench_incremental.py --pages 1000 --repeat 3
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from pagegen import make_pages, page_html, page_path  # noqa: E402

BIN = Path(sys.executable).parent / "corpsearch"


def timed_run(*args: str | Path) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    result = subprocess.run(
        [str(BIN), *map(str, args), "--json"], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"corpsearch failed: {result.stderr}")
    return elapsed, json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=0, help="0 = one per core")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work" / "incremental")
    options = parser.parse_args()

    shutil.rmtree(options.work, ignore_errors=True)
    pages = options.work / "pages"
    make_pages(pages, options.pages)
    first, unchanged, edited = [], [], []
    inside: dict[str, list[float]] = {"first": [], "unchanged": [], "edited": []}
    for repetition in range(options.repeat):
        index = options.work / f"index-{repetition}"
        page_path(pages, 1).write_text(page_html(1), encoding="utf-8")
        common = ("index", pages, "--index", index, "--workers", str(options.workers))
        seconds, summary = timed_run(*common)
        assert summary["new"] == options.pages, summary
        first.append(seconds)
        inside["first"].append(float(summary["seconds"]))  # type: ignore[arg-type]
        seconds, summary = timed_run(*common)
        assert (summary["new"], summary["changed"]) == (0, 0), summary
        unchanged.append(seconds)
        inside["unchanged"].append(float(summary["seconds"]))  # type: ignore[arg-type]
        page_path(pages, 1).write_text(page_html(1).replace("Harf", "Harf edited"), "utf-8")
        seconds, summary = timed_run(*common)
        assert (summary["new"], summary["changed"]) == (0, 1), summary
        edited.append(seconds)
        inside["edited"].append(float(summary["seconds"]))  # type: ignore[arg-type]
        print(
            f"repetition {repetition + 1}: first {first[-1]:.2f}s, unchanged "
            f"{unchanged[-1]:.2f}s, one page edited {edited[-1]:.2f}s",
            file=sys.stderr,
        )

    base = statistics.median(first)
    print(
        f"{options.pages} pages, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"median of {options.repeat}:\n"
    )
    print("| run | process seconds | share of the first run | job seconds (from --json) |")
    print("|-----|----------------:|-----------------------:|--------------------------:|")
    rows = (
        ("first (all new)", first, "first"),
        ("again, unchanged", unchanged, "unchanged"),
        ("one page edited", edited, "edited"),
    )
    for name, times, key in rows:
        median = statistics.median(times)
        job = statistics.median(inside[key])
        print(f"| {name} | {median:.2f} | {100 * median / base:.1f}% | {job:.3f} |")


if __name__ == "__main__":
    main()
