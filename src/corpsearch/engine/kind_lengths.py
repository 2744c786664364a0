"""Field weights that give back BM25 its per-kind field lengths on engines that average a field's
length over every document.

Articles and comments share one index but not their text fields: only articles have a headline
and a body, only comments a text and a quote. BM25 divides a document's field length by the
field's average length; an engine that takes that average over all documents (tantivy does)
sees the average headline as about one word when comments outnumber articles ten to one, so
every headline looks ten times longer than usual and its words score far below the same words
in a comment. The engine's length statistics cannot be replaced, but its score can be scaled:
the weight below is the ratio between BM25 with the field's average over the documents that have
it and BM25 with the average over all documents, for one occurrence in a document of average
length for its kind. It is exact there and an approximation for other lengths and counts (the
engine's length normalisation stays stronger). Result sets do not change, only scores. Nothing
here imports an engine library.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["BM25_B", "BM25_K1", "FIELD_KIND", "kind_length_weights"]

# The BM25 constants tantivy uses (not configurable through its Python bindings).
BM25_K1 = 1.2
BM25_B = 0.75
# The kind of document each text field belongs to (the other kind leaves it empty).
FIELD_KIND = {"headline": "article", "body": "article", "text": "comment", "quote": "comment"}


def kind_length_weights(total_docs: int, docs_of_kind: Mapping[str, int]) -> dict[str, float]:
    """Per text field, the factor for BM25 scores computed with the average field length over
    ``total_docs`` documents when only ``docs_of_kind[kind]`` of them can have the field.

    With ``r = total / having``, a document of the kind's average length is ``r`` times the
    all-document average, so its length norm is ``1 - b + b*r`` instead of ``1``, and one
    occurrence gets ``(k1 + 1) / (1 + k1*(1 - b + b*r))`` times the idf instead of the idf.
    """
    weights = {}
    for field, kind in FIELD_KIND.items():
        having = docs_of_kind.get(kind, 0)
        ratio = total_docs / having if having else 1.0
        weights[field] = (1 + BM25_K1 * (1 - BM25_B + BM25_B * ratio)) / (1 + BM25_K1)
    return weights
