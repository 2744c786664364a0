"""The tantivy engine: what only it needs, and a differential test against the whoosh engine.

The seed acceptance queries in test_index_search.py run on every engine through the ``engine``
fixture; here the two engines index the same few hundred documents (real pages and the seed,
and variations made from their text) and must find the same documents for many random query
trees.
"""

from __future__ import annotations

import functools
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from corpsearch import ConfigError, Index, IndexLockedError
from corpsearch.cli import cli
from corpsearch.documents import IndexDocument, documents_of
from corpsearch.engine import Engine, SearchRequest, engine_class
from corpsearch.engine.expansions import fuzzy_match, fuzzy_matches, prefix_pattern
from corpsearch.engine.kind_lengths import BM25_B, BM25_K1, kind_length_weights
from corpsearch.extract import extract
from corpsearch.generations import resolve
from corpsearch.query import ast
from corpsearch.sources import SourceDocument, iter_sources

from .conftest import PAGES, SEED_HTML, SEED_TEXT

# -- the fuzzy and prefix patterns -------------------------------------------------------------


def _levenshtein(a: str, b: str) -> int:
    """Edit distance with insertions, deletions and substitutions, written out as reference."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@given(
    term=st.text(alphabet="abcé_1", min_size=1, max_size=7),
    words=st.lists(st.text(alphabet="abcé_1", min_size=1, max_size=9), max_size=30),
    distance=st.integers(min_value=1, max_value=2),
)
def test_fuzzy_words_match_first_letter_and_edit_distance(
    term: str, words: list[str], distance: int
) -> None:
    expected = [w for w in words if w[0] == term[0] and _levenshtein(w, term) <= distance]
    # the words tantivy searches for and the rule kwic checks words with are one rule
    assert fuzzy_matches(term, distance, words) == expected
    assert [w for w in words if fuzzy_match(w, term, distance)] == expected


@pytest.mark.parametrize(
    ("word", "term", "distance", "expected"),
    [
        ("wahl", "wahl", 1, True),
        ("wahlen", "wahl", 2, True),
        ("wahlen", "wahl", 1, False),  # two letters added
        ("qahl", "wahl", 1, False),  # within one edit, but the first letter differs
        ("wal", "wahl", 1, True),
        ("wxyz", "wahl", 2, False),
    ],
)
def test_fuzzy_match_keeps_first_letter_and_counts_edits(
    word: str, term: str, distance: int, expected: bool
) -> None:
    assert fuzzy_match(word, term, distance) is expected


def test_prefix_pattern_is_literal() -> None:
    pattern = re.compile(prefix_pattern("a.b*("))
    assert pattern.fullmatch("a.b*(cd")
    assert not pattern.fullmatch("axb*(cd")


# -- tantivy-only behaviour --------------------------------------------------------------------


def test_second_writer_is_refused_until_the_first_finishes(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix", engine="tantivy") as index:
        writer = index.engine.writer()
        with pytest.raises(IndexLockedError, match="wait for it to finish"):
            index.engine.writer()
        writer.cancel()
        index.engine.writer().cancel()


def test_reopened_index_keeps_engine_and_analysers(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix", engine="tantivy") as index:
        index.add([SEED_TEXT])
    with Index.open(tmp_path / "ix") as index:
        assert index.engine.name == "tantivy"
        assert index.search('"kill their own people"').total == 2
        assert index.search("author:_MOWATEN_").total == 4


def test_a_search_sees_each_commit_of_another_writer_at_once(tmp_path: Path) -> None:
    # the reader is reloaded only when the index's meta.json changed: each commit changes it
    with (
        Index.create(tmp_path / "ix", engine="tantivy") as writing,
        Index.open(tmp_path / "ix") as reading,
    ):
        assert reading.search("*").total == 0
        writing.add([SEED_TEXT])
        assert reading.search("author:_mowaten_").total == 4
        assert reading.search("author:_mowaten_").total == 4
        for _ in range(3):  # commits in quick succession, each seen by the next search
            article = writing.search("kind:article").hits[0].id
            writer = writing.engine.writer()
            writer.delete_article(article)
            writer.commit()
            assert reading.search("*").total == 0
            writing.add([SEED_TEXT])
            assert reading.search("*").total == 6


def test_cancelled_batch_leaves_index_as_it_was(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix", engine="tantivy") as index:
        index.add([SEED_TEXT])
        writer = index.engine.writer()
        writer.delete_article(index.search("kind:article").hits[0].id)
        writer.cancel()
        assert index.count() == {"article": 1, "comment": 5}


@pytest.mark.parametrize("asked", [None, "tantivy", "whoosh"])
def test_cli_builds_an_index_and_later_commands_follow_its_engine(
    tmp_path: Path, asked: str | None
) -> None:
    runner = CliRunner()
    folder = str(tmp_path / "ix")
    flag = ["--engine", asked] if asked else []
    built = runner.invoke(cli, ["index", *flag, "--index", folder, str(SEED_TEXT)])
    assert built.exit_code == 0, built.stderr
    made = asked or "tantivy"  # a new index without --engine is a tantivy index
    other = "whoosh" if made == "tantivy" else "tantivy"
    generation = resolve(tmp_path / "ix")
    assert json.loads((generation / "corpsearch.json").read_text())["engine"] == made
    # No --engine: the folder says which engine it uses, for an update and for a rebuild.
    again = runner.invoke(cli, ["index", "--index", folder, str(SEED_HTML)])
    assert again.exit_code == 0, again.stderr
    found = runner.invoke(cli, ["query", "--index", folder, "--format", "json", "author:_mowaten_"])
    assert found.exit_code == 0, found.stderr
    assert json.loads(found.stdout)["total"] == 8
    assert made in {p.name for p in generation.iterdir()}
    assert other not in {p.name for p in generation.iterdir()}
    rebuilt = runner.invoke(cli, ["index", "--rebuild", "--index", folder, str(SEED_TEXT)])
    assert rebuilt.exit_code == 0, rebuilt.stderr
    generation = resolve(tmp_path / "ix")
    assert json.loads((generation / "corpsearch.json").read_text())["engine"] == made
    with Index.open(folder) as index:
        assert index.engine.name == made
        assert index.search("author:_mowaten_").total == 4


def test_missing_tantivy_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tantivy", None)  # as if no wheel were installed
    monkeypatch.delitem(sys.modules, "corpsearch.engine.tantivy_engine", raising=False)
    with pytest.raises(ConfigError, match="pip install tantivy"):
        engine_class("tantivy")


def test_cli_refuses_an_unknown_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["index", "--engine", "lucene", "--index", str(tmp_path), "x"])
    assert result.exit_code == 2
    assert "whoosh" in result.stderr and "tantivy" in result.stderr


def test_fields_are_scored_against_the_lengths_of_their_own_kind(tmp_path: Path) -> None:
    # One article and nine comments; every field is exactly as long as the average of the
    # documents that have it, and "alpha" occurs once in the headline, the body and one comment.
    # BM25 with per-kind averages then gives each occurrence the same score (same idf, same
    # relative length), the headline's counted twice: the article scores three times the
    # comment. Averaged over all ten documents, the article's fields would look ten times
    # longer than usual and it would score below the comment.
    base = _documents()[0]
    article = replace(
        base,
        id="a",
        article_id="a",
        kind="article",
        headline="alpha beta",
        body="gamma delta alpha epsilon",
        text="",
        quote="",
    )
    comments = [
        replace(
            article,
            id=f"a/{n}",
            kind="comment",
            headline="",
            body="",
            text="alpha zeta" if n == 0 else "eta theta",
            position=n,
        )
        for n in range(9)
    ]
    engine = engine_class("tantivy").create(tmp_path / "ix")
    writer = engine.writer()
    writer.add([article, *comments])
    writer.commit()
    hits = engine.search(SearchRequest(ast.Term(None, "alpha"))).hits
    assert [hit.id for hit in hits] == ["a", "a/0"]
    assert hits[0].score == pytest.approx(3 * hits[1].score, rel=1e-5)
    fielded = engine.search(SearchRequest(ast.Term("headline", "alpha"))).hits
    assert fielded[0].score == pytest.approx(2 * hits[1].score, rel=1e-5)


@pytest.mark.parametrize("having", [2000, 11_000, 20_614])
def test_length_weights_follow_bm25_of_the_kind(having: int) -> None:
    # A word occurring tf times in a field x times as long as the kind's average: what BM25
    # gives with the kind's average, and what the weights make of tantivy's score, computed
    # with the average over all documents (r times smaller).
    total = 22_614
    r = total / having
    weight = kind_length_weights(total, {"article": having, "comment": total - having})["headline"]

    def bm25(x: float, tf: float = 1.0) -> float:
        return (BM25_K1 + 1) * tf / (tf + BM25_K1 * (1 - BM25_B + BM25_B * x))

    def weighted(x: float, tf: float = 1.0) -> float:
        return weight.scale * bm25(r * x, tf) + weight.per_idf

    assert weighted(1.0) == pytest.approx(bm25(1.0))
    if weight.per_idf:
        step = 1e-4
        slope = (bm25(1 + step) - bm25(1 - step)) / (2 * step)
        assert (weighted(1 + step) - weighted(1 - step)) / (2 * step) == pytest.approx(slope)
    # Closer than a plain scale (right at the average only) for most lengths and counts.
    scale = bm25(1.0) / bm25(r)
    for x, tf in [(0.25, 1), (0.5, 1), (2.0, 1), (1.0, 2), (1.0, 5), (0.5, 3)]:
        error = abs(weighted(x, tf) - bm25(x, tf))
        assert error <= abs(scale * bm25(r * x, tf) - bm25(x, tf)) + 1e-12
        assert error < 0.4 * bm25(x, tf)


# -- differential test -------------------------------------------------------------------------

AUTHORS = ["_mowaten_", "imagine_1979", "Jane Doe", "Élodie", "a_b", None]
SITES = ["naharnet.com", "example.org", "telegraph.co.uk", None]
LANGS = ["en", "fr", None]
START = datetime(2014, 9, 10, tzinfo=UTC)
LEAVES = [
    "term",
    "phrase",
    "proximity",
    "prefix",
    "fuzzy",
    "date",
    "author",
    "kind",
    "site",
    "lang",
    "keyword",
]
# Words with accents and other scripts, mixed into the variations.
WORLD = ["café", "Zürich", "naïve", "Ελλάδα", "Москва", "façade", "São", "résumé", "北京"]


@functools.cache
def _real_documents() -> list[IndexDocument]:
    docs: list[IndexDocument] = []
    for item in iter_sources([SEED_TEXT, SEED_HTML, PAGES]):
        assert isinstance(item, SourceDocument)
        docs.extend(documents_of(extract(item)))
    return docs


def _windows(docs: list[IndexDocument]) -> list[list[str]]:
    """Runs of the real texts' words (with their punctuation), to build variations from."""
    out = []
    for doc in docs:
        words = " ".join([doc.headline, doc.body, doc.text]).split()
        out += [words[i : i + 40] for i in range(0, max(len(words) - 40, 1), 25)]
    return [w for w in out if w]


