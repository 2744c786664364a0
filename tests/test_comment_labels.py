"""Controls, badges and labelled fields read by what they say, whatever markup holds them."""

from __future__ import annotations

import pytest

from corpsearch.extract.comment_authors import clean_author
from corpsearch.extract.comment_labels import (
    CONTROL_LINE,
    is_field_line,
    is_moderation_notice,
    labelled_author,
    strip_role_badge,
    strip_text_label,
)
from corpsearch.extract.comments import find_comments


@pytest.mark.parametrize("word", ["Permalien", "Lien permanent", "Жалоба", "Segnala", "返信"])
def test_controls_in_other_languages(word: str) -> None:
    assert CONTROL_LINE.match(word)


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("💬 Nordwolf, Mar 4th at 10:15 PM (report)", "Nordwolf"),
        ("Ruben•Author", "Ruben"),
        ("佐藤（2021/03/02 18:22）", "佐藤"),
        ("Dana Whitfield · Mar 03, 11:47 AM · #", "Dana Whitfield"),
        ("Lea Moderator", "Lea"),
        ("Autor", None),  # a badge alone is nobody's name
        ("Admin", "Admin"),  # ... but a site signs as "Admin"
        ("Guest", "Guest"),
        # an emoji a reader signs after the name is theirs; a check mark is a badge
        ("Walt ⛵", "Walt ⛵"),
        ("Nora K. ✍️", "Nora K. ✍️"),
        ("Ana 👩🏽\u200d🍳", "Ana 👩🏽\u200d🍳"),
        ("Anna ✔", "Anna"),
        ("Anna | 💬", "Anna"),
    ],
)
def test_names_without_icons_badges_and_dates(raw: str, name: str | None) -> None:
    assert clean_author(raw) == name


def test_labelled_fields() -> None:
    line = "Dodano: 02.03.2021 14:08, Autor: rowerzysta_76, Adres IP: 83.21.144.*"
    assert labelled_author(line) == "rowerzysta_76"
    assert labelled_author("Autore del commento: marco_b") == "marco_b"
    assert labelled_author("I wrote to the author: no answer yet") is None
    # a signature with a comma of its own runs to the next labelled field
    line = (
        "Dodano: 03.03.2021 17:48, Autor: Tomasz Wiśniewski, radny dzielnicy, Adres IP: 31.0.12.*"
    )
    assert labelled_author(line) == "Tomasz Wiśniewski, radny dzielnicy"
    # ... but a date after the comma is no part of it
    assert labelled_author("Autor: Jan, 03.03.2021 13:05") == "Jan"


def test_a_commenters_statistic_is_a_field() -> None:
    assert is_field_line("Kommentare: 412")
    assert is_field_line("Posts: 1,204")
    assert not is_field_line("Kommentare: bitte sachlich bleiben")
    assert is_field_line("Voto proposto: 5") and is_field_line("Valoración: 4/5")
    assert not is_field_line("Note: the ferry runs on Sundays too")
    assert strip_text_label("Commento: Chiarissimi.") == "Chiarissimi."
    assert strip_role_badge("Gast") == "Gast"


def test_a_labelled_author_beats_a_title_heading() -> None:
    # a title in the heading where other templates put the name; the name only in the footer
    items = "".join(
        f"<li><h4>{title}</h4><p>{text}</p>"
        f"<span>Dodano: 0{i + 2}.03.2021 14:08, Autor: {name}, Adres IP: 83.21.144.*</span></li>"
        for i, (title, text, name) in enumerate(
            [
                ("Wreszcie", "Jeżdżę tamtędy codziennie do pracy, wreszcie będzie lepiej.", "Ala"),
                ("Koszt", "Sześć milionów za cztery kilometry asfaltu to bardzo dużo.", "Tomasz"),
                ("Kałuże", "A co z odcinkiem za przystanią? Tam jest najgorzej po deszczu.", "Ewa"),
            ]
        )
    )
    html = (
        '<html lang="pl"><body><article><h1>Ścieżka</h1><p>Tekst artykułu.</p></article>'
        f'<h3>Komentarze</h3><ul class="comments">{items}</ul></body></html>'
    )
    assert [c.author for c in find_comments(html)] == ["Ala", "Tomasz", "Ewa"]


@pytest.mark.parametrize(
    "line",
    [
        "Your comment is awaiting moderation.",
        "Dein Kommentar wird von uns überprüft und schnellstmöglich freigegeben.",
        "Votre commentaire est en attente de modération.",
        "Tu comentario está pendiente de moderación.",
        "あなたのコメントは承認待ちです。",
    ],
)
def test_moderation_notices_by_their_words(line: str) -> None:
    assert is_moderation_notice(line)


def test_a_commenters_sentence_about_a_review_is_no_notice() -> None:
    assert not is_moderation_notice("Your comment about the review of the plan was spot on.")


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Jeaacalay (未验证)", "Jeaacalay"),
        ("小明（未驗證）", "小明"),
        ("Иван (не проверено)", "Иван"),
        ("Joana (não verificado)", "Joana"),
        ("Kasia (niezweryfikowany)", "Kasia"),
    ],
)
def test_drupals_not_verified_mark_in_its_translations(raw: str, name: str) -> None:
    assert clean_author(raw) == name


def test_an_anonymous_drupal_commenter_keeps_only_the_name() -> None:
    # Drupal 7 markup: the mark "(未验证)" ("not verified") follows an anonymous reader's name
    # inside the same span.username
    comments = "".join(
        f'<a id="comment-{i}"></a><div class="comment comment-by-anonymous clearfix" '
        f'typeof="sioc:Post sioct:Comment"><div class="attribution"><p class="commenter-name">'
        f'<span rel="sioc:has_creator"><span class="username" property="foaf:name">{name} (未验证)'
        f'</span></span></p><p class="comment-time"><span property="dc:date dc:created" '
        f'content="2019-0{i}-03T12:00:00+02:00">星期一, 0{i}/03/2019 - 12:00</span></p></div>'
        f'<div class="comment-text"><div class="content"><p>{text}</p></div></div></div>'
        for i, (name, text) in enumerate(
            [
                ("阿明", "这篇文章写得很清楚，我按照步骤在自己的服务器上装好了，谢谢作者。"),
                ("小红", "请问手机上的客户端应该怎么设置代理端口？我试了几次都连不上。"),
                ("老王", "公共服务器最近很不稳定，还是自己搭一台比较放心，费用也不高。"),
            ],
            start=1,
        )
    )
    html = (
        '<html lang="zh"><body><article><h1>翻墙</h1><p>正文。</p></article>'
        f'<div class="comment-wrapper" id="comments"><h2 class="title">评论</h2>{comments}'
        "</div></body></html>"
    )
    assert [c.author for c in find_comments(html)] == ["阿明", "小红", "老王"]
