"""An article and its comment thread, read from the documents the index stored.

The web pages read threads only through :func:`read_thread`, so the way a thread is found can
change (a per-article lookup in the engine) without touching a page. Nothing is re-extracted
from source files: what is shown is what was indexed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..documents import IndexDocument
from ..errors import DocumentNotFoundError
from ..index import Index
from ..query.ast import Term

__all__ = ["ArticleThread", "ThreadComment", "read_thread"]


@dataclass(frozen=True, slots=True)
class ThreadComment:
    doc: IndexDocument
    depth: int  # 0 for a comment on the article, 1 for a reply to it, ...
    quotes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ArticleThread:
    article: IndexDocument
    comments: tuple[ThreadComment, ...]


def read_thread(index: Index, article_id: str) -> ArticleThread:
    """The article ``article_id`` and its comments in page order; :class:`DocumentNotFoundError` if none."""
    found = index.search(Term("id", article_id), limit=1)
    if not found.hits or found.hits[0].kind != "article":
        raise DocumentNotFoundError(
            f"no article with id {article_id!r} in this index; search for it instead"
        )
    article: IndexDocument | None = None
    comments: list[IndexDocument] = []
    # Every stored document is read once; the engines have no per-article lookup yet.
    for doc in index.documents():
        if doc.article_id != article_id:
            continue
        if doc.kind == "article":
            article = doc
        else:
            comments.append(doc)
    if article is None:
        raise DocumentNotFoundError(
            f"no article with id {article_id!r} in this index; search for it instead"
        )
    comments.sort(key=lambda doc: doc.position)
    return ArticleThread(
        article=article,
        comments=tuple(
            ThreadComment(doc, 0, tuple(part for part in doc.quote.split("\n\n") if part))
            for doc in comments
        ),
    )
