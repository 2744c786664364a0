"""HTML templates for the synthetic benchmark corpus (see gen_corpus.py).

Three page layouts, each with realistic boilerplate around the article and its comments:

* ``seed``      -- the seed site's layout (Naharnet, 2014), flat comments, no article date shown;
* ``wordpress`` -- the WordPress default theme (Twenty-style), threaded comments, a reply form
  and a "Recent Comments" sidebar widget that is *not* part of the comment section;
* ``microdata`` -- a news site marked up with schema.org microdata (NewsArticle, Comment) and a
  JSON-LD NewsArticle in the head, threaded comments.

The renderers are pure functions of a :class:`Page`; all randomness is decided beforehand.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from urllib.parse import quote

URL_RE = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class Site:
    """A website that publishes pages in one template."""

    key: str
    name: str
    host: str
    template: str
    tz: str
    date_style: str = ""
    newest_first: bool = False
    sections: tuple[str, ...] = ("Lebanon", "World", "Business", "Sports")


@dataclass
class Comment:
    """One reader comment, in page (document) order."""

    cid: int
    author: str
    published: datetime  # aware, in the site's zone
    paragraphs: list[list[str]]  # paragraphs -> lines (joined by <br>)
    quote: str | None = None
    parent: int | None = None  # index into Page.comments
    depth: int = 0
    avatar: bool = True
    author_url: str | None = None
    by_post_author: bool = False
    votes: int = 0
    children: list[int] = field(default_factory=list)


@dataclass
class Page:
    """Everything needed to render one article page."""

    index: int
    site: Site
    url: str
    article_id: int
    headline: str
    paragraphs: list[str]
    published: datetime  # aware, in the site's zone
    byline: str | None
    section: str
    tags: list[str]
    comments: list[Comment]
    related: list[tuple[str, str]]  # (headline, url) of other stories
    recent_comments: list[tuple[str, str, str]]  # (author, headline, url) for a sidebar widget
    image: str | None = None


def e(text: str) -> str:
    """HTML-escape text (quotes too, like the seed page)."""
    return escape(text, quote=True)


def linkify(text: str) -> str:
    """Escape a line of comment text and turn bare URLs into links."""
    out: list[str] = []
    pos = 0
    for m in URL_RE.finditer(text):
        out.append(e(text[pos : m.start()]))
        url = e(m.group(0))
        out.append(f'<a href="{url}" rel="nofollow">{url}</a>')
        pos = m.end()
    out.append(e(text[pos:]))
    return "".join(out)


def comment_body(c: Comment, quote_tag: str = "blockquote", wrap_quote_p: bool = False) -> str:
    parts: list[str] = []
    if c.quote:
        q = f"<p>{e(c.quote)}</p>" if wrap_quote_p else e(c.quote)
        parts.append(f"<{quote_tag}>{q}</{quote_tag}>")
    for para in c.paragraphs:
        parts.append("<p>" + "<br>\n".join(linkify(line) for line in para) + "</p>")
    return "\n".join(parts)


def month_name(dt: datetime) -> str:
    return dt.strftime("%B")


def wp_date(dt: datetime) -> str:
    hour = dt.hour % 12 or 12
    ampm = "am" if dt.hour < 12 else "pm"
    return f"{month_name(dt)} {dt.day}, {dt.year} at {hour}:{dt.minute:02d} {ampm}"


def short_date(dt: datetime, style: str) -> str:
    if style == "dmy":
        return f"{dt.day:02d}/{dt.month:02d}/{dt.year} {dt.hour:02d}:{dt.minute:02d}"
    hour = dt.hour % 12 or 12
    ampm = "AM" if dt.hour < 12 else "PM"
    return f"{dt.strftime('%b')} {dt.day}, {dt.year} {hour}:{dt.minute:02d}{ampm}"


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def slugify(text: str, limit: int = 8) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:limit]) or "story"


# ---------------------------------------------------------------------------------------------
# 1. The seed site's layout
# ---------------------------------------------------------------------------------------------


def render_seed(p: Page) -> str:
    h = e(p.headline)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{h} - Naharnet</title>",
        f'<link rel="canonical" href="{e(p.url)}">',
        '<meta property="og:site_name" content="Naharnet">',
        f'<meta property="og:title" content="{h}">',
        "</head>",
        "<body>",
        '<div id="header"><a href="/" class="logo">Naharnet</a>',
        '<ul class="menu">'
        + "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in p.site.sections)
        + '<li><a href="/login">Login</a></li></ul></div>',
        '<div id="main">',
        '<div class="story" id="story">',
        f'<h1 class="story-title">{h}</h1>',
    ]
    if p.image:
        out.append(
            f'<div class="story-image"><img src="/images/W460/{p.article_id}.jpg" alt="W460"></div>'
        )
    out.append('<div class="story-text">')
    out.extend(f"<p>{e(par)}</p>" for par in p.paragraphs)
    out.append("</div>")
    out.append(
        '<div class="share"><a href="#">Facebook</a> <a href="#">Twitter</a> '
        '<a href="#">Email</a></div>'
    )
    out.append("</div>")
    out.append('<div id="comments" class="comments">')
    out.append(f'<h3 class="comments-count">Comments <span>{len(p.comments)}</span></h3>')
    for c in p.comments:
        a = e(c.author)
        if c.avatar:
            img = f'<img class="avatar" src="/images/avatars/{e(quote(c.author))}.jpg" alt="Thumb">'
        else:
            img = '<img class="avatar" src="/images/avatars/missing.png" alt="Missing">'
        d = c.published
        shown = f"{d.day} {month_name(d)} {d.year}, {d.hour:02d}:{d.minute:02d}"
        out.append(f'<div class="comment" id="comment-{c.cid}">')
        out.append(
            f'<div class="comment-head">{img} <span class="comment-author">'
            f'<a href="/users/{e(quote(c.author))}">{a}</a></span> '
            f'<span class="comment-date">{shown}</span></div>'
        )
        out.append('<div class="comment-text">')
        out.append(comment_body(c))
        out.append("</div>")
        out.append(
            '<div class="comment-actions"><a href="#reply" class="reply">Reply</a> '
            f'<span class="votes">{c.votes}</span></div>'
        )
        out.append("</div>")
    out.append(
        '<form class="comment-form" action="/comments/post" method="post">'
        '<textarea name="comment" placeholder="Add your comment"></textarea>'
        "<button>Post</button></form>"
    )
    out.append("</div>")
    out.append("</div>")
    out.append(
        '<div id="sidebar"><h4>Most read</h4><ul>'
        + "".join(f'<li><a href="{e(u)}">{e(t)}</a></li>' for t, u in p.related)
        + "</ul></div>"
    )
    out.append(f'<div id="footer">&copy; {p.published.year} Naharnet</div>')
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# 2. WordPress default theme
# ---------------------------------------------------------------------------------------------


def _wp_comment(p: Page, i: int, out: list[str]) -> None:
    c = p.comments[i]
    parity = "even" if i % 2 == 0 else "odd alt"
    cls = f"comment {parity} depth-{c.depth + 1}"
    if c.by_post_author:
        cls = "comment byuser bypostauthor " + cls[len("comment ") :]
    if c.children:
        cls += " parent"
    a = e(c.author)
    fn = (
        f'<a href="{e(c.author_url)}" class="url" rel="ugc external nofollow">{a}</a>'
        if c.author_url
        else a
    )
    avatar_hash = f"{(c.cid * 2654435761) % (1 << 32):08x}"
    out.append(f'<li id="comment-{c.cid}" class="{cls}">')
    out.append(f'<article id="div-comment-{c.cid}" class="comment-body">')
    out.append('<footer class="comment-meta">')
    out.append(
        f'<div class="comment-author vcard"><img alt="" '
        f'src="https://secure.gravatar.com/avatar/{avatar_hash}?s=32&amp;d=mm&amp;r=g" '
        f'class="avatar avatar-32 photo" height="32" width="32" loading="lazy">'
        f'<b class="fn">{fn}</b> <span class="says">says:</span></div><!-- .comment-author -->'
    )
    out.append(
        f'<div class="comment-metadata"><a href="{e(p.url)}#comment-{c.cid}">'
        f'<time datetime="{iso(c.published)}">{wp_date(c.published)}</time></a></div>'
        "<!-- .comment-metadata -->"
    )
    out.append("</footer><!-- .comment-meta -->")
    out.append('<div class="comment-content">')
    out.append(comment_body(c, wrap_quote_p=True))
    out.append("</div><!-- .comment-content -->")
    out.append(
        f'<div class="reply"><a rel="nofollow" class="comment-reply-link" '
        f'href="#comment-{c.cid}" data-commentid="{c.cid}" data-postid="{p.article_id}" '
        f'aria-label="Reply to {a}">Reply</a></div>'
    )
    out.append("</article><!-- .comment-body -->")
    if c.children:
        out.append('<ol class="children">')
        for j in c.children:
            _wp_comment(p, j, out)
        out.append("</ol><!-- .children -->")
    out.append("</li><!-- #comment-## -->")


def render_wordpress(p: Page) -> str:
    s = p.site
    h = e(p.headline)
    n = len(p.comments)
    home = f"https://{s.host}/"
    out = [
        "<!doctype html>",
        '<html lang="en-US">',
        "<head>",
        '<meta charset="UTF-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h} &#8211; {e(s.name)}</title>",
        '<meta name="robots" content="max-image-preview:large">',
        f'<link rel="canonical" href="{e(p.url)}">',
        f'<link rel="alternate" type="application/rss+xml" title="{e(s.name)} &raquo; Feed" '
        f'href="{home}feed/">',
        f'<meta property="og:title" content="{h}">',
        f'<meta property="og:url" content="{e(p.url)}">',
        f'<meta property="article:published_time" content="{iso(p.published)}">',
        '<meta name="generator" content="WordPress 6.4.2">',
        f"<link rel='stylesheet' id='twentytwentyone-style-css' "
        f"href='{home}wp-content/themes/twentytwentyone/style.css?ver=2.1' media='all'>",
        "</head>",
        f'<body class="post-template-default single single-post postid-{p.article_id} '
        'single-format-standard wp-embed-responsive">',
        '<div id="page" class="site">',
        '<a class="skip-link screen-reader-text" href="#content">Skip to content</a>',
        '<header id="masthead" class="site-header" role="banner">',
        f'<div class="site-branding"><p class="site-title"><a href="{home}" rel="home">'
        f"{e(s.name)}</a></p>",
        '<p class="site-description">News, analysis and opinion</p></div>',
        '<nav id="site-navigation" class="primary-navigation" aria-label="Primary menu">'
        '<div class="primary-menu-container"><ul id="primary-menu-list" class="menu-wrapper">'
        + "".join(
            f'<li class="menu-item"><a href="{home}category/{sec.lower()}/">{sec}</a></li>'
            for sec in s.sections
        )
        + f'<li class="menu-item"><a href="{home}about/">About</a></li></ul></div></nav>',
        "</header><!-- #masthead -->",
        '<div id="content" class="site-content"><div id="primary" class="content-area">'
        '<main id="main" class="site-main">',
        f'<article id="post-{p.article_id}" class="post-{p.article_id} post type-post '
        f'status-publish format-standard hentry category-{p.section.lower()} entry">',
        '<header class="entry-header alignwide">',
        f'<h1 class="entry-title">{h}</h1>',
        "</header><!-- .entry-header -->",
        '<div class="entry-content">',
    ]
    out.extend(f"<p>{e(par)}</p>" for par in p.paragraphs)
    out.append("</div><!-- .entry-content -->")
    by = e(p.byline or "admin")
    out.append(
        '<footer class="entry-footer default-max-width"><div class="posted-by">'
        f'<span class="posted-on">Published <time class="entry-date published updated" '
        f'datetime="{iso(p.published)}">{month_name(p.published)} {p.published.day}, '
        f"{p.published.year}</time></span>"
        f'<span class="byline">By <a href="{home}author/{slugify(by)}/" rel="author">{by}</a>'
        "</span></div>"
    )
    out.append(
        f'<div class="post-taxonomies"><span class="cat-links">Categorized as '
        f'<a href="{home}category/{p.section.lower()}/" rel="category tag">{p.section}</a>'
        '</span> <span class="tags-links">Tagged '
        + ", ".join(f'<a href="{home}tag/{slugify(t)}/" rel="tag">{e(t)}</a>' for t in p.tags)
        + "</span></div></footer><!-- .entry-footer -->"
    )
    out.append(f"</article><!-- #post-{p.article_id} -->")
    out.append('<div id="comments" class="comments-area default-max-width show-avatars">')
    if n:
        title = (
            f"One thought on &ldquo;{h}&rdquo;" if n == 1 else f"{n} thoughts on &ldquo;{h}&rdquo;"
        )
        out.append(f'<h2 class="comments-title">{title}</h2><!-- .comments-title -->')
        out.append('<ol class="comment-list">')
        for i, c in enumerate(p.comments):
            if c.parent is None:
                _wp_comment(p, i, out)
        out.append("</ol><!-- .comment-list -->")
    out.append(
        '<div id="respond" class="comment-respond">'
        '<h2 id="reply-title" class="comment-reply-title">Leave a comment '
        '<small><a rel="nofollow" id="cancel-comment-reply-link" href="#respond" '
        'style="display:none;">Cancel reply</a></small></h2>'
        f'<form action="{home}wp-comments-post.php" method="post" id="commentform" '
        'class="comment-form" novalidate><p class="comment-notes">'
        '<span id="email-notes">Your email address will not be published.</span> '
        'Required fields are marked <span class="required">*</span></p>'
        '<p class="comment-form-comment"><label for="comment">Comment '
        '<span class="required">*</span></label> <textarea id="comment" name="comment" '
        'cols="45" rows="5" maxlength="65525" required></textarea></p>'
        '<p class="comment-form-author"><label for="author">Name</label> '
        '<input id="author" name="author" type="text" size="30" maxlength="245"></p>'
        '<p class="form-submit"><input name="submit" type="submit" id="submit" '
        f'class="submit" value="Post Comment"> <input type="hidden" name="comment_post_ID" '
        f'value="{p.article_id}" id="comment_post_ID"></p></form></div><!-- #respond -->'
    )
    out.append("</div><!-- #comments -->")
    prev_t, prev_u = p.related[0]
    next_t, next_u = p.related[1]
    out.append(
        '<nav class="navigation post-navigation" aria-label="Posts"><div class="nav-links">'
        f'<div class="nav-previous"><a href="{e(prev_u)}" rel="prev"><p class="meta-nav">'
        f'Previous post</p><p class="post-title">{e(prev_t)}</p></a></div>'
        f'<div class="nav-next"><a href="{e(next_u)}" rel="next"><p class="meta-nav">Next post'
        f'</p><p class="post-title">{e(next_t)}</p></a></div></div></nav>'
    )
    out.append("</main><!-- #main --></div><!-- #primary --></div><!-- #content -->")
    out.append(
        '<aside class="widget-area"><section id="search-2" class="widget widget_search">'
        f'<form role="search" method="get" class="search-form" action="{home}">'
        '<label for="s">Search&hellip;</label><input type="search" id="s" name="s">'
        '<input type="submit" class="search-submit" value="Search"></form></section>'
    )
    out.append(
        '<section id="recent-posts-2" class="widget widget_recent_entries">'
        '<h2 class="widget-title">Recent Posts</h2><nav aria-label="Recent Posts"><ul>'
        + "".join(f'<li><a href="{e(u)}">{e(t)}</a></li>' for t, u in p.related[2:])
        + "</ul></nav></section>"
    )
    out.append(
        '<section id="recent-comments-2" class="widget widget_recent_comments">'
        '<h2 class="widget-title">Recent Comments</h2><nav aria-label="Recent Comments">'
        '<ul id="recentcomments">'
        + "".join(
            f'<li class="recentcomments"><span class="comment-author-link">{e(a)}</span> on '
            f'<a href="{e(u)}#comment-{k + 1}">{e(t)}</a></li>'
            for k, (a, t, u) in enumerate(p.recent_comments)
        )
        + "</ul></nav></section>"
    )
    out.append(
        '<section id="archives-2" class="widget widget_archive"><h2 class="widget-title">'
        'Archives</h2><nav aria-label="Archives"><ul>'
        + "".join(
            f'<li><a href="{home}{p.published.year}/{m:02d}/">'
            f"{datetime(2000, m, 1).strftime('%B')} {p.published.year}</a></li>"
            for m in range(p.published.month, 0, -1)
        )
        + "</ul></nav></section></aside>"
    )
    out.append(
        '<footer id="colophon" class="site-footer" role="contentinfo"><div class="site-info">'
        f'<div class="site-name"><a href="{home}">{e(s.name)}</a></div>'
        '<div class="powered-by">Proudly powered by <a href="https://wordpress.org/">WordPress'
        "</a>.</div></div></footer></div><!-- #page -->"
    )
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# 3. schema.org microdata + JSON-LD
# ---------------------------------------------------------------------------------------------


def _md_comment(p: Page, i: int, out: list[str]) -> None:
    c = p.comments[i]
    prop = ' itemprop="comment"'
    a = e(c.author)
    shown = short_date(c.published, p.site.date_style)
    out.append(
        f'<article class="comment" id="c-{c.cid}"{prop} itemscope '
        'itemtype="https://schema.org/Comment">'
    )
    if p.site.date_style == "dmy":
        date_html = (
            f'<time class="comment-time" itemprop="dateCreated" '
            f'datetime="{iso(c.published)}">{shown}</time>'
        )
    else:
        date_html = (
            f'<meta itemprop="dateCreated" content="{iso(c.published)}">'
            f'<span class="comment-time">{shown}</span>'
        )
    out.append(
        '<header class="comment-header"><span class="comment-user" itemprop="author" '
        f'itemscope itemtype="https://schema.org/Person"><span itemprop="name">{a}</span>'
        f"</span> {date_html}</header>"
    )
    out.append('<div class="comment-body" itemprop="text">')
    out.append(comment_body(c))
    out.append("</div>")
    out.append(
        f'<footer class="comment-tools"><button class="like" data-id="{c.cid}">Like '
        f'<span class="n">{c.votes}</span></button> <a class="reply-to" href="#reply-{c.cid}">'
        'Reply</a> <a class="report" href="#report">Report</a></footer>'
    )
    if c.children:
        out.append('<div class="replies">')
        for j in c.children:
            _md_comment(p, j, out)
        out.append("</div>")
    out.append("</article>")


def render_microdata(p: Page) -> str:
    s = p.site
    h = e(p.headline)
    n = len(p.comments)
    home = f"https://{s.host}/"
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": p.headline,
        "datePublished": iso(p.published),
        "dateModified": iso(p.published),
        "author": [{"@type": "Person", "name": p.byline or s.name}],
        "publisher": {
            "@type": "Organization",
            "name": s.name,
            "logo": {"@type": "ImageObject", "url": f"{home}static/logo.png"},
        },
        "mainEntityOfPage": {"@type": "WebPage", "@id": p.url},
        "articleSection": p.section,
        "commentCount": n,
    }
    ld_json = json.dumps(ld, ensure_ascii=False).replace("</", "<\\/")
    byline = e(p.byline or s.name)
    shown = short_date(p.published, s.date_style)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{h} | {e(s.name)}</title>",
        f'<meta name="description" content="{e(p.paragraphs[0][:150])}">',
        f'<link rel="canonical" href="{e(p.url)}">',
        f'<meta property="og:type" content="article"><meta property="og:url" content="{e(p.url)}">',
        f'<script type="application/ld+json">{ld_json}</script>',
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        "</script>",
        "</head>",
        "<body>",
        '<header class="masthead"><a class="brand" href="/">' + e(s.name) + "</a>",
        '<nav class="sections"><ul>'
        + "".join(f'<li><a href="/{sec.lower()}/">{sec}</a></li>' for sec in s.sections)
        + '</ul></nav><div class="account"><a href="/subscribe">Subscribe</a> '
        '<a href="/signin">Sign in</a></div></header>',
        '<div class="layout"><main class="content">',
        '<nav class="breadcrumb"><a href="/">Home</a> &rsaquo; '
        f'<a href="/{p.section.lower()}/">{p.section}</a></nav>',
        '<article class="story" itemscope itemtype="https://schema.org/NewsArticle">',
        f'<meta itemprop="mainEntityOfPage" content="{e(p.url)}">',
        f'<h1 class="headline" itemprop="headline">{h}</h1>',
        '<p class="byline">By <span itemprop="author" itemscope '
        f'itemtype="https://schema.org/Person"><span itemprop="name">{byline}</span></span>'
        f' &middot; <time itemprop="datePublished" datetime="{iso(p.published)}">{shown}</time>'
        "</p>",
    ]
    if p.image:
        out.append(
            f'<figure class="lead"><img src="/media/{p.article_id}/lead.jpg" alt="" '
            'itemprop="image"><figcaption>Photo: agency handout</figcaption></figure>'
        )
    out.append('<div class="story-body" itemprop="articleBody">')
    for k, par in enumerate(p.paragraphs):
        out.append(f"<p>{e(par)}</p>")
        if k == 2 and len(p.paragraphs) > 5:
            t, u = p.related[0]
            out.append(
                f'<aside class="inline-related"><span>Read more:</span> '
                f'<a href="{e(u)}">{e(t)}</a></aside>'
            )
    out.append("</div>")
    out.append(
        '<ul class="tags">'
        + "".join(f'<li><a href="/tag/{slugify(t)}">{e(t)}</a></li>' for t in p.tags)
        + "</ul>"
    )
    out.append(
        f'<section class="comments" id="comments"><h2 class="comments-title">'
        f"{n} comment{'' if n == 1 else 's'}</h2>"
    )
    if n:
        out.append('<div class="comment-list">')
        for i, c in enumerate(p.comments):
            if c.parent is None:
                _md_comment(p, i, out)
        out.append("</div>")
    else:
        out.append('<p class="no-comments">No comments yet. Be the first to comment.</p>')
    out.append(
        '<form class="comment-form" id="reply" action="/comments" method="post">'
        '<textarea name="text" placeholder="Join the discussion"></textarea>'
        '<button type="submit">Post comment</button></form>'
    )
    out.append("</section>")
    out.append("</article>")
    out.append("</main>")
    out.append(
        '<aside class="rail"><h3>Most popular</h3><ol class="popular">'
        + "".join(f'<li><a href="{e(u)}">{e(t)}</a></li>' for t, u in p.related[1:])
        + "</ol>"
        '<div class="newsletter"><h3>Newsletter</h3><p>The day\'s top stories in your '
        'inbox every morning.</p><input type="email" placeholder="Email"> '
        "<button>Sign up</button></div></aside></div>"
    )
    out.append(
        f'<footer class="site-footer"><p>&copy; {p.published.year} {e(s.name)}. '
        'All rights reserved.</p><ul><li><a href="/privacy">Privacy</a></li>'
        '<li><a href="/terms">Terms</a></li><li><a href="/contact">Contact</a></li>'
        "</ul></footer>"
    )
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


RENDERERS = {
    "seed": render_seed,
    "wordpress": render_wordpress,
    "microdata": render_microdata,
}


def render(page: Page) -> str:
    """Render a page with its site's template."""
    return RENDERERS[page.site.template](page)
