"""Bytes to text for scraped pages, whose declared charset is often missing or wrong.

Order of evidence, strongest first:

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. UTF-16 without a mark, recognised by the zero bytes of its ASCII characters;
3. valid UTF-8 with non-ASCII characters: such bytes are almost never valid in another
   encoding by chance, so they win over a declared single-byte charset (a common scraping
   error: the page was saved as UTF-8 but still declares ``iso-8859-1``);
4. the charset the page declares (``<meta charset>``, or an XHTML page's XML declaration), read
   as browsers read it (the WHATWG Encoding Standard's supersets: ``Shift_JIS`` as Windows-31J,
   ``EUC-KR`` as windows-949, ``GB2312`` as GB18030, Latin-1 as windows-1252), if its bytes
   decode with it; a page of which only a few bytes are not valid in it is read with them
   replaced, and a note says so;
5. otherwise windows-1252, and a note that the characters were guessed.

A file whose start is mostly control characters is binary data (an image or an archive saved
under a ``.html`` name) and is refused.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from ..errors import ExtractionError

__all__ = ["Decoded", "decode_page", "looks_binary"]

# Bytes that never occur in text: C0 controls other than tab, newline, form feed, carriage
# return and escape.
_BINARY_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_SNIFF = 4096
# Share of binary bytes in the first 4 KiB above which a file is not a page.
_BINARY_SHARE = 0.05
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_:.\-]+)""",
    re.IGNORECASE,
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    # Set when the characters may be wrong, with the reason and what to do.
    problem: str | None = None


def looks_binary(data: bytes) -> bool:
    """True if the start of ``data`` is not text in any encoding corpsearch reads."""
    head = data[:_SNIFF]
    if not head:
        return False
    if _bom(head) is not None or _utf16_without_bom(head) is not None:
        return False
    # counted in C: the bytes left when the binary ones are deleted
    bad = len(head) - len(head.translate(None, _BINARY_BYTES))
    return bad / len(head) > _BINARY_SHARE


def decode_page(data: bytes, charset: str | None = None) -> Decoded:
    """Decode a page's bytes, or raise :class:`ExtractionError` if they are not text.

    ``charset`` is what the server said (an archive's HTTP header); it ranks after a byte-order
    mark and before what the page declares."""
    if looks_binary(data):
        raise ExtractionError("the file holds binary data, not a page; remove it from the corpus")
    marked = _bom(data[:4])
    if marked is not None:
        return Decoded(data.decode(marked, errors="replace"), marked)
    unmarked = _utf16_without_bom(data[:_SNIFF])
    if unmarked is not None:
        return Decoded(data.decode(unmarked, errors="replace"), unmarked)
    served = _served(data, charset)
    if served is not None:
        return served
    declared = _declared(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return Decoded(text, "utf-8")
    if declared is not None and declared not in ("utf-8", "utf-16", "utf-32"):
        as_browsers = _SUPERSETS.get(declared, declared)
        for name in dict.fromkeys((as_browsers, declared)):
            try:
                return Decoded(data.decode(name), name)
            except UnicodeDecodeError:
                pass
        mostly = data.decode(as_browsers, errors="replace")
        bad = mostly.count("\ufffd")
        if bad <= max(_FEW_BAD, len(data) // 1000):
            return Decoded(
                mostly,
                as_browsers,
                f"{bad} bytes of the page are not valid {declared} and were replaced; "
                "the rest was read as declared. Convert the file to UTF-8 to keep them",
            )
    why = (
        f"the page declares {declared}, but its bytes are not {declared}"
        if declared
        else "the page declares no charset and is not UTF-8"
    )
    return Decoded(
        data.decode("windows-1252", errors="replace"),
        "windows-1252",
        f"{why}; read as windows-1252, so non-Latin text may be wrong. "
        "Convert the file to UTF-8 or declare its charset",
    )


def _bom(head: bytes) -> str | None:
    for mark, name in _BOMS:
        if head.startswith(mark):
            return name
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text of mostly ASCII markup has a zero in every other byte."""
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even) and _texty(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd) and _texty(odd):
        return "utf-16-be"
    return None


def _texty(low_bytes: bytes) -> bool:
    """Markup in UTF-16: the low bytes are mostly printable ASCII, not binary values."""
    printable = sum(1 for byte in low_bytes if 0x20 <= byte < 0x7F or byte in (9, 10, 13))
    return printable > 0.8 * len(low_bytes)


def _declared(data: bytes) -> str | None:
    found = _DECLARED.search(data[: _SNIFF * 4])
    if found is None:
        return None
    try:
        return codecs.lookup((found.group(1) or found.group(2)).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


# What browsers decode a declared charset as (the WHATWG Encoding Standard maps these labels to
# the superset): pages declare the old name and use the superset's characters (NEC and IBM
# extensions of Shift_JIS, GBK characters under "gb2312").
_SUPERSETS = {
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "tis-620": "cp874",
    "iso8859-11": "cp874",
    "iso8859-9": "cp1254",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
}
# replaced bytes a page declared in a charset may hold and still be read in it
_FEW_BAD = 8

# What servers call Latin-1 is decoded as its superset windows-1252, as browsers do.
_LATIN1 = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "iso8859-1", "l1"}


def _served(data: bytes, charset: str | None) -> Decoded | None:
    if not charset:
        return None
    name = charset.strip().lower()
    name = "windows-1252" if name in _LATIN1 else name
    if name in ("windows-1252", "cp1252") and not data.isascii():
        # Servers send Latin-1 as their default; non-ASCII bytes that are valid UTF-8 are
        # practically never meant as windows-1252.
        try:
            return Decoded(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode(name), name)
    except (LookupError, UnicodeDecodeError):
        return None
