"""Posts of another site shown on the page: embedded or syndicated status posts (a side rail's
carousel of tweets, an embedded Facebook post, a feed of toots), each with a name, words and a
time, and so shaped like a comment. They are none of the page's comments, and their own links
say so: everything of the record that is no part of its words (the name, the avatar, the time,
the Reply / Share / Like controls) leads to ONE other site, nothing to this page, and at least
one of those links is a post's page there (the permalink under the author's profile,
``/NAME/status/N``, ``/@NAME/N``, ``/NAME/posts/N``), or a control there acting on a post by
its number (``/intent/tweet?in_reply_to=N``, ``?tweet_id=N``).

A reader's comment on the page keeps a link to the page (a permalink ``#comment-12``, a
``?replytocom=12`` reply control, a script), or its permalink is no post of its commenter's
profile on the site it leads to (a comment host's ``disq.us/p/1x2y``): a commenter whose name
links to their own site or their profile elsewhere stays, and so does a link in the words.

Used by :mod:`corpsearch.extract.comment_items`."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import SplitResult, parse_qsl, urlsplit

from lxml.etree import _Element

from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.comment_labels import CONTROL_LINE

__all__ = ["without_posts_elsewhere"]

# what a post's control does, in its label or its title ("Reply", "Retweet", "Favorite")
_ACTION = re.compile(
    r"^(?:reply|retweet|re-?post|reblog|boost|favou?rite|like|share|quote|comment|follow)s?$",
    re.IGNORECASE,
)
# a post's number in its address (a status id, a post id)
_POST_NUMBER = re.compile(r"^\d{6,}$")
# a post's id in a control's query: a number, or a token of letters and digits ("lc=Ugz…")
_POST_ID = re.compile(r"^(?:\d{6,}|(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{10,})$", re.ASCII)
# a handle shown in the words: "— Ann Lee (@annlee)"
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{2,30})\b")
_LETTER = re.compile(r"[^\W\d_]")
# elements that sit inside a line of words
_INLINE = frozenset(
    ["a", "span", "b", "strong", "em", "i", "u", "small", "cite", "abbr", "time", "font", "img"]
)
# second-level labels under which a country's domains are registered ("co.uk", "com.au")
_SHORT_SECOND = 3


def without_posts_elsewhere(root: _Element, found: list[_Element]) -> list[_Element]:
    """``found`` without the groups of sibling records (one or more) that are all posts of
    another site than this page's (:func:`_post_site`)."""
    if not found:
        return found
    groups: dict[_Element | None, list[_Element]] = {}
    for el in found:
        groups.setdefault(el.getparent(), []).append(el)
    page: str | None = None
    drop: set[_Element] = set()
    for group in groups.values():
        sites: set[str] = set()
        for el in group:
            site = _post_site(el)
            if site is None:
                break
            sites.add(site)
        else:
            if page is None:
                page = _page_site(root)
            if page not in sites:
                drop.update(group)
    return [el for el in found if el not in drop] if drop else found


def _has_absolute_link(record: _Element) -> bool:
    return any(
        (a.get("href") or "").strip().lower().startswith(("http:", "https:", "//"))
        for a in record.iter("a")
    )


def _page_site(root: _Element) -> str:
    """This page's site, from its canonical address or its base, else the site most of its
    links lead to (a relative link counts for an unnamed site, "")."""
    xpaths = (
        "//link[@rel='canonical']/@href",
        "//meta[@property='og:url']/@content",
        "//base/@href",
    )
    for xpath in xpaths:
        values = root.xpath(xpath)
        if values:
            host = _split(str(values[0])).netloc
            if host:
                return _site(host)
    hosts = Counter(_site(_split(str(href)).netloc) for href in root.xpath("//a/@href"))
    return hosts.most_common(1)[0][0] if hosts else ""


