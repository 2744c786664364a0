"""Generic article extraction for pages of unknown sites.

Metadata the page embeds (JSON-LD, microdata, OpenGraph and other meta tags, ``<time>``) gives
the headline, date, authors, canonical URL and language; the body comes from boilerplate
removal (trafilatura), cleaned of headline and byline lines and of reader comments.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timezone, tzinfo

from lxml import etree
from lxml.html import HtmlElement

from corpsearch.extract.headline import choose_headline, host_of, words_key
from corpsearch.extract.htmldates import (
    choose_date,
    date_from_url,
    day_order,
    guessed_date,
    is_ambiguous,
    parse_date,
    pieces_after_headline,
    shown_date,
    shown_offset,
    text_after_headline,
)
from corpsearch.extract.htmltree import parse_html
from corpsearch.extract.metadata import (
    PageMetadata,
    absolute_url,
    clean_text,
    read_metadata,
)

__all__ = ["ArticleFields", "detect_language", "extract_article"]

# trafilatura and htmldate log every page they discard; without a handler set up by the
# application, Python would print those records to stderr
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


@dataclass(frozen=True, slots=True)
class ArticleFields:
    """What generic extraction found on one article page."""

    url: str | None
    site: str | None
    headline: str | None
    body: str
    published: datetime | None
    published_reason: str | None
    authors: tuple[str, ...]
    language: str | None
    # the offset the article's own dates declare (None: none declares one other than UTC), in
    # which the page's times without a zone are read when no profile names the site's zone
    zone: timezone | None = None


def extract_article(
    html: str,
    *,
    url: str | None = None,
    default_tz: tzinfo = UTC,
    tree: HtmlElement | None = None,
) -> ArticleFields:
    """Read the article fields of one HTML page.

    ``url`` is where the page was fetched from (used to resolve relative links and as the
    URL when the page names none); ``default_tz`` is the site's zone for dates without one.
    ``tree`` is the page already parsed by :func:`~corpsearch.extract.htmltree.parse_html`
    (it is changed: hidden elements are removed, split bodies joined); without it ``html`` is
    parsed here.
    """
    if tree is None:
        tree = parse_html(html).root
    if tree is None:
        return ArticleFields(
            url=url,
            site=_site(url, []),
            headline=None,
            body="",
            published=None,
            published_reason="the page could not be parsed as HTML",
            authors=(),
            language=None,
        )
    meta = read_metadata(tree)
    canonical = absolute_url(meta.urls, url) or (absolute_url([url], None) if url else None)
    headline = choose_headline(meta, canonical)
    body, body_problem = _body(tree, meta, headline)
    zone = _declared_offset(meta, default_tz)
    published, reason = _published(tree, meta, headline, canonical, url, default_tz)
    if published is not None and zone is None and reason is None and not published.utcoffset():
        zone = shown_offset(tree, headline, published)  # the dateline shows it in local time
    if published is not None and zone is not None and reason is None and not published.utcoffset():
        published = published.astimezone(zone)  # a value given in UTC: same instant, page's day
    if body_problem:
        reason = f"{reason}; {body_problem}" if reason else body_problem
    return ArticleFields(
        url=canonical,
        site=_site(canonical, meta.site_names),
        headline=headline,
        body=body,
        published=published,
        published_reason=reason,
        authors=_authors(meta.authors),
        language=_language(meta.languages, body),
        zone=zone,
    )


# --- date ------------------------------------------------------------------------------------


def _published(
    tree: HtmlElement,
    meta: PageMetadata,
    headline: str | None,
    canonical: str | None,
    url: str | None,
    default_tz: tzinfo,
) -> tuple[datetime | None, str | None]:
    url_day = date_from_url(canonical) or date_from_url(url)
    sources = [("embedded date", meta.dates), ("<time> element", meta.time_dates)]
    pieces: list[str] | None = None
    declared_first: bool | None = None
    if any(is_ambiguous(v) for v in (*meta.dates, *meta.time_dates)):
        # "05/06/2019": the page's own text says which number is the day, else its locale
        pieces = pieces_after_headline(tree, headline, limit=1500)
        declared_first = day_order([*pieces, *meta.time_dates], [*meta.dates, *meta.time_dates])
        if declared_first is None:
            declared_first = _locale_day_first(meta)
    declared = bool(meta.dates or meta.time_dates)
    published, reason = choose_date(
        sources, default_tz, url_day=url_day if declared else None, day_first=declared_first
    )
    if published is not None:
        return published, reason
    if pieces is None:
        pieces = pieces_after_headline(tree, headline, limit=1500)
    day_first = day_order(pieces)
    if day_first is None:
        day_first = not _is_us(meta)
    # a dateline is a short line of its own; a date inside a sentence (an image caption's
    # "…near Orleans, France, January 16, 2020", "taken on 2 February 2009 by NAME.") only
    # when no such line has one
    short = [p for p in pieces if len(p) <= 100]
    shown = next(
        (
            d
            for d in (shown_date(p, day_first=day_first) for p in sorted(short, key=_sentence))
            if d
        ),
        None,
    )
    if shown is None:
        near = text_after_headline(tree, headline)
        shown = shown_date(near, day_first=day_first) if near else None
    if shown:
        found, shown_reason = choose_date([("date shown under the headline", [shown])], default_tz)
        # a dateline on the URL's day gives the time as well; on another day, the URL wins
        if found is not None and (url_day is None or found.date().isoformat() == url_day):
            return found, shown_reason
    if url_day:
        return choose_date([], default_tz, url_day=url_day)
    guessed = guessed_date(tree)
    if guessed:
        found, guess_reason = choose_date([("date found in the page", [guessed])], default_tz)
        if found is not None:
            return found, f"{guess_reason}; no machine-readable date"
    return published, reason


def _sentence(piece: str) -> bool:
    """A piece that reads as a sentence (many words, closed by a full stop) rather than a
    dateline ("11. März 2012", "Posted on March 4, 2021 by NAME")."""
    return len(piece.split()) > 10 and piece.rstrip().endswith((".", "!", "?"))


def _declared_offset(meta: PageMetadata, default_tz: tzinfo) -> timezone | None:
    """The first offset other than UTC that the article's own dates declare (JSON-LD, meta
    tags, microdata, ``<time datetime>`` outside comments). +00:00 is more often a value
    normalised to UTC than the site's zone, so it says nothing."""
    for value in (*meta.dates, *meta.time_dates, *meta.modified):
        parsed = parse_date(value, default_tz)
        if parsed is None or parsed[1]:
            continue  # no date, or no zone of its own
        offset = parsed[0].utcoffset()
        if offset:
            return timezone(offset)
    return None


