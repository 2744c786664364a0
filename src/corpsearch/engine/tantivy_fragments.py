"""The fragment of a snippet, chosen as tantivy's snippet generator chooses it, in Python.

tantivy's snippet generator cuts a text greedily into fragments of at most ``max_chars``
bytes, each starting at a word: a word starts a new fragment when it would end more than
``max_chars`` bytes after the start of the current one. A fragment scores the sum of its marked
words' scores (``1 / (1 + doc_freq)`` of the word, in 32-bit floats, word by word), and the best
fragment (the first of the best, if several score the same) is the snippet, from its start to
the end of its last word. A field of several values (a quote's passages) is one text, its
values joined by a space, as the generator joins them.

The words are the exact stream's (corpsearch.analysis.exact_words: ``\\w+`` runs, each
lower-cased), which is what the index holds: Python made them, so the generator, which would
tokenize the stored text with the field's analyser, is not asked. Most texts take a short way
(:func:`_spaced`): ASCII, Latin letters whose lower case has as many bytes, and characters that
are no word character, whose bytes become spaces, so that the words are the runs of other bytes
at their own offsets; the marked words are found by ``bytes.find`` and the fragments' starts by
jumping ``max_chars`` bytes at a time. Other texts are tokenized word by word
(:func:`_tokens`), with the same result.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping

__all__ = ["f32_score", "fragment"]

_WORD_CHARS = re.compile(r"\w")
# The characters of the short way besides ASCII: Latin, Greek and Cyrillic letters and other
# word characters whose lower case is one character of as many UTF-8 bytes (but Σ, which
# Python lower-cases to ς at the end of a word, and a text lower-cased whole may end its words
# elsewhere than exact_words does), and characters that are no word character (Latin-1
# punctuation and symbols, general punctuation and the zero-width characters, currency
# signs, ™, geometric and other symbols, dingbats, CJK punctuation, variation selectors,
# regional indicators).
_CANDIDATES = [
    *range(0x80, 0x250),
    *range(0x370, 0x530),
    *range(0x2000, 0x205F),
    *range(0x20A0, 0x20C0),
    0x2122,
    *range(0x25A0, 0x27C0),
    *range(0x3000, 0x3040),
    *range(0xFE00, 0xFE10),
    *range(0x1F1E6, 0x1F200),
]
_LETTERS = "".join(
    chr(c)
    for c in _CANDIDATES
    if c != 0x3A3
    and _WORD_CHARS.match(chr(c))
    and len(chr(c).lower()) == 1
    and len(chr(c).lower().encode()) == len(chr(c).encode())
)
_NOT_WORDS = "".join(chr(c) for c in _CANDIDATES if not _WORD_CHARS.match(chr(c)))
# Whole blocks of one class, kept as ranges (listing them character by character would cost
# the import tens of milliseconds; a test checks each character): letters without case (kana,
# CJK ideographs, Hangul syllables), and the emoji, no word characters.
_CASELESS = "\u3041-\u3096\u30a1-\u30fa\u30fc-\u30fe\u4e00-\u9fff\uac00-\ud7a3"
_EMOJI = "\U0001f300-\U0001faff"
_EMOJI_BYTES = (b"\xf0", re.compile(rb"\xf0\x9f[\x8c-\xab][\x80-\xbf]"))


def _ranges(characters: str) -> str:
    """``characters`` (in order) as the ranges of a regular expression's class."""
    runs: list[list[int]] = []
    for code in map(ord, characters):
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "".join(
        re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high > low else "")
        for low, high in runs
    )


_SIMPLE = re.compile(f"[\\x00-\\x7f{_ranges(_LETTERS)}{_ranges(_NOT_WORDS)}{_CASELESS}{_EMOJI}]*")
# The UTF-8 bytes of the characters that are no word character, as spaces: every ASCII one
# (by a byte table), and the others of _NOT_WORDS by one substitution per leading byte (each
# run only when its leading byte is in the text, which bytes.__contains__ tells at C speed).
_ASCII_SPACES = bytes(
    b if b >= 0x80 or (chr(b).isalnum() and chr(b).isascii()) or b == 0x5F else 0x20
    for b in range(256)
)


