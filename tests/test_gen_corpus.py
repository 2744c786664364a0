"""Tests of the benchmark corpus generator (benchmarks/gen_corpus.py)."""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import gen_corpus  # noqa: E402
from corpus_templates import Page  # noqa: E402

pytestmark = pytest.mark.skipif(
    not gen_corpus.GROUND_TRUTH.is_file(), reason="shared source texts are not available"
)

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None = None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self) -> list[Node]:
        out: list[Node] = []
        stack: list[Node] = [self]
        while stack:
            n = stack.pop()
            out.append(n)
            stack.extend(reversed([c for c in n.children if isinstance(c, Node)]))
        return out

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()[1:]
            if (tag is None or n.tag == tag)
            and (cls is None or cls in n.classes)
            and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert found, (tag, cls, attrs)
        return found[0]

    def text(self) -> str:
        parts: list[str] = []
        for c in self.children:
            parts.append(c if isinstance(c, str) else " " + c.text() + " ")
        return " ".join("".join(parts).split())


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.cur = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_endtag(self, tag: str) -> None:
        n: Node | None = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data: str) -> None:
        self.cur.children.append(data)


def parse(html: str) -> Node:
    b = TreeBuilder()
    b.feed(html)
    b.close()
    return b.root


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "c"
    assert gen_corpus.main(["--pages", "60", "--out", str(out), "--warc", "--jobs", "1"]) == 0
    return out


