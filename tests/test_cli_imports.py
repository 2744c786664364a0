"""Commands import what they use and nothing else.

Each command runs in a fresh interpreter (as ``corpsearch`` does), which then writes the names
of every module it imported; the extraction stack (bs4, lxml, trafilatura and the rest) takes
most of a second to import, so ``--version``, ``query``, ``stats``, ``status`` and ``check`` must
not import it. ``extract`` must, which shows that the check sees what a command imports. Beyond
that, every module costs a start-up (``benchmarks/results/startup.md``): ``--version`` loads
click and the command group only, and a search no other command's modules, no web app, watches,
database engine, job machinery, or what only some questions need.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from corpsearch import Index

from .conftest import PAGES, SEED_TEXT

# The libraries of extraction and web archives, and corpsearch's modules that use them.
EXTRACTION = (
    "bs4",
    "lxml",
    "soupsieve",
    "cssselect",
    "trafilatura",
    "htmldate",
    "justext",
    "courlan",
    "py3langid",
    "warcio",
    "charset_normalizer",
    "corpsearch.extract",
    "corpsearch.extractpool",
    "corpsearch.jobs",
)

# Dask is imported only by a job given a scheduler (--scheduler).
DASK = ("dask", "distributed", "tornado", "corpsearch.dask_pool")

# What no reading command uses: the web app, watches and their mail, the database engine and
# the cluster, and the modules of the commands that use them.
NOT_FOR_READING = (
    "starlette",
    "jinja2",
    "uvicorn",
    "psycopg",
    "smtplib",
    "corpsearch.web",
    "corpsearch.watches",
    "corpsearch.watch_delivery",
    "corpsearch.notify",
    "corpsearch.cluster",
    "corpsearch.engine.postgres_engine",
    "corpsearch.engine.postgres_reads",
    "corpsearch.cli_watch",
    "corpsearch.cli_cluster",
    "corpsearch.cli_serve",
)

# What a plain search does not use either: other commands, the configuration file (--index is
# given), files and archives, captures and ids (writing), threads, counts and charts, words in
# context and chosen fields, dates (none in the query, --tz UTC) and hashlib (OpenSSL).
NOT_FOR_A_SEARCH = (
    *NOT_FOR_READING,
    "corpsearch.cli_jobs",
    "corpsearch.cli_show",
    "corpsearch.cli_check",
    "corpsearch.cli_extract",
    "corpsearch.config",
    "tomllib",
    "corpsearch.sources",
    "corpsearch.warc",
    "corpsearch.dedupe",
    "corpsearch.records",
    "corpsearch.thread",
    "corpsearch.grouping",
    "corpsearch.facets",
    "corpsearch.charts",
    "corpsearch.series",
    "corpsearch.stats",
    "corpsearch.kwic",
    "corpsearch.fields",
    "dateutil",
    "zoneinfo",
    "hashlib",
)

_RUN = """
import json, sys
from corpsearch.cli import main
report, sys.argv = sys.argv[1], ["corpsearch", *sys.argv[2:]]
try:
    main()
except SystemExit as done:
    code = done.code
else:
    code = 0
with open(report, "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""


def imported(tmp_path: Path, *args: str) -> set[str]:
    """The modules a ``corpsearch`` process imported to run ``args`` (which must succeed)."""
    report = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(report), *args], capture_output=True, text=True
    )
    result = json.loads(report.read_text())
    assert result["code"] in (0, None), done.stderr
    return set(result["modules"])


def extraction(modules: set[str], names: tuple[str, ...] = EXTRACTION) -> set[str]:
    return {m for m in modules if any(m == e or m.startswith(e + ".") for e in names)}


@pytest.fixture()
def index_dir(tmp_path: Path, engine: str) -> str:
    with Index.create(tmp_path / "index", engine=engine) as index:
        index.add([SEED_TEXT, PAGES])
    return str(tmp_path / "index")


def test_version_imports_no_extraction(tmp_path: Path) -> None:
    modules = imported(tmp_path, "--version")
    assert extraction(modules) == set()
    assert extraction(modules, DASK) == set()
    assert "tantivy" not in modules and "whoosh" not in modules  # no index, no engine


def test_version_imports_only_the_command_group(tmp_path: Path) -> None:
    modules = imported(tmp_path, "--version")
    assert {m for m in modules if m.startswith("corpsearch")} == {
        "corpsearch",
        "corpsearch.cli",
        "corpsearch.errors",
    }
    # the version is the package's own, not looked up in the installed metadata
    assert extraction(modules, ("importlib.metadata", "zoneinfo", "tomllib", "dateutil")) == set()


def test_a_search_imports_only_what_it_uses(tmp_path: Path, index_dir: str, engine: str) -> None:
    modules = imported(tmp_path, "query", "assad", "--index", index_dir)
    unused = NOT_FOR_A_SEARCH if engine == "tantivy" else NOT_FOR_A_SEARCH[:-1]  # whoosh: hashlib
    assert extraction(modules, unused) == set()
    assert {"corpsearch.index", "corpsearch.output", engine} <= modules


@pytest.mark.parametrize(
    "args",
    [
        ("query", "assad"),
        ("query", "assad", "--facet", "site", "--histogram", "month"),
        ("query", "assad OR civilians", "--group", "article", "--format", "json"),
        ("query", "assad", "--all", "--format", "csv", "--since", "13 Sep 2014"),
        ("stats",),
        ("status",),
        ("check", "--quick"),
    ],
)
def test_reading_commands_import_no_extraction(
    tmp_path: Path, index_dir: str, engine: str, args: tuple[str, ...]
) -> None:
    modules = imported(tmp_path, *args, "--index", index_dir)
    assert extraction(modules) == set()
    assert extraction(modules, DASK) == set()
    assert extraction(modules, NOT_FOR_READING) == set()
    assert engine in modules  # the index's engine did answer


def test_extract_imports_the_extraction_stack(tmp_path: Path) -> None:
    modules = imported(tmp_path, "extract", str(SEED_TEXT))
    assert {"lxml", "corpsearch.extract"} <= extraction(modules)


def test_the_watch_commands_import_what_reading_commands_do_not(tmp_path: Path) -> None:
    modules = imported(tmp_path, "watch", "--help")
    assert {"corpsearch.cli_watch", "corpsearch.watch_delivery", "smtplib"} <= modules


def test_index_imports_dask_only_for_a_cluster(tmp_path: Path) -> None:
    modules = imported(tmp_path, "index", str(PAGES), "--index", str(tmp_path / "ix"))
    assert "corpsearch.jobs" in modules
    assert extraction(modules, DASK) == set()
