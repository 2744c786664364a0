"""The lines of a comment's text that are its header or footer, cut by their shape when no
element marks the text: a date line, the author's name, a counter, "Reply to NAME", controls,
badges and fields before the words; the line its own time was read from and action links after.

Used by :mod:`corpsearch.extract.comment_fields`.
"""

from __future__ import annotations

import re
from datetime import UTC, date

from corpsearch.extract.comment_authors import clean_author
from corpsearch.extract.comment_dates import (
    DateFound,
    find_date_span,
    parse_element_date,
    parse_visible_date,
)
from corpsearch.extract.comment_evidence import PageContext
from corpsearch.extract.comment_labels import (
    BADGE_OR_CONTROL,
    CONTROL_LINE,
    is_field_line,
    is_moderation_notice,
    strip_text_label,
)
from corpsearch.extract.comment_markup import DEBRIS_LINE, SAYS
from corpsearch.extract.date_forms import edited_note

__all__ = ["strip_header_lines", "strip_trailing_footer"]

# a time of day alone on a line ("11:03 am", "um 14:25 Uhr", "à 9h12"): the rest of the date
# line the header wrapped or split at an icon; a comment's words do not open so
_TIME_OF_DAY = re.compile(
    r"(?:um|at|à|alle|às|a las|om|kl\.?|o|в|@)?\s*\d{1,2}[:h.]\d{2}(?::\d{2})?"
    r"\s*(?:[ap]\.?\s?m\.?|uhr|h)?",
    re.IGNORECASE,
)

# any year: only the shape of a short date matters ("28 Apr" alone on a line of the header)
_ANY_YEAR = date(2000, 1, 1)

# what is left of a header line whose name and date went elsewhere ("•", "|", "—")
_SEPARATORS = re.compile(r"[\s•·|/,:;*\-–—]+")


def strip_header_lines(text: str, author: str | None) -> str:
    paragraphs = _strip_leading_header(text, author).split("\n\n")
    kept: list[str] = []
    for para in paragraphs:
        lines = []
        for line in para.split("\n"):
            if len(line) > 120:
                lines.append(line)
                continue
            bare = SAYS.sub("", line).strip()
            if not bare or (author and bare == author) or _SEPARATORS.fullmatch(bare):
                continue
            span = find_date_span(bare)
            if span and span[1] - span[0] >= len(bare) - 4:
                continue
            lines.append(line)
        if lines:
            kept.append("\n".join(lines))
    return "\n\n".join(kept)


def strip_trailing_footer(text: str, date: DateFound | None, ctx: PageContext) -> str:
    """The lines after the comment's words that are its footer: the line its own time was
    read from ("Posted on Thursday, March 4, 2021 at 6:02 PM") and action links ("Like |
    Report"); a comment made only of such lines is kept whole."""
    lines = text.rstrip("\n").split("\n")
    last = len(lines)
    while last > 1:
        line = lines[last - 1].strip()
        if line and not _footer_line(line, date, ctx):
            break
        last -= 1
    kept = "\n".join(lines[:last]).strip("\n")
    return kept if kept else text


def _footer_line(line: str, date: DateFound | None, ctx: PageContext) -> bool:
    if len(line) > 120:
        return False
    parts = [part.strip() for part in re.split(r"[|·•]", line)]
    if len(parts) > 1 and all(
        not part or DEBRIS_LINE.match(part) or CONTROL_LINE.match(part) for part in parts
    ):
        return True
    if CONTROL_LINE.match(line) or is_field_line(line) or is_moderation_notice(line):
        return True  # "Жалоба", "Adres IP: 83.21.144.*", "Dein Kommentar wird … überprüft"
    if len(line) <= 60 and _LOGIN_TO_REPLY.match(line):
        return True  # "Zum Antworten anmelden", "Log in to Reply"
    if date is None or date.value is None or not date.wall_clock:
        return False
    shown = parse_visible_date(line, ctx.default_tz, ctx.captured_at, ctx.month_first)
    return shown is not None and shown.value == date.value


# a reply control shown to readers who are not logged in: a login word and a reply word on one
# short line ("Log in to Reply", "Zum Antworten anmelden", "Connectez-vous pour répondre")
_LOGIN_TO_REPLY = re.compile(
    r"^(?=.*\b(?:log\s?in|sign\s?in|anmelden|einloggen|connectez|connexion|inicia|accede|"
    r"accedi|inloggen|zaloguj|войдите))(?=.*\b(?:repl|antwort|répond|respond|rispond|reageer|"
    r"reageren|odpowi|ответ))",
    re.IGNORECASE,
)

