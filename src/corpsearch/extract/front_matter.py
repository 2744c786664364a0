"""The title and date a post's source file declares in the metadata block it opens with.

Static-site generators keep a post as a source file whose first lines declare its fields: a
YAML front matter between two ``---`` lines (Jekyll, Hugo, Eleventy: ``title: "…"``,
``date: 2014-07-11T08:28:52+02:00``) or reStructuredText field lines (Nikola, Pelican:
``.. title: …``, ``.. date: …``). Such a file saved or copied as it is shows its title and
date nowhere else: it has no ``<head>``, and its first heading is a section's. A page of
its own that happens to sit under a front matter (a full HTML document with its ``<title>``)
is read from its own head; :func:`read_front_matter` only says what the block declares.

Some exporters write a post's title alone between the two ``---`` lines, with no ``title:``
key. Such a bare line is read as the title only where nothing else can be meant: at the very
start of the file, one short line of words that is no field and no markup, and HTML right
after the closing line. A ``---`` further down (a horizontal rule in Markdown, a separator in
a page's text) or a block of several lines is never one.

A Markdown file may open instead with its title as a heading line ("# Title"), the post's
saved HTML after it: :func:`heading_line_title` reads that line, at the very start of the file,
one "#" and a short line of words, markup right after it. Unlike a block's declared title it
is what the file shows, like a ``<title>``: a heading of the page it holds that it does not
name (the chapter's ``<h1>`` under a line that names its section) still wins.

The block's title is the source file's; the page it holds may show another (a post saved as
its blog rendered it, in its own language, under a file titled in English). A heading that
the page marks as a title and sets directly above the post's dateline is the post's title as
it was shown: :func:`displayed_post_title` finds it, and it is stronger evidence than the
block's title.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from corpsearch.extract.htmldates import shown_date
from corpsearch.textnorm import clean_text

__all__ = ["FrontMatter", "displayed_post_title", "heading_line_title", "read_front_matter"]

# only the beginning of a file can open with the block; a front matter is a few lines
_HEAD = 4000
_YAML = re.compile(
    r"\A\ufeff?\s*---[ \t]*\r?\n(?P<body>.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S
)
_YAML_FIELD = re.compile(r"^(?P<key>[A-Za-z][\w-]*)[ \t]*:[ \t]*(?P<value>\S.*?)[ \t]*$", re.M)
_REST_FIELDS = re.compile(r"\A\ufeff?\s*(?P<body>(?:\.\.[ \t]+[A-Za-z][\w-]*:.*(?:\r?\n|\Z))+)")
_REST_FIELD = re.compile(r"^\.\.[ \t]+(?P<key>[A-Za-z][\w-]*):[ \t]*(?P<value>.*?)[ \t]*$", re.M)
# a bare title: the one line of the block, the file's markup right after the closing line
_BARE = re.compile(
    r"\A\ufeff?[ \t]*---[ \t]*\r?\n(?P<line>[^\r\n]+)\r?\n---[ \t]*\r?\n\s*<[A-Za-z!]"
)
# a Markdown ATX heading of level 1 as the file's first line ("# Title", closing "#"s allowed),
# the file's markup after it
_HEADING_LINE = re.compile(
    r"\A\ufeff?[ \t]*#[ \t]+(?P<line>[^\r\n]+?)(?:[ \t]+#+)?[ \t]*\r?\n\s*<[A-Za-z!]"
)
_BARE_LONGEST = 200  # characters; a longer line is a sentence of text, no title
_FIELD_LIKE = re.compile(r"^[A-Za-z][\w-]*:(?:\s|$)")
_TITLE_KEYS = ("title",)
_DATE_KEYS = ("date", "published", "pubdate", "date_published")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    title: str | None
    date: str | None
    # where the block ends in the markup: the post's own text starts there
    end: int = field(default=0, compare=False)


def read_front_matter(markup: str) -> FrontMatter | None:
    """The block's title and date, or None when ``markup`` does not open with a block that
    declares either."""
    head = markup[:_HEAD]
    fields: dict[str, str] = {}
    yaml = _YAML.match(head)
    if yaml is not None:
        end = yaml.end()
        for m in _YAML_FIELD.finditer(yaml["body"]):
            fields.setdefault(m["key"].lower(), _unquoted(m["value"]))
    else:
        rest = _REST_FIELDS.match(head)
        if rest is None:
            return None
        end = rest.end()
        for m in _REST_FIELD.finditer(rest["body"]):
            fields.setdefault(m["key"].lower(), m["value"])
    title = next((fields[k] for k in _TITLE_KEYS if fields.get(k)), None)
    if title is None and not fields:
        title = _bare_title(head)
    date = next((fields[k] for k in _DATE_KEYS if fields.get(k)), None)
    if title is None and date is None:
        return None
    return FrontMatter(title, date, end)


def _bare_title(head: str) -> str | None:
    """The title a block of one bare line gives (``---``, the title, ``---``, then HTML)."""
    bare = _BARE.match(head)
    if bare is None:
        return None
    # the line is written as the HTML after it is, its characters escaped ("&#8211;")
    line = html.unescape(bare["line"]).strip()
    if not line or len(line) > _BARE_LONGEST or "<" in line or _FIELD_LIKE.match(line):
        return None
    if len(re.findall(r"[^\W\d_]+", line)) < 2:
        return None  # a single word or a row of marks ("***"): no title
    if line.endswith(".") and not line.endswith(".."):
        return None  # a sentence of the page's text
    return line


def heading_line_title(markup: str) -> str | None:
    """The title of a file that opens with a Markdown heading line of level 1 and then its
    markup ("# Title", a blank line, ``<div class="post">…``), or None."""
    heading = _HEADING_LINE.match(markup[:_HEAD])
    if heading is None:
        return None
    line = html.unescape(heading["line"]).strip()
    if not line or len(line) > _BARE_LONGEST or "<" in line or line.startswith("#"):
        return None
    if not re.search(r"[^\W\d_]", line) or (line.endswith(".") and not line.endswith("..")):
        return None  # no word ("# 1", "# ***"), or a sentence of text
    return line


def _unquoted(value: str) -> str:
    """A YAML scalar as written: quotes around it removed, a doubled quote inside kept as one;
    a value that opens a list or a block (``[a, b]``, ``|``) is no title."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner.replace("''", "'") if value[0] == "'" else inner.replace('\\"', '"')
    if value[0] in "[{|>&*!":
        return ""
    return value


