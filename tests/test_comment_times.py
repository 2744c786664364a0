"""A comment's time: when it was written, not when it was last edited; the time shown in the
text completes a machine value that gives only the day."""

from __future__ import annotations

from datetime import UTC, datetime

from corpsearch.extract.comments import find_comments


def _page(meta: str) -> str:
    return (
        "<html><body><article><h1>A post</h1><p>The post.</p></article>"
        '<ol class="commentlist"><li class="comment" id="comment-7">'
        f'<div class="comment-meta"><cite class="fn">Anna</cite> {meta}</div>'
        "<p>The comment by Anna, with a few words.</p></li></ol></body></html>"
    )


def test_the_time_it_was_written_wins_over_the_time_it_was_edited() -> None:
    meta = (
        '<span class="edited">edited <time datetime="2020-08-02T09:00:00Z">Aug 2</time></span>'
        ' <time datetime="2020-07-29T18:45:00Z">July 29, 2020</time>'
    )
    [comment] = find_comments(_page(meta))
    assert comment.published == datetime(2020, 7, 29, 18, 45, tzinfo=UTC)


def test_an_edited_time_is_still_used_when_it_is_the_only_one() -> None:
    meta = '<time class="updated" datetime="2020-08-02T09:00:00Z">Aug 2, 2020</time>'
    [comment] = find_comments(_page(meta))
    assert comment.published == datetime(2020, 8, 2, 9, 0, tzinfo=UTC)


def test_a_date_only_machine_value_takes_the_time_the_text_shows() -> None:
    meta = '<time datetime="2020-07-29">July 29, 2020 at 6:45 pm</time>'
    [comment] = find_comments(_page(meta))
    assert comment.published == datetime(2020, 7, 29, 18, 45, tzinfo=UTC)
