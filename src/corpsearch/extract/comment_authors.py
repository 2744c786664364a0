"""Who wrote a comment, decided from evidence in the comment's own markup.

Each kind of evidence proposes candidates with a confidence: markup semantics first (schema.org
``author``/``creator`` with its ``name``, microformats ``p-author``, class names of the author
kind, ``cite``), then what the text says ("geschrieben von NAME am DATE", "Comment by NAME —"),
links (a profile link, a plain link on the header line), position (a heading or bold name in the
header, the words before the permalink, a short header line). The candidate of highest
confidence whose text cleans to a name wins; dates, "says" verbs, counters, role labels and
weekdays are never part of a name.

Used by :mod:`corpsearch.extract.comment_fields`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml.etree import _Element

from corpsearch.extract.comment_author_links import (
    Candidate,
    header_link_author,
    links_to_itself,
    name_link,
)
from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.comment_evidence import (
    byline_name,
    date_byline_name,
    is_counter,
    is_rdfa_author,
    person_name,
    prop,
    said_name,
)
from corpsearch.extract.comment_labels import (
    BADGE_OR_CONTROL,
    CONTROL_LINE,
    is_field_line,
    label_for_name,
    labelled_author,
    labelled_value,
    without_date_label,
)
from corpsearch.extract.comment_markup import (
    DEBRIS_LINE,
    PROFILE_HREF,
    ROLE_AUTHOR,
    ROLE_DATE,
    ROLE_HEADER,
    blocks_apart,
    flat_text,
    holds,
    roles,
    text_of,
)
from corpsearch.extract.comment_names import clean_author, leads_to_date

__all__ = ["AuthorFound", "AuthorView", "clean_author", "holds_running_text", "read_author"]


@dataclass(slots=True)
class AuthorView:
    """What the author reading needs of one comment."""

    node: _Element
    elements: list[_Element]  # the comment's own elements, replies cut out
    outside: list[_Element]  # those outside its text element
    text_el: _Element | None
    header_text: str  # the comment's text outside its text element, one line
    stop: set[_Element]  # the replies' nodes


@dataclass(frozen=True, slots=True)
class AuthorFound:
    name: str
    element: _Element | None  # the element holding it, kept out of the text
    evidence: str  # which kind of evidence named it
    confidence: float


def holds_running_text(el: _Element) -> bool:
    """A wrapper that holds a whole comment: a class naming the comment's author
    (``bypostauthor``, ``comment-author-NAME``) on it does not make it a header."""
    for d in el.iter("p", "blockquote"):
        words = flat_text(d)
        # a paragraph of prose: long, or a sentence that is no "Submitted by NAME on DATE" line
        if len(words) > 80 or (
            len(words.split()) >= 5 and words[-1] in ".!?…" and find_date_span(words) is None
        ):
            return True
    return len(flat_text(el)) > 300


# -- evidence, most reliable first; each yields (element or None, raw text) --------------------


def _name_of(el: _Element) -> str:
    """An author element's words: counters and times inside it left out; a name shown on a
    button (a profile popup) counts, as buttons are otherwise never text; microdata gives a
    ``meta`` element's value in its ``content``."""
    if el.tag == "meta":
        return " ".join((el.get("content") or "").split())
    skip = {
        d
        for d in el.iter()
        if d.tag == "time" or (d is not el and (is_counter(flat_text(d)) or _is_badge(d)))
    }
    words = text_of(el, skip)
    if not words and (el.tag == "button" or el.find(".//button") is not None):
        words = flat_text(el)
    return words


# a label beside the name ("Author", "Moderator", a user title or flair), by its class name
_BADGE_PART = re.compile(r"^(?:title|badge|label|role|rank|flair|user-?title|owner)$", re.I)


def _is_badge(el: _Element) -> bool:
    return any(
        _BADGE_PART.match(part)
        for token in (el.get("class") or "").split()
        for part in re.split(r"[-_]{1,2}", token)
    )


