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
from hashlib import md5
from html import escape
from string import Template
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


def links(items: list[tuple[str, str]]) -> str:
    return "".join(f'<li><a href="{e(u)}">{e(t)}</a></li>' for t, u in items)


def fill(template: Template, **values: object) -> str:
    return template.substitute(values)


# ---------------------------------------------------------------------------------------------
# 1. The seed site's layout (fixtures/seed/seed_page.html)
# ---------------------------------------------------------------------------------------------

SEED_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>$h - Naharnet</title>
<link rel="canonical" href="$url">
<meta property="og:site_name" content="Naharnet">
<meta property="og:title" content="$h">
</head>
<body>
<div id="header"><a href="/" class="logo">Naharnet</a>
<ul class="menu">$menu<li><a href="/login">Login</a></li></ul></div>
<div id="main">
<div class="story" id="story">
<h1 class="story-title">$h</h1>
$image<div class="story-text">
$body
</div>
<div class="share"><a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Email</a></div>
</div>
<div id="comments" class="comments">
<h3 class="comments-count">Comments <span>$n</span></h3>
$comments<form class="comment-form" action="/comments/post" method="post">\
<textarea name="comment" placeholder="Add your comment"></textarea><button>Post</button></form>
</div>
</div>
<div id="sidebar"><h4>Most read</h4><ul>$related</ul></div>
<div id="footer">&copy; $year Naharnet</div>
</body>
</html>
""")
SEED_COMMENT = Template("""<div class="comment" id="comment-$cid">
<div class="comment-head">$img <span class="comment-author"><a href="/users/$qa">$a</a></span> \
<span class="comment-date">$shown</span></div>
<div class="comment-text">
$text
</div>
<div class="comment-actions"><a href="#reply" class="reply">Reply</a> \
<span class="votes">$votes</span></div>
</div>
""")


def render_seed(p: Page) -> str:
    comments = []
    for c in p.comments:
        qa = e(quote(c.author))
        img = (
            f'<img class="avatar" src="/images/avatars/{qa}.jpg" alt="Thumb">'
            if c.avatar
            else '<img class="avatar" src="/images/avatars/missing.png" alt="Missing">'
        )
        d = c.published
        shown = f"{d.day} {d:%B} {d.year}, {d:%H:%M}"
        comments.append(
            fill(SEED_COMMENT, cid=c.cid, img=img, qa=qa, a=e(c.author), shown=shown,
                 text=comment_body(c), votes=c.votes)
        )  # fmt: skip
    image = (
        f'<div class="story-image"><img src="/images/W460/{p.article_id}.jpg" alt="W460"></div>\n'
        if p.image
        else ""
    )
    return fill(
        SEED_PAGE, h=e(p.headline), url=e(p.url), image=image, n=len(p.comments),
        menu="".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in p.site.sections),
        body="\n".join(f"<p>{e(par)}</p>" for par in p.paragraphs),
        comments="".join(comments), related=links(p.related), year=p.published.year,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# 2. WordPress default theme (Twenty Twenty-One markup)
# ---------------------------------------------------------------------------------------------

WP_PAGE = Template("""<!doctype html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$h &#8211; $site</title>
<meta name="robots" content="max-image-preview:large">
<link rel="canonical" href="$url">
<link rel="alternate" type="application/rss+xml" title="$site &raquo; Feed" href="${home}feed/">
<meta property="og:title" content="$h">
<meta property="og:url" content="$url">
<meta property="article:published_time" content="$iso">
<meta name="generator" content="WordPress 6.4.2">
<link rel='stylesheet' id='twentytwentyone-style-css' \
href='${home}wp-content/themes/twentytwentyone/style.css?ver=2.1' media='all'>
</head>
<body class="post-template-default single single-post postid-$pid single-format-standard">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header" role="banner">
<div class="site-branding"><p class="site-title"><a href="$home" rel="home">$site</a></p>
<p class="site-description">News, analysis and opinion</p></div>
<nav id="site-navigation" class="primary-navigation" aria-label="Primary menu">\
<div class="primary-menu-container"><ul id="primary-menu-list" class="menu-wrapper">$menu\
<li class="menu-item"><a href="${home}about/">About</a></li></ul></div></nav>
</header><!-- #masthead -->
<div id="content" class="site-content"><div id="primary" class="content-area">\
<main id="main" class="site-main">
<article id="post-$pid" class="post-$pid post type-post status-publish format-standard hentry \
category-$sec entry">
<header class="entry-header alignwide">
<h1 class="entry-title">$h</h1>
</header><!-- .entry-header -->
<div class="entry-content">
$body
</div><!-- .entry-content -->
<footer class="entry-footer default-max-width"><div class="posted-by"><span class="posted-on">\
Published <time class="entry-date published updated" datetime="$iso">$shown</time></span>\
<span class="byline">By <a href="${home}author/$byslug/" rel="author">$by</a></span></div>
<div class="post-taxonomies"><span class="cat-links">Categorized as \
<a href="${home}category/$sec/" rel="category tag">$section</a></span> \
<span class="tags-links">Tagged $tags</span></div></footer><!-- .entry-footer -->
</article><!-- #post-$pid -->
<div id="comments" class="comments-area default-max-width show-avatars">
$comments<div id="respond" class="comment-respond">
<h2 id="reply-title" class="comment-reply-title">Leave a comment <small><a rel="nofollow" \
id="cancel-comment-reply-link" href="#respond" style="display:none;">Cancel reply</a></small></h2>
<form action="${home}wp-comments-post.php" method="post" id="commentform" class="comment-form" \
novalidate><p class="comment-notes"><span id="email-notes">Your email address will not be \
published.</span> Required fields are marked <span class="required">*</span></p>
<p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span>\
</label> <textarea id="comment" name="comment" cols="45" rows="5" required></textarea></p>
<p class="comment-form-author"><label for="author">Name</label> <input id="author" \
name="author" type="text" size="30" maxlength="245"></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" \
value="Post Comment"> <input type="hidden" name="comment_post_ID" value="$pid" \
id="comment_post_ID"></p></form></div><!-- #respond -->
</div><!-- #comments -->
<nav class="navigation post-navigation" aria-label="Posts"><div class="nav-links">\
<div class="nav-previous"><a href="$prev_u" rel="prev"><p class="meta-nav">Previous post</p>\
<p class="post-title">$prev_t</p></a></div><div class="nav-next"><a href="$next_u" rel="next">\
<p class="meta-nav">Next post</p><p class="post-title">$next_t</p></a></div></div></nav>
</main><!-- #main --></div><!-- #primary --></div><!-- #content -->
<aside class="widget-area"><section id="search-2" class="widget widget_search">\
<form role="search" method="get" class="search-form" action="$home"><label for="s">\
Search&hellip;</label><input type="search" id="s" name="s"><input type="submit" \
class="search-submit" value="Search"></form></section>
<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">\
Recent Posts</h2><nav aria-label="Recent Posts"><ul>$recent_posts</ul></nav></section>
<section id="recent-comments-2" class="widget widget_recent_comments"><h2 class="widget-title">\
Recent Comments</h2><nav aria-label="Recent Comments"><ul id="recentcomments">$recent_comments\
</ul></nav></section>
<section id="archives-2" class="widget widget_archive"><h2 class="widget-title">Archives</h2>\
<nav aria-label="Archives"><ul>$archives</ul></nav></section></aside>
<footer id="colophon" class="site-footer" role="contentinfo"><div class="site-info">\
<div class="site-name"><a href="$home">$site</a></div><div class="powered-by">Proudly powered \
by <a href="https://wordpress.org/">WordPress</a>.</div></div></footer></div><!-- #page -->
</body>
</html>
""")
WP_COMMENT = Template("""<li id="comment-$cid" class="$cls">
<article id="div-comment-$cid" class="comment-body">
<footer class="comment-meta">
<div class="comment-author vcard"><img alt="" src="https://secure.gravatar.com/avatar/$hash?\
s=32&amp;d=mm&amp;r=g" class="avatar avatar-32 photo" height="32" width="32" loading="lazy">\
<b class="fn">$fn</b> <span class="says">says:</span></div><!-- .comment-author -->
<div class="comment-metadata"><a href="$url#comment-$cid"><time datetime="$iso">$shown</time>\
</a></div><!-- .comment-metadata -->
</footer><!-- .comment-meta -->
<div class="comment-content">
$text
</div><!-- .comment-content -->
<div class="reply"><a rel="nofollow" class="comment-reply-link" href="#comment-$cid" \
data-commentid="$cid" data-postid="$pid" aria-label="Reply to $a">Reply</a></div>
</article><!-- .comment-body -->
$children</li><!-- #comment-## -->
""")


def _wp_comment(p: Page, i: int) -> str:
    c = p.comments[i]
    cls = f"comment {'even' if i % 2 == 0 else 'odd alt'} depth-{c.depth + 1}"
    if c.by_post_author:
        cls = "comment byuser bypostauthor" + cls[7:]
    a = e(c.author)
    fn = a
    if c.author_url:
        fn = f'<a href="{e(c.author_url)}" class="url" rel="ugc external nofollow">{a}</a>'
    children = ""
    if c.children:
        cls += " parent"
        inner = "".join(_wp_comment(p, j) for j in c.children)
        children = f'<ol class="children">\n{inner}</ol><!-- .children -->\n'
    d = c.published
    hour, ampm = d.hour % 12 or 12, "am" if d.hour < 12 else "pm"
    shown = f"{d:%B} {d.day}, {d.year} at {hour}:{d.minute:02d} {ampm}"
    return fill(
        WP_COMMENT, cid=c.cid, cls=cls, hash=md5(c.author.lower().encode()).hexdigest(), fn=fn,
        url=e(p.url), iso=iso(d), shown=shown, text=comment_body(c, wrap_quote_p=True),
        pid=p.article_id, a=a, children=children,
    )  # fmt: skip


def render_wordpress(p: Page) -> str:
    s, h, n = p.site, e(p.headline), len(p.comments)
    home = f"https://{s.host}/"
    comments = ""
    if n:
        what = "One thought" if n == 1 else f"{n} thoughts"
        top = "".join(_wp_comment(p, i) for i, c in enumerate(p.comments) if c.parent is None)
        comments = (
            f'<h2 class="comments-title">{what} on &ldquo;{h}&rdquo;</h2><!-- .comments-title -->'
            f'\n<ol class="comment-list">\n{top}</ol><!-- .comment-list -->\n'
        )
    by = e(p.byline or "admin")
    d = p.published
    return fill(
        WP_PAGE, h=h, site=e(s.name), url=e(p.url), home=home, iso=iso(d), pid=p.article_id,
        menu="".join(
            f'<li class="menu-item"><a href="{home}category/{x.lower()}/">{x}</a></li>'
            for x in s.sections
        ),
        sec=p.section.lower(), section=p.section, shown=f"{d:%B} {d.day}, {d.year}",
        body="\n".join(f"<p>{e(par)}</p>" for par in p.paragraphs), by=by, byslug=slugify(by),
        tags=", ".join(f'<a href="{home}tag/{slugify(t)}/" rel="tag">{e(t)}</a>' for t in p.tags),
        comments=comments, prev_u=e(p.related[0][1]), prev_t=e(p.related[0][0]),
        next_u=e(p.related[1][1]), next_t=e(p.related[1][0]), recent_posts=links(p.related[2:]),
        recent_comments="".join(
            f'<li class="recentcomments"><span class="comment-author-link">{e(a)}</span> on '
            f'<a href="{e(u)}#comment-{k + 1}">{e(t)}</a></li>'
            for k, (a, t, u) in enumerate(p.recent_comments)
        ),
        archives="".join(
            f'<li><a href="{home}{d.year}/{m:02d}/">{datetime(2000, m, 1):%B} {d.year}</a></li>'
            for m in range(d.month, 0, -1)
        ),
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# 3. A news site with schema.org microdata (NewsArticle, Comment) and JSON-LD
# ---------------------------------------------------------------------------------------------

MD_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>$h | $site</title>
<meta name="description" content="$description">
<link rel="canonical" href="$url">
<meta property="og:type" content="article"><meta property="og:url" content="$url">
<script type="application/ld+json">$ld</script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}</script>
</head>
<body>
<header class="masthead"><a class="brand" href="/">$site</a>
<nav class="sections"><ul>$menu</ul></nav><div class="account"><a href="/subscribe">Subscribe\
</a> <a href="/signin">Sign in</a></div></header>
<div class="layout"><main class="content">
<nav class="breadcrumb"><a href="/">Home</a> &rsaquo; <a href="/$sec/">$section</a></nav>
<article class="story" itemscope itemtype="https://schema.org/NewsArticle">
<meta itemprop="mainEntityOfPage" content="$url">
<h1 class="headline" itemprop="headline">$h</h1>
<p class="byline">By <span itemprop="author" itemscope itemtype="https://schema.org/Person">\
<span itemprop="name">$by</span></span> &middot; <time itemprop="datePublished" \
datetime="$iso">$shown</time></p>
$image<div class="story-body" itemprop="articleBody">
$body
</div>
<ul class="tags">$tags</ul>
<section class="comments" id="comments"><h2 class="comments-title">$count</h2>
$comments<form class="comment-form" id="reply" action="/comments" method="post">\
<textarea name="text" placeholder="Join the discussion"></textarea>\
<button type="submit">Post comment</button></form>
</section>
</article>
</main>
<aside class="rail"><h3>Most popular</h3><ol class="popular">$popular</ol>\
<div class="newsletter"><h3>Newsletter</h3><p>The day's top stories in your inbox every \
morning.</p><input type="email" placeholder="Email"> <button>Sign up</button></div></aside></div>
<footer class="site-footer"><p>&copy; $year $site. All rights reserved.</p><ul>\
<li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms</a></li>\
<li><a href="/contact">Contact</a></li></ul></footer>
</body>
</html>
""")
MD_COMMENT = Template("""<article class="comment" id="c-$cid" itemprop="comment" itemscope \
itemtype="https://schema.org/Comment">
<header class="comment-header"><span class="comment-user" itemprop="author" itemscope \
itemtype="https://schema.org/Person"><span itemprop="name">$a</span></span> $date</header>
<div class="comment-body" itemprop="text">
$text
</div>
<footer class="comment-tools"><button class="like" data-id="$cid">Like <span class="n">$votes\
</span></button> <a class="reply-to" href="#reply-$cid">Reply</a> \
<a class="report" href="#report">Report</a></footer>
$children</article>
""")


