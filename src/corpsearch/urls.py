"""Which addresses corpsearch links to: one rule for the extractor and the web pages."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["web_address"]

# Control characters have no place in a web address; browsers drop some of them
# ("java\tscript:" would then run as javascript:), so an address holding one is not kept.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def web_address(url: str | None) -> str | None:
    """``url`` (outer blanks removed) when it is an http or https address with a host and no
    control character; ``None`` for ``javascript:``, ``data:``, ``file:`` and anything else."""
    if not url:
        return None
    url = url.strip(" ")
    if _CONTROL.search(url):
        return None
    try:
        parsed = urlsplit(url)
        web = parsed.scheme.lower() in ("http", "https") and bool(parsed.hostname)
    except ValueError:  # a malformed IPv6 host or port
        return None
    return url if web else None