def _locale_day_first(meta: PageMetadata) -> bool | None:
    """Day first for a page in a language other than English or in English outside the US,
    month first for ``en-US``; None when the page declares no language or only "en"."""
    for value in meta.languages:
        code = value.strip().lower().replace("_", "-")
        if code == "en-us":
            return False
        if code and code != "en":
            return True
    return None


def _is_us(meta: PageMetadata) -> bool:
    return any(lang.lower().replace("_", "-") == "en-us" for lang in meta.languages)


# --- body --------------------------------------------------------------------------------------

_key = words_key
_BYLINE = re.compile(r"^(by|von|par|por|di|door|af|av)\s+\S", re.IGNORECASE)


def _body(tree: HtmlElement, meta: PageMetadata, headline: str | None) -> tuple[str, str | None]:
    paragraphs, problem = _trafilatura_paragraphs(tree)
    if not paragraphs and meta.article_body:
        paragraphs = [p for p in (clean_text(x) for x in meta.article_body.split("\n")) if p]
        problem = None
    if not paragraphs:
        paragraphs = _plain_paragraphs(tree)
    paragraphs = _trim_head(paragraphs, headline, meta)
    if not paragraphs and problem is None:
        problem = "no article text found"
    return "\n\n".join(paragraphs), problem


_BODYISH = re.compile(r"body|content|article|story|text|entry|post|chunk", re.IGNORECASE)


def _merge_split_bodies(tree: HtmlElement) -> None:
    """Join article text that a template splits over sibling containers of one class.

    Some templates cut the body into chunks (with ads or embeds between them) in containers
    sharing one class; boilerplate removal would keep only the first chunk.
    """
    groups: dict[str, list[HtmlElement]] = {}
    for element in tree.iter("div", "section"):
        names = element.get("class")
        if not names or not _BODYISH.search(names):
            continue
        paragraphs = [p for p in element.iterchildren("p") if len(p.text_content()) >= 80]
        if len(paragraphs) >= 2:
            groups.setdefault(names, []).append(element)
    for elements in groups.values():
        if len(elements) < 2:
            continue
        first = elements[0]
        near = set(list(first.iterancestors())[:3])
        rest = [e for e in elements[1:] if near & set(list(e.iterancestors())[:3])]
        if len(rest) != len(elements) - 1 or any(first in e.iterancestors() for e in rest):
            continue
        for element in rest:
            for child in list(element):
                first.append(child)
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)


_HIDDEN_CLASS = {
    "hidden",
    "sr-only",
    "visually-hidden",
    "visuallyhidden",
    "screen-reader-text",
    "element-invisible",
    "is-hidden",
    "u-hidden",
}
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


# a first look at the class attribute, before it is split and compared word by word
_MAYBE_HIDDEN_CLASS = re.compile(
    "|".join(re.escape(name) for name in sorted(_HIDDEN_CLASS)), re.IGNORECASE
)


