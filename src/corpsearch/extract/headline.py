"""The headline of a page of an unknown site, chosen by agreement between its candidates.

Candidates are what the page shows (its ``<h1>``s, header and article ``<h2>``s, the parts of
a heading, a run of words inside a heading that a declared title repeats) and what it declares
(the JSON-LD or microdata headline, ``og:title``, ``twitter:title``, ``<title>`` without the
site's name). Each declared source votes for the candidates it names: in full when their words
are the same, half when the candidate opens or closes it (a title with a kicker or a site name
glued on); in full too a shown candidate with the words of a title cut before a separator
("-", "|", "_" or a dash, spaced or not) where the shorter rest is no heading (a site's name);
in part a shown heading that is such a rest ("Show - Episode", "Show: Episode", the episode
shown as a heading of its own where the page has no ``<h1>``).
A shown candidate adds the weight of where it is shown (the first ``<h1>`` most); a heading of
level 4 to 6 is a candidate only where a declared value (or such a cut) names it in full.
Headings that name the site (its logo) or only link to its home page are no candidates. The
candidate with the highest score wins, in the form the page shows it; no fixed order of
sources decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from corpsearch.extract.metadata import Heading, PageMetadata

__all__ = ["choose_headline", "host_of", "words_key"]

# "Headline | Site", "Site - Headline", and as Chinese portals write it, "标题_栏目_网站名"
_TITLE_SEPARATORS = re.compile(r"\s+[|–—•·:»]\s+|\s+-\s+|\s+::\s+|\s*[_｜]\s*")
_LONGEST = 300  # characters; a longer heading is a paragraph set in large type

# weights: a declared source's vote, and what being shown adds
_VOTE_HEADLINE = 1.2  # JSON-LD/microdata headline: declared as the headline itself
_VOTE_TITLE = 1.0  # og:title, twitter:title, <title>
_EXACT = 2.0  # a vote for a candidate with the same words as the declared value
_PARTIAL = 1.0  # a vote for one that opens or closes it (a kicker or a tagline glued on)
# where a title is cut to drop a site's name written after it: a separator, spaced or not
_SUFFIX_SEPARATOR = re.compile(r"[-|_–—｜]")
_CUT_KEPT = 0.5  # share of the title's words a cut keeps at least (a site name is the shorter)
# what a title names after a separator or a colon ("Show: Episode"), as a heading of the page
_REST_SEPARATOR = re.compile(r"[-|–—｜]|(?<=\S):(?=\s)")
_REST = 0.8  # its vote: less than a heading the title opens or closes with most of its words
# share of the votes kept by a candidate the page does not show: a declared headline alone
# outweighs an unconfirmed first <h1>, a title alone no shown heading
_HEADLINE_ALONE = 0.45
_TITLE_ALONE = 0.28
_SHOWN_FIRST_H1 = 1.0
_SHOWN_H1 = 0.7
_SHOWN_H2 = 0.6
_SHOWN_OTHER = 0.3  # other h2/h3: only with a vote
_PART = 0.9  # a part of a heading, relative to the heading
_MARKED = 0.3  # a heading part marked as the headline by its class


def words_key(text: str) -> str:
    """Lower-cased words of ``text`` joined by single spaces: what two texts are compared by
    (an underscore parts words, as in "标题_网站名")."""
    return " ".join(_WORD.findall(text.casefold()))


_WORD = re.compile(r"[^\W_]+")  # compiled once: called for every link of a page


# scripts written without spaces between words: a run of them is many words
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


@dataclass
class _Candidate:
    text: str
    shown: float = 0.0  # weight of where it is shown (0: only declared)
    needs_vote: bool = False  # an h2/h3 of the page counts only when a source names it
    votes: dict[int, float] = field(default_factory=dict)  # source index -> vote


@dataclass(frozen=True)
class _Source:
    weight: float
    forms: frozenset[str]  # word keys: the value, and the value without the site's name
    alone: float  # share of its vote for a candidate the page does not show
    # word keys of the runs of the value's parts between separators ("Section - Headline -
    # Site" holds "headline"): where no site name is known to cut its ends, the headline is
    # still one run of the parts of a title
    runs: frozenset[str] = frozenset()
    # word keys of a title cut before a separator, where the rest is the shorter ("Headline-Site
    # Name" holds "headline"): a shown candidate with these words is named in full
    cuts: frozenset[str] = frozenset()
    # word keys of what a title names after a separator that is a heading of the page ("Show -
    # Episode" holds "episode" where a heading shows it): such a heading is named in part
    rests: frozenset[str] = frozenset()


def choose_headline(meta: PageMetadata, url: str | None) -> str | None:
    """The best-supported headline of the page, as shown, or None when it has none."""
    site_keys = _site_keys(meta, url)
    candidates: dict[str, _Candidate] = {}

    def add(text: str, shown: float, needs_vote: bool = False) -> None:
        key = words_key(text)
        if not key or len(text) > _LONGEST or _is_site(key, site_keys):
            return
        found = candidates.get(key)
        if found is None:
            candidates[key] = _Candidate(text, shown, needs_vote)
        else:
            if shown > found.shown:  # the form shown, where it is shown most
                found.text, found.shown = text, shown
            found.needs_vote = found.needs_vote and needs_vote

    first = True
    for heading in meta.headings:
        if _names_site(heading, site_keys) or heading.home_link:
            continue
        weight = _SHOWN_H2 if heading.level > 1 else (_SHOWN_FIRST_H1 if first else _SHOWN_H1)
        first = first and heading.level > 1
        _add_heading(heading, weight, add)
    minor = [heading for heading in meta.other_headings if heading.level > 3]
    for heading in meta.other_headings:
        if heading.level <= 3:
            _add_heading(heading, _SHOWN_OTHER, add, needs_vote=True)
    for text in meta.headlines:
        add(text, 0.0)
    for title in meta.titles:
        add(_strip_site_name(title, meta, url), 0.0)
    shown_keys = {key for key, candidate in candidates.items() if candidate.shown > 0}
    sources = _sources(meta, site_keys, shown_keys | {words_key(h.text) for h in minor})
    # an h4 to h6 (or a part of one) is a candidate only where a declared value names it in
    # full: a cover block's heading where a template has no h1
    named = {key for source in sources for key in source.forms | source.cuts | source.rests}
    for heading in minor:
        for text in (heading.text, *heading.parts):
            if words_key(text) in named:
                add(text, _shown_weight(text, _SHOWN_OTHER), needs_vote=True)
    best: tuple[float, int, str] | None = None
    for order, (key, candidate) in enumerate(candidates.items()):
        votes = _votes(key, sources, shown=candidate.shown > 0)
        if candidate.needs_vote and not votes:
            continue
        score = candidate.shown + sum(votes)
        if best is None or score > best[0]:
            best = (score, order, candidate.text)
    return best[2] if best else None


class _Adder(Protocol):
    def __call__(self, text: str, shown: float, needs_vote: bool = False) -> None: ...


def _add_heading(heading: Heading, weight: float, add: _Adder, needs_vote: bool = False) -> None:
    """The heading and its parts (elements or lines of its own: a kicker, the headline, an
    author line) as candidates."""
    add(heading.text, _shown_weight(heading.text, weight), needs_vote)
    for part in heading.parts:
        bonus = _MARKED if part == heading.marked else 0.0
        add(part, _shown_weight(part, weight * _PART) + bonus, needs_vote)


def _shown_weight(text: str, weight: float) -> float:
    # a single word shown as a heading is more often a section's name ("Editorial", "Menu")
    return weight / 2 if _words(text) < 2 else weight


def _words(text: str) -> int:
    """How many words ``text`` holds, a run of four characters or more of a script written
    without spaces (a heading in Chinese or Japanese is one "word" however long) as two."""
    words = len(words_key(text).split())
    if words < 2 and len(_UNSPACED.findall(text)) >= 4:
        words = 2
    return words


def _votes(key: str, sources: list[_Source], shown: bool) -> list[float]:
    """The votes of the declared values for a candidate; one the page does not show keeps
    only a share of them, so that what the page shows wins when something confirms it (and a
    title's cuts name only what the page shows)."""
    votes = []
    for source in sources:
        share = 1.0 if shown else source.alone
        if key in source.forms or (shown and key in source.cuts):
            votes.append(source.weight * _EXACT * share)
        elif any(_overlaps(key, form) for form in source.forms) or _a_run_of(key, source):
            votes.append(source.weight * _PARTIAL * share)
        elif shown and key in source.rests:
            votes.append(source.weight * _REST)
    return votes


def _a_run_of(key: str, source: _Source) -> bool:
    """The candidate is a run of the declared value's parts and most of it, as a headline is
    between a section's and a site's name ("News - Headline - Site")."""
    if key not in source.runs or len(key) < 10:
        return False
    return len(key) >= 0.4 * max(len(form) for form in source.forms)


def _overlaps(key: str, form: str) -> bool:
    """One of the two opens or closes the other and is most of it: a title with a kicker or
    a tagline glued on, or a declared headline cut short."""
    short, long = sorted((key, form), key=len)
    if len(short) < 10 or len(short) < 0.4 * len(long) or short == long:
        return False
    return long.startswith(short + " ") or long.endswith(" " + short)


def _sources(meta: PageMetadata, site_keys: set[str], shown: set[str]) -> list[_Source]:
    """The declared values, each with its words and its words without the site's name; a
    value with the same words as an earlier one (twitter:title = og:title) is left out.
    ``shown`` holds the word keys of the page's headings: a title's cut drops no heading."""
    sources: list[_Source] = []
    seen: set[str] = set()
    kinds = (
        (_VOTE_HEADLINE, _HEADLINE_ALONE, meta.headlines, False),
        (_VOTE_TITLE, _TITLE_ALONE, meta.titles, True),
    )
    for weight, alone, values, titles in kinds:
        for value in values:
            forms = frozenset({words_key(value), words_key(_without_site(value, site_keys))})
            forms -= {""}
            if not forms or forms & seen:
                continue
            seen |= forms
            cuts = _cuts(value, shown) if titles else frozenset()
            rests = _rests((value, _without_site(value, site_keys)), shown) if titles else set()
            sources.append(
                _Source(weight, forms, alone, _runs(value), cuts - forms, frozenset(rests - forms))
            )
    return sources


def _rests(values: tuple[str, ...], shown: set[str]) -> set[str]:
    """The word keys of what each value names after a separator or a colon, to its end or to
    a later separator (a site's name after it), where that is a heading of the page of two
    words or more and what comes before the separator is none ("Here's The Thing: Stacy
    Keach - Radio" with a heading "Stacy Keach"; not the masthead of "Headline | Site Name"
    under which the headline is a heading too, nor the "what next" of "Brexit: what next",
    which no heading shows alone)."""
    rests = set()
    for value in values:
        separators = list(_REST_SEPARATOR.finditer(value))
        for n, separator in enumerate(separators):
            if words_key(value[: separator.start()]) in shown:
                continue
            for end in (*(later.start() for later in separators[n + 1 :]), len(value)):
                key = words_key(value[separator.end() : end])
                if key in shown and _words(key) >= 2:
                    rests.add(key)
    return rests


def _cuts(title: str, shown: set[str]) -> frozenset[str]:
    """The word keys of ``title`` cut before each separator where what is cut off is the
    shorter part and no heading of the page (a site's name, "Headline-Site Name", not the
    episode of "Show - Episode"); a cut in a word (the "Jean" of "Jean-Pierre …") keeps too
    little of the title to count."""
    full = len(words_key(title))
    cuts = set()
    for separator in _SUFFIX_SEPARATOR.finditer(title):
        key = words_key(title[: separator.start()])
        kept = len(key) >= 10 and len(key) >= _CUT_KEPT * full
        if kept and words_key(title[separator.end() :]) not in shown:
            cuts.add(key)
    return frozenset(cuts)


def _runs(value: str) -> frozenset[str]:
    """The word keys of every run of two or more parts' length short of all of them, and of
    every single part, of a value written with title separators."""
    parts = [words_key(p) for p in _TITLE_SEPARATORS.split(value)]
    if len(parts) < 3:
        return frozenset()  # "Headline | Site": the ends are compared already
    runs = {
        " ".join(p for p in parts[i:j] if p)
        for i in range(len(parts))
        for j in range(i + 1, len(parts) + 1)
        if j - i < len(parts)
    }
    return frozenset(runs - {""})


def _without_site(title: str, site_keys: set[str]) -> str:
    """``title`` without the parts at its ends that name the site ("Headline | Site",
    "Site - Headline"); unchanged when no end part is a site name."""
    parts = _TITLE_SEPARATORS.split(title)
    while len(parts) > 1 and words_key(parts[-1]).replace(" ", "") in site_keys:
        parts.pop()
    while len(parts) > 1 and words_key(parts[0]).replace(" ", "") in site_keys:
        parts.pop(0)
    if len(parts) == len(_TITLE_SEPARATORS.split(title)):
        return title
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end] if 0 <= start < end else title