def _from_markup(view: AuthorView) -> Iterator[Candidate]:
    """schema.org author/creator (its name first), a Person's name, class names of the
    author kind (innermost first), ``cite``."""
    for el in view.outside:
        if prop(el) in ("author", "creator") or is_rdfa_author(el):
            for d in el.iter():
                if prop(d) == "name":
                    yield d, _name_of(d)
            yield el, _name_of(el)
    # a Person's name inside a header line of other words ("Permalink Submitted by <span
    # typeof=Person property=name>NAME</span> DATE"): the markup marks the name alone
    for el in view.outside:
        if person_name(el, view.node) and flat_text(el):
            yield el, _name_of(el)
    matches = [
        el
        for el in view.outside
        if roles(el) & ROLE_AUTHOR and flat_text(el) and not holds_running_text(el)
    ]
    for i, first in enumerate(matches):
        for inner in matches[i + 1 :]:
            if holds(first, inner):  # a later match inside the first
                yield inner, _name_of(inner)
        yield first, _name_of(first)
    for el in view.outside:
        if el.tag == "cite" and flat_text(el):
            yield el, _name_of(el)


def _from_field_label(view: AuthorView) -> Iterator[Candidate]:
    """A labelled author field on a short line of the comment ("Dodano: DATE, Autor: NAME",
    "Autore del commento: NAME"): the innermost element that holds the label and its value."""
    for el in view.outside:
        if el is view.node or len(el) > 6:
            continue
        line = flat_text(el)
        if len(line) > 200:
            continue
        named = labelled_author(line)
        if named and not any(labelled_author(flat_text(c)) for c in el if isinstance(c.tag, str)):
            yield el, named
    for el in view.outside:
        found = labelled_value(el)
        if found is not None:
            yield found


def _from_byline(view: AuthorView) -> Iterator[Candidate]:
    """A prose byline: "geschrieben von NAME am DATE", "Comment by NAME — DATE", "On DATE,
    NAME said:" (the words before the date only leading to it, the name after it)."""
    for el in view.outside:
        if el is not view.node and el.tag in _LINE_TAGS and len(el) <= 3:
            named = said_name(flat_text(el))
            if named:
                yield None, named
    if view.header_text:
        named = said_name(view.header_text[:300])
        if named:
            yield None, named
    for el in view.outside:
        if roles(el) & (ROLE_DATE | ROLE_HEADER):
            named = byline_name(flat_text(el))
            if named and not _particle_of_name(flat_text(el), named):
                yield None, named
    if view.header_text:
        named = byline_name(view.header_text[:200])
        if named and _particle_of_name(view.header_text[:200], named):
            named = None
        # without a text element the header text is the whole comment: a "de"/"by" in its
        # sentences is no byline unless the date follows within the line
        if named and (view.text_el is not None or not _SENTENCE_END.search(named + " ")):
            yield None, named
    for el in view.outside:
        # "Posté le DATE par NAME", "Posted on DATE by NAME": the name after the date
        if el.tag in ("p", "div", "span", "small", "footer", "cite") and len(el) <= 3:
            named = _name_after_date(flat_text(el))
            if named:
                yield None, named
    for el in view.outside:
        # "2. Le DATE par NAME" as a header line of its own (Dotclear's dt): the line is the
        # header, kept out of the text with its counter, and the bare name at its end the author
        if el is not view.node and el.tag in _LINE_TAGS and len(el) <= 3:
            named = date_byline_name(flat_text(el))
            if named:
                yield el, named


# "Pep de Son Fullos", "Anna van Dijk": a particle inside a name, not a "by" before one; after
# a label ("Kommentar von", "Comentario de", "Posted by") it is the byline's
_PARTICLE_BEFORE = re.compile(
    r"(?P<word>[^\W\d_][\w'’.-]*)\s+(?:de|di|da|von|van|du|del|della|dos|das)\s+$", re.IGNORECASE
)
_BYLINE_LEAD = re.compile(
    r"^(?:comments?|kommentare?|commentaires?|comentarios?|commenti|commento|reacties?|"
    r"komentarz|antwort|réponse|respuesta|risposta|posted|geschrieben|eingereicht|publié|"
    r"écrit|publicado|escrito|pubblicato|scritto|geplaatst|written|submitted|message|mensaje|"
    r"beitrag|post|entrada|nachricht|inviato|postato|commentato|enviado|envoyé|gesendet|"
    r"verfasst|eingetragen|reactie|bericht|mensagem|comentário|enviada|publicada|escrita)$",
    re.IGNORECASE,
)


def _particle_of_name(line: str, named: str) -> bool:
    line = " ".join(line.split())
    at = line.find(named)
    m = _PARTICLE_BEFORE.search(line[:at]) if at > 0 else None
    return bool(m and not _BYLINE_LEAD.match(m["word"]))


