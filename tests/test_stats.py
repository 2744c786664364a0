"""Index statistics."""

from __future__ import annotations

from pathlib import Path

from corpsearch import Index
from corpsearch.index import SCHEMA_VERSION
from corpsearch.stats import folder_size

from .conftest import PAGES, SEED_TEXT


def test_stats_of_the_seed_and_real_pages(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix") as index:
        index.add([SEED_TEXT, PAGES / "pixelmonkey.html"])
        stats = index.stats()
    assert stats.engine == "tantivy"  # the default engine
    assert stats.schema_version == SCHEMA_VERSION
    assert stats.by_kind == {"article": 2, "comment": 6}
    assert stats.documents == 8
    assert stats.by_site["naharnet.com"] == {"article": 1, "comment": 5}
    assert stats.by_site["pixelmonkey.org"] == {"article": 1, "comment": 1}
    assert stats.first_date is not None and stats.last_date is not None
    # the blog post of 30 December 2012 is the first; the seed's last comment the last
    assert stats.first_date.isoformat() == "2012-12-30T20:00:06+00:00"
    assert stats.last_date.isoformat() == "2014-09-13T14:26:00+00:00"
    assert stats.undated == 1  # the seed article
    assert stats.size_bytes == folder_size(tmp_path / "ix") > 0
    data = stats.to_dict()
    assert data["first_date"] == "2012-12-30T20:00:06+00:00"


def test_stats_of_an_empty_index(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix") as index:
        stats = index.stats()
    assert stats.documents == 0
    assert stats.first_date is None
    assert stats.by_kind == {"article": 0, "comment": 0}
