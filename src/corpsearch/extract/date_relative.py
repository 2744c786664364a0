"""Relative times as comment templates show them: "3 hours ago", "vor 2 Tagen", "hace 28
minutos", "2 dagen geleden", "3小时前", "yesterday, 14:30", and the compact "2d", "5h" of an
element standing alone. Each gives how far back from the capture the time lies; placing it in
time (and the reason given) is :mod:`corpsearch.extract.comment_dates`'s.
"""

from __future__ import annotations

import re
from datetime import timedelta

from corpsearch.extract.date_forms import JUST_NOW, east_asian_ago

__all__ = ["compact_delta", "day_word_back", "relative_delta", "relative_span"]

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "ein": 1,
    "eine": 1,
    "einem": 1,
    "einer": 1,
    "un": 1,
    "une": 1,
    "una": 1,
    "uno": 1,
    "um": 1,
    "uma": 1,
    "en": 1,
    "et": 1,
    "een": 1,
    "jeden": 1,
    "jedna": 1,
    "jedną": 1,
}
_NUMBER = r"(?P<n>\d+|an?|one|ein(?:e[mr]?)?|une?|una|uno|uma|um|en|et|een|jedn[aą]|jeden)"
_UNIT = r"(?P<u>[^\W\d_]+)"
_RELATIVE = [
    re.compile(
        rf"\b{_NUMBER}\s+{_UNIT}\s+(?:ago|fa|geleden|siden|temu|atrás|назад)\b", re.IGNORECASE
    ),
    re.compile(rf"\b(?:vor|hace|il y a|há)\s+{_NUMBER}\s+{_UNIT}", re.IGNORECASE),
]
_UNIT_WORDS: tuple[tuple[str, timedelta], ...] = (
    ("sec sek seg сек", timedelta(seconds=1)),
    ("min мин", timedelta(minutes=1)),
    ("hour hr stund heure hora ora ore time uur godz час", timedelta(hours=1)),
    ("day tag jour día dia giorn dag dni dzie дн день", timedelta(days=1)),
    ("week woche semaine semana settiman uge tydz tygod недел", timedelta(weeks=1)),
    ("month monat mois mes mês måned maand miesi месяц", timedelta(days=30)),
    ("year jahr année an año anno anni ano år jaar lat rok lata год лет", timedelta(days=365)),
)
_UNIT_PREFIXES = tuple((w, d) for words, d in _UNIT_WORDS for w in words.split())
_YESTERDAY = re.compile(
    r"\b(?:yesterday|gestern|hier|ayer|ieri|i går|gisteren|wczoraj|ontem|вчера)\b", re.I
)
_TODAY = re.compile(
    r"\b(?:today|heute|aujourd'hui|hoy|oggi|i dag|vandaag|dzisiaj|dziś|hoje|сегодня)\b", re.I
)


_DAY_WORD_REST = re.compile(
    r"[\s,]*(?:(?:at|um|à|a las|alle|kl\.?|om|às|o)\s+)?(?:\d{1,2}[:h.]\d{2}.{0,12})?",
    re.IGNORECASE,
)


# the day words of Chinese and Japanese, written without a space before the time ("今天08:23",
# "昨天 10:20", "前天"): the days back each says
_EAST_ASIAN_DAY = re.compile(r"(?:今天|今日|昨天|昨日|前天|一昨日)")
_EAST_ASIAN_BACK = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "一昨日": 2}


def day_word_back(text: str) -> tuple[int, tuple[int, int]] | None:
    """ "Yesterday, 14:30" / "heute um 9:12" / "今天08:23": days back and span. Only at the
    start of a short text, as these words are ordinary words elsewhere ("hier" is "here" in
    German)."""
    if len(text) > 40:
        return None
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    for rx in (_YESTERDAY, _TODAY, _EAST_ASIAN_DAY):
        m = rx.match(stripped)
        if m and _DAY_WORD_REST.fullmatch(stripped, m.end()):
            back = _EAST_ASIAN_BACK.get(m.group(0), 1 if rx is _YESTERDAY else 0)
            return back, (offset + m.start(), len(text.rstrip()))
    return None


def _unit(word: str) -> timedelta | None:
    w = word.lower()
    for prefix, delta in _UNIT_PREFIXES:
        if w.startswith(prefix) and (len(prefix) > 2 or len(w) <= 5):
            return delta
    return None


def relative_span(text: str) -> tuple[int, int] | None:
    """Where a relative time in words ("3 hours ago", "vor 2 Tagen") sits in ``text``."""
    spans = []
    for rx in _RELATIVE:
        m = rx.search(text)
        if m and _unit(m["u"]) is not None:
            spans.append(m.span())
    if not spans:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans)


def relative_delta(text: str) -> timedelta | None:
    """How far back a relative time in words, or in an East Asian form ("3小时前"), lies."""
    for rx in _RELATIVE:
        m = rx.search(text)
        if m:
            unit = _unit(m["u"])
            if unit is None:
                continue
            raw = m["n"].lower()
            count = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, 1)
            return unit * count
    ago = east_asian_ago(text)
    return ago[0] if ago is not None else None


# a compact relative time as the whole text of an element: "2d", "5h", "3 w", "1y"
_COMPACT = re.compile(r"(\d{1,3})\s?(s|m|min|h|hr|d|w|wk|mo|y|yr)", re.IGNORECASE)
_COMPACT_UNITS = {
    "s": timedelta(seconds=1),
    "m": timedelta(minutes=1),
    "min": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "hr": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
    "wk": timedelta(weeks=1),
    "mo": timedelta(days=30),
    "y": timedelta(days=365),
    "yr": timedelta(days=365),
}


def compact_delta(text: str) -> timedelta | None:
    """How far back a compact relative time that is a whole element's text lies ("2d", "5h",
    "just now"); None for any other text."""
    m = _COMPACT.fullmatch(text)
    if m:
        return _COMPACT_UNITS[m[2].lower()] * int(m[1])
    return timedelta(0) if JUST_NOW.fullmatch(text) else None
