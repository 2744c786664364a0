"""Runs the conformance table (tests/conformance_table.py) on every engine in ALL_ENGINES
(postgres on a server the tests start: tests/pgserver.py) and on postgres over shards with
replicas (tests/pgcluster.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from corpsearch import Index, extract_paths
from corpsearch.engine import ALL_ENGINES
from corpsearch.records import Article

from .conformance_table import CASES, ORDER_CASES, Case, OrderCase
from .conftest import FIXTURES, PAGES, SEED_HTML, SEED_TEXT

QUERY_PAGES = FIXTURES / "query-pages"
CORPUS = [SEED_TEXT, SEED_HTML, PAGES, QUERY_PAGES]


@dataclass
class Corpus:
    index: Index
    ids: dict[str, str]  # name -> document id
    names: dict[str, str]  # document id -> name
    articles: list[str]

    def expand(self, names: tuple[str, ...]) -> set[str]:
        """Names with the table's shorthands (S, C2, C*, @articles, -name) resolved."""
        found: set[str] = set()
        removed: set[str] = set()
        for name in names:
            target = removed if name.startswith("-") else found
            target.update(self._one(name.lstrip("-")))
        return found - removed

    def _one(self, name: str) -> Iterator[str]:
        if name == "@articles":
            yield from self.articles
        elif name == "S":
            yield from ("seed", "seed_html")
        elif name == "C*":
            for position in range(5):
                yield from (f"seed/{position}", f"seed_html/{position}")
        elif name[0] == "C" and name[1:].isdigit():
            yield from (f"seed/{name[1:]}", f"seed_html/{name[1:]}")
        else:
            yield name


def _name(article: Article) -> str:
    path = Path(article.source.path)
    if path == SEED_TEXT or path.name == SEED_TEXT.name:
        return "seed"
    if path.name == SEED_HTML.name:
        return "seed_html"
    return path.name.split(".")[0]


@pytest.fixture(scope="module", params=[*ALL_ENGINES, "postgres-sharded"])
def corpus(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Corpus]:
    ids: dict[str, str] = {}
    articles = []
    for article in extract_paths(CORPUS):
        assert isinstance(article, Article), article
        name = _name(article)
        articles.append(name)
        ids[name] = article.id
        for comment in article.comments:
            ids[f"{name}/{comment.position}"] = comment.id
    folder = tmp_path_factory.mktemp(f"conformance-{request.param}")
    engine, dsn = str(request.param), None
    if engine == "postgres":
        dsn = request.getfixturevalue("postgres_dsn")
    elif engine == "postgres-sharded":  # two shards with a replica each (tests/pgcluster.py)
        engine, dsn = "postgres", request.getfixturevalue("cluster_dsn")
    index = Index.create(folder / "index", engine=engine, dsn=dsn)
    # One add per page: the seed's text and HTML renderings hold the same content, and one add
    # would merge them as two captures of one article.
    for path in CORPUS:
        assert index.add([path]).failures == []
    yield Corpus(index, ids, {v: k for k, v in ids.items()}, articles)
    index.close()


def _options(case_options: dict[str, object]) -> dict[str, object]:
    options = dict(case_options)
    if "tz" in options:
        options["tz"] = ZoneInfo(str(options["tz"]))
    return options


@pytest.mark.parametrize("case", CASES, ids=[f"{c.query} {c.options or ''}".strip() for c in CASES])
def test_query_finds_exactly(corpus: Corpus, case: Case) -> None:
    query = case.query
    for name in corpus.articles:
        query = query.replace(f"{{{name}}}", corpus.ids[name])
    result = corpus.index.search(query, limit=1000, **_options(case.options))  # type: ignore[arg-type]
    found = {corpus.names.get(hit.id, hit.id) for hit in result.hits}
    assert found == corpus.expand(case.expect), case.why
    assert result.total == len(found)


@pytest.mark.parametrize(
    "case", ORDER_CASES, ids=[f"{c.query} --sort {c.sort}" for c in ORDER_CASES]
)
def test_hits_come_in_order(corpus: Corpus, case: OrderCase) -> None:
    result = corpus.index.search(case.query, sort=case.sort, limit=1000)  # type: ignore[arg-type]
    hits = list(result.hits)
    for group in case.groups:
        expected = corpus.expand(group)
        taken, hits = hits[: len(expected)], hits[len(expected) :]
        assert {corpus.names[hit.id] for hit in taken} == expected
        if case.sort != "relevance":
            assert [hit.id for hit in taken] == sorted(hit.id for hit in taken)
    assert hits == []


@pytest.mark.parametrize("sort", ["relevance", "date", "-date"])
def test_pages_join_into_the_full_order(corpus: Corpus, sort: str) -> None:
    full = corpus.index.search("site:naharnet.com OR assange", sort=sort, limit=1000)  # type: ignore[arg-type]
    assert full.total == len(full.hits) > 12
    paged = []
    for offset in range(0, 15, 4):
        page = corpus.index.search(
            "site:naharnet.com OR assange", sort=sort, limit=4, offset=offset
        )  # type: ignore[arg-type]
        assert page.total == full.total
        paged += page.hits
    assert [hit.id for hit in paged] == [hit.id for hit in full.hits]
    streamed = list(corpus.index.iter_hits("site:naharnet.com OR assange", sort=sort))  # type: ignore[arg-type]
    assert [hit.id for hit in streamed] == [hit.id for hit in full.hits]


def test_group_by_article(corpus: Corpus) -> None:
    result = corpus.index.search("author:_mowaten_", group="article")
    assert result.total == 2
    assert result.groups is not None
    assert {corpus.names[g.article.id] for g in result.groups} == {"seed", "seed_html"}
    for group in result.groups:
        assert not group.article_matched
        assert group.comment_hits == 4
        assert {corpus.names[c.id].split("/")[1] for c in group.comments} == {"0", "2", "3", "4"}
        assert all(c.article_id == group.article.id for c in group.comments)


def test_group_keeps_matching_articles_without_comment_hits(corpus: Corpus) -> None:
    result = corpus.index.search("headline:assad comments:(author:imagine_1979)", group="article")
    assert result.groups is not None
    assert [(g.article_matched, g.comment_hits) for g in result.groups] == [(True, 0), (True, 0)]
    paged = corpus.index.search("assad OR palm", group="article", limit=1, offset=2)
    assert paged.total == 3  # the two seed articles and pixelmonkey
    assert paged.groups is not None and len(paged.groups) == 1


def test_facets_and_histogram(corpus: Corpus) -> None:
    summary = corpus.index.summary(
        "site:naharnet.com", facets=["author", "kind", "month"], histogram="day"
    )
    assert summary.total == 12
    assert summary.facets["author"] == [("_mowaten_", 8), ("(none)", 2), ("imagine_1979", 2)]
    assert summary.facets["kind"] == [("comment", 10), ("article", 2)]
    assert summary.facets["month"] == [("2014-09", 10), ("(none)", 2)]
    assert [(b.key, b.count) for b in summary.histogram] == [("2014-09-13", 10)]
    assert summary.undated == 2
    far_east = corpus.index.summary(
        "site:naharnet.com kind:comment", histogram="day", tz=ZoneInfo("Pacific/Kiritimati")
    )
    assert [(b.key, b.count) for b in far_east.histogram] == [("2014-09-14", 10)]
