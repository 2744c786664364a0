"""Safety: page content is data, never a path, a command, an entity to fetch, or a terminal
control sequence."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpsearch import Index, extract, iter_sources
from corpsearch.cli import cli
from corpsearch.engine import ENGINES
from corpsearch.output import render_result
from corpsearch.sources import SourceDocument

from . import reliability
from .conftest import ROOT, SEED_HTML

SECRET = "s3cret-marker-7f1c"

PAGE_URLS = reliability.cases(
    "Safety",
    "URLs and paths inside pages (canonical link, og:url) naming local files, each in a page of "
    "an unknown site and in a page of a site with a profile",
    "kept as strings in the record, or dropped as no web address; no file is read, created "
    "or named after them",
    [
        "file://{secret}",
        "file:///etc/passwd",
        "../../x",
        "../secret.txt",
        "{secret}",
        "/etc/passwd",
        "\\\\server\\share\\x",
        "javascript:alert(1)",
    ],
)


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("layout", ["generic", "profile"])
@pytest.mark.parametrize("template", PAGE_URLS)
def test_urls_in_pages_are_only_strings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str, layout: str, engine: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    url = template.format(secret=secret)
    page = work / "page.html"
    if layout == "profile":
        seed = SEED_HTML.read_text(encoding="utf-8")
        canonical = '<link rel="canonical" href="https://www.naharnet.com/stories/en/146580">'
        assert canonical in seed
        page.write_text(seed.replace(canonical, f'<link rel="canonical" href="{url}">'))
    else:
        page.write_text(
            f'<html><head><link rel="canonical" href="{url}"><meta property="og:url" '
            f'content="{url}"></head><body><h1>Paths</h1><p>A page that names a file.</p>'
            "</body></html>"
        )
    before = _tree(tmp_path)
    (document,) = iter_sources([page])
    assert isinstance(document, SourceDocument)
    article = extract(document)
    # Only web addresses are kept, whichever layer read the page; a profile's canonical link
    # that is not one is named in the problems.
    assert article.url is None
    if layout == "profile":
        assert any(p.field == "url" for p in article.problems)
    assert article.source.path == str(page)
    with Index.create(work / "index", engine=engine) as index:
        index.add([page])
        hits = index.search("paths OR assad", kind="article").hits
    assert [hit.url for hit in hits] == [article.url]
    record = json.dumps(article.to_dict()) + json.dumps([h.to_dict() for h in hits])
    assert SECRET not in record and "root:" not in record
    created = _tree(tmp_path) - before
    assert {name for name in created if not name.startswith("a/b/index")} == set()


def test_no_shell_is_ever_invoked() -> None:
    """The library starts no processes, so no page text can reach a shell; the exceptions are
    a watch's ``command:`` target (notify.py), which runs the user's own command without a
    shell and gives it page text only on its standard input, and ``corpsearch cluster``
    (cluster.py), which runs PostgreSQL's server programs without a shell and no page text."""
    forbidden = re.compile(
        r"\bsubprocess\b|\bos\.system\b|\bos\.popen\b|\bos\.exec\w*\(|\bos\.spawn\w*\(|"
        r"shell\s*=\s*True|\bpty\.spawn\b|\bcommands\.getoutput\b"
    )
    allowed = re.compile(r"^(import subprocess|done = subprocess\.run\(|except subprocess\.\w+ )")
    # notify.py: a watch's command target; cluster.py: PostgreSQL's own programs (initdb,
    # pg_ctl, pg_basebackup) for ``corpsearch cluster``, with arguments of its own making
    starters = ("notify.py", "cluster.py")
    sources = sorted((ROOT / "src" / "corpsearch").rglob("*.py"))
    assert len(sources) > 20
    offending = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if forbidden.search(line)
        and not (path.name in starters and allowed.match(line.strip()) and "shell" not in line)
    ]
    assert offending == []
    notify = (ROOT / "src" / "corpsearch" / "notify.py").read_text(encoding="utf-8")
    (call,) = re.findall(r"subprocess\.run\((.*?)\n\s*\)", notify, re.S)
    assert "shell" not in call and call.split(",")[0].strip() == "self.argv"


