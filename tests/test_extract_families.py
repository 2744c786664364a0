"""Families of extraction failures seen on unseen pages, each checked on markup of its family
where no other test pins the rule down (the table in docs/extraction-comments.md names the
tests of the others)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from corpsearch.extract.article import extract_article
from corpsearch.extract.comments import find_comments

ZOO = Path(__file__).resolve().parent.parent / "fixtures" / "zoo"


def test_drupals_last_change_stamp_dates_a_comment_only_when_nothing_else_does() -> None:
    # Drupal 8's comment template (fixtures/zoo/drupal8.html): the hidden mark's
    # data-comment-timestamp is when the comment last changed, 2021-02-17 15:40 UTC, while
    # the footer shows when it was written, "Tue, 02/16/2021 - 14:20"
    page = (ZOO / "drupal8.html").read_text(encoding="utf-8")
    first = find_comments(page)[0]
    assert first.author == "Walter"
    assert first.published == datetime(2021, 2, 16, 14, 20, tzinfo=UTC)
    # a theme that prints no date: the stamp is all there is
    undated = page.replace('<p class="comment__time">Tue, 02/16/2021 - 14:20</p>', "")
    first = find_comments(undated)[0]
    assert first.author == "Walter"
    assert first.published == datetime(2021, 2, 17, 15, 40, tzinfo=UTC)


def test_a_kicker_and_a_headline_in_blocks_of_one_heading_are_not_glued() -> None:
    # nothing in the metadata to choose a part: the heading's words as shown, each block apart
    text = "<p>" + "The council met on Tuesday and voted on the budget for next year. " * 8
    for heading in (
        "<h1>Budget<br>Council approves the budget after a long night</h1>",
        "<h1><div>Budget</div><div>Council approves the budget after a long night</div></h1>",
    ):
        page = f"<html><body>{heading}{text}</p></body></html>"
        found = extract_article(page, url="https://news.example.org/a/1").headline
        assert found == "Budget Council approves the budget after a long night"
