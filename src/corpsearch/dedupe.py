"""Duplicates within one run: the same article captured more than once is indexed once.

Two captures are the same article when they have the same id (the same canonical URL) or the same
content (equal :attr:`~corpsearch.records.Article.content_hash`). The newest capture wins: by
capture time (an archive's ``WARC-Date``), else by the file's modification time; when either is
unknown, or they are equal, the capture read later wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .records import Article

__all__ = ["Captures", "Verdict"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """What to do with one extracted article.

    ``index``: whether to index it; ``replaces``: ids of earlier captures to delete, with their
    comment counts; ``merged``: how many captures this decision folded into one (0 or 1).
    """

    index: bool
    replaces: tuple[tuple[str, int], ...] = ()
    merged: int = 0


@dataclass(frozen=True, slots=True)
class _Kept:
    id: str
    content_hash: str
    when: datetime | None
    comments: int


@dataclass(slots=True)
class Captures:
    """The articles kept so far in a run, by id and by content hash."""

    by_id: dict[str, _Kept] = field(default_factory=dict)
    by_hash: dict[str, _Kept] = field(default_factory=dict)

    def admit(self, article: Article, modified: datetime | None = None) -> Verdict:
        """Decide about ``article``; ``modified`` is its file's modification time."""
        when = article.source.captured_at or modified
        matches = {
            kept.id: kept
            for kept in (self.by_id.get(article.id), self.by_hash.get(article.content_hash))
            if kept is not None
        }
        if any(_newer(kept.when, when) for kept in matches.values()):
            return Verdict(index=False, merged=1)
        for old in matches.values():
            self.by_id.pop(old.id, None)
            if self.by_hash.get(old.content_hash) is old:
                del self.by_hash[old.content_hash]
        self._keep(_Kept(article.id, article.content_hash, when, len(article.comments)))
        return Verdict(
            index=True,
            replaces=tuple((old.id, old.comments) for old in matches.values()),
            merged=len(matches),
        )

    def _keep(self, kept: _Kept) -> None:
        self.by_id[kept.id] = kept
        if kept.content_hash:
            self.by_hash[kept.content_hash] = kept


def _newer(kept: datetime | None, new: datetime | None) -> bool:
    """Whether the kept capture is strictly newer than the new one."""
    return kept is not None and new is not None and kept > new
