"""The indexing job in-process, on generated copies of the seed page (see pagegen.py)."""

import threading
from pathlib import Path

import pytest

from corpsearch.config import JobSettings
from corpsearch.generations import CURRENT_FILE, current_generation, generation_folders, resolve
from corpsearch.index import Index
from corpsearch.jobs import Progress, run_job
from corpsearch.lock import LOCK_FILE
from corpsearch.manifest import JOURNAL_FILE, Manifest
from corpsearch.runlog import RUNS_FILE, read_runs

from .conftest import ENGINE_SETUPS
from .pagegen import comment_word, headline_word, make_pages, page_html, page_path

PAGES = 12


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    make_pages(folder, PAGES)
    return folder


def settings(corpus: Path, **values: object) -> JobSettings:
    return JobSettings(sources=(corpus,), index=corpus.parent / "index", workers=1, **values)  # type: ignore[arg-type]


def hits(index_dir: Path, query: str) -> list[str]:
    with Index.open(index_dir) as index:
        return [h.id for h in index.search(query, limit=1000).hits]


def counts(index_dir: Path) -> dict[str, int]:
    with Index.open(index_dir) as index:
        return index.count()


@pytest.mark.parametrize("engine", ENGINE_SETUPS)
def test_second_run_changes_nothing(corpus: Path, engine: str, dsn: str | None) -> None:
    # The same job on every engine.
    first = run_job(settings(corpus, engine=engine, dsn=dsn))
    assert (first.new, first.changed, first.unchanged, first.failed) == (PAGES, 0, 0, 0)
    index_dir = corpus.parent / "index"
    engine_files = sorted(p.name for p in resolve(index_dir).rglob("*"))
    manifest_time = (resolve(index_dir) / "manifest.json").stat().st_mtime_ns
    second = run_job(settings(corpus, engine=engine, dsn=dsn))
    assert (second.new, second.changed, second.removed, second.unchanged) == (0, 0, 0, PAGES)
    assert sorted(p.name for p in resolve(index_dir).rglob("*")) == engine_files
    assert (resolve(index_dir) / "manifest.json").stat().st_mtime_ns == manifest_time
    assert not (resolve(index_dir) / JOURNAL_FILE).exists()
    assert counts(index_dir) == {"article": PAGES, "comment": 5 * PAGES}
    assert [r["status"] for r in read_runs(index_dir)] == ["ok", "ok"]
    with Index.open(index_dir) as index:
        assert index.engine.name == engine


def test_edit_touch_and_remove(corpus: Path, engine: str) -> None:
    # The same job on every engine.
    index_dir = corpus.parent / "index"
    run_job(settings(corpus, engine=engine))
    edited = page_path(corpus, 3)
    edited.write_text(page_html(3).replace("Harf stressed", "Harf zebracrossing stressed"))
    touched = page_path(corpus, 4)
    touched.write_text(touched.read_text())  # new time, same content
    article_5 = hits(index_dir, headline_word(5))
    page_path(corpus, 5).unlink()

    summary = run_job(settings(corpus, engine=engine))
    assert (summary.new, summary.changed, summary.removed) == (0, 1, 1)
    assert summary.unchanged == PAGES - 2
    assert len(hits(index_dir, "zebracrossing")) == 1
    assert len(hits(index_dir, headline_word(3))) == 1
    assert len(article_5) == 1
    assert hits(index_dir, f"id:{article_5[0]} OR article:{article_5[0]}") == []
    assert hits(index_dir, comment_word(5)) == []
    assert counts(index_dir) == {"article": PAGES - 1, "comment": 5 * (PAGES - 1)}
    again = run_job(settings(corpus, engine=engine))
    assert (again.new, again.changed, again.removed, again.unchanged) == (0, 0, 0, PAGES - 1)


def test_keep_removed_and_missing_sources_keep_articles(corpus: Path) -> None:
    index_dir = corpus.parent / "index"
    run_job(settings(corpus))
    page_path(corpus, 0).unlink()
    kept = run_job(settings(corpus, keep_removed=True))
    assert kept.removed == 0
    assert len(hits(index_dir, headline_word(0))) == 1
    # a source folder that is gone (an unmounted disk) is a failure, not a mass deletion
    moved = corpus.parent / "elsewhere"
    corpus.rename(moved)
    missing = run_job(settings(corpus))
    assert (missing.removed, missing.failed) == (0, 1)
    assert "no such file or folder" in missing.failures[0].reason
    assert counts(index_dir)["article"] == PAGES
    moved.rename(corpus)
    back = run_job(settings(corpus))
    assert (back.removed, back.unchanged) == (1, PAGES - 1)


def test_failures_are_reported_and_retried(corpus: Path, engine: str) -> None:
    # The same job on every engine.
    index_dir = corpus.parent / "index"
    broken = corpus / "broken.html"
    broken.write_bytes(b"\x00\x01binary" * 100)
    summary = run_job(settings(corpus, engine=engine))
    assert (summary.new, summary.failed) == (PAGES, 1)
    assert summary.failures[0].source == str(broken)
    assert "binary" in summary.failures[0].reason
    assert str(broken) not in Manifest.load(resolve(index_dir)).entries
    assert run_job(settings(corpus, engine=engine)).failed == 1
    broken.write_text(page_html(99))
    fixed = run_job(settings(corpus, engine=engine))
    assert (fixed.new, fixed.failed) == (1, 0)
    runs = read_runs(index_dir)
    assert [r["failed"] for r in runs] == [1, 1, 0]
    assert runs[0]["failures"][0]["source"] == str(broken)


