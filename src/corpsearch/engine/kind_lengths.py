"""Weights that give back BM25 its per-kind field lengths on engines that average a field's
length over every document.

Articles and comments share one index but not their text fields: only articles have a headline
and a body, only comments a text and a quote. BM25 divides a document's field length by the
field's average length; an engine that takes that average over all documents (tantivy does)
sees the average headline as about one word when comments outnumber articles ten to one, so
every headline looks ten times longer than usual and its words score far below the same words
in a comment. The engine's length statistics cannot be replaced, but its score can be scaled
and added to: a match scores ``scale`` times the engine's BM25 plus ``per_idf`` times the
query's idf, which equals BM25 with the average over the documents of the field's kind for one
occurrence in a document of that average length, and an approximation elsewhere. With articles
a tenth of the documents it is about 10% high for headlines and bodies of half or twice the
average length, and up to half again as high at a quarter or four times the average or for a
word repeated five times, where a scale alone is off by 40% to 110%. Result sets do not
change, only scores. Nothing here imports an engine library.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "BM25_B",
    "BM25_K1",
    "FIELD_KIND",
    "MIN_PER_IDF",
    "LengthWeight",
    "bm25_idf",
    "kind_length_weights",
]

# The BM25 constants tantivy uses (not configurable through its Python bindings).
BM25_K1 = 1.2
BM25_B = 0.75
# Below this (a kind with more than about five in six documents), no idf part is added.
MIN_PER_IDF = 0.1
# The kind of document each text field belongs to (the other kind leaves it empty).
FIELD_KIND = {"headline": "article", "body": "article", "text": "comment", "quote": "comment"}
# ... and each field's analysed stream (corpsearch.engine.compiler.STEM) to the same kind.
FIELD_KIND.update({field + "_stem": kind for field, kind in list(FIELD_KIND.items())})


@dataclass(frozen=True, slots=True)
class LengthWeight:
    scale: float  # times the engine's BM25 score
    per_idf: float  # plus this, times the idf of the matched words


def kind_length_weights(
    total_docs: int, docs_of_kind: Mapping[str, int]
) -> dict[str, LengthWeight]:
    """Per text field, the weight for BM25 scores computed with the average field length over
    ``total_docs`` documents when only ``docs_of_kind[kind]`` of them can have the field.

    BM25's term-frequency part of one occurrence, at ``x`` times the kind's average length, is
    ``g(x) = (k1 + 1) / (a + c*x)`` with ``a = 1 + k1*(1 - b)`` and ``c = k1*b``. The average
    over all documents is ``r = total / having`` times smaller, so the engine computes
    ``g(r*x)``. ``scale*g(r*x) + per_idf`` equals ``g(x)`` in value and slope at ``x = 1``: a
    plain scale would match the value only, and keep the engine's far steeper penalty on long
    documents and its far weaker saturation of repeated words.
    """
    a = 1 + BM25_K1 * (1 - BM25_B)
    c = BM25_K1 * BM25_B
    weights = {}
    for field, kind in FIELD_KIND.items():
        having = docs_of_kind.get(kind, 0)
        # Below 1 only while deleted documents of the kind still count: nothing to make up.
        r = max(total_docs / having, 1.0) if having else 1.0
        scale = (a + c * r) ** 2 / ((a + c) ** 2 * r)
        per_idf = (BM25_K1 + 1) * (1 / (a + c) - scale / (a + c * r))
        if per_idf < MIN_PER_IDF:
            # The kind has nearly every document: a scale that matches the value is within a
            # few percent, and spares the engine a second pass over the matches.
            weights[field] = LengthWeight((a + c * r) / (a + c), 0.0)
        else:
            weights[field] = LengthWeight(scale, per_idf)
    return weights


def bm25_idf(doc_freq: int, total_docs: int) -> float:
    """BM25's idf as tantivy computes it."""
    return math.log(1 + (total_docs - doc_freq + 0.5) / (doc_freq + 0.5))
