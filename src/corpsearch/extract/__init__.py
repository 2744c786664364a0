"""Extract stage: raw documents in, :class:`~corpsearch.records.Article` records out.

Layers, most specific first: a site profile for the page's layout, then generic extraction for
unknown sites. A page that cannot be read at all raises :class:`ExtractionError` with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timezone, tzinfo
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from ..faults import guard_extraction
from ..profiles import Profile, load_profiles
from ..records import Article, Problem
from ..sources import SourceDocument
from .article import extract_article
from .charset import decode_page
from .comment_dates import RELATIVE_TO_CAPTURE
from .comments import FoundComment, find_comments
from .depth import flatten_deep, too_deep
from .parts import PageParts, RawComment, assemble, web_url
from .profile_html import extract_with_profile, match_html_profile
from .textpage import extract_text_page, match_text_profile

__all__ = ["ExtractOptions", "decode", "extract", "web_url"]


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
    decoded = decode_page(document.data, document.charset)
    text = decoded.text
    if document.kind == "text":
        profile = match_text_profile(text, options.profiles)
        parts = extract_text_page(text, profile, _zone(profile, options))
    else:
        flat = flatten_deep(text)
        captured_at = document.ref.captured_at or document.modified
        parts = _extract_html(flat.markup, document.ref.url, options, captured_at)
        if flat.dropped:
            parts.problems.append(Problem("markup", too_deep(flat)))
        relative = any(c.published_reason == RELATIVE_TO_CAPTURE for c in parts.comments)
        if relative and document.ref.captured_at is None and captured_at is not None:
            parts.problems.append(
                Problem(
                    "captured_at",
                    "no capture time is recorded for the page; relative comment dates are "
                    f"counted from the file's modification time {captured_at.isoformat()}",
                )
            )
    if decoded.problem:
        parts.problems.append(Problem("encoding", decoded.problem))
    return assemble(parts, document.ref)


def decode(data: bytes, charset: str | None = None) -> str:
    """Bytes to text: byte-order mark, the server's charset, UTF-8, the page's declared
    charset, then windows-1252."""
    return decode_page(data, charset).text


def _zone(profile: Profile | None, options: ExtractOptions) -> tzinfo:
    if options.site_tz is not None:
        return options.site_tz
    return profile.timezone if profile is not None else UTC


def _extract_html(
    markup: str, capture_url: str | None, options: ExtractOptions, captured_at: datetime | None
) -> PageParts:
    matched = _profile_for(markup, capture_url, options.profiles)
    if matched is not None:
        profile, soup, url = matched
        parts = extract_with_profile(soup, profile, _zone(profile, options))
        parts.url = url
        return parts
    zone = options.site_tz or UTC
    fields = extract_article(markup, url=capture_url, default_tz=zone)
    parts = PageParts(
        headline=fields.headline,
        body=fields.body,
        url=fields.url or capture_url,
        site=fields.site,
        published=fields.published,
        published_reason=fields.published_reason,
        authors=fields.authors,
        language=fields.language,
    )
    page_zone = (
        _page_zone(fields.published, fields.published_reason) if not options.site_tz else None
    )
    found = find_comments(
        markup,
        default_tz=page_zone or zone,
        captured_at=captured_at,
        page_published=fields.published,
    )
    parts.comments = [_raw(_in_zone(c, page_zone)) for c in found]
    naive = [c for c in found if (c.published_reason or "").startswith("zone assumed")]
    if naive:
        where = (
            f"in the offset of the article's own date ({fields.published:%z})"
            if page_zone is not None and fields.published is not None
            else f"in {zone} (no profile names the site's zone and the article's date has none)"
        )
        parts.problems.append(
            Problem("comments", f"{len(naive)} comment times shown without a zone are read {where}")
        )
    return parts


def _page_zone(published: datetime | None, reason: str | None) -> tzinfo | None:
    """The offset the article's own date declares, for a site no profile describes: its comment
    times are read in it (naive ones) and shown in it (the others), rather than in UTC."""
    if published is None or reason is not None or published.tzinfo is None:
        return None  # no date, or its zone was itself assumed
    offset = published.utcoffset()
    # +00:00 is more often a value normalised to UTC than the site's own zone
    return timezone(offset) if offset else None


def _in_zone(found: FoundComment, page_zone: tzinfo | None) -> FoundComment:
    if page_zone is None or found.published is None:
        return found
    reason = found.published_reason
    if reason and reason.startswith("zone assumed"):
        reason = f"zone taken from the article's own date ({found.published.strftime('%z')})"
    return replace(found, published=found.published.astimezone(page_zone), published_reason=reason)


def _profile_for(
    markup: str, capture_url: str | None, profiles: tuple[Profile, ...]
) -> tuple[Profile, BeautifulSoup, str | None] | None:
    """The page's site profile, with the parsed page and its URL for the profile to read. The
    page is parsed only when a profile could match: a selector's class and id names must occur
    in the markup."""
    candidates = [
        p
        for p in profiles
        if p.html is not None
        and (any(host in markup for host in p.hosts) or _could_match(markup, p.html.detect))
    ]
    if not candidates:
        return None
    soup = BeautifulSoup(markup, "lxml")
    url = _canonical_url(soup) or capture_url
    profile = match_html_profile(soup, urlsplit(url).hostname if url else None, tuple(candidates))
    return None if profile is None else (profile, soup, url)


def _could_match(markup: str, selector: str | None) -> bool:
    if not selector:
        return False
    names = re.findall(r"[.#]([\w-]+)", selector)
    return bool(names) and all(name in markup for name in names)


def _canonical_url(soup: BeautifulSoup) -> str | None:
    link = soup.select_one('link[rel="canonical"][href]')
    if link is not None:
        return str(link["href"]).strip() or None
    meta = soup.select_one('meta[property="og:url"][content]')
    return str(meta["content"]).strip() or None if meta is not None else None


def _raw(found: FoundComment) -> RawComment:
    return RawComment(
        author=found.author,
        published=found.published,
        text=found.text,
        published_reason=found.published_reason,
        quotes=found.quotes,
        parent=found.parent,
        platform_id=found.platform_id,
        links=found.links,
    )
