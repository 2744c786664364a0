"""The web app's routes through Starlette's test client, on both engines: every page and API
call against what the library and the CLI give for the same question."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from starlette.testclient import TestClient

from corpsearch import Index
from corpsearch.cli import cli
from corpsearch.engine import ENGINES
from corpsearch.web import CSP, create_app
from corpsearch.web.html import snippet_html, web_url

from .webutil import build_index, cli_json, cli_output

SEED_ARTICLE = "author:_mowaten_"


@pytest.fixture(scope="module", params=ENGINES)
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory.mktemp("web") / "index", str(request.param))


@pytest.fixture()
def client(served: Path) -> Iterator[TestClient]:
    with TestClient(
        create_app(served), base_url="http://127.0.0.1", raise_server_exceptions=False
    ) as test_client:
        yield test_client


def _hits_in(html: str) -> list[str]:
    return re.findall(r'<li class="hit (?:article|comment)" id="hit-([0-9a-f]+)"', html)


def test_search_page_lists_the_hits_the_library_finds(client: TestClient, served: Path) -> None:
    page = client.get("/", params={"q": "assad", "limit": "50"})
    assert page.status_code == 200
    with Index.open(served) as index:
        expected = index.search("assad", limit=50)
    assert _hits_in(page.text) == [hit.id for hit in expected.hits]
    assert f'data-total="{expected.total}"' in page.text
    assert "<mark>assad</mark>" in page.text.lower()
    # A comment hit names its article's headline and links to the comment in the thread.
    comment = next(hit for hit in expected.hits if hit.kind == "comment")
    assert f'href="/article/{comment.article_id}#c-{comment.id}"' in page.text
    assert "on: U.S. Insists No Anti-Jihadist Coordination with Assad" in page.text


def test_filters_sort_and_paging_are_the_clis(client: TestClient, served: Path) -> None:
    params = {"q": "*", "kind": "comment", "since": "2014-09-13", "sort": "-date", "limit": "3"}
    expected = cli_json(served, "*", "--kind", "comment", "--since", "2014-09-13",
                        "--sort", "-date", "--limit", "3")  # fmt: skip
    first = client.get("/", params=params)
    assert _hits_in(first.text) == [hit["id"] for hit in expected["hits"]]
    following = re.search(r'<a rel="next" id="next" href="([^"]+)"', first.text)
    assert following is not None
    link = following.group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(link).query)["offset"] == ["3"]
    second = client.get(link)
    expected_next = cli_json(served, "*", "--kind", "comment", "--since", "2014-09-13",
                             "--sort", "-date", "--limit", "3", "--offset", "3")  # fmt: skip
    assert _hits_in(second.text) == [hit["id"] for hit in expected_next["hits"]]


@pytest.mark.parametrize(
    "args",
    [
        ["assad"],
        ["assad", "--limit", "2", "--offset", "1", "--sort", "date"],
        ["*", "--kind", "comment", "--since", "2014-09-13", "--tz", "Asia/Beirut"],
        ["author:_mowaten_", "--group", "article"],
        ["kind:comment", "--facet", "author", "--facet", "month", "--histogram", "week"],
        ["*", "--histogram", "month", "--share", "--by", "site", "--top", "2"],
        ["assad", "--histogram", "year", "--share", "--kind", "comment"],
        ['"kill their own people"', "--until", "2014-09-13"],
    ],
)
def test_api_search_is_the_clis_json(client: TestClient, served: Path, args: list[str]) -> None:
    names = {"--limit": "limit", "--offset": "offset", "--sort": "sort", "--kind": "kind",
             "--since": "since", "--until": "until", "--tz": "tz", "--group": "group",
             "--facet": "facet", "--histogram": "histogram", "--by": "by", "--top": "top"}  # fmt: skip
    params: list[tuple[str, str]] = [("q", args[0])]
    flags = [a for a in args[1:] if a != "--share"]
    params += [(names[flag], value) for flag, value in zip(flags[::2], flags[1::2], strict=True)]
    if "--share" in args:
        params.append(("share", "1"))
    answer = client.get("/api/search", params=params)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    expected = cli_json(served, *args)
    got = answer.json()
    if "hits" in expected:  # scores may differ in the last digit between two runs of tantivy
        for hit in expected["hits"] + got["hits"]:
            hit.pop("score")
    assert got == expected


def test_malformed_query_shows_the_message_and_marks_the_position(client: TestClient) -> None:
    page = client.get("/", params={"q": "assad AND (civil"})
    assert page.status_code == 400
    assert "Traceback" not in page.text
    assert "expected" in page.text and "at position" in page.text
    # The query is kept in the box and shown with the failing character marked.
    assert 'value="assad AND (civil"' in page.text
    assert re.search(r'<mark class="error-at">[^<]+</mark>', page.text)
    api = client.get("/api/search", params={"q": 'assad "civil'})
    assert api.status_code == 400
    body = api.json()
    assert "unclosed quotation mark" in body["error"]
    assert body["position"] == 6


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x", "limit": "lots"}, "limit must be a whole number"),
        ({"q": "x", "limit": "100000"}, "at most 1,000"),
        ({"q": "x", "offset": "-1"}, "offset must be at least 0"),
        ({"q": "x", "kind": "poem"}, "unknown kind"),
        ({"q": "x", "sort": "random"}, "cannot sort by"),
        ({"q": "x", "tz": "Mars/Olympus"}, "unknown time zone"),
        ({"q": "x", "since": "the other day"}, "cannot read the date"),
        ({"q": "x", "unit": "century"}, "unknown period"),
        ({"q": "x" * 3000}, "at most 2,000"),
        ({"q": "(" * 600 + "x" + ")" * 600}, "nested"),
    ],
)
def test_bad_options_are_pages_with_the_message(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    for path in ("/", "/api/search", "/download.csv"):
        answer = client.get(path, params=params)
        assert answer.status_code == 400, (path, answer.text[:300])
        assert "Traceback" not in answer.text
        text = answer.json()["error"] if path.startswith("/api/") else answer.text
        assert message in text.replace("&#39;", "'"), (path, text[:500])


def test_facets_refine_the_query(client: TestClient, served: Path) -> None:
    page = client.get("/", params={"q": "assad OR civil"})
    links = dict(
        (value, href.replace("&amp;", "&"))
        for href, value in re.findall(
            r'<section class="facet" id="facet-author">.*?</section>', page.text, re.S
        )
        and re.findall(
            r'<a href="(/\?[^"]+)">([^<]+)</a> <span class="n">',
            re.search(r'id="facet-author">.*?</section>', page.text, re.S).group(0),  # type: ignore[union-attr]
        )
    )
    assert "_mowaten_" in links
    narrowed = parse_qs(urlsplit(links["_mowaten_"]).query)["q"][0]
    assert narrowed == '(assad OR civil) author:"_mowaten_"'
    refined = client.get(links["_mowaten_"])
    expected = cli_json(served, narrowed, "--limit", "100")
    assert expected["total"] > 0
    assert _hits_in(refined.text) == [hit["id"] for hit in expected["hits"]][:10]
    assert all(hit["author"] == "_mowaten_" for hit in expected["hits"])


@pytest.mark.parametrize("unit", ["day", "week", "month", "year"])
def test_chart_bars_are_the_clis_histogram(client: TestClient, served: Path, unit: str) -> None:
    page = client.get("/", params={"q": "*", "unit": unit, "tz": "Asia/Beirut"})
    bars = re.findall(r'<rect class="bar" data-key="([^"]+)" data-count="(\d+)"', page.text)
    expected = cli_json(served, "*", "--histogram", unit, "--tz", "Asia/Beirut", "--limit", "0")
    buckets = expected["histogram"]["buckets"]
    assert [(key, int(count)) for key, count in bars] == [(b["key"], b["count"]) for b in buckets]
    assert f"{expected['histogram']['undated']:,} without a date" in page.text


@pytest.mark.parametrize(
    ("query", "kind"), [("kind:comment", None), ("assad OR war", None), ("*", "article")]
)
def test_chart_shares_are_the_clis(
    client: TestClient, served: Path, query: str, kind: str | None
) -> None:
    params = {"q": query, "unit": "year", "since": "2013-06-01"}
    args = [query, "--histogram", "year", "--share", "--since", "2013-06-01", "--limit", "0"]
    if kind:
        params["kind"] = kind
        args += ["--kind", kind]
    page = client.get("/", params=params).text
    bars = re.findall(r'data-key="([^"]+)" data-count="(\d+)"[^>]*><title>([^<]*)</title>', page)
    points = cli_json(served, *args)["histogram"]["series"][0]["points"]
    assert [(key, int(count)) for key, count, _ in bars] == [(p["key"], p["count"]) for p in points]
    found = [re.search(r", ([\d.]+)% of all (\w+)", title) for _, _, title in bars]
    shares = [float(share.group(1)) if share else None for share in found]
    of = {share.group(2) for share in found if share}
    assert of == ({f"{kind}s"} if kind else {"comments"} if query == "kind:comment" else of)
    assert shares == [None if p["share"] is None else round(100 * p["share"], 2) for p in points]
    if query == "assad OR war":  # the others are 100 % of their kind
        assert any(share is not None and 0 < share < 100 for share in shares)


def test_chart_lines_per_site_and_author_are_the_clis(client: TestClient, served: Path) -> None:
    for by in ("site", "author"):
        page = client.get("/", params={"q": "kind:comment", "unit": "year", "series": by}).text
        expected = cli_json(
            served, "kind:comment", "--histogram", "year", "--by", by, "--limit", "0"
        )["histogram"]["series"]
        shown = re.findall(
            r'<polyline class="series" points="[^"]+" stroke="[^"]+"><title>([^<]+)<', page
        )
        assert [html.unescape(label) for label in shown] == [line["value"] for line in expected][
            : len(shown)
        ]
        assert len(shown) == min(5, len(expected))
        table = re.search(r"<table>.*?</table>", page, re.S)
        assert table is not None
        for line in expected[:1]:
            counts = [point["count"] for point in line["points"]]
            rows = re.findall(r"<tr><td>[^<]+</td>((?:<td[^>]*>[^<]*</td>)+)</tr>", table.group(0))
            cells = [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in rows]
            assert [int(row[2].replace(",", "")) for row in cells] == counts


def test_article_page_shows_the_whole_thread(client: TestClient, served: Path) -> None:
    hits = cli_json(served, "headline:coordination", "--kind", "article")["hits"]
    article = next(hit for hit in hits if "Coordination" in hit["headline"])
    page = client.get(f"/article/{article['id']}")
    assert page.status_code == 200
    comments = re.findall(r'<li class="comment depth-\d" id="c-([0-9a-f]+)"', page.text)
    expected = cli_json(served, f"article:{article['id']}", "--sort", "date", "--limit", "100")
    assert sorted(comments) == sorted(hit["id"] for hit in expected["hits"])
    assert len(comments) == 5
    assert (
        '<blockquote class="quoted">Government forces &#34;continue to kill their own people'
        in page.text
    )
    assert 'href="/author?name=_mowaten_"' in page.text
    assert "the only thing that kept him in power through the last 3 years" in page.text
    api = client.get(f"/api/article/{article['id']}")
    shown = CliRunner().invoke(
        cli, ["show", article["id"], "--index", str(served), "--format", "json"]
    )
    assert api.json() == json.loads(shown.output)
    assert [c["id"] for c in api.json()["comments"]] == comments
    # A comment's id, or a short id, opens the article's page at that comment.
    moved = client.get(f"/article/{comments[2]}", follow_redirects=False)
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/article/{article['id']}#c-{comments[2]}"
    assert client.get(f"/article/{article['id'][:6]}").url.path == f"/article/{article['id']}"


def test_replies_are_nested_under_the_comment_they_answer(client: TestClient, served: Path) -> None:
    with Index.open(served) as index:
        articles = index.search("kind:article", limit=100).hits
        thread = next(
            t for t in (index.thread(hit.id) for hit in articles) if any(e.depth for e in t.entries)
        )
    page = client.get(f"/article/{thread.article.id}").text
    shown = re.findall(r'id="c-([0-9a-f]+)" data-depth="(\d+)"', page)
    assert shown == [(e.comment.id, str(e.depth)) for e in thread.entries]
    reply = next(e for e in thread.entries if e.depth > 0)
    assert f'<a class="reply-to" href="#c-{reply.comment.parent}">in reply</a>' in page


def test_unknown_article_and_page_are_404_pages(client: TestClient) -> None:
    for path in ("/article/0000000000000000", "/no/such/page", "/static/../pyproject.toml",
                 "/static/nothing.css", "/api/article/nope"):  # fmt: skip
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "Traceback" not in answer.text
        assert answer.headers["content-security-policy"] == CSP


def test_author_page(client: TestClient, served: Path) -> None:
    page = client.get("/author", params={"name": "_mowaten_"})
    assert page.status_code == 200
    expected = cli_json(served, "author:_mowaten_", "--limit", "0")
    assert f"{expected['total']:,} documents" in page.text
    api = client.get("/api/author", params={"name": "_MOWATEN_"}).json()
    # Four comments on the seed page, four on the hostile copy of it.
    assert api["total"] == expected["total"] == 8
    assert sum(bucket["count"] for bucket in api["histogram"]["buckets"]) == 8
    assert api["articles"] == 2
    assert [group["comment_hits"] for group in api["groups"]] == [4, 4]
    assert client.get("/author").status_code == 400


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_downloads_are_the_clis_export(client: TestClient, served: Path, fmt: str) -> None:
    answer = client.get(f"/download.{fmt}", params={"q": "assad OR war", "sort": "date"})
    assert answer.status_code == 200
    assert "attachment" in answer.headers["content-disposition"]
    expected = cli_output(served, "assad OR war", "--all", "--sort", "date", "--format", fmt)
    assert answer.text == expected
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(answer.text)))
        assert len(rows) == cli_json(served, "assad OR war", "--limit", "0")["total"] > 10


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_downloads_with_fields_are_the_clis(client: TestClient, served: Path, fmt: str) -> None:
    fields = "id,kind,author,published,text,quotes,parent"
    answer = client.get(f"/download.{fmt}", params={"q": "kind:comment", "fields": fields})
    assert answer.status_code == 200
    expected = cli_output(served, "kind:comment", "--all", "--fields", fields, "--format", fmt)
    assert answer.text == expected
    assert "the only thing that kept him in power through the last 3 years" in answer.text
    bad = client.get(f"/download.{fmt}", params={"q": "x", "fields": "id,colour"})
    assert bad.status_code == 400 and "unknown field" in bad.text


def test_api_search_with_fields_is_the_clis(client: TestClient, served: Path) -> None:
    args = ["kind:comment", "--fields", "id,author,text", "--limit", "3", "--offset", "1"]
    answer = client.get(
        "/api/search",
        params={"q": "kind:comment", "fields": "id,author,text", "limit": "3", "offset": "1"},
    )
    assert answer.json() == cli_json(served, *args)
    refused = client.get("/api/search", params={"q": "x", "fields": "id", "group": "article"})
    assert refused.status_code == 400


def test_hostile_page_is_shown_as_text(client: TestClient, served: Path) -> None:
    """Scripts, event handlers and javascript: links in the headline, body and comments come
    out as text; the only markup is the app's own."""
    hits = cli_json(served, "zanzibar", "--limit", "50")["hits"]
    assert {hit["kind"] for hit in hits} == {"article", "comment"}
    article_id = hits[0]["article_id"]
    pages = [
        client.get("/", params={"q": "zanzibar"}).text,
        client.get("/", params={"q": "zanzibar", "series": "author"}).text,
        client.get(f"/article/{article_id}").text,
        client.get("/author", params={"name": 'imagine<b onmouseover="window.__pwned=1">'}).text,
    ]
    for markup in pages:
        soup = BeautifulSoup(markup, "lxml")
        assert not soup.find_all(["script", "img", "iframe", "object", "embed", "b"])
        assert not soup.find_all("svg", attrs={"onload": True})
        for tag in soup.find_all(True):
            assert not [name for name in tag.attrs if name.lower().startswith("on")], tag
            for name in ("href", "src", "action"):
                assert not str(tag.get(name, "")).strip().lower().startswith("javascript:")
    thread = pages[2]
    assert "&lt;script&gt;window.__pwned=&#34;headline&#34;&lt;/script&gt;" in thread
    assert "&lt;img src=x onerror=" in thread
    assert "&lt;img src=x onerror=" in pages[0]  # in the comment's snippet
    # The page's own "</mark><mark>" stays text inside a snippet.
    assert "&lt;/mark&gt;&lt;mark&gt;" in pages[0]


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", "/?q=assad", "/?q=(", "/static/style.css", "/api/search?q=x",
                 "/download.csv?q=x", "/nowhere"):  # fmt: skip
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CSP
        assert "script-src" not in CSP and "default-src 'none'" in CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_other_hosts_are_refused(served: Path) -> None:
    """A page elsewhere that rebinds its name to 127.0.0.1 must not read the index."""
    with TestClient(create_app(served), base_url="http://attacker.example") as other:
        assert other.get("/?q=assad").status_code == 400
    with TestClient(create_app(served), base_url="http://localhost:8000") as local:
        assert local.get("/?q=assad").status_code == 200


