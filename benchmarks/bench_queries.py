"""Query sets drawn from the corpus, and their latency through corpsearch and SQLite FTS5.

Every query type is a list of :class:`BenchQuery`: the corpsearch query string and sort, what is
asked (``op``: a page of hits, facets, a histogram, groups by article, articles by their
comments, the first row of a CSV export) and the same question as plain parts (words, phrase,
author, date range, or an FTS5 ``MATCH`` expression) for the FTS5 reference, which leaves out
the types it has no equivalent for (``fts=False``).
"""

from __future__ import annotations

import os
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from corpsearch import Index
from corpsearch.documents import IndexDocument
from corpsearch.errors import CorpsearchError

__all__ = [
    "MIN_QUERIES",
    "QUERY_TYPES",
    "BenchQuery",
    "corpsearch_runner",
    "draw_queries",
    "latency",
    "time_corpsearch",
]

WORD = re.compile(r"\w+")
# The fewest queries of a type that make a p95 worth writing down.
MIN_QUERIES = 40
QUERY_TYPES = (
    "common word",
    "rare word",
    "3-word phrase",
    "proximity",
    "prefix",
    "fuzzy",
    "headline field",
    "author",
    "date range",
    "word + date range",
    "phrase + author + date range",
    "word sorted by date",
    "facets",
    "histogram",
    "--group article",
    "comments:(…)",
    "first CSV row of --all",
)
# What each op asks corpsearch (bench_query_kinds.runner's kinds, "page" with the query's sort)
OPS = {
    "facets": "facets",
    "histogram": "histogram",
    "--group article": "group",
    "comments:(…)": "comments",
    "first CSV row of --all": "first CSV row of --all",
}


@dataclass(frozen=True, slots=True)
class BenchQuery:
    text: str  # corpsearch query string
    sort: str  # "relevance" or "-date"
    words: tuple[str, ...] = ()  # all required (lower-case)
    phrase: tuple[str, ...] = ()
    author: str | None = None
    start: int | None = None  # UTC seconds, inclusive
    end: int | None = None  # UTC seconds, exclusive
    op: str = "page"  # page, facets, histogram, group, comments, first CSV row of --all
    match: str | None = None  # an FTS5 MATCH expression, instead of words and phrase
    fts: bool = True  # whether SQLite FTS5 has an equivalent


def _tokens(doc: IndexDocument) -> list[str]:
    return WORD.findall(" ".join((doc.headline, doc.body, doc.text, doc.quote)).lower())


def _day(value: datetime) -> str:
    return value.strftime("%Y-%m-%d")


def _seconds(value: datetime) -> int:
    return int(value.timestamp())


def _range(start: datetime, days: int) -> tuple[str, int, int]:
    begin = start.replace(hour=0, minute=0, second=0, microsecond=0)
    last = begin + timedelta(days=days - 1)
    text = f"date:[{_day(begin)} TO {_day(last)}]"
    return text, _seconds(begin), _seconds(last + timedelta(days=1))


def _quote_author(name: str) -> str:
    return f'"{name}"' if not re.fullmatch(r"[\w.\-]+", name) else name


