"""A :class:`~corpsearch.thread.Thread` as terminal text: the article, then its comments with
each reply indented under the comment it answers, quoted passages marked with ``>``.

Every piece of page text goes through :func:`~corpsearch.export.safe_terminal_text`, so a page
cannot drive the terminal it is read on.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Iterator
from datetime import tzinfo

from .export import safe_terminal_text
from .output import local_time
from .thread import Thread, ThreadEntry

__all__ = ["render_thread"]

# Indentation per reply level; deeper levels stop moving right so text keeps room to read.
_STEP = 4
_MAX_INDENT = 24
_MIN_TEXT = 30


def render_thread(
    thread: Thread,
    *,
    width: int = 100,
    tz: tzinfo | None = None,
    short_id: Callable[[str], str] = lambda full: full,
    whole: bool = False,
    body: bool = True,
) -> Iterator[str]:
    """The article (with its body unless ``body=False``) and its thread.

    With a comment in ``focus`` only its branch is shown (the comments it answers and its
    replies), marked with ``▶``, unless ``whole``."""
    article = thread.article
    count = len(thread.entries)
    head = [
        "article",
        short_id(article.id),
        article.site or "unknown site",
        local_time(article.published, tz),
        f"{count} comment{'s' if count != 1 else ''}",
    ]
    yield _line(" · ".join(head), width)
    yield _line(article.headline or "(no headline)", width)
    if article.authors:
        yield _line("by " + ", ".join(article.authors), width)
    if article.url:
        yield _line(article.url, width)
    yield _line(f"source: {article.source}", width)
    if body and article.body.strip():
        yield "\n"
        yield from _paragraphs(article.body, "", width)
    entries: Iterable[ThreadEntry] = thread.entries
    if thread.focus is not None and not whole:
        entries = thread.branch(thread.focus)
        shown = len(thread.branch(thread.focus))
        if shown < count:
            yield "\n"
            yield _line(
                f"{shown} of {count} comments: the branch of {short_id(thread.focus)} "
                f"(all of them with --whole)",
                width,
            )
    for entry in entries:
        yield "\n"
        yield from _comment_lines(entry, thread.focus, width, tz, short_id)


def _comment_lines(
    entry: ThreadEntry,
    focus: str | None,
    width: int,
    tz: tzinfo | None,
    short_id: Callable[[str], str],
) -> Iterator[str]:
    comment = entry.comment
    indent = " " * min(entry.depth * _STEP, _MAX_INDENT, max(width - _MIN_TEXT, 0))
    mark = "▶ " if comment.id == focus else ""
    head = [
        f"{indent}{mark}#{comment.position + 1}",
        short_id(comment.id),
        comment.author or "unknown",
        local_time(comment.published, tz),
    ]
    if entry.orphan:
        head.append("reply to a comment not on the page")
    elif comment.parent is not None:
        head.append(f"reply to {short_id(comment.parent)}")
    yield _line(" · ".join(head), width)
    inner = indent + "  "
    for quote in comment.quotes:
        yield from _paragraphs(quote, inner + "> ", width)
    yield from _paragraphs(comment.text, inner, width)


def _paragraphs(text: str, prefix: str, width: int) -> Iterator[str]:
    """Text wrapped under ``prefix``, its paragraphs kept apart by blank lines."""
    room = max(width - len(prefix), _MIN_TEXT)
    paragraphs = [" ".join(p.split()) for p in safe_terminal_text(text).split("\n\n")]
    first = True
    for paragraph in paragraphs:
        if not paragraph:
            continue
        if not first:
            yield prefix.rstrip() + "\n"
        first = False
        for line in textwrap.wrap(paragraph, room, break_on_hyphens=False):
            yield f"{prefix}{line}\n"


def _line(text: str, width: int) -> str:
    text = safe_terminal_text(text)
    return (text if len(text) <= width else text[: width - 1] + "…") + "\n"
