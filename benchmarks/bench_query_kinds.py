"""Every kind of question on one large index, in-process: median and p95 per engine.

The documents are every article and comment extracted from the real pages next to the checkout
(``shared/data``: the article benchmark and both comment-page sets) and the bundled fixtures,
in a dozen languages, repeated with new ids, dates spread over five years, 2,000 authors and 20
sites until there are ``--documents`` of them (an article to every ten comments). Building
from extracted documents, not pages, makes an index of the 100k-page corpus's size (1.1M
documents) in minutes; the words are real, but each text recurs, so the vocabulary is that of
a few thousand documents.

Times (wall clock and this process's CPU time), per engine, after a warm-up of 5 queries and
within ``--budget`` seconds a kind:

- ``page``: a common word, the top 10 with snippets and the exact total (``Index.search``);
- ``facets``: site, author and kind counts of a common word's hits (``Index.summary``);
- ``histogram``: a common word's hits by month in Europe/Berlin (``Index.summary``);
- ``group``: ``--group article``, the first 10 articles with their matching comments;
- ``proximity``: ``"a b"~3``, two words of one document within three positions;
- ``fuzzy``: ``word~2`` of a word of five letters or more;
- ``export, first row``: the first CSV line of ``--all`` (every hit by relevance);
- ``indexing``: documents per second into a fresh index, one commit (not a query).

    python benchmarks/bench_query_kinds.py --documents 1107974 --whoosh-documents 106565 \\
        --json benchmarks/results/query_kinds.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"

from corpsearch import Article, CorpsearchError, Index, extract_paths  # noqa: E402
from corpsearch.documents import IndexDocument, documents_of  # noqa: E402
from corpsearch.export import render_csv  # noqa: E402
from corpsearch.records import stable_id  # noqa: E402

ZONE = ZoneInfo("Europe/Berlin")
KINDS = ("page", "facets", "histogram", "group", "proximity", "fuzzy", "first CSV row of --all")
WORD_CHARS = str.isalpha


def real_documents() -> list[IndexDocument]:
    """Every document of the real pages there are here (fixtures always; shared data if any)."""
    sources = [ROOT / "fixtures" / "pages", ROOT / "fixtures" / "query-pages"]
    sources += [p for p in (DATA / "article-extraction-benchmark" / "html",) if p.is_dir()]
    sources += [p for p in (DATA / "comment-pages", DATA / "comment-pages-2") if p.is_dir()]
    return [
        doc
        for item in extract_paths(sources)
        if isinstance(item, Article)
        for doc in documents_of(item)
    ]


def scaled(real: list[IndexDocument], count: int, seed: int = 42) -> Iterator[IndexDocument]:
    """``count`` documents made of ``real`` ones: an article, then up to ten comments."""
    articles = [d for d in real if d.kind == "article" and d.body.strip()]
    comments = [d for d in real if d.kind == "comment" and d.text.strip()]
    rng = random.Random(seed)
    start = datetime(2010, 1, 1, tzinfo=UTC)
    made = 0
    while made < count:
        article_id = stable_id("bench", made)
        when = start + timedelta(seconds=rng.randrange(5 * 365 * 86400))
        site = f"site{rng.randrange(20)}.example"
        article = rng.choice(articles)
        yield replace(
            article, id=article_id, article_id=article_id, site=site, date=when,
            published=when.isoformat(), author=None,
        )  # fmt: skip
        made += 1
        for position in range(min(10, count - made)):
            later = when + timedelta(minutes=rng.randrange(60 * 72))
            yield replace(
                rng.choice(comments),
                id=stable_id("bench", made),
                article_id=article_id,
                site=site,
                author=f"reader_{int(rng.paretovariate(1.2)) % 2000}",
                date=later,
                published=later.isoformat(),
                position=position,
                article_headline=article.headline,
                parent=None,
            )
            made += 1


def _words(doc: IndexDocument) -> list[str]:
    return [w for w in " ".join((doc.headline, doc.body, doc.text)).lower().split() if w]


def draw(real: list[IndexDocument], per_kind: int, seed: int = 7) -> dict[str, list[str]]:
    """``per_kind`` query strings of each kind, from the words of the real documents."""
    rng = random.Random(seed)
    frequency: Counter[str] = Counter()
    for doc in real:
        frequency.update({w for w in _words(doc) if WORD_CHARS(w)})
    ranked = [w for w, _ in frequency.most_common()]
    common = ranked[:100]
    long_words = [w for w in ranked[100:5000] if len(w) >= 5] or ranked
    texts = [_words(d) for d in real]
    texts = [[w for w in t if WORD_CHARS(w)] for t in texts]
    texts = [t for t in texts if len(t) >= 8]

    def near() -> str:
        words = rng.choice(texts)
        at = rng.randrange(len(words) - 3)
        return f'"{words[at]} {words[at + rng.randrange(1, 4)]}"~3'

    makers: dict[str, Callable[[], str]] = {
        "page": lambda: rng.choice(common),
        "facets": lambda: rng.choice(common),
        "histogram": lambda: rng.choice(common),
        "group": lambda: rng.choice(common),
        "proximity": near,
        "fuzzy": lambda: f"{rng.choice(long_words)}~2",
        "first CSV row of --all": lambda: rng.choice(common),
    }
    return {kind: [makers[kind]() for _ in range(per_kind)] for kind in KINDS}


def runner(ix: Index, kind: str) -> Callable[[str], object]:
    if kind == "page":
        return lambda q: ix.search(q, limit=10).total
    if kind == "facets":
        return lambda q: ix.summary(q, facets=("site", "author", "kind"))
    if kind == "histogram":
        return lambda q: ix.summary(q, histogram="month", tz=ZONE)
    if kind == "group":
        return lambda q: ix.search(q, limit=10, group="article").total
    if kind in ("proximity", "fuzzy"):
        return lambda q: ix.search(q, limit=10).total
    if kind == "first CSV row of --all":

        def first_row(q: str) -> object:
            lines = render_csv(ix.iter_hits(q))
            next(lines)  # the header
            return next(lines, None)

        return first_row
    raise ValueError(kind)


def latency(run: Callable[[str], object], queries: list[str], budget: float) -> dict[str, Any]:
    for query in queries[:5]:
        run(query)
    times: list[float] = []
    cpu: list[float] = []  # this process's CPU time: what a quiet machine's wall clock nears
    began = time.perf_counter()
    for query in queries:
        start, start_cpu = time.perf_counter(), time.process_time()
        run(query)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        if len(times) >= 20 and time.perf_counter() - began > budget:
            break
    times.sort()
    cpu.sort()
    at = min(len(times) - 1, int(0.95 * len(times)))
    return {
        "queries": len(times),
        "median_ms": statistics.median(times),
        "p95_ms": times[at],
        "cpu_median_ms": statistics.median(cpu),
        "cpu_p95_ms": cpu[at],
    }


def build(engine: str, documents: Iterator[IndexDocument], work: Path) -> tuple[Index, float, int]:
    """A fresh index of ``documents`` in one commit; its documents per second and count."""
    shutil.rmtree(work, ignore_errors=True)
    ix = Index.create(work, engine=engine)
    writer = ix.engine.writer()
    count = 0
    began = time.perf_counter()
    batch: list[IndexDocument] = []
    for doc in documents:
        batch.append(doc)
        if len(batch) == 10_000:
            writer.add(batch)
            count += len(batch)
            batch = []
    writer.add(batch)
    count += len(batch)
    writer.commit()
    seconds = time.perf_counter() - began
    ix.close()
    return Index.open(work), count / seconds, count


def _reused(folder: Path, size: int) -> Index | None:
    """The index in ``folder`` if it holds ``size`` documents (built by an earlier run)."""
    try:
        ix = Index.open(folder)
    except CorpsearchError:  # no usable index there: build one
        return None
    if sum(ix.count().values()) == size:
        return ix
    ix.close()
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1_107_974)
    parser.add_argument("--whoosh-documents", type=int, default=106_565)
    parser.add_argument("--engines", default="tantivy,whoosh")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per kind at most")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work" / "kinds")
    parser.add_argument(
        "--kinds", default=",".join(KINDS), help="comma-separated, of: " + ", ".join(KINDS)
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the index already in --work if it holds --documents (no indexing figure)",
    )
    options = parser.parse_args(argv)
    kinds = [k.strip() for k in options.kinds.split(",")]
    if unknown := set(kinds) - set(KINDS):
        parser.error(f"unknown kinds: {', '.join(sorted(unknown))}")
    real = real_documents()
    queries = draw(real, options.queries)
    load = [os.getloadavg()[0]]
    report: dict[str, Any] = {
        "real_documents": len(real),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "engines": {},
    }
    for engine in options.engines.split(","):
        size = options.documents if engine == "tantivy" else options.whoosh_documents
        folder = options.work / engine
        if options.reuse and (reused := _reused(folder, size)) is not None:
            print(f"{engine}: timing the index of {size:,} documents there is", file=sys.stderr)
            ix, rate, count = reused, None, size
        else:
            print(f"{engine}: indexing {size:,} documents", file=sys.stderr)
            ix, rate, count = build(engine, scaled(real, size), folder)
        figures: dict[str, Any] = {"documents": count, "indexing_docs_per_s": rate}
        for kind in kinds:
            figures[kind] = latency(runner(ix, kind), queries[kind], options.budget)
            print(f"  {kind}: {figures[kind]}", file=sys.stderr)
        load.append(os.getloadavg()[0])
        ix.close()
        report["engines"][engine] = figures
    report["load"] = load
    table = [
        "| kind | engine | documents | median ms | p95 ms | CPU median ms | CPU p95 ms | queries |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for engine, figures in report["engines"].items():
        for kind in kinds:
            f = figures[kind]
            table.append(
                f"| {kind} | {engine} | {figures['documents']:,} | {f['median_ms']:.2f} "
                f"| {f['p95_ms']:.2f} | {f['cpu_median_ms']:.2f} | {f['cpu_p95_ms']:.2f} "
                f"| {f['queries']} |"
            )
        if figures["indexing_docs_per_s"] is not None:
            table.append(
                f"| indexing (documents/s) | {engine} | {figures['documents']:,} "
                f"| {figures['indexing_docs_per_s']:,.0f} | | | | |"
            )
    print("\n".join(table))
    print(
        f"\n{len(real):,} real documents repeated; {report['cores']} cores, Python "
        f"{report['python']}, load average {', '.join(f'{x:.1f}' for x in load)} "
        "(before, then after each engine)."
    )
    if options.json:
        options.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
