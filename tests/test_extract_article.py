"""Generic article extraction on real pages from shared/data (next to the checkout)."""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from corpsearch.extract.article import ArticleFields, extract_article

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PAGES = DATA / "comment-pages"
BENCH = DATA / "article-extraction-benchmark"

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="shared/data is not beside the checkout")

# 30 benchmark pages (every sixth by name), and the least body F1 they must keep
PINNED = [
    "042bb7b5feda",
    "08f793762792",
    "11ea381ad92b",
    "1f765c487806",
    "287e4d9f4af3",
    "34a7328535ad",
    "39d5c43beb60",
    "3d8f3404cf97",
    "51374560f400",
    "57e2e98887a1",
    "5fa3154ec031",
    "65408257dbe4",
    "6ebac05f637e",
    "7916ecca969f",
    "7dfc3e359d7c",
    "851498a2b9f4",
    "8b1945303082",
    "9a440270bf86",
    "a078b3656adc",
    "abd9d6291b6b",
    "b37be3535e1f",
    "bc13ff87b263",
    "c4a3637c6696",
    "c81e134ed499",
    "d1c57d7821e5",
    "dfd43bc0d46e",
    "e593d7fe88f9",
    "ec3878db7e49",
    "f344ca5fb36e",
    "ff0f958ade71",
]
MIN_PINNED_F1 = 0.978  # measured 0.9833


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


@cache
def page(name: str) -> ArticleFields:
    return extract_article(_decode((PAGES / name).read_bytes()))


