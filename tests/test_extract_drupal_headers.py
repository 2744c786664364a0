"""Drupal 8+ comment headers and Drupal's default date format, on markup of our own.

The pages are written here in the shapes Drupal core's themes render (drupal/drupal:
``core/themes/classy/templates/content/comment.html.twig``, ``core/themes/olivero/templates/
content/comment.html.twig``, ``core/themes/bartik/templates/comment.html.twig``); the
``submitted`` line is core's "Submitted by @username on @datetime" (``CommentViewBuilder`` /
``template_preprocess_comment``), its German, French, Spanish, Italian and Dutch wording written
by us, not copied from Drupal's translation files; the author is core's ``username`` output,
wrapped by the RDF module in ``span[rel=schema:author]`` with ``typeof=schema:Person``
``property=schema:name``; an anonymous poster's name ends with the "(not verified)" mark. The
third shape ("author line") is a theme of its own on Bartik's header that prints the permalink,
the submitted words, the name and the date in one ``p.comment__author``. The names, titles,
texts and dates are invented.
"""

from __future__ import annotations

from datetime import date

import pytest

from corpsearch.extract.article import extract_article
from corpsearch.extract.comments import find_comments

# "Submitted by @username on @datetime", the "(not verified)" mark and the weekday of Drupal's
# "medium" date format ("D, m/d/Y - H:i"), as each language's translation prints them
LANGUAGES = {
    "en": ("Submitted by {name} on {date}", "not verified", "Thu"),
    "de": ("Verfasst von {name} am {date}", "nicht überprüft", "Do."),
    "fr": ("Soumis par {name} le {date}", "non vérifié", "jeu"),
    "es": ("Enviado por {name} el {date}", "no verificado", "Jue"),
    "nl": ("Ingezonden door {name} op {date}", "niet geverifieerd", "do"),
    "it": ("Inviato da {name} il {date}", "non verificato", "Gio"),
}

# (name, anonymous): a guest, shown with the mark, and a registered user, linked to a profile
POSTERS = [("Marta Quell", True), ("orchardkeeper", False), ("Ben Ode", True)]
TEXTS = [
    "The footbridge by the mill was closed again this morning, and nobody said for how long.",
    "It reopens on Monday: the council put a notice on the gate at the north end.",
    "Thanks, I had missed the notice entirely and walked all the way round the pond.",
]


def _name(name: str, anonymous: bool, mark: str, rdf: bool) -> str:
    if not anonymous:
        return (
            f'<a title="View user profile." href="/user/7" lang="" about="/user/7" '
            f'typeof="schema:Person" property="schema:name" datatype="" class="username">'
            f"{name}</a>"
        )
    shown = f"{name} ({mark})"
    if not rdf:  # a site without the RDF module: the bare username element
        return f"<span>{shown}</span>"
    return (
        '<span rel="schema:author"><span lang="" typeof="schema:Person" '
        f'property="schema:name" datatype="">{shown}</span></span>'
    )


def _shown_date(i: int, weekday: str) -> str:
    # 3 and 5 March 2020 (Tuesday, Thursday), 5 March a second time: all read both ways as
    # numbers, so only the evidence of the page orders them
    return [f"{weekday}, 03/05/2020 - 09:12", f"{weekday}, 03/05/2020 - 10:40"][i % 2]


def _classy(lang: str, rdf: bool) -> str:
    """Classy: the title in h3, then ``footer > p.submitted`` with the whole submitted line."""
    line, mark, weekday = LANGUAGES[lang]
    items = []
    for i, (name, anonymous) in enumerate(POSTERS):
        cid = 40 + i
        submitted = line.format(
            name=_name(name, anonymous, mark, rdf),
            date=f'<span property="schema:dateCreated">{_shown_date(i, weekday)}</span>',
        )
        items.append(
            f'<article data-comment-user-id="{0 if anonymous else 7}" id="comment-{cid}" '
            f'class="comment js-comment clearfix" role="article" about="/comment/{cid}" '
            f'typeof="schema:Comment"><mark class="hidden" data-comment-timestamp="1583400000">'
            f'</mark><h3 property="schema:name" datatype=""><a href="/comment/{cid}#comment-'
            f'{cid}" class="permalink" rel="bookmark" hreflang="{lang}">About the bridge {i}'
            f'</a></h3><footer><article typeof="schema:Person" about="/user/0" class="profile">'
            f'</article><p class="submitted">{submitted}</p><a href="/comment/{cid}#comment-'
            f'{cid}" hreflang="{lang}">Permalink</a></footer><div property="schema:text" '
            f'class="content"><p>{TEXTS[i]}</p></div><ul class="links inline"><li '
            f'class="comment-reply"><a href="/comment/reply/node/9/comment_field/{cid}">Reply'
            "</a></li></ul></article>"
        )
    return _page(lang, "".join(items))


