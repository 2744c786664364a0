"""Runs the conformance table (tests/conformance_table.py) on every engine in ALL_ENGINES
(postgres on a server the tests start: tests/pgserver.py) and on postgres over shards with
replicas (tests/pgcluster.py)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from corpsearch import Index, errors, extract_paths
from corpsearch.documents import IndexDocument, documents_of
from corpsearch.engine import ALL_ENGINES, compiler, tantivy_compiler
from corpsearch.query.limits import MAX_SLOP
from corpsearch.records import Article
from corpsearch.snippets import MARK_CLOSE, MARK_OPEN, plain_text

from .conformance_table import (
    CASES,
    ERROR_CASES,
    ORDER_CASES,
    SNIPPET_CASES,
    Case,
    ErrorCase,
    OrderCase,
    SnippetCase,
)
from .conftest import ENGINE_SETUPS, FIXTURES, PAGES, SEED_HTML, SEED_TEXT

QUERY_PAGES = FIXTURES / "query-pages"
CORPUS = [SEED_TEXT, SEED_HTML, PAGES, QUERY_PAGES]


@dataclass
class Corpus:
    index: Index
    ids: dict[str, str]  # name -> document id
    names: dict[str, str]  # document id -> name
    articles: list[str]
    engine: str
    documents: dict[str, IndexDocument]  # by name

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
    documents = {name: doc for name, doc in _documents(CORPUS, ids)}
    yield Corpus(index, ids, {v: k for k, v in ids.items()}, articles, request.param, documents)
    index.close()


def _documents(paths: list[Path], ids: dict[str, str]) -> Iterator[tuple[str, IndexDocument]]:
    """The documents of the corpus as extraction made them, by name (not read back from an
    engine, so no engine's storage decides what a snippet is held to)."""
    names = {v: k for k, v in ids.items()}
    for article in extract_paths(paths):
        assert isinstance(article, Article)
        for doc in documents_of(article):
            yield names[doc.id], doc


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


def _seed_with_two_quotes() -> Article:
    """The seed, with comment 0 quoting two consecutive sentences of the article."""
    article = next(a for a in extract_paths([SEED_TEXT]) if isinstance(a, Article))
    first = "They have lost legitimacy to lead, period."
    second = "An Assad advisor, Buthaina Shaaban, was quoted by state news agency SANA."
    assert f'{first}"\n\n{second[:15]}' in article.body
    comment = dataclasses.replace(article.comments[0], quotes=(first, second))
    return dataclasses.replace(article, comments=(comment, *article.comments[1:]))


@pytest.mark.parametrize("engine", ENGINE_SETUPS)
def test_a_phrase_never_spans_two_quotes(tmp_path: Path, engine: str, dsn: str | None) -> None:
    """docs/query-language.md: a phrase never joins two quoted passages of one comment, however
    far its words may stand apart."""
    with Index.create(tmp_path / "ix", engine=engine, dsn=dsn) as index:
        writer = index.engine.writer()
        writer.add(documents_of(_seed_with_two_quotes()))
        writer.commit()
        # inside one quote: found; in the article body the two sentences are neighbours
        assert {h.kind for h in index.search('quote:"lead period"').hits} == {"comment"}
        assert {h.kind for h in index.search('"period an assad"').hits} == {"article"}
        assert index.search('quote:"period an assad"').total == 0
        assert index.search('quote:"period assad"~5').total == 0
        assert index.search('quote:"an assad advisor"').total == 1
        assert index.search('quote:"assad shaaban"~2').total == 1  # near inside one quote
        # as far apart as a proximity allows (postgres refuses more than 511 words between two)
        for slop in (500, 999, 1001, 1500, MAX_SLOP):
            try:
                across = index.search(f'quote:"period assad"~{slop}').total
            except errors.QueryTooBroadError:
                assert engine == "postgres" and slop >= 512
                continue
            assert across == 0, slop
            assert index.search(f'quote:"lead sana"~{slop}').total == 0, slop
            assert index.search(f'quote:"lead period"~{slop}').total == 1, slop
        # the passages come back as they were indexed
        quoted = _seed_with_two_quotes().comments[0].quotes
        assert [d.quote for d in index.documents() if d.quote] == ["\n\n".join(quoted)]
        # the snippet of the second quote still marks the right words
        hit = index.search('quote:"assad advisor"', kind="comment").hits[0]
        assert "<mark>Assad</mark> <mark>advisor</mark>" in hit.snippet


_LIMITS = {"compiler": compiler, "tantivy_compiler": tantivy_compiler}


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c.query for c in ERROR_CASES])
def test_refusals_are_the_same_on_every_engine(
    corpus: Corpus, case: ErrorCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One error class and one position (the refused part as written) on every engine."""
    if case.engines and corpus.engine not in case.engines:
        pytest.skip(f"{corpus.engine} has no such limit")
    for name, value in case.limits.items():
        module, constant = name.split(".")
        monkeypatch.setattr(_LIMITS[module], constant, value)
    with pytest.raises(errors.QueryError) as raised:
        corpus.index.search(case.query)
    error = raised.value
    assert type(error).__name__ == case.error, error
    assert (error.query, error.position) == (case.query, case.position), error
    assert f"at position {case.position + 1}" in str(error)
    assert error.hint and str(error).count("\n") == 0


def _fragments(snippet: str) -> list[str]:
    """The snippet's fragments as plain text, without the ellipsis between or after them."""
    return [part.strip() for part in plain_text(snippet).split("…") if part.strip()]


def _inside_word(text: str, at: int) -> bool:
    return 0 < at < len(text) and bool(re.match(r"\w\w", text[at - 1 : at + 1]))


def _marks(snippet: str) -> set[str]:
    return {
        plain_text(piece.split(MARK_CLOSE)[0]).lower() for piece in snippet.split(MARK_OPEN)[1:]
    }


@pytest.mark.parametrize("case", SNIPPET_CASES, ids=[f"{c.query} {c.name}" for c in SNIPPET_CASES])
def test_snippets_are_the_same_on_every_engine(corpus: Corpus, case: SnippetCase) -> None:
    """The same words marked, fragments cut at word boundaries, and with no word to mark the
    same start of the text, on every engine."""
    hits = {
        corpus.names.get(hit.id): hit for hit in corpus.index.search(case.query, limit=100).hits
    }
    assert case.name in hits, sorted(n for n in hits if n)
    snippet = hits[case.name].snippet
    doc = corpus.documents[case.name]
    fields = ("body", "headline") if doc.kind == "article" else ("text", "quote")
    texts = [" ".join(getattr(doc, f).split()) for f in fields if getattr(doc, f)]
    assert _marks(snippet) == set(case.marks), snippet
    for fragment in _fragments(snippet):
        source = next((t for t in texts if fragment in t), None)
        assert source is not None, f"{fragment!r} is not the hit's text"
        start = source.index(fragment)
        end = start + len(fragment)
        # no word cut in two at either end
        assert not _inside_word(source, start), fragment
        assert not _inside_word(source, end), fragment
        assert len(fragment) <= 200
    if not case.marks:
        # the start of the text, ending after the last whole word within 200 characters
        lead, plain = texts[0], plain_text(snippet)
        if len(lead) <= 200:
            assert plain == lead
        else:
            kept = plain.removesuffix(" …")
            assert plain.endswith(" …") and lead.startswith(kept) and len(kept) <= 200, plain
            following = lead[len(kept) :]
            assert following.startswith(" "), following[:20]
            assert len(kept) + len(following.split()[0]) + 1 > 200, "a whole word was dropped"
