"""Embedded article metadata: JSON-LD, microdata, OpenGraph and other meta tags.

:func:`read_metadata` gathers what a page declares about itself into :class:`PageMetadata`;
choosing between the sources (and parsing dates) is left to the caller.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from corpsearch.extract.shown_headings import Heading, read_shown_headings
from corpsearch.textnorm import clean_text

__all__ = [
    "Heading",
    "PageMetadata",
    "absolute_url",
    "clean_text",
    "drop_comment_sections",
    "read_metadata",
]

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "techarticle",
    "scholarlyarticle",
    "socialmediaposting",
    "liveblogposting",
    "report",
    "recipe",
    "review",
    "posting",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class PageMetadata:
    """Raw values a page declares, in order of preference within each list."""

    headlines: list[str] = field(default_factory=list)  # JSON-LD / microdata headline
    titles: list[str] = field(default_factory=list)  # og:title, twitter:title, <title>
    headings: list[Heading] = field(default_factory=list)  # shown <h1>s (else a header <h2>)
    # every other h2 to h6, with its level: the headline when a template shows it there and the
    # metadata confirms it (an h4 to h6 only when a declared title names it exactly)
    other_headings: list[Heading] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)  # machine-readable publication dates
    time_dates: list[str] = field(default_factory=list)  # <time datetime> values
    modified: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # from the first source that names any
    # JSON-LD, meta tags, microdata, rel=author links
    author_sources: tuple[list[str], list[str], list[str], list[str]] = field(
        default_factory=lambda: ([], [], [], [])
    )
    urls: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)
    article_body: str = ""


def _iter_jsonld(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" not in kind or not script.text:
            continue
        text = _CONTROL.sub(" ", script.text.strip())
        if text.startswith("<!--"):
            text = text.removeprefix("<!--").removesuffix("-->").strip()
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            continue
        yield from _walk(data)


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        yield node
        graph = node.get("@graph")
        if graph is not None:
            yield from _walk(graph)
        main = node.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _walk(main)


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1].lower() for v in values if v}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        for key in ("name", "@value", "value"):
            if isinstance(value.get(key), str):
                return [value[key]]
    return []


def _person_names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [n for item in value for n in _person_names(item)]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            return [name]
        given, family = value.get("givenName"), value.get("familyName")
        if isinstance(given, str) and isinstance(family, str):
            return [f"{given} {family}"]
        return []
    if isinstance(value, str):
        return [value]
    return []


def _read_jsonld(tree: HtmlElement, meta: PageMetadata) -> None:
    articles: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    for node in _iter_jsonld(tree):
        types = _types(node)
        if types & _ARTICLE_TYPES or any(t.endswith("article") for t in types):
            articles.append(node)
        elif types & {"webpage", "itempage", "collectionpage", "profilepage"}:
            pages.append(node)
        elif "website" in types or "organization" in types or "newsmediaorganization" in types:
            meta.site_names.extend(_strings(node.get("name"))[:1])
    for node in articles:
        meta.headlines.extend(_strings(node.get("headline"))[:1] or _strings(node.get("name"))[:1])
        meta.dates.extend(_strings(node.get("datePublished"))[:1])
        meta.dates.extend(_strings(node.get("dateCreated"))[:1])
        meta.modified.extend(_strings(node.get("dateModified"))[:1])
        meta.author_sources[0].extend(_person_names(node.get("author")))
        meta.author_sources[0].extend(_person_names(node.get("creator")))
        meta.languages.extend(_strings(node.get("inLanguage"))[:1])
        url = node.get("url")
        if isinstance(url, str):
            meta.urls.append(url)
        entity = node.get("mainEntityOfPage")
        if isinstance(entity, dict) and isinstance(entity.get("@id"), str):
            meta.urls.append(entity["@id"])
        elif isinstance(entity, str):
            meta.urls.append(entity)
        body = node.get("articleBody")
        if isinstance(body, str) and len(body) > len(meta.article_body):
            meta.article_body = body
    for node in pages:
        meta.dates.extend(_strings(node.get("datePublished"))[:1])
        meta.languages.extend(_strings(node.get("inLanguage"))[:1])


# meta tags naming a publication date, most trusted first
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "cxenseparse:recs:publishtime",
    "og:published_time",
    "published_time",
    "release_date",
    "created",
)
_AUTHOR_META = (
    "author",
    "article:author",
    "parsely-author",
    "dc.creator",
    "sailthru.author",
    "byl",
)
_TITLE_META = ("og:title", "twitter:title")


def _read_meta_tags(tree: HtmlElement, meta: PageMetadata) -> None:
    found: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or ""
        content = element.get("content")
        if not key or content is None or not content.strip():
            if (element.get("http-equiv") or "").lower() == "content-language" and content:
                meta.languages.append(content)
            continue
        found.setdefault(key.strip().lower(), []).append(content.strip())
    for key in _DATE_META:
        meta.dates.extend(found.get(key, [])[:1])
    meta.modified.extend(found.get("article:modified_time", [])[:1])
    for key in _AUTHOR_META:
        for value in found.get(key, []):
            if not value.startswith(("http://", "https://", "www.")):
                meta.author_sources[1].append(value)
    for key in _TITLE_META:
        meta.titles.extend(found.get(key, [])[:1])
    meta.urls.extend(found.get("og:url", [])[:1])
    meta.site_names.extend(found.get("og:site_name", [])[:1])
    for key in ("og:locale", "language", "dc.language", "content-language", "inlanguage"):
        meta.languages.extend(found.get(key, [])[:1])


_COMMENT_TYPES = ("comment", "review", "answer", "question")
_COMMENT_NAME = re.compile(
    r"^(?:comments?|commentlist|comment-\S+|comments-(?:area|list|section|container|wrapper|block)"
    r"|disqus\S*)$"
)


def _in_comments(element: HtmlElement) -> bool:
    """Whether ``element`` sits in a reader comment, a review or a comment section."""
    for ancestor in element.iterancestors():
        kind = (ancestor.get("itemtype") or "").lower()
        if any(kind.endswith(t) for t in _COMMENT_TYPES):
            return True
        names = f"{ancestor.get('id') or ''} {ancestor.get('class') or ''}".lower().split()
        if any(_COMMENT_NAME.match(name) for name in names):
            return True
    return False


def drop_comment_sections(tree: HtmlElement) -> None:
    """Remove reader-comment sections (by their names or schema.org types) from ``tree``."""
    doomed = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        kind = (element.get("itemtype") or "").lower()
        if kind and any(kind.endswith(t) for t in _COMMENT_TYPES):
            doomed.append(element)
            continue
        ident, cls = element.get("id"), element.get("class")
        if not ident and not cls:
            continue
        names = f"{ident or ''} {cls or ''}".lower()
        # every name _COMMENT_NAME matches holds one of the two words
        if ("comment" in names or "disqus" in names) and any(
            _COMMENT_NAME.match(name) for name in names.split()
        ):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


_ITEMPROP_OR_REL = etree.XPath("//*[@itemprop or (self::a and @rel) or (@property and @content)]")
# RDFa names of a creation date (Drupal's ``property="dc:date dc:created"``, schema.org's)
_RDFA_DATES = frozenset(["created", "date", "issued", "datePublished", "dateCreated"])
_ITEM_NAME = etree.XPath('.//*[@itemprop="name"]')


def _read_microdata(tree: HtmlElement, meta: PageMetadata) -> None:
    # one pass over the marked elements (each XPath over the page costs as much as a parse)
    authors: list[HtmlElement] = []
    links: list[HtmlElement] = []
    for element in _ITEMPROP_OR_REL(tree):
        prop = element.get("itemprop")
        if prop in ("datePublished", "dateCreated", "headline") and element.tag != "meta":
            if _in_comments(element):
                continue
            if prop == "headline":
                meta.headlines.append(element.text_content())
            else:
                value = element.get("datetime") or element.get("content")
                if value is None and element.tag == "abbr":  # <abbr title="2021-03-04T18:05">
                    value = element.get("title")
                if value:
                    meta.dates.append(value)
        elif prop == "author":
            authors.append(element)
        elif prop == "name" and element.tag in ("h1", "h2", "h3") and _names_article(element):
            # the article item's name shown as a heading: its title, as much as a
            # ``headline`` the same item gives another element (Contao marks the subheadline so)
            meta.headlines.append(element.text_content())
        elif prop is None and element.tag != "meta" and _rdfa_date(element.get("property")):
            value = element.get("content")
            if value and not _in_comments(element):
                meta.dates.append(value)
        if element.tag == "a" and element.get("rel") == "author":
            links.append(element)
    for element in authors:
        if _in_comments(element):
            continue
        names = _ITEM_NAME(element)
        if names:
            value = names[0].get("content") or names[0].text_content()
        else:
            value = element.get("content") or element.text_content()
        if value and len(value) < 80:
            meta.author_sources[2].append(value)
    for link in links:
        value = clean_text(link.text_content())
        if value and len(value) < 60 and not _in_comments(link):
            meta.author_sources[3].append(value)


def _names_article(element: HtmlElement) -> bool:
    """Whether ``element`` is a property of an article item: the nearest ``itemscope``
    around it has an article type."""
    for node in element.iterancestors():
        if node.get("itemscope") is not None:
            kind = (node.get("itemtype") or "").rsplit("/", 1)[-1].lower()
            return kind in _ARTICLE_TYPES or kind.endswith("article")
    return False


def _rdfa_date(names: str | None) -> bool:
    return any(re.split(r"[:/#]", name)[-1] in _RDFA_DATES for name in (names or "").split())


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# a month written as a word, in the languages the date readers know
_MONTH_WORD = re.compile(r"\b[^\W\d_]{3,}\.?\s+\d{4}\b|\b\d{1,2}\.?\s+[^\W\d_]{3,}", re.UNICODE)


def _read_time_elements(tree: HtmlElement, meta: PageMetadata) -> None:
    ranked: list[tuple[int, str]] = []
    for position, element in enumerate(tree.iter("time")):
        value = element.get("datetime")
        if not value or _in_comments(element) or _in_listing(element):
            continue
        rank = 2
        names = " ".join(
            (anc.get("class") or "") + " " + (anc.get("id") or "")
            for anc in [element, *element.iterancestors()][:4]
        ).lower()
        if element.get("pubdate") is not None or "publish" in names or "posted" in names:
            rank = 0
        elif "updated" in names or "modif" in names or "comment" in names:
            rank = 5
        elif any(anc.tag in ("article", "header", "main") for anc in element.iterancestors()):
            rank = 1
        shown = clean_text(element.text_content())
        if not _ISO_DAY.match(value.strip()) and _MONTH_WORD.search(shown):
            # "01-11-2023 10:29" could be either order; "1. November 2023 10:29" shown says which
            ranked.append((rank * 20000 + 2 * position, shown))
        ranked.append((rank * 20000 + 2 * position + 1, value))
    meta.time_dates.extend(value for _, value in sorted(ranked))


def _in_listing(element: HtmlElement) -> bool:
    """Whether a ``<time>`` outside the article's own boxes (no ``article``, ``header`` or
    ``main`` around it) is one item's date in a listing: a block of three or more sibling
    items, each with a ``<time>`` of its own, holding more than one day (an events widget's
    or a list of other stories' days, not the article's)."""
    ancestors = list(element.iterancestors())
    if any(anc.tag in ("article", "header", "main") for anc in ancestors):
        return False
    for item, block in pairwise(ancestors[:5]):
        siblings = [c for c in block if isinstance(c.tag, str) and c.tag == item.tag]
        if len(siblings) < 3:
            continue
        days = set()
        for sibling in siblings:
            times = [(v.get("datetime") or "")[:10] for v in sibling.iter("time")]
            if not times:
                break
            days.update(times)
        else:
            if len(days) > 1:
                return True
    return False


# hAtom's (and microformats2's) date properties of a post: classes on any element inside
# the entry's own ``hentry``/``h-entry`` box, often hidden ("<span class="updated"
# style="display:none">2017-09-20</span>", as WordPress themes print it)
_HATOM_DATES = etree.XPath(
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' hentry ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' h-entry ')]"
    "//*[contains(@class, 'published') or contains(@class, 'updated')][not(self::time)]"
)
_MACHINE_DATE = re.compile(r"^\s*\d{4}-\d\d-\d\d(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?\s*$")


def _read_hatom(tree: HtmlElement, meta: PageMetadata) -> None:
    """The entry's ``published`` date as a declared publication date, its ``updated`` date as
    its last change: the machine-readable value only (an ``abbr``'s ``title``, a
    ``datetime``, or text written so), of the first entry's own elements (``<time>``s are
    read with the others)."""
    found: dict[str, str] = {}
    for element in _HATOM_DATES(tree):
        names = (element.get("class") or "").split()
        kind = next((n for n in names if n in _HATOM_KINDS), None)
        if kind is None or _HATOM_KINDS[kind] in found or _in_comments(element):
            continue
        for value in (element.get("datetime"), element.get("title"), element.text_content()):
            if value and _MACHINE_DATE.match(value):
                found[_HATOM_KINDS[kind]] = value.strip()
                break
    if "published" in found:
        meta.dates.append(found["published"])
    if "updated" in found:
        meta.modified.append(found["updated"])


_HATOM_KINDS = {
    "published": "published",
    "dt-published": "published",
    "updated": "updated",
    "dt-updated": "updated",
}


def _read_dom(tree: HtmlElement, meta: PageMetadata) -> None:
    shown, others = read_shown_headings(tree)
    meta.headings += shown
    meta.other_headings += others
    title = tree.find(".//title")
    if title is not None and title.text:
        meta.titles.append(title.text)
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            meta.urls.insert(0, link.get("href", ""))
    root = tree.getroottree().getroot()
    if root.get("lang") or root.get("xml:lang"):
        meta.languages.insert(0, root.get("lang") or root.get("xml:lang") or "")


def read_metadata(tree: HtmlElement) -> PageMetadata:
    """Everything the page declares about its article, sources in order of trust."""
    meta = PageMetadata()
    _read_jsonld(tree, meta)
    _read_meta_tags(tree, meta)
    _read_microdata(tree, meta)
    _read_time_elements(tree, meta)
    _read_hatom(tree, meta)
    _read_dom(tree, meta)
    meta.headlines = [t for t in (clean_text(h) for h in meta.headlines) if t]
    meta.titles = [t for t in (clean_text(h) for h in meta.titles) if t]
    for source in meta.author_sources:
        meta.authors = [a for a in (clean_text(x) for x in source) if a]
        if meta.authors:
            break
    return meta


def absolute_url(candidates: list[str], base: str | None) -> str | None:
    """The first candidate that is (or, against ``base``, becomes) an absolute http(s) URL."""
    for candidate in candidates:
        candidate = candidate.strip()
        if not candidate:
            continue
        if candidate.startswith("//"):
            candidate = "https:" + candidate
        if base and not urlsplit(candidate).scheme:
            candidate = urljoin(base, candidate)
        if urlsplit(candidate).scheme in ("http", "https") and urlsplit(candidate).netloc:
            return candidate
    return None
