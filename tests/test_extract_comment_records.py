"""Comment records found by shape alone (comment_records): templates whose class names and ids
say nothing we know, and whose classes vary from record to record."""

from __future__ import annotations

import hashlib
import sys
from datetime import UTC, datetime

import pytest
from lxml import etree

from corpsearch.extract.charset import decode_page
from corpsearch.extract.comment_layout import author_column
from corpsearch.extract.comment_records import (
    comment_like,
    repeated_records,
    tag_paths,
)
from corpsearch.extract.comments import find_comments

from .conftest import ROOT, SHARED_DATA
from .test_extract_zoo import EMPTY, EXPECTED, ZOO

CAPTURED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _scrambled(html: str) -> str:
    """Every class name and id replaced by a meaningless one (the same for the same name),
    as benchmarks/score_comment_variants.py does."""
    root = etree.fromstring(html.encode("utf-8"), etree.HTMLParser(encoding="utf-8"))
    for el in root.iter(etree.Element):
        for attr in ("class", "id"):
            value = el.get(attr)
            if value:
                el.set(
                    attr,
                    " ".join("x" + hashlib.sha1(t.encode()).hexdigest()[:7] for t in value.split()),
                )
    return etree.tostring(root, encoding="unicode", method="html")


# classes vary per record (even/odd, a post-author mark) and name nothing; replies nested
PAGE = """<html><body><article><h1>Allotment diary</h1><p>Our beans are up.</p></article>
<h2>3 Responses</h2>
<ol class="q1">
 <li class="q2 q3"><div class="q9"><b>Jonas</b> <time datetime="2021-05-04T09:12:00Z">May 4</time></div>
  <p>Mine came up a week later than yours, probably the cold nights at the start.</p>
  <ol class="q7"><li class="q2 q4 q8"><div class="q9"><b>Mara</b>
   <time datetime="2021-05-04T18:30:00Z">May 4</time></div>
   <p>Cold nights slow them down a lot, a fleece over them helps.</p></li></ol></li>
 <li class="q2 q5"><div class="q9"><b>Petra</b> <time datetime="2021-05-06T07:05:00Z">May 6</time></div>
  <p>Thanks for the tip about soaking the seeds overnight before sowing.</p></li>
</ol>
<h3>Leave a Reply</h3><form><textarea></textarea></form></body></html>"""


def test_records_whose_classes_differ_are_found_by_shape() -> None:
    got = find_comments(PAGE)
    assert [(c.author, c.parent) for c in got] == [("Jonas", None), ("Mara", 0), ("Petra", None)]
    assert got[0].text.startswith("Mine came up a week later")
    assert "fleece" not in got[0].text  # the reply is cut out of the comment it answers
    assert got[1].published == datetime(2021, 5, 4, 18, 30, tzinfo=UTC)


def test_a_list_of_teasers_is_no_thread() -> None:
    teasers = """<html><body><h2>Comments</h2><ul>
    <li><a href="/a"><h3>First story of the day</h3></a><span>May 4, 2021</span></li>
    <li><a href="/b"><h3>Second story</h3></a><span>May 5, 2021</span></li></ul></body></html>"""
    assert find_comments(teasers) == []


def test_a_wrapper_of_the_body_is_no_reply() -> None:
    root = etree.fromstring(PAGE, etree.HTMLParser())
    box = root.find(".//ol")
    records = repeated_records(box)
    assert [r.tag for r in records] == ["li", "li", "li"]  # two comments and the nested reply
    assert comment_like(records[0])
    assert "p" in tag_paths(records[0])


def test_zoo_pages_with_classes_and_ids_scrambled() -> None:
    """Templates the rules know nothing of: the WordPress, Movable Type, Zotonic and Isso
    pages of the zoo with every class and id made meaningless still give their comments, the
    right authors and the replies' parents; the empty pages still give none."""
    for name in (
        "wordpress-html5.html",
        "wordpress-xhtml.html",
        "movabletype.html",
        "zotonic.html",
    ):
        html = _scrambled(decode_page((ZOO / name).read_bytes(), None).text)
        got = find_comments(html, captured_at=CAPTURED)
        want = EXPECTED[name]
        assert [c.author for c in got] == [w[0] for w in want], name
        assert [c.parent for c in got] == [w[3] for w in want], name
        for comment, expected in zip(got, want, strict=True):
            assert comment.text.startswith(expected[2]), name
    for name in EMPTY:
        html = _scrambled(decode_page((ZOO / name).read_bytes(), None).text)
        assert find_comments(html, captured_at=CAPTURED) == [], name


