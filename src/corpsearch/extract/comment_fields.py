"""Reading one comment's fields from its markup: author, time, text, quotes, links, id.

Used by :mod:`corpsearch.extract.comments`; works on lxml elements.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import lru_cache

from lxml.etree import _Element

from corpsearch.extract.comment_dates import (
    DateFound,
    find_date_span,
    parse_machine_date,
    parse_visible_date,
)

COMMENT_WORD = r"(?:comment|kommentar|commentaire|comentario|comentário|commento|reactie|komentarz|respuesta|reply|replies)"


ITEM_ID = re.compile(
    rf"^(?:li[-_]|div[-_])?(?:(?:{COMMENT_WORD}|sf[-_]comment)[-_]?\d+|c[-_]?\d{{3,}})$",
    re.IGNORECASE,
)


DIGITS = re.compile(r"\d{3,}")


_TEXT_TOKEN = re.compile(
    r"(?:^|[-_])(?:content|text|body|message|cooked|markup)$|^(?:entry|post)[-_](?:content|text|body)$|"
    r"commenttext|commentmessage|commentbody|commentpost|e-content|p-content",
    re.IGNORECASE,
)


_NOT_TEXT_TOKEN = re.compile(
    r"header|meta|author|date|time|avatar|footer|title|rating|vote|reply|action|info|cont$|wrap|"
    r"area|section|list|container|inner|head",
    re.IGNORECASE,
)


_AUTHOR_TOKEN = re.compile(r"author|user|nick|^fn$|p-name|autor|auteur|name|commenter|poster", re.I)


_NOT_AUTHOR_TOKEN = re.compile(
    r"avatar(?!.*name)|title|role|badge|link$|url|photo|pic|img|image|bio|level|rank|-meta|count|"
    r"user-action|like|profile_link|report",
    re.IGNORECASE,
)


_DATE_TOKEN = re.compile(
    r"date|time|ago|posted|published|when|meta|stamp|datum|fecha|zeit|heure|czas", re.IGNORECASE
)


_DEBRIS_TOKEN = re.compile(
    r"reply|respond|rating|vote|like|share|report|flag|actions?$|toolbar|links-bar|edit-link|"
    r"avatar|unpublish|screen-reader|sr-only|visually-hidden|^hidden$|moderat|awaiting|signature|"
    r"reaction|tools?$|permalink|menu",
    re.IGNORECASE,
)


_PROFILE_HREF = re.compile(r"/(?:user|users|profile|member|members|author|u)/|profile|uid=", re.I)


_SAYS = re.compile(
    r"\s*(?:says|said|wrote|sagt|schreibt|schrieb|skrev|siger|dit|écrit|a écrit|dice|escribió|"
    r"scrive|ha scritto|disse|diz|escreveu|schreef|zegt|napisał|napisała|pisze)\s*(?::|\.\.\.|…)?\s*$",
    re.IGNORECASE,
)


_LEAD = re.compile(
    r"^(?:on\b.*?,\s*|(?:posted|written|geschrieben|écrit|publicado|scritto|geplaatst)\s+"
    r"(?:by|von|par|por|di|da|door|af|przez):?\s+|(?:by|von|par|por):?\s+|"
    r"commento di\s+|risposta di\s+|"
    r"comment(?:aire)? (?:de|by)\s+)",
    re.IGNORECASE,
)


_DEBRIS_LINE = re.compile(
    r"^(?:reply|log in to reply|login to reply|antworten|répondre|repondre|responder|rispondi|svar|"
    r"besvar|odpowiedz|odpowiedź|beantwoorden|reageer|report|melden|signaler|like|gefällt mir|"
    r"j'aime|me gusta|quote|zitieren|citer|citar|permalink|edit|share|teilen|partager|"
    r"compartir|profile|profil|perfil|reageren|\d+\s*(?:likes?|votes?|points?)|[+-]?\d+|says:?|sagt:?)$",
    re.IGNORECASE,
)


_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:!?]")


_BLOCK = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "dd",
        "dt",
        "dl",
        "hr",
        "aside",
        "main",
        "nav",
        "address",
    ]
)
_SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "button",
        "input",
        "textarea",
        "select",
        "option",
        "svg",
        "img",
        "iframe",
        "object",
        "video",
        "audio",
        "canvas",
        "form",
        "label",
    ]
)


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


_HEADER_PIECE = re.compile(
    r"author|autor|auteur|header|meta|^fn$|date|datum|fecha|avatar|username", re.IGNORECASE
)


_HASHED = re.compile(r"--[A-Za-z0-9_-]{5,}$")


ROLE_TEXT = 1
ROLE_AUTHOR = 2
ROLE_DATE = 4
ROLE_DEBRIS = 8
ROLE_DEBRIS_NOT_AUTHOR = 16
ROLE_HEADER = 32


@lru_cache(maxsize=8192)
def _class_roles(cls: str) -> int:
    """What a class attribute says an element is (bit set of ROLE_*); cached, as templates repeat."""
    roles = 0
    for t in cls.split():
        if "--" in t:
            t = _HASHED.sub("", t)
        text_like = bool(_TEXT_TOKEN.search(t))
        if text_like and not _NOT_TEXT_TOKEN.search(t):
            roles |= ROLE_TEXT
        author_like = bool(_AUTHOR_TOKEN.search(t))
        if author_like and not _NOT_AUTHOR_TOKEN.search(t):
            roles |= ROLE_AUTHOR
        if _DATE_TOKEN.search(t):
            roles |= ROLE_DATE
        if _DEBRIS_TOKEN.search(t):
            roles |= ROLE_DEBRIS
            if not author_like:
                roles |= ROLE_DEBRIS_NOT_AUTHOR
        if _HEADER_PIECE.search(t) and not text_like:
            roles |= ROLE_HEADER
    return roles


def roles(el: _Element) -> int:
    cls = el.get("class")
    return _class_roles(cls) if cls else 0


def class_tokens(el: _Element) -> list[str]:
    """Class names, without the hash suffix CSS modules add ("content--2GFZCWhT")."""
    return [_HASHED.sub("", t) if "--" in t else t for t in (el.get("class") or "").split()]


def attr_names(el: _Element) -> list[str]:
    ident = el.get("id")
    return class_tokens(el) + ([ident] if ident else [])


def _hidden(el: _Element) -> bool:
    return bool(_HIDDEN_STYLE.search(el.get("style") or "")) or el.get("hidden") is not None


def _render(el: _Element, skip: set[_Element], out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if el in skip or not tag or tag in _SKIP_TAGS or _hidden(el):
        return
    block = tag in _BLOCK
    if tag == "br":
        out.append("\n")
        return
    if block:
        out.append("\n\n")
    if el.text:
        out.append(el.text)
    for child in el:
        _render(child, skip, out)
        if child.tail:
            out.append(child.tail)
    if block:
        out.append("\n\n")


def _clean_text(raw: str) -> str:
    raw = unicodedata.normalize("NFC", raw.replace("\xa0", " ").replace("\r", ""))
    paragraphs: list[str] = []
    for chunk in re.split(r"\n[ \t]*\n\s*", raw):
        lines = [" ".join(line.split()) for line in chunk.split("\n")]
        lines = [ln for ln in lines if ln and not _DEBRIS_LINE.match(ln)]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _text_of(el: _Element, skip: set[_Element]) -> str:
    out: list[str] = []
    _render(el, skip, out)
    return _clean_text("".join(out))


def flat_text(el: _Element) -> str:
    return " ".join("".join(el.itertext()).split())


@dataclass(slots=True)
class Item:
    node: _Element
    parts: list[_Element]
    replies: list[Item]
    parent: Item | None = None


def _own_iter(node: _Element, stop: set[_Element]) -> list[_Element]:
    """Descendants of ``node`` in document order, not entering ``stop`` subtrees."""
    result: list[_Element] = []
    stack = list(reversed(list(node)))
    while stack:
        el = stack.pop()
        if el in stop or not isinstance(el.tag, str):
            continue
        result.append(el)
        stack.extend(reversed(list(el)))
    return result


def _pick_text(elements: list[_Element]) -> _Element | None:
    for el in elements:
        if el.get("itemprop") in ("text", "commentText", "articleBody", "description"):
            return el
    found: list[_Element] = []
    for el in elements:
        if roles(el) & ROLE_TEXT:
            found.append(el)
    if not found:
        return None
    # outermost first; prefer one without author/date/header pieces inside
    for el in found:
        inner = [d for d in el.iter() if isinstance(d.tag, str) and d is not el]
        if not any(_is_header_piece(d) for d in inner):
            return el
    return None


def _is_header_piece(el: _Element) -> bool:
    if el.tag in ("time", "cite"):
        return True
    return bool(roles(el) & ROLE_HEADER)


def _pick_author(elements: list[_Element]) -> list[_Element]:
    """Elements that may hold the author's name, most likely first."""
    result: list[_Element] = []
    for el in elements:
        if el.get("itemprop") in ("author", "creator"):
            for d in el.iter():
                if d.get("itemprop") == "name":
                    result.append(d)
            result.append(el)
    matches: list[_Element] = []
    for el in elements:
        if roles(el) & ROLE_AUTHOR and flat_text(el):
            matches.append(el)
    for i, first in enumerate(matches):
        inner = [m for m in matches[i + 1 :] if _contains(first, m)]
        result.extend(inner)
        result.append(first)
    for el in elements:
        if el.tag == "cite" and flat_text(el):
            result.append(el)
    return result