def _snippet(rng: random.Random, windows: list[list[str]], low: int, high: int) -> str:
    window = rng.choice(windows)
    start = rng.randrange(len(window))
    return " ".join(window[start : start + rng.randint(low, high)])


def _date(rng: random.Random) -> datetime | None:
    if rng.random() < 0.15:
        return None
    return START + timedelta(seconds=rng.randrange(0, 6 * 86400, rng.choice([1, 60, 3600])))


def _variations(
    rng: random.Random, windows: list[list[str]], count: int
) -> Iterator[IndexDocument]:
    for n in range(count):
        article_id = f"{n:04x}" + "".join(rng.choice("0123456789abcdef") for _ in range(12))
        headline = _snippet(rng, windows, 3, 9)
        body = " ".join(_snippet(rng, windows, 5, 40) for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.3:
            body += " " + " ".join(rng.sample(WORLD, 2))
        site, lang = rng.choice(SITES), rng.choice(LANGS)
        comments = rng.randint(0, 3)
        article = IndexDocument(
            id=article_id,
            kind="article",
            article_id=article_id,
            headline=headline,
            body=body,
            text="",
            quote="",
            author=rng.choice(AUTHORS),
            site=site,
            url=f"https://{site or 'example.net'}/{n}",
            lang=lang,
            date=_date(rng),
            published=None,
            position=0,
            comment_count=comments,
            article_headline=headline,
            source=f"variation {n}",
        )
        yield article
        for position in range(1, comments + 1):
            date = _date(rng)
            yield replace(
                article,
                id=f"{article_id[:13]}c{position:02d}",
                kind="comment",
                headline="",
                body="",
                text=_snippet(rng, windows, 3, 30),
                quote=_snippet(rng, windows, 3, 12) if rng.random() < 0.3 else "",
                author=rng.choice(AUTHORS),
                date=date,
                published=date.isoformat() if date else None,
                position=position,
                comment_count=0,
            )


class _Queries:
    """Random query trees over the documents' own words, authors, sites and dates."""

    def __init__(self, rng: random.Random, windows: list[list[str]], dates: list[datetime]) -> None:
        self.rng = rng
        self.windows = windows
        self.dates = dates
        text = " ".join(" ".join(ws) for ws in windows) + " " + " ".join(WORLD)
        self.words = sorted({w.lower() for w in re.findall(r"\w+", text)})
        self.documents = _documents()

    def field(self) -> str | None:
        return self.rng.choice([None, None, "headline", "body", "text", "quote"])

    def word(self) -> str:
        return self.rng.choice(self.words)

    def leaf(self, kind: str | None = None) -> ast.Node:
        rng = self.rng
        kind = kind or rng.choice([*LEAVES, "term", "phrase"])
        if kind == "term":
            word = self.word()
            return ast.Term(self.field(), word.upper() if rng.random() < 0.2 else word)
        if kind == "phrase":
            return ast.Phrase(self.field(), self.spread_words(), rng.choice([0, 0, 1, 2, 5]))
        if kind == "proximity":
            return ast.Phrase(self.field(), self.spread_words(), rng.choice([1, 2, 3, 5]))
        if kind == "prefix":
            word = self.word()
            return ast.Prefix(self.field(), word[: rng.randint(1, max(1, min(len(word), 4)))])
        if kind == "fuzzy":
            word = self.word()[:9]
            if len(word) > 2 and rng.random() < 0.7:
                i = rng.randrange(1, len(word))
                word = word[:i] + rng.choice("aeiouxz") + word[i + 1 :]
            return ast.Fuzzy(self.field(), word, rng.choice([1, 2]))
        if kind == "date":
            # Ends on documents' own times, to hold inclusive starts and exclusive ends.
            start = rng.choice(self.dates) + timedelta(seconds=rng.choice([0, 0, -1, 1]))
            end = start + timedelta(seconds=rng.choice([1, 60, 3600, 86400, 3 * 86400]))
            if rng.random() < 0.5:
                end = rng.choice(self.dates)
            return ast.DateRange(*rng.choice([(start, end), (start, None), (None, end)]))
        if kind == "author":
            name = rng.choice([a for a in AUTHORS if a])
            return ast.Term("author", name.upper() if rng.random() < 0.3 else name)
        if kind == "kind":
            return ast.Term("kind", rng.choice(["article", "comment"]))
        if kind == "site":
            site = rng.choice([s for s in SITES if s])
            return ast.Term("site", "www." + site if rng.random() < 0.3 else site)
        if kind == "keyword":  # url, article id, and prefix or fuzzy whole values
            doc = rng.choice(self.documents)
            author = rng.choice([a for a in AUTHORS if a])
            return rng.choice(
                [
                    ast.Term("url", doc.url or ""),
                    ast.Term("article", doc.article_id),
                    ast.Term("id", doc.id),
                    ast.Prefix("author", author[: rng.randint(1, 4)]),
                    ast.Fuzzy("author", author[:-1] + "x", rng.choice([1, 2])),
                    ast.Prefix("site", rng.choice(["nahar", "www.tele", "ex"])),
                ]
            )
        return ast.Term("lang", rng.choice(["en", "fr"]))

    def spread_words(self) -> str:
        """Two or three words of a text, in order or not, next to each other or a few apart."""
        window = self.rng.choice(self.windows)
        at = self.rng.randrange(len(window))
        picked = []
        for _ in range(self.rng.randint(2, 3)):
            if at < len(window):
                picked.append(window[at])
            at += self.rng.choice([1, 1, 2, 3, 4, 7])
        if self.rng.random() < 0.2:
            picked.reverse()
        return " ".join(picked)

    def tree(self, depth: int = 0) -> ast.Node:
        rng = self.rng
        if depth >= 3 or rng.random() < 0.35:
            return self.leaf()
        shape = rng.choice(["and", "and", "or", "not", "comments", "all"])
        if shape == "not":
            return ast.Not(self.tree(depth + 1))
        if shape == "comments":
            return ast.HasComments(self.tree(depth + 1))
        if shape == "all":
            return ast.And((ast.MatchAll(), self.tree(depth + 1)))
        children = tuple(self.tree(depth + 1) for _ in range(rng.randint(2, 3)))
        return ast.And(children) if shape == "and" else ast.Or(children)


@functools.cache
def _documents() -> list[IndexDocument]:
    real = _real_documents()
    return real + list(_variations(random.Random(20140913), _windows(real), 160))


def _queries(seed: int) -> _Queries:
    documents = _documents()
    dates = sorted({d.date for d in documents if d.date is not None})
    return _Queries(random.Random(seed), _windows(_real_documents()), dates)


@pytest.fixture(scope="module")
def both_engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, ...]]:
    documents = _documents()
    engines = []
    for name in ("whoosh", "tantivy"):
        engine = engine_class(name).create(tmp_path_factory.mktemp(name))
        writer = engine.writer()
        writer.add(documents)
        writer.commit()
        engines.append(engine)
    yield tuple(engines)
    for engine in engines:
        engine.close()


