"""Commands that read no pages start without the extraction stack.

Each command runs in a fresh interpreter (as ``corpsearch`` does), which then writes the names
of every module it imported; the extraction stack (bs4, lxml, trafilatura and the rest) takes
most of a second to import, so ``--version``, ``query``, ``stats``, ``status`` and ``check`` must
not import it. ``extract`` must, which shows that the check sees what a command imports.
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
    assert engine in modules  # the index's engine did answer


def test_extract_imports_the_extraction_stack(tmp_path: Path) -> None:
    modules = imported(tmp_path, "extract", str(SEED_TEXT))
    assert {"bs4", "lxml", "corpsearch.extract"} <= extraction(modules)


def test_index_imports_dask_only_for_a_cluster(tmp_path: Path) -> None:
    modules = imported(tmp_path, "index", str(PAGES), "--index", str(tmp_path / "ix"))
    assert "corpsearch.jobs" in modules
    assert extraction(modules, DASK) == set()
