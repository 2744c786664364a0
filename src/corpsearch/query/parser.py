"""The query language: a hand-written recursive-descent parser into the query tree.

Grammar (``AND`` binds tighter than ``OR``; juxtaposed clauses are ANDed)::

    query    := or EOF
    or       := and ("OR" and)*
    and      := unary (["AND"] unary)*
    unary    := ("NOT" | "-") unary | primary
    primary  := "(" or ")" | FIELD ":" value | value
    value    := "(" or ")" | ["="] PHRASE ["~" INT] | RANGE | ["="] WORD ["*" | "~" [INT]]
    RANGE    := ("[" | "{") DATE "TO" DATE ("]" | "}")   (date field only; "*" for an open end)

``=`` before a word or phrase of a text field matches it exactly as written (case aside), not
its folded forms and stems.

Errors name the 1-based position and what was expected, and suggest quoting where it would help.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, tzinfo

from ..errors import QueryError
from .ast import (
    KEYWORD_FIELDS,
    TEXT_FIELDS,
    And,
    DateRange,
    Fuzzy,
    HasComments,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Term,
)
from .dates import SUPPORTED_RANGE, DateOutOfRange, Period, parse_period
from .limits import MAX_SLOP, check_text

__all__ = ["MAX_QUERY_LENGTH", "parse_query"]

MAX_QUERY_LENGTH = 4096
FIELDS = (*TEXT_FIELDS, *KEYWORD_FIELDS, "date", "comments")
_STOP = set(' \t\n\r()"')
# Whole-value fields where ``field:a|b`` means either value.
_ALTERNATIVES = ("author", "site", "kind", "lang", "id", "article")
_FIELD_ALIASES = {"quotes": "quote", "language": "lang", "comment": "text"}


def parse_query(text: str, *, tz: tzinfo = UTC, now: datetime | None = None) -> Node:
    """Parse a query string; dates without a zone are read in ``tz``."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            f"query is {len(text)} characters long, over the limit of {MAX_QUERY_LENGTH}",
            query=text,
            position=MAX_QUERY_LENGTH,
            hint="shorten it",
        )
    check_text(text, text)
    return _Parser(text, tz, now or datetime.now(UTC)).parse()