def _contains(outer: _Element, inner: _Element) -> bool:
    node: _Element | None = inner.getparent()
    while node is not None:
        if node is outer:
            return True
        node = node.getparent()
    return False


def _clean_author(raw: str) -> str | None:
    text = " ".join(unicodedata.normalize("NFC", raw.replace("\xa0", " ")).split())
    if len(text) > 160:  # a name with its date and "says:" is never this long
        return None
    span = find_date_span(text)
    if span:
        text = (text[: span[0]] + " " + text[span[1] :]).strip(" ,·|-–—")
        text = " ".join(text.split())
    text = _SAYS.sub("", text)
    text = _LEAD.sub("", text).strip()
    text = _NOT_VERIFIED.sub("", text)
    text = re.sub(r"\s*[:·|]\s*$", "", text).strip()
    text = re.sub(r"^(?:at|um|à|a las|alle|kl\.?|om|às|o)\s+", "", text, flags=re.I)
    text = _WEEKDAY.sub("", text).strip(" ,")
    text = re.sub(r"\s+(?:on|at|am|um|le|el|il|op|em|den|w|o|le)$", "", text, flags=re.IGNORECASE)
    if not text or len(text) > 80 or _DEBRIS_LINE.match(text) or _COMMENT_WORD.search(text):
        return None
    return text


