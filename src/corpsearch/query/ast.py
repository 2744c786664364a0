"""The query tree. Query strings parse into it; code can also build it directly.

Every engine compiles this tree into its own query objects; nothing engine-specific lives here.
Dates in :class:`DateRange` are timezone-aware UTC instants; ``start`` is inclusive and ``end``
exclusive (the parser turns ``]``/``}``/``>=``/``>`` into this one form).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "KEYWORD_FIELDS",
    "TEXT_FIELDS",
    "And",
    "DateRange",
    "Fuzzy",
    "HasComments",
    "MatchAll",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "Prefix",
    "Term",
]

# Fields analysed into words, searched by an unfielded query (in this order).
TEXT_FIELDS = ("headline", "body", "text", "quote")
# Fields matched whole, case-insensitively.
KEYWORD_FIELDS = ("author", "site", "url", "kind", "lang", "id", "article")


@dataclass(frozen=True, slots=True)
class Term:
    """A word; ``field=None`` searches every text field. ``exact`` (``=word``) matches the word
    as written, case aside; otherwise its folded forms and stems (corpsearch.analysis)."""

    field: str | None
    text: str
    exact: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words in this order; ``slop`` lets up to that many other words stand between them."""

    field: str | None
    text: str
    slop: int = 0
    exact: bool = False


@dataclass(frozen=True, slots=True)
class Prefix:
    field: str | None
    text: str
    exact: bool = False


@dataclass(frozen=True, slots=True)
class Fuzzy:
    field: str | None
    text: str
    distance: int = 1
    exact: bool = False


@dataclass(frozen=True, slots=True)
class DateRange:
    """``start <= date < end``; either end may be open (None)."""

    start: datetime | None
    end: datetime | None


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class MatchAll:
    """Every document."""


@dataclass(frozen=True, slots=True)
class HasComments:
    """Articles with at least one comment matching ``query``."""

    query: Node


Node = Term | Phrase | Prefix | Fuzzy | DateRange | And | Or | Not | MatchAll | HasComments
