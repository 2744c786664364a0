"""Cleaning a would-be author into a name: what a header line holds beside the name (its date,
a "says" verb, a weekday, a role label, a badge, an icon, an address) is cut away, and what is
no name at all (a counter, a login prompt, a verb left alone, a badge alone) gives None.

Used by :mod:`corpsearch.extract.comment_authors` and the record finders.
"""

from __future__ import annotations

import re
import unicodedata

from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.comment_evidence import is_counter
from corpsearch.extract.comment_labels import ROLE_ONLY, strip_role_badge
from corpsearch.extract.comment_markup import DEBRIS_LINE, LEAD, SAYS, URL
from corpsearch.extract.date_forms import only_edit_words
from corpsearch.extract.date_names import weekday_start

__all__ = ["clean_author"]


def _weekday_of_date(text: str, start: int) -> int:
    """Where a date starting at ``start`` starts with its weekday, when a weekday with its
    comma or full stop stands just before it ("Thu, ", "Do., "); a word without one may be a
    name's ("Ana Sa 03/05/2020" is left as it is)."""
    cut = weekday_start(text, start)
    return cut if cut < start and re.search(r"[.,]\s*$", text[cut:start]) else start


# a site address written without its scheme, as a commenter's homepage is often shown
_BARE_HOST = re.compile(r"\(?\bwww\.[\w-]+(?:\.[\w-]+)+[^\s()]*\)?", re.IGNORECASE)


def clean_author(raw: str) -> str | None:
    text = " ".join(unicodedata.normalize("NFC", raw.replace("\xa0", " ")).split())
    if len(text) > 160:  # a name with its date and "says:" is never this long
        return None
    span = find_date_span(text)
    if span:
        # a header line holds the name on one side of its date: before it ("NAME | am DATE
        # Uhr", "NAME | 03.04.14 3:45pm EST | report abuse"), else after it ("DATE — NAME");
        # the date's weekday goes with it ("NAME (not verified) Thu, 03/05/2020 - 09:12")
        before, after = text[: _weekday_of_date(text, span[0])].rstrip(" ,;"), text[span[1] :]
        if _STAT_BEFORE_DATE.search(before.strip(" ,;|·-–—")):
            return None  # a reader's statistics ("Joined: DATE From: TOWN Posts: 14")
        named = clean_author(before) if _names_side(before) else None
        if named is None and _LETTER.search(after):
            named = clean_author(after)
        return named
    text = _trim_symbols(text)
    text = " ".join(URL.sub(" ", text).split())  # "NAME · https://…": an address is no name
    text = " ".join(_BARE_HOST.sub(" ", text).split())  # nor one without its scheme ("www.…")
    text = SAYS.sub("", text)
    text = _DID.sub("", text)
    text = LEAD.sub("", text).strip()
    text = _NOT_VERIFIED.sub("", text)
    text = _ROLE_LABEL.sub("", text)
    # a permalink's ¶ too, and the full-width colon of Chinese and Japanese ("NAME：")
    text = re.sub(r"\s*[:：·|•¶§]\s*$", "", text).strip()
    # a counter before the name: "#1 NAME", "1 | NAME", "2. NAME" (Cotonti's order number)
    text = re.sub(r"^(?:[·•|\s]+|#\d+\s+|#?\d{1,4}\s*[|·•]\s*|\d{1,4}\.\s+(?=[^\W\d_]))", "", text)
    text = re.sub(r"^(?:at|um|à|a las|alle|kl\.?|om|às|o)\s+", "", text, flags=re.I)
    for weekday in (_WEEKDAY, _WEEKDAY_SHORT):
        text, cut = weekday.subn("", text)
        if cut:  # the separator before the weekday goes with it; a name's own comma stays
            text = text.strip(" ,")
    text, cut = re.subn(
        r"\s+(?:on|at|am|um|le|el|il|op|em|den|w|o|le)$", "", text, flags=re.IGNORECASE
    )
    if cut:  # "NAME, le DATE": the comma before the preposition goes with it
        text = text.rstrip(" ,")
    text = _DID.sub("", text)
    # separators left at either end once a date and its prepositions are cut ("NAME |", "— NAME")
    text = re.sub(r"^(?:[\s,·|•–—:]|-\s)+|(?:[\s·|•–—:]|\s-)+$", "", text)
    text = _trim_symbols(strip_role_badge(text))
    if not text or len(text) > 80 or DEBRIS_LINE.match(text) or _COMMENT_WORD.search(text):
        return None
    if ROLE_ONLY.match(text):
        return None  # "Autor", "Moderator": a badge left alone, not who wrote
    if is_counter(text) or _NOT_A_NAME.match(text):
        return None
    if re.fullmatch(r"[\d\s:.,/@#+-]+", text) and not _IPV4.fullmatch(text):
        return None  # digits and separators: a date or a counter, but an address names a guest
    return text


