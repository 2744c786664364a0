"""Comments whose own element names no comment while a part of it does: only the text part
named (``p.commentText`` under a bare name and date), parts all classed alike inside the
numbered rows of a server-side repeater, and comments named as a box's parts
(``…_comment_content`` inside a ``…_comment_block`` item). Markup written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

from corpsearch.extract.comments import find_comments

_ARTICLE = (
    "<h1>Council votes on the pool</h1><p>"
    + "The council met on Tuesday and voted on the budget of the town pool at last. " * 6
    + "</p>"
)
_ROWS = (
    ("Marta Quell", "12.03.2021 10:04", "Finally some good news for the families of the north."),
    ("ole_b77", "12.03.2021 11:30", "And the opening hours on Sundays, do they change as well?"),
    ("Henrike", "13.03.2021 08:15", "We waited six years for this, thank you all who voted."),
)


def _page(thread: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{_ARTICLE}{thread}</body></html>"


def _read(page: str) -> list[tuple[str | None, datetime | None, str]]:
    return [(c.author, c.published, c.text) for c in find_comments(page)]


def _when(shown: str) -> datetime:
    return datetime.strptime(shown, "%d.%m.%Y %H:%M").replace(tzinfo=UTC)


_WANT = [(name, _when(day), words) for name, day, words in _ROWS]


def _text_named(row: str = "div", text_class: str = "commentText", dated: bool = True) -> str:
    rows = "".join(
        f'<{row} class="entry"><span>#{n}</span><div><div><p><span><strong>{name}</strong>'
        f"</span>{' - <span class=red>' + day + '</span>' if dated else ''}</p></div>"
        f'<p class="{text_class}">{words}</p></div></{row}>'
        for n, (name, day, words) in enumerate(_ROWS, 1)
    )
    return f'<div class="box"><h2>Мнения</h2><div class="wt">{rows}</div></div>'


def test_records_around_text_parts_named_alone_are_found() -> None:
    # the header a bare strong NAME and a span DATE, the text part alone named
    assert _read(_page(_text_named())) == _WANT
    # list rows and a hyphenated part name in another language
    rows = _text_named("li", "kommentar-text").replace('<div class="wt">', "<ul>")
    assert _read(_page(rows.replace("</div></div>", "</ul></div>", 1))) == _WANT


def test_text_parts_without_a_dated_header_or_alone_make_no_record() -> None:
    # no date beside the name: a named text part says too little on its own
    assert find_comments(_page(_text_named(dated=False))) == []
    # one record only, under no heading that names a thread
    one = _text_named().replace("<h2>Comments</h2>", "").split('<div class="entry">')
    assert find_comments(_page(one[0] + '<div class="entry">' + one[1] + "</div></div>")) == []


def test_a_sidebar_of_comments_on_other_pages_is_no_thread() -> None:
    # recent comments elsewhere: each "NAME on STORY" with the story's link and a date
    rows = "".join(
        f'<div class="entry"><div><p><strong>{name}</strong> on <a href="/2021/03/story-{n}'
        f'#comment-9{n}7">Story {n} of the week</a> <span>{day}</span></p>'
        f'<p class="commentText">{words}</p></div></div>'
        for n, (name, day, words) in enumerate(_ROWS, 1)
    )
    page = _page(f'<div class="box">{rows}</div>', '<link rel="canonical" href="/2021/03/pool">')
    assert find_comments(page) == []


def test_related_stories_with_dates_and_teasers_are_no_comments() -> None:
    rows = "".join(
        f'<div class="story"><h3><a href="/2021/03/story-{n}">Story {n} of the week</a></h3>'
        f'<span class="red">{day}</span><p class="teaserText">{words}</p></div>'
        for n, (_name, day, words) in enumerate(_ROWS, 1)
    )
    assert find_comments(_page(f'<div class="box"><h2>Related</h2>{rows}</div>')) == []


def _repeater(ids: bool = True, side_by_side: bool = False) -> str:
    """An ASP.NET repeater: a table per comment, its id holding the running number, every
    part classed "comment"; a sign-in notice classed so too below the list."""
    tables = []
    for n, (name, day, words) in enumerate(_ROWS):
        ident = f' id="ctl00_main_Comments1_lstComment_ctrl{n}_tbl{"Odd" if n % 2 else "Even"}"'
        part = (
            f'<div><a class="comment" href="/profile/profile.aspx?id={n + 7}">{name}</a> '
            f'<span class="comment">{day}</span></div><div class="comment">{words}</div>'
        )
        if side_by_side:
            part = (
                f'<div class="comment"><b>{name}</b> <span>{day}</span> <p>{words}</p></div>'
            ) * 2
        tables.append(
            f'<table{ident if ids else ""} class="commentBackground"><tr><td>'
            f'<img src="/avatars/{n}.jpg"></td><td>{part}</td></tr></table>'
        )
    notice = (
        '<span class="comment"><div class="comment">In order to post a comment on this page, '
        'you must <a href="/login">sign in</a> first.</div></span>'
    )
    return "".join(tables) + notice


def test_parts_classed_alike_in_a_repeaters_numbered_rows_make_one_comment_each() -> None:
    assert _read(_page(_repeater())) == _WANT
    # JSF's ids: "comments:0:row"
    jsf = _repeater().replace("ctl00_main_Comments1_lstComment_ctrl", "comments:")
    assert _read(_page(jsf)) == _WANT


def test_numbered_rows_holding_whole_comments_are_no_records() -> None:
    # two whole comments side by side in each numbered row: each is its own
    found = find_comments(_page(_repeater(side_by_side=True)))
    assert [c.author for c in found] == [name for name, _d, _w in _ROWS for _ in (1, 2)]
    # without the running numbers nothing says the parts are one comment's
    assert [c.author for c in find_comments(_page(_repeater(ids=False)))] == []


def test_related_stories_in_numbered_rows_with_counters_classed_comment_are_none() -> None:
    rows = "".join(
        f'<div id="ctl00_related_ctrl{n}_row"><h3><a href="/2021/03/story-{n}">Story {n} of '
        f'the week</a></h3><span>{day}</span><p>{words}</p><a class="comment" '
        f'href="/2021/03/story-{n}#comments">{n + 4} comments</a> <span class="comment">last '
        f"{n} hours ago</span></div>"
        for n, (_name, day, words) in enumerate(_ROWS)
    )
    assert find_comments(_page(f"<div><h2>Related stories</h2>{rows}</div>")) == []


def _box_of_contents(own: str = "") -> str:
    items = "".join(
        f'<div class="readers_comment_content"><h3>Title {n}<a href="javascript:void(0)" '
        f'name="comment_{n}"></a></h3><p>{words}</p><p class="common_date">Posted by: '
        f"{name}, {_when(day):%d %b %Y | %H:%M}</p></div>"
        for n, (name, day, words) in enumerate(_ROWS, 1)
    )
    return (
        '<div class="readers_comment_block"><div class="section_title"><p><span>Reader '
        'comments</span> <a href="#add" class="add_comment_button">Add your comment</a></p>'
        f'</div>{own}<div class="inner_block">{items}</div></div>'
    )


def test_a_comment_block_holding_comments_named_as_its_parts_gives_way_to_them() -> None:
    assert _read(_page(_box_of_contents())) == _WANT


def test_a_comment_with_dated_parts_of_its_own_stays_one() -> None:
    # the block is a comment: its own name, date and words beside the quoted ones
    own = (
        "<p><b>Jon Ekdal</b> 14.03.2021 09:00</p><p>I read all three comments below and I "
        "agree with every one of them.</p>"
    )
    found = find_comments(_page(_box_of_contents(own)))
    assert len(found) == 1
    assert found[0].text.startswith("I read all three comments below")


def test_a_block_of_comments_on_other_pages_named_as_parts_gives_no_comments() -> None:
    # a sidebar's recent comments, each "NAME on STORY" linking to a story of the site
    block = _box_of_contents().replace("Reader comments", "Latest from readers")
    for n in (1, 2, 3):
        block = block.replace(
            f"<h3>Title {n}", f'<h3><a href="/2021/03/story-{n}#comment-9{n}7">Story {n}</a>'
        )
    page = _page(block, '<link rel="canonical" href="/2021/03/pool">')
    assert find_comments(page) == []
