"""The indexing job: bring an index up to date with its sources, incrementally and safely.

One run: take the index folder's lock, list the sources with their fingerprints, compare them
with the manifest, read and extract only new and changed pages (in worker processes), replace
their articles, delete the articles of files that disappeared, commit every ``batch`` pages and
write the manifest after each commit. Running the same job twice changes nothing the second
time. A run killed at any moment leaves the last commit searchable, and the next run completes
the work without duplicating or losing a page (see ``docs/jobs.md``).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .check import verify
from .config import JobSettings
from .dedupe import Captures
from .documents import documents_of
from .engine import ALL_ENGINES, DEFAULT_ENGINE, EngineWriter
from .engine.postgres_conn import stored_dsn
from .extract import ExtractOptions
from .extractpool import Task, TaskResult, extract_all
from .faults import index_writes
from .generations import (
    current_generation,
    generation_folders,
    new_generation,
    remove_old_generations,
    resolve,
    switch_to,
)
from .index import META_FILE, SCHEMA_VERSION, Failure, Index
from .lock import acquire
from .manifest import Entry, Manifest
from .profiles import load_profiles
from .runlog import MAX_FAILURES_KEPT, write_run
from .scan import scan_sources
from .sources import SourceLimits
from .watch_delivery import after_job, open_journal

__all__ = ["Progress", "RunSummary", "run_job"]


@dataclass(frozen=True, slots=True)
class Progress:
    """Files done of the files to read; ``records``: articles read so far (an archive file
    holds many)."""

    done: int
    total: int
    elapsed: float
    records: int = 0

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def remaining(self) -> float | None:
        return (self.total - self.done) / self.rate if self.rate > 0 else None


@dataclass(slots=True)
class RunSummary:
    """What one run did; also the record kept in the run history."""

    id: str
    index: str
    started: str
    pid: int = field(default_factory=os.getpid)
    host: str = field(default_factory=socket.gethostname)
    ended: str | None = None
    status: str = "running"  # running | ok | interrupted | failed
    rebuild: bool = False
    generation: str | None = None
    seconds: float = 0.0
    new: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: int = 0
    merged: int = 0  # captures of an article already indexed in this run (same id or content)
    articles: int = 0
    comments: int = 0
    error: str | None = None
    failures: list[Failure] = field(default_factory=list)
    watches: dict[str, Any] | None = None  # what the watches found and delivered after the run

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "index": self.index,
            "started": self.started,
            "ended": self.ended,
            "status": self.status,
            "pid": self.pid,
            "host": self.host,
            "rebuild": self.rebuild,
            "generation": self.generation,
            "seconds": round(self.seconds, 3),
            "new": self.new,
            "changed": self.changed,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "merged": self.merged,
            "articles": self.articles,
            "comments": self.comments,
            "error": self.error,
            "failures": [
                {"source": f.source, "reason": f.reason} for f in self.failures[:MAX_FAILURES_KEPT]
            ],
            "watches": self.watches,
        }


def run_job(
    settings: JobSettings,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    command: str = "corpsearch index",
    limits: SourceLimits | None = None,
) -> RunSummary:
    """Run one indexing job; returns its summary (also written to the run history).

    Raises :class:`~corpsearch.errors.IndexLockedError` when another job holds the index and
    does not finish within ``settings.wait`` seconds. Setting ``stop`` ends the run early after
    committing what is done (status ``interrupted``).
    """
    folder = Path(settings.index)
    if settings.scheduler is not None:
        from .dask_pool import check_reachable

        check_reachable(settings.scheduler)  # before the index is created: a typo leaves none
    # A full disk or a read-only folder becomes one message that says what to do.
    with index_writes(folder), acquire(folder, wait=settings.wait, command=command):
        _remove_leftovers(folder)
        now = datetime.now(UTC)
        summary = RunSummary(
            id=f"{now.strftime('%Y%m%dT%H%M%S.%fZ')}-{os.getpid()}",
            index=str(folder),
            started=now.isoformat(timespec="seconds"),
            rebuild=settings.rebuild,
        )
        write_run(folder, summary.to_dict())
        clock = time.monotonic()
        try:
            _Run(settings, summary, on_progress, stop or threading.Event(), limits).run()
            summary.status = "interrupted" if stop is not None and stop.is_set() else "ok"
            if summary.status == "ok":  # an interrupted run's hits wait for the next run
                report = after_job(folder, settings, summary.id)
                summary.watches = report.to_dict() if report is not None else None
        except BaseException as error:
            summary.status = "interrupted" if isinstance(error, KeyboardInterrupt) else "failed"
            summary.error = str(error) or type(error).__name__
            raise
        finally:
            summary.seconds = time.monotonic() - clock
            summary.ended = datetime.now(UTC).isoformat(timespec="seconds")
            write_run(folder, summary.to_dict())
    return summary


def settings_key(options: ExtractOptions) -> str:
    """A key of everything that changes what extraction produces: when it differs from the
    manifest's, every page is extracted again."""
    try:
        version = importlib.metadata.version("corpsearch")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    text = repr((version, SCHEMA_VERSION, options.profiles, options.site_tz))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class _Run:
    def __init__(
        self,
        settings: JobSettings,
        summary: RunSummary,
        on_progress: Callable[[Progress], None] | None,
        stop: threading.Event,
        limits: SourceLimits | None,
    ) -> None:
        self.settings = settings
        self.summary = summary
        self.on_progress = on_progress
        self.stop = stop
        self.limits = limits or SourceLimits()
        self.folder = Path(settings.index)
        self.options = ExtractOptions(
            profiles=load_profiles(settings.profiles), site_tz=settings.zone()
        )

    # -- the run -----------------------------------------------------------------------------

    def run(self) -> None:
        target = self._target()
        self.summary.generation = target.name if target != self.folder else None
        _remove_leftovers(target)
        generation = target.name if target != self.folder else ""
        self.watch_journal = open_journal(
            self.folder, self.settings.watches, self.summary.id, generation
        )
        with Index.open(target) as index:
            # A damaged index must fail the job even when no source changed (nothing else
            # would read the damaged file), so that a scheduled run does not report success.
            verify(index)
            self.manifest = Manifest.load(target)
            key = settings_key(self.options)
            if self.manifest.settings != key:
                # Extracted with other settings: keep the ids (to replace them) but not the
                # fingerprints, so every page is read and extracted again.
                self.manifest.entries = {
                    s: Entry(-1, -1, "", e.ids) for s, e in self.manifest.entries.items()
                }
                self.manifest.settings = key
                self.manifest.compact()
            self.owners = self.manifest.owners()
            self.index = index
            self._update()
            if self.manifest.has_journal:
                self.manifest.compact()
        if self.settings.rebuild and not self.stop.is_set():
            switch_to(self.folder, target)
            remove_old_generations(self.folder)

    def _target(self) -> Path:
        """The generation folder this run writes to, created if needed."""
        folder = self.folder
        if self.settings.rebuild:
            current = current_generation(folder)
            pending = [g for g in generation_folders(folder) if current is None or g.name > current]
            for generation in pending[:-1]:
                _remove_tree(generation)
            if pending and _usable(pending[-1]):
                return pending[-1]  # a rebuild that was interrupted: finish it
            if pending:
                _remove_tree(pending[-1])
            target = new_generation(folder)
            Index.create(target, engine=self._engine(), dsn=self._dsn()).close()
            return target
        resolved = resolve(folder)
        if (resolved / META_FILE).exists():
            return resolved
        if current_generation(folder) is not None:
            if not resolved.is_dir():
                Index.open(folder)  # raises: CURRENT names a generation that is not there
            Index.create(resolved, engine=self._engine(), dsn=self._dsn()).close()
            return resolved
        target = new_generation(folder)
        Index.create(target, engine=self._engine(), dsn=self._dsn()).close()
        switch_to(folder, target)
        return target

    def _engine(self) -> str:
        """The engine asked for; else the one of the index in use (so a rebuild, even of a
        damaged index, keeps its engine); else the default engine (tantivy)."""
        if self.settings.engine is not None:
            return self.settings.engine
        try:
            meta = json.loads((resolve(self.folder) / META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return DEFAULT_ENGINE
        engine = meta.get("engine") if isinstance(meta, dict) else None
        return engine if engine in ALL_ENGINES else DEFAULT_ENGINE

    def _dsn(self) -> str | None:
        """The database asked for; else that of the postgres index in use (a rebuild keeps it)."""
        if self.settings.dsn is not None or self._engine() != "postgres":
            return self.settings.dsn
        return stored_dsn(resolve(self.folder))

    def _update(self) -> None:
        scan = scan_sources(self.settings.sources, follow_links=self.settings.follow_links)
        for failure in scan.failures:
            self._fail(failure.path, failure.reason)
        # Sources are recorded as the user gave them and compared as absolute paths, so that
        # "pages/a.html" and "./pages/a.html" are one file.
        self.stored = {os.path.abspath(s): s for s in self.manifest.entries}
        tasks: list[Task] = []
        for file in scan.files:
            entry = self._entry(file.path)
            if entry is not None and entry.same_stat(file.size, file.mtime_ns):
                self.summary.unchanged += 1
            else:
                old = entry.sha256 if entry is not None and entry.sha256 else None
                tasks.append(Task(file.path, file.size, file.mtime_ns, old))
        removed: list[str] = []
        if not self.settings.keep_removed:
            seen = {os.path.abspath(f.path) for f in scan.files}
            incomplete = {os.path.abspath(p) for p in scan.incomplete}
            protected = tuple(p.rstrip(os.sep) + os.sep for p in incomplete)
            for root in map(os.path.abspath, scan.roots):
                if root in incomplete:
                    continue
                prefix = root.rstrip(os.sep) + os.sep
                removed.extend(
                    stored
                    for path, stored in self.stored.items()
                    if (path == root or path.startswith(prefix))
                    and path not in seen
                    and not path.startswith(protected)
                )
            removed = sorted(set(removed))
        self.total = len(tasks) + len(removed)
        self.done = 0
        self.clock = time.monotonic()
        self._report()
        self._writer: EngineWriter | None = None
        self.in_batch: set[str] = set()
        self.captures = Captures()
        self.batch_size = 0
        try:
            for source in removed:
                if self.stop.is_set():
                    break
                self._remove(source)
                self._step()
            if not self.stop.is_set():
                results = self._extract(tasks, [r for r in scan.roots if os.path.exists(r)])
                try:
                    for result in results:
                        self._apply(result)
                        self._step()
                        if self.stop.is_set():
                            break
                finally:
                    results.close()
            self._commit()
        except BaseException:
            if self._writer is not None:
                self._writer.cancel()
            raise

    def _extract(self, tasks: list[Task], roots: list[str]) -> Generator[TaskResult, None, None]:
        """The results of ``tasks`` from the Dask cluster given, else from local processes."""
        if self.settings.scheduler is not None:
            from .dask_pool import extract_on_cluster  # Dask is imported only for a cluster

            return extract_on_cluster(
                tasks, self.options, self.limits, scheduler=self.settings.scheduler, roots=roots
            )
        workers = self.settings.workers or os.cpu_count() or 1
        if len(tasks) < 2 * workers:
            workers = 1  # starting processes costs more than a few pages
        return extract_all(tasks, self.options, self.limits, workers=workers)

    @property
    def writer(self) -> EngineWriter:
        """The open engine batch; opened on the first change, so a run that changes nothing
        writes nothing."""
        if self._writer is None:
            self._writer = self.index.engine.writer()
        return self._writer

    # -- one page ----------------------------------------------------------------------------

    def _entry(self, path: str) -> Entry | None:
        stored = self.stored.get(os.path.abspath(path))
        return self.manifest.get(stored) if stored is not None else None

    def _apply(self, result: TaskResult) -> None:
        task = result.task
        entry = self._entry(task.path)
        stored = self.stored.get(os.path.abspath(task.path))
        if stored is not None and stored != task.path and entry is not None:
            # Given another way this time (relative, absolute): the entry takes the new name.
            self.manifest.remove(stored)
            self.manifest.set(task.path, entry)
            self.stored[os.path.abspath(task.path)] = task.path
        if result.failure is not None:
            self._fail(task.path, result.failure)
            return
        if not result.articles and not result.record_failures and entry is not None:
            # touched, not changed
            self.manifest.set(task.path, Entry(task.size, task.mtime_ns, result.sha256, entry.ids))
            self.summary.unchanged += 1
            return
        for failure in result.record_failures:
            self._fail(failure.path, failure.reason)
        old_ids = entry.ids if entry is not None else ()
        modified = datetime.fromtimestamp(task.mtime_ns / 1e9, UTC)
        admitted, claimed = [], []
        streams = result.streams or [()] * len(result.articles)
        for article, analysed in zip(result.articles, streams, strict=True):
            # The same article captured twice (same id or same content): the newest wins.
            verdict = self.captures.admit(article, modified)
            self.summary.merged += verdict.merged
            if verdict.index:
                admitted.append((article, analysed))
                self._release(tuple(i for i, _ in verdict.replaces if i != article.id))
            elif article.id in self.captures.by_id:
                # An older capture under the same id still produces that article: if the newer
                # file goes, the article stays.
                claimed.append(article.id)
        new_ids = tuple(dict.fromkeys([*(a.id for a, _ in admitted), *claimed]))
        for article_id in old_ids:
            if article_id not in new_ids:
                self._release((article_id,))
        for article_id in claimed:
            if article_id not in old_ids:
                self.owners[article_id] = self.owners.get(article_id, 0) + 1
        for article, analysed in admitted:
            if article.id in self.in_batch:
                # An engine cannot delete what the same uncommitted batch added.
                self._commit()
            self.writer.delete_article(article.id)
            self.writer.add(documents_of(article, analysed))
            self.in_batch.add(article.id)
            if article.id not in old_ids:
                self.owners[article.id] = self.owners.get(article.id, 0) + 1
            self.summary.articles += 1
            self.summary.comments += len(article.comments)
        self.manifest.set(task.path, Entry(task.size, task.mtime_ns, result.sha256, new_ids))
        if entry is None:
            self.summary.new += 1
        else:
            self.summary.changed += 1
        self.batch_size += 1

    def _remove(self, source: str) -> None:
        entry = self.manifest.remove(source)
        self._release(entry.ids)
        self.summary.removed += 1
        self.batch_size += 1

    def _release(self, ids: tuple[str, ...], keep: str | None = None) -> None:
        """Drop a source's claim on ``ids``; delete those no other source produced."""
        for article_id in ids:
            if article_id == keep:
                continue
            left = self.owners.get(article_id, 1) - 1
            if left > 0:
                self.owners[article_id] = left
                continue
            self.owners.pop(article_id, None)
            if article_id in self.in_batch:
                self._commit()
            self.writer.delete_article(article_id)

    def _fail(self, source: str, reason: str) -> None:
        self.summary.failed += 1
        self.summary.failures.append(Failure(source, reason))

    # -- commits and progress ----------------------------------------------------------------

    def _step(self) -> None:
        self.done += 1
        if self.batch_size >= self.settings.batch:
            self._commit()
        self._report()

    def _commit(self) -> None:
        """Commit the engine batch, then (and only then) the manifest that describes it."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            # The watches learn of the batch's articles before the commit, for sure after it.
            self.watch_journal.stage(self.in_batch)
            writer.commit()
            self.watch_journal.confirm()
        self.manifest.save()
        self.in_batch = set()
        self.batch_size = 0

    def _report(self) -> None:
        if self.on_progress is not None:
            elapsed = time.monotonic() - self.clock
            self.on_progress(Progress(self.done, self.total, elapsed, self.summary.articles))


def _remove_leftovers(folder: Path) -> None:
    """Temporary files of a job killed while writing one (only the lock holder writes them)."""
    for path in folder.glob(".*.tmp"):
        path.unlink(missing_ok=True)


def _usable(generation: Path) -> bool:
    try:
        Index.open(generation).close()
    except Exception:
        return False
    return True


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