def _author_line(lang: str, rdf: bool) -> str:
    """A theme of its own on Bartik's header: the permalink, the submitted words and the name
    in one ``p.comment__author``, the date after them as a bare text node, a hidden machine
    time (in UTC) last."""
    line, mark, weekday = LANGUAGES[lang]
    items = []
    for i, (name, anonymous) in enumerate(POSTERS):
        cid = 60 + i
        lead = line.split("{name}")[0]
        items.append(
            f'<article role="article" data-comment-user-id="{0 if anonymous else 7}" '
            f'id="comment-{cid}" about="/comment/{cid}" typeof="schema:Comment" '
            f'class="comment clearfix"><header class="comment-header"><div class="'
            f'comment__submitted"><div class="user-picture"><article typeof="schema:Person" '
            f'about="/user/0"></article></div></div></header><div class="comment__text">'
            f'<span class="hidden new" data-comment-timestamp="1583400000"></span>'
            f'<h3 property="schema:name" datatype=""><a href="/comment/{cid}#comment-{cid}" '
            f'class="permalink" rel="bookmark" hreflang="{lang}">On the bridge</a></h3>'
            f'<p class="comment__author comment__submitted__data"><a href="/comment/{cid}'
            f'#comment-{cid}" hreflang="{lang}">Permalink</a> {lead}'
            f"{_name(name, anonymous, mark, rdf)}\n {_shown_date(i, weekday)}  "
            f'<span property="schema:dateCreated" content="2020-03-05T0{i}:12:00+00:00" '
            f'class="hidden"></span>\n</p><div class="comment__content"><div '
            f'property="schema:text"><p>{TEXTS[i]}</p></div></div><footer class="comment__'
            f'footer"><nav><ul class="links inline"><li class="comment-reply"><a href="/comment'
            f'/reply/node/9/field_comments/{cid}">Reply</a></li></ul></nav></footer></div>'
            "</article>"
        )
    return _page(lang, "".join(items))


def _olivero(lang: str, rdf: bool) -> str:
    """Olivero: ``footer.comment__meta`` with the name alone in ``p.comment__author`` and the
    date in ``p.comment__time``."""
    _line, mark, weekday = LANGUAGES[lang]
    items = []
    for i, (name, anonymous) in enumerate(POSTERS):
        cid = 80 + i
        items.append(
            f'<article data-comment-user-id="{0 if anonymous else 7}" id="comment-{cid}" '
            f'class="comment js-comment comment--level-1" role="article" '
            f'data-drupal-selector="comment"><span class="hidden" data-comment-timestamp='
            f'"1583400000"></span><div class="comment__picture-wrapper"><div class="comment__'
            f'picture"></div></div><div class="comment__text-wrapper"><footer class="comment__'
            f'meta"><p class="comment__author">{_name(name, anonymous, mark, rdf)}</p>'
            f'<p class="comment__time">{_shown_date(i, weekday)}</p></footer><div class="'
            f'comment__content"><h3><a href="/comment/{cid}#comment-{cid}" class="permalink" '
            f'rel="bookmark" hreflang="{lang}">Bridge</a></h3><div class="clearfix text-'
            f'formatted field field--name-comment-body"><p>{TEXTS[i]}</p></div></div></div>'
            "</article>"
        )
    return _page(lang, "".join(items))


def _page(lang: str, comments: str) -> str:
    line, _mark, weekday = LANGUAGES[lang]
    byline = line.format(
        name='<span><span lang="" typeof="schema:Person" property="schema:name" '
        'datatype="">editor</span></span>',
        date=f"<span>{weekday}, 03/05/2020 - 08:00</span>",
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}" dir="ltr"><head><meta charset="utf-8"/>'
        "<title>The mill footbridge | Pond Street Notes</title></head><body>"
        '<main role="main"><article role="article" about="/node/9" class="node node--type-'
        'article"><h1 class="page-title"><span>The mill footbridge</span></h1>'
        f'<div class="node__meta"><span>{byline}</span></div>'
        '<div class="node__content"><div class="field field--name-body"><p>'
        + "The footbridge over the mill race will be repaired in the spring, the parish says. " * 6
        + '</p></div><section class="comment-wrapper"><h2 class="title">Comments</h2>'
        + comments
        + "</section></div></article></main></body></html>"
    )


THEMES = {"classy": _classy, "author line": _author_line, "olivero": _olivero}


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize("lang", sorted(LANGUAGES))
@pytest.mark.parametrize("rdf", [True, False])
def test_the_name_of_a_drupal_comment_header_is_the_username_alone(
    theme: str, lang: str, rdf: bool
) -> None:
    # the permalink word, the "Submitted by" words, the "(not verified)" mark and the weekday
    # of the date beside it are the header's, not the name's
    found = find_comments(THEMES[theme](lang, rdf))
    assert [c.author for c in found] == [name for name, _ in POSTERS]
    assert [c.text for c in found] == TEXTS


def test_a_schema_person_name_wins_over_the_header_line_holding_it() -> None:
    # words of the theme's own beside the name, which no cleaning of the line would cut: the
    # markup of the name decides, with the RDF module's author relation around it or without
    page = _author_line("en", rdf=True).replace(" Submitted by ", " — a note from ")
    assert [c.author for c in find_comments(page)] == [name for name, _ in POSTERS]
    bare = page.replace('<span rel="schema:author">', "<span>")
    assert [c.author for c in find_comments(bare)] == [name for name, _ in POSTERS]


