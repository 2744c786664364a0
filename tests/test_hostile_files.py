"""Hostile files: each one is skipped or read as far as possible, its reason is in the run's
report, and the run goes on. Every file is generated here, in tmp_path; every test that
indexes runs on each engine."""

from __future__ import annotations

import errno
import functools
import gzip
import json
import os
import random
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpsearch import Index, SourceLimits, extract, iter_sources
from corpsearch.cli import cli
from corpsearch.errors import ExtractionError, IndexWriteError
from corpsearch.faults import guard_extraction
from corpsearch.sources import SourceDocument, SourceFailure

from . import reliability
from .conftest import SEED_HTML
from .unprivileged import run_cli

PAGE = (
    "<html lang='en'><head><title>Harbour reopens</title></head><body>"
    "<h1>Harbour reopens</h1><p>The harbour of Tyre reopened on Friday after repairs.</p>"
    "</body></html>"
)
Builder = Callable[[Path], Path]


def _write(name: str, data: bytes) -> Builder:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return build


BOMB_MB = 16


@functools.cache
def _bomb_bytes() -> bytes:
    packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1 << 20)
    return b"".join(packer.compress(chunk) for _ in range(BOMB_MB)) + packer.flush()


def _gzip_bomb(folder: Path) -> Path:
    """16 MiB of zeros in a few KiB: far over the 1 MiB limit these tests set."""
    path = folder / "bomb.html.gz"
    path.write_bytes(_bomb_bytes())
    return path


def _huge_page(folder: Path) -> Path:
    """A 200 MB page, written sparse so that the test is fast: refused before it is read."""
    path = folder / "huge.html"
    with path.open("wb") as out:
        out.write(PAGE.encode())
        out.truncate(200 * 1024 * 1024)
    return path


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.html"
    os.mkfifo(path)  # reading it would wait for a writer forever
    return path


def _link_loop(folder: Path) -> Path:
    (folder / "loop-a.html").symlink_to(folder / "loop-b.html")
    (folder / "loop-b.html").symlink_to(folder / "loop-a.html")
    return folder / "loop-a.html"


def _folder_loop(folder: Path) -> Path:
    (folder / "again").symlink_to(folder, target_is_directory=True)
    return folder / "again"


def _dangling(folder: Path) -> Path:
    (folder / "gone.html").symlink_to(folder / "nowhere.html")
    return folder / "gone.html"


def _nested(depth: int, tag: str) -> Builder:
    body = f"<{tag}>" * depth + "<p>Text at the bottom of the nesting.</p>" + f"</{tag}>" * depth
    html = f"<html><body><h1>Deep</h1>{body}</body></html>".encode()
    return _write(f"nested-{tag}-{depth}.html", html)


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1).randbytes(4000)
RANDOM = random.Random(2).randbytes(20000)
TRUNCATED = gzip.compress(PAGE.encode() * 50)[:-200]

# (builder, what must come of it: "read" with a phrase of its text, or "skipped" with a reason)
FILE_CASES = reliability.cases(
    "Files",
    "binary, empty, truncated, bomb, huge, pipe, link loops, deep nesting",
    "skipped with its reason in IndexReport.failures and on stderr, or read; "
    "the run goes on and indexes the good pages",
    [
        pytest.param(_write("image.html", PNG), "skipped", "binary data", id="png-named-html"),
        pytest.param(_write("noise.html", RANDOM), "skipped", "binary data", id="random-bytes"),
        pytest.param(_write("empty.html", b""), "skipped", "file is empty", id="empty"),
        pytest.param(_write("blank.html", b" \n\t\n"), "skipped", "file is empty", id="blank"),
        pytest.param(_write("cut.html.gz", TRUNCATED), "skipped", "truncated", id="truncated-gzip"),
        pytest.param(
            _write("fake.html.gz", PAGE.encode()), "skipped", "not a readable gzip", id="not-gzip"
        ),
        pytest.param(_gzip_bomb, "skipped", "decompresses to more than", id="gzip-bomb"),
        pytest.param(_huge_page, "skipped", "over the limit", id="200mb-page"),
        pytest.param(_fifo, "skipped", "not a regular file", id="named-pipe"),
        pytest.param(_link_loop, "skipped", "symbolic links", id="file-link-loop"),
        pytest.param(_folder_loop, "skipped", "link to a folder, not followed", id="folder-loop"),
        pytest.param(_dangling, "skipped", "cannot read file", id="dangling-link"),
        pytest.param(_nested(20_000, "div"), "read", "bottom of the nesting", id="20k-divs"),
        pytest.param(_nested(20_000, "span"), "read", "bottom of the nesting", id="20k-spans"),
        pytest.param(_nested(10_000, "table"), "read", "bottom of the nesting", id="10k-tables"),
        pytest.param(
            _write(
                os.fsdecode(b"caf\xe9-latin1-name.html"),
                PAGE.replace("<h1>", "<h1>Named ").encode(),
            ),
            "read",
            "harbour of Tyre",
            id="file-name-not-utf8",
        ),
        pytest.param(
            _write("unclosed.html", b"<html><body><h1>Deep</h1>" + b"<div><b><i>" * 10_000),
            "read",
            "",
            id="30k-unclosed",
        ),
    ],
)
LIMITS = SourceLimits(max_decompressed_bytes=1 << 20)


