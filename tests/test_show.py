"""Reading a thread (``corpsearch show``, Index.thread) and short ids, on real pages."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpsearch import Index
from corpsearch.cli import cli
from corpsearch.documents import IndexDocument
from corpsearch.errors import AmbiguousIdError, DocumentNotFoundError
from corpsearch.ids import SHORT_LENGTH

from .conftest import FIXTURES, PAGES, SEED_HTML, write_warc

# A real blog post with 19 comments, 9 of them replies (the page nests them).
SYKES = FIXTURES / "query-pages" / "timothysykes.html"


@pytest.fixture()
def thread_index(tmp_path: Path, engine: str) -> Path:
    folder = tmp_path / "index"
    with Index.create(folder, engine=engine) as index:
        report = index.add([SYKES, SEED_HTML, PAGES])
        assert not report.failures
    return folder


def _extracted(path: Path) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 0, result.stderr
    record: dict[str, object] = json.loads(result.stdout)
    return record


def _article_id(folder: Path, query: str) -> str:
    with Index.open(folder) as index:
        return index.search(query, kind="article").hits[0].id


def test_thread_gives_back_the_extracted_record_with_its_reply_tree(thread_index: Path) -> None:
    extracted = _extracted(SYKES)
    with Index.open(thread_index) as index:
        thread = index.thread(str(extracted["id"]))
    data = thread.to_dict()
    # corpsearch extract's shape and values (problems are not kept by the index)
    for key in ("id", "url", "site", "headline", "body", "published", "language", "source"):
        assert data[key] == extracted[key], key
    comments = extracted["comments"]
    assert isinstance(comments, list) and len(comments) == 19
    shown = {c["id"]: c for c in data["comments"]}
    for comment in comments:
        mine = dict(shown[comment["id"]])
        assert mine.pop("depth") in (0, 1)
        assert mine == comment
    # every reply comes right after its parent's branch, one level deeper
    depth_of = {c["id"]: c["depth"] for c in data["comments"]}
    replies = [c for c in data["comments"] if c["parent"]]
    assert len(replies) == 9
    for reply in replies:
        assert depth_of[reply["id"]] == depth_of[reply["parent"]] + 1
    order = [c["id"] for c in data["comments"]]
    for reply in replies:
        assert order.index(reply["parent"]) < order.index(reply["id"])


def test_show_indents_replies_under_their_parent(thread_index: Path) -> None:
    article = _article_id(thread_index, "site:timothysykes.com")
    result = CliRunner().invoke(cli, ["show", "--index", str(thread_index), article, "--no-body"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"article · {article[:SHORT_LENGTH]} · timothysykes.com · ")
    assert lines[0].endswith("· 19 comments")
    assert lines[1] == "10 Things You Should Know About Short Selling"
    heads = [line for line in lines if re.match(r"\s*#\d+ · ", line)]
    assert len(heads) == 19
    first, reply = heads[0], heads[1]
    assert first.startswith("#1 · ") and " · Anonymous · 2016-11-01 18:28 +00:00" in first
    assert reply.startswith("    #2 · ") and "Timothy Sykes" in reply
    assert reply.endswith(f"reply to {first.split(' · ')[1]}")
    # the reply's text is indented with it
    assert lines[lines.index(reply) + 1] == "      🙂"


def test_show_marks_quotes_and_shows_a_comment_in_its_thread(thread_index: Path) -> None:
    runner = CliRunner()
    with Index.open(thread_index) as index:
        hit = index.search('quote:"kill their own people"').hits[0]
        short = index.short_ids()(hit.id)
    result = runner.invoke(cli, ["show", "--index", str(thread_index), short])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "U.S. Insists No Anti-Jihadist Coordination with Assad" in out
    assert "1 of 5 comments: the branch of" in out
    focus = next(line for line in out.splitlines() if line.startswith("▶ "))
    assert focus.startswith(f"▶ #1 · {short} · _mowaten_ · 2014-09-13 14:32 +03:00")
    quoted = [line for line in out.splitlines() if line.startswith("  > ")]
    assert quoted and 'Government forces "continue to kill their own people,"' in quoted[0]
    whole = runner.invoke(cli, ["show", "--index", str(thread_index), short, "--whole"])
    assert len(re.findall(r"(?m)^(▶ )?#\d+ · ", whole.stdout)) == 5
    zoned = runner.invoke(cli, ["show", "--index", str(thread_index), short, "--tz", "UTC"])
    assert "2014-09-13 11:32 +00:00" in zoned.stdout


def test_show_json_and_errors(thread_index: Path) -> None:
    runner = CliRunner()
    article = _article_id(thread_index, "site:sitepoint.com")
    result = runner.invoke(cli, ["show", "--index", str(thread_index), article, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == article and len(data["comments"]) == 4 and data["focus"] is None
    missing = runner.invoke(cli, ["show", "--index", str(thread_index), "0123456789abcdef"])
    assert missing.exit_code == 1
    assert "no document with the id '0123456789abcdef'" in missing.stderr
    short = runner.invoke(cli, ["show", "--index", str(thread_index), "ab"])
    assert short.exit_code == 1 and "at least 4 of its digits" in short.stderr


def test_show_source_prints_the_captured_file(thread_index: Path) -> None:
    article = _article_id(thread_index, "site:sitepoint.com")
    result = CliRunner().invoke(cli, ["show", "--index", str(thread_index), article, "--source"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == (PAGES / "sitepoint.html").read_bytes()


def test_show_source_prints_the_archive_record(tmp_path: Path, engine: str) -> None:
    archive = tmp_path / "crawl.warc.gz"
    pages = ["pixelmonkey.html", "sitepoint.html"]
    records = [
        (
            f"https://example.org/{name}",
            (PAGES / name).read_bytes(),
            "2020-01-01T10:00:00Z",
            "text/html",
        )
        for name in pages
    ]
    write_warc(archive, records, gzip=True)
    with Index.create(tmp_path / "index", engine=engine) as index:
        index.add([archive])
        article = index.search("site:sitepoint.com", kind="article").hits[0]
    assert "#" in article.source
    runner = CliRunner()
    result = runner.invoke(
        cli, ["show", "--index", str(tmp_path / "index"), article.id, "--source"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == (PAGES / "sitepoint.html").read_bytes()
    archive.unlink()
    gone = runner.invoke(cli, ["show", "--index", str(tmp_path / "index"), article.id, "--source"])
    assert gone.exit_code == 1 and "is no longer there" in gone.stderr


def test_table_shows_short_ids_that_show_and_article_accept(thread_index: Path) -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["query", "--index", str(thread_index), "site:sitepoint.com"])
    assert table.exit_code == 0, table.stderr
    heads = re.findall(r"(?m)^\d+\. ([0-9a-f]+) · (article|comment)", table.stdout)
    assert len(heads) == 5 and all(len(short) == SHORT_LENGTH for short, _ in heads)
    short = next(short for short, kind in heads if kind == "article")
    shown = runner.invoke(cli, ["show", "--index", str(thread_index), short, "--no-body"])
    assert shown.exit_code == 0 and "· sitepoint.com ·" in shown.stdout.splitlines()[0]
    comments = runner.invoke(
        cli, ["query", "--index", str(thread_index), f"article:{short}", "--format", "json"]
    )
    assert json.loads(comments.stdout)["total"] == 4
    with Index.open(thread_index) as index:
        full = index.resolve_id(short)
        assert index.search(f"article:{full}").total == 4
        assert index.search(f"id:{short[:5]}").hits[0].id == full
        assert index.get(short).kind == "article"


def _doc(doc_id: str, kind: str, article_id: str) -> IndexDocument:
    return IndexDocument(
        id=doc_id,
        kind=kind,
        article_id=article_id,
        headline="a headline" if kind == "article" else "",
        body="words" if kind == "article" else "",
        text="words" if kind == "comment" else "",
        quote="",
        author=None,
        site="example.org",
        url=None,
        lang=None,
        date=datetime(2020, 1, 1, tzinfo=UTC),
        published="2020-01-01T00:00:00+00:00",
        position=0,
        comment_count=1 if kind == "article" else 0,
        article_headline="a headline",
        source="x.html",
    )


def test_short_ids_grow_until_unique_and_ambiguity_is_an_error(tmp_path: Path, engine: str) -> None:
    # ids chosen to share their first 12 digits; nothing else decides a short id
    first, second, other = "abcdef0123450001", "abcdef0123459002", "abcd7777aaaa0000"
    with Index.create(tmp_path / "index", engine=engine) as index:
        writer = index.engine.writer()
        writer.add([_doc(first, "article", first), _doc(second, "comment", first)])
        writer.add([_doc(other, "article", other)])
        writer.commit()
        short = index.short_ids()
        assert short(first) == "abcdef0123450" and short(second) == "abcdef0123459"
        assert short(other) == "abcd7777"
        with pytest.raises(AmbiguousIdError, match="names 3 documents"):
            index.get("abcd")
        with pytest.raises(DocumentNotFoundError):
            index.get("ffff")
        assert index.get("abcdef01234590").id == second
        # among articles, "abcdef" names one
        assert index.search("article:abcdef").total == 1
    result = CliRunner().invoke(cli, ["query", "--index", str(tmp_path / "index"), "article:abcd"])
    assert result.exit_code == 2
    assert "the short id 'abcd' names 2 articles" in result.stderr
