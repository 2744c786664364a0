"""The manifest: what the index holds, source by source.

For every source file that is in the index the manifest keeps its fingerprint (size,
modification time in nanoseconds, SHA-256 of its content) and the ids of the articles it
produced. A file whose size and time are unchanged is not read again; one whose size or time
changed is read and hashed, and only re-extracted when its content changed.

The manifest lives beside the engine files of its generation, in two files:

- ``manifest.json``, a snapshot, always replaced whole (temporary file, ``fsync``,
  ``os.replace``);
- ``manifest.journal``, the changes since the snapshot, one JSON line per engine commit,
  appended and ``fsync``-ed *after* that commit. A large corpus therefore costs one small
  append per batch rather than rewriting the whole manifest.

:meth:`Manifest.compact` folds the journal into a new snapshot (at the end of every run and
whenever the manifest is loaded with a journal). Because the manifest is written only after the
engine commit that contains its pages, after a crash it can only be behind the index, never
ahead: the next run re-does some work but never loses a page, and re-doing is safe because
adding an article first deletes any earlier copy. A line torn by a crash is ignored.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["JOURNAL_FILE", "MANIFEST_FILE", "Entry", "Manifest"]

# A file name that is not UTF-8 reaches Python with each bad byte as a lone surrogate
# (surrogateescape: b"caf\xe9" is "caf\udce9"), which UTF-8 cannot encode. In the manifest such a
# character is written as a JSON escape ("\udce9"), which json reads back as the same
# character: the name is kept byte for byte, and the file stays UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")

MANIFEST_FILE = "manifest.json"
JOURNAL_FILE = "manifest.journal"
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

    @classmethod
    def from_json(cls, value: list[Any]) -> Entry:
        size, mtime_ns, sha256, ids = value
        return cls(int(size), int(mtime_ns), str(sha256), tuple(str(i) for i in ids))


class Manifest:
    """Source path → :class:`Entry`, plus a key of the settings the pages were extracted with.

    Change it with :meth:`set` and :meth:`remove`; :meth:`save` makes the changes durable.
    """

    def __init__(self, folder: Path, settings: str = "", entries: dict[str, Entry] | None = None):
        self.folder = folder
        self.settings = settings
        self.entries: dict[str, Entry] = entries if entries is not None else {}
        self._pending: dict[str, Entry | None] = {}

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """The manifest in ``folder``; an empty one if there is none or it cannot be read
        (every source then counts as new, and re-indexing replaces rather than duplicates)."""
        manifest = cls(folder)
        try:
            data = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
            if isinstance(data, dict) and (data.get("format"), data.get("version")) == (
                _FORMAT,
                _VERSION,
            ):
                manifest.settings = str(data.get("settings", ""))
                manifest.entries = {
                    source: Entry.from_json(value)
                    for source, value in data.get("sources", {}).items()
                }
        except (OSError, ValueError, TypeError):
            manifest.entries = {}
        if manifest._replay():
            manifest.compact()
        return manifest

    def _replay(self) -> bool:
        try:
            with (self.folder / JOURNAL_FILE).open(encoding="utf-8") as handle:
                for line in handle:
                    try:
                        change = json.loads(line)
                        updates = {s: Entry.from_json(v) for s, v in change["set"].items()}
                        removed = [str(s) for s in change["remove"]]
                    except (ValueError, TypeError, KeyError):
                        break  # a line torn by a crash, and nothing after it
                    self.entries.update(updates)
                    for source in removed:
                        self.entries.pop(source, None)
        except FileNotFoundError:
            return False
        return True

    # -- changes -----------------------------------------------------------------------------

    def set(self, source: str, entry: Entry) -> None:
        self.entries[source] = entry
        self._pending[source] = entry

    def remove(self, source: str) -> Entry:
        self._pending[source] = None
        return self.entries.pop(source)

    @property
    def has_journal(self) -> bool:
        return (self.folder / JOURNAL_FILE).exists()

    @property
    def changed(self) -> bool:
        """Whether there are changes that :meth:`save` has not written yet."""
        return bool(self._pending)

    def save(self) -> None:
        """Append the changes since the last save to the journal, durably."""
        if not self._pending:
            return
        change = {
            "set": {s: e.to_json() for s, e in self._pending.items() if e is not None},
            "remove": [s for s, e in self._pending.items() if e is None],
        }
        line = _json(change) + "\n"
        with (self.folder / JOURNAL_FILE).open("a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        self._pending.clear()

    def compact(self) -> None:
        """Write the whole manifest as a new snapshot atomically, then drop the journal."""
        data = {
            "format": _FORMAT,
            "version": _VERSION,
            "settings": self.settings,
            "sources": {source: e.to_json() for source, e in sorted(self.entries.items())},
        }
        path = self.folder / MANIFEST_FILE
        tmp = self.folder / f".{MANIFEST_FILE}.{os.getpid()}.tmp"
        with tmp.open("w", encoding="utf-8") as handle:
            handle.write(_json(data))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        # Replaying the journal over the new snapshot gives the same entries, so a crash
        # between these two steps is harmless.
        (self.folder / JOURNAL_FILE).unlink(missing_ok=True)
        self._pending.clear()

    # -- reading -----------------------------------------------------------------------------

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


def _json(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
