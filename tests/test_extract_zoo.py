"""The template zoo: pages in the markup of real comment systems (fixtures/zoo, each noted with
the public template it follows in fixtures/README.md), with threads, a reply by the post's
author, authors with and without a link, and comment sections without any comment."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corpsearch.extract.charset import decode_page
from corpsearch.extract.comments import FoundComment, find_comments

from .conftest import ROOT

ZOO = ROOT / "fixtures" / "zoo"

# file -> (author, time as ISO, first words of the text, parent index) per comment
EXPECTED: dict[str, list[tuple[str, str, str, int | None]]] = {
    "wordpress-html5.html": [
        ("Jonas Berg", "2021-05-04T09:12:44+02:00", "Mine split every year", None),
        ("Mara", "2021-05-04T18:30:02+02:00", "Regular watering: splitting", 0),
        ("Petra", "2021-05-06T07:05:10+02:00", "Thanks, the cherry tip", None),
    ],
    "wordpress-xhtml.html": [
        ("Klaus", "2019-06-13T08:41:00", "Wie war das Wetter?", None),
        ("Redaktion", "2019-06-13T10:02:00", "Im September ist es meist", 0),
        ("Anke M.", "2019-06-15T19:55:00", "Schöner Bericht", None),
    ],
    "drupal8.html": [
        ("Walter", "2021-02-16T14:20:00", "Does line 4 still stop", None),
        ("editor", "2021-02-16T15:36:00", "Yes: the evening line 4", 0),
        ("Ines", "2021-02-20T08:05:00", "Finally a direct connection", None),
    ],
    "drupal7.html": [
        ("Hélène", "2017-12-02T18:03:00+01:00", "Est-ce que le marché", None),
        ("redaction", "2017-12-02T19:40:00+01:00", "Oui, le dimanche", 0),
    ],
    # relative times ("3 uur geleden"), counted back from the capture time
    "zotonic.html": [
        ("Femke", "2024-05-01T09:00:00+00:00", "Eindelijk! Is er ook plek", None),
        ("Redactie", "2024-05-01T10:00:00+00:00", "Ja, aan de kant van de tramhalte", None),
        ("Joost", "2024-05-01T11:35:00+00:00", "Mooi, dan hoef ik niet meer", None),
    ],
    "modxtalks.html": [
        ("Ольга", "2016-05-14T10:12:00", "А какой материал брали?", None),
        ("Автор блога", "2016-05-14T12:40:00", "Брали металлочерепицу", None),
    ],
    # schema.org Comment whose itemprop="text" wraps the author and date as well
    "ngcms.html": [
        ("Иван", "2019-06-01T18:20:00", "Были вчера с детьми", None),
        ("Гость", "2019-06-02T09:05:00", "Скамейки обещали поставить", None),
    ],
    "blogger-classic.html": [
        ("Sam", "2015-03-10T09:02:00", "How stable is the lamp", None),
        ("Dr. Lin", "2015-03-10T10:40:00", "About fifteen minutes here", None),
        ("Anonymous", "2015-03-11T16:17:00", "Useful routine", None),
    ],
}

EMPTY = ["disqus-noscript.html", "isso-empty.html", "wordpress-empty.html"]


CAPTURED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _comments(name: str) -> list[FoundComment]:
    html = decode_page((ZOO / name).read_bytes(), None).text
    return find_comments(html, captured_at=CAPTURED)


def _same_time(found: datetime | None, want: str) -> bool:
    expected = datetime.fromisoformat(want)
    if found is None:
        return False
    if expected.tzinfo is None:  # shown without a zone: the wall-clock time as shown
        return found.replace(tzinfo=None) == expected
    return found == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_comment_of_a_template_with_its_author_time_text_and_thread(name: str) -> None:
    found = _comments(name)
    want = EXPECTED[name]
    assert len(found) == len(want), [(c.author, c.text[:30]) for c in found]
    for comment, (author, time, text, parent) in zip(found, want, strict=True):
        assert comment.author == author
        assert _same_time(comment.published, time), (author, comment.published)
        assert comment.text.startswith(text), (author, comment.text[:60])
        assert comment.parent == parent, (author, comment.parent)
        # headers, reply links, permalinks and titles never reach the text
        for debris in (
            "Reply",
            "Antworten",
            "répondre",
            "Permalink",
            "says:",
            "said...",
            "Цитировать",
        ):
            assert debris not in comment.text


@pytest.mark.parametrize("name", EMPTY)
def test_a_comment_section_without_comments_gives_none(name: str) -> None:
    assert _comments(name) == []


def test_every_zoo_page_is_checked_and_noted_in_the_fixtures_readme() -> None:
    pages = {p.name for p in ZOO.glob("*.html")}
    assert pages == set(EXPECTED) | set(EMPTY)
    notes = (ROOT / "fixtures" / "README.md").read_text(encoding="utf-8")
    for page in pages:
        assert f"zoo/{page}" in notes, page
