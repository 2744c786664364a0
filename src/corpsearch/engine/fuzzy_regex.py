"""Fuzzy and prefix matching written as regular expressions over whole terms.

An engine whose fuzzy query cannot require the first letter to match (corpsearch's fuzzy
semantics, the same as whoosh's ``FuzzyTerm(prefixlength=1)``) can instead match terms against
these patterns: the first character literally, then everything within ``distance`` Levenshtein
edits (insert, delete, substitute; no transpositions) of the rest. Since the first characters
are equal, that is exactly "starts with the same letter and within ``distance`` edits".

The patterns use the syntax shared by Rust's ``regex`` crate and Python's ``re`` and are meant
to be matched against a whole term. Big alternations can exceed an engine's automaton size, so
:func:`fuzzy_patterns` can split the language into several patterns whose union is the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

__all__ = ["escape", "fuzzy_match", "fuzzy_patterns", "levenshtein", "prefix_pattern"]

# Characters the Rust regex crate treats as meta characters (regex_syntax::is_meta_character).
_META = frozenset("\\.+*?()|[]{}^$#&-~")
_ANY = None  # a wildcard position in a pattern
_END = ""  # trie key marking the end of a pattern

Pattern = tuple[str | None, ...]
Trie = dict[str | None, "Trie"]


def escape(text: str) -> str:
    """``text`` as a literal in a regular expression."""
    return "".join("\\" + c if c in _META else c for c in text)


def prefix_pattern(prefix: str) -> str:
    """Every term starting with ``prefix``."""
    return "(?s)" + escape(prefix) + ".*"


def levenshtein(a: str, b: str) -> int:
    """Edit distance with insertions, deletions and substitutions (for checks and tests)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def fuzzy_match(word: str, literal: str, distance: int) -> bool:
    """corpsearch's fuzzy rule for one word: ``literal``'s first letter as written, then within
    ``distance`` edits (what :func:`fuzzy_patterns` match, for code that checks words itself)."""
    return (
        word[:1] == literal[:1]
        and abs(len(word) - len(literal)) <= distance
        and levenshtein(word, literal) <= distance
    )


def _edits(pattern: Pattern) -> Iterator[Pattern]:
    for i in range(len(pattern)):
        yield pattern[:i] + pattern[i + 1 :]  # delete
        yield (*pattern[:i], _ANY, *pattern[i + 1 :])  # substitute
    for i in range(len(pattern) + 1):
        yield (*pattern[:i], _ANY, *pattern[i:])  # insert


def _within(text: str, distance: int) -> set[Pattern]:
    """Patterns (characters and wildcards) whose union is every string within ``distance``."""
    seen: set[Pattern] = {tuple(text)}
    level = set(seen)
    for _ in range(distance):
        following = {edited for pattern in level for edited in _edits(pattern)} - seen
        seen |= following
        level = following
    return seen


def _trie(patterns: set[Pattern]) -> Trie:
    root: Trie = {}
    for pattern in patterns:
        node = root
        for item in pattern:
            node = node.setdefault(item, {})
        node[_END] = {}
    return root


def _atom(item: str | None) -> str:
    return "." if item is _ANY else escape(item or "")


def _children(node: Trie) -> list[tuple[str | None, Trie]]:
    return sorted(
        ((k, v) for k, v in node.items() if k != _END),
        key=lambda kv: (kv[0] is _ANY, kv[0] or ""),
    )


def _emit(node: Trie) -> str:
    alternatives = [_atom(key) + _emit(child) for key, child in _children(node)]
    if not alternatives:
        return ""
    group = "(?:" + "|".join(alternatives) + ")"
    return group + "?" if _END in node else group


def fuzzy_patterns(
    term: str, distance: int, fits: Callable[[str], bool] = lambda _pattern: True
) -> list[str]:
    """Patterns matching the terms that start with ``term[0]`` and are within ``distance``.

    ``fits`` says whether the engine accepts a pattern; one that does not is split by the
    characters that follow, and so on, so the union of the returned patterns stays the same.
    """
    if not term:
        return []
    trie = _trie(_within(term[1:], distance))
    patterns: list[str] = []

    def split(prefix: str, node: Trie) -> None:
        whole = "(?s)" + prefix + _emit(node)
        if fits(whole) or not _children(node):
            patterns.append(whole)
            return
        if _END in node:
            patterns.append("(?s)" + prefix)
        for key, child in _children(node):
            split(prefix + _atom(key), child)

    split(escape(term[0]), trie)
    return patterns