_AFTER_DATE = re.compile(
    r"^[\s,.]*(?:by|von|par|por|di|da|door|af|przez)\s+(?P<name>[^\s].{0,60}?)\s*$",
    re.IGNORECASE,
)
# the end of a sentence inside a would-be name ("… par courriel. Posté le DATE")
_SENTENCE_END = re.compile(r"[^\W\d_]{3,}[.!?]\s")


def _name_after_date(line: str) -> str | None:
    """The name of a short line that gives the date first and the author last."""
    line = " ".join(line.split())
    if len(line) > 120:
        return None
    span = find_date_span(line)
    if span is None or span[0] > 40:
        return None
    m = _AFTER_DATE.match(line[span[1] :])
    return m.group("name") if m else None


def _from_profile_link(view: AuthorView) -> Iterator[Candidate]:
    for el in view.outside:
        if el.tag != "a" or not flat_text(el):
            continue
        href = el.get("href") or ""
        if PROFILE_HREF.search(href) or "author" in (el.get("rel") or "").split():
            yield el, flat_text(el)


def _from_header_link(view: AuthorView) -> Iterator[Candidate]:
    found = header_link_author(view.node, view.elements, view.text_el, view.stop)
    if found is not None:
        yield found


def _from_date_line(view: AuthorView) -> Iterator[Candidate]:
    """A plain link on the small line that holds the comment's date ("<li><a>NAME</a></li>
    <li><time>…</time></li>" in a meta list under the text)."""
    for el in view.outside:
        if el.tag != "time" and not roles(el) & ROLE_DATE:
            continue
        line = el.getparent()
        for _ in range(3):
            if line is None or line is view.node or len(flat_text(line)) > 120:
                break
            for a in line.iter("a"):
                label = flat_text(a)
                if label and not links_to_itself(a, view.node) and find_date_span(label) is None:
                    yield a, label
            line = line.getparent()


# elements that make a line of a header, where a name may stand beside the comment's date
_LINE_TAGS = frozenset(
    [
        "p",
        "div",
        "span",
        "small",
        "footer",
        "header",
        "li",
        "dd",
        "dt",
        "cite",
        "em",
        "td",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    ]
)


def _from_date_text(view: AuthorView) -> Iterator[Candidate]:
    """The words beside the comment's date on a short line of its own ("Dana Whitfield · Mar
    03, 11:47 AM · #"), with no link or class to name them: the shortest such line first."""
    lines = []
    for el in view.outside:
        if el is view.node or el.tag not in _LINE_TAGS or _holds_blocks(el):
            continue
        text = flat_text(el)
        if len(text) <= 120 and find_date_span(text) is not None:
            # blocks side by side are apart ("<div>NAME</div><div>Staff</div>"), not one word
            lines.append((len(text), blocks_apart(el), el))
    for _size, text, el in sorted(lines, key=lambda line: line[0]):
        name = clean_author(text)
        # a name, not the words of a short comment beside its date
        if name and len(name.split()) <= 4 and not _SENTENCE_END.search(name + " "):
            yield el, text


_BLOCKS = frozenset(["p", "br", "blockquote", "ul", "ol", "li", "pre", "table"])


def _holds_blocks(el: _Element) -> bool:
    return any(d.tag in _BLOCKS for d in el.iter() if d is not el)


def _from_beside_date(view: AuthorView) -> Iterator[Candidate]:
    """The short element just before the one that is the comment's date ("<span>NAME</span>
    <span>DATE</span>", after a title and a dash: "TITLE — <span>NAME</span> <span>DATE</span>"),
    else just after it: where templates put the name when no markup says so."""
    for el in view.outside:
        # a leaf, or one whose children are icons ("<i class=fa-clock></i> 3 days ago")
        if el is view.node or any(isinstance(c.tag, str) and flat_text(c) for c in el):
            continue
        text = flat_text(el)
        span = find_date_span(text) if 0 < len(text) <= 60 else None
        if span is None or (span[1] - span[0]) * 2 < len(text):
            continue
        badges: list[Candidate] = []
        before = el.getprevious()
        # the words just before the date, as text of the line ("💬</a> NAME, <span>DATE")
        loose = (before.tail if before is not None else el.getparent().text) or ""
        if _short_label(loose) and not leads_to_date(loose):
            yield None, loose.strip(" ,;:·|•")
        for sibling in (_past_counters(before), el.getnext()):
            if sibling is None or not isinstance(sibling.tag, str) or sibling in view.stop:
                continue
            label = flat_text(sibling)
            if not _short_label(label) or _holds_blocks(sibling):
                continue
            if sibling.tag == "a" and links_to_itself(sibling, view.node):
                continue
            if BADGE_OR_CONTROL.match(label.strip()):
                badges.append((sibling, label))  # "Guest" beside the name: only if no name
                continue
            yield sibling, label
        yield from badges
        return


