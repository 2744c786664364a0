"""Names pages write around a date: weekdays before it ("Tue, 03/02/2021", "Mi., 03.02.2021"),
which tell which of a numeric date's two readings is meant, North American zone names after
its time ("3:45pm EST"), and the month names of the Cyrillic-writing languages beside Russian
and Ukrainian ("15 август 2015", "3 јануара 2021")."""

from __future__ import annotations

import re

__all__ = [
    "SLAVIC_MONTH_NAMES",
    "US_ZONE",
    "US_ZONES",
    "ZONE_NAME",
    "ZONE_NAMES",
    "month_first_by_language",
    "region_offsets",
    "weekday_before",
    "weekday_start",
]

# month names of Bulgarian, Macedonian, Serbian (Cyrillic and Latin, with the genitive forms
# dates print: "3. јануара 2021"), Belarusian, and the Ukrainian and Russian abbreviations:
# one line a month, joined to date_forms' MORE_MONTH_NAMES
SLAVIC_MONTH_NAMES = (
    "януари ян јануари јануар јануара januar januara студзеня студзень січ",
    "февруари фев февр фебруари фебруар фебруара februar februara лютага люты лют",
    "март мар марта mart marta сакавіка сакавік бер",
    "април апр априла april aprila красавіка красавік квіт",
    "май мај маја maj maja мая травень трав",
    "юни јуни јун јуна jun juna чэрвеня чэрвень черв",
    "юли јули јул јула jul jula ліпеня ліпень лип",
    "август авг августа avgust avgusta жніўня жнівень серп",
    "септември сеп септ септембар септембра septembar septembra верасня верасень вер",
    "октомври окт октобар октобра oktobar oktobra кастрычніка кастрычнік жовт",
    "ноември ное ноем новембар новембра novembar novembra лістапада лістапад лист",
    "декември дек децембар децембра decembar decembra снежня снежань груд",
)


# weekday names and abbreviations (en, de, fr, es, it, nl, pt, pl, ru, sv, cs, tr, ro, id, uk,
# ca), Monday first
_WEEKDAY_NAMES = (
    "monday mon montag mo lundi lun lunes lunedì maandag ma segunda seg segunda-feira "
    "poniedziałek pon понедельник пн måndag pondělí pazartesi luni senin понеділок dilluns",
    "tuesday tue tues dienstag di mardi mar martes martedì dinsdag terça ter terça-feira "
    "wtorek wt вторник вт tisdag úterý salı marți selasa вівторок dimarts",
    "wednesday wed mittwoch mi mercredi mer miércoles mié mercoledì woensdag wo quarta qua "
    "quarta-feira środa śr среда ср onsdag středa çarşamba miercuri rabu середа dimecres",
    "thursday thu thur thurs donnerstag do jeudi jeu jueves jue giovedì gio donderdag quinta qui "
    "quinta-feira czwartek czw четверг чт torsdag čtvrtek perşembe joi kamis четвер dijous",
    "friday fri freitag fr vendredi ven viernes vie venerdì vrijdag vr sexta sex sexta-feira "
    "piątek pt пятница пт fredag pátek cuma vineri jumat пʼятниця п'ятниця divendres",
    "saturday sat samstag sa samedi sam sábado sáb sabato sab zaterdag za sobota sob суббота сб lördag cumartesi sâmbătă sabtu субота dissabte",
    "sunday sun sonntag so dimanche dim domingo dom domenica zondag zo niedziela niedz "
    "воскресенье вс söndag neděle pazar duminică minggu неділя diumenge",
)
_WEEKDAYS = {name: i for i, names in enumerate(_WEEKDAY_NAMES) for name in names.split()}
_WEEKDAY_BEFORE = re.compile(r"([^\W\d_]{2,12}(?:-feira)?)\.?,?\s*$")


def weekday_before(text: str, start: int) -> int | None:
    """The weekday (0 is Monday) a text names just before ``start`` ("Tue, 03/02/2021")."""
    m = _WEEKDAY_BEFORE.search(text, max(0, start - 14), start)
    return _WEEKDAYS.get(m.group(1).lower()) if m else None


def weekday_start(text: str, start: int) -> int:
    """Where a date that starts at ``start`` really starts: at the weekday written before it."""
    m = _WEEKDAY_BEFORE.search(text, max(0, start - 14), start)
    return m.start() if m and m.group(1).lower() in _WEEKDAYS else start


# North American zone names as pages print them after a time ("3:45pm EST"); standard and
# daylight time each name their own offset
US_ZONES = {
    "est": -5,
    "edt": -4,
    "cst": -6,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
    "akst": -9,
    "akdt": -8,
    "hst": -10,
}
US_ZONE = re.compile(r"\s*\b(EST|EDT|CST|CDT|MST|MDT|PST|PDT|AKST|AKDT|HST)\b")

