"""Short ids: the first characters of a document's id, as many as make it unique in the index.

Ids are 16 hex digits (see :func:`corpsearch.records.stable_id`), too long to copy from a table
by eye. Like git's short hashes, a short id is at least :data:`SHORT_LENGTH` digits and longer
only when another document's id starts the same way; anything that accepts an id (``show``,
``article:``, ``id:``, :meth:`corpsearch.index.Index.get`) accepts a short id too, down to
:data:`MIN_PREFIX` digits, as long as it names one document.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .engine import Engine
from .errors import AmbiguousIdError, DocumentNotFoundError, QueryError
from .query import ast

__all__ = [
    "ID_LENGTH",
    "MIN_PREFIX",
    "SHORT_LENGTH",
    "ShortIdOf",
    "ShortIds",
    "expand_short_ids",
    "is_id_prefix",
    "resolve_id",
]

ID_LENGTH = 16
SHORT_LENGTH = 8
MIN_PREFIX = 4
# Candidates listed when a prefix is ambiguous.
_SHOWN = 5
_HEX = re.compile(r"[0-9a-fA-F]+")


def is_id_prefix(text: str) -> bool:
    """Whether ``text`` can be a short id: hex digits, at least MIN_PREFIX and fewer than a full id."""
    return MIN_PREFIX <= len(text) < ID_LENGTH and _HEX.fullmatch(text) is not None


def resolve_id(engine: Engine, text: str, *, what: str = "document") -> str:
    """The full id that ``text`` (a full or short id) names.

    Raises :class:`DocumentNotFoundError` when no document has it and
    :class:`AmbiguousIdError` when a short id names several.
    """
    given = text.strip()
    if len(given) == ID_LENGTH and _HEX.fullmatch(given):
        found = engine.ids_with_prefix(given.lower(), 1)
        if found:
            return found[0]
    elif is_id_prefix(given):
        found = engine.ids_with_prefix(given.lower(), _SHOWN + 1)
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(found[:_SHOWN]) + (", …" if len(found) > _SHOWN else "")
            raise AmbiguousIdError(
                f"the short id {given!r} names {'more than ' if len(found) > _SHOWN else ''}"
                f"{min(len(found), _SHOWN)} {what}s ({listed}); give more of its digits"
            )
    elif given and _HEX.fullmatch(given) and len(given) < MIN_PREFIX:
        raise DocumentNotFoundError(
            f"the id {given!r} is too short; give at least {MIN_PREFIX} of its digits "
            "(the table's first column shows them)"
        )
    raise DocumentNotFoundError(
        f"no {what} with the id {given!r} in this index; ids are shown by "
        "'corpsearch query' (the table's first column, or 'id' in JSON)"
    )


class ShortIds:
    """The short id of each id asked for, looked up once per id (for a table of hits)."""

    def __init__(self, engine: Engine, length: int = SHORT_LENGTH) -> None:
        self._engine = engine
        self._length = length
        self._known: dict[str, str] = {}

    def __call__(self, full: str) -> str:
        known = self._known.get(full)
        if known is None:
            known = self._known[full] = self._shortest(full)
        return known

    def _shortest(self, full: str) -> str:
        length = self._length
        while length < len(full):
            # Two ids sharing a prefix: the shortest unique one is one digit past their
            # common part, so one lookup of a few candidates is enough.
            others = [i for i in self._engine.ids_with_prefix(full[:length], 50) if i != full]
            if not others:
                return full[:length]
            common = max(_common(full, other) for other in others)
            length = max(length + 1, common + 1)
        return full


def _common(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


ShortIdOf = Callable[[str], str]


def expand_short_ids(tree: ast.Node, engine: Engine, query: str = "") -> ast.Node:
    """The tree with each short id of ``id:`` and ``article:`` replaced by the full id it names
    (``article:`` among articles only). A short id naming nothing stays as written (it then
    matches nothing); one naming several is a :class:`QueryError`. The tree's depth must have
    been checked (this walks it recursively)."""
    match tree:
        case ast.Term(field, text) if field in ("id", "article") and is_id_prefix(text):
            return ast.Term(field, _expanded(engine, field, text, query))
        case ast.And(children):
            return ast.And(tuple(expand_short_ids(c, engine, query) for c in children))
        case ast.Or(children):
            return ast.Or(tuple(expand_short_ids(c, engine, query) for c in children))
        case ast.Not(child):
            return ast.Not(expand_short_ids(child, engine, query))
        case ast.HasComments(inner):
            return ast.HasComments(expand_short_ids(inner, engine, query))
    return tree


def _expanded(engine: Engine, field: str, text: str, query: str) -> str:
    found = engine.ids_with_prefix(text.lower(), 50)
    if field == "article" and len(found) > 1:
        articles = ast.And(
            (ast.Term("kind", "article"), ast.Or(tuple(ast.Term("id", i) for i in found)))
        )
        found = sorted(doc.id for doc in engine.stored(articles))
    if len(found) == 1:
        return found[0]
    if not found:
        return text
    listed = ", ".join(found[:_SHOWN]) + (", …" if len(found) > _SHOWN else "")
    raise QueryError(
        f"the short id {text!r} names {len(found)}{'+' if len(found) >= 50 else ''} "
        f"{'article' if field == 'article' else 'document'}s ({listed})",
        query=query,
        position=max(query.find(text), 0),
        hint="give more of its digits",
    )