ENTITY_PAGES = reliability.cases(
    "Safety",
    "external entities in pages (XXE to a local file, parameter entity, entity bomb)",
    "never expanded: the file's text is not in the record, and the bomb stays small",
    [
        '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        "<html><body><h1>Entity &xxe;</h1><p>Before &xxe; after.</p></body></html>",
        '<!DOCTYPE html [<!ENTITY % ext SYSTEM "file://{secret}"> %ext;]>'
        "<html><body><h1>Entity</h1><p>Parameter entity.</p></body></html>",
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>'
        "<html><body><h1>Bomb</h1><p>&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;</p></body></html>",
    ],
)


@pytest.mark.parametrize("template", ENTITY_PAGES)
def test_external_entities_are_never_expanded(tmp_path: Path, template: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    page = tmp_path / "page.html"
    page.write_text(template.format(secret=secret))
    (document,) = iter_sources([page])
    assert isinstance(document, SourceDocument)
    article = extract(document)
    record = json.dumps(article.to_dict())
    assert SECRET not in record
    assert "aaaaaaaaaa" * 100 not in record
    assert len(record) < 10_000


# Control sequences a page could carry to a reader's terminal: clear screen, set the window
# title, an 8-bit CSI, a bell, a carriage return that overwrites the line.
ESCAPES = ["\x1b[2J", "\x1b]0;owned\x07", "\x9b31m", "\x07", "\r"]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

OUTPUTS = reliability.cases(
    "Safety",
    "terminal control sequences in page text (ESC, OSC title, 8-bit CSI, bell, CR) "
    "shown as table, JSON, JSON Lines and CSV, and in a file name",
    "table and CSV without control characters; JSON escapes them (\\u001b); "
    "stderr messages without them",
    ["table", "json", "jsonl", "csv", "extract", "file-name"],
)


@pytest.fixture(scope="module", params=ENGINES)
def hostile_index(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    folder = tmp_path_factory.mktemp("escapes")
    html = SEED_HTML.read_text(encoding="utf-8")
    title = '<h1 class="story-title">U.S. Insists'
    assert title in html
    html = html.replace(title, title.replace("Insists", "".join(ESCAPES) + "Insists"))
    html = html.replace(">_mowaten_</a>", ">_mowa\x1b[8mten_</a>", 1)
    html = html.replace("Comments <span>5</span>", "Comments <span>5</span>\x1b[2J", 1)
    page = folder / "page.html"
    page.write_text(html, encoding="utf-8")
    with Index.create(folder / "index", engine=request.param) as index:
        index.add([page])
    return folder


@pytest.mark.parametrize("output", OUTPUTS)
def test_page_text_never_controls_the_terminal(hostile_index: Path, output: str) -> None:
    runner = CliRunner()
    index = str(hostile_index / "index")
    if output == "extract":
        result = runner.invoke(cli, ["extract", str(hostile_index / "page.html")])
        text = result.stdout
        # kept as data, escaped (ESC and BEL are dropped when the page is parsed, as invalid
        # XML characters, the way trafilatura's loader drops them; the 8-bit CSI stays)
        assert "\\u009b31m" in text
    elif output == "file-name":
        evil = hostile_index / "evil\x1b[2J\x9b.html"
        evil.write_bytes(b"")
        result = runner.invoke(cli, ["extract", str(evil)])
        evil.unlink()
        text = result.stderr
        assert "skipped" in text and "file is empty" in text
    else:
        args = ["query", "--index", index, "--format", output, "--color", "insists OR mowa*"]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        text = result.stdout
        if output == "json":
            data = json.loads(text)
            assert any("\x9b" in hit["headline"] for hit in data["hits"])  # data is kept
        elif output == "csv":
            rows = list(csv.DictReader(io.StringIO(text)))
            assert any(row["headline"].startswith("U.S. [2J") for row in rows)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if output == "table":
        # Highlighting is corpsearch's own sequence, the only one allowed.
        text = text.replace("\x1b[1;33m", "").replace("\x1b[0m", "")
    assert text.strip()
    assert CONTROL.search(text) is None, repr(text[:300])


def test_render_result_escapes_what_json_leaves_raw(hostile_index: Path) -> None:
    with Index.open(hostile_index / "index") as index:
        result = index.search("insists")
    text = "".join(render_result(result, "json"))
    assert "\x9b" not in text and "\\u009b" in text
    assert json.loads(text)["hits"][0]["headline"].count("\x9b") == 1