def test_two_files_of_one_article(corpus: Path) -> None:
    index_dir = corpus.parent / "index"
    copy = corpus / "copy-of-7.html"
    copy.write_text(page_path(corpus, 7).read_text())
    run_job(settings(corpus))
    assert len(hits(index_dir, headline_word(7))) == 1
    copy.unlink()
    summary = run_job(settings(corpus))
    assert summary.removed == 1
    assert len(hits(index_dir, headline_word(7))) == 1  # still produced by the other file
    assert len(hits(index_dir, comment_word(7))) == 1


def test_rebuild_swaps_generations(corpus: Path, engine: str) -> None:
    # The same job on every engine.
    index_dir = corpus.parent / "index"
    run_job(settings(corpus, engine=engine))
    assert current_generation(index_dir) == "gen-000001"
    summary = run_job(settings(corpus, rebuild=True))  # keeps the engine in use
    assert summary.new == PAGES
    assert current_generation(index_dir) == "gen-000002"
    assert [g.name for g in generation_folders(index_dir)] == ["gen-000001", "gen-000002"]
    run_job(settings(corpus, rebuild=True))
    assert [g.name for g in generation_folders(index_dir)] == ["gen-000002", "gen-000003"]
    assert counts(index_dir) == {"article": PAGES, "comment": 5 * PAGES}
    assert run_job(settings(corpus)).unchanged == PAGES
    with Index.open(index_dir) as index:
        assert index.engine.name == engine


def test_rebuilds_leave_no_file_of_a_simple_layout_index(corpus: Path, engine: str) -> None:
    # The same job on every engine.
    index_dir = corpus.parent / "index"
    with Index.create(index_dir, engine=engine) as index:  # the folder holds the index itself
        index.add([page_path(corpus, 0)])
    run_job(settings(corpus, rebuild=True))
    assert (index_dir / engine).is_dir()  # kept while it is the generation before the current
    run_job(settings(corpus, rebuild=True))
    left = {p.name for p in index_dir.iterdir()}
    assert left == {CURRENT_FILE, "gen-000001", "gen-000002", LOCK_FILE, RUNS_FILE}
    with Index.open(index_dir) as index:
        assert index.engine.name == engine


def test_other_settings_extract_again(corpus: Path) -> None:
    run_job(settings(corpus))
    summary = run_job(settings(corpus, site_tz="UTC"))
    assert (summary.new, summary.changed) == (0, PAGES)
    assert run_job(settings(corpus, site_tz="UTC")).unchanged == PAGES


@pytest.mark.parametrize("engine", ENGINE_SETUPS)
def test_stop_commits_what_is_done_and_the_next_run_finishes(
    corpus: Path, engine: str, dsn: str | None
) -> None:
    # The same job on every engine.
    index_dir = corpus.parent / "index"
    stop = threading.Event()
    seen: list[Progress] = []

    def progress(step: Progress) -> None:
        seen.append(step)
        if step.done == 5:
            stop.set()

    first = run_job(
        settings(corpus, batch=2, engine=engine, dsn=dsn), stop=stop, on_progress=progress
    )
    assert first.status == "interrupted"
    assert first.new == 5
    assert seen[0].total == PAGES
    assert counts(index_dir)["article"] == 5
    second = run_job(settings(corpus))
    assert (second.new, second.unchanged) == (PAGES - 5, 5)
    assert counts(index_dir) == {"article": PAGES, "comment": 5 * PAGES}


@pytest.mark.parametrize("engine", ENGINE_SETUPS)
def test_an_interrupted_rebuild_is_continued_by_the_next(
    corpus: Path, engine: str, dsn: str | None
) -> None:
    # The same job on every engine.
    index_dir = corpus.parent / "index"
    run_job(settings(corpus, engine=engine, dsn=dsn))
    stop = threading.Event()

    def progress(step: Progress) -> None:
        if step.done == 4:
            stop.set()

    partial = run_job(settings(corpus, rebuild=True, batch=2), stop=stop, on_progress=progress)
    assert (partial.status, partial.new) == ("interrupted", 4)
    assert current_generation(index_dir) == "gen-000001"  # users keep the complete index
    assert counts(index_dir)["article"] == PAGES
    rest = run_job(settings(corpus, rebuild=True))
    assert (rest.new, rest.unchanged) == (PAGES - 4, 4)
    assert current_generation(index_dir) == "gen-000002"
    assert counts(index_dir) == {"article": PAGES, "comment": 5 * PAGES}


def test_two_captures_of_one_article_are_indexed_once_newest_first(tmp_path: Path) -> None:
    """The seed page's text rendering and its HTML page hold the same article (same content):
    one article is indexed, from the newer file, and the run counts the merge."""
    import os
    import shutil

    from .conftest import SEED_HTML, SEED_TEXT

    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(SEED_TEXT, pages / "a-capture.txt")
    shutil.copy(SEED_HTML, pages / "b-capture.html")
    os.utime(pages / "a-capture.txt", (2_000_000_000, 2_000_000_000))  # the text is newer
    os.utime(pages / "b-capture.html", (1_000_000_000, 1_000_000_000))
    summary = run_job(settings(pages))
    assert summary.merged == 1
    index_dir = pages.parent / "index"
    assert counts(index_dir) == {"article": 1, "comment": 5}
    with Index.open(index_dir) as index:
        (hit,) = index.search("kind:article").hits
    assert hit.source.endswith("a-capture.txt")