# zone names of Europe and the Asia-Pacific as pages print them after a time ("14:05 CET",
# "9:30 Uhr MESZ", "10:00 JST"), in hours; names used for more than one zone (IST, AST) are left
# out, as a wrong offset is worse than the page's own
ZONE_NAMES = {
    "wet": 0.0,
    "west": 1.0,
    "bst": 1.0,
    "cet": 1.0,
    "mez": 1.0,
    "cest": 2.0,
    "mesz": 2.0,
    "eet": 2.0,
    "eest": 3.0,
    "msk": 3.0,
    "jst": 9.0,
    "kst": 9.0,
    "hkt": 8.0,
    "sgt": 8.0,
    "awst": 8.0,
    "acst": 9.5,
    "acdt": 10.5,
    "aest": 10.0,
    "aedt": 11.0,
    "nzst": 12.0,
    "nzdt": 13.0,
}
# written in capitals, as zone names are: "cet" is a French word
ZONE_NAME = re.compile(
    r"\s*(?:[Uu]hr\s+)?\(?\b("
    + "|".join(sorted((name.upper() for name in ZONE_NAMES), key=len, reverse=True))
    + r")\b\)?"
)


# the regions whose numeric dates put the month first (the United States and the places that
# write dates its way); elsewhere the day comes first, and a language without a region says nothing
_MONTH_FIRST_REGIONS = frozenset(["us", "um", "as", "gu", "mp", "pr", "vi", "ph", "fm", "mh", "pw"])
_LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:[-_]([a-z]{4}))?(?:[-_]([a-z]{2}|\d{3}))?\b", re.I)


def month_first_by_language(lang: str | None) -> bool | None:
    """True when the page's language tag (``<html lang="en-US">``) names a region that writes
    numeric dates month first; None otherwise, as the day-first reading is already the default
    and a language alone ("en") is written both ways."""
    m = _LANGUAGE_TAG.match((lang or "").strip())
    if m and m.group(3) and m.group(3).lower() in _MONTH_FIRST_REGIONS:
        return True
    return None


# the offsets from UTC (hours, standard time to summer time) of the regions pages most often
# name in their language tag ("id-ID", "en_GB"): the zones a page of that region can show
# its day in
_REGION_OFFSETS = {
    "us": (-10.0, -4.0), "ca": (-8.0, -2.5), "mx": (-8.0, -5.0), "br": (-5.0, -2.0),
    "ar": (-3.0, -3.0), "cl": (-6.0, -3.0), "co": (-5.0, -5.0), "pe": (-5.0, -5.0),
    "gb": (0.0, 1.0), "ie": (0.0, 1.0), "pt": (-1.0, 1.0), "es": (0.0, 2.0), "fr": (1.0, 2.0),
    "de": (1.0, 2.0), "it": (1.0, 2.0), "nl": (1.0, 2.0), "be": (1.0, 2.0), "ch": (1.0, 2.0),
    "at": (1.0, 2.0), "se": (1.0, 2.0), "no": (1.0, 2.0), "dk": (1.0, 2.0), "pl": (1.0, 2.0),
    "cz": (1.0, 2.0), "hu": (1.0, 2.0), "fi": (2.0, 3.0), "gr": (2.0, 3.0), "ro": (2.0, 3.0),
    "ua": (2.0, 3.0), "il": (2.0, 3.0), "eg": (2.0, 3.0), "za": (2.0, 2.0), "tr": (3.0, 3.0),
    "ru": (2.0, 12.0), "ke": (3.0, 3.0), "ng": (1.0, 1.0), "in": (5.5, 5.5), "pk": (5.0, 5.0),
    "bd": (6.0, 6.0), "th": (7.0, 7.0), "vn": (7.0, 7.0), "id": (7.0, 9.0), "my": (8.0, 8.0),
    "sg": (8.0, 8.0), "ph": (8.0, 8.0), "cn": (8.0, 8.0), "hk": (8.0, 8.0), "tw": (8.0, 8.0),
    "jp": (9.0, 9.0), "kr": (9.0, 9.0), "au": (8.0, 11.0), "nz": (12.0, 13.0),
}  # fmt: skip


def region_offsets(languages: list[str]) -> tuple[float, float] | None:
    """The westmost and eastmost offsets (hours) of the region the page's first language tag
    with a region names ("id-ID": Indonesia, +7 to +9); None when none names a known one."""
    for lang in languages:
        m = _LANGUAGE_TAG.match((lang or "").strip())
        if m and m.group(3):
            return _REGION_OFFSETS.get(m.group(3).lower())
    return None
