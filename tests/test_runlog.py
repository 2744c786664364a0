import subprocess
import sys
from pathlib import Path

from corpsearch.runlog import MAX_RUNS, RUNS_FILE, read_runs, write_run


def test_a_run_is_replaced_by_its_final_record(tmp_path: Path) -> None:
    import os
    import socket

    record = {"id": "r1", "status": "running", "pid": os.getpid(), "host": socket.gethostname()}
    write_run(tmp_path, record)
    assert [r["status"] for r in read_runs(tmp_path)] == ["running"]
    write_run(tmp_path, {**record, "status": "ok"})
    assert [r["status"] for r in read_runs(tmp_path)] == ["ok"]


def test_history_is_bounded(tmp_path: Path) -> None:
    for number in range(MAX_RUNS + 15):
        write_run(tmp_path, {"id": f"r{number}", "status": "ok"})
    runs = read_runs(tmp_path)
    assert len(runs) == MAX_RUNS
    assert runs[0]["id"] == "r15" and runs[-1]["id"] == f"r{MAX_RUNS + 14}"
    assert [r["id"] for r in read_runs(tmp_path, 2)] == [f"r{MAX_RUNS + 13}", f"r{MAX_RUNS + 14}"]
    assert len((tmp_path / RUNS_FILE).read_text().splitlines()) == MAX_RUNS


def test_a_running_record_of_a_dead_process_reads_as_died(tmp_path: Path) -> None:
    import socket

    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(child.stdout)
    write_run(
        tmp_path, {"id": "r1", "status": "running", "pid": dead_pid, "host": socket.gethostname()}
    )
    assert read_runs(tmp_path)[0]["status"] == "died"


def test_torn_lines_are_skipped(tmp_path: Path) -> None:
    (tmp_path / RUNS_FILE).write_text('{"id": "a", "status": "ok"}\n{"id": "b", "sta', "utf-8")
    assert [r["id"] for r in read_runs(tmp_path)] == ["a"]
