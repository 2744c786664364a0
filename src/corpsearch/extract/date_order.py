"""Which way a page writes its numeric dates ("03/04/2021": the 3rd of April, or March 4th).

The evidence, strongest first: an unambiguous numeric date among the comments ("13/04/2021"
can only be day first); the article's own day, known from its metadata, shown on the page in
one of the two orders ("2021-03-04" printed "03/04/2021" is month first); the page's region,
from its language tag (``<html lang="en-US">``) or its ``og:locale`` ("en_US"). None when
nothing says, and each date is then read from its own evidence (a weekday before it) or day
first. Last, the shape of Drupal's default date format ("Sun, 05/09/2021 - 17:45": a weekday,
the numbers with slashes, a dash, a 24-hour time), which sites of every language keep and which
puts the month first.

The article's dateline, when nothing near the headline orders it, takes the same evidence from
the rest of the page (:func:`month_first_beside_dateline`).

Used by :mod:`corpsearch.extract.comments` and :mod:`corpsearch.extract.article`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from lxml.etree import _Element

from corpsearch.extract.date_names import month_first_by_language, weekday_before

__all__ = ["month_first_beside_dateline", "month_first_on_page"]

_NUMERIC = re.compile(r"(?<![\d.:/])(\d{1,2})[./-](\d{1,2})[./-](?:\d{4}|\d{2})(?![\d:])")
# day and month just before a year ("02/09/" of "02/09/2021"), no digit or separator before them
_BEFORE_YEAR = re.compile(r"(?<![\d.:/-])(?P<a>\d{1,2})(?P<s>[./-])(?P<b>\d{1,2})(?P=s)$")
# the language and region a page declares besides <html lang>
_LOCALE = (
    "meta[@property='og:locale']/@content",
    "meta[@http-equiv='content-language' or @http-equiv='Content-Language']/@content",
    "meta[@name='language']/@content",
)


def month_first_on_page(
    texts: Iterable[str], root: _Element, markup: str, page_day: date | None
) -> bool | None:
    """Whether the page's numeric dates put the month first; ``texts`` are the comments'."""
    texts = list(texts)
    for text in texts:
        for m in _NUMERIC.finditer(text):
            a, b = int(m.group(1)), int(m.group(2))
            if b > 12 >= a:
                return True
            if a > 12 >= b:
                return False
    shown = _article_day_shown(markup, page_day)
    if shown is not None:
        return shown
    by_lang = month_first_by_language(root.get("lang"))
    if by_lang is not None:
        return by_lang
    head = root.find("head")
    if head is None:
        return None
    for path in _LOCALE:
        for value in head.xpath(path):
            found = month_first_by_language(str(value))
            if found is not None:
                return found
    return True if any(_in_drupal_default_form(text) for text in texts) else None


# Drupal's default ("medium") date format, "D, m/d/Y - H:i": the numbers, a dash, the time;
# the weekday before them is checked apart (every language's abbreviation)
_DRUPAL_DEFAULT = re.compile(
    r"(?<![\d/])\d{1,2}/\d{1,2}/(?:19|20)\d\d\s+-\s+(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])"
)


def _in_drupal_default_form(text: str) -> bool:
    return any(weekday_before(text, m.start()) is not None for m in _DRUPAL_DEFAULT.finditer(text))


# a numeric date with one separator and a year of four digits: a version number ("1.15.20") is
# no date of the page
_SHOWN = re.compile(r"(?<![\d.:/-])(\d{1,2})([./-])(\d{1,2})\2(?:19|20)\d\d(?![\d/-]|:\d)")


def month_first_beside_dateline(pieces: Iterable[str], root: _Element) -> bool | None:
    """For a numeric dateline read both ways ("05/09/2021") that the text near the headline
    does not order: the page's other numeric dates written with the same separator that read
    one way only (the comments' "05/18/2021"), when they all agree; else Drupal's default
    format in the dateline. None when neither says."""
    pieces = list(pieces)
    separators = {
        m[2] for piece in pieces for m in _SHOWN.finditer(piece) if max(int(m[1]), int(m[3])) <= 12
    }
    if not separators:
        return None
    votes = set()
    for text in root.xpath("//text()[not(ancestor::script or ancestor::style)]"):
        for m in _SHOWN.finditer(str(text)):
            a, b = int(m[1]), int(m[3])
            if m[2] in separators and min(a, b) >= 1 and max(a, b) <= 31:
                if b > 12 >= a:
                    votes.add(True)
                elif a > 12 >= b:
                    votes.add(False)
    if len(votes) == 1:
        return votes.pop()
    return True if any(_in_drupal_default_form(piece) for piece in pieces) else None


def _article_day_shown(markup: str, day: date | None) -> bool | None:
    """The article's day printed on the page month first (True) or day first (False), when
    its day and month differ and only one of the two orders is printed."""
    if day is None or day.day > 12 or day.day == day.month:
        return None

    def printed(first: int, second: int) -> bool:
        # the year is the rare part: look for it, then at what stands before it
        short = f"{day.year % 100:02d}"
        for token in (str(day.year), *(sep + short for sep in "./-")):
            at = markup.find(token)
            while at != -1:
                start = at if token[0].isdigit() else at + 1  # where the year's digits are
                end = at + len(token)
                m = _BEFORE_YEAR.search(markup, max(0, start - 7), start)
                if (
                    m
                    and int(m["a"]) == first
                    and int(m["b"]) == second
                    and not markup[end : end + 1].isdigit()
                ):
                    return True
                at = markup.find(token, at + 1)
        return False

    month_first, day_first = printed(day.month, day.day), printed(day.day, day.month)
    if month_first != day_first:
        return month_first
    return None