def test_a_reply_of_the_records_class_in_another_tag_is_a_reply() -> None:
    # django-comments-xtd scrambled: the reply is a ``div`` of the ``li`` records' one class
    # (Bootstrap's ``div.media`` inside ``li.media``), in an unnamed box after the comment
    html = _scrambled(decode_page((ZOO / "django-comments-xtd.html").read_bytes(), None).text)
    got = find_comments(html, captured_at=CAPTURED)
    want = EXPECTED["django-comments-xtd.html"]
    assert [(c.author, c.parent) for c in got] == [(w[0], w[3]) for w in want]


# no heading, no known class or id: the records show a reply control and a "says" verb
NO_HEADING = """<html><body><article><h1>Rail strike</h1><p>Trains stop on Monday.</p></article>
<div class="k1"><div class="k2">
 <div class="k3 k4"><span><b>Walter</b> says:</span> <span>16 February 2021 at 14:20</span>
  <p>Does line 4 still stop at the hospital after nine in the evening?</p><a href="#r">Reply</a></div>
 <div class="k3 k5"><span><b>Ines</b> says:</span> <span>20 February 2021 at 08:05</span>
  <p>Finally a direct connection to the station, thank you for that.</p><a href="#r">Reply</a></div>
</div></div></body></html>"""


def test_records_marked_by_reply_controls_without_a_heading() -> None:
    got = find_comments(NO_HEADING)
    assert [c.author for c in got] == ["Walter", "Ines"]
    assert got[1].text.startswith("Finally a direct connection")
    assert got[1].published == datetime(2021, 2, 20, 8, 5, tzinfo=UTC)


def test_teasers_with_dates_but_no_reply_control_are_no_thread() -> None:
    page = NO_HEADING.replace("Reply", "Read more").replace(" says:", "")
    # the page still mentions comments, so it is looked at
    page = page.replace("</article>", '<a href="#c">0 comments</a></article>')
    assert find_comments(page) == []
    assert len(find_comments(NO_HEADING.replace("</article>", "<p>0 comments</p></article>"))) == 2


# the name is a bare div between the date and the text, under a heading; nothing marks it
LAYOUT = """<html><body><h1>Fake illness</h1><p>A story.</p><h3>12 Comments</h3><ol>
 <li><div><div><a href="#">Profile</a></div><div><div>12.29.14 at 9:14 pm</div>
  <div>SatanHimself</div><div><p>Nope, no need to read this article to know what happened.</p></div></div></div></li>
 <li><div><div><a href="#">Profile</a></div><div><div>12.29.14 at 9:15 pm</div>
  <div>stevehandjobs</div><div><p>Jesus. People are morons, all of them, every single one.</p></div></div></div></li>
 <li><div><div><a href="#">Profile</a></div><div><div>12.29.14 at 9:52 pm</div>
  <div>Lolba</div><div><p>Pretty soon all this creative stuff on the internet is gone.</p></div></div></div></li>
</ol></body></html>"""


def test_author_read_from_the_records_common_layout() -> None:
    got = find_comments(LAYOUT)
    assert [c.author for c in got] == ["SatanHimself", "stevehandjobs", "Lolba"]
    assert got[0].text.startswith("Nope, no need to read")
    assert author_column([]) == {}


def test_missing_author_of_comments_found_by_id_read_from_layout() -> None:
    """Items found by their ``comment-N`` ids whose markup names no author: the name is the
    position of their common layout that differs from comment to comment."""
    page = LAYOUT.replace("<li>", "<li id='comment-{}'>")
    for number in (1, 2, 3):
        page = page.replace("comment-{}", f"comment-{number}", 1)
    got = find_comments(page)
    assert [c.platform_id for c in got] == ["comment-1", "comment-2", "comment-3"]
    assert [c.author for c in got] == ["SatanHimself", "stevehandjobs", "Lolba"]
    assert got[2].text.startswith("Pretty soon all this")