class _Parser:
    def __init__(self, text: str, tz: tzinfo, now: datetime) -> None:
        self.text = text
        self.pos = 0
        self.tz = tz
        self.now = now
        self.depth = 0

    # -- helpers -----------------------------------------------------------------------------

    def error(
        self, message: str, position: int | None = None, hint: str | None = None
    ) -> QueryError:
        return QueryError(
            message, query=self.text, position=self.pos if position is None else position, hint=hint
        )

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        self.skip_space()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def peek_word(self) -> str:
        self.skip_space()
        end = self.pos
        while end < len(self.text) and self.text[end] not in _STOP:
            end += 1
        return self.text[self.pos : end]

    def take_word(self) -> tuple[str, int]:
        self.skip_space()
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in _STOP:
            self.pos += 1
        return self.text[start : self.pos], start

    # -- grammar -----------------------------------------------------------------------------

    def parse(self) -> Node:
        if not self.text.strip():
            raise self.error("empty query", 0, hint="type some words, or '*' for everything")
        node = self.parse_or(field=None)
        if self.peek():
            if self.peek() == ")":
                raise self.error("unexpected ')'", hint="remove it or add the matching '('")
            raise self.error(f"unexpected {self.peek()!r}")
        return node

    def parse_or(self, field: str | None) -> Node:
        children = [self.parse_and(field)]
        while self.peek_word() == "OR":
            self.take_word()
            children.append(self.parse_and(field))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self, field: str | None) -> Node:
        children = [self.parse_unary(field)]
        while self.peek() not in ("", ")") and self.peek_word() != "OR":
            if self.peek_word() == "AND":
                self.take_word()
            children.append(self.parse_unary(field))
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self, field: str | None) -> Node:
        # A loop, not recursion: a query of a thousand NOTs must not exhaust the stack.
        negations = 0
        while True:
            word = self.peek_word()
            if word in ("AND", "OR"):
                raise self.error(
                    f"expected a word, phrase or '(' but found {word!r}",
                    hint=f'write "{word}" in quotes to search for the word itself',
                )
            if word == "NOT":
                self.take_word()
                negations += 1
            elif self.peek() == "-" and len(word) > 1:
                # All leading minus signs at once (but the last of a word made only of them).
                signs = min(len(word) - len(word.lstrip("-")), len(word) - 1)
                self.pos += signs
                negations += signs
            else:
                break
        node = self.parse_primary(field)
        return Not(node) if negations % 2 else node

    def parse_primary(self, field: str | None) -> Node:
        char = self.peek()
        if not char:
            operator = self.text.rstrip().rsplit(None, 1)[-1] if self.text.strip() else ""
            hint = None
            if operator in ("AND", "OR", "NOT"):
                hint = f'to search for the word itself write "{operator}" in quotes'
            raise self.error("expected a word, phrase or '(' but the query ended", hint=hint)
        if char == ")":
            raise self.error("expected a word, phrase or '(' but found ')'")
        if char not in '("':
            word = self.peek_word()
            name, colon, _ = word.partition(":")
            if colon and name and field is None:
                return self.parse_fielded(name)
        return self.parse_value(field)

    def parse_fielded(self, name: str) -> Node:
        self.skip_space()
        start = self.pos
        self.pos += len(name) + 1
        field = _FIELD_ALIASES.get(name.lower(), name.lower())
        if field not in FIELDS:
            raise self.error(
                f"unknown field {name!r}",
                start,
                hint=f"fields are {', '.join(FIELDS)}; "
                f'to search for the text itself put it in quotes: "{self._word_at(start)}"',
            )
        if self.pos >= len(self.text) or self.text[self.pos].isspace():
            raise self.error(f"expected a value after '{name}:'", self.pos)
        if field == "date":
            return self.parse_date()
        if field == "comments":
            if self.peek() != "(":
                raise self.error("expected '(' after 'comments:'", hint="write comments:(query)")
            return HasComments(self.parse_group(None))
        return self.parse_value(field)

    def parse_group(self, field: str | None) -> Node:
        open_at = self.pos
        self.pos += 1
        self.depth += 1
        if self.depth > 50:
            raise self.error("parentheses are nested too deeply", open_at)
        if self.peek() == ")":
            raise self.error("expected a query inside '( )'")
        node = self.parse_or(field)
        if self.peek() != ")":
            raise self.error("expected ')' to close the '(' opened", open_at, hint="add a ')'")
        self.pos += 1
        self.depth -= 1
        return node

    def parse_value(self, field: str | None) -> Node:
        char = self.peek()
        if char == "(":
            return self.parse_group(field)
        if char == '"':
            return self.parse_phrase(field)
        if self._exact_mark():
            return self.parse_exact(field)
        word, start = self.take_word()
        if not word:
            raise self.error("expected a word", start)
        if word == "*" and field is None:
            return MatchAll()
        if word.endswith("*") and word.count("*") == 1 and len(word) > 1:
            return Prefix(field, word[:-1])
        if "*" in word or "?" in word:
            raise self.error(
                "wildcards are allowed only at the end of a word (assad*)",
                start + max(word.find("*"), word.find("?")),
                hint=f'to search the text itself write "{word}"',
            )
        base, tilde, distance = word.partition("~")
        if tilde and base:
            if distance and not (distance.isdigit() and 0 < int(distance) <= 2):
                raise self.error("a fuzzy distance is 1 or 2 (assad~2)", start + len(base) + 1)
            return Fuzzy(field, base, int(distance or 1))
        if field in _ALTERNATIVES and "|" in word:
            values = word.split("|")
            if not all(values):
                raise self.error(
                    "expected a value on both sides of '|'",
                    start + word.find("||") + 1 if "||" in word else start,
                    hint=f"write {field}:a|b",
                )
            return Or(tuple(self.keyword(field, value, start) for value in values))
        if field in _ALTERNATIVES:
            return self.keyword(field, word, start)
        return Term(field, word)

    def _exact_mark(self) -> bool:
        """Whether an ``=`` here marks an exact word or phrase (``=Wahl``, ``="a b"``); a lone
        ``=`` or ``==`` is a word like any other."""
        text, at = self.text, self.pos
        return (
            text.startswith("=", at)
            and at + 1 < len(text)
            and (text[at + 1] == '"' or text[at + 1] not in _STOP | {"=", "(", ")"})
        )

    def parse_exact(self, field: str | None) -> Node:
        start = self.pos
        if field is not None and field not in TEXT_FIELDS:
            raise self.error(
                f"'=' marks an exact word of a text field; {field}: is matched whole already",
                start,
                hint=f"write {field}:{self._word_at(start)[1:]}",
            )
        self.pos += 1
        node = self.parse_value(field)
        match node:
            case Term() | Phrase() | Prefix() | Fuzzy():
                return replace(node, exact=True)
        raise self.error("'=' goes before a word or a phrase (=Wahl, =\"die Wahl\")", start)

    def keyword(self, field: str, value: str, start: int) -> Node:
        """One value of a whole-value field; ``article:ID`` stands for that article's comments."""
        if field == "kind" and value.lower() not in ("article", "comment"):
            raise self.error(
                f"kind is 'article' or 'comment', not {value!r}", start, hint="kind:article|comment"
            )
        if field == "kind":
            return Term(field, value.lower())
        if field == "article":
            return And((Term("article", value), Term("kind", "comment")))
        return Term(field, value)

    def parse_phrase(self, field: str | None) -> Node:
        start = self.pos
        end = self.text.find('"', start + 1)
        if end == -1:
            raise self.error(
                "unclosed quotation mark", start, hint='add a closing " at the end of the phrase'
            )
        words = self.text[start + 1 : end]
        self.pos = end + 1
        slop = 0
        if self.text.startswith("~", self.pos):
            digits_start = self.pos + 1
            self.pos = digits_start
            while self.pos < len(self.text) and self.text[self.pos].isdigit():
                self.pos += 1
            if self.pos == digits_start:
                raise self.error('expected a number after "~" (a distance such as "a b"~5)')
            digits = self.text[digits_start : self.pos]
            if len(digits) > len(str(MAX_SLOP)) or int(digits) > MAX_SLOP:
                raise self.error(
                    f"a phrase distance is 0 to {MAX_SLOP:,}, not {digits}",
                    digits_start,
                    hint='write a smaller number ("a b"~5)',
                )
            slop = int(digits)
        if not words.strip():
            raise self.error("empty phrase", start)
        return Phrase(field, words, slop)

    # -- dates -------------------------------------------------------------------------------

    def parse_date(self) -> Node:
        char = self.text[self.pos]
        if char in "[{":
            return self.parse_date_range()
        for op in (">=", "<=", ">", "<"):
            if self.text.startswith(op, self.pos):
                self.pos += len(op)
                value, start = self.take_word()
                period = self.period(value, start)
                if op == ">=":
                    return DateRange(period.start, None)
                if op == ">":
                    return DateRange(period.end, None)
                if op == "<":
                    return DateRange(None, period.start)
                return DateRange(None, period.end)
        value, start = self.take_word()
        period = self.period(value, start)
        return DateRange(period.start, period.end)

    def parse_date_range(self) -> Node:
        open_at = self.pos
        inclusive_start = self.text[self.pos] == "["
        self.pos += 1
        low, low_at = self._range_word()
        to, to_at = self._range_word()
        if to.upper() != "TO":
            raise self.error("expected 'TO' in the date range", to_at, hint="date:[A TO B]")
        high, high_at = self._range_word()
        self.skip_space()
        if self.pos >= len(self.text) or self.text[self.pos] not in "]}":
            raise self.error("expected ']' or '}' to close the date range", self.pos)
        inclusive_end = self.text[self.pos] == "]"
        self.pos += 1
        start = end = None
        if low != "*":
            period = self.period(low, low_at)
            start = period.start if inclusive_start else period.end
        if high != "*":
            period = self.period(high, high_at)
            end = period.end if inclusive_end else period.start
        if start is not None and end is not None and start >= end:
            raise self.error("the date range is empty: its start is not before its end", open_at)
        return DateRange(start, end)

    def _range_word(self) -> tuple[str, int]:
        self.skip_space()
        start = self.pos
        while self.pos < len(self.text) and not self.text[self.pos].isspace():
            if self.text[self.pos] in "]}":
                break
            self.pos += 1
        if start == self.pos:
            raise self.error("expected a date in the range", start, hint="date:[2014-09 TO *]")
        return self.text[start : self.pos], start

    def period(self, value: str, start: int) -> Period:
        try:
            period = parse_period(value, self.tz, self.now)
        except DateOutOfRange:
            raise self.error(
                f"the date {value!r} is out of range", start, hint=SUPPORTED_RANGE
            ) from None
        if period is None:
            raise self.error(
                f"expected a date such as 2014, 2014-09, 2014-09-13, 2014-09-13T14:00 or now-7d, "
                f"found {value!r}",
                start,
            )
        return period

    def _word_at(self, start: int) -> str:
        end = start
        while end < len(self.text) and not self.text[end].isspace():
            end += 1
        return self.text[start:end]
