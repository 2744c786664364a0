"""Page latency of ``corpsearch serve``: the search page, the chart, the JSON API, threads and
author pages, over HTTP from another process, as a browser asks for them.

    python benchmarks/bench_serve.py INDEX [--per-type 5] [--repeat 3] [--out FILE]

INDEX is an index of the benchmark corpus (``run_benchmarks.py --sizes 100000 --keep`` leaves it
in benchmarks/work/100000/<engine>; any index works). The script starts ``corpsearch serve`` on a
free loopback port, draws queries of each type from a sample of the stored documents
(``bench_queries.draw_queries``: common and rare words, phrases, authors, date ranges, ...), and
asks for each page ``--repeat`` times, one request at a time. The first request of a run (which
also counts every document per day for the chart's shares, then kept) is reported apart.

Writes a Markdown report to stdout (and ``--out``) and the raw figures as JSON beside it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from bench_queries import QUERY_TYPES, draw_queries
from corpsearch import Index

BIN = Path(sys.executable).parent / "corpsearch"
SAMPLE = 5000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> tuple[float, int, int]:
    """Milliseconds to the last byte, HTTP status and body size."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=300) as answer:
            body = answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return (time.perf_counter() - start) * 1000, status, len(body)


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "requests": len(ordered),
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--per-type", type=int, default=5, help="queries of each type")
    parser.add_argument("--repeat", type=int, default=3, help="requests of each page")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    with Index.open(args.index) as index:
        counts = index.count()
        engine = index.engine.name
        sample = list(itertools.islice(index.documents(), SAMPLE))
    authors = sorted({doc.author for doc in sample if doc.author and doc.kind == "comment"})
    queries = draw_queries(sample, authors, args.per_type)
    articles = sorted({doc.article_id for doc in sample})[: args.per_type * 2]
    people = authors[: args.per_type * 2]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN), "serve", "--index", str(args.index), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    load_before = os.getloadavg()
    results: dict[str, Any] = {}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("corpsearch serve did not start") from None
                time.sleep(0.2)
        first = fetch(base + "/?" + urlencode({"q": queries[QUERY_TYPES[0]][0].text}))
        results["first search page (counts every document per day for the shares)"] = {
            "ms": round(first[0], 1),
            "status": first[1],
        }
        pages = {
            "search page `/?q=`": lambda q: "/?" + urlencode({"q": q.text, "sort": q.sort}),
            "chart `/api/search?histogram=month&limit=0`": lambda q: (
                "/api/search?" + urlencode({"q": q.text, "histogram": "month", "limit": 0})
            ),
            "hits `/api/search?limit=10`": lambda q: (
                "/api/search?" + urlencode({"q": q.text, "sort": q.sort, "limit": 10})
            ),
        }
        for page, path_of in pages.items():
            per_type: dict[str, Any] = {}
            everything: list[float] = []
            for kind, drawn in queries.items():
                times: list[float] = []
                for query in drawn:
                    for _ in range(args.repeat):
                        ms, status, _size = fetch(base + path_of(query))
                        if status != 200:
                            raise SystemExit(f"{page} {query.text!r}: HTTP {status}")
                        times.append(ms)
                per_type[kind] = summary(times)
                everything += times
            results[page] = {"all": summary(everything), "by type": per_type}
        for page, paths in (
            ("article page `/article/ID`", [f"/article/{quote(a)}" for a in articles]),
            ("author page `/author?name=`", ["/author?" + urlencode({"name": p}) for p in people]),
        ):
            times = []
            for path in paths:
                for _ in range(args.repeat):
                    ms, status, _size = fetch(base + path)
                    if status != 200:
                        raise SystemExit(f"{path}: HTTP {status}")
                    times.append(ms)
            results[page] = {"all": summary(times)}
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = os.getloadavg()

    setup = {
        "index": str(args.index),
        "engine": engine,
        "documents": sum(counts.values()),
        "by kind": counts,
        "cores": os.cpu_count(),
        "load average before / after (1 min)": [round(load_before[0], 2), round(load_after[0], 2)],
        "python": platform.python_version(),
        "queries per type": args.per_type,
        "requests per page": args.repeat,
    }
    report = render(setup, results)
    print(report)
    if args.out is not None:
        args.out.write_text(report, encoding="utf-8")
        args.out.with_suffix(".json").write_text(
            json.dumps({"setup": setup, "results": results}, indent=2) + "\n", encoding="utf-8"
        )


def render(setup: dict[str, Any], results: dict[str, Any]) -> str:
    lines = [
        "# `corpsearch serve` page latency (`benchmarks/bench_serve.py`)",
        "",
        f"Index: {setup['engine']}, {setup['documents']:,} documents "
        f"({', '.join(f'{n:,} {k}s' for k, n in setup['by kind'].items())}); "
        f"{setup['cores']} cores, load average {setup['load average before / after (1 min)'][0]} "
        f"before and {setup['load average before / after (1 min)'][1]} after; Python "
        f"{setup['python']}. One client, one request at a time over loopback, time to the last "
        f"byte; {setup['queries per type']} queries of each type, each page asked "
        f"{setup['requests per page']} times.",
        "",
    ]
    for page, figures in results.items():
        if "ms" in figures:
            lines += [f"- {page}: {figures['ms']:,} ms", ""]
            continue
        overall = figures["all"]
        lines += [
            f"## {page}",
            "",
            f"All: median {overall['median_ms']:,} ms, p95 {overall['p95_ms']:,} ms, "
            f"max {overall['max_ms']:,} ms ({overall['requests']} requests).",
            "",
        ]
        if "by type" in figures:
            lines += [
                "| query type | median ms | p95 ms | max ms |",
                "| --- | ---: | ---: | ---: |",
            ]
            for kind, row in figures["by type"].items():
                lines.append(
                    f"| {kind} | {row['median_ms']:,} | {row['p95_ms']:,} | {row['max_ms']:,} |"
                )
            lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