def _ids(engine: Engine, tree: ast.Node, sort: str = "relevance") -> tuple[int, list[str]]:
    page = engine.search(SearchRequest(tree, sort=sort, limit=2000))  # type: ignore[arg-type]
    return page.total, [hit.id for hit in page.hits]


def test_engines_hold_the_same_documents(both_engines: tuple[Engine, ...]) -> None:
    whoosh, tantivy = both_engines
    counts = whoosh.count()
    assert counts["article"] > 150 and counts["comment"] > 150
    assert tantivy.count() == counts


@pytest.mark.parametrize("seed", range(3))
def test_random_queries_find_the_same_documents(
    both_engines: tuple[Engine, ...], seed: int
) -> None:
    whoosh, tantivy = both_engines
    queries = _queries(seed)
    nonempty = 0
    for _ in range(40):
        tree = queries.tree()
        total, ids = _ids(whoosh, tree)
        got_total, got = _ids(tantivy, tree)
        assert (got_total, sorted(got)) == (total, sorted(ids)), tree
        nonempty += total > 0
    assert nonempty > 10  # the queries do find things


@pytest.mark.parametrize("kind", LEAVES)
def test_each_kind_of_leaf_finds_the_same_documents(
    both_engines: tuple[Engine, ...], kind: str
) -> None:
    whoosh, tantivy = both_engines
    queries = _queries(len(kind))
    found = 0
    for _ in range(12 if kind in ("kind", "lang", "site", "author") else 40):
        leaf = queries.leaf(kind)
        total, ids = _ids(whoosh, leaf)
        got_total, got = _ids(tantivy, leaf)
        assert (got_total, sorted(got)) == (total, sorted(ids)), leaf
        found += total > 0
    assert found > 5


