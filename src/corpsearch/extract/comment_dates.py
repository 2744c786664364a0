"""Dates as comment templates show them: machine-readable attributes, visible dates in several
languages, and relative forms ("3 hours ago", "vor 2 Tagen", "hace 28 minutos").

Only the standard library is used; month names are tables below, the words of relative times
("3 hours ago", "gestern", "2d") are read by :mod:`corpsearch.extract.date_relative`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from corpsearch.extract.date_forms import (
    MORE_MONTH_NAMES,
    east_asian_ago,
    edited_before,
    has_digit,
    year_first,
)
from corpsearch.extract.date_names import US_ZONE, US_ZONES, ZONE_NAME, ZONE_NAMES, weekday_before
from corpsearch.extract.date_relative import (
    compact_delta,
    day_word_back,
    relative_delta,
    relative_span,
)

__all__ = [
    "RELATIVE_TO_CAPTURE",
    "DateFound",
    "find_date_span",
    "parse_element_date",
    "parse_machine_date",
    "parse_visible_date",
]

# The reason given for a date counted back from the capture time ("3 hours ago").
RELATIVE_TO_CAPTURE = "relative to capture time"


@dataclass(frozen=True, slots=True)
class DateFound:
    """A date read from a page; ``value`` is None when it cannot be placed in time."""

    value: datetime | None
    reason: str | None
    date_only: bool = False
    # False for a time counted back from the capture ("2 days ago"): its time of day is not
    # one the page shows, so it says nothing about the zone the page shows times in
    wall_clock: bool = True


# en, de, fr, es, it, da, pt, pl, nl, ru: full names, inflected forms, common abbreviations; one line a month
_MONTH_NAMES = (
    "january jan januar jänner janvier janv enero ene gennaio gen janeiro styczeń stycznia styczen januari sty января янв январь",
    "february feb februar février fevrier févr fevr febrero febbraio fevereiro fev luty lutego februari lut февраля фев февраль",
    "march mar märz maerz mär mrz mars marzo marts março marco marzec marca maart mrt марта март",
    "april apr avril avr abril abr aprile kwiecień kwietnia kwi апреля апр апрель",
    "may mai mayo maggio mag maj maio maja mei мая май",
    "june jun juni juin junio giugno giu junho czerwiec czerwca cze июня июн июнь",
    "july jul juli juillet juil julio luglio lug julho lipiec lipca lip июля июл июль",
    "august aug août aout agosto ago sierpień sierpnia sie augustus августа авг август",
    "september sep sept septembre septiembre setiembre settembre set setembro wrzesień września wrz сентября сен сент сентябрь",
    "october oct oktober okt octobre octubre ottobre ott outubro out październik października paz paź октября окт октябрь",
    "november nov novembre noviembre novembro listopad listopada lis ноября ноя нояб ноябрь",
    "december dec dezember dez décembre decembre déc diciembre dic dicembre dezembro grudzień grudnia gru декабря дек декабрь",
)
_MONTHS: dict[str, int] = {
    name: number
    for table in (MORE_MONTH_NAMES, _MONTH_NAMES)  # the first table's own names win a clash
    for number, names in enumerate(table, 1)
    for name in names.split()
}

_WORDS = re.compile(r"\d+|[^\W\d_]+")
_ORDINAL = frozenset(["st", "nd", "rd", "th", "er", "e", "º"])
_LINK = frozenset(["de", "of"])
_GAP = re.compile(r"[\s.,/-]{0,4}")


def _month_date(text: str) -> tuple[date, int, int] | None:
    """The first "28. April 2024" / "February 20, 2019" style date: (day, start, end)."""
    if not has_digit(text):
        return None
    toks = [(m.group().lower(), m.start(), m.end()) for m in _WORDS.finditer(text)]

    def adjacent(a: int, b: int) -> bool:
        return _GAP.fullmatch(text, toks[a][2], toks[b][1]) is not None

    def skip(i: int, step: int) -> int:
        j = i + step
        while (
            0 <= j < len(toks)
            and (toks[j][0] in _LINK or toks[j][0] in _ORDINAL)
            and abs(j - i) < 3
        ):
            j += step
        return j

    for i, (word, start, _end) in enumerate(toks):
        month = _MONTHS.get(word)
        if month is None:
            continue
        before, after = skip(i, -1), skip(i, 1)
        # day month year
        if before >= 0 and 0 <= after < len(toks):
            d, y = toks[before][0], toks[after][0]
            if d.isdigit() and len(d) <= 2 and y.isdigit() and len(y) == 4:
                try:
                    return date(int(y), month, int(d)), toks[before][1], toks[after][2]
                except ValueError:
                    pass
        # month day year
        if after < len(toks):
            d = toks[after][0]
            year_at = skip(after, 1)
            if d.isdigit() and len(d) <= 2 and year_at < len(toks):
                y = toks[year_at][0]
                if y.isdigit() and len(y) == 4 and adjacent(i, after):
                    try:
                        return date(int(y), month, int(d)), start, toks[year_at][2]
                    except ValueError:
                        pass
    return None


def _month_day(text: str) -> tuple[int, int, int, int] | None:
    """A date shown without its year ("Jun 20th at 2:41 am", "20. Juni, 14:00"): (month, day,
    start, end), only where a time of day follows, as a bare "May 5" is too often something
    else."""
    toks = [(m.group().lower(), m.start(), m.end()) for m in _WORDS.finditer(text)]
    for i, (word, start, end) in enumerate(toks):
        month = _MONTHS.get(word)
        if month is None or len(word) < 3:
            continue
        for j in (i + 1, i - 1):
            if 0 <= j < len(toks) and toks[j][0].isdigit() and len(toks[j][0]) <= 2:
                day = int(toks[j][0])
                stop = max(end, toks[j][2])
                if 1 <= day <= 31 and _TIME.search(text, stop) and not _full_iso(text):
                    return month, day, min(start, toks[j][1]), stop
    return None


def _full_iso(text: str) -> bool:
    """An ISO date in ``text`` that is not a last-edited one."""
    m = _ISO.search(text)
    return m is not None and not edited_before(text, m.start())


_ISO = re.compile(
    r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?"
    r"(?P<z>Z|[+-]\d{2}:?\d{2})?)?"
)
# 12.29.14, 10/04/2026, 22/11/2024, 28.04.2024
_NUM = re.compile(
    r"(?<![\d.:/])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d:])"
)
# "17.07, 2011 @ 13:04": day and month, then the year after a comma
_NUM_COMMA = re.compile(r"(?<![\d.:/])(?P<a>\d{1,2})\.(?P<b>\d{1,2}),\s*(?P<y>\d{4})(?![\d:])")
# "16:10", "16h10", "4.10 pm", and French WordPress's default "16 h 10 min" (time format
# "G \h i \m\i\n"), whose spaced "h" is read only with the "min" after the minutes
_TIME = re.compile(
    r"(?<![\d:.])(?P<H>\d{1,2})(?::|h|\s?h\s(?=\d{2}\s?min\b)|\.(?=\d{2}\s*(?:uhr|[ap]\.?m)))"
    r"(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\s?min\b)?"
    r"(?:\s*(?P<ap>[ap])\.?\s?m\b\.?)?",
    re.IGNORECASE,
)

# a time of day written with dots ("4-mar-2021 19.12.05" of Java's Italian medium format,
# "kl. 19.12", "klo 19.12"): read only right after a date, where it cannot be a date itself
_DOT_TIME = re.compile(
    r"[\s,]{1,3}(?:(?:kl|klo|ore|alle ore|om)\.?\s+)?"
    r"(?P<H>\d{1,2})\.(?P<M>\d{2})(?:\.(?P<S>\d{2}))?(?![\d.:/-])",
    re.IGNORECASE,
)


def _aware(value: datetime, default_tz: tzinfo) -> tuple[datetime, str | None]:
    if value.tzinfo is not None:
        return value, None
    return value.replace(tzinfo=default_tz), f"zone assumed {default_tz}"


def parse_machine_date(text: str, default_tz: tzinfo) -> DateFound | None:
    """An ISO 8601 value from a ``datetime``/``content``/``title`` attribute."""
    text = text.strip()
    m = _ISO.match(text)
    if not m:
        return None
    if m.group("H") is None:
        try:
            day = date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            return None
        value, reason = _aware(datetime(day.year, day.month, day.day), default_tz)
        return DateFound(value, reason, date_only=True)
    iso = m.group(0).replace(" ", "T")
    if iso.endswith("Z"):
        iso = iso[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        return None
    value, reason = _aware(parsed, default_tz)
    return DateFound(value, reason)


@lru_cache(maxsize=8192)
def find_date_span(text: str) -> tuple[int, int] | None:
    """Where a date (absolute or relative) sits in ``text``, to cut it out of a header line.
    Cached: the ways of finding records ask about the same lines again and again."""
    spans: list[tuple[int, int]] = []
    found = _month_date(text)
    if found:
        spans.append((found[1], found[2]))
    relative = relative_span(text)
    if relative is not None:
        spans.append(relative)
    for rx in (_ISO, _NUM, _NUM_COMMA):
        m = rx.search(text)
        if m:
            spans.append(m.span())
    first = year_first(text)
    if first:
        spans.append((first[1], first[2]))
    if not spans:
        month_day = _month_day(text)  # "Mar 4th at 10:15 PM": only where nothing else is a date
        if month_day:
            spans.append((month_day[2], month_day[3]))
    day_word = day_word_back(text)
    if day_word is not None:
        spans.append(day_word[1])
    ago = east_asian_ago(text)
    if ago is not None:
        spans.append(ago[1])
    if not spans:
        return None
    start = min(s for s, _ in spans)
    end = max(e for _, e in spans)
    t = _TIME.search(text, end)
    if t and t.start() - end < 12:
        end = t.end()
    elif (dotted := _DOT_TIME.match(text, end)) is not None:
        end = dotted.end()
    return start, end


def _time_after(text: str, pos: int) -> tuple[int, int, int, int] | None:
    """Hour, minute, second of the first time of day at or after ``pos`` (else anywhere), and
    where it ends."""
    m = _TIME.search(text, pos)
    if not m:
        m = _DOT_TIME.match(text, pos) if pos else None
        if not m:
            m = _TIME.search(text)
        if not m:
            return None
    hour, minute = int(m["H"]), int(m["M"])
    second = int(m["S"]) if m["S"] else 0
    end = m.end()
    ap = (m.groupdict().get("ap") or "").lower() or _east_asian_half(
        text[max(0, m.start() - 4) : m.start()]
    )
    if not ap:
        half = _CYRILLIC_HALF.match(text, end)
        if half:
            ap, end = ("a" if half[1].lower() == "дп" else "p"), half.end()
    if ap == "p" and hour < 12:
        hour += 12
    elif ap == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second, end


def _east_asian_half(before: str) -> str:
    """ "午後3:15", "下午3:15", "오후 3:15": the half of the day written before a time."""
    if re.search(r"(?:午後|下午|오후)\s*$", before):
        return "p"
    if re.search(r"(?:午前|上午|오전)\s*$", before):
        return "a"
    return ""


# the half of the day after a time in Russian and Ukrainian ("10:08 дп", "2:00 пп": до/після
# полудня), as WordPress' Russian and Ukrainian translations write its "a" format
_CYRILLIC_HALF = re.compile(r"\s?(дп|пп)(?!\w)", re.IGNORECASE)


# a zone written after the time: "16:20:00 GMT+0000", "10:00 UTC", "9:14 +02:00"
_ZONE = re.compile(
    r"\s*(?:(?P<name>GMT|UTC)(?:\s*(?P<o1>[+-]\d{1,2}(?::?\d{2})?))?|(?P<o2>[+-]\d{2}:?\d{2}))(?![\w:])"
)


def _zone_after(text: str, pos: int) -> tzinfo | None:
    us = US_ZONE.match(text, pos)
    if us:
        return timezone(timedelta(hours=US_ZONES[us.group(1).lower()]))
    named = ZONE_NAME.match(text, pos)
    if named:
        return timezone(timedelta(hours=ZONE_NAMES[named.group(1).lower()]))
    m = _ZONE.match(text, pos)
    if not m:
        return None
    raw = m["o1"] or m["o2"]
    if not raw:
        return UTC
    sign = -1 if raw[0] == "-" else 1
    digits = raw[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_visible_date(
    text: str,
    default_tz: tzinfo,
    captured_at: datetime | None = None,
    month_first: bool | None = False,
    year_hint: date | None = None,
) -> DateFound | None:
    """A date as displayed; None when ``text`` holds no date at all. ``year_hint`` (the
    article's day) gives the year to a date shown without one: the first on or after it."""
    text = " ".join(text.split())
    if not text:
        return None
    shown = _shown_day(text, month_first, year_hint)
    m = _ISO.search(text)
    # "(modified at 2021-03-05 10:41:17)" beside the date shown: that one is the comment's
    if m and not (shown is not None and edited_before(text, m.start())):
        found = _shown_iso(text, m, default_tz)
        if found is not None:
            return found
    if shown is None:
        return _relative(text, default_tz, captured_at)
    day, end = shown
    if not _possible(day):
        return DateFound(
            None,
            f"the date shown ({day.isoformat()}) cannot be a comment's: the web had no comments "
            f"before {_FIRST_YEAR}, and none is written in a year still to come; "
            "the comment is kept without a time",
        )
    hms = _time_after(text, end)
    if hms is None:
        value, reason = _aware(datetime(day.year, day.month, day.day), default_tz)
        return DateFound(value, reason, date_only=True)
    hour, minute, second, stop = hms
    zone = _zone_after(text, stop)
    value, reason = _aware(
        datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone), default_tz
    )
    return DateFound(value, reason)


