"""The indexing job as users run it: real ``corpsearch`` processes on generated pages.

These are the slow tests of the job (each runs a few seconds to half a minute).
"""

from __future__ import annotations

import json
import os
import random
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from corpsearch.engine import DEFAULT_ENGINE
from corpsearch.errors import IndexNotFoundError
from corpsearch.index import Index
from corpsearch.lock import acquire, read_holder
from corpsearch.runlog import read_runs

from .conftest import ENGINE_SETUPS, engine_args
from .pagegen import comment_word, headline_word, make_pages, page_html, page_path

BIN = Path(sys.executable).parent / "corpsearch"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "jobs.md"


def corpsearch(
    *args: str | Path, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def start(*args: str | Path, cwd: Path | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(BIN), *map(str, args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def summary_of(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    value = json.loads(result.stdout)
    assert isinstance(value, dict)
    # 4: the run finished, but some sources could not be read
    assert result.returncode == (4 if value["failed"] else 0), result.stderr
    return value


def search_ids(index_dir: Path, query: str) -> list[str]:
    with Index.open(index_dir) as index:
        return [hit.id for hit in index.search(query, limit=10_000).hits]


def wait_for_lock_holder(index_dir: Path, pid: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        holder = read_holder(index_dir)
        if holder is not None and holder.pid == pid:
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} never took the lock")


def assert_every_page_once(index_dir: Path, pages: int) -> None:
    articles = search_ids(index_dir, "kind:article")
    assert len(articles) == len(set(articles)) == pages
    comments = search_ids(index_dir, "kind:comment")
    assert len(comments) == len(set(comments)) == 5 * pages
    with Index.open(index_dir) as index:
        for n in range(pages):
            found = index.search(headline_word(n), kind="article").total
            assert found == 1, f"page {n} found {found} times"
            assert index.search(comment_word(n)).total == 1


def test_incremental_runs_edit_remove_and_status(tmp_path: Path) -> None:
    pages, index_dir = tmp_path / "pages", tmp_path / "index"
    make_pages(pages, 1000)
    broken = pages / "broken.html"
    broken.write_bytes(b"\x00\x01" * 500)

    started = time.monotonic()
    first = summary_of(corpsearch("index", pages, "--index", index_dir, "--json"))
    first_time = time.monotonic() - started
    assert (first["new"], first["failed"]) == (1000, 1)

    started = time.monotonic()
    second_run = corpsearch("index", pages, "--index", index_dir, "--json")
    second_time = time.monotonic() - started
    second = summary_of(second_run)
    assert (second["new"], second["changed"], second["unchanged"]) == (0, 0, 1000)
    assert second_time < 0.25 * first_time, (first_time, second_time)  # benchmark: under 5%
    # One summary line, after the one line that names the page still failing.
    lines = second_run.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"skipped {broken}: ")
    assert "0 new, 0 changed, 0 removed, 1000 unchanged, 1 failed" in second_run.stderr

    page_path(pages, 10).write_text(page_html(10).replace("Harf stressed", "Harf wombat stressed"))
    gone = search_ids(index_dir, headline_word(20))
    page_path(pages, 20).unlink()
    third = summary_of(corpsearch("index", pages, "--index", index_dir, "--json"))
    assert (third["new"], third["changed"], third["removed"]) == (0, 1, 1)
    assert len(search_ids(index_dir, "wombat")) == 1
    assert len(gone) == 1
    assert search_ids(index_dir, f"id:{gone[0]} OR article:{gone[0]}") == []
    assert search_ids(index_dir, comment_word(20)) == []
    query = corpsearch("query", comment_word(20), "--index", index_dir, "--format", "json")
    assert query.returncode == 0 and json.loads(query.stdout)["total"] == 0

    status = json.loads(corpsearch("status", "--index", index_dir, "--json").stdout)
    assert status["running"] is None
    assert status["counts"] == {"article": 999, "comment": 4995}
    runs = status["runs"]
    assert [(r["status"], r["new"], r["changed"], r["removed"]) for r in runs] == [
        ("ok", 1000, 0, 0),
        ("ok", 0, 0, 0),
        ("ok", 0, 1, 1),
    ]
    assert all(r["failed"] == 1 for r in runs)
    assert runs[-1]["failures"][0]["source"] == str(broken)
    assert "binary" in runs[-1]["failures"][0]["reason"]
    text = corpsearch("status", "--index", index_dir)
    assert text.returncode == 0
    assert "no job running now" in text.stdout
    assert f"{broken}: " in text.stdout


def _has_started(index_dir: Path, pid: int) -> bool:
    return any(r.get("pid") == pid for r in read_runs(index_dir))


def _holds_lock_while_running(index_dir: Path, job: subprocess.Popen[str]) -> bool:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and job.poll() is None:
        holder = read_holder(index_dir)
        if holder is not None and holder.pid == job.pid and _has_started(index_dir, job.pid):
            return True
        time.sleep(0.02)
    return False


def _give_work(pages: Path, count: int, round_no: int) -> None:
    """Change every page's bytes (not its text), so the next run replaces every document."""
    for n in range(count):
        path = page_path(pages, n)
        path.write_text(page_html(n) + f"<!-- round {round_no} -->\n", encoding="utf-8")


@pytest.mark.parametrize("engine", ENGINE_SETUPS)
def test_kill_9_at_random_points_then_rerun(tmp_path: Path, engine: str, dsn: str | None) -> None:
    pages, index_dir = tmp_path / "pages", tmp_path / "index"
    # On postgres the server's transaction is what a kill tests; a shorter job cuts it as often.
    count = 60 if engine == "postgres" else 150
    make_pages(pages, count)
    seed = int(os.environ.get("CORPSEARCH_KILL_SEED", random.randrange(10**6)))
    rng = random.Random(seed)
    args = ("index", pages, "--index", index_dir, "--batch", "20", "--workers", "2")
    args += engine_args(engine, dsn)
    # A job's length depends on the engine and the machine's load, so a kill that came too late
    # is tried again, sooner, on pages changed to give the next job the whole corpus to replace.
    kills, latest, rounds = 0, 2.5, 0
    while kills < 3 and rounds < 12:
        rounds += 1
        job = start(*args)
        if not _holds_lock_while_running(index_dir, job):
            job.communicate(timeout=30)
            latest /= 2
            _give_work(pages, count, rounds)
            continue
        time.sleep(rng.uniform(0.0, latest))
        workers = _children(job.pid)
        job.send_signal(signal.SIGKILL)
        job.communicate(timeout=30)
        ended = [r["status"] for r in read_runs(index_dir) if r.get("pid") == job.pid]
        if job.returncode == 0 or ended == ["ok"]:
            # it finished (the kill, if any, only cut its exit short): no work was cut off
            latest /= 2
            _give_work(pages, count, rounds)
            continue
        kills += 1
        _assert_gone(workers)
        # the last commit is searchable and no article is without its comments (a job killed
        # before the first commit of a new index leaves none, and says so)
        try:
            with Index.open(index_dir) as index:
                counts = index.count()
        except IndexNotFoundError:
            counts = {"article": 0, "comment": 0}
        assert counts["comment"] == 5 * counts["article"], f"seed {seed}"
        acquire(index_dir).release()  # the dead job's lock is free
    assert kills >= 1, f"seed {seed}: no job was still running when it was killed"
    final = summary_of(corpsearch(*args, "--json"))
    assert final["status"] == "ok"
    assert_every_page_once(index_dir, count)
    statuses = [r["status"] for r in read_runs(index_dir)]
    assert statuses[-1] == "ok"
    assert statuses.count("died") == kills, f"seed {seed}: {statuses}"
    again = summary_of(corpsearch(*args, "--json"))
    assert (again["new"], again["changed"], again["unchanged"]) == (0, 0, count)


def test_two_jobs_at_once(tmp_path: Path, engine: str) -> None:
    pages, index_dir = tmp_path / "pages", tmp_path / "index"
    make_pages(pages, 150)  # a job long enough to outlast the commands run while it holds the lock
    first = start("index", pages, "--index", index_dir, "--workers", "1", "--engine", engine)
    try:
        wait_for_lock_holder(index_dir, first.pid)
        refused = corpsearch("index", pages, "--index", index_dir)
        assert refused.returncode == 3, refused.stderr
        assert f"process {first.pid}" in refused.stderr
        assert "started 20" in refused.stderr
        status = json.loads(corpsearch("status", "--index", index_dir, "--json").stdout)
        assert status["running"]["pid"] == first.pid
        waited = summary_of(
            corpsearch("index", pages, "--index", index_dir, "--wait", "120", "--json")
        )
        assert (waited["new"], waited["unchanged"]) == (0, 150)
        # the second ran only after the first had finished (whose process may still be exiting)
        assert first.wait(timeout=60) == 0
        (ran_first,) = [r for r in read_runs(index_dir) if r["pid"] == first.pid]
        assert ran_first["status"] == "ok" and waited["started"] >= ran_first["ended"]
        with Index.open(index_dir) as index:
            assert index.engine.name == engine
    finally:
        first.kill()
        first.communicate()


def test_searches_during_a_job_and_a_rebuild(tmp_path: Path, engine: str) -> None:
    pages, index_dir = tmp_path / "pages", tmp_path / "index"
    # Half the pages on tantivy, whose commits are quicker: still several commits go by.
    count = 60 if engine == "whoosh" else 30
    make_pages(pages, count)
    first = corpsearch("index", pages, "--index", index_dir, "--workers", "1", "--engine", engine)
    assert first.returncode == 0, first.stderr
    rng = random.Random(7)

    def check_consistent(index: Index) -> int:
        counts = index.count()
        assert counts["comment"] == 5 * counts["article"]
        n = rng.randrange(2 * count)
        found = index.search(headline_word(n), kind="article").hits
        if found:
            # the article and all its comments, never an article without them
            assert index.search(f"id:{found[0].id} OR article:{found[0].id}").total == 6
        return counts["article"]

    make_pages(pages, count, start=count)  # a second half arrives
    job = start("index", pages, "--index", index_dir, "--batch", "10", "--workers", "1")
    seen = set()
    cli_results: list[subprocess.CompletedProcess[str]] = []

    def cli_queries() -> None:  # the command line searches at the same time
        while job.poll() is None:
            cli_results.append(
                corpsearch("query", "assad", "--index", index_dir, "--format", "json")
            )

    searcher = threading.Thread(target=cli_queries)
    searcher.start()
    with Index.open(index_dir) as long_lived:
        while job.poll() is None:
            seen.add(check_consistent(long_lived))
            with Index.open(index_dir) as fresh:
                check_consistent(fresh)
        assert job.wait() == 0, job.stderr.read() if job.stderr else ""
        job.communicate()
        assert check_consistent(long_lived) == 2 * count  # a long-lived reader sees the last commit
    searcher.join()
    assert cli_results and all(r.returncode == 0 for r in cli_results), cli_results
    assert len(seen) >= 2  # the readers saw commits go by

    rebuild = start("index", pages, "--index", index_dir, "--rebuild", "--batch", "10")
    while rebuild.poll() is None:
        with Index.open(index_dir) as index:
            assert check_consistent(index) == 2 * count  # the old index until the swap
    assert rebuild.wait() == 0
    rebuild.communicate()
    assert (index_dir / "CURRENT").read_text().strip() == "gen-000002"
    assert_every_page_once(index_dir, 2 * count)
    with Index.open(index_dir) as index:
        assert index.engine.name == engine  # the rebuild kept the engine


def _docs_line(pattern: str) -> str:
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if re.match(pattern, line):
            return line
    raise AssertionError(f"no line matching {pattern!r} in {DOCS}")


def _docs_config() -> str:
    match = re.search(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert match is not None
    return match.group(1)


def _site(tmp_path: Path, pages: int) -> Path:
    site = tmp_path / "srv" / "corpsearch"
    make_pages(site / "pages", pages)
    (site / "corpsearch.toml").write_text(_docs_config(), encoding="utf-8")
    return site


def _localise(command: str, site: Path) -> str:
    return command.replace("/usr/local/bin/corpsearch", shlex.quote(str(BIN))).replace(
        "/srv/corpsearch", shlex.quote(str(site))
    )


def test_the_documented_cron_and_systemd_commands(tmp_path: Path) -> None:
    site = _site(tmp_path, 20)
    cron = _docs_line(r"^\*/15 \* \* \* \* ").split(None, 5)[5]
    result = subprocess.run(
        ["sh", "-c", _localise(cron, site)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    log = (site / "index.log").read_text()
    assert "ok: 20 new, 0 changed" in log
    assert len(search_ids(site / "index", "kind:article")) == 20

    workdir = _docs_line(r"^WorkingDirectory=").split("=", 1)[1]
    exec_start = _docs_line(r"^ExecStart=").split("=", 1)[1]
    page_path(site / "pages", 3).unlink()
    result = subprocess.run(
        shlex.split(_localise(exec_start, site)),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=_localise(workdir, site),
    )
    summary = summary_of(result)
    assert (summary["removed"], summary["unchanged"]) == (1, 19)


def test_the_documented_schedule_command_stops_cleanly(tmp_path: Path, engine: str) -> None:
    # On whoosh, the engine that is not the default, named in the configuration file; on
    # tantivy (the default, not named) with a smaller site.
    first, more = (60, 200) if engine == "whoosh" else (20, 40)
    site = _site(tmp_path, first)
    if engine != DEFAULT_ENGINE:
        with (site / "corpsearch.toml").open("a", encoding="utf-8") as config:
            config.write(f'engine = "{engine}"\n')
    command = shlex.split(_localise(_docs_line(r"^corpsearch schedule .*--config"), site))
    assert command[0] == "corpsearch"
    index_dir = site / "index"

    job = start(*command[1:], cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while not [r for r in read_runs(index_dir) if r["status"] == "ok"]:
            assert job.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        job.send_signal(signal.SIGINT)  # Ctrl-C between runs
        _, err = job.communicate(timeout=30)
    finally:
        job.kill()
    assert job.returncode == 0, err
    assert "stopped" in err
    assert read_holder(index_dir) is None
    acquire(index_dir).release()
    assert [r["status"] for r in read_runs(index_dir)] == ["ok"]

    # SIGTERM in the middle of a run: what is done is committed, the lock released
    make_pages(site / "pages", more, start=first)
    job = start(*command[1:], "--batch", "10", "--workers", "1", cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while _articles(index_dir) <= first:
            assert job.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        job.send_signal(signal.SIGTERM)
        _, err = job.communicate(timeout=30)
    finally:
        job.kill()
    assert job.returncode == 0, err
    assert read_holder(index_dir) is None
    last = read_runs(index_dir)[-1]
    assert last["status"] == "interrupted", last
    assert 0 < last["new"] < more
    rest = summary_of(corpsearch("index", "--config", site / "corpsearch.toml", "--json"))
    assert rest["new"] == more - last["new"]
    assert_every_page_once(index_dir, first + more)
    with Index.open(index_dir) as index:
        assert index.engine.name == engine


def _articles(index_dir: Path) -> int:
    with Index.open(index_dir) as index:
        return index.count()["article"]


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _assert_gone(pids: list[int], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    for pid in pids:
        while Path(f"/proc/{pid}").exists():
            status = (
                Path(f"/proc/{pid}/status").read_text() if Path(f"/proc/{pid}").exists() else ""
            )
            if "zombie" in status:
                break
            assert time.monotonic() < deadline, f"worker {pid} outlived the killed job"
            time.sleep(0.05)


def test_progress_line_on_a_terminal(tmp_path: Path) -> None:
    import pty

    pages, index_dir = tmp_path / "pages", tmp_path / "index"
    make_pages(pages, 30)
    master, slave = pty.openpty()
    try:
        job = subprocess.Popen(
            [str(BIN), "index", pages, "--index", index_dir, "--workers", "1", "--batch", "5"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=slave,
        )
        os.close(slave)
        output = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the terminal closed: the job ended
                break
            if not chunk:
                break
            output += chunk
        assert job.wait(timeout=120) == 0
    finally:
        os.close(master)
    text = output.decode()
    assert re.search(r"\rindexing \d+/30 files, \d+ articles \(\d+ files/s, \d+s left\)", text)
    assert "indexing 30/30 files, 30 articles" in text
    assert "ok: 30 new, 0 changed" in text
