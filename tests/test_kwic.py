"""``query --kwic``: one line per match in the full text, aligned, in every format."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpsearch import Index
from corpsearch.cli import cli
from corpsearch.kwic import kwic_lines

from .conftest import FIXTURES, PAGES, SEED_HTML


@pytest.fixture()
def index_dir(tmp_path: Path, engine: str) -> Path:
    folder = tmp_path / "index"
    with Index.create(folder, engine=engine) as index:
        assert not index.add([SEED_HTML, PAGES, FIXTURES / "query-pages"]).failures
    return folder


def _query(index_dir: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["query", "--index", str(index_dir), *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_one_line_per_occurrence_at_its_offset(index_dir: Path) -> None:
    with Index.open(index_dir) as index:
        tree = index.query_tree("assad")
        hits = list(index.iter_hits("assad"))
        lines = list(kwic_lines(index.engine, tree, hits, 30))
        stored = {doc.id: doc for doc in index.documents()}
    expected = 0
    for hit in hits:
        doc = stored[hit.id]
        for field in ("headline", "body", "text", "quote"):
            expected += len(re.findall(r"(?<!\w)assad(?!\w)", getattr(doc, field), re.I))
    assert len(lines) == expected and expected >= 10
    for line in lines:
        text = getattr(stored[line.hit.id], line.field)
        assert text[line.offset : line.offset + len(line.match)] == line.match
        assert line.match.lower() == "assad"
        assert len(line.left) <= 30 and len(line.right) <= 30
        before = " ".join(text[: line.offset].split())
        assert before.endswith(line.left)


def test_table_lines_are_aligned_on_the_match(index_dir: Path) -> None:
    out = _query(index_dir, "assad", "--kwic", "20", "--all")
    rows = out.splitlines()
    assert rows[-1].startswith(f"{len(rows) - 1} lines in ")
    starts = {row.lower().index("assad", 8 + 2 + 16 + 2 + 10 + 2 + 20) for row in rows[:-1]}
    assert starts == {8 + 2 + 16 + 2 + 10 + 2 + 20 + 2}
    assert any(row.startswith(tuple("0123456789abcdef")) and "imagine_1979" in row for row in rows)


def test_phrases_prefixes_fuzzy_and_negation(index_dir: Path) -> None:
    def matches(query: str) -> list[str]:
        out = _query(index_dir, query, "--kwic", "--all", "--format", "jsonl")
        return [json.loads(line)["match"] for line in out.splitlines()]

    assert set(matches('="kill people"~2')) == {"kill their own people"}
    assert matches('="kill people"~1') == []
    # without =, the words' forms match as the index analyses them (English stems)
    assert set(matches('"kill people"~2')) == {
        "kill their own people",
        "kills people",
        "killed a million people",
    }
    civil = matches("civilian*")
    assert civil and all(m.lower().startswith("civilian") for m in civil)
    assert {m.lower() for m in matches("asad~1")} == {"assad"}
    # what a query excludes is not a match
    assert {m.lower() for m in matches("assad -civilians")} == {"assad"}
    # a field limits where matches are found: a quote, not the article's body
    quoted = _query(index_dir, 'quote:"their own"', "--kwic", "--format", "jsonl")
    assert [json.loads(line)["field"] for line in quoted.splitlines()] == ["quote"]


def test_csv_and_json(index_dir: Path) -> None:
    out = _query(index_dir, '"civil war"', "--kwic", "15", "--all", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and set(rows[0]) == {
        "id", "kind", "author", "published", "field", "offset", "left", "match", "right"
    }  # fmt: skip
    assert all(row["match"].lower() == "civil war" and len(row["left"]) <= 15 for row in rows)
    data = json.loads(_query(index_dir, '"civil war"', "--kwic", "--format", "json"))
    assert data["width"] == 30 and len(data["lines"]) == len(rows)
    bad = CliRunner().invoke(cli, ["query", "--index", str(index_dir), "x", "--kwic", "2"])
    assert bad.exit_code == 2
