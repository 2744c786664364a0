"""What a comment template's markup says: the class and id vocabulary of comment parts (text,
author, date, debris, header), and the comment's text as rendered from its elements.

Used by :mod:`corpsearch.extract.comment_fields` and :mod:`corpsearch.extract.comments`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from functools import lru_cache

from lxml.etree import _Element

from corpsearch.extract.comment_controls import is_control_run

COMMENT_WORD = r"(?:comment|kommentar|commentaire|comentario|comentário|commento|reactie|komentarz|respuesta|reply|replies)"


ITEM_ID = re.compile(
    rf"^(?:[a-z]{{1,4}}[-_])?(?:{COMMENT_WORD}[-_]?(?:item|entry|node|wrap)?[-_]?\d+|"
    r"c[-_]?\d{3,})$",
    re.IGNORECASE,
)


DIGITS = re.compile(r"\d")


_TEXT_TOKEN = re.compile(
    r"(?:^|[-_])(?:content|text|texte|texto|testo|tekst|body|message|cooked|markup)$|^(?:entry|post)[-_](?:content|text|body)$|"
    r"commenttext|commentmessage|commentbody|commentpost|e-content|p-content",
    re.IGNORECASE,
)


_NOT_TEXT_TOKEN = re.compile(
    r"header|meta|author|date|time|avatar|footer|title|rating|vote|reply|action|info|cont$|wrap|"
    r"area|section|list|container|inner|head|name|nick",
    re.IGNORECASE,
)


# "reply" before a body word names a reply's text ("gsc-reply-content"), not a reply control
_REPLY_BODY = re.compile(r"repl(?:y|ies)[-_](?=(?:content|body|message)$)", re.IGNORECASE)


_AUTHOR_TOKEN = re.compile(r"author|user|nick|^fn$|p-name|autor|auteur|name|commenter|poster", re.I)


_NOT_AUTHOR_TOKEN = re.compile(
    r"avatar(?!.*name)|title|role|badge|link$|url|photo|pic|img|image|bio|level|rank|stat|-meta|count|"
    r"user-action|like|profile_link|report|area$",
    re.IGNORECASE,
)


_DATE_TOKEN = re.compile(
    r"date|time|ago|posted|published|when|meta|stamp|datum|fecha|zeit|heure|czas", re.IGNORECASE
)


_DEBRIS_TOKEN = re.compile(
    r"reply|replies|respond|rating|vote|like|share|report|flag|actions?$|toolbar|links-bar|edit-link|"
    r"avatar|unpublish|screen-reader|sr-only|visually-hidden|^hidden$|moderat|awaiting|signature|"
    r"reaction|tools?$|permalink|menu",
    re.IGNORECASE,
)


PROFILE_HREF = re.compile(r"/(?:user|users|profile|member|members|author|u)/|profile|uid=", re.I)


# the verbs of saying a header puts beside the name ("NAME says:", "schrieb NAME:")
SAYS_WORDS = (
    r"says|said|wrote|writes|sagt|sagte|schreibt|schrieb|meint|meinte|skrev|siger|a dit|dit|"
    r"écrit|"
    r"a écrit|dice|dijo|escribe|escribió|comenta|comentó|scrive|ha scritto|disse|diz|escreveu|"
    r"schreef|zegt|napisał|napisała|pisze"
)
# the verb glued to the name ("NAMEsays:", elements written without a space) only before its
# colon: a name may end in the letters of one ("Justicesays")
SAYS = re.compile(
    rf"(?:\s*(?<![^\W\d_])(?:{SAYS_WORDS})\s*(?::|\.\.\.|…)?"
    rf"|\s*(?:{SAYS_WORDS})\s*(?::|\.\.\.|…))\s*$",
    re.IGNORECASE,
)


# what stands before a name on a header line: a permalink's word, then "Posted by", "By",
# Drupal's "Submitted by" and its wording in other languages ("Verfasst von", "Soumis par",
# "Enviado por", "Inviato da", "Ingezonden door")
LEAD = re.compile(
    r"^(?:(?:permalink|permalien|enlace permanente|link permanente|#|¶)\s+(?=\S))?"
    r"(?:on\b.*?,\s*|(?:posted|written|geschrieben|écrit|publicado|scritto|geplaatst|submitted|"
    r"verfasst|eingereicht|soumis|enviado|inviato|ingezonden)\s+"
    r"(?:by|von|par|por|di|da|door|af|przez):?\s+|(?:by|von|par|por):?\s+|"
    r"commento di\s+|risposta di\s+|"
    r"comment(?:aire)? (?:de|by)\s+)",
    re.IGNORECASE,
)


DEBRIS_LINE = re.compile(
    r"^(?:reply|log in to reply|login to reply|antworten|répondre|repondre|responder|rispondi|svar|"
    r"besvar|odpowiedz|odpowiedź|beantwoorden|reageer|report|melden|signaler|like|gefällt mir|"
    r"j'aime|me gusta|quote|zitieren|citer|citar|permalink|permalien|enlace permanente|"
    r"link permanente|edit|delete|löschen|supprimer|eliminar|borrar|share|teilen|partager|"
    r"compartir|profile|profil|perfil|reageren|цитировать|ответить|\d+\s*(?:likes?|votes?|points?|repl(?:y|ies)|antworten)|"
    r"[+-]?\d+|says:?|sagt:?)$",
    re.IGNORECASE,
)


URL = re.compile(r"https?://[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:!?]")


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


HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


_HEADER_PIECE = re.compile(
    r"author|autor|auteur|header|meta|^fn$|date|datum|fecha|avatar|username", re.IGNORECASE
)


_HASHED = re.compile(r"--[A-Za-z0-9_-]{5,}$")
# a word boundary written in camel case ("comText", "postBody"): read as "com-Text"
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


# a label or badge saying what the commenter is ("Autor", "Gast", "Moderator"), whatever other
# classes the element carries: never the name
_BADGE_TOKEN = re.compile(r"label|caption|badge|role$|post[-_]?author$", re.IGNORECASE)


ROLE_TEXT = 1
ROLE_AUTHOR = 2
ROLE_DATE = 4
ROLE_DEBRIS = 8
ROLE_DEBRIS_NOT_AUTHOR = 16
ROLE_HEADER = 32


@lru_cache(maxsize=8192)
def _class_roles(cls: str) -> int:
    """What a class attribute says an element is (bit set of ROLE_*); cached, as templates repeat."""
    tokens = cls.split()
    roles = 0
    for t in tokens:
        roles |= _token_roles(t)
    if roles & ROLE_AUTHOR and any(_token_roles(t) & _BADGE for t in tokens):
        roles &= ~ROLE_AUTHOR
    return roles & ~_BADGE


_BADGE = 1 << 10  # the class names a badge (_BADGE_TOKEN): a bit of _token_roles only


@lru_cache(maxsize=16384)
def _token_roles(t: str) -> int:
    """The roles one class name says, and _BADGE; cached by name, as class attributes of a
    page vary far more than the names they are made of."""
    roles = _BADGE if _BADGE_TOKEN.search(t) else 0
    t = _words_of(t)
    text_like = bool(_TEXT_TOKEN.search(t))
    if text_like and _text_part(t):
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


def _words_of(t: str) -> str:
    """A class name as the patterns read it: no hash suffix, camel case split ("com-Text")."""
    if "--" in t:
        t = _HASHED.sub("", t)
    return _CAMEL.sub("-", t)


def _text_part(t: str) -> bool:
    """A text-like class name (``_TEXT_TOKEN``, in ``_words_of`` form) that names the text
    itself, not its header, wrapper or reply controls."""
    return not _NOT_TEXT_TOKEN.search(_REPLY_BODY.sub("", t))


def roles(el: _Element) -> int:
    cls = el.get("class")
    return _class_roles(cls) if cls else 0


@lru_cache(maxsize=8192)
def text_class(cls: str) -> bool:
    """``_class_roles(cls) & ROLE_TEXT``, by the one test that decides it: the record miners
    ask it of every element of a page, where most class attributes are new to the cache and
    the other roles are never asked."""
    for t in cls.split():
        t = _words_of(t)
        if _TEXT_TOKEN.search(t) and _text_part(t):
            return True
    return False


def first_class(el: _Element) -> str:
    """The first name of the class attribute as written ("" without one): what a template's
    repeated items share."""
    names = (el.get("class") or "").split()
    return names[0] if names else ""


def class_tokens(el: _Element) -> list[str]:
    """Class names, without the hash suffix CSS modules add ("content--2GFZCWhT")."""
    return class_names(el.get("class") or "")


def class_names(cls: str) -> list[str]:
    """The names of a class attribute, as :func:`class_tokens` gives them."""
    return [_HASHED.sub("", t) if "--" in t else t for t in cls.split()]


def attr_names(el: _Element) -> list[str]:
    ident = el.get("id")
    return class_tokens(el) + ([ident] if ident else [])


def is_hidden(el: _Element) -> bool:
    """Hidden by its inline style or the ``hidden`` attribute: text the page never shows."""
    return bool(HIDDEN_STYLE.search(el.get("style") or "")) or el.get("hidden") is not None


def _render(el: _Element, skip: set[_Element], out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if el in skip or not tag or tag in _SKIP_TAGS or is_hidden(el):
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
    chunks: list[list[str]] = []
    for chunk in re.split(r"\n[ \t]*\n\s*", raw):
        lines = [" ".join(line.split()) for line in chunk.split("\n")]
        lines = [ln for ln in lines if ln and not DEBRIS_LINE.match(ln)]
        if lines:
            chunks.append(lines)
    paragraphs = ["\n".join(lines) for lines in _without_control_rows(chunks) if lines]
    return "\n\n".join(paragraphs)


def _without_control_rows(chunks: list[list[str]]) -> list[list[str]]:
    """The lines of the paragraphs without the rows of controls (``is_control_run``): a line
    of two controls or of one with its count ("回复 踩0 赞104"), and the lines of single
    controls next to it in its paragraph ("收藏" on the line after), as a row may wrap."""
    kept: list[list[str]] = []
    for lines in chunks:
        rows = [is_control_run(line) for line in lines]
        if not any(rows):
            kept.append(lines)
            continue
        drop = list(rows)
        for order in (range(len(lines)), range(len(lines) - 1, -1, -1)):
            last: int | None = None
            for k in order:
                if not drop[k] and last is not None and drop[last]:
                    drop[k] = is_control_run(lines[k], strict=False)
                last = k
        kept.append([line for line, gone in zip(lines, drop, strict=True) if not gone])
    return kept


def text_of(el: _Element, skip: set[_Element]) -> str:
    out: list[str] = []
    _render(el, skip, out)
    return _clean_text("".join(out))


def flat_text(el: _Element) -> str:
    return " ".join("".join(el.itertext()).split())


def has_text(el: _Element) -> bool:
    """``flat_text(el) != ""``, stopping at the first piece of text that is not blank."""
    return any(piece and not piece.isspace() for piece in el.itertext())


def flat_text_head(el: _Element, size: int) -> str:
    """``flat_text(el)[:size]``, reading only as much of the text as that needs: the flat text
    of a first part of the pieces starts the flat text of them all (its last word may go on in
    the next piece), so once it is ``size`` long it holds the answer."""
    pieces: list[str] = []
    read = 0
    check_at = size
    for piece in el.itertext():
        pieces.append(piece)
        read += len(piece)
        if read >= check_at:  # flat text is never longer than what it is made of
            head = " ".join("".join(pieces).split())
            if len(head) >= size:
                return head[:size]
            check_at = read + size
    return " ".join("".join(pieces).split())[:size]


_SIDE_BY_SIDE = frozenset(["div", "p", "li", "dt", "dd", "header", "footer", "section"])


def blocks_apart(el: _Element) -> str:
    """The words of a short line with its blocks apart ("<div>NAME</div><div>Staff</div>" is
    "NAME · Staff", not one word "NAMEStaff"); buttons are read, as names are shown on them."""
    parts: list[str] = [el.text or ""]

    def walk(node: _Element) -> None:
        for child in node.iterchildren():
            if not isinstance(child.tag, str):
                parts[-1] += child.tail or ""
                continue
            block = child.tag in _SIDE_BY_SIDE
            if block:
                parts.append("")
            parts[-1] += child.text or ""
            walk(child)
            if block:
                parts.append("")
            parts[-1] += child.tail or ""

    walk(el)
    return " · ".join(" ".join(p.split()) for p in parts if p.strip())


def longest_words(node: _Element, replies: Collection[_Element] = ()) -> _Element | None:
    """The element holding the longest run of words of the comment ``node`` (its ``replies``
    left out): where its text is, which no header line around the author holds (a bio line
    or a notice in the header is shorter)."""
    best, owner = 0, None
    stack = [node]
    while stack:
        d = stack.pop()
        if not isinstance(d.tag, str) or d.tag in ("script", "style") or d in replies:
            continue
        for piece, at in ((d.text, d), (d.tail, d.getparent())):
            size = len(piece.strip()) if piece and at is not None else 0
            if size > best and (d is not node or at is d):
                best, owner = size, at
        stack.extend(reversed(d))
    return owner


def holds(el: _Element, inner: _Element | None) -> bool:
    """Whether ``inner`` is ``el`` or inside it."""
    return inner is not None and (inner is el or any(a is el for a in inner.iterancestors()))
