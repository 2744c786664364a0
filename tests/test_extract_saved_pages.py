"""The time a saver wrote into a page (SingleFile, HTTrack) anchors its relative comment dates
when the source records no capture time; a file's modification time is only the last resort."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from corpsearch.extract import extract
from corpsearch.extract.saved_pages import saved_at
from corpsearch.sources import SourceDocument, iter_sources

from .conftest import ROOT

# a held-out page whose comments show only relative times ("hace 3 días")
RELATIVE_PAGE = ROOT / "fixtures" / "heldout" / "ht9_gitalk_es.html"
SINGLEFILE = (
    "<!--\n Page saved with SingleFile \n url: https://meteoencasa.example.es/2021/03/x \n"
    " saved date: Fri Mar 05 2021 09:30:00 GMT+0100 (Mitteleuropäische Normalzeit)\n-->"
)
HTTRACK = (
    "<!-- Mirrored from meteoencasa.example.es/2021/03/x by HTTrack Website Copier/3.x "
    "[XR&CO'2014], Fri, 05 Mar 2021 08:30:00 GMT -->"
)
SAVED = datetime(2021, 3, 5, 8, 30, tzinfo=UTC)


def _saved_copy(tmp_path: Path, marker: str, *, at_end: bool = False) -> SourceDocument:
    html = RELATIVE_PAGE.read_text(encoding="utf-8")
    if at_end:
        html = html.replace("</html>", marker + "\n</html>")
    else:
        html = html.replace("<html", marker + "\n<html", 1)
    page = tmp_path / "saved.html"
    page.write_text(html, encoding="utf-8")
    os.utime(page, (1_700_000_000, 1_700_000_000))  # a modification time years later
    (item,) = list(iter_sources([page]))
    assert isinstance(item, SourceDocument)
    return item


def _relative_times(item: SourceDocument) -> list[datetime]:
    article = extract(item)
    times = [c.published for c in article.comments]
    assert times and all(t is not None for t in times)
    return [t for t in times if t is not None]


def test_singlefile_save_time_anchors_relative_dates(tmp_path: Path) -> None:
    item = _saved_copy(tmp_path, SINGLEFILE)
    article = extract(item)
    times = [c.published for c in article.comments]
    assert times and all(t is not None and t < SAVED for t in times)
    # "hace N días": whole days before the save, never after it
    assert all(t is not None and (SAVED - t) % timedelta(days=1) == timedelta(0) for t in times)
    assert not any(p.field == "captured_at" for p in article.problems)


def test_httrack_mirror_time_anchors_them_too(tmp_path: Path) -> None:
    top = _relative_times(_saved_copy(tmp_path, HTTRACK))
    bottom = _relative_times(_saved_copy(tmp_path, HTTRACK, at_end=True))
    single = _relative_times(_saved_copy(tmp_path, SINGLEFILE))
    assert top == bottom == single
    assert all(t < SAVED for t in top)  # counted from the save, not the file time (2023)


def test_without_a_saver_the_file_time_is_used_and_said(tmp_path: Path) -> None:
    item = _saved_copy(tmp_path, "<!-- saved from url=(0045)https://example.es/ -->")
    article = extract(item)
    assert all(c.published is not None and c.published.year == 2023 for c in article.comments)
    assert any(p.field == "captured_at" for p in article.problems)


@pytest.mark.parametrize(
    ("marker", "want"),
    [
        (SINGLEFILE, datetime(2021, 3, 5, 9, 30, tzinfo=timezone(timedelta(hours=1)))),
        (SINGLEFILE.replace("Page saved with", "Archive processed by"), SAVED),
        (SINGLEFILE.replace("GMT+0100", "GMT-0530"), datetime(2021, 3, 5, 15, 0, tzinfo=UTC)),
        (HTTRACK, SAVED),
    ],
)
def test_saver_times_read(marker: str, want: datetime) -> None:
    assert saved_at(f"<!DOCTYPE html>{marker}<html><body>x</body></html>") == want


@pytest.mark.parametrize(
    "text",
    [
        "<html><body>Page saved with SingleFile, saved date: Fri Mar 05 2021</body></html>",
        SINGLEFILE.replace("Mar 05", "Feb 30"),
        SINGLEFILE.replace("saved date: Fri Mar 05 2021 09:30:00", "saved date: 05.03.2021"),
        HTTRACK.replace("Fri, 05 Mar 2021", "Fri, 05 Foo 2021"),
        "<p>Mirrored from x by HTTrack Website Copier/3.x [XR&CO'2014], soon</p>",
    ],
)
def test_other_forms_are_not_a_savers(text: str) -> None:
    assert saved_at(text) is None


def test_a_marker_deep_inside_a_huge_page_is_not_looked_for() -> None:
    filler = "<p>" + "x" * 40_000 + "</p>"
    assert saved_at(f"<html>{filler}{HTTRACK}{filler}</html>") is None
    assert saved_at(f"<html>{filler}{filler}{HTTRACK}</html>") == SAVED
