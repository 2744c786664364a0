"""A comment's fields read past what the page never shows (a hidden private-message box),
from label/value pairs ("<dt>Nick</dt><dd>NAME</dd>"), without an expand control ("show
more"), and dated in the month names of Bulgarian, Macedonian, Serbian and Belarusian."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corpsearch.extract.article import extract_article
from corpsearch.extract.comment_dates import parse_visible_date
from corpsearch.extract.comment_labels import (
    CONTROL_LINE,
    EXPAND_CONTROL,
    author_label,
    is_field_label,
)
from corpsearch.extract.comments import find_comments

_TEXTS = [
    "Llevo años diciendo que esto iba a pasar, y nadie quería escucharlo en el pueblo.",
    "Me parece bien que la detengan, pero habrá que ver qué dice el juez mañana.",
    "Aaaaaa qué sorpresa",
]
_NAMES = ["Trujillo77", "marisa_b", "Gorrión"]


def _page(items: str, lang: str = "es") -> str:
    return (
        f'<html lang="{lang}"><body><article><h1>Noticia</h1><p>Texto de la noticia.</p>'
        f'</article><div id="comments"><ol>{items}</ol></div></body></html>'
    )


def _with_hidden_box(hide: str) -> str:
    # each comment opens with a popup to write the commenter a private message, hidden until
    # a click: its heading and "Send a message to NAME" stand first in the item
    return "".join(
        f"<li><div {hide}><h5>Redactar mensaje privado</h5>"
        f"<p>Enviar mensaje a <strong>{name}</strong></p>"
        "<form><label>Asunto:</label><input type='text'><textarea></textarea>"
        "<input type='button' value='Enviar'></form></div>"
        f"<div><div><strong>{name}</strong> <span>2{i}.oct.2012 | 11:2{i}</span></div>"
        f"<h4>#{i + 1}</h4></div><p>{text}</p>"
        "<div><a href='#c'>Responder</a>\n<a href='#c'>Citar mensaje</a>"
        "<span><p>Valorar</p><a href='#'><span>Positivo</span></a>\n"
        "<a href='#'><span>Negativo</span></a></span></div></li>"
        for i, (name, text) in enumerate(zip(_NAMES, _TEXTS, strict=True), start=1)
    )


@pytest.mark.parametrize(
    "hide", ['style="display: none;"', "hidden", 'style="visibility:hidden"', 'aria-hidden="true"']
)
def test_a_hidden_box_is_no_part_of_a_comments_header_or_text(hide: str) -> None:
    found = find_comments(_page(_with_hidden_box(hide)))
    assert [c.author for c in found] == _NAMES
    assert [c.text for c in found] == _TEXTS
    assert found[0].published == datetime(2012, 10, 21, 11, 21, tzinfo=UTC)


def test_a_shown_box_of_the_same_words_is_still_read() -> None:
    # negative: the rule is the hiding mark, not the box's words: shown, the heading is read
    # where it stands (the first bold line of the comment), as before
    found = find_comments(_page(_with_hidden_box('class="box"')))
    assert [c.author for c in found] == ["Redactar mensaje privado"] * 3
    assert [c.text for c in found] == _TEXTS


def test_an_aria_hidden_icon_beside_the_name_stays_out_and_the_name_stays() -> None:
    # negative: aria-hidden without controls inside (an icon) hides nothing of the header
    items = "".join(
        f'<li class="comment"><div class="comment-meta"><span aria-hidden="true">★</span>'
        f'<span class="comment-author">{name}</span><time datetime="2021-03-0{i}T10:00:00Z">'
        f'{i} March 2021</time></div><div class="comment-body"><p>{text}</p></div></li>'
        for i, (name, text) in enumerate(zip(_NAMES, _TEXTS, strict=True), start=1)
    )
    found = find_comments(_page(items))
    assert [c.author for c in found] == _NAMES
    assert [c.text for c in found] == _TEXTS


def _with_pairs(name_label: str, date_label: str, term: str = "dt", value: str = "dd") -> str:
    return "".join(
        f'<div id="comment{40 + i}" class="comment-item"><div class="comment-item-top">'
        f"<dl><{term}>{name_label}</{term}><{value}><span>{name}</span> <img alt='5.17.*'>"
        f"</{value}><{term}>{date_label}</{term}><{value}>2015-08-0{i} 15:43:45</{value}></dl>"
        f'</div><div class="comment-item-text"><a href="/forum/1/{40 + i}/">{text}</a>'
        "<span class='expand-row'><i>rozwiń komentarz</i></span></div></div>"
        for i, (name, text) in enumerate(zip(_NAMES, _TEXTS, strict=True), start=1)
    )


@pytest.mark.parametrize(
    ("name_label", "date_label"),
    [("Nick", "Data dodania"), ("Autor:", "Datum:"), ("Użytkownik", "Fecha"), ("Name", "Date")],
)
def test_a_label_names_the_value_after_it_and_is_never_the_author(
    name_label: str, date_label: str
) -> None:
    found = find_comments(_page(_with_pairs(name_label, date_label), lang="pl"))
    assert [c.author for c in found] == _NAMES
    assert found[0].published == datetime(2015, 8, 1, 15, 43, 45, tzinfo=UTC)
    # the expand control after the text is no part of it
    assert [c.text for c in found] == _TEXTS


_DATE_FIELDS = {
    # the name beside a date field of its own, or after the text
    "name, then the pair": "<div><span>{name}</span><dl><dt>Data dodania</dt>"
    "<dd>2015-08-0{i} 15:43:45</dd></dl></div>{body}",
    "the pair, the name below": "<dl><dt>Data dodania</dt><dd>2015-08-0{i} 15:43:45</dd></dl>"
    "{body}<p>{name}</p>",
    "name, then a label with a colon": "<div><span>{name}</span> <span>Datum:</span> "
    "<span>2015-08-0{i} 15:43:45</span></div>{body}",
    "a label with a colon, the name below": "<div><b>Datum:</b> <span>2015-08-0{i} 15:43:45"
    "</span></div>{body}<div><b>{name}</b></div>",
}


@pytest.mark.parametrize("shape", list(_DATE_FIELDS))
def test_a_date_fields_label_is_no_name_nor_part_of_one(shape: str) -> None:
    items = "".join(
        f'<div id="comment{40 + i}" class="comment-item">'
        + _DATE_FIELDS[shape].format(
            i=i, name=name, body=f'<div class="comment-item-text"><p>{text}</p></div>'
        )
        + "</div>"
        for i, (name, text) in enumerate(zip(_NAMES, _TEXTS, strict=True), start=1)
    )
    found = find_comments(_page(items, lang="pl"))
    assert [c.author for c in found] == _NAMES
    assert found[0].published == datetime(2015, 8, 1, 15, 43, 45, tzinfo=UTC)


def test_label_words_are_labels_only_as_labels() -> None:
    assert is_field_label("Data dodania") and is_field_label("Datum:")
    assert author_label("Nick", colon=False) and author_label("Autor:")
    # outside a description list's term a label ends with a colon: "Nick" alone may be a name
    assert not author_label("Nick") and not author_label("Nick Cave:", colon=False)
    assert not is_field_label("Nicolás") and not is_field_label("Datenschutz")


def test_a_commenter_named_like_a_label_keeps_the_name() -> None:
    # negative: a bold "Nick" in a header with no value beside it is the commenter's name
    items = "".join(
        f'<li class="comment"><div class="comment-meta"><strong>{name}</strong> '
        f'<span class="date">0{i}.03.2021 10:00</span></div>'
        f'<div class="comment-body"><p>{text}</p></div></li>'
        for i, (name, text) in enumerate(zip(["Nick", "Data", "Ana"], _TEXTS, strict=True), 1)
    )
    assert [c.author for c in find_comments(_page(items))] == ["Nick", "Data", "Ana"]


@pytest.mark.parametrize(
    "words",
    ["rozwiń komentarz", "Show more", "… mehr anzeigen", "leer más", "[voir plus]", "Read more »"],
)
def test_expand_controls(words: str) -> None:
    assert EXPAND_CONTROL.match(words)


def test_a_sentence_about_showing_more_is_no_control() -> None:
    assert not EXPAND_CONTROL.match("Show more respect for the volunteers, please.")
    assert not CONTROL_LINE.match("Positivo, pero con dudas")
    assert CONTROL_LINE.match("Citar mensaje") and CONTROL_LINE.match("Valorar")


@pytest.mark.parametrize(
    ("shown", "when"),
    [
        ("15 август 2015 13:28", datetime(2015, 8, 15, 13, 28, tzinfo=UTC)),  # bg
        ("3 ноември 2014 г., 9:05", datetime(2014, 11, 3, 9, 5, tzinfo=UTC)),  # bg, year mark
        ("16.08.2015 г. 10:44:23", datetime(2015, 8, 16, 10, 44, 23, tzinfo=UTC)),
        ("3. јануара 2021. у 13:28", datetime(2021, 1, 3, 13, 28, tzinfo=UTC)),  # sr Cyrillic
        ("3. septembra 2021. 08:10", datetime(2021, 9, 3, 8, 10, tzinfo=UTC)),  # sr Latin
        ("21 октомври 2019 10:00", datetime(2019, 10, 21, 10, 0, tzinfo=UTC)),  # mk
        ("7 снежня 2019 18:30", datetime(2019, 12, 7, 18, 30, tzinfo=UTC)),  # be
        ("12 листопада 2019 о 14:00", datetime(2019, 11, 12, 14, 0, tzinfo=UTC)),  # uk
        ("2 мар 2015 13:28", datetime(2015, 3, 2, 13, 28, tzinfo=UTC)),  # ru/bg abbreviation
    ],
)
def test_cyrillic_month_names(shown: str, when: datetime) -> None:
    found = parse_visible_date(shown, UTC, None, None)
    assert found is not None and found.value == when


def test_a_word_that_is_a_month_only_beside_numbers() -> None:
    # negative: "лист" (a Ukrainian abbreviation of November, and a word) dates nothing alone
    assert parse_visible_date("Лист до редакції", UTC, None, None) is None


def test_a_bulgarian_dateline_dates_the_article() -> None:
    html = (
        '<html lang="bg"><head><title>Борисов</title></head><body><div><h1>Борисов: Тече акция'
        '</h1><p class="inf"><span class="red">15 август 2015 13:28</span></p>'
        "<p>От вчера в страната се извършват проверки от ДАНС, полицията и други служби за "
        "манипулирани горива, съобщи във Варна премиерът.</p><p>Той откри новата сграда на "
        "Бреговия център във Варна заедно с министъра на транспорта.</p></div></body></html>"
    )
    published = extract_article(html).published
    assert published is not None and published.date() == datetime(2015, 8, 15).date()
