"""What the watches have seen and sent: ``watches.sqlite`` in the index folder.

Four tables, each change one SQLite transaction (rollback journal, ``synchronous=FULL``: durable
when the call returns):

- ``pending``: the articles a job added or changed, written *before* the engine commit that
  holds them and marked ``committed`` right after it. Rows left uncommitted by a killed job
  are dropped by the next one (which indexes those pages again and so writes them again);
  committed rows stay until every watch has been run over them, so a job killed between its
  commit and the delivery delivers on the next run. A rebuild's rows name the generation it
  replaces (``baseline``): the documents that were there already are not new.
- ``hits``: every hit a watch has reported, once per watch and document id (the primary key),
  with the hit's record: this is how a document is reported only once, and the history.
- ``outbox``: (hit, target) pairs still to be delivered; a row goes only after its target took
  the delivery, so a crash or a failing target means the hit is sent again, never lost.
- ``targets``: per watch and target the last success, the last failure and its reason (shown
  by ``corpsearch status``), the last digest and, for files, where the file stood before the
  delivery that is under way (see :meth:`corpsearch.notify.Target.already_sent`).

Memory stays bounded: everything is read in pages of ``limit`` rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import WatchError

__all__ = ["STATE_FILE", "TargetStatus", "WatchState"]

STATE_FILE = "watches.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS pending (
    seq INTEGER PRIMARY KEY, run TEXT NOT NULL, generation TEXT NOT NULL,
    article TEXT NOT NULL, committed INTEGER NOT NULL DEFAULT 0, baseline TEXT);
CREATE TABLE IF NOT EXISTS hits (
    seq INTEGER PRIMARY KEY, watch TEXT NOT NULL, doc TEXT NOT NULL, run TEXT NOT NULL,
    found TEXT NOT NULL, record TEXT NOT NULL, UNIQUE (watch, doc));
CREATE TABLE IF NOT EXISTS outbox (
    watch TEXT NOT NULL, target TEXT NOT NULL, hit INTEGER NOT NULL,
    PRIMARY KEY (watch, target, hit)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS targets (
    watch TEXT NOT NULL, target TEXT NOT NULL, last_ok TEXT, last_error TEXT,
    failing_since TEXT, failures INTEGER NOT NULL DEFAULT 0, last_digest TEXT, mark INTEGER,
    PRIMARY KEY (watch, target));
"""