def test_header_and_body_as_sibling_elements_pair_into_records() -> None:
    """``dt`` "DATE - NAME" + ``dd`` text with no class or id (Django's comment list): each
    pair is one comment, with classes and ids scrambled too; the "Post a comment" heading over
    the form does not send the search on into the sidebar."""
    for scramble in (False, True):
        html = decode_page((ZOO / "django-comments.html").read_bytes(), None).text
        got = find_comments(_scrambled(html) if scramble else html, captured_at=CAPTURED)
        assert [c.author for c in got] == ["Gwen Harris", "Mark O.", "Deb Farrow"]
        assert got[1].text.startswith("The Mill Lane crossing")
        assert got[2].published is not None and got[2].published.hour == 18


INDENTED = """<html><body><h1>Tempo 30</h1><p>Der Stadtrat hat entschieden.</p><h2>Kommentare</h2>
<div class="k1">
 <div class="k2"><p>Endlich, vor der Schule war es morgens kaum auszuhalten, wirklich.</p>
  <div class="k3"><b>Lena</b> am 12.03.2024 09:41 (<a href="#f">Antwort</a>)</div></div>
 <div class="k2" style="padding-left: 20px"><p>Der Zebrastreifen kommt im Herbst, hieß es gestern.</p>
  <div class="k3"><b>Martin</b> am 12.03.2024 11:02 (<a href="#f">Antwort</a>)</div></div>
 <div class="k2" style="padding-left: 40px"><p>Dann bin ich gespannt, ob das auch wirklich so kommt.</p>
  <div class="k3"><b>Lena</b> am 12.03.2024 12:30 (<a href="#f">Antwort</a>)</div></div>
 <div class="k2"><p>Und wer kontrolliert das alles? Auf der Bahnhofstraße fährt jeder 60.</p>
  <div class="k3"><b>Horst</b> am 13.03.2024 18:27 (<a href="#f">Antwort</a>)</div></div>
</div></body></html>"""


def test_replies_shown_flat_nest_by_their_indent() -> None:
    got = find_comments(INDENTED)
    assert [c.parent for c in got] == [None, 0, 1, None]
    assert [c.depth for c in got] == [0, 1, 2, 0]


# the thread's title is a plain div; the records name nothing, show no reply control
LABELLED = """<html><body><article><h1>Page weight</h1><p>Pages grew again.</p></article>
<div class="k0"><div class="k1"><span class="k2">Comments</span></div>
<div class="k3">
 <div class="k4"><a class="k5" href="/u/isights">isights:</a> <a class="k6" href="/t/1/2">December 29, 2014</a>
  <div class="k7"><p>Seems obvious to me, images are what grew the most this year.</p></div></div>
 <div class="k4"><a class="k5" href="/u/ralph">ralph.m:</a> <a class="k6" href="/t/1/3">December 30, 2014</a>
  <div class="k7"><p>Fonts are a big part of it too, and nobody subsets them.</p></div></div>
</div></div></body></html>"""


def test_records_under_a_plain_block_styled_as_the_heading() -> None:
    got = find_comments(LABELLED)
    assert [c.text[:20] for c in got] == ["Seems obvious to me,", "Fonts are a big part"]
    # without the label nothing announces a thread there
    assert find_comments(LABELLED.replace('<span class="k2">Comments</span>', "")) == []


# items by their ids that hold only the header; the text follows in a dd no class names
HEADER_ITEMS = """<html><body><h1>Top 100 singers</h1><p>The list is out.</p><dl class="z1">
 <dt class="z2 z3" id="comment-17"><span class="z4">Armanox</span>
  <span class="z5"><a href="#comment-17">June 28, 2015 at 10:25 pm</a></span></dt>
 <dd class="z2 z3"><div class="z6"><p>Really, no Shagrath? And how is Fred even on it at all?</p></div></dd>
 <dt class="z2 z7" id="comment-18"><span class="z4">Flounder</span>
  <span class="z5"><a href="#comment-18">July 6, 2015 at 6:57 pm</a></span></dt>
 <dd class="z2 z7"><div class="z6"><p>Halford at number one, as it should be for this list.</p></div></dd>
</dl></body></html>"""


def test_a_header_item_takes_the_text_that_follows_it() -> None:
    got = find_comments(HEADER_ITEMS)
    assert [c.author for c in got] == ["Armanox", "Flounder"]
    assert got[0].text.startswith("Really, no Shagrath?")
    assert got[1].published == datetime(2015, 7, 6, 18, 57, tzinfo=UTC)


