"""The manifest: what the index holds, source by source.

For every source file that is in the index the manifest keeps its fingerprint (size,
modification time in nanoseconds, SHA-256 of its content) and the ids of the articles it
produced. A file whose size and time are unchanged is not read again; one whose size or time
changed is read and hashed, and only re-extracted when its content changed.

The manifest lives beside the engine files of its generation and is replaced whole (temporary
file, ``fsync``, ``os.replace``) only *after* the engine commit that contains its pages, so after
a crash it can only be behind the index, never ahead of it: the next run re-does some work but
never loses a page. Re-doing is safe because adding an article first deletes any earlier copy.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["MANIFEST_FILE", "Entry", "Manifest"]

MANIFEST_FILE = "manifest.json"
_FORMAT = "corpsearch-manifest"
_VERSION = 1


@dataclass(frozen=True, slots=True)
class Entry:
    """One indexed source file."""

    size: int
    mtime_ns: int
    sha256: str
    ids: tuple[str, ...]

    def same_stat(self, size: int, mtime_ns: int) -> bool:
        return self.size == size and self.mtime_ns == mtime_ns

    def to_json(self) -> list[Any]:
        return [self.size, self.mtime_ns, self.sha256, list(self.ids)]


class Manifest:
    """Source path → :class:`Entry`, plus a key of the settings the pages were extracted with."""

    def __init__(self, path: Path, settings: str = "", entries: dict[str, Entry] | None = None):
        self.path = path
        self.settings = settings
        self.entries: dict[str, Entry] = entries if entries is not None else {}

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """The manifest in ``folder``; an empty one if there is none or it cannot be read
        (every source then counts as new, and re-indexing replaces rather than duplicates)."""
        path = folder / MANIFEST_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            return cls(path)
        if data.get("version") != _VERSION:
            return cls(path)
        entries = {}
        for source, (size, mtime_ns, sha256, ids) in data.get("sources", {}).items():
            entries[source] = Entry(int(size), int(mtime_ns), str(sha256), tuple(ids))
        return cls(path, str(data.get("settings", "")), entries)

    def save(self) -> None:
        """Write the manifest atomically."""
        data = {
            "format": _FORMAT,
            "version": _VERSION,
            "settings": self.settings,
            "sources": {source: e.to_json() for source, e in sorted(self.entries.items())},
        }
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, source: str) -> Entry | None:
        return self.entries.get(source)

    def under(self, root: str) -> Iterator[str]:
        """Sources equal to ``root`` or inside the folder ``root``."""
        prefix = root.rstrip(os.sep) + os.sep
        for source in self.entries:
            if source == root or source.startswith(prefix):
                yield source

    def owners(self) -> dict[str, int]:
        """How many sources produced each article id."""
        counts: dict[str, int] = {}
        for entry in self.entries.values():
            for article_id in entry.ids:
                counts[article_id] = counts.get(article_id, 0) + 1
        return counts
