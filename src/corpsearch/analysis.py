"""Words as the index compares them: folded, and stemmed in the language of their document.

Every engine indexes two streams of each text field (headline, body, comment text, quotes):

- the *exact* words, ``\\w+`` runs lower-cased and nothing else (``Wahlen``, ``société``), which
  ``=word`` and ``="a phrase"`` search, and which snippets mark;
- the *analysed* words: each word folded (:func:`fold`: case, accents, ``ß`` → ``ss``) and then
  reduced to its stem by the Snowball stemmer of the document's language
  (:data:`STEMMERS`; a language without a stemmer, or a document whose language is unknown, is
  folded only). ``Österreichs`` in a German article is indexed as ``osterreich``, ``sociétés``
  in a French one as ``societ``.

A query word has no language of its own, so it is analysed with the stemmer of every language
that occurs in the index (:class:`QueryAnalyser`) and matches any of the *distinct* results:
``wahlen`` in an index of German and English documents stands for ``wahl`` (German) and
``wahlen`` (English), two terms, not one per language. Folding comes before stemming on both
sides, so a word typed without its accents is analysed exactly as the accented one.

The words, folding and the keys of names (``author:``, ``site:``) are corpsearch.folding's,
given here too. Engines index :func:`analyse_text`'s output as a field of its own (one analysed word per word of
the text, in order, so positions and phrases hold) and ask the query side for terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import Stemmer

from .folding import (
    ASCII_BREAKS,
    WORD,
    exact_text,
    exact_words,
    fold,
    fold_value,
    name_keys,
    name_words,
    names_of,
    site_key,
    site_keys,
    words,
)
from .passages import PASSAGE_JOIN, quote_passages

if TYPE_CHECKING:
    from .records import Article

__all__ = [
    "PLAIN",
    "STEMMERS",
    "QueryAnalyser",
    "Streams",
    "analyse",
    "analyse_passages",
    "analyse_text",
    "analyser_of",
    "article_streams",
    "byline",
    "exact_text",
    "exact_words",
    "fold",
    "fold_value",
    "marked_words",
    "name_keys",
    "name_words",
    "names_of",
    "site_key",
    "site_keys",
    "words",
]

# ISO 639-1 codes of the languages with a Snowball stemmer (PyStemmer's names).
STEMMERS: dict[str, str] = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "eo": "esperanto",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
# The analyser of documents without a language or with one no stemmer knows: folding only.
PLAIN = ""

# Analysed words are cached per analyser: news text repeats its words, and the cache turns
# folding and stemming into one dictionary look-up for all but the first time a word is seen.
# Bounded per analyser (a cache that fills up is emptied and fills again with the words in use).
_CACHE_LIMIT = 200_000


@lru_cache(maxsize=1024)
def analyser_of(lang: str | None) -> str:
    """The analyser of documents in ``lang`` (an ISO 639-1 code, any case): its stemmer's name,
    or :data:`PLAIN`."""
    if not lang:
        return PLAIN
    return STEMMERS.get(lang.lower().partition("-")[0], PLAIN)


@cache
def _stemmer(name: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(name)


_caches: dict[str, dict[str, str]] = {}


def _analysed(tokens: Sequence[str], analyser: str) -> list[str]:
    cache_ = _caches.get(analyser)
    if cache_ is None:
        cache_ = _caches.setdefault(analyser, {})
    # One look-up per word at C speed; only a text with new words takes the slow path.
    out = list(map(cache_.get, tokens))
    if None not in out:
        return out  # type: ignore[return-value]
    missing = list({t for t, a in zip(tokens, out, strict=True) if a is None})
    if len(cache_) + len(missing) > _CACHE_LIMIT:
        cache_.clear()  # bounded: a corpus of junk words cannot grow it without end
        missing = list(set(tokens))
    # an ASCII word folds to its lower case (fold's letters and accents are none of its own)
    folded = [t.lower() if t.isascii() else fold(t) for t in missing]
    stems = _stemmer(analyser).stemWords(folded) if analyser else folded
    # A stemmer never empties a word, but an analysed word must stay one \w+ run: checked for
    # all of them at once (nearly always they are), else one by one.
    joined = " ".join(stems)
    if _WORD_RUNS.fullmatch(joined) and joined.count(" ") == len(stems) - 1:
        cache_.update(zip(missing, stems, strict=True))
    else:
        cache_.update(
            (token, stem if WORD.fullmatch(stem) else plain)
            for token, stem, plain in zip(missing, stems, folded, strict=True)
        )
    return [cache_[t] for t in tokens]


# \w+ runs apart by single spaces: a list of analysed words, each one \w+ run, joined.
_WORD_RUNS = re.compile(r"\w+(?: \w+)*")


# Analysing a text word by word in Python costs more than indexing it (a regular expression
# makes a string of every word). So a text is cut at its ASCII non-word characters at C speed
# (UTF-8 bytes through a byte table, then bytes.split()), and each piece is looked up whole in a
# cache of pieces: nearly every piece is one word seen before, whose analysed form the cache
# holds; a piece with other characters (``don’t``, ``—``) is analysed once by the \w+ rule and
# cached as its analysed words joined by spaces (possibly none). A piece is never cut inside a
# \w+ run (UTF-8 keeps a non-ASCII character's bytes apart from ASCII ones), so the words come
# out as \w+ runs would, in order.
_BYTE_BREAKS = bytes(b if chr(b).isascii() and WORD.match(chr(b)) else 32 for b in range(128))
_BYTE_BREAKS += bytes(range(128, 256))
_piece_caches: dict[str, dict[bytes, str]] = {}
# The pieces of each cache in the order they were added (appended at C speed as the cache
# fills), from which marked_words keeps an index of the pieces holding each analysed word.
_piece_logs: dict[str, list[bytes]] = {}
_form_indexes: dict[str, tuple[dict[str, set[bytes]], int]] = {}
_UTF8 = ("utf-8", "surrogatepass")


def _pieces(text: str) -> list[bytes]:
    return text.encode(*_UTF8).translate(_BYTE_BREAKS).split()


def _piece_cache(pieces: Iterable[bytes], analyser: str) -> dict[bytes, str]:
    """The cache of ``analyser``, holding every piece of ``pieces``."""
    cache_ = _piece_caches.get(analyser)
    if cache_ is None:
        cache_ = _piece_caches.setdefault(analyser, {})
        _piece_logs[analyser] = []
    # the pieces the cache lacks, at C speed (a set less a dict looks each piece up in it)
    distinct = pieces if isinstance(pieces, set) else set(pieces)
    missing = list(distinct.difference(cache_))
    if missing:
        log = _piece_logs[analyser]
        if len(cache_) + len(missing) > _CACHE_LIMIT:
            # bounded: a corpus of junk words cannot grow it without end
            cache_.clear()
            log.clear()
            _form_indexes.pop(analyser, None)
            _generations[analyser] = _generations.get(analyser, 0) + 1
            missing = list(distinct)
        # one pass of the stemmer over the words of every new piece: an ASCII piece is one
        # word (nearly all of them), another is taken apart by the \w+ rule
        plain = [p for p in missing if p.isascii()]
        others = [p for p in missing if not p.isascii()]
        runs = [WORD.findall(p.decode(*_UTF8)) for p in others]
        words_ = b" ".join(plain).decode().split() if plain else []
        forms = _analysed(words_ + [w for r in runs for w in r], analyser)
        cache_.update(zip(plain, forms, strict=False))
        rest = iter(forms[len(plain) :])
        for piece, run in zip(others, runs, strict=True):
            cache_[piece] = " ".join([next(rest) for _ in run])
        log += plain
        log += others
    return cache_


def _analysed_text(text: str, analyser: str) -> str:
    return _analysed_pieces(_pieces(text), analyser)


def _analysed_pieces(pieces: list[bytes], analyser: str) -> str:
    try:
        # nearly always every piece is cached: one look-up each, no list in between
        return " ".join(map(_piece_caches[analyser].__getitem__, pieces))
    except KeyError:
        return " ".join(map(_piece_cache(pieces, analyser).__getitem__, pieces))


# The exact words of each piece (of every language: lower-casing is the same in all), for the
# exact stream of a text that is not ASCII, whose pieces the analysed stream has cut already.
_exact_pieces: dict[bytes, str] = {}


def _both_streams(text: str, analyser: str) -> tuple[str, str]:
    """:func:`analyse_text` and :func:`exact_text` of ``text``, the text cut into pieces once."""
    pieces = _pieces(text)
    analysed = _analysed_pieces(pieces, analyser)
    if text.isascii():
        return analysed, text.lower().translate(ASCII_BREAKS)
    try:
        return analysed, " ".join(map(_exact_pieces.__getitem__, pieces))
    except KeyError:
        missing = set(pieces).difference(_exact_pieces)
        if len(_exact_pieces) + len(missing) > _CACHE_LIMIT:
            _exact_pieces.clear()  # bounded, as the analysed pieces are
            missing = set(pieces)
        for piece in missing:
            # an ASCII piece is one word; another is taken apart by the \w+ rule
            word = piece.decode(*_UTF8)
            _exact_pieces[piece] = word.lower() if piece.isascii() else " ".join(exact_words(word))
        return analysed, " ".join(map(_exact_pieces.__getitem__, pieces))


def analyse(text: str, lang: str | None) -> list[str]:
    """The analysed words of ``text`` in a document in ``lang``: one per word, in order."""
    return _analysed_text(text, analyser_of(lang)).split()


def analyse_text(text: str, lang: str | None) -> str:
    """:func:`analyse` as the text an engine indexes: the analysed words apart by whitespace
    (one or more spaces)."""
    return _analysed_text(text, analyser_of(lang))


def analyse_passages(passages: Iterable[str], lang: str | None) -> list[str]:
    """:func:`analyse_text` of each passage (a quote field's passages), one analyser look-up."""
    analyser = analyser_of(lang)
    return [_analysed_text(p, analyser) for p in passages]


@dataclass(frozen=True, slots=True)
class Streams:
    """The streams of each text field of one document, as an engine indexes them: the analysed
    words (:func:`analyse_text`) of the headline, body and comment text and of each passage of
    the quote field (:func:`corpsearch.passages.quote_passages`), and the same fields' exact
    words (:func:`exact_text`, in ``exact``: headline, body, text, then each passage).

    With them, ``names``: the document's :func:`names_of` (the folded words and keys of its
    author and its site's keys), which folding costs the writer as much again for each author
    it has not seen (most comments have an author of their own).

    The extraction workers compute them (:func:`article_streams`), on every core, so that the
    single index writer only hands them to its engine; an engine given a document without them
    computes them itself (:meth:`of`), with the same result.
    """

    headline: str
    body: str
    text: str
    quote: tuple[str, ...]
    exact: tuple[str, ...]
    names: tuple[tuple[str, ...], ...]

    @classmethod
    def of(
        cls,
        headline: str,
        body: str,
        text: str,
        quote: str,
        lang: str | None,
        author: str | None = None,
        site: str | None = None,
    ) -> Streams:
        analyser = analyser_of(lang)
        fields = [_both_streams(t, analyser) for t in (headline, body, text)]
        passages = [_both_streams(p, analyser) for p in quote_passages(quote)]
        return cls(
            fields[0][0],
            fields[1][0],
            fields[2][0],
            tuple(analysed for analysed, _ in passages),
            tuple(exact for _, exact in fields + passages),
            names_of(author, site),
        )

    def exact_of(self, field: str) -> str:
        """The exact words of ``headline``, ``body`` or ``text`` (:func:`exact_text`)."""
        return self.exact[_EXACT_FIELDS.index(field)]

    @property
    def quote_exact(self) -> tuple[str, ...]:
        """The exact words of each passage of the quote field."""
        return self.exact[len(_EXACT_FIELDS) :]


_EXACT_FIELDS = ("headline", "body", "text")


def article_streams(article: Article) -> tuple[Streams, ...]:
    """The streams of the article's index documents, in their order (the article's, then each
    comment's), each in the document's language: a comment's own, else its article's."""
    lang, site = article.language, article.site
    first = Streams.of(article.headline or "", article.body, "", "", lang, byline(article), site)
    comments = [
        Streams.of("", "", c.text, PASSAGE_JOIN.join(c.quotes), c.language or lang, c.author, site)
        for c in article.comments
    ]
    return (first, *comments)


def byline(article: Article) -> str | None:
    """The author of an article's index document: its authors apart by commas."""
    return ", ".join(article.authors) or None


def _form_index(analyser: str) -> dict[str, set[bytes]]:
    """The cached pieces of ``analyser`` by each analysed word of theirs, brought up to date
    with the pieces cached since it was last asked (each piece is indexed once)."""
    cache_ = _piece_caches[analyser]
    log = _piece_logs[analyser]
    index, done = _form_indexes.get(analyser, ({}, 0))
    if done < len(log):
        for piece in log[done:]:
            for form in cache_[piece].split():
                index.setdefault(form, set()).add(piece)
        _form_indexes[analyser] = (index, len(log))
    return index


def marked_words(
    text: str, lang: str | None, terms: Iterable[str], prefixes: Iterable[str] = ()
) -> set[str]:
    """The exact (lower-cased) words of ``text`` whose analysed form is one of ``terms`` or
    begins with one of ``prefixes``: the words a snippet marks for a query's analysed terms."""
    wanted = frozenset(terms)
    starts = tuple(prefixes)
    if not (wanted or starts) or not text:
        return set()
    analyser = analyser_of(lang)
    pieces = _pieces(text)
    cache_ = _piece_caches.get(analyser)
    # A snippet is made for each hit, and a hit's text has hundreds of pieces, of which a few
    # are marked: when every piece is cached (nearly always, once a few texts were seen), the
    # pieces holding a wanted form are those of the text among the cached pieces known to hold
    # one, which takes one look-up per piece in a dictionary and one in a small set, at C speed.
    holding: AbstractSet[bytes]
    if not starts and cache_ is not None and all(map(cache_.__contains__, pieces)):
        holding = _holding(analyser, wanted).intersection(pieces)
    else:
        holding = _holding_slowly(set(pieces), analyser, wanted, starts)
        cache_ = _piece_caches[analyser]
    found = set()
    for piece in holding:
        if piece.isascii():  # one word, as written
            found.add(piece.decode().lower())
            continue
        # pieces of several words (``don’t``: "don t") are taken apart
        runs = WORD.findall(piece.decode(*_UTF8))
        for run, one in zip(runs, cache_[piece].split(), strict=True):
            if one in wanted or (starts and one.startswith(starts)):
                found.add(run.lower())
    return found


# The cached pieces holding any of a set of forms, by analyser and set: the hits of one query
# ask for the same forms. Each is kept with the cache's generation and size it was made at, and
# made again once the cache has grown or been emptied.
_holdings: dict[tuple[str, frozenset[str]], tuple[int, int, frozenset[bytes]]] = {}
_generations: dict[str, int] = {}


def _holding(analyser: str, wanted: frozenset[str]) -> frozenset[bytes]:
    key = (analyser, wanted)
    stamp = (_generations.get(analyser, 0), len(_piece_logs[analyser]))
    known = _holdings.get(key)
    if known is not None and known[:2] == stamp:
        return known[2]
    index = _form_index(analyser)
    holding = frozenset().union(*(index.get(term, ()) for term in wanted))
    if len(_holdings) > 256:
        _holdings.clear()  # bounded: one entry per query and language, a few are in use
    _holdings[key] = (*stamp, holding)
    return holding


def _holding_slowly(
    pieces: set[bytes], analyser: str, wanted: frozenset[str], starts: tuple[str, ...]
) -> set[bytes]:
    """The pieces of ``pieces`` holding a wanted form, or a form beginning with one of
    ``starts`` (or several words, which the caller takes apart), caching those not cached."""
    cache_ = _piece_cache(pieces, analyser)
    # by set operations at C speed
    index = _form_index(analyser)
    holding: set[bytes] = set()
    for term in wanted:
        holding |= pieces.intersection(index.get(term, ()))
    if starts:
        # a prefix is looked for in every piece's form (prefix parts are few)
        # (and a piece of several words is taken apart below)
        holding.update(p for p in pieces if (f := cache_[p]).startswith(starts) or " " in f)
    return holding


# German written without umlauts: ae, oe, ue for ä, ö, ü (not the ue of "que"). German
# documents fold both spellings alike (their stemmer reads ae as ä); a query word written so is
# also tried with the umlaut, so that ``Mueller`` finds ``Müller`` in documents of any language.
_UMLAUT_SPELLING = re.compile(r"(?<!q)ue|[ao]e", re.IGNORECASE)
_UMLAUTS = {"ae": "a", "oe": "o", "ue": "u"}


def _spellings(tokens: list[str]) -> list[list[str]]:
    """``tokens``, and where some are written with ae/oe/ue, the same with a/o/u."""
    umlauts = [_UMLAUT_SPELLING.sub(lambda m: _UMLAUTS[m.group().lower()], fold(t)) for t in tokens]
    return [tokens, umlauts] if umlauts != [fold(t) for t in tokens] else [tokens]


@dataclass(frozen=True, slots=True)
class QueryAnalyser:
    """The analysis of query words in an index holding documents of ``analysers``
    (:func:`analyser_of` of each language there)."""

    analysers: frozenset[str]

    @classmethod
    def of_languages(cls, languages: Iterable[str | None]) -> QueryAnalyser:
        return cls(frozenset(analyser_of(lang) for lang in languages))

    def word(self, word: str) -> tuple[str, ...]:
        """The distinct analysed forms of one query word (a ``\\w+`` run), sorted."""
        spellings = _spellings([word])
        return tuple(sorted({_analysed(s, a)[0] for s in spellings for a in self._order()}))

    def phrase(self, text: str) -> tuple[tuple[str, ...], ...]:
        """The distinct analysed forms of the words of ``text``, one tuple per analyser: a
        document analysed by one analyser holds the phrase only in that analyser's form, so
        these tuples (not every mix of them) are what a phrase can match."""
        tokens = WORD.findall(text)
        if not tokens:
            return ()
        spellings = _spellings(tokens)
        return tuple(sorted({tuple(_analysed(s, a)) for s in spellings for a in self._order()}))

    @staticmethod
    def prefix(text: str) -> str:
        """The letters a prefix of the analysed stream begins with: the folded letters typed
        (stems begin like their words, so ``osterr*`` finds ``Österreich``; the exact stream
        is searched with the letters as typed as well, for words the stemmer cut shorter than
        the prefix: ``wahlen*`` finds ``Wahlen``, whose stem is ``wahl``)."""
        return fold(text)

    def _order(self) -> frozenset[str]:
        # An empty index has no languages; a query on it is still analysed (plainly).
        return self.analysers or frozenset({PLAIN})
