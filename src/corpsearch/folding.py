"""Words and names as every engine compares them: a text's words (``\\w+`` runs), the exact
stream's lower-cased words, folding (case, accents, ``ß`` → ``ss``), and the folded keys of
authors' names and sites that ``author:`` and ``site:`` match.

corpsearch.analysis builds the analysed streams on these (folding, then stemming by language)
and gives them all under its own name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "ASCII_BREAKS",
    "WORD",
    "exact_text",
    "exact_words",
    "fold",
    "fold_value",
    "name_keys",
    "name_words",
    "names_of",
    "site_key",
    "site_keys",
    "words",
]

# A word: a run of word characters.
WORD = re.compile(r"\w+")
# ASCII characters that are no word characters, as spaces: an ASCII text's words are then its
# str.split() (the same runs as \w+, several times faster than the regular expression, which
# is most of what analysing a text costs).
ASCII_BREAKS = str.maketrans({i: " " for i in range(128) if not WORD.match(chr(i))})
# Letters that do not decompose into a base letter and marks, folded as search engines fold them
# (Elasticsearch's asciifolding, German ß as ss).
_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŀ": "l",
        "ё": "е",  # Russian writes е for ё almost everywhere
    }
)
# Accents are taken off Latin letters only: in Cyrillic or Devanagari a mark makes another letter
# (й is not и), which the language's stemmer expects.
_LATIN_MARKED = re.compile(r"([\u0000-\u024f\u1e00-\u1eff])[\u0300-\u036f]+")


def words(text: str) -> list[str]:
    """The words of ``text`` as written: its ``\\w+`` runs."""
    if text.isascii():
        return text.translate(ASCII_BREAKS).split()
    return WORD.findall(text)


def exact_words(text: str) -> list[str]:
    """The words of the exact stream: lower-cased, accents and forms kept."""
    return [w.lower() for w in words(text)]


def exact_text(text: str) -> str:
    """:func:`exact_words` as the text an engine indexes: the words apart by whitespace (one
    or more spaces), so that an engine splitting at spaces indexes exactly these words."""
    if text.isascii():
        # every ASCII non-word character as a space: the words stay where they are
        return text.lower().translate(ASCII_BREAKS)
    return " ".join([w.lower() for w in WORD.findall(text)])


def fold(word: str) -> str:
    """``word`` lower-cased, accents taken off Latin letters, ``ß`` as ``ss``: one ``\\w+`` run
    (``Österreich`` → ``osterreich``, ``Société`` → ``societe``, ``Straße`` → ``strasse``)."""
    lowered = word.lower().translate(_LETTERS)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFD", lowered)
    folded = unicodedata.normalize("NFC", _LATIN_MARKED.sub(r"\1", decomposed))
    # Whatever is left of a word is one word: a mark that no letter carries is dropped.
    return "".join(WORD.findall(folded)) or lowered


def fold_value(text: str) -> str:
    """A whole value (an author's name) folded as :func:`fold` folds a word, its spaces and
    punctuation kept: ``José García`` → ``jose garcia``."""
    lowered = " ".join(text.lower().translate(_LETTERS).split())
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFD", lowered)
    return unicodedata.normalize("NFC", _LATIN_MARKED.sub(r"\1", decomposed))


def name_words(name: str) -> list[str]:
    """The folded words of a name, which ``author:word`` matches (``Ivan Penn`` → ``ivan``,
    ``penn``; ``_mowaten_`` stays one word)."""
    return [fold(w) for w in WORD.findall(name)]


def name_keys(name: str) -> list[str]:
    """The whole values ``author:"a name"`` matches: the folded name and, when it lists several
    names apart by commas (an article's byline), each of them."""
    whole = fold_value(name).strip()
    parts = [p.strip() for p in whole.split(",")] if "," in whole else []
    return list(dict.fromkeys(k for k in [whole, *parts] if k))


@lru_cache(maxsize=1 << 16)
def names_of(author: str | None, site: str | None) -> tuple[tuple[str, ...], ...]:
    """A document's ``author_words`` (distinct), ``author_key`` values and ``site_keys``, as
    every engine indexes them; cached, as authors and sites repeat from document to document."""
    if not author:
        return ((), (), tuple(site_keys(site or "")))
    words_ = tuple(dict.fromkeys(name_words(author)))
    return (words_, tuple(name_keys(author)), tuple(site_keys(site or "")))


def site_key(host: str) -> str:
    """A host as ``site:`` compares it: folded, without ``www.`` (``www.Spiegel.de`` →
    ``spiegel.de``)."""
    return fold_value(host).strip(".").removeprefix("www.")


def site_keys(host: str) -> list[str]:
    """The values ``site:`` matches for a host: the host without ``www.`` and every domain it
    lies in, down to two labels (``politik.spiegel.de`` → ``politik.spiegel.de``,
    ``spiegel.de``), folded like a name."""
    host = site_key(host)
    labels = host.split(".")
    if len(labels) <= 2:
        return [host] if host else []
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]
