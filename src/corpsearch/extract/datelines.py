"""Where a page shows its date: the text just under and above its headline (an image's
caption passed over), its dateline's days, a site header's date of today, and the page's own
clock for a value given in UTC (the offset its dateline shows, or the neighbouring day it
shows).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from corpsearch.extract.comment_dates import find_date_span
from corpsearch.extract.htmldates import shown_date
from corpsearch.extract.metadata import clean_text

__all__ = [
    "dateline_days",
    "line_parts",
    "local_day_offset",
    "pieces_after_headline",
    "pieces_before_headline",
    "posted_line_date",
    "shown_clock",
    "shown_offset",
    "text_after_headline",
    "times_far_before_headline",
    "tooltip_date",
    "update_line",
]


def _words_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


_SKIP_TEXT = {"script", "style", "noscript", "template"}


def text_after_headline(tree: HtmlElement, headline: str | None, limit: int = 400) -> str:
    """The text that follows the shown headline (where bylines and datelines sit)."""
    return " ".join(pieces_after_headline(tree, headline, limit))


def _headline_element(tree: HtmlElement, headline: str | None) -> HtmlElement | None:
    """The heading that shows the headline: one with its words alone (not a logo's ``h1``
    holding it in a hidden span), else an ``h1``/``h2`` holding them; else the first ``h1``
    with text."""
    key = _words_key(headline or "")
    start = None
    if key:
        holding = []
        for h in tree.iter("h1", "h2", "h3"):
            words = _words_key(h.text_content())
            if words == key:
                return h
            if key in words and h.tag != "h3":
                holding.append(h)
        start = holding[0] if holding else None
    if start is None:
        start = next((h for h in tree.iter("h1") if clean_text(h.text_content())), None)
    return start


def times_far_before_headline(tree: HtmlElement, headline: str | None) -> set[str]:
    """The values of the ``<time>`` elements set well before the shown headline (more than
    a few hundred characters of text between): the site header's date of today, not the
    article's."""
    start = _headline_element(tree, headline)
    if start is None:
        return set()
    size = 0
    seen: list[tuple[int, HtmlElement]] = []
    for element in tree.iter():
        if element is start:
            break
        if not isinstance(element.tag, str) or element.tag in _SKIP_TEXT:
            continue
        if element.tag == "time":
            seen.append((size, element))
        size += len(element.text or "") + len(element.tail or "")
    else:
        return set()  # the headline is not in the tree's order
    far = set()
    for position, element in seen:
        if size - position > _FAR:
            far.add(element.get("datetime") or "")
            far.add(clean_text(element.text_content()))
    return far - {""}


_FAR = 400  # characters of text between a site header's date and the article's headline


def pieces_before_headline(tree: HtmlElement, headline: str | None, limit: int = 300) -> list[str]:
    """The text pieces of the elements just before the shown headline (a byline or a date
    set above the title, a date header above the post's box), in reading order, up to about
    ``limit`` characters back."""
    start = _headline_element(tree, headline)
    if start is None:
        return []
    pieces: list[str] = []
    nodes = list(start.itersiblings(preceding=True))
    for ancestor in start.iterancestors():  # a date header above the post's own box
        if ancestor.tag in ("body", "html") or len(nodes) > 20:
            break
        nodes += list(ancestor.itersiblings(preceding=True))
    size = 0
    for node in nodes:
        if not isinstance(node.tag, str) or node.tag in _SKIP_TEXT:
            continue
        # a date that is one item of the site's menu ("Montag, 09.12.2019" beside "Über uns",
        # "Kontakt") is the day of the visit, not a byline's
        texts = [t for t in (clean_text(t) for t in _TEXTS(node) if not _menu_item(t)) if t]
        pieces[:0] = texts  # in reading order inside the box
        size += sum(len(t) for t in texts)
        if size > limit:
            break
    return pieces


_TEXTS = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]")


def _menu_item(text: Any) -> bool:
    """Whether a text node stands in an item of a menu: a list of three or more items whose
    other items are each one link and nothing else."""
    parent = text.getparent() if hasattr(text, "getparent") else None
    item = parent if parent is not None and parent.tag == "li" else None
    if item is None and parent is not None:
        item = next(iter(parent.iterancestors("li")), None)
    if item is None or item.getparent() is None:
        return False
    others = [li for li in item.getparent() if li is not item and li.tag == "li"]
    if len(others) < 2:
        return False
    return all(_only_a_link(li) for li in others)


