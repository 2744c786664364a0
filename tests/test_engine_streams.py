"""Engine streams (every hit in order, scans), passage gaps in quotes and expansion limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from corpsearch import Index, QueryError
from corpsearch.engine import ENGINES, base, compiler
from corpsearch.errors import QueryTooBroadError
from corpsearch.query.ast import MatchAll
from corpsearch.query.parser import parse_query

from .conftest import PAGES, SEED_HTML, SEED_TEXT


@pytest.fixture(scope="module", params=ENGINES)
def corpus(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Index]:
    index = Index.create(tmp_path_factory.mktemp("streams") / "index", engine=request.param)
    for path in (SEED_TEXT, SEED_HTML, PAGES):  # one add each: the seed renderings would merge
        index.add([path])
    yield index
    index.close()


@pytest.mark.parametrize("sort", ["relevance", "date", "-date"])
@pytest.mark.parametrize("query", ["assad OR palm OR civilians", "site:naharnet.com", "*"])
def test_streamed_hits_follow_the_search_order(corpus: Index, query: str, sort: str) -> None:
    ranked = corpus.search(query, sort=sort, limit=1000)  # type: ignore[arg-type]
    streamed = list(corpus.iter_hits(query, sort=sort))  # type: ignore[arg-type]
    assert [h.id for h in streamed] == [h.id for h in ranked.hits]
    assert len(streamed) == ranked.total
    if sort == "relevance":
        assert [round(h.score, 4) for h in streamed] == [round(h.score, 4) for h in ranked.hits]
    # the stream highlights the same words as a page of results
    assert [h.snippet.count("<mark>") > 0 for h in streamed] == [
        h.snippet.count("<mark>") > 0 for h in ranked.hits
    ]


@pytest.mark.parametrize("sort", ["relevance", "date", "-date"])
def test_plain_seam_implementations_page_through_search(
    corpus: Index, sort: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "PAGE_SIZE", 3)
    tree = parse_query("site:naharnet.com OR assange")
    engine = corpus.engine
    paged = list(base.Engine.iter_hits(engine, tree, sort))  # type: ignore[arg-type]
    assert [h.id for h in paged] == [h.id for h in engine.iter_hits(tree, sort)]  # type: ignore[arg-type]
    values = list(base.Engine.ranked(engine, tree, sort))  # type: ignore[arg-type]
    assert values == list(engine.ranked(tree, sort))  # type: ignore[arg-type]
    assert sorted(v.id for v in base.Engine.scan(engine, tree)) == sorted(
        v.id for v in engine.scan(tree)
    )


def test_scan_reads_values_without_text(corpus: Index) -> None:
    values = {v.id: v for v in corpus.engine.scan(parse_query("author:imagine_1979"))}
    assert len(values) == 2
    for value in values.values():
        assert value.kind == "comment"
        assert value.author == "imagine_1979"
        assert value.site == "naharnet.com"
        assert value.date is not None and value.date.isoformat() == "2014-09-13T11:43:00+00:00"
    everything = list(corpus.engine.scan(MatchAll()))
    assert len(everything) == sum(corpus.count().values())


def _limit(monkeypatch: pytest.MonkeyPatch, words: int) -> None:
    monkeypatch.setattr(compiler, "MAX_EXPANSION", words)


def test_prefix_and_fuzzy_expansion_is_limited(
    corpus: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert corpus.search("a*", limit=0).total > 0  # within the real limit
    _limit(monkeypatch, 20)
    with pytest.raises(QueryTooBroadError) as caught:
        corpus.search("assad OR a*")
    assert caught.value.position == 9
    assert "'a*' matches more than 20 different words" in str(caught.value)
    assert "at position 10" in str(caught.value)
    _limit(monkeypatch, 5)
    with pytest.raises(QueryError, match="'de~2' matches more than 5 different words"):
        corpus.search("headline:assad OR body:de~2")
    _limit(monkeypatch, 20)
    # narrow enough: fine
    assert corpus.search("assad*").total == 6
    assert corpus.search("author:_mow*").total == 8