def _generator_index(texts: list[str]) -> tuple[object, object]:
    """A tantivy index of ``texts`` in a field tokenized as tantivy's snippet generator would
    tokenize corpsearch's words itself (``\\w+``, lower-cased), and its searcher."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=True, tokenizer_name="words")
    index = tantivy.Index(builder.build())
    index.register_tokenizer("words", _tantivy_analyzer())
    writer = index.writer()
    for text in texts:
        document = tantivy.Document()
        document.add_text("body", text)
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index, index.searcher()


@pytest.mark.parametrize("seed", range(3))
def test_fragments_chosen_in_python_are_tantivys_own(seed: int) -> None:
    """corpsearch.engine.tantivy_fragments chooses a snippet's fragment as tantivy's snippet
    generator does: on real pages and their variations (accents, other scripts), with words of
    the text marked, the fragment and marks are those tantivy's generator makes itself, by the
    short way and word by word alike."""
    import tantivy
    from tantivy import Occur, Query

    from corpsearch.analysis import exact_words
    from corpsearch.engine import tantivy_fragments
    from corpsearch.engine.compiler_snippets import SNIPPET_CHARS
    from corpsearch.engine.ordering import mark

    rng = random.Random(seed)
    texts = [d.body or d.text for d in _documents() if d.body or d.text]
    texts = rng.sample(texts, 60) + [t + " " + " ".join(WORLD) for t in rng.sample(texts, 10)]
    # outside the short way: a letter whose lower case is longer, arrows
    texts += [t + " İstanbul ← → ⇒" for t in rng.sample(texts, 10)]
    index, searcher = _generator_index(texts)
    schema = index.schema  # type: ignore[attr-defined]
    short = compared = 0
    for text in texts:
        words = exact_words(text)
        if words != _tantivy_words(text):
            continue  # where Python's and Rust's word characters differ: not comparable
        wanted = sorted(set(rng.sample(words, min(len(words), rng.randint(1, 4)))))
        query = Query.boolean_query(
            [(Occur.Should, Query.term_query(schema, "body", w)) for w in wanted]
        )
        generator = tantivy.SnippetGenerator.create(searcher, query, schema, "body")
        generator.set_max_num_chars(SNIPPET_CHARS)
        document = tantivy.Document()
        document.add_text("body", text)
        own = generator.snippet_from_doc(document)
        theirs = mark(own.fragment(), [(r.start, r.end) for r in own.highlighted()])
        scores = {
            w.encode(): tantivy_fragments.f32_score(searcher.doc_freq("body", w))  # type: ignore[attr-defined]
            for w in wanted
        }
        found, ranges = tantivy_fragments.fragment(text, scores, SNIPPET_CHARS)
        assert mark(found, ranges) == theirs, (text, wanted)
        assert tantivy_fragments._by_tokens(text, scores, SNIPPET_CHARS) == (found, ranges)
        short += tantivy_fragments._spaced(text) is not None
        compared += 1
    assert compared > 50
    assert 0 < short < compared  # both ways were compared


@functools.cache
def _tantivy_analyzer() -> object:
    from tantivy import Filter, TextAnalyzerBuilder, Tokenizer

    return TextAnalyzerBuilder(Tokenizer.regex(r"\w+")).filter(Filter.lowercase()).build()


def _tantivy_words(text: str) -> list[str]:
    """tantivy's ``\\w+`` words, lower-cased (as its snippet generator would find them)."""
    return [str(t) for t in _tantivy_analyzer().analyze(text)]  # type: ignore[attr-defined]


