"""Reader comments on pages of unknown sites, one record per comment.

The page is parsed once with lxml. Comment items are recognised by what real templates put on them:
schema.org ``Comment`` microdata, ids such as ``comment-1234`` / ``c1234567890``, class names that
name a single comment (``comment``, ``fig-comment``, ``Comment``, ``comment--hash``, ``h-cite``) in
several languages, and the repeated children of a list whose class or id names a comment list.
Items inside an item are either a part of it (its body or header) or a nested reply. For each
comment the author, time, text, quotes, links and platform id are read from its own markup (replies
cut out); headers, reply links, vote widgets and avatars never reach the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

import lxml.html
from lxml import etree
from lxml.html import HtmlElement as _Element

from corpsearch.extract.comment_dates import (
    DateFound,
    find_date_span,
    parse_machine_date,
    parse_visible_date,
)

__all__ = ["FoundComment", "find_comments"]


@dataclass(frozen=True, slots=True)
class FoundComment:
    """One comment as found on the page (``parent`` is an index into the same list)."""

    author: str | None
    published: datetime | None
    published_reason: str | None
    text: str
    quotes: tuple[str, ...]
    parent: int | None
    depth: int
    platform_id: str | None
    links: tuple[str, ...]


# --- recognising items -------------------------------------------------------------------------

_WORD = r"(?:comment|kommentar|commentaire|comentario|comentário|commento|reactie|komentarz|respuesta|reply|replies)"
_ITEM_TOKEN = re.compile(
    rf"^(?:[a-z0-9]+[-_]{{1,2}})?{_WORD}(?:[-_]?(?:item|entry|single|block))?"
    r"(?:--[a-z0-9_-]{4,})?$|^(?:h-cite|p-comment|u-comment|topic-post|single-comment|commentitem)$",
    re.IGNORECASE,
)
_ITEM_ID = re.compile(
    rf"^(?:li[-_]|div[-_])?(?:{_WORD}|sf[-_]comment|c)[-_]?\d{{3,}}$|^c\d{{8,}}$", re.IGNORECASE
)
_LIST_TOKEN = re.compile(
    rf"{_WORD}s?[-_]?(?:list|items|stream)|commentlist|commentslist", re.IGNORECASE
)
_EXCLUDE_TOKEN = re.compile(
    r"pingback|trackback|^(?:sidebar|side-bar|widget-area|sidebar[-_]?\d|(?:primary|secondary)[-_]sidebar)$|recent[-_]?comments|recentcomments|latest[-_]?comments|"
    r"comment[-_]?form|commentform|widget_recent|popular|most[-_]commented",
    re.IGNORECASE,
)
_PART_TOKEN = re.compile(
    r"(?:body|content|text|author|meta|metadata|date|time|header|footer|avatar|reply|respond|actions?|"
    r"form|title|count|area|section|list|links?|info|rating|vote|like|toolbar|edit|number|tools|"
    r"thread|children|notes?|policy|closed|template|button|icon|msg|message|status)s?$",
    re.IGNORECASE,
)
_BLOGGER_ID = re.compile(r"^c\d{8,}$")
_DIGITS = re.compile(r"\d{3,}")

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
_DATE_TOKEN = re.compile(r"date|time|ago|posted|published|when|meta|stamp", re.IGNORECASE)
_DEBRIS_TOKEN = re.compile(
    r"reply|respond|rating|vote|like|share|report|flag|actions?$|toolbar|links-bar|edit-link|"
    r"avatar|unpublish|screen-reader|sr-only|visually-hidden|hidden|moderat|awaiting|signature|"
    r"reaction|tools?$|permalink|menu",
    re.IGNORECASE,
)
_PROFILE_HREF = re.compile(r"/(?:user|users|profile|member|members|author|u)/|profile|uid=", re.I)
_SAYS = re.compile(
    r"\s*(?:says|said|wrote|sagt|schreibt|schrieb|skrev|siger|dit|écrit|a écrit|dice|escribió|"
    r"scrive|ha scritto|disse|diz|escreveu|schreef|zegt|napisał|napisała|pisze)\s*:?\s*$",
    re.IGNORECASE,
)
_LEAD = re.compile(
    r"^(?:on\b.*?,\s*|by\s+|von\s+|par\s+|por\s+|di\s+|door\s+|commento di\s+|risposta di\s+|"
    r"comment(?:aire)? (?:de|by)\s+|posted by\s+)",
    re.IGNORECASE,
)
_DEBRIS_LINE = re.compile(
    r"^(?:reply|log in to reply|login to reply|antworten|répondre|repondre|responder|rispondi|svar|"
    r"besvar|odpowiedz|odpowiedź|beantwoorden|reageer|report|melden|signaler|like|gefällt mir|"
    r"j'aime|me gusta|quote|zitieren|citer|citar|permalink|edit|share|teilen|partager|"
    r"compartir|profile|profil|perfil|reageren|\d+\s*(?:likes?|votes?|points?)|[+-]?\d+|says:?|sagt:?)$",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"^(?:no comments|be the first|there are no comments|noch keine kommentare|keine kommentare|"
    r"aucun commentaire|sin comentarios|nessun commento|ingen kommentarer|brak komentarzy|"
    r"geen reacties|nenhum comentário|comments are closed|kommentare geschlossen|"
    r"commentaires fermés|comentarios cerrados|you must be logged in|log in to comment|"
    r"sign in to comment|your comment is awaiting moderation|"
    r"\d*\s*(?:replies|comments|responses|kommentare|commentaires|comentarios|commenti|reacties)$)",
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


_HEADER_PIECE = re.compile(r"author|header|meta|^fn$|date|avatar|username", re.IGNORECASE)
_REPLY_BOX = re.compile(
    r"children|repl|sub|nested|thread|child|level|antwort|respuesta", re.IGNORECASE
)
_PAGE_WORDS = (
    "comment",
    "kommentar",
    "repl",
    "respuesta",
    "reactie",
    "komentarz",
    "commento",
    "comentario",
    "h-cite",
)
_ATTR_WORDS = (*_PAGE_WORDS, "commentaire", "comentário")


_HASHED = re.compile(r"--[A-Za-z0-9_-]{5,}$")


def _tokens(el: _Element) -> list[str]:
    """Class names, without the hash suffix CSS modules add ("content--2GFZCWhT")."""
    return [_HASHED.sub("", t) for t in (el.get("class") or "").split()]


def _names(el: _Element) -> list[str]:
    ident = el.get("id")
    return _tokens(el) + ([ident] if ident else [])


def _is_item(el: _Element) -> bool:
    itemtype = el.get("itemtype") or ""
    if itemtype.rstrip("/").lower().endswith("/comment"):
        return True
    ident = el.get("id") or ""
    if ident and _ITEM_ID.match(ident):
        return True
    for tok in _tokens(el):
        if _ITEM_TOKEN.match(tok) and not _PART_TOKEN.search(tok.split("--")[0]):
            return True
    return False


def _excluded(el: _Element) -> bool:
    node: _Element | None = el
    while node is not None and node.tag not in ("body", "html"):
        if node.tag in ("aside", "nav", "form", "textarea"):
            return True
        for name in _names(node):
            if _EXCLUDE_TOKEN.search(name):
                return True
        node = node.getparent()
    return False


def _digits(el: _Element) -> str | None:
    for attr in ("id", "data-comment-id", "data-id"):
        value = el.get(attr)
        if value:
            m = _DIGITS.search(value)
            if m:
                return m.group(0)
    return None


def _hidden(el: _Element) -> bool:
    return bool(_HIDDEN_STYLE.search(el.get("style") or "")) or el.get("hidden") is not None


# --- text rendering ---------------------------------------------------------------------------


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
    if el.text and el not in skip:
        pass
    _render(el, skip, out)
    return _clean_text("".join(out))


def _flat(el: _Element) -> str:
    return " ".join(el.text_content().split())


# --- one comment --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    node: _Element
    parts: list[_Element]
    replies: list[_Item]
    parent: _Item | None = None


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


def _pick_text(elements: list[_Element], node: _Element) -> _Element | None:
    for el in elements:
        if el.get("itemprop") in ("text", "commentText", "articleBody", "description"):
            return el
    found: list[_Element] = []
    for el in elements:
        names = _tokens(el)
        if any(_TEXT_TOKEN.search(n) and not _NOT_TEXT_TOKEN.search(n) for n in names):
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
    return any(_HEADER_PIECE.search(n) and not _TEXT_TOKEN.search(n) for n in _tokens(el))


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
        toks = _tokens(el)
        if _flat(el) and any(
            _AUTHOR_TOKEN.search(t) and not _NOT_AUTHOR_TOKEN.search(t) for t in toks
        ):
            matches.append(el)
    for i, first in enumerate(matches):
        inner = [m for m in matches[i + 1 :] if _contains(first, m)]
        result.extend(inner)
        result.append(first)
    for el in elements:
        if el.tag == "cite" and _flat(el):
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
    span = find_date_span(text)
    if span:
        text = (text[: span[0]] + " " + text[span[1] :]).strip(" ,·|-–—")
        text = " ".join(text.split())
    text = _SAYS.sub("", text)
    text = _LEAD.sub("", text).strip()
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
    r"responses?|repl(?:y|ies)|antworten|respuestas|répondre|réponses?|responder|rispondi)\b",
    re.IGNORECASE,
)

_MACHINE_ATTRS = (
    "datetime",
    "content",
    "title",
    "data-time",
    "data-timestamp",
    "data-date",
    "data-utime",
)


def _machine_date(el: _Element, default_tz: tzinfo) -> DateFound | None:
    for attr in _MACHINE_ATTRS:
        value = el.get(attr)
        if value:
            if attr in ("data-timestamp", "data-utime") and value.isdigit():
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
        if el.tag == "time" or el.get("itemprop") in (
            "dateCreated",
            "datePublished",
            "commentTime",
        ):
            found = _machine_date(el, default_tz)
            if found is not None:
                return found
    for el in elements:
        if el.tag == "abbr" or any(_DATE_TOKEN.search(t) for t in _tokens(el)):
            found = _machine_date(el, default_tz)
            if found is not None:
                return found
    for el in elements:
        if el.tag == "time" or any(_DATE_TOKEN.search(t) for t in _tokens(el)):
            found = parse_visible_date(_flat(el), default_tz, captured_at, month_first)
            if found is not None:
                return found
    return parse_visible_date(header_text, default_tz, captured_at, month_first)


def _platform_id(item: _Item) -> str | None:
    ids: list[str] = [str(el.get("id")) for el in [item.node, *item.parts] if el.get("id")]
    for ident in ids:
        if ident and _ITEM_ID.match(ident) and "comment" in ident.lower():
            return re.sub(r"^(?:li|div)[-_]", "", ident)
    for ident in ids:
        if ident and _DIGITS.search(ident):
            return ident
    for el in [item.node, *item.parts]:
        for attr in ("data-comment-id", "data-id"):
            value = el.get(attr)
            if value:
                return str(value)
    return None


@dataclass(slots=True)
class _Fields:
    author: str | None
    date: DateFound | None
    text: str
    quotes: tuple[str, ...]
    links: tuple[str, ...]


def _read(
    item: _Item, default_tz: tzinfo, captured_at: datetime | None, month_first: bool
) -> _Fields:
    stop = {r.node for r in item.replies}
    elements = _own_iter(item.node, stop)
    text_el = _pick_text(elements, item.node)
    outside = elements
    if text_el is not None:
        inside = set(text_el.iter())
        outside = [el for el in elements if el not in inside]
    author_els = _pick_author(outside)
    header_skip: set[_Element] = set(stop)
    if text_el is not None:
        header_skip.add(text_el)
    for el in outside:
        if any(_DEBRIS_TOKEN.search(t) and not _AUTHOR_TOKEN.search(t) for t in _tokens(el)):
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
            if el.tag == "a" and _PROFILE_HREF.search(el.get("href") or "") and _flat(el):
                author = _clean_author(_flat(el))
                if author:
                    break
    if author is None:
        for el in outside:
            if el.tag in ("strong", "b", "h2", "h3", "h4", "h5", "h6") and _flat(el):
                author = _clean_author(_flat(el))
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
        elif any(_DEBRIS_TOKEN.search(t) for t in _tokens(el)) or el.get("aria-hidden") == "true":
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
    return _Fields(author, date, text, tuple(quotes), tuple(links))


def _strip_header_lines(text: str, author: str | None) -> str:
    paragraphs = text.split("\n\n")
    kept: list[str] = []
    for para in paragraphs:
        lines = []
        for line in para.split("\n"):
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


# --- page --------------------------------------------------------------------------------------


def _parse(html: str) -> _Element | None:
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _candidates(root: _Element) -> list[_Element]:
    found: list[_Element] = []
    seen: set[_Element] = set()
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "head"):
            continue
        attrs = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        itemtype = el.get("itemtype")
        if (
            not itemtype
            and not any(w in attrs for w in _ATTR_WORDS)
            and not _BLOGGER_ID.match(attrs[-22:].strip())
        ):
            continue
        if _is_item(el):
            if el not in seen:
                seen.add(el)
                found.append(el)
            continue
        if any(_LIST_TOKEN.search(n) for n in _names(el)):
            children = [
                c for c in el if isinstance(c.tag, str) and c.tag not in ("script", "style")
            ]
            if not children:
                continue
            tag, _count = Counter(c.tag for c in children).most_common(1)[0]
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p", "a", "span", "form", "input"):
                continue
            inner = {
                c: [d for d in c.iter() if isinstance(d.tag, str) and _is_item(d)] for c in children
            }
            if not any(inner.values()):
                for c in children:
                    if c.tag == tag and c not in seen and _flat(c):
                        seen.add(c)
                        found.append(c)
                continue
            for c in children:
                # a list row whose only item marks just its header: the row is the comment
                items = inner[c]
                if (
                    c.tag == tag
                    and len(items) == 1
                    and items[0] is not c
                    and c not in seen
                    and len(_flat(c)) > len(_flat(items[0])) + 20
                ):
                    seen.add(c)
                    found.append(c)
    order = {el: i for i, el in enumerate(root.iter())}
    found.sort(key=lambda e: order.get(e, 0))
    return [el for el in found if not _excluded(el)]


def _build(cands: list[_Element]) -> list[_Item]:
    """Nest candidates into items: an inner candidate is a part of its item or a reply to it."""
    cand_set = set(cands)
    items: dict[_Element, _Item] = {}
    owner: dict[_Element, _Item] = {}
    top: list[_Item] = []
    for el in cands:
        anc: _Element | None = el.getparent()
        container: _Item | None = None
        path: list[_Element] = []
        while anc is not None:
            if anc in cand_set:
                container = owner[anc]
                break
            path.append(anc)
            anc = anc.getparent()
        if container is None:
            item = _Item(el, [], [])
            items[el] = item
            owner[el] = item
            top.append(item)
            continue
        if _is_reply(container, el, path):
            item = _Item(el, [], [], parent=container)
            container.replies.append(item)
            items[el] = item
            owner[el] = item
        else:
            container.parts.append(el)
            owner[el] = container
    return top


def _is_reply(container: _Item, el: _Element, path: list[_Element]) -> bool:
    outer = _digits(container.node)
    for part in container.parts:
        outer = outer or _digits(part)
    inner = _digits(el)
    if outer and inner:
        return outer != inner
    for p in path:
        if p.tag in ("ul", "ol") or any(_REPLY_BOX.search(n) for n in _names(p)):
            return True
    if el.tag == "li":
        return True
    if inner and container.parts:
        return True
    # a second full item after the first one's body is a reply
    return any(_digits(p) for p in container.parts) and inner is not None


def _flatten(items: list[_Item]) -> list[_Item]:
    out: list[_Item] = []
    for item in items:
        out.append(item)
        out.extend(_flatten(item.replies))
    return out


def _month_first(texts: list[str]) -> bool:
    for text in texts:
        for m in re.finditer(
            r"(?<![\d.:/])(\d{1,2})[./-](\d{1,2})[./-](?:\d{4}|\d{2})(?![\d:])", text
        ):
            a, b = int(m.group(1)), int(m.group(2))
            if b > 12 >= a:
                return True
            if a > 12 >= b:
                return False
    return False


def find_comments(
    html: str, *, default_tz: tzinfo = UTC, captured_at: datetime | None = None
) -> list[FoundComment]:
    """Every reader comment in ``html``, in document order, as separate records."""
    lowered = html.lower()
    if not any(word in lowered for word in _PAGE_WORDS):
        return []
    root = _parse(html)
    if root is None:
        return []
    top = _build(_candidates(root))
    flat = _flatten(top)
    order = {el: i for i, el in enumerate(root.iter())}
    flat.sort(key=lambda it: order.get(it.node, 0))
    month_first = _month_first([_flat(it.node)[:300] for it in flat[:50]])
    fields = {id(it): _read(it, default_tz, captured_at, month_first) for it in flat}
    keep = [it for it in flat if _acceptable(fields[id(it)], it)]
    keep = _drop_odd_ones(keep)
    index: dict[int, int] = {}
    result: list[FoundComment] = []
    for it in keep:
        f = fields[id(it)]
        parent_item = it.parent
        while parent_item is not None and id(parent_item) not in index:
            parent_item = parent_item.parent
        parent = index[id(parent_item)] if parent_item is not None else None
        depth = 0 if parent is None else result[parent].depth + 1
        date = f.date
        index[id(it)] = len(result)
        result.append(
            FoundComment(
                author=f.author,
                published=date.value if date else None,
                published_reason=(date.reason if date else "no date shown"),
                text=f.text,
                quotes=f.quotes,
                parent=parent,
                depth=depth,
                platform_id=_platform_id(it),
                links=f.links,
            )
        )
    return result


def _acceptable(f: _Fields, item: _Item) -> bool:
    if not f.text and not f.quotes:
        return False
    if _PLACEHOLDER.match(f.text):
        return False
    return f.author is not None or f.date is not None


def _drop_odd_ones(items: list[_Item]) -> list[_Item]:
    """Within one list, an item without the platform id all its siblings carry is template furniture."""
    groups: dict[int, list[_Item]] = {}
    for it in items:
        parent = it.node.getparent()
        groups.setdefault(id(parent), []).append(it)
    drop: set[int] = set()
    for group in groups.values():
        with_id = [it for it in group if _platform_id(it)]
        if len(with_id) >= 3 and len(with_id) < len(group):
            drop.update(id(it) for it in group if not _platform_id(it))
    return [it for it in items if id(it) not in drop]
