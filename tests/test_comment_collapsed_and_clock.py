"""A comment's time shown as an ISO day on a 12-hour clock ("2021-03-04 07:35 PM"), which is
no zone twelve hours west of the machine value; a comment the page keeps collapsed (below a
rating threshold, its content ``display:none``) read from its hidden content, dated by the
full time there rather than the header's short day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from corpsearch.extract.comment_dates import parse_visible_date
from corpsearch.extract.comments import find_comments


def _page(items: str) -> str:
    return (
        "<html><body><article><h1>A post</h1><p>The post.</p></article>"
        f'<section id="comments"><h3>3 comments</h3><ol class="thread">{items}</ol></section>'
        "</body></html>"
    )


def _stamped(stamp: str, shown: str, name: str = "Anna", n: int = 1) -> str:
    return (
        f'<li class="entry" id="comment-{n}"><div class="entry-body"><header>'
        f'<cite class="vcard"><span class="fn">{name}</span></cite> <span>•</span> '
        f'<time datetime="{stamp}">{shown}</time></header>'
        f"<dl><dd>What {name} wrote about the post, in a few words.</dd></dl></div></li>"
    )


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [
        ("2021-03-04 07:35 PM", 19, 35),
        ("2021-03-04 7:35pm", 19, 35),
        ("2021-03-04 at 7:35 p.m.", 19, 35),
        ("2021-03-04 12:10 AM", 0, 10),
        ("2021-03-04 12:10 PM", 12, 10),
        ("2021-03-04 09:15 AM", 9, 15),
        ("2021-03-04 19:35", 19, 35),  # negative: a 24-hour clock stays as it is
    ],
)
def test_an_iso_day_shown_on_a_12_hour_clock(text: str, hour: int, minute: int) -> None:
    found = parse_visible_date(text, UTC)
    assert found is not None and not found.date_only
    assert found.value == datetime(2021, 3, 4, hour, minute, tzinfo=UTC)


def test_an_iso_day_shown_with_a_zone_after_its_time() -> None:
    found = parse_visible_date("2021-03-04 19:35 UTC", timezone(timedelta(hours=2)))
    assert found is not None and found.reason is None
    assert found.value == datetime(2021, 3, 4, 19, 35, tzinfo=UTC)


def test_an_iso_day_without_a_time_stays_a_day() -> None:
    # negative: no time of day right after it ("| 3 replies" is a count, not a clock)
    found = parse_visible_date("2021-03-04 | 3 replies", UTC)
    assert found is not None and found.date_only


def test_a_machine_value_shown_on_a_12_hour_clock_keeps_its_instant() -> None:
    items = _stamped("2021-03-04T19:35+00:00", "2021-03-04 07:35 PM") + _stamped(
        "2021-03-05T04:03+00:00", "2021-03-05 04:03 AM", "Ben", 2
    )
    found = find_comments(_page(items))
    # on the clock shown, not 07:35 at UTC-12 (the same instant, on no one's clock)
    assert [c.published.isoformat() for c in found if c.published] == [
        "2021-03-04T19:35:00+00:00",
        "2021-03-05T04:03:00+00:00",
    ]


def test_no_zone_twelve_hours_west_is_read_from_a_misread_clock() -> None:
    # the shown time lacks its "PM" (in another element, unread): 07:35 beside 19:35 UTC is a
    # 12-hour clock, not UTC-12, where no one lives
    [comment] = find_comments(_page(_stamped("2021-03-04T19:35+00:00", "2021-03-04 07:35")))
    assert comment.published is not None
    assert comment.published.isoformat() == "2021-03-04T19:35:00+00:00"


def test_a_machine_value_shown_in_the_pages_own_zone_still_takes_that_zone() -> None:
    # negative: 21:35 shown beside 19:35 UTC is the page's clock two hours east
    [comment] = find_comments(_page(_stamped("2021-03-04T19:35+00:00", "2021-03-04 21:35")))
    assert comment.published is not None
    assert comment.published.isoformat() == "2021-03-04T21:35:00+02:00"


_WORDS = [
    "The phone is fine, but the price is not what I hoped for at all.",
    "Price is relative, for me the screen matters more than anything.",
    "Collapsed or not, I stand by what I said there.",
]


def _tree_item(n: int, name: str, text: str, hidden: bool, replies: str = "") -> str:
    style = ' style="display:none"' if hidden else ""
    short_style = "" if hidden else ' style="display:none"'  # shown only while collapsed
    return (
        f'<div class="comment-item"><div class="comment-head"><a class="comment-title" href="#c{n}">'
        f'RE: the phone</a><div{short_style}><span class="stamp">by <a class="poster" '
        f'href="/u/{n}">{name}</a> on 5/15/21</span></div></div><div class="comment-content"{style}><div class="comment-byline">'
        f'<span class="stamp">by <a class="poster" href="/u/{n}">{name}</a> on '
        f"5/15/2021 2:0{n}:11 PM</span></div>"
        f'<div class="comment-text">{text}</div></div>'
        f'<div class="comment-children">{replies}</div></div>'
    )


def _tree(collapsed: bool) -> str:
    third = _tree_item(3, "Cleo", _WORDS[2], False)
    second = _tree_item(2, "Ben", _WORDS[1], collapsed, third)
    first = _tree_item(1, "Anna", _WORDS[0], False, second)
    return (
        "<html><body><article><h1>A post</h1><p>The post.</p></article>"
        f'<div id="comment-tree">{first}</div></body></html>'
    )


def test_a_collapsed_comment_is_read_from_its_hidden_content() -> None:
    found = find_comments(_tree(collapsed=True), default_tz=UTC)
    assert [c.author for c in found] == ["Anna", "Ben", "Cleo"]
    assert [c.text for c in found] == _WORDS
    # the full time of the content's byline, not the header's short "5/15/21"
    assert found[1].published == datetime(2021, 5, 15, 14, 2, 11, tzinfo=UTC)
    assert [c.parent for c in found] == [None, 0, 1]


def test_the_same_tree_shown_reads_the_same() -> None:
    found = find_comments(_tree(collapsed=False), default_tz=UTC)
    assert [c.text for c in found] == _WORDS
    assert found[1].published == datetime(2021, 5, 15, 14, 2, 11, tzinfo=UTC)


def test_a_hidden_reply_form_is_no_collapsed_comment() -> None:
    # negative: a comment that shows only its header, and a hidden box of form controls
    # (a reply form, its textarea classed as text): nothing to read, no comment made of it
    items = "".join(
        f'<li class="comment" id="comment-{n}"><div class="comment-meta"><span class="author">'
        f'{name}</span> <span class="date">March {n}, 2021</span></div>'
        f'<div class="reply-box" style="display:none"><form><textarea class="comment-text">'
        f"Write your reply here, {name}</textarea><button>Send</button></form></div></li>"
        for n, name in enumerate(["Anna", "Ben", "Cleo"], start=1)
    )
    assert find_comments(_page(items)) == []


def test_a_hidden_alternative_of_a_shown_text_stays_hidden() -> None:
    # negative: a comment whose text is shown keeps its hidden box (a full version behind a
    # "more" link) out, as before
    items = "".join(
        f'<li class="comment" id="comment-{n}"><div class="comment-meta"><span class="author">'
        f'{name}</span> <span class="date">March {n}, 2021</span></div>'
        f'<div class="comment-text">{text}</div><div style="display:none">'
        f'<div class="comment-text">{text} And the rest, unseen.</div></div></li>'
        for n, (name, text) in enumerate(zip(["Anna", "Ben", "Cleo"], _WORDS, strict=True), 1)
    )
    assert [c.text for c in find_comments(_page(items))] == _WORDS