def test_the_short_way_classes_characters_as_the_exact_words_do() -> None:
    """The characters tantivy_fragments spaces or keeps on its short way are those that
    corpsearch.analysis.exact_words drops or keeps (lower-cased, as many bytes)."""
    from corpsearch.analysis import exact_words
    from corpsearch.engine import tantivy_fragments

    assert len(tantivy_fragments._LETTERS) > 300
    assert len(tantivy_fragments._NOT_WORDS) > 100
    for letter in tantivy_fragments._LETTERS:
        assert exact_words(f"a{letter}b") == [f"a{letter.lower()}b"], hex(ord(letter))
        spaced = tantivy_fragments._spaced(f"a{letter}b")
        assert spaced == f"a{letter.lower()}b".encode(), hex(ord(letter))
    for other in tantivy_fragments._NOT_WORDS:
        assert exact_words(f"a{other}b") == ["a", "b"], hex(ord(other))
        spaced = tantivy_fragments._spaced(f"a{other}b")
        assert spaced == b"a" + b" " * len(other.encode()) + b"b", hex(ord(other))
    assert tantivy_fragments._spaced("İstanbul") is None  # its lower case is longer
    assert tantivy_fragments._spaced("ΟΔΟΣ") is None  # Σ: lower-cased by its place in a word

    def each(ranges: str) -> list[str]:
        found = re.findall(r"(.)-(.)", ranges)
        return [chr(c) for low, high in found for c in range(ord(low), ord(high) + 1)]

    caseless = each(tantivy_fragments._CASELESS)
    assert len(caseless) > 30_000
    assert exact_words(" ".join(caseless)) == caseless
    assert tantivy_fragments._spaced(" ".join(caseless)) == " ".join(caseless).encode()
    emoji = each(tantivy_fragments._EMOJI)
    assert len(emoji) > 2000
    for other in emoji:
        assert exact_words(f"a{other}b") == ["a", "b"], hex(ord(other))
        assert tantivy_fragments._spaced(f"a{other}b") == b"a    b", hex(ord(other))


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_date_order_and_ties_agree(both_engines: tuple[Engine, ...], sort: str) -> None:
    whoosh, tantivy = both_engines
    queries = _queries(7)
    for tree in [ast.MatchAll(), ast.Term("kind", "comment")] + [queries.tree() for _ in range(20)]:
        assert _ids(tantivy, tree, sort) == _ids(whoosh, tree, sort), tree
    # Paging through a sort gives the same pages.
    for offset in (0, 7, 50, 333):
        request = SearchRequest(ast.MatchAll(), sort=sort, limit=5, offset=offset)  # type: ignore[arg-type]
        assert [h.id for h in tantivy.search(request).hits] == [
            h.id for h in whoosh.search(request).hits
        ]