# a heading's class that names it a title, not the site's name or a lesser title
_TITLE_CLASS = re.compile(r"title|headline", re.I)
_NOT_POST_TITLE = re.compile(r"site|subtitle|sub-title|kicker", re.I)
_DATELINE_LONGEST = 200  # characters; a longer block is text, not the post's meta line
_TITLE_LONGEST = 300


def displayed_post_title(tree: HtmlElement) -> str | None:
    """The text of the first heading (``h1``-``h3``) whose class names it a title and whose
    next element is a short line that shows a date: the post's title with its dateline
    right under it ("<h2 class="post-title">…</h2><p class="post-info">By NAME on
    DATE</p>")."""
    for heading in tree.iter("h1", "h2", "h3"):
        names = heading.get("class") or ""
        if not _TITLE_CLASS.search(names) or _NOT_POST_TITLE.search(names):
            continue
        text = clean_text(heading.text_content())
        if not text or len(text) > _TITLE_LONGEST:
            continue
        if (heading.tail or "").strip():
            line = clean_text(heading.tail)  # a dateline as a bare text node after it
        else:
            after = heading.getnext()
            while after is not None and not isinstance(after.tag, str):
                after = after.getnext()
            line = clean_text(after.text_content()) if after is not None else ""
        if line and len(line) <= _DATELINE_LONGEST and shown_date(line):
            return text
    return None
