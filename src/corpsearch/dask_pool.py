"""Extraction on a Dask distributed cluster (``corpsearch index --scheduler tcp://HOST:8786``).

The job stays where it is: it lists the sources, compares them with the manifest, and writes
every result through its single writer under its lock, exactly as with the local pool
(:mod:`corpsearch.extractpool`). Only reading, hashing and extracting move to the cluster's
workers, as tasks of a few page files each (:data:`CHUNK`). A web archive holds thousands of
pages, so it is not one task: a first task hashes it and lists its HTML records (offsets), then
its records go out in tasks of :data:`CHUNK` like files, and the job assembles the archive's one
result (one manifest entry) when all are back, as the local pool's, in file order.

**What travels where.** Workers read the pages themselves, at the paths the job gives them: the
sources must be on storage every worker mounts at the same path (NFS, a cluster file system, the
same disk on one machine). Only the task (paths, sizes, hashes already indexed) goes to a worker
and only the records (text, no markup) come back, so the job's own network and disk do not
limit the cluster: at 100M pages, shipping the bytes through one process would move the whole
archive through it twice. Before the first task, every worker is asked whether it can read each
source and runs the same corpsearch version; one that cannot gets a clear error naming the path
and the worker, not a run of failures or a hang.

**Back-pressure.** At most ``window`` tasks are submitted and not yet consumed (by default four
per worker thread), so neither the scheduler nor the job holds more than that however large the
corpus.

**Failures.** A page that cannot be read or extracted is a result with its reason (as in the
local pool), never a task error, so it is recorded and not retried. A worker that dies has its
tasks run again elsewhere by the scheduler (up to ``distributed.scheduler.allowed-failures``
times, default 3); a task of several pages whose workers keep dying is split so that only the
page that kills them is reported. A task that raises (the worker's disk full, its environment
broken) is tried :data:`RETRIES` more times, then its pages are reported as failed and retried
on the next run. A cluster left without workers for ``no_workers_timeout`` seconds, or a
scheduler that goes away, stops the run with :class:`~corpsearch.errors.DaskClusterError`; what
was committed stays, and the next run goes on from there.

Dask is imported only here and only when a job is given a scheduler.
"""

from __future__ import annotations

import os
import queue
import socket
import time
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .analysis import Streams
from .dask_tasks import (
    ArchivePlan,
    Extracted,
    Unexpected,
    extract_files,
    extract_records,
    plan_archive,
    probe,
    version,
)
from .errors import DaskClusterError
from .extract import ExtractOptions
from .extractpool import Task, TaskResult, archive_result
from .faults import DISK_FULL
from .records import Article
from .sources import SourceFailure, SourceLimits, is_archive

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = [
    "CHUNK",
    "CONNECT_TIMEOUT",
    "RETRIES",
    "check_reachable",
    "connect",
    "extract_on_cluster",
]

CONNECT_TIMEOUT = 10.0
"""Seconds to reach the scheduler, and to wait for its first worker."""
CHUNK = 8
"""Page files (or archive records) per task: a task costs the scheduler about a millisecond, a page ~15 ms of
extraction, so eight pages keep the scheduler's share small without making a lost task costly."""
RETRIES = 2
"""Further attempts of a task that raised (not of a page that failed: that is a result)."""
NO_WORKERS_TIMEOUT = 120.0
"""Seconds a running job waits for a cluster that lost all its workers."""
_POLL = 2.0  # seconds between checks that the cluster still has workers while none finishes


def connect(address: str, timeout: float = CONNECT_TIMEOUT) -> Client:
    """A client of the scheduler at ``address``, or :class:`DaskClusterError` saying how to
    start one."""
    address = address.strip()
    check_reachable(address, timeout)
    from distributed import Client

    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise DaskClusterError(_unreachable(address, error)) from error