@pytest.mark.parametrize(
    "tree",
    [
        ast.Term("kind", "comment"),
        ast.MatchAll(),
        ast.And((ast.Term("author", "_mowaten_"), ast.Not(ast.Term("kind", "article")))),
        ast.Term("site", "naharnet.com"),
        ast.HasComments(ast.Term(None, "the")),
    ],
)
def test_filter_only_queries_rank_newest_first_on_both(
    both_engines: tuple[Engine, ...], tree: ast.Node
) -> None:
    # Every hit scores the same, so relevance order falls back to newest first, then id.
    whoosh, tantivy = both_engines
    for offset in (0, 3):
        request = SearchRequest(tree, limit=15, offset=offset)
        expected = [h.id for h in whoosh.search(request).hits]
        assert len(expected) > 1
        assert [h.id for h in tantivy.search(request).hits] == expected


def test_dates_beyond_what_tantivy_stores_are_held_at_its_limits(tmp_path: Path) -> None:
    base = _documents()[0]
    old = replace(base, id="old", article_id="old", date=datetime(1500, 1, 1, tzinfo=UTC))
    far = replace(base, id="far", article_id="far", date=datetime(3000, 1, 1, tzinfo=UTC))
    engine = engine_class("tantivy").create(tmp_path / "ix")
    writer = engine.writer()
    writer.add([old, far])
    writer.commit()
    y2k = datetime(2000, 1, 1, tzinfo=UTC)

    def ids(tree: ast.Node, sort: str = "relevance") -> list[str]:
        page = engine.search(SearchRequest(tree, sort=sort))  # type: ignore[arg-type]
        return [h.id for h in page.hits]

    assert ids(ast.DateRange(None, y2k)) == ["old"]
    assert ids(ast.DateRange(y2k, None)) == ["far"]
    assert ids(ast.DateRange(datetime(1, 1, 1, tzinfo=UTC), None), "date") == ["old", "far"]


