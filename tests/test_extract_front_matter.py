"""A post's source file (a static-site generator's front matter or field lines, then its
body) declares its title and date in the block it opens with; a full page of its own under a
front matter is read from its own head."""

from __future__ import annotations

import pytest

from corpsearch.extract.article import extract_article
from corpsearch.extract.front_matter import FrontMatter, heading_line_title, read_front_matter


@pytest.mark.parametrize(
    ("markup", "want"),
    [
        (
            '---\nlayout: post\ntitle: "Static vs. Dynamic Typing"\n'
            'date: "2006-03-15T17:17:00+01:00"\ncomments: false\n---\n\n<p>Text.</p>',
            FrontMatter("Static vs. Dynamic Typing", "2006-03-15T17:17:00+01:00"),
        ),
        (
            "---\nDate: 2009-06-05\nTitle: La loi Hadopi mise à mal par freewifi ?\n"
            "Tags:\n- Internet\n---\n\nPour les quelques personnes…",
            FrontMatter("La loi Hadopi mise à mal par freewifi ?", "2009-06-05"),
        ),
        (
            "---\ntitle: 'It''s here'\n---\nbody",
            FrontMatter("It's here", None),
        ),
        (
            # an exporter's block of one bare line: the title, then the post's markup
            "---\nA Cheap Relay &#8211; Moving Traffic Through Three Boxes\n---\n"
            '<div class="entry"><p>Text.</p></div>',
            FrontMatter("A Cheap Relay – Moving Traffic Through Three Boxes", None),
        ),
        (
            ".. title: Leer ePUB en Kindle 3\n.. lang: es\n.. date: 2012-02-01\n\nEl otro día…",
            FrontMatter("Leer ePUB en Kindle 3", "2012-02-01"),
        ),
    ],
)
def test_the_block_a_post_source_opens_with(markup: str, want: FrontMatter) -> None:
    assert read_front_matter(markup) == want


@pytest.mark.parametrize(
    "markup",
    [
        "<html><head><title>A page</title></head><body><p>---</p></body></html>",
        "Some text\n---\ntitle: not a block\n---\n",  # the block opens the file or is none
        "---\nlayout: post\ntags: [a, b]\n---\n<p>no title, no date</p>",
        "---\ntitle: [a, list]\n---\n",
        "<p>.. note: a reST directive in the text</p>",
        # a bare line between two rules is a title only at the very start, alone, before HTML
        "<p>Intro</p>\n---\nA line between two rules\n---\n<p>more</p>",
        "Some words of Markdown\n\n---\nA line between two rules\n---\n<p>more</p>",
        "---\nA line between two rules\n---\nand Markdown text after them, no markup",
        "---\nTwo lines of text\nbetween two rules\n---\n<p>more</p>",
        "---\nThe first sentence of a page set between two rules.\n---\n<p>more</p>",
        "---\nWord\n---\n<p>one word is a label, no title</p>",
        "---\n***\n---\n<p>marks</p>",
        "---\nlayout: post\n---\n<p>a field, not a title</p>",
        "---\n" + "A very long line " * 20 + "\n---\n<p>more</p>",
    ],
)
def test_no_block_or_nothing_declared(markup: str) -> None:
    assert read_front_matter(markup) is None


_POST = """---
layout: post
title: "Jitter: Experimenting with microblogging in the enterprise"
date: 2008-07-14
---

## Introduction

<p>In February 2008, we started an experiment with microblogging inside the company, to see
whether a short status line would spread knowledge faster than our mailing lists.</p>
<p>This post tells how it went in the first months and what we learnt about it.</p>
"""


def test_a_post_source_is_titled_and_dated_by_its_front_matter() -> None:
    fields = extract_article(_POST)
    assert fields.headline == "Jitter: Experimenting with microblogging in the enterprise"
    assert fields.published is not None and fields.published.date().isoformat() == "2008-07-14"


def test_a_full_page_under_a_front_matter_keeps_its_own_title() -> None:
    page = """---
layout: page
title: About
permalink: /about/
---

<!DOCTYPE html>
<html><head><title>How we moved our wiki to Git | Example Blog</title>
<meta property="og:title" content="How we moved our wiki to Git"></head>
<body><article><h1>How we moved our wiki to Git</h1>
<p>Last spring our team moved ten years of wiki pages into a Git repository, page by page,
with their history.</p><p>Here is what worked and what did not, in the order we met it.</p>
</article></body></html>"""
    assert extract_article(page).headline == "How we moved our wiki to Git"


_TEXT = (
    "<p>Three small boards pass the traffic on from one to the next, so the last one is all a "
    "site ever sees of the reader who sent it.</p><p>Each box costs a few euros and adds a "
    "few milliseconds to the way, which the tests found small enough for daily use.</p>"
)


def test_a_bare_titled_post_is_dated_by_the_meta_line_it_opens_with() -> None:
    # no heading anywhere: the post's meta line (a bare span with the day after "Written by:
    # NAME") opens the markup as it would sit under a rendered title
    post = (
        "---\nA Cheap Relay &#8211; Moving Traffic Through Three Boxes\n---\n"
        '<div class="entry-box hentry"><p class="meta"><span>Written by: <a href="/u/ada">'
        'Ada Brook</a></span> <span>March 4, 2019</span> <span><a href="#c">5 Replies</a>'
        f"</span></p>{_TEXT}</div>"
    )
    fields = extract_article(post)
    assert fields.headline == "A Cheap Relay – Moving Traffic Through Three Boxes"
    assert fields.published is not None and fields.published.date().isoformat() == "2019-03-04"


