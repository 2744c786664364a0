"""whoosh's text fields count their postings from their analysers' matches (whoosh_formats):
the same words, frequencies, weights and positions as whoosh's own token stream, on real pages
and on the edge cases of the analysers (passage breaks, case, marks)."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.formats import Positions

from corpsearch import Index
from corpsearch.documents import streams_of
from corpsearch.engine import whoosh_engine
from corpsearch.engine.whoosh_formats import MatchPositions
from corpsearch.passages import PASSAGE_JOIN

from .conftest import SHARED_DATA

TEXT_FIELDS = [name for name, field in whoosh_engine._schema().items() if field.format]
COUNTED = {
    name: field
    for name, field in whoosh_engine._schema().items()
    if isinstance(field.format, MatchPositions)
}
REAL_PAGES = sorted((SHARED_DATA / "comment-pages").glob("*.html"))[:6]
EDGES = [
    "",
    " ",
    "\n\n",
    "\n\nLeading break, then words",
    "one\n\ntwo\n \t\nthree\n\n\n\nfour",
    "a\n\u2028\nb",  # whitespace that is no passage break to the gap filter
    "İstanbul ΣΊΣΥΦΟΣ Straße ÉCOLE don’t under_score x²",
    "Wahl Wahlen wahl WAHL, wahl. wahl",
    "tabs\tand\r\nnew lines\x0bvertical\x0cfeed",
]


def _whoosh_values(field: object, value: str) -> list[tuple[str, int, float, bytes]]:
    fmt = field.format  # type: ignore[attr-defined]
    plain = Positions(field_boost=fmt.field_boost)
    return list(plain.word_values(value, field.analyzer, mode="index"))  # type: ignore[attr-defined]


def test_every_text_field_and_stream_is_counted() -> None:
    assert set(COUNTED) == {
        *("headline", "body", "text", "quote"),
        *("headline_stem", "body_stem", "text_stem", "quote_stem"),
    }
    assert set(COUNTED) <= set(TEXT_FIELDS)


@pytest.mark.parametrize("value", EDGES)
@pytest.mark.parametrize("name", sorted(COUNTED))
def test_edge_cases_count_as_whoosh_does(name: str, value: str) -> None:
    field = COUNTED[name]
    assert list(field.format.word_values(value, field.analyzer, mode="index")) == _whoosh_values(
        field, value
    )


@pytest.mark.skipif(not REAL_PAGES, reason="shared/data is not beside the checkout")
def test_real_pages_count_as_whoosh_does(tmp_path: Path) -> None:
    with Index.create(tmp_path / "index", engine="tantivy") as index:
        assert index.add(REAL_PAGES).failures == []
        documents = list(index.documents())
    assert len(documents) > 40
    checked = 0
    for doc in documents:
        streams = streams_of(doc)
        values = {
            "headline": doc.headline,
            "body": doc.body,
            "text": doc.text,
            "quote": doc.quote,
            "headline_stem": streams.headline,
            "body_stem": streams.body,
            "text_stem": streams.text,
            "quote_stem": PASSAGE_JOIN.join(streams.quote),
        }
        for name, value in values.items():
            if not value:
                continue
            field = COUNTED[name]
            counted = list(field.format.word_values(value, field.analyzer, mode="index"))
            assert counted == _whoosh_values(field, value), (doc.id, name)
            checked += 1
    assert checked > 80


def test_other_values_and_options_go_through_the_analyser() -> None:
    field = COUNTED["body"]
    words = ["Wahl", "wahlen"]
    assert list(field.format.word_values(words, field.analyzer, mode="index")) == list(
        Positions().word_values(words, field.analyzer, mode="index")
    )
