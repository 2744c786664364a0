"""The post a source file holds, without what is appended to it.

A static-site generator keeps a post as a source file: a front matter (see
:mod:`corpsearch.extract.front_matter`), then the post as Markdown text, as HTML, or as
Markdown text with HTML inside (a code block, a link, an image). Blogs moved to such a
generator often append the post's old comments to the file as HTML (a ``<div
class="archived-comments">``, a "Comments" heading over the readers' boxes). Saved as it is,
the file is no page: to an HTML parser its Markdown text is loose text around the elements, and
boilerplate removal takes the largest block of elements, which is the comments (or one of
them, where each sits in an ``<article>``).

:func:`post_source_page` reads such a file as what it is. The post is the file's top level
after the front matter, up to the first top-level element that opens the appended part: one
named a comment section (a class or id holding "comment", not "commentary", or "disqus"), or
a heading that names comments in readers' words in its first words ("Comments", "4 réponses
à …", "历史评论"), with a rule or line breaks right before it. Its Markdown text becomes
paragraphs, headings, lists and code blocks (links as their text, images left out), its
elements stay as they are (a box of inline text alone becomes a paragraph), and the whole is
a page of one ``<article>``, which boilerplate removal reads as any page. A file whose post
part holds no Markdown text and that has no appended part is left as it is (a post saved as
HTML under a front matter reads well already), and so is a full document under a front
matter (it has its own ``<html>``).
"""

from __future__ import annotations

import html
import re
from copy import deepcopy

from lxml import etree
from lxml.html import HtmlElement

from corpsearch.extract.front_matter import read_front_matter
from corpsearch.extract.htmltree import parse_html

__all__ = ["markdown_blocks", "post_source_page"]

# elements that sit inside a line of text; every other element is a block of its own
_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "br",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "i",
        "img",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    ]
)
# a comment section's name: "comments", "archived-comments", "swcomment", "disqus_thread";
# not a commentary
_COMMENT_NAME = re.compile(r"comment(?!ary|aries|ator)|disqus", re.IGNORECASE)
# a heading over the comments: the word in its first words ("Comments", "4 Comments", "8
# thoughts on …", "4 réponses à …", "1 archived comment", "历史评论 (1 条)")
_COMMENTS_HEADING = re.compile(
    r"^\W*(?:\d+\s+)?(?:[^\W\d]+\s+)?(?:comments?|kommentare?|commentaires?|comentarios?|"
    r"commenti|reacties|komentarz[ey]?|thoughts on|responses?|r[ée]ponses?|replies|"
    r"réactions?|reacciones|leave a reply)\b|^\W*[^\W\d]{0,4}(?:评论|留言|コメント)|^\W*комментари",
    re.IGNORECASE,
)
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_LEAST_TEXT = 100  # characters of text the post part holds at least


def post_source_page(tree: HtmlElement) -> HtmlElement | None:
    """A page of one ``<article>`` holding the post of the source file parsed as ``tree``,
    without the part appended to it; None when ``tree`` is no such file or reads as it is."""
    if tree.tag in ("html", "body") or not tree.text:
        return None
    front = read_front_matter(tree.text)
    if front is None:
        return None
    children = [child for child in tree if isinstance(child.tag, str)]
    cut = next((n for n, child in enumerate(children) if _appended(child)), len(children))
    while cut > 0 and children[cut - 1].tag in ("hr", "br"):
        cut -= 1
    post = children[:cut]
    texts = [tree.text[front.end :], *(child.tail or "" for child in post)]
    if cut == len(children) and not any(text.strip() for text in texts):
        return None  # HTML alone, nothing appended: the page reads as it is
    reader = _Markdown()
    reader.feed(texts[0])
    size = len(texts[0].strip())
    for child, tail in zip(post, texts[1:], strict=True):
        inline = child.tag in _INLINE
        reader.element(_as_block(child), inline)
        # text after an inline element goes on with its line
        reader.feed(tail, line_start=not inline)
        size += len(child.text_content().strip()) + len(tail.strip())
    if size < _LEAST_TEXT:
        return None
    return parse_html(f"<html><body><article><p>{reader.close()}</article></body></html>").root


def _as_block(element: HtmlElement) -> str:
    """The element's markup; a ``div`` of inline text alone (a paragraph the post's author
    wrote as a box, "Update: …") as a paragraph."""
    if element.tag == "div" and all(
        e.tag in _INLINE for e in element.iterdescendants() if isinstance(e.tag, str)
    ):
        element = deepcopy(element)
        element.tag = "p"
    return str(etree.tostring(element, encoding="unicode", method="html", with_tail=False))


def _appended(element: HtmlElement) -> bool:
    """A top-level element that opens what is appended to the post: a comment section by its
    names, or a heading over the comments."""
    names = f"{element.get('id') or ''} {element.get('class') or ''}"
    if _COMMENT_NAME.search(names):
        return True
    if element.tag in _HEADINGS:
        text = " ".join(element.text_content().split())
        return len(text) <= 80 and _COMMENTS_HEADING.search(text) is not None
    return False


