"""Records flattened into index documents: one per article and one per comment.

This is the engine-neutral shape every engine indexes. A comment document carries its article's
headline and url so a hit can show them without another lookup.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from .records import Article

__all__ = ["IndexDocument", "documents_of"]


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


def documents_of(article: Article) -> Iterator[IndexDocument]:
    """The article's document, then one per comment, in page order."""
    headline = article.headline or ""
    yield IndexDocument(
        id=article.id,
        kind="article",
        article_id=article.id,
        headline=headline,
        body=article.body,
        text="",
        quote="",
        author=", ".join(article.authors) or None,
        site=article.site,
        url=article.url,
        lang=article.language,
        date=_utc(article.published),
        published=article.published.isoformat() if article.published else None,
        position=0,
        comment_count=len(article.comments),
        article_headline=headline,
        source=str(article.source),
    )
    for comment in article.comments:
        yield IndexDocument(
            id=comment.id,
            kind="comment",
            article_id=article.id,
            headline="",
            body="",
            text=comment.text,
            quote="\n\n".join(comment.quotes),
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
        )


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None
