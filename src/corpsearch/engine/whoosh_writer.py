"""whoosh's segment writer with each term's postings kept together from the start.

whoosh's own writer (``whoosh.writing.SegmentWriter``) puts every posting in a pool as one tuple
``(field, term, document, weight, value)``, sorts all of them at the commit (spilling sorted runs
to disk and merging them posting by posting once the pool is full), then reads each posting's
field length back from the file it has just written. With an exact and an analysed stream of
every text field that is a million and a half postings for 1,000 pages, and the tuples, their
sort and their merge were most of the commit (benchmarks/results/analysis.md).

:class:`SegmentWriter` keeps each term's postings in arrays under their field and term as they
come, in the order of their documents; the commit sorts the terms only, spills and merges whole
terms, reads each field's lengths once, and fills whoosh3's postings writer a block at a time
(its buffers, as ``add_posting`` fills them one posting at a time; another postings writer gets
the postings one at a time). whoosh's codec writes the files: tests/test_whoosh_writer.py holds
that they are byte for byte those of whoosh's own writer (whoosh3 is pinned).
"""

from __future__ import annotations

import heapq
import itertools
import marshal
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.fields import UnknownFieldError
from whoosh.util import random_name
from whoosh.writing import SegmentWriter as _WhooshSegmentWriter

from .whoosh_formats import MatchPositions

__all__ = ["SegmentWriter", "TermPool"]

# One term's postings: document numbers, weights and encoded values, in document order.
Postings = tuple["array[int]", "array[float]", list[Any]]
# A term as the codec writes it: field, term bytes, and its postings.
Group = tuple[str, bytes, Any, Any, list[Any]]

# What a posting and a new term hold in memory, roughly (bytes): the document number and weight
# in arrays, the value's bytes object and its list slot; a term's dictionary entry, its bytes
# and its three containers. Used to spill the pool to disk at whoosh's ``limitmb``.
_POSTING_BYTES = 4 + 8 + 41
_TERM_BYTES = 400


class TermPool:
    """The postings of one segment by field, then term; each term's in document order.

    It stands in for ``whoosh.writing.PostingPool``: ``add`` takes whoosh's posting tuples (a
    merge of older segments adds their postings so, after the new documents, each term's in
    document order), and past ``limitmb`` the pool writes its terms to a temporary file as a
    sorted run, read back and merged term by term at the end.
    """

    def __init__(self, tempstore: Any, limitmb: int) -> None:
        self._tempstore = tempstore
        self._limit = limitmb * 1024 * 1024
        self._size = 0
        self._fields: dict[str, dict[bytes, Postings]] = {}
        self._runs: list[str] = []
        self.fieldnames: set[str] = set()

    def terms(self, fieldname: str) -> dict[bytes, Postings]:
        """The terms of a field, to add postings to (:meth:`added` counts them afterwards)."""
        found = self._fields.get(fieldname)
        if found is None:
            found = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return found

    def added(self, postings: int, terms: int, value_bytes: int) -> None:
        """Counts what was added through :meth:`terms`; spills the pool when it is full."""
        self._size += postings * _POSTING_BYTES + terms * _TERM_BYTES + value_bytes
        if self._size > self._limit:
            self.save()

    def add(self, item: tuple[str, bytes, int, float, Any]) -> None:
        """One posting, as whoosh's pool takes it."""
        fieldname, btext, docnum, weight, value = item
        terms = self.terms(fieldname)
        postings = terms.get(btext)
        new = postings is None
        if postings is None:
            postings = terms[btext] = (array("I"), array("d"), [])
        postings[0].append(docnum)
        postings[1].append(weight)
        postings[2].append(value)
        self.added(1, new, len(value or b""))

    def _sorted(self) -> Iterator[Group]:
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            for btext in sorted(terms):
                docnums, weights, values = terms[btext]
                yield fieldname, btext, docnums, weights, values

    def save(self) -> None:
        """Writes the pool's terms, sorted, as a run to a temporary file, and empties it."""
        if not self._fields:
            return
        path = f"{random_name()}.run"
        f = self._tempstore.create_file(path)
        for fieldname, btext, docnums, weights, values in self._sorted():
            marshal.dump((fieldname, btext, docnums.tobytes(), weights.tobytes(), values), f)
        f.close()
        self._runs.append(path)
        self._fields = {}
        self._size = 0

    def _read_run(self, path: str) -> Iterator[Group]:
        f = self._tempstore.open_file(path).raw_file()
        try:
            while True:
                try:
                    fieldname, btext, docs, weights, values = marshal.load(f)
                except EOFError:
                    return
                yield fieldname, btext, array("I", docs), array("d", weights), values
        finally:
            f.close()
            self._tempstore.delete_file(path)

    def groups(self) -> Iterator[Group]:
        """Every term, sorted by field and term, with its postings in document order."""
        if not self._runs:
            yield from self._sorted()
            return
        self.save()
        runs, self._runs = self._runs, []
        # heapq.merge keeps the runs' order among equal keys: a term's postings of an earlier
        # run (earlier documents) come first.
        merged = heapq.merge(*(self._read_run(p) for p in runs), key=lambda g: (g[0], g[1]))
        for (fieldname, btext), same in itertools.groupby(merged, key=lambda g: (g[0], g[1])):
            parts = list(same)
            docnums, weights, values = parts[0][2], parts[0][3], parts[0][4]
            for _, _, more_docs, more_weights, more_values in parts[1:]:
                docnums.extend(more_docs)
                weights.extend(more_weights)
                values.extend(more_values)
            yield fieldname, btext, docnums, weights, values

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, Any]]:
        """Every posting as whoosh's pool gives it (for whoosh's own callers)."""
        for fieldname, btext, docnums, weights, values in self.groups():
            for docnum, weight, value in zip(docnums, weights, values, strict=True):
                yield fieldname, btext, docnum, weight, value

    def cleanup(self) -> None:
        for path in self._runs:
            self._tempstore.delete_file(path)
        self._runs = []