# a wiki signs an anonymous post with the poster's address: that is the name the page shows
_IPV4 = re.compile(r"(?:\d{1,3}\.){3}\d{1,3}")


_LETTER = re.compile(r"[^\W\d_]")

# a reader's account statistic: the date after it is when the reader joined
_STAT_WORDS = (
    r"joined|registered|member since|mitglied seit|dabei seit|registriert(?: seit)?|"
    r"angemeldet seit|inscrite?(?: le| depuis)?|inscrito(?: desde)?|iscritto(?: il| dal)?|"
    r"lid sinds|zarejestrowany"
)
# what stands before a date and names nobody: a preposition or article alone ("Le 13 mars 2021
# NAME a dit :", "On DATE NAME said"), a field label ("Posted: DATE") or a statistic
_DATE_LEAD_ONLY = re.compile(
    r"^(?:on|am|le|la|el|il|lo|op|em|den|w|o|at|um|à|the|posted(?: on)?|written(?: on)?|"
    rf"date|datum|fecha|data|{_STAT_WORDS})\s*:?$",
    re.IGNORECASE,
)
# a statistic that ends the words before a date: the date is that field's ("Just popping in
# · Joined: DATE From: TOWN"), and the words a rank or a title, not a name
_STAT_BEFORE_DATE = re.compile(rf"(?:^|\s)(?:{_STAT_WORDS})\s*:$", re.IGNORECASE)


def leads_to_date(text: str) -> bool:
    """Words that stand before a date and name nobody: "On", "Am", "Le", "Posted on"."""
    return bool(_DATE_LEAD_ONLY.match(text.strip(" ,;|·-–—")))


def _names_side(text: str) -> bool:
    """Whether the words on one side of a header's date can hold a name: not a preposition,
    a label or a statistic alone, nor the words of a last-edited time ("Updated: DATE")."""
    text = text.strip(" ,;|·-–—")
    return (
        bool(_LETTER.search(text)) and not _DATE_LEAD_ONLY.match(text) and not only_edit_words(text)
    )


# what stands at the edges of a name once the date beside it is cut: an icon or emoji of a
# permalink ("💬 NAME"), a comma, an opening bracket ("NAME, DATE", "NAME（DATE）"), an empty
# pair of brackets where a time stood
_OPENING = "（(「【[{"
_EMPTY_BRACKETS = re.compile(r"\s*(?:\(\s*\)|（\s*）|\[\s*\]|【\s*】)")


