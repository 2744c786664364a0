"""What an index holds: documents by kind and site, date span, size on disk, engine, schema."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .query.ast import MatchAll

if TYPE_CHECKING:
    from .index import Index

__all__ = ["IndexStats", "folder_size", "index_stats"]


@dataclass(slots=True)
class IndexStats:
    folder: str
    engine: str
    schema_version: int
    size_bytes: int
    documents: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_site: dict[str, dict[str, int]] = field(default_factory=dict)  # site -> kind -> count
    first_date: datetime | None = None  # UTC
    last_date: datetime | None = None
    undated: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "folder": self.folder,
            "engine": self.engine,
            "schema_version": self.schema_version,
            "size_bytes": self.size_bytes,
            "documents": self.documents,
            "by_kind": self.by_kind,
            "by_site": self.by_site,
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "undated": self.undated,
        }


def index_stats(index: Index) -> IndexStats:
    """Count every document of ``index`` (one pass over stored values, no text is read)."""
    from .index import SCHEMA_VERSION

    stats = IndexStats(
        folder=str(index.folder),
        engine=index.engine.name,
        schema_version=SCHEMA_VERSION,
        size_bytes=folder_size(index.folder),
    )
    kinds: Counter[str] = Counter()
    sites: dict[str, Counter[str]] = {}
    for doc in index.engine.scan(MatchAll()):
        stats.documents += 1
        kinds[doc.kind] += 1
        sites.setdefault(doc.site or "(none)", Counter())[doc.kind] += 1
        if doc.date is None:
            stats.undated += 1
            continue
        if stats.first_date is None or doc.date < stats.first_date:
            stats.first_date = doc.date
        if stats.last_date is None or doc.date > stats.last_date:
            stats.last_date = doc.date
    stats.by_kind = {kind: kinds.get(kind, 0) for kind in ("article", "comment")}
    stats.by_site = {
        site: {kind: counter.get(kind, 0) for kind in ("article", "comment")}
        for site, counter in sorted(sites.items(), key=lambda item: (-item[1].total(), item[0]))
    }
    return stats


def folder_size(folder: Path) -> int:
    """Bytes used by the files under ``folder``."""
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                total += (Path(root) / name).stat().st_size
            except OSError:
                continue
    return total
