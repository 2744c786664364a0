"""Comments of hand-made pages that carry no class or id at all, each written as a heading that
names it as a comment and its author ("#1 Kommentar von NAME", "Comment #2 by NAME",
"Commentaire n°1 de NAME", "Reactie van NAME"), the date as a bare line right after it and the
text in the elements that follow, up to the next heading or the comment form.

What makes such a heading a comment's and not an op-ed's byline ("Kommentar von NAME" over an
article that is itself a commentary), a sidebar's ("Kommentar von gestern") or another story's:
the rest after the comment word and its "by" is the size of a name and no day or article word;
the article stands before the first one (a heading of its own and prose under it); an unnumbered
heading is one of several or follows an announcement of the thread ("Kommentare"); no heading of
another story follows them in the box they share with the article; and no comment is dated
before the article's day.

Used by :mod:`corpsearch.extract.comment_items` after the other ways found nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC

from lxml import etree
from lxml.etree import _Element

from corpsearch.extract.comment_dates import find_date_span, parse_visible_date
from corpsearch.extract.comment_markup import holds

__all__ = ["records_by_comment_headings"]

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_COMMENT_HEADINGS = ("h2", "h3", "h4", "h5", "h6")  # an h1 is the page's own title

_NUMBER = r"(?:#\s*|n[°º]\s*|nr\.?\s*|no\.?\s*)?\d{1,4}\.?"
_BY = r"by|from|von|de|di|da|van|door|af|przez|od"
# the singular word only: "Kommentare", "Comments" title a thread, not one comment in it
_WORD = (
    r"comment|kommentar|commentaire|comentario|comentário|commento|reactie|reaction|réaction|"
    r"reacción|komentarz|kommentaar"
)
_HEADED = re.compile(
    rf"^(?:(?P<lead>{_NUMBER})\s*[:.)-]?\s+)?(?:{_WORD})(?![\w-])"
    rf"(?:\s*(?P<num>{_NUMBER}))?\s*(?P<sep>[:,–-])?\s*(?:(?P<by>{_BY})\s+)?(?P<name>\S.*)$",
    re.IGNORECASE,
)
_MAX_NAME = 40
_MAX_NAME_WORDS = 4


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# a rest that is no name: an article or a pronoun ("Kommentar von der Redaktion", "Comment by
# the editor"), a day ("Kommentar von gestern", "Comentario de hoy")
_NO_NAME_START = _word_set(
    "der die das dem den des ein eine einem einen einer the a an this that our my your his her "
    "la le les el los las un une una uno il lo gli het een mir mich uns me us"
)
_DAY_WORDS = _word_set(
    "gestern heute morgen vorgestern übermorgen yesterday today tomorrow tonight hier "
    "aujourd'hui demain avant-hier ayer hoy mañana anteayer anoche gisteren vandaag eergisteren "
    "ieri oggi domani montag dienstag mittwoch donnerstag freitag samstag sonntag monday tuesday "
    "wednesday thursday friday saturday sunday lundi mardi mercredi jeudi vendredi samedi "
    "dimanche lunes martes miércoles jueves viernes sábado domingo maandag dinsdag woensdag "
    "donderdag vrijdag zaterdag zondag"
)
# a particle inside a name ("de Vries", "van den Berg"), followed by a capital
_PARTICLES = _word_set("de van von da di del della dos ter ten")
_MAX_DATE_LINE = 80
_DATE_START = 12  # "am 26.03.2004", "le 3 mars 2004": a preposition may lead to the date
_THREAD_WORDS = re.compile(
    r"^(?:\d+\s+)?(?:comments|kommentare|commentaires|comentarios|commenti|reacties|"
    r"reactions|réactions|reacciones|komentarze|kommentarer|leserkommentare|reader comments|"
    r"responses|discussion|diskussion)(?:\s*\(\d+\))?\s*:?$",
    re.IGNORECASE,
)
# a heading in readers' words that is no other story: the thread's title, the form's title
_THREAD_HEADING = re.compile(
    r"\b(?:comments?|kommentare?|commentaires?|comentarios?|commenti|reacties|reactions?|"
    r"réactions?|reacciones|komentarze?|leave a reply|antworten|schreiben|écrire|escribir)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^\W\d_]{2,}(?:\s+\S+){4,}[.!?…]")
_LEAST_ARTICLE_WORDS = 12
_LEAST_TEXT_WORDS = 2
_SKIP = frozenset(["script", "style", "noscript", "template"])


@dataclass(slots=True)
class _Headed:
    heading: _Element
    numbered: bool
    name: str
    run: list[_Element]  # the siblings after the heading that hold the comment's text
    date_line: str


def _words(el: _Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _name_sized(rest: str) -> bool:
    """A name and nothing else: a word or four, no sentence, no day, no article first."""
    rest = rest.strip()
    if not rest or len(rest) > _MAX_NAME or rest[-1] in "!?:;":
        return False
    words = rest.split()
    if rest[-1] == "." and len(words[-1]) > 3:
        return False  # a sentence's stop, not an initial's ("Pierre L.")
    if len(words) > _MAX_NAME_WORDS or all(ch.isdigit() for ch in rest.replace(" ", "")):
        return False
    first = words[0].lower()
    # an article as written mid-line, in lower case ("Le", "Lo", "An" start names)
    if first in _DAY_WORDS or words[0] in _NO_NAME_START:
        return False
    # "de Vries" is a name, "de redactie" is not
    if (
        first in _PARTICLES
        and words[0][0].islower()
        and (len(words) < 2 or not words[1][:1].isupper() or words[1].lower() in _DAY_WORDS)
    ):
        return False
    return find_date_span(rest) is None


def _comment_heading(heading: _Element) -> tuple[bool, str] | None:
    """Whether ``heading`` names one comment and its author: None if not, else whether it
    numbers the comment, and the name. A heading that links elsewhere by its comment word is
    another page's teaser."""
    text = _words(heading)
    if len(text) > _MAX_NAME + 40:
        return None
    m = _HEADED.match(text)
    if m is None:
        return None
    numbered = bool(m["lead"] or m["num"])
    if not (m["by"] or (numbered and m["sep"])) or not _name_sized(m["name"]):
        return None
    name = m["name"].strip()
    for a in heading.iter("a"):
        href = a.get("href") or ""
        if href[:1] not in ("", "#") and _words(a) != name:
            return None
    return numbered, name


