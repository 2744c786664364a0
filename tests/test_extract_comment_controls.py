"""A comment's row of controls with their counts is no part of its text, in any language; a
comment whose words are all one link that runs a script (its reply control) is a comment, not
a teaser of another page; a name may open with digits; "今天08:23" is a date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from corpsearch.extract.comment_controls import is_control_run
from corpsearch.extract.comment_dates import find_date_span, parse_visible_date
from corpsearch.extract.comment_evidence import is_counter
from corpsearch.extract.comment_teasers import leads_away
from corpsearch.extract.comments import find_comments

_HEAD = """<html><head><title>T</title></head><body><article><h1>Ein Bericht</h1>
<p>Der Bericht selbst, lang genug, um ein Artikel zu sein, und ohne jeden Kommentar.</p>
</article>"""


@pytest.mark.parametrize(
    "line",
    [
        "查看回复 3 举报",
        "回复 踩0 赞104",
        "回覆 舉報 讚(12)",
        "支持(3) 反对(1)",
        "278 | 回复",
        "返信 いいね！ 12",
        "そう思う 12 そう思わない 3",
        "답글 신고 좋아요 5",
        "Reply · Report · 12 likes",
        "Antworten Melden",
        "👍 12 👎 3",
    ],
)
def test_a_row_of_controls_with_counts(line: str) -> None:
    assert is_control_run(line)


@pytest.mark.parametrize(
    "line",
    [
        "赞",  # all a reader may write
        "赞赞赞",
        "Like",
        "I like it",
        "回复3楼：说得对",
        "Share and like",
        "3",  # a count alone
        "replying",
        "支持！反对的人不懂",
    ],
)
def test_words_of_a_comment_are_no_row_of_controls(line: str) -> None:
    assert not is_control_run(line)


def test_a_single_control_is_a_control_only_where_a_row_may_hold_it() -> None:
    assert is_control_run("收藏", strict=False) and not is_control_run("收藏")


def _list_page(items: list[tuple[str, str, str]], footer: str) -> str:
    rows = "".join(
        f"""<li class="comment-item"><div class="who"><a class="nick"
        href="/u/{i}">{name}</a></div><div class="words">{text}</div>
        <div class="bar"><span class="ago">{ago}</span>
        <div class="ops">{footer}</div></div></li>"""
        for i, (name, text, ago) in enumerate(items)
    )
    return f"{_HEAD}<ul class='comments'>{rows}</ul></body></html>"


_CHINESE_FOOTER = """<a href="/r?id=1">查看回复 3</a> <a href="javascript:;">举报</a>
<a href="javascript:;">回复</a> <a href="javascript:;">踩<span>0</span></a>
<a href="javascript:;">赞<span>57</span></a>
<a href="javascript:;">收藏</a>"""


@pytest.mark.parametrize(
    ("footer", "ago"),
    [
        (_CHINESE_FOOTER, "13小时前"),
        (
            """<a href="javascript:;">返信</a> <a href="javascript:;">通報</a>
            <a href="javascript:;">いいね！<b>8</b></a>""",
            "3時間前",
        ),
        (
            """<a href="#">답글</a> <a href="#">신고</a>
            <a href="#">좋아요 <b>4</b></a> <a href="#">싫어요 <b>1</b></a>""",
            "2시간 전",
        ),
        (
            """<a href="#">Reply</a> · <a href="#">Report</a> · <a href="#">12 likes</a>""",
            "2 hours ago",
        ),
    ],
)
def test_the_footer_row_of_controls_is_cut_from_the_text(footer: str, ago: str) -> None:
    items = [
        ("老王", "说得好，我们走着瞧！", ago),
        ("小林", "这个问题其实很早就有人提出来了。", ago),
        ("Kate88", "写得真好\n赞", ago),  # a last line "赞" of the reader's own stays
    ]
    found = find_comments(_list_page(items, footer), captured_at=datetime(2024, 5, 1, tzinfo=UTC))
    assert [c.author for c in found] == ["老王", "小林", "Kate88"]
    texts = [" ".join(c.text.split()) for c in found]
    assert texts == ["说得好，我们走着瞧！", "这个问题其实很早就有人提出来了。", "写得真好 赞"]
    assert all(c.published is not None for c in found)


def test_a_comment_that_is_one_word_of_praise_stays() -> None:
    items = [("老王", "赞", "1小时前"), ("小林", "顶", "2小时前"), ("阿明", "支持", "3小时前")]
    found = find_comments(_list_page(items, _CHINESE_FOOTER))
    assert [c.text for c in found] == ["赞", "顶", "支持"]


def _records_page(posts: list[tuple[str, str]], href: str = "javascript:replyTo({i},{i});") -> str:
    """Posts whose markup names no comment: the name and an age in an h3, the words the whole
    text of a link (the reply control's), a like counter, a hidden reply box after each."""
    rows = "".join(
        f"""<div class="q" id="q{i}"><div class="pic"><a href="home.jsp?uid={i}"><img
        src="a.png"></a></div><div class="right"><h3><a href="home.jsp?uid={i}">{name}</a>
        <span>{i + 2}天前</span></h3><div class="said"><a
        href="{href.format(i=i)}">{text}</a></div><div class="likes"><a
        href="javascript:like({i});">{10 * i + 3}</a> <span>|</span> <a
        href="javascript:replyTo({i},{i});">回复</a></div><div class="box" style="display:none"><textarea
        id="t{i}"></textarea><button>发表</button></div></div></div>"""
        for i, (name, text) in enumerate(posts)
    )
    return f"{_HEAD}<div class='main'><div class='head'>热评论</div>{rows}</div></body></html>"


def test_words_that_are_all_the_reply_link_are_a_comment() -> None:
    posts = [
        ("913虎", "共享单车现在价格高得离谱，比公交车贵多了！！！"),
        ("笑笑", "先低价让你依赖它，再涨价的时候你发现已经离不开了，其实也很正常。"),
        ("中国梦", "以前网上音乐免费听，后来必须支付版权费，现在哪一项不收费呢……"),
    ]
    found = find_comments(_records_page(posts))
    assert [c.author for c in found] == ["913虎", "笑笑", "中国梦"]
    assert [c.text for c in found] == [text for _name, text in posts]


def test_boxes_whose_one_link_goes_to_another_article_are_no_comments() -> None:
    # the same boxes, each blurb a link to an article of its own: teasers of other pages
    posts = [
        ("财经", "共享单车现在价格高得离谱，比公交车贵多了，记者走访了多家商场和车站"),
        ("科技", "先低价让你依赖它，再涨价的时候你发现已经离不开了，业内人士这样分析"),
        ("社会", "以前网上音乐免费听，后来必须支付版权费，现在哪一项不收费呢，专家解读"),
    ]
    assert find_comments(_records_page(posts, href="/news/{i}.html")) == []


def test_links_that_lead_to_no_other_page() -> None:
    for href in ("javascript:replyFloor(1,2,'hot');", "JavaScript:void(0)", "#", "#c12", "", None):
        assert not leads_away(href)
    assert not leads_away("mailto:a@example.org")
    for href in ("/news/12.html", "home.jsp?uid=3", "https://example.org/a"):
        assert leads_away(href)


def test_a_name_may_open_with_digits_a_count_has_a_unit() -> None:
    assert not is_counter("913虎") and not is_counter("163网友")
    assert is_counter("12赞") and is_counter("5楼") and is_counter("3条回复")
    assert is_counter("1.2万粉丝") and is_counter("20명") and is_counter("349 Fans")


_CAPTURED = datetime(2019, 9, 8, 12, 0, tzinfo=UTC)  # 20:00 in China
_CHINA = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("shown", "day", "clock"),
    [
        ("今天08:23", date(2019, 9, 8), (8, 23)),
        ("今天 01:27", date(2019, 9, 8), (1, 27)),
        ("昨天 10:20", date(2019, 9, 7), (10, 20)),
        ("前天 09:00", date(2019, 9, 6), (9, 0)),
        ("昨日 14:05", date(2019, 9, 7), (14, 5)),
        ("어제 09:12", date(2019, 9, 7), (9, 12)),
    ],
)
def test_east_asian_day_words_with_a_time(shown: str, day: date, clock: tuple[int, int]) -> None:
    found = parse_visible_date(shown, _CHINA, _CAPTURED, None)
    assert found is not None and found.value is not None
    assert found.value.date() == day and (found.value.hour, found.value.minute) == clock


@pytest.mark.parametrize(
    ("shown", "back"),
    [
        ("13小时前", timedelta(hours=13)),
        ("6天前", timedelta(days=6)),
        ("12小时前", timedelta(hours=12)),
    ],
)
def test_east_asian_ages_from_the_capture(shown: str, back: timedelta) -> None:
    found = parse_visible_date(shown, _CHINA, _CAPTURED, None)
    assert found is not None and found.value == _CAPTURED - back


def test_a_day_word_in_a_sentence_is_no_date() -> None:
    assert find_date_span("今天天气不错") is None
    assert find_date_span("今日头条") is None
    assert parse_visible_date("今天08:23", _CHINA, None, None) is None or (
        parse_visible_date("今天08:23", _CHINA, None, None).value is None  # type: ignore[union-attr]
    )
