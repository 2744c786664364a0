"""The page furniture that makes a generated page as large and as dense as a real one.

Real news pages (the article benchmark and both comment-page sets in ``shared/data``: 266 pages)
have a median of 112 KiB, about 7 elements per KiB and about a tenth of their bytes as visible
text; a fifth of their bytes are inline scripts, and most of the rest is attribute-heavy markup
(39 bytes per tag on average): mega-menus, story cards with responsive images, share buttons
with inline SVG icons, sitemap footers, consent and analytics code. The article and its comments
alone, as the templates render them, are about 14 KiB with 42% text.

:func:`furnish` adds that furniture around a rendered page, seeded per page, until the page
reaches a size drawn from the dev pages' spread (log-normal, median 110 KiB). It touches nothing
inside the article or the comment list, so what a page holds (the manifest's truth) is the same;
what changes is how much markup an extractor must parse and throw away, as on real pages.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Sequence
from html import escape

__all__ = ["MEDIAN_BYTES", "furnish", "target_bytes"]

MEDIAN_BYTES = 110 * 1024
SIGMA = 0.45  # the dev pages' spread (p25 66 KiB, p75 187 KiB), a little narrower
LOWEST, HIGHEST = 40 * 1024, 400 * 1024
# Shares of the added bytes, as on the dev pages (medians: script 20%, style 2%, markup 47%)
SCRIPT_SHARE, STYLE_SHARE = 0.24, 0.04

ICON_PATHS = (
    "M18 2h-3a5 5 0 0 0-5 5v3H7v4h3v8h4v-8h3l1-4h-4V7a1 1 0 0 1 1-1h3z",
    "M23 3a10.9 10.9 0 0 1-3.14 1.53 4.48 4.48 0 0 0-7.86 3v1A10.66 10.66 0 0 1 3 4s-4 9 5 13"
    "a11.64 11.64 0 0 1-7 2c9 5 20 0 20-11.5a4.5 4.5 0 0 0-.08-.83A7.72 7.72 0 0 0 23 3z",
    "M16 8a6 6 0 0 1 6 6v7h-4v-7a2 2 0 0 0-2-2 2 2 0 0 0-2 2v7h-4v-7a6 6 0 0 1 6-6zM2 9h4v12H2z",
    "M4 4h16c1.1 0 2 .9 2 2v12c0 1.1-.9 2-2 2H4c-1.1 0-2-.9-2-2V6c0-1.1.9-2 2-2zm16 2-8 5-8-5",
)
JS_WORDS = (
    "function", "return", "var", "const", "let", "this", "window", "document", "push",
    "prototype", "length", "null", "undefined", "typeof", "object", "string", "addEventListener",
    "querySelector", "setAttribute", "dataset", "Promise", "then", "catch", "JSON", "parse",
)  # fmt: skip


def target_bytes(rng: random.Random) -> int:
    """A page size drawn like the dev pages' sizes."""
    size = rng.lognormvariate(math.log(MEDIAN_BYTES), SIGMA)
    return int(min(HIGHEST, max(LOWEST, size)))


def _slug(words: Sequence[str]) -> str:
    return "-".join(w.lower() for w in words)


def _script(rng: random.Random, words: Sequence[str], size: int) -> str:
    """Inline code as pages carry it: a config object, then minified-looking functions."""
    config = {
        "site": {"id": rng.randrange(10**6), "section": rng.choice(words), "ads": True},
        "slots": [
            {"id": f"div-gpt-ad-{rng.randrange(10**12)}-{i}", "sizes": [[300, 250], [728, 90]]}
            for i in range(rng.randint(2, 6))
        ],
        "experiments": {rng.choice(words): rng.random() < 0.5 for _ in range(6)},
    }
    parts = [f"window.__CONFIG__={json.dumps(config, separators=(',', ':'))};"]
    length = len(parts[0])
    while length < size:
        name = rng.choice(words)[:3] + str(rng.randrange(100))
        a, b = rng.choice(JS_WORDS), rng.choice(JS_WORDS)
        part = (
            f"!function(e,t){{var {name}=t.{a}('{rng.choice(words)}');if(typeof e.{b}==="
            f'"undefined"){{e.{b}={{}}}}{name}&&{name}.{rng.choice(JS_WORDS)}("data-{rng.choice(words)}",'
            f'"{rng.randrange(10**9):x}");return e.{b}.{rng.choice(words)}={rng.randrange(1000)}}}'
            f"(window,document);"
        )
        parts.append(part)
        length += len(part)
    return "<script>" + "".join(parts) + "</script>\n"


def _style(rng: random.Random, words: Sequence[str], size: int) -> str:
    rules, length = [], 0
    while length < size:
        cls = f".{rng.choice(words)}-{rng.choice(words)}"
        rule = (
            f"{cls}{{display:flex;margin:0 {rng.randint(0, 24)}px;padding:{rng.randint(0, 16)}px;"
            f"color:#{rng.randrange(16**6):06x};font:{rng.randint(11, 22)}px/1.4 Georgia,serif}}"
            f"@media (min-width:{rng.choice((640, 768, 1024))}px){{{cls}{{flex:1 0 auto}}}}"
        )
        rules.append(rule)
        length += len(rule)
    return "<style>" + "".join(rules) + "</style>\n"


