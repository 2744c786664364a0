"""Tests of the benchmark helpers: query drawing, the FTS5 reference, reruns, extrapolation."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build import change_pages, index_articles, rerun_changed  # noqa: E402
from bench_fts import build_fts, time_fts  # noqa: E402
from bench_queries import QUERY_TYPES, BenchQuery, draw_queries  # noqa: E402
from bench_report import _project  # noqa: E402
from corpsearch import Index  # noqa: E402
from corpsearch.documents import IndexDocument  # noqa: E402

SEED_PAGE = ROOT / "fixtures" / "seed" / "seed_page.html"


def _doc(number: int, text: str, author: str, date: datetime) -> IndexDocument:
    return IndexDocument(
        id=f"c{number}",
        kind="comment",
        article_id="a1",
        headline="",
        body="",
        text=text,
        quote="",
        author=author,
        site="example.com",
        url="https://example.com/1",
        lang="en",
        date=date,
        published=date.isoformat(),
        position=number,
        comment_count=0,
        article_headline="A headline",
        source="page.html",
    )


def _docs() -> list[IndexDocument]:
    start = datetime(2015, 1, 1, tzinfo=UTC)
    texts = ["the cedar tree stands tall", "the river runs dry today", "the cedar forest burns"]
    return [
        _doc(n, texts[n % 3], ["Jane Doe", "mike.b"][n % 2], start + timedelta(days=40 * n))
        for n in range(30)
    ]


def test_draw_queries_gives_every_type_with_parts() -> None:
    queries = draw_queries(_docs(), ["Jane Doe", "mike.b"], per_type=4)
    assert set(queries) == set(QUERY_TYPES)
    assert all(len(qs) == 4 for qs in queries.values())
    assert all(q.text.startswith("author:") for q in queries["author"])
    assert {q.text for q in queries["author"]} <= {'author:"Jane Doe"', "author:mike.b"}
    assert all(len(q.phrase) == 3 for q in queries["3-word phrase"])
    assert all(q.sort == "-date" for q in queries["word sorted by date"])
    combined = queries["phrase + author + date range"]
    assert all(q.author and q.start is not None and q.end is not None for q in combined)


def test_fts_counts_match_the_documents(tmp_path: Path) -> None:
    db = tmp_path / "fts.sqlite"
    _, count = build_fts(db, _docs())
    assert count == 30
    start = int(datetime(2015, 1, 1, tzinfo=UTC).timestamp())
    queries = {
        "cedar": [BenchQuery("cedar", "relevance", words=("cedar",))],
        "phrase": [BenchQuery('"cedar tree"', "relevance", phrase=("cedar", "tree"))],
        "author": [BenchQuery("author:mike.b", "relevance", author="mike.b")],
        "range": [BenchQuery("date", "relevance", start=start, end=start + 41 * 86400)],
    }
    timed = time_fts(db, queries)
    # 10 documents of each text; "cedar" is in two of the three texts.
    assert timed["cedar"]["with_hits"] == 1.0
    assert timed["phrase"]["with_hits"] == 1.0
    none = {"none": [BenchQuery("zebra", "relevance", words=("zebra",))]}
    assert time_fts(db, none)["none"]["with_hits"] == 0.0


def test_rerun_replaces_the_changed_pages(tmp_path: Path) -> None:
    page = tmp_path / "pages" / "000" / "000000.html"
    page.parent.mkdir(parents=True)
    page.write_bytes(SEED_PAGE.read_bytes())
    folder = tmp_path / "index"
    with Index.create(folder) as ix:
        ix.add([page])
        before = ix.count()
    originals = change_pages([page], share=1.0)
    assert page.read_bytes() != originals[page]
    rerun_changed(folder, [page])
    with Index.open(folder) as ix:
        assert ix.count() == before
        assert ix.search('"Updated 0 with a correction"').total == 1


def test_index_articles_counts_documents(tmp_path: Path) -> None:
    seconds, documents = index_articles(tmp_path / "ix", [])
    assert documents == 0 and seconds >= 0


@pytest.mark.parametrize(("small", "large", "expected"), [(10.0, 10.0, 10.0), (1.0, 10.0, 100.0)])
def test_project_extrapolates_a_power_law(small: float, large: float, expected: float) -> None:
    results = [{"pages": 1000, "v": small}, {"pages": 10000, "v": large}]
    value, measured = _project(results, lambda r: r["v"])
    assert not measured
    assert value == pytest.approx(expected)
