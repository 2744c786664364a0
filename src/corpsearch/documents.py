"""Records flattened into index documents: one per article and one per comment.

This is the engine-neutral shape every engine indexes. A comment document carries its article's
headline and url so a hit can show them without another lookup.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .analysis import Streams, byline
from .passages import PASSAGE_JOIN

if TYPE_CHECKING:
    from .records import Article

__all__ = ["IndexDocument", "documents_of", "stored_document", "streams_of"]


@dataclass(frozen=True, slots=True)
class IndexDocument:
    id: str
    kind: str  # "article" | "comment"
    article_id: str
    headline: str  # an article's own headline; empty on comments (see article_headline)
    body: str
    text: str
    quote: str
    author: str | None
    site: str | None
    url: str | None
    lang: str | None
    date: datetime | None  # UTC
    published: str | None  # ISO 8601 in the page's local zone, for display
    position: int
    comment_count: int
    article_headline: str
    source: str
    parent: str | None = None  # the id of the comment a reply answers
    # The analysed streams of the text fields, when the extraction worker computed them
    # (corpsearch.analysis.article_streams); None: the engine computes them (streams_of).
    analysed: Streams | None = field(default=None, compare=False, repr=False)


def documents_of(article: Article, streams: Sequence[Streams] = ()) -> Iterator[IndexDocument]:
    """The article's document, then one per comment, in page order; with ``streams`` (one per
    document, :func:`corpsearch.analysis.article_streams`), each carries its analysed streams."""
    given = len(streams) == 1 + len(article.comments)
    headline = article.headline or ""
    yield IndexDocument(
        id=article.id,
        kind="article",
        article_id=article.id,
        headline=headline,
        body=article.body,
        text="",
        quote="",
        author=byline(article),
        site=article.site,
        url=article.url,
        lang=article.language,
        date=_utc(article.published),
        published=article.published.isoformat() if article.published else None,
        position=0,
        comment_count=len(article.comments),
        article_headline=headline,
        source=str(article.source),
        analysed=streams[0] if given else None,
    )
    for number, comment in enumerate(article.comments, 1):
        yield IndexDocument(
            id=comment.id,
            kind="comment",
            article_id=article.id,
            headline="",
            body="",
            text=comment.text,
            quote=PASSAGE_JOIN.join(comment.quotes),
            author=comment.author,
            site=article.site,
            url=article.url,
            lang=comment.language or article.language,
            date=_utc(comment.published),
            published=comment.published.isoformat() if comment.published else None,
            position=comment.position,
            comment_count=0,
            article_headline=headline,
            source=str(article.source),
            parent=comment.parent,
            analysed=streams[number] if given else None,
        )


def streams_of(doc: IndexDocument) -> Streams:
    """The document's analysed streams: those its extraction worker computed, else computed
    now (a document read back from an index, or one made without the workers)."""
    if doc.analysed is not None:
        return doc.analysed
    return Streams.of(doc.headline, doc.body, doc.text, doc.quote, doc.lang, doc.author, doc.site)


def stored_document(values: Mapping[str, Any]) -> IndexDocument:
    """An :class:`IndexDocument` from the values an engine stored for it (a missing text field is
    empty, a missing value None); its UTC date comes back from ``published``."""
    published = values.get("published") or None
    text = {name: values.get(name) or "" for name in ("headline", "body", "text", "quote")}
    return IndexDocument(
        id=values["id"],
        kind=values["kind"],
        article_id=values["article_id"],
        headline=text["headline"],
        body=text["body"],
        text=text["text"],
        quote=text["quote"],
        author=values.get("author") or None,
        site=values.get("site") or None,
        url=values.get("url") or None,
        lang=values.get("lang") or None,
        date=_utc(datetime.fromisoformat(published)) if published else None,
        published=published,
        position=int(values.get("position") or 0),
        comment_count=int(values.get("comment_count") or 0),
        article_headline=values.get("article_headline") or "",
        source=values.get("source") or "",
        parent=values.get("parent") or None,
    )


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None
