"""Images that stand for an emoji (WordPress' wp-emoji, Twemoji: ``<img class="emoji"
alt="🙂">`` in place of the character, kept by pages saved after their scripts ran) are read as
the character: a comment made of a smiley keeps its text, and words beside one stay apart."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from corpsearch.extract.comments import find_comments
from corpsearch.extract.htmltree import parse_html

CAPTURED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
SMILE = '<img draggable="false" role="img" class="emoji" alt="🙂" src="https://s.w.org/1f642.svg">'


def _comment(number: int, name: str, text: str) -> str:
    # WordPress core's HTML5 comment list (wp_list_comments, style "ol")
    return f"""
<li id="comment-{number}" class="comment even thread-even depth-1">
 <article id="div-comment-{number}" class="comment-body">
  <footer class="comment-meta">
   <div class="comment-author vcard"><b class="fn">{name}</b> <span class="says">says:</span></div>
   <div class="comment-metadata"><a href="#comment-{number}"><time datetime="2024-04-2{number}T10:00:00+00:00">April 2{number}, 2024 at 10:00 am</time></a></div>
  </footer>
  <div class="comment-content"><p>{text}</p></div>
 </article>
</li>"""


PAGE = f"""<html><head><title>Lamps</title></head><body><article><h1>Lamps</h1>
<p>Our lamp test. Thanks {SMILE} for reading.</p></article>
<div id="comments" class="comments-area"><h2 class="comments-title">3 thoughts</h2>
<ol class="comment-list">{_comment(1, "Sam", "Which bulb did you use in the end?")}
{_comment(2, "Lin", SMILE)}{_comment(3, "Kai", f"Works for me {SMILE}{SMILE} thanks")}</ol></div>
</body></html>"""


def test_an_emoji_image_becomes_its_character_and_other_images_stay() -> None:
    root = parse_html(
        f'<html><body><p>Great {SMILE} job <img alt="logo" src="l.png"> '
        '<img alt="👍🏽" src="t.png"><img class="wp-smiley" alt=":)" src="s.gif"></p></body></html>'
    ).root
    assert root is not None
    paragraph = root.find(".//p")
    assert paragraph is not None
    assert "".join(paragraph.itertext()) == "Great 🙂 job  👍🏽:)"
    assert [img.get("alt") for img in paragraph.iter("img")] == ["logo"]
    # a long or worded alt text is an image's description, not an emoji
    described = parse_html('<html><body><p><img alt="★ rated" src="r.png"></p></body></html>')
    assert described.root is not None and described.root.find(".//img") is not None


def test_a_comment_made_of_a_smiley_is_kept_with_its_text() -> None:
    got = find_comments(PAGE, captured_at=CAPTURED)
    assert [(c.author, c.text) for c in got] == [
        ("Sam", "Which bulb did you use in the end?"),
        ("Lin", "🙂"),
        ("Kai", "Works for me 🙂🙂 thanks"),
    ]


def test_the_page_tree_reads_the_emoji_as_text_too() -> None:
    root = parse_html(PAGE).root
    assert root is not None
    article = root.find(".//article")
    assert article is not None
    assert "Thanks 🙂 for reading." in etree.tostring(article, method="text", encoding="unicode")
