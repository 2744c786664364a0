"""Facets, histograms and groups on tantivy: counted in the index against reading every match.

Builds a tantivy index of ``--documents`` documents made from the seed's and the bundled real
pages' documents (new ids, dates spread over five years, 2,000 authors, 20 sites, an article
to every ten comments), then times, in the same run and interleaved:

- ``with snippets``: the values of every match read from hits with snippets, as facets,
  histograms and ``--group article`` were read before ``Engine.counts``;
- ``stored values``: the values read from every match's stored document, no snippet (the plain
  ``Engine.counts``, and what ``--group article`` reads now);
- ``aggregations``: ``TantivyEngine.counts`` (two aggregations over value columns).

Prints a Markdown table of medians (ms) for benchmarks/results/counts.md.

    python benchmarks/bench_counts.py --documents 22614 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]

from corpsearch import Article, extract_paths  # noqa: E402
from corpsearch.documents import IndexDocument, documents_of  # noqa: E402
from corpsearch.engine import Engine, engine_class  # noqa: E402
from corpsearch.engine.base import count_values  # noqa: E402
from corpsearch.grouping import group_by_article  # noqa: E402
from corpsearch.query.ast import Node  # noqa: E402
from corpsearch.query.parser import parse_query  # noqa: E402

SOURCES = [ROOT / "fixtures" / "seed" / "000_0b9b997b58ed1954.txt", ROOT / "fixtures" / "pages"]
QUERIES = ("*", "kind:comment", "assad OR people", "site:site3.example")
FIELDS = ("site", "author", "kind")
ZONE = ZoneInfo("Asia/Beirut")


def make_documents(count: int, seed: int = 42) -> list[IndexDocument]:
    """``count`` documents with the text of real ones, in articles of eleven documents."""
    real = [
        doc
        for item in extract_paths(SOURCES)
        if isinstance(item, Article)
        for doc in documents_of(item)
    ]
    articles = [d for d in real if d.kind == "article"]
    comments = [d for d in real if d.kind == "comment"]
    rng = random.Random(seed)
    start = datetime(2010, 1, 1, tzinfo=UTC)
    out: list[IndexDocument] = []
    while len(out) < count:
        number = len(out)
        article_id = f"{number:016x}"
        when = start + timedelta(seconds=rng.randrange(5 * 365 * 86400))
        site = f"site{rng.randrange(20)}.example"
        out.append(
            replace(
                rng.choice(articles),
                id=article_id,
                article_id=article_id,
                site=site,
                date=when,
                published=when.isoformat(),
                author=None,
            )
        )
        for position in range(min(10, count - len(out))):
            later = when + timedelta(minutes=rng.randrange(60 * 72))
            dated = rng.random() > 0.02
            out.append(
                replace(
                    rng.choice(comments),
                    id=f"{number + 1 + position:016x}",
                    article_id=article_id,
                    site=site,
                    author=f"reader_{int(rng.paretovariate(1.2)) % 2000}",
                    date=later if dated else None,
                    published=later.isoformat() if dated else None,
                    position=position,
                )
            )
    return out


def with_snippets(engine: Engine, tree: Node) -> object:
    return count_values(Engine.ranked(engine, tree, "date"), FIELDS, "month", ZONE)


def stored_values(engine: Engine, tree: Node) -> object:
    return Engine.counts(engine, tree, FIELDS, "month", ZONE)


def aggregations(engine: Engine, tree: Node) -> object:
    return engine.counts(tree, FIELDS, "month", ZONE)


def group_before(engine: Engine, tree: Node) -> object:
    return group_by_article(_Plain(engine), tree, sort="date", limit=10)


def group_now(engine: Engine, tree: Node) -> object:
    return group_by_article(engine, tree, sort="date", limit=10)


class _Plain:
    """An engine whose ``ranked`` reads hits with snippets, as the seam's plain version does."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def ranked(self, tree: Node, sort: str) -> object:
        return Engine.ranked(self._engine, tree, sort)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        return getattr(self._engine, name)


def build_engine(count: int, work: Path) -> tuple[list[IndexDocument], Engine]:
    """A fresh tantivy index in ``work`` holding :func:`make_documents`'s ``count``."""
    shutil.rmtree(work, ignore_errors=True)
    documents = make_documents(count)
    engine = engine_class("tantivy").create(work)
    writer = engine.writer()
    writer.add(documents)
    writer.commit()
    return documents, engine


WAYS: dict[str, Callable[[Engine, Node], object]] = {
    "counts: with snippets (before)": with_snippets,
    "counts: stored values": stored_values,
    "counts: aggregations (now)": aggregations,
    "--group article: with snippets (before)": group_before,
    "--group article: stored values (now)": group_now,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=22_614)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work" / "counts")
    options = parser.parse_args()
    documents, engine = build_engine(options.documents, options.work)
    trees = {text: parse_query(text) for text in QUERIES}
    for text, tree in trees.items():  # every way gives the same answer
        assert with_snippets(engine, tree) == stored_values(engine, tree), text
        assert stored_values(engine, tree) == aggregations(engine, tree), text
    times: dict[tuple[str, str], list[float]] = {}
    load = [os.getloadavg()[0]]
    for _ in range(options.repeat):
        for text, tree in trees.items():
            for way, run in WAYS.items():
                started = time.perf_counter()
                run(engine, tree)
                times.setdefault((way, text), []).append((time.perf_counter() - started) * 1000)
    load.append(os.getloadavg()[0])
    matches = {text: engine.counts(tree).total for text, tree in trees.items()}
    print(
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} "
        f"cores, load {load[0]:.1f} before / {load[1]:.1f} after, {len(documents):,} documents "
        f"in one tantivy index, median of {options.repeat} runs (ms); counts: {', '.join(FIELDS)} "
        f"and months in {ZONE}\n"
    )
    print("| | " + " | ".join(f"`{t}` ({matches[t]:,} matches)" for t in QUERIES) + " |")
    print("| --- |" + " ---: |" * len(QUERIES))
    for way in WAYS:
        cells = [f"{statistics.median(times[(way, text)]):,.0f}" for text in QUERIES]
        print(f"| {way} | " + " | ".join(cells) + " |")
    engine.close()


if __name__ == "__main__":
    sys.exit(main())