# --- Markdown text as HTML ---------------------------------------------------------------

_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_RULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)|!\[([^\]]*)\]\[[^\]]*\]")
_LINK = re.compile(
    r"\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)|\[([^\]]+)\]\[[^\]]*\]"
)
_AUTOLINK = re.compile(r"&lt;((?:https?|mailto):[^\s&]+)&gt;")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_CODE = re.compile(r"`+([^`]+)`+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])")
_HARD_BREAK = re.compile(r"\\$|\s{2,}$")
# a line that only marks where an extension puts something: a table of contents
_MARKER = re.compile(r"^\s*(?:\[TOC\]|\[\[_TOC_\]\]|\{:?\s*toc\s*\}|\*\s+TOC)\s*$", re.IGNORECASE)
# a kramdown or Pandoc attribute list after an element: "{.wp-smiley}", "{: #id .class}"
_ATTRIBUTES = re.compile(r"\{:?\s*[.#][^{}\n]*\}")


def markdown_blocks(text: str) -> str:
    """``text`` (Markdown) as HTML blocks (see :class:`_Markdown`)."""
    reader = _Markdown()
    reader.feed(text)
    return reader.close()


class _Markdown:
    """Markdown text as HTML blocks, fed piece by piece (the text between a file's elements):
    a blank line ends a paragraph, ATX and setext headings, list items, quotes and fenced code
    become their elements, links and images their text, emphasis and code marks go, reference
    definitions, rules and attribute lists are left out. A piece fed after an inline element
    goes on that element's line: a "#" or "-" at its start is only text."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.fence: list[str] | None = None
        self.in_list = False

    def element(self, markup: str, inline: bool) -> None:
        """An element of the file between two pieces of text, as it is."""
        if not inline and self.in_list:
            self.out.append("</ul>")
            self.in_list = False
        self.out.append(markup)
        if not inline:
            self.out.append("<p>")  # the text after a block is a paragraph of its own

    def close(self) -> str:
        if self.fence is not None:
            self.out.append(f"<pre>{html.escape(chr(10).join(self.fence))}</pre>")
        if self.in_list:
            self.out.append("</ul>")
        return "".join(self.out)

    def feed(self, text: str, line_start: bool = True) -> None:
        lines = text.split("\n")
        for n, raw in enumerate(lines):
            line = raw.rstrip("\r")
            if n > 0 or line_start:
                self._line(line, lines[n + 1] if n + 1 < len(lines) else "", n, lines)
            elif line.strip():
                self.out.append(_inline(line))  # the rest of an element's line
            if n + 1 < len(lines) and self.fence is None:
                self.out.append(" ")

    def _line(self, line: str, following: str, n: int, lines: list[str]) -> None:
        out = self.out
        if self.fence is not None:
            if _FENCE.match(line):
                out.append(f"<pre>{html.escape(chr(10).join(self.fence))}</pre><p>")
                self.fence = None
            else:
                self.fence.append(line)
            return
        if _FENCE.match(line):
            self._end_list()
            self.fence = []
            return
        if not line.strip():
            self._end_list()
            out.append("<p>")
            return
        if _REFERENCE.match(line) or _RULE.match(line) or _MARKER.match(line):
            return
        heading = _ATX.match(line)
        if heading is not None:
            self._end_list()
            level = len(heading[1])
            out.append(f"<h{level}>{_inline(heading[2])}</h{level}><p>")
            return
        setext = _SETEXT.match(following) if not self.in_list else None
        if setext is not None and not _ITEM.match(line):
            level = 1 if setext[1].startswith("=") else 2
            out.append(f"<h{level}>{_inline(line)}</h{level}><p>")
            lines[n + 1] = ""  # the underline is read
            return
        item = _ITEM.match(line)
        if item is not None:
            out.append(("" if self.in_list else "<ul>") + f"<li>{_inline(item[1])}")
            self.in_list = True
            return
        text = _inline(_QUOTE.sub("", line))
        out.append(text + "<br>" if _HARD_BREAK.search(line) else text)

    def _end_list(self) -> None:
        if self.in_list:
            self.out.append("</ul>")
            self.in_list = False


def _inline(line: str) -> str:
    """A line of Markdown text as HTML text: escaped, links and images as their text, marks
    of emphasis and code and attribute lists removed, backslash escapes read (the characters
    they escape are set aside first, so that no mark is read in them)."""
    text = _ESCAPE.sub(lambda m: chr(_SET_ASIDE + ord(m[1])), line.strip("\r"))
    text = html.escape(text, quote=False)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(lambda m: m[1] or m[2], text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _ATTRIBUTES.sub("", text)
    text = _SET_ASIDE_CHAR.sub(
        lambda m: html.escape(chr(ord(m[0]) - _SET_ASIDE), quote=False), text
    )
    return _HARD_BREAK.sub("", text)


_SET_ASIDE = 0xE000  # escaped ASCII characters, in the private use area while marks are read
_SET_ASIDE_CHAR = re.compile("[\ue000-\ue07f]")
