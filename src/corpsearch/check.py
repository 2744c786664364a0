"""Checking an index for damage: a cheap check that every job runs, and a full one on demand
(``corpsearch check``).

A damaged file is otherwise met only when a search happens to read it: a job whose sources are
unchanged reads no stored document, so it would report success over an index that no search
can use. The cheap check reads what every search needs (the count of each kind, the sort
columns, the first and last stored document in date order); the full check also reads every
stored document and every hit, so it reads each engine file that a search can touch.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .engine import SearchRequest
from .errors import IndexDamagedError
from .faults import rebuild_hint, user_folder
from .index import Index
from .query.ast import MatchAll

__all__ = ["CheckReport", "check_index", "verify"]


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What a check read: the index folder, its documents, and whether the check was full."""

    folder: str
    documents: int
    full: bool

    def to_dict(self) -> dict[str, object]:
        return {"index": self.folder, "documents": self.documents, "full": self.full, "ok": True}


def check_index(folder: str | os.PathLike[str], *, full: bool = True) -> CheckReport:
    """Open the index in ``folder`` and check it; raises :class:`IndexDamagedError` (or another
    :class:`~corpsearch.errors.IndexError_`) saying how to rebuild it if it cannot be used."""
    with Index.open(folder) as index:
        documents = verify(index, full=full, folder=folder)
    return CheckReport(user_folder(folder), documents, full)


def verify(index: Index, *, full: bool = False, folder: str | os.PathLike[str] = "") -> int:
    """Read the index as the check says (see the module); the number of documents it holds."""
    where = folder or index.folder
    total = sum(index.count().values())
    for sort in ("date", "-date"):
        page = index.engine.search(SearchRequest(MatchAll(), sort=sort, limit=1))
        if page.total != total or len(page.hits) != min(total, 1):
            raise _damaged(where, f"it counts {total} documents but finds {page.total}")
    if full:
        stored = sum(1 for _ in index.engine.documents())
        hits = sum(1 for _ in index.engine.iter_hits(MatchAll(), "date"))
        if stored != total or hits != total:
            raise _damaged(where, f"it counts {total} documents, holds {stored} and finds {hits}")
    return total


def _damaged(folder: str | os.PathLike[str], what: str) -> IndexDamagedError:
    return IndexDamagedError(
        f"the index in {user_folder(folder)} is damaged ({what}); {rebuild_hint(folder)}"
    )
