"""Quoted passages: one rule for every engine.

A comment's ``quote`` field holds the passages it quotes, separated by blank lines. A phrase or
a proximity never matches across two passages, so each engine indexes the passages apart: tantivy
as separate values of the field, whoosh and PostgreSQL with ``PASSAGE_GAP`` positions between
them. A wider proximity than the gap is checked passage by passage.
"""

from __future__ import annotations

import re

__all__ = ["PASSAGE_BREAK", "PASSAGE_GAP", "PASSAGE_JOIN", "quote_passages"]

# How the stored field joins a comment's quoted passages, and what splits them again.
PASSAGE_JOIN = "\n\n"
PASSAGE_BREAK = re.compile(r"\n\s*\n")

# Positions between two passages of the quote field: more than a phrase's words are apart.
PASSAGE_GAP = 1000


def quote_passages(text: str) -> list[str]:
    """The non-empty passages of a quote field's text, in order."""
    return [passage for passage in PASSAGE_BREAK.split(text) if passage]
