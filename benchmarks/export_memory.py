"""Memory and time of exporting every hit (``corpsearch query --all``) as the hit count grows.

The corpus is the seed page's article and five comments, copied N/6 times under new ids with
dates a minute apart, so every document is real text and the hit count is exact. For each size
the script indexes the copies, then streams every hit of ``*`` sorted by ``-date`` through the
JSON Lines writer into a byte counter, and records the peak of Python's allocations
(tracemalloc) during the export and the time it took. Opening a searcher makes whoosh read the
index's segment files into memory, which a page of ten hits pays as well; so the peak of a page of
ten is measured first, and the export's cost per hit is what it needs above that. For comparison
it also records the peak of asking for every hit as one page (``search(limit=N)``).

Run: ``.venv/bin/python benchmarks/export_memory.py [--sizes 6000,24000,96000] [--work DIR]``
Results of a run are in ``benchmarks/results/export_memory.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

from corpsearch import Article, Index, extract_paths
from corpsearch.documents import documents_of
from corpsearch.export import render_export
from corpsearch.records import stable_id

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "seed" / "000_0b9b997b58ed1954.txt"


def copies(seed: Article, count: int) -> list[Article]:
    """``count`` copies of the seed article with its comments, each under its own ids and dates."""
    made = []
    for number in range(count):
        article_id = stable_id("bench", number)
        comments = tuple(
            dataclasses.replace(
                comment,
                id=stable_id(article_id, comment.position),
                article_id=article_id,
                published=comment.published + timedelta(minutes=number)
                if comment.published
                else None,
            )
            for comment in seed.comments
        )
        made.append(dataclasses.replace(seed, id=article_id, comments=comments))
    return made


def build(folder: Path, documents: int) -> Index:
    seed = next(a for a in extract_paths([SEED]) if isinstance(a, Article))
    index = Index.create(folder)
    writer = index.engine.writer()
    for article in copies(seed, documents // (1 + len(seed.comments))):
        writer.add(documents_of(article))
    writer.commit()
    return index


def measure(index: Index) -> dict[str, float]:
    tracemalloc.start()
    index.search("*", sort="-date", limit=10)
    _, baseline = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    written = 0
    hits = 0
    for chunk in render_export("*", 0, index.iter_hits("*", sort="-date"), "jsonl"):
        written += len(chunk)
        hits += 1
    seconds = time.perf_counter() - started
    _, export_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    page = index.search("*", sort="-date", limit=hits)
    _, page_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(page.hits) == hits
    return {
        "hits": hits,
        "baseline_mib": baseline / 2**20,
        "export_peak_mib": export_peak / 2**20,
        "bytes_per_hit": (export_peak - baseline) / max(hits, 1),
        "export_seconds": seconds,
        "output_mib": written / 2**20,
        "one_page_peak_mib": page_peak / 2**20,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="6000,24000,96000", help="documents per run")
    parser.add_argument("--work", type=Path, default=None, help="folder for the indexes")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="corpsearch-bench-"))
    print(
        "| hits | page of 10: peak (MiB) | export of all: peak (MiB) "
        "| export above the page of 10, per hit (bytes) | export time (s) | output (MiB) "
        "| one page of all hits: peak (MiB) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in (int(s) for s in args.sizes.split(",")):
        folder = work / f"index-{size}"
        shutil.rmtree(folder, ignore_errors=True)
        with build(folder, size) as index:
            row = measure(index)
        print(
            f"| {row['hits']:,.0f} | {row['baseline_mib']:.1f} | {row['export_peak_mib']:.1f} "
            f"| {row['bytes_per_hit']:.0f} "
            f"| {row['export_seconds']:.1f} | {row['output_mib']:.1f} "
            f"| {row['one_page_peak_mib']:.1f} |",
            flush=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
