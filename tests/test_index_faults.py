"""Index faults: a read-only folder, a full disk, damaged files, another schema version. Each
gives a one-line message that says what to do, and the index as last committed stays searchable.
Every test runs on each engine."""

from __future__ import annotations

import json
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner

from corpsearch import Index
from corpsearch.check import check_index
from corpsearch.cli import cli
from corpsearch.errors import IndexNotFoundError, IndexWriteError

from . import reliability
from .conftest import ENGINE_SETUPS, PAGES, SEED_HTML
from .unprivileged import run_cli


class CliResult(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


# Words of the seed page; after any failed write they must still be found.
SEED_QUERY = '"kill their own people"'


def _seed_index(folder: Path, engine: str, dsn: str | None = None) -> tuple[int, dict[str, int]]:
    with Index.create(folder, engine=engine, dsn=dsn) as index:
        index.add([SEED_HTML])
        return index.search(SEED_QUERY).total, index.count()


def _still_searchable(folder: Path, before: tuple[int, dict[str, int]]) -> None:
    with Index.open(folder) as index:
        assert (index.search(SEED_QUERY).total, index.count()) == before


def _cli(*args: str) -> CliResult:
    """``corpsearch ARGS`` in this process; an exception other than an exit is a failure."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return CliResult(result.exit_code, result.stdout, result.stderr)


def _process(*args: str, preexec: Callable[[], None] | None = None) -> CliResult:
    """``corpsearch ARGS`` in a child process (for limits that must not touch this one)."""
    done = subprocess.run(
        [sys.executable, "-m", "corpsearch", *args],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=preexec,
        check=False,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


def _one_line_error(stderr: str, *words: str) -> None:
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, stderr
    for word in words:
        assert word in lines[0], lines[0]


FULL_DISK = reliability.cases(
    "Index faults",
    "disk full while indexing (RLIMIT_FSIZE in a child process, SIGXFSZ ignored, "
    "so writes fail with EFBIG), at several sizes",
    "exit 1, `Error: the disk is full ...`; the last committed index unchanged and "
    "searchable; the next run completes",
    [0, 8_000, 40_000],
)


def _two_pages(tmp_path: Path) -> Path:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("pixelmonkey.html", "sitepoint.html"):
        shutil.copy(PAGES / name, pages / name)
    return pages


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize("engine", ENGINE_SETUPS)
@pytest.mark.parametrize("limit", FULL_DISK)
def test_a_full_disk_loses_nothing(
    tmp_path: Path, limit: int, engine: str, dsn: str | None
) -> None:
    folder = tmp_path / "index"
    before = _seed_index(folder, engine, dsn)
    pages = _two_pages(tmp_path)
    result = _process("index", "--index", str(folder), str(pages), preexec=_file_size_limit(limit))
    assert result.returncode == 1, result.stderr
    _one_line_error(result.stderr, "disk is full", "unchanged and still searchable")
    _still_searchable(folder, before)
    again = _cli("index", "--index", str(folder), str(pages))
    assert again.returncode == 0, again.stderr
    with Index.open(folder) as index:
        assert index.count()["article"] == before[1]["article"] + 2
        assert index.search(SEED_QUERY).total == before[0]


def test_a_full_disk_when_creating_an_index(tmp_path: Path, engine: str) -> None:
    folder = tmp_path / "new"
    args = ("index", "--index", str(folder), "--engine", engine, str(SEED_HTML))
    result = _process(*args, preexec=_file_size_limit(0))
    assert result.returncode == 1, result.stderr
    _one_line_error(result.stderr, "disk is full")
    again = _cli(*args)
    assert again.returncode == 0, again.stderr
    with Index.open(folder) as index:
        assert index.engine.name == engine
        assert index.search(SEED_QUERY).total > 0


READ_ONLY = reliability.cases(
    "Index faults",
    "read-only index folder (writing to it; creating an index in a read-only folder; searching it)",
    "exit 1, `Error: the index folder is not writable ...`; searching still works",
    ["add", "create", "search"],
)


@pytest.mark.parametrize("action", READ_ONLY)
def test_a_read_only_index_folder(tmp_path: Path, action: str, engine: str) -> None:
    folder = tmp_path / "index"
    before = _seed_index(folder, engine)
    locked = [tmp_path, folder, folder / engine]
    tmp_path.chmod(0o755)
    for path in locked:
        path.chmod(0o555)
    try:
        if action == "add":
            result = run_cli("index", "--index", str(folder), str(PAGES))
        elif action == "create":
            new = str(tmp_path / "new")
            result = run_cli("index", "--index", new, "--engine", engine, str(PAGES))
        else:
            result = run_cli("query", "--index", str(folder), "--format", "json", SEED_QUERY)
    finally:
        for path in locked:
            path.chmod(0o755)
    if action == "search":
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["total"] == before[0]
    else:
        assert result.returncode == 1, result.stderr
        _one_line_error(result.stderr, "not writable", "--index")
    _still_searchable(folder, before)


READ_ONLY_COPY = reliability.cases(
    "Index faults",
    "an index copied and made read-only throughout (every folder and file, the engine's lock "
    "files too; simple layout and generations), met by query, status, stats and index",
    "query, status and stats work as on the original (tantivy's reader needs no write lock); "
    "index exits 1 with `the index folder is not writable`",
    ["simple", "generations"],
)


@pytest.mark.parametrize("layout", READ_ONLY_COPY)
def test_a_read_only_copy_is_searchable(tmp_path: Path, layout: str, engine: str) -> None:
    folder = tmp_path / "index"
    if layout == "simple":
        before = _seed_index(folder, engine)
    else:
        result = _cli("index", "--index", str(folder), "--engine", engine, str(SEED_HTML))
        assert result.returncode == 0, result.stderr
        with Index.open(folder) as index:
            before = (index.search(SEED_QUERY).total, index.count())
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    paths = [copy, *copy.rglob("*")]
    tmp_path.chmod(0o755)
    for path in paths:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        query = run_cli("query", "--index", str(copy), "--format", "json", SEED_QUERY)
        status = run_cli("status", "--index", str(copy))
        stats = run_cli("stats", "--index", str(copy), "--json")
        index = run_cli("index", "--index", str(copy), str(SEED_HTML))
    finally:
        for path in paths:
            path.chmod(0o755)
    assert query.returncode == 0, query.stderr
    assert json.loads(query.stdout)["total"] == before[0]
    assert status.returncode == 0, status.stderr
    assert f"{before[1]['article']} articles, {before[1]['comment']} comments" in status.stdout
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["engine"] == engine
    assert index.returncode == 1, index.stderr
    _one_line_error(index.stderr, "not writable")
    _still_searchable(copy, before)


def test_write_errors_are_index_errors_in_the_library(tmp_path: Path, engine: str) -> None:
    """The same failure seen through the API: an IndexWriteError, nothing half-committed."""
    folder = tmp_path / "index"
    before = _seed_index(folder, engine)
    code = (
        "import resource, signal, sys\n"
        "from corpsearch import Index, extract_paths\n"
        "from corpsearch.errors import IndexWriteError\n"
        # Read the pages once first, so that only the engine writes under the limit (the
        # language detector writes a temporary file when first used).
        "list(extract_paths([sys.argv[2]]))\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (10000, 10000))\n"
        "try:\n"
        "    with Index.open(sys.argv[1]) as index:\n"
        "        index.add([sys.argv[2]])\n"
        "except IndexWriteError as error:\n"
        "    print(type(error).__name__, error.__cause__.errno)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(PAGES)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == [IndexWriteError.__name__, str(27)]  # 27: EFBIG
    _still_searchable(folder, before)


# The file each engine keeps its table of contents in, and the file that stands for a segment
# (each engine writes a segment as separate files; the term dictionary stands for all of them).
_FILES = {
    "whoosh": {"toc": "*.toc", "seg": "*.trm"},
    "tantivy": {"toc": "meta.json", "seg": "*.term"},
}


def _damage(target: str, how: str) -> Callable[[Path, str], None]:
    def apply(folder: Path, engine: str) -> None:
        if target == "meta":
            path = folder / "corpsearch.json"
        else:
            # the largest segment's file: the one with the seed page's article and comments
            found = (folder / engine).glob(_FILES[engine].get(target, target))
            path = max(found, key=lambda p: p.stat().st_size)
        data = path.read_bytes()
        if how == "delete":
            path.unlink()
        elif how == "list":
            path.write_text("[1, 2]")
        elif how == "garbage":
            path.write_bytes(bytes((b * 7 + 13) % 256 for b in data))
        elif how == "inside":  # overwritten between its header and its footer
            inside = slice(len(data) // 3, len(data) - 120)
            path.write_bytes(
                data[: inside.start] + bytes(b ^ 0x5A for b in data[inside]) + data[inside.stop :]
            )
        else:
            path.write_bytes(data[: {"empty": 0, "cut": 10, "half": len(data) // 2}[how]])

    return apply


DAMAGED = reliability.cases(
    "Index faults",
    "damaged index files (table of contents, segment, metadata: emptied, cut, halved, "
    "overwritten, deleted, made a JSON list), each met by `query` and by `index`",
    "exit 1, one line naming the folder and how to rebuild (`corpsearch index --rebuild ...`)",
    [
        pytest.param(_damage(target, how), id=f"{target}-{how}")
        for target in ("toc", "seg")
        for how in ("empty", "cut", "half", "garbage", "delete")
    ]
    + [pytest.param(_damage("meta", how), id=f"meta-{how}") for how in ("cut", "garbage", "list")],
)


@pytest.mark.parametrize("damage", DAMAGED)
@pytest.mark.parametrize("command", ["query", "index"])
def test_a_damaged_index_says_how_to_rebuild(
    tmp_path: Path, damage: Callable[[Path, str], None], command: str, engine: str
) -> None:
    folder = tmp_path / "index"
    _seed_index(folder, engine)
    damage(folder, engine)
    if command == "query":
        result = _cli("query", "--index", str(folder), SEED_QUERY)
    else:
        result = _cli("index", "--index", str(folder), str(SEED_HTML))
    assert result.returncode == 1, result.stderr
    _one_line_error(result.stderr, str(folder), "rebuild")


DAMAGED_INSIDE = reliability.cases(
    "Index faults",
    "tantivy segment files overwritten between header and footer (terms, postings, positions, "
    "stored documents, sort columns), each met by `query` and by `index`",
    "exit 1, one line naming the folder and how to rebuild; a panic in tantivy (an assertion "
    "on a damaged file) is reported the same way",
    [
        pytest.param(_damage(f"*.{suffix}", "inside"), id=f"{suffix}-inside")
        # (not field norms: any byte is a valid norm, so damage there only changes scores)
        for suffix in ("term", "idx", "pos", "store", "fast")
    ],
)


@pytest.mark.parametrize("damage", DAMAGED_INSIDE)
@pytest.mark.parametrize("command", ["query", "index"])
def test_a_tantivy_file_damaged_inside_says_how_to_rebuild(
    tmp_path: Path, damage: Callable[[Path, str], None], command: str
) -> None:
    """tantivy checks a file's header and footer when it opens a segment; damage between them
    is met when the file is read, as an error or as a panic of the library."""
    test_a_damaged_index_says_how_to_rebuild(tmp_path, damage, command, "tantivy")


OLD_SCHEMA = reliability.cases(
    "Index faults",
    "index of another schema version or engine (corpsearch.json changed)",
    "exit 1, one line saying which version was found and how to rebuild; the index is not touched",
    [
        pytest.param({"schema_version": 0}, "schema version 0", id="older-schema"),
        # the version before folded and stemmed words: its index has no analysed stream
        pytest.param({"schema_version": 4}, "schema version 4", id="unanalysed-schema"),
        pytest.param({"schema_version": 99}, "schema version 99", id="newer-schema"),
        pytest.param({"schema_version": None}, "schema version None", id="no-schema"),
        pytest.param({"engine": "lucene"}, "lucene", id="unknown-engine"),
    ],
)


@pytest.mark.parametrize(("change", "said"), OLD_SCHEMA)
def test_an_index_of_another_version(
    tmp_path: Path, change: dict[str, object], said: str, engine: str
) -> None:
    folder = tmp_path / "index"
    _seed_index(folder, engine)
    meta = folder / "corpsearch.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), **change}))
    files = sorted((p.name, p.stat().st_mtime_ns) for p in (folder / engine).iterdir())
    for command in (
        ["query", "--index", str(folder), "war"],
        ["index", "--index", str(folder), str(SEED_HTML)],
    ):
        result = _cli(*command)
        assert result.returncode == 1, result.stderr
        _one_line_error(result.stderr, said, "corpsearch index --rebuild")
    assert sorted((p.name, p.stat().st_mtime_ns) for p in (folder / engine).iterdir()) == files


def _flip_store(folder: Path) -> None:
    """Invert the bytes of the middle half of every stored-documents file of a tantivy index."""
    stores = list(folder.rglob("*.store"))
    assert stores
    for store in stores:
        data = bytearray(store.read_bytes())
        for at in range(len(data) // 4, len(data) // 2):
            data[at] ^= 0xFF
        # in place, at the same length: write_bytes would truncate the file first, and a
        # process that still maps it (an index this process opened earlier) then dies of
        # SIGBUS instead of meeting the damage
        with store.open("r+b") as out:
            out.write(bytes(data))


def _current_names_missing(folder: Path) -> None:
    (folder / "CURRENT").write_text("gen-999999\n")


DAMAGED_JOBS = reliability.cases(
    "Index faults",
    "damage found by no search a job makes (tantivy stored documents with bytes flipped, "
    "CURRENT naming a missing generation) in an index of generations, met by query, "
    "`--all`, `--facet`, `--group`, stats, a job whose sources are unchanged, and check",
    "exit 1 (check: also --quick), one line naming the user's folder (never gen-NNNNNN) and "
    "`corpsearch index --rebuild --index D`; the job's run is recorded as failed; "
    "`--rebuild` mends it",
    [
        pytest.param(_flip_store, "tantivy", id="store-bytes-flipped"),
        pytest.param(_current_names_missing, "tantivy", id="current-missing-tantivy"),
        pytest.param(_current_names_missing, "whoosh", id="current-missing-whoosh"),
    ],
)


@pytest.mark.parametrize(("damage", "engine_name"), DAMAGED_JOBS)
def test_damage_fails_every_command_and_the_job(
    tmp_path: Path, damage: Callable[[Path], None], engine_name: str
) -> None:
    folder = tmp_path / "index"
    sources = [str(SEED_HTML), str(PAGES)]
    result = _cli("index", "--index", str(folder), "--engine", engine_name, *sources)
    assert result.returncode == 0, result.stderr
    assert _cli("check", "--index", str(folder)).returncode == 0
    damage(folder)
    hint = f"corpsearch index --rebuild --index {folder} PATH"
    for args in (
        ["query", "--index", str(folder), "war"],
        ["query", "--index", str(folder), "war", "--all"],
        ["query", "--index", str(folder), "war", "--facet", "site"],
        ["query", "--index", str(folder), "war", "--group", "article"],
        ["stats", "--index", str(folder)],
        ["index", "--index", str(folder), *sources],
        ["check", "--index", str(folder)],
        ["check", "--index", str(folder), "--quick"],
    ):
        result = _cli(*args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        _one_line_error(result.stderr, "damaged", hint)
        assert "gen-0" not in result.stderr and "unexpected" not in result.stderr
    last_run = (folder / "runs.jsonl").read_text().splitlines()[-1]
    assert json.loads(last_run)["status"] == "failed"
    result = _cli("index", "--rebuild", "--index", str(folder), *sources)
    assert result.returncode == 0, result.stderr
    assert _cli("check", "--index", str(folder)).returncode == 0


def test_check_in_the_library(tmp_path: Path, engine: str) -> None:
    folder = tmp_path / "index"
    _seed_index(folder, engine)
    report = check_index(folder)
    assert report.full and report.documents == sum(Index.open(folder).count().values()) > 0
    assert check_index(folder, full=False).documents == report.documents
    with pytest.raises(IndexNotFoundError):
        check_index(tmp_path / "nothing")