@pytest.mark.parametrize(
    ("query", "sort"),
    [
        ("*", "date"),
        ("*", "-date"),
        ("*", "relevance"),
        ("kind:comment", "-date"),
        ("the", "relevance"),
    ],
)
def test_export_pages_resume_after_the_last_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, query: str, sort: str
) -> None:
    """Streaming every hit gives the same hits, in the same order, as one page of all of them,
    also when it takes many pages (here 3 hits each, so page after page resumes by key)."""
    from corpsearch.engine import tantivy_engine

    with Index.create(tmp_path / "ix", engine="tantivy") as ix:
        ix.add([SEED_HTML, PAGES])
        whole = ix.search(query, sort=sort, limit=10_000)  # type: ignore[arg-type]
        monkeypatch.setattr(tantivy_engine, "PAGE_SIZE", 3)
        # by score, rounds of 3, 12, 48... hits, each fetching one more to settle ties
        monkeypatch.setattr(tantivy_engine, "_RELEVANCE_SLACK", 1)
        streamed = list(ix.iter_hits(query, sort=sort))  # type: ignore[arg-type]
    assert whole.total > 6
    assert [h.id for h in streamed] == [h.id for h in whole.hits]
    assert [h.score for h in streamed] == pytest.approx([h.score for h in whole.hits])