def test_the_comments_title_is_no_person_name() -> None:
    # the h3 carries property=schema:name too, but of the Comment: with no person marked up,
    # the name comes from the header line
    page = _author_line("en", rdf=True).replace('typeof="schema:Person" property="schema:name"', "")
    assert [c.author for c in find_comments(page)] == [name for name, _ in POSTERS]


def test_the_parents_author_in_the_line_for_screen_readers_is_not_the_replys_author() -> None:
    # core's themes print "In reply to TITLE by NAME" for screen readers in a reply's header:
    # a Person's name there is the author of the comment answered
    parent = (
        '<p class="visually-hidden">In reply to <a href="/comment/60#comment-60" '
        'class="permalink">On the bridge</a> by <span lang="" typeof="schema:Person" '
        'property="schema:name" datatype="">Someone Else</span></p>'
    )
    page = _author_line("en", rdf=True).replace(
        '<span class="hidden new"', parent + '<span class="hidden new"'
    )
    assert [c.author for c in find_comments(page)] == [name for name, _ in POSTERS]
    shown = page.replace('class="visually-hidden"', 'class="parent"')
    assert [c.author for c in find_comments(shown)] == [name for name, _ in POSTERS]


# 9 May 2021 and 5 September 2021 are both Sundays: the weekday cannot say which is meant
AMBIGUOUS = "Sun, 05/09/2021 - 17:45"


def _node_page(dateline: str, comment_dates: list[str], lang: str = "en") -> str:
    """A Drupal node in Bartik's shape: "Submitted by NAME on DATE" under the title, no
    machine-readable date, a body long enough that the comments, dated in Olivero's
    ``p.comment__time``, stand far below the dateline."""
    comments = "".join(
        f'<article data-comment-user-id="0" id="comment-{90 + i}" class="comment js-comment" '
        f'role="article"><footer class="comment__meta"><p class="comment__author"><span>'
        f'{name} (not verified)</span></p><p class="comment__time">{shown}</p></footer>'
        f'<div class="comment__content"><div class="field field--name-comment-body"><p>'
        f"{text}</p></div></div></article>"
        for i, (shown, (name, _), text) in enumerate(
            zip(comment_dates, POSTERS, TEXTS, strict=False)
        )
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"/><title>Lock gates '
        '| Canal Diary</title></head><body><main><article class="node node--type-article">'
        '<h1 class="page-title"><span>Lock gates</span></h1><div class="node__submitted">'
        'Submitted by <span><span lang="" typeof="schema:Person" property="schema:name" '
        f'datatype="">lockkeeper</span></span> on <span>{dateline}</span></div>'
        '<div class="node__content"><div class="field field--name-body"><p>'
        + "The lower lock gates were lifted out this week and will be back by the summer. " * 30
        + '</p></div></div><section class="comment-wrapper"><h2>Comments</h2>'
        + comments
        + "</section></article></main></body></html>"
    )


def _day(page: str) -> date | None:
    published = extract_article(page, url="https://canal.example.net/lock-gates").published
    return published.date() if published is not None else None


def test_a_comment_date_that_reads_one_way_only_orders_the_articles_dateline() -> None:
    # the 18th can only be a day: the page writes month first, so the dateline is 9 May
    page = _node_page(AMBIGUOUS, ["Tue, 05/18/2021 - 09:10", "Wed, 05/19/2021 - 11:00"])
    assert _day(page) == date(2021, 5, 9)
    # a site that set its format day first: "18/05/2021" says so, and the dateline follows
    page = _node_page(
        "Sun, 05/09/2021 - 17:45", ["Sat, 18/09/2021 - 09:10", "Sun, 19/09/2021 - 11:00"]
    )
    assert _day(page) == date(2021, 9, 5)
    # the two disagree: neither counts, and Drupal's default form decides
    page = _node_page(AMBIGUOUS, ["Tue, 05/18/2021 - 09:10", "Sat, 18/09/2021 - 11:00"])
    assert _day(page) == date(2021, 5, 9)


def test_drupals_default_date_form_puts_the_month_first_in_any_language() -> None:
    # no other date orders the numbers: the form "D, m/d/Y - H:i" is Drupal's default, which
    # sites of every language keep (the German weekday "So." included)
    assert _day(_node_page(AMBIGUOUS, [])) == date(2021, 5, 9)
    german = _node_page("So., 05/09/2021 - 17:45", [], lang="de").replace("Submitted by", "Von")
    assert _day(german) == date(2021, 5, 9)
    # the same numbers in another form stay read day first, as before
    assert _day(_node_page("05/09/2021", [])) == date(2021, 9, 5)


def test_comment_dates_in_drupals_default_form_read_month_first() -> None:
    # comments whose every date reads both ways, on a page that names no region
    page = _node_page(AMBIGUOUS, ["Sun, 05/09/2021 - 19:02", "Sun, 05/09/2021 - 20:15"])
    assert [c.published.date() for c in find_comments(page) if c.published] == [
        date(2021, 5, 9),
        date(2021, 5, 9),
    ]
