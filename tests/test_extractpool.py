import hashlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from corpsearch.analysis import analyse_text, names_of
from corpsearch.documents import documents_of, streams_of
from corpsearch.extract import ExtractOptions
from corpsearch.extractpool import Task, extract_all, run_task
from corpsearch.sources import SourceLimits

from .conftest import SEED_HTML, SHARED_DATA
from .pagegen import make_pages

COMMENT_PAGES = SHARED_DATA / "comment-pages"


def tasks_for(paths: list[Path]) -> list[Task]:
    return [Task(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths]


def test_all_pages_come_back_from_the_workers(tmp_path: Path) -> None:
    paths = make_pages(tmp_path, 10)
    broken = tmp_path / "broken.html"
    broken.write_bytes(b"\x00" * 100)
    tasks = [*tasks_for([*paths, broken]), Task(str(tmp_path / "gone.html"), 1, 1)]
    results = list(extract_all(tasks, ExtractOptions(), SourceLimits(), workers=2))
    assert sorted(r.task.path for r in results) == sorted(t.path for t in tasks)
    articles = [r.article for r in results if r.article is not None]
    assert len({a.id for a in articles}) == 10
    failures = {r.task.path: r.failure for r in results if r.failure}
    assert set(failures) == {str(broken), str(tmp_path / "gone.html")}
    assert "binary" in (failures[str(broken)] or "")


def test_unchanged_content_is_not_extracted(tmp_path: Path) -> None:
    (path,) = make_pages(tmp_path, 1)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    (task,) = tasks_for([path])
    same = run_task(Task(task.path, 1, 2, old_sha256=digest), ExtractOptions(), SourceLimits())
    assert (same.sha256, same.article, same.failure) == (digest, None, None)
    other = run_task(Task(task.path, 1, 2, old_sha256="0" * 64), ExtractOptions(), SourceLimits())
    assert other.sha256 == digest and other.article is not None


def test_no_more_than_the_window_is_in_flight(tmp_path: Path) -> None:
    paths = make_pages(tmp_path, 30)
    pulled = 0

    def feed() -> Iterator[Task]:
        nonlocal pulled
        for task in tasks_for(paths):
            pulled += 1
            yield task

    results = extract_all(feed(), ExtractOptions(), SourceLimits(), workers=2, window=4)
    consumed = 0
    for _ in results:
        consumed += 1
        assert pulled - consumed <= 4
    assert consumed == 30


def test_workers_hand_the_writer_the_analysed_streams_of_every_document() -> None:
    """The workers analyse what they extract (corpsearch.analysis.article_streams); each
    document then carries exactly the streams an engine would compute for it, quotes passage by
    passage, comments in their own language, and the folded keys of its author and site (real
    comment pages of the dev set, and the seed)."""
    pages = [SEED_HTML, *sorted(COMMENT_PAGES.glob("*.html"))[:12]]
    tasks = tasks_for(pages)
    results = list(extract_all(tasks, ExtractOptions(), SourceLimits(), workers=2))
    checked = quoted = authored = 0
    for result in results:
        assert len(result.streams) == len(result.articles)
        for article, streams in zip(result.articles, result.streams, strict=True):
            documents = list(documents_of(article, streams))
            assert [d.analysed for d in documents] == list(streams)
            for doc in documents:
                alone = replace(doc, analysed=None)
                assert streams_of(doc) == streams_of(alone)
                assert streams_of(alone).body == analyse_text(doc.body, doc.lang)
                assert streams_of(doc).names == names_of(doc.author, doc.site)
                checked += 1
                quoted += bool(doc.quote)
                authored += bool(streams_of(doc).names[0])
    assert checked > 100 and quoted and authored > 100  # comments, some quoting, most named