def _only_a_link(item: HtmlElement) -> bool:
    links = item.findall(".//a")
    text = clean_text(item.text_content())
    return len(links) == 1 and bool(text) and clean_text(links[0].text_content()) == text


def pieces_after_headline(tree: HtmlElement, headline: str | None, limit: int = 400) -> list[str]:
    """The text pieces (element texts and tails) that follow the shown headline."""
    start = _headline_element(tree, headline)
    if start is None:
        return _pieces_of_headless(tree, limit)
    # the text right after the heading first: a dateline as a bare text node ("<h2>…</h2>
    # 24. März 2004, 19:49 | NAME"), as hand-made pages write it
    tail = (start.tail or "").strip()
    pieces: list[str] = [tail] if tail else []
    size = len(tail)
    # what follows it in the page: its siblings, then those of its header and of each box
    # around that (a headline alone in a title block before the article's own block)
    nodes = list(start.itersiblings())
    for ancestor in start.iterancestors():
        if ancestor.tag in ("body", "html") or len(nodes) > 40:
            break
        nodes += list(ancestor.itersiblings())
    images = _Images()
    for node in nodes:
        stack = [node]
        while stack:  # the box in document order, an image's caption passed over whole
            element = stack.pop()
            if not isinstance(element.tag, str) or element.tag in _SKIP_TEXT:
                continue
            if element.tag == "img":
                images.add(element)
            if images.captions(element):  # an image's caption dates the image, not the article
                continue
            stack.extend(reversed(element))
            for piece in (element.text, element.tail):
                if piece and piece.strip():
                    pieces.append(piece.strip())
                    size += len(piece)
            if size > limit:
                return pieces
    return pieces


def _pieces_of_headless(tree: HtmlElement, limit: int) -> list[str]:
    """The text pieces of a page that shows no heading at all, from its start: a post's
    source file whose title only its front matter declares, or a bare fragment of a post,
    opens with the post's meta line as a rendered page does under its title. A page with a
    heading that holds no headline has its dateline somewhere else: nothing is read."""
    if any(clean_text(h.text_content()) for h in tree.iter("h1", "h2", "h3")):
        return []
    body = tree.find(".//body")
    pieces: list[str] = []
    size = 0
    skipped = 0  # depth inside a script or style
    for event, element in etree.iterwalk(body if body is not None else tree, ("start", "end")):
        if not isinstance(element.tag, str):
            texts = [element.tail] if event == "end" and not skipped else []
        elif element.tag in _SKIP_TEXT:
            skipped += 1 if event == "start" else -1
            texts = [element.tail] if event == "end" and not skipped else []
        elif skipped:
            continue
        else:
            texts = [element.text if event == "start" else element.tail]
        for piece in texts:
            if piece and piece.strip():
                pieces.append(piece.strip())
                size += len(piece)
        if size > limit:
            break
    return pieces


class _Images:
    """The images met so far, and whether an element is one's caption: a ``figcaption`` or
    a ``figure`` (its text is the image's), what an image names as its description
    (``aria-describedby``, as WordPress's caption shortcode writes it), an element whose
    class calls it a caption, or a credit just under an image, or text that repeats an
    image's description (its ``alt``)."""

    def __init__(self) -> None:
        self.described: set[str] = set()
        self.alts: set[str] = set()

    def add(self, image: HtmlElement) -> None:
        self.described.update((image.get("aria-describedby") or "").split())
        alt = clean_text(image.get("alt"))
        if len(alt) >= 20:
            self.alts.add(alt[:30])

    def captions(self, element: HtmlElement) -> bool:
        names = (element.get("class") or "").lower()
        if element.tag in ("figcaption", "figure") or "caption" in names:
            return True  # what a figure holds besides its image is about the image
        if "credit" in names and _after_image(element):
            return True  # a photo credit under its image (a byline can be named a credit too)
        if self.described and element.get("id") in self.described:
            return True
        text = element.text
        return bool(self.alts and text and any(a in clean_text(text) for a in self.alts))


