"""tantivy's exact proximity chains give what checking every candidate's text gives.

Two different words near each other are one sloppy phrase (``tantivy_compiler._window``); a
proximity of a few words and a small ``~N`` is compiled to one phrase per chain of distances
(``ordering.distance_chains``), answered in the index; a wider one narrows candidates and
checks each one's stored text (``ordering.in_order``). The three must agree: real page text,
pairs and triples of its words at random distances, with the windows, then the chains switched
off for the check.
"""

from __future__ import annotations

import random
import re

import pytest

from corpsearch import Index
from corpsearch.engine import tantivy_compiler
from corpsearch.engine.ordering import chain_count, distance_chains

from .conftest import PAGES

WORD = re.compile(r"\w+")


def test_chains_are_every_in_order_placement() -> None:
    assert list(distance_chains(2, 2)) == [(1,), (2,), (3,)]
    assert list(distance_chains(3, 1)) == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert chain_count(3, 2) == len(list(distance_chains(3, 2))) == 9
    assert list(distance_chains(1, 5)) == [()]


@pytest.fixture(scope="module")
def pages_index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    folder = tmp_path_factory.mktemp("proximity") / "index"
    ix = Index.create(folder, engine="tantivy")
    ix.add([PAGES])
    return ix


@pytest.fixture(scope="module")
def whoosh_index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    folder = tmp_path_factory.mktemp("proximity-whoosh") / "index"
    ix = Index.create(folder, engine="whoosh")
    ix.add([PAGES])
    return ix


def _queries(ix: Index) -> list[str]:
    rng = random.Random(5)
    texts = [WORD.findall((d.body or d.text).lower()) for d in ix.documents()]
    texts = [t for t in texts if len(t) > 20]
    queries = []
    for _ in range(60):
        words = rng.choice(texts)
        count = rng.choice((2, 2, 3))
        at = rng.randrange(len(words) - 12)
        picked = sorted(rng.sample(range(at, at + 8), count))
        slop = rng.choice((1, 2, 3, 5))
        field = rng.choice(("", "body:", "text:"))
        queries.append(f'{field}"{" ".join(words[i] for i in picked)}"~{slop}')
    # a word near itself, and a pair in either order (a sloppy phrase's window reaches back)
    for slop in (1, 2, 3, 4):
        queries += [f'"the the"~{slop}', f'"of the"~{slop}', f'"the of"~{slop}']
    return queries


def test_chains_agree_with_checking_stored_text_and_with_whoosh(
    pages_index: Index, whoosh_index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = _queries(pages_index)
    windowed = {q: [h.id for h in pages_index.search(q, limit=1000).hits] for q in queries}
    whoosh = {q: {h.id for h in whoosh_index.search(q, limit=1000).hits} for q in queries}
    assert {q: set(ids) for q, ids in windowed.items()} == whoosh
    monkeypatch.setattr(tantivy_compiler, "SLOPPY_PAIRS", False)
    chained = {q: [h.id for h in pages_index.search(q, limit=1000).hits] for q in queries}
    assert chained == windowed
    monkeypatch.setattr(tantivy_compiler, "MAX_CHAINS", 0)
    checked = {q: [h.id for h in pages_index.search(q, limit=1000).hits] for q in queries}
    assert chained == checked
    # the sample is worth something: most queries find their own source, some find nothing
    found = [q for q in queries if chained[q]]
    assert len(found) >= 30


def test_words_far_apart_within_each_gap(pages_index: Index) -> None:
    """Two words between each pair: "are using frameworks - all that added code" (a comment
    on sitepoint.html), which tantivy's own sloppy phrase does not find."""
    hits = pages_index.search('text:"are all code"~2').hits
    assert [h.id for h in hits] == ["6a1af3951dff5fe7"]
    assert pages_index.search('text:"are all code"~1').total == 0
