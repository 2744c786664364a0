"""Every console example of the README runs as written, on the bundled fixtures, in order, and
prints what the README says it prints.

The examples run in a folder holding ``pages/`` (the seed page and ``fixtures/pages``),
``more-pages/`` (one more page) and ``fixtures/``, as a reader who copied them would have. The
few that cannot run in a test say why in ``SKIPPED``; a new example runs unless it is added there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import FIXTURES, PAGES, ROOT, SEED_HTML

BIN = Path(sys.executable).parent

# example (as written, without its comment) -> why it is not run
SKIPPED = {
    "corpsearch schedule --every 15m --config /srv/corpsearch/corpsearch.toml": (
        "runs until stopped, from a folder of the reader's machine (tested in test_jobs_cli)"
    ),
    "corpsearch serve --index index": "runs until stopped (tested in test_web)",
    "corpsearch serve --index index --port 8080 --host 0.0.0.0": "runs until stopped",
    "corpsearch watch run [mayor]": "would deliver to example.org and desk@example.org",
    "corpsearch index --scheduler tcp://scheduler.example.org:8786 /srv/archive": (
        "needs a Dask cluster at a host of the reader's (tested in test_dask on 127.0.0.1)"
    ),
}
# What the README says an example prints (in its comment or the block under it).
CLAIMS = {
    "corpsearch query 'author:_mowaten_'": ["4 hits for 'author:_mowaten_'"],
    "corpsearch query 'kind:comment' --since 2014-09-14": ["4 hits for 'kind:comment'"],
    "corpsearch query 'quote:\"kill their own people\"'": ["1. 0ef3246e · comment by _mowaten_"],
    "corpsearch show 0ef3246e": ["▶ #1 · 0ef3246e · _mowaten_ · 2014-09-13 14:32 +03:00"],
    "corpsearch query '\"kill their own people\"'": ["2 hits for"],
    "corpsearch index pages/ --index index": ["0 failed"],
}


def _examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found: list[str] = []
    for block in re.findall(r"```console\n(.*?)```", readme, re.S):
        found.extend(line[2:] for line in block.splitlines() if line.startswith("$ "))
    return found


def _command(example: str) -> str:
    """The example without its trailing comment (a '#' outside quotes)."""
    quote = ""
    for number, char in enumerate(example):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and example[number - 1] == " ":
            return example[:number].rstrip()
    return example.rstrip()


def test_every_console_example_of_the_readme_runs(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    for page in [SEED_HTML, *sorted(PAGES.iterdir())]:
        shutil.copy(page, tmp_path / "pages" / page.name)
    (tmp_path / "more-pages").mkdir()
    shutil.copy(FIXTURES / "query-pages" / "sott.html", tmp_path / "more-pages")
    os.symlink(FIXTURES, tmp_path / "fixtures")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    examples = _examples()
    assert len(examples) > 30
    ran = 0
    seen: set[str] = set()
    for example in examples:
        command = _command(example)
        if command in SKIPPED:
            continue
        # the one placeholder: an article id the reader takes from a query
        command = command.replace("ARTICLE_ID", "b01cf153")
        done = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, f"{command}\n{done.stderr}"
        ran += 1
        for claim in CLAIMS.get(command, []) if command not in seen else []:
            assert claim in done.stdout + done.stderr, f"{command}: {claim!r} not printed"
        seen.add(command)
    assert ran == len(examples) - len(SKIPPED)
    assert set(CLAIMS) <= seen, set(CLAIMS) - seen


def test_the_extract_example_prints_what_the_readme_shows() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ corpsearch extract fixtures/seed/000_0b9b997b58ed1954.txt\n", 1)[1]
    shown = block.split("```", 1)[0]
    done = subprocess.run(
        [str(BIN / "corpsearch"), "extract", "fixtures/seed/000_0b9b997b58ed1954.txt"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    record = json.loads(done.stdout)
    # every value the README shows in full (not cut with "…") is the one printed
    for key in ("site", "headline", "published", "authors", "language", "source"):
        shown_value = json.dumps(record[key], ensure_ascii=False)
        assert f'"{key}": {shown_value}' in shown, key
    first = record["comments"][0]
    assert f'"author": "{first["author"]}", "published": "{first["published"]}"' in shown
    assert record["problems"][0]["field"] == "published" and '"field": "published"' in shown
