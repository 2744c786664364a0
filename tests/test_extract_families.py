"""Families of extraction failures seen on unseen pages, each checked on markup of its family
where no other test pins the rule down (the table in docs/extraction-comments.md names the
tests of the others)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from corpsearch.extract.article import extract_article
from corpsearch.extract.comment_evidence import date_byline_name
from corpsearch.extract.comments import find_comments

ZOO = Path(__file__).resolve().parent.parent / "fixtures" / "zoo"


def test_drupals_last_change_stamp_dates_a_comment_only_when_nothing_else_does() -> None:
    # Drupal 8's comment template (fixtures/zoo/drupal8.html): the hidden mark's
    # data-comment-timestamp is when the comment last changed, 2021-02-17 15:40 UTC, while
    # the footer shows when it was written, "Tue, 02/16/2021 - 14:20"
    page = (ZOO / "drupal8.html").read_text(encoding="utf-8")
    first = find_comments(page)[0]
    assert first.author == "Walter"
    assert first.published == datetime(2021, 2, 16, 14, 20, tzinfo=UTC)
    # a theme that prints no date: the stamp is all there is
    undated = page.replace('<p class="comment__time">Tue, 02/16/2021 - 14:20</p>', "")
    first = find_comments(undated)[0]
    assert first.author == "Walter"
    assert first.published == datetime(2021, 2, 17, 15, 40, tzinfo=UTC)


def test_a_kicker_and_a_headline_in_blocks_of_one_heading_are_not_glued() -> None:
    # nothing in the metadata to choose a part: the heading's words as shown, each block apart
    text = "<p>" + "The council met on Tuesday and voted on the budget for next year. " * 8
    for heading in (
        "<h1>Budget<br>Council approves the budget after a long night</h1>",
        "<h1><div>Budget</div><div>Council approves the budget after a long night</div></h1>",
    ):
        page = f"<html><body>{heading}{text}</p></body></html>"
        found = extract_article(page, url="https://news.example.org/a/1").headline
        assert found == "Budget Council approves the budget after a long night"


def _shown_headline(heading: str) -> str | None:
    text = "<p>" + "The council met on Tuesday and voted on the budget for next year. " * 8
    page = f"<html><body>{heading}{text}</p></body></html>"
    return extract_article(page, url="https://news.example.org/a/1").headline


def test_two_headings_or_two_pieces_side_by_side_are_not_glued() -> None:
    # a heading of a lower level inside the h1, and two inline pieces that a style shows as
    # lines of their own, with nothing between them in the markup
    for heading in (
        "<h1>Budget<h4>Council approves the budget after a long night</h4></h1>",
        "<h1><span>Budget</span><span>Council approves the budget after a long night</span></h1>",
        "<h1><a href='/budget/'>Budget</a><a href='/a/1'>Council approves the budget after a "
        "long night</a></h1>",
    ):
        assert _shown_headline(heading) == "Budget Council approves the budget after a long night"
    assert (
        _shown_headline("<h1><b>Budget:</b><em>Council approves the budget at last</em></h1>")
        == "Budget: Council approves the budget at last"
    )
    # a word that markup splits, or pieces that begin in lower case, stay as written
    assert _shown_headline("<h1>Old Mc<b>D</b>onald had a farm, the council says</h1>") == (
        "Old McDonald had a farm, the council says"
    )
    assert _shown_headline("<h1><b>e</b><i>Bay</i> sellers face the new budget tax</h1>") == (
        "eBay sellers face the new budget tax"
    )


HELDOUT = ZOO.parent / "heldout"


def test_undated_posts_that_name_their_author_in_a_forum_box_are_comments() -> None:
    # Flarum's server-rendered discussion (its discussion.blade.php: a bare ``article`` per
    # post, ``h3.PostUser-name``, ``div.Post-body``, no date, no link, no comment word),
    # embedded under a story in a box named as the forum's
    page = (HELDOUT / "ht8_flarum_fr.html").read_text(encoding="utf-8")
    found = find_comments(page)
    assert [c.author for c in found] == [
        "Claire_B",
        "Michel Durand",
        "Association Vélo Saint-Julien",
    ]
    assert found[1].text.startswith("420 000 euros pour deux kilomètres, c'est cher.")
    assert all(c.published is None and c.parent is None for c in found)


def _cards(box: str, link: str = "") -> str:
    card = (
        '<article><div class="PostUser"><h3 class="PostUser-name">{name}</h3></div>'
        '<div class="Post-body"><p>{text}{link}</p></div></article>'
    )
    rows = [
        ("Anna Berg", "She leads the desk and writes about the town council every week."),
        ("Jon Maas", "He covers the schools, the sports clubs and the weekly market."),
    ]
    cards = "".join(card.format(name=n, text=t, link=link) for n, t in rows)
    return (
        "<html><body><article><h1>A headline</h1><p>Text of the forum story.</p></article>"
        f'<section class="{box}"><h2>Our team</h2><div>{cards}</div></section></body></html>'
    )


def test_undated_named_cards_without_a_discussion_or_linking_elsewhere_are_none() -> None:
    assert len(find_comments(_cards("forum-embed"))) == 2  # the shape the rule takes
    assert find_comments(_cards("team-embed")) == []  # nothing names a discussion
    # each card links to a page of its own: a list of profiles or teasers
    assert find_comments(_cards("forum-embed", ' <a href="/team/x/">More</a>')) == []


def test_level_and_vote_pieces_beside_the_name_are_no_name() -> None:
    # old Reddit's tagline, but with the name as a bare span: nothing marks which piece of
    # "level 1 NAME 39 points · 6 years ago" is the name
    captured = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    row = (
        '<div class="comment" id="c-{n}"><div class="entry"><p class="tagline">'
        "<span>level 1</span> <span>{name}</span> <span>{votes} points</span> · "
        '<time>{age} years ago</time></p><div class="md"><p>{text}</p></div></div></div>'
    )
    html = (
        "<html><body><article><h1>A headline</h1><p>Text.</p></article>"
        '<div class="commentarea">'
        + row.format(n=1, name="bob_k", votes=39, age=6, text="The first comment's own words.")
        + row.format(n=2, name="ulla", votes=12, age=5, text="A second one, a sentence too.")
        + "</div></body></html>"
    )
    found = find_comments(html, captured_at=captured)
    assert [(c.author, c.text) for c in found] == [
        ("bob_k", "The first comment's own words."),
        ("ulla", "A second one, a sentence too."),
    ]
    assert found[0].published == captured - timedelta(days=6 * 365)


def _reviews(box: str, record: str) -> str:
    rows = [
        ("91", "Ann", "3 March 2020", "/hotels/seaview/", "Seaview Hotel", "Great breakfast."),
        ("92", "Bob", "4 March 2020", "/hotels/harbour/", "Harbour Inn", "Too noisy at night."),
    ]
    records = "".join(
        record.format(n=n, name=name, day=day, href=href, title=title, text=text)
        for n, name, day, href, title, text in rows
    )
    return (
        "<html><head>"
        '<link rel="canonical" href="https://stay.example.org/guides/coast-weekend/"></head>'
        "<body><article><h1>A weekend on the coast</h1><p>Text.</p></article>"
        f'<div class="{box}"><h3>Latest reviews</h3>{records}</div></body></html>'
    )


def test_reviews_of_other_pages_are_no_comments_whatever_their_box_is_named() -> None:
    # each record names the page it is about by a link in its header, apart from the name
    header_name = (
        '<div class="comment" id="comment-{n}"><span class="comment-author">{name}</span> '
        '{day} <a href="{href}">{title}</a><p>{text}</p></div>'
    )
    bare_name = (
        '<div class="comment" id="comment-{n}"><span>{name}</span>, {day}, about '
        '<a href="{href}">{title}</a><p>{text}</p></div>'
    )
    for record in (header_name, bare_name):
        assert find_comments(_reviews("latest-reviews", record)) == []


def test_a_thread_whose_names_are_links_to_pages_of_the_site_stays() -> None:
    # the commenter's page on the site (no profile word in its address) is the name itself;
    # links in the comment's words are the commenter's
    record = (
        '<div class="comment" id="comment-{n}"><a href="/people{href}">{name}</a> '
        '<span>{day}</span><p>{text} See <a href="{href}">{title}</a>.</p></div>'
    )
    found = find_comments(_reviews("comments", record))
    assert [c.author for c in found] == ["Ann", "Bob"]


# -- the name after the date: "On DATE, NAME said:" ------------------------------------------
# a header that is bare prose around the permalink, the words before the date only leading to
# it, the name after it with a verb of saying; Movable Type's exports and their translations

_GARDEN = (
    "<html><head><title>Notes on gardening</title></head><body><article>"
    "<h1>Notes on gardening</h1><p>The beans went in late this year, and the rain did the "
    "rest. We planted three rows along the fence and watered them every other evening until "
    "the first leaves came up.</p></article>{comments}</body></html>"
)


def _said(comments: str) -> list[tuple[str | None, datetime | None, int, str]]:
    found = find_comments(_GARDEN.format(comments=comments))
    return [(c.author, c.published, c.depth, c.text) for c in found]


def test_a_line_after_the_text_names_the_author_after_the_date() -> None:
    # the date a permalink in a line of its own after the words; English and French
    got = _said(
        '<div id="comments"><h2>Comments</h2>'
        '<div class="comment" id="c101"><p>Beans always do better when the soil is warm.</p>'
        '<p class="posted">On <a href="#c101">October 2, 2009 04:59 PM</a>, Jane Roe said:</p>'
        "</div>"
        '<div class="comment" id="c102"><p>We had the same thing with peas, they caught up by '
        'June.</p><p class="posted">On <a href="#c102">October 3, 2009 09:12 AM</a>, '
        '<a href="http://peas.example.net/">Marek Nowak</a> said:</p></div>'
        '<div class="comment" id="c103"><p>Les haricots aiment la terre chaude.</p>'
        '<p class="signature">Le <a href="#c103">3 mars 2011 à 14:05</a>, Claire Dubois a dit :'
        "</p></div></div>"
    )
    assert got == [
        ("Jane Roe", datetime(2009, 10, 2, 16, 59, tzinfo=UTC), 0, got[0][3]),
        ("Marek Nowak", datetime(2009, 10, 3, 9, 12, tzinfo=UTC), 0, got[1][3]),
        ("Claire Dubois", datetime(2011, 3, 3, 14, 5, tzinfo=UTC), 0, got[2][3]),
    ]
    # "by June. On DATE": the end of a sentence, no byline; the header line is no text
    assert [text for *_, text in got] == [
        "Beans always do better when the soil is warm.",
        "We had the same thing with peas, they caught up by June.",
        "Les haricots aiment la terre chaude.",
    ]
    # without a verb: "On" leads to the date and names nobody, and "by June." ends a sentence
    got = _said(
        '<div id="comments">'
        '<div class="comment" id="c201"><p>Beans always do better when the soil is warm.</p>'
        '<p class="posted">On <a href="#c201">October 2, 2009 04:59 PM</a>, Jane Roe</p></div>'
        '<div class="comment" id="c202"><p>We had the same thing with peas, they caught up by '
        'June.</p><p class="posted">On <a href="#c202">October 3, 2009 09:12 AM</a>, '
        '<a href="http://peas.example.net/">Marek Nowak</a></p></div></div>'
    )
    assert [author for author, *_ in got] == ["Jane Roe", "Marek Nowak"]


def test_a_header_above_the_text_names_the_author_after_the_date_in_any_language() -> None:
    # the header a line of its own above the words, with and without a link on the date;
    # the verb before the name in German and Dutch ("schrieb NAME:", "schreef NAME:")
    got = _said(
        '<div id="comments">'
        '<div class="comment"><p class="meta">On 12 March 2010 at 10:02, Tom Baker said:</p>'
        "<p>I tried this with runner beans and the slugs got them all.</p></div>"
        '<div class="comment"><p class="meta">Am <a href="#k2">3. März 2011 um 14:05</a> schrieb '
        "Klaus Meier:</p><p>Bohnen mögen warmen Boden, spätes Säen ist kein Verlust.</p></div>"
        '<div class="comment"><div class="meta">El 3 de marzo de 2011, Lucía Fernández dijo:'
        "</div><div><p>Las judías prefieren la tierra caliente.</p></div></div>"
        '<div class="comment"><div class="meta">Op 5 maart 2011 om 18:45 schreef Pieter de Vries:'
        "</div><div><p>Drie rijen is veel bonen. Vriezen jullie ze in?</p></div></div></div>"
    )
    assert [(author, depth, text) for author, _, depth, text in got] == [
        ("Tom Baker", 0, "I tried this with runner beans and the slugs got them all."),
        ("Klaus Meier", 0, "Bohnen mögen warmen Boden, spätes Säen ist kein Verlust."),
        ("Lucía Fernández", 0, "Las judías prefieren la tierra caliente."),
        ("Pieter de Vries", 0, "Drie rijen is veel bonen. Vriezen jullie ze in?"),
    ]
    assert [published for _, published, *_ in got] == [
        datetime(2010, 3, 12, 10, 2, tzinfo=UTC),
        datetime(2011, 3, 3, 14, 5, tzinfo=UTC),
        datetime(2011, 3, 3, tzinfo=UTC),
        datetime(2011, 3, 5, 18, 45, tzinfo=UTC),
    ]


def test_comments_never_closed_each_holding_the_next_name_their_authors_in_bare_text() -> None:
    # old exports leave every div.comment open, so each holds the ones after it; the header is
    # bare text around the permalink, before the words (German) or after them (Italian)
    above = _said(
        '<div class="kommentare">'
        '<div class="comment" id="k1">\nAm <a href="#k1">3. März 2011 um 14:05</a> schrieb '
        "Klaus Meier:\n<p>Bohnen mögen warmen Boden, deshalb ist spätes Säen kein Verlust.</p>\n"
        '<div class="comment" id="k2">\nAm <a href="#k2">4. März 2011 um 09:30</a> schrieb '
        '<a href="http://anna.example.de/">Anna Schulz</a>:\n<p>Bei uns war es mit den Erbsen '
        'genauso.</p>\n<div class="comment" id="k3">\nAm <a href="#k3">5. März 2011 um 18:45</a>'
        " schrieb Jörg:\n<p>Drei Reihen sind viele Bohnen. Friert ihr sie ein?</p>\n</div>"
    )
    assert [(author, depth, text) for author, _, depth, text in above] == [
        ("Klaus Meier", 0, "Bohnen mögen warmen Boden, deshalb ist spätes Säen kein Verlust."),
        ("Anna Schulz", 1, "Bei uns war es mit den Erbsen genauso."),
        ("Jörg", 2, "Drei Reihen sind viele Bohnen. Friert ihr sie ein?"),
    ]
    assert above[0][1] == datetime(2011, 3, 3, 14, 5, tzinfo=UTC)
    after = _said(
        '<div class="commenti">'
        '<div class="comment" id="n1"><p>I fagioli amano la terra calda.</p>\n'
        'Il <a href="#n1">3 marzo 2011 alle 14:05</a>, Giulia Rossi ha scritto:\n'
        '<div class="comment" id="n2"><p>Da noi è successo lo stesso con i piselli.</p>\n'
        'Il <a href="#n2">4 marzo 2011 alle 09:30</a>, <a href="http://m.example.it/">Marco</a>'
        ' ha scritto:\n<div class="comment" id="n3"><p>Tre file sono tanti fagioli.</p>\n'
        "Il <a href='#n3'>5 marzo 2011 alle 18:45</a>, Bea ha scritto:\n</div>"
    )
    assert [(author, depth, text) for author, _, depth, text in after] == [
        ("Giulia Rossi", 0, "I fagioli amano la terra calda."),
        ("Marco", 1, "Da noi è successo lo stesso con i piselli."),
        ("Bea", 2, "Tre file sono tanti fagioli."),
    ]
    assert after[2][1] == datetime(2011, 3, 5, 18, 45, tzinfo=UTC)


def test_a_sentence_that_tells_what_someone_said_on_a_day_names_nobody() -> None:
    from corpsearch.extract.comment_evidence import said_name

    assert said_name("On 12 March 2010 at 10:02, Tom Baker said: slugs ate them") == "Tom Baker"
    assert said_name("Le 3 mars 2011 à 14:05, Claire a dit :") == "Claire"
    # the verb goes on with the sentence ("said that …"), or the line stands amid the words
    assert said_name("On March 3, 2011 the mayor said that the road would close.") is None
    assert said_name("I agree. On March 3, 2011 my uncle said: go on. So we went.") is None
    # words before the date that are not its preposition alone
    assert said_name("Later on March 3, 2011 Jane said:") is None


FAMILIES = Path(__file__).resolve().parent.parent / "fixtures" / "families"


def _authors_texts(page: str) -> list[tuple[str | None, str, int | None]]:
    return [(c.author, c.text[:24], c.parent) for c in find_comments(page)]


def test_comments_known_only_by_their_named_parts_are_found_without_dates() -> None:
    # the Disqus WordPress plugin's fallback list (fixtures/families/disqus-wp.html): no date
    # anywhere, each li named by its id only, a reply in ul.children, a message of bare text
    page = (FAMILIES / "disqus-wp.html").read_text(encoding="utf-8")
    want = [
        ("Marta Quell", "Does the same go for a p", None),
        ("Orchard Notes", "Yes, even more so: sprea", 0),
        ("Ole B.", "Thanks, we did the first", None),
    ]
    assert _authors_texts(page) == want
    # the list items bare (nothing around the parts names a comment)
    assert _authors_texts(re.sub(r'<li id="[^"]+">', "<li>", page)) == want
    # the same with a date beside the name, as a site's header may show it
    dated = page.replace("</cite>", "</cite> <span>12 March 2019, 10:04</span>")
    found = find_comments(re.sub(r'<li id="[^"]+">', "<li>", dated))
    assert [(c.author, c.published) for c in found] == [
        (name, datetime(2019, 3, 12, 10, 4, tzinfo=UTC)) for name, _text, _parent in want
    ]
    # a converter that dropped the list elements: the parts of every comment side by side in
    # one box, each message bare text (fixtures/families/disqus-wp-flat.html)
    flat = (FAMILIES / "disqus-wp-flat.html").read_text(encoding="utf-8")
    assert [(a, t) for a, t, _parent in _authors_texts(flat)] == [
        ("Henrike", "Funktioniert das auch mi"),
        ("Jan", "Mit Roggen genauso, der "),
        ("Ute Brandl", "Danke für den Tipp, seit"),
    ]


def test_parts_named_as_a_comments_in_other_words_and_languages_make_records() -> None:
    text = "<p>" + "Le conseil municipal a voté le budget de la piscine mardi soir. " * 6 + "</p>"
    rows = (
        ("Aurélie", "Enfin une bonne nouvelle pour les familles du quartier nord."),
        ("Théo M.", "Et les horaires du dimanche, ils changent aussi cette année ?"),
    )
    nested = "".join(
        f'<li><p class="commentaire-auteur"><b>{name}</b></p>'
        f'<div class="commentaire-texte">{words}</div></li>'
        for name, words in rows
    )
    side_by_side = "".join(
        f'<div class="kommentar-kopf"><em>{name}</em></div><div class="kommentar-inhalt">'
        f"<p>{words}</p></div>"
        for name, words in rows
    )
    for thread in (f"<ol>{nested}</ol>", f"<section>{side_by_side}</section>"):
        page = f"<html><body><h1>Piscine</h1>{text}{thread}</body></html>"
        assert [(c.author, c.text) for c in find_comments(page)] == list(rows)


def test_comment_parts_that_hold_no_comment_or_only_one_make_none() -> None:
    # the plugin's list left empty, and a template's empty parts
    assert find_comments((FAMILIES / "disqus-wp-empty.html").read_text(encoding="utf-8")) == []
    text = "<p>" + "The council voted on the pool budget on Tuesday evening at last. " * 6 + "</p>"
    empty = '<div class="comment-header"><span></span></div><div class="comment-body"></div>' * 3
    one = (
        '<div class="comment-header"><b>Ann</b></div>'
        '<div class="comment-body">Finally some good news for the families here.</div>'
    )
    long_heads = (
        f'<div class="comment-meta"><p>{text}</p></div><div class="comment-content">'
        "<p>More words of the article about the pool and its budget.</p></div>"
    ) * 2
    for thread in (empty, one, long_heads):
        page = f"<html><body><h1>Pool</h1>{text}<div>{thread}</div></body></html>"
        assert find_comments(page) == []


def _numbered_terms(rows: list[tuple[str, str, str, str, bool]]) -> str:
    """A description list of comments in Dotclear's default shape: a dt "N. LEAD DATE BY
    NAME" (the name a link when the commenter gave a site, else bare text) and the text in the
    dd after it."""
    items = []
    for i, (lead, day, by, name, linked) in enumerate(rows, 1):
        who = (
            f'<a href="https://site{i}.example.net/" rel="nofollow">{name}</a>' if linked else name
        )
        items.append(
            f'<dt id="k{i}" class="{"odd" if i % 2 else ""}"><a href="#k{i}" class="nr">{i}.</a>'
            f"\n  {lead} {day}      {by} {who}</dt>\n"
            f"<dd><p>Words of reader {i} about the timetable, the ferries and the winter.</p></dd>"
        )
    body = "<p>" + "The ferry timetable for the islands changes next month, again. " * 6 + "</p>"
    return f"<html><body><h2>Ferries</h2>{body}<div><h3>Replies</h3><dl>{''.join(items)}</dl></div></body></html>"


def test_a_header_line_naming_the_author_bare_after_the_date_in_any_language() -> None:
    # "N. On DATE by NAME" as the header term of each comment: the name after the by-word,
    # bare at the end of the line, is the author, and the line with its number is no text
    cases = [
        ("Le", "mardi, 19 mars 2019, 11:33", "par", ["Céline", "Noël Abadie", "Jean-Marc"]),
        ("On", "Tuesday, March 19 2019, 11:33", "by", ["Priya", "Tom Hale", "Ann-Kathrin"]),
        ("Am", "Dienstag, 19. März 2019, 11:33", "von", ["Jörg", "Anke Roth", "Uwe"]),
        ("El", "martes, 19 de marzo de 2019, 11:33", "por", ["Lucía", "Pedro Gil", "Inés"]),
    ]
    for lead, day, by, names in cases:
        rows = [(lead, day, by, name, i == 0) for i, name in enumerate(names)]
        found = find_comments(_numbered_terms(rows))
        assert [c.author for c in found] == names
        assert all(c.text.startswith("Words of reader") for c in found), found
        assert all(c.published == datetime(2019, 3, 19, 11, 33, tzinfo=UTC) for c in found)


def test_words_after_a_dated_line_that_are_no_bare_name_name_nobody() -> None:
    assert date_byline_name("2. Le vendredi, 29 mars 2019, 21:14 par Noël") == "Noël"
    assert date_byline_name("#12 On March 6 2020 by Tom Hale") == "Tom Hale"
    for line in (
        "Great talk on March 6 2020 by the mayor",  # words before the date
        "On March 6 2020 by the way I went there. It was fine.",  # a sentence after it
        "Ann on March 6 2020 by bus",
        "On March 6 2020",
    ):
        assert date_byline_name(line) is None, line
