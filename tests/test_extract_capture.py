"""Capture time and comment language in the extract stage, on real pages."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from corpsearch.extract import extract
from corpsearch.extract.parts import MIN_LANGUAGE_CHARS
from corpsearch.sources import SourceDocument, iter_sources

from .conftest import SHARED_DATA, write_warc

PAGES = SHARED_DATA / "comment-pages"
pytestmark = pytest.mark.skipif(not PAGES.is_dir(), reason="shared comment pages not available")
# mdr.html shows its three comments as "vor 2 Stunden", "vor 3 Stunden", "vor 5 Stunden"
MDR_HOURS = [2, 3, 5]


def test_relative_comment_dates_count_from_the_warc_date(tmp_path: Path) -> None:
    path = tmp_path / "mdr.warc.gz"
    captured = datetime(2022, 5, 4, 12, 30, tzinfo=UTC)
    body = (PAGES / "mdr.html").read_bytes()
    write_warc(
        path, [("https://www.mdr.de/x", body, "2022-05-04T12:30:00Z", "text/html")], gzip=True
    )
    (doc,) = [d for d in iter_sources([path]) if isinstance(d, SourceDocument)]
    article = extract(doc)
    assert [c.published for c in article.comments] == [
        captured - timedelta(hours=h) for h in MDR_HOURS
    ]
    assert not [p for p in article.problems if p.field == "captured_at"]


def test_without_capture_time_the_file_mtime_is_the_basis(tmp_path: Path) -> None:
    page = tmp_path / "mdr.html"
    shutil.copy(PAGES / "mdr.html", page)
    stamp = datetime(2021, 2, 3, 4, 5, tzinfo=UTC)
    os.utime(page, (stamp.timestamp(), stamp.timestamp()))
    (doc,) = list(iter_sources([page]))
    assert isinstance(doc, SourceDocument) and doc.ref.captured_at is None
    article = extract(doc)
    assert [c.published for c in article.comments] == [
        stamp - timedelta(hours=h) for h in MDR_HOURS
    ]
    (problem,) = [p for p in article.problems if p.field == "captured_at"]
    assert "modification time" in problem.reason and stamp.isoformat() in problem.reason


def test_pages_without_relative_dates_get_no_capture_problem(tmp_path: Path) -> None:
    (doc,) = list(iter_sources([PAGES / "blisterreview.html"]))
    assert isinstance(doc, SourceDocument)
    assert not [p for p in extract(doc).problems if p.field == "captured_at"]


def test_each_long_comment_has_its_own_language() -> None:
    # an English blog post with French spam comments among the English ones
    (doc,) = list(iter_sources([PAGES / "blogohblog.html"]))
    assert isinstance(doc, SourceDocument)
    article = extract(doc)
    assert article.language == "en"
    french = [c for c in article.comments if c.language == "fr"]
    assert len(french) == 4
    assert all(len(c.text) >= MIN_LANGUAGE_CHARS for c in french)
    assert all(" de " in f" {c.text} " or " les " in f" {c.text} " for c in french)
    short = [c for c in article.comments if len(c.text) < MIN_LANGUAGE_CHARS]
    assert short and all(c.language == "en" for c in short)


def test_comment_language_on_german_page() -> None:
    (doc,) = list(iter_sources([PAGES / "mdr.html"]))
    assert isinstance(doc, SourceDocument)
    assert [c.language for c in extract(doc).comments] == ["de", "de", "de"]