def _shown_iso(text: str, m: re.Match[str], default_tz: tzinfo) -> DateFound | None:
    """An ISO day shown on the page, with the time as the page writes it after the day: on
    a 12-hour clock ("2013-07-18 07:35 PM", "2013-07-18 7:35pm") and in a zone named after it
    ("2013-07-18 19:35 UTC")."""
    found = parse_machine_date(m.group(0), default_tz)
    if found is None or found.value is None or m["z"]:
        return found
    day = found.value.date()
    if m["H"] is None:
        t = _TIME.search(text, m.end())
        if t is None or t.start() - m.end() > 4 or has_digit(text[m.end() : t.start()]):
            return found
        hms = _time_after(text, m.end())
    else:
        ap = _AM_PM.match(text, m.end())
        hour = int(m["H"])
        if ap and 1 <= hour <= 12:
            hour = hour % 12 + (12 if ap.group(1).lower() == "p" else 0)
        hms = (hour, int(m["M"]), int(m["S"] or 0), ap.end() if ap else m.end())
    if hms is None:
        return found
    hour, minute, second, stop = hms
    zone = _zone_after(text, stop)
    try:
        value = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
    except ValueError:
        return found
    value, reason = _aware(value, default_tz)
    return DateFound(value, reason)


_AM_PM = re.compile(r"\s?([ap])\.?\s?m\b\.?", re.IGNORECASE)


