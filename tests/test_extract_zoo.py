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
    "wpdiscuz7.html": [
        # the shown time is relative ("3 days ago"); the date element's title has the date
        ("Harald", "2024-04-28T09:14:00", "Does this work on enamelled pans", None),
        ("Ines K.", "2024-04-28T11:02:00", "No: enamel needs no seasoning", 0),
        ("Bo", "2024-04-30T18:45:00", "Flaxseed oil gave me", None),
    ],
    # replies inside the comment they answer, ids sharing the post's number ("wc-comm-512_61")
    "wpdiscuz-classic.html": [
        ("Gerda", "2024-04-26", "Gilt das auch für alte Hochstämme", None),
        ("Matthias", "2024-05-01T08:12:00", "Ja, aber in Etappen", 0),
        ("Jörg aus Kassel", "2024-04-29T12:00:00+00:00", "Wir schneiden erst im März", None),
    ],
    # replies in a div directly inside the comment they answer (wp_list_comments style=div)
    "jetpack.html": [
        ("Tomás", "2023-10-02T14:21:09-04:00", "Is there still a dining car", None),
        ("Lena", "2023-10-02T16:03:40-04:00", "No dining car since the timetable", 0),
        ("Priya", "2023-10-04T09:30:00-04:00", "We did it in the other direction", None),
    ],
    # Russian dates with the day only; a comment's title is not its author
    "jcomments.html": [
        ("Виктор", "2022-11-14", "А пол тоже утеплять", None),
        ("Редакция", "2022-11-15", "Пол обязательно", 0),
        ("Гость", "2022-11-20", "Без пароизоляции у нас", None),
    ],
    # "By NAME on DATE"; replies are shown flat, so no parent
    "movabletype.html": [
        ("Kasper", "2011-03-03T08:15:22+00:00", "Which thread weight do you use", None),
        ("June", "2011-03-03T10:02:05+00:00", "@Kasper: 18/3 linen, waxed.", None),
        ("Anonymous", "2011-03-05T22:48:00+00:00", "Lovely. I made three", None),
    ],
    # posts without a comment class; the reply names its parent by an "in reply to" link
    "discourse-embed.html": [
        ("hkoenig", "2024-04-29T08:05:00", "Does the 800 W limit apply", None),
        ("mara_editor", "2024-04-29T10:40:00", "Per household: the grid operator", 0),
        ("lu", "2024-05-01T09:15:00", "Our landlord asked", None),
    ],
    "isso.html": [
        ("Anja", "2024-04-30T09:12:00+00:00", "Which editor do you use", None),
        ("Ruben", "2024-05-01T10:30:00+00:00", "Plain git diff --word-diff", 0),
        ("Anonymous", "2024-05-01T11:40:00+00:00", "Org files here", None),
    ],
    # the name is a button; "4/29/2024 at 7:42 PM"
    "remark42.html": [
        ("Nadia", "2024-04-29T19:42:00", "How deep did you dig the basin?", None),
        ("Oskar", "2024-04-30T08:05:00", "Forty centimetres", 0),
        ("anonymous_4711", "2024-05-01T06:10:00", "We planted sedges", None),
    ],
    # cards without a comment class or a numeric id; the time in the title, vote counters
    "commento.html": [
        ("Emil", "2024-04-29T16:20:00+00:00", "Do the worms survive", None),
        ("Clara", "2024-04-30T09:05:00+00:00", "Two weeks easily", 0),
        ("Anonymous", "2024-05-01T11:00:00+00:00", "Bokashi is another option", None),
    ],
    # utility classes only: records found by their repeated shape, the name in a heading
    "ghost.html": [
        ("Marius Stoica", "2024-04-29T18:40:00", "Which wire did you use", None),
        ("Hanna Berg", "2024-04-30T10:00:00", "Stainless lasts longer", 0),
        ("Anonymous", "2024-04-28T07:15:00", "We grow beans up ours", None),
    ],
    # Genesis: schema.org Comment microdata, replies in ul.children; the last date is shown
    # relative ("2 days ago") over its time[datetime]
    "genesis.html": [
        ("Henrik Dahl", "2024-04-21T07:42:18+02:00", "Which gels did you use", None),
        ("Sofia", "2024-04-21T12:05:40+02:00", "None: boiled potatoes", 0),
        ("Jo", "2024-04-29T18:15:03+02:00", "Walking the steep descents", None),
    ],
    # Coral (a newsroom's threaded comments, rendered): records named only by role="article"
    # and CSS-module classes, the name on a button beside a "Staff" tag, relative times over
    # time[datetime], replies in a reply list inside a bare wrapper after the comment
    "coral.html": [
        ("harbourview", "2024-04-26T14:12:00+00:00", "Will the ferry still run", None),
        ("Metro Desk", "2024-04-27T09:30:00+00:00", "Sundays stay", 0),
        ("K. Osei", "2024-05-01T09:05:00+00:00", "Good to see this covered", None),
    ],
    # Substack: dates shown without a year ("Apr 25") or compact ("2d"), no machine value
    "substack.html": [
        ("Tobias Meyer", "2024-04-25", "Does the flat index mean", None),
        ("Rosa Lindqvist", "2024-04-25", "Both, in a way", 0),
        ("Priya N.", "2024-04-29T12:00:00+00:00", "Thank you for including", None),
    ],
    # Astra: ast-comment articles whose id is the comment's, the list item carrying li-comment-ID
    "astra.html": [
        ("Dave Marsh", "2024-04-18T19:12:33+01:00", "How do I know which cartridge", None),
        ("Ruth", "2024-04-19T08:40:05+01:00", "Count the splines", 0),
        ("Mo", "2024-04-30T21:02:10+01:00", "The silicone grease tip", None),
    ],
    # GeneratePress: the name in cite[itemprop=name], the reply link inside the comment text
    "generatepress.html": [
        ("Peter Vance", "2024-04-22T09:14:51-04:00", "Does the colander trick", None),
        ("Lucia", "2024-04-22T11:30:07-04:00", "Yes, but chill it", 0),
        ("Ana", "2024-04-30T10:05:44-04:00", "Rice flour on the towel", None),
    ],
    # Twenty Twenty-One: the core HTML5 walker inside the theme's comments.php
    "twentytwentyone.html": [
        ("Ollie Grant", "2024-04-24T22:10:37+01:00", "Does the N242 still stop", None),
        ("Nadia", "2024-04-25T08:02:19+01:00", "It stops at Hackney Central", 0),
        ("Bea", "2024-04-28T16:20:00+01:00", "Finally. Walking home", None),
    ],
    # Twenty Twenty-Four (block theme): core/comment-template blocks, replies in a bare ol
    "twentytwentyfour.html": [
        ("Colm Byrne", "2024-04-26T20:03:55+00:00", "My centre squares always bulge", None),
        ("Greta", "2024-04-27T09:41:12+00:00", "Press every seam", 0),
        ("Maud", "2024-04-29T14:27:30+00:00", "I made one in flannel scraps", None),
    ],
    # Thesis 1.x: dt (header) + dd (body) pairs, replies in dl.children inside the dd; no
    # machine-readable date, the last one relative ("2 days ago")
    "thesis.html": [
        ("Ewan Roberts", "2024-04-23T08:17:00", "What grit do you finish on?", None),
        ("Tom", "2024-04-23T11:45:00", "Go on to 6000", 0),
        ("Kath", "2024-04-29T12:00:00+00:00", "The honing guide made", None),
    ],
    # Komento (Joomla): replies shown flat, indented, naming their parent by parentid="kmt-ID";
    # times relative over time[itemprop=dateCreated]
    "komento.html": [
        ("Lorenzo Bassi", "2024-04-28T09:15:00+00:00", "Do you shake the branches", None),
        ("Chiara", "2024-04-29T07:40:00+00:00", "By hand with plastic rakes", 0),
        ("Giulia", "2024-05-01T08:00:00+00:00", "We took ours to the frantoio", None),
    ],
    # Django's contrib comments list: "DATE - NAME" in a dt, the text in the dd after it, no
    # class on either; a sidebar of readers' comments on other stories is no comment here
    "django-comments.html": [
        ("Gwen Harris", "2023-09-11T09:05:00", "Six weeks in autumn", None),
        ("Mark O.", "2023-09-11T12:40:00", "The Mill Lane crossing", None),
        ("Deb Farrow", "2023-09-12T18:18:00", "Good that the deck", None),
    ],
    # Serendipity: the text before the byline, replies shown flat and indented by
    # padding-left, the post author marked by a "Post author" badge inside the name
    "serendipity.html": [
        ("Lena Voss", "2024-03-12T09:41:00", "Endlich! Vor der Grundschule", None),
        ("Martin", "2024-03-12T11:02:00", "Der Zebrastreifen steht", 0),
        ("Horst K.", "2024-03-13T18:27:00", "Und wer kontrolliert das?", None),
    ],
    # Plone (plone.app.discussion): one flat list, the depth only in a level-N class
    "plone.html": [
        ("Marloes Bakker", "2024-03-04T11:05:00", "Will the lanes be gritted", None),
        ("Joost de Vries", "2024-03-04T12:02:00", "The council says yes", 0),
        ("Anonymous", "2024-03-05T09:12:00", "Forty spaces for the whole", None),
    ],
    # an old theme's own comment loop (no wp_list_comments): div.comment1#comment-ID blocks
    "wordpress-custom-loop.html": [
        ("Claire M.", "2011-03-02T18:42:00", "Bravo à toute la promotion", None),
        ("Julien", "2011-03-03T09:15:00", "Est-ce que les vidéos", None),
        ("admin", "2011-03-03T11:30:00", "Oui, elles seront ouvertes", None),
    ],
    # Cusdis (the Tailwind widget): utility classes only, one comment and its one reply
    # nested inside it, with nothing that repeats as a sibling
    "cusdis.html": [
        ("Ines Albrecht", "2024-04-27T21:14:00", "I followed the recipe", None),
        ("Paul Rydén", "2024-04-28T08:02:00", "Let it double.", 0),
    ],
    # SilverStripe page comments: the comment class only on the text's p, the name ("NAME
    # says:") and the date (m/d/Y and an age) in a header div beside it
    "silverstripe.html": [
        ("Tom Ellery", "2024-04-27", "Well done everyone.", None),
        ("Helen Marsh", "2024-04-28", "Yes, the builder", None),
        ("Margaret D", "2024-04-30", "Could the quiz become", None),
    ],
    # PHPBoost: schema.org Comment on article.message, a member level beside the name
    "phpboost.html": [
        ("Mathilde", "2024-03-02T14:32:00+01:00", "Super nouvelle !", None),
        ("Visiteur", "2024-03-03T09:05:00+01:00", "Est-ce que le parking", None),
        ("redaction", "2024-03-03T11:40:00+01:00", "Oui, le parking de la gare", None),
    ],
    # Solo (the 9IPHP skin): replies shown flat, naming the comment they answer by an
    # "@ NAME" link to its anchor (#OID)
    "solo.html": [
        ("Karel", "2024-04-26T20:26:00", "Does it still stop in Linz?", None),
        ("Lin", "2024-04-27T02:57:00", "It does, at 02:21 now.", 0),
        ("mira_k", "2024-04-27T17:28:00", "We took it last winter", None),
    ],
    # a Svelte comment list with a reply form inside every comment and replies in a div.ml-3
    # (an indent utility class) after the comment they answer
    "svelte-replyforms.html": [
        ("hanae", "2024-04-27T18:05:00", "Thank you for the merges.", None),
        ("editors", "2024-04-27T19:40:00", "They already do", 0),
        ("tomas_b", "2024-04-28T07:12:00", "The romanised search is great", None),
    ],
    # giscus (GitHub Discussions in a frame): replies in a gsc-replies box, each a gsc-reply of
    # another shape than the gsc-comment it answers, the owner's "Owner" label in its header
    "giscus.html": [
        ("jkaplan", "2024-04-27T19:14:00+00:00", "Nice write-up.", None),
        ("mtoh", "2024-04-28T08:02:00+00:00", "Not yet, thanks.", 0),
        ("pia-w", "2024-04-29T15:40:00+00:00", "The multi-stage example", None),
    ],
    # django-comments-xtd (Bootstrap media objects): "DATE - NAME ¶" headings, the replies in an
    # unnamed div.media after the comment inside its media-body
    "django-comments-xtd.html": [
        ("Roz Adeyemi", "2024-02-03T11:42:00", "Wonderful news.", None),
        ("Library team", "2024-02-03T14:15:00", "It is: the children", 0),
        ("Tom Reilly", "2024-02-04T09:03:00", "Thanks to everyone", None),
    ],
}