def check_reachable(address: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """:class:`DaskClusterError` unless something listens at the scheduler's address; answered
    at once when nothing does, rather than after the client's retries."""
    parts = urlsplit(address if "://" in address else "tcp://" + address)
    if parts.scheme != "tcp":
        return  # tls://, ucx:// …: left to distributed
    try:
        host, port = parts.hostname, parts.port or 8786
    except ValueError as error:
        raise DaskClusterError(_unreachable(address, error)) from error
    if not host:
        raise DaskClusterError(_unreachable(address, "no host in the address"))
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as error:
        raise DaskClusterError(_unreachable(address, error)) from error


def _unreachable(address: str, reason: object) -> str:
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return (
        f"could not reach the Dask scheduler at {address} ({text}); start one with "
        "`dask scheduler` or drop --scheduler"
    )


def extract_on_cluster(
    tasks: Iterable[Task],
    options: ExtractOptions,
    limits: SourceLimits,
    *,
    scheduler: str,
    roots: Sequence[str],
    window: int | None = None,
    chunk: int = CHUNK,
    timeout: float = CONNECT_TIMEOUT,
    no_workers_timeout: float = NO_WORKERS_TIMEOUT,
) -> Generator[TaskResult, None, None]:
    """Results of all ``tasks`` as they complete on the cluster (not in order), like
    :func:`corpsearch.extractpool.extract_all`. ``roots``: the sources given to the job, which
    every worker must be able to read. Connects only when there is a task."""
    pending = iter(tasks)
    first = next(pending, None)
    if first is None:
        return
    folder = os.getcwd()  # relative paths are read from the job's folder on every worker
    client = connect(scheduler, timeout)
    try:
        threads = _check_workers(client, scheduler, roots, folder, timeout)
        window = window or 4 * threads
        stream = _Stream(client, scheduler, options, limits, folder, no_workers_timeout, chunk)
        yield from stream.run(_chunks(_prepend(first, pending), chunk), window)
    finally:
        client.close()


def _prepend(first: Task, rest: Iterator[Task]) -> Iterator[Task]:
    yield first
    yield from rest


def _chunks(tasks: Iterator[Task], size: int) -> Iterator[_Files | _Plan]:
    """Page files in groups of ``size``; an archive first to be planned (its records listed)."""
    group: list[Task] = []
    for task in tasks:
        if is_archive(Path(task.path)):
            yield _Plan(task)
            continue
        group.append(task)
        if len(group) >= size:
            yield _Files(tuple(group))
            group = []
    if group:
        yield _Files(tuple(group))


@dataclass(frozen=True, slots=True)
class _Files:
    tasks: tuple[Task, ...]


@dataclass(frozen=True, slots=True)
class _Plan:
    task: Task


@dataclass(slots=True)
class _Archive:
    """An archive whose records are out on the cluster; its result is whole when all are
    back (the manifest has one entry per file)."""

    task: Task
    plan: ArchivePlan
    found: dict[int, Extracted | SourceFailure] = field(default_factory=dict)
    waiting: int = 0
    unexpected: str | None = None

    def result(self) -> TaskResult:
        if self.unexpected is not None:
            return TaskResult(self.task, failure=self.unexpected)
        articles: list[Article] = []
        streams: list[tuple[Streams, ...]] = []
        failures: list[SourceFailure] = []
        for item in self.plan.items:
            got = self.found[item] if isinstance(item, int) else item
            if isinstance(got, SourceFailure):
                failures.append(got)
            else:
                articles.append(got[0])
                streams.append(got[1])
        return archive_result(self.task, self.plan.sha256, articles, failures, streams)


@dataclass(frozen=True, slots=True)
class _Records:
    archive: _Archive
    offsets: tuple[int, ...]


_Work = _Files | _Plan | _Records


class _Stream:
    """Submits work while fewer than ``window`` tasks are in flight; yields the results."""

    def __init__(
        self,
        client: Client,
        scheduler: str,
        options: ExtractOptions,
        limits: SourceLimits,
        folder: str,
        no_workers_timeout: float,
        chunk: int,
    ) -> None:
        self.client = client
        self.scheduler = scheduler
        self.options = options
        self.limits = limits
        self.folder = folder
        self.no_workers_timeout = no_workers_timeout
        self.chunk = chunk
        # Futures call back from the client's thread; the job's thread takes them from here.
        self.finished: queue.Queue[Future] = queue.Queue()
        self.running: dict[Future, _Work] = {}
        # Split or planned work, submitted before new files so that archives finish (and
        # their records leave the job's memory) soon.
        self.first: list[_Work] = []

    def submit(self, work: _Work) -> None:
        common = (self.limits, self.folder)
        if isinstance(work, _Files):
            call: tuple[Any, ...] = (extract_files, work.tasks, self.options, *common)
        elif isinstance(work, _Plan):
            call = (plan_archive, work.task, *common)
        else:
            call = (extract_records, work.archive.task, work.offsets, self.options, *common)
        future = self.client.submit(*call, pure=False, retries=RETRIES)
        self.running[future] = work
        future.add_done_callback(self.finished.put)

    def run(self, chunks: Iterator[_Work], window: int) -> Iterator[TaskResult]:
        exhausted = False
        while True:
            while len(self.running) < window and (self.first or not exhausted):
                if self.first:
                    self.submit(self.first.pop(0))
                    continue
                item = next(chunks, None)
                if item is None:
                    exhausted = True
                    break
                self.submit(item)
            if not self.running:
                return
            finished, failed = [], []
            for future in self._next_done():
                if future.status == "finished":
                    finished.append(future)
                elif future.status == "error" or future.cancelled():
                    failed.append(future)
                else:  # its result was lost with a worker and is being computed again
                    future.add_done_callback(self.finished.put)
            # One round trip for every result that is ready; then the futures are let go, so
            # the workers free their memory.
            values = self.client.gather(finished)
            for future, value in zip(finished, values, strict=True):
                yield from self._done(self.running.pop(future), value)
            for future in failed:
                work = self.running.pop(future)
                if future.cancelled():
                    raise DaskClusterError(
                        f"lost the Dask scheduler at {self.scheduler} during the run; what was "
                        "committed stays, and the next run goes on from there"
                    )
                yield from self._failed(work, future.exception())

    def _done(self, work: _Work, value: Any) -> Iterator[TaskResult]:
        if isinstance(work, _Files):
            yield from value
        elif isinstance(work, _Plan):
            plan: ArchivePlan = value
            if plan.result is not None:
                yield plan.result
                return
            archive = _Archive(work.task, plan)
            offsets = plan.offsets
            for start in range(0, len(offsets), self.chunk):
                self.first.append(_Records(archive, tuple(offsets[start : start + self.chunk])))
                archive.waiting += 1
        else:
            archive = work.archive
            if isinstance(value, Unexpected):
                archive.unexpected = archive.unexpected or value.reason
            else:
                archive.found.update(zip(work.offsets, value, strict=True))
            yield from self._record_done(archive)

    def _record_done(self, archive: _Archive) -> Iterator[TaskResult]:
        archive.waiting -= 1
        if archive.waiting == 0:
            yield archive.result()

    def _failed(self, work: _Work, error: BaseException | None) -> Iterator[TaskResult]:
        if isinstance(error, OSError) and error.errno in DISK_FULL:
            raise error  # as with the local pool: the job stops, the disk is full
        split = _killed(error)  # a page that kills its workers: find which one
        if isinstance(work, _Files):
            if split and len(work.tasks) > 1:
                self.first.extend(_Files((task,)) for task in work.tasks)
            else:
                yield from (TaskResult(task, failure=_reason(error)) for task in work.tasks)
        elif isinstance(work, _Plan):
            yield TaskResult(work.task, failure=_reason(error))
        elif split and len(work.offsets) > 1:
            archive = work.archive
            archive.waiting += len(work.offsets) - 1
            self.first.extend(_Records(archive, (offset,)) for offset in work.offsets)
        else:
            path = work.archive.task.path
            for offset in work.offsets:
                work.archive.found[offset] = SourceFailure(f"{path}#{offset}", _reason(error))
            yield from self._record_done(work.archive)

    def _next_done(self) -> list[Future]:
        """The futures finished since the last call (at least one), checking while none
        finishes that the cluster still has workers."""
        idle_since: float | None = None
        while True:
            try:
                first = self.finished.get(timeout=_POLL)
                break
            except queue.Empty:
                if self.client.nthreads():
                    idle_since = None
                    continue
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > self.no_workers_timeout:
                    raise DaskClusterError(
                        f"the Dask cluster at {self.scheduler} has had no workers for "
                        f"{self.no_workers_timeout:.0f} s; start some with `dask worker "
                        f"{self.scheduler}`; what was committed stays, and the next run goes "
                        "on from there"
                    ) from None
        done = [first]
        while True:
            try:
                done.append(self.finished.get_nowait())
            except queue.Empty:
                break
        return [f for f in dict.fromkeys(done) if f in self.running]


def _killed(error: BaseException | None) -> bool:
    from distributed.scheduler import KilledWorker

    return isinstance(error, KilledWorker)


def _reason(error: BaseException | None) -> str:
    if _killed(error):
        return (
            "the Dask workers that read this page died each time (out of memory?); "
            "it is retried on the next run"
        )
    return (
        f"extraction on the Dask cluster failed {RETRIES + 1} times "
        f"({type(error).__name__}: {error}); it is retried on the next run"
    )


def _check_workers(
    client: Client, scheduler: str, roots: Sequence[str], folder: str, timeout: float
) -> int:
    """The cluster's worker threads, after checking that every worker can do the work."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError as error:
        raise DaskClusterError(
            f"the Dask scheduler at {scheduler} has no workers (waited {timeout:.0f} s); "
            f"start some with `dask worker {scheduler}`"
        ) from error
    answers = client.run(probe, list(roots), folder, on_error="return")
    mine = version()
    for worker, answer in sorted(answers.items()):
        if isinstance(answer, BaseException):
            raise DaskClusterError(
                f"the Dask worker {worker} cannot run corpsearch ({type(answer).__name__}: "
                f"{answer}); install corpsearch[dask]=={mine} in every worker's environment"
            )
        if answer["version"] != mine:
            raise DaskClusterError(
                f"the Dask worker {worker} runs corpsearch {answer['version']}, this job "
                f"{mine}; install the same version on every node"
            )
        for root, why in answer["unreadable"]:
            raise DaskClusterError(
                f"the Dask worker {worker} cannot read {root} ({why}; as "
                f"{os.path.join(folder, root)}); workers read the pages themselves: mount the "
                "sources at the same path on every worker, or drop --scheduler"
            )
    threads: int = sum(client.nthreads().values())
    return max(1, threads)