class SegmentWriter(_WhooshSegmentWriter):  # type: ignore[misc]
    """whoosh's segment writer with a :class:`TermPool` (see the module's docstring)."""

    def __init__(self, ix: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = TermPool(self._tempstorage, limitmb)

    def add_document(self, **fields: Any) -> None:
        """whoosh's ``add_document`` (the same checks, stored values, lengths and columns),
        each field's postings handed to the pool's terms at once."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        for name in fieldnames:
            if name not in schema:
                raise UnknownFieldError(f"No field named {name!r} in {schema}")
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                if field.separate_spelling() or field.vector:
                    raise TypeError(f"{fieldname}: spelling and vectors are not written here")
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    length = _add_postings(pool, fieldname, docnum, field, value, boost)
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(
                    fieldname, field, customval if field.stored else None, length
                )
                column = field.column_type
                if column and customval is not None:
                    cv = field.to_column_value(customval)
                    perdocwriter.add_column_value(fieldname, column, cv)
        except ValueError:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        write_groups(self.fieldwriter, self.schema, lengths, self.pool.groups())
        self.fieldwriter.close()
        if lengths:
            lengths.close()


def _add_postings(
    pool: TermPool, fieldname: str, docnum: int, field: Any, value: Any, boost: float
) -> int:
    """A field's postings of one document into the pool; the field's length (its words)."""
    terms = pool.terms(fieldname)
    scorable = field.scorable
    length = postings = new = value_bytes = 0
    fmt = field.format
    if isinstance(fmt, MatchPositions) and isinstance(value, str):
        items: Iterable[tuple[bytes, int, float, bytes]] = fmt.postings(value)
    else:
        items = field.index(value)
    for btext, freq, weight, vbytes in items:
        if scorable:
            length += freq
        found = terms.get(btext)
        if found is None:
            found = terms[btext] = (array("I"), array("d"), [])
            new += 1
        found[0].append(docnum)
        found[1].append(weight * boost)
        found[2].append(vbytes)
        postings += 1
        if vbytes:
            value_bytes += len(vbytes)
    pool.added(postings, new, value_bytes)
    return length


def write_groups(fieldwriter: Any, schema: Any, lengths: Any, groups: Iterable[Group]) -> None:
    """The terms and postings of a segment through whoosh's field writer, as
    ``FieldWriter.add_postings`` writes them from single postings; each field's document
    lengths are read once."""
    lastfn = None
    field_lengths: Any = None
    for fieldname, btext, docnums, weights, values in groups:
        if fieldname != lastfn:
            if lastfn is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            field_lengths = _lengths_of(lengths, fieldname)
            lastfn = fieldname
        fieldwriter.start_term(btext)
        term_lengths = [field_lengths[d] for d in docnums] if field_lengths else None
        postwriter: Any = getattr(fieldwriter, "_postwriter", None)
        if type(postwriter) is W3PostingsWriter and not postwriter._byteids:
            _fill_blocks(postwriter, docnums, weights, values, term_lengths)
        else:
            add = fieldwriter.add
            for at, (docnum, weight, value) in enumerate(
                zip(docnums, weights, values, strict=True)
            ):
                add(docnum, weight, value or b"", term_lengths[at] if term_lengths else 0)
        fieldwriter.finish_term()
    if lastfn is not None:
        fieldwriter.finish_field()


def _fill_blocks(
    writer: Any, docnums: Any, weights: Any, values: list[Any], lengths: list[Any] | None
) -> None:
    """A term's postings into whoosh3's postings writer a block at a time, leaving it as
    ``add_posting`` one at a time would: a full block is written when the next posting
    comes, the last one by ``finish_postings``; a block's greatest weight and its least and
    greatest length (of the postings that have one) are kept as it keeps them."""
    limit = writer._blocklimit
    for start in range(0, len(docnums), limit):
        if len(writer._ids) >= limit:
            writer._write_block()
        end = start + limit
        writer._ids.extend(docnums[start:end])
        chunk = weights[start:end].tolist()
        writer._weights.fromlist(chunk)
        writer._maxweight = max(writer._maxweight, *chunk)
        writer._values.extend(v for v in values[start:end] if v)
        if lengths:
            known = [n for n in lengths[start:end] if n]
            if known:
                least = min(known)
                if writer._minlength is None or least < writer._minlength:
                    writer._minlength = least
                writer._maxlength = max(writer._maxlength, *known)


def _lengths_of(lengths: Any, fieldname: str) -> list[Any] | None:
    """Each document's length of the field, as whoosh's writer reads it for each posting."""
    if not lengths:
        return None
    count = lengths.doc_count_all()
    reader = getattr(lengths, "doc_field_length_reader", None)
    if reader is not None:
        get = reader(fieldname)
        return [get(docnum) for docnum in range(count)]
    return [lengths.doc_field_length(docnum, fieldname) for docnum in range(count)]
