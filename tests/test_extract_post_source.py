"""A post's source file (a front matter, then the post as Markdown text, HTML or both) with
the post's old comments appended as HTML: the body is the post, not the comments. The markup
here is written for these tests."""

from __future__ import annotations

import pytest
from lxml.html import fragment_fromstring

from corpsearch.extract.article import extract_article
from corpsearch.extract.htmltree import parse_html
from corpsearch.extract.post_source import markdown_blocks, post_source_page

_FRONT = '---\ntitle: "A small site to learn words"\ndate: 2017-09-04\ntags:\n  - "flask"\n---\n\n'
_COMMENTS = (
    '<div class="archived-comments"><h2>Old comments (2)</h2>'
    '<p class="comment-notice">These comments come from the old site, kept as an archive.</p>'
    '<div class="comment-item"><div class="comment-meta"><strong>Lena</strong> (2017-09-08 '
    '15:54)</div><div class="comment-body">What a useful little tool, I use it every morning '
    "on the train now and it works well.</div></div>"
    '<div class="comment-item"><div class="comment-meta"><strong>Omar</strong> (2017-09-09 '
    '10:02)</div><div class="comment-body">Could you add a way to export the list of words '
    "I got wrong? That would help a lot.</div></div></div>\n"
)


def _body(markup: str) -> str:
    return extract_article(markup).body


def test_a_markdown_post_is_its_text_not_the_comments_appended() -> None:
    post = (
        _FRONT + "Since I am learning English I need to learn words, and the sites I found do "
        "not let you bring your own list. <!--more-->\n\n"
        "## How it works\n\n"
        "The first problem was **translation**: the [online APIs](https://api.example.org) cost "
        "money, so the site reads a local dictionary instead.\n"
        "![screenshot](images/1.jpg)\n\n"
        "- upload a list of words\n- learn them one by one\n\n"
        "Before using it, change the path in the `settings` file.\n\n" + _COMMENTS
    )
    body = _body(post)
    assert body.startswith("Since I am learning English I need to learn words"), body[:200]
    assert "The first problem was translation: the online APIs cost money" in body
    assert "How it works" in body and "learn them one by one" in body
    assert body.rstrip().endswith("Before using it, change the path in the settings file.")
    assert "useful little tool" not in body and "archive" not in body
    assert "images/1.jpg" not in body and "https://api.example.org" not in body


def test_an_html_post_is_not_one_of_its_comments_in_article_elements() -> None:
    paragraphs = "".join(
        f"<p>Paragraph {n} of the post explains one more step of replaying a captured "
        "workload against a test server.</p>\n"
        for n in range(1, 6)
    )
    comments = "".join(
        f'<li class="archived-comment"><article><p class="author">Reader {n}</p><p>Thanks, '
        "this worked for me on the second try after I changed the connection string.</p>"
        "</article></li>"
        for n in range(3)
    )
    post = (
        _FRONT + paragraphs + "<h2>Conclusions</h2>\n<p>Stay tuned!</p>\n"
        '<div class="archived-comments-container"><details><summary>Archived comments (3)'
        f"</summary><ol>{comments}</ol></details></div>"
    )
    body = _body(post)
    assert body.startswith("Paragraph 1 of the post"), body[:200]
    assert body.rstrip().endswith("Stay tuned!")
    assert "Thanks, this worked" not in body


def test_a_comments_heading_ends_the_post_and_an_update_box_before_it_stays() -> None:
    post = (
        _FRONT + "I am building an app that talks to a web service, and I could not log out. "
        "Here is why, and how to fix it.\n\n"
        '<pre class="code">[request setURL:url];</pre>'
        "Then it behaves exactly the way you want it to.\n"
        "<div><span>Update (02/06/2009):</span> the sample project is online. Enjoy and share!"
        "</div>\n<br/><hr/><h3>Comments</h3>\n"
        '<div class="reply"><h4>Trevor said...</h4><p>It looks like the bug report did the '
        "trick, thank you for writing this up.</p></div>"
    )
    body = _body(post)
    assert body.startswith("I am building an app"), body[:200]
    assert "Then it behaves exactly the way you want it to." in body
    assert body.rstrip().endswith("Enjoy and share!")
    assert "Trevor" not in body and "bug report" not in body


@pytest.mark.parametrize(
    "markup",
    [
        # a post saved as HTML under a front matter, nothing appended: it reads as it is
        _FRONT
        + '<div class="post">'
        + "<p>A paragraph of the post, saved as HTML.</p>" * 4
        + "</div>",
        # no front matter: a page's fragment, not a post's source
        "<div class='post'><p>Text of a page.</p></div>" + _COMMENTS,
        # a full document under a front matter has its own head and body
        _FRONT
        + "<!DOCTYPE html><html><head><title>T</title></head><body><p>Text.</p>"
        + _COMMENTS
        + "</body></html>",
    ],
)
def test_pages_that_are_no_post_source_with_text_or_comments_read_as_they_are(
    markup: str,
) -> None:
    root = parse_html(markup).root
    assert root is not None
    assert post_source_page(root) is None


def test_a_heading_or_a_word_of_the_post_that_names_comments_cuts_nothing() -> None:
    post = (
        _FRONT + "The draft law drew many remarks. Here they are, grouped by theme.\n\n"
        "## Comments from the council\n\nThe council asked for a shorter delay.\n\n"
        '<p class="commentary">Our commentary: the delay is the point of the law.</p>\n'
        "<h2>What readers said in the comments</h2>\n"
        "Most readers agreed with the council on the delay.\n"
    )
    body = _body(post)
    assert "The council asked for a shorter delay." in body
    assert "Our commentary: the delay is the point of the law." in body
    assert body.rstrip().endswith("Most readers agreed with the council on the delay.")


def _blocks(markup: str) -> list[tuple[str, str]]:
    root = fragment_fromstring(markup, create_parent="div")
    blocks = [(child.tag, " ".join(child.text_content().split())) for child in root]
    if root.text and root.text.strip():
        blocks.insert(0, ("text", " ".join(root.text.split())))
    return [(tag, text) for tag, text in blocks if text]


def test_markdown_text_as_blocks() -> None:
    assert _blocks(
        markdown_blocks('# Title\n\nText *with* `code` and [a link](http://x.org "t").')
    ) == [
        ("h1", "Title"),
        ("p", "Text with code and a link."),
    ]
    assert _blocks(markdown_blocks("Title\n=====\nText\nmore text")) == [
        ("h1", "Title"),
        ("p", "Text more text"),
    ]
    fenced = markdown_blocks("```python\na < b\nc\n```\nafter")
    assert "<pre>a &lt; b\nc</pre>" in fenced
    assert _blocks(markdown_blocks("- one\n- two\n\nafter")) == [("ul", "one two"), ("p", "after")]
    # markers, reference definitions, rules, images and attribute lists leave no text
    assert _blocks(markdown_blocks("[TOC]\n\n[ref]: http://x.org\n* * *\nword")) == [("p", "word")]
    assert _blocks(markdown_blocks("see ![alt](i.png){.wp-smiley} \\*not emphasis\\*")) == [
        ("text", "see *not emphasis*")
    ]
