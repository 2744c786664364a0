"""What the workers of a Dask cluster run for :mod:`corpsearch.dask_pool`.

Plain functions of plain values (tasks, options, limits), imported by the workers from their
own corpsearch, which must be the job's version. Each reads the pages at the paths the job gives
(relative ones from the job's folder, ``folder``) and names them as the job does, so that an
article's source and id are the ones the local pool gives it. None raises for a page: a page
that cannot be read or extracted is a result with its reason, so that Dask does not retry it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .analysis import Streams, article_streams
from .extract import ExtractOptions
from .extractpool import Task, TaskResult, archive_result, as_given, extract_record, run_task
from .faults import DISK_FULL
from .records import Article
from .sources import SourceFailure, SourceLimits, iter_sources
from .warc import record_at

__all__ = [
    "ArchivePlan",
    "Extracted",
    "extract_files",
    "extract_records",
    "plan_archive",
    "probe",
    "version",
]


# An archive record's article and the analysed streams of its index documents.
Extracted = tuple[Article, tuple[Streams, ...]]


@dataclass(frozen=True, slots=True)
class ArchivePlan:
    """An archive's HTML records to extract (their offsets) and its records that cannot be
    read, in file order; or, in ``result``, all there is to say (unchanged, unreadable, no
    page in it)."""

    sha256: str = ""
    items: tuple[int | SourceFailure, ...] = ()
    result: TaskResult | None = None

    @property
    def offsets(self) -> list[int]:
        return [item for item in self.items if isinstance(item, int)]


@dataclass(frozen=True, slots=True)
class Unexpected:
    """An error no page should raise: the archive fails as a whole, as in the local pool."""

    reason: str


def extract_files(
    tasks: tuple[Task, ...], options: ExtractOptions, limits: SourceLimits, folder: str
) -> list[TaskResult]:
    """Read and extract each page file."""
    results = []
    for task in tasks:
        if not os.path.lexists(os.path.join(folder, task.path)):
            results.append(TaskResult(task, failure=missing_here()))
        else:
            results.append(run_task(task, options, limits, folder=folder))
    return results


def plan_archive(task: Task, limits: SourceLimits, folder: str) -> ArchivePlan:
    """Hash the archive; unless it is the content already indexed, list its records."""
    read = os.path.join(folder, task.path)
    if not os.path.lexists(read):
        return ArchivePlan(result=TaskResult(task, failure=missing_here()))
    try:
        digest = hashlib.sha256()
        with open(read, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        sha256 = digest.hexdigest()
        if sha256 == task.old_sha256:
            return ArchivePlan(sha256, result=TaskResult(task, sha256=sha256))
        items: list[int | SourceFailure] = []
        for found in iter_sources([read], limits):
            item = as_given(found, read, task.path)
            if isinstance(item, SourceFailure):
                items.append(item)
            elif item.ref.offset is not None:
                items.append(item.ref.offset)
        plan = ArchivePlan(sha256, tuple(items))
        if not plan.offsets:
            failures = [i for i in items if isinstance(i, SourceFailure)]
            return ArchivePlan(sha256, result=archive_result(task, sha256, [], failures))
        return plan
    except OSError as error:
        if error.errno in DISK_FULL:
            raise
        return ArchivePlan(result=TaskResult(task, failure=f"cannot read: {error.strerror}"))
    except Exception as error:  # as run_task: a file must never stop the job
        reason = f"unexpected {type(error).__name__}: {error}"
        return ArchivePlan(result=TaskResult(task, failure=reason))


def extract_records(
    task: Task,
    offsets: tuple[int, ...],
    options: ExtractOptions,
    limits: SourceLimits,
    folder: str,
) -> list[Extracted | SourceFailure] | Unexpected:
    """Read and extract the archive's records at ``offsets``, in that order; each article
    with its analysed streams (analysed here, on the worker, as the local pool does)."""
    read = os.path.join(folder, task.path)
    found: list[Extracted | SourceFailure] = []
    for offset in offsets:
        item = as_given(record_at(Path(read), offset, limits), read, task.path)
        try:
            got = extract_record(item, options)
            found.append(got if isinstance(got, SourceFailure) else (got, article_streams(got)))
        except Exception as error:
            return Unexpected(f"unexpected {type(error).__name__}: {error}")
    return found


def missing_here() -> str:
    return (
        f"not found on the Dask worker {_worker_name()} (the sources must be at the same path "
        "on every worker); it is retried on the next run"
    )


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return socket.gethostname()


def probe(roots: Sequence[str], folder: str) -> dict[str, Any]:
    """Run on every worker before the first task: its corpsearch, and the sources it cannot
    read with the reason."""
    unreadable: list[tuple[str, str]] = []
    for root in roots:
        path = os.path.join(folder, root)
        if not os.path.exists(path):
            unreadable.append((root, "no such file or folder there"))
        elif not os.access(path, os.R_OK | (os.X_OK if os.path.isdir(path) else 0)):
            unreadable.append((root, "permission denied there"))
    return {"version": version(), "unreadable": unreadable, "host": socket.gethostname()}


def version() -> str:
    try:
        return importlib.metadata.version("corpsearch")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
