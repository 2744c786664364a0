"""Publication dates from the values a page declares, with an honest time-zone rule.

A value that carries its zone keeps it. A value without one is read in the site's zone
(``default_tz``) and the reason says so; a value that is not a date is skipped.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from datetime import UTC, date, datetime, tzinfo
from urllib.parse import urlsplit

from dateutil import parser as dateparser
from lxml.html import HtmlElement

from corpsearch.extract.date_forms import MORE_MONTH_NAMES
from corpsearch.extract.date_names import US_ZONES, weekday_before
from corpsearch.extract.metadata import drop_comment_sections

__all__ = [
    "choose_date",
    "date_from_url",
    "day_order",
    "guessed_date",
    "is_ambiguous",
    "parse_date",
    "shown_date",
    "shows_us_zone",
]

_NUMERIC_TS = re.compile(r"^\d{10}(\d{3})?$")
# /2019/04/09/slug, and /2010/POLITICS/08/13/slug (a section between the year and the month)
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/-](?:[A-Za-z][\w-]*/)?(0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|\b)"
    # /20190409/slug, /news-20190409-slug, /story_20190409.html: eight digits standing alone
    r"|[/_-]((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
)
_HAS_TIME = re.compile(r"\d{1,2}:\d\d")
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)


def _zone_name(tz: tzinfo) -> str:
    return str(getattr(tz, "key", None) or tz.tzname(None) or tz)


def parse_date(
    value: str, default_tz: tzinfo, *, day_first: bool | None = None
) -> tuple[datetime, bool] | None:
    """``(aware datetime, zone_assumed)`` for one declared value, or None if it is no date.
    ``day_first`` is how the page orders numeric dates ("05/06/2019"), when it says."""
    value = value.strip()
    if not value or len(value) > 64:
        return None
    try:
        if _NUMERIC_TS.match(value):
            seconds = int(value[:10])
            return datetime.fromtimestamp(seconds, UTC), False
        try:
            parsed = dateparser.isoparse(value)
        except (ValueError, OverflowError):
            with warnings.catch_warnings():
                # an unknown zone name leaves the value naive; the default zone applies then
                warnings.simplefilter("ignore", dateparser.UnknownTimezoneWarning)
                parsed = dateparser.parse(value, fuzzy=False, dayfirst=bool(day_first))
    except (ValueError, OverflowError, TypeError):
        return None
    assumed = parsed.tzinfo is None or parsed.utcoffset() is None
    if assumed:
        parsed = parsed.replace(tzinfo=default_tz)
    now = datetime.now(UTC)
    if not _EARLIEST <= parsed.astimezone(UTC) <= now.replace(year=now.year + 1):
        return None
    return parsed, assumed


def date_from_url(url: str | None) -> str | None:
    """``YYYY-MM-DD`` from a URL path such as ``/2019/04/09/slug``, else None."""
    if not url:
        return None
    match = _URL_DATE.search(urlsplit(url).path)
    if match is None:
        return None
    return "-".join(g for g in match.groups() if g is not None)


def choose_date(
    sources: Iterable[tuple[str, Iterable[str]]],
    default_tz: tzinfo,
    *,
    url_day: str | None = None,
    day_first: bool | None = None,
) -> tuple[datetime | None, str | None]:
    """The best declared value, from sources given in order of trust.

    The first value that parses wins, except that a value on the day a dated URL names
    (``/2019/04/09/``) is preferred to others, and a URL day beats values from weak sources
    (any source after the first). Returns the datetime and, when it is None or its zone was
    assumed, the reason.
    """
    found: list[tuple[int, datetime, bool, str, str]] = []
    seen_bad: list[str] = []
    for rank, (label, values) in enumerate(sources):
        for value in values:
            result = parse_date(value, default_tz, day_first=day_first)
            if result is None:
                seen_bad.append(value)
            else:
                found.append((rank, result[0], result[1], label, value))
    if url_day:
        agreeing = [f for f in found if f[1].date().isoformat() == url_day]
        if agreeing:
            found = agreeing
        elif not found or found[0][0] > 0:
            parsed = datetime.fromisoformat(url_day).replace(tzinfo=default_tz)
            return parsed, (
                f"only the day is known (from the URL); read in {_zone_name(default_tz)}"
            )
    if found:
        _rank, parsed, assumed, label, value = found[0]
        if not assumed:
            return parsed, None
        detail = "no time" if not _HAS_TIME.search(value) else "no time zone"
        return parsed, f"{label} {value!r} has {detail}; read in {_zone_name(default_tz)}"
    if seen_bad:
        return None, f"no readable publication date (unreadable: {seen_bad[0][:40]!r})"
    return None, "the page declares no publication date"


_MONTHS = {
    name: number
    for number, names in enumerate(
        # en, de, fr, es, it, pt, nl, da, pl, ru: names, inflected forms, abbreviations
        [
            "january jan januar jänner janvier enero gennaio janeiro januari stycznia января янв",
            "february feb februar février fevrier febrero febbraio fevereiro februari lutego "
            "февраля фев",
            "march mar märz maerz mars marzo março maart marts marca марта мар",
            "april apr avril abril aprile kwietnia апреля апр",
            "may mai mayo maggio maio mei maj maja мая",
            "june jun juni juin junio giugno junho czerwca июня июн",
            "july jul juli juillet julio luglio julho lipca июля июл",
            "august aug août aout agosto augustus sierpnia августа авг",
            "september sep sept septembre septiembre settembre setembro września сентября сен",
            "october oct oktober octobre octubre ottobre outubro października октября окт",
            "november nov novembre noviembre novembro listopada ноября ноя",
            "december dec dezember décembre decembre diciembre dicembre dezembro grudnia "
            "декабря дек",
        ],
        start=1,
    )
    for name in names.split()
} | {
    # and the languages comment dates are read in (cs, tr, ro, uk, ca, hu, fi, id, sv, …), so
    # that a dateline in any of them orders the page's own day as a comment's date is read
    name: number
    for number, names in enumerate(MORE_MONTH_NAMES, start=1)
    for name in names.split()
}
_MONTH = r"(?P<month>[^\W\d_]{3,10})\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º)?\.?"
_TIME = (
    r"(?:,?\s*(?:at|à|um|a las|[-–|·])?\s*(?P<hour>[0-2]?\d)[:h](?P<minute>[0-5]\d)"
    r"\s*(?P<ampm>[ap]\.?m\.?)?"
)
# UTC, or a North American zone's name in capitals ("4:30 PM PST"; "ET" and "PT" name no
# one offset and are left out)
_ZONE = r"(?:\s*(?P<zone>UTC|GMT|Z|(?-i:EST|EDT|CST|CDT|MST|MDT|PST|PDT|AKST|AKDT|HST)\b))?)?"
_SHOWN = [
    re.compile(rf"\b{_DAY}\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}{_TIME}{_ZONE}", re.I),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}{_TIME}{_ZONE}", re.I),
    re.compile(
        r"\b(?P<a>[0-3]?\d)[./](?P<b>[0-3]?\d)[./](?P<y>(?:19|20)?\d\d)\b" + _TIME + _ZONE, re.I
    ),
    # year first, with dashes or slashes ("2021-03-03", "2021/03/03 10:00")
    re.compile(r"\b(?P<y>(?:19|20)\d\d)([-/])(?P<b>[01]\d)\2(?P<a>[0-3]\d)\b" + _TIME + _ZONE),
    # year, month and day with their East Asian signs: "2021年03月02日", "2021년 3월 2일"
    re.compile(
        r"(?P<y>(?:19|20)\d\d)\s*[年년]\s*(?P<b>[01]?\d)\s*[月월]\s*(?P<a>[0-3]?\d)\s*[日일]?"
        + _TIME
        + _ZONE
    ),
    # day, month and a four-digit year with dashes ("03-03-2021")
    re.compile(r"\b(?P<a>[0-3]?\d)-(?P<b>[01]?\d)-(?P<y>(?:19|20)\d\d)\b" + _TIME + _ZONE),
    # the year first with its full stop, as Hungarian writes it ("2021. március 3.")
    re.compile(rf"\b{_YEAR}\.\s+{_MONTH}\s+{_DAY}(?!\d){_TIME}{_ZONE}", re.I),
    # the day, the month's name and the year each closed by a comma, as Latin American news
    # sites write their dateline ("26, Abril, 2022"); both commas, so that a list's "3, May
    # 2019" stays unread
    re.compile(rf"\b{_DAY},\s+{_MONTH},\s+{_YEAR}{_TIME}{_ZONE}", re.I),
]
_NAMED = [pattern for pattern in _SHOWN if "month" in pattern.groupindex]
# what a text must hold for the last two forms to be looked for at all (most hold neither)
_NEEDS = {_SHOWN[5]: "-", _SHOWN[6]: "."}


def shown_date(text: str, *, day_first: bool = True, named_only: bool = False) -> str | None:
    """The first complete date written in ``text``, as an ISO string (zone only when shown);
    with ``named_only``, only a date that names its month."""
    best: tuple[int, str] | None = None
    for number, pattern in enumerate(_NAMED if named_only else _SHOWN):
        needs = _NEEDS.get(pattern)
        if needs is not None and needs not in text:
            continue
        match = pattern.search(text)
        if not match or (best and best[0] <= match.start()):
            continue
        parts = match.groupdict()
        if "month" in parts:
            month = _MONTHS.get(parts["month"].lower())
            year, day = int(parts["year"]), int(parts["day"])
        else:
            a, b, y = int(parts["a"]), int(parts["b"]), int(parts["y"])
            year = y + 2000 if y < 100 else y
            if number in (3, 4) or a > 12:  # year first: the day is last
                day, month = a, b
            elif b > 12 or not _day_first_here(text, match.start(), year, a, b, day_first):
                day, month = b, a
            else:
                day, month = a, b
        if not month or not 1 <= day <= 31 or month > 12:
            continue
        value = f"{year:04d}-{month:02d}-{day:02d}"
        if parts.get("hour"):
            hour = int(parts["hour"])
            ampm = (parts.get("ampm") or "").lower()
            if ampm.startswith("p") and hour < 12:
                hour += 12
            elif ampm.startswith("a") and hour == 12:
                hour = 0
            if hour < 24:
                value += f"T{hour:02d}:{parts['minute']}"
                zone = (parts.get("zone") or "").lower()
                if zone in US_ZONES:
                    value += f"{US_ZONES[zone]:+03d}:00"
                elif zone:
                    value += "+00:00"
        best = (match.start(), value)
    return best[1] if best else None


def _day_first_here(text: str, start: int, year: int, a: int, b: int, day_first: bool) -> bool:
    """Whether "a/b/year" reads day first: the weekday written before it says so where only
    one reading falls on it ("Tue, 03/02/2021" is 2 March), else the page's order."""
    weekday = weekday_before(text, start)
    if weekday is not None:
        fits = [_weekday_of(year, month, day) == weekday for month, day in ((b, a), (a, b))]
        if fits[0] != fits[1]:
            return fits[0]
    return day_first


