"""The words a prefix or fuzzy query word stands for: one rule for every engine.

corpsearch's fuzzy word (``wahl~1``) matches the words that begin with its first letter as
written and are within the distance in Levenshtein edits (insert, delete, substitute; no
transpositions), the same as whoosh's ``FuzzyTerm(prefixlength=1)`` and the PostgreSQL engine's
``levenshtein()``. Engines that list their terms and match them here (tantivy, the keyword in
context view) use :func:`fuzzy_match` and :func:`fuzzy_matches`; the edit distance is
rapidfuzz's, in C, because a Python distance or a regular expression per word cost tens of
milliseconds for each query word on a large vocabulary.

Prefixes are regular expressions in the syntax shared by Rust's ``regex`` crate and Python's
``re``, matched against whole terms.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["escape", "fuzzy_match", "fuzzy_matches", "prefix_pattern"]

# Characters the Rust regex crate treats as meta characters (regex_syntax::is_meta_character).
_META = frozenset("\\.+*?()|[]{}^$#&-~")


def escape(text: str) -> str:
    """``text`` as a literal in a regular expression."""
    return "".join("\\" + c if c in _META else c for c in text)


def prefix_pattern(prefix: str) -> str:
    """Every term starting with ``prefix``."""
    return "(?s)" + escape(prefix) + ".*"


def fuzzy_match(word: str, literal: str, distance: int) -> bool:
    """Whether ``word`` is one of the words the fuzzy ``literal~distance`` stands for."""
    # imported here: rapidfuzz is only needed by a query that holds a fuzzy word
    from rapidfuzz.distance import Levenshtein

    return (
        word[:1] == literal[:1]
        and abs(len(word) - len(literal)) <= distance
        and Levenshtein.distance(word, literal, score_cutoff=distance) <= distance
    )


def fuzzy_matches(literal: str, distance: int, words: Iterable[str]) -> list[str]:
    """The ``words`` (in their order) that the fuzzy ``literal~distance`` stands for."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    if not literal:
        return []
    shortest, longest = len(literal) - distance, len(literal) + distance
    # an edit changes the length by one at most: most words are left out by that alone
    candidates = [w for w in words if w[:1] == literal[:1] and shortest <= len(w) <= longest]
    found = process.extract(
        literal, candidates, scorer=Levenshtein.distance, score_cutoff=distance, limit=None
    )
    return [candidates[i] for i in sorted(index for _, _, index in found)]
