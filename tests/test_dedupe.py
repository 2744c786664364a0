"""Duplicate captures within one run, on real pages."""

from __future__ import annotations

import dataclasses
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from corpsearch import Index
from corpsearch.dedupe import Captures
from corpsearch.extract import extract
from corpsearch.records import Article, SourceRef
from corpsearch.sources import SourceDocument, iter_sources

from .conftest import PAGES, write_warc

SITEPOINT = PAGES / "sitepoint.html"


def _article(path: str, captured: datetime | None, *, article_id: str | None = None) -> Article:
    doc = SourceDocument(SourceRef(path, captured_at=captured), "html", SITEPOINT.read_bytes())
    article = extract(doc)
    return dataclasses.replace(article, id=article_id) if article_id else article


def test_same_url_newest_capture_wins() -> None:
    captures = Captures()
    new = _article("a", datetime(2021, 1, 1, tzinfo=UTC))
    old = _article("b", datetime(2020, 1, 1, tzinfo=UTC))
    assert new.id == old.id
    assert captures.admit(new).index
    verdict = captures.admit(old)
    assert not verdict.index and verdict.merged == 1
    newer = _article("c", datetime(2022, 1, 1, tzinfo=UTC))
    verdict = captures.admit(newer)
    assert verdict.index and verdict.merged == 1
    assert verdict.replaces == ((new.id, 4),)


def test_same_content_under_another_id_is_merged() -> None:
    captures = Captures()
    first = _article("a", None, article_id="one")
    second = _article("b", None, article_id="two")
    assert first.content_hash == second.content_hash
    assert captures.admit(first, datetime(2020, 1, 1, tzinfo=UTC)).index
    verdict = captures.admit(second, datetime(2020, 6, 1, tzinfo=UTC))  # newer file wins
    assert verdict.index and verdict.replaces == (("one", 4),) and verdict.merged == 1
    assert not captures.admit(first, datetime(2019, 1, 1, tzinfo=UTC)).index


def test_index_keeps_the_newest_capture_of_an_archive(tmp_path: Path) -> None:
    body = SITEPOINT.read_bytes()
    path = tmp_path / "crawl.warc.gz"
    page = "https://www.sitepoint.com/page"
    write_warc(
        path,
        [
            (page, body, "2021-03-01T00:00:00Z", "text/html"),
            (page, body, "2023-03-01T00:00:00Z", "text/html"),
            (page, body, "2022-03-01T00:00:00Z", "text/html"),
        ],
        gzip=True,
        extra=False,
    )
    with Index.create(tmp_path / "index") as index:
        report = index.add([path])
        assert (report.pages, report.articles, report.comments, report.merged) == (3, 1, 4, 2)
        hits = index.search("kind:article").hits
        assert len(hits) == 1
        assert index.count()["comment"] == 4
    offsets = [int(h.source.split("#")[1]) for h in hits]
    assert report.to_dict()["merged"] == 2
    # the second record (captured 2023) is the one kept
    docs = [d for d in iter_sources([path]) if isinstance(d, SourceDocument)]
    assert offsets == [docs[1].ref.offset]


def test_index_merges_copies_of_a_page_file_by_mtime(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, stamp in (("a.html", 2_000_000_000), ("b.html", 1_000_000_000)):
        shutil.copy(SITEPOINT, folder / name)
        os.utime(folder / name, (stamp, stamp))
    with Index.create(tmp_path / "index") as index:
        report = index.add([folder])
        hits = index.search("kind:article").hits
    assert (report.articles, report.merged) == (1, 1)
    assert [h.source for h in hits] == [str(folder / "a.html")]


def test_a_capture_matching_two_kept_articles_replaces_both() -> None:
    captures = Captures()
    by_url = _article("a", datetime(2020, 1, 1, tzinfo=UTC))
    other = dataclasses.replace(by_url, content_hash="x")
    same_text = dataclasses.replace(by_url, id="copy")
    captures.admit(other)  # same url as by_url, other content
    captures.admit(same_text)  # same content as by_url, other url
    verdict = captures.admit(by_url)
    assert verdict.index and verdict.merged == 2
    assert {old for old, _ in verdict.replaces} == {by_url.id, "copy"}
