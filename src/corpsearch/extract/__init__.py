"""Extract stage: raw documents in, :class:`~corpsearch.records.Article` records out.

Layers, most specific first: a site profile for the page's layout, then generic extraction for
unknown sites. A page that cannot be read at all raises :class:`ExtractionError` with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from ..faults import guard_extraction
from ..profiles import Profile, load_profiles
from ..records import Article, Problem
from ..sources import SourceDocument
from ..textnorm import clean_line, join_paragraphs
from .charset import decode_page
from .parts import PageParts, assemble
from .profile_html import block_text, extract_with_profile, match_html_profile
from .textpage import extract_text_page, match_text_profile

__all__ = ["ExtractOptions", "decode", "extract"]


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """How pages are read: the profiles to use, and a zone that overrides every site's zone."""

    profiles: tuple[Profile, ...] = field(default_factory=load_profiles)
    site_tz: tzinfo | None = None


@guard_extraction
def extract(document: SourceDocument, options: ExtractOptions | None = None) -> Article:
    """Turn one page into an article with its comments; raises only :class:`ExtractionError`
    for pages that cannot be read (binary data, absurd nesting)."""
    options = options or ExtractOptions()
    decoded = decode_page(document.data)
    text = decoded.text
    if document.kind == "text":
        profile = match_text_profile(text, options.profiles)
        parts = extract_text_page(text, profile, _zone(profile, options))
    else:
        parts = _extract_html(text, document.ref.url, options)
    if decoded.problem:
        parts.problems.append(Problem("encoding", decoded.problem))
    return assemble(parts, document.ref)


def decode(data: bytes) -> str:
    """Bytes to text: byte-order mark, UTF-8, declared charset, then windows-1252."""
    return decode_page(data).text


def _zone(profile: Profile | None, options: ExtractOptions) -> tzinfo:
    if options.site_tz is not None:
        return options.site_tz
    return profile.timezone if profile is not None else UTC


def _extract_html(markup: str, capture_url: str | None, options: ExtractOptions) -> PageParts:
    soup = BeautifulSoup(markup, "lxml")
    url = _canonical_url(soup) or capture_url
    host = urlsplit(url).hostname if url else None
    profile = match_html_profile(soup, host, options.profiles)
    if profile is not None:
        parts = extract_with_profile(soup, profile, _zone(profile, options))
    else:
        parts = _generic(soup)
    parts.url = parts.url or url
    return parts


def _canonical_url(soup: BeautifulSoup) -> str | None:
    link = soup.select_one('link[rel="canonical"][href]')
    if link is not None:
        return str(link["href"]).strip() or None
    meta = soup.select_one('meta[property="og:url"][content]')
    return str(meta["content"]).strip() or None if meta is not None else None


def _generic(soup: BeautifulSoup) -> PageParts:
    """Unknown sites: headline from the page's title elements, body from its paragraphs."""
    parts = PageParts()
    title = soup.select_one('meta[property="og:title"][content]')
    heading = soup.find("h1")
    if title is not None:
        parts.headline = clean_line(str(title["content"])) or None
    elif heading is not None:
        parts.headline = clean_line(heading.get_text(" ")) or None
    elif soup.title is not None:
        parts.headline = clean_line(soup.title.get_text(" ")) or None
    parts.body = join_paragraphs(block_text(p) for p in soup.find_all("p"))
    html = soup.find("html")
    lang = html.get("lang") if html is not None else None
    parts.language = str(lang).split("-")[0].lower() if lang else None
    parts.published_reason = "no site profile matches this page and no date was found"
    return parts