_WEEKDAY = re.compile(
    r"[\s,]+(?:mon|tues|wednes|thurs|fri|satur|sun)day$|[\s,]+(?:montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|"
    r"miércoles|jueves|viernes|sábado|domingo|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|"
    r"mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|maandag|dinsdag|woensdag|donderdag|"
    r"vrijdag|zaterdag|zondag)$",
    re.IGNORECASE,
)


_COMMENT_WORD = re.compile(
    r"\b(?:comments?|kommentare?|commentaires?|comentarios?|commenti|commento|reacties|komentarz[ey]?|"
    r"conversation|discussion|diskussion|discusión|discussione|"
    r"responses?|repl(?:y|ies)|antworten|respuestas|répondre|réponses?|responder|rispondi)\b",
    re.IGNORECASE,
)


_MACHINE_ATTRS = (
    "datetime",
    "content",
    "title",
    "data-time",
    "data-timestamp",
    "data-comment-timestamp",
    "data-date",
    "data-utime",
)
_NOT_VERIFIED = re.compile(
    r"\s*\((?:not verified|unverified|nicht überprüft|nicht verifiziert|non vérifié|no verificado|"
    r"non verificato|niet geverifieerd)\)$",
    re.IGNORECASE,
)


def _machine_date(el: _Element, default_tz: tzinfo) -> DateFound | None:
    for attr in _MACHINE_ATTRS:
        value = el.get(attr)
        if value:
            if attr != "content" and value.isdigit() and len(value) >= 9:
                stamp = int(value)
                if stamp > 10**11:
                    stamp //= 1000
                return DateFound(datetime.fromtimestamp(stamp, tz=UTC), None)
            found = parse_machine_date(value, default_tz)
            if found is not None:
                return found
    return None


def _pick_date(
    elements: list[_Element],
    header_text: str,
    default_tz: tzinfo,
    captured_at: datetime | None,
    month_first: bool,
) -> DateFound | None:
    for el in elements:
        if (
            el.tag == "time"
            or el.get("itemprop") in ("dateCreated", "datePublished", "commentTime")
            or el.get("data-comment-timestamp")
            or "dc:date" in (el.get("property") or "")
        ):
            found = _machine_date(el, default_tz)
            if found is not None:
                return found
    for el in elements:
        if el.tag == "abbr" or roles(el) & ROLE_DATE:
            found = _machine_date(el, default_tz)
            if found is not None:
                return found
    for el in elements:
        if el.tag == "time" or roles(el) & ROLE_DATE:
            found = parse_visible_date(flat_text(el), default_tz, captured_at, month_first)
            if found is not None:
                return found
    # the header comes first; a date deep in the text is the commenter's, not the comment's
    return parse_visible_date(header_text[:160], default_tz, captured_at, month_first)