def _md_comment(p: Page, i: int) -> str:
    c = p.comments[i]
    shown = short_date(c.published, p.site.date_style)
    if p.site.date_style == "dmy":
        date = (
            f'<time class="comment-time" itemprop="dateCreated" datetime="{iso(c.published)}">'
            f"{shown}</time>"
        )
    else:
        date = (
            f'<meta itemprop="dateCreated" content="{iso(c.published)}">'
            f'<span class="comment-time">{shown}</span>'
        )
    children = ""
    if c.children:
        children = '<div class="replies">\n'
        children += "".join(_md_comment(p, j) for j in c.children) + "</div>\n"
    return fill(
        MD_COMMENT, cid=c.cid, a=e(c.author), date=date, text=comment_body(c), votes=c.votes,
        children=children,
    )  # fmt: skip


def render_microdata(p: Page) -> str:
    s, h, n = p.site, e(p.headline), len(p.comments)
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": p.headline,
        "datePublished": iso(p.published),
        "dateModified": iso(p.published),
        "author": [{"@type": "Person", "name": p.byline or s.name}],
        "publisher": {"@type": "Organization", "name": s.name},
        "mainEntityOfPage": {"@type": "WebPage", "@id": p.url},
        "articleSection": p.section,
        "commentCount": n,
    }
    body = [f"<p>{e(par)}</p>" for par in p.paragraphs]
    if len(body) > 5:
        t, u = p.related[0]
        body.insert(3, f'<aside class="inline-related"><span>Read more:</span> '
                       f'<a href="{e(u)}">{e(t)}</a></aside>')  # fmt: skip
    comments = '<p class="no-comments">No comments yet. Be the first to comment.</p>\n'
    if n:
        top = "".join(_md_comment(p, i) for i, c in enumerate(p.comments) if c.parent is None)
        comments = f'<div class="comment-list">\n{top}</div>\n'
    image = ""
    if p.image:
        image = (
            f'<figure class="lead"><img src="/media/{p.article_id}/lead.jpg" alt="" '
            'itemprop="image"><figcaption>Photo: agency handout</figcaption></figure>\n'
        )
    return fill(
        MD_PAGE, h=h, site=e(s.name), url=e(p.url), description=e(p.paragraphs[0][:150]),
        ld=json.dumps(ld, ensure_ascii=False).replace("</", "<\\/"),
        menu="".join(f'<li><a href="/{x.lower()}/">{x}</a></li>' for x in s.sections),
        sec=p.section.lower(), section=p.section, by=e(p.byline or s.name), iso=iso(p.published),
        shown=short_date(p.published, s.date_style), image=image, body="\n".join(body),
        tags="".join(f'<li><a href="/tag/{slugify(t)}">{e(t)}</a></li>' for t in p.tags),
        count=f"{n} comment{'' if n == 1 else 's'}", comments=comments,
        popular=links(p.related[1:]), year=p.published.year,
    )  # fmt: skip


RENDERERS = {"seed": render_seed, "wordpress": render_wordpress, "microdata": render_microdata}


def render(page: Page) -> str:
    """Render a page with its site's template."""
    return RENDERERS[page.site.template](page)
