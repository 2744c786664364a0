"""A body extractor that took the comment section for the article: the comments' paragraphs
are then no article text for a comment to quote, and every comment keeps its own words; a
comment quoting a real article still has the quotation moved to ``quotes``."""

from __future__ import annotations

from corpsearch.extract import extract
from corpsearch.extract.parts import PageParts, RawComment, assemble
from corpsearch.sources import SourceDocument, SourceRef

# a blog post's source: its own text is markdown (no paragraph elements), the archived
# WordPress comment list after it is the only markup with paragraphs
_POST = """.. title: Leer ePUB en Kindle
.. lang: es

El otro día andaba buscando si era posible leer ePUBs en el Kindle y, si
era asi, cómo leerlos. Sólo por curiosidad.

## Jailbreak

Primero hacerle Jailbreak bajando el archivo y pasarlo al root del kindle.

<h3> Comments </h3>
<div id="comments"><ol class="commentlist">
<li class="comment even thread-even depth-1" id="li-comment-227"><div id="comment-227">
<div class="comment-author vcard"><cite class="fn">hookdump</cite>
<span class="says">says:</span></div>
<div class="comment-meta commentmetadata">February 9, 2012 at 1:02 pm</div>
<div class="comment-body"><p>o.O Esto funca?<br />
Usualmente soy un freak que actualiza el firmware en todos los dispositivos de la casa.</p>
<p>PERO el kindle para mi es sagrado y no quiero romperlo por nada del mundo.</p>
</div></div></li>
<li class="comment odd alt depth-1" id="li-comment-228"><div id="comment-228">
<div class="comment-author vcard"><cite class="fn">A.Q.</cite>
<span class="says">says:</span></div>
<div class="comment-meta commentmetadata">February 10, 2012 at 11:25 am</div>
<div class="comment-body"><p>Si, funca.</p>
<p>Es inocente. Es un programa que se activa como dice ahi arriba y se sale con el menu.</p>
<p>Todo lo que escribo esta probado, a no ser que se diga lo contrario en el texto.</p>
</div></div></li>
</ol></div>"""


def test_comments_keep_their_paragraphs_when_the_body_is_the_comment_section() -> None:
    article = extract(SourceDocument(SourceRef("blog/kindle.html"), "html", _POST.encode()))
    texts = {c.author: c.text for c in article.comments}
    assert texts["A.Q."].startswith("Si, funca.\n\nEs inocente. Es un programa")
    assert texts["A.Q."].endswith("a no ser que se diga lo contrario en el texto.")
    assert all(c.quotes == () for c in article.comments)


_ARTICLE = (
    "The council voted on Tuesday to close the old bridge to cars from next spring.\n\n"
    "Residents of the east bank will have to drive twelve kilometres round to the ring road.\n\n"
    "The bridge will stay open to cyclists and walkers while it is repaired."
)


def test_a_comment_quoting_the_article_still_has_its_quotation_apart() -> None:
    quoted = (
        "Residents of the east bank will have to drive twelve kilometres round to the ring road."
    )
    parts = PageParts(
        headline="Bridge to close",
        body=_ARTICLE,
        comments=[
            RawComment("Ann", None, f"{quoted}\n\nThat is a long way for the bakery vans."),
            RawComment("Bob", None, "About time, it has been shaking for years."),
        ],
    )
    article = assemble(parts, SourceRef("news/bridge.html"))
    ann = article.comments[0]
    assert ann.text == "That is a long way for the bakery vans."
    assert ann.quotes == (quoted,)
