"""The evidence rules of the comment extractor, each on the smallest markup that shows it (the
template zoo and the dev-set gate test them on whole real pages)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from corpsearch.extract import extract
from corpsearch.extract.comment_dates import parse_visible_date
from corpsearch.extract.comment_evidence import byline_name, is_counter
from corpsearch.extract.comments import find_comments
from corpsearch.sources import SourceDocument, SourceRef


def _page(section: str) -> str:
    return f"<html><body><article><h1>A headline</h1><p>Text.</p></article>{section}</body></html>"


def test_header_and_body_in_sibling_elements_are_one_comment() -> None:
    html = _page(
        '<dl id="comments-list">'
        '<dt class="comment" id="comment-1"><b class="author">Ann</b> 3 March 2020 10:00</dt>'
        '<dd class="comment"><p>The first comment, in its own dd.</p></dd>'
        '<dt class="comment" id="comment-2"><b class="author">Bob</b> 4 March 2020 11:30</dt>'
        '<dd class="comment"><p>The second one.</p></dd></dl>'
    )
    found = find_comments(html)
    assert [(c.author, c.text) for c in found] == [
        ("Ann", "The first comment, in its own dd."),
        ("Bob", "The second one."),
    ]
    assert found[1].published == datetime(2020, 3, 4, 11, 30, tzinfo=UTC)


def test_a_class_naming_the_author_on_the_body_wrapper_keeps_the_text() -> None:
    body = "A reply long enough to be running text and not a name: " + "words " * 20
    html = _page(
        '<ol class="commentlist"><li class="comment" id="comment-7">'
        '<div class="comment-container bypostauthor comment-author-admin">'
        '<div class="comment-author"><span class="authorname">Heiner</span></div>'
        '<div class="comment-meta">17. Dezember 2015 at 07:50</div>'
        f"<p>{body}</p></div></li></ol>"
    )
    [comment] = find_comments(html)
    assert comment.author == "Heiner"
    assert comment.text.startswith("A reply long enough")


def test_rdfa_comment_text_and_creation_time_not_the_last_change() -> None:
    html = _page(
        '<article typeof="schema:Comment" class="js-comment" id="c-1">'
        '<mark class="hidden" data-comment-timestamp="1587545882"></mark>'
        "<footer><h6>Heidemarie | Di, 21. April 2020 - 16:40 "
        '<span property="schema:dateCreated" content="2020-04-21T14:40:07+00:00"></span>'
        "</h6></footer>"
        '<p property="schema:name"><a href="#c-1">A title</a></p>'
        '<div property="schema:text"><p>The comment itself.</p></div></article>'
    )
    [comment] = find_comments(html)
    assert comment.author == "Heidemarie"  # the weekday abbreviation is cut
    assert comment.text == "The comment itself."
    # the instant of dateCreated, shown in the zone the page shows it in (16:40)
    assert comment.published == datetime(2020, 4, 21, 14, 40, 7, tzinfo=UTC)
    assert comment.published is not None and comment.published.utcoffset() == timedelta(hours=2)


def test_authors_from_prose_bylines() -> None:
    assert byline_name("geschrieben von berg2012 am 21. Jan. 2015, 19:04") == "berg2012"
    assert byline_name("Comment by Mirko Lange — 17.07, 2011 @ 13:04") == "Mirko Lange"
    assert byline_name("Posted by Sam on March 3, 2020") == "Sam"
    assert byline_name("Mirko Lange, 17.07.2011") is None  # no "by" word: not a byline
    html = _page(
        '<ul class="comments"><li id="comment-1508"><div><h2>A comment title</h2>'
        '<span class="metadata">geschrieben von berg2012 am 21. Jan. 2015, 19:04</span></div>'
        "<p>Ich hätte eine andere Erklärung für diese Zahlen.</p></li></ul>"
    )
    [comment] = find_comments(html)
    assert comment.author == "berg2012"  # not the title
    assert comment.text == "Ich hätte eine andere Erklärung für diese Zahlen."  # title not text


def test_counters_labels_and_says_verbs_are_not_names() -> None:
    assert is_counter("349 Fans") and is_counter("level 1") and not is_counter("Michaela 29 D")
    html = _page(
        '<div class="comment-list">'
        '<div class="comment" id="comment-1"><div class="author_name">'
        '<a href="/social/Mocha">Mocha</a><div class="bio">"A bio line of mine" RD</div>'
        '<a class="fans" href="/social/Mocha">349 Fans</a></div>'
        "<p>First comment text here.</p></div>"
        '<div class="comment" id="comment-2"><div class="wc-comment-label post_author">Autor</div>'
        '<div class="comment-author">Robert</div><p>Second comment text.</p></div>'
        '<div class="comment" id="comment-3"><span class="comment-author">Ramón dijo:</span>'
        "<p>Third comment text.</p></div></div>"
    )
    assert [c.author for c in find_comments(html)] == ["Mocha", "Robert", "Ramón"]


def test_a_plain_link_or_the_words_before_the_permalink_name_the_author() -> None:
    html = _page(
        '<div class="commentList">'
        '<div class="comment" id="li-comment-1"><div id="comment-1" class="entry">'
        '<p><a href="https://ed.example.org" class="url">Ed Erhart</a> '
        '<a class="comment-link" href="/post/#comment-1">1 year</a></p>'
        "<p>Hello Stefan, we updated the posts.</p></div></div>"
        '<div class="comment" id="li-comment-2"><div id="comment-2" class="entry">'
        '<p>mxa <a class="comment-link" href="/post/#comment-2">1 year</a></p>'
        "<p>Rendering maps is an important development.</p></div></div></div>"
    )
    found = find_comments(html)
    assert [(c.author, c.text) for c in found] == [
        ("Ed Erhart", "Hello Stefan, we updated the posts."),
        ("mxa", "Rendering maps is an important development."),
    ]


def test_a_date_only_machine_value_takes_the_time_the_text_shows() -> None:
    html = _page(
        '<ol class="commentlist"><li class="comment" id="comment-1">'
        '<div class="comment-author">Rolf <a href="#"><time datetime="2020-07-29">'
        "29.07.2020 // 12:56</time></a></div><p>Stellungnahme zu den Kommentatoren.</p></li></ol>"
    )
    [comment] = find_comments(html)
    assert comment.author == "Rolf"
    assert comment.published == datetime(2020, 7, 29, 12, 56, tzinfo=UTC)


def test_dates_without_a_year_take_it_from_the_article() -> None:
    found = parse_visible_date("Jun 20th at 2:41 am", UTC, year_hint=date(2019, 6, 19))
    assert found is not None and found.value == datetime(2019, 6, 20, 2, 41, tzinfo=UTC)
    # a day before the article's: the next year
    found = parse_visible_date("Jan 3 at 10:00", UTC, year_hint=date(2019, 12, 30))
    assert found is not None and found.value == datetime(2020, 1, 3, 10, 0, tzinfo=UTC)
    assert parse_visible_date("Jun 20th at 2:41 am", UTC) is None  # no article day: no date


def test_unusual_numeric_dates() -> None:
    found = parse_visible_date("17.07, 2011 @ 13:04", UTC)
    assert found is not None and found.value == datetime(2011, 7, 17, 13, 4, tzinfo=UTC)


def test_naive_comment_times_take_the_zone_of_the_page() -> None:
    zone = timezone(timedelta(hours=-7))
    html = _page(
        '<ol class="commentlist"><li class="comment" id="comment-1">'
        '<cite class="fn">Sam</cite><div class="comment-meta">March 3, 2020 at 10:14 pm</div>'
        "<p>Text of the comment.</p></li></ol>"
    )
    [comment] = find_comments(html, default_tz=zone)
    assert comment.published == datetime(2020, 3, 3, 22, 14, tzinfo=zone)


def test_replies_in_a_box_named_otherwise_are_found_by_their_shape() -> None:
    def block(kind: str, name: str, text: str) -> str:
        return (
            f'<div class="article_comment_{kind}"><div class="comment_author_pic"></div>'
            f'<div class="comment_infos"><div class="comment_author">Soumis par '
            f'<span class="comment_author_name">{name}</span>, le lundi 29 octobre 2012 '
            f'à 15h46</div></div><div class="comment_content"><p>{text}</p></div></div>'
        )

    html = _page(
        '<div id="article_comments_content">'
        + block("item", "monslateamoi", "Premier commentaire.")
        + '<div class="indented">'
        + block("answer", "Roger", "Une réponse.")
        + "</div>"
        + block("item", "marianne", "Deuxième commentaire.")
        + "</div>"
    )
    found = find_comments(html)
    assert [(c.author, c.text) for c in found] == [
        ("monslateamoi", "Premier commentaire."),
        ("Roger", "Une réponse."),
        ("marianne", "Deuxième commentaire."),
    ]
    assert found[1].parent == 0


def test_a_box_of_replies_wrapped_in_a_bare_element_answers_the_comment_before_it() -> None:
    def comment(cid: str, name: str, text: str) -> str:
        return (
            f'<div class="comment" id="comment-{cid}"><span class="author">{name}</span>'
            f'<time datetime="2024-04-2{cid}T10:00:00Z">April 2{cid}</time>'
            f'<div class="comment-content"><p>{text}</p></div></div>'
        )

    html = _page(
        '<div class="comments">'
        + comment("1", "Ana", "The first comment.")
        + '<div><div class="reply-list">'
        + comment("2", "Ben", "A reply to Ana.")
        + "</div></div>"
        + comment("3", "Cleo", "Another comment.")
        + "</div>"
    )
    found = find_comments(html)
    assert [(c.author, c.parent) for c in found] == [("Ana", None), ("Ben", 0), ("Cleo", None)]


def test_on_a_page_without_a_profile_comments_take_the_zone_of_the_article_date() -> None:
    html = (
        "<html><head><title>Ein Artikel</title>"
        '<meta property="article:published_time" content="2016-06-23T16:14:51+02:00"></head>'
        "<body><article><h1>Ein Artikel</h1><p>"
        + "Ein Satz des Artikels, lang genug für den Text der Seite. "
        * 6
        + '</p></article><ol class="commentlist"><li class="comment" id="comment-1">'
        '<cite class="fn">Anna</cite><div class="comment-meta">23. Juni 2016 um 17:21</div>'
        "<p>Der Kommentar von Anna.</p></li></ol></body></html>"
    )
    document = SourceDocument(SourceRef("zone/page.html"), "html", html.encode())
    article = extract(document)
    [comment] = article.comments
    zone = timezone(timedelta(hours=2))
    assert comment.published == datetime(2016, 6, 23, 17, 21, tzinfo=zone)
    assert comment.published is not None and comment.published.utcoffset() == timedelta(hours=2)
    assert any("article's own date" in p.reason for p in article.problems)


def test_a_relative_date_in_the_commenters_sentences_is_not_the_comment_time() -> None:
    captured = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    html = _page(
        '<div class="commentList"><div class="comment" id="li-comment-1">'
        '<div id="comment-1" class="entry"><p><a href="https://s.example.org" class="url">'
        'Stefan</a> <a class="comment-link" href="/post/#comment-1">1 year</a></p>'
        "<p>It's over a week ago since you published this, please update it.</p></div></div>"
        '<div class="comment" id="li-comment-2"><div class="comment-body">'
        '<div class="comment_time">15 minutes ago</div>I agree with that.</div>'
        '<span class="comment-author">Mocha</span></div></div>'
    )
    first, second = find_comments(html, captured_at=captured)
    assert (first.author, first.published) == ("Stefan", None)
    # a timestamp the template puts inside the text element still dates its comment
    assert second.author == "Mocha" and second.text == "I agree with that."
    assert second.published == captured - timedelta(minutes=15)


def test_a_notice_or_counter_inside_a_comment_is_neither_its_text_nor_its_author() -> None:
    html = _page(
        '<ol class="commentlist">'
        '<li class="comment" id="comment-1"><div class="comment-meta">'
        '<span class="comment-number">#1</span> <span class="comment-author">Ann</span> '
        "3 March 2020 10:00</div>"
        '<p class="moderation-note">Your comment is awaiting moderation.</p>'
        '<div class="comment-text"><p>The first real comment.</p></div></li>'
        '<li class="comment" id="comment-2"><div class="comment-meta"><span>#2</span> Bob '
        "4 March 2020 11:30</div><p>The second real comment, with a longer sentence.</p></li></ol>"
    )
    found = find_comments(html)
    assert [(c.author, c.text) for c in found] == [
        ("Ann", "The first real comment."),
        ("Bob", "The second real comment, with a longer sentence."),
    ]


def test_says_verbs_in_other_languages() -> None:
    html = _page(
        '<div class="comment-list">'
        '<div class="comment" id="comment-1"><span class="comment-author">Jean a écrit :</span>'
        "<p>Premier texte.</p></div>"
        '<div class="comment" id="comment-2"><span class="comment-author">Jens schreibt:</span>'
        "<p>Zweiter Text.</p></div>"
        '<div class="comment" id="comment-3"><span class="comment-author">Ana escribió:</span>'
        "<p>Tercer texto.</p></div></div>"
    )
    assert [c.author for c in find_comments(html)] == ["Jean", "Jens", "Ana"]


def test_vote_and_level_lines_are_not_the_author_or_the_text() -> None:
    captured = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    html = _page(
        '<div class="commentarea"><div class="comment" id="c-101"><div class="entry">'
        '<p class="tagline">level 1 <a href="/user/bob_k" class="author">bob_k</a> 39 points '
        '· 6 years ago</p><div class="md"><p>The first comment\'s own words.</p></div></div></div>'
        '<div class="comment" id="c-102"><div class="entry">'
        '<p class="tagline">level 1 <a href="/user/ulla">ulla</a> 12 points · 5 years ago</p>'
        '<div class="md"><p>The second comment, a sentence of its own.</p></div></div></div></div>'
    )
    found = find_comments(html, captured_at=captured)
    assert [(c.author, c.text) for c in found] == [
        ("bob_k", "The first comment's own words."),
        ("ulla", "The second comment, a sentence of its own."),
    ]
    assert found[0].published == captured - timedelta(days=6 * 365)


def test_a_login_box_is_no_comment() -> None:
    html = _page(
        '<div id="comentarios" class="comentarios"><h3>Comentarios</h3>'
        '<div class="comentario comentario-login"><p>Iniciar sesión para comentar</p>'
        '<a href="/login">Iniciar sesión</a></div></div>'
    )
    assert find_comments(html) == []


def test_a_sidebar_widget_of_reviews_of_other_pages_is_no_comment() -> None:
    html = _page(
        '<div class="widget widget-latest-reviews"><h3>Latest reviews</h3>'
        '<div class="comment" id="comment-91"><span class="comment-author">Ann</span> '
        '3 March 2020 <a href="/hotels/seaview/">Seaview Hotel</a><p>Great breakfast.</p></div>'
        '<div class="comment" id="comment-92"><span class="comment-author">Bob</span> '
        '4 March 2020 <a href="/hotels/harbour/">Harbour Inn</a><p>Too noisy.</p></div></div>'
    )
    assert find_comments(html) == []


def test_a_plain_link_without_an_author_class_names_the_author() -> None:
    html = _page(
        '<ul class="comments"><li id="comment-5"><div class="head">'
        '<a href="https://nina.example.org" rel="external nofollow ugc">Nina</a> '
        "<span>12. März 2021</span></div><p>Ein Kommentar ohne jede Autorenklasse.</p></li>"
        '<li id="comment-6"><div class="head"><a href="https://otto.example.org" rel="nofollow">'
        "Otto</a> <span>13. März 2021</span></div><p>Noch einer, ebenso schlicht.</p></li></ul>"
    )
    assert [(c.author, c.text) for c in find_comments(html)] == [
        ("Nina", "Ein Kommentar ohne jede Autorenklasse."),
        ("Otto", "Noch einer, ebenso schlicht."),
    ]


def test_an_author_named_only_in_a_prose_line_with_a_weekday() -> None:
    html = _page(
        '<div class="kommentare"><div class="kommentar" id="kommentar-7">'
        '<div class="info">Kommentar von Ute Sander | Di, 21. April 2020 - 16:40</div>'
        "<p>Ein Kommentar, dessen Autorin nur in der Zeile darüber steht.</p></div>"
        '<div class="kommentar" id="kommentar-8"><div class="info">geschrieben von Rolf am '
        "22. April 2020, 09:12</div><p>Ein zweiter Kommentar mit eigener Zeile.</p></div></div>"
    )
    found = find_comments(html)
    assert [c.author for c in found] == ["Ute Sander", "Rolf"]
    assert found[0].published == datetime(2020, 4, 21, 16, 40, tzinfo=UTC)


def test_comments_under_a_heading_when_no_class_or_id_names_them() -> None:
    def block(name: str, day: str, text: str, replies: str = "") -> str:
        return (
            f'<div class="x91"><div class="x12"><a href="https://{name.lower()}.example.org">'
            f'{name}</a> <span class="x7">{day}</span></div><p class="x3">{text}</p>{replies}</div>'
        )

    html = _page(
        '<div class="x1"><h3>3 Comments</h3><div class="x2">'
        + block(
            "Mila",
            "12 May 2023 at 10:04",
            "A first comment with a few words of its own.",
            block("Jon", "12 May 2023 at 11:30", "A reply that answers the first comment."),
        )
        + block("Ines", "14 May 2023 at 08:15", "A third comment, again a whole sentence.")
        + "</div></div>"
        '<div class="x5"><h3>Most commented</h3><div class="x6">'
        + block("Teaser", "1 May 2023", "A teaser of another article with a few words.")
        + block("Teaser", "2 May 2023", "Another teaser of another article, also words.")
        + "</div></div>"
    )
    found = find_comments(html)
    assert [(c.author, c.parent) for c in found] == [("Mila", None), ("Jon", 0), ("Ines", None)]
    assert found[1].published == datetime(2023, 5, 12, 11, 30, tzinfo=UTC)
    assert found[2].text == "A third comment, again a whole sentence."


def test_header_lines_left_in_an_unmarked_text_are_cut() -> None:
    captured = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    html = _page(
        '<ol class="commentlist">'
        '<li class="comment" id="comment-1"><div class="x1"><span class="x2">MS</span></div>'
        "<div><b>Marta Sol</b></div><div>· Yesterday</div>"
        "<p>Short, but the comment itself.</p></li>"
        '<li class="comment" id="comment-2"><div>By Kasper on March 3, 2024 8:15 AM</div>'
        "<p>Which thread do you use?</p><p>Mine tears.</p></li>"
        '<li class="comment" id="comment-3"><div><b>Lu</b></div><div>Reply to Kasper</div>'
        "<div>2 hours ago</div><p>Linen, waxed.</p></li></ol>"
    )
    found = find_comments(html, captured_at=captured)
    assert [(c.author, c.text) for c in found] == [
        ("Marta Sol", "Short, but the comment itself."),
        ("Kasper", "Which thread do you use?\n\nMine tears."),
        ("Lu", "Linen, waxed."),
    ]
    assert found[2].published == captured - timedelta(hours=2)


def test_a_notice_in_emphasis_beside_an_unnamed_body_block_is_not_the_text() -> None:
    # no class names the text; the notice is a paragraph wholly in <em> beside the body block
    html = _page(
        "<section><h3>2 Kommentare</h3>"
        '<div id="comment-1"><h4>Lena</h4><p>Geschrieben am 3. März 2021 um 11:52</p>'
        "<div><p>Wie sieht es mit dem Fallback aus? Ohne Flag gibt es die schmale Variante.</p>"
        "</div></div>"
        '<div id="comment-2"><h4>Kai</h4><p>Geschrieben am 4. März 2021 um 08:17</p>'
        "<p><em>Der Kommentar muss noch freigeschaltet werden.</em></p>"
        "<div><p>Danke für den Artikel! Geht das auch mit Grid-Items?</p></div></div></section>"
    )
    found = find_comments(html)
    assert [(c.author, c.text) for c in found] == [
        ("Lena", "Wie sieht es mit dem Fallback aus? Ohne Flag gibt es die schmale Variante."),
        ("Kai", "Danke für den Artikel! Geht das auch mit Grid-Items?"),
    ]


def test_the_footer_line_a_comment_is_dated_by_and_its_actions_are_not_its_text() -> None:
    item = (
        '<div class="comment-item" id="comment-{n}"><a href="/user/{name}">{name}</a>'
        "<p>{text}</p><div><p>Posted on Thursday, March {n}, 2021 at 6:02 PM</p>"
        '<p><a href="/like/{n}">Like</a> | <a href="/report/{n}">Report</a></p></div></div>'
    )
    html = _page(
        "".join(
            item.format(n=n, name=name, text=text)
            for n, name, text in (
                (4, "orlando_p", "Count me in. Is there carpooling from the city?"),
                (5, "sunil_r", "Steep Ravine has the ladder, right?"),
            )
        )
    )
    found = find_comments(html)
    assert [(c.author, c.text) for c in found] == [
        ("orlando_p", "Count me in. Is there carpooling from the city?"),
        ("sunil_r", "Steep Ravine has the ladder, right?"),
    ]
    assert found[0].published == datetime(2021, 3, 4, 18, 2, tzinfo=UTC)


def test_names_beside_verbs_addresses_and_labels_of_a_header_line() -> None:
    from corpsearch.extract.comment_authors import clean_author

    assert clean_author("Marisol commented on Wednesday, March 3, 2021 at 07:12:44:") == "Marisol"
    assert clean_author("Pierre · https://pierre-montagne.example") == "Pierre"
    assert clean_author("Thomas Post author") == "Thomas"
    assert clean_author("Posted on 2021-03-01.") is None  # the verb alone is no name
    assert clean_author("Steve_87 | am 12. März 2012 um 19:41 Uhr") == "Steve_87"
    assert clean_author("12.03.2012 14:03 — Heike") == "Heike"
    # a verb glued to the name goes only with its colon: a name may end in its letters
    assert clean_author("Mirasays:") == "Mira"
    assert clean_author("Mira says") == "Mira"
    assert clean_author("Gracesays") == "Gracesays"


def test_a_time_in_a_us_zone_is_read_month_first_in_that_offset() -> None:
    found = parse_visible_date("03.04.14 3:45pm EST", UTC, None, None)
    assert found is not None and found.value == datetime(
        2014, 3, 4, 15, 45, tzinfo=timezone(timedelta(hours=-5))
    )


def test_a_comments_title_heading_is_not_its_author() -> None:
    item = (
        '<li id="Comment{n}" class="comment"><article><header><h2>'
        '<a href="/Comment{n}">{title}</a></h2></header><p>{text}</p>'
        '<footer><ul><li><a href="/UserList/{name}">{name}</a></li>'
        '<li><time datetime="2021-03-0{d}T08:41:00">0{d}.03.2021 08:41</time></li></ul>'
        "</footer></article></li>"
    )
    html = _page(
        '<ol id="comments">'
        + "".join(
            item.format(n=n, title=title, text=text, name=name, d=d)
            for n, title, text, name, d in (
                (1842, "Junior sessions", "Will the juniors use club boats this year?", "Paul", 2),
                (1843, "Re: Junior sessions", "Club boats for the first month, yes.", "Ann", 3),
            )
        )
        + "</ol>"
    )
    assert [c.author for c in find_comments(html)] == ["Paul", "Ann"]


def test_the_same_template_inside_a_comment_with_a_class_added_is_a_reply() -> None:
    # the reply's id holds only the number of the comment it answers ("c1r1" in "c1")
    record = (
        '<div id="x-c1{r}" class="x-comment{extra}"><span class="x-name">{name}</span>'
        '<div class="x-content"><p>{text}</p></div><span class="x-date">3 March 2021 10:0{m}</span>'
    )
    html = _page(
        record.format(r="", extra="", name="Ann", text="The first comment here.", m=0)
        + record.format(r="r1", extra=" x-reply", name="Bob", text="A reply to it.", m=5)
        + "</div></div>"
    )
    found = find_comments(html)
    assert [(c.author, c.parent) for c in found] == [("Ann", None), ("Bob", 0)]


def test_a_signature_name_before_its_tool_links_and_an_address_as_a_name() -> None:
    post = (
        '<div class="comment"><div class="c-body"><p>{text}</p></div>'
        '<div class="c-sig"><span class="c-user-signature"><a href="/wiki/User:{n}">{n}</a>'
        ' (<a href="/wiki/User_talk:{n}">talk</a>)</span>'
        '<span class="c-stamp">08:1{m}, 2 March 2021</span></div></div>'
    )
    html = _page(
        '<div class="comment-list">'
        + post.format(text="Glad the branch stays open for now.", n="Tpemberton", m=2)
        + post.format(text="The minutes say one hour each Saturday.", n="203.0.113.45", m=7)
        + "</div>"
    )
    assert [c.author for c in find_comments(html)] == ["Tpemberton", "203.0.113.45"]


def test_one_comment_in_bare_paragraphs_under_a_comment_heading() -> None:
    thread = (
        "<h2>Comments</h2><p><strong>On March 3, 2021, Ingrid said:</strong></p>"
        "<p>Mine sulked for a whole month after repotting and then fruited.</p>"
        "<h2>Post a comment</h2><form><textarea></textarea></form>"
    )
    (found,) = find_comments(_page(thread))
    assert (found.author, found.text) == (
        "Ingrid",
        "Mine sulked for a whole month after repotting and then fruited.",
    )
    # a line introducing a quotation without a date, under the same heading, is no comment
    assert find_comments(_page(thread.replace("On March 3, 2021, ", "As "))) == []


def test_a_title_line_above_the_text_is_no_text() -> None:
    # SPIP forums: the message box holds the post's title (a bold line) and the text box
    # ("forum-texte"): the text is the inner box, the title is left out of it
    def post(n: int, who: str, title: str, text: str) -> str:
        return (
            f'<li class="forum-fil"><div class="forum-top"><a href="#forum{n}" name="forum{n}" '
            f'id="forum{n}"><img src="pin.png" alt="permalien"></a>{who}'
            f'<div class="forum-nav">(22 juin 2018 @11h{n})</div>:</div>'
            '<div class="forum-message"><div class="forum-chapo"><p>'
            f'<strong class="forum-titre">{title}</strong></p></div>'
            f'<div class="forum-texte"><span><p>{text}</p></span></div></div></li>'
        )

    first = "La Corée du Sud n est pas un modèle de démocratie, le parti y est réprimé."
    second = "Le même argument que celui avancé par les détracteurs de la Chine populaire."
    third = "Un article du Diplo de 2017 rapporte l interdiction du parti chez nous."
    html = (
        "<html><body><article><h1>A headline</h1><p>Text.</p></article>"
        '<div id="comments"><h2>3 commentaires</h2><ul class="forum">'
        + post(13, "", "Pays autoritaire", first)
        + post(
            29, '<b class="forum-qui">Red Bastard</b>', "le parti interdit depuis 2014 !!", second
        )
        + post(41, '<b class="forum-qui">Mona</b>', "Erreur", third)
        + "</ul></div></body></html>"
    )
    assert [c.text for c in find_comments(html)] == [first, second, third]


def test_a_heading_with_the_date_is_the_header_even_inside_a_body_class() -> None:
    # markup written for this test, in the shape of Bootstrap's media object: the body wrapper
    # (`media-body`) holds the heading with the name and the date, then the text
    record = (
        '<div class="media" id="comment_{n}"><div class="media-left"><img src="a.png" alt=""/>'
        '</div><div class="media-body"><h4 class="media-heading">{name} <small><i>Posted '
        "2021-03-0{n} 19:47:03</i></small></h4><div><p>{text}</p></div></div><hr/></div>"
    )
    texts = [
        "Thank you to the teachers who gave up their lunchtimes for this.",
        "Families are very welcome to come and watch the state final.",
        "Happy to bring a few dozen snags to the sausage sizzle on Friday.",
    ]
    names = ["Priya Raman", "Jeff Plumb", "Grandpa Col"]
    html = (
        "<html><body><h1>Robotics</h1><p>Article text.</p><h3>Comments (3)</h3>"
        + "".join(
            record.format(n=i + 1, name=name, text=text)
            for i, (name, text) in enumerate(zip(names, texts, strict=True))
        )
        + "</body></html>"
    )
    found = find_comments(html)
    assert [c.author for c in found] == names
    assert [c.text for c in found] == texts
    assert found[0].published == datetime(2021, 3, 1, 19, 47, 3, tzinfo=UTC)