def test_streaming_by_score_through_equal_scores_skips_and_repeats_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs of equal scores longer than a round: each round gives only the hits scoring above
    the lowest score it fetched, so rounds neither repeat nor skip a hit."""
    from corpsearch.engine import tantivy_engine

    seed = next(d for d in _real_documents() if d.kind == "comment")
    when = datetime(2014, 9, 13, tzinfo=UTC)
    texts = ["alpha beta"] * 25 + ["alpha"] * 12 + ["alpha alpha gamma"] * 9 + ["beta"] * 5
    documents = [
        replace(
            seed,
            id=f"{i:016x}",
            text=text,
            quote="",
            date=when + timedelta(hours=i % 3),  # ties on date too: the id decides
            published=(when + timedelta(hours=i % 3)).isoformat(),
        )
        for i, text in enumerate(texts)
    ]
    engine = engine_class("tantivy").create(tmp_path / "ix")
    writer = engine.writer()
    writer.add(documents)
    writer.commit()
    tree = ast.Term(None, "alpha")
    whole = engine.search(SearchRequest(tree, limit=1000))
    monkeypatch.setattr(tantivy_engine, "PAGE_SIZE", 2)
    monkeypatch.setattr(tantivy_engine, "_RELEVANCE_SLACK", 1)
    streamed = [hit.id for hit in engine.iter_hits(tree)]
    engine.close()
    assert whole.total == 46
    assert streamed == [hit.id for hit in whole.hits]


def test_fuzzy_words_see_every_commit(tmp_path: Path) -> None:
    """The words a fuzzy word is matched against are listed once for a state of the index
    (tantivy_compiler.TermLists): a commit by the same index, or by another one on the same
    folder (another process), lists them again."""

    def doc(doc_id: str, body: str) -> IndexDocument:
        return IndexDocument(
            id=doc_id, kind="article", article_id=doc_id, headline="", body=body, text="",
            quote="", author=None, site=None, url=None, lang=None, date=None, published=None,
            position=0, comment_count=0, article_headline="", source="test",
        )  # fmt: skip

    def found(ix: Index, query: str) -> list[str]:
        return sorted(h.id for h in ix.search(query, limit=10).hits)

    folder = tmp_path / "index"
    with Index.create(folder, engine="tantivy") as ix:
        writer = ix.engine.writer()
        writer.add([doc("a1", "a zebra grazes")])
        writer.commit()
        assert found(ix, "zebre~1") == ["a1"]
        writer = ix.engine.writer()
        writer.add([doc("a2", "zebro the second")])
        writer.commit()
        assert found(ix, "zebre~1") == ["a1", "a2"]
        with Index.open(folder) as other:
            writer = other.engine.writer()
            writer.add([doc("a3", "zebru the third")])
            writer.commit()
        assert found(ix, "zebre~1") == ["a1", "a2", "a3"]


def test_languages_and_length_weights_see_every_commit(tmp_path: Path) -> None:
    """The index's languages (whose stemmers analyse a query's words) and the field length
    weights (from the documents of each kind) are read once for a state of the index
    (tantivy_compiler.TermLists), like the fuzzy word lists: a commit of another process adds a
    German document, whose ``Wahl`` only the German stemmer makes of ``Wahlen``, and comments,
    which change the weights; the open index's next search sees both, as a new one does."""

    def doc(doc_id: str, kind: str, text: str, lang: str) -> IndexDocument:
        body, comment = (text, "") if kind == "article" else ("", text)
        return IndexDocument(
            id=doc_id, kind=kind, article_id="a1", headline="", body=body, text=comment,
            quote="", author=None, site=None, url=None, lang=lang, date=None, published=None,
            position=0, comment_count=0, article_headline="", source="test",
        )  # fmt: skip

    def scored(ix: Index, query: str) -> list[tuple[str, float]]:
        return sorted((h.id, round(h.score, 6)) for h in ix.search(query, limit=10).hits)

    folder = tmp_path / "index"
    with Index.create(folder, engine="tantivy") as ix:
        writer = ix.engine.writer()
        writer.add([doc("a1", "article", "the elections were held on time", "en")])
        writer.commit()
        assert scored(ix, "Wahlen") == []
        before = scored(ix, "elections")
        with Index.open(folder) as other:
            writer = other.engine.writer()
            writer.add([doc("c1", "comment", "Die Wahl ist vorbei", "de")])
            writer.add([doc(f"c{n}", "comment", "held over", "en") for n in range(2, 6)])
            writer.commit()
        after = scored(ix, "elections")
        assert [i for i, _ in scored(ix, "Wahlen")] == ["c1"]
        with Index.open(folder) as fresh:
            assert scored(fresh, "elections") == after
            assert scored(fresh, "Wahlen") == scored(ix, "Wahlen")
        assert after != before  # four comments more: the body's length weight moved