def _shown_day(
    text: str, month_first: bool | None, year_hint: date | None
) -> tuple[date, int] | None:
    """The day a text shows and where it ends: by month name, by numbers, or by month name
    without a year (then the first such day on or after ``year_hint``)."""
    found: list[tuple[date, int, int]] = []
    named = _month_date(text)
    if named:
        found.append(named)
    numeric = _numeric_day(text, month_first, year_hint)
    if numeric:
        found.append(numeric)
    first = year_first(text)
    if first:
        found.append(first)
    if found:
        # the first of the forms, as before: a month name, then numbers; a last-edited date
        # only where nothing else is shown
        fresh = [f for f in found if not edited_before(text, f[1])]
        day, _start, end = (fresh or found)[0]
        return day, end
    if year_hint is not None:
        month_day = _month_day(text)
        if month_day is not None:
            month, dd, _start, end = month_day
            year = year_hint.year + ((month, dd) < (year_hint.month, year_hint.day))
            try:
                return date(year, month, dd), end
            except ValueError:
                return None
    return None


def _numeric_day(
    text: str, month_first: bool | None, year_hint: date | None
) -> tuple[date, int, int] | None:
    """A day-and-month numeric date ("03/04/2021", "17.07, 2011"), read day or month first
    from what the text and page say: (day, start, end)."""
    m = _NUM.search(text) or _NUM_COMMA.search(text)
    if m:
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if y < 100:
            y += 2000 if y < 70 else 1900
        readings = [_day(y, b, a), _day(y, a, b)]  # day first, month first
        if month_first is None and US_ZONE.search(text, m.end()):
            month_first = True  # a time in a North American zone: a date written the US way
        if month_first and a <= 12:
            readings.reverse()
        if month_first is None or weekday_before(text, m.start()) is not None:
            # the weekday decides; where both readings fall on it (9 May and 5 September
            # 2021 are Sundays), the order the page writes in does, else day first
            readings.sort(key=lambda d: _unlikely(d, text, m.start(), year_hint))
        if readings[0] is not None:
            return readings[0], m.start(), m.end()
    return None


