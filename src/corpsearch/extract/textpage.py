"""Extraction from plain-text renderings of pages (the seed's form).

Line 1 is the headline; then the article's paragraphs, separated by blank lines; then, for a site
whose profile describes its text rendering, a comment-count line and the comments, each opened by
a header line (avatar alt text, author, date).
"""

from __future__ import annotations

from datetime import tzinfo

from ..profiles import Profile, TextLayout
from ..textnorm import clean_line, join_paragraphs, split_paragraphs
from .dates import parse_shown_date
from .parts import PageParts, RawComment

__all__ = ["extract_text_page", "match_text_profile"]


def match_text_profile(text: str, profiles: tuple[Profile, ...]) -> Profile | None:
    """The first profile whose comment header occurs as a line of ``text``."""
    for profile in profiles:
        if profile.text is not None and profile.text.comment_header.search(text) is not None:
            return profile
    for profile in profiles:
        if profile.text is not None and _has_line(profile.text, text):
            return profile
    return None


def _has_line(layout: TextLayout, text: str) -> bool:
    return any(layout.comment_header.match(clean_line(line)) for line in text.splitlines())


def extract_text_page(text: str, profile: Profile | None, zone: tzinfo) -> PageParts:
    lines = [clean_line(line) for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    parts = PageParts(headline=lines[0] if lines else None, language=None)
    layout = profile.text if profile is not None else None
    if profile is not None:
        parts.language = profile.language
        parts.site = profile.hosts[0] if profile.hosts else profile.name
    rest = lines[1:]
    if layout is None:
        parts.body = join_paragraphs(split_paragraphs("\n".join(rest)))
        parts.published_reason = "the text shows no publication date"
        return parts

    first_header = next(
        (i for i, line in enumerate(rest) if layout.comment_header.match(line)), len(rest)
    )
    article_lines = rest[:first_header]
    if layout.comment_count is not None:
        for i in range(len(article_lines) - 1, -1, -1):
            match = layout.comment_count.match(article_lines[i])
            if match:
                parts.comment_count = int(match.group("count"))
                article_lines = article_lines[:i]
                break
    paragraphs = split_paragraphs("\n".join(article_lines))
    parts.body = join_paragraphs(
        p for p in paragraphs if not any(d.match(p) for d in layout.debris)
    )
    parts.published_reason = (
        "the page shows no date for the article (only relative words such as a weekday)"
    )
    parts.comments = list(_comments(rest[first_header:], layout, profile, zone))
    return parts


def _comments(
    lines: list[str], layout: TextLayout, profile: Profile | None, zone: tzinfo
) -> list[RawComment]:
    blocks: list[tuple[str, str, list[str]]] = []
    for line in lines:
        header = layout.comment_header.match(line)
        if header:
            blocks.append((header.group("author"), header.group("date"), []))
        elif blocks:
            blocks[-1][2].append(line)
    formats = profile.date_formats if profile is not None else ()
    found = []
    for author, shown, body in blocks:
        published = parse_shown_date(shown, formats, zone)
        found.append(
            RawComment(
                author=author,
                published=published,
                published_reason=None if published else f"unreadable date {shown!r}",
                text=join_paragraphs(split_paragraphs("\n".join(body))),
            )
        )
    return found
