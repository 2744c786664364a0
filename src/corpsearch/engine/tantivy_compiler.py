"""The tantivy engine's primitives for the shared query compiler (corpsearch.engine.compiler):
query tree → tantivy query objects, never through tantivy's query parser.

Where a tantivy query means something else the gap is closed here: fuzzy words are matched on
listed terms (tantivy's fuzzy query cannot keep the first letter), proximity of more than two
words is a union of exact phrases or checked on stored text (tantivy's slop is one budget for
the whole phrase), and scores are weighted for field lengths (corpsearch.engine.kind_lengths).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import tantivy
from tantivy import Occur, Query

from ..analysis import analyse, marked_words
from .compiler import FIELD_WEIGHTS, STEM, Expansion, QueryCompiler, base_field
from .expansions import fuzzy_matches, prefix_pattern
from .kind_lengths import FIELD_KIND, LengthWeight, bm25_idf, kind_length_weights
from .ordering import MAX_CHAINS, chain_count, distance_chains, in_order
from .tantivy_schema import clamped, written

__all__ = ["MAX_PROXIMITY_CANDIDATES", "TantivyCompiler", "TermLists"]

# How many candidate documents a proximity query may check in stored text (about 0.3 ms each)
# before asking for a narrower query.
MAX_PROXIMITY_CANDIDATES = 20_000
# Whether two different words near each other are one sloppy phrase (see _window), not chains.
SLOPPY_PAIRS = True


class TermLists:
    """What a query reads of the index's terms, read once for a state of the index: the index
    words of a field that begin with a letter (what a fuzzy word is matched against: tantivy
    lists about two words a microsecond, so a fuzzy word cost a few milliseconds a field,
    every time), and the statistics every query starts from (the documents of each kind, for
    the field length weights, and the languages, whose stemmers analyse the query's words),
    which cost a small query a tenth of its time. The owner calls :meth:`clear` whenever the
    index it reads changes; at most ``MAX_WORDS`` words are held."""

    MAX_WORDS = 2_000_000

    def __init__(self) -> None:
        self._lists: dict[tuple[str, str], list[str]] = {}
        self._held = 0
        self._state: tuple[int, int] | None = None
        self._weights: dict[str, LengthWeight] | None = None
        self._languages: list[str] | None = None

    def _check(self, searcher: Any) -> None:
        # a searcher of another state than the lists' (a commit between the owner's check and
        # taking the searcher) starts them again
        state = (searcher.num_docs, searcher.num_segments)
        if state != self._state:
            self.clear()
            self._state = state

    def weights(self, searcher: Any) -> dict[str, LengthWeight]:
        """The field length weights of the index (corpsearch.engine.kind_lengths): tantivy
        averages a field's length over all documents; these make up for comments having no
        headline or body and articles no text or quote. Like tantivy's token totals, doc_freq
        still counts deleted documents until their segments merge."""
        self._check(searcher)
        if self._weights is None:
            kinds = sorted(set(FIELD_KIND.values()))
            counts = {kind: searcher.doc_freq("kind", kind) for kind in kinds}
            self._weights = kind_length_weights(searcher.num_docs, counts)
        return self._weights

    def languages(self, searcher: Any) -> list[str]:
        """The languages of the index's documents (their ``lang`` values)."""
        self._check(searcher)
        if self._languages is None:
            found = searcher.terms_with_prefix("lang", "", limit=None)
            self._languages = [str(term) for term, _ in found]
        return self._languages

    def words(self, searcher: Any, field: str, letter: str) -> list[str]:
        self._check(searcher)
        key = (field, letter)
        found = self._lists.get(key)
        if found is None:
            found = [term for term, _ in searcher.terms_with_prefix(field, letter, limit=None)]
            if self._held + len(found) > self.MAX_WORDS:
                self._lists, self._held = {}, 0
            self._lists[key] = found
            self._held += len(found)
        return found

    def clear(self) -> None:
        self._lists = {}
        self._held = 0
        self._state = None
        self._weights = None
        self._languages = None


class TantivyCompiler(QueryCompiler[Any]):
    """Query tree → tantivy query objects, for one searcher (scores depend on its statistics).
    ``term_lists`` (of the searcher's state of the index) spares listing words again."""

    def __init__(
        self,
        schema: Any,
        analyzers: dict[str, Any],
        searcher: Any,
        term_lists: TermLists | None = None,
    ) -> None:
        super().__init__()
        self.schema = schema
        self._analyzers = analyzers
        self._searcher = searcher
        self._term_lists = term_lists if term_lists is not None else TermLists()
        self._total = searcher.num_docs
        self._weights = self._term_lists.weights(searcher)
        # For the snippets' marks: (field, pattern) of the query's prefix and fuzzy parts in the
        # exact stream, and the terms and prefixes it asks of each analysed stream.
        self._expanding: list[tuple[str, re.Pattern[str]]] = []
        self._stem_terms: dict[str, set[str]] = {}
        self._stem_prefixes: dict[str, list[str]] = {}
        # (field, term) of the index terms the query's fuzzy parts stand for
        self._fuzzy: set[tuple[str, str]] = set()
        # The exact streams the query holds a part of, whose terms the snippet generator marks
        # by itself; in another field only the words of :meth:`marked_words` can be marked.
        self._exact_fields: set[str] = set()
        # The terms the query holds of each exact stream (a superset of those tantivy's snippet
        # generator finds in it, see exact_terms)
        self._exact_terms: dict[str, set[str]] = {}
        # doc_freq of (field, term): a word is looked up to skip an absent form and to weigh it
        self._doc_freqs: dict[tuple[str, str], int] = {}

    def term(self, field: str, word: str) -> Any:
        return Query.term_query(self.schema, field, word)

    def searches(self, field: str) -> bool:
        """Whether the query holds a part on the exact stream ``field`` (a word, phrase,
        prefix or fuzzy part), whose words a snippet of the field marks without
        :meth:`marked_words`."""
        return field in self._exact_fields

    def marked_words(self, field: str, text: str, lang: str | None) -> set[str]:
        """The exact words of ``text`` (a hit's ``field``) that the query matched in the
        analysed stream or through a prefix or fuzzy part: tantivy's snippet generator knows
        only the terms the query holds for the exact stream itself."""
        stream = field + STEM
        terms = self._stem_terms.get(stream, set()) | {t for f, t in self._fuzzy if f == stream}
        prefixes = self._stem_prefixes.get(stream, ())
        found = marked_words(text, lang, terms, prefixes) if terms or prefixes else set()
        patterns = [p for f, p in self._expanding if f == field]
        fuzzy = {t for f, t in self._fuzzy if f == field}
        if patterns or fuzzy:
            words = set(self.words(field, text))
            found |= words & fuzzy
            if patterns:
                found |= {w for w in words if any(p.fullmatch(w) for p in patterns)}
        return found

    def languages(self) -> list[str]:
        return self._term_lists.languages(self._searcher)

    def _stored_words(self, field: str, doc: Any) -> list[list[str]]:
        """The terms of each passage of a stored document's field, as its stream indexed them."""
        values = written(doc, base_field(field))
        if field.endswith(STEM):
            lang = doc.get_first("lang")
            return [analyse(v, lang) for v in values]
        return [self.words(field, v) for v in values]

    def exact_terms(self, field: str) -> set[str]:
        """Every term the query holds of the exact stream ``field`` (words, phrases, proximity
        and fuzzy parts; a prefix's regular expression holds none)."""
        fuzzy = {t for f, t in self._fuzzy if f == field}
        return self._exact_terms.get(field, set()) | fuzzy

    def _asked(self, field: str, terms: Sequence[str]) -> None:
        if field.endswith(STEM):
            self._stem_terms.setdefault(field, set()).update(terms)
        else:
            self._exact_fields.add(field)
            self._exact_terms.setdefault(field, set()).update(terms)

    def _doc_freq(self, field: str, term: str) -> int:
        key = (field, term)
        count = self._doc_freqs.get(key)
        if count is None:
            count = self._doc_freqs[key] = self._searcher.doc_freq(field, term)
        return count

    def _absent(self, field: str, terms: Sequence[str]) -> bool:
        """Whether a term is in no document's ``field``: an analysed form of another language
        than the index's documents have (``peopl`` is English, ``people`` folded only) matches
        nothing, and an empty query costs nothing to run."""
        return any(self._doc_freq(field, t) == 0 for t in set(terms))

    def word(self, field: str, term: str) -> Any:
        if self._absent(field, [term]):
            return Query.empty_query()
        self._asked(field, [term])
        return self._weighted(field, self.term(field, term), [term])

    def phrase(self, field: str, terms: Sequence[str]) -> Any:
        if self._absent(field, terms):
            return Query.empty_query()
        self._asked(field, terms)
        words: list[str | tuple[int, str]] = list(terms)
        return self._weighted(field, Query.phrase_query(self.schema, field, words), terms)

    def proximity(self, field: str, terms: Sequence[str], slop: int) -> Any:
        if self._absent(field, terms):
            return Query.empty_query()
        self._asked(field, terms)
        # The candidates query scores each distinct word once.
        return self._weighted(field, self._proximity(field, terms, slop), sorted(set(terms)))

    def value(self, field: str, value: str) -> Any:
        return self.term(field, value)

    def _weighted(self, field: str, query: Any, words: Sequence[str]) -> Any:
        """``query``'s BM25 score in a text field, weighted for field lengths and headlines."""
        weight = self._weights[field]
        boost = FIELD_WEIGHTS[field]
        scored = Query.boost_query(query, boost * weight.scale)
        if not weight.per_idf:
            return scored
        counts = {w: self._doc_freq(field, w) for w in words}
        # tantivy's idf of a phrase is the sum of its words' idf.
        idf = sum(bm25_idf(counts[w], self._total) for w in words)
        # The idf part only counts where ``query`` matches, so it may come from any query that
        # matches wherever ``query`` does: the rarest word's, cheaper than a phrase again.
        rarest = self.term(field, min(words, key=lambda w: (counts[w], w)))
        extra = Query.const_score_query(rarest, boost * weight.per_idf * idf)
        return Query.boolean_query([(Occur.Must, scored), (Occur.Should, extra)])

    def _proximity(self, field: str, tokens: Sequence[str], slop: int) -> Any:
        """Words in order with at most ``slop`` others between each neighbouring pair.

        Two different words are one sloppy phrase (:func:`_window`); more, up to
        ``MAX_CHAINS`` chains of distances, the union of exact phrases, each word at its offset.
        Beyond that (and in quotes, where a phrase could step over the position between two
        passages) the documents holding every word are checked against their stored text,
        but for those holding the words side by side, which match whatever the slop and never
        across two passages. The score is that of the documents holding every word.
        """
        candidates = Query.boolean_query(
            [(Occur.Must, self.term(field, t)) for t in sorted(set(tokens))]
        )
        near = candidates
        exactly = _window(self.schema, field, tokens, slop) if SLOPPY_PAIRS else None
        if exactly is None and chain_count(len(tokens), slop) <= MAX_CHAINS:
            # Exact in the index: one phrase per chain of distances, each word at its offset.
            chains = [
                Query.phrase_query(
                    self.schema, field, list(zip(_offsets(gaps), tokens, strict=True)), 0
                )
                for gaps in distance_chains(len(tokens), slop)
            ]
            exactly = Query.boolean_query([(Occur.Should, q) for q in chains])
        if exactly is not None:
            exact = Query.const_score_query(exactly, 0.0)
            near = Query.boolean_query([(Occur.Must, candidates), (Occur.Must, exact)])
            if base_field(field) != "quote":
                return near
            # In quotes tantivy leaves one position between two passages, which a phrase can
            # step over: it only narrows the candidates, whose stored text decides.
        # (tantivy's sloppy phrase of three words or more, with a budget of ``slop`` for every
        # gap, looked like a narrower superset, but it misses matches: "are using frameworks
        # - all that added code" for "are all code"~2.)
        side_by_side = Query.phrase_query(self.schema, field, list(tokens), 0)
        unsure = Query.boolean_query([(Occur.Must, near), (Occur.MustNot, side_by_side)])
        count = self._searcher.search(unsure, limit=1).count
        if count > MAX_PROXIMITY_CANDIDATES:
            self.refuse(
                f"a proximity query matches more than {MAX_PROXIMITY_CANDIDATES:,} candidates",
                "add words or narrow the query",
            )
        ids = []
        for _, address in self._searcher.search(unsure, limit=max(count, 1)).hits:
            doc = self._searcher.doc(address)
            # each passage of a field on its own: words never stand near across two quotes
            passages = self._stored_words(field, doc)
            if any(in_order(words, tokens, slop) for words in passages):
                ids.append(doc.get_first("id"))
        found = side_by_side
        if ids:
            checked = Query.term_set_query(self.schema, "id", ids)
            found = Query.boolean_query([(Occur.Should, side_by_side), (Occur.Should, checked)])
        exact = Query.const_score_query(found, 0.0)
        return Query.boolean_query([(Occur.Must, candidates), (Occur.Must, exact)])

    def prefix(self, field: str, literal: str) -> Expansion[Any]:
        # Every word beginning with the literal matches: the first few are enough to count.
        return self._regexes(field, [prefix_pattern(literal)], literal, self.words_enough())

    def fuzzy(self, field: str, literal: str, distance: int) -> Expansion[Any]:
        """The index's words within ``distance`` edits, found among the words with the same
        first letter (corpsearch.engine.expansions), and searched as a set of terms: tantivy's
        fuzzy query cannot keep the first letter, and regex automata for the edits cost far
        more (about half a second a field) than matching the listed words. A term set scores
        the constant a regex query scores."""
        listed = self._term_lists.words(self._searcher, field, literal[:1])
        matched = fuzzy_matches(literal, distance, listed)
        if not matched:
            return Expansion(Query.empty_query(), (), 0)
        self._fuzzy.update((field, term) for term in matched)
        if not field.endswith(STEM):
            self._exact_fields.add(field)
        query = Query.term_set_query(self.schema, field, matched)
        boost = FIELD_WEIGHTS.get(field, 1.0)
        return Expansion(
            Query.boost_query(query, boost) if boost != 1.0 else query, matched, len(matched)
        )

    def _regexes(
        self, field: str, patterns: list[str], literal: str, enough: int | None = None
    ) -> Expansion[Any]:
        """Terms of ``field`` matching any of ``patterns``, which all begin with ``literal``
        (of which ``enough`` are enough to count)."""
        if not patterns:
            return Expansion(Query.empty_query(), (), 0)
        compiled = [re.compile(p) for p in patterns]
        if field.endswith(STEM):
            # only prefixes search an analysed stream; a snippet marks the words whose
            # analysed form begins so
            self._stem_prefixes.setdefault(field, []).append(literal)
        else:
            self._expanding += [(field, p) for p in compiled]
            self._exact_fields.add(field)
        found = [term for term, _ in self._searcher.terms_with_prefix(field, literal, limit=enough)]
        matched = (term for term in found if any(p.fullmatch(term) for p in compiled))
        queries = [Query.regex_query(self.schema, field, p) for p in patterns]
        query = (
            queries[0]
            if len(queries) == 1
            else Query.boolean_query([(Occur.Should, q) for q in queries])
        )
        # A regular expression's matches score a constant, with no field length to weigh.
        boost = FIELD_WEIGHTS.get(field, 1.0)
        return Expansion(
            Query.boost_query(query, boost) if boost != 1.0 else query, matched, len(found)
        )

    def date_range(self, start: int | None, end: int | None) -> Any:
        low = None if start is None else datetime.fromtimestamp(clamped(start), UTC)
        high = None if end is None else datetime.fromtimestamp(clamped(end), UTC)
        if low is not None and high is not None and low >= high:
            return Query.empty_query()
        return Query.range_query(
            self.schema,
            "date",
            tantivy.FieldType.Date,
            low,
            high,
            include_lower=True,
            include_upper=high is None,
        )

    def dated(self) -> Any:
        return Query.exists_query("date")

    def all_of(self, must: Sequence[Any], must_not: Sequence[Any]) -> Any:
        clauses = [(Occur.Must, q) for q in must] + [(Occur.MustNot, q) for q in must_not]
        if not must:
            clauses.insert(0, (Occur.Must, Query.all_query()))
        return Query.boolean_query(clauses)

    def any_of(self, parts: Sequence[Any]) -> Any:
        return Query.boolean_query([(Occur.Should, q) for q in parts])

    def match_all(self) -> Any:
        return Query.all_query()

    def nothing(self) -> Any:
        return Query.empty_query()

    def id_set(self, ids: Sequence[str]) -> Any:
        return Query.term_set_query(self.schema, "id", list(ids))

    def article_ids(self, comments: Any, limit: int) -> set[str]:
        try:
            found = self._searcher.aggregate(
                comments, {"ids": {"terms": {"field": "article_id", "size": limit}}}
            )
            return {str(bucket["key"]) for bucket in found["ids"]["buckets"]}
        except ValueError as error:
            if "bucket limit" not in str(error):
                raise
        # tantivy caps an aggregation at 65,000 buckets: read the comments' stored ids instead.
        ids: set[str] = set()
        count = self._searcher.search(comments, limit=1).count
        for _, address in self._searcher.search(comments, limit=count).hits:
            ids.add(self._searcher.doc(address).get_first("article_id"))
            if len(ids) >= limit:
                break
        return ids


def _window(schema: Any, field: str, tokens: Sequence[str], slop: int) -> Any | None:
    """Two different words, the second 1 to ``slop + 1`` positions after the first, as one
    tantivy phrase; None for other proximities.

    tantivy's slop for a phrase of two words is a window on both sides: with the second word
    at offset ``k`` and a slop of ``w`` the phrase matches where the second word stands
    ``k - w`` to ``k + w`` positions after the first (before it, too, if ``w >= k``). Two
    different words never share a position, so a window of 0 to ``slop + 1`` (odd ``slop``)
    or 1 to ``slop + 1`` (even) is exactly the proximity: one phrase instead of ``slop + 1``
    chains (a test holds them to the chains and to the stored text).
    """
    if len(tokens) != 2 or tokens[0] == tokens[1]:
        return None
    offset, width = ((slop + 1) // 2,) * 2 if slop % 2 else (1 + slop // 2, slop // 2)
    return Query.phrase_query(schema, field, [(0, tokens[0]), (offset, tokens[1])], width)


def _offsets(gaps: Sequence[int]) -> list[int]:
    """The position of each word of a chain, the first at 0."""
    return [0, *itertools.accumulate(gaps)]