EMPTY = [
    "astra-empty.html",
    "blogger-classic-empty.html",
    "commento-empty.html",
    "coral-empty.html",
    "discourse-embed-empty.html",
    "disqus-noscript.html",
    "drupal7-empty.html",
    "drupal8-empty.html",
    "generatepress-empty.html",
    "genesis-empty.html",
    "ghost-empty.html",
    "isso-empty.html",
    "jcomments-empty.html",
    "jetpack-empty.html",
    "komento-empty.html",
    "movabletype-empty.html",
    "plone-empty.html",
    "remark42-empty.html",
    "serendipity-empty.html",
    "substack-empty.html",
    "thesis-empty.html",
    "twentytwentyfour-empty.html",
    "twentytwentyone-empty.html",
    "wordpress-empty.html",
    "wpdiscuz-classic-empty.html",
    "wpdiscuz7-empty.html",
]


CAPTURED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _comments(name: str) -> list[FoundComment]:
    html = decode_page((ZOO / name).read_bytes(), None).text
    return find_comments(html, captured_at=CAPTURED)


def _same_time(found: datetime | None, want: str) -> bool:
    if found is None:
        return False
    if len(want) == 10:  # a date shown without a time: the day
        return found.date().isoformat() == want
    expected = datetime.fromisoformat(want)
    if expected.tzinfo is None:  # shown without a zone: the wall-clock time as shown
        return found.replace(tzinfo=None) == expected
    # the same instant in the zone the page gives (not merely the same instant)
    return found == expected and found.utcoffset() == expected.utcoffset()


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
            "Ответить",
            "points",
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