def _after_image(element: HtmlElement) -> bool:
    """Whether the element just before ``element`` is an image or holds one and no text."""
    before = element.getprevious()
    while before is not None and not isinstance(before.tag, str):
        before = before.getprevious()
    if before is None:
        return False
    if before.tag in ("img", "picture"):
        return True
    return before.find(".//img") is not None and not clean_text(before.text_content())


def _readings(piece: str) -> list[str]:
    """The dates ``piece`` shows, as ISO strings, either way round when its numbers leave the
    order of day and month open ("03/04/2021 - 00:30": 4 March or 3 April)."""
    readings = []
    for day_first in (True, False):
        shown = shown_date(piece, day_first=day_first)
        if shown and shown not in readings:
            readings.append(shown)
    return readings


_UPDATE_WORD = re.compile(
    r"\bupdat|\bmodifi|\bedited\b|aktualisiert|geändert|\bstand:|mis à jour|actualiz|aggiornat|"
    r"bijgewerkt",
    re.I,
)


def shown_offset(tree: HtmlElement, headline: str | None, published: datetime) -> timezone | None:
    """The page's offset from UTC when its dateline shows, in local time, the instant a
    machine value gives in UTC ("2021-03-03T02:30:00Z" shown as "March 2, 2021 9:30 PM EST"):
    the difference, when it is a whole quarter hour within 14 hours and not zero. A day and
    a time in elements of their own ("Nov. 19, 2019", "5:50 PM") are read together; a numeric
    day is read whichever way round fits."""
    offset = shown_clock(tree, headline, published)
    return timezone(offset) if offset else None


def shown_clock(tree: HtmlElement, headline: str | None, published: datetime) -> timedelta | None:
    """How far the dateline's clock is from ``published`` read in UTC: zero when it shows the
    value's own clock, None when it shows no time that can be the same instant."""
    utc = published.astimezone(UTC).replace(tzinfo=None, second=0, microsecond=0)
    pieces = [p for p in pieces_after_headline(tree, headline, limit=400) if len(p) <= 100]
    for number, piece in enumerate(pieces):
        texts = [piece]
        if number + 1 < len(pieces):
            texts.append(f"{piece} {pieces[number + 1]}")
        if update_line(pieces, number):
            continue  # an update's time ("Updated" in its line or as its label), not the publication's
        for text in texts:
            for shown in _readings(text):
                if "T" not in shown or shown.endswith("+00:00"):
                    continue
                local = datetime.fromisoformat(shown)
                if local.tzinfo is not None:  # "9:30 PM EST": the zone is shown with it
                    same = local == published.replace(second=0, microsecond=0)
                    return local.utcoffset() if same else None
                offset = local - utc
                if not offset or (abs(offset) <= _WIDEST and not offset % timedelta(minutes=15)):
                    return offset
    return None


_WIDEST = timedelta(hours=14)  # the farthest any zone is from UTC (UTC+14, UTC-12)
_WESTMOST = timedelta(hours=-12)


