"""Exporting every hit of a large index as CSV: memory against the number of hits.

    python benchmarks/export_at_scale.py INDEX [--query Q ...] [--out FILE]

INDEX is an index of the benchmark corpus (``run_benchmarks.py --keep`` leaves them in
benchmarks/work/<size>/<engine>). Each query runs as users run it,
``corpsearch query Q --index INDEX --all --format csv``, in its own process, its output read and
counted by this script; the process's memory is read from /proc every tenth of a second. Constant
memory means the peak does not grow with the hits exported: the queries go from a few thousand
hits to every document of the index, on the same index, so the same floor (opening the index)
is under all of them. The default queries widen a date range up to ``*``.

Writes a Markdown table to stdout (and to ``--out``).
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench_build import folder_bytes, process_memory
from corpsearch import Index

BIN = Path(sys.executable).parent / "corpsearch"
DEFAULT_QUERIES = (
    "date:[2019-03-01 TO 2019-03-07]",
    "date:[2019-03 TO 2019-05]",
    "date:2019",
    "date:[2016 TO 2019]",
    "*",
)
MB = 1024 * 1024


def export(index: Path, query: str) -> dict[str, Any]:
    """Run one CSV export; rows, bytes, seconds, and the memory readings along the way."""
    command = [str(BIN), "query", query, "--index", str(index), "--all", "--format", "csv"]
    job = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert job.stdout is not None and job.stderr is not None
    stderr: list[bytes] = []
    reader = threading.Thread(target=lambda: stderr.append(job.stderr.read()))  # type: ignore[union-attr]
    reader.start()
    counted = {"bytes": 0, "lines": 0}
    readings: list[tuple[int, int]] = []  # (rows exported so far, private resident bytes)
    peaks = {"VmHWM": 0, "RssAnon": 0, "RssFile": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            memory = process_memory(job.pid)
            if "RssAnon" in memory:
                readings.append((counted["lines"], memory["RssAnon"]))
                for key in peaks:
                    peaks[key] = max(peaks[key], memory.get(key, 0))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    started = time.perf_counter()
    sampler.start()

    def lines() -> Iterator[str]:
        for line in io.TextIOWrapper(job.stdout, encoding="utf-8", newline=""):  # type: ignore[arg-type]
            counted["bytes"] += len(line.encode("utf-8"))
            yield line

    # rows, not lines: a quoted field may hold a line break
    for _ in csv.reader(lines()):
        counted["lines"] += 1
    job.wait()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    reader.join()
    if job.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: {b''.join(stderr).decode(errors='replace')}")
    return {
        "query": query,
        "rows": counted["lines"] - 1,
        "output_bytes": counted["bytes"],
        "seconds": seconds,
        "peak_rss_bytes": peaks["VmHWM"],
        "peak_private_bytes": peaks["RssAnon"],
        "peak_mapped_file_bytes": peaks["RssFile"],
        "readings": readings,
    }


def _private_at(readings: list[tuple[int, int]], share: float, rows: int) -> int | None:
    """The private resident size read when ``share`` of the rows had been exported."""
    wanted = share * rows
    after = [rss for lines, rss in readings if lines >= wanted]
    return after[0] if after else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--query", action="append", help="a query (repeatable)")
    parser.add_argument("--out", type=Path, help="also write the table here")
    args = parser.parse_args(argv)
    with Index.open(args.index) as index:
        engine, documents = index.engine.name, sum(index.count().values())
    lines = [
        f"Index: {engine} engine, {documents:,} documents, "
        f"{folder_bytes(args.index) / MB:,.0f} MB on "
        "disk. Each row: `corpsearch query Q --index INDEX --all --format csv` in its own "
        "process; memory read from /proc every 0.1 s. *Private* is the process's own memory "
        "(RssAnon); *mapped index* is the index files the engine reads through a memory map "
        "(RssFile: the operating system's page cache, shared and given back under pressure), "
        "which also counts in the resident size (RSS).",
        "",
        "| query | rows exported | CSV MB | seconds | peak private MB | private at 10% / 50% / "
        "90% of the rows, MB | peak mapped index MB | peak RSS MB |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    print("\n".join(lines), flush=True)
    for query in args.query or DEFAULT_QUERIES:
        row = export(args.index, query)
        marks = [_private_at(row["readings"], s, row["rows"]) for s in (0.1, 0.5, 0.9)]
        line = (
            f"| `{query}` | {row['rows']:,} | {row['output_bytes'] / MB:,.1f} "
            f"| {row['seconds']:,.1f} | {row['peak_private_bytes'] / MB:,.0f} | "
            + " / ".join("–" if m is None else f"{m / MB:,.0f}" for m in marks)
            + f" | {row['peak_mapped_file_bytes'] / MB:,.0f} | {row['peak_rss_bytes'] / MB:,.0f} |"
        )
        lines.append(line)
        print(line, flush=True)
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    csv.field_size_limit(sys.maxsize)
    sys.exit(main())
