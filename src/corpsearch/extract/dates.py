"""Dates shown on pages, read in the site's timezone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo

__all__ = ["parse_shown_date"]


def parse_shown_date(text: str, formats: Iterable[str], zone: tzinfo) -> datetime | None:
    """Read a displayed date with the profile's formats; a naive result is put in ``zone``."""
    text = " ".join(text.split())
    for fmt in formats:
        try:
            value = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return None