def draw_queries(
    documents: Sequence[IndexDocument], authors: Sequence[str], per_type: int, seed: int = 7
) -> dict[str, list[BenchQuery]]:
    """``per_type`` queries of each type, drawn from the documents' words and the authors."""
    rng = random.Random(seed)
    doc_freq: Counter[str] = Counter()
    for doc in documents:
        doc_freq.update(set(_tokens(doc)))
    ranked = [w for w, _ in doc_freq.most_common() if w.isalpha()]
    common = ranked[:100]
    middle = ranked[100:2000] or ranked
    rare = [w for w in ranked if doc_freq[w] <= 3 and len(w) >= 4] or ranked[-100:]
    dated = [d for d in documents if d.date is not None]
    lo = min(d.date for d in dated if d.date)
    hi = max(d.date for d in dated if d.date)
    with_author = [d for d in dated if d.author and len(_tokens(d)) >= 3]
    long_words = [w for w in middle if len(w) >= 6] or ranked
    head_freq: Counter[str] = Counter()
    for doc in documents:
        if doc.kind == "article":
            head_freq.update(set(WORD.findall(doc.headline.lower())))
    headline_words = [w for w, _ in head_freq.most_common()[20:500] if w.isalpha()] or common

    def random_day() -> datetime:
        return lo + (hi - lo) * rng.random()

    def phrase_of(doc: IndexDocument) -> tuple[str, ...]:
        words = _tokens(doc)
        at = rng.randrange(len(words) - 2)
        return tuple(words[at : at + 3])

    def near() -> BenchQuery:
        words = [w for w in _tokens(rng.choice(with_author)) if w.isalpha()]
        while len(words) < 5:
            words = [w for w in _tokens(rng.choice(with_author)) if w.isalpha()]
        at = rng.randrange(len(words) - 4)
        a, b = words[at], words[at + rng.randrange(2, 5)]
        return BenchQuery(f'"{a} {b}"~3', "relevance", match=f'NEAR("{a}" "{b}", 3)')

    def make(kind: str) -> BenchQuery:
        if kind in OPS:  # a common word, asked another way
            w = rng.choice(common) if kind != "comments:(…)" else rng.choice(middle)
            text = f"comments:({w})" if kind == "comments:(…)" else w
            return BenchQuery(text, "relevance", words=(w,), op=OPS[kind])
        if kind == "proximity":
            return near()
        if kind == "prefix":
            stem = rng.choice(long_words)[:5]
            return BenchQuery(f"{stem}*", "relevance", match=f'"{stem}"*')
        if kind == "fuzzy":
            return BenchQuery(f"{rng.choice(long_words)}~2", "relevance", fts=False)
        if kind == "headline field":
            w = rng.choice(headline_words)
            return BenchQuery(f"headline:{w}", "relevance", match=f'headline : "{w}"')
        if kind == "common word":
            w = rng.choice(common)
            return BenchQuery(w, "relevance", words=(w,))
        if kind == "rare word":
            w = rng.choice(rare)
            return BenchQuery(w, "relevance", words=(w,))
        if kind == "3-word phrase":
            p = phrase_of(rng.choice(with_author))
            return BenchQuery(f'"{" ".join(p)}"', "relevance", phrase=p)
        if kind == "author":
            a = rng.choice(authors)
            return BenchQuery(f"author:{_quote_author(a)}", "relevance", author=a.lower())
        if kind == "date range":
            text, s, e = _range(random_day(), 30)
            return BenchQuery(text, "relevance", start=s, end=e)
        if kind == "word + date range":
            w = rng.choice(middle)
            text, s, e = _range(random_day(), 365)
            return BenchQuery(f"{w} {text}", "relevance", words=(w,), start=s, end=e)
        if kind == "phrase + author + date range":
            doc = rng.choice(with_author)
            p = phrase_of(doc)
            assert doc.date is not None and doc.author is not None
            text, s, e = _range(doc.date.astimezone(UTC) - timedelta(days=180), 365)
            q = f'"{" ".join(p)}" author:{_quote_author(doc.author)} {text}'
            return BenchQuery(q, "relevance", phrase=p, author=doc.author.lower(), start=s, end=e)
        if kind == "word sorted by date":
            w = rng.choice(middle)
            return BenchQuery(w, "-date", words=(w,))
        raise ValueError(kind)

    return {kind: [make(kind) for _ in range(per_type)] for kind in QUERY_TYPES}


def _answer(run: Callable[[BenchQuery], int], query: BenchQuery) -> int | None:
    """The query's hit count, or None when corpsearch refuses it (a limit, with its error)."""
    try:
        return run(query)
    except CorpsearchError:
        return None


def latency(
    run: Callable[[BenchQuery], int],
    queries: Sequence[BenchQuery],
    budget: float | None = None,
    minimum: int = MIN_QUERIES,
) -> dict[str, Any]:
    """Run each query once (after a short warm-up); median and p95 in milliseconds.

    With a ``budget`` in seconds, stop once it is spent and at least :data:`MIN_QUERIES` ran, so
    a slow engine on a large index still finishes; ``queries`` says how many ran. The load
    average is taken at the end, beside the figures.
    """
    for query in queries[:5]:
        _answer(run, query)
    times: list[float] = []
    cpu: list[float] = []  # the process's CPU time: what other load on the machine adds less to
    hits = refused = 0
    began = time.perf_counter()
    for query in queries:
        start, used = time.perf_counter(), time.process_time()
        total = _answer(run, query)
        if total is None:  # refused as too broad: its time is not an answer's
            refused += 1
            continue
        cpu.append((time.process_time() - used) * 1000)
        times.append((time.perf_counter() - start) * 1000)
        hits += total > 0
        if budget is not None and len(times) >= minimum and start - began > budget:
            break
    if not times:
        return {"queries": 0, "refused": refused, "load": round(os.getloadavg()[0], 2)}
    times.sort()
    cpu.sort()
    return {
        "queries": len(times),
        "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))],
        "max_ms": times[-1],
        "cpu_median_ms": statistics.median(cpu),
        "cpu_p95_ms": cpu[min(len(cpu) - 1, int(0.95 * len(cpu)))],
        "with_hits": hits / len(times),
        "refused": refused,
        "load": round(os.getloadavg()[0], 2),
    }


def corpsearch_runner(ix: Index, op: str) -> Callable[[BenchQuery], int]:
    """What one query of ``op`` costs through the library; the number of hits it found."""
    from bench_query_kinds import runner

    if op == "page":
        return lambda q: ix.search(q.text, sort=q.sort, limit=10).total  # type: ignore[arg-type]
    if op == "comments":
        return lambda q: ix.search(q.text, limit=10).total
    asked = runner(ix, op)

    def run(query: BenchQuery) -> int:
        answer = asked(query.text)
        if isinstance(answer, int):
            return answer
        return int(getattr(answer, "total", 1 if answer else 0))

    return run


def time_corpsearch(
    ix: Index,
    queries: dict[str, list[BenchQuery]],
    budget: float | None = None,
    minimum: int = MIN_QUERIES,
) -> dict[str, Any]:
    """Latency per query type: ``Index.search`` (top 10 with snippets and the exact total),
    ``Index.summary`` for facets and histograms, the first CSV row of ``iter_hits``."""
    return {
        kind: latency(corpsearch_runner(ix, qs[0].op), qs, budget, minimum)
        for kind, qs in queries.items()
        if qs
    }