@cache
def gold() -> dict[str, dict[str, object]]:
    lines = (PAGES / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return {g["file"]: g for g in map(json.loads, lines)}


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


@pytest.mark.parametrize(
    ("name", "headline"),
    [
        ("pewresearch.html", "Those from Mexico will benefit most from Obama’s executive action"),
        # the kicker span inside the <h1> is not part of the headline
        (
            "mdr.html",
            "Das harte Geschäft mit dem Tod: Warum immer weniger in Thüringen geschlachtet wird",
        ),
        # the author line inside the <h1> is not part of it either
        ("nikkei.html", "米朝首脳直通電話\u3000習氏に挑むトランプ戦術の成否"),
        # the <h1>s only carry the site's logo; the shown headline is the header's <h2>
        ("thepoliticalinsider.html", "Hillary Clinton Gets More Faithless Electors Than Trump"),
    ],
)
def test_headline_as_displayed(name: str, headline: str) -> None:
    assert page(name).headline == headline.replace("\u3000", " ")


def test_date_with_its_zone_from_embedded_metadata() -> None:
    fields = page("mdr.html")
    assert fields.published == datetime(2023, 4, 28, 5, 0, tzinfo=timezone(timedelta(hours=2)))
    assert fields.published_reason is None
    # JSON-LD in the basic ISO format
    assert page("nikkei.html").published == datetime(
        2018, 6, 19, 5, 50, tzinfo=timezone(timedelta(hours=9))
    )


def test_date_that_agrees_with_the_dated_url_wins() -> None:
    # JSON-LD says 2014-11-21T02:57Z, the meta tag 2014-11-20T21:57Z, the URL /2014/11/20/
    fields = page("pewresearch.html")
    assert fields.published == datetime(2014, 11, 20, 21, 57, 15, tzinfo=UTC)


def test_date_shown_under_the_headline() -> None:
    # "Thu, 14 May 2020 17:55 UTC" in the byline; the page has no machine-readable date
    fields = page("sott.html")
    assert fields.published == datetime(2020, 5, 14, 17, 55, tzinfo=UTC)
    assert fields.published_reason is None
    # "12.29.14" (month first, as the day cannot be a month)
    assert page("uproxx1.html").published == datetime(2014, 12, 29, tzinfo=UTC)


def test_date_without_zone_is_read_in_the_default_zone_and_says_so() -> None:
    html = _decode((PAGES / "blogohblog.html").read_bytes())
    zone = ZoneInfo("America/New_York")
    fields = extract_article(html, default_tz=zone)
    assert fields.published == datetime(2012, 6, 28, tzinfo=zone)
    assert fields.published_reason is not None
    assert "America/New_York" in fields.published_reason


def test_page_without_any_date_gives_a_reason() -> None:
    html = "<html><head><title>A note</title></head><body><h1>A note</h1>"
    html += "<p>" + "Words of a note without any date at all. " * 20 + "</p></body></html>"
    fields = extract_article(html)
    assert fields.published is None
    assert fields.published_reason


def test_dates_of_reader_comments_are_not_the_article_date() -> None:
    # the only machine-readable dates on this page are its comments' (schema.org Comment)
    fields = page("kuchniadomowa.html")
    assert fields.published is None
    assert fields.published_reason


def test_unparseable_input_gives_empty_fields_with_a_reason() -> None:
    fields = extract_article("")
    assert fields.body == ""
    assert fields.published is None
    assert fields.published_reason


def test_url_site_authors_language() -> None:
    fields = page("pewresearch.html")
    assert fields.url == gold()["pewresearch.html"]["url"]
    assert fields.site == "pewresearch.org"
    assert fields.authors == ("Jens Manuel Krogstad", "Jeffrey S. Passel")
    assert fields.language == "en"
    assert page("mdr.html").language == "de"
    assert page("nikkei.html").language == "ja"
    assert page("lefigaro.html").site == "lefigaro.fr"
    # commenters marked up as schema.org authors of their comments are not the article's
    assert page("blisterreview.html").authors == ("Luke Koppa",)


@pytest.mark.parametrize(
    ("name", "opens"),
    [
        ("netzpolitik.html", True),
        ("telegraph.html", True),
        ("pewresearch.html", True),
        # a spec table and a standfirst come before the running text here
        ("blisterreview.html", False),
        ("lefigaro.html", False),
    ],
)
def test_body_has_the_first_and_last_sentence(name: str, opens: bool) -> None:
    expected = gold()[name]
    body = page(name).body
    first = words(str(expected["body_first_sentence"]))
    assert words(body).startswith(first) if opens else first in words(body)
    if expected["body_last_sentence"]:
        assert words(str(expected["body_last_sentence"])) in words(body)
    assert "\n\n" in body and "  " not in body


@pytest.mark.parametrize("name", ["blisterreview.html", "pewresearch.html", "netzpolitik.html"])
def test_reader_comments_stay_out_of_the_body(name: str) -> None:
    body = words(page(name).body)
    comments = [
        str(c["text_first60"])  # type: ignore[index]
        for c in gold()[name]["comments"]  # type: ignore[attr-defined]
        if not str(c["text_first60"]).startswith(("“", '"', "„", ">"))  # type: ignore[index]
    ]
    assert len(comments) >= 3
    for comment in comments:
        assert words(comment) not in body


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text)
    return Counter(tuple(tokens[i : i + 4]) for i in range(max(len(tokens) - 3, 0)))


def test_body_f1_on_pinned_benchmark_pages() -> None:
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    precisions, recalls = [], []
    for prefix in PINNED:
        (name,) = [n for n in truth if n.startswith(prefix)]
        html = _decode(gzip.decompress((BENCH / "html" / f"{name}.html.gz").read_bytes()))
        got = _shingles(extract_article(html).body)
        want = _shingles(truth[name]["articleBody"])
        tp = sum((got & want).values())
        fp, fn = sum(got.values()) - tp, sum(want.values()) - tp
        if tp + fp:
            precisions.append(tp / (tp + fp))
        if tp + fn:
            recalls.append(tp / (tp + fn))
    precision, recall = statistics.fmean(precisions), statistics.fmean(recalls)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= MIN_PINNED_F1, f"F1 {f1:.4f} (P {precision:.4f}, R {recall:.4f})"
