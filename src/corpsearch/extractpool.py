"""Extraction of many pages on all cores, with a bounded number of pages in flight.

:func:`corpsearch.extract.extract` is a pure function, so pages are read, hashed and extracted in
worker processes while the single index writer stays in the main process. At most
``window`` pages are submitted but not yet consumed, so memory stays bounded however large the
corpus. Workers are started with ``spawn`` (they inherit no open files, the job's lock among
them) and, on Linux, are killed when the job's process dies.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Generator, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from .analysis import Streams, article_streams
from .errors import CorpsearchError
from .extract import ExtractOptions, extract
from .faults import DISK_FULL
from .records import Article
from .sources import SourceDocument, SourceFailure, SourceLimits, is_archive, iter_sources

__all__ = [
    "DIED",
    "Task",
    "TaskResult",
    "archive_result",
    "as_given",
    "extract_all",
    "extract_record",
    "run_task",
]


@dataclass(frozen=True, slots=True)
class Task:
    """One page to read: its path, and the hash of the content already indexed (if any)."""

    path: str
    size: int
    mtime_ns: int
    old_sha256: str | None = None


@dataclass(frozen=True, slots=True)
class TaskResult:
    task: Task
    sha256: str = ""
    # Empty: the content is the one already indexed, or the source failed. A page file gives
    # one article, a web archive one per HTML record.
    articles: tuple[Article, ...] = ()
    failure: str | None = None
    # Records of an archive that could not be read, while the others were.
    record_failures: tuple[SourceFailure, ...] = ()
    # The analysed streams of each article's index documents (corpsearch.analysis), computed
    # where the article was extracted, so the single index writer only hands them to its
    # engine; empty if not computed (the engine then analyses).
    streams: tuple[tuple[Streams, ...], ...] = ()

    @property
    def article(self) -> Article | None:
        return self.articles[0] if self.articles else None


def run_task(
    task: Task, options: ExtractOptions, limits: SourceLimits, *, folder: str | None = None
) -> TaskResult:
    """Read a page or archive; extract it unless its content hash is the one already indexed.

    ``folder``: where a relative ``task.path`` is read from, when that is not this process's
    working folder (a Dask worker's is not the job's). The page keeps the path as given, in its
    source and in the id derived from it, so it is the same article as the local pool's.
    """
    read = _read_path(task.path, folder)
    try:
        if is_archive(Path(task.path)):
            return _run_archive(task, read, options, limits)
        item = as_given(next(iter(iter_sources([read], limits))), read, task.path)
        if isinstance(item, SourceFailure):
            return TaskResult(task, failure=item.reason)
        sha256 = hashlib.sha256(item.data).hexdigest()
        if sha256 == task.old_sha256:
            return TaskResult(task, sha256=sha256)
        article = extract(item, options)
        return TaskResult(
            task, sha256=sha256, articles=(article,), streams=(article_streams(article),)
        )
    except CorpsearchError as error:
        return TaskResult(task, failure=str(error))
    except OSError as error:
        if error.errno in DISK_FULL:
            raise  # not the page's fault: the job stops with "the disk is full"
        return TaskResult(task, failure=f"cannot read: {error.strerror or error}")
    except Exception as error:  # a page must never stop the job; the reason is reported
        return TaskResult(task, failure=f"unexpected {type(error).__name__}: {error}")


def _read_path(path: str, folder: str | None) -> str:
    return path if folder is None or os.path.isabs(path) else os.path.join(folder, path)


def as_given(
    item: SourceDocument | SourceFailure, read: str, given: str
) -> SourceDocument | SourceFailure:
    """The item read at ``read`` as if read at ``given`` (the same file, named as the job
    names it)."""
    if read == given:
        return item
    if isinstance(item, SourceFailure):
        if item.path == read or item.path.startswith(read + "#"):
            return SourceFailure(given + item.path[len(read) :], item.reason)
        return item
    if item.ref.path == read:
        return replace(item, ref=replace(item.ref, path=given))
    return item


def _run_archive(
    task: Task, read: str, options: ExtractOptions, limits: SourceLimits
) -> TaskResult:
    digest = hashlib.sha256()
    with open(read, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    sha256 = digest.hexdigest()
    if sha256 == task.old_sha256:
        return TaskResult(task, sha256=sha256)
    articles: list[Article] = []
    failures: list[SourceFailure] = []
    for found in iter_sources([read], limits):
        item = extract_record(as_given(found, read, task.path), options)
        if isinstance(item, SourceFailure):
            failures.append(item)
        else:
            articles.append(item)
    return archive_result(task, sha256, articles, failures)


def extract_record(
    item: SourceDocument | SourceFailure, options: ExtractOptions
) -> Article | SourceFailure:
    """The article of an archive's record, or the failure that stands for it (the record could
    not be read, or its page not extracted)."""
    if isinstance(item, SourceFailure):
        return item
    try:
        return extract(item, options)
    except CorpsearchError as error:
        return SourceFailure(str(item.ref), str(error))


def archive_result(
    task: Task,
    sha256: str,
    articles: list[Article],
    failures: list[SourceFailure],
    streams: list[tuple[Streams, ...]] | None = None,
) -> TaskResult:
    """An archive's result from its records: a failure of the file when no record could be
    read, else its articles (with their analysed ``streams``, computed here if not given) and
    the records that failed."""
    if not articles and failures:
        return TaskResult(task, failure=failures[0].reason, record_failures=tuple(failures))
    return TaskResult(
        task,
        sha256=sha256,
        articles=tuple(articles),
        record_failures=tuple(failures),
        streams=tuple(streams if streams is not None else map(article_streams, articles)),
    )


_OPTIONS: ExtractOptions | None = None
_LIMITS: SourceLimits | None = None


def _init_worker(options: ExtractOptions, limits: SourceLimits, parent: int) -> None:
    global _OPTIONS, _LIMITS
    _OPTIONS, _LIMITS = options, limits
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN)  # the job decides when to stop
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the job
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)


def _worker(task: Task) -> TaskResult:
    assert _OPTIONS is not None and _LIMITS is not None
    return run_task(task, _OPTIONS, _LIMITS)


def extract_all(
    tasks: Iterable[Task],
    options: ExtractOptions,
    limits: SourceLimits,
    *,
    workers: int,
    window: int | None = None,
) -> Generator[TaskResult, None, None]:
    """Results of all ``tasks`` as they complete (not in order). ``workers <= 1`` runs them in
    this process."""
    if workers <= 1:
        for task in tasks:
            yield run_task(task, options, limits)
        return
    window = window or workers * 4
    pending = iter(tasks)
    context = multiprocessing.get_context("spawn")
    while True:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(options, limits, os.getpid()),
        )
        broken = False
        try:
            running: dict[Future[TaskResult], Task] = {}
            while True:
                while len(running) < window and not broken:
                    item = next(pending, None)
                    if item is None:
                        break
                    try:
                        running[pool.submit(_worker, item)] = item
                    except BrokenProcessPool:
                        yield TaskResult(item, failure=DIED)
                        broken = True
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    task = running.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken = True
                        yield TaskResult(task, failure=DIED)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if not broken:
            return


DIED = (
    "the extraction process died while this page was being read (out of memory?); "
    "it is retried on the next run"
)
