"""Extraction of HTML pages whose site has a profile (CSS selectors in a TOML file)."""

from __future__ import annotations

from datetime import tzinfo

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from ..profiles import HtmlLayout, Profile
from ..textnorm import clean_line, join_paragraphs
from .dates import parse_shown_date
from .parts import PageParts, RawComment

__all__ = ["block_text", "extract_with_profile", "match_html_profile"]

_BLOCKS = ("p", "div", "blockquote", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr")
_BREAK = "\x00"


def match_html_profile(
    soup: BeautifulSoup, host: str | None, profiles: tuple[Profile, ...]
) -> Profile | None:
    """A profile whose host is the page's, else one whose ``detect`` selector finds something."""
    with_html = [p for p in profiles if p.html is not None]
    for profile in with_html:
        if profile.matches_host(host):
            return profile
    for profile in with_html:
        layout = profile.html
        if layout is not None and layout.detect and soup.select_one(layout.detect) is not None:
            return profile
    return None


def extract_with_profile(soup: BeautifulSoup, profile: Profile, zone: tzinfo) -> PageParts:
    layout = profile.html or HtmlLayout()
    parts = PageParts(language=profile.language)
    parts.headline = _first_text(soup, layout.headline)
    body = soup.select_one(layout.body) if layout.body else None
    parts.body = block_text(body) if body is not None else ""
    if layout.published:
        shown = _first_text(soup, layout.published)
        if shown:
            parts.published = parse_shown_date(shown, profile.date_formats, zone)
            if parts.published is None:
                parts.published_reason = f"unreadable date {shown!r}"
    if parts.published is None and parts.published_reason is None:
        parts.published_reason = "the page shows no date for the article"
    count = _first_text(soup, layout.comment_count)
    if count and count.strip().isdigit():
        parts.comment_count = int(count)
    if layout.comment:
        parts.comments = [
            _comment(node, layout, profile, zone) for node in soup.select(layout.comment)
        ]
    return parts


def _comment(node: Tag, layout: HtmlLayout, profile: Profile, zone: tzinfo) -> RawComment:
    author = _first_text(node, layout.comment_author)
    shown = _first_text(node, layout.comment_date)
    published = parse_shown_date(shown, profile.date_formats, zone) if shown else None
    text_node = node.select_one(layout.comment_text) if layout.comment_text else node
    quotes: list[str] = []
    links: list[str] = []
    if text_node is not None:
        links = [
            str(a["href"]) for a in text_node.select("a[href]") if str(a["href"]).startswith("http")
        ]
        if layout.comment_quote:
            for quote in text_node.select(layout.comment_quote):
                quotes.append(block_text(quote))
                quote.decompose()
    element_id = node.get("id")
    return RawComment(
        author=author,
        published=published,
        published_reason=None if published else f"unreadable or missing date {shown!r}",
        text=block_text(text_node) if text_node is not None else "",
        quotes=tuple(q for q in quotes if q),
        platform_id=element_id if isinstance(element_id, str) else None,
        links=tuple(dict.fromkeys(str(link) for link in links)),
    )


def _first_text(node: Tag, selector: str | None) -> str | None:
    if not selector:
        return None
    found = node.select_one(selector)
    if found is None:
        return None
    return clean_line(found.get_text(" ")) or None


def _in_skipped(text: NavigableString) -> bool:
    parent = text.parent
    return parent is not None and parent.name in ("script", "style", "noscript", "template")


def block_text(node: Tag) -> str:
    """The text of an element as paragraphs: block elements and ``<br>`` become line breaks."""
    pieces: list[str] = []
    for element in node.descendants:
        if isinstance(element, Tag):
            if element.name == "br":
                pieces.append(_BREAK)
            elif element.name in _BLOCKS:
                pieces.append(_BREAK * 2)
        elif type(element) is NavigableString and not _in_skipped(element):
            pieces.append(str(element))
    raw = " ".join(" ".join(pieces).split()).replace(" " + _BREAK, _BREAK)
    raw = raw.replace(_BREAK + " ", _BREAK)
    paragraphs = []
    for block in raw.split(_BREAK * 2):
        lines = [clean_line(line) for line in block.split(_BREAK)]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return join_paragraphs(paragraphs)
