"""Query sets drawn from the corpus, and their latency through corpsearch and SQLite FTS5.

Every query type is a list of :class:`BenchQuery`: the corpsearch query string and sort, and the
same question as plain parts (words, phrase, author, date range) for the FTS5 reference.
"""

from __future__ import annotations

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

__all__ = ["MIN_QUERIES", "QUERY_TYPES", "BenchQuery", "draw_queries", "latency", "time_corpsearch"]

WORD = re.compile(r"\w+")
# The fewest queries of a type that make a p95 worth writing down.
MIN_QUERIES = 40
QUERY_TYPES = (
    "common word",
    "rare word",
    "3-word phrase",
    "author",
    "date range",
    "word + date range",
    "phrase + author + date range",
    "word sorted by date",
)


@dataclass(frozen=True, slots=True)
class BenchQuery:
    text: str  # corpsearch query string
    sort: str  # "relevance" or "-date"
    words: tuple[str, ...] = ()  # all required (lower-case)
    phrase: tuple[str, ...] = ()
    author: str | None = None
    start: int | None = None  # UTC seconds, inclusive
    end: int | None = None  # UTC seconds, exclusive


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

    def random_day() -> datetime:
        return lo + (hi - lo) * rng.random()

    def phrase_of(doc: IndexDocument) -> tuple[str, ...]:
        words = _tokens(doc)
        at = rng.randrange(len(words) - 2)
        return tuple(words[at : at + 3])

    def make(kind: str) -> BenchQuery:
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


def latency(
    run: Callable[[BenchQuery], int], queries: Sequence[BenchQuery], budget: float | None = None
) -> dict[str, Any]:
    """Run each query once (after a short warm-up); median and p95 in milliseconds.

    With a ``budget`` in seconds, stop once it is spent and at least :data:`MIN_QUERIES` ran, so
    a slow engine on a large index still finishes; ``queries`` says how many ran.
    """
    for query in queries[:5]:
        run(query)
    times: list[float] = []
    hits = 0
    began = time.perf_counter()
    for query in queries:
        start = time.perf_counter()
        total = run(query)
        times.append((time.perf_counter() - start) * 1000)
        hits += total > 0
        if budget is not None and len(times) >= MIN_QUERIES and start - began > budget:
            break
    times.sort()
    return {
        "queries": len(times),
        "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))],
        "max_ms": times[-1],
        "with_hits": hits / len(times),
    }


def time_corpsearch(
    ix: Index, queries: dict[str, list[BenchQuery]], budget: float | None = None
) -> dict[str, Any]:
    """Latency of ``Index.search`` (top 10 with snippets and the total) per query type."""

    def run(query: BenchQuery) -> int:
        return ix.search(query.text, sort=query.sort, limit=10).total  # type: ignore[arg-type]

    return {kind: latency(run, qs, budget) for kind, qs in queries.items()}
