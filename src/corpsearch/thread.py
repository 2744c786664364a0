"""An article with its comment thread, rebuilt from what the index stored.

The index keeps one document per article and per comment (see :mod:`corpsearch.documents`);
:func:`read_thread` puts them back together as the :class:`~corpsearch.records.Article` record
``corpsearch extract`` printed (same fields, same JSON shape) plus the reply tree: which comment
answers which, in page order. The CLI's ``show`` and the web pages both render a :class:`Thread`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .documents import IndexDocument
from .engine import Engine
from .errors import DocumentNotFoundError
from .ids import resolve_id
from .query.ast import Term
from .records import Article, Comment, SourceRef

__all__ = ["Thread", "ThreadEntry", "read_document", "read_thread"]


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    """One comment in reading order: ``depth`` 0 is a top-level comment, 1 a reply to it, ...

    ``orphan`` marks a reply whose parent is not in the index (the page did not show it).
    """

    comment: Comment
    depth: int
    orphan: bool = False


@dataclass(frozen=True, slots=True)
class Thread:
    """An article and its comments; ``focus`` is the comment asked for, if one was."""

    article: Article
    entries: tuple[ThreadEntry, ...]
    focus: str | None = None

    def entry(self, comment_id: str) -> ThreadEntry | None:
        return next((e for e in self.entries if e.comment.id == comment_id), None)

    def branch(self, comment_id: str) -> tuple[ThreadEntry, ...]:
        """The comment, the comments it answers (its ancestors) and every reply below it."""
        by_id = {e.comment.id: e for e in self.entries}
        start = by_id.get(comment_id)
        if start is None:
            return ()
        ancestors: set[str] = set()
        parent = start.comment.parent
        while parent is not None and parent in by_id and parent not in ancestors:
            ancestors.add(parent)
            parent = by_id[parent].comment.parent
        chosen: list[ThreadEntry] = []
        below = False
        for entry in self.entries:
            if entry.comment.id == comment_id:
                below = True
                chosen.append(entry)
            elif below and entry.depth > start.depth:
                chosen.append(entry)
            else:
                below = False
                if entry.comment.id in ancestors:
                    chosen.append(entry)
        return tuple(chosen)

    def to_dict(self) -> dict[str, Any]:
        """``corpsearch extract``'s shape (without ``problems``, which the index does not
        keep); each comment also gives its ``depth`` in the reply tree, comments in thread order."""
        data = self.article.to_dict()
        data.pop("problems", None)
        data["comments"] = [
            {**entry.comment.to_dict(), "depth": entry.depth} for entry in self.entries
        ]
        data["focus"] = self.focus
        return data


def read_document(engine: Engine, doc_id: str) -> IndexDocument:
    """The stored document with this id (or short id)."""
    full = resolve_id(engine, doc_id)
    for doc in engine.stored(Term("id", full)):
        return doc
    raise DocumentNotFoundError(f"no document with the id {doc_id!r} in this index")


def read_thread(engine: Engine, doc_id: str) -> Thread:
    """The thread of an article, or of the article a comment is on (with ``focus`` on it)."""
    doc = read_document(engine, doc_id)
    documents = list(engine.stored(Term("article", doc.article_id)))
    article_doc = next((d for d in documents if d.kind == "article"), None)
    if article_doc is None:
        raise DocumentNotFoundError(
            f"the article {doc.article_id} of {doc_id!r} is not in this index; "
            "re-index its source to read the thread"
        )
    comments = sorted(
        (_comment(d) for d in documents if d.kind == "comment"), key=lambda c: c.position
    )
    article = _article(article_doc, comments)
    focus = doc.id if doc.kind == "comment" else None
    return Thread(article, tuple(_reading_order(comments)), focus)


def _reading_order(comments: list[Comment]) -> Iterator[ThreadEntry]:
    """Depth first in page order: each comment followed by its replies. Without recursion (a
    thread may be thousands deep), and a parent loop or a missing parent cannot lose a comment."""
    ids = {c.id for c in comments}
    replies: dict[str, list[Comment]] = {}
    roots: list[Comment] = []
    for comment in comments:
        if comment.parent is not None and comment.parent in ids and comment.parent != comment.id:
            replies.setdefault(comment.parent, []).append(comment)
        else:
            roots.append(comment)
    seen: set[str] = set()
    pending = [c for c in comments if c.id not in seen]
    while pending:
        # roots first; then whatever a loop of parents kept from being reached
        start = [c for c in roots if c.id not in seen] or [pending[0]]
        stack = [(c, 0) for c in reversed(start)]
        while stack:
            comment, depth = stack.pop()
            if comment.id in seen:
                continue
            seen.add(comment.id)
            orphan = comment.parent is not None and comment.parent not in ids
            yield ThreadEntry(comment, depth, orphan)
            for reply in reversed(replies.get(comment.id, ())):
                stack.append((reply, depth + 1))
        pending = [c for c in comments if c.id not in seen]
        roots = []


def _comment(doc: IndexDocument) -> Comment:
    return Comment(
        id=doc.id,
        article_id=doc.article_id,
        position=doc.position,
        author=doc.author,
        published=_local(doc.published),
        text=doc.text,
        quotes=tuple(q for q in doc.quote.split("\n\n") if q.strip()),
        parent=doc.parent,
        language=doc.lang,
    )


def _article(doc: IndexDocument, comments: Iterable[Comment]) -> Article:
    path, _, offset = doc.source.rpartition("#")
    source = (
        SourceRef(path, int(offset), doc.url)
        if path and offset.isdigit()
        else SourceRef(doc.source, None, doc.url)
    )
    listed = tuple(comments)
    return Article(
        id=doc.id,
        url=doc.url,
        site=doc.site,
        headline=doc.headline or None,
        body=doc.body,
        published=_local(doc.published),
        source=source,
        # stored joined with ", " (see documents_of)
        authors=tuple(a for a in (doc.author or "").split(", ") if a),
        language=doc.lang,
        comment_count=doc.comment_count,
        comments=listed,
    )


def _local(published: str | None) -> datetime | None:
    return datetime.fromisoformat(published) if published else None