@pytest.fixture(scope="module")
def manifest(corpus: Path) -> list[dict[str, Any]]:
    with (corpus / "manifest.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_same_seed_gives_identical_bytes(tmp_path: Path, corpus: Path) -> None:
    again = tmp_path / "again"
    gen_corpus.generate(60, again, seed=42, warc=True, jobs=1)
    files = sorted(p.relative_to(corpus) for p in corpus.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for rel in files:
        assert (corpus / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_other_seed_differs_and_pages_do_not_depend_on_each_other(tmp_path: Path) -> None:
    pools = gen_corpus.pools_for(42)
    a = gen_corpus.make_page(7, 42, pools)
    b = gen_corpus.make_page(7, 42, pools)
    assert a.headline == b.headline and a.url == b.url and a.paragraphs == b.paragraphs
    c = gen_corpus.make_page(7, 43, pools)
    assert (c.url, c.paragraphs) != (a.url, a.paragraphs)


@pytest.fixture(scope="module")
def sample() -> list[Page]:
    pools = gen_corpus.pools_for(42)
    return [gen_corpus.make_page(i, 42, pools) for i in range(300)]


def test_comment_count_distribution(sample: list[Page]) -> None:
    counts = [len(page.comments) for page in sample]
    assert 7 <= statistics.mean(counts) <= 13
    assert counts.count(0) >= 45  # many pages without comments
    assert 1 <= statistics.median(counts) <= 6
    assert max(counts) >= 60  # a long tail
    assert max(counts) <= gen_corpus.MAX_COMMENTS


def test_texts_authors_and_dates_are_realistic(sample: list[Page]) -> None:
    pools = gen_corpus.pools_for(42)
    assert len(pools.authors) == 30000
    assert len({a.lower() for a in pools.authors}) == 30000
    pages = sample
    words = [sum(len(p.split()) for p in pg.paragraphs) for pg in pages]
    assert 300 <= statistics.median(words) <= 800
    comments = [c for pg in pages for c in pg.comments]
    cwords = [len(gen_corpus.own_text(c).split()) for c in comments]
    assert 10 <= statistics.median(cwords) <= 60
    assert any(c.quote for c in comments)
    assert any("http" in gen_corpus.own_text(c) for c in comments)
    assert any(re.search(r"[a-z]\.[A-Z][a-z]", gen_corpus.own_text(c)) for c in comments)
    authors = [c.author for c in comments]
    top = max(set(authors), key=authors.count)
    assert authors.count(top) >= 10 and len(set(authors)) >= len(authors) // 4
    assert {pg.site.template for pg in pages} == set(gen_corpus.TEMPLATES)
    for pg in pages:
        assert 2014 <= pg.published.year <= 2024
        assert all(c.published > pg.published for c in pg.comments)
        assert all(c.published.year <= 2024 for c in pg.comments)


def test_manifest_matches_files(corpus: Path, manifest: list[dict[str, Any]]) -> None:
    assert len(manifest) == 60
    summary = json.loads((corpus / "summary.json").read_text())
    assert summary["pages"] == 60
    assert summary["comments"] == sum(m["n_comments"] for m in manifest)
    for i, m in enumerate(manifest):
        assert m["file"] == f"000/{i:06d}.html"
        html = (corpus / m["file"]).read_text(encoding="utf-8")
        assert f'href="{m["url"]}"' in html  # canonical link
        assert m["n_comments"] == len(m["comments"])
        published = datetime.fromisoformat(m["published"])
        assert published.tzinfo is not None
        for k, c in enumerate(m["comments"]):
            assert c["position"] == k
            assert datetime.fromisoformat(c["published"]) > published
            assert c["parent"] is None or c["parent"] < k


def test_warc_records(corpus: Path, manifest: list[dict[str, Any]]) -> None:
    from warcio.archiveiterator import ArchiveIterator

    part = corpus / "warc" / "part-00000.warc.gz"
    with part.open("rb") as fh:
        records = [
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Target-URI"),
                r.rec_headers.get_header("WARC-Date"),
                r.http_headers.get_header("Content-Type") if r.http_headers else None,
                r.content_stream().read(),
            )
            for r in ArchiveIterator(fh)
        ]
    assert records[0][0] == "warcinfo"
    responses = records[1:]
    assert [r[1] for r in responses] == [m["url"] for m in manifest]
    for (rtype, _uri, date, ctype, body), m in zip(responses, manifest, strict=True):
        assert rtype == "response"
        assert date == m["warc_date"]
        assert ctype == "text/html; charset=utf-8"
        assert body == (corpus / m["file"]).read_bytes()
        assert datetime.fromisoformat(date.replace("Z", "+00:00")) > datetime.fromisoformat(
            m["published"]
        )
    with part.open("rb") as fh:  # the recorded offsets point at the records
        m = manifest[17]
        fh.seek(m["warc_offset"])
        rec = next(iter(ArchiveIterator(fh)))
        assert rec.rec_headers.get_header("WARC-Target-URI") == m["url"]
    with gzip.open(part) as gz:
        assert gz.read(4) == b"WARC"


def _shown_seed_date(dt: datetime) -> str:
    return f"{dt.day} {dt:%B} {dt.year}, {dt:%H:%M}"


def test_seed_template_parses_to_manifest(corpus: Path, manifest: list[dict[str, Any]]) -> None:
    beirut = ZoneInfo("Asia/Beirut")
    seen = 0
    for m in manifest:
        if m["template"] != "seed":
            continue
        seen += 1
        doc = parse((corpus / m["file"]).read_text(encoding="utf-8"))
        assert doc.find("h1", "story-title").text() == m["headline"]
        comments = doc.find("div", id="comments").find_all("div", "comment")
        count = doc.find("h3", "comments-count").find("span").text()
        assert int(count) == len(comments) == m["n_comments"]
        for node, truth in zip(comments, m["comments"], strict=True):
            head = node.find("div", "comment-head")
            assert head.find("img", "avatar").attrs["alt"] in ("Thumb", "Missing")
            assert head.find("span", "comment-author").text() == truth["author"]
            when = datetime.fromisoformat(truth["published"]).astimezone(beirut)
            assert head.find("span", "comment-date").text() == _shown_seed_date(when)
            body = node.find("div", "comment-text")
            quotes = body.find_all("blockquote")
            assert [q.text() for q in quotes] == ([truth["quote"]] if truth["quote"] else [])
            own = " ".join(p.text() for p in body.find_all("p"))
            assert own.startswith(truth["text_first60"])
    assert seen >= 5


def test_seed_template_has_the_seed_page_structure(
    corpus: Path, manifest: list[dict[str, Any]]
) -> None:
    def skeleton(doc: Node) -> set[tuple[str, str]]:
        out = set()
        for n in doc.iter()[1:]:
            out.add(
                (
                    n.tag,
                    "#" + n.attrs["id"]
                    if "id" in n.attrs and not n.attrs["id"].startswith("comment-")
                    else "",
                )
            )
            out.update((n.tag, "." + c) for c in n.classes)
        return out

    fixture = parse((ROOT / "fixtures" / "seed" / "seed_page.html").read_text(encoding="utf-8"))
    best = max(
        (m for m in manifest if m["template"] == "seed"),
        key=lambda m: (
            any(c["quote"] for c in m["comments"]),
            any(c["links"] for c in m["comments"]),
            m["n_comments"],
        ),
    )
    page = parse((corpus / best["file"]).read_text(encoding="utf-8"))
    missing = skeleton(fixture) - skeleton(page)
    assert not missing


def test_wordpress_and_microdata_comments(corpus: Path, manifest: list[dict[str, Any]]) -> None:
    kinds = set()
    for m in manifest:
        doc = parse((corpus / m["file"]).read_text(encoding="utf-8"))
        if m["template"] == "wordpress":
            kinds.add("wordpress")
            nodes = doc.find_all("li", "comment")
            assert len(nodes) == m["n_comments"]
            assert doc.find("h1", "entry-title").text() == m["headline"]
            assert doc.find("time", "entry-date").attrs["datetime"] == m["published"]
            assert doc.find_all("li", "recentcomments")  # sidebar widget, not comments
            for node, truth in zip(nodes, m["comments"], strict=True):
                assert node.find("b", "fn").text() == truth["author"]
                meta = node.find("div", "comment-metadata")
                assert meta.find("time").attrs["datetime"] == truth["published"]
        elif m["template"] == "microdata":
            kinds.add("microdata")
            nodes = doc.find_all(itemtype="https://schema.org/Comment")
            assert len(nodes) == m["n_comments"]
            ld = json.loads(doc.find("script", type="application/ld+json").text())
            assert ld["headline"] == m["headline"] and ld["datePublished"] == m["published"]
            for node, truth in zip(nodes, m["comments"], strict=True):
                assert node.find(itemprop="name").text() == truth["author"]
                created = node.find(itemprop="dateCreated")
                assert (
                    created.attrs.get("content", created.attrs.get("datetime"))
                    == truth["published"]
                )
    assert kinds == {"wordpress", "microdata"}


def test_existing_corpus_is_not_overwritten(corpus: Path) -> None:
    with pytest.raises(SystemExit):
        gen_corpus.main(["--pages", "1", "--out", str(corpus)])


def test_pages_are_real_sized_and_hold_the_same_truth(
    tmp_path: Path, corpus: Path, manifest: list[dict[str, Any]]
) -> None:
    plain = tmp_path / "plain"
    gen_corpus.generate(60, plain, seed=42, jobs=1, plain=True)
    with (plain / "manifest.jsonl").open(encoding="utf-8") as lines:
        plain_lines = [json.loads(line) for line in lines]
    warc_fields = ("warc", "warc_offset", "warc_date")
    assert plain_lines == [{k: v for k, v in m.items() if k not in warc_fields} for m in manifest]
    sizes = [(corpus / m["file"]).stat().st_size / 1024 for m in manifest]
    plain_sizes = [(plain / m["file"]).stat().st_size / 1024 for m in manifest]
    # the dev pages' median is 112 KiB; plain pages hold little more than the article
    assert 80 <= statistics.median(sizes) <= 150
    assert statistics.median(plain_sizes) < 30
    page = (corpus / manifest[0]["file"]).read_text(encoding="utf-8")
    tags = len(re.findall(r"<[a-zA-Z]", page))
    assert 5 <= tags / (len(page.encode()) / 1024) <= 12  # elements per KiB, dev pages: 5–9
