"""The tantivy engine's index layout: its analysers, its schema, and documents as it stores
them (see docs/engines.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import tantivy
from tantivy import Filter, TextAnalyzerBuilder, Tokenizer

from ..analysis import names_of
from ..documents import IndexDocument, streams_of
from ..passages import PASSAGE_JOIN, quote_passages
from ..query import ast
from .compiler import STEM
from .ordering import seconds, sort_keys

__all__ = [
    "STEMS",
    "UTF8",
    "WHOLE",
    "WORDS",
    "WRITTEN",
    "analyzers",
    "clamped",
    "decoded",
    "document",
    "passages",
    "schema",
    "stored_fields",
    "stored_value",
    "written",
]

# The analysers' names: the words of the text fields (the exact stream), whole lower-cased
# values (author, site), and the analysed stream. Python made both streams already
# (corpsearch.analysis: Streams, in the extraction workers), so their words are taken apart at
# spaces and nothing else and every engine indexes the same terms; tantivy's regular-expression
# tokenizer, which ran on its slowest matcher, took a sixth of the writer's time.
WORDS = "corpsearch_words"
WHOLE = "corpsearch_whole"
STEMS = "corpsearch_stems"
# A text field's text as written is stored beside its exact stream, which is indexed only (its
# value is the words Python found, not the text): ``body_written`` for ``body``.
WRITTEN = "_written"


def analyzers() -> dict[str, Any]:
    return {
        WORDS: TextAnalyzerBuilder(Tokenizer.whitespace()).build(),
        WHOLE: TextAnalyzerBuilder(Tokenizer.raw()).filter(Filter.lowercase()).build(),
        STEMS: TextAnalyzerBuilder(Tokenizer.whitespace()).build(),
    }


def schema() -> Any:
    builder = tantivy.SchemaBuilder()
    for name in ("id", "url", "lang"):
        builder.add_text_field(name, stored=True, tokenizer_name="raw")
    # Value columns, which counts aggregate: the kind, and the author and site as written
    # (their indexed terms are lower-cased), and the UTC seconds of the date.
    builder.add_text_field("kind", stored=True, tokenizer_name="raw", fast=True)
    for name in ("author_value", "site_value"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_integer_field("seconds", fast=True)
    builder.add_text_field("article_id", stored=True, tokenizer_name="raw", fast=True)
    for name in ast.TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=WORDS)
        builder.add_text_field(name + STEM, tokenizer_name=STEMS)
        builder.add_bytes_field(name + WRITTEN, stored=True)
    for name in ("author", "site"):
        builder.add_text_field(name, stored=True, tokenizer_name=WHOLE, index_option="freq")
    # Names and sites as ``author:`` and ``site:`` match them, folded in Python: one value each.
    for name in ("author_words", "author_key", "site_keys"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="freq")
    builder.add_date_field("date", indexed=True, fast=True)
    builder.add_integer_field("date_asc", fast=True)
    builder.add_integer_field("date_desc", fast=True)
    for name in ("published", "article_headline", "source", "parent"):
        builder.add_bytes_field(name, stored=True)
    for name in ("position", "comment_count"):
        builder.add_integer_field(name, stored=True)
    return builder.build()


def document(doc: IndexDocument) -> Any:
    out = tantivy.Document()
    for field in ("id", "kind", "article_id", "author", "site", "url", "lang"):
        value = getattr(doc, field)
        if value:
            out.add_text(field, value)
    streams = streams_of(doc)
    for field, analysed in (
        ("headline", streams.headline),
        ("body", streams.body),
        ("text", streams.text),
    ):
        value = getattr(doc, field)
        if value:
            out.add_text(field, streams.exact_of(field))
            out.add_text(field + STEM, analysed)
            out.add_bytes(field + WRITTEN, value.encode(*UTF8))
    if doc.quote:
        # One value per quoted passage: tantivy puts a position between two values, so a
        # phrase never joins the end of one quotation to the start of the next.
        quote = zip(quote_passages(doc.quote), streams.quote_exact, streams.quote, strict=True)
        for passage, exact, analysed in quote:
            out.add_text("quote", exact)
            out.add_text("quote" + STEM, analysed)
            out.add_bytes("quote" + WRITTEN, passage.encode(*UTF8))
    author_words, author_keys, sites = names_of(doc.author, doc.site)
    for word in author_words:
        out.add_text("author_words", word)
    for key in author_keys:
        out.add_text("author_key", key)
    for key in sites:
        out.add_text("site_keys", key)
    for field in ("published", "article_headline", "source", "parent"):
        value = getattr(doc, field)
        if value:
            out.add_bytes(field, value.encode(*UTF8))
    out.add_integer("position", doc.position)
    out.add_integer("comment_count", doc.comment_count)
    utc = clamped(seconds(doc.date)) if doc.date is not None else None
    if utc is not None:
        out.add_date("date", datetime.fromtimestamp(utc, UTC))
    for field in ("author", "site"):
        value = getattr(doc, field)
        if value:
            out.add_text(field + "_value", value)
    if utc is not None:
        out.add_integer("seconds", utc)
    asc, desc = sort_keys(utc, doc.id)
    out.add_integer("date_asc", asc)
    out.add_integer("date_desc", desc)
    return out


# Stored values are kept as UTF-8 bytes; a file name that is not UTF-8 (read by Python with
# its bytes escaped as surrogates) keeps its bytes.
UTF8 = ("utf-8", "surrogateescape")


def decoded(value: object) -> object:
    return value.decode(*UTF8) if isinstance(value, bytes) else value


def stored_value(name: str, values: list[object]) -> object:
    """A field's stored value as indexed: the quote's passages joined again."""
    if name == "quote" + WRITTEN:
        return PASSAGE_JOIN.join(str(decoded(v)) for v in values)
    return decoded(values[0])


def stored_fields(values: dict[str, list[object]]) -> dict[str, object]:
    """A stored document's values by the names of corpsearch's fields (``body_written`` is
    ``body``)."""
    return {name.removesuffix(WRITTEN): stored_value(name, value) for name, value in values.items()}


def written(doc: Any, field: str) -> list[str]:
    """The values of a text field as written (a quote's passages)."""
    return [bytes(v).decode(*UTF8) for v in doc.get_all(field + WRITTEN)]


def passages(doc: Any, field: str) -> str:
    """The text of a field: its values (a quote's passages) joined as they were indexed."""
    return PASSAGE_JOIN.join(written(doc, field))


def clamped(utc_seconds: int) -> int:
    """UTC seconds, held within the dates tantivy can store (1677 to 2262)."""
    return min(max(utc_seconds, _FIRST_SECOND), _LAST_SECOND)


_FIRST_SECOND = -int(-tantivy.MIN_DATETIME.timestamp() // 1)
_LAST_SECOND = int(tantivy.MAX_DATETIME.timestamp() // 1)
