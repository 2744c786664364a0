"""Keyword in context (``query --kwic``): one line per match, the words before it, the matched
words and the words after, aligned on the match as concordance tools (AntConc, CQPweb) show them.

An engine says which documents match; where the words stand in a document's full text is found
here, from the query tree: the words, phrases, prefixes and fuzzy terms the query asks for
(outside ``-`` and ``NOT``, and outside ``comments:(…)``, which matches other documents), found
in the stored text with the engines' own word rule (``\\w+`` runs, any case) and their analysis
(corpsearch.analysis): a word or phrase matches the words whose analysed form (folded, stemmed in
the document's language) is one of the query's, ``=word`` the words as written, a prefix either.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .analysis import QueryAnalyser, analyse, fold
from .choices import DEFAULT_WIDTH
from .documents import IndexDocument
from .engine import Engine, Hit
from .engine.expansions import fuzzy_match
from .export import json_text, safe_terminal_text
from .fields import BATCH, csv_lines
from .query import ast

__all__ = ["DEFAULT_WIDTH", "KwicLine", "kwic_lines", "render_kwic", "word_patterns"]

_WORD = re.compile(r"\w+")
# The text fields of each kind of document, in the order lines are given.
_KIND_FIELDS = {"article": ("headline", "body"), "comment": ("quote", "text")}
# A word of the text: start, end, as written (lower-cased), analysed.
_Token = tuple[int, int, str, str]
_COLUMNS = ("id", "kind", "author", "published", "field", "offset", "left", "match", "right")


@dataclass(frozen=True, slots=True)
class KwicLine:
    """One match: ``offset`` is where ``match`` starts in the field's text."""

    hit: Hit
    field: str
    offset: int
    left: str
    match: str
    right: str

    def to_dict(self, short_id: Callable[[str], str] | None = None) -> dict[str, Any]:
        return {
            "id": self.hit.id,
            "short_id": short_id(self.hit.id) if short_id else self.hit.id,
            "kind": self.hit.kind,
            "author": self.hit.author,
            "published": self.hit.published,
            "field": self.field,
            "offset": self.offset,
            "left": self.left,
            "match": self.match,
            "right": self.right,
        }


@dataclass(frozen=True, slots=True)
class _Pattern:
    """Words in a row (``slop`` others allowed between), a prefix, or a fuzzy word."""

    field: str | None
    words: tuple[str, ...]
    kind: str = "words"  # "words" | "prefix" | "fuzzy"
    slop: int = 0
    distance: int = 0
    exact: bool = True  # words as written; else their analysed forms (resolved per document)
    text: str = ""  # the query's text, analysed in each document's language
    stream: int = 2  # which form of a token the words are compared with: 2 exact, 3 analysed


def word_patterns(tree: ast.Node) -> list[_Pattern]:
    """What to look for in the text, from the positive parts of the query tree."""
    found: list[_Pattern] = []
    stack: list[ast.Node] = [tree]
    while stack:
        node = stack.pop()
        match node:
            case ast.And(children) | ast.Or(children):
                stack.extend(reversed(children))
            case ast.Term(field, text) | ast.Phrase(field, text) if _texty(field):
                words = tuple(w.lower() for w in _WORD.findall(text))
                slop = node.slop if isinstance(node, ast.Phrase) else 0
                if words:
                    found.append(_Pattern(field, words, slop=slop, exact=node.exact, text=text))
            case ast.Prefix(field, text) if _texty(field) and text:
                found.append(_Pattern(field, (text.lower(),), "prefix", exact=node.exact))
            case ast.Fuzzy(field, text, distance) if _texty(field) and text:
                found.append(_Pattern(field, (text.lower(),), "fuzzy", distance=distance))
    return found


def _texty(field: str | None) -> bool:
    return field is None or field in ast.TEXT_FIELDS


def kwic_lines(
    engine: Engine, tree: ast.Node, hits: Iterable[Hit], width: int = DEFAULT_WIDTH
) -> Iterator[KwicLine]:
    """Every match in the text of each hit, in hit order, then text order; the stored texts
    are read for a batch of hits at a time (one batch in memory)."""
    patterns = word_patterns(tree)
    batch: list[Hit] = []
    for hit in hits:
        batch.append(hit)
        if len(batch) >= BATCH:
            yield from _batch_lines(engine, batch, patterns, width)
            batch = []
    if batch:
        yield from _batch_lines(engine, batch, patterns, width)


def _batch_lines(
    engine: Engine, batch: list[Hit], patterns: list[_Pattern], width: int
) -> Iterator[KwicLine]:
    ids = tuple(ast.Term("id", hit.id) for hit in batch)
    stored = {doc.id: doc for doc in engine.stored(ast.Or(ids))}
    for hit in batch:
        doc = stored.get(hit.id)
        if doc is not None:
            yield from _doc_lines(hit, doc, patterns, width)


