"""Watches: saved searches run after every indexing job, reporting only what is new.

A watch is a name, a query (the grammar and filters of ``corpsearch query``), the targets its
new hits go to (see :mod:`corpsearch.notify`) and, optionally, a digest period. Watches are kept
in one small JSON file, ``watches.json`` in the index folder unless ``corpsearch.toml`` names
another (``watches = "..."``). The file is rewritten whole under a lock and swapped in with
``os.replace``, so two ``corpsearch watch add`` at once both land and a reader never sees half a
file. What each watch has found and delivered is kept apart, in the index folder's
``watches.sqlite`` (see :mod:`corpsearch.watch_state`).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .config import parse_zone
from .errors import ConfigError, WatchError, WatchNotFoundError
from .index import Index, build_tree
from .notify import check_target
from .query.ast import Node

__all__ = ["DIGESTS", "WATCH_FILE", "Watch", "WatchStore", "watch_file"]

WATCH_FILE = "watches.json"
DIGESTS = ("hourly", "daily", "weekly")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_FORMAT = "corpsearch-watches"


@dataclass(frozen=True, slots=True)
class Watch:
    """One saved search and where its new hits go."""

    name: str
    query: str
    kind: str | None = None
    since: str | None = None
    until: str | None = None
    tz: str = "UTC"
    targets: tuple[str, ...] = ()
    digest: str | None = None  # hourly | daily | weekly: deliver once per period
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def tree(self, index: Index | None = None) -> Node:
        """The query tree this watch runs on ``index`` (relative dates are read at the time of
        the run); without an index, the tree that checks it (short ids left as written)."""
        filters = {"kind": self.kind, "since": self.since, "until": self.until}
        if index is not None:
            return index.query_tree(self.query, tz=parse_zone(self.tz), **filters)
        return build_tree(self.query, tz=parse_zone(self.tz), **filters)

    def check(self) -> Watch:
        """This watch if it can run; else the error ``corpsearch query`` would give."""
        if not _NAME.fullmatch(self.name):
            raise ConfigError(
                f"a watch name is 1 to 64 letters, digits, '.', '_' or '-' (starting with a "
                f"letter or digit), not {self.name!r}"
            )
        if self.digest is not None and self.digest not in DIGESTS:
            raise ConfigError(f"unknown digest period {self.digest!r}; use {', '.join(DIGESTS)}")
        for target in self.targets:
            check_target(target)
        if len(set(self.targets)) != len(self.targets):
            raise ConfigError("the same target is given twice; give each --notify once")
        self.tree()  # a malformed query, kind, date or zone is refused now, not at the next run
        return self

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "query": self.query,
            "kind": self.kind,
            "since": self.since,
            "until": self.until,
            "tz": self.tz,
            "targets": list(self.targets),
            "digest": self.digest,
            "created": self.created,
        }

    @classmethod
    def from_dict(cls, data: Any, where: Path) -> Watch:
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            raise WatchError(f"{where}: a watch without a name; fix or remove the file")
        try:
            return cls(
                name=data["name"],
                query=str(data["query"]),
                kind=_optional(data.get("kind")),
                since=_optional(data.get("since")),
                until=_optional(data.get("until")),
                tz=str(data.get("tz") or "UTC"),
                targets=tuple(str(t) for t in data.get("targets") or ()),
                digest=_optional(data.get("digest")),
                created=str(data.get("created") or ""),
            )
        except (KeyError, TypeError) as error:
            raise WatchError(
                f"{where}: the watch {data['name']!r} is incomplete ({error}); fix or remove it"
            ) from error


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)


def watch_file(index: Path, configured: Path | None = None) -> Path:
    """The watch file of the index in ``index``: the configured one, else ``watches.json``."""
    return configured if configured is not None else index / WATCH_FILE


class WatchStore:
    """The watch file: read it with :meth:`read`, change it with :meth:`add` and :meth:`remove`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> list[Watch]:
        """Every watch, in the order they were added; none when there is no file yet."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as error:
            raise WatchError(f"cannot read the watch file {self.path} ({error})") from error
        try:
            data = json.loads(text)
        except ValueError as error:
            raise WatchError(
                f"the watch file {self.path} is not valid JSON ({error}); fix it or remove it "
                "(the watches in it are then lost)"
            ) from error
        if not isinstance(data, dict) or not isinstance(data.get("watches"), list):
            raise WatchError(
                f"{self.path} is not a corpsearch watch file; name another in corpsearch.toml"
            )
        return [Watch.from_dict(item, self.path) for item in data["watches"]]

    def get(self, name: str) -> Watch:
        for watch in self.read():
            if watch.name == name:
                return watch
        raise WatchNotFoundError(
            f"no watch named {name!r} in {self.path}; see corpsearch watch list"
        )

    def add(self, watch: Watch) -> Watch:
        watch.check()
        with self._locked():
            watches = self.read()
            if any(w.name == watch.name for w in watches):
                raise ConfigError(
                    f"a watch named {watch.name!r} exists; remove it first "
                    f"(corpsearch watch rm {watch.name}) or choose another name"
                )
            self._write([*watches, watch])
        return watch

    def remove(self, name: str) -> Watch:
        with self._locked():
            watches = self.read()
            found = [w for w in watches if w.name == name]
            if not found:
                raise WatchNotFoundError(
                    f"no watch named {name!r} in {self.path}; see corpsearch watch list"
                )
            self._write([w for w in watches if w.name != name])
        return found[0]

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Changes are serialised by a ``flock`` on a file beside the watch file."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT)
        except OSError as error:
            raise WatchError(
                f"cannot write the watch file {self.path} ({error.strerror or error}); check "
                "the folder is writable"
            ) from error
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _write(self, watches: list[Watch]) -> None:
        data = {"format": _FORMAT, "version": 1, "watches": [w.to_dict() for w in watches]}
        # Not ``.*.tmp``: the indexing job removes such files from the index folder at start.
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.new")
        try:
            with tmp.open("w", encoding="utf-8") as handle:
                handle.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except OSError as error:
            tmp.unlink(missing_ok=True)
            raise WatchError(
                f"cannot write the watch file {self.path} ({error.strerror or error}); check "
                "the folder is writable and the disk not full"
            ) from error
