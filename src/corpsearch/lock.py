"""One writer at a time: an exclusive ``flock`` on a lock file in the index folder.

The lock file holds a small JSON body (process id, host, start time, command) so a second job can
name the job it waits for. The operating system releases a ``flock`` when its process dies, even
by ``kill -9``, so a lock left behind by a dead job is taken over without any cleaning up: only
the body remains, and it is overwritten by the next holder.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from .errors import IndexLockedError

__all__ = ["LOCK_FILE", "JobLock", "LockHolder", "acquire", "pid_alive", "read_holder"]

LOCK_FILE = "job.lock"
_POLL_SECONDS = 0.1


@dataclass(frozen=True, slots=True)
class LockHolder:
    """The job named in a lock file's body."""

    pid: int
    host: str
    started: str
    command: str = ""
    alive: bool | None = None  # None when the holder runs on another host

    def describe(self) -> str:
        where = "" if self.host == socket.gethostname() else f" on host {self.host}"
        return f"process {self.pid}{where}, started {self.started}"

    def to_dict(self) -> dict[str, object]:
        return {
            "pid": self.pid,
            "host": self.host,
            "started": self.started,
            "command": self.command,
            "alive": self.alive,
        }


class JobLock:
    """A held lock; release it with :meth:`release` or by leaving the ``with`` block."""

    def __init__(self, path: Path, fd: int, holder: LockHolder) -> None:
        self.path = path
        self.holder = holder
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)  # no body: nobody holds the lock
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def __enter__(self) -> JobLock:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def acquire(folder: Path, *, wait: float = 0.0, command: str = "corpsearch index") -> JobLock:
    """Take the index folder's write lock, waiting up to ``wait`` seconds for another job.

    Raises :class:`IndexLockedError` naming the running job when the wait runs out.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    deadline = time.monotonic() + max(wait, 0.0)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _locked(path, wait) from None
                time.sleep(_POLL_SECONDS)
    except BaseException:
        os.close(fd)
        raise
    holder = LockHolder(
        pid=os.getpid(),
        host=socket.gethostname(),
        started=datetime.now(UTC).isoformat(timespec="seconds"),
        command=command,
        alive=True,
    )
    body = json.dumps(holder.to_dict(), ensure_ascii=False).encode("utf-8")
    os.ftruncate(fd, 0)
    os.pwrite(fd, body, 0)
    return JobLock(path, fd, holder)


def read_holder(folder: Path) -> LockHolder | None:
    """The job that holds (or held, if it died) the lock, from the lock file's body.

    ``alive`` tells whether that process still runs (``None`` if it runs on another host). The
    lock itself is not touched, so reading never gets in a starting job's way.
    """
    try:
        data = json.loads((folder / LOCK_FILE).read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("pid"), int):
        return None
    host = str(data.get("host", ""))
    pid = int(data["pid"])
    alive = pid_alive(pid) if host == socket.gethostname() else None
    return LockHolder(
        pid=pid,
        host=host,
        started=str(data.get("started", "")),
        command=str(data.get("command", "")),
        alive=alive,
    )


def _locked(path: Path, wait: float) -> IndexLockedError:
    holder = read_holder(path.parent)
    who = holder.describe() if holder is not None else "another process"
    waited = f" after waiting {wait:g}s" if wait > 0 else ""
    return IndexLockedError(
        f"another job is writing to the index in {path.parent} ({who}); gave up{waited}. "
        "Let it finish, or pass --wait SECONDS to wait for it"
    )


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
