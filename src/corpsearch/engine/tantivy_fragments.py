"""tantivy's choice of a snippet's fragment, made in Python for texts whose words Python finds as
tantivy's ``\\w+`` tokenizer does.

tantivy's snippet generator tokenizes the whole text of each shown field with the field's
analyser; for the exact stream (``\\w+``, lower-cased) tantivy's regular expressions run on
their slowest matcher, which made that tokenizing about half of every query's time. The
generator then cuts the text greedily into fragments of at most ``max_chars`` bytes, each
starting at a word: a word starts a new fragment when it would end more than ``max_chars``
bytes after the start of the current one. A fragment scores the sum of its marked words'
scores (``1 / (1 + doc_freq)`` of the word, in 32-bit floats, word by word), and the best
fragment (the first of the best, if several score the same) is the snippet, from its start to
the end of its last word.

Here the same is computed without visiting every word: the marked words are found by one
regular expression over the text, and the fragments' starts by jumping ``max_chars`` bytes at a
time (the word holding that byte, or the next word, starts the next fragment). This holds only
where Python and tantivy agree on every character: ASCII, Latin letters whose lower case has as
many bytes, and punctuation that is no word character in either (:func:`fragment` returns None
for other texts, which tantivy's generator handles).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping

__all__ = ["f32_score", "fragment"]

# Latin letters (U+00C0 to U+024F, but × and ÷) lower-cased by Python as by Rust, one letter of
# as many UTF-8 bytes (not İ, whose lower case is two letters); and characters that are no
# word character for tantivy's ``\w`` (nor letters, marks, digits or connectors): Latin-1
# punctuation and symbols but ª µ º, general punctuation but the connectors and joiners,
# currency signs, ™. A test checks each against tantivy's own analyser.
_LETTERS = "".join(
    chr(c)
    for c in range(0xC0, 0x250)
    if c not in (0xD7, 0xF7)
    and len(chr(c).lower()) == 1
    and len(chr(c).lower().encode()) == len(chr(c).encode())
)
_NOT_WORDS = (
    "\u00a0-\u00a9\u00ab-\u00b4\u00b6-\u00b9\u00bb-\u00bf\u00d7\u00f7"
    "\u2010-\u2027\u2030-\u203e\u2041-\u2053\u2055-\u205e\u20a0-\u20bf\u2122"
)
_SIMPLE = re.compile(f"[\\x00-\\x7f{re.escape(_LETTERS)}{_NOT_WORDS}]*")
# The UTF-8 bytes of the characters that are no word character, as spaces: every ASCII one
# (by a byte table), and the 2- and 3-byte ones of _NOT_WORDS (by two substitutions).
_ASCII_SPACES = bytes(
    b if b >= 0x80 or (chr(b).isalnum() and chr(b).isascii()) or b == 0x5F else 0x20
    for b in range(256)
)
_TWO_BYTES = re.compile(rb"\xc2[\x80-\xa9\xab-\xb4\xb6-\xb9\xbb-\xbf]|\xc3[\x97\xb7]")
_THREE_BYTES = re.compile(
    rb"\xe2(?:\x80[\x90-\xa7\xb0-\xbe]|\x81[\x81-\x93\x95-\x9e]|\x82[\xa0-\xbf]|\x84\xa2)"
)
_WORD = re.compile(rb"[^ ]+")


def f32_score(doc_freq: int) -> float:
    """``1 / (1 + doc_freq)`` rounded to a 32-bit float, as tantivy computes a word's score
    (``1f32 / (1f32 + doc_freq as f32)``, correctly rounded, ties to even)."""
    d = 1 + doc_freq
    shift = 23 + d.bit_length()  # 2**shift / d lies in [2**23, 2**24)
    mantissa, rest = divmod(1 << shift, d)
    if 2 * rest > d or (2 * rest == d and mantissa & 1):
        mantissa += 1
    return mantissa / (1 << shift)


def _f32(value: float) -> float:
    result: float = struct.unpack("f", struct.pack("f", value))[0]
    return result


def _spaced(text: str) -> bytes | None:
    """The text lower-cased, as UTF-8, with every byte of a character that is no word
    character a space (so the words are the runs of other bytes, at tantivy's offsets)."""
    if not text.isascii():
        if _SIMPLE.fullmatch(text) is None:
            return None
        lowered = text.lower().encode()
        lowered = _TWO_BYTES.sub(b"  ", lowered)
        lowered = _THREE_BYTES.sub(b"   ", lowered)
        return lowered.translate(_ASCII_SPACES)
    return text.lower().encode().translate(_ASCII_SPACES)


def fragment(
    text: str, marks: re.Pattern[bytes], scores: Mapping[bytes, float], max_chars: int
) -> tuple[str, list[tuple[int, int]]] | None:
    """The fragment tantivy's snippet generator would choose in ``text`` (one value of the
    field), and its marked words as byte ranges within it: ``marks`` finds the marked words (any
    of ``scores``' keys as a whole word, in the spaced text). ``("", [])`` when no word is
    marked; None when the text has characters this module does not class (ask tantivy)."""
    spaced = _spaced(text)
    if spaced is None:
        return None
    found = [(m.start(), m.end()) for m in marks.finditer(spaced)]
    if not found:
        return "", []
    size = len(spaced)
    first = _WORD.search(spaced)
    assert first is not None  # a marked word is a word
    start, first_end = 0, first.end()
    if first_end > max_chars:
        start = first.start()
    # The fragments up to the last marked word: (start, start of the next), in order.
    bounds: list[tuple[int, int]] = []
    last_mark = found[-1][0]
    while True:
        limit = start + max_chars
        if first_end > limit:
            following = _WORD.search(spaced, first_end)
        elif limit < size and spaced[limit] != 0x20:
            # the word holding byte ``limit`` ends beyond the limit: it starts the next one
            following = _WORD.match(spaced, spaced.rfind(b" ", 0, limit) + 1)
        else:
            following = _WORD.search(spaced, limit)
        end = following.start() if following is not None else size
        bounds.append((start, end))
        if following is None or end > last_mark:
            break
        start, first_end = following.start(), following.end()
    best: tuple[float, int, int] | None = None
    at = 0
    for low, high in bounds:
        score = 0.0
        while at < len(found) and found[at][0] < high:
            if found[at][0] >= low:
                score = _f32(score + scores[spaced[found[at][0] : found[at][1]]])
            at += 1
        if score > 0.0 and (best is None or score > best[0]):
            best = (score, low, high)
    assert best is not None
    _, low, high = best
    stop = low + len(spaced[low:high].rstrip(b" "))
    raw = text.encode()
    ranges = [(s - low, e - low) for s, e in found if low <= s < high]
    return raw[low:stop].decode(), ranges
