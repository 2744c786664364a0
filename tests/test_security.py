"""Security: what a hostile page, file name or link can do to the people who read the output.

The hostile page (``fixtures/hostile/naharnet_hostile.html``, the seed page in its site's layout)
holds entity-escaped ``<script>``, ``<img onerror>`` and ``<mark>`` text, a ``javascript:``
canonical link, a formula headline, formula authors and an author with a terminal title
sequence. Every case runs on both engines.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpsearch import Index, extract, iter_sources
from corpsearch.cli import cli
from corpsearch.export import FORMULA_STARTS, csv_cell
from corpsearch.generations import resolve
from corpsearch.manifest import MANIFEST_FILE
from corpsearch.runlog import RUNS_FILE
from corpsearch.sources import LINK_OUT_OF_TREE, SourceDocument

from . import reliability
from .conftest import FIXTURES, SEED_HTML

HOSTILE = FIXTURES / "hostile" / "naharnet_hostile.html"
TELEGRAPH = FIXTURES / "pages" / "telegraph.html"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FORMULA_AUTHORS = ["=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-2+3"]
TITLE_AUTHOR = "eve\x1b]0;TITLE\x07"


@pytest.fixture(scope="module", params=["whoosh", "tantivy"])
def hostile(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """An index of the hostile page, built by the job as a user would."""
    folder = tmp_path_factory.mktemp(f"hostile-{request.param}")
    index = folder / "index"
    result = CliRunner().invoke(
        cli, ["index", "--engine", request.param, "--index", str(index), str(HOSTILE)]
    )
    assert result.exit_code == 0, result.output
    return index


def _query(index: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["query", "--index", str(index), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


# -- 1. snippets are safe HTML, and links are web addresses --------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(f"<{tag}{''.join(f' {k}' for k, _ in attrs)}>")

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _check_snippet(record: dict[str, object]) -> None:
    snippet = str(record["snippet"])
    parser = _Tags()
    parser.feed(snippet)
    parser.close()
    # What a browser would build from the snippet: <mark> and text, nothing else.
    assert set(parser.tags) <= {"<mark>", "</mark>"}, snippet
    assert "".join(parser.text) == record["snippet_text"]
    plain = str(record["snippet_text"])
    for start, end in record["marks"]:  # type: ignore[attr-defined]
        assert "forged" not in plain[start:end]  # the page's <mark> is text, not a mark


SNIPPET_OUTPUTS = reliability.cases(
    "Security",
    "page text holding `<script>`, `<img onerror>` and `<mark>` (entity-escaped in the page) in "
    "the snippet of JSON, JSON Lines, --all, --group article, matched and unmatched (the "
    "fallback snippet), and the table",
    "the snippet is safe HTML: the page's text escaped (`&lt;script&gt;`), only corpsearch's "
    "`<mark>` added; snippet_text and the table show the text as the page has it",
    [
        ("json", "hostile"),
        ("jsonl", "script OR onerror"),
        ("all", "hostile"),
        ("group", "hostile"),
        ("json", "kind:comment"),
        ("table", "hostile"),
    ],
)


@pytest.mark.parametrize(("output", "query"), SNIPPET_OUTPUTS)
def test_snippets_are_safe_html(hostile: Path, output: str, query: str) -> None:
    if output == "table":
        text = _query(hostile, query, "--no-color")
        assert "<script>alert('body')</script>" in text  # shown as the page's words
        assert "&lt;" not in text
        return
    args = {
        "json": ["--format", "json"],
        "jsonl": ["--format", "jsonl"],
        "all": ["--format", "jsonl", "--all"],
        "group": ["--format", "json", "--group", "article"],
    }[output]
    text = _query(hostile, query, *args)
    if output in ("jsonl", "all"):
        records = [json.loads(line) for line in text.splitlines()]
    elif output == "group":
        groups = json.loads(text)["groups"]
        records = [r for g in groups for r in (g["article"], *g["comments"])]
    else:
        records = json.loads(text)["hits"]
    assert records
    for record in records:
        _check_snippet(record)
        assert record["url"] is None  # the page's javascript: canonical link is left out
    texts = " ".join(str(r["snippet_text"]) for r in records)
    snippets = " ".join(str(r["snippet"]) for r in records)
    if query != "kind:comment":
        assert "<script>alert(" in texts and "&lt;" in snippets
        assert "<script" not in snippets and "<img" not in snippets
    else:
        assert "<script>alert('comment')</script>" in texts


def test_the_library_gives_the_same_snippets(hostile: Path) -> None:
    """Index.search and Index.iter_hits (each engine highlights them another way)."""
    with Index.open(hostile) as index:
        hits = [*index.search("hostile OR forged").hits, *index.iter_hits("hostile OR forged")]
    assert len(hits) >= 4
    for hit in hits:
        assert not re.search(r"<(?!/?mark>)", hit.snippet), hit.snippet
        assert "&lt;mark&gt;" in hit.snippet or "&lt;script&gt;" in hit.snippet
        assert hit.url is None


PAGE_LINKS = reliability.cases(
    "Security",
    "links that are not web addresses as the canonical link or og:url of a page with a site "
    "profile (javascript:, data:, vbscript:, file:, mixed case, a tab inside, leading space)",
    "left out of the article and of every comment hit's url, with a problem naming it; an "
    "https link is kept",
    [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "og:javascript:alert(1)",
        "https://www.naharnet.com/stories/en/146580",
    ],
)


@pytest.mark.parametrize("link", PAGE_LINKS)
def test_urls_are_web_addresses(tmp_path: Path, engine: str, link: str) -> None:
    seed = SEED_HTML.read_text(encoding="utf-8")
    canonical = '<link rel="canonical" href="https://www.naharnet.com/stories/en/146580">'
    assert canonical in seed
    path = tmp_path / "page.html"
    if link.startswith("og:"):  # no canonical link: the page's og:url is its URL
        tag = f'<meta property="og:url" content="{html.escape(link[3:])}">'
    else:
        tag = f'<link rel="canonical" href="{html.escape(link)}">'
    path.write_text(seed.replace(canonical, tag), encoding="utf-8")
    (document, *_) = iter_sources([path])
    assert isinstance(document, SourceDocument)
    article = extract(document)
    with Index.create(tmp_path / "index", engine=engine) as index:
        index.add([path])
        hits = list(index.iter_hits("kind:article OR kind:comment"))
    assert len(hits) == 1 + len(article.comments) == 6
    if link.startswith("https:"):
        assert article.url == link and {hit.url for hit in hits} == {link}
        return
    assert article.url is None
    assert {hit.url for hit in hits} == {None}
    assert any(p.field == "url" and "not a web address" in p.reason for p in article.problems)


# -- 2. CSV cells that a spreadsheet would run --------------------------------------------

CSV_PATHS = reliability.cases(
    "Security",
    "CSV cells starting with = + - @ (a =HYPERLINK headline, =cmd and @SUM authors) in every "
    "CSV path: --format csv, --all, --group article, --facet author, --fields, --kwic, "
    "--histogram --by author",
    "prefixed with a single quote as OWASP recommends (`'=cmd`); --raw-csv writes them as they are",
    ["csv", "all", "group", "facet", "fields", "kwic", "series"],
)


def _csv_cells(index: Path, path: str, *extra: str) -> list[str]:
    args = {
        "csv": ["assad OR kind:comment", "--format", "csv", "--limit", "50"],
        "all": ["assad OR kind:comment", "--format", "csv", "--all"],
        "group": ["assad OR kind:comment", "--format", "csv", "--group", "article"],
        "facet": ["assad OR kind:comment", "--format", "csv", "--facet", "author"],
        "fields": ["assad OR kind:comment", "--format", "csv", "--fields", "headline,author"],
        "kwic": ["hostile", "--format", "csv", "--kwic", "20"],
        "series": ["kind:comment", "--format", "csv", "--histogram", "year", "--by", "author"],
    }[path]
    rows = list(csv.reader(io.StringIO(_query(index, *args, *extra))))
    assert len(rows) >= 3
    return [cell for row in rows for cell in row]


@pytest.mark.parametrize("path", CSV_PATHS)
def test_csv_cells_never_start_a_formula(hostile: Path, path: str) -> None:
    cells = _csv_cells(hostile, path)
    assert [c for c in cells if c.startswith(FORMULA_STARTS)] == []
    authors = FORMULA_AUTHORS[:1] if path == "kwic" else FORMULA_AUTHORS  # kwic: matched only
    for author in authors:
        assert "'" + author in cells
    if path not in ("facet", "kwic", "series"):
        assert '\'=HYPERLINK("https://evil.example/steal","Insists Assad")' in cells
    raw = _csv_cells(hostile, path, "--raw-csv")
    assert set(authors) <= set(raw)
    assert CONTROL.search("".join(raw)) is None  # --raw-csv keeps the terminal safe


def test_csv_cell_follows_owasp() -> None:
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("\t=1+1") == "'\t=1+1"
    assert csv_cell("\r=1+1") == "'=1+1"  # the CR is a control character, dropped first
    assert csv_cell("a=1") == "a=1" and csv_cell("") == ""
    assert csv_cell(-2.5) == -2.5 and csv_cell(None) is None  # numbers are not text
    assert csv_cell("=1+1", raw=True) == "=1+1"


# -- 3. terminal control sequences ----------------------------------------------------------

TERMINAL_OUTPUTS = reliability.cases(
    "Security",
    "terminal control sequences (an author eve ESC]0;TITLE BEL, an index folder and a source "
    "file named with ESC sequences, a file name that is not UTF-8) in the --facet table, CSV and JSON Lines facet rows, the "
    "--histogram --by author chart, corpsearch status (and --json), stats (and --json)",
    "no control character reaches the terminal: tables and CSV drop them, JSON escapes "
    "them (\\u001b, \\u009b)",
    [
        "facet-table",
        "facet-csv",
        "facet-jsonl",
        "series-table",
        "status",
        "status-json",
        "stats",
        "stats-json",
    ],
)


@pytest.fixture(scope="module", params=["whoosh", "tantivy"])
def named(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """An index folder named with control sequences, whose last run failed on a file named
    with one."""
    folder = tmp_path_factory.mktemp(f"named-{request.param}")
    pages = folder / "pages"
    pages.mkdir()
    (pages / "hostile.html").write_bytes(HOSTILE.read_bytes())
    (pages / "evil\x1b]0;TITLE\x07\x9b2J.html").write_bytes(b"")
    (Path(os.fsdecode(bytes(pages) + b"/caf\xe9.html"))).write_bytes(b"")  # not UTF-8
    index = folder / "index\x1b[2J"
    args = ["index", "--engine", request.param, "--index", str(index), str(pages)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 4, result.output  # done, with a source that could not be read
    return index


@pytest.mark.parametrize("output", TERMINAL_OUTPUTS)
def test_no_control_sequence_reaches_the_terminal(named: Path, output: str) -> None:
    command = {
        "facet-table": ["query", "kind:comment", "--facet", "author", "--no-color"],
        "facet-csv": ["query", "kind:comment", "--facet", "author", "--format", "csv"],
        "facet-jsonl": ["query", "kind:comment", "--facet", "author", "--format", "jsonl"],
        "series-table": ["query", "kind:comment", "--histogram", "year", "--by", "author"],
        "status": ["status"],
        "status-json": ["status", "--json"],
        "stats": ["stats"],
        "stats-json": ["stats", "--json"],
    }[output]
    result = CliRunner().invoke(cli, [*command, "--index", str(named)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert CONTROL.search(text) is None, repr(text[:400])
    if output.startswith(("facet", "series")):
        assert "eve]0;TITLE" in text or "eve\\u001b]0;TITLE" in text  # the author is counted
    if output == "status":
        # File names as they are, escapes shown, so the file can be found.
        assert "evil\\x1b]0;TITLE\\x07\\x9b2J.html: file is empty" in text
        assert "caf\\xe9.html: file is empty" in text
    if output == "status-json":
        data = json.loads(text)
        failures = data["runs"][-1]["failures"]
        pages = named.parent / "pages"
        evil = [pages / "caf\udce9.html", pages / "evil\x1b]0;TITLE\x07\x9b2J.html"]
        assert sorted(f["source"] for f in failures) == [str(p) for p in evil]
    if output.startswith("stats"):
        assert "index[2J" in text or "index\\u001b[2J" in text


# -- 4. links out of the source tree ----------------------------------------------------------

LINKS = reliability.cases(
    "Security",
    "symbolic links in a source folder to a file outside it (/etc/passwd as passwd.txt, a "
    "real page elsewhere, a relative ../ link, a link to a link out) and inside it, read by "
    "corpsearch index, Index.add and corpsearch extract",
    "a link out is skipped and reported by name unless --follow-links (follow_links = true); "
    "a link inside the folder is read",
    ["/etc/passwd", "page", "relative", "chain", "inside"],
)


def _tree_with_link(tmp_path: Path, case: str) -> tuple[Path, Path]:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "seed.html").write_bytes(SEED_HTML.read_bytes())
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "telegraph.html").write_bytes(TELEGRAPH.read_bytes())
    if case == "/etc/passwd":
        link = pages / "passwd.txt"
        link.symlink_to("/etc/passwd")
    elif case == "page":
        link = pages / "telegraph.html"
        link.symlink_to(outside / "telegraph.html")
    elif case == "relative":
        link = pages / "telegraph.html"
        link.symlink_to(Path("..", "elsewhere", "telegraph.html"))
    elif case == "chain":
        (pages / "hop.html").symlink_to(outside / "telegraph.html")
        link = pages / "telegraph.html"
        link.symlink_to("hop.html")
    else:
        (pages / "sub").mkdir()
        (pages / "sub" / "telegraph.html").write_bytes(TELEGRAPH.read_bytes())
        link = pages / "telegraph.html"
        link.symlink_to(Path("sub", "telegraph.html"))
    return pages, link


@pytest.mark.skipif(not Path("/etc/passwd").is_file(), reason="needs /etc/passwd")
@pytest.mark.parametrize("case", LINKS)
def test_links_out_of_the_tree_are_not_followed(tmp_path: Path, engine: str, case: str) -> None:
    pages, link = _tree_with_link(tmp_path, case)
    out = case != "inside"
    runner = CliRunner()
    index = tmp_path / "index"
    result = runner.invoke(cli, ["index", "--engine", engine, "--index", str(index), str(pages)])
    assert result.exit_code == (4 if out else 0), result.output  # 4: done, a source skipped
    skipped = f"skipped {link}: {LINK_OUT_OF_TREE}"
    assert (skipped in result.stderr) is out
    if case == "chain":  # the link it goes through is out of the tree too
        assert f"skipped {pages / 'hop.html'}: {LINK_OUT_OF_TREE}" in result.stderr
    with Index.open(index) as opened:
        sources = {hit.source for hit in opened.iter_hits("kind:article")}
    assert any(s.endswith("telegraph.html") or s.endswith("passwd.txt") for s in sources) is not out
    assert str(pages / "seed.html") in sources

    with Index.create(tmp_path / "library", engine=engine) as library:
        report = library.add([pages])
    assert ((str(link), LINK_OUT_OF_TREE) in {(f.source, f.reason) for f in report.failures}) is out

    extracted = runner.invoke(cli, ["extract", str(pages)])
    assert (skipped in extracted.stderr) is out
    assert ("root:" in extracted.stdout) is False

    if out:  # asked for: read
        args = ["index", "--index", str(index), "--follow-links", str(pages)]
        followed = runner.invoke(cli, args)
        assert followed.exit_code == 0 and LINK_OUT_OF_TREE not in followed.stderr
        with Index.open(index) as opened:
            sources = {hit.source for hit in opened.iter_hits("kind:article")}
        # A link and the link it goes through are two captures of one page: either is kept.
        assert {str(link), str(pages / "hop.html")} & sources


def test_follow_links_in_the_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree_with_link(tmp_path, "page")
    (tmp_path / "corpsearch.toml").write_text(
        'sources = ["pages"]\nindex = "index"\nfollow_links = true\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["index"])
    assert result.exit_code == 0, result.output
    assert "2 new" in result.stderr and LINK_OUT_OF_TREE not in result.stderr


# -- 5. the machine's folders are not recorded ------------------------------------------------

GIVEN_PATHS = reliability.cases(
    "Security",
    "relative source paths (a folder, ./folder/, a file, a folder in corpsearch.toml) indexed, "
    "then given again absolute and relative",
    "runs.jsonl, the manifest and every document's source hold the path as given, never the "
    "machine's folders; the same file given another way is unchanged, a deleted one removed",
    ["pages", "./pages/", "pages/seed.html", "config"],
)


def _recorded(index: Path) -> str:
    with Index.open(index) as opened:
        sources = [hit.source for hit in opened.iter_hits("kind:article OR kind:comment")]
    generation = resolve(index)
    return "\n".join(
        [
            (index / RUNS_FILE).read_text(encoding="utf-8"),
            (generation / MANIFEST_FILE).read_text(encoding="utf-8"),
            *sources,
        ]
    )


@pytest.mark.parametrize("given", GIVEN_PATHS)
def test_relative_paths_are_stored_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, given: str
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "seed.html").write_bytes(SEED_HTML.read_bytes())
    (pages / "telegraph.html").write_bytes(TELEGRAPH.read_bytes())
    (pages / "empty.html").write_bytes(b"")  # a failure, recorded with its path
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    if given == "config":
        Path("corpsearch.toml").write_text(f'sources = ["pages"]\nengine = "{engine}"\n', "utf-8")
        args = ["index"]
    else:
        args = ["index", "--engine", engine, "--index", "index", given]
    result = runner.invoke(cli, args)
    assert result.exit_code == (0 if given == "pages/seed.html" else 4), result.output
    recorded = _recorded(Path("index"))
    machine = {str(tmp_path), os.path.realpath(tmp_path)}
    assert not any(folder in recorded for folder in machine), recorded[:500]
    assert "pages/seed.html" in recorded  # (click's paths write ./pages/ as pages)
    if given != "pages/seed.html":
        assert "pages/empty.html" in recorded  # the failure, as given

    # Given another way, the same files are the same sources: nothing is read again.
    again = runner.invoke(cli, ["index", "--index", "index", str(pages / "seed.html")])
    assert again.exit_code == 0, again.output
    assert "0 new, 0 changed, 0 removed, 1 unchanged" in again.stderr
    (pages / "seed.html").unlink()
    gone = runner.invoke(cli, ["index", "--index", "index", "./pages"])
    assert gone.exit_code == 4, gone.output  # empty.html still cannot be read
    new = 1 if given == "pages/seed.html" else 0  # telegraph.html was not given before
    assert f"{new} new, 0 changed, 1 removed" in gone.stderr