def _drop_hidden(tree: HtmlElement) -> None:
    """Remove elements the page never shows (hidden attribute, hiding classes or styles)."""
    doomed = []
    for element in tree.iter(etree.Element):
        if element.tag in ("html", "body"):
            continue
        names = element.get("class")
        style = element.get("style")
        if (
            element.get("hidden") is not None
            or (
                names
                and _MAYBE_HIDDEN_CLASS.search(names)
                and not _HIDDEN_CLASS.isdisjoint(names.lower().split())
            )
            or (style and _DISPLAY_NONE.search(style))
        ):
            doomed.append(element)
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            element.drop_tree()


def _trafilatura_paragraphs(tree: HtmlElement) -> tuple[list[str], str | None]:
    """Paragraphs of the main text by trafilatura, precise first, with recall as a rescue."""
    from trafilatura import bare_extraction

    _merge_split_bodies(tree)
    _drop_hidden(tree)
    anchors = {_key(a.text_content()) for a in tree.iter("a")}
    try:
        document = bare_extraction(tree, include_comments=False, favor_precision=True, fast=True)
        body = getattr(document, "body", None)
        paragraphs = _serialise(body, anchors) if body is not None else []
        if sum(len(p) for p in paragraphs) < _SHORT_TEXT:
            # precision sometimes keeps only a teaser or notice: retry favouring recall
            document = bare_extraction(tree, include_comments=False, favor_recall=True, fast=True)
            body = getattr(document, "body", None)
            rescued = _serialise(body, anchors) if body is not None else []
            if sum(len(p) for p in rescued) > 2 * sum(len(p) for p in paragraphs):
                paragraphs = rescued
    except Exception as error:  # third-party code: a failure becomes a reason
        return [], f"body extraction failed: {type(error).__name__}: {error}"
    return paragraphs, None


_SHORT_TEXT = 1000
_BOILERPLATE = re.compile(
    r"^(©|\(c\)|copyright\b|all rights reserved|read more\b|related\b|see also\b|"
    r"share this\b|follow us\b|sign up\b|subscribe\b)",
    re.IGNORECASE,
)


# sign-off lines: contact addresses, newsletter, follow-us, donation and affiliate prompts,
# comment-section notices, tag and source labels
_SIGN_OFF = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|newsletter|\bfollow (?:us|him|her|them|\w+) on\b|"
    r"\bsubscribe\b|\bsign up\b|click here|copyright|©|all rights reserved|non-commercial use|"
    r"\b(?:tel|phone|fone|telefon|téléphone)\b\.?\s*:|contributed to this (?:report|story)|klicken sie hier|cliquez ici|affiliate|\bdonat|\bspende|support us|unterstützen sie|"
    r"^.{0,40}(?:\bcomments?\b|\bkommentar|\bcomentar|\bcommentaire|\breacties?\b).{0,20}$|"
    r"^(?:topics?|tags?|sources?|filed under|categor(?:y|ies)|schlagw[oö]rter|themen|"
    r"étiquettes|etiquetas|mots-clés)\s*:",
    re.IGNORECASE,
)
# a line of unrendered CMS shortcodes, e.g. [button link="..."]Send us yours[/button]
_SHORTCODE = re.compile(r"^\[(\w+)[^\]]*\].*\[/\1\]$")
# headings that open the page furniture after an article: tags, related, sharing, bios
_SECTION_HEAD = re.compile(
    r"^(?:tags?|topics?|related(?: \w+)?|share(?: this(?: \w+)?)?|more (?:from|on|about) .{1,30}|"
    r"read (?:more|next|also)|see also|you (?:may|might) also like|about the authors?|"
    r"schlagw[oö]rter|themen|mehr zum thema|das könnte sie auch interessieren|mots-clés|"
    r"à lire aussi|lire aussi|etiquetas|temas|leia também|ver también|lees ook|tag)\s*:?$",
    re.IGNORECASE,
)
_CREDIT = re.compile(r"^[(（][^()（）]{1,40}[)）]$|^[^.!?…:;。！？]{1,30}$")


