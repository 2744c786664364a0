"""--group article on tantivy: tallies from aggregations equal the plain version's.

The plain version (``Engine.article_tallies``) reads the values of every match in order; the
tantivy engine counts each article's hits with terms aggregations and reads the ranked matches
only as far as the page's last article. On two-segment indexes of real documents, for random
queries, every sort and several pages, both give the same total and the same tallies in the
same order; with aggregations too small to hold every article it falls back to reading.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corpsearch.engine import Engine, engine_class, value_counts
from corpsearch.engine.base import Sort
from corpsearch.query import ast

from .test_engine_tantivy import _documents, _queries

SORTS: tuple[Sort, ...] = ("relevance", "date", "-date")


@pytest.fixture(scope="module")
def tantivy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    folder: Path = tmp_path_factory.mktemp("tallies")
    engine = engine_class("tantivy").create_on(folder, None)
    documents = _documents()
    for part in (documents[::2], documents[1::2]):  # two segments at least
        writer = engine.writer()
        writer.add(part)
        writer.commit()
    yield engine
    engine.close()


def _trees() -> list[ast.Node]:
    queries = _queries(43)
    trees: list[ast.Node] = [ast.MatchAll(), ast.Term("kind", "comment")]
    return trees + [queries.tree() for _ in range(15)]


def test_tallies_from_aggregations_equal_the_plain_ones(
    tantivy: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [(tree, sort) for tree in _trees() for sort in SORTS]
    expected = [Engine.article_tallies(tantivy, tree, sort, 0, 10**6) for tree, sort in cases]

    def no_reading(*args: object) -> None:
        raise AssertionError("tallied by reading every match, not by aggregations")

    monkeypatch.setattr(type(tantivy), "ranked", no_reading)
    for (tree, sort), (total, everything) in zip(cases, expected, strict=True):
        assert tantivy.article_tallies(tree, sort, 0, 10**6) == (total, everything)
        assert tantivy.article_tallies(tree, sort, 0, 3) == (total, everything[:3])
        assert tantivy.article_tallies(tree, sort, 2, 4) == (total, everything[2:6])
        assert tantivy.article_tallies(tree, sort, total + 1, 5) == (total, [])
        assert tantivy.article_tallies(tree, sort, 0, 0) == (total, [])
    assert sum(total for total, _ in expected) > 100


def test_more_articles_than_an_aggregation_holds(
    tantivy: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Too many articles for one aggregation: one per last character of the ids, still
    without reading the matches; too many for those too: the plain version."""
    tree = ast.MatchAll()
    expected = Engine.article_tallies(tantivy, tree, "date", 1, 5)
    total = expected[0]
    assert total > 40
    real = tantivy.ranked

    def no_reading(*args: object) -> None:
        raise AssertionError("tallied by reading every match, not by aggregations")

    monkeypatch.setattr(value_counts, "MAX_BUCKETS", total // 2)
    monkeypatch.setattr(type(tantivy), "ranked", no_reading)
    assert tantivy.article_tallies(tree, "date", 1, 5) == expected
    monkeypatch.setattr(type(tantivy), "ranked", real.__func__)  # type: ignore[attr-defined]
    monkeypatch.setattr(value_counts, "MAX_BUCKETS", 1)
    assert tantivy.article_tallies(tree, "date", 1, 5) == expected