def _date_line(heading: _Element) -> str | None:
    """The date right after the heading: the bare text that follows it, or a short element."""
    line = " ".join((heading.tail or "").split())
    if not line:
        nxt = heading.getnext()
        if nxt is None or not isinstance(nxt.tag, str) or nxt.tag in _HEADINGS:
            return None
        line = _words(nxt)
    if not line or len(line) > _MAX_DATE_LINE:
        return None
    span = find_date_span(line)
    if span is None or span[0] > _DATE_START:
        return None
    return line


def _stops(el: _Element) -> bool:
    """Where a comment's run ends: a heading, the form, a box holding either, the thread's
    or the form's title."""
    if el.tag in _HEADINGS or el.tag in ("form", "textarea", "input"):
        return True
    if el.find(".//form") is not None or el.find(".//textarea") is not None:
        return True
    if any(el.iterdescendants(*_HEADINGS)):
        return True
    words = _words(el)
    return len(words) <= 40 and bool(_THREAD_HEADING.search(words)) and not _SENTENCE.search(words)


def _run(heading: _Element, date_line: str) -> list[_Element] | None:
    """The siblings after the heading up to where the comment ends, when they (and the text
    after the date) hold words of the comment."""
    run: list[_Element] = []
    sib = heading.getnext()
    while sib is not None:
        if isinstance(sib.tag, str):
            if _stops(sib):
                break
            run.append(sib)
        sib = sib.getnext()
    text = " ".join([" ".join((heading.tail or "").split()), *(_words(el) for el in run)])
    text = text.replace(date_line, " ", 1)
    for el in run:
        text += " " + " ".join((el.tail or "").split())
    words = [w for w in text.split() if sum(ch.isalpha() for ch in w) >= 2]
    return run if len(words) >= _LEAST_TEXT_WORDS else None


def _preceding_heading(body: _Element, first: _Element) -> _Element | None:
    """The nearest heading before ``first`` that is neither a comment's nor the thread's: the
    article's own."""
    found: _Element | None = None
    for el in body.iter(*_HEADINGS):
        if el is first:
            return found
        if _comment_heading(el) is None and not _THREAD_HEADING.search(_words(el)):
            found = el
    return None


def _text_between(body: _Element, start: _Element, stop: _Element) -> str:
    """The text after ``start`` and before ``stop`` in document order (``start``'s own words
    left out, scripts too)."""
    stop_holders = set(stop.iterancestors())
    parts: list[str] = []
    started = False
    for el in body.iter(etree.Element):
        if el is stop:
            break
        if el is start:
            started = True
            parts.append(el.tail or "")
            continue
        if not started or holds(start, el):
            continue
        if el.tag not in _SKIP and not any(a.tag in _SKIP for a in el.iterancestors()):
            parts.append(el.text or "")
        if el not in stop_holders:
            parts.append(el.tail or "")
    return " ".join(" ".join(parts).split())