# Reader comments on web pages begin in the mid-1990s; a year before this one is a site's
# error (a garbled year, a placeholder), as is a year still to come. The bound is today, not
# the capture: a file's modification time can be far off (1980 from some zip tools).
_FIRST_YEAR = 1990


def _possible(day: date) -> bool:
    return _FIRST_YEAR <= day.year <= datetime.now(UTC).year + 1


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _unlikely(day: date | None, text: str, start: int, year_hint: date | None) -> int:
    """How badly one reading of a numeric date fits what else the page says (lower is
    better): the weekday written before it, then the article's day (a comment does not come
    before its article); a tie keeps the order the readings come in."""
    if day is None:
        return 9
    weekday = weekday_before(text, start)
    if weekday is not None:
        return 0 if day.weekday() == weekday else 8
    return 7 if year_hint is not None and day < year_hint else 1


def _relative(text: str, default_tz: tzinfo, captured_at: datetime | None) -> DateFound | None:
    delta = relative_delta(text)
    day_shift: int | None = None
    if delta is None:
        day_word = day_word_back(text)
        if day_word is None:
            return None
        day_shift = day_word[0]
    if captured_at is None:
        return DateFound(None, "relative date and no capture time")
    if captured_at.tzinfo is None:
        captured_at = captured_at.replace(tzinfo=default_tz)
    if delta is not None:
        return DateFound(captured_at - delta, RELATIVE_TO_CAPTURE, wall_clock=False)
    base = (captured_at.astimezone(default_tz) - timedelta(days=day_shift or 0)).date()
    hms = _time_after(text, 0)
    if hms is None:
        return DateFound(
            datetime(base.year, base.month, base.day, tzinfo=default_tz),
            RELATIVE_TO_CAPTURE,
            date_only=True,
        )
    return DateFound(
        datetime(base.year, base.month, base.day, *hms[:3], tzinfo=default_tz),
        RELATIVE_TO_CAPTURE,
    )


