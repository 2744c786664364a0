"""Quoted passages are one rule (corpsearch.passages) that every engine and the records share."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from corpsearch import extract_paths
from corpsearch.documents import documents_of
from corpsearch.passages import PASSAGE_BREAK, PASSAGE_JOIN, quote_passages
from corpsearch.records import Article

from .conftest import SEED_TEXT

SRC = Path(__file__).resolve().parents[1] / "src" / "corpsearch"


def test_joined_passages_split_back() -> None:
    quotes = ["Die Wahl war knapp.", "Line one\nline two of the same quotation", "Ende."]
    assert quote_passages(PASSAGE_JOIN.join(quotes)) == quotes


def test_blank_lines_with_spaces_still_split_and_empty_passages_are_dropped() -> None:
    assert quote_passages("a b\n \t\nc d\n\n\n\n") == ["a b", "c d"]
    assert quote_passages("") == []


def test_a_seed_comments_quotes_are_stored_as_passages() -> None:
    article = next(a for a in extract_paths([SEED_TEXT]) if isinstance(a, Article))
    quotes = ("They have lost legitimacy to lead, period.", "An Assad advisor was quoted.")
    comment = dataclasses.replace(article.comments[0], quotes=quotes)
    doc = next(
        d for d in documents_of(dataclasses.replace(article, comments=(comment,))) if d.quote
    )
    assert tuple(quote_passages(doc.quote)) == quotes


def test_no_engine_module_defines_its_own_passage_break() -> None:
    # the rule once: an engine that split quotes its own way could let a phrase join two of them
    pattern = re.escape(PASSAGE_BREAK.pattern)
    for module in (SRC / "engine").glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert not re.search(r"re\.compile\(r[\"']" + pattern, text), module.name
        assert "PASSAGE_GAP = " not in text, module.name
