"""Teaser boxes that a template names like comments, and boxes of comment teasers: boxes that
promote another page are no comments, while the comments of a thread whose header or name is
a link stay, and the cut comments of a teaser box linking to the comment page are read from
their "DATE | NAME:" headers. Every page here is markup written for the test."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from corpsearch.extract.comment_items import candidates
from corpsearch.extract.comments import find_comments

_STORY = (
    "<article><h1>Le conseil vote le budget</h1>"
    + "<p>Le conseil municipal a voté mardi soir le budget de l'année prochaine. " * 6
    + "</p></article>"
)


def _page(story: str, aside: str) -> str:
    return (
        "<html><head><title>Le budget</title>"
        "<link rel='canonical' href='https://journal.example.fr/ville/budget-vote/'></head>"
        f"<body><div id='main'>{story}</div><div class='colonne'>{aside}</div></body></html>"
    )


def _promo(heading: str, href: str, words: str, more: str = " Lire la suite »") -> str:
    # a box whose style class carries a comment word, as a template's "opinion" box does
    return (
        "<div class='encart box-commentaire'><div class='titre'>"
        f"<h3>{heading}</h3></div><a class='lien' href='{href}'>"
        f"<img src='/img/{len(heading)}.png' alt=''><p>{words}{more}</p></a></div>"
    )


_PROMOS = [
    _promo(
        "Le magazine du mois",
        "https://magazine.example.com/",
        "Chaque mois, le magazine part à la rencontre de celles et ceux qui font la région.",
    ),
    _promo(
        "Festival des idées 2019",
        "/evenements/festival-des-idees/",
        "Trois jours de débats au théâtre municipal, les 8 et 9 juin 2019, entrée libre.",
    ),
    _promo(
        "Notre blog cuisine",
        "https://blogs.journal.example.fr/cuisine/",
        "Des recettes de saison et les bonnes adresses du marché, chaque semaine.",
    ),
]


def test_teaser_boxes_named_like_comments_that_promote_other_pages_are_no_comments() -> None:
    # each box: a section heading over ONE link wrapping an image and a blurb that ends in a
    # more-marker, to another page; the boxes repeat as siblings, none shows a date of its own
    assert find_comments(_page(_STORY, "".join(_PROMOS))) == []
    # a box alone, under an h2, in another language, its blurb ending in "more ›"
    alone = (
        "<div class='panel commentItem'><h2>Opinion</h2>"
        "<a href='/opinion/the-bridge-can-wait/'><p>Why the city should spend its money on "
        "schools before it builds another bridge, argues our columnist. more ›</p></a></div>"
    )
    assert find_comments(_page(_STORY, alone)) == []
    # without a heading, the more-marker tells the blurb
    bare = (
        "<div class='tile tile-comment'><a href='https://partner.example.net/offer'>"
        "<p>Our partner paper now appears online every Wednesday and in print at the "
        "weekend. &gt;</p></a></div>"
    ) * 2
    assert find_comments(_page(_STORY, bare)) == []


_THREAD = (
    "<section id='comments'><h2>3 commentaires</h2><ol class='liste'>"
    "<li class='commentaire' id='commentaire-311'><h3>"
    "<a href='https://journal.example.fr/ville/budget-vote/#commentaire-311'>Claire Dubois</a>"
    "</h3><p>Enfin un budget qui pense aux écoles avant les routes, il était temps.</p></li>"
    "<li class='commentaire' id='commentaire-312'><h3>"
    "<a href='https://marc-ecrit.example.org/' rel='external nofollow'>Marc</a></h3>"
    "<p>J'ai lu <a href='https://stats.example.org/budgets/2019'>le rapport complet sur les "
    "budgets des villes de la région</a> et les chiffres ne collent pas.</p></li>"
    "<li class='commentaire' id='commentaire-313'><h3>Sophie</h3><p>"
    "<a href='https://mairie.example.fr/conseil/budget-2019.pdf'>Le document du conseil, "
    "pour ceux qui veulent vérifier les chiffres</a></p></li>"
    "</ol></section>"
)


def test_comments_whose_header_or_name_is_a_link_stay() -> None:
    # the first name links to the comment's own permalink, the second to the commenter's
    # site (and the text cites another page)
    page = _page(_STORY + _THREAD, "".join(_PROMOS))
    found = find_comments(page)
    assert [c.author for c in found[:2]] == ["Claire Dubois", "Marc"]
    assert found[0].text.startswith("Enfin un budget qui pense aux écoles")
    assert found[1].text.startswith("J'ai lu le rapport complet")
    # the third's words are all one link to a document, under a heading with the name, as a
    # teaser's: in a thread of comments it is one of them, while the boxes go
    root = etree.fromstring(page, etree.HTMLParser())
    items = candidates(root, {})[0]
    assert [el.get("id") for el in items] == [
        "commentaire-311",
        "commentaire-312",
        "commentaire-313",
    ]


def test_a_comment_teaser_box_reads_each_teasers_header_and_cut_text() -> None:
    # the page shows the first comments cut short, each a link (to the page of all
    # comments) around a heading that joins the date and the name ("DATE | NAME:") and a
    # paragraph with the cut words; the page has no comment markup
    box = (
        "<div class='block reactions'><h2>Reacties van lezers (12)</h2><ul>"
        "<li><a href='/stad/begroting/reacties/'><h4>03.02.2019, 09:15 | Anouk:</h4>"
        "<p>Eindelijk gaat het geld naar de scholen in plaats van naar nog een...</p></a></li>"
        "<li><a href='/stad/begroting/reacties/'><h4>03.02.2019, 10:40 | Pieter de Vries:</h4>"
        "<p>... en wie betaalt straks het onderhoud van al die nieuwe gebouwen...</p></a></li>"
        "<li><a href='/stad/begroting/reacties/'><h4>04.02.2019, 08:05 | jk:</h4>"
        "<p>De gemeenteraad heeft gewoon zijn werk gedaan, niets bijzonders aan...</p></a></li>"
        "</ul><a href='/stad/begroting/reacties/'>Alle 12 reacties</a></div>"
    )
    story = (
        "<article><h1>De raad stemt over de begroting</h1>"
        + "<p>De gemeenteraad heeft dinsdagavond de begroting voor volgend jaar aangenomen. " * 6
        + "</p></article>"
    )
    # beside boxes named like comments that promote other pages, which are none
    aside = "".join(_PROMOS)
    page = f"<html><head><title>Begroting</title></head><body>{story}{box}{aside}</body></html>"
    found = find_comments(page)
    assert [c.author for c in found] == ["Anouk", "Pieter de Vries", "jk"]
    assert found[0].text.startswith("Eindelijk gaat het geld naar de scholen")
    assert found[1].text.startswith("... en wie betaalt straks")
    assert found[0].published == datetime(2019, 2, 3, 9, 15, tzinfo=UTC)
