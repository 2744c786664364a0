"""Extraction of HTML pages whose site has a profile (CSS selectors in a TOML file).

The profile reads the lxml tree every other layer reads (:mod:`~corpsearch.extract.htmltree`),
so a page is parsed once; a second parse into a BeautifulSoup tree, with its selector engine,
was about three quarters of a profile page's extraction time (benchmarks/results/extract.md).
Selectors are translated to XPath by ``cssselect`` (:mod:`corpsearch.extract.selectors`) and
matched as CSS matches them: a selector used inside an element (a comment's author) finds that
element's descendants, and the ancestors the selector names may lie outside it.
"""

from __future__ import annotations

from datetime import tzinfo

from lxml.html import HtmlElement

from ..profiles import HtmlLayout, Profile
from ..textnorm import clean_line, join_paragraphs
from .dates import parse_shown_date
from .parts import PageParts, RawComment
from .selectors import Matcher

__all__ = ["block_text", "extract_with_profile", "match_html_profile"]

_BLOCKS = frozenset(
    ("p", "div", "blockquote", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr")
)
_BREAK = "\x00"
# elements whose text is not the page's running text, at any depth below them (their text is
# code, styles, a template never shown, or the pronunciation of ruby text)
_CONTAINERS = frozenset(("script", "style", "template", "rt", "rp"))
# elements whose own text (not that of elements inside them) is left out
_SKIPPED_PARENTS = frozenset(("script", "style", "noscript", "template"))


def match_html_profile(
    page: Matcher, host: str | None, profiles: tuple[Profile, ...]
) -> Profile | None:
    """A profile whose host is the page's, else one whose ``detect`` selector finds something."""
    with_html = [p for p in profiles if p.html is not None]
    for profile in with_html:
        if profile.matches_host(host):
            return profile
    for profile in with_html:
        layout = profile.html
        if layout is not None and layout.detect and page.first(None, layout.detect) is not None:
            return profile
    return None


def extract_with_profile(page: Matcher, profile: Profile, zone: tzinfo) -> PageParts:
    """The parts of the page in ``page`` by the profile's selectors (the tree is changed: the
    quotations in comments are removed once read)."""
    layout = profile.html or HtmlLayout()
    parts = PageParts(language=profile.language)
    parts.headline = _first_text(page, None, layout.headline)
    body = page.first(None, layout.body) if layout.body else None
    parts.body = block_text(body) if body is not None else ""
    if layout.published:
        shown = _first_text(page, None, layout.published)
        if shown:
            parts.published = parse_shown_date(shown, profile.date_formats, zone)
            if parts.published is None:
                parts.published_reason = f"unreadable date {shown!r}"
    if parts.published is None and parts.published_reason is None:
        parts.published_reason = "the page shows no date for the article"
    count = _first_text(page, None, layout.comment_count)
    if count and count.strip().isdigit():
        parts.comment_count = int(count)
    if layout.comment:
        parts.comments = [
            _comment(page, node, layout, profile, zone) for node in page.all(None, layout.comment)
        ]
    return parts


def _comment(
    page: Matcher, node: HtmlElement, layout: HtmlLayout, profile: Profile, zone: tzinfo
) -> RawComment:
    author = _first_text(page, node, layout.comment_author)
    shown = _first_text(page, node, layout.comment_date)
    published = parse_shown_date(shown, profile.date_formats, zone) if shown else None
    text_node = page.first(node, layout.comment_text) if layout.comment_text else node
    quotes: list[str] = []
    links: list[str] = []
    if text_node is not None:
        links = [
            str(a.get("href"))
            for a in page.all(text_node, "a[href]")
            if str(a.get("href")).startswith("http")
        ]
        if layout.comment_quote:
            removed: list[HtmlElement] = []
            for quote in page.all(text_node, layout.comment_quote):
                # a quotation inside one already removed went with it: nothing left to read
                if any(outer in removed for outer in quote.iterancestors()):
                    continue
                quotes.append(block_text(quote))
                page.remove(quote)
                removed.append(quote)
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


def _first_text(page: Matcher, scope: HtmlElement | None, selector: str | None) -> str | None:
    if not selector:
        return None
    found = page.first(scope, selector)
    if found is None:
        return None
    return clean_line(" ".join(_strings(found))) or None


def _container(element: HtmlElement) -> str | None:
    """The nearest of ``element`` and its ancestors that is a container, by tag name."""
    for candidate in (element, *element.iterancestors()):
        if candidate.tag in _CONTAINERS:
            return str(candidate.tag)
    return None


def _strings(element: HtmlElement) -> list[str]:
    """The text pieces under ``element`` that are its text: those of a container element only
    inside a container of its kind, those outside any container for any other element."""
    wanted = element.tag if element.tag in _CONTAINERS else None
    pieces: list[str] = []

    def walk(node: HtmlElement, inside: str | None) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                if child.tail and inside == wanted:
                    pieces.append(child.tail)
                continue
            below = child.tag if child.tag in _CONTAINERS else inside
            if child.text and below == wanted:
                pieces.append(child.text)
            walk(child, below)
            if child.tail and inside == wanted:
                pieces.append(child.tail)

    inside = _container(element)
    if element.text and inside == wanted:
        pieces.append(element.text)
    walk(element, inside)
    return pieces


def block_text(node: HtmlElement) -> str:
    """The text of an element as paragraphs: block elements and ``<br>`` become line breaks."""
    pieces: list[str] = []

    def walk(element: HtmlElement, quiet: bool) -> None:
        # quiet: inside a container, where elements still break lines but no text counts
        own = not quiet and element.tag not in _SKIPPED_PARENTS
        for child in element:
            tag = child.tag
            if isinstance(tag, str):
                if tag == "br":
                    pieces.append(_BREAK)
                elif tag in _BLOCKS:
                    pieces.append(_BREAK * 2)
                below = quiet or tag in _CONTAINERS
                if child.text and not below and tag not in _SKIPPED_PARENTS:
                    pieces.append(child.text)
                walk(child, below)
            if child.tail and own:
                pieces.append(child.tail)

    quiet = _container(node) is not None
    if node.text and not quiet and node.tag not in _SKIPPED_PARENTS:
        pieces.append(node.text)
    walk(node, quiet)
    raw = " ".join(" ".join(pieces).split()).replace(" " + _BREAK, _BREAK)
    raw = raw.replace(_BREAK + " ", _BREAK)
    paragraphs = []
    for block in raw.split(_BREAK * 2):
        lines = [clean_line(line) for line in block.split(_BREAK)]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return join_paragraphs(paragraphs)
