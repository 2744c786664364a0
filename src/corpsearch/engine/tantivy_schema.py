"""The tantivy engine's index layout: its analysers, its schema, and documents as it stores
them (see docs/engines.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import tantivy
from tantivy import Filter, TextAnalyzerBuilder, Tokenizer

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
    """The tantivy document of ``doc``. This is most of the single writer's own work (the
    indexing threads do the rest), so it is written out field by field, without loops over
    field names or look-ups by name."""
    out = tantivy.Document()
    add_text, add_bytes, add_integer = out.add_text, out.add_bytes, out.add_integer
    if doc.id:
        add_text("id", doc.id)
    if doc.kind:
        add_text("kind", doc.kind)
    if doc.article_id:
        add_text("article_id", doc.article_id)
    author, site = doc.author, doc.site
    if author:
        add_text("author", author)
    if site:
        add_text("site", site)
    if doc.url:
        add_text("url", doc.url)
    if doc.lang:
        add_text("lang", doc.lang)
    streams = streams_of(doc)
    exact = streams.exact
    if doc.headline:
        add_text("headline", exact[0])
        add_text(_HEADLINE_STEM, streams.headline)
        add_bytes(_HEADLINE_WRITTEN, doc.headline.encode(*UTF8))
    if doc.body:
        add_text("body", exact[1])
        add_text(_BODY_STEM, streams.body)
        add_bytes(_BODY_WRITTEN, doc.body.encode(*UTF8))
    if doc.text:
        add_text("text", exact[2])
        add_text(_TEXT_STEM, streams.text)
        add_bytes(_TEXT_WRITTEN, doc.text.encode(*UTF8))
    if doc.quote:
        # One value per quoted passage: tantivy puts a position between two values, so a
        # phrase never joins the end of one quotation to the start of the next.
        quote = zip(quote_passages(doc.quote), exact[3:], streams.quote, strict=True)
        for passage, words, analysed in quote:
            add_text("quote", words)
            add_text(_QUOTE_STEM, analysed)
            add_bytes(_QUOTE_WRITTEN, passage.encode(*UTF8))
    # folded in the extraction workers with the streams (corpsearch.analysis.names_of)
    author_words, author_keys, sites = streams.names
    for word in author_words:
        add_text("author_words", word)
    for key in author_keys:
        add_text("author_key", key)
    for key in sites:
        add_text("site_keys", key)
    if doc.published:
        add_bytes("published", doc.published.encode(*UTF8))
    if doc.article_headline:
        add_bytes("article_headline", doc.article_headline.encode(*UTF8))
    if doc.source:
        add_bytes("source", doc.source.encode(*UTF8))
    if doc.parent:
        add_bytes("parent", doc.parent.encode(*UTF8))
    add_integer("position", doc.position)
    add_integer("comment_count", doc.comment_count)
    date = doc.date
    utc = None
    if date is not None:
        utc = clamped(seconds(date))
        # a date in whole UTC seconds within tantivy's range is already the one to store
        whole = date.microsecond == 0 and date.tzinfo is UTC and utc == date.timestamp()
        out.add_date("date", date if whole else datetime.fromtimestamp(utc, UTC))
    if author:
        add_text("author_value", author)
    if site:
        add_text("site_value", site)
    if utc is not None:
        add_integer("seconds", utc)
    asc, desc = sort_keys(utc, doc.id)
    add_integer("date_asc", asc)
    add_integer("date_desc", desc)
    return out


_HEADLINE_STEM, _BODY_STEM, _TEXT_STEM, _QUOTE_STEM = (f + STEM for f in ast.TEXT_FIELDS)
_HEADLINE_WRITTEN, _BODY_WRITTEN, _TEXT_WRITTEN, _QUOTE_WRITTEN = (
    f + WRITTEN for f in ast.TEXT_FIELDS
)


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
