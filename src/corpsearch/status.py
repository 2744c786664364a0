"""What ``corpsearch status`` shows: the index, the job running now, the last runs and their
failures. Reading the status never takes the lock, so it never gets in a job's way."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CorpsearchError
from .generations import current_generation
from .index import Index
from .lock import LockHolder, read_holder
from .runlog import read_runs
from .watch_state import WatchState

__all__ = ["JobStatus", "job_status"]


@dataclass(slots=True)
class JobStatus:
    index: str
    generation: str | None
    counts: dict[str, int] | None
    problem: str | None  # why the index cannot be opened, if it cannot
    running: LockHolder | None  # the job holding the lock now
    runs: list[dict[str, Any]] = field(default_factory=list)
    watches: list[dict[str, Any]] = field(default_factory=list)  # targets failing or waiting

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "generation": self.generation,
            "counts": self.counts,
            "problem": self.problem,
            "running": self.running.to_dict() if self.running is not None else None,
            "runs": self.runs,
            "watches": self.watches,
        }


def job_status(folder: Path, *, runs: int = 10) -> JobStatus:
    """The status of the index in ``folder`` and of the jobs that write to it."""
    counts: dict[str, int] | None = None
    problem: str | None = None
    try:
        with Index.open(folder) as index:
            counts = index.count()
    except CorpsearchError as error:
        problem = str(error)
    holder = read_holder(folder)
    running = holder if holder is not None and holder.alive is not False else None
    return JobStatus(
        index=str(folder),
        generation=current_generation(folder),
        counts=counts,
        problem=problem,
        running=running,
        runs=read_runs(folder, runs),
        watches=_watch_problems(folder),
    )


def _watch_problems(folder: Path) -> list[dict[str, Any]]:
    """Watch targets that failed or still hold hits (read only; no state file is made)."""
    try:
        state = WatchState.open(folder, create=False)
    except CorpsearchError as error:
        return [{"watch": None, "target": None, "last_error": str(error), "waiting": 0}]
    if state is None:
        return []
    with state:
        return [s.to_dict() for s in state.status() if s.last_error or s.waiting]
