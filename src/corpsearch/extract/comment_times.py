"""A comment's time from its markup: machine-readable values first (``time[datetime]``,
schema.org ``dateCreated`` as microdata or RDFa, ``title``/``data-*`` attributes, epoch stamps),
then the visible dates of date elements, the header and a footer line.

Used by :mod:`corpsearch.extract.comment_fields`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from lxml.etree import _Element

from corpsearch.extract.comment_dates import (
    RELATIVE_TO_CAPTURE,
    DateFound,
    parse_element_date,
    parse_machine_date,
    parse_visible_date,
)
from corpsearch.extract.comment_evidence import PageContext, prop
from corpsearch.extract.comment_markup import ROLE_DATE, ROLE_HEADER, flat_text, roles

_MACHINE_ATTRS = (
    "datetime",
    "content",
    "title",
    "data-time",
    "data-timestamp",
    "data-comment-timestamp",
    "data-date",
    "data-utime",
    "date",  # an epoch stamp only (``<span class="time" date="1568161401000">今天08:23</span>``)
)


def _machine_date(el: _Element, default_tz: tzinfo) -> DateFound | None:
    for attr in _MACHINE_ATTRS:
        value = el.get(attr)
        if value:
            if attr != "content" and value.isdigit() and len(value) >= 9:
                stamp = int(value)
                if stamp > 10**11:
                    stamp //= 1000
                return DateFound(datetime.fromtimestamp(stamp, tz=UTC), None)
            if attr == "date":
                continue
            found = parse_machine_date(value, default_tz)
            if found is not None:
                return found
    return None


# names of a last-edited time ("edited 3 days later", class "updated", dateModified): a comment
# is dated by when it was written, so these come after every other candidate
_EDITED = re.compile(r"modif|updat|edit|geändert|bearbeitet|modifié|modificad|aggiorn", re.I)


def _edited(el: _Element) -> bool:
    parent = el.getparent()
    names = [el.get("class"), el.get("itemprop"), el.get("property")]
    if parent is not None:
        names += [parent.get("class"), parent.get("itemprop")]
    return any(name and _EDITED.search(name) for name in names)


def pick_date(elements: list[_Element], header_text: str, ctx: PageContext) -> DateFound | None:
    in_order = elements
    # stable: document order within the created and the edited times
    elements = sorted(elements, key=_edited)

    def visible(text: str) -> DateFound | None:
        return parse_visible_date(
            text, ctx.default_tz, ctx.captured_at, ctx.month_first, ctx.page_day
        )

    def machine(el: _Element) -> DateFound | None:
        found = _machine_date(el, ctx.default_tz)
        if found is None or found.value is None:
            return found
        if not found.date_only:
            shown = visible(header_text[:160])
            own = flat_text(el)
            if shown is None and 0 < len(own) <= 40:
                shown = visible(own)  # the element shows the time the stamp gives
            return _as_shown(found, shown)
        # a machine value with the day only ("2020-07-29") while the text shows the time too
        parent = el.getparent()
        texts = [flat_text(el), flat_text(parent)[:120] if parent is not None else "", header_text]
        for text in texts:
            shown = visible(text[:160]) if text else None
            if (
                shown
                and shown.value
                and not shown.date_only
                and shown.value.date() == found.value.date()
            ):
                return shown
        return found

    for el in elements:
        if el.get("datetime") in ctx.shared_stamps:
            continue  # the post's stamp on every comment: the shown date is read below
        if (
            el.tag == "time"
            # a ``datetime`` attribute is the machine value whatever element carries it
            # (``<a datetime="2014-12-06T15:38:13+00:00">2 weeks ago</a>``)
            or el.get("datetime")
            or prop(el) in ("dateCreated", "datePublished", "commentTime")
            or "dc:date" in (el.get("property") or "")
        ):
            found = machine(el)
            if found is not None:
                return found
    for el in elements:
        if el.tag == "abbr" or roles(el) & ROLE_DATE:
            found = machine(el)
            if found is not None:
                return found
    day: DateFound | None = None
    for el in elements:
        if el.tag == "time" or roles(el) & ROLE_DATE:
            found = visible(flat_text(el))
            if found is None:
                continue
            found = _with_time_of_line(found, el, visible)
            if day is None and found.date_only and found.value is not None and not _edited(el):
                # a short day in the header ("5/15/13") and the same day with its time in a
                # line below ("By NAME on 5/15/2013 2:07:32 PM"): the one with the time
                day = found
                continue
            if day is None or (
                found.value is not None
                and day.value is not None
                and not found.date_only
                and found.value.date() == day.value.date()
            ):
                return found
    if day is not None:
        return day
    # the header comes first; a date deep in the text is the commenter's, not the comment's
    found = visible(header_text[:160])
    if found is not None:
        return found
    # a footer line under the text ("Comment by NAME — 17.07, 2011 @ 13:04")
    for el in elements:
        if el.tag == "cite" or roles(el) & ROLE_HEADER:
            line = flat_text(el)
            found = visible(line) if len(line) <= 200 else None
            if found is not None:
                return found
    # a footer line under the text that no markup names ("NAME 8 March 2021, 12:40 #53"),
    # too far down for the header's first characters: the comment's last short lines
    for el in _last_lines(in_order):
        found = visible(flat_text(el))
        if found is not None:
            return found
    # a short form standing alone in an element of the header ("2d", "Apr 25"), which in
    # running text would be too often something else
    for el in elements:
        if len(el) == 0 and el.tag != "button":
            found = parse_element_date(flat_text(el), ctx.default_tz, ctx.captured_at, ctx.page_day)
            if found is not None:
                return found
    # Drupal's data-comment-timestamp is when the comment last changed: only when nothing
    # else dates it
    for el in elements:
        if el.get("data-comment-timestamp"):
            found = _machine_date(el, ctx.default_tz)
            if found is not None:
                return found
    return None


# a line of its own under the text may be an inline element too: the date in an ``em`` after
# the text's ``p`` ("<p>TEXT</p><em>October 02, 2009 04:59 PM</em>"); these are the elements
# outside the comment's text, so an emphasis in the text itself is not among them
_LINE_TAGS = frozenset({"p", "div", "footer", "dd", "small", "span", "em", "i", "b", "strong"})


def _last_lines(elements: list[_Element]) -> list[_Element]:
    """The last two short lines of a comment, last first: where templates without a header
    put the name and the date under the text."""
    lines = []
    for el in reversed(elements):
        if el.tag not in _LINE_TAGS:
            continue
        text = flat_text(el)
        if text and len(text) <= 160:
            lines.append(el)
        if len(lines) == 2:
            break
    return lines


def _with_time_of_line(
    found: DateFound, el: _Element, visible: Callable[[str], DateFound | None]
) -> DateFound:
    """A day shown alone in its element while the time of day stands in another element of
    the same short line ("<span>07:42 PM</span> <span>03 March 2021</span>"): that day at
    that time."""
    if found.value is None or not found.date_only:
        return found
    line = el.getparent()
    for _ in range(2):
        if line is None:
            break
        text = flat_text(line)
        if len(text) > 160:
            break
        shown = visible(text)
        if (
            shown
            and shown.value
            and not shown.date_only
            and shown.value.date() == found.value.date()
        ):
            return shown
        line = line.getparent()
    return found


def _as_shown(machine: DateFound, shown: DateFound | None) -> DateFound:
    """A machine value in UTC (or another zone) while the page shows the same instant in its
    own zone (``14:40:07+00:00`` shown as "16:40"): the same instant, in the zone shown."""
    if (
        machine.value is None
        or machine.reason is not None  # its zone was itself assumed
        or shown is None
        or shown.value is None
        or shown.date_only
        or not shown.wall_clock  # "2 days ago" beside the machine value
    ):
        return machine
    wall = machine.value.replace(tzinfo=None, second=0, microsecond=0)
    offset = shown.value.replace(tzinfo=None, second=0) - wall
    if shown.reason == RELATIVE_TO_CAPTURE:
        # a day counted from the capture ("今天08:23", "yesterday, 14:30"): only its time of
        # day is the page's, the day is the stamp's
        offset = (offset + timedelta(hours=12)) % timedelta(days=1) - timedelta(hours=12)
    utc_offset = machine.value.utcoffset() or timedelta(0)
    zone_offset = offset + utc_offset
    # no zone west of UTC-11 has people: a shown time twelve hours behind the stamp is a
    # 12-hour clock read without its "PM", not a zone
    if (
        not offset
        or not -timedelta(hours=11) <= zone_offset <= timedelta(hours=14)
        or zone_offset % timedelta(minutes=15)
    ):
        return machine
    return DateFound(machine.value.astimezone(timezone(zone_offset)), None)
