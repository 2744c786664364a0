"""Web archives as sources, built in the test with warcio from real pages."""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpsearch import Index
from corpsearch.cli import cli
from corpsearch.extract import decode, extract
from corpsearch.sources import SourceDocument, SourceFailure, SourceLimits, iter_sources

from .conftest import PAGES, SHARED_DATA, write_warc

REAL = ["pixelmonkey.html", "sitepoint.html", "telegraph.html"]
MDR = SHARED_DATA / "comment-pages" / "mdr.html"


def _real_records() -> list[tuple[str, bytes, str, str]]:
    return [
        (
            f"https://example.org/{name}",
            (PAGES / name).read_bytes(),
            f"2020-01-0{i + 1}T10:00:00Z",
            "text/html; charset=utf-8",
        )
        for i, name in enumerate(REAL)
    ]


@pytest.mark.parametrize("gzip", [True, False])
def test_each_html_response_is_a_document_with_its_capture(tmp_path: Path, gzip: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    write_warc(path, _real_records(), gzip=gzip)
    items = list(iter_sources([tmp_path]))
    assert all(isinstance(item, SourceDocument) for item in items)
    docs = [item for item in items if isinstance(item, SourceDocument)]
    assert [d.ref.url for d in docs] == [f"https://example.org/{n}" for n in REAL]
    assert [d.ref.captured_at for d in docs] == [
        datetime(2020, 1, i, 10, tzinfo=UTC) for i in (1, 2, 3)
    ]
    assert [d.data for d in docs] == [(PAGES / n).read_bytes() for n in REAL]
    data = path.read_bytes()
    for doc in docs:
        assert doc.ref.path == str(path)
        assert doc.ref.offset is not None and doc.ref.offset > 0
        assert str(doc.ref) == f"{path}#{doc.ref.offset}"
        # the offset is where the record starts
        assert data[doc.ref.offset : doc.ref.offset + 3] == (b"\x1f\x8b\x08" if gzip else b"WAR")
    article = extract(docs[1])
    assert article.source.url == "https://example.org/sitepoint.html"
    assert article.to_dict()["source"] == f"{path}#{docs[1].ref.offset}"
    assert len(article.comments) == 4


@pytest.mark.parametrize("gzip", [True, False])
def test_a_truncated_archive_fails_only_its_last_record(tmp_path: Path, gzip: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    write_warc(path, _real_records(), gzip=gzip, extra=False)
    offsets = [i.ref.offset for i in iter_sources([path]) if isinstance(i, SourceDocument)]
    path.write_bytes(path.read_bytes()[:-3000])
    items = list(iter_sources([path]))
    assert [i.ref.offset for i in items if isinstance(i, SourceDocument)] == offsets[:2]
    failures = [i for i in items if isinstance(i, SourceFailure)]
    assert len(failures) == 1
    assert failures[0].path == f"{path}#{offsets[2]}"
    assert "cut short" in failures[0].reason


@pytest.mark.parametrize("gzip", [True, False])
def test_an_archive_cut_anywhere_in_its_last_record_says_so(tmp_path: Path, gzip: bool) -> None:
    """Wherever the file ends inside the last record (its WARC header, its HTTP header, its
    page), the first two pages are read and the third is reported, never silently left out."""
    whole = tmp_path / ("whole.warc.gz" if gzip else "whole.warc")
    write_warc(whole, _real_records(), gzip=gzip, extra=False)
    offsets = [i.ref.offset for i in iter_sources([whole]) if isinstance(i, SourceDocument)]
    assert offsets[2] is not None
    data = whole.read_bytes()
    last = len(data) - offsets[2]
    # every byte of the first 600 (the headers, compressed or not), then across the rest
    cuts = sorted({*range(1, min(600, last)), *range(600, last, max(1, last // 40))})
    path = tmp_path / whole.name.replace("whole", "cut")
    for cut in cuts:
        path.write_bytes(data[: offsets[2] + cut])
        items = list(iter_sources([path]))
        docs = [i.ref.offset for i in items if isinstance(i, SourceDocument)]
        failures = [i for i in items if isinstance(i, SourceFailure)]
        assert docs == offsets[:2], cut
        assert failures, f"cut {cut} bytes into the last record: nothing reported"
        assert all(f.path.startswith(f"{path}#") for f in failures), cut
        assert "truncated or damaged" in failures[0].reason or "damaged archive record" in (
            failures[0].reason
        ), (cut, failures[0].reason)


@pytest.mark.parametrize("gzip", [True, False])
@pytest.mark.parametrize("where", ["header", "content"])
def test_a_corrupt_record_fails_and_the_next_ones_are_read(
    tmp_path: Path, gzip: bool, where: str
) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    write_warc(path, _real_records(), gzip=gzip, extra=False)
    offsets = [i.ref.offset for i in iter_sources([path]) if isinstance(i, SourceDocument)]
    assert all(o is not None for o in offsets)
    data = bytearray(path.read_bytes())
    start = offsets[1]
    assert start is not None
    at = start + 2 if where == "header" else start + 3000
    data[at : at + 40] = b"\x00" * 40
    path.write_bytes(bytes(data))
    items = list(iter_sources([path]))
    docs = [i for i in items if isinstance(i, SourceDocument)]
    failures = [i for i in items if isinstance(i, SourceFailure)]
    assert docs[0].ref.offset == offsets[0]
    assert docs[-1].ref.offset == offsets[2]
    assert docs[-1].data == (PAGES / REAL[2]).read_bytes()
    if not (where == "content" and not gzip):
        # zeros inside an uncompressed page are no damage the archive can show
        assert [f.path for f in failures] == [f"{path}#{start}"]
        assert "damaged" in failures[0].reason


def test_header_charset_decodes_a_page_without_a_declaration(tmp_path: Path) -> None:
    if not MDR.is_file():
        pytest.skip("shared comment pages not available")
    text = MDR.read_bytes().decode("utf-8")
    text = re.sub(r"<meta[^>]*charset[^>]*>", "", text, flags=re.IGNORECASE)
    path = tmp_path / "mdr.warc.gz"
    write_warc(
        path,
        [
            (
                "https://www.mdr.de/a",
                text.encode("cp1252"),
                "2022-05-04T12:00:00Z",
                "text/html; charset=ISO-8859-1",
            )
        ],
        gzip=True,
        extra=False,
    )
    (doc,) = list(iter_sources([path]))
    assert isinstance(doc, SourceDocument)
    assert doc.charset == "ISO-8859-1"
    assert decode(doc.data, doc.charset) == text
    article = extract(doc)
    assert "ä" in article.body
    assert "\ufffd" not in article.body


def test_bom_wins_over_the_header_and_detection_is_the_fallback() -> None:
    text = (PAGES / "sitepoint.html").read_bytes().decode("utf-8")
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8"), "iso-8859-1") == text
    german = "<html><body><p>" + "Größere Übungen für Äpfel und Öl " * 30 + "</p></body></html>"
    assert "Größere Übungen" in decode(german.encode("utf-8"))
    assert "Größere Übungen" in decode(german.encode("cp1252"), "windows-1252")


def test_indexing_an_archive_reports_each_record(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, _real_records(), gzip=True)
    with Index.create(tmp_path / "index") as index:
        report = index.add([path])
        assert report.pages == 3 and report.articles == 3 and not report.failures
        hits = index.search("kind:article", limit=10).hits
    assert {h.source.split("#")[0] for h in hits} == {str(path)}


def test_arc_gz_records_carry_their_url_and_date(tmp_path: Path) -> None:
    body = (PAGES / "pixelmonkey.html").read_bytes()
    head = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n"
    members = [b"filedesc://t.arc 0.0.0.0 20200101000000 text/plain %d\n" % len(head) + head]
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    for stamp in (b"20200102030405", b"20210102030405"):
        line = b"http://example.org/p 1.2.3.4 %s text/html %d\n" % (stamp, len(http))
        members.append(line + http)
    path = tmp_path / "old.arc.gz"
    path.write_bytes(b"".join(gzip.compress(m + b"\n") for m in members))
    docs = list(iter_sources([path]))
    assert all(isinstance(d, SourceDocument) for d in docs)
    assert [d.ref.captured_at for d in docs if isinstance(d, SourceDocument)] == [
        datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime(2021, 1, 2, 3, 4, 5, tzinfo=UTC),
    ]
    assert {d.ref.url for d in docs if isinstance(d, SourceDocument)} == {"http://example.org/p"}
    assert all(isinstance(d, SourceDocument) and d.data == body for d in docs)


def test_a_record_over_the_size_limit_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, _real_records(), gzip=True, extra=False)
    limits = SourceLimits(max_decompressed_bytes=len((PAGES / REAL[0]).read_bytes()) + 10)
    items = list(iter_sources([path], limits))
    assert [type(i).__name__ for i in items] == ["SourceDocument", "SourceFailure", "SourceFailure"]
    assert all("max_decompressed_bytes" in i.reason for i in items if isinstance(i, SourceFailure))


def test_cli_extract_shows_the_record_offset_and_index_counts_merges(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    records = _real_records()
    write_warc(
        path,
        [*records, (records[1][0], records[1][1], "2019-01-01T00:00:00Z", "text/html")],
        gzip=True,
    )
    runner = CliRunner()
    result = runner.invoke(cli, ["extract", str(path)])
    assert result.exit_code == 0, result.stderr
    sources = [json.loads(line)["source"] for line in result.stdout.splitlines()]
    assert len(sources) == 4 and all(
        re.fullmatch(re.escape(str(path)) + r"#\d+", s) for s in sources
    )
    result = runner.invoke(cli, ["index", "--index", str(tmp_path / "index"), str(path)])
    assert result.exit_code == 0, result.stderr
    assert "1 new, 0 changed, 0 removed, 0 unchanged, 0 failed" in result.stderr
    assert "1 duplicate capture(s) merged" in result.stderr
    # Four captures, two of them of the same article: three articles, each indexed once.
    with Index.open(tmp_path / "index") as index:
        assert index.count() == {"article": 3, "comment": 5}


def test_an_archive_without_pages_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "images.warc"
    body = (PAGES / "pixelmonkey.html").read_bytes()
    write_warc(
        path, [("https://example.org/a", body, "2020-01-01T00:00:00Z", "text/plain")], gzip=False
    )
    (failure,) = list(iter_sources([path]))
    assert isinstance(failure, SourceFailure)
    assert failure.path == str(path) and "no HTML response records" in failure.reason


def test_a_utf8_page_sent_as_latin1_is_read_as_utf8(tmp_path: Path) -> None:
    # a common server default: "charset=ISO-8859-1" on pages written in UTF-8
    if not MDR.is_file():
        pytest.skip("shared comment pages not available")
    raw = MDR.read_bytes()
    path = tmp_path / "mdr.warc.gz"
    record = ("https://www.mdr.de/a", raw, "2022-05-04T12:00:00Z", "text/html; charset=iso-8859-1")
    write_warc(path, [record], gzip=True, extra=False)
    (doc,) = list(iter_sources([path]))
    assert isinstance(doc, SourceDocument)
    assert decode(doc.data, doc.charset) == raw.decode("utf-8")
