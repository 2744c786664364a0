"""When a page was saved, as the tool that saved it wrote it into the page.

A folder of saved pages carries no capture time but the files' modification times, which a
copy or a checkout resets. Two common savers write the time into the page itself, and that
time anchors "3 hours ago" and year-less dates better than the file's:

- SingleFile puts a comment first in the document: ``Page saved with SingleFile`` (formerly
  ``Archive processed by SingleFile``), ``url: …``, ``saved date: `` and JavaScript's
  ``Date.toString()``, e.g. ``Thu Dec 03 2026 16:21:04 GMT+0100 (Central European Standard
  Time)``;
- HTTrack writes ``Mirrored from HOST/PATH by HTTrack Website Copier/3.x [XR&CO'2014], Fri,
  22 Feb 2019 13:11:35 GMT`` near the top and the bottom of every page.

Only those exact forms are read: any other text in a comment is the page's, not a saver's.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

__all__ = ["saved_at"]

# The savers write their comment within the first lines or the last ones; reading only the ends
# keeps a 10 MB page from being scanned for it.
_HEAD = 16_384
_TAIL = 4_096

_SINGLEFILE = re.compile(
    r"<!--\s*(?:Page saved with|Archive processed by) SingleFile\s*\n\s*url:[^\n]*\n"
    r"\s*saved date:\s*[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{4}) "
    r"(\d{2}):(\d{2}):(\d{2}) GMT([+-])(\d{2})(\d{2})"
)
_HTTRACK = re.compile(
    r"<!-- Mirrored from \S+ by HTTrack Website Copier/[^\]\n]*\], "
    r"([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT) -->"
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}


def saved_at(text: str) -> datetime | None:
    """The time a saver recorded in the page (SingleFile, HTTrack), aware; ``None`` if none
    did or the time it wrote cannot be a time."""
    ends = text if len(text) <= _HEAD + _TAIL else text[:_HEAD] + "\n" + text[-_TAIL:]
    if "SingleFile" in ends:
        found = _SINGLEFILE.search(ends)
        if found:
            return _singlefile_time(found)
    if "HTTrack" in ends:
        mirrored = _HTTRACK.search(ends)
        if mirrored:
            try:
                return parsedate_to_datetime(mirrored.group(1))
            except (TypeError, ValueError):
                return None
    return None


def _singlefile_time(found: re.Match[str]) -> datetime | None:
    month = _MONTHS.get(found.group(1))
    if month is None:
        return None
    day, year, hour, minute, second = (int(found.group(i)) for i in range(2, 7))
    offset = timedelta(hours=int(found.group(8)), minutes=int(found.group(9)))
    if found.group(7) == "-":
        offset = -offset
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=timezone(offset))
    except ValueError:  # "Feb 30", an offset past a day: not a time a browser writes
        return None
