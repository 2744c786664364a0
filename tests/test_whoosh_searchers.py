"""The whoosh engine keeps a searcher per thread from one search to the next (whoosh_searchers):
a search still sees every commit and deletion of another writer at once, threads never share a
searcher, and closing the engine closes them all."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from corpsearch import Index
from corpsearch.engine.whoosh_searchers import Searchers

from .conftest import PAGES, SEED_TEXT

QUERIES = ["*", "author:_mowaten_", "assad", '"kill their own people"', "kind:comment", "the"]


def _opened(index: Index, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The searchers the index's engine opens for its searches from now on."""
    searchers: Searchers = index.engine._searchers  # type: ignore[attr-defined]
    opened: list[Any] = []
    open_ = searchers._open

    def counted() -> Any:
        opened.append(open_())
        return opened[-1]

    monkeypatch.setattr(searchers, "_open", counted)
    return opened


def test_a_search_sees_each_commit_of_another_writer_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (
        Index.create(tmp_path / "ix", engine="whoosh") as writing,
        Index.open(tmp_path / "ix") as reading,
    ):
        opened = _opened(reading, monkeypatch)
        assert reading.search("*").total == 0
        writing.add([SEED_TEXT])
        assert reading.search("author:_mowaten_").total == 4
        assert reading.search("author:_mowaten_").total == 4
        assert reading.count() == {"article": 1, "comment": 5}
        assert len(opened) == 2  # the empty index's, then the first commit's
        for _ in range(3):  # commits in quick succession, each seen by the next search
            article = writing.search("kind:article").hits[0].id
            writer = writing.engine.writer()
            writer.delete_article(article)
            writer.commit()
            assert reading.search("*").total == 0
            assert reading.count() == {"article": 0, "comment": 0}
            writing.add([SEED_TEXT])
            assert reading.search("*").total == 6
        assert len(opened) == 8
        assert [s.is_closed for s in opened] == [True] * 7 + [False]
    assert opened[-1].is_closed


def test_threads_search_with_searchers_of_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Index.create(tmp_path / "ix", engine="whoosh") as index:
        index.add([SEED_TEXT, PAGES])
        alone = [_answer(index, q) for q in QUERIES]
        opened = _opened(index, monkeypatch)
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda q: _answer(index, q), QUERIES * 20))
        assert answers == alone * 20
        # one searcher per thread that searched, none shared, none reopened
        assert 1 < len(opened) <= 4
        assert len({id(s) for s in opened}) == len(opened)
    assert all(s.is_closed for s in opened)


def test_a_failed_search_drops_its_searcher(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Index.create(tmp_path / "ix", engine="whoosh") as index:
        index.add([SEED_TEXT])
        opened = _opened(index, monkeypatch)
        index.search("assad")
        with pytest.raises(RuntimeError), index.engine._searchers.held():  # type: ignore[attr-defined]
            raise RuntimeError("a search that failed")
        assert opened[0].is_closed
        assert index.search("assad").total > 0
        assert len(opened) == 2


def _answer(index: Index, query: str) -> tuple[int, list[tuple[str, float, str]]]:
    page = index.search(query, limit=10)
    return page.total, [(h.id, h.score, h.snippet) for h in page.hits]
