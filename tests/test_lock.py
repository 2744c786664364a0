import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpsearch.errors import IndexLockedError
from corpsearch.lock import LOCK_FILE, acquire, read_holder

HOLD = """
import sys, time
from pathlib import Path
from corpsearch.lock import acquire
lock = acquire(Path(sys.argv[1]))
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


def test_a_lock_left_by_a_killed_job_is_taken_over(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        with pytest.raises(IndexLockedError, match=f"process {child.pid}"):
            acquire(tmp_path)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        dead = read_holder(tmp_path)
        assert dead is not None and dead.pid == child.pid and dead.alive is False
        with acquire(tmp_path) as lock:
            assert lock.holder.pid == os.getpid()
    finally:
        child.kill()
        child.wait(10)
        if child.stdout is not None:
            child.stdout.close()
