"""What every extractor returns (:class:`PageParts`), and its assembly into records.

Extractors only find the parts of a page; ids, quotes, links and problems are derived here once,
so a page gives the same records whichever layer read it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from ..errors import printable
from ..records import Article, Comment, Problem, SourceRef, stable_id
from ..textnorm import join_paragraphs, normalise_key, split_paragraphs
from ..urls import web_address
from .article import detect_language

__all__ = [
    "MIN_LANGUAGE_CHARS",
    "PageParts",
    "RawComment",
    "assemble",
    "comment_language",
    "web_url",
]

_URL = re.compile(r"https?://[^\s<>\"')\]]+")
# A paragraph shorter than this is not taken as a quotation of the article: short phrases
# ("Thank you.") occur in both by chance.
_MIN_QUOTE_WORDS = 6
# A comment's own language is detected when its text has at least this many characters (the
# detector's own minimum); shorter ones take the article's (see docs/extraction.md).
MIN_LANGUAGE_CHARS = 100


@dataclass(frozen=True, slots=True)
class RawComment:
    author: str | None
    published: datetime | None
    text: str
    published_reason: str | None = None
    quotes: tuple[str, ...] = ()
    parent: int | None = None
    platform_id: str | None = None
    links: tuple[str, ...] = ()


@dataclass(slots=True)
class PageParts:
    headline: str | None = None
    body: str = ""
    url: str | None = None
    site: str | None = None
    published: datetime | None = None
    published_reason: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    comment_count: int | None = None
    comments: list[RawComment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def web_url(url: str | None, problems: list[Problem]) -> str | None:
    """``url`` if it is a web address (:func:`corpsearch.urls.web_address`), else ``None``
    with a problem recorded: a ``javascript:`` or ``data:`` link from a page's canonical link
    would run in whatever shows the article's or its comments' link."""
    if url is None:
        return None
    web = web_address(url)
    if web is None:
        problems.append(
            Problem(
                "url",
                f"'{printable(url.strip(' ')[:200])}' is not a web address (http or https); "
                "left out",
            )
        )
    return web


def assemble(parts: PageParts, source: SourceRef) -> Article:
    """Build the article record with stable ids, quotes split from comment text, and problems."""
    problems = list(parts.problems)
    url = web_url(parts.url, problems) or web_url(source.url, problems)
    article_id = stable_id("url", url) if url else stable_id("source", source)
    site = parts.site or (_host(url) if url else None)
    if parts.headline is None:
        problems.append(Problem("headline", "no headline found on the page"))
    if not parts.body:
        problems.append(Problem("body", "no article text found on the page"))
    if parts.published is None:
        problems.append(
            Problem("published", parts.published_reason or "the page shows no publication date")
        )
    body = _without_comment_section(parts.body, parts.comments)
    body_keys = (
        normalise_key(body) if parts.comments and not _all_comments(body, parts.comments) else ""
    )
    comments = []
    for position, raw in enumerate(parts.comments):
        text, quotes = _split_quotes(raw.text, raw.quotes, body_keys)
        comment_id = stable_id(article_id, "comment", raw.platform_id or position)
        parent = parts.comments[raw.parent] if raw.parent is not None else None
        if raw.published is None:
            problems.append(
                Problem(
                    f"comments[{position}].published",
                    raw.published_reason or "the comment shows no date",
                )
            )
        comments.append(
            Comment(
                id=comment_id,
                article_id=article_id,
                position=position,
                author=raw.author,
                published=raw.published,
                text=text,
                quotes=quotes,
                parent=(
                    stable_id(article_id, "comment", parent.platform_id or raw.parent)
                    if parent is not None and raw.parent is not None
                    else None
                ),
                links=raw.links or tuple(dict.fromkeys(_URL.findall(text))),
                language=comment_language(text, parts.language),
                platform_id=raw.platform_id,
            )
        )
    if parts.comment_count is not None and parts.comment_count != len(comments):
        problems.append(
            Problem(
                "comments",
                f"the page announces {parts.comment_count} comments but holds {len(comments)}",
            )
        )
    digest = hashlib.sha256(
        "\x1f".join([parts.headline or "", body, *(c.text for c in comments)]).encode()
    ).hexdigest()
    return Article(
        id=article_id,
        url=url,
        site=site,
        headline=parts.headline,
        body=body,
        published=parts.published,
        source=source,
        authors=parts.authors,
        language=parts.language,
        comment_count=parts.comment_count,
        comments=tuple(comments),
        problems=tuple(problems),
        content_hash=digest,
        extracted_at=datetime.now(UTC),
    )


def comment_language(text: str, article_language: str | None) -> str | None:
    """The language of a comment: detected when the text is long enough, else the article's."""
    if len(text) >= MIN_LANGUAGE_CHARS:
        return detect_language(text) or article_language
    return article_language


