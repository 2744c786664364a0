"""The query language, compiled once for every engine.

Every rule of the language lives here: which node means what, field aliases, how whole values
(author, site, kind, lang) are normalised, how an unfielded word fans out over the text fields,
how a field's text becomes a term, a phrase or a proximity query, date-range edges, the two
phases of ``comments:(…)``, the limits on prefix and fuzzy words, and the one error class and
position every refusal has. An engine subclasses :class:`QueryCompiler` with its own query type
``Q`` and supplies only primitives (a word, a phrase, a range of seconds, all-of / any-of...),
so a new engine answers the same language by writing those and nothing else (docs/engines.md).

Analysis is one hook, :meth:`QueryCompiler.analyse`: a field's text → the index's terms. Every
text field is indexed as two streams (corpsearch.analysis): its exact words (``body``) and its
analysed words (``body_stem``: folded, stemmed in the document's language). The hook gives the
exact stream's words for ``=word`` and ``="a phrase"``, and otherwise the distinct analysed forms
of the words under each language of the index, each form an alternative a document may match.
Prefixes search both streams, fuzzy words the exact one (:meth:`QueryCompiler._expanded`);
names match by any folded word (``author:ivan``) or whole (``author:"Ivan Penn"``), sites with
their subdomains (``site:spiegel.de``).
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Generic, NoReturn, TypeVar

from ..analysis import QueryAnalyser, exact_words, fold, fold_value, name_words, site_key
from ..errors import QueryTooBroadError
from ..query import ast
from .ordering import seconds

__all__ = [
    "FIELD_ALIASES",
    "FIELD_WEIGHTS",
    "HEADLINE_WEIGHT",
    "KEYWORD_FIELDS",
    "MAX_EXPANSION",
    "MAX_HAS_COMMENTS_ARTICLES",
    "NAME_FIELDS",
    "STEM",
    "STEM_FIELDS",
    "VERBATIM_FIELDS",
    "Expansion",
    "QueryCompiler",
    "base_field",
    "keyword_value",
    "stem_field",
]

# How many index words one prefix or fuzzy term may stand for before the query is refused.
MAX_EXPANSION = 1000
# How many articles the comments of ``comments:(...)`` may belong to, on an engine that turns
# them into a set of article ids, before asking for a narrower query.
MAX_HAS_COMMENTS_ARTICLES = 100_000
# A word in a headline counts twice (how each engine weighs it is its own: a field boost, a
# boosted query, a rank factor).
HEADLINE_WEIGHT = 2.0
# The analysed stream of a text field is the field's name with this suffix (``body_stem``).
STEM = "_stem"
STEM_FIELDS = tuple(name + STEM for name in ast.TEXT_FIELDS)
_BASE_WEIGHTS = {"headline": HEADLINE_WEIGHT, "body": 1.0, "text": 1.0, "quote": 1.0}
FIELD_WEIGHTS = {**_BASE_WEIGHTS, **{k + STEM: w for k, w in _BASE_WEIGHTS.items()}}
# The index fields names are matched in: every folded word of an author's name, the whole
# folded name(s), and a site's host with the domains it lies in (corpsearch.analysis).
NAME_FIELDS = ("author_words", "author_key", "site_keys")
# The query language's field names that are another name for an index field.
FIELD_ALIASES = {"article": "article_id"}
# Whole-value fields as the index names them, and those compared exactly as written.
KEYWORD_FIELDS = frozenset(("id", "kind", "article_id", "url", "lang", "author", "site"))
VERBATIM_FIELDS = frozenset(("url", "id", "article_id"))

Q = TypeVar("Q")


def stem_field(field: str) -> str:
    """The analysed stream of a text field (``body`` → ``body_stem``)."""
    return field + STEM


def base_field(field: str) -> str:
    """The text field a stream belongs to (``body_stem`` → ``body``; ``body`` → ``body``)."""
    return field.removesuffix(STEM)


def keyword_value(
    field: str, text: str, lower: Callable[[str, str], str] = lambda _, text: text.lower()
) -> str:
    """A whole value as the index holds it (and compares it): ids and urls as written, others
    lower-cased (by ``lower``, the engine's lower-casing), a site without its ``www.``."""
    if field in VERBATIM_FIELDS:
        return text
    value = lower(field, text)
    if field == "site" and value.startswith("www."):
        return value[4:]
    return value


@dataclass(frozen=True)
class Expansion(Generic[Q]):
    """A prefix or fuzzy word compiled for one field: its query, the index words (or values) it
    stands for, read lazily (only as far as the limit needs), and, when the engine knows it
    cheaply, a number they cannot exceed (so that few candidates need no matching at all)."""

    query: Q
    words: Iterable[str]
    at_most: int | None = None


class QueryCompiler(ABC, Generic[Q]):
    """Query tree → an engine's query ``Q``; subclasses supply the primitives below.

    Field names reaching a primitive are index fields: a text field of
    :data:`~corpsearch.query.ast.TEXT_FIELDS` (its exact stream), its analysed stream of
    :data:`STEM_FIELDS`, a whole-value field of :data:`KEYWORD_FIELDS` or a name field of
    :data:`NAME_FIELDS` (values already folded).
    """

    # An engine that runs ``comments:(…)`` as one query (a subquery) sets this and overrides
    # :meth:`commented_articles`; the others collect the comments' article ids first.
    native_has_comments: ClassVar[bool] = False

    def __init__(self) -> None:
        # The query part being compiled, as written, which a refusal names (see :meth:`refuse`).
        self._written = ""
        self._analyser: QueryAnalyser | None = None
        self._forms: dict[str, tuple[tuple[str, ...], ...]] = {}

    # -- the language -------------------------------------------------------------------------

    def compile(self, node: ast.Node) -> Q:
        match node:
            case ast.And(children):
                return self._all(children)
            case ast.Or(children):
                if not children:
                    return self.nothing()
                return self.any_of([self.compile(child) for child in children])
            case ast.Not():
                return self._all((node,))
            case ast.MatchAll():
                return self.match_all()
            case ast.DateRange(start, end):
                return self._dates(start, end)
            case ast.HasComments(inner):
                return self._has_comments(inner)
            case ast.Term(field, text, exact):
                self._written = text
                return self._fields(field, lambda f: self._text(f, text, 0, exact, False))
            case ast.Phrase(field, text, slop, exact):
                self._written = f'"{text}"'
                return self._fields(field, lambda f: self._text(f, text, slop, exact, True))
            case ast.Prefix(field, text, exact):
                self._written = f"{text}*"
                return self._expanded(
                    field,
                    text,
                    f"{text}*",
                    lambda f, literal: self.prefix(f, literal),
                    # a prefix searches the analysed stream too: stems begin like their words
                    stems=not exact,
                )
            case ast.Fuzzy(field, text, distance):
                self._written = f"{text}~"
                return self._expanded(
                    field,
                    text,
                    f"{text}~{distance}",
                    lambda f, literal: self.fuzzy(f, literal, distance),
                    stems=False,
                )
        raise TypeError(f"not a query node: {node!r}")

    def _all(self, children: Sequence[ast.Node]) -> Q:
        if not children:
            return self.nothing()
        must = [self.compile(c) for c in children if not isinstance(c, ast.Not)]
        must_not = [self.compile(c.child) for c in children if isinstance(c, ast.Not)]
        return self.all_of(must, must_not)

    def _fields(self, field: str | None, build: Callable[[str], Q]) -> Q:
        """An unfielded part searches every text field; a fielded one its (aliased) field."""
        if field is None:
            return self.any_of([build(name) for name in ast.TEXT_FIELDS])
        name = FIELD_ALIASES.get(field, field)
        if name not in ast.TEXT_FIELDS and name not in KEYWORD_FIELDS:
            return self.nothing()
        return build(name)

    def _text(self, field: str, text: str, slop: int, exact: bool, whole: bool) -> Q:
        """A word or phrase: a name or whole value, or the field's terms — each alternative of
        :meth:`analyse` as one word, an exact phrase or words in order with at most ``slop``
        others between neighbours."""
        if field not in ast.TEXT_FIELDS:
            return self._value_text(field, text, whole)
        parts = []
        for name, tokens in self.analyse(field, text, exact):
            if not tokens:
                continue
            if len(tokens) == 1:
                parts.append(self.word(name, tokens[0]))
            elif slop == 0:
                parts.append(self.phrase(name, tokens))
            else:
                parts.append(self.proximity(name, tokens, slop))
        if not parts:
            return self.nothing()
        return parts[0] if len(parts) == 1 else self.any_of(parts)

    def _value_text(self, field: str, text: str, whole: bool) -> Q:
        """``author:word`` matches any folded word of a name (every word, if it has several),
        ``author:"a name"`` the whole name; ``site:`` a host and the domains it lies in."""
        if field == "author":
            if whole:
                key = fold_value(text).strip()
                return self.value("author_key", key) if key else self.nothing()
            parts = [self.value("author_words", w) for w in dict.fromkeys(name_words(text))]
            if not parts:
                return self.nothing()
            return parts[0] if len(parts) == 1 else self.all_of(parts, [])
        if field == "site":
            key = site_key(text)
            return self.value("site_keys", key) if key else self.nothing()
        return self.value(field, self.keyword_value(field, text))

    def keyword_value(self, field: str, text: str) -> str:
        return keyword_value(field, text, self.lower)

    def _expanded(
        self,
        field: str | None,
        text: str,
        written: str,
        make: Callable[[str, str], Expansion[Q]],
        stems: bool,
    ) -> Q:
        expansions: list[Expansion[Q]] = []

        def expand(name: str, literal: str) -> Q:
            if not literal:
                return self.nothing()
            expansion = make(name, literal)
            expansions.append(expansion)
            return expansion.query

        def build(name: str) -> Q:
            if name in ast.TEXT_FIELDS:
                exact = expand(name, self.lower(name, text))
                if not stems:
                    return exact
                return self.any_of([exact, expand(stem_field(name), fold(text))])
            if name == "author":
                return expand("author_words", fold(text))
            if name == "site":
                return expand("site_keys", site_key(text))
            return expand(name, self.keyword_value(name, text))

        query = self._fields(field, build)
        self._check_expansion(expansions, written)
        return query

    def _check_expansion(self, expansions: Sequence[Expansion[Q]], written: str) -> None:
        """Refuse a prefix or fuzzy word that stands for more than :data:`MAX_EXPANSION`
        different words of the index, counted over every field and stream it searches."""
        bounds = [e.at_most for e in expansions]
        if all(b is not None for b in bounds) and sum(b or 0 for b in bounds) <= MAX_EXPANSION:
            return  # the candidates are few enough: no need to match them
        seen: set[str] = set()
        for word in itertools.chain.from_iterable(e.words for e in expansions):
            seen.add(word)
            if len(seen) > MAX_EXPANSION:
                self.refuse(
                    f"{written!r} matches more than {MAX_EXPANSION:,} different words",
                    "make it longer or more exact",
                )

    @staticmethod
    def words_enough() -> int:
        """How many index words an engine need list for one prefix or fuzzy part in one field
        (see :meth:`prefix`): one more than :data:`MAX_EXPANSION` decides the refusal."""
        return MAX_EXPANSION + 1

    def _dates(self, start: datetime | None, end: datetime | None) -> Q:
        """``start <= date < end`` in whole UTC seconds (rounded down); no ends: dated."""
        if start is None and end is None:
            return self.dated()
        low = None if start is None else seconds(start)
        high = None if end is None else seconds(end)
        if low is not None and high is not None and low >= high:
            return self.nothing()
        return self.date_range(low, high)

    def _has_comments(self, inner: ast.Node) -> Q:
        """Articles with a comment matching ``inner``: the comments first, then their articles
        (or one subquery, on an engine that can)."""
        comments = self.all_of([self.value("kind", "comment"), self.compile(inner)], [])
        if self.native_has_comments:
            return self.commented_articles(comments)
        ids = self.article_ids(comments, MAX_HAS_COMMENTS_ARTICLES + 1)
        if len(ids) > MAX_HAS_COMMENTS_ARTICLES:
            self._written = "comments:("
            self.refuse(
                f"comments:(...) matches comments on more than {MAX_HAS_COMMENTS_ARTICLES:,} "
                "articles",
                "narrow the inner query",
            )
        if not ids:
            return self.nothing()
        return self.all_of([self.value("kind", "article"), self.id_set(sorted(ids))], [])

    def refuse(self, reason: str, hint: str) -> NoReturn:
        """Refuse the query part being compiled: every engine's refusal is a
        :class:`QueryTooBroadError` naming the part as written, which the index locates in the
        query string (its first occurrence)."""
        raise QueryTooBroadError(reason, term=self._written, hint=hint)

    # -- analysis: the one place text becomes the index's terms --------------------------------

    def analyse(self, field: str, text: str, exact: bool = False) -> list[tuple[str, list[str]]]:
        """The alternatives ``text`` in the text field ``field`` stands for, each an index field
        and its terms: with ``exact``, the exact stream's words (:meth:`words`); otherwise the
        analysed stream's terms under each analyser of the index's languages, distinct (a
        document analysed by one analyser holds the text only in that analyser's form)."""
        if exact:
            return [(field, self.words(field, text))]
        # an unfielded word is analysed once for the four fields it searches
        forms = self._forms.get(text)
        if forms is None:
            forms = self._forms[text] = self.analyser.phrase(text)
        return [(stem_field(field), list(terms)) for terms in forms]

    def words(self, field: str, text: str) -> list[str]:
        """The exact stream's words of ``text``: ``\\w+`` runs, each lower-cased (an engine
        whose index lower-cases them itself overrides this to lower-case alike)."""
        return exact_words(text)

    def lower(self, field: str, text: str) -> str:
        """A whole value, or a prefix or fuzzy word, lower-cased as the index lower-cases."""
        return text.lower()

    def languages(self) -> Iterable[str]:
        """The languages of the index's documents (as documents give them); an engine lists
        them so that query words are analysed with each of their stemmers."""
        return ()

    @property
    def analyser(self) -> QueryAnalyser:
        """The query analyser of this index: every language's stemmer, and plain folding (for
        documents without a language or with one no stemmer knows)."""
        if self._analyser is None:
            self._analyser = QueryAnalyser.of_languages([*self.languages(), None])
        return self._analyser

    # -- the primitives an engine supplies ------------------------------------------------------

    @abstractmethod
    def word(self, field: str, term: str) -> Q:
        """Documents whose text field holds ``term``."""

    @abstractmethod
    def phrase(self, field: str, terms: Sequence[str]) -> Q:
        """``terms`` at consecutive positions of one passage of the text field (never across
        two fields, two documents or two quoted passages)."""

    @abstractmethod
    def proximity(self, field: str, terms: Sequence[str], slop: int) -> Q:
        """``terms`` in this order within one passage, at most ``slop`` other words between each
        neighbouring pair (``slop`` ≥ 1)."""

    @abstractmethod
    def value(self, field: str, value: str) -> Q:
        """Documents whose whole-value field is ``value`` (already normalised)."""

    @abstractmethod
    def prefix(self, field: str, literal: str) -> Expansion[Q]:
        """Terms (or whole values) of ``field`` beginning with ``literal`` (not empty)."""

    @abstractmethod
    def fuzzy(self, field: str, literal: str, distance: int) -> Expansion[Q]:
        """Terms (or values) with ``literal``'s first letter, within ``distance`` edits of it."""

    @abstractmethod
    def date_range(self, start: int | None, end: int | None) -> Q:
        """Documents dated ``start <= UTC seconds < end``; one end may be None (open)."""

    @abstractmethod
    def dated(self) -> Q:
        """Documents with a date."""

    @abstractmethod
    def all_of(self, must: Sequence[Q], must_not: Sequence[Q]) -> Q:
        """Documents matching every ``must`` and no ``must_not``; with no ``must``, every
        document that matches no ``must_not``. Only ``must`` parts score."""

    @abstractmethod
    def any_of(self, parts: Sequence[Q]) -> Q:
        """Documents matching at least one part (at least one is given)."""

    @abstractmethod
    def match_all(self) -> Q:
        """Every document."""

    @abstractmethod
    def nothing(self) -> Q:
        """No document."""

    def id_set(self, ids: Sequence[str]) -> Q:
        """Documents whose id is one of ``ids`` (sorted, at least one)."""
        return self.any_of([self.value("id", i) for i in ids])

    def article_ids(self, comments: Q, limit: int) -> set[str]:
        """The distinct article ids of the documents matching ``comments``, at most ``limit``
        of them (reading may stop there). Needed unless :attr:`native_has_comments`."""
        raise NotImplementedError(f"{type(self).__name__} collects no article ids")

    def commented_articles(self, comments: Q) -> Q:
        """The articles of the documents matching ``comments``, as one query (engines with
        :attr:`native_has_comments`); it does not score."""
        raise NotImplementedError(f"{type(self).__name__} has no native comments:(...)")