def _symbol(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk", "Sm", "Cf", "Co") or ch == "\ufe0f"


# an emoji a reader puts after their name ("Walt ⛵", "Nora K. ✍️") is part of it, as people
# sign so on every platform; an icon a template prints is at the front ("💬 NAME") or is a
# glyph of an icon font (private use), a check mark or an arrow, and those go
_CHECKS_AND_ARROWS = frozenset("✓✔✕✖✗✘➔➜➝➞➟➠➡➢➣➤➥➦➧➨")
_EMOJI_JOINERS = frozenset("\ufe0f\u200d\u20e3")


def _pictograph(ch: str) -> bool:
    code = ord(ch)
    if ch in _CHECKS_AND_ARROWS:
        return False
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF


def _trailing_emoji(text: str) -> int:
    """How many characters at the end of ``text`` are emoji signed after a name: a run of
    pictographs (with their joiners and skin tones) after a space that follows a letter or
    digit (or an initial's full stop); 0 if the end is anything else."""
    end = len(text)
    start = end
    while start and (
        _pictograph(text[start - 1])
        or text[start - 1] in _EMOJI_JOINERS
        or 0x1F3FB <= ord(text[start - 1]) <= 0x1F3FF
    ):
        start -= 1
    run = text[start:end]
    if not run or not any(_pictograph(ch) for ch in run):
        return 0
    before = text[:start]
    last = before.rstrip()[-1:]
    if not before.endswith(" ") or not (last.isalnum() or last in ".'’)"):
        return 0
    return end - start


def _trim_symbols(text: str) -> str:
    text = _EMPTY_BRACKETS.sub("", text).strip()
    while text and _symbol(text[0]):
        text = text[1:].lstrip()
    kept = _trailing_emoji(text)
    if kept:
        return text
    while text and (_symbol(text[-1]) or text[-1] in _OPENING):
        text = text[:-1].rstrip()
    return text


_WEEKDAY = re.compile(
    r"[\s,]+(?:mon|tues|wednes|thurs|fri|satur|sun)day,?$|[\s,]+(?:montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|"
    r"miércoles|jueves|viernes|sábado|domingo|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|"
    r"mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|maandag|dinsdag|woensdag|donderdag|"
    r"vrijdag|zaterdag|zondag|segunda|terça|quarta|quinta|sexta|(?:segunda|terça|quarta|quinta|"
    r"sexta)-feira|poniedziałek|wtorek|środa|czwartek|piątek|sobota|niedziela|понедельник|"
    r"вторник|среда|четверг|пятница|суббота|воскресенье|måndag|tisdag|onsdag|torsdag|fredag|"
    r"lördag|söndag|pondělí|úterý|středa|čtvrtek|pátek|neděle|pazartesi|çarşamba|perşembe|"
    r"cumartesi|miercuri|vineri|sâmbătă|duminică|понеділок|вівторок|середа|четвер|пʼятниця|"
    r"п'ятниця|субота|неділя|dilluns|dimarts|dimecres|dijous|divendres|dissabte|diumenge),?$",
    re.IGNORECASE,
)


# "NAME | Di", "NAME, Mon.": an abbreviated weekday glued on after a separator
_WEEKDAY_SHORT = re.compile(
    r"\s*[,|·/]\s*(?:mo|di|mi|do|fr|sa|so|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|lun|mar|mer|"
    r"jeu|ven|sam|dim|mié|jue|vie|sáb|dom|gio|lu|ma|me|je|ve|пн|вт|ср|чт|пт|сб|вс)\.?,?$",
    re.IGNORECASE,
)


_COMMENT_WORD = re.compile(
    r"\b(?:comments?|kommentare?|commentaires?|comentarios?|commenti|commento|reacties|komentarz[ey]?|"
    r"conversation|discussion|diskussion|discusión|discussione|"
    r"responses?|repl(?:y|ies)|antworten|respuestas|répondre|réponses?|responder|rispondi)\b",
    re.IGNORECASE,
)


# the mark Drupal puts after an anonymous commenter's name, in the translations its sites ship
# ("NAME (not verified)", "NAME (未验证)"); CJK sites may write it in full-width brackets
_NOT_VERIFIED = re.compile(
    r"\s*[(（](?:not verified|unverified|nicht überprüft|nicht verifiziert|non vérifié|no verificado|"
    r"non verificato|niet geverifieerd|não verificado|niezweryfikowany|не проверено|"
    r"未验证|未驗證|未確認)[)）]$",
    re.IGNORECASE,
)


# what a header says that is no name: a login prompt, a vote line, a level ("level 1 39 points")
_NOT_A_NAME = re.compile(
    r"^(?:level\s*\d+\b|\d+\s*points?\b|(?:log ?in|sign ?in|iniciar sesión|anmelden|einloggen|"
    r"connexion|se connecter|accedi|zaloguj)\b|"
    # the verb of a header line left alone once its date is cut ("Posted on DATE")
    r"(?:posted|submitted|written|published|commented|geschrieben|eingereicht|veröffentlicht|"
    r"gepostet|publié|écrit|publicado|escrito|pubblicato|scritto|geplaatst)\s*$)",
    re.IGNORECASE,
)


# "NAME commented on DATE at TIME:", "NAME replied": the action after the name
_DID = re.compile(
    r"\s+(?:commented|replied|responded|posted|kommentierte|antwortete|a commenté|a répondu|"
    r"ha commentato|ha risposto|comentó|respondió|reageerde)(?:\s+(?:on|am|le|el|il|op))?\s*:?$",
    re.IGNORECASE,
)


# a label a template prints after the name of the post's author ("Thomas Post author")
_ROLE_LABEL = re.compile(
    r"\s+(?:post author|article author|entry author|author of the post|autor de la entrada|"
    r"auteur de l'article|autore dell'articolo|autor des beitrags|beitragsautor(?:in)?)$",
    re.IGNORECASE,
)
