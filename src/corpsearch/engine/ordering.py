"""Engine-neutral pieces for engines whose library lacks a corpsearch behaviour.

Sort keys that put undated documents last and break date ties by id, a stable order that reads ids
only where keys are equal, the proximity rule checked on a document's words, and ``<mark>`` for
highlighted byte ranges. Nothing here imports an engine library.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from ..query import ast
from ..snippets import escape_text

__all__ = [
    "MAX_CHAINS",
    "chain_count",
    "constant_score",
    "distance_chains",
    "in_order",
    "mark",
    "seconds",
    "sort_keys",
    "stable_order",
]

# How many exact chains (one distance for each neighbouring pair of words) a proximity query may
# become: "a b c"~2 is the 9 chains a <1..3> b <1..3> c. Beyond it an engine that compiles
# proximity to chains refuses it or narrows candidates another way.
MAX_CHAINS = 512

ID_BITS = 28
# UTC seconds of every date an engine can hold fit in 35 bits; these lie beyond them.
NO_DATE_HIGH = 2**34
NO_DATE_LOW = -(2**34) - 1

T = TypeVar("T")


def seconds(value: datetime) -> int:
    """Whole UTC seconds since the epoch (rounded down, as both engines compare them)."""
    return math.floor(value.timestamp())


def sort_keys(date_seconds: int | None, doc_id: str) -> tuple[int, int]:
    """64-bit keys for oldest-first (ascending) and newest-first (descending) order.

    The date is shifted left and the first bits of the id fill the rest (inverted in the
    descending key), so equal dates come in id order either way; undated documents get a date
    beyond every real one on the side that sorts last.
    """
    rank = int.from_bytes(doc_id.encode("utf-8")[:8].ljust(8, b"\0"), "big") >> (64 - ID_BITS)
    asc = (NO_DATE_HIGH if date_seconds is None else date_seconds) << ID_BITS
    desc = (NO_DATE_LOW if date_seconds is None else date_seconds) << ID_BITS
    return asc | rank, desc | ((1 << ID_BITS) - 1 - rank)


def stable_order(keyed: Sequence[tuple[Any, T]], id_of: Callable[[T], str]) -> list[tuple[Any, T]]:
    """``keyed`` sorted by key, then by id; ids are looked up only where keys are equal."""
    counts: dict[Any, int] = {}
    for key, _ in keyed:
        counts[key] = counts.get(key, 0) + 1

    def order(item: tuple[Any, T]) -> tuple[Any, str]:
        key, value = item
        return (key, "") if counts[key] == 1 else (key, id_of(value))

    return sorted(keyed, key=order)


def constant_score(node: ast.Node) -> bool:
    """Whether every hit of ``node`` scores the same (filters only: kind, author, dates...).

    Relevance order is then newest first, then by id.
    """
    match node:
        case ast.And(children):
            return all(constant_score(c) for c in children)
        case ast.Not() | ast.MatchAll() | ast.DateRange() | ast.HasComments():
            return True
        case ast.Term(field) | ast.Phrase(field):
            return field is not None and field not in ast.TEXT_FIELDS
    return False


def chain_count(words: int, slop: int) -> int:
    """How many chains :func:`distance_chains` gives."""
    return math.prod([slop + 1] * (words - 1))


def distance_chains(words: int, slop: int) -> Iterator[tuple[int, ...]]:
    """Every way ``words`` words stand in order with at most ``slop`` others between each
    neighbouring pair: the distances (1 for adjacent, up to ``slop + 1``) from each word to the
    next, the smallest first."""
    return itertools.product(range(1, slop + 2), repeat=words - 1)


def in_order(words: Sequence[str], tokens: Sequence[str], slop: int) -> bool:
    """Whether ``tokens`` occur in ``words`` in order, with at most ``slop`` words between
    each neighbouring pair (corpsearch's proximity rule)."""
    ends = {i for i, word in enumerate(words) if word == tokens[0]}
    for token in tokens[1:]:
        ends = {
            j
            for i in ends
            for j in range(i + 1, min(i + slop + 2, len(words)))
            if words[j] == token
        }
        if not ends:
            return False
    return bool(ends)


def mark(fragment: str, ranges: Sequence[tuple[int, int]]) -> str:
    """``fragment`` with the byte ranges (of its UTF-8 form) in ``<mark>``, whitespace folded:
    safe HTML, the text escaped (see :mod:`corpsearch.snippets`)."""
    raw = fragment.encode("utf-8")
    parts: list[str] = []
    at = 0
    for start, end in sorted(ranges):
        parts += [_text(raw[at:start]), "<mark>", _text(raw[start:end]), "</mark>"]
        at = end
    parts.append(_text(raw[at:]))
    return " ".join("".join(parts).split())


def _text(raw: bytes) -> str:
    return escape_text(raw.decode("utf-8", errors="replace"))
