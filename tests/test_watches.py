"""Watches: saved searches run after each indexing job, reporting every new hit once."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpsearch import Index
from corpsearch.cli import cli
from corpsearch.config import JobSettings
from corpsearch.errors import ConfigError, QueryError, WatchNotFoundError
from corpsearch.jobs import run_job
from corpsearch.lock import acquire
from corpsearch.watch_delivery import add_watch, remove_watch, run_watches, watch_history
from corpsearch.watch_state import STATE_FILE
from corpsearch.watches import WATCH_FILE, Watch, WatchStore

from .conftest import PAGES, SEED_HTML
from .pagegen import comment_word, headline_word, make_pages

# Matches documents of the bundled pages too, so a report of old pages would show.
QUERY = "kind:comment OR headline:assad"


def lines(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def job(pages: Path, index_dir: Path, engine: str, **values: object) -> dict[str, object]:
    settings = JobSettings(sources=(pages,), index=index_dir, engine=engine, workers=1)
    summary = run_job(settings.with_overrides(**values))
    assert summary.status == "ok", summary.error
    return summary.to_dict()


def expected_ids(index_dir: Path, query: str, article_id: str) -> set[str]:
    """What `corpsearch query` finds of one article: the article and its comments."""
    with Index.open(index_dir) as index:
        hits = index.search(f"({query}) AND article:{article_id}", limit=10_000).hits
        article = index.search(f"({query}) AND id:{article_id}", limit=10).hits
    return {hit.id for hit in [*hits, *article]}


def test_a_watch_reports_exactly_the_new_pages_hits_once(tmp_path: Path, engine: str) -> None:
    pages, index_dir, out = tmp_path / "pages", tmp_path / "index", tmp_path / "out" / "hits.jsonl"
    shutil.copytree(PAGES, pages)
    job(pages, index_dir, engine)
    with Index.open(index_dir) as index:
        old = {hit.id for hit in index.iter_hits(QUERY)}
    assert old, "the bundled pages must match the query too, or the test shows nothing"
    settings = JobSettings(index=index_dir)
    add_watch(index_dir, settings, Watch("mayor", QUERY, targets=(f"jsonl:{out}",)))

    shutil.copy(SEED_HTML, pages / "seed_page.html")  # one new page arrives
    summary = job(pages, index_dir, engine)
    assert summary["new"] == 1
    got = lines(out)
    (seed_article,) = {str(line["article_id"]) for line in got}
    expected = expected_ids(index_dir, QUERY, seed_article)
    # the seed page's article (headline Assad) and its five comments, and nothing older
    assert len(expected) == 6
    assert sorted(str(line["id"]) for line in got) == sorted(expected)
    assert not old & expected
    assert summary["watches"] == {
        "run": summary["id"],
        "found": {"mayor": 6},
        "delivered": 6,
        "failures": [],
    }
    first = got[0]
    assert first["watch"] == "mayor" and first["run"] == summary["id"]
    for key in ("headline", "author", "published", "snippet", "snippet_text", "kind", "url"):
        assert key in first
    assert any(line["author"] == "_mowaten_" for line in got)

    # Nothing new: nothing reported; the page changed (same article, same comments): the
    # documents were reported already, so still nothing.
    job(pages, index_dir, engine)
    seed = SEED_HTML.read_text(encoding="utf-8")
    (pages / "seed_page.html").write_text(seed.replace("Assad", "Assad (updated)", 1))
    summary = job(pages, index_dir, engine)
    assert summary["changed"] == 1
    assert len(lines(out)) == 6
    history = watch_history(index_dir, settings, "mayor", limit=100)
    assert sorted(h["id"] for h in history) == sorted(expected)
    assert all(h["waiting"] == [] and h["run"] == first["run"] for h in history)


def test_an_index_without_watches_gets_no_watch_files(tmp_path: Path) -> None:
    pages, index_dir = tmp_path / "pages", tmp_path / "index"
    shutil.copytree(PAGES, pages)
    summary = job(pages, index_dir, "whoosh")
    assert summary["watches"] is None
    assert not (index_dir / STATE_FILE).exists() and not (index_dir / WATCH_FILE).exists()


def test_many_pages_in_one_run_are_searched_in_slices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """Pending articles are searched a slice at a time (here 7): every hit still comes once."""
    import corpsearch.watch_delivery as delivery

    monkeypatch.setattr(delivery, "CHUNK", 7)
    monkeypatch.setattr(delivery, "DELIVERY_HITS", 5)
    pages, index_dir, out = tmp_path / "pages", tmp_path / "index", tmp_path / "hits.jsonl"
    make_pages(pages, 1)
    job(pages, index_dir, engine)
    words = " OR ".join(headline_word(n) for n in range(0, 40, 3))
    comments = " OR ".join(comment_word(n) for n in range(1, 40, 5))
    query = f"headline:({words}) OR text:({comments})"
    add_watch(index_dir, JobSettings(index=index_dir), Watch("w", query, targets=(f"jsonl:{out}",)))
    make_pages(pages, 39, start=1)
    job(pages, index_dir, engine, batch=6)
    with Index.open(index_dir) as index:
        new = {h.id for h in index.iter_hits(query) if h.headline.split()[-1] != headline_word(0)}
    got = [str(line["id"]) for line in lines(out)]
    assert len(new) == 13 + 8  # 13 articles by headline, 8 comments by their word
    assert sorted(got) == sorted(new)


def test_watch_store_refuses_bad_watches_and_keeps_the_file(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    settings = JobSettings(index=index_dir)
    add_watch(index_dir, settings, Watch("ok", "assad"))
    before = (index_dir / WATCH_FILE).read_bytes()
    for bad, error in [
        (Watch("q", 'assad "civil'), QueryError),
        (Watch("q", "assad", since="the day after"), ConfigError),
        (Watch("bad name", "assad"), ConfigError),
        (Watch("q", "assad", targets=("ftp:x",)), ConfigError),
        (Watch("q", "assad", targets=("webhook:file:///etc/passwd",)), ConfigError),
        (Watch("ok", "other"), ConfigError),
        (Watch("q", "assad", targets=("jsonl:a", "jsonl:a")), ConfigError),
    ]:
        with pytest.raises(error):
            add_watch(index_dir, settings, bad)
    assert (index_dir / WATCH_FILE).read_bytes() == before
    with pytest.raises(WatchNotFoundError):
        remove_watch(index_dir, settings, "nosuch")
    assert [w.name for w in WatchStore(index_dir / WATCH_FILE).read()] == ["ok"]


def test_watch_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    pages = tmp_path / "pages"
    shutil.copytree(PAGES, pages)
    shutil.copy(SEED_HTML, pages / "seed_page.html")
    assert runner.invoke(cli, ["index", str(pages)]).exit_code == 0

    done = runner.invoke(
        cli, ["watch", "add", "m", "author:_mowaten_", "--notify", "jsonl:m.jsonl"]
    )
    assert done.exit_code == 0, done.output
    stored = WatchStore(tmp_path / "index" / WATCH_FILE).get("m")
    assert stored.targets == (f"jsonl:{tmp_path / 'm.jsonl'}",)  # made absolute for the job
    refused = runner.invoke(cli, ["watch", "add", "x", "author:(_mowaten_"])
    assert refused.exit_code == 2 and "position" in refused.output
    assert runner.invoke(cli, ["watch", "add", "m", "again"]).exit_code == 2

    listed = runner.invoke(cli, ["watch", "list"])
    assert listed.exit_code == 0 and "m: 'author:_mowaten_'" in listed.output
    assert "0 hit(s) so far" in listed.output

    # run: every hit not reported before, printed and delivered; the second run finds none
    ran = runner.invoke(cli, ["watch", "run", "m", "--format", "jsonl"])
    assert ran.exit_code == 0, ran.output
    printed = [json.loads(line) for line in ran.stdout.splitlines()]
    with Index.open(tmp_path / "index") as index:
        expected = [h.id for h in index.iter_hits("author:_mowaten_", sort="date")]
    assert len(expected) == 4
    assert [p["id"] for p in printed] == expected
    assert [line["id"] for line in lines(tmp_path / "m.jsonl")] == expected
    again = runner.invoke(cli, ["watch", "run"])
    assert again.exit_code == 0 and again.stdout == ""
    assert "0 new hit(s)" in again.stderr

    shown = runner.invoke(cli, ["watch", "show", "m"])
    assert shown.exit_code == 0
    assert "hits reported so far: 4" in shown.output and "0 waiting" in shown.output
    as_json = json.loads(runner.invoke(cli, ["watch", "show", "m", "--json"]).output)
    assert as_json["hits"] == 4 and as_json["target_status"][0]["waiting"] == 0
    history = runner.invoke(cli, ["watch", "history", "m", "--json"]).output.splitlines()
    assert [json.loads(h)["id"] for h in history] == expected[::-1]
    assert runner.invoke(cli, ["watch", "show", "nosuch"]).exit_code == 1
    assert runner.invoke(cli, ["watch", "rm", "m"]).exit_code == 0
    assert runner.invoke(cli, ["watch", "rm", "m"]).exit_code == 1
    assert "no watches" in runner.invoke(cli, ["watch", "list"]).output


def test_the_watch_file_named_in_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    shutil.copytree(PAGES, site / "pages")
    (site / "corpsearch.toml").write_text(
        'sources = ["pages"]\nindex = "idx"\nwatches = "conf/watches.json"\n', encoding="utf-8"
    )
    monkeypatch.chdir(site)
    runner = CliRunner()
    added = runner.invoke(cli, ["watch", "add", "a", "headline:assad", "--notify", "jsonl:a.jsonl"])
    assert added.exit_code == 0, added.output
    assert (site / "conf" / "watches.json").is_file()
    assert not (site / "idx" / WATCH_FILE).exists()
    assert runner.invoke(cli, ["index"]).exit_code == 0
    shutil.copy(SEED_HTML, site / "pages" / "seed.html")
    done = runner.invoke(cli, ["index", "--json"])
    assert done.exit_code == 0, done.output
    assert [line["kind"] for line in lines(site / "a.jsonl")] == ["article"]
    assert "1 new watch hit(s)" in done.stderr


def test_watch_run_with_no_index_says_what_to_do(tmp_path: Path) -> None:
    settings = JobSettings(index=tmp_path / "index")
    add_watch(tmp_path / "index", settings, Watch("a", "assad"))
    with pytest.raises(Exception, match="build one with"):
        run_watches(tmp_path / "index", settings)


def test_a_rebuild_reports_only_what_the_replaced_generation_lacked(
    tmp_path: Path, engine: str
) -> None:
    """A rebuild adds every article again; documents the index held already are not new."""
    pages, index_dir, out = tmp_path / "pages", tmp_path / "index", tmp_path / "hits.jsonl"
    shutil.copytree(PAGES, pages)
    job(pages, index_dir, engine)
    add_watch(index_dir, JobSettings(index=index_dir), Watch("w", QUERY, targets=(f"jsonl:{out}",)))
    shutil.copy(SEED_HTML, pages / "seed_page.html")  # arrives with the rebuild
    summary = job(pages, index_dir, engine, rebuild=True)
    assert summary["generation"] == "gen-000002"
    got = lines(out)
    (seed_article,) = {str(line["article_id"]) for line in got}
    assert sorted(str(line["id"]) for line in got) == sorted(
        expected_ids(index_dir, QUERY, seed_article)
    )
    assert len(got) == 6


def test_watch_run_waits_for_a_running_job(tmp_path: Path) -> None:
    """`watch run` takes the index's lock, so it never delivers what a job delivers."""
    pages, index_dir = tmp_path / "pages", tmp_path / "index"
    shutil.copytree(PAGES, pages)
    job(pages, index_dir, "whoosh")
    add_watch(index_dir, JobSettings(index=index_dir), Watch("w", "kind:comment"))
    runner = CliRunner()
    with acquire(index_dir):
        held = runner.invoke(cli, ["watch", "run", "--index", str(index_dir)])
    assert held.exit_code == 3 and f"process {os.getpid()}" in held.output
    assert watch_history(index_dir, JobSettings(index=index_dir), "w") == []
    ran = runner.invoke(cli, ["watch", "run", "--index", str(index_dir), "--wait", "5"])
    assert ran.exit_code == 0 and "5 new hit(s) for 1 watch(es)" in ran.stderr
