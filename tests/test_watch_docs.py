"""The watch set-up documented in docs/jobs.md, run as written (with the paths made local)."""

from __future__ import annotations

import json
import shlex
import signal
import subprocess
import time
import tomllib
from pathlib import Path

from corpsearch.config import load_config
from corpsearch.runlog import read_runs

from .pagegen import make_pages, page_html, page_path
from .test_jobs_cli import (
    DOCS,
    _docs_config,
    _docs_line,
    _localise,
    corpsearch,
    search_ids,
    start,
    summary_of,
)


def test_the_documented_watch_and_cron_line(tmp_path: Path) -> None:
    site = tmp_path / "srv" / "corpsearch"
    make_pages(site / "pages", 3)
    (site / "corpsearch.toml").write_text(_docs_config(), encoding="utf-8")
    cron = _docs_line(r"^\*/15 \* \* \* \* ").split(None, 5)[5]
    assert subprocess.run(["sh", "-c", _localise(cron, site)], timeout=300).returncode == 0

    add = _docs_line(r"^corpsearch watch add ")
    argv = shlex.split(_localise(add.replace("corpsearch", "/usr/local/bin/corpsearch", 1), site))
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page_path(site / "pages", 3).parent.mkdir(parents=True, exist_ok=True)
    page_path(site / "pages", 3).write_text(page_html(3), encoding="utf-8")
    assert subprocess.run(["sh", "-c", _localise(cron, site)], timeout=300).returncode == 0
    lines = [json.loads(x) for x in (site / "mayor.jsonl").read_text().splitlines()]
    # the new page's comment with the word, not those of the three pages indexed before
    assert [(line["watch"], line["kind"]) for line in lines] == [("mayor", "comment")]
    assert "new watch hit" in (site / "index.log").read_text()


def test_the_documented_watch_settings_are_read(tmp_path: Path) -> None:
    text = DOCS.read_text(encoding="utf-8")
    block = text.split("Keys of `corpsearch.toml` for watches", 1)[1].split("```toml\n", 1)[1]
    block = block.split("```", 1)[0]
    config = tmp_path / "corpsearch.toml"
    config.write_text(block, encoding="utf-8")
    settings = load_config(config)
    assert settings.watches == tmp_path / "watches.json"
    assert (settings.smtp, settings.notify_timeout, settings.notify_retries) == (
        "localhost:25",
        10.0,
        3,
    )
    assert set(tomllib.loads(block)) == {
        "watches",
        "smtp",
        "mail_from",
        "notify_timeout",
        "notify_retries",
    }


def test_schedule_delivers_after_each_run_and_an_interrupted_run_later(tmp_path: Path) -> None:
    """`corpsearch schedule` runs the watches after each run; a run stopped by SIGTERM leaves
    its hits for the next run, which delivers them once."""
    site = tmp_path / "srv" / "corpsearch"
    make_pages(site / "pages", 2)
    (site / "corpsearch.toml").write_text(_docs_config(), encoding="utf-8")
    config = site / "corpsearch.toml"
    out = site / "hits.jsonl"
    index_dir = site / "index"
    added = corpsearch(
        "watch", "add", "--config", config, "w", "chupachups", "--notify", f"jsonl:{out}"
    )
    assert added.returncode == 0, added.stderr

    job = start("schedule", "--every", "1h", "--config", config, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while not [r for r in read_runs(index_dir) if r["status"] == "ok"]:
            assert job.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        job.send_signal(signal.SIGTERM)
        _, err = job.communicate(timeout=60)
    finally:
        job.kill()
    assert job.returncode == 0, err
    assert len(_lines(out)) == 2  # the comment with the word on each page

    make_pages(site / "pages", 100, start=2)
    job = start("schedule", "--every", "1h", "--config", config, "--batch", "1", cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while len(search_ids(index_dir, "kind:article")) <= 4:
            assert job.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        job.send_signal(signal.SIGTERM)
        _, err = job.communicate(timeout=60)
    finally:
        job.kill()
    last = read_runs(index_dir)[-1]
    assert last["status"] == "interrupted", last
    assert len(_lines(out)) == 2 and last["watches"] is None
    done = summary_of(corpsearch("index", "--config", config, "--json"))
    assert done["watches"]["failures"] == []
    ids = [line["id"] for line in _lines(out)]
    assert len(ids) == len(set(ids)) == 102
    assert sorted(ids) == sorted(search_ids(index_dir, "chupachups"))


def _lines(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