def _without_comment_section(body: str, comments: list[RawComment]) -> str:
    """The article's text without the comment section it swallowed: when the first paragraphs
    of two comments or more (and of most comments) are paragraphs of the body, the body ends
    where the first of them begins. A commenter quoting the article quotes its paragraphs, not
    the other commenters'."""
    firsts = [normalise_key(split_paragraphs(c.text)[0]) for c in comments if c.text.strip()]
    if len(firsts) < 2:
        return body  # fewer than two comments never cut the body (below)
    paragraphs = split_paragraphs(body)
    keys = [normalise_key(paragraph) for paragraph in paragraphs]
    at = {key: i for i, key in reversed(list(enumerate(keys))) if key}
    found = [i for i in (_where(first, at, keys) for first in firsts) if i is not None]
    if len(found) < 2 or 2 * len(found) < len(firsts) or min(found) == 0:
        return body
    return join_paragraphs(paragraphs[: min(found)])


def _all_comments(body: str, comments: list[RawComment]) -> bool:
    """The article's text is the comment section itself (a body extractor that took the
    comment list for the article, as on a post whose own text is no markup): the paragraphs
    of two comments or more make up most of its words from its first paragraph on. Its
    paragraphs are then no article for a comment to quote."""
    own = [(i, normalise_key(p)) for i, c in enumerate(comments) for p in split_paragraphs(c.text)]
    own = [(i, key) for i, key in own if key]
    if len({i for i, _ in own}) < 2:
        return False
    keys = [normalise_key(p) for p in split_paragraphs(body)]
    keys = [key for key in keys if key]
    if not keys:
        return False
    by: set[int] = set()
    matched = 0
    for n, key in enumerate(keys):
        hits = {
            i for i, c in own if c == key or (_long(c) and c in key) or (_long(key) and key in c)
        }
        if n == 0 and not hits:
            return False  # the article's own text comes first
        if hits:
            by |= hits
            matched += len(key.split())
    return len(by) >= 2 and 2 * matched >= sum(len(key.split()) for key in keys)


def _long(key: str) -> bool:
    return len(key.split()) >= _MIN_QUOTE_WORDS


def _where(first: str, at: dict[str, int], keys: list[str]) -> int | None:
    """The body paragraph that is ``first``, or that holds it when it is a sentence of six
    words or more (a comment table flattened into the body puts a row's cells on one line)."""
    if first in at:
        return at[first]
    if first and len(first.split()) >= 6:
        return next((i for i, key in enumerate(keys) if first in key), None)
    return None


def _split_quotes(
    text: str, quotes: tuple[str, ...], body_keys: str
) -> tuple[str, tuple[str, ...]]:
    """Move paragraphs that repeat the article word for word from the text to the quotes.
    A comment whose every paragraph, its short ones too, the article's text holds is not
    quoting: the article's text took in the comment (a comment section read as part of the
    body), so it stays as it is."""
    own, quoted = [], list(quotes)
    for paragraph in split_paragraphs(text):
        key = normalise_key(paragraph)
        if body_keys and len(key.split()) >= _MIN_QUOTE_WORDS and key in body_keys:
            quoted.append(paragraph)
        else:
            own.append(paragraph)
    if not own or (len(quoted) > len(quotes) and all(normalise_key(p) in body_keys for p in own)):
        return text, quotes
    return join_paragraphs(own), tuple(quoted)


def _host(url: str) -> str | None:
    host = urlsplit(url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host
