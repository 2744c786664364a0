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
from datetime import date

__all__ = ["edited_before", "edited_note", "year_first"]

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