def test_a_reply_form_inside_every_comment_does_not_hide_the_records() -> None:
    html = decode_page((ZOO / "svelte-replyforms.html").read_bytes(), None).text
    got = find_comments(_scrambled(html), captured_at=CAPTURED)
    assert [c.author for c in got] == ["hanae", "editors", "tomas_b"]
    assert all("Post" not in c.text for c in got)


def test_a_sidebar_of_comments_elsewhere_does_not_stop_the_search() -> None:
    """Serendipity with classes and ids scrambled: the first heading in readers' words is
    the sidebar's "Kommentare" over comments on other entries, which are passed over; the
    thread is found by its reply controls, its reply nested by its indent."""
    html = decode_page((ZOO / "serendipity.html").read_bytes(), None).text
    got = find_comments(_scrambled(html), captured_at=CAPTURED)
    assert [c.text[:16] for c in got] == [
        "Endlich! Vor der",
        "Der Zebrastreife",
        "Und wer kontroll",
    ]
    assert [c.parent for c in got] == [None, 0, None]


# no heading over them, no reply control, no name we know: only the records' shape
BARE = """<html><body><article><h1>Steve Jobs resigns</h1><p>Apple's chief steps down.</p>
<p>12 comments</p></article><ul class="m1">
 <li><div class="m2"><cite><a href="/u/1"><strong>Isaac</strong></a>
  <span><abbr title="2011-08-25T02:30:00+0000">16 minutes ago</abbr></span></cite>
  <p>He was a brilliant icon for Apple, I am going to miss him a lot.</p></div></li>
 <li><div class="m2"><cite><a href="/u/2"><strong>Dana</strong></a>
  <span><abbr title="2011-08-25T02:41:00+0000">5 minutes ago</abbr></span></cite>
  <p>Best wishes to him and his family, the products speak for themselves.</p></div></li>
</ul></body></html>"""


def test_records_mined_anywhere_by_their_shape_and_a_name_column() -> None:
    got = find_comments(BARE)
    assert [c.author for c in got] == ["Isaac", "Dana"]
    assert got[1].text.startswith("Best wishes")
    # the same shape as teasers of other stories, each ending in a "Read more" link, is none
    teasers = BARE.replace("</p></div>", '</p><a href="/story">Read more</a></div>')
    assert find_comments(teasers) == []


# what structure alone carries, on the labelled sets with every class name (then every id too)
# made meaningless (benchmarks/score_comment_variants.py; measured 288 and 280 of set 1's 288,
# 89 and 79 of set 2's 89, no comment on the 30 pages without any)
MIN_SCRAMBLED = {
    "class names unknown": (286, 87),
    "class names and ids unknown": (278, 77),
}


@pytest.mark.skipif(
    not (SHARED_DATA / "comment-pages-2").is_dir(),
    reason="the shared data sets (shared/data next to the checkout) are not available",
)
@pytest.mark.parametrize("variant", sorted(MIN_SCRAMBLED))
def test_comments_found_with_class_names_and_ids_scrambled(variant: str) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import score_comment_variants as variants

    minimum = MIN_SCRAMBLED[variant]
    for folder, least in zip((variants.PAGES, variants.PAGES2), minimum, strict=True):
        tally = variants.score(folder, variant)
        assert tally.found >= least and tally.author >= least, (folder.name, tally.found)
        assert tally.invented == 0, folder.name


# each comment starts at an empty anchor and runs over three rows of one table (XOOPS)
TABLE_ROWS = """<html><body><h1>Allotments</h1><p>The list is open again.</p>
<table class="t1"><tr><th>Poster</th><th>Thread</th></tr>
 <tr><td class="t2"><a id="comment12"></a> hollyhock</td>
  <td class="t2">March 14, 2021 9:12</td></tr>
 <tr><td class="t3">Just popping in</td>
  <td class="t3"><div class="comText">Is the half-plot rent half of the old one, then?</div></td></tr>
 <tr><td class="t5"></td>
  <td class="t5"><a href="/reply?id=12">Reply</a></td></tr>
 <tr><td class="t2"><a id="comment13"></a> webmaster</td>
  <td class="t2">March 14, 2021 11:47</td></tr>
 <tr><td class="t3">Webmaster</td>
  <td class="t3"><div class="comText">The clerk says 31 pounds, water shared as before.</div></td></tr>
 <tr><td class="t5"></td>
  <td class="t5"><a href="/reply?id=13">Reply</a></td></tr>
</table>
<form><textarea name="c"></textarea></form></body></html>"""