def _level(heading: _Element) -> int:
    return int(str(heading.tag)[1])


def _other_story_after(article: _Element, first: _Element, headed: list[_Headed]) -> bool:
    """A heading of another story after the first comment, in the box that holds the article
    and the comments: a heading as high as the comments' that is neither a comment's nor the
    thread's (a list of stories whose titles happen to read "Kommentar von NAME")."""
    ours = {h.heading for h in headed}
    box = article.getparent()
    while box is not None and not holds(box, first):
        box = box.getparent()
    if box is None:
        return True
    after = False
    for el in box.iter(*_HEADINGS):
        if el is first:
            after = True
            continue
        if not after or el in ours or _level(el) > _level(first):
            continue
        if not _THREAD_HEADING.search(_words(el)):
            return True
    return False


def _dated_before_article(between: str, headed: list[_Headed]) -> bool:
    """A comment dated before the article's day (the first date shown under its heading): a
    list of older stories, not comments on this one."""
    shown = parse_visible_date(between[:2000], UTC) if find_date_span(between[:2000]) else None
    if shown is None or shown.value is None:
        return False
    day = shown.value.date()
    for h in headed:
        found = parse_visible_date(h.date_line, UTC)
        if found is not None and found.value is not None and found.value.date() < day:
            return True
    return False


def records_by_comment_headings(body: _Element) -> list[_Element]:
    """The comments of the page written as comment headings, each wrapped with its date line
    and text into one element, the record; none where the tests above fail."""
    headed: list[_Headed] = []
    for heading in body.iter(*_COMMENT_HEADINGS):
        named = _comment_heading(heading)
        if named is None:
            continue
        line = _date_line(heading)
        if line is None:
            continue
        run = _run(heading, line)
        if run is None:
            continue
        headed.append(_Headed(heading, named[0], named[1], run, line))
    if any(h.numbered for h in headed):
        # a page that numbers its comments numbers each: an unnumbered one is the byline of
        # an article that is itself a commentary
        headed = [h for h in headed if h.numbered]
    if not headed:
        return []
    first = headed[0].heading
    article = _preceding_heading(body, first)
    if article is None:
        return []
    between = _text_between(body, article, first)
    prose = [w for w in between.split() if sum(ch.isalpha() for ch in w) >= 2]
    if len(prose) < _LEAST_ARTICLE_WORDS or not _SENTENCE.search(between):
        return []
    if not any(h.numbered for h in headed) and len(headed) < 2 and not _announced(between):
        return []
    if _other_story_after(article, first, headed) or _dated_before_article(between, headed):
        return []
    return [_wrap(h) for h in headed]


def _announced(between: str) -> bool:
    """The thread's title among the last words before the first comment ("Kommentare",
    "3 Reacties")."""
    tail = " ".join(between.split()[-4:])
    return any(_THREAD_WORDS.match(" ".join(tail.split()[i:])) for i in range(len(tail.split())))


def _wrap(h: _Headed) -> _Element:
    # the tails go along: the date line after the heading, bare text after the last element
    wrapper = etree.Element("div")
    h.heading.addprevious(wrapper)
    wrapper.append(h.heading)
    _mark_name(h.heading, h.name)
    for el in h.run:
        wrapper.append(el)
    return wrapper


def _mark_name(heading: _Element, name: str) -> None:
    """The name at the end of the heading marked up as the author's, as ``cite`` marks it in
    other templates: the words around it ("#1 Kommentar von") are no part of it."""
    slots = [(el, kind) for el, kind in _text_slots(heading, heading) if _slot(el, kind).strip()]
    if not slots:
        return
    el, kind = slots[-1]
    raw = _slot(el, kind)
    at = raw.rfind(name)
    if at < 0:
        return  # a name split over elements: left to the reader of authors
    cite = etree.Element("cite")
    cite.text, cite.tail = name, raw[at + len(name) :]
    if kind == "tail":
        el.tail = raw[:at]
        el.addnext(cite)
    else:
        el.text = raw[:at]
        el.insert(0, cite)


def _slot(el: _Element, kind: str) -> str:
    return (el.tail if kind == "tail" else el.text) or ""


def _text_slots(el: _Element, top: _Element) -> list[tuple[_Element, str]]:
    """The text pieces inside ``top`` in document order: an element's text, its children's,
    then its tail."""
    slots = [(el, "text")]
    for child in el:
        if isinstance(child.tag, str):
            slots += _text_slots(child, top)
        elif child.tail:
            slots.append((child, "tail"))
    if el is not top:
        slots.append((el, "tail"))
    return slots