@dataclass(frozen=True, slots=True)
class TargetStatus:
    """How one target of one watch is doing."""

    watch: str
    target: str
    waiting: int  # hits not yet delivered
    last_ok: str | None
    last_error: str | None  # the reason of the last failure, while it goes on failing
    failing_since: str | None
    failures: int  # failed deliveries in a row
    last_digest: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "watch": self.watch,
            "target": self.target,
            "waiting": self.waiting,
            "last_ok": self.last_ok,
            "last_error": self.last_error,
            "failing_since": self.failing_since,
            "failures": self.failures,
            "last_digest": self.last_digest,
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class WatchState:
    """The open state file; use as a context manager."""

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self.db = db

    @classmethod
    def open(cls, folder: Path, *, create: bool = True) -> WatchState | None:
        """The state of the index in ``folder``; ``None`` if there is none and ``create`` is
        false (reading the status must not create files)."""
        path = folder / STATE_FILE
        if not create and not path.exists():
            return None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(_SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(pending)")}
            if "baseline" not in columns:  # a state file of the first release of watches
                db.execute("ALTER TABLE pending ADD COLUMN baseline TEXT")
        except sqlite3.Error as error:
            raise WatchError(
                f"the watch state {path} cannot be used ({error}); if it is damaged, remove "
                "it (every watch then starts afresh)"
            ) from error
        return cls(path, db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> WatchState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, sql: str, rows: Iterable[tuple[Any, ...]] = ((),)) -> int:
        with self.db:  # one transaction
            self.db.execute("BEGIN IMMEDIATE")
            count = 0
            for row in rows:
                count += self.db.execute(sql, row).rowcount
            return count

    # -- pending articles (written by the job around each commit) --------------------------------

    def stage(
        self, run: str, generation: str, articles: Iterable[str], baseline: str | None = None
    ) -> None:
        rows = [(run, generation, a, baseline) for a in articles]
        if rows:
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.executemany(
                    "INSERT INTO pending (run, generation, article, baseline) VALUES (?, ?, ?, ?)",
                    rows,
                )

    def confirm(self, run: str) -> None:
        self._write("UPDATE pending SET committed = 1 WHERE run = ? AND committed = 0", [(run,)])

    def drop_uncommitted(self, keep_run: str | None = None) -> int:
        """Rows of jobs killed before their commit (their pages are indexed again)."""
        return self._write(
            "DELETE FROM pending WHERE committed = 0 AND run != ?", [(keep_run or "",)]
        )

    def drop_generations(self, keep: set[str]) -> None:
        """Rows of generations that no longer exist (an abandoned rebuild)."""
        present = [g for (g,) in self.db.execute("SELECT DISTINCT generation FROM pending")]
        gone = [(g,) for g in present if g not in keep]
        if gone:
            self._write("DELETE FROM pending WHERE generation = ?", gone)

    def pending(self, generation: str, limit: int) -> list[tuple[int, str, str | None]]:
        return list(
            self.db.execute(
                "SELECT seq, article, baseline FROM pending WHERE committed = 1 "
                "AND generation = ? "
                "ORDER BY seq LIMIT ?",
                (generation, limit),
            )
        )

    def pending_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM pending").fetchone()[0])

    # -- hits --------------------------------------------------------------------------------

    def begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    def record(
        self, watch: str, targets: Iterable[str], doc: str, run: str, record: dict[str, Any]
    ) -> bool:
        """Keep a hit (inside :meth:`begin`/:meth:`commit`); false if the watch had it."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO hits (watch, doc, run, found, record) VALUES (?, ?, ?, ?, ?)",
            (watch, doc, run, _now(), json.dumps(record, ensure_ascii=False)),
        )
        if cursor.rowcount == 0:
            return False
        self.db.executemany(
            "INSERT OR IGNORE INTO outbox (watch, target, hit) VALUES (?, ?, ?)",
            [(watch, target, cursor.lastrowid) for target in targets],
        )
        return True

    def consume(self, seqs: Iterable[int]) -> None:
        """Drop pending rows (inside the transaction that recorded their hits)."""
        self.db.executemany("DELETE FROM pending WHERE seq = ?", [(s,) for s in seqs])

    def seen(self, watch: str, doc: str) -> bool:
        row = self.db.execute("SELECT 1 FROM hits WHERE watch = ? AND doc = ?", (watch, doc))
        return row.fetchone() is not None

    def history(self, watch: str, limit: int) -> list[dict[str, Any]]:
        """The watch's last ``limit`` hits, newest first, each with ``found``, ``run`` and
        the targets still waiting for it."""
        rows = self.db.execute(
            "SELECT seq, run, found, record FROM hits WHERE watch = ? ORDER BY seq DESC LIMIT ?",
            (watch, limit),
        ).fetchall()
        result = []
        for seq, run, found, record in rows:
            waiting = [
                t
                for (t,) in self.db.execute(
                    "SELECT target FROM outbox WHERE watch = ? AND hit = ?", (watch, seq)
                )
            ]
            result.append({**json.loads(record), "run": run, "found": found, "waiting": waiting})
        return result

    def hit_count(self, watch: str) -> int:
        row = self.db.execute("SELECT count(*) FROM hits WHERE watch = ?", (watch,)).fetchone()
        return int(row[0])

    def forget(self, watch: str) -> None:
        """Everything kept for a watch that was removed."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for table in ("hits", "outbox", "targets"):
                self.db.execute(f"DELETE FROM {table} WHERE watch = ?", (watch,))

    # -- the outbox ----------------------------------------------------------------------------

    def outbox(
        self, watch: str, target: str, limit: int, found_before: str | None = None
    ) -> list[tuple[int, dict[str, Any]]]:
        """The oldest ``limit`` hits waiting for ``target`` (found before ``found_before``)."""
        sql = (
            "SELECT hits.seq, hits.run, hits.record FROM outbox JOIN hits ON hits.seq = outbox.hit "
            "WHERE outbox.watch = ? AND outbox.target = ?"
        )
        args: list[Any] = [watch, target]
        if found_before is not None:
            sql += " AND hits.found < ?"
            args.append(found_before)
        sql += " ORDER BY hits.seq LIMIT ?"
        args.append(limit)
        return [
            (seq, {**json.loads(record), "run": run})
            for seq, run, record in self.db.execute(sql, args)
        ]

    def oldest_waiting(self, watch: str, target: str) -> str | None:
        row = self.db.execute(
            "SELECT min(hits.found) FROM outbox JOIN hits ON hits.seq = outbox.hit "
            "WHERE outbox.watch = ? AND outbox.target = ?",
            (watch, target),
        ).fetchone()
        return None if row is None else row[0]

    def _target_row(self, watch: str, target: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO targets (watch, target) VALUES (?, ?)", (watch, target)
        )

    def set_mark(self, watch: str, target: str, mark: int | None) -> None:
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self._target_row(watch, target)
            self.db.execute(
                "UPDATE targets SET mark = ? WHERE watch = ? AND target = ?", (mark, watch, target)
            )

    def mark(self, watch: str, target: str) -> int | None:
        row = self.db.execute(
            "SELECT mark FROM targets WHERE watch = ? AND target = ?", (watch, target)
        ).fetchone()
        return None if row is None else row[0]

    def sent(self, watch: str, target: str, hits: Iterable[int], digest: str | None) -> None:
        """The target took these hits: out of the outbox, the target marked as working."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                "DELETE FROM outbox WHERE watch = ? AND target = ? AND hit = ?",
                [(watch, target, h) for h in hits],
            )
            self._target_row(watch, target)
            self.db.execute(
                "UPDATE targets SET last_ok = ?, last_error = NULL, failing_since = NULL, "
                "failures = 0, mark = NULL, last_digest = coalesce(?, last_digest) "
                "WHERE watch = ? AND target = ?",
                (_now(), digest, watch, target),
            )

    def failed(self, watch: str, target: str, reason: str) -> None:
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self._target_row(watch, target)
            self.db.execute(
                "UPDATE targets SET last_error = ?, failing_since = coalesce(failing_since, ?), "
                "failures = failures + 1 WHERE watch = ? AND target = ?",
                (reason, _now(), watch, target),
            )

    def status(self, watch: str | None = None) -> list[TargetStatus]:
        """Every target that has a record or waiting hits (of one watch, or of all)."""
        where, args = ("WHERE watch = ?", (watch,)) if watch is not None else ("", ())
        known = {
            (w, t): row
            for w, t, *row in self.db.execute(
                "SELECT watch, target, last_ok, last_error, failing_since, failures, "
                f"last_digest FROM targets {where}",
                args,
            )
        }
        waiting = {
            (w, t): n
            for w, t, n in self.db.execute(
                f"SELECT watch, target, count(*) FROM outbox {where} GROUP BY watch, target", args
            )
        }
        result = []
        for key in sorted(set(known) | set(waiting)):
            last_ok, last_error, since, failures, digest = known.get(
                key, (None, None, None, 0, None)
            )
            result.append(
                TargetStatus(
                    key[0],
                    key[1],
                    waiting.get(key, 0),
                    last_ok,
                    last_error,
                    since,
                    failures,
                    digest,
                )
            )
        return result
