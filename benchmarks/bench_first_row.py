"""How soon an export by relevance (``corpsearch query --all``) gives its first hit, on tantivy.

Builds a tantivy index of ``--documents`` documents (made as in bench_counts.py) and times, in
the same run and interleaved, the first hit and the whole stream of ``iter_hits`` by relevance:
ranked in rounds (a page first, then four times more each round; now) and ranked all at once
before the first hit (as before: ``PAGE_SIZE`` set beyond the number of matches makes one round
of everything). Prints a Markdown table of medians (ms) for benchmarks/results/first_row.md.

    python benchmarks/bench_first_row.py --documents 100000 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_counts import build_engine  # noqa: E402
from corpsearch.engine import tantivy_engine  # noqa: E402
from corpsearch.query.parser import parse_query  # noqa: E402

QUERIES = ("people", "assad OR people", "the")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work" / "first_row")
    options = parser.parse_args()
    documents, engine = build_engine(options.documents, options.work)
    rounds = tantivy_engine.PAGE_SIZE
    ways = {"all at once (before)": len(documents), "in rounds (now)": rounds}
    first: dict[tuple[str, str], list[float]] = {}
    whole: dict[tuple[str, str], list[float]] = {}
    matches: dict[str, int] = {}
    load = [os.getloadavg()[0]]
    for _ in range(options.repeat):
        for text in QUERIES:
            tree = parse_query(text)
            for way, page in ways.items():
                tantivy_engine.PAGE_SIZE = page
                started = time.perf_counter()
                stream = engine.iter_hits(tree)
                next(stream)
                first.setdefault((way, text), []).append((time.perf_counter() - started) * 1000)
                matches[text] = 1 + sum(1 for _ in stream)
                whole.setdefault((way, text), []).append((time.perf_counter() - started) * 1000)
    tantivy_engine.PAGE_SIZE = rounds
    load.append(os.getloadavg()[0])
    print(
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} "
        f"cores, load {load[0]:.1f} before / {load[1]:.1f} after, {len(documents):,} documents "
        f"in one tantivy index, median of {options.repeat} runs (ms), hits with snippets\n"
    )
    print("| query (matches) | way | first hit | every hit |")
    print("| --- | --- | ---: | ---: |")
    for text in QUERIES:
        for way in ways:
            print(
                f"| `{text}` ({matches[text]:,}) | {way} "
                f"| {statistics.median(first[(way, text)]):,.0f} "
                f"| {statistics.median(whole[(way, text)]):,.0f} |"
            )
    engine.close()


if __name__ == "__main__":
    main()
