"""Defects of whoosh (every fork) that corpsearch avoids; each test fails if one comes back."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

from corpsearch import Index
from corpsearch.documents import IndexDocument
from corpsearch.query.ast import And, DateRange, Not, Or, Phrase, Term

WORDS = [f"w{i:03d}" for i in range(120)]
# Zipf-like weights: some words are in many posting blocks, as in real text.
WEIGHTS = [1.0 / (i + 1) for i in range(len(WORDS))]


def _doc(number: int, text: str) -> IndexDocument:
    return IndexDocument(
        id=f"d{number}",
        kind="comment",
        article_id=f"a{number}",
        headline="",
        body="",
        text=text,
        quote="",
        author=None,
        site=None,
        url=None,
        lang=None,
        date=datetime(2014, 1, 1, tzinfo=UTC),
        published=None,
        position=0,
        comment_count=0,
        article_headline="",
        source="generated",
    )


def test_and_not_of_or_never_raises(tmp_path: Path) -> None:
    """whoosh's optimised AndNot(Or(a, b), c) raises IndexError on 0.4-1% of such queries over a
    multi-segment index (benchmarks/whoosh_defects.py). corpsearch searches negations unoptimised;
    here every answer is also checked against a count made from the documents themselves."""
    rng = random.Random(7)
    texts = [set(rng.choices(WORDS, WEIGHTS, k=rng.randint(1, 8))) for _ in range(3000)]
    with Index.create(tmp_path / "ix") as index:
        for segment in range(4):  # several segments, as after incremental runs
            writer = index.engine.writer()
            writer.add(
                _doc(n, " ".join(sorted(texts[n])))
                for n in range(segment * 750, (segment + 1) * 750)
            )
            writer.commit()
        for _ in range(150):
            a, b, c = rng.choices(WORDS[:40], k=3)
            tree = And((Or((Term("text", a), Term("text", b))), Not(Term("text", c))))
            expected = sum(1 for words in texts if (a in words or b in words) and c not in words)
            result = index.search(tree, limit=rng.choice([1, 3, 10]))
            assert result.total == expected


def test_no_space_after_full_stop_does_not_glue_words(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix") as index:
        writer = index.engine.writer()
        writer.add([_doc(1, "He worked for the employer.The public sector pays less.")])
        writer.commit()
        assert index.search(Phrase(None, "the public sector")).total == 1
        assert index.search("employer").total == 1
        assert index.search('"employer the public"').total == 1


def test_exclusive_and_inclusive_range_ends_are_exact(tmp_path: Path) -> None:
    """whoosh's parser read {a TO b} as inclusive and rounded date ends; ours are exact."""
    with Index.create(tmp_path / "ix") as index:
        writer = index.engine.writer()
        writer.add([_doc(1, "x")])  # dated 2014-01-01T00:00:00Z
        writer.commit()
        instant = datetime(2014, 1, 1, tzinfo=UTC)
        assert index.search(DateRange(instant, None)).total == 1
        assert index.search(DateRange(None, instant)).total == 0
        assert index.search("date:{2013-12-31 TO 2014-01-02}").total == 1
        assert index.search("date:{2014-01-01 TO 2014-01-03}").total == 0
        assert index.search("date:[2013 TO 2013]").total == 0
        assert index.search("date:[2014-01-01T00:00:00 TO 2014-01-01T00:00:00]").total == 1
        assert index.search("date:2020-02-01T00:00:00").total == 0


def test_the_quote_analyser_keeps_the_name_existing_indexes_pickled() -> None:
    """A whoosh index's schema pickles its analysers by module and name: moving the passage
    filter would make every existing index fail to open."""
    from corpsearch.engine import whoosh_engine

    assert whoosh_engine.PassageGapFilter.__module__ == "corpsearch.engine.whoosh_engine"
    assert whoosh_engine.PassageGapFilter.__qualname__ == "PassageGapFilter"