def test_missing_index_is_an_error_page(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "none"), base_url="http://127.0.0.1") as missing:
        page = missing.get("/")
        assert page.status_code == 503
        assert "corpsearch index --index" in page.text
        api = missing.get("/api/search?q=x")
        assert api.status_code == 503 and "no corpsearch index" in api.json()["error"]


def test_a_bug_is_a_page_without_a_traceback(served: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from corpsearch.web import app as web_app

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(web_app, "search_view", broken)
    with TestClient(
        create_app(served), base_url="http://127.0.0.1", raise_server_exceptions=False
    ) as buggy:
        page = buggy.get("/?q=assad")
    assert page.status_code == 500
    assert "unexpected ZeroDivisionError" in page.text and "Traceback" not in page.text
    assert "boom" not in page.text


def test_snippet_html_escapes_page_text() -> None:
    html = snippet_html('a <mark>b</mark> <script>x</script> & "q"')
    assert str(html) == "a <mark>b</mark> &lt;script&gt;x&lt;/script&gt; &amp; &#34;q&#34;"
    assert web_url("javascript:alert(1)") is None
    assert web_url(" JAVASCRIPT:alert(1)") is None
    assert web_url("data:text/html,x") is None
    assert web_url("java\tscript:alert(1)") is None
    assert web_url("https://x.example/\nnext") is None
    assert web_url("http://[::1") is None
    assert web_url("https://www.naharnet.com/x") == "https://www.naharnet.com/x"


def test_serve_command_fails_early_on_a_missing_index(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--index", str(tmp_path / "none"), "--port", "0"])
    assert result.exit_code == 1
    assert "no corpsearch index" in result.output
    shown = CliRunner().invoke(cli, ["serve", "--help"])
    assert "--host" in shown.output and "127.0.0.1" in shown.output


def test_json_api_escapes_control_characters(client: TestClient) -> None:
    answer = client.get("/api/search", params={"q": "assad", "limit": "1"})
    json.loads(answer.text)
    assert "\x1b" not in answer.text


def test_pages_follow_the_index_while_it_is_served(tmp_path: Path, engine: str) -> None:
    """A job adding pages while the app serves: the next page shows them (hits, facets, chart)."""
    from .conftest import SEED_HTML
    from .webutil import HOSTILE

    with Index.create(tmp_path / "ix", engine=engine) as index:
        index.add([SEED_HTML])
    with TestClient(create_app(tmp_path / "ix"), base_url="http://127.0.0.1") as live:
        before = live.get("/", params={"q": "*", "unit": "year"}).text
        assert 'data-total="6"' in before
        with Index.open(tmp_path / "ix") as index:
            index.add([HOSTILE])
        after = live.get("/", params={"q": "*", "unit": "year"}).text
        assert 'data-total="12"' in after
        kinds = re.search(r'id="facet-kind">.*?</section>', after, re.S)
        assert kinds is not None and '<span class="n">10</span>' in kinds.group(0)
        assert 'data-key="2014" data-count="10"' in after
