"""``query --fields``: chosen columns, full text of articles and comments, in every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpsearch import Index
from corpsearch.cli import cli
from corpsearch.fields import FIELDS, field_records

from .conftest import FIXTURES, PAGES, SEED_HTML

SYKES = FIXTURES / "query-pages" / "timothysykes.html"
ALL = ",".join(FIELDS)


@pytest.fixture()
def index_dir(tmp_path: Path, engine: str) -> Path:
    folder = tmp_path / "index"
    with Index.create(folder, engine=engine) as index:
        assert not index.add([SEED_HTML, PAGES, SYKES]).failures
    return folder


def _extracted(path: Path) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["extract", str(path)])
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _query(index_dir: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["query", "--index", str(index_dir), *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_csv_carries_the_whole_text_of_articles_and_comments(index_dir: Path) -> None:
    seed = _extracted(SEED_HTML)
    out = _query(index_dir, "site:naharnet.com", "--all", "--sort", "date", "--format", "csv",
                 "--fields", ALL)  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(FIELDS)
    assert len(rows) == 6
    article = next(row for row in rows if row["kind"] == "article")
    assert article["text"] == seed["body"] and len(article["text"]) > 2000
    assert article["comment_count"] == "5" and article["position"] == ""
    comments = {row["id"]: row for row in rows if row["kind"] == "comment"}
    assert isinstance(seed["comments"], list)
    for extracted in seed["comments"]:
        row = comments[extracted["id"]]
        assert row["text"] == extracted["text"]  # the comment's own words, not the quote
        assert row["quotes"] == "\n\n".join(extracted["quotes"])
        assert row["position"] == str(extracted["position"])
        assert row["author"] == extracted["author"] and row["article_id"] == seed["id"]
        assert row["source"] == str(SEED_HTML) and row["language"] == "en"
    assert any(row["quotes"] for row in comments.values())


def test_jsonl_and_json_give_the_fields_asked_for_in_order(index_dir: Path) -> None:
    sykes = _extracted(SYKES)
    assert isinstance(sykes["comments"], list)
    parents = {c["id"]: c["parent"] for c in sykes["comments"]}
    out = _query(index_dir, "site:timothysykes.com kind:comment", "--all", "--format", "jsonl",
                 "--fields", "id,parent,position,text")  # fmt: skip
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 19 and all(
        list(r) == ["id", "parent", "position", "text"] for r in records
    )
    assert {r["id"]: r["parent"] for r in records} == parents
    assert sum(1 for r in records if r["parent"]) == 9
    data = json.loads(_query(index_dir, "site:timothysykes.com", "--format", "json",
                             "--fields", "short_id,kind", "--limit", "3", "--offset", "2"))  # fmt: skip
    assert data["total"] == 20 and data["offset"] == 2 and data["fields"] == ["short_id", "kind"]
    assert len(data["hits"]) == 3 and all(len(h["short_id"]) == 8 for h in data["hits"])


def test_stored_text_is_looked_up_batch_by_batch_in_hit_order(index_dir: Path) -> None:
    with Index.open(index_dir) as index:
        hits = list(index.iter_hits("*", sort="date"))
        records = list(field_records(index.engine, iter(hits), ["id", "text"], batch=7))
        stored = {doc.id: doc for doc in index.documents()}
    assert [r["id"] for r in records] == [h.id for h in hits] and len(records) > 20
    for record in records:
        doc = stored[record["id"]]
        assert record["text"] == (doc.body if doc.kind == "article" else doc.text)


def test_table_with_fields_and_bad_field_names(index_dir: Path) -> None:
    out = _query(index_dir, "quote:kill", "--fields", "short_id,author,quotes,text")
    lines = out.splitlines()
    assert lines[0] == "1 hit for 'quote:kill'"
    assert lines[1].startswith("1. ") and lines[1].endswith(" · _mowaten_")
    assert lines[2].startswith('   quotes: Government forces "continue to kill their own people,"')
    assert any(line.startswith("   text: Yea that's really bad") for line in lines)
    runner = CliRunner()
    bad = runner.invoke(cli, ["query", "--index", str(index_dir), "x", "--fields", "id,body"])
    assert bad.exit_code == 2 and "unknown field(s) 'body' for --fields" in bad.stderr
    grouped = runner.invoke(
        cli, ["query", "--index", str(index_dir), "x", "--fields", "id", "--group", "article"]
    )
    assert grouped.exit_code == 2 and "not with --group" in grouped.stderr
