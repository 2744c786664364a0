"""The records every stage passes on: :class:`Article` and :class:`Comment`.

Records are frozen dataclasses with a fixed set of fields (whatever a page did not show stays
empty, and the reason goes to ``problems``). Datetimes are timezone-aware, in the page's local
zone; the index stores and compares them in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["Article", "Comment", "Problem", "SourceRef", "stable_id"]


def stable_id(*parts: object) -> str:
    """A short id that is the same on every run for the same parts."""
    # surrogatepass: a file name that is not UTF-8 (read with surrogate escapes) has an id too.
    import hashlib  # (imported here: a search makes no ids, and hashlib loads OpenSSL)

    text = "\x1f".join(str(p) for p in parts)
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:16]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something on a page that could not be read, and why."""

    field: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a record came from: a file, or a record inside an archive file."""

    path: str
    offset: int | None = None
    url: str | None = None
    captured_at: datetime | None = None

    def __str__(self) -> str:
        return self.path if self.offset is None else f"{self.path}#{self.offset}"


@dataclass(frozen=True, slots=True)
class Comment:
    """One reader comment, in page order (``position`` counts from 0)."""

    id: str
    article_id: str
    position: int
    author: str | None
    published: datetime | None
    text: str
    quotes: tuple[str, ...] = ()
    parent: str | None = None
    links: tuple[str, ...] = ()
    language: str | None = None
    platform_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "position": self.position,
            "author": self.author,
            "published": _iso(self.published),
            "text": self.text,
            "quotes": list(self.quotes),
            "parent": self.parent,
        }


@dataclass(frozen=True, slots=True)
class Article:
    """One article page with its comments."""

    id: str
    url: str | None
    site: str | None
    headline: str | None
    body: str
    published: datetime | None
    source: SourceRef
    authors: tuple[str, ...] = ()
    language: str | None = None
    comment_count: int | None = None
    comments: tuple[Comment, ...] = ()
    problems: tuple[Problem, ...] = ()
    content_hash: str = ""
    extracted_at: datetime | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "site": self.site,
            "headline": self.headline,
            "body": self.body,
            "published": _iso(self.published),
            "authors": list(self.authors),
            "language": self.language,
            "comment_count": self.comment_count,
            "comments": [c.to_dict() for c in self.comments],
            "source": str(self.source),
            "problems": [p.to_dict() for p in self.problems],
        }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
