"""Lists of comments taken for one comment (comment_lists): a comment section, a list row or a
mined record that only holds a list of records gives way to the records; the fields of such
records (a header line inside the element named as the text, a place label beside the name,
quoted earlier posts, "NAME：" and "今天08:23" with an epoch stamp). Templates written for these
tests in the shapes of Chinese news sites' comment widgets, in Chinese and in English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from lxml import etree

from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.comment_lists import records_of_lists
from corpsearch.extract.comment_records import CLOCK
from corpsearch.extract.comments import find_comments

CAPTURED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
CHINA = timezone(timedelta(hours=8))

_ARTICLE = "<article><h1>{title}</h1><p>{body}</p></article>"


# a section named as comments holding a bare list: each row a header line (name link, relative
# time) inside the element whose class names it the content, the text a bare p, a footer with
# a reply control and counts
_ROW = """<li class="row"><a href="/u/{uid}/" class="avatar"><img src="a.png" alt=""></a>
<div class="row-content"><div class="row-user"><a href="/u/{uid}/" class="row-user-name">{name}</a>
<span class="row-time">{time}</span></div><p>{text}</p>
<div class="row-foot"><span class="row-reply">{reply}</span> <span> ⋅ {n}</span>
<span class="row-digg">88</span></div></div></li>"""

_SECTION = """<html><body>{article}<div class="news-comment"><div class="c-head"><em>1,024</em> {count}</div>
<div class="box-input"><textarea></textarea></div><ul>{rows}</ul><a class="more">{more}</a></div>
</body></html>"""

SECTION_ZH = _SECTION.format(
    article=_ARTICLE.format(title="社区志愿者的一天", body="社区的志愿者每天为老人送菜上门。"),
    count="条评论",
    more="查看更多评论",
    rows="".join(
        _ROW.format(uid=i, name=name, time=time, text=text, reply="回复", n="5条回复")
        for i, (name, time, text) in enumerate(
            [
                (
                    "山间晚风",
                    "3小时前",
                    "看完这篇报道很受触动，社区的工作人员真的辛苦，向他们致敬。",
                ),
                ("云朵2046", "1天前", "去年冬天大雪封路，我们小区也是邻居们一起把路铲开的。"),
                ("秋天lily", "1天前", "这样的好人应该多表扬！！点赞！"),
            ]
        )
    ),
)

SECTION_EN = _SECTION.format(
    article=_ARTICLE.format(title="A day with the volunteers", body="They drive the nurses home."),
    count="comments",
    more="Load more comments",
    rows="".join(
        _ROW.format(uid=i, name=name, time=time, text=text, reply="Reply", n="5 replies")
        for i, (name, time, text) in enumerate(
            [
                (
                    "Maria K.",
                    "3 hours ago",
                    "What a moving story, the volunteers deserve every bit of praise.",
                ),
                (
                    "jdoe42",
                    "1 day ago",
                    "Our town did the same during the floods and it made all the difference.",
                ),
                ("Tom", "1 day ago", "Give that man a medal, honestly."),
            ]
        )
    ),
)


def test_a_section_holding_a_bare_list_gives_way_to_its_rows() -> None:
    got = find_comments(SECTION_ZH, captured_at=CAPTURED)
    assert [(c.author, c.text[:8]) for c in got] == [
        ("山间晚风", "看完这篇报道很受"),
        ("云朵2046", "去年冬天大雪封路"),
        ("秋天lily", "这样的好人应该多"),
    ]
    assert got[0].published == CAPTURED - timedelta(hours=3)
    got = find_comments(SECTION_EN, captured_at=CAPTURED)
    assert [(c.author, c.text[:12]) for c in got] == [
        ("Maria K.", "What a movin"),
        ("jdoe42", "Our town did"),
        ("Tom", "Give that ma"),
    ]


# a list named as comments whose rows are a hot and a newest list, each under its heading;
# items of one class, the replies to each in a dialog box after it, written "NAME：text"; the
# time "今天08:23" with the instant as an epoch stamp in milliseconds
_ITEM = """<div class="unit"><div class="pic"><a href="/u/{name}"><img src="p.png"></a></div>
<div class="unit-body"><div class="who"><span class="nick"><span class="lnk"><a href="/u/{name}">{name}</a></span></span>
<span class="place">{place}</span></div><div class="words">{text}</div>
<div class="acts"><span class="when" date="{stamp}">{shown}</span><a class="report">{report}</a>
<a class="vote">赞<em>12</em></a></div></div></div>"""

_DIALOG_ITEM = """<div class="unit"><div class="unit-body"><div class="words"><span class="nick">
<span class="lnk"><a href="/u/{name}">{name}：</a></span></span>{text}</div>
<div class="acts"><span class="when" date="{stamp}">{shown}</span><a class="report">{report}</a></div></div></div>"""

# 2019-09-11 08:23 and on at +08:00, as epoch milliseconds
_T0 = 1568161380000


def _stamp(minutes: int) -> str:
    return str(_T0 + minutes * 60000)


def _shown(today: str, minutes: int) -> str:
    at = 8 * 60 + 23 + minutes
    return f"{today}{at // 60:02d}:{at % 60:02d}"


def _lists_page(
    headings: tuple[str, str],
    today: str,
    report: str,
    hot: list[tuple[str, str, str]],
    reply: tuple[str, str],
    new: list[tuple[str, str, str]],
) -> str:
    """A hot list of three items (a reply to the first in a dialog box after it) and a newest
    list of two, each under its heading."""

    def item(at: int, name: str, place: str, text: str) -> str:
        shown = _shown(today, at)
        return _ITEM.format(
            name=name, place=place, text=text, stamp=_stamp(at), shown=shown, report=report
        )

    name, text = reply
    dialog = _DIALOG_ITEM.format(
        name=name, text=text, stamp=_stamp(27), shown=_shown(today, 27), report=report
    )
    return (
        "<html><body>"
        + _ARTICLE.format(title="新款平板发布", body="新款平板电脑今天在上海发布。")
        + '<div class="pg-comment-list">'
        + f'<div class="hot-box"><div class="title"><span class="name">{headings[0]}</span></div>'
        + '<div class="box-list">'
        + item(0, *hot[0])
        + f'<div class="talk-wrap"><div class="talk">{dialog}</div></div>'
        + item(5, *hot[1])
        + item(9, *hot[2])
        + "</div></div>"
        + f'<div class="new-box"><div class="title"><span class="name">{headings[1]}</span></div>'
        + '<div class="box-list">'
        + item(14, *new[0])
        + item(18, *new[1])
        + "</div></div></div></body></html>"
    )


LISTS_ZH = _lists_page(
    ("最热评论", "最新评论"),
    "今天",
    "举报",
    [
        ("linhai2077", "江苏无锡", "预装软件太多了"),
        ("qwerty_mo", "浙江宁波", "功能堆了一大堆，平时根本用不上，还不如把电池做大一点"),
        ("小鱼9", "福建", "同样的配置为什么这里卖得更贵？"),
    ],
    ("三楼的阿杰", "说得不对吧"),
    [
        ("老城区修鞋的王师傅", "河北保定", "买不起啊！"),
        ("Kevin3310", "湖南长沙", "我打算等降价再买"),
    ],
)

LISTS_EN = _lists_page(
    ("Top comments", "Newest"),
    "Today ",
    "Report",
    [
        ("mike_88", "Leeds", "Mostly spyware, if you ask me."),
        ("Ann Lee", "Bristol", "Who needs three cameras on a phone anyway, honestly now?"),
        ("rob", "York", "Why is it dearer here than anywhere else?"),
    ],
    ("Tony5", "Nonsense."),
    [("Dr Zhang", "Hull", "Can't afford it!"), ("Ahway", "Derby", "I'll buy two.")],
)


def test_hot_and_newest_lists_are_their_items_and_replies() -> None:
    got = find_comments(LISTS_ZH, captured_at=CAPTURED, default_tz=CHINA)
    assert [(c.author, c.text) for c in got] == [
        ("linhai2077", "预装软件太多了"),
        ("三楼的阿杰", "说得不对吧"),
        ("qwerty_mo", "功能堆了一大堆，平时根本用不上，还不如把电池做大一点"),
        ("小鱼9", "同样的配置为什么这里卖得更贵？"),
        ("老城区修鞋的王师傅", "买不起啊！"),
        ("Kevin3310", "我打算等降价再买"),
    ]
    # the day from the stamp, the time of day (and so the zone) as shown
    assert [str(c.published) for c in got[:2]] == [
        "2019-09-11 08:23:00+08:00",
        "2019-09-11 08:50:00+08:00",
    ]
    got = find_comments(LISTS_EN, captured_at=CAPTURED)
    assert [c.author for c in got] == ["mike_88", "Tony5", "Ann Lee", "rob", "Dr Zhang", "Ahway"]
    assert got[1].text == "Nonsense."


def test_a_list_heading_is_never_an_author() -> None:
    for page, headings in (
        (LISTS_ZH, {"最热评论", "最新评论"}),
        (LISTS_EN, {"Top comments", "Newest"}),
    ):
        got = find_comments(page, captured_at=CAPTURED)
        assert not {c.author for c in got} & headings
        assert not any(h in c.text for c in got for h in headings)


# no comment markup: a discussion box holding a hot and a newest list, each followed by an
# empty-state tip; a place label beside the name (alone for an anonymous post); the newest
# list's first post quotes two earlier posts as nested floors above its own text
_POST = """<div class="post" data-post-id="{pid}"><div class="photo"></div><div class="post-bdy"><div class="inner">
<div class="post-who">{who}<span class="post-time">{time}</span></div>{floors}<p class="post-cnt">{text}</p>
<div class="tool-bar"><ul class="m-tool"><li><a href="javascript:void(0)" class="up">顶<span>3</span></a></li>
<li><a href="javascript:void(0)" class="reply-btn">回复</a></li></ul></div></div></div></div>"""

_FLOOR = """<div class="floor-self"><div class="post-who"><span class="nick-desp"><a class="nick" href="/u/{n}">{n}</a>
<span class="flr-site">[{place}]</span></span><span class="floor-no">{no}</span></div><p class="post-cnt">{text}</p>
<div class="tool-bar"><ul class="m-tool"><li><a href="javascript:void(0)" class="reply-btn">回复</a></li></ul></div></div>"""


def _who(name: str | None, place: str) -> str:
    link = f'<a class="nick" href="/u/{name}">{name}</a>' if name else ""
    return f'{link}<span class="nick-desp">{place}</span>'


FLOORS = (
    '<div class="floor"><div class="floor">'
    + _FLOOR.format(
        n="楼市观察员",
        place="本站四川省绵阳网友",
        no="1",
        text="只要资金还在国内，问题就不算太大。",
    )
    + "</div>"
    + _FLOOR.format(
        n="花猫咪咪", place="本站天津市网友", no="2", text="他们身边没有懂行的人吗？早转走了"
    )
    + "</div>"
)

DISCUSSION = (
    "<html><body>"
    + _ARTICLE.format(title="楼盘交付接连延期", body="这家开发商即将迎来上市十周年。")
    + '<div class="discuss-area"><div class="input-bar"><form><textarea></textarea></form>'
    + '<form action="/login"><input name="user"></form></div>'
    + '<div class="hot" id="hot-posts"><div class="lst">'
    + _POST.format(
        pid=1,
        who=_who("晚风kz3", "[本站山东省德州市手机网友]"),
        time="2019-09-07 17:51:44",
        floors="",
        text="开发商的日子不好过了",
    )
    + _POST.format(
        pid=2,
        who=_who("楼市观察员", "[本站四川省绵阳网友]"),
        time="2019-09-07 19:27:49",
        floors="",
        text="只要资金还在国内，问题就不算太大。",
    )
    + _POST.format(
        pid=3,
        who=_who(None, "本站浙江省杭州网友"),
        time="2019-09-07 20:11:41",
        floors="",
        text="财务报告里有几处数字对不上。",
    )
    + '</div><div class="empty-tip"><p class="tip-cnt"><span>暂时没有热门回复</span></p></div></div>'
    + '<div class="newest" id="new-posts"><div class="lst">'
    + _POST.format(
        pid=4,
        who=_who("风过留痕", "[本站福建省深圳市手机网友]"),
        time="2019-09-07 23:05:38",
        floors=FLOORS,
        text="没那么容易转走，监管盯得很紧的。",
    )
    + _POST.format(
        pid=5,
        who=_who("听雨的人", "[本站四川省成都市手机网友]"),
        time="2019-09-07 22:44:09",
        floors="",
        text="所谓的精装修就是个坑",
    )
    + '</div><div class="empty-tip"><p class="tip-cnt">暂时没有回复，欢迎发表看法</p></div></div>'
    + "</div></body></html>"
)


def test_lists_mined_by_shape_give_their_posts_and_a_reply_its_own_text() -> None:
    got = find_comments(DISCUSSION, captured_at=CAPTURED)
    assert [(c.author, c.text) for c in got] == [
        ("晚风kz3", "开发商的日子不好过了"),
        ("楼市观察员", "只要资金还在国内，问题就不算太大。"),
        # an anonymous post shows the place label alone: no name
        (None, "财务报告里有几处数字对不上。"),
        # the floors it quotes are quotes, not its text
        ("风过留痕", "没那么容易转走，监管盯得很紧的。"),
        ("听雨的人", "所谓的精装修就是个坑"),
    ]
    assert len(got[3].quotes) == 1
    assert "只要资金还在国内" in got[3].quotes[0] and "早转走了" in got[3].quotes[0]
    assert got[2].published is not None
    # the empty-state tips join no comment
    assert not any("暂时没有" in c.text for c in got)


def _first(html: str, xpath: str) -> etree._Element:
    root = etree.fromstring(html, etree.HTMLParser())
    found = root.xpath(xpath)
    assert found
    return found[0]


# negatives: lists that are no comments, and a comment whose replies are a list inside it

RELATED_ZH = """<html><body><div class="article-comment"><div class="related"><h4>相关新闻</h4><ul>
<li><a href="/news/2019/0907/1.html">某地产集团上半年净利润同比增长百分之十五</a><span class="src">新华网</span>
<span class="date">2019-09-07 10:00</span><p>这家集团发布半年报，净利润同比增长，销售额创新高，多个项目顺利交付。</p></li>
<li><a href="/news/2019/0906/2.html">多家房企发布中期业绩报告销售额普遍上涨</a><span class="src">人民网</span>
<span class="date">2019-09-06 09:30</span><p>多家房地产企业公布了上半年的业绩，销售额普遍上涨，负债率有所下降。</p></li>
<li><a href="/news/2019/0905/3.html">央行宣布全面降准释放长期资金约九千亿元</a><span class="src">新华网</span>
<span class="date">2019-09-05 18:00</span><p>中国人民银行决定下调金融机构存款准备金率，释放长期资金约九千亿元。</p></li>
</ul></div></div></body></html>"""

RELATED_EN = """<html><body><div class="story-comment"><div class="related"><h4>Related</h4><ul>
<li><a href="/news/1">Storm hits the coast as thousands flee their homes overnight</a><span class="src">Wire</span>
<span class="date">Sep 7, 2019 10:00</span><p>Thousands left their homes as the storm reached the coast, officials said on Saturday.</p></li>
<li><a href="/news/2">Council approves the new bridge after a decade of delays</a><span class="src">Staff</span>
<span class="date">Sep 6, 2019 09:30</span><p>The bridge will open in three years, the council said after a long meeting on Friday.</p></li>
<li><a href="/news/3">Local team wins the cup for the first time in its history</a><span class="src">Wire</span>
<span class="date">Sep 5, 2019 18:00</span><p>Fans filled the streets of the town centre until late at night to celebrate the win.</p></li>
</ul></div></div></body></html>"""


def test_a_list_of_related_stories_with_dates_is_no_list_of_comments() -> None:
    for html, xpath in (
        (RELATED_ZH, "//div[@class='article-comment']"),
        (RELATED_EN, "//div[@class='story-comment']"),
    ):
        box = _first(html, xpath)
        assert records_of_lists([box], []) == ([box], [])
        got = find_comments(html, captured_at=CAPTURED)
        assert not any(c.author in ("新华网", "人民网", "Wire", "Staff") for c in got)
        assert len(got) <= 1


THREAD = """<html><body><ol class="talk">
<li class="post-comment"><div class="who"><a href="/u/anna">Anna</a> <span>2 hours ago</span></div>
<p>I planted mine in April and they came up within ten days, the soil was warm enough.</p>
<ul class="kids">
<li><div class="who"><a href="/u/ben">Ben</a> <span>1 hour ago</span></div><p>Same here, the warm spell helped a lot with the germination.</p></li>
<li><div class="who"><a href="/u/cai">Cai</a> <span>30 minutes ago</span></div><p>Mine took three weeks, the nights were still cold up north.</p></li>
</ul></li></ol></body></html>"""


def test_a_comment_holding_its_replies_keeps_its_own_words() -> None:
    comment = _first(THREAD, "//li[@class='post-comment']")
    assert records_of_lists([comment], []) == ([comment], [])


TIMELINE = """<html><body><div class="product-comment"><h3>Release notes</h3><ul>
<li class="note"><span class="when">2019-09-07 10:00</span><p>Version 2.1 brings a new editor and faster sync for every account.</p></li>
<li class="note"><span class="when">2019-08-30 09:30</span><p>版本二点零上线，新增离线模式和夜间模式，修复了多个已知问题。</p></li>
<li class="note"><span class="when">2019-08-01 18:00</span><p>Version 1.9 fixes the crash on start that some users saw last week.</p></li>
</ul></div></body></html>"""

# a comment whose screen-reader label ("Reply from NAME 2 hours ago") and body are sibling
# blocks of different classes, both dated and worded: one comment, not a list of two
LABELLED = """<html><body><div class="reply-comment"><div class="sr-label"><span>Thread level 1:</span>
<span>Reply from Ann Marsh <time datetime="2024-05-01T10:00:00Z">2 hours ago</time></span></div><div class="box-body"><b>Ann Marsh</b>
<time datetime="2024-05-01T10:00:00Z">2 hours ago</time><p>The Sunday boat stays, the council confirmed it in the budget.</p></div>
</div></body></html>"""


def test_dated_notes_without_names_and_a_labelled_comment_are_no_lists() -> None:
    for html, xpath in (
        (TIMELINE, "//div[@class='product-comment']"),
        (LABELLED, "//div[@class='reply-comment']"),
    ):
        box = _first(html, xpath)
        assert records_of_lists([box], []) == ([box], [])


def test_a_day_word_and_a_clock_after_an_ideograph_are_dates() -> None:
    assert find_date_span("今天08:23") == (0, 7)
    assert find_date_span("昨天 10:20") == (0, 8)
    assert CLOCK.search("预装软件太多了今天08:23举报") is not None
    assert CLOCK.search("Room 12:30pm") is not None
    assert find_date_span("今天天气很好") is None
