"""Page text made safe for HTML: every character from a page is escaped, and the only markup
added is corpsearch's own (``<mark>`` around matched words, links to http(s) addresses)."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup, escape

from ..errors import QueryError
from ..output import local_time as thread_time
from ..snippets import mark_spans
from ..urls import web_address

__all__ = ["facet_query", "local_time", "marked_query", "quote_value", "snippet_html", "web_url"]


def snippet_html(snippet: str) -> Markup:
    """A snippet's text escaped, with its matched words in ``<mark>``.

    The engine's snippet is page text with ``<mark>`` tags put in; the text between the tags is
    escaped here whatever it holds (``<script>``, entities, a stray ``<mark>`` of the page's own
    only loses its highlight)."""
    plain, spans = mark_spans(snippet)
    out: list[str] = []
    position = 0
    for start, end in spans:
        out.append(str(escape(plain[position:start])))
        out.append(f"<mark>{escape(plain[start:end])}</mark>")
        position = end
    out.append(str(escape(plain[position:])))
    return Markup("".join(out))


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address to link to; None for ``javascript:``, ``data:``,
    ``file:`` and everything else, which is shown as text only."""
    return web_address(url)


def marked_query(error: QueryError) -> Markup:
    """The query of a parse error with the character at its position marked."""
    query, at = error.query, max(0, min(error.position, len(error.query)))
    here = query[at : at + 1] or " "
    return Markup(
        f'{escape(query[:at])}<mark class="error-at">{escape(here)}</mark>{escape(query[at + 1 :])}'
    )


def quote_value(value: str) -> str | None:
    """``value`` as a whole-value query term (``"…"``), or None when the grammar cannot hold it
    (a double quote inside: the query language has no escape for it)."""
    if '"' in value or not value.strip():
        return None
    return f'"{value}"'


def facet_query(query: str, field: str, value: str) -> str | None:
    """The query narrowed to ``field:value``; None when the value cannot be written."""
    quoted = quote_value(value)
    if quoted is None:
        return None
    term = f"{field}:{quoted}"
    if not query.strip() or query.strip() == "*":
        return term
    return f"({query}) {term}"


def local_time(published: str | datetime | None) -> str:
    """A time as the page gave it, in its own zone, as the CLI shows it: ``2014-09-13 17:24
    +03:00``."""
    if isinstance(published, str):
        try:
            return thread_time(datetime.fromisoformat(published))
        except ValueError:
            return published
    return thread_time(published)
