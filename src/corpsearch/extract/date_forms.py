"""Date shapes beside the day-and-month forms of :mod:`corpsearch.extract.comment_dates`, and
the words that make a date a last-edited one.

Year-first numeric dates ("2021/03/04", "2021.03.04", as Japanese, Chinese, Korean, Hungarian
and Swedish sites print them) and East Asian dates ("2021年03月04日", "2021년 3월 4일") are
never ambiguous: the year comes first, then the month. A date after "modified at", "aangepast
op:", "zuletzt bearbeitet am" or "編集" is when a comment last changed, not when it was
written, so a reader of the creation time passes over it while another date is shown.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from corpsearch.extract.date_names import SLAVIC_MONTH_NAMES

__all__ = [
    "JUST_NOW",
    "MORE_MONTH_NAMES",
    "east_asian_ago",
    "edited_before",
    "edited_note",
    "has_digit",
    "only_edit_words",
    "year_first",
]

_DECIMAL = re.compile(r"\d")


def has_digit(text: str) -> bool:
    """``any(ch.isdigit() for ch in text)``, the same answer without a Python step per
    character: a decimal digit (what _DECIMAL finds) is a digit, and beyond ASCII, where
    superscripts and the like are digits too, each character is asked."""
    if _DECIMAL.search(text) is not None:
        return True
    return not text.isascii() and any(map(str.isdigit, text))


# 2021/03/04, 2021.3.4: the separator repeated, no digit or further separator glued on
_YEAR_FIRST = re.compile(
    r"(?<![\d.:/])(?P<y>(?:19|20)\d{2})(?P<sep>[./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d/])"
)
# 2021年3月4日, 2021년 3월 4일, with the weekday in brackets after it ("(木)", "（水）")
_EAST_ASIAN = re.compile(
    r"(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]?"
    r"(?:\s*[(（][^)）]{1,3}[)）])?"
)


def year_first(text: str) -> tuple[date, int, int] | None:
    """The first year-first date of ``text``: (day, start, end)."""
    found: list[tuple[date, int, int]] = []
    for rx in (_EAST_ASIAN, _YEAR_FIRST):
        for m in rx.finditer(text):
            try:
                found.append((date(int(m["y"]), int(m["m"]), int(m["d"])), m.start(), m.end()))
            except ValueError:
                continue
            break
    return min(found, key=lambda f: f[1]) if found else None


# words before a last-edited time, in the languages of the month names; a preposition or a
# colon may stand between them and the date ("edited on", "modifié le", "aangepast op:")
_EDIT_WORDS = (
    r"edited|modified|updated|changed|last edit(?:ed)?|bearbeitet|geändert|aktualisiert|"
    r"editiert|modifié|mis à jour|édité|editado|modificado|actualizado|modificato|aggiornato|"
    r"aangepast|gewijzigd|bewerkt|bijgewerkt|edytowany|edytowano|zmieniony|zmieniono|"
    r"zmodyfikowany|изменено|изменён|изменен|отредактировано|редактировалось|編集|更新|수정"
)
_EDITED_BEFORE = re.compile(
    rf"(?:{_EDIT_WORDS})[\s:,.]*(?:(?:on|at|am|um|le|el|il|op|em|den|à|a las|alle|o|w|в)"
    r"[\s:]*)?(?:日時[\s:：]*)?$",
    re.IGNORECASE,
)


def edited_before(text: str, start: int) -> bool:
    """The date at ``start`` follows the words of a last-edited time."""
    before = text[max(0, start - 40) : start].rstrip(" \t([（")
    return _EDITED_BEFORE.search(before) is not None


def only_edit_words(text: str) -> bool:
    """``text`` is nothing but the words of a last-edited time ("Updated:", "modifié le")."""
    return _EDITED_BEFORE.match(text.strip(" \t([（")) is not None


def edited_note(line: str, span: tuple[int, int] | None) -> bool:
    """A short line that is only a last-edited note ("(aangepast op: 05-03-2021)", "Edited
    March 4, 2021"): the edit words, the date and brackets, nothing of a sentence."""
    if span is None or len(line) > 80 or not edited_before(line, span[0]):
        return False
    rest = (line[: span[0]] + line[span[1] :]).strip(" ()[]（）:.,")
    m = _EDITED_BEFORE.search(rest)
    if m is not None:
        rest = rest[: m.start()].strip(" ()[]（）:.,")
    return len(rest.split()) <= 2


# month names of more languages than comment_dates' table (sv, cs, tr, ro, id, uk, ca, hu, fi,
# and date_names' bg, mk, sr, be): full names and their genitive forms as dates print them,
# one line a month
_MORE_MONTH_NAMES = (
    "ledna leden ocak ianuarie січня січень gener január tammikuuta",
    "februari února únor şubat subat februarie лютого лютий febrer február helmikuuta",
    "mars března březen mart martie maret березня березень març március maaliskuuta",
    "dubna duben nisan aprilie квітня квітень április huhtikuuta",
    "maj května květen mayıs mayis mei травня травень maig május toukokuuta",
    "června červen haziran iunie juni червня червень juny június kesäkuuta",
    "července červenec temmuz iulie juli липня липень juliol július heinäkuuta",
    "augusti srpna srpen ağustos agustus серпня серпень agost augusztus elokuuta",
    "září eylül septembrie вересня вересень setembre szeptember syyskuuta",
    "října říjen ekim octombrie oktober жовтня жовтень octubre október lokakuuta",
    "listopadu listopad kasım kasim noiembrie листопада листопад novembre marraskuuta",
    "prosince prosinec aralık aralik decembrie desember грудня грудень desembre joulukuuta",
)
MORE_MONTH_NAMES = tuple(
    f"{names} {slavic}" for names, slavic in zip(_MORE_MONTH_NAMES, SLAVIC_MONTH_NAMES, strict=True)
)

# "3時間前", "2日前" (Japanese), "3小时前", "2天前" (Chinese), "3시간 전", "2일 전" (Korean)
_EAST_ASIAN_AGO = re.compile(
    r"(?P<n>\d{1,3})\s*(?P<u>秒|分钟|分|時間|小时|小時|日|天|週間|周|週|か月|ヶ月|个月|個月|年|"
    r"초|분|시간|일|주|개월|달|년)\s*(?:前|전)"
)
_EAST_ASIAN_UNITS = {
    **dict.fromkeys(["秒", "초"], timedelta(seconds=1)),
    **dict.fromkeys(["分钟", "分", "분"], timedelta(minutes=1)),
    **dict.fromkeys(["時間", "小时", "小時", "시간"], timedelta(hours=1)),
    **dict.fromkeys(["日", "天", "일"], timedelta(days=1)),
    **dict.fromkeys(["週間", "周", "週", "주"], timedelta(weeks=1)),
    **dict.fromkeys(["か月", "ヶ月", "个月", "個月", "개월", "달"], timedelta(days=30)),
    **dict.fromkeys(["年", "년"], timedelta(days=365)),
}


def east_asian_ago(text: str) -> tuple[timedelta, tuple[int, int]] | None:
    """How long ago an East Asian relative time says ("3時間前"), and where it sits."""
    m = _EAST_ASIAN_AGO.search(text)
    if m is None:
        return None
    return _EAST_ASIAN_UNITS[m["u"]] * int(m["n"]), m.span()


# "just now" as the whole text of a header element: the capture time itself
JUST_NOW = re.compile(
    r"just now|a moment ago|moments ago|gerade eben|soeben|à l'instant|a l'instant|"
    r"ahora mismo|hace un momento|proprio ora|poco fa|zojuist|przed chwilą|agora mesmo|"
    r"há pouco|только что|たった今|방금|刚刚|剛剛",
    re.IGNORECASE,
)
