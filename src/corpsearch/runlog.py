"""Run history: one JSON line per indexing run in ``runs.jsonl`` in the index folder.

A run is written twice: when it starts (status ``running``) and when it ends (``ok``,
``failed`` or ``interrupted``), so a job killed outright still leaves a trace, which
:func:`read_runs` reports as ``died`` once its process is gone. The file keeps the last
:data:`MAX_RUNS` runs and is always replaced whole (temporary file + rename), so a reader never
sees half a line.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

from .export import json_text
from .lock import pid_alive

__all__ = ["MAX_FAILURES_KEPT", "MAX_RUNS", "RUNS_FILE", "read_runs", "write_run"]

RUNS_FILE = "runs.jsonl"
MAX_RUNS = 100
# Failures kept with their reasons per run (the count is always exact).
MAX_FAILURES_KEPT = 1000


def write_run(folder: Path, record: dict[str, Any]) -> None:
    """Add ``record`` to the history, or replace the record with the same ``id``."""
    runs = [r for r in _load(folder) if r.get("id") != record["id"]]
    runs.append(record)
    runs = runs[-MAX_RUNS:]
    path = folder / RUNS_FILE
    tmp = folder / f".{RUNS_FILE}.{os.getpid()}.tmp"
    with tmp.open("w", encoding="utf-8") as handle:
        for run in runs:
            # json_text: a file name that is not UTF-8 (lone surrogates) is written as escapes.
            handle.write(json_text(run) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def read_runs(folder: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The last runs, oldest first. A ``running`` run whose process is gone is shown as
    ``died``."""
    runs = _load(folder)
    if limit is not None:
        runs = runs[-limit:] if limit > 0 else []
    host = socket.gethostname()
    for run in runs:
        if (
            run.get("status") == "running"
            and run.get("host") == host
            and not pid_alive(int(run.get("pid", 0)))
        ):
            run["status"] = "died"
    return runs


def _load(folder: Path) -> list[dict[str, Any]]:
    try:
        lines = (folder / RUNS_FILE).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    runs = []
    for line in lines:
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict) and "id" in value:
            runs.append(value)
    return runs
