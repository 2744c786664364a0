"""The postings of the whoosh engine's text fields, counted from the matches of their analysers.

whoosh indexes a text field by running its analyser, one token object at a time through the
tokenizer and each filter, and counting each word's positions (``formats.Positions``). The
analysers of the text fields and their analysed streams (corpsearch.engine.whoosh_compiler,
whoosh_engine) are a regular expression's matches, perhaps lower-cased, perhaps with passage
breaks that move the words after them on; :class:`MatchPositions` counts the same positions
from the matches themselves, which takes a fraction of the time (indexing two streams of every
text field made the token objects a large part of indexing). Everything else whoosh does with
a field's analyser (queries, highlighting) is unchanged, and a value it does not index this way
(not a string, or asked with other options) goes through the analyser as before.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.formats import Positions

__all__ = ["MatchPositions"]


class MatchPositions(Positions):  # type: ignore[misc]
    """Positions of the matches of ``pattern`` in a value (lower-cased with ``lower``); with a
    ``gap``, a match holding only whitespace is a passage break: it is no word, and the words
    after it are ``gap`` positions further on (as corpsearch's PassageGapFilter does)."""

    def __init__(
        self, pattern: re.Pattern[str], lower: bool, gap: int = 0, field_boost: float = 1.0
    ) -> None:
        super().__init__(field_boost=field_boost)
        self.pattern = pattern
        self.lower = lower
        self.gap = gap

    @classmethod
    def of(
        cls, analyzer: Any, field_boost: float, gap_filter: type, gap: int
    ) -> MatchPositions | None:
        """The format counting what ``analyzer`` yields, if it is a regular expression's
        matches followed by a lower-casing and/or a ``gap_filter`` (which moves words ``gap``
        positions on after each break), each at most once; else None."""
        items = analyzer.items if isinstance(analyzer, CompositeAnalyzer) else [analyzer]
        tokenizer, filters = items[0], items[1:]
        if type(tokenizer) is not RegexTokenizer or tokenizer.gaps:
            return None
        if tokenizer.expression.groups:
            return None  # findall would give the groups, not the matches
        kinds = [type(f) for f in filters]
        if len(set(kinds)) != len(kinds) or not set(kinds) <= {LowercaseFilter, gap_filter}:
            return None
        return cls(
            tokenizer.expression,
            LowercaseFilter in kinds,
            gap if gap_filter in kinds else 0,
            field_boost,
        )

    def word_values(
        self, value: Any, analyzer: Any, **kwargs: Any
    ) -> Iterable[tuple[str, int, float, bytes]]:
        if not isinstance(value, str) or kwargs.keys() - {"mode"} or kwargs.get("mode") != "index":
            return super().word_values(value, analyzer, **kwargs)  # type: ignore[no-any-return]
        return self._values(value)

    def postings(self, value: str) -> Iterator[tuple[bytes, int, float, bytes]]:
        """What ``whoosh.fields.FieldType.index`` gives for ``value`` (each word as UTF-8),
        without going through it (the writer's path, corpsearch.engine.whoosh_writer)."""
        for word, frequency, weight, encoded in self._values(value):
            yield word.encode("utf-8"), frequency, weight, encoded

    def _values(self, value: str) -> Iterator[tuple[str, int, float, bytes]]:
        matches: list[str] = self.pattern.findall(value)
        poses: defaultdict[str, list[int]] = defaultdict(list)
        if self.gap:
            shift = 0
            for position, word in enumerate(matches):
                if not word.strip("\n\r\t "):
                    shift += self.gap
                    continue
                poses[word.lower() if self.lower else word].append(position + shift)
        else:
            if self.lower:
                matches = [word.lower() for word in matches]
            for position, word in enumerate(matches):
                poses[word].append(position)
        boost = self.field_boost
        for word, positions in poses.items():
            # whoosh adds each token's boost (1.0) to the word's weight
            yield (word, len(positions), float(len(positions)) * boost, self.encode(positions))
