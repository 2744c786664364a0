"""The postgres engine on a real PostgreSQL 15 the tests start (tests/pgserver.py): the job
through the command line, the DSN in the folder and in corpsearch.toml, one writer, atomic
batches, a server that is gone, the limits of prefixes and proximity, and stored documents
equal to tantivy's. The query language itself is checked by the conformance table."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from corpsearch import Index
from corpsearch.cli import cli
from corpsearch.documents import IndexDocument
from corpsearch.engine import postgres_reads
from corpsearch.errors import (
    ConfigError,
    DatabaseError,
    IndexLockedError,
    QueryError,
    QueryTooBroadError,
)
from corpsearch.generations import resolve

from .conftest import FIXTURES, PAGES, POSTGRES_SETUPS, SEED_HTML, SEED_TEXT, SHARED_DATA
from .pgserver import _free_port


def _index(runner: CliRunner, *args: str) -> dict[str, object]:
    done = runner.invoke(cli, ["index", "--json", *args])
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    assert isinstance(summary, dict)
    return summary


def _query(runner: CliRunner, folder: Path, query: str) -> list[str]:
    done = runner.invoke(cli, ["query", "--index", str(folder), "--format", "json", query])
    assert done.exit_code == 0, done.output
    return [hit["author"] for hit in json.loads(done.stdout)["hits"]]


def test_index_and_query_through_the_command_line(tmp_path: Path, postgres_dsn: str) -> None:
    runner = CliRunner()
    folder = tmp_path / "index"
    args = ["--index", str(folder), "--engine", "postgres", "--dsn", postgres_dsn]
    _index(runner, *args, str(SEED_HTML))
    assert sorted(_query(runner, folder, "author:_mowaten_")) == ["_mowaten_"] * 4
    generation = resolve(folder)
    assert json.loads((generation / "corpsearch.json").read_text())["engine"] == "postgres"
    assert (generation / "manifest.json").exists()
    connection = json.loads((generation / "postgres" / "connection.json").read_text())
    assert connection["dsn"] == postgres_dsn
    # the folder holds no documents: only the connection file is in the engine folder
    assert sorted(p.name for p in (generation / "postgres").iterdir()) == ["connection.json"]
    # incremental: a second run without --dsn reads nothing again and keeps the database
    again = _index(runner, "--index", str(folder), str(SEED_HTML), str(PAGES))
    assert again["unchanged"] == 1
    assert len(_query(runner, folder, "kind:article")) == 5  # the seed and 4 pages
    # a rebuild without --dsn keeps the database of the index in use
    _index(runner, "--index", str(folder), "--rebuild", str(SEED_HTML))
    assert resolve(folder) != generation
    assert sorted(_query(runner, folder, "author:_mowaten_")) == ["_mowaten_"] * 4
    assert _query(runner, folder, "kind:article") == [None]


def test_dsn_in_the_configuration_file(
    tmp_path: Path, postgres_dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "corpsearch.toml").write_text(
        f'sources = ["{SEED_TEXT}"]\nindex = "index"\nengine = "postgres"\n'
        f'dsn = "{postgres_dsn}"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    _index(runner)
    assert _query(runner, tmp_path / "index", "chupachups") == ["imagine_1979"]


def test_a_dsn_needs_the_postgres_engine_and_postgres_needs_a_dsn(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--dsn is for --engine postgres"):
        Index.create(tmp_path / "a", engine="tantivy", dsn="postgresql://127.0.0.1/x")
    with pytest.raises(ConfigError, match="give --dsn postgresql://"):
        Index.create(tmp_path / "b", engine="postgres")
    runner = CliRunner()
    done = runner.invoke(cli, ["index", "--index", str(tmp_path / "c"), "--engine", "postgres",
                               str(SEED_TEXT)])  # fmt: skip
    assert done.exit_code == 2
    assert "give --dsn" in done.output


def test_a_server_that_is_gone_is_a_clear_error(tmp_path: Path, postgres_dsn: str) -> None:
    dead = f"postgresql://corpsearch@127.0.0.1:{_free_port()}/postgres"
    with pytest.raises(DatabaseError, match=r"127\.0\.0\.1:\d+/postgres\) cannot be used"):
        Index.create(tmp_path / "new", engine="postgres", dsn=dead)
    folder = tmp_path / "index"
    with Index.create(folder, engine="postgres", dsn=postgres_dsn) as index:
        index.add([SEED_TEXT])
    connection = folder / "postgres" / "connection.json"
    values = json.loads(connection.read_text())
    connection.write_text(json.dumps({**values, "dsn": dead}))
    done = CliRunner().invoke(cli, ["query", "--index", str(folder), "assad"])
    assert done.exit_code == 1
    assert "cannot be used" in done.output and "check the DSN" in done.output
    assert "Traceback" not in done.output
    connection.write_text(json.dumps(values))
    with Index.open(folder) as index:
        assert index.search("assad").total == 3


def _doc(doc_id: str, body: str) -> IndexDocument:
    return IndexDocument(
        id=doc_id, kind="article", article_id=doc_id, headline="", body=body, text="", quote="",
        author=None, site=None, url=None, lang=None, date=None, published=None, position=0,
        comment_count=0, article_headline="", source="test",
    )  # fmt: skip


def test_one_writer_and_batches_that_commit_whole(tmp_path: Path, postgres_dsn: str) -> None:
    with Index.create(tmp_path / "index", engine="postgres", dsn=postgres_dsn) as index:
        writer = index.engine.writer()
        with pytest.raises(IndexLockedError, match="another job is writing"):
            index.engine.writer()
        writer.add([_doc("a1", "first words")])
        assert index.search("first").total == 0  # nothing before the commit
        writer.commit()
        assert index.search("first").total == 1
        cancelled = index.engine.writer()  # the lock went with the commit
        cancelled.delete_article("a1")
        cancelled.add([_doc("a2", "second words")])
        cancelled.cancel()
        assert index.search("first").total == 1
        assert index.search("second").total == 0


def test_limits_of_prefixes_and_proximity(tmp_path: Path, postgres_dsn: str) -> None:
    with Index.create(tmp_path / "index", engine="postgres", dsn=postgres_dsn) as index:
        writer = index.engine.writer()
        writer.add([_doc("many", " ".join(f"zz{n}" for n in range(1001)) + " tail\x00end")])
        writer.commit()
        assert index.search("zz10*").total == 1  # 12 words
        with pytest.raises(QueryTooBroadError, match="more than 1,000 different words"):
            index.search("zz*")
        with pytest.raises(QueryError, match="more than the postgres engine compiles"):
            index.search('"zz1 zz2 zz3 zz4"~9')
        assert index.search('"zz1 zz4 zz7"~2').total == 1
        assert index.search('"zz1 zz4 zz7"~1').total == 0
        # NUL cannot be stored in PostgreSQL text; it becomes U+FFFD and the words stay apart
        assert index.search('"tail end"').total == 1
        stored = next(index.documents())
        assert stored.body.endswith("tail\ufffdend")


@pytest.mark.parametrize("engine", POSTGRES_SETUPS)
def test_stored_documents_equal_tantivy_ones(tmp_path: Path, dsn: str) -> None:
    sources = [SEED_TEXT, SEED_HTML, PAGES, FIXTURES / "query-pages"]
    documents = {}
    for engine, database in (("tantivy", None), ("postgres", dsn)):
        with Index.create(tmp_path / engine, engine=engine, dsn=database) as index:
            for source in sources:
                assert index.add([source]).failures == []
            documents[engine] = {doc.id: doc for doc in index.documents()}
    assert len(documents["postgres"]) > 40
    assert documents["postgres"] == documents["tantivy"]


REAL_PAGES = sorted((SHARED_DATA / "comment-pages").glob("*.html"))[:8]


@pytest.mark.skipif(not REAL_PAGES, reason="shared/data is not beside the checkout")
@pytest.mark.parametrize("engine", POSTGRES_SETUPS)
def test_same_result_sets_as_tantivy_on_real_pages(tmp_path: Path, dsn: str) -> None:
    """Words, prefixes, fuzzy words, phrases and proximity taken from the pages' own text, on
    one server and on the shards."""
    indexes = {
        engine: Index.create(tmp_path / engine, engine=engine, dsn=database)
        for engine, database in (("tantivy", None), ("postgres", dsn))
    }
    try:
        assert indexes["tantivy"].add(REAL_PAGES).failures == []
        writer = indexes["postgres"].engine.writer()  # the same documents, extracted once
        writer.add(indexes["tantivy"].documents())
        writer.commit()
        texts = [d.body or d.text for d in indexes["tantivy"].documents() if d.body or d.text]
        chosen = random.Random(15)
        queries = ["kind:comment", "comments:(the)", "date:[2010 TO 2020}", "-the"]
        for text in chosen.sample(texts, 30):
            words = re.findall(r"\w+", text.lower())
            if len(words) < 4:
                continue
            at = chosen.randrange(len(words) - 3)
            one, two, three = words[at : at + 3]
            queries += [one, f"{one[:3]}*", f"{one}~", f'"{one} {two}"', f'"{one} {three}"~1']
            queries += [f"{one} OR {two}", f"{one} -{two}", f"headline:{one} OR text:{two}"]
        compared = 0
        for query in queries:
            found = {}
            for engine, index in indexes.items():
                try:
                    found[engine] = {h.id for h in index.iter_hits(query, sort="date")}
                except QueryTooBroadError:
                    found[engine] = {"too broad"}
            assert found["postgres"] == found["tantivy"], query
            compared += bool(found["tantivy"])
        assert compared > 100
    finally:
        for index in indexes.values():
            index.close()


@pytest.mark.parametrize("engine", POSTGRES_SETUPS)
def test_exports_stream_through_a_server_side_cursor(
    tmp_path: Path, dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``query --all`` (Index.iter_hits) holds one page of rows: the server (on shards, the
    coordinator) keeps the cursor and the client fetches postgres_reads.FETCH_ROWS at a time."""
    monkeypatch.setattr(postgres_reads, "FETCH_ROWS", 2)
    with Index.create(tmp_path / "index", engine="postgres", dsn=dsn) as index:
        index.add([SEED_TEXT, PAGES])
        total = index.search("kind:comment", limit=0).total
        hits = index.iter_hits("kind:comment", sort="date")
        first = next(hits)
        with psycopg.connect(dsn, autocommit=True) as watcher:
            fetching = watcher.execute(
                "SELECT query, state FROM pg_stat_activity WHERE query LIKE 'FETCH%'"
            ).fetchall()
        assert fetching == [('FETCH FORWARD 2 FROM "corpsearch_stream"', "idle in transaction")]
        assert len([first, *hits]) == total > 4
