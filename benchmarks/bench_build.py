"""Build-side measurements: extraction, indexing, end-to-end builds, peak memory, reruns.

Run as a script (``python benchmarks/bench_build.py build INDEX FILE...``) it builds an index from
files in a fresh process and prints JSON with the time and the process's peak memory, so the peak
is that of one build and nothing else.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from corpsearch import Index
from corpsearch.documents import documents_of
from corpsearch.extract import ExtractOptions, extract
from corpsearch.records import Article
from corpsearch.sources import SourceFailure, iter_sources

__all__ = [
    "build_in_child",
    "change_pages",
    "extract_all",
    "extract_parallel",
    "folder_bytes",
    "index_articles",
    "page_files",
    "rerun_changed",
]


def page_files(corpus: Path) -> list[Path]:
    """The corpus's HTML pages, in page order."""
    return sorted(corpus.glob("[0-9][0-9][0-9]/*.html"))


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def extract_all(files: Sequence[Path]) -> tuple[float, list[Article]]:
    """Extract every page on one core; (seconds, articles)."""
    options = ExtractOptions()
    articles: list[Article] = []
    start = time.perf_counter()
    for item in iter_sources(files):
        if isinstance(item, SourceFailure):
            raise RuntimeError(f"{item.path}: {item.reason}")
        articles.append(extract(item, options))
    return time.perf_counter() - start, articles


def _extract_chunk(files: list[str]) -> int:
    options = ExtractOptions()
    done = 0
    for item in iter_sources(files):
        if not isinstance(item, SourceFailure):
            extract(item, options)
            done += 1
    return done


def extract_parallel(files: Sequence[Path], workers: int, chunk: int = 50) -> float:
    """Extract every page with ``workers`` processes; seconds, pool start-up included."""
    chunks = [[str(f) for f in files[i : i + chunk]] for i in range(0, len(files), chunk)]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        done = sum(pool.map(_extract_chunk, chunks))
    seconds = time.perf_counter() - start
    if done != len(files):
        raise RuntimeError(f"extracted {done} of {len(files)} pages")
    return seconds


def index_articles(folder: Path, articles: Iterable[Article]) -> tuple[float, int]:
    """Index already extracted records into a fresh index; (seconds, documents)."""
    shutil.rmtree(folder, ignore_errors=True)
    ix = Index.create(folder)
    documents = 0
    start = time.perf_counter()
    writer = ix.engine.writer()
    for article in articles:
        docs = list(documents_of(article))
        writer.add(docs)
        documents += len(docs)
    writer.commit()
    seconds = time.perf_counter() - start
    ix.close()
    return seconds, documents


def build_in_child(folder: Path, files: Sequence[Path]) -> dict[str, Any]:
    """Build a fresh index from files (``Index.add``) in a new process; its time and peak."""
    shutil.rmtree(folder, ignore_errors=True)
    listing = folder.with_name(folder.name + ".files")
    listing.write_text("\n".join(str(f) for f in files) + "\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, __file__, "build", str(folder), str(listing)],
        check=True,
        capture_output=True,
        text=True,
    )
    listing.unlink()
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def change_pages(files: Sequence[Path], share: float) -> dict[Path, bytes]:
    """Change ``share`` of the pages (evenly spread): add a sentence to the first paragraph.

    Returns the original bytes so the caller can restore them.
    """
    step = max(1, round(1 / share))
    originals: dict[Path, bytes] = {}
    for number, path in enumerate(files[::step]):
        data = path.read_bytes()
        changed = data.replace(b"</p>", f" Updated {number} with a correction.</p>".encode(), 1)
        if changed == data:
            raise RuntimeError(f"{path} has no paragraph to change")
        originals[path] = data
        path.write_bytes(changed)
    return originals


def rerun_changed(folder: Path, changed: Sequence[Path]) -> float:
    """``Index.add`` over just the changed files of an existing index; seconds."""
    start = time.perf_counter()
    with Index.open(folder) as ix:
        report = ix.add(changed)
    seconds = time.perf_counter() - start
    if report.articles != len(changed) or report.failures:
        raise RuntimeError(f"rerun indexed {report.articles} of {len(changed)} pages")
    return seconds


def _child_build(folder: str, listing: str) -> None:
    files = Path(listing).read_text(encoding="utf-8").split()
    start = time.perf_counter()
    with Index.create(folder) as ix:
        report = ix.add(files)
        counts = ix.count()
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    json.dump(
        {
            "seconds": seconds,
            "pages": report.pages,
            "articles": report.articles,
            "comments": report.comments,
            "failures": len(report.failures),
            "documents": counts["article"] + counts["comment"],
            "peak_rss_bytes": peak_kb * 1024,
            "pid": os.getpid(),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "build":
        sys.exit("usage: bench_build.py build INDEX_FOLDER FILE_LIST")
    _child_build(sys.argv[2], sys.argv[3])
