"""Build-side measurements: extraction, indexing, end-to-end jobs with their memory, reruns."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from corpsearch import Index
from corpsearch.documents import IndexDocument
from corpsearch.extract import ExtractOptions, extract
from corpsearch.records import Article
from corpsearch.sources import SourceFailure, iter_sources

__all__ = [
    "change_pages",
    "extract_all",
    "extract_parallel",
    "folder_bytes",
    "index_documents",
    "job_in_child",
    "page_files",
    "process_memory",
    "scaled_documents",
    "spread",
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


def index_documents(folder: Path, engine: str, documents: Sequence[IndexDocument]) -> float:
    """Index already extracted documents into a fresh index of ``engine``, one commit; seconds."""
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    with Index.create(folder, engine=engine) as ix:
        writer = ix.engine.writer()
        for at in range(0, len(documents), 1000):
            writer.add(documents[at : at + 1000])
        writer.commit()
    return time.perf_counter() - start


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


def spread(files: Sequence[Path], count: int) -> list[Path]:
    """At most ``count`` of ``files``, evenly spread over them."""
    if len(files) <= count:
        return list(files)
    step = len(files) / count
    return [files[int(i * step)] for i in range(count)]


def job_in_child(corpus: Path, folder: Path, engine: str, workers: int) -> dict[str, Any]:
    """``corpsearch index`` over the corpus as a user runs it; its time, summary and memory.

    Memory is read from /proc every half second over the job and its extraction workers: the
    largest single process's peak (its VmHWM, exact) and the largest sum of all of them at one
    sample (a sampled figure: a spike shorter than half a second can be missed).
    """
    command = [
        str(Path(sys.executable).parent / "corpsearch"),
        "index",
        str(corpus),
        "--index",
        str(folder),
        "--engine",
        engine,
        "--workers",
        str(workers),
        "--json",
    ]
    out_path = folder.with_name(folder.name + ".out")
    err_path = folder.with_name(folder.name + ".err")
    largest = together = 0
    start = time.perf_counter()
    with out_path.open("w") as out, err_path.open("w") as err:
        job = subprocess.Popen(command, stdout=out, stderr=err)
        while job.poll() is None:
            sizes = _tree_memory(job.pid)
            together = max(together, sum(rss for rss, _ in sizes))
            largest = max([largest, *(peak for _, peak in sizes)])
            time.sleep(0.5)
    seconds = time.perf_counter() - start
    stderr = err_path.read_text(encoding="utf-8")
    if job.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {job.returncode}: {stderr}")
    summary: dict[str, Any] = json.loads(out_path.read_text(encoding="utf-8"))
    out_path.unlink()
    err_path.unlink()
    return {
        "seconds": seconds,
        "summary": summary,
        "peak_rss_largest_process_bytes": largest,
        "peak_rss_all_processes_bytes": together,
    }


def process_memory(pid: int) -> dict[str, int]:
    """Resident bytes of one process from /proc (VmRSS, VmHWM, RssAnon, RssFile); empty once
    the process is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    return {
        key: int(rest.split()[0]) * 1024
        for key, rest in (line.split(":", 1) for line in status.splitlines())
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile")
    }


def _tree_memory(root: int) -> list[tuple[int, int]]:
    """(current RSS, peak RSS) in bytes of ``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        parent = int(text[text.rindex(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(stat.parent.name))
    tree, frontier = [root], [root]
    while frontier:
        below = children.get(frontier.pop(), [])
        tree += below
        frontier += below
    sizes = []
    for pid in tree:
        memory = process_memory(pid)
        if "VmRSS" in memory and "VmHWM" in memory:
            sizes.append((memory["VmRSS"], memory["VmHWM"]))
    return sizes


def scaled_documents(
    documents: Sequence[IndexDocument], copies: int, seed: int = 42
) -> Iterator[IndexDocument]:
    """``copies`` copies of ``documents`` (the first as it is), for an index of a larger
    corpus's size made of extracted documents: each copy of an article gets new ids (its
    comments and replies follow it), its own URL and source, and all its dates moved by the
    same whole number of days (up to a year either way)."""
    rng = random.Random(seed)
    for copy in range(copies):
        shifts: dict[str, timedelta] = {}

        def new_id(old: str, copy: int = copy) -> str:
            if copy == 0:
                return old
            return hashlib.blake2b(f"{copy}:{old}".encode(), digest_size=8).hexdigest()

        for doc in documents:
            if copy == 0:
                yield doc
                continue
            shift = shifts.setdefault(doc.article_id, timedelta(days=rng.randint(-365, 365)))
            date = doc.date + shift if doc.date is not None else None
            yield replace(
                doc,
                id=new_id(doc.id),
                article_id=new_id(doc.article_id),
                parent=new_id(doc.parent) if doc.parent else None,
                url=f"{doc.url}?copy={copy}" if doc.url else None,
                source=f"{doc.source}#copy{copy}",
                date=date,
                published=date.isoformat() if date is not None else None,
            )
