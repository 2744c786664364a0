"""Text normalisation shared by every extractor: Unicode NFC, whitespace, paragraphs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["clean_line", "clean_text", "join_paragraphs", "normalise_key", "split_paragraphs"]

_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n")
_WORD = re.compile(r"\w+")
# Characters that render as nothing but split or glue words in the index.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def clean_line(text: str) -> str:
    """NFC, invisible characters removed, runs of spaces collapsed, ends trimmed."""
    if not text.isascii():  # ASCII is in NFC and holds none of these characters
        text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).replace("\xa0", " ")
    if "\n" not in text:
        # str.split() splits at exactly the characters the pattern matches when no newline
        # is among them, and the join collapses and trims as the pattern would
        return " ".join(text.split())
    return _SPACES.sub(" ", text).strip()


def clean_text(text: str | None) -> str:
    """NFC, invisible characters dropped, all whitespace (line breaks too) collapsed, ends
    trimmed: a value read from markup as one line (a heading, a meta tag, a date)."""
    if not text:
        return ""
    # ASCII is in NFC and holds no invisible characters; str.split() splits at exactly the
    # characters \s matches, so the join collapses and trims as the pattern would
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return " ".join(text.split())


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines; lines inside a paragraph keep their line breaks."""
    paragraphs = []
    for block in _BLANK_LINES.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [clean_line(line) for line in block.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return paragraphs


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    return "\n\n".join(p for p in paragraphs if p)


def normalise_key(text: str) -> str:
    """A comparison key: case-folded words only, so quotes match across punctuation and spacing."""
    if not text.isascii():  # ASCII is in NFC already
        text = unicodedata.normalize("NFC", text)
    return " ".join(_WORD.findall(text.casefold()))
