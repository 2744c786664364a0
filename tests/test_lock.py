import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpsearch import Index
from corpsearch.errors import IndexLockedError
from corpsearch.lock import LOCK_FILE, acquire, read_holder

from .conftest import ENGINE_SETUPS, SEED_HTML, SEED_TEXT

# A job that holds the job lock and the engine's writer, with a page added but not committed.
HOLD = """
import sys, time
from pathlib import Path
from corpsearch import Index
from corpsearch.engine import ALL_ENGINES
from corpsearch.lock import acquire
lock = acquire(Path(sys.argv[1]))
index = Index.open(sys.argv[1])
writer = index.engine.writer()
writer.delete_article("none")
print("held", flush=True)
time.sleep(60)
"""


def test_the_holder_is_recorded_and_cleared_on_release(tmp_path: Path) -> None:
    with acquire(tmp_path, command="corpsearch index") as lock:
        holder = read_holder(tmp_path)
        assert holder is not None
        assert holder.pid == os.getpid()
        assert holder.alive is True
        assert holder.command == "corpsearch index"
        assert lock.holder.started == holder.started
    assert read_holder(tmp_path) is None
    assert (tmp_path / LOCK_FILE).exists()


def test_a_second_job_gives_up_naming_the_first(tmp_path: Path) -> None:
    with acquire(tmp_path):
        with pytest.raises(IndexLockedError) as caught:
            acquire(tmp_path)
        assert f"process {os.getpid()}" in str(caught.value)
        assert "--wait" in str(caught.value)
        started = time.monotonic()
        with pytest.raises(IndexLockedError, match=r"after waiting 0\.3s"):
            acquire(tmp_path, wait=0.3)
        assert time.monotonic() - started >= 0.3
    acquire(tmp_path).release()


@pytest.mark.parametrize("engine", ENGINE_SETUPS)
def test_one_engine_writer_at_a_time(tmp_path: Path, engine: str, dsn: str | None) -> None:
    """Below the job lock each engine has its own: a second writer is refused, not mixed in."""
    with Index.create(tmp_path, engine=engine, dsn=dsn) as first, Index.open(tmp_path) as second:
        writer = first.engine.writer()
        with pytest.raises(IndexLockedError, match="another job is writing"):
            second.add([SEED_TEXT])
        writer.cancel()
        second.add([SEED_TEXT])
        assert second.count() == {"article": 1, "comment": 5}


@pytest.mark.parametrize("engine", ENGINE_SETUPS)
def test_a_failed_write_releases_the_engines_lock(
    tmp_path: Path, engine: str, dsn: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run stopped half-way (here by Ctrl-C while a page is read) commits nothing and leaves
    the index writable by the next run in the same process."""
    import corpsearch.index

    real_extract = corpsearch.index.extract

    def interrupted(document: object, options: object = None) -> object:
        if str(document.ref.path).endswith(".html"):  # type: ignore[attr-defined]
            raise KeyboardInterrupt
        return real_extract(document, options)  # type: ignore[arg-type]

    with Index.create(tmp_path, engine=engine, dsn=dsn) as index:
        monkeypatch.setattr(corpsearch.index, "extract", interrupted)
        with pytest.raises(KeyboardInterrupt):
            index.add([SEED_TEXT, SEED_HTML])
        assert index.count() == {"article": 0, "comment": 0}
        monkeypatch.setattr(corpsearch.index, "extract", real_extract)
        index.add([SEED_TEXT])
        assert index.count() == {"article": 1, "comment": 5}


@pytest.mark.parametrize("engine", ENGINE_SETUPS)
def test_a_lock_left_by_a_killed_job_is_taken_over(
    tmp_path: Path, engine: str, dsn: str | None
) -> None:
    Index.create(tmp_path, engine=engine, dsn=dsn).close()
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        with pytest.raises(IndexLockedError, match=f"process {child.pid}"):
            acquire(tmp_path)
        with Index.open(tmp_path) as index, pytest.raises(IndexLockedError):
            index.add([SEED_TEXT])
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        dead = read_holder(tmp_path)
        assert dead is not None and dead.pid == child.pid and dead.alive is False
        with acquire(tmp_path) as lock:
            assert lock.holder.pid == os.getpid()
            with Index.open(tmp_path) as index:  # the engine's own lock went with the job
                index.add([SEED_TEXT])
                assert index.count() == {"article": 1, "comment": 5}
    finally:
        child.kill()
        child.wait(10)
        if child.stdout is not None:
            child.stdout.close()
