"""Comments of hand-made news pages without any class or id, each a heading that names it as a
comment and its author, the date as a bare line after it and the text in a ``p``
(``corpsearch.extract.comment_headed``). All markup here is written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

from corpsearch.extract.comments import find_comments

_FORM = (
    '<form action="/news/77" method="post"><table><tr><td>Name</td><td><input name="n"></td></tr>'
    '<tr><td>Text</td><td><textarea name="t"></textarea></td></tr></table>'
    '<input type="submit" value="OK"></form>'
)


def _page(article: str, after: str, lang: str = "de") -> str:
    return (
        f'<html lang="{lang}"><head><title>Vereinsblatt</title></head><body>'
        '<div><h1>Vereinsblatt - <a href="/archiv/">Archiv</a></h1>'
        f"{article}{after}</div><div><small>(c) 2005</small></div></body></html>"
    )


_GERMAN_STORY = (
    "<div><h2>Neues Vereinsheim am See eröffnet</h2>12. Mai 2005, 18:30 | Redaktion"
    "<p>Das neue Vereinsheim am See ist seit Samstag geöffnet. Alle Mitglieder sind "
    "herzlich eingeladen, es zu besuchen und beim Sommerfest mitzuhelfen.</p></div>"
)


def _found(page: str) -> list[tuple[str | None, datetime | None, str]]:
    return [(c.author, c.published, c.text) for c in find_comments(page)]


def test_one_numbered_comment_heading_with_a_bare_date_line_is_a_comment() -> None:
    after = (
        "<div><b>Kommentare</b></div>"
        '<div><h4>#1 Kommentar von <img src="/flags/at.gif"> Bergfex77</h4>'
        "13. Mai 2005, 09:02<p>Endlich! Wir freuen uns schon auf das Fest.</p></div>"
        f"<div><b>Kommentar schreiben</b></div><div>{_FORM}</div>"
    )
    assert _found(_page(_GERMAN_STORY, after)) == [
        (
            "Bergfex77",
            datetime(2005, 5, 13, 9, 2, tzinfo=UTC),
            "Endlich! Wir freuen uns schon auf das Fest.",
        )
    ]


def test_several_comment_headings_in_one_box_are_one_comment_each() -> None:
    story = (
        "<h2>Harbour festival moves to August</h2>March 2, 2006 | staff"
        "<p>The harbour festival will take place in August this year. The board said the "
        "new date leaves more time to build the stages.</p>"
    )
    after = (
        "<h3>Comments</h3><div>"
        "<h4>Comment #1 by Jane Roe</h4>March 3, 2006 10:15 pm<p>Great news, August suits us "
        "much better.</p>"
        "<h4>Comment #2 by mike_t</h4>March 4, 2006 8:02 am<p>Will the boat parade stay?</p>"
        "<h4>Comment #3 by Ann</h4>March 4, 2006 9:40 am<p>Yes, it stays, I asked.</p>"
        f"</div><h3>Leave a comment</h3>{_FORM}"
    )
    found = _found(_page(story, after, "en"))
    assert [(a, p) for a, p, _ in found] == [
        ("Jane Roe", datetime(2006, 3, 3, 22, 15, tzinfo=UTC)),
        ("mike_t", datetime(2006, 3, 4, 8, 2, tzinfo=UTC)),
        ("Ann", datetime(2006, 3, 4, 9, 40, tzinfo=UTC)),
    ]
    assert [t for _, _, t in found] == [
        "Great news, August suits us much better.",
        "Will the boat parade stay?",
        "Yes, it stays, I asked.",
    ]


def test_comment_headings_in_french_spanish_and_dutch() -> None:
    french = (
        "<div><h2>La médiathèque ouvre le dimanche</h2>3 avril 2007, 10:00"
        "<p>La médiathèque municipale sera ouverte le dimanche à partir du mois de mai. "
        "Les horaires seront affichés à l'entrée.</p></div>"
        "<div><h5>Commentaire n°1 de Pierre L.</h5>le 4 avril 2007 à 14h20"
        "<p>Enfin une bonne nouvelle pour les familles.</p></div>"
        "<div><h5>Commentaire n°2 de Lucie</h5>le 5 avril 2007 à 08h05"
        "<p>Et le samedi soir, c'est prévu ?</p></div>"
    )
    assert [(a, p) for a, p, _ in _found(_page(french, "", "fr"))] == [
        ("Pierre L.", datetime(2007, 4, 4, 14, 20, tzinfo=UTC)),
        ("Lucie", datetime(2007, 4, 5, 8, 5, tzinfo=UTC)),
    ]
    spanish = (
        "<div><h2>El mercado cambia de plaza</h2>4 de junio de 2008, 09:00"
        "<p>El mercado de los jueves se traslada a la plaza mayor. El ayuntamiento espera "
        "más visitantes durante el verano.</p></div>"
        "<h3>Comentario 1 de Marta</h3>5 de junio de 2008, 11:40<p>Me parece muy buena idea.</p>"
    )
    assert [(a, p) for a, p, _ in _found(_page(spanish, "", "es"))] == [
        ("Marta", datetime(2008, 6, 5, 11, 40, tzinfo=UTC)),
    ]
    # one unnumbered comment under the thread's title
    dutch = (
        "<div><h2>Nieuwe fietsenstalling bij het station</h2>6 juli 2009"
        "<p>Bij het station komt een nieuwe fietsenstalling voor duizend fietsen. De bouw "
        "begint na de zomer.</p></div><div><h3>Reacties (1)</h3>"
        "<h4>Reactie van Sanne de Vries</h4>7 juli 2009 om 20:15"
        "<p>Eindelijk, het werd tijd.</p></div>"
    )
    assert [(a, p) for a, p, _ in _found(_page(dutch, "", "nl"))] == [
        ("Sanne de Vries", datetime(2009, 7, 7, 20, 15, tzinfo=UTC)),
    ]


_OPINION = (
    "<p>Die Reform verschiebt die Last auf jene, die ohnehin am wenigsten haben. Wer das "
    "gerecht nennt, hat die Zahlen nicht gelesen.</p><p>Der Landtag sollte den Entwurf "
    "zurückweisen und neu beginnen.</p>"
)


def test_an_op_ed_byline_that_reads_as_a_comment_heading_is_no_comment() -> None:
    # the article itself is a commentary: its byline heading right under the headline
    for lead in ("", "<p>Warum die Reform scheitern wird.</p>"):
        article = (
            f"<div><h2>Die Steuerreform ist ein Irrweg</h2>{lead}"
            f"<h3>Kommentar von Hans Obermaier</h3>24. März 2004, 08:00{_OPINION}</div>"
        )
        after = f"<div><h3>Kommentare (0)</h3>{_FORM}</div>"
        assert _found(_page(article, after)) == []
        assert _found(_page(article, "")) == []


def test_an_empty_thread_over_its_form_gives_no_comment() -> None:
    after = f"<div><h3>Kommentare (0)</h3><p>Noch niemand hat kommentiert.</p>{_FORM}</div>"
    assert _found(_page(_GERMAN_STORY, after)) == []


def test_a_sidebar_heading_of_yesterdays_commentary_is_no_comment() -> None:
    for heading in ("Kommentar von gestern", "Kommentar von der Redaktion"):
        after = (
            f"<div><h3>{heading}</h3>23. März 2004, 07:30<p>Warum der Stadtrat "
            'die Brücke nicht bauen will. <a href="/news/0408.html">mehr</a></p></div>'
        )
        assert _found(_page(_GERMAN_STORY, after)) == []
    # a numbered title that links to another story
    after = (
        '<div><h3><a href="/news/0408.html">#3 Kommentar von Lisa Brandt</a></h3>'
        "23. Mai 2005, 07:30<p>Warum der Stadtrat die Brücke nicht bauen will.</p></div>"
    )
    assert _found(_page(_GERMAN_STORY, after)) == []


def test_headings_of_other_stories_are_no_comments() -> None:
    # a list of stories, one of them an op-ed whose title names its writer
    stories = (
        "<div><h2>Neues Vereinsheim am See eröffnet</h2>12. Mai 2005, 18:30"
        "<p>Das neue Vereinsheim am See ist seit Samstag geöffnet. Alle Mitglieder sind "
        "herzlich eingeladen, es zu besuchen.</p>"
        "<h2>Kommentar von Peter Krause</h2>10. Mai 2005, 12:00"
        "<p>Das Vereinsheim kostet mehr als geplant, und niemand sagt warum.</p>"
        "<h2>Jugendgruppe gewinnt Pokal</h2>8. Mai 2005, 20:00"
        "<p>Die Jugendgruppe hat den Pokal im Finale gewonnen.</p></div>"
    )
    assert _found(_page(stories, "")) == []
    # the op-eds last, older than the story above them: an archive's list, no thread
    older = (
        "<div><h2>Neues Vereinsheim am See eröffnet</h2>12. Mai 2005, 18:30"
        "<p>Das neue Vereinsheim am See ist seit Samstag geöffnet. Alle Mitglieder sind "
        "herzlich eingeladen, es zu besuchen.</p>"
        "<h2>Kommentar von Peter Krause</h2>10. Mai 2005, 12:00"
        "<p>Das Vereinsheim kostet mehr als geplant, und niemand sagt warum.</p>"
        "<h2>Kommentar von Ute Sommer</h2>2. Mai 2005, 12:00"
        "<p>Die Jugendarbeit verdient mehr Geld.</p></div>"
    )
    assert _found(_page(older, "")) == []


def test_numbered_comments_under_an_op_ed_are_read_without_its_byline() -> None:
    article = (
        "<div><h2>Die Steuerreform ist ein Irrweg</h2>"
        f"<h3>Kommentar von Hans Obermaier</h3>24. März 2004, 08:00{_OPINION}</div>"
    )
    after = (
        "<div><h3>Kommentare</h3>"
        "<h4>1. Kommentar von Leserin K.</h4>24. März 2004, 10:12<p>Sehr richtig, danke.</p>"
        "<h4>2. Kommentar von Otto</h4>25. März 2004, 07:45<p>Ich sehe das anders.</p>"
        f"</div><div><h3>Kommentar schreiben</h3>{_FORM}</div>"
    )
    assert [(a, p) for a, p, _ in _found(_page(article, after))] == [
        ("Leserin K.", datetime(2004, 3, 24, 10, 12, tzinfo=UTC)),
        ("Otto", datetime(2004, 3, 25, 7, 45, tzinfo=UTC)),
    ]