def _site(host: str) -> str:
    """The registered name of ``host``, its subdomains cut ("www.example.co.uk" and
    "discussion.example.co.uk" are both "example.co.uk")."""
    labels = host.lower().split("@")[-1].split(":")[0].strip(".").split(".")
    keep = 2
    if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= _SHORT_SECOND:
        keep = 3
    return ".".join(labels[-keep:])


def _post_site(record: _Element) -> str | None:
    """The one site the record's own links (:func:`_own_link`) all lead to, when one of
    them is a post's page or a control acting on a post there; None otherwise."""
    if not _has_absolute_link(record):
        return None  # the cheap test first
    own: list[_Element] = []
    sites: set[str] = set()
    for a in record.iter("a"):
        if not _own_link(a, record):
            continue
        parts = _split(a.get("href"))
        if parts.scheme.lower() in ("mailto", "tel"):
            continue
        if not parts.netloc:
            return None  # an anchor, a script, an address on this site: the page's own
        sites.add(_site(parts.netloc))
        if len(sites) > 1:
            return None
        own.append(a)
    if not sites:
        return None
    (site,) = sites
    handles = _handles(record, site)
    return site if any(_names_a_post(a, handles) for a in own) else None


def _own_link(a: _Element, record: _Element) -> bool:
    """Whether the link is the record's own (its name, avatar, time or a control), not one
    in its words: its label is no word (an icon, a picture), a date, a control, or a name that
    stands alone in its line."""
    label = _words(a)
    if len(_LETTER.findall(label)) < 2:
        return True  # an icon, a picture, an icon font's letter
    if a.find(".//time") is not None or find_date_span(label) is not None:
        return True
    if _is_control(a, label):
        return True
    if "/" in label or len(label.split()) > 5:
        return False  # an address or a sentence: words of the post
    block = a.getparent()
    while block is not None and block is not record and block.tag in _INLINE:
        block = block.getparent()
    if block is None:
        return True
    return not _LETTER.search(_words(block).replace(label, " ", 1))


def _is_control(a: _Element, label: str) -> bool:
    names = [label, a.get("title") or "", a.get("aria-label") or ""]
    return any(_ACTION.match(n.strip()) or CONTROL_LINE.match(n.strip()) for n in names if n)


def _handles(record: _Element, site: str) -> set[str]:
    """The author's handles on ``site``: the one-segment paths the record links to there
    ("/annlee", "/@annlee") and the "@annlee" its words show."""
    found: set[str] = set()
    for a in record.iter("a"):
        parts = _split(a.get("href"))
        segments = [s for s in parts.path.split("/") if s]
        if parts.netloc and _site(parts.netloc) == site and len(segments) == 1:
            found.add(segments[0].lower().lstrip("@"))
    found.update(h.lower() for h in _HANDLE.findall(_words(record)))
    return found


def _names_a_post(a: _Element, handles: set[str]) -> bool:
    """A post's page under one of the author's handles ("/annlee/status/357947973738565635",
    "/@annlee/109876543210"), or a control acting on a post by its number or id
    ("?in_reply_to=357947973738565635", "?v=…&lc=Ugz…") whose query holds no address (a share
    control's ``url=`` names the page or comment it shares)."""
    parts = _split(a.get("href"))
    if parts.fragment:
        return False  # a place in a page: a comment of a discussion there
    segments = [s for s in parts.path.split("/") if s]
    if (
        len(segments) >= 2
        and segments[0].lower().lstrip("@") in handles
        and any(_POST_NUMBER.match(s) for s in segments[1:])
    ):
        return True
    if not _is_control(a, _words(a)):
        return False
    values = [v for _, v in parse_qsl(parts.query)]
    if any("/" in v or "." in v for v in values):
        return False
    return any(_POST_ID.match(v) for v in values)


def _split(href: str | None) -> SplitResult:
    """The parts of a link's address (none of a malformed one)."""
    try:
        return urlsplit((href or "").strip())
    except ValueError:
        return SplitResult("", "", "", "", "")


def _words(el: _Element) -> str:
    return " ".join("".join(el.itertext()).split())
