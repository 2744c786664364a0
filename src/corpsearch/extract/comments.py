"""Reader comments on pages of unknown sites, one record per comment.

The page is parsed once with lxml. Comment items are recognised by what real templates put on them
(:mod:`corpsearch.extract.comment_items`): schema.org ``Comment`` microdata, ids such as
``comment-1234`` / ``c1234567890``, class names that name a single comment (``comment``,
``fig-comment``, ``Comment``, ``comment--hash``, ``h-cite``) in several languages, the repeated
children of a list whose class or id names a comment list, and records by their shape. Items
inside an item are either a part of it (its body or header) or a nested reply. For each
comment the author, time, text, quotes, links and platform id are read from its own markup (replies
cut out); headers, reply links, vote widgets and avatars never reach the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo

from lxml import etree
from lxml.etree import _Element

from corpsearch.extract.comment_authors import clean_author
from corpsearch.extract.comment_evidence import PageContext
from corpsearch.extract.comment_fields import SURE_AUTHOR, Fields, Item, platform_id, read_fields
from corpsearch.extract.comment_items import candidates, doc_key
from corpsearch.extract.comment_layout import (
    author_column,
    labels_taken_for_names,
    without_header_lines,
)
from corpsearch.extract.comment_markup import flat_text_head
from corpsearch.extract.comment_shapes import join_split_items
from corpsearch.extract.comment_threads import (
    build,
    flatten,
    parents_by_indent,
    parents_by_reply_link,
)
from corpsearch.extract.date_order import month_first_on_page
from corpsearch.extract.htmltree import emoji_as_text

__all__ = ["FoundComment", "find_comments"]


@dataclass(frozen=True, slots=True)
class FoundComment:
    """One comment as found on the page (``parent`` is an index into the same list)."""

    author: str | None
    published: datetime | None
    published_reason: str | None
    text: str
    quotes: tuple[str, ...]
    parent: int | None
    depth: int
    platform_id: str | None
    links: tuple[str, ...]


_PLACEHOLDER = re.compile(
    r"^(?:no comments|be the first|there are no comments|noch keine kommentare|keine kommentare|"
    r"aucun commentaire|sin comentarios|nessun commento|ingen kommentarer|brak komentarzy|"
    r"geen reacties|nenhum comentário|comments are closed|kommentare geschlossen|"
    r"commentaires fermés|comentarios cerrados|you must be logged in|log in to comment|"
    r"sign in to comment|your comment is awaiting moderation|"
    r"(?:show|view|load|read|see|open|display|hide)\s+(?:all\s+|more\s+|the\s+)?\d*\s*comments?$|"
    r"(?:kommentare|commentaires|comentarios|commenti)\s+(?:anzeigen|afficher|ver|mostra)$|"
    r"(?:afficher|voir|lire) (?:les )?\d*\s*commentaires$|(?:ver|mostrar) \d*\s*comentarios$|"
    r"\d*\s*(?:replies|comments|responses|kommentare|commentaires|comentarios|commenti|reacties)$)",
    re.IGNORECASE,
)


_PAGE_WORDS = (
    "comment",
    "kommentar",
    "repl",
    "respuesta",
    "reactie",
    "komentarz",
    "commento",
    "comentario",
    "h-cite",
    "topic-post",
    "forum",  # a forum's posts embedded under a story (Flarum's) name no comment
)


_ATTR_WORDS = (*_PAGE_WORDS, "commentaire", "comentário")


def _parse(html: str) -> _Element | None:
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    if not html.strip():
        return None
    try:
        # a parser per call: lxml parser objects must not be shared between threads
        root = etree.fromstring(html, etree.HTMLParser(remove_comments=True, remove_pis=True))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    emoji_as_text(root)  # as parse_html does for the page's own tree
    return root


def find_comments(
    html: str,
    *,
    default_tz: tzinfo = UTC,
    captured_at: datetime | None = None,
    page_published: datetime | None = None,
    tree: _Element | None = None,
) -> list[FoundComment]:
    """Every reader comment in ``html``, in document order, as separate records.
    ``page_published`` (the article's date) gives the year to comment dates shown without one;
    ``tree`` is ``html`` already parsed (its root element), which may be changed here."""
    # the words as written first: lowering the whole page costs more than the search
    if not any(word in html for word in _PAGE_WORDS):
        lowered = html.lower()
        if not any(word in lowered for word in _PAGE_WORDS):
            return []
    root = tree if tree is not None else _parse(html)
    if root is None:
        return []
    order: dict[_Element, tuple[int, ...]] = {}
    found, mined = candidates(root, order)
    top = build(found, frozenset(mined))
    flat = flatten(top)
    flat.sort(key=lambda it: doc_key(it.node, order))
    page_day = page_published.date() if page_published is not None else None
    ctx = PageContext(
        default_tz=default_tz,
        captured_at=captured_at,
        month_first=month_first_on_page(
            (flat_text_head(it.node, 300) for it in flat[:50]), root, html, page_day
        )
        if flat
        else None,
        page_day=page_day,
        shared_stamps=shared_stamps(flat),
    )
    fields = {id(it): read_fields(it, ctx) for it in flat}
    if mined:
        _authors_by_layout(flat, fields, mined)
        _without_layout_header_lines(flat, fields, mined)
    elif len(flat) >= 3:
        _missing_authors_by_layout(flat, fields)
    _labels_for_names(flat, fields)
    flat = join_split_items(flat, fields)
    parents_by_reply_link(flat)
    parents_by_indent(flat)
    keep = [it for it in flat if _acceptable(fields[id(it)])]
    keep = _drop_odd_ones(keep)
    index: dict[int, int] = {}
    result: list[FoundComment] = []
    for it in keep:
        f = fields[id(it)]
        parent_item = it.parent
        while parent_item is not None and id(parent_item) not in index:
            parent_item = parent_item.parent
        parent = index[id(parent_item)] if parent_item is not None else None
        depth = 0 if parent is None else result[parent].depth + 1
        date = f.date
        index[id(it)] = len(result)
        result.append(
            FoundComment(
                author=f.author,
                published=date.value if date else None,
                published_reason=(date.reason if date else "no date shown"),
                text=f.text,
                quotes=f.quotes,
                parent=parent,
                depth=depth,
                platform_id=platform_id(it),
                links=f.links,
            )
        )
    return result


def _authors_by_layout(flat: list[Item], fields: dict[int, Fields], mined: list[_Element]) -> None:
    """Records mined by shape alone: the author is the one the records' common layout shows
    (the position every record fills with a different short name), its line and a date line
    cut from the start of the text; markup read without class names takes a comment's title
    or nothing for its author."""
    column = author_column(mined)
    for it in flat:
        raw = column.get(it.node)
        name = clean_author(raw) if raw else None
        f = fields[id(it)]
        if name and name != f.author and f.author_confidence < SURE_AUTHOR:
            fields[id(it)] = replace(f, author=name, text=without_header_lines(f.text, raw or name))


def _missing_authors_by_layout(flat: list[Item], fields: dict[int, Fields]) -> None:
    """Comments found by their markup whose author the markup does not show (no name, or one
    label the same in every comment, "Valoración"): the name their common layout shows."""
    authors = [fields[id(it)].author for it in flat]
    same_label = len(set(authors)) == 1
    if not same_label and all(a is not None for a in authors):
        return
    column = author_column([it.node for it in flat])
    for it in flat:
        f = fields[id(it)]
        raw = column.get(it.node)
        if not raw or (f.author is not None and not same_label):
            continue
        name = clean_author(raw)
        if name and name != f.author:
            fields[id(it)] = replace(f, author=name, text=without_header_lines(f.text, raw))


def _labels_for_names(flat: list[Item], fields: dict[int, Fields]) -> None:
    """A label the records show beside their names, read as the name of a record that shows
    no name (an anonymous post), names nobody."""
    labels = labels_taken_for_names([(it.node, fields[id(it)].author_el) for it in flat])
    for it in flat:
        if it.node in labels:
            fields[id(it)] = replace(fields[id(it)], author=None, author_el=None)


def shared_stamps(flat: list[Item]) -> frozenset[str]:
    """The ``datetime`` values that three comments or more, and most of them, carry as their
    first stamp while the stamps' elements show different dates: a template that prints the
    post's date into each comment's ``time`` element. Such a value dates none of them."""
    firsts: dict[str, set[str]] = {}
    for it in flat:
        stamp = next(iter(it.node.iterfind(".//*[@datetime]")), None)
        if stamp is not None:
            shown = " ".join("".join(stamp.itertext()).split())
            firsts.setdefault(str(stamp.get("datetime")), set()).add(shown)
    return frozenset(
        value for value, shown in firsts.items() if len(shown) >= 3 and len(shown) * 2 > len(flat)
    )


def _acceptable(f: Fields) -> bool:
    if not f.text and not f.quotes:
        return False
    if _PLACEHOLDER.match(f.text):
        return False
    return f.author is not None or f.date is not None


def _drop_odd_ones(items: list[Item]) -> list[Item]:
    """Within one list, an item without the platform id all its siblings carry is template furniture."""
    groups: dict[_Element | None, list[Item]] = {}
    for it in items:
        groups.setdefault(it.node.getparent(), []).append(it)
    drop: set[int] = set()
    for group in groups.values():
        with_id = [it for it in group if platform_id(it)]
        if len(with_id) >= 3 and len(with_id) < len(group):
            drop.update(id(it) for it in group if not platform_id(it))
    return [it for it in items if id(it) not in drop]


def _without_layout_header_lines(
    flat: list[Item], fields: dict[int, Fields], mined: list[_Element]
) -> None:
    """Records mined by shape whose author was read right from their markup: the lines
    before the text that only repeat the name or show the date or an age ("2d") are cut, as
    when the layout gives the name."""
    column = author_column(mined)
    for it in flat:
        raw = column.get(it.node)
        f = fields[id(it)]
        if raw and f.author:
            text = without_header_lines(f.text, raw)
            if text != f.text:
                fields[id(it)] = replace(f, text=text)
