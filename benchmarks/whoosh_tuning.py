"""Our whoosh settings, each against its alternative, on the same documents in the same run.

    python benchmarks/whoosh_tuning.py [--pages 300] [--rounds 3]

Extracts the first ``--pages`` pages of the 1k benchmark corpus (generated if missing), then
indexes their documents into a fresh whoosh index once per variant and round, the variants
interleaved so the machine's load falls on all of them alike, and prints the median
documents/s of each. Variants change one setting of corpsearch's whoosh engine at a time:

- as shipped;
- the two sort-only date keys indexed as terms too (as before they became column-only);
- smaller and larger posting pools for the writer (``limitmb``);
- a commit every 50 pages instead of one at the end (how a job with a small ``--batch`` writes).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from bench_build import extract_all, page_files
from corpsearch import Index
from corpsearch.documents import IndexDocument, documents_of
from corpsearch.engine import whoosh_engine
from run_benchmarks import ensure_corpus


@contextmanager
def unchanged() -> Iterator[None]:
    yield


@contextmanager
def sort_keys_indexed() -> Iterator[None]:
    original = whoosh_engine._sort_key

    def indexed() -> object:
        field = original()
        field.indexed = True
        return field

    whoosh_engine._sort_key = indexed  # type: ignore[assignment]
    try:
        yield
    finally:
        whoosh_engine._sort_key = original


def pool(megabytes: int) -> Callable[[], AbstractContextManager[None]]:
    @contextmanager
    def setting() -> Iterator[None]:
        original = whoosh_engine.WRITER_LIMIT_MB
        whoosh_engine.WRITER_LIMIT_MB = megabytes
        try:
            yield
        finally:
            whoosh_engine.WRITER_LIMIT_MB = original

    return setting


def index(folder: Path, articles: Sequence[list[IndexDocument]], every: int | None) -> float:
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    with Index.create(folder, engine="whoosh") as ix:
        writer = ix.engine.writer()
        for number, documents in enumerate(articles, 1):
            writer.add(documents)
            if every and number % every == 0:
                writer.commit()
                writer = ix.engine.writer()
        writer.commit()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    files = page_files(ensure_corpus(1000, 42))[: args.pages]
    _, extracted = extract_all(files)
    articles = [list(documents_of(a)) for a in extracted]
    count = sum(len(a) for a in articles)
    shipped = whoosh_engine.WRITER_LIMIT_MB
    variants: dict[str, tuple[Callable[[], AbstractContextManager[None]], int | None]] = {
        f"as shipped (one commit, limitmb={shipped})": (unchanged, None),
        "sort-only date keys also indexed as terms": (sort_keys_indexed, None),
        **{
            f"writer pool limitmb={mb}": (pool(mb), None)
            for mb in (64, 128, 256, 512)
            if mb != shipped
        },
        "a commit every 50 pages": (unchanged, 50),
    }
    seconds: dict[str, list[float]] = {name: [] for name in variants}
    work = Path(tempfile.mkdtemp(prefix="corpsearch-tuning-"))
    try:
        for _ in range(args.rounds):
            for name, (setting, every) in variants.items():
                with setting():
                    seconds[name].append(index(work / "ix", articles, every))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(files)} pages, {count} documents, {args.rounds} rounds (medians):")
    print()
    print("| variant | documents/s | time / as shipped, same round | runs (s) |")
    print("| --- | ---: | ---: | --- |")
    base = next(iter(seconds.values()))
    for name, values in seconds.items():
        runs = ", ".join(f"{v:.1f}" for v in values)
        ratio = statistics.median(v / b for v, b in zip(values, base, strict=True))
        print(f"| {name} | {count / statistics.median(values):,.0f} | ×{ratio:.2f} | {runs} |")


if __name__ == "__main__":
    main()
