"""Rows of the postgres engine's ``docs`` table as the seam's records: hits (with their
snippet), sort values and stored documents. Nothing here talks to a server."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from ..documents import IndexDocument, stored_document
from ..query import ast
from .base import DocValues, Hit
from .postgres_sql import STORED, Compiled, snippet

__all__ = ["document_of", "hit_of", "values_of"]

TEXT = ast.TEXT_FIELDS
_UTF8 = ("utf-8", "surrogateescape")


def _source(value: bytes) -> str:
    return bytes(value).decode(*_UTF8)


def hit_of(row: Any, compiled: Compiled, by_score: bool) -> Hit:
    (id_, kind, headline, author, published, url, article_id, site, position, count, source) = row[
        :11
    ]
    lang = row[11]
    texts = dict(zip(TEXT, row[12:16], strict=True))
    return Hit(
        id=id_,
        kind=kind,
        score=float(row[16]) if by_score else 0.0,
        headline=headline,
        author=author,
        published=published,
        url=url,
        article_id=article_id,
        snippet=snippet(texts, kind, compiled.marks, lang),
        site=site,
        position=position,
        comment_count=count,
        source=_source(source),
    )


def values_of(row: Any) -> DocValues:
    date = row[5].astimezone(UTC) if row[5] is not None else None
    return DocValues(
        id=row[0], kind=row[1], article_id=row[2], author=row[3], site=row[4], date=date
    )


def document_of(row: Any) -> IndexDocument:
    values = dict(zip(STORED, row, strict=True))
    values["source"] = _source(values["source"])
    return stored_document(values)
