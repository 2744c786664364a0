"""A post's source file (a static-site generator's front matter or field lines, then its
body) declares its title and date in the block it opens with; a full page of its own under a
front matter is read from its own head."""

from __future__ import annotations

import pytest

from corpsearch.extract.article import extract_article
from corpsearch.extract.front_matter import FrontMatter, read_front_matter


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