def _weekday_of(year: int, month: int, day: int) -> int | None:
    try:
        return date(year, month, day).weekday()
    except ValueError:
        return None


# a numeric date whose order of day and month is open: two numbers up to 12
_AMBIGUOUS = re.compile(r"^\s*([01]?\d)[./-]([01]?\d)[./-]((?:19|20)?\d\d)\b")
_NUMERIC_SHOWN = re.compile(
    r"(?<![\d.:/-])([0-3]?\d)[./-]([0-3]?\d)[./-]((?:19|20)?\d\d)(?![\d/-]|:\d)"
)


def is_ambiguous(value: str) -> bool:
    """A value such as "05/06/2019" that reads as a date either way round."""
    match = _AMBIGUOUS.match(value)
    if match is None:
        return False
    a, b = int(match.group(1)), int(match.group(2))
    return a != b and a > 0 and b > 0


def day_order(texts: Iterable[str], values: Iterable[str] = ()) -> bool | None:
    """How the page orders day and month in numeric dates: True day first, False month first,
    None when its text does not say. Evidence, strongest first: a date the page writes with
    the month's name that is one reading of an ambiguous ``values`` entry ("05/06/2019" and
    "June 5, 2019" on one page); a numeric date of the page that reads one way only
    ("25/06/2019")."""
    texts = [t for t in texts if t]
    readings = []
    for value in values:
        match = _AMBIGUOUS.match(value)
        if match and is_ambiguous(value):
            a, b, y = (int(g) for g in match.groups())
            year = y + 2000 if y < 100 else y
            readings.append((f"{year:04d}-{b:02d}-{a:02d}", f"{year:04d}-{a:02d}-{b:02d}"))
    if readings:
        written = {d[:10] for d in (shown_date(t, named_only=True) for t in texts) if d}
        for day_first_reading, month_first_reading in readings:
            if day_first_reading in written and month_first_reading not in written:
                return True
            if month_first_reading in written and day_first_reading not in written:
                return False
    for text in texts:
        for match in _NUMERIC_SHOWN.finditer(text):
            a, b = int(match.group(1)), int(match.group(2))
            if a > 12 >= b >= 1:
                return True
            if b > 12 >= a >= 1:
                return False
    return None


# a US zone's abbreviation after a clock time ("6:05 PM EST", "9:24 pm ET"): a page that writes
# its times so writes its numeric dates month first
_US_ZONE = re.compile(
    r"(?:\d:\d\d\s*(?:[aApP]\.?[mM]\.?)?|\d\s*[aApP]\.?[mM]\.?)\s*"
    r"(?:[ECMP][SD]?T|AK[SD]T|H[SD]T)\b"
)


def shows_us_zone(texts: Iterable[str]) -> bool:
    """Whether a short text of the page gives a clock time in a US zone."""
    return any(len(t) <= 100 and _US_ZONE.search(t) for t in texts)


def guessed_date(tree: HtmlElement) -> str | None:
    """A date written on the page (htmldate's heuristics), as ``YYYY-MM-DD``."""
    from htmldate import find_date

    drop_comment_sections(tree)  # their dates are the readers', not the article's
    try:
        return find_date(tree, extensive_search=False, original_date=True)
    except Exception:  # third-party code: a failure means no date from the text
        return None
