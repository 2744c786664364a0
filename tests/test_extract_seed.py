"""The seed page, from its text rendering and from the HTML fixture, gives the expected records."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from corpsearch import Article, ExtractOptions, extract_paths
from corpsearch.sources import iter_sources

from .conftest import SEED_HTML, SEED_TEXT

EXPECTED_AUTHORS = ["_mowaten_", "imagine_1979", "_mowaten_", "_mowaten_", "_mowaten_"]
EXPECTED_TIMES = ["14:32", "14:43", "17:24", "17:26", "17:11"]
QUOTED = (
    'Government forces "continue to kill their own people," she said, referring to the '
    "devastating four-year civil war that has left more than 160,000 people dead and sparked a "
    "massive humanitarian crisis."
)


def _article(path: object) -> Article:
    (article,) = list(extract_paths([path]))
    assert isinstance(article, Article)
    return article


@pytest.fixture(params=[SEED_TEXT, SEED_HTML], ids=["text", "html"])
def seed(request: pytest.FixtureRequest) -> Article:
    return _article(request.param)


def test_headline_and_body_bounds(seed: Article) -> None:
    assert seed.headline == "U.S. Insists No Anti-Jihadist Coordination with Assad"
    assert seed.body.startswith("With momentum building")
    assert seed.body.endswith('They have refused to do so."')
    assert seed.language == "en"
    assert seed.site == "naharnet.com"


def test_no_debris_anywhere(seed: Article) -> None:
    dumped = str(seed.to_dict())
    for debris in ("W460", "Comments 5", "Thumb", "Missing", "Reply"):
        assert debris not in dumped


def test_publication_date_is_null_with_reason(seed: Article) -> None:
    assert seed.published is None
    reasons = [p.reason for p in seed.problems if p.field == "published"]
    assert reasons and "no date" in reasons[0]


def test_five_comments_in_page_order_in_beirut_time(seed: Article) -> None:
    assert seed.comment_count == 5
    assert [c.author for c in seed.comments] == EXPECTED_AUTHORS
    assert [c.position for c in seed.comments] == [0, 1, 2, 3, 4]
    for comment, hhmm in zip(seed.comments, EXPECTED_TIMES, strict=True):
        assert comment.published is not None
        assert comment.published.strftime("%Y-%m-%d %H:%M") == f"2014-09-13 {hhmm}"
        assert comment.published.utcoffset() == timedelta(hours=3)
    assert seed.comments[0].to_dict()["published"] == "2014-09-13T14:32:00+03:00"


def test_quote_is_kept_apart_from_the_comments_own_words(seed: Article) -> None:
    first = seed.comments[0]
    assert first.quotes == (QUOTED,)
    assert "continue to kill their own people" not in first.text
    assert first.text.startswith("Yea that's really bad")
    assert all(not c.quotes for c in seed.comments[1:])


def test_url_kept_in_comment_text(seed: Article) -> None:
    url = "http://www.reuters.com/article/2008/01/30/us-iraq-deaths-survey-idUSL3048857920080130"
    assert url in seed.comments[3].text
    assert seed.comments[3].links == (url,)


def test_text_and_html_give_the_same_records() -> None:
    text, html = _article(SEED_TEXT), _article(SEED_HTML)
    assert text.headline == html.headline
    assert text.body == html.body
    assert text.comment_count == html.comment_count
    assert [c.to_dict() | {"id": None} for c in text.comments] == [
        c.to_dict() | {"id": None} for c in html.comments
    ]


def test_json_keys_are_the_documented_ones() -> None:
    record = _article(SEED_TEXT).to_dict()
    assert list(record) == [
        "id", "url", "site", "headline", "body", "published", "authors", "language",
        "comment_count", "comments", "source", "problems",
    ]  # fmt: skip
    assert list(record["comments"][0]) == [
        "id", "position", "author", "published", "text", "quotes", "parent",
    ]  # fmt: skip
    assert record["source"] == str(SEED_TEXT)


def test_ids_are_stable_across_runs() -> None:
    first, second = _article(SEED_HTML), _article(SEED_HTML)
    assert first.id == second.id
    assert [c.id for c in first.comments] == [c.id for c in second.comments]
    assert len({c.id for c in first.comments}) == 5


def test_site_timezone_can_be_overridden() -> None:
    from zoneinfo import ZoneInfo

    (document,) = [d for d in iter_sources([SEED_TEXT])]
    from corpsearch import extract

    article = extract(document, ExtractOptions(site_tz=ZoneInfo("UTC")))  # type: ignore[arg-type]
    assert article.comments[0].published == datetime.fromisoformat("2014-09-13T14:32:00+00:00")
