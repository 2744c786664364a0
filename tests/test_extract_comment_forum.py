"""Readers' forum posts shown on a story's page under a heading or tab in readers' words, each
post a block whose class names no comment: a date line and the author, the post's title as a
heading, the text, vote counts and report buttons in forms of their own
(``corpsearch.extract.comment_forum``). All markup here is written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import html as lxml_html

from corpsearch.extract.comment_forum import forum_posts
from corpsearch.extract.comments import find_comments

_STORY = (
    "<h1>Ferry timetable cut for the winter</h1>"
    "<div class=byline>By Ann Example, 4th March 2014</div>"
    "<div id=body><p>The island ferry will sail twice a day from November, the operator said "
    "on Tuesday, after a summer of half-empty crossings.</p><p>Islanders asked for a late "
    "sailing on Fridays; the operator said it would think about it.</p></div>"
    # a counter box named like comments, its only word a number
    "<div class=comment_block><a class=count href=/forum/ferry/>17</a></div>"
)


def _post(when: str, name: str, title: str, text: str, up: int, down: int) -> str:
    return (
        "<div class=entry>"
        f"<div class=stamp><a class=permalink href=/forum/post/{up}{down}>Posted {when}</a></div>"
        f"<div class=poster><a href=/user/{len(name)}/>{name}</a></div>"
        "<form method=GET action=/post/report class=report>"
        "<input class=act type=submit value='Report abuse'></form>"
        f"<div class=text><h3>{title}</h3><p>{text}</p></div>"
        "<div class=tools>"
        f"<form method=POST action=/vote/up class=vote><input type=submit value=''> {up}</form>"
        f"<form method=POST action=/vote/down class=vote><input type=submit value=''> {down}</form>"
        "</div></div>"
    )


_POSTS = (
    _post(
        "Tuesday 4th March 2014 10:12 GMT",
        "Harbour Watcher",
        "Twice a day?",
        "Twice a day is not enough for people who work on the mainland.",
        7,
        1,
    )
    + _post(
        "Tuesday 4th March 2014 09:40 GMT",
        "Old Salt",
        "Re: Twice a day?",
        "They tried this in 2009 and it was reversed within a month.",
        4,
        0,
    )
    + _post(
        "Tuesday 4th March 2014 09:05 GMT",
        "Gull",
        "Re: Fridays",
        "A late sailing on Fridays would fill the pub on the quay again.",
        3,
        2,
    )
)


def _page(after: str) -> str:
    return (
        "<html><head><title>Ferry timetable cut</title></head><body>"
        f"<div id=story>{_STORY}</div>{after}"
        "<div id=footer><p>(c) 2014 The Island Post</p></div></body></html>"
    )


def _found(page: str) -> list[tuple[str | None, datetime | None, str]]:
    return [(c.author, c.published, c.text) for c in find_comments(page)]


_EXPECTED = [
    (
        "Harbour Watcher",
        datetime(2014, 3, 4, 10, 12, tzinfo=UTC),
        "Twice a day is not enough for people who work on the mainland.",
    ),
    (
        "Old Salt",
        datetime(2014, 3, 4, 9, 40, tzinfo=UTC),
        "They tried this in 2009 and it was reversed within a month.",
    ),
    (
        "Gull",
        datetime(2014, 3, 4, 9, 5, tzinfo=UTC),
        "A late sailing on Fridays would fill the pub on the quay again.",
    ),
]


def test_highly_rated_posts_under_a_tab_are_comments_without_their_titles() -> None:
    after = (
        "<div id=readers><div class=head><h2>Have your say</h2>"
        "<div class=post><a href=/forum/ferry/#form>Post your comment</a></div></div>"
        "<div class=tabs><div class=right><a href=/forum/ferry/>All 17 posts</a></div>"
        "<div class=left>Highly Rated</div></div>"
        f"<div id=best>{_POSTS}</div></div>"
    )
    assert _found(_page(after)) == _EXPECTED


def test_top_comments_heading_over_posts_with_the_name_first() -> None:
    # the author before the date line, the posts as list rows
    rows = "".join(
        "<li class=row>"
        f"<span class=who>{name}</span> <span class=when>{when}</span>"
        f"<h4>{title}</h4><p>{text}</p>"
        f"<form action=/vote class=v><button>+</button> {up}</form></li>"
        for name, when, title, text, up in (
            (
                "Marta K",
                "4 March 2014 at 11:02",
                "Finally",
                "Finally someone asks about the late sailing, it has been a problem for years.",
                5,
            ),
            (
                "pier_rat",
                "4 March 2014 at 11:30",
                "Re: Finally",
                "The late sailing was always empty in winter, so this makes some sense.",
                2,
            ),
        )
    )
    found = _found(_page(f"<h3>Top comments</h3><ul class=best>{rows}</ul>"))
    assert [(a, t[:20]) for a, _d, t in found] == [
        ("Marta K", "Finally someone asks"),
        ("pier_rat", "The late sailing was"),
    ]


def test_stories_with_a_title_a_date_and_a_teaser_are_no_posts() -> None:
    # under a heading in readers' words, but no one's name beside the dates
    stories = "".join(
        f"<div class=story><div class=stamp>{when}</div><h3>{title}</h3><p>{teaser}</p></div>"
        for n, when, title, teaser in (
            (
                1,
                "3rd March 2014",
                "Bridge repairs start on Monday",
                "The old bridge closes for two weeks while the council repairs its deck.",
            ),
            (
                2,
                "2nd March 2014",
                "Island gets a new harbour master",
                "A new harbour master starts next month after thirty years of the old one.",
            ),
            (
                3,
                "1st March 2014",
                "Storm damage counted at last",
                "The storm last week cost the island more than a year of repairs.",
            ),
        )
    )
    after = f"<div class=more><div class=label>Most recommended</div><div>{stories}</div></div>"
    assert _found(_page(after)) == []


def test_a_most_read_box_is_no_thread() -> None:
    # dated, signed and titled like posts: the label alone tells the posts from the stories
    items = "".join(
        "<li class=item>"
        f"<span class=when>{when}</span> <span class=who>{name}</span>"
        f"<h4>{title}</h4><p>{teaser}</p></li>"
        for when, name, title, teaser in (
            (
                "3rd March 2014",
                "Ann Example",
                "Bridge repairs start on Monday",
                "The old bridge closes for two weeks while the council repairs its deck.",
            ),
            (
                "2nd March 2014",
                "Bo Writer",
                "Island gets a new harbour master",
                "A new harbour master starts next month after thirty years of the old one.",
            ),
        )
    )
    box = f"<div class=box><h3>Most read</h3><ul class=top>{items}</ul></div>"
    assert forum_posts(lxml_html.fromstring(_page(box))) == []
    box = f"<div class=box><h3>Readers' posts</h3><ul class=top>{items}</ul></div>"
    assert len(forum_posts(lxml_html.fromstring(_page(box)))) == 2
    # the stories' titles as links to them: teasers, whatever the label says
    linked = items.replace("<h4>", "<h4><a href=/news/story/>").replace("</h4>", "</a></h4>")
    box = f"<div class=box><h3>Highly rated</h3><ul class=top>{linked}</ul></div>"
    assert forum_posts(lxml_html.fromstring(_page(box))) == []
    # the box as a sidebar shows it, a linked title and a date per story
    stories = "".join(
        f"<li><h4><a href=/news/{n}/>{title}</a></h4><span class=when>{n} March 2014</span></li>"
        for n, title in ((3, "Bridge repairs start on Monday"), (2, "A new harbour master"))
    )
    assert _found(_page(f"<div class=box><h3>Most read</h3><ol>{stories}</ol></div>")) == []


def test_forum_posts_ask_for_a_name_apart_from_the_date() -> None:
    dated_only = _POSTS.replace("Harbour Watcher", "").replace("Old Salt", "")
    body = lxml_html.fromstring(_page(f"<h2>Reader comments</h2><div>{dated_only}</div>"))
    # one post of three still shows a name: not a thread of posts
    assert forum_posts(body) == []
    body = lxml_html.fromstring(_page(f"<h2>Reader comments</h2><div>{_POSTS}</div>"))
    assert len(forum_posts(body)) == 3


def test_a_form_to_write_in_is_no_post_control() -> None:
    written = _POSTS.replace("<input class=act type=submit", "<input name=why><input type=submit")
    body = lxml_html.fromstring(_page(f"<h2>Comments</h2><div>{written}</div>"))
    assert forum_posts(body) == []