def _by_leading_byte(characters: str) -> list[tuple[bytes, re.Pattern[bytes]]]:
    """For each leading byte of the (multi-byte) ``characters``, a pattern of their UTF-8
    forms that begins with that byte (so the search skips to it at C speed)."""
    # the characters' last bytes, by their leading byte and the bytes between
    groups: dict[bytes, dict[bytes, list[int]]] = {}
    for c in characters:
        raw = c.encode()
        groups.setdefault(raw[:1], {}).setdefault(raw[1:-1], []).append(raw[-1])
    patterns = []
    for lead, middles in sorted(groups.items()):
        alternatives = b"|".join(
            re.escape(middle) + b"[" + b"".join(b"\\x%02x" % last for last in lasts) + b"]"
            for middle, lasts in sorted(middles.items())
        )
        patterns.append((lead, re.compile(re.escape(lead) + b"(?:" + alternatives + b")")))
    return patterns


_NOT_WORD_BYTES = [*_by_leading_byte(_NOT_WORDS), _EMOJI_BYTES]
_WORD = re.compile(rb"[^ ]+")
_UTF8 = ("utf-8", "surrogateescape")


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
    character a space (so the words are the runs of other bytes, at their offsets); None for a
    text with characters outside the short way."""
    if text.isascii():
        return text.lower().encode().translate(_ASCII_SPACES)
    if _SIMPLE.fullmatch(text) is None:
        return None
    lowered = text.lower().encode()
    for lead, pattern in _NOT_WORD_BYTES:
        if lead in lowered:
            lowered = pattern.sub(lambda m: b" " * len(m.group()), lowered)
    return lowered.translate(_ASCII_SPACES)


def _marked(spaced: bytes, scores: Mapping[bytes, float]) -> list[tuple[int, int]]:
    """The byte ranges of the whole words of ``spaced`` that are keys of ``scores``, in order."""
    padded = b" " + spaced + b" "
    found = []
    for word in scores:
        wanted = b" " + word + b" "
        at = padded.find(wanted)
        while at >= 0:
            found.append((at, at + len(word)))  # in spaced: one byte less than in padded
            at = padded.find(wanted, at + len(word) + 1)
    found.sort()
    return found


def fragment(
    text: str, scores: Mapping[bytes, float], max_chars: int
) -> tuple[str, list[tuple[int, int]]]:
    """The fragment tantivy's snippet generator would choose in ``text`` for the marked words
    ``scores`` (their exact words, UTF-8, with their scores), and its marked words as byte
    ranges within it; ``("", [])`` when no word is marked."""
    spaced = _spaced(text)
    if spaced is None:
        return _by_tokens(text, scores, max_chars)
    found = _marked(spaced, scores)
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


def _tokens(text: str) -> list[tuple[int, int, bytes]]:
    """The exact words of ``text`` with their UTF-8 byte offsets: (start, end, word)."""
    tokens = []
    chars = bytes_at = 0
    for match in re.finditer(r"\w+", text):
        start, end = match.span()
        bytes_at += len(text[chars:start].encode(*_UTF8))
        word = match.group()
        size = len(word.encode(*_UTF8))
        tokens.append((bytes_at, bytes_at + size, word.lower().encode(*_UTF8)))
        bytes_at += size
        chars = end
    return tokens


def _by_tokens(
    text: str, scores: Mapping[bytes, float], max_chars: int
) -> tuple[str, list[tuple[int, int]]]:
    """:func:`fragment` word by word, as tantivy's generator goes (for any text)."""
    best: tuple[float, int, int, list[tuple[int, int]]] | None = None
    start = stop = 0
    score = 0.0
    marks: list[tuple[int, int]] = []
    for low, high, word in _tokens(text):
        if high - start > max_chars:
            if score > 0.0 and (best is None or score > best[0]):
                best = (score, start, stop, marks)
            start, score, marks = low, 0.0, []
        stop = high
        found = scores.get(word)
        if found is not None:
            score = _f32(score + found)
            marks.append((low, high))
    if score > 0.0 and (best is None or score > best[0]):
        best = (score, start, stop, marks)
    if best is None:
        return "", []
    _, low, high, ranges = best
    raw = text.encode(*_UTF8)
    return raw[low:high].decode(*_UTF8), [(s - low, e - low) for s, e in ranges]