def _serialise(body: etree._Element, anchors: set[str]) -> list[str]:
    """Plain paragraphs of trafilatura's body tree, less link-only blocks at its ends.

    ``anchors`` holds the word keys of the page's link texts: a block (or every item of a
    list) that is the whole text of a link is a teaser, not running text.
    """
    from trafilatura.xml import xmltotxt

    blocks = [child for child in body if isinstance(child.tag, str)]

    def removable(block: etree._Element, at_end: bool = False) -> bool:
        text = clean_text("".join(block.itertext()))
        if not text:
            return True
        if len(text) < 120 and _BOILERPLATE.match(text) is not None:
            return True
        if at_end and len(text) < 240 and _SIGN_OFF.search(text) is not None:
            return True
        parts = list(block.iter("item")) if block.tag == "list" else [block]
        return all(_key("".join(part.itertext())) in anchors for part in parts)

    for index in range(max(len(blocks) - 8, 1), len(blocks)):
        if _SECTION_HEAD.match(clean_text("".join(blocks[index].itertext()))):
            for block in blocks[index:]:
                body.remove(block)
            del blocks[index:]
            break
    credits = 0
    while blocks:
        last = blocks[-1]
        text = clean_text("".join(last.itertext()))
        if last.tag == "head":
            pass  # a heading with nothing under it heads no text of the article
        elif last.tag == "p" and credits < 2 and _CREDIT.match(text):
            credits += 1  # a signature, editor or date line after the text
        elif not removable(last, at_end=True):
            break
        body.remove(blocks.pop())
    while blocks and removable(blocks[0]):
        body.remove(blocks.pop(0))
    text = xmltotxt(body, False)
    lines = (clean_text(line) for line in text.split("\n"))
    return [line for line in lines if line and not _SHORTCODE.match(line)]


def _plain_paragraphs(tree: HtmlElement) -> list[str]:
    found = []
    for element in tree.iter("p"):
        if any(
            a.tag in ("nav", "footer", "header", "aside", "form") for a in element.iterancestors()
        ):
            continue
        text = clean_text(element.text_content())
        if len(text) >= 40:
            found.append(text)
    return found


_READING_TIME = re.compile(
    r"\b\d+\s*(?:min\.?|minutes?|minuten|minutos|minuti)\b|\b(?:lesezeit|reading time|temps de lecture)\b",
    re.IGNORECASE,
)
_COUNTER = re.compile(
    r"^\d+\s+(?:comments?|kommentare?|komentarz\w*|commentaires?|comentarios?|commenti|reacties?)$",
    re.IGNORECASE,
)
# affiliate and sponsorship disclosures placed before the text
_DISCLOSURE = re.compile(
    r"affiliate|may earn a commission|sponsored by|enthält werbelinks|liens affiliés|afiliad",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…»”\"]\s*$")


def _trim_head(paragraphs: list[str], headline: str | None, meta: PageMetadata) -> list[str]:
    """Drop what precedes the running text: headline, kicker, byline, date and counter lines."""
    heads = {_key(headline or "")} | {_key(h.text) for h in meta.headings[:1]}
    heads |= {_key(t) for t in meta.headlines + meta.titles}
    heads.discard("")
    authors = {_key(a) for a in meta.authors}
    # everything up to a repeated headline near the top is kicker or breadcrumb
    for index, paragraph in enumerate(paragraphs[:5]):
        key = _key(paragraph)
        if key in heads or any(
            key.startswith(h) and len(key) - len(h) < 60 for h in heads if len(h) >= 20
        ):
            paragraphs = paragraphs[index + 1 :]
            break
    start = 0
    for paragraph in paragraphs[:4]:
        key = _key(paragraph)
        short = len(paragraph) < 100 and not _SENTENCE_END.search(paragraph)
        if (
            (len(paragraph) < 80 and _BYLINE.match(paragraph))
            or (key and key in authors)
            or (short and _COUNTER.match(paragraph))
            or (short and _READING_TIME.search(paragraph))
            or (short and shown_date(paragraph) is not None)
            or (len(paragraph) < 300 and _DISCLOSURE.search(paragraph) is not None)
        ):
            start += 1
            continue
        break
    return paragraphs[start:]


# --- authors, site, language -----------------------------------------------------------------

_AUTHOR_PREFIX = re.compile(r"^(by|von|par|por|di|door|af|av)\s+", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b)\s*")


def _authors(raw: list[str]) -> tuple[str, ...]:
    names: list[str] = []
    seen: set[str] = set()
    for value in raw:
        value = _AUTHOR_PREFIX.sub("", value)
        for name in _AUTHOR_SPLIT.split(value):
            name = name.strip(" .·|-")
            key = name.casefold()
            if not name or len(name) > 60 or key in seen or "@" in name or "/" in name:
                continue
            seen.add(key)
            names.append(name)
    return tuple(names)


def _site(url: str | None, site_names: list[str]) -> str | None:
    return host_of(url) or (clean_text(site_names[0]) if site_names else None)


_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*$")


def _language(declared: list[str], body: str) -> str | None:
    for value in declared:
        match = _LANG.match(value.strip())
        if match and len(match.group(1)) == 2:
            return match.group(1).lower()
    return detect_language(body)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` by py3langid (its model ships in the package), or None."""
    if len(text) < 100:
        return None
    import py3langid

    code, _score = py3langid.classify(text[:3000])
    return str(code)
