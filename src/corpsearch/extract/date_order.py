"""Which way a page writes its numeric dates ("03/04/2021": the 3rd of April, or March 4th).

The evidence, strongest first: an unambiguous numeric date among the comments ("13/04/2021"
can only be day first); the article's own day, known from its metadata, shown on the page in
one of the two orders ("2021-03-04" printed "03/04/2021" is month first); the page's region,
from its language tag (``<html lang="en-US">``) or its ``og:locale`` ("en_US"). None when
nothing says, and each date is then read from its own evidence (a weekday before it) or day
first.

Used by :mod:`corpsearch.extract.comments`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from lxml.etree import _Element

from corpsearch.extract.date_names import month_first_by_language

__all__ = ["month_first_on_page"]

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
    return None


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
