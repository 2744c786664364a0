"""The query language, compiled once for every engine.

Every rule of the language lives here: which node means what, field aliases, how whole values
(author, site, kind, lang) are normalised, how an unfielded word fans out over the text fields,
how a field's text becomes a term, a phrase or a proximity query, date-range edges, the two
phases of ``comments:(…)``, the limits on prefix and fuzzy words, and the one error class and
position every refusal has. An engine subclasses :class:`QueryCompiler` with its own query type
``Q`` and supplies only primitives (a word, a phrase, a range of seconds, all-of / any-of...),
so a new engine answers the same language by writing those and nothing else (docs/engines.md).

Analysis is one hook, :meth:`QueryCompiler.analyse`: a field's text → the index's terms. An
engine overrides it to analyse query words exactly as its index analysed the documents.
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Generic, NoReturn, TypeVar

from ..errors import QueryTooBroadError
from ..query import ast
from .compiler_snippets import WORD
from .ordering import seconds

__all__ = [
    "FIELD_ALIASES",
    "FIELD_WEIGHTS",
    "HEADLINE_WEIGHT",
    "KEYWORD_FIELDS",
    "MAX_EXPANSION",
    "MAX_HAS_COMMENTS_ARTICLES",
    "VERBATIM_FIELDS",
    "Expansion",
    "QueryCompiler",
    "keyword_value",
]

# How many index words one prefix or fuzzy term may stand for before the query is refused.
MAX_EXPANSION = 1000
# How many articles the comments of ``comments:(...)`` may belong to, on an engine that turns
# them into a set of article ids, before asking for a narrower query.
MAX_HAS_COMMENTS_ARTICLES = 100_000
# A word in a headline counts twice (how each engine weighs it is its own: a field boost, a
# boosted query, a rank factor).
HEADLINE_WEIGHT = 2.0
FIELD_WEIGHTS = {"headline": HEADLINE_WEIGHT, "body": 1.0, "text": 1.0, "quote": 1.0}
# The query language's field names that are another name for an index field.
FIELD_ALIASES = {"article": "article_id"}
# Whole-value fields as the index names them, and those compared exactly as written.
KEYWORD_FIELDS = frozenset(("id", "kind", "article_id", "url", "lang", "author", "site"))
VERBATIM_FIELDS = frozenset(("url", "id", "article_id"))

Q = TypeVar("Q")


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
    :data:`~corpsearch.query.ast.TEXT_FIELDS` or a whole-value field of :data:`KEYWORD_FIELDS`.
    """

    # An engine that runs ``comments:(…)`` as one query (a subquery) sets this and overrides
    # :meth:`commented_articles`; the others collect the comments' article ids first.
    native_has_comments: ClassVar[bool] = False

    def __init__(self) -> None:
        # The query part being compiled, as written, which a refusal names (see :meth:`refuse`).
        self._written = ""

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
            case ast.Term(field, text):
                self._written = text
                return self._fields(field, lambda f: self._text(f, text, 0))
            case ast.Phrase(field, text, slop):
                self._written = f'"{text}"'
                return self._fields(field, lambda f: self._text(f, text, slop))
            case ast.Prefix(field, text):
                self._written = f"{text}*"
                return self._expanded(
                    field, text, f"{text}*", lambda f, literal: self.prefix(f, literal)
                )
            case ast.Fuzzy(field, text, distance):
                self._written = f"{text}~"
                return self._expanded(
                    field,
                    text,
                    f"{text}~{distance}",
                    lambda f, literal: self.fuzzy(f, literal, distance),
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

    def _text(self, field: str, text: str, slop: int) -> Q:
        """A word or phrase: a whole value, or the field's terms as one word, an exact phrase or
        words in order with at most ``slop`` others between neighbours."""
        if field not in ast.TEXT_FIELDS:
            return self.value(field, self.keyword_value(field, text))
        tokens = self.analyse(field, text)
        if not tokens:
            return self.nothing()
        if len(tokens) == 1:
            return self.word(field, tokens[0])
        if slop == 0:
            return self.phrase(field, tokens)
        return self.proximity(field, tokens, slop)

    def keyword_value(self, field: str, text: str) -> str:
        return keyword_value(field, text, self.lower)

    def _expanded(
        self,
        field: str | None,
        text: str,
        written: str,
        make: Callable[[str, str], Expansion[Q]],
    ) -> Q:
        expansions: list[Expansion[Q]] = []

        def build(name: str) -> Q:
            literal = (
                self.lower(name, text)
                if name in ast.TEXT_FIELDS
                else self.keyword_value(name, text)
            )
            if not literal:
                return self.nothing()
            expansion = make(name, literal)
            expansions.append(expansion)
            return expansion.query

        query = self._fields(field, build)
        self._check_expansion(expansions, written)
        return query

    def _check_expansion(self, expansions: Sequence[Expansion[Q]], written: str) -> None:
        """Refuse a prefix or fuzzy word that stands for more than :data:`MAX_EXPANSION` words
        of the index, counted over every field it searches."""
        bounds = [e.at_most for e in expansions]
        if all(b is not None for b in bounds) and sum(b or 0 for b in bounds) <= MAX_EXPANSION:
            return  # the candidates are few enough: no need to match them
        words = itertools.chain.from_iterable(e.words for e in expansions)
        if next(itertools.islice(words, MAX_EXPANSION, None), None) is not None:
            self.refuse(
                f"{written!r} matches more than {MAX_EXPANSION:,} different words",
                "make it longer or more exact",
            )

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

    def analyse(self, field: str, text: str) -> list[str]:
        """The terms of ``text`` in the text field ``field``, as the index analysed documents:
        here ``\\w+`` runs, each lower-cased."""
        return [word.lower() for word in WORD.findall(text)]

    def lower(self, field: str, text: str) -> str:
        """A whole value, or a prefix or fuzzy word, lower-cased as the index lower-cases."""
        return text.lower()

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
