"""Watches across `kill -9`: a job killed after a commit and before its delivery, or in the
middle of a delivery, delivers on the next run: every hit, and to a file none twice."""

from __future__ import annotations

import json
import shlex
import signal
import sqlite3
import sys
import time
from pathlib import Path

from corpsearch import Index
from corpsearch.config import JobSettings
from corpsearch.watch_delivery import add_watch
from corpsearch.watch_state import STATE_FILE
from corpsearch.watches import Watch

from .pagegen import comment_word, headline_word, make_pages
from .test_jobs_cli import corpsearch, start, summary_of

QUERY = f"chupachups OR headline:({headline_word(3)} OR {headline_word(41)})"


def _ids(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def _committed_pending(index_dir: Path) -> int:
    path = index_dir / STATE_FILE
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            row = db.execute("SELECT count(*) FROM pending WHERE committed = 1").fetchone()
    except sqlite3.OperationalError:
        return 0  # the table is being created
    return int(row[0])


def _expected(index_dir: Path) -> list[str]:
    with Index.open(index_dir) as index:
        return sorted(hit.id for hit in index.iter_hits(QUERY))


def test_kill_9_between_commit_and_delivery_then_rerun(tmp_path: Path, engine: str) -> None:
    pages, index_dir, out = tmp_path / "pages", tmp_path / "index", tmp_path / "hits.jsonl"
    make_pages(pages, 1)
    args = ("index", pages, "--index", index_dir, "--engine", engine, "--workers", "1")
    summary_of(corpsearch(*args, "--json"))
    add_watch(index_dir, JobSettings(index=index_dir), Watch("w", QUERY, targets=(f"jsonl:{out}",)))
    count = 60
    make_pages(pages, count - 1, start=1)
    # One page per commit: the kill comes after the first commits, long before the delivery.
    job = start(*args, "--batch", "1")
    deadline = time.monotonic() + 120
    while _committed_pending(index_dir) < 3 and job.poll() is None:
        assert time.monotonic() < deadline, "the job never committed"
        time.sleep(0.01)
    job.send_signal(signal.SIGKILL)
    job.communicate(timeout=30)
    assert job.returncode == -signal.SIGKILL, "the job finished before it could be killed"
    assert _ids(out) == []  # nothing was delivered: the articles wait in the state file
    assert _committed_pending(index_dir) >= 3

    final = summary_of(corpsearch(*args, "--json"))
    assert final["status"] == "ok"
    expected = _expected(index_dir)
    # every page's comment with chupachups, and the two articles with the words in the headline
    # (page 0 was indexed before the watch was added, so its hits are not new)
    assert len(expected) == count + 2
    new = _new_hits(index_dir)
    assert len(new) == count - 1 + 2
    assert sorted(_ids(out)) == new  # every hit, none twice
    again = summary_of(corpsearch(*args, "--json"))
    assert again["watches"]["found"] == {"w": 0} or again["watches"]["found"] == {}
    assert sorted(_ids(out)) == new
    assert _committed_pending(index_dir) == 0


def _new_hits(index_dir: Path) -> list[str]:
    """The watch's hits on every page but page 0 (indexed before the watch was added)."""
    with Index.open(index_dir) as index:
        (first,) = index.search(f"headline:{headline_word(0)}", kind="article").hits
        return sorted(hit.id for hit in index.iter_hits(QUERY) if hit.article_id != first.id)


def test_kill_9_in_the_middle_of_a_delivery_then_rerun(tmp_path: Path) -> None:
    """A command target that kills the job the first time it is called: the file target after
    it gets every hit on the next run, once; the command gets the same delivery again."""
    pages, index_dir = tmp_path / "pages", tmp_path / "index"
    out, calls, marker = tmp_path / "hits.jsonl", tmp_path / "calls.jsonl", tmp_path / "killed"
    make_pages(pages, 1)
    args = ("index", pages, "--index", index_dir, "--workers", "1")
    summary_of(corpsearch(*args, "--json"))
    killer = (
        "import json, os, pathlib, signal, sys\n"
        "d = json.load(sys.stdin)\n"
        f"calls, marker = pathlib.Path({str(calls)!r}), pathlib.Path({str(marker)!r})\n"
        "with calls.open('a') as f: f.write(json.dumps(d) + '\\n')\n"
        "if not marker.exists():\n"
        "    marker.touch()\n"
        "    os.kill(os.getppid(), signal.SIGKILL)\n"
    )
    targets = (
        f"jsonl:{out}",
        f"command:{shlex.join([sys.executable, '-c', killer])}",
        f"jsonl:{out}.2",
    )
    add_watch(index_dir, JobSettings(index=index_dir), Watch("w", QUERY, targets=targets))
    make_pages(pages, 5, start=1)
    killed = corpsearch(*args)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    new = _new_hits(index_dir)
    assert len(new) == 5 + 1  # five comments with chupachups, the headline of page 3
    assert sorted(_ids(out)) == new  # the first target had its delivery; the third had not
    assert _ids(Path(f"{out}.2")) == []

    final = summary_of(corpsearch(*args, "--json"))
    assert final["watches"]["failures"] == []
    assert sorted(_ids(out)) == new
    assert sorted(_ids(Path(f"{out}.2"))) == new
    first, second = [json.loads(line) for line in calls.read_text().splitlines()]
    assert first["delivery"] == second["delivery"] and first["hits"] == second["hits"]
    assert {h["id"] for h in first["hits"]} == set(_ids(out))
    assert comment_word(0) not in json.dumps(first)  # page 0 came before the watch
