"""The body of an article page: boilerplate removal (trafilatura) on the page's tree, cleaned of
headline, byline and counter lines at its head and of link teasers and sign-offs at its ends.

Before trafilatura sees the tree, article text a template splits over sibling containers is
joined, a lead paragraph set in a box of its own just before the article's text container is
put at the head of that container, and elements the page never shows are removed.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from corpsearch.extract.boilerplate import body_tree
from corpsearch.extract.headline import words_key
from corpsearch.extract.htmldates import shown_date
from corpsearch.extract.metadata import PageMetadata, clean_text
from corpsearch.extract.post_source import post_source_page

__all__ = ["article_body"]

_key = words_key
_BYLINE = re.compile(r"^(by|von|par|por|di|door|af|av)\s+\S", re.IGNORECASE)


def article_body(
    tree: HtmlElement, meta: PageMetadata, headline: str | None
) -> tuple[str, str | None]:
    """The body text of the page in ``tree`` (which is changed: hidden elements are removed,
    split bodies joined) and, when none is found, why."""
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


def _merge_split_bodies(tree: HtmlElement) -> list[HtmlElement]:
    """Join article text that a template splits over sibling containers of one class; the
    containers whose class names them the body's (those left after joining), for
    :func:`_join_leads`.

    Some templates cut the body into chunks (with ads or embeds between them) in containers
    sharing one class; boilerplate removal would keep only the first chunk.
    """
    groups: dict[str, list[HtmlElement]] = {}
    bodyish: list[HtmlElement] = []
    for element in tree.iter("div", "section"):
        names = element.get("class")
        if not names or not _BODYISH.search(names):
            continue
        bodyish.append(element)
        long_paragraphs = 0
        for p in element.iterchildren("p"):
            if len(p.text_content()) >= 80:
                long_paragraphs += 1
                if long_paragraphs == 2:  # two are enough
                    groups.setdefault(names, []).append(element)
                    break
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
    return [element for element in bodyish if element.getparent() is not None]


# class words of a lead paragraph (a standfirst, a teaser, a summary, as languages name it)
_LEAD_WORDS = frozenset(
    [
        "lead",
        "lede",
        "standfirst",
        "intro",
        "summary",
        "excerpt",
        "teaser",
        "perex",
        "chapo",
        "chapeau",
        "sapo",
        "entradilla",
        "deck",
        "dek",
        "abstract",
    ]
)
_LEAD_HINT = re.compile("|".join(sorted(_LEAD_WORDS)), re.IGNORECASE)
_CLASS_WORD = re.compile(r"[^\W_]+")
_LEAD_SHORTEST, _LEAD_LONGEST = 40, 800  # characters of text
_LEAD_BLOCKS = ("p", "div", "section")


def _join_leads(containers: list[HtmlElement]) -> None:
    """Put a lead paragraph that a template sets in a box of its own, right before one of
    the article's text ``containers`` (``<div class="art-lead">…</div><div
    class="art-content">``), at the head of that container, where boilerplate removal, which
    keeps only the container, would leave it out.

    The box's class holds a lead's name as a word ("lead", "standfirst", "teaser", "perex";
    "leaderboard" is none), and it is running text: a sentence or more of its own, most of it
    no link's, no block of paragraphs."""
    for container in containers:
        element = container.getprevious()
        while element is not None and not isinstance(element.tag, str):
            element = element.getprevious()
        if element is None or element.tag not in _LEAD_BLOCKS:
            continue
        names = element.get("class")
        if not names or _LEAD_HINT.search(names) is None:
            continue
        if _LEAD_WORDS.isdisjoint(w.lower() for w in _CLASS_WORD.findall(names)):
            continue
        if _is_lead(element):
            _move_to_head(element, container)


def _is_lead(element: HtmlElement) -> bool:
    """A sentence or a few of running text: one paragraph, not a list, most of it no link's."""
    text = clean_text(element.text_content())
    if not _LEAD_SHORTEST <= len(text) <= _LEAD_LONGEST or not _SENTENCE_MARK.search(text):
        return False
    if sum(1 for _ in element.iter("p", "li")) > 1:
        return False  # a block of paragraphs or a list: a box of its own
    linked = sum(len(clean_text(a.text_content())) for a in element.iter("a"))
    return linked * 2 < len(text)


_SENTENCE_MARK = re.compile(r"[.!?…。！？]")


