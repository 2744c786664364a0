"""A template that prints the post's date into every comment's ``time[datetime]`` (the theme
calls the post's date function in its comment loop) gives each comment the same machine value
while the text shows each comment's own date: the shown date is the comment's."""

from __future__ import annotations

from datetime import UTC, datetime

from corpsearch.extract.comments import find_comments

CAPTURED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _page(stamps: list[tuple[str, str]]) -> str:
    # a theme's own WordPress loop: the text before a footer with the name and the stamp
    items = "".join(
        f"""<li id="comment-{n}" class="comment even depth-1"><article class="comment-body">
 <div class="comment-content"><p>Comment number {n}: the layout works well in every browser
 we tried this week.</p></div><footer class="comment-meta"><span class="fn">Reader {n}</span>
 <time datetime="{value}">{shown}</time></footer></article></li>"""
        for n, (value, shown) in enumerate(stamps, 1)
    )
    return (
        "<html><head><title>Boxes</title></head><body><article><h1>Boxes</h1><p>About boxes."
        f'</p></article><div id="comments"><ol class="comment-list">{items}</ol></div>'
        "</body></html>"
    )


def test_one_stamp_on_every_comment_gives_way_to_the_shown_dates() -> None:
    post = "2008-09-05T03:49:50+00:00"
    page = _page(
        [
            (post, "5 September 2008, 6:06"),
            (post, "8 September 2008, 23:22"),
            (post, "9 September 2008, 10:15"),
        ]
    )
    got = [c.published for c in find_comments(page, captured_at=CAPTURED)]
    assert got == [
        datetime(2008, 9, 5, 6, 6, tzinfo=UTC),
        datetime(2008, 9, 8, 23, 22, tzinfo=UTC),
        datetime(2008, 9, 9, 10, 15, tzinfo=UTC),
    ]


def test_stamps_of_their_own_and_one_stamp_shown_alike_are_kept() -> None:
    own = _page(
        [
            ("2008-09-05T06:06:00+00:00", "5 September 2008"),
            ("2008-09-08T23:22:00+00:00", "8 September 2008"),
            ("2008-09-09T10:15:00+00:00", "9 September 2008"),
        ]
    )
    assert [c.published for c in find_comments(own, captured_at=CAPTURED)] == [
        datetime(2008, 9, 5, 6, 6, tzinfo=UTC),
        datetime(2008, 9, 8, 23, 22, tzinfo=UTC),
        datetime(2008, 9, 9, 10, 15, tzinfo=UTC),
    ]
    # the same value shown the same way on each: nothing says it is not theirs
    same = _page([("2008-09-05T06:06:00+00:00", "5 September 2008")] * 3)
    assert {c.published for c in find_comments(same, captured_at=CAPTURED)} == {
        datetime(2008, 9, 5, 6, 6, tzinfo=UTC)
    }
