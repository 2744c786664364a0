"""whoosh's segments written by corpsearch's writer (whoosh_writer) are whoosh's own: the same
segment files, byte for byte, as whoosh's SegmentWriter writes from the same documents, on real
pages, with the pool spilled to disk, and when a commit merges older segments and deletions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh import writing

from corpsearch import extract_paths
from corpsearch.analysis import article_streams
from corpsearch.documents import IndexDocument, documents_of
from corpsearch.engine import whoosh_engine, whoosh_writer
from corpsearch.engine.whoosh_engine import WhooshEngine
from corpsearch.records import Article

from .conftest import PAGES, SHARED_DATA

REAL_PAGES = sorted((SHARED_DATA / "comment-pages").glob("*.html"))[:12]


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    found = [a for a in extract_paths([*REAL_PAGES, PAGES]) if isinstance(a, Article)]
    assert len(found) > 10
    return found


def _documents(articles: list[Article], workers: bool) -> list[IndexDocument]:
    """The articles' documents, with the streams the extraction workers make (or without:
    the engine makes them)."""
    return [
        doc
        for article in articles
        for doc in documents_of(article, article_streams(article) if workers else ())
    ]


def _write(
    folder: Path,
    batches: list[list[IndexDocument]],
    writer: type,
    monkeypatch: pytest.MonkeyPatch,
    limitmb: float = 128,
    deleted: tuple[str, ...] = (),
) -> None:
    """One commit per batch, through ``writer``; ``deleted`` articles go in the last one."""
    with monkeypatch.context() as patch:
        patch.setattr(whoosh_engine, "SegmentWriter", writer)
        patch.setattr(whoosh_engine, "WRITER_LIMIT_MB", limitmb)
        engine = WhooshEngine.create(folder)
        try:
            for number, batch in enumerate(batches):
                w = engine.writer()
                if number == len(batches) - 1:
                    for article_id in deleted:
                        w.delete_article(article_id)
                w.add(batch)
                w.commit()
        finally:
            engine.close()


def _segments(folder: Path) -> Iterator[dict[str, bytes]]:
    """Each segment's files (named without the segment's random id), in the index's order."""
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        ids = [leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()]
    ix.close()
    for segment_id in ids:
        prefix = str(segment_id)
        yield {
            path.name.removeprefix(prefix): path.read_bytes()
            for path in folder.iterdir()
            if path.name.startswith(prefix)
        }


def _assert_same_index(ours: Path, whoosh: Path) -> None:
    mine, theirs = list(_segments(ours)), list(_segments(whoosh))
    assert len(mine) == len(theirs)
    for a, b in zip(mine, theirs, strict=True):
        assert sorted(a) == sorted(b)
        assert any(name.endswith(".pst") for name in a)
        for name in a:
            assert a[name] == b[name], name


@pytest.mark.skipif(not REAL_PAGES, reason="shared/data is not beside the checkout")
@pytest.mark.parametrize("workers", [True, False], ids=["streams from workers", "engine's"])
def test_the_same_segment_as_whoosh_writes(
    tmp_path: Path, articles: list[Article], workers: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = _documents(articles, workers)
    _write(tmp_path / "ours", [documents], whoosh_writer.SegmentWriter, monkeypatch)
    _write(tmp_path / "whoosh", [documents], writing.SegmentWriter, monkeypatch)
    _assert_same_index(tmp_path / "ours", tmp_path / "whoosh")


@pytest.mark.skipif(not REAL_PAGES, reason="shared/data is not beside the checkout")
def test_a_pool_spilled_to_disk_writes_the_same_segment(
    tmp_path: Path, articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = _documents(articles, True)
    runs: list[int] = []
    save = whoosh_writer.TermPool.save

    def counted(pool: whoosh_writer.TermPool) -> None:
        runs.append(1)
        save(pool)

    monkeypatch.setattr(whoosh_writer.TermPool, "save", counted)
    # about 60 kB: the pool spills many runs, merged term by term at the commit
    _write(tmp_path / "ours", [documents], whoosh_writer.SegmentWriter, monkeypatch, 0.06)
    assert len(runs) > 5
    _write(tmp_path / "whoosh", [documents], writing.SegmentWriter, monkeypatch, 0.06)
    _assert_same_index(tmp_path / "ours", tmp_path / "whoosh")


@pytest.mark.skipif(not REAL_PAGES, reason="shared/data is not beside the checkout")
def test_merged_segments_and_deletions_are_written_the_same(
    tmp_path: Path, articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = _documents(articles, True)
    third = len(documents) // 3
    batches = [documents[:third], documents[third : 2 * third], documents[2 * third :]]
    deleted = (documents[0].article_id,)
    for name, writer in (("ours", whoosh_writer.SegmentWriter), ("whoosh", writing.SegmentWriter)):
        _write(tmp_path / name, batches, writer, monkeypatch, deleted=deleted)
        assert len(list(_segments(tmp_path / name))) == 3
        # a commit merging every segment: their postings go through the pool's ``add``
        ix = whoosh_index.open_dir(str(tmp_path / name))
        w = writer(ix, compound=False)
        w.add_document(**whoosh_engine._fields(documents[0]))
        w.commit(optimize=True)
        ix.close()
    _assert_same_index(tmp_path / "ours", tmp_path / "whoosh")
    assert len(list(_segments(tmp_path / "ours"))) == 1


def test_a_field_with_vectors_is_refused(tmp_path: Path) -> None:
    from whoosh.fields import TEXT, Schema

    ix = whoosh_index.create_in(str(tmp_path), Schema(body=TEXT(vector=True)))
    w = whoosh_writer.SegmentWriter(ix)
    try:
        with pytest.raises(TypeError, match="vectors"):
            w.add_document(body="some words")
    finally:
        w.cancel()
        ix.close()
