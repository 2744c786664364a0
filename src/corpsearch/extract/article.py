"""Generic article extraction for pages of unknown sites.

Metadata the page embeds (JSON-LD, microdata, OpenGraph and other meta tags, ``<time>``) gives
the headline, date, authors, canonical URL and language; the body comes from boilerplate
removal (trafilatura), cleaned of headline and byline lines and of reader comments.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from lxml.html import HtmlElement

from corpsearch.extract.body import article_body
from corpsearch.extract.date_names import region_offsets
from corpsearch.extract.date_order import month_first_beside_dateline
from corpsearch.extract.datelines import (
    dateline_days,
    line_parts,
    local_day_offset,
    pieces_after_headline,
    pieces_before_headline,
    posted_line_date,
    shown_clock,
    shown_offset,
    text_after_headline,
    times_far_before_headline,
    tooltip_date,
    update_line,
)
from corpsearch.extract.front_matter import (
    displayed_post_title,
    heading_line_title,
    read_front_matter,
)
from corpsearch.extract.headline import choose_headline, host_of
from corpsearch.extract.htmldates import (
    choose_date,
    date_from_url,
    day_order,
    guessed_date,
    is_ambiguous,
    parse_date,
    shown_date,
    shows_us_zone,
)
from corpsearch.extract.htmltree import parse_html
from corpsearch.extract.metadata import (
    PageMetadata,
    absolute_url,
    clean_text,
    drop_comment_sections,
    read_metadata,
)

__all__ = ["ArticleFields", "detect_language", "extract_article"]

# trafilatura and htmldate log every page they discard; without a handler set up by the
# application, Python would print those records to stderr
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


@dataclass(frozen=True, slots=True)
class ArticleFields:
    """What generic extraction found on one article page."""

    url: str | None
    site: str | None
    headline: str | None
    body: str
    published: datetime | None
    published_reason: str | None
    authors: tuple[str, ...]
    language: str | None
    # the offset the article's own dates declare (None: none declares one other than UTC), in
    # which the page's times without a zone are read when no profile names the site's zone
    zone: timezone | None = None


def extract_article(
    html: str,
    *,
    url: str | None = None,
    default_tz: tzinfo = UTC,
    tree: HtmlElement | None = None,
) -> ArticleFields:
    """Read the article fields of one HTML page.

    ``url`` is where the page was fetched from (used to resolve relative links and as the
    URL when the page names none); ``default_tz`` is the site's zone for dates without one.
    ``tree`` is the page already parsed by :func:`~corpsearch.extract.htmltree.parse_html`
    (it is changed: hidden elements are removed, split bodies joined); without it ``html`` is
    parsed here.
    """
    if tree is None:
        tree = parse_html(html).root
    if tree is None:
        return ArticleFields(
            url=url,
            site=_site(url, []),
            headline=None,
            body="",
            published=None,
            published_reason="the page could not be parsed as HTML",
            authors=(),
            language=None,
        )
    meta = read_metadata(tree)
    _declared_by_front_matter(html, tree, meta)
    canonical = absolute_url(meta.urls, url) or (absolute_url([url], None) if url else None)
    headline = choose_headline(meta, canonical)
    body, body_problem = article_body(tree, meta, headline)
    zone = _declared_offset(meta, default_tz)
    published, reason = _published(tree, meta, headline, canonical, url, default_tz)
    if published is not None and _utc_instant(published, reason, default_tz):
        published, reason, zone = _in_page_time(
            published, reason, zone, tree, meta, headline, canonical or url
        )
    elif published is not None and zone is None and reason is None and published.utcoffset():
        zone = timezone(published.utcoffset() or timedelta(0))  # a dateline shown with its zone
    if body_problem:
        reason = f"{reason}; {body_problem}" if reason else body_problem
    return ArticleFields(
        url=canonical,
        site=_site(canonical, meta.site_names),
        headline=headline,
        body=body,
        published=published,
        published_reason=reason,
        authors=_authors(meta.authors),
        language=_language(meta.languages, body),
        zone=zone,
    )


def _declared_by_front_matter(html: str, tree: HtmlElement, meta: PageMetadata) -> None:
    """A post's source file declares its title and date only in the metadata block it opens
    with: they count as the page's declared headline and date where the page declares none of
    its own (a full document under a front matter has its own ``<title>``). Where the page it
    holds shows its post's title above the dateline, that title is declared instead: the
    block's title is the file's (another language's, a working title), the shown one the
    post's as its readers saw it. A Markdown heading line the file opens with is its title,
    as a ``<title>`` is, where the markup after it shows no ``<h1>`` of its own (then the line
    may name one of its sections: the h1 is the post's)."""
    if meta.titles or meta.headlines:
        return
    front = read_front_matter(html)
    if front is None:
        line = heading_line_title(html)
        if line and not any(heading.level == 1 for heading in meta.headings):
            meta.titles.append(clean_text(line))
        return
    title = clean_text(front.title) if front.title else ""
    if title:
        meta.headlines.append(clean_text(displayed_post_title(tree)) or title)
    if front.date and not meta.dates:
        meta.dates.append(front.date)


# --- date ------------------------------------------------------------------------------------


def _published(
    tree: HtmlElement,
    meta: PageMetadata,
    headline: str | None,
    canonical: str | None,
    url: str | None,
    default_tz: tzinfo,
) -> tuple[datetime | None, str | None]:
    url_day = date_from_url(canonical) or date_from_url(url)
    time_dates = meta.time_dates
    if time_dates and not meta.dates:  # a site header's date of today is not the article's
        far = times_far_before_headline(tree, headline)
        time_dates = [v for v in time_dates if v.strip() not in far]
    sources = [("embedded date", meta.dates), ("<time> element", time_dates)]
    pieces: list[str] | None = None
    declared_first: bool | None = None
    if any(is_ambiguous(v) for v in (*meta.dates, *time_dates)):
        # "05/06/2019": the page's own text says which number is the day, else its locale
        pieces = pieces_after_headline(tree, headline, limit=1500)
        declared_first = day_order([*pieces, *time_dates], [*meta.dates, *time_dates])
        if declared_first is None:
            declared_first = False if shows_us_zone(pieces) else _locale_day_first(meta)
    declared = bool(meta.dates or time_dates)
    published, reason = choose_date(
        sources, default_tz, url_day=url_day if declared else None, day_first=declared_first
    )
    if published is not None:
        return _before_the_update(published, reason, meta, time_dates, default_tz, tree, headline)
    if pieces is None:
        pieces = pieces_after_headline(tree, headline, limit=1500)
    day_first = day_order(pieces)
    if day_first is None:  # the page's other dates, or the dateline's form, may say
        month_first = month_first_beside_dateline(pieces, tree)
        day_first = None if month_first is None else not month_first
    if day_first is None:  # a US zone beside the dateline's time says month first
        day_first = not (shows_us_zone(pieces) or _is_us(meta))
    # a dateline is a short line of its own; a date inside a sentence (an image caption's
    # "…near Orleans, France, January 16, 2020", "taken on 2 February 2009 by NAME.") only
    # when no such line has one
    shown, label = _dateline(tree, headline, pieces, day_first)
    if shown:
        found, shown_reason = choose_date([(label, [shown])], default_tz)
        # a dateline on the URL's day gives the time as well; on another day, the URL wins
        if found is not None and (url_day is None or found.date().isoformat() == url_day):
            return found, shown_reason
    if url_day:
        return choose_date([], default_tz, url_day=url_day)
    drop_comment_sections(tree)  # their dates are the readers', not the article's
    posted = posted_line_date(tree, headline, day_first)
    if posted:
        found, posted_reason = choose_date([("the post's own meta line", [posted])], default_tz)
        if found is not None:
            return found, posted_reason
    tooltip = tooltip_date(tree)
    if tooltip:
        found, tip_reason = choose_date([("a relative date's tooltip", [tooltip])], default_tz)
        if found is not None:
            return found, tip_reason
    guessed = guessed_date(tree)
    if guessed:
        found, guess_reason = choose_date([("date found in the page", [guessed])], default_tz)
        if found is not None:
            return found, f"{guess_reason}; no machine-readable date"
    return published, reason


def _utc_instant(published: datetime, reason: str | None, default_tz: tzinfo) -> bool:
    """A value that gives an instant in UTC: declared so, or given with a time and no zone on
    a site whose zone is not known (read in UTC). A day alone (read at midnight) is none."""
    if published.utcoffset():
        return False
    if reason is None:
        return True
    return default_tz.utcoffset(None) == timedelta(0) and "has no time zone" in reason


def _in_page_time(
    published: datetime,
    reason: str | None,
    zone: timezone | None,
    tree: HtmlElement,
    meta: PageMetadata,
    headline: str | None,
    url: str | None,
) -> tuple[datetime, str | None, timezone | None]:
    """``published`` (an instant in UTC) on the page's own clock: in the offset its other
    dates declare, else the one its dateline shows (the same instant in local time), else on
    the day the page shows when that is the UTC day's neighbour. Only a declared or shown
    offset becomes the page's zone; one inferred from a day alone is said in the reason."""
    if (
        zone is not None
        and reason is not None
        and shown_clock(tree, headline, published) == (timedelta(0))
    ):
        # a time without a zone that the dateline shows as it is, beside dates declaring a
        # zone: the page's own clock, in their offset
        note = f"read in UTC{_offset_name(zone)}, the offset the article's other dates declare"
        return published.replace(tzinfo=zone), reason.replace("read in UTC", note), zone
    if zone is None:
        zone = shown_offset(tree, headline, published)  # the dateline shows it in local time
        if zone is not None and reason is not None:
            reason = f"{reason}; the dateline shows it in UTC{_offset_name(zone)}"
    elif not published.utcoffset():
        # an instant given in UTC, on the page's clock: say whose offset gave the local day
        note = (
            f"given in UTC; shown in UTC{_offset_name(zone)}, the offset the article's other "
            "dates declare"
        )
        reason = f"{reason}; {note}" if reason else note
    if zone is not None:
        return published.astimezone(zone), reason, zone  # same instant, the page's day
    days_only = [v for v in meta.time_dates if _DAY_ONLY.match(v)]
    url_day = date_from_url(url)
    evidence = [dateline_days(tree, headline), days_only, [url_day] if url_day else []]
    offset = local_day_offset(published, evidence, meta.modified, region_offsets(meta.languages))
    if offset is None:
        return published, reason, None
    note = (
        f"the page shows the day {published.astimezone(offset).date().isoformat()}, not the "
        f"UTC day; shown in UTC{_offset_name(offset)}, an offset the page does not declare"
    )
    return published.astimezone(offset), f"{reason}; {note}" if reason else note, None


_DAY_ONLY = re.compile(r"^\s*\d{4}-\d\d-\d\d\s*$")


def _offset_name(zone: timezone) -> str:
    offset = zone.utcoffset(None)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _before_the_update(
    published: datetime,
    reason: str | None,
    meta: PageMetadata,
    time_dates: list[str],
    default_tz: tzinfo,
    tree: HtmlElement,
    headline: str | None,
) -> tuple[datetime, str | None]:
    """The publication, not the last change: a declared publication date that is the
    declared modification date to the second, where the page's first ``<time>`` gives an
    earlier instant of the month before and its dateline shows that day, was rewritten at
    each update (the page shows "November 18", its metadata the 19th's edit)."""
    modified = [parse_date(v, default_tz) for v in meta.modified]
    if not time_dates or not any(m and m[0] == published for m in modified):
        return published, reason
    shown = parse_date(time_dates[0], default_tz)
    if shown is None or not published - timedelta(days=31) < shown[0] < published:
        return published, reason
    if shown[0].date().isoformat() not in dateline_days(tree, headline):
        return published, reason
    note = (
        f"the declared publication date is the modification's; the article's <time> "
        f"{time_dates[0]!r} is earlier"
    )
    if shown[1]:
        note += f" and has no time zone (read in {default_tz})"
    return shown[0], note


_NEAR = 600  # characters after the headline where its dateline sits, before the article text


def _dateline(
    tree: HtmlElement, headline: str | None, pieces: list[str], day_first: bool
) -> tuple[str | None, str]:
    """The date the page shows as its dateline, and where: the first short line with a date
    just under the headline, else just above it in its box ("By NAME, published …" before
    the title), else further down; a sentence with a date only after every such line, and
    last a date written across pieces."""
    under, above = "date shown under the headline", "date shown by the headline"
    pieces = line_parts(pieces)
    near: list[str] = []
    size = 0
    sentences = 0
    for piece in pieces:
        # the article's text has begun once a second sentence is read (a first may be the
        # standfirst): what comes after it, a list of other stories' dates among it, is no
        # longer just under the headline, and a dateline above the headline goes first
        sentences += _sentence(piece)
        if size > _NEAR or sentences > 1:
            break
        near.append(piece)
        size += len(piece)
    far = pieces[len(near) :]
    before = pieces_before_headline(tree, headline)
    updates = {p for n, p in enumerate(pieces) if update_line(pieces, n)}
    groups = [
        (under, [p for p in near if not _sentence(p) and p not in updates]),
        (above, [p for p in before if not _sentence(p)]),
        (under, [p for p in far if not _sentence(p) and p not in updates]),
        (under, [p for p in pieces if _sentence(p) or p in updates]),  # an update's line last
    ]
    for label, group in groups:
        for piece in group:
            shown = shown_date(piece, day_first=day_first) if len(piece) <= 100 else None
            if shown:
                return shown, label
    text = text_after_headline(tree, headline)
    return (shown_date(text, day_first=day_first) if text else None), under


def _sentence(piece: str) -> bool:
    """A piece that reads as a sentence (many words, closed by a full stop) rather than a
    dateline ("11. März 2012", "Posted on March 4, 2021 by NAME")."""
    return len(piece.split()) > 10 and piece.rstrip().endswith((".", "!", "?"))


def _declared_offset(meta: PageMetadata, default_tz: tzinfo) -> timezone | None:
    """The first offset other than UTC that the article's own dates declare (JSON-LD, meta
    tags, microdata, ``<time datetime>`` outside comments). +00:00 is more often a value
    normalised to UTC than the site's zone, so it says nothing."""
    for value in (*meta.dates, *meta.time_dates, *meta.modified):
        parsed = parse_date(value, default_tz)
        if parsed is None or parsed[1]:
            continue  # no date, or no zone of its own
        offset = parsed[0].utcoffset()
        if offset:
            return timezone(offset)
    return None


def _locale_day_first(meta: PageMetadata) -> bool | None:
    """Day first for a page in a language other than English or in English outside the US,
    month first for ``en-US``; None when the page declares no language or only "en"."""
    for value in meta.languages:
        code = value.strip().lower().replace("_", "-")
        if code == "en-us":
            return False
        if code and code != "en":
            return True
    return None


def _is_us(meta: PageMetadata) -> bool:
    return any(lang.lower().replace("_", "-") == "en-us" for lang in meta.languages)


# --- authors, site, language -----------------------------------------------------------------

_AUTHOR_PREFIX = re.compile(r"^(by|von|par|por|di|door|af|av)\s+", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b)\s*")


def _authors(raw: list[str]) -> tuple[str, ...]:
    names: list[str] = []
    seen: set[str] = set()
    for value in raw:
        value = _AUTHOR_PREFIX.sub("", value)
        for name in _AUTHOR_SPLIT.split(value):
            name = name.strip(" .·|-")
            key = name.casefold()
            if not name or len(name) > 60 or key in seen or "@" in name or "/" in name:
                continue
            seen.add(key)
            names.append(name)
    return tuple(names)


def _site(url: str | None, site_names: list[str]) -> str | None:
    return host_of(url) or (clean_text(site_names[0]) if site_names else None)


_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*$")


def _language(declared: list[str], body: str) -> str | None:
    for value in declared:
        match = _LANG.match(value.strip())
        if match and len(match.group(1)) == 2:
            return match.group(1).lower()
    return detect_language(body)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` by py3langid (its model ships in the package), or None."""
    if len(text) < 100:
        return None
    import py3langid

    code, _score = py3langid.classify(text[:3000])
    return str(code)