def _menu(rng: random.Random, words: Sequence[str], size: int) -> str:
    """A mega-menu: sections, each a list of attribute-heavy links with one or two words."""
    out, length, item = ['<div class="mega-menu" id="mega-menu" aria-hidden="true">'], 0, 0
    while length < size:
        head = rng.choice(words)
        links = []
        for _ in range(rng.randint(6, 14)):
            item += 1
            text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 2))).title()
            slug = _slug(text.split())
            links.append(
                f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category '
                f'menu-item-{item}" id="menu-item-{item}"><a class="nav-link nav-link--secondary"'
                f' href="/{head}/{slug}/?utm_source=navigation&amp;utm_medium=mega-menu&amp;'
                f'utm_campaign={head}" data-analytics=\'{{"event":"navigation_click",'
                f'"section":"{head}","label":"{slug}","position":{item}}}\'>'
                f"{escape(text)}</a></li>"
            )
        block = (
            f'<div class="mega-menu__column"><h4 class="mega-menu__title">{head.title()}</h4>'
            f'<ul class="mega-menu__list" role="menu">{"".join(links)}</ul></div>\n'
        )
        out.append(block)
        length += len(block)
    return "".join(out) + "</div>\n"


def _icon(rng: random.Random) -> str:
    return (
        '<svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" '
        f'focusable="false"><path d="{rng.choice(ICON_PATHS)}"></path></svg>'
    )


def _cards(rng: random.Random, words: Sequence[str], headlines: Sequence[str], size: int) -> str:
    """Story cards: a picture with its sources, a kicker, a headline, share buttons."""
    out, length = ['<section class="more-stories" aria-label="More stories">'], 0
    while length < size:
        title = rng.choice(headlines)
        slug, photo = _slug(title.split()[:6]), rng.randrange(10**7)
        card = (
            f'<div class="card card--{rng.choice(("small", "wide", "tall"))}" '
            f'data-id="{rng.randrange(10**8)}"><a class="card__link" href="/news/{slug}">'
            f'<picture class="card__media"><source type="image/webp" '
            f'srcset="/img/{photo}-320.webp 320w, /img/{photo}-640.webp 640w">'
            f'<img class="card__img" src="/img/{photo}-640.jpg" alt="" loading="lazy" '
            f'width="640" height="360"></picture><span class="card__kicker">'
            f'{rng.choice(words).title()}</span><h3 class="card__title">{escape(title)}</h3></a>'
            f'<div class="card__share" data-url="/news/{slug}?utm_source=card&amp;'
            f'utm_medium=share"><button class="share share--facebook" type="button" '
            f'aria-label="Share this story on Facebook" data-track="share|facebook|{photo}">'
            f"{_icon(rng) if rng.random() < 0.2 else ''}</button></div></div>\n"
        )
        out.append(card)
        length += len(card)
    return "".join(out) + "</section>\n"


def _sitemap(rng: random.Random, words: Sequence[str], size: int) -> str:
    out, length = ['<nav class="sitemap" aria-label="Sitemap">'], 0
    while length < size:
        group = rng.choice(words)
        entries = "".join(
            f'<li class="sitemap__item"><a class="sitemap__link" href="/{group}/{w}/?'
            f'ref=footer-sitemap" title="{w.title()}: latest news, analysis and opinion">'
            f"{w.title()}</a></li>"
            for w in (rng.choice(words) for _ in range(rng.randint(4, 10)))
        )
        block = f'<div class="sitemap__group"><h5>{group.title()}</h5><ul>{entries}</ul></div>\n'
        out.append(block)
        length += len(block)
    return "".join(out) + "</nav>\n"


def furnish(html: str, rng: random.Random, words: Sequence[str], headlines: Sequence[str]) -> str:
    """``html`` with furniture added in its head and around its body, up to a drawn size."""
    extra = target_bytes(rng) - len(html.encode("utf-8"))
    if extra <= 0:
        return html
    scripts = int(extra * SCRIPT_SHARE)
    style = int(extra * STYLE_SHARE)
    rest = extra - scripts - style
    head = _style(rng, words, style) + _script(rng, words, scripts // 2)
    top = _menu(rng, words, int(rest * 0.35))
    bottom = (
        _cards(rng, words, headlines, int(rest * 0.45))
        + _sitemap(rng, words, int(rest * 0.2))
        + _script(rng, words, scripts - scripts // 2)
    )
    at_head = html.index("</head>")
    html = html[:at_head] + head + html[at_head:]
    body_open = html.index("<body")
    after_body = html.index(">", body_open) + 1
    html = html[:after_body] + "\n" + top + html[after_body:]
    at_end = html.rindex("</body>")
    return html[:at_end] + bottom + html[at_end:]