def local_day_offset(
    published: datetime,
    evidence: Iterable[Iterable[str]],
    modified: Iterable[str] = (),
    region: tuple[float, float] | None = None,
) -> timezone | None:
    """An offset that puts ``published`` (a value in UTC) on the day the page itself shows,
    when that day is the one before or after the UTC day and some zone can make it so.

    ``evidence`` is the page's own days, best first, one group per source: the dates of its
    dateline (either way round where the numbers allow), its date-only ``<time>`` values, its
    URL's day. The first group that names a day decides: when it names the UTC day, or no
    neighbouring day a zone can reach, nothing changes; a day of ``modified`` is an update,
    not the publication, unless the page's region (``region``, its offsets in hours) has
    a zone that puts the publication on that day too: an update on the same local day says
    nothing against it. The offset is the whole hour nearest to UTC that gives that day: the
    instant stays exact, the day is the page's, the hour of the day is not known."""
    utc = published.astimezone(UTC)
    day = utc.date()
    since_midnight = utc - utc.replace(hour=0, minute=0, second=0, microsecond=0)
    updated = {m[:10] for m in modified}
    for group in evidence:
        days = [d[:10] for d in group if d]
        if not days:
            continue
        if day.isoformat() in days:
            return None
        before, after = (day - timedelta(days=1)).isoformat(), (day + timedelta(days=1)).isoformat()
        for shown in days:
            if shown == before and since_midnight < -_WESTMOST:
                hours = -(since_midnight // timedelta(hours=1)) - 1
            elif shown == after and timedelta(days=1) - since_midnight <= _WIDEST:
                hours = -((since_midnight - timedelta(days=1)) // timedelta(hours=1))
            else:
                continue
            in_region = region is not None and (
                region[1] >= hours if hours > 0 else region[0] <= hours
            )
            if shown in updated and not in_region:
                continue
            return timezone(timedelta(hours=hours))
        return None
    return None


def dateline_days(tree: HtmlElement, headline: str | None) -> list[str]:
    """The days shown in the first dated line after the headline (a dateline is short and
    no sentence; an update's line is passed over), each reading of an open numeric date."""
    pieces = line_parts(pieces_after_headline(tree, headline, limit=600))
    for number, piece in enumerate(pieces):
        if len(piece) > 100 or (len(piece.split()) > 10 and piece.rstrip().endswith(".")):
            continue
        readings = _readings(piece)
        if not readings:
            continue
        if update_line(pieces, number):
            continue
        return [r[:10] for r in readings]
    return []


def update_line(pieces: list[str], number: int) -> bool:
    """Whether ``pieces[number]`` dates an update ("Updated March 9, 2021", or a short label
    "Aktualisiert:" just before it), not the publication."""
    before = pieces[number - 1] if number else ""
    piece = pieces[number]
    if _UPDATE_WORD.search(piece):
        return True
    # a label of its own ("Aktualisiert:"), not an update's line with its own date above
    return len(before) <= 30 and bool(_UPDATE_WORD.search(before)) and not shown_date(before)


# what separates the parts of one meta line ("Updated March 5, 2021 · Published March 3, 2021",
# "Last updated on 5 March 2021. First published on 3 March 2021.")
_PART_SEPARATOR = re.compile(r"\s+[·•|]\s+|(?<=(?:19|20)\d\d)\.\s+")


def line_parts(pieces: list[str]) -> list[str]:
    """The pieces with each meta line split into its parts, so that an update's date and the
    publication's on one line are told apart."""
    return [part for piece in pieces for part in _PART_SEPARATOR.split(piece) if part]


# the verb of a post's own meta line: "This entry was posted on DATE and is filed under …",
# "Dieser Beitrag wurde am DATE veröffentlicht", as blog themes close a post
_POSTED_WORD = re.compile(
    r"\b(?:posted|published|veröffentlicht|publié|publicado|pubblicato|geplaatst|gepubliceerd|"
    r"opublikowano|publicerad|udgivet)\b",
    re.IGNORECASE,
)


def posted_line_date(tree: HtmlElement, headline: str | None, day_first: bool) -> str | None:
    """The date of the post's own meta line wherever it stands after the headline (themes
    print "This entry was posted on DATE and is filed under …" after the text): a short
    piece with a publication verb and a date, not an update's. Comment sections are to be
    taken out of ``tree`` before."""
    for piece in pieces_after_headline(tree, headline, limit=30000):
        if len(piece) > 300 or not _POSTED_WORD.search(piece) or _UPDATE_WORD.search(piece):
            continue
        found = shown_date(piece, day_first=day_first)
        if found:
            return found
    return None


def tooltip_date(tree: HtmlElement) -> str | None:
    """The date in the tooltip of the first relative time the page shows ("Posted 2 days
    ago" with ``title="Wednesday, March 3rd, 2021 9:48pm"``, as Tumblr's ``{TimeAgo}`` and
    many blog themes print it): the absolute date the page gives for what it counts back from
    the day it was seen. Comment sections are to be taken out of ``tree`` before."""
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in _SKIP_TEXT:
            continue
        title = element.get("title")
        if not title or len(title) > 90 or not any(ch.isdigit() for ch in title):
            continue
        text = clean_text(element.text_content())
        if not text or len(text) > 40 or find_date_span(text) is None or shown_date(text):
            continue  # no relative time, or an absolute date of its own
        found = shown_date(title, named_only=True)
        if found:
            return found
    return None