def _doc_lines(
    hit: Hit, doc: IndexDocument, patterns: list[_Pattern], width: int
) -> Iterator[KwicLine]:
    for field in _KIND_FIELDS.get(doc.kind, ()):
        text: str = getattr(doc, field)
        wanted = [p for p in patterns if p.field in (None, field)]
        if not text or not wanted:
            continue
        analysed = analyse(text, doc.lang)
        tokens = [
            (m.start(), m.end(), m.group().lower(), form)
            for m, form in zip(_WORD.finditer(text), analysed, strict=True)
        ]
        resolved = [r for p in wanted for r in _resolved(p, doc.lang)]
        spans = sorted({span for p in resolved for span in _find(p, tokens)})
        last_end = -1
        for start, end in spans:
            if start < last_end:  # inside the match before (two patterns overlap)
                continue
            last_end = end
            yield KwicLine(
                hit,
                field,
                start,
                _left(text[:start], width),
                " ".join(text[start:end].split()),
                _right(text[end:], width),
            )


def _resolved(pattern: _Pattern, lang: str | None) -> Iterator[_Pattern]:
    """A pattern as it matches in a document in ``lang``: an analysed word or phrase becomes
    its analysed forms (as the index analyses query words: this language's stemmer, or folding
    alone), a prefix is also looked for among the analysed words."""
    if pattern.exact or pattern.kind == "fuzzy":
        yield pattern
        return
    if pattern.kind == "prefix":
        yield pattern
        yield dataclasses.replace(pattern, words=(fold(pattern.words[0]),), stream=3)
        return
    for forms in QueryAnalyser.of_languages([lang, None]).phrase(pattern.text):
        yield dataclasses.replace(pattern, words=forms, stream=3)


def _find(pattern: _Pattern, tokens: Sequence[_Token]) -> Iterator[tuple[int, int]]:
    first = pattern.words[0]
    for i, token in enumerate(tokens):
        start, end, word = token[0], token[1], _form(token, pattern)
        if pattern.kind == "prefix":
            if word.startswith(first):
                yield start, end
        elif pattern.kind == "fuzzy":
            if fuzzy_match(word, first, pattern.distance):
                yield start, end
        elif word == first:
            last = _rest(pattern, tokens, i)
            if last is not None:
                yield start, tokens[last][1]


def _form(token: _Token, pattern: _Pattern) -> str:
    return token[3] if pattern.stream == 3 else token[2]


def _rest(pattern: _Pattern, tokens: Sequence[_Token], i: int) -> int | None:
    """The index of the phrase's last word when it starts at token ``i`` (in order, at most
    ``slop`` other words between them in all), else None."""
    position, gaps = i, 0
    for word in pattern.words[1:]:
        step = position + 1
        while step < len(tokens) and _form(tokens[step], pattern) != word:
            step += 1
        gaps += step - position - 1
        if step >= len(tokens) or gaps > pattern.slop:
            return None
        position = step
    return position


def _left(text: str, width: int) -> str:
    words = " ".join(text.split()[-width:])  # enough words for any width
    return words[-width:] if len(words) > width else words


def _right(text: str, width: int) -> str:
    words = " ".join(text.split()[:width])
    return words[:width]


def render_kwic(
    query: str,
    total: int,
    lines: Iterable[KwicLine],
    fmt: str,
    *,
    width: int = DEFAULT_WIDTH,
    short_id: Callable[[str], str] | None = None,
    color: bool = False,
    csv_row: Callable[[Sequence[object]], Sequence[object]] | None = None,
) -> Iterator[str]:
    """Concordance lines as an aligned table, CSV, JSON Lines or JSON, streamed."""
    if fmt == "jsonl":
        for line in lines:
            yield json_text(line.to_dict(short_id)) + "\n"
    elif fmt == "json":
        head = json_text({"query": query, "total": total, "width": width})
        yield head[:-1] + ', "lines": ['
        for number, line in enumerate(lines):
            yield ("," if number else "") + "\n  " + json_text(line.to_dict(short_id))
        yield "\n]}\n"
    elif fmt == "csv":
        rows = ([line.to_dict(short_id)[c] for c in _COLUMNS] for line in lines)
        yield from csv_lines(_COLUMNS, rows, csv_row)
    else:
        yield from _table(query, total, lines, width, short_id, color)


def _table(
    query: str,
    total: int,
    lines: Iterable[KwicLine],
    width: int,
    short_id: Callable[[str], str] | None,
    color: bool,
) -> Iterator[str]:
    on, off = ("\x1b[1;33m", "\x1b[0m") if color else ("", "")
    count = 0
    seen: set[str] = set()
    for line in lines:
        count += 1
        seen.add(line.hit.id)
        who = (line.hit.author or "unknown")[:16]
        when = (line.hit.published or "no date")[:10]
        ident = short_id(line.hit.id) if short_id else line.hit.id
        left = safe_terminal_text(line.left).rjust(width)
        right = safe_terminal_text(line.right).ljust(width)
        match = safe_terminal_text(line.match)
        yield (
            f"{ident}  {safe_terminal_text(who):<16}  {when:<10}  "
            f"{left}  {on}{match}{off}  {right}".rstrip()
            + "\n"
        )
    lines_text = f"{count:,} line{'s' if count != 1 else ''}"
    where = f"{len(seen):,} of {total:,} hit{'s' if total != 1 else ''}"
    yield f"{lines_text} in {where} for {safe_terminal_text(query)!r}\n"