def parse_element_date(
    text: str,
    default_tz: tzinfo,
    captured_at: datetime | None = None,
    year_hint: date | None = None,
) -> DateFound | None:
    """A date that is the whole text of one small element of a comment's header, in the short
    forms that are a date only when they stand alone: "2d", "5h" (counted back from the
    capture) and a month and day without a year ("Apr 25", "25. April"; the year from
    ``year_hint``, the article's day, else the last such day before the capture)."""
    text = " ".join(text.split()).strip(" .,·•|")
    if not text or len(text) > 20:
        return None
    delta = compact_delta(text)
    if delta is not None:
        if captured_at is None:
            return DateFound(None, "relative date and no capture time")
        if captured_at.tzinfo is None:
            captured_at = captured_at.replace(tzinfo=default_tz)
        return DateFound(captured_at - delta, RELATIVE_TO_CAPTURE, wall_clock=False)
    toks = [t for t in (w.lower() for w in _WORDS.findall(text)) if t not in _ORDINAL]
    if len(toks) != 2:
        return None
    word, number = (toks[0], toks[1]) if toks[1].isdigit() else (toks[1], toks[0])
    month = _MONTHS.get(word)
    if month is None or len(word) < 3 or not number.isdigit() or len(number) > 2:
        return None
    day = int(number)
    if year_hint is not None:
        year = year_hint.year + ((month, day) < (year_hint.month, year_hint.day))
    elif captured_at is not None:
        year = captured_at.year - ((month, day) > (captured_at.month, captured_at.day))
    else:
        return None
    try:
        value, reason = _aware(datetime(year, month, day), default_tz)
    except ValueError:
        return None
    return DateFound(value, reason, date_only=True)
