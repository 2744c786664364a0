"""Extract stage: raw documents in, :class:`~corpsearch.records.Article` records out.

Layers, most specific first: a site profile for the page's layout, then generic extraction for
unknown sites. A page that cannot be read at all raises :class:`ExtractionError` with the reason.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from ..faults import guard_extraction
from ..profiles import Profile, load_profiles
from ..records import Article, Problem
from ..sources import SourceDocument
from .article import extract_article
from .charset import decode_page
from .comment_dates import RELATIVE_TO_CAPTURE
from .comments import FoundComment, find_comments
from .depth import flatten_deep, too_deep
from .htmltree import document_root, parse_html
from .parts import PageParts, RawComment, assemble, web_url
from .pingbacks import drop_pingbacks
from .profile_html import extract_with_profile, match_html_profile
from .saved_pages import saved_at
from .selectors import Matcher
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
        recorded = document.ref.captured_at or saved_at(text)
        captured_at = recorded or document.modified
        markup, parsed, flat = text, parse_html(text), None
        if parsed.too_deep:  # parsers stop 256 levels down: flatten, so no text is lost
            flat = flatten_deep(text)
            markup, parsed = flat.markup, parse_html(flat.markup)
        parts = _extract_html(markup, parsed.root, document.ref.url, options, captured_at)
        if flat is not None and flat.dropped:
            parts.problems.append(Problem("markup", too_deep(flat)))
        relative = any(c.published_reason == RELATIVE_TO_CAPTURE for c in parts.comments)
        if relative and recorded is None and captured_at is not None:
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
    markup: str,
    root: HtmlElement | None,
    capture_url: str | None,
    options: ExtractOptions,
    captured_at: datetime | None,
) -> PageParts:
    matched = _profile_for(markup, root, capture_url, options.profiles)
    if matched is not None:
        profile, page, url = matched
        parts = extract_with_profile(page, profile, _zone(profile, options))
        parts.url = url
        return parts
    zone = options.site_tz or UTC
    # the comment extractor reads its own copy: the article's layer changes the tree (hidden
    # elements removed, split bodies joined); a copy costs about half a parse
    comment_tree = deepcopy(root) if root is not None and root.tag == "html" else None
    fields = extract_article(markup, url=capture_url, default_tz=zone, tree=root)
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
    if fields.published is not None and fields.published_reason:
        # a date read with an assumption (a zone taken from elsewhere, a day the page shows):
        # the record says which, as it says why a missing one is missing
        parts.problems.append(Problem("published", fields.published_reason))
    # no profile names the site's zone: the offset the article's own dates declare
    page_zone = fields.zone if not options.site_tz else None
    found = find_comments(
        markup,
        default_tz=page_zone or zone,
        captured_at=captured_at,
        page_published=fields.published,
        tree=comment_tree,
    )
    found, pingbacks = drop_pingbacks(found)
    if pingbacks:
        parts.problems.append(
            Problem(
                "comments",
                f"{pingbacks} pingbacks (excerpts of linking pages framed by […]) left out",
            )
        )
    parts.comments = [_raw(_in_zone(c, page_zone)) for c in found]
    naive = [c for c in found if (c.published_reason or "").startswith("zone assumed")]
    if naive:
        where = (
            f"in the offset the article's own dates declare ({_offset(page_zone)})"
            if page_zone is not None
            else f"in {zone} (no profile names the site's zone and the article's dates "
            "declare no offset)"
            if not options.site_tz
            else f"in {zone}, the zone given for the site"
        )
        parts.problems.append(
            Problem("comments", f"{len(naive)} comment times shown without a zone are read {where}")
        )
    return parts


def _offset(zone: tzinfo) -> str:
    return datetime.now(zone).strftime("%z")


def _in_zone(found: FoundComment, page_zone: tzinfo | None) -> FoundComment:
    if page_zone is None or found.published is None:
        return found
    reason = found.published_reason
    if reason and reason.startswith("zone assumed"):
        reason = f"zone taken from the article's own dates ({found.published.strftime('%z')})"
    return replace(found, published=found.published.astimezone(page_zone), published_reason=reason)


def _profile_for(
    markup: str, root: HtmlElement | None, capture_url: str | None, profiles: tuple[Profile, ...]
) -> tuple[Profile, Matcher, str | None] | None:
    """The page's site profile, with the page's selectors and its URL for the profile to read.
    Selectors are tried only when a profile could match: its host, or a selector's class and
    id names, must occur in the markup."""
    candidates = [
        p
        for p in profiles
        if p.html is not None
        and (any(host in markup for host in p.hosts) or _could_match(markup, p.html.detect))
    ]
    if not candidates:
        return None
    page = Matcher(document_root(markup, root))
    url = _canonical_url(page.root) or capture_url
    profile = match_html_profile(page, urlsplit(url).hostname if url else None, tuple(candidates))
    return None if profile is None else (profile, page, url)


def _could_match(markup: str, selector: str | None) -> bool:
    if not selector:
        return False
    names = re.findall(r"[.#]([\w-]+)", selector)
    return bool(names) and all(name in markup for name in names)


# rel holds a list of words: "canonical" is the list of that one word, however spaced
_CANONICAL = etree.XPath("(//link[normalize-space(@rel) = 'canonical'][@href])[1]/@href")
_OG_URL = etree.XPath("(//meta[@property = 'og:url'][@content])[1]/@content")


def _canonical_url(root: HtmlElement) -> str | None:
    link = _CANONICAL(root)
    if link:
        return str(link[0]).strip() or None
    meta = _OG_URL(root)
    return str(meta[0]).strip() or None if meta else None


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
