"""Date values in queries: what instant range a written date stands for.

A date written to some precision stands for the whole of that period: ``2014`` is the year,
``2014-09`` the month, ``2014-09-13`` the day, ``2014-09-13T14:00`` the minute. Values without a
zone are read in the zone the user gives (``--tz``), default UTC. ``now``, ``now-7d`` and
``now+1h`` are relative to the time of the query (units s, m, h, d, w, M, y).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

__all__ = [
    "FIRST_INSTANT",
    "LAST_INSTANT",
    "SUPPORTED_RANGE",
    "DateOutOfRange",
    "Period",
    "parse_loose_period",
    "parse_period",
]

# The instants a date can name: Python's datetime covers years 1 to 9999. A period reaching past
# either end is cut there (9999-12-31 is a valid day, whose end is the last instant); a relative
# date beyond them is refused with :class:`DateOutOfRange`.
FIRST_INSTANT = datetime.min.replace(tzinfo=UTC)
LAST_INSTANT = datetime.max.replace(tzinfo=UTC)
SUPPORTED_RANGE = "dates run from 0001-01-01 to 9999-12-31"
# More digits than any step within the range needs (years 1 to 9999 in seconds take 12).
_MAX_STEP_DIGITS = 15


class DateOutOfRange(ValueError):  # noqa: N818 - a ValueError, named for what it says
    """A date that lies outside :data:`FIRST_INSTANT` .. :data:`LAST_INSTANT`."""


_ISO = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<mo>\d{1,2})(?:-(?P<d>\d{1,2})"
    r"(?:[T ](?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,6}))?)?"
    r"(?P<z>Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)
_RELATIVE = re.compile(r"^now(?:(?P<sign>[+-])(?P<n>\d+)(?P<unit>[smhdwMy]))?$")
# The units of now-7d and the like, as relativedelta names them.
_UNITS = {
    "s": "seconds",
    "m": "minutes",
    "h": "hours",
    "d": "days",
    "w": "weeks",
    "M": "months",
    "y": "years",
}


@dataclass(frozen=True, slots=True)
class Period:
    """``start <= t < end``, both UTC."""

    start: datetime
    end: datetime


def parse_period(text: str, zone: tzinfo, now: datetime) -> Period | None:
    """The period an ISO-style or relative date stands for, or None if it is not one."""
    relative = _RELATIVE.match(text)
    if relative:
        instant = now
        if relative.group("n"):
            digits = relative.group("n")
            try:
                if len(digits) > _MAX_STEP_DIGITS:
                    raise OverflowError(digits)
                step = _step(_UNITS[relative.group("unit")], int(digits))
                instant = now + step if relative.group("sign") == "+" else now - step
            except (OverflowError, ValueError) as error:
                raise DateOutOfRange(f"{text!r} is outside the supported range") from error
        instant = instant.astimezone(UTC)
        return Period(instant, _later(instant, timedelta(seconds=1)))
    match = _ISO.match(text)
    if not match:
        return None
    g = match.groupdict()
    try:
        if g["z"]:
            zone = _offset(g["z"])
        start = datetime(
            int(g["y"]),
            int(g["mo"] or 1),
            int(g["d"] or 1),
            int(g["h"] or 0),
            int(g["mi"] or 0),
            int(g["s"] or 0),
            int((g["f"] or "0").ljust(6, "0")),
        )
    except ValueError:
        return None
    if g["f"]:
        step = _step("microseconds")
    elif g["s"]:
        step = _step("seconds")
    elif g["mi"]:
        step = _step("minutes")
    elif g["d"]:
        step = _step("days")
    elif g["mo"]:
        step = _step("months")
    else:
        step = _step("years")
    return _localised(start, _later(start, step), zone)


def parse_loose_period(text: str, zone: tzinfo, now: datetime) -> Period | None:
    """Like :func:`parse_period`, and also anything python-dateutil reads ("13 Sep 2014")."""
    period = parse_period(text.strip(), zone, now)
    if period is not None:
        return period
    # dateutil's parser takes a while to import and only --since/--until in loose words need it
    from dateutil import parser as dateutil_parser

    try:
        first = dateutil_parser.parse(text, default=datetime(2000, 1, 1, 0, 0, 0))
        second = dateutil_parser.parse(text, default=datetime(2001, 2, 2, 1, 1, 1))
    except (ValueError, OverflowError):
        return None
    # Parts the text did not give take the default; two different defaults show which they are.
    given = [getattr(first, unit) == getattr(second, unit) for unit in _PARTS]
    finest = max((i for i, present in enumerate(given) if present), default=0)
    start = first.replace(**{unit: _FLOOR[unit] for unit in _PARTS[finest + 1 :]})
    zone = first.tzinfo or zone
    naive = start.replace(tzinfo=None)
    return _localised(naive, _later(naive, _step(_PARTS[finest] + "s")), zone)


_PARTS = ("year", "month", "day", "hour", "minute", "second")
_FLOOR = {"month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0}


def _step(unit: str, count: int = 1) -> relativedelta:
    """``count`` of ``unit`` (a relativedelta name), calendar-aware: a month from 31 January is
    the end of February. dateutil is imported here, when a query has a date in it."""
    from dateutil.relativedelta import relativedelta

    return relativedelta(**{unit: count})


def _later(start: datetime, step: relativedelta | timedelta) -> datetime:
    """``start + step``, or the last instant where that lies past year 9999."""
    try:
        return start + step
    except (OverflowError, ValueError):
        return LAST_INSTANT.replace(tzinfo=start.tzinfo) if start.tzinfo else datetime.max


def _localised(start: datetime, end: datetime, zone: tzinfo) -> Period:
    return Period(_utc(start, zone), _utc(end, zone))


def _utc(moment: datetime, zone: tzinfo) -> datetime:
    """``moment`` (naive, in ``zone``) in UTC, held within the supported range: 0001-01-01 in a
    zone east of UTC begins in year 0, 9999-12-31 west of it ends in year 10000."""
    if moment.tzinfo is not None:
        zone = moment.tzinfo
    try:
        return moment.replace(tzinfo=zone).astimezone(UTC)
    except (OverflowError, ValueError):
        return FIRST_INSTANT if moment.year == 1 else LAST_INSTANT


def _offset(text: str) -> tzinfo:
    if text == "Z":
        return UTC
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
