"""Searching the indexed seed page: the figures the project promises, through the Python API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from corpsearch import Index, IndexNotFoundError, IndexVersionError, QueryError
from corpsearch.query.ast import And, Phrase, Term

from .conftest import ENGINE_SETUPS, PAGES, SEED_HTML, SEED_TEXT


# Every engine, postgres on the server the tests start (tests/pgserver.py) and on the sharded
# topology (tests/pgcluster.py): the promises below hold on each.
@pytest.fixture(params=ENGINE_SETUPS)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture()
def create(engine: str, dsn: str | None) -> Callable[[Path], Index]:
    """``Index.create`` with the engine, and its database for postgres."""
    return lambda folder: Index.create(folder, engine=engine, dsn=dsn)


@pytest.fixture()
def seed_index(tmp_path: Path, create: Callable[[Path], Index]) -> Iterator[Index]:
    index = create(tmp_path / "index")
    index.add([SEED_TEXT])
    yield index
    index.close()


@pytest.mark.parametrize(
    ("query", "kinds"),
    [
        ("author:_mowaten_", ["comment"] * 4),
        ("author:_MOWATEN_", ["comment"] * 4),
        ("author:imagine_1979", ["comment"]),
        ('"kill their own people"', ["article", "comment"]),
        ('text:"kill their own people"', []),
        ('quote:"kill their own people"', ["comment"]),
        ("headline:assad", ["article"]),
        ("date:2014-09-13 kind:comment", ["comment"] * 5),
        ("date:[2014-09-13T14:00 TO 2014-09-13T15:00] kind:comment", ["comment"] * 3),
        ("assad -regime kind:comment", ["comment"] * 2),
        ("mowaten", []),
        ("W460 OR Thumb OR Missing", []),
    ],
)
def test_seed_queries(seed_index: Index, query: str, kinds: list[str]) -> None:
    result = seed_index.search(query, limit=50)
    assert result.total == len(kinds)
    assert sorted(hit.kind for hit in result.hits) == sorted(kinds)


def test_author_hits_are_the_four_comments(seed_index: Index) -> None:
    hits = seed_index.search("author:_mowaten_", sort="date").hits
    assert [h.published for h in hits] == [
        "2014-09-13T14:32:00+03:00",
        "2014-09-13T17:11:00+03:00",
        "2014-09-13T17:24:00+03:00",
        "2014-09-13T17:26:00+03:00",
    ]
    assert {h.headline for h in hits} == {"U.S. Insists No Anti-Jihadist Coordination with Assad"}


def test_query_dates_in_another_zone(seed_index: Index) -> None:
    query = "date:[2014-09-13T17:00 TO 2014-09-13T18:00] kind:comment"
    assert seed_index.search(query, tz=ZoneInfo("Asia/Beirut")).total == 3
    assert seed_index.search(query).total == 0  # 17:00-18:00 UTC is after every comment


def test_since_and_until(seed_index: Index) -> None:
    assert seed_index.search("kind:comment", since="2014-09-14").total == 0
    assert seed_index.search("kind:comment", since="13 Sep 2014").total == 5
    assert seed_index.search("kind:comment", until="2014-09-12").total == 0
    assert seed_index.search("*", kind="comment", until="2014-09-13").total == 5


def test_query_tree_built_in_code(seed_index: Index) -> None:
    tree = And((Term("author", "_mowaten_"), Phrase("text", "civil war")))
    assert seed_index.search('author:_mowaten_ text:"civil war"').total == 0
    assert seed_index.search(tree).total == 0
    assert seed_index.search(And((Term("kind", "comment"), Term(None, "reuters")))).total == 1
    # A tree and its query string find the same, non-empty, hits.
    found = And((Term("author", "_mowaten_"), Phrase("text", "bombing of civilians")))
    assert [h.id for h in seed_index.search(found).hits] == [
        h.id for h in seed_index.search('author:_mowaten_ text:"bombing of civilians"').hits
    ]
    assert seed_index.search(found).total == 1


def test_sorting_and_paging(seed_index: Index) -> None:
    newest = seed_index.search("kind:comment", sort="-date", limit=2)
    assert newest.total == 5
    assert [h.published for h in newest.hits] == [
        "2014-09-13T17:26:00+03:00",
        "2014-09-13T17:24:00+03:00",
    ]
    page2 = seed_index.search("kind:comment", sort="-date", limit=2, offset=2)
    assert [h.published for h in page2.hits] == [
        "2014-09-13T17:11:00+03:00",
        "2014-09-13T14:43:00+03:00",
    ]
    # Undated documents come last in both orders.
    assert seed_index.search("*", sort="date", limit=10).hits[-1].kind == "article"
    assert seed_index.search("*", sort="-date", limit=10).hits[-1].kind == "article"


def test_headline_outranks_body(tmp_path: Path, create: Callable[[Path], Index]) -> None:
    with create(tmp_path / "ix") as index:
        index.add([PAGES])
        hits = index.search("mobile").hits
        assert hits[0].headline == "Going mobile in 1998"


def test_snippets_mark_matches_and_comment_hits_carry_article(seed_index: Index) -> None:
    hit = seed_index.search("reuters").hits[0]
    assert hit.kind == "comment"
    assert "<mark>reuters</mark>" in hit.snippet
    assert hit.headline.startswith("U.S. Insists")
    assert hit.article_id != hit.id


def test_reindexing_replaces_rather_than_duplicates(
    tmp_path: Path, create: Callable[[Path], Index]
) -> None:
    with create(tmp_path / "ix") as index:
        index.add([SEED_HTML])
        index.add([SEED_HTML])
        assert index.count() == {"article": 1, "comment": 5}
        assert index.search("author:_mowaten_").total == 4


def test_real_pages_are_indexed(tmp_path: Path, create: Callable[[Path], Index]) -> None:
    with create(tmp_path / "ix") as index:
        report = index.add([PAGES])
        assert report.failures == []
        assert report.articles == 4
        assert index.search('headline:"Starmer defiant"').total == 1
        assert index.search("site:telegraph.co.uk").total == 1


def test_missing_index_and_other_version(
    tmp_path: Path, engine: str, create: Callable[[Path], Index]
) -> None:
    with pytest.raises(IndexNotFoundError, match="corpsearch index --index"):
        Index.open(tmp_path / "none")
    with create(tmp_path / "ix"):
        pass
    (tmp_path / "ix" / "corpsearch.json").write_text(
        f'{{"schema_version": 0, "engine": "{engine}"}}'
    )
    with pytest.raises(IndexVersionError, match="--rebuild"):
        Index.open(tmp_path / "ix")


def test_malformed_query(seed_index: Index) -> None:
    with pytest.raises(QueryError) as caught:
        seed_index.search('"unclosed')
    assert caught.value.position == 0


def test_unreadable_file_is_reported_and_run_goes_on(
    tmp_path: Path, create: Callable[[Path], Index]
) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "empty.html").write_bytes(b"")
    (tmp_path / "pages" / "seed.txt").write_bytes(SEED_TEXT.read_bytes())
    with create(tmp_path / "ix") as index:
        report = index.add([tmp_path / "pages"])
    assert report.articles == 1
    assert [(Path(f.source).name, f.reason) for f in report.failures] == [
        ("empty.html", "file is empty")
    ]


def test_comments_of_real_pages_are_records(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix") as index:
        index.add([PAGES])
        assert index.count()["comment"] == 5
        holroyd = index.search('author:"Michael Holroyd"').hits
        assert [(h.kind, h.headline) for h in holroyd] == [("comment", "Going mobile in 1998")]
        assert index.search("kind:comment site:sitepoint.com").total == 4
        assert index.search("kind:comment date:2014-12", sort="date").total == 4


def test_documents_come_back_as_indexed(tmp_path: Path, create: Callable[[Path], Index]) -> None:
    from corpsearch.documents import documents_of
    from corpsearch.extract import extract
    from corpsearch.sources import iter_sources

    expected = {
        doc.id: doc
        for item in iter_sources([SEED_HTML, PAGES])
        for doc in documents_of(extract(item))  # type: ignore[arg-type]
    }
    with create(tmp_path / "index") as index:
        index.add([SEED_HTML, PAGES])
        back = {doc.id: doc for doc in index.documents()}
        index.add([SEED_HTML])  # a replaced article is there once, not twice
        assert len(list(index.documents())) == len(back)
    assert len(expected) > 10
    assert back == expected