def test_an_entrys_hidden_hatom_published_date_is_declared_and_updated_is_not() -> None:
    # nothing shown: the entry's hidden "published" gives the day; "updated" is its last
    # change, no publication; outside an hAtom entry the classes are no properties
    published = '<span style="display:none" class="published">2019-03-04</span>'
    post = (
        f'---\nA Cheap Relay for Three Boxes\n---\n<div class="entry-box hentry">{_TEXT}'
        f'{published}<span style="display:none" class="updated">2019-05-06</span></div>'
    )
    fields = extract_article(post)
    assert fields.published is not None and fields.published.date().isoformat() == "2019-03-04"
    assert (fields.published_reason or "").startswith("embedded date")
    assert extract_article(post.replace("entry-box hentry", "entry-box")).published is None
    assert extract_article(post.replace(published, "")).published is None


_SAVED_POST = """---
layout: post
title: Working with generators
tags: [python]
---

<div class="entry">
<h3 class="entry-heading-title">Python : les générateurs pas à pas</h3>
<p class="entry-meta">Écrit par <a href="/">Lou</a> le lundi, 5 mars 2012, 08:15 - Notes</p>
<div class="entry-body"><h3>Qu'est-ce qu'un générateur ?</h3>
<p>Un générateur produit ses valeurs une à une, à la demande, au lieu de construire toute la
liste en mémoire avant de la rendre à celui qui l'appelle.</p>
<p>On l'écrit comme une fonction, avec le mot-clef yield à la place de return.</p></div>
</div>
"""


def test_a_post_title_shown_above_its_dateline_beats_the_front_matter_title() -> None:
    fields = extract_article(_SAVED_POST)
    assert fields.headline == "Python : les générateurs pas à pas"
    assert fields.published is not None
    assert fields.published.replace(tzinfo=None).isoformat() == "2012-03-05T08:15:00"


def test_without_a_dateline_under_it_a_titled_heading_leaves_the_front_matter_title() -> None:
    # a section's heading marked as a title, text under it: the block's title stays
    no_dateline = _SAVED_POST.replace(
        '<p class="entry-meta">Écrit par <a href="/">Lou</a> le lundi, 5 mars 2012, 08:15 - '
        "Notes</p>",
        "<p>Une courte introduction aux générateurs.</p>",
    )
    assert extract_article(no_dateline).headline == "Working with generators"
    untitled = _SAVED_POST.replace(' class="entry-heading-title"', "")
    assert extract_article(untitled).headline == "Working with generators"


@pytest.mark.parametrize(
    ("markup", "want"),
    [
        (
            "# Ferry timetable for spring\n\n<div class='post'><p>x</p></div>",
            "Ferry timetable for spring",
        ),
        ("# 港口新航线路线图\n<div class='p-cont'><h2>x</h2></div>", "港口新航线路线图"),
        ("\ufeff# Notes on ferries #\n\n\n<p>x</p>", "Notes on ferries"),
        ("# Caf&eacute; opening hours\n<p>x</p>", "Café opening hours"),
    ],
)
def test_a_markdown_heading_line_that_opens_a_saved_post(markup: str, want: str) -> None:
    assert heading_line_title(markup) == want


@pytest.mark.parametrize(
    "markup",
    [
        "# -*- coding: utf-8 -*-\nimport lxml.html\n",  # a script's comment, no markup after
        "# A heading line\n\nMarkdown text, no markup after it",
        "#hashtag\n<p>x</p>",
        "## A section\n<p>x</p>",  # a lower heading: a section's
        "<p>x</p>\n# A line further down\n<p>y</p>",
        "# 42\n<p>x</p>",
        "# This is the first sentence of the text.\n<p>x</p>",
    ],
)
def test_no_markdown_heading_line_title(markup: str) -> None:
    assert heading_line_title(markup) is None


_BODY = (
    "<p>The spring timetable adds two crossings a day and moves the first boat to six, so that "
    "commuters reach the mainland before the offices open.</p><p>Tickets bought for the winter "
    "timetable stay valid until the end of March.</p><p>The night boat keeps its hours.</p>"
)


def test_a_heading_line_titles_a_saved_post_fragment_without_an_h1() -> None:
    post = f"# Ferry timetable for spring\n\n<div class='p-cont'><h2>Ferry timetable for spring</h2>{_BODY}</div>"
    assert extract_article(post).headline == "Ferry timetable for spring"
    # no heading repeats it: the line is still the title
    alone = f"# Ferry timetable for spring\n\n<div class='p-cont'>{_BODY}</div>"
    assert extract_article(alone).headline == "Ferry timetable for spring"


def test_under_a_heading_line_the_fragments_own_h1_is_the_headline() -> None:
    # the line names a section of the chapter the fragment holds (its first h2), not the post
    post = (
        "# Indexing modes\n\n<div class='main'><h1>Ferry engines, chapter 7</h1>"
        f"<h2>Indexing modes</h2>{_BODY}<h2>Shifted operands</h2>{_BODY}</div>"
    )
    assert extract_article(post).headline == "Ferry engines, chapter 7"