def _account(folder: Path, index: Index) -> tuple[dict[str, str], set[str]]:
    """Run one add over ``folder``: (failures by file name, names of indexed sources)."""
    report = index.add([folder], limits=LIMITS)
    failures = {Path(f.source).name: f.reason for f in report.failures}
    hits = index.search("*", kind="article", limit=1000).hits
    return failures, {Path(hit.source).name for hit in hits}


@pytest.mark.parametrize(("build", "outcome", "expected"), FILE_CASES)
def test_each_hostile_file_is_reported_and_the_run_goes_on(
    tmp_path: Path, build: Builder, outcome: str, expected: str, engine: str
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "good.html").write_text(PAGE, encoding="utf-8")
    bad = build(pages)
    with Index.create(tmp_path / "index", engine=engine) as index:
        failures, indexed = _account(pages, index)
    assert "good.html" in indexed, failures
    if outcome == "skipped":
        assert bad.name not in indexed
        assert expected in failures[bad.name]
    else:
        assert bad.name in indexed, failures
        with Index.open(tmp_path / "index") as index:
            found = index.search(f'"{expected}"' if expected else "deep", kind="article")
        assert bad.name in {Path(h.source).name for h in found.hits}
    # Nothing vanished: every file is either indexed or reported.
    names = {p.name for p in pages.iterdir()}
    assert names == indexed | set(failures)


def test_all_hostile_files_in_one_run_through_the_cli(tmp_path: Path, engine: str) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "seed.html").write_bytes(SEED_HTML.read_bytes())
    # The slow deep-nesting pages are left to the test above.
    skipping = [param for param in FILE_CASES if param.values[1] == "skipped"]
    built = [param.values[0](pages) for param in skipping]  # type: ignore[operator]
    folder = str(tmp_path / "index")
    args = ["index", "--index", folder, "--engine", engine, "--max-decompressed-mb", "1"]
    result = CliRunner().invoke(cli, [*args, str(pages)])
    assert result.exit_code == 4, result.output  # finished, some sources failed
    assert "Traceback" not in result.output
    for path in built:
        assert f"skipped {path}: " in result.stderr, path.name
    assert ": 1 new, " in result.stderr
    # The link loop is two files, and both are reported.
    assert f"unchanged, {len(built) + 1} failed" in result.stderr
    with Index.open(folder) as index:
        assert index.engine.name == engine
        assert index.count() == {"article": 1, "comment": 5}


def test_limits_are_settable_from_the_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    too_small = runner.invoke(cli, ["extract", "--max-file-mb", "0.001", str(SEED_HTML)])
    assert too_small.exit_code == 1 and isinstance(too_small.exception, SystemExit)
    assert "9302 bytes, over the limit of 1048;" in too_small.stderr
    _gzip_bomb(tmp_path)
    bomb = runner.invoke(cli, ["extract", "--max-decompressed-mb", "2", str(tmp_path)])
    assert "decompresses to more than 2097152 bytes" in bomb.stderr
    bad = runner.invoke(cli, ["extract", "--max-file-mb", "-1", str(SEED_HTML)])
    assert bad.exit_code == 2
    assert "Traceback" not in bad.output