def _site_keys(meta: PageMetadata, url: str | None) -> set[str]:
    """What names the site, spaces and punctuation removed: its declared names and its host
    ("internet-law.de" names "Internet-Law")."""
    keys = {words_key(n).replace(" ", "") for n in meta.site_names}
    host = host_of(url) or (host_of(meta.urls[0]) if meta.urls else None)
    if host:
        keys.add(words_key(host).replace(" ", ""))
        keys.add(words_key(host.split(".")[0]).replace(" ", ""))
    return {k for k in keys if k}


def _is_site(key: str, site_keys: set[str]) -> bool:
    squeezed = key.replace(" ", "")
    return squeezed in site_keys or (len(squeezed) >= 5 and any(squeezed in k for k in site_keys))


def _names_site(heading: Heading, site_keys: set[str]) -> bool:
    """A heading that is the site's name or logo: its text or one of its parts is a site name,
    or it is part of a longer site name ("WordPress.com" of "The WordPress.com Blog")."""
    texts = [heading.text]
    if heading.parts:
        texts.append(max(heading.parts, key=len))  # "BLOG: <site name>"; not a kicker
    return any(_is_site(words_key(text), site_keys) for text in texts)


def _strip_site_name(title: str, meta: PageMetadata, url: str | None) -> str:
    """``title`` without the part that names the site ("Headline | Site"); the longest part
    when no part is known to name it."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) == 1:
        return title
    host = words_key(host_of(url) or "")
    names = {words_key(n) for n in meta.site_names} | {host, host.split(" ")[0]}
    names.discard("")
    kept = [
        p for p in parts if words_key(p) not in names and not any(n in words_key(p) for n in names)
    ]
    if kept and len(kept) < len(parts):
        return max(kept, key=len)
    return max(parts, key=len)
