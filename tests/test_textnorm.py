"""Whitespace and invisible characters in the text cleaners: the fast paths (ASCII, no
newline) give what the patterns give."""

from __future__ import annotations

import re
import unicodedata

import pytest

from corpsearch.extract.metadata import clean_text
from corpsearch.textnorm import clean_line, split_paragraphs

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

SAMPLES = [
    "",
    "  plain  ASCII\ttext \x0b\x0c ",
    "\x1c\x1d\x1e\x1f unit separators are whitespace to str.split and to \\s",
    "non\u00a0breaking\u2003em\u3000ideographic\u2028line\u2029para\x85next",
    "soft\u00adhyphen zero\u200bwidth word\u2060joiner \ufeffbom",
    "cafe\u0301 decomposed",
    "two\nlines\n\n and a blank one",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_clean_text_is_nfc_without_invisibles_and_collapsed(text: str) -> None:
    want = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).translate(_INVISIBLE)).strip()
    assert clean_text(text) == want


@pytest.mark.parametrize("text", SAMPLES)
def test_clean_line_keeps_newlines_and_collapses_other_spaces(text: str) -> None:
    norm = unicodedata.normalize("NFC", text).translate(_INVISIBLE).replace("\xa0", " ")
    assert clean_line(text) == re.sub(r"[^\S\n]+", " ", norm).strip()


def test_paragraphs_split_at_blank_lines() -> None:
    assert split_paragraphs("a  b\nc\n\n\u00a0d\u200b ") == ["a b\nc", "d"]