def test_the_gzip_limit_is_a_limit_on_memory(tmp_path: Path) -> None:
    """The decompressor never produces more than the limit (plus one byte to detect it)."""
    path = _gzip_bomb(tmp_path)
    (item,) = iter_sources([path], SourceLimits(max_decompressed_bytes=BOMB_MB << 20))
    assert isinstance(item, SourceDocument)
    assert len(item.data) == BOMB_MB << 20
    (item,) = iter_sources([path], SourceLimits(max_decompressed_bytes=(BOMB_MB << 20) - 1))
    assert isinstance(item, SourceFailure)


def test_an_unexpected_error_on_one_page_is_that_pages_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """Should a bug in an extractor raise anything on some page, the run records it against that
    page, asks for a report, and goes on."""
    import corpsearch.index

    def broken_on_one(document: SourceDocument, options: object = None) -> object:
        if document.ref.path.endswith("bad.html"):
            raise KeyError("a bug")
        return extract(document)

    monkeypatch.setattr(corpsearch.index, "extract", broken_on_one)
    (tmp_path / "bad.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "good.html").write_text(PAGE.replace("Tyre", "Sidon"), encoding="utf-8")
    with Index.create(tmp_path / "index", engine=engine) as index:
        report = index.add([tmp_path / "bad.html", tmp_path / "good.html"])
        assert [hit.source for hit in index.search("sidon").hits] == [str(tmp_path / "good.html")]
    assert report.articles == 1
    (failure,) = report.failures
    assert failure.source.endswith("bad.html")
    assert "unexpected KeyError" in failure.reason and "please report it" in failure.reason


def test_a_full_disk_while_a_page_is_read_stops_the_add(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """A library that writes a temporary file while reading a page (the language detector
    unpacks its model on first use) meets a full disk: not the page's fault, so the add stops
    with 'the disk is full' and commits nothing, as the indexing job does."""
    import corpsearch.index

    def disk_full_on_the_second(document: SourceDocument, options: object = None) -> object:
        if document.ref.path.endswith("second.html"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return extract(document)

    for name in ("first.html", "second.html"):
        (tmp_path / name).write_text(PAGE, encoding="utf-8")
    with Index.create(tmp_path / "index", engine=engine) as index:
        monkeypatch.setattr(corpsearch.index, "extract", disk_full_on_the_second)
        with pytest.raises(IndexWriteError, match="the disk is full"):
            index.add([tmp_path / "first.html", tmp_path / "second.html"])
        assert index.count() == {"article": 0, "comment": 0}


UNREADABLE = reliability.cases(
    "Files",
    "unreadable file and folder (chmod 000), and a page given inside an unreadable folder",
    "skipped with 'Permission denied' on stderr; the run goes on (under root: run as nobody "
    "in a user namespace)",
    ["file", "folder", "given-inside"],
)


@pytest.mark.parametrize("what", UNREADABLE)
def test_unreadable_files_and_folders(tmp_path: Path, what: str, engine: str) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "good.html").write_text(PAGE, encoding="utf-8")
    locked = pages / ("locked.html" if what == "file" else "locked")
    given = [str(pages)]
    if what == "given-inside":
        locked = tmp_path / "locked"
        locked.mkdir()
        (locked / "inside.html").write_text(PAGE, encoding="utf-8")
        given.append(str(locked / "inside.html"))
    elif what == "folder":
        locked.mkdir()
        (locked / "inside.html").write_text(PAGE, encoding="utf-8")
    else:
        locked.write_text(PAGE, encoding="utf-8")
    locked.chmod(0)
    for folder in (tmp_path, pages):
        folder.chmod(0o777)
    try:
        result = run_cli("index", "--index", str(tmp_path / "index"), "--engine", engine, *given)
    finally:
        locked.chmod(0o700)
    assert result.returncode == 4, result.stderr  # finished, some sources failed
    assert "Traceback" not in result.stderr
    assert (
        f"skipped {given[-1] if what == 'given-inside' else locked}: cannot read" in result.stderr
    )
    assert "Permission denied" in result.stderr
    assert ": 1 new, " in result.stderr


GIVEN_PATHS = reliability.cases(
    "Files",
    "paths given on the command line that cannot be used (name too long, link loop, "
    "dangling link; a missing one is a usage error, tested with the everyday paths)",
    "skipped with the reason; exit 1 when nothing at all could be indexed, else 4",
    [
        pytest.param(lambda folder: folder / ("a" * 5000 + ".html"), "too long", id="too-long"),
        pytest.param(_link_loop, "symbolic link", id="link-loop"),
        pytest.param(_dangling, "symbolic link", id="dangling-link"),
    ],
)


@pytest.mark.parametrize(("build", "reason"), GIVEN_PATHS)
def test_unusable_given_paths_are_reported(
    tmp_path: Path, build: Builder, reason: str, engine: str
) -> None:
    path = build(tmp_path)
    good = tmp_path / "good.html"
    good.write_text(PAGE, encoding="utf-8")
    runner = CliRunner()
    alone = runner.invoke(
        cli, ["index", "--index", str(tmp_path / "a"), "--engine", engine, str(path)]
    )
    assert alone.exit_code == 1 and isinstance(alone.exception, SystemExit)
    assert reason in alone.stderr and "nothing could be indexed" in alone.stderr
    both = runner.invoke(
        cli, ["index", "--index", str(tmp_path / "b"), "--engine", engine, str(path), str(good)]
    )
    assert both.exit_code == 4, both.output
    assert reason in both.stderr and ": 1 new, " in both.stderr


def test_a_file_name_that_is_not_utf8_is_written_as_json(tmp_path: Path) -> None:
    _write(os.fsdecode(b"caf\xe9.html"), PAGE.encode())(tmp_path)
    result = CliRunner().invoke(cli, ["extract", str(tmp_path)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["source"].endswith("caf\udce9.html")
    assert "harbour of Tyre" in record["body"]


def test_a_recursion_error_in_extraction_becomes_a_reason() -> None:
    """The pages above are read without deep recursion; should a parser recurse on some page,
    the extract boundary turns the RecursionError into an ExtractionError with a reason."""

    @guard_extraction
    def recursive_walk(depth: int) -> int:
        return recursive_walk(depth + 1) + 1

    with pytest.raises(ExtractionError, match="nested too deeply"):
        recursive_walk(0)


ARABIC = "مرحبا بالعالم، هذا نص عربي عن الحرب الأهلية"
FRENCH = "Déjà vu : le café « naïf » coûte 5 € — ça ira"
LATIN1 = "Ça coûte cher à Zürich, señor"


def _page(text: str, charset: str | None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>T</title></head><body><h1>T</h1><p>{text}</p></body></html>"


# (bytes of the page, the text that must be read, whether a note on the characters is expected)
ENCODING_CASES = reliability.cases(
    "Encodings",
    "cp1256, windows-1252, latin-1, UTF-16, BOMs, wrong or missing declared charset",
    "read with the right characters; where the charset had to be guessed, read as "
    "windows-1252 with an `encoding` entry in the article's problems",
    [
        pytest.param(_page(ARABIC, "windows-1256").encode("cp1256"), ARABIC, False, id="cp1256"),
        pytest.param(_page(FRENCH, "windows-1252").encode("cp1252"), FRENCH, False, id="cp1252"),
        pytest.param(_page(LATIN1, "iso-8859-1").encode("latin-1"), LATIN1, False, id="latin-1"),
        pytest.param(_page(FRENCH, None).encode("utf-16"), FRENCH, False, id="utf-16-bom"),
        pytest.param(_page(ARABIC, None).encode("utf-16-le"), ARABIC, False, id="utf-16-no-bom"),
        pytest.param(_page(FRENCH, None).encode("utf-16-be"), FRENCH, False, id="utf-16-be-no-bom"),
        pytest.param(_page(ARABIC, None).encode("utf-8-sig"), ARABIC, False, id="utf-8-bom"),
        pytest.param(
            _page(FRENCH, "iso-8859-1").encode("utf-8"), FRENCH, False, id="says-latin1-is-utf8"
        ),
        pytest.param(
            _page(ARABIC, "windows-1252").encode("utf-8"), ARABIC, False, id="says-1252-is-utf8"
        ),
        pytest.param(_page(FRENCH, "utf-8").encode("cp1252"), FRENCH, True, id="says-utf8-is-1252"),
        pytest.param(
            _page(FRENCH, "x-no-such-charset").encode("utf-8"), FRENCH, False, id="unknown-charset"
        ),
        pytest.param(_page(FRENCH, None).encode("cp1252"), FRENCH, True, id="undeclared-1252"),
        pytest.param(
            b"<?xml version='1.0' encoding='ISO-8859-1'?>" + _page(LATIN1, None).encode("latin-1"),
            LATIN1,
            False,
            id="xhtml-xml-declaration",
        ),
        pytest.param(_page(ARABIC, None).encode("cp1256"), None, True, id="undeclared-cp1256"),
    ],
)


@pytest.mark.parametrize(("data", "text", "noted"), ENCODING_CASES)
def test_pages_in_other_encodings(
    tmp_path: Path, data: bytes, text: str | None, noted: bool, engine: str
) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(data)
    (document,) = iter_sources([path])
    assert isinstance(document, SourceDocument)
    article = extract(document)
    notes = [p.reason for p in article.problems if p.field == "encoding"]
    if text is not None:
        assert article.body == text
    if noted:
        assert notes and "Convert the file to UTF-8" in notes[0]
    else:
        assert notes == []
    with Index.create(tmp_path / "index", engine=engine) as index:
        report = index.add([path])
        assert (report.articles, report.failures) == (1, [])
        if text is not None:
            # the text as read, found by its last word
            assert index.search(text.split()[-1].strip("«»—€:,")).total >= 1


NAMES = reliability.cases(
    "Files",
    "file and folder names that are not UTF-8 (latin-1 é, 0xff, 0x80, mixed with real UTF-8) "
    "through `corpsearch index` runs: new, unchanged, changed, removed",
    "indexed; kept byte for byte in the manifest (a JSON escape, the file still UTF-8); later runs "
    "see the file as unchanged, changed or removed",
    [
        pytest.param([b"caf\xe9.html"], id="latin1-name"),
        pytest.param([b"\xff\xfe.html", b"x\x80y.html"], id="bytes-ff-80"),
        pytest.param([b"d\xe9j\xe0/caf\xc3\xa9-\xe9.html"], id="folder-and-mixed"),
    ],
)


@pytest.mark.parametrize("names", NAMES)
def test_names_that_are_not_utf8_in_index_runs(
    tmp_path: Path, names: list[bytes], engine: str
) -> None:
    pages = tmp_path / "pages"
    paths = [pages / os.fsdecode(name) for name in names]
    for n, path in enumerate(paths):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.replace("<h1>", f"<h1>Page{n} "), encoding="utf-8")
    folder = tmp_path / "index"
    args = ["index", "--index", str(folder), "--engine", engine, str(pages)]

    def run(expected: str) -> None:
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert expected in result.stderr, result.stderr

    run(f": {len(paths)} new, ")
    with Index.open(folder) as index:
        sources = {hit.source for hit in index.search("*", kind="article", limit=10).hits}
    assert sources == {str(path) for path in paths}
    manifests = list(folder.rglob("manifest.json"))
    assert manifests
    text = manifests[0].read_bytes().decode("utf-8")  # still UTF-8 ...
    stored = set(json.loads(text)["sources"])
    assert {os.fsencode(source) for source in stored} == {os.fsencode(p) for p in paths}
    run(f"0 new, 0 changed, 0 removed, {len(paths)} unchanged, 0 failed")
    paths[0].write_text(PAGE.replace("<h1>", "<h1>Changed "), encoding="utf-8")
    run("0 new, 1 changed, ")
    paths[0].unlink()
    run("0 new, 0 changed, 1 removed, ")
    with Index.open(folder) as index:
        assert index.search("Changed", kind="article").total == 0
        assert index.count()["article"] == len(paths) - 1