def platform_id(item: Item) -> str | None:
    ids: list[str] = [str(el.get("id")) for el in [item.node, *item.parts] if el.get("id")]
    for ident in ids:
        if ident and ITEM_ID.match(ident):
            return re.sub(r"^(?:li|div)[-_]", "", ident)
    for ident in ids:
        if ident and DIGITS.search(ident):
            return ident
    for el in [item.node, *item.parts]:
        for attr in ("data-comment-id", "data-post-id", "data-id"):
            value = el.get(attr)
            if value:
                return str(value)
    # an id on a header inside the item (wrapped dt/dd groups, anchors)
    for el in _own_iter(item.node, {r.node for r in item.replies}):
        ident = el.get("id") or el.get("name")
        if ident and ITEM_ID.match(ident):
            return str(ident)
    return None


@dataclass(slots=True)
class Fields:
    author: str | None
    date: DateFound | None
    text: str
    quotes: tuple[str, ...]
    links: tuple[str, ...]


def read_fields(
    item: Item, default_tz: tzinfo, captured_at: datetime | None, month_first: bool
) -> Fields:
    stop = {r.node for r in item.replies}
    elements = _own_iter(item.node, stop)
    text_el = _pick_text(elements)
    outside = elements
    if text_el is not None:
        inside = set(text_el.iter())
        outside = [el for el in elements if el not in inside]
    author_els = _pick_author(outside)
    header_skip: set[_Element] = set(stop)
    if text_el is not None:
        header_skip.add(text_el)
    for el in outside:
        if roles(el) & ROLE_DEBRIS_NOT_AUTHOR:
            header_skip.add(el)
    header_text = " ".join(_text_of(item.node, header_skip).split())
    date = _pick_date(outside, header_text, default_tz, captured_at, month_first)

    author: str | None = None
    author_el: _Element | None = None
    for el in author_els:
        skip_in_author = {d for d in el.iter() if d.tag == "time"}
        author = _clean_author(_text_of(el, skip_in_author))
        if author:
            author_el = el
            break
    if author is None:
        for el in outside:
            if el.tag == "a" and _PROFILE_HREF.search(el.get("href") or "") and flat_text(el):
                author = _clean_author(flat_text(el))
                if author:
                    break
    if author is None:
        for el in outside:
            if el.tag in ("strong", "b", "h2", "h3", "h4", "h5", "h6") and flat_text(el):
                author = _clean_author(flat_text(el))
                if author:
                    break
    if author is None and header_text:
        candidate = _clean_author(header_text)
        if candidate and len(candidate.split()) <= 5:
            author = candidate

    # text
    skip: set[_Element] = set(stop)
    quotes: list[str] = []
    body_root = text_el if text_el is not None else item.node
    body_elements = _own_iter(body_root, stop) if text_el is not None else elements
    for el in body_elements:
        if el.tag == "blockquote":
            q = _text_of(el, stop)
            if q:
                quotes.append(q)
            skip.add(el)
        elif roles(el) & ROLE_DEBRIS or el.get("aria-hidden") == "true":
            skip.add(el)
    if text_el is None:
        for el in elements:
            if el is author_el or _is_header_piece(el):
                skip.add(el)
    text = _text_of(body_root, skip)
    if text_el is None and text:
        text = _strip_header_lines(text, author)
    links: list[str] = []
    for el in body_elements:
        if el.tag == "a" and not any(_contains(s, el) or s is el for s in skip):
            href = (el.get("href") or "").strip()
            if href.startswith(("http://", "https://")) and href not in links:
                links.append(href)
    for url in _URL.findall(text):
        if url not in links:
            links.append(url)
    return Fields(author, date, text, tuple(quotes), tuple(links))


def _strip_header_lines(text: str, author: str | None) -> str:
    paragraphs = text.split("\n\n")
    kept: list[str] = []
    for para in paragraphs:
        lines = []
        for line in para.split("\n"):
            if len(line) > 120:
                lines.append(line)
                continue
            bare = _SAYS.sub("", line).strip()
            if not bare or (author and bare == author):
                continue
            span = find_date_span(bare)
            if span and span[1] - span[0] >= len(bare) - 4:
                continue
            lines.append(line)
        if lines:
            kept.append("\n".join(lines))
    return "\n\n".join(kept)