def _move_to_head(element: HtmlElement, container: HtmlElement) -> None:
    """Move ``element`` to the head of ``container``, before the container's own text; the
    text after ``element`` stays where it was. A box of inline text becomes a paragraph."""
    before = element.getprevious()
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    if before is not None:
        before.tail = (before.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    element.tail = container.text
    container.text = None
    if element.tag == "div" and not any(
        child.tag in ("p", "div", "section", "ul", "ol", "table") for child in element
    ):
        element.tag = "p"
    container.insert(0, element)


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


def _hiding_class(names: str) -> bool:
    """Whether a class attribute names a hiding class, in any case. A substring test on the
    lowered value comes first (every hiding class name holds "hid", "sr-only",
    "screen-reader-text" or "invisible"; tests/test_extract_body.py checks it): most classes
    hold none, and the test is many times faster than a case-insensitive pattern search."""
    lowered = names.lower()
    return (
        "hid" in lowered
        or "sr-only" in lowered
        or "screen-reader-text" in lowered
        or "invisible" in lowered
    ) and not _HIDDEN_CLASS.isdisjoint(lowered.split())


def _drop_hidden(tree: HtmlElement) -> None:
    """Remove elements the page never shows (hidden attribute, hiding classes or styles)."""
    doomed = []
    for element in tree.iter(etree.Element):
        names = element.get("class")
        style = element.get("style")
        if (
            element.get("hidden") is not None
            or (names and _hiding_class(names))
            or (style and _DISPLAY_NONE.search(style))
        ) and element.tag not in ("html", "body"):
            doomed.append(element)
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            element.drop_tree()


def _trafilatura_paragraphs(tree: HtmlElement) -> tuple[list[str], str | None]:
    """Paragraphs of the main text by trafilatura, precise first, with recall as a rescue."""
    _join_leads(_merge_split_bodies(tree))
    _drop_hidden(tree)
    # a post's source file: its post, without the comments appended to it
    source = post_source_page(tree)
    tree = source if source is not None else tree
    anchors = {_key(a.text_content()) for a in tree.iter("a")}
    try:
        # trafilatura's bare_extraction with comments off, fast, precision first (the same
        # body tree, without the work those options throw away: see extract/boilerplate.py)
        body = body_tree(tree)
        paragraphs = _serialise(body, anchors, tree) if body is not None else []
        if sum(len(p) for p in paragraphs) < _SHORT_TEXT:
            # precision sometimes keeps only a teaser or notice: retry favouring recall
            body = body_tree(tree, recall=True)
            rescued = _serialise(body, anchors, tree) if body is not None else []
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


def _serialise(body: etree._Element, anchors: set[str], page: HtmlElement) -> list[str]:
    """Plain paragraphs of trafilatura's body tree, less link-only blocks at its ends.

    ``anchors`` holds the word keys of the page's link texts: a block (or every item of a
    list) that is the whole text of a link is a teaser, not running text. ``page`` is the page
    the body was read from (see :func:`_keep_word_spaces`).
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
    _keep_word_spaces(body, page)
    text = xmltotxt(body, False)
    lines = (clean_text(line) for line in text.split("\n"))
    return [line for line in lines if line and not _SHORTCODE.match(line)]


_EDGE = 12  # characters either side of a space compared with the page's text


def _keep_word_spaces(body: etree._Element, page: HtmlElement) -> None:
    """Put back the space trafilatura trims off a text that an inline element follows.

    trafilatura trims the text and tail of the elements it keeps, and renders an inline
    element (code, emphasis, a link) right after the text before it: "Pensez donc à
    <code>yield</code>" comes out "àyield", one word. Where the page shows the two ends apart
    and never glued, the space goes back.
    """
    from trafilatura.xml import NEWLINE_ELEMS

    shown: str | None = None
    for element in body.iter(etree.Element):
        following = element.getnext()
        for before, after, on_tail in (
            (element.text, element[0] if len(element) else None, False),
            (element.tail, following, True),
        ):
            if not before or after is None or before[-1].isspace():
                continue
            if not isinstance(after.tag, str) or after.tag in NEWLINE_ELEMS:
                continue
            start = "".join(after.itertext())[:_EDGE]
            if not start or start[0].isspace():
                continue
            if shown is None:  # the page's text, read once and only where it is needed
                shown = " ".join(page.text_content().split())
            end = before[-_EDGE:]
            if f"{end} {start}" in shown and f"{end}{start}" not in shown:
                if on_tail:
                    element.tail = f"{before} "
                else:
                    element.text = f"{before} "


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
