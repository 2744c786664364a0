"""Exports stream hit by hit, as JSON, JSON Lines or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from corpsearch import Index
from corpsearch.engine import Hit
from corpsearch.export import render_export


def test_json_export_is_one_valid_document(seed_index: Index) -> None:
    hits = seed_index.iter_hits('"civil war"', sort="date")
    data = json.loads("".join(render_export('"civil war"', 2, hits, "json")))
    assert data["total"] == 2
    assert [h["kind"] for h in data["hits"]] == ["comment", "article"]
    comment = data["hits"][0]
    assert comment["author"] == "_mowaten_"
    marked = [comment["snippet_text"][s:e] for s, e in comment["marks"]]
    assert {word.lower() for word in marked} == {"civil", "war"}


def test_jsonl_and_csv_have_one_record_per_hit(seed_index: Index) -> None:
    lines = list(render_export("x", 4, seed_index.iter_hits("author:_mowaten_"), "jsonl"))
    assert [json.loads(line)["author"] for line in lines] == ["_mowaten_"] * 4
    text = "".join(render_export("x", 4, seed_index.iter_hits("author:_mowaten_"), "csv"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4
    assert all("<mark>" not in row["snippet"] for row in rows)


def test_export_writes_before_it_has_read_every_hit(seed_index: Index) -> None:
    read = 0

    def counting() -> Iterator[Hit]:
        nonlocal read
        for hit in seed_index.iter_hits("*"):
            read += 1
            yield hit

    chunks = render_export("*", 6, counting(), "json")
    next(chunks)  # the head
    next(chunks)  # the first hit
    assert read == 1
    assert len(list(chunks)) == 6  # five more hits and the tail
    assert read == 6