def test_empty_anchors_mark_where_comments_over_table_rows_start() -> None:
    got = find_comments(TABLE_ROWS)
    assert [c.text[:24] for c in got] == ["Is the half-plot rent ha", "The clerk says 31 pounds"]
    assert [c.published.hour if c.published else None for c in got] == [9, 11]
    # the anchors alone, each in a row of its own with nothing after it, are no comments
    only_anchors = TABLE_ROWS.split('<tr><td class="t3">')[0] + "</table></body></html>"
    assert find_comments(only_anchors) == []


# a bare header paragraph and the text in a blockquote after it, no class anywhere (yesod)
HEADER_PARAGRAPHS = """<html><body><h1>systemd timers</h1><p>I moved my crontab.</p>
<div id="comments"><h4>Showing 2 comments:</h4>
<p>Comment <a href="#c1">1</a>: On <strong>Tue, Mar 02 at 09:14</strong>, <strong>jmoss</strong> wrote:</p>
<blockquote><p>Persistent=true was the reason I switched, my laptop sleeps at night.</p></blockquote>
<p>Comment <a href="#c2">2</a>: On <strong>Tue, Mar 02 at 18:40</strong>, <strong>Priya</strong> wrote:</p>
<blockquote><p>I also added RandomizedDelaySec so the machines do not all wake the NAS.</p></blockquote>
<h4>Add a comment:</h4><form><textarea name="c"></textarea></form></div></body></html>"""


def test_a_header_paragraph_takes_the_blockquote_after_it_as_its_text() -> None:
    got = find_comments(HEADER_PARAGRAPHS, page_published=datetime(2021, 3, 1, tzinfo=UTC))
    assert [c.author for c in got] == ["jmoss", "Priya"]
    assert got[0].text.startswith("Persistent=true was the reason")
    assert all(c.quotes == () for c in got)


def test_a_scrambled_thread_dated_only_in_tooltips_with_names_in_shifting_places() -> None:
    """Commento with every class and id made meaningless: the times show as "2 days ago"
    with the date in the ``title``, and the name is a link in one card and a ``div`` after an
    initial in another, so no one position holds it in every card."""
    html = _scrambled(decode_page((ZOO / "commento.html").read_bytes(), None).text)
    got = find_comments(html, captured_at=CAPTURED)
    assert [c.author for c in got] == [w[0] for w in EXPECTED["commento.html"]]
    assert got[0].text.startswith("Do the worms survive")


def test_a_scrambled_description_list_gives_each_term_with_its_descriptions() -> None:
    """Blogger's classic list (a name ``dt``, a text ``dd``, a date ``dd``) and Thesis' (a
    reply in a ``dl`` inside the answered comment's ``dd``) with classes and ids meaningless:
    each term with the descriptions after it is one comment."""
    html = _scrambled(decode_page((ZOO / "blogger-classic.html").read_bytes(), None).text)
    got = find_comments(html, captured_at=CAPTURED)
    assert [c.author for c in got] == [w[0] for w in EXPECTED["blogger-classic.html"]]
    assert got[0].text.startswith("How stable is the lamp")
    html = _scrambled(decode_page((ZOO / "thesis.html").read_bytes(), None).text)
    got = find_comments(html, captured_at=CAPTURED)
    assert [c.author for c in got] == [w[0] for w in EXPECTED["thesis.html"]]
    assert [c.parent for c in got] == [w[3] for w in EXPECTED["thesis.html"]]


def test_an_article_labelled_as_a_comment_for_screen_readers_is_one() -> None:
    """ARIA says what no class name does: ``role="article"`` with ``aria-label="Comment by
    NAME"`` (Substack), or ``role="comment"``."""
    html = _scrambled(decode_page((ZOO / "substack.html").read_bytes(), None).text)
    got = find_comments(html, captured_at=CAPTURED)
    assert [c.author for c in got] == [w[0] for w in EXPECTED["substack.html"]]
    page = (
        "<html><body><h1>Rents</h1><p>Flat again.</p>"
        '<div><div role="comment"><b>Ana</b> <span>2 May 2024</span><p>Rents rose here, not fell.</p></div>'
        '<div role="comment"><b>Per</b> <span>3 May 2024</span><p>Same in our town, ten percent.</p></div>'
        "</div></body></html>"
    )
    assert [c.author for c in find_comments(page)] == ["Ana", "Per"]
