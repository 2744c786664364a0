"""Weekday names as pages write them before a date ("Tue, 03/02/2021", "Mi., 03.02.2021"):
the weekday tells which of a numeric date's two readings is meant."""

from __future__ import annotations

import re

__all__ = ["weekday_before"]

# weekday names and abbreviations (en, de, fr, es, it, nl, pt), Monday first
_WEEKDAY_NAMES = (
    "monday mon montag mo lundi lun lunes lunedì maandag ma segunda seg",
    "tuesday tue tues dienstag di mardi mar martes martedì dinsdag terça ter",
    "wednesday wed mittwoch mi mercredi mer miércoles mié mercoledì woensdag wo quarta qua",
    "thursday thu thur thurs donnerstag do jeudi jeu jueves jue giovedì gio donderdag quinta qui",
    "friday fri freitag fr vendredi ven viernes vie venerdì vrijdag vr sexta sex",
    "saturday sat samstag sa samedi sam sábado sáb sabato sab zaterdag za",
    "sunday sun sonntag so dimanche dim domingo dom domenica zondag zo",
)
_WEEKDAYS = {name: i for i, names in enumerate(_WEEKDAY_NAMES) for name in names.split()}
_WEEKDAY_BEFORE = re.compile(r"([^\W\d_]{2,10})\.?,?\s*$")


def weekday_before(text: str, start: int) -> int | None:
    """The weekday (0 is Monday) a text names just before ``start`` ("Tue, 03/02/2021")."""
    m = _WEEKDAY_BEFORE.search(text, max(0, start - 14), start)
    return _WEEKDAYS.get(m.group(1).lower()) if m else None
