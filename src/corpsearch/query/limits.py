"""Bounds on query trees, so that no query (typed or built in code) can exhaust the stack or
the time of a search. Engines bound prefix and fuzzy words by
:data:`corpsearch.engine.compiler.MAX_EXPANSION`."""

from __future__ import annotations

from ..errors import QueryError
from .ast import And, Fuzzy, HasComments, Node, Not, Or, Phrase, Prefix, Term

__all__ = ["MAX_NODES", "MAX_SLOP", "MAX_TREE_DEPTH", "check_text", "check_tree"]

MAX_TREE_DEPTH = 64
MAX_NODES = 2000
# Words allowed between neighbours of a sloppy phrase: far more than a paragraph, and small
# enough that tantivy's 32-bit slop holds it times the words of the longest query.
MAX_SLOP = 10_000


def check_text(text: str, query: str = "", position: int = 0) -> None:
    """Raise :class:`QueryError` if ``text`` holds a character no engine can store: a lone
    surrogate, which is how Python reads a byte that is not UTF-8 (``caf\\xe9``)."""
    for offset, char in enumerate(text):
        if "\ud800" <= char <= "\udfff":
            shown = f"\\x{ord(char) - 0xDC00:02x}" if char >= "\udc80" else f"U+{ord(char):04X}"
            raise QueryError(
                f"the query holds {shown}, which is not UTF-8 text",
                query=query,
                position=position + offset if query else 0,
                hint="type the query in UTF-8 (a terminal or file in another charset sends its "
                "own bytes)",
            )


def check_tree(tree: Node, query: str = "") -> None:
    """Raise :class:`QueryError` if ``tree`` is deeper or larger than a search can take."""
    stack: list[tuple[Node, int]] = [(tree, 1)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if depth > MAX_TREE_DEPTH:
            raise QueryError(
                f"the query is nested more than {MAX_TREE_DEPTH} levels deep",
                query=query,
                position=0,
                hint="remove some parentheses or NOTs",
            )
        if nodes > MAX_NODES:
            raise QueryError(
                f"the query has more than {MAX_NODES} parts",
                query=query,
                position=0,
                hint="split it into several searches",
            )
        if isinstance(node, Term | Phrase | Prefix | Fuzzy):
            check_text(node.text, query, max(query.find(node.text), 0))
        if isinstance(node, Phrase) and not 0 <= node.slop <= MAX_SLOP:
            raise QueryError(
                f"a phrase distance is 0 to {MAX_SLOP:,}, not {node.slop}",
                query=query,
                position=0,
                hint='write a smaller number after the phrase ("a b"~5)',
            )
        if isinstance(node, Fuzzy) and node.distance not in (1, 2):
            raise QueryError(
                f"a fuzzy distance is 1 or 2, not {node.distance}",
                query=query,
                position=0,
                hint="write word~1 or word~2",
            )
        if isinstance(node, And | Or):
            if not node.children:
                raise QueryError(
                    f"an empty {type(node).__name__} has nothing to search for",
                    query=query,
                    position=0,
                    hint="give it at least one part",
                )
            stack.extend((child, depth + 1) for child in node.children)
        elif isinstance(node, Not):
            stack.append((node.child, depth + 1))
        elif isinstance(node, HasComments):
            stack.append((node.query, depth + 1))