def _past_counters(el: _Element | None) -> _Element | None:
    """``el``, or the sibling before it when ``el`` is a vote count or a level ("bob_k
    <span>39 points</span> · <span>6 years ago</span>"): counters sit between a name and its
    date in the header lines of voting sites."""
    for _ in range(2):
        if el is None or not isinstance(el.tag, str) or not is_counter(flat_text(el)):
            break
        el = el.getprevious()
    return el


def _short_label(text: str) -> bool:
    """A few words that may be a name: no control ("Reply", "(report)") or counter."""
    words = " ".join(text.split()).strip(" ,;:·|•–—-")
    if not 0 < len(words) <= 40 or len(words.split()) > 4:
        return False
    bare = words.strip("()[] ")
    return not (CONTROL_LINE.match(bare) or DEBRIS_LINE.match(bare) or is_counter(bare))


def _from_heading(view: AuthorView) -> Iterator[Candidate]:
    """A bold name or a heading in the comment's header; not the comment's title (a heading
    linking to the comment itself, or "Re: …")."""
    for el in view.outside:
        if el.tag in ("strong", "b", "h2", "h3", "h4", "h5", "h6") and flat_text(el):
            if any(links_to_itself(a, view.node) for a in el.iter("a")):
                continue
            if re.match(r"(?:re|aw|sv|rif)\s*:", flat_text(el), re.IGNORECASE):
                continue
            if is_field_line(flat_text(el) + " 0"):
                continue  # "<strong>Valoración:</strong> 3": a field's label
            if _TITLE_CLASS.search(el.get("class") or ""):
                continue  # "<strong class="forum-titre">": the comment's title, in any language
            yield None, flat_text(el)


# a class naming an element the comment's title or subject
_TITLE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:title|titre|titel|titolo|titulo|título|tytul|tytuł|subject|betreff|sujet|"
    r"asunto|oggetto)(?:$|[\s_-])",
    re.IGNORECASE,
)


def _from_header_line(view: AuthorView) -> Iterator[Candidate]:
    """A short header line is a name only when the comment holds more than that line: the
    text outside the text element, or, without one, the first of several paragraphs."""
    whole = text_of(view.node, view.stop)
    if view.text_el is None:
        paragraphs = whole.split("\n\n")
        line = paragraphs[0] if len(paragraphs) > 1 else ""
    else:
        line = view.header_text
    if view.text_el is None and BADGE_OR_CONTROL.match(line.strip()) and len(paragraphs) > 2:
        # "Guest", then the name: the badge first in the header, the name after it
        following = paragraphs[1]
        name = clean_author(following)
        if name and len(name.split()) <= 5 and len(following) <= 60:
            yield None, following
    candidate = clean_author(line) if line else None
    if candidate and len(candidate.split()) <= 5 and len(whole.split()) > len(line.split()):
        yield None, line


_EVIDENCE: tuple[tuple[str, float, Callable[[AuthorView], Iterator[Candidate]]], ...] = (
    ("markup", 0.95, _from_markup),
    ("field label", 0.9, _from_field_label),
    ("byline", 0.85, _from_byline),
    ("profile link", 0.8, _from_profile_link),
    ("header link", 0.7, _from_header_link),
    ("date line", 0.65, _from_date_line),
    ("heading", 0.6, _from_heading),
    ("beside the date", 0.5, _from_beside_date),
    ("header line", 0.4, _from_header_line),
    ("date text", 0.35, _from_date_text),
)


def read_author(view: AuthorView) -> AuthorFound | None:
    """The comment's author: the first candidate, by confidence, that cleans to a name."""
    for evidence, confidence, propose in _EVIDENCE:
        for el, raw in propose(view):
            if label_for_name(el, raw):
                continue
            span = find_date_span(raw) if len(raw) <= 200 else None
            name = clean_author(without_date_label(raw, span[0] if span else None))
            if name is None:
                continue
            if el is not None and evidence == "markup":
                link = name_link(el)
                if link is not None and name != link:
                    name = link  # the name is the link; the rest is a bio, a badge, a label
            return AuthorFound(name, el, evidence, confidence)
    return None