_REPLY_TO_LINE = re.compile(
    r"^(?:in reply to|reply to|replying to|antwort an|en réponse à|respuesta a|in risposta a)\b",
    re.IGNORECASE,
)


_LABELLED_BY = re.compile(
    r"(?:comment|reply|kommentar|antwort|commentaire|réponse|comentario|respuesta|commento|"
    r"risposta|reactie|komentarz|комментарий)\s+(?:from|by|von|de|par|di|da|van|door|od|от)\s+.+",
    re.IGNORECASE,
)


def _header_like(line: str, author: str | None) -> bool:
    """A line of a comment's header left in its text when no element marks the text: mostly a
    date ("By Kasper on March 3, 2011 8:15 AM", "Geplaatst 3 uur geleden.", "· Yesterday"), the
    author's name with a separator, initials of an avatar, a counter, "Reply to NAME"."""
    bare = line.strip(" ·•|-–—:")
    if not bare:
        return True
    if len(bare) > 60:
        return False
    if re.fullmatch(r"#?\d*|[A-ZÀ-ÖØ-Þ]{1,3}", bare) or _REPLY_TO_LINE.match(bare):
        return True
    # "Permalien", "[ antworten ]", "Autor", "Gast", "Voto proposto: 5", "28 Apr": controls,
    # badges, fields
    if (
        CONTROL_LINE.match(bare.strip("[]() "))
        or BADGE_OR_CONTROL.match(bare)
        or is_field_line(bare)
    ):
        return True
    if is_moderation_notice(bare):
        return True
    if parse_element_date(bare, UTC, year_hint=_ANY_YEAR) is not None or _TIME_OF_DAY.fullmatch(
        bare
    ):
        return True
    if author and (bare == author or (author in bare and len(bare) <= len(author) + 4)):
        return True
    if author and author in bare and clean_author(bare) == author:
        return True  # "NAME (not verified)", "NAME says:"
    if author and _LABELLED_BY.fullmatch(bare) and bare.endswith(author):
        return True  # "Comment from NAME": a label for screen readers
    span = find_date_span(bare)
    if edited_note(bare, span):
        return True  # "(aangepast op: 05-03-2021)": when it was last edited
    return span is not None and (span[1] - span[0]) * 5 >= len(bare) * 2


def _date_line(line: str, author: str | None = None) -> bool:
    bare = line.strip(" ·•|-–—:")
    span = find_date_span(bare) if 0 < len(bare) <= 100 else None
    if span is None:
        return False
    return (len(bare) <= 60 and (span[1] - span[0]) * 5 >= len(bare) * 2) or _byline(
        bare, span, author
    )


def _byline(bare: str, span: tuple[int, int], author: str | None) -> bool:
    """The comment's author and its date with a few words between ("Soumis par NAME, le lundi
    29 octobre 2012 à 16h01", "Submitted by NAME on DATE", "geschrieben von NAME am DATE"):
    the header's byline, whatever the words of its language."""
    if not author or len(author) < 2:
        return False
    rest = bare[: span[0]] + " " + bare[span[1] :]
    if author not in rest:
        return False
    return len(re.findall(r"[^\W\d_]+", rest.replace(author, " "))) <= 4


def _title_like(line: str, before_byline: bool = False) -> bool:
    """A short line that is no sentence; before the author's byline also one ending in "…",
    "?" or "!" ("Vous insisterez aussi..."): a title is what a template prints there."""
    bare = line.strip()
    ending = before_byline or bare[-1:] not in ".!?…"
    return 0 < len(bare) <= 60 and ending and len(bare.split()) <= 8


def _strip_leading_header(text: str, author: str | None) -> str:
    """The lines before the first line of the comment's own words, when they read as its
    header (see :func:`_header_like`); a comment made only of such lines is kept whole."""
    lines = text.split("\n")
    first = 0
    while first < len(lines) and (
        _header_like(lines[first], author) or _date_line(lines[first], author)
    ):
        first += 1
    # a comment's title before its date line ("Про пароизоляцию —", then "Воскресенье, 20
    # ноября 2022"): short lines, no sentence, then the date
    for end in range(first + 1, min(first + 5, len(lines) - 1)):
        byline = _date_line(lines[end], author) and not _date_line(lines[end])
        if _date_line(lines[end], author) and all(
            _title_like(line, byline) or not line.strip() for line in lines[first:end]
        ):
            first = end + 1
            while first < len(lines) and _header_like(lines[first], author):
                first += 1
            break
    if first == len(lines):
        return text
    return strip_text_label("\n".join(lines[first:]).strip("\n"))
