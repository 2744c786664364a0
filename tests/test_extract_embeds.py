"""Posts of another site shown on a page (embedded tweets, a feed of toots, Facebook posts, a
video's comments) are none of its comments; readers' comments whose names or words link to
such a site stay (``comment_embeds.without_posts_elsewhere``)."""

from __future__ import annotations

from corpsearch.extract.comments import FoundComment, find_comments

_CANONICAL = '<link rel="canonical" href="https://news.example.org/2013/07/18/parade.html">'
_PAGE = (
    "<html><head><title>Town marks the founder's birthday</title>{head}</head><body>"
    "<article><h1>Town marks the founder's birthday</h1>"
    '<p class="dateline">By Jo Reed, July 18, 2013</p>'
    "<p>The town held a parade on Thursday for the founder's birthday, with bands and stalls "
    "along the main street from the morning until late in the evening.</p>"
    "<p>Hundreds came to watch and many stayed for the fireworks over the river.</p>"
    "</article>{rest}</body></html>"
)
_PEOPLE = [
    ("Ann Lee", "annlee", "Happy birthday to the founder, what a parade this was today!"),
    ("City Library", "citylib", "We have a photo exhibition of the founder open all week."),
    ("Bob Marsh", "bobmarsh", "The fireworks over the river were the best I have seen."),
]


def _found(rest: str, head: str = _CANONICAL) -> list[FoundComment]:
    return find_comments(_PAGE.format(head=head, rest=rest))


def _authors(rest: str, head: str = _CANONICAL) -> list[str | None]:
    return [c.author for c in _found(rest, head)]


# -- other sites' posts ---------------------------------------------------------------------


def test_a_carousel_of_posts_whose_controls_act_on_them_elsewhere_gives_no_comments() -> None:
    # a side rail's cards: name and avatar link to the profile on the other site, the Reply,
    # Repost and Favorite icons to its intent pages naming the post by number; the post's
    # words may link anywhere, this site too
    cards = []
    for i, (name, user, text) in enumerate(_PEOPLE):
        post = 357947973738565635 + i * 1111
        cards.append(
            f'<div class="card"><div class="content"><p class="post-text">{text} '
            f'<a href="https://news.example.org/2013/07/17/founder.html">news.example.org/'
            f"2013/07/17/founder.html</a></p>"
            f'<div class="post-user"><a href="https://social.example.com/{user}">'
            f'<img src="/a{i}.jpg"></a><p class="username">'
            f'<a href="https://social.example.com/{user}">{name}</a></p>'
            f'<p class="screenname"><a href="https://social.example.com/{user}">@{user}</a></p>'
            "</div></div>"
            f'<ul class="source"><li>via <a href="https://social.example.com">Social</a> '
            f'<span class="date" data-time="{1374176421000 + i * 60000}">July 18, 2013</span>'
            "</li>"
            f'<li><a href="https://social.example.com/intent/favorite?post_id={post}" '
            'title="Favorite"><i></i></a></li>'
            f'<li><a href="https://social.example.com/intent/repost?post_id={post}" '
            'title="Repost"><i></i></a></li>'
            f'<li><a href="https://social.example.com/intent/post?in_reply_to={post}" '
            'title="Reply"><i></i></a></li></ul></div>'
        )
    rail = '<div class="rail"><h3>Celebrating the founder</h3><div class="cards">'
    assert _found(rail + "".join(cards) + "</div></div>") == []
    # the same cards on a page that gives no address: most of its links stay on the site
    nav = "".join(f'<li><a href="/{part}/">{part}</a></li>' for part in ("local", "sport", "arts"))
    nav = f'<ul class="nav">{nav * 10}</ul>'
    assert _found(nav + rail + "".join(cards) + "</div></div>", head="") == []


def test_posts_whose_permalink_is_a_post_of_the_authors_profile_give_no_comments() -> None:
    # a widget of the fediverse's replies: the name links to "/@NAME", the time to
    # "/@NAME/NUMBER" on that site
    toots = "".join(
        f'<div class="fedi-comment"><div class="fedi-header">'
        f'<a class="author" href="https://toot.example.net/@{user}"><img src="/av{i}.png"> '
        f'{name}</a> <a class="date" href="https://toot.example.net/@{user}/{109876543210 + i}">'
        f"July 18, 2013 {i + 1}:05 PM</a></div>"
        f'<div class="fedi-text"><p>{text}</p></div></div>'
        for i, (name, user, text) in enumerate(_PEOPLE)
    )
    assert _found(f'<div id="fedi-comments"><h3>From the fediverse</h3>{toots}</div>') == []
    # embedded posts in the comment area: "Posted by NAME on DATE", the date the permalink
    # "/NAME/posts/NUMBER"
    posts = "".join(
        f'<div class="fb-post"><blockquote><p>{text}</p>Posted by '
        f'<a href="https://www.facebook.example/{user}">{name}</a> on '
        f'<a href="https://www.facebook.example/{user}/posts/{10151234567890 + i}">'
        "Thursday, July 18, 2013</a></blockquote></div>"
        for i, (name, user, text) in enumerate(_PEOPLE)
    )
    assert _found(f'<div id="comments"><h3>Reactions</h3>{posts}</div>') == []
    # replies from another site marked up like comments, the name a profile, the date its
    # status page there
    mentions = "".join(
        f'<li class="webmention"><div class="comment-author">'
        f'<a href="https://social.example.com/{user}">{name}</a></div>'
        f'<a class="comment-date" href="https://social.example.com/{user}/status/'
        f'{357947973738565635 + i}">July 18, 2013</a>'
        f'<div class="comment-content"><p>{text}</p></div></li>'
        for i, (name, user, text) in enumerate(_PEOPLE)
    )
    assert _found(f'<div id="comments"><h3>Reactions</h3><ul>{mentions}</ul></div>') == []
    # the same toots in bare elements, found by their shape alone
    bare = "".join(
        f'<div><div><a href="https://toot.example.net/@{user}">{name}</a> '
        f'<a href="https://toot.example.net/@{user}/{109876543210 + i}">July 18, 2013 '
        f"{i + 1}:05 PM</a></div><div><p>{text}</p></div></div>"
        for i, (name, user, text) in enumerate(_PEOPLE)
    )
    assert _found(f"<div><h3>Comments</h3>{bare}</div>") == []


def _video_rows() -> str:
    """A video site's comments shown on the page: the name links to the channel there, the
    date and the Reply control to the video's page naming the comment by its id."""
    return "".join(
        f'<div class="comment"><a class="author" href="https://video.example.com/channel/'
        f'UC{i}abcdefGHIJ">{name}</a> <a class="published" href="https://video.example.com/'
        f'watch?v=dQw4w9WgXcQ&amp;lc=Ugz{i}Xk4LmN8pQr2StAaABAg">July 18, 2013</a>'
        f'<p class="comment-text">{text}</p><a class="reply" href="https://video.example.com/'
        f'watch?v=dQw4w9WgXcQ&amp;lc=Ugz{i}Xk4LmN8pQr2StAaABAg">Reply</a></div>'
        for i, (name, _, text) in enumerate(_PEOPLE)
    )


def test_a_videos_comments_whose_reply_control_leads_to_the_video_site_are_none() -> None:
    assert _found(f'<div class="video-comments"><h3>On the video</h3>{_video_rows()}</div>') == []


def test_a_thread_beside_a_widget_of_posts_elsewhere_named_as_comments_is_found() -> None:
    # the widget's records, named as comments, give way before the page is judged to hold
    # comment markup: the thread, named by nothing, is found by its shape
    thread = (
        "<div><h3>2 Comments</h3><div><b>Karl Stein</b> <span>July 18, 2013 at 4:10 pm</span>"
        "<p>I watched the parade from the bridge and it was lovely all afternoon.</p></div>"
        "<div><b>Mira Holt</b> <span>July 18, 2013 at 5:20 pm</span>"
        "<p>The bands were much better than last year, and the stalls too.</p></div></div>"
    )
    widget = (
        f'<aside><div class="video-comments"><h3>On the video</h3>{_video_rows()}</div></aside>'
    )
    assert _authors(thread + widget) == ["Karl Stein", "Mira Holt"]


# -- readers' comments that link to other sites ---------------------------------------------


def _wordpress(author_href: str, reply: bool = True) -> str:
    rows = []
    for i, (name, user, text) in enumerate(_PEOPLE):
        n = 5101 + i
        rows.append(
            f'<li class="comment" id="comment-{n}"><div class="comment-author vcard">'
            f'<cite class="fn"><a href="{author_href.format(user=user)}" rel="external nofollow '
            f'ugc" class="url">{name}</a></cite> <span class="says">says:</span></div>'
            '<div class="comment-meta"><a href="https://news.example.org/2013/07/18/parade.html'
            f'#comment-{n}">July 18, 2013 at {i + 1}:05 pm</a></div><p>{text}</p>'
            + (
                f'<div class="reply"><a class="comment-reply-link" href="?replytocom={n}#respond">'
                "Reply</a></div>"
                if reply
                else ""
            )
            + "</li>"
        )
    return f'<div id="comments"><ol class="commentlist">{"".join(rows)}</ol></div>'


def test_commenters_whose_names_link_to_their_profiles_elsewhere_stay() -> None:
    names = [name for name, _, _ in _PEOPLE]
    for author_href in ("https://social.example.com/{user}", "http://{user}.example.net/"):
        assert _authors(_wordpress(author_href)) == names
        assert _authors(_wordpress(author_href), head="") == names
        assert _authors(_wordpress(author_href, reply=False), head="") == names


def test_replies_relayed_from_another_site_with_their_permalink_on_the_page_stay() -> None:
    # the page shows the replies as its own comments: the permalink is an anchor of the page,
    # whatever the name and the link to the reply's original lead to
    rows = "".join(
        f'<li class="comment" id="comment-{5101 + i}"><div class="comment-author">'
        f'<a href="https://social.example.com/{user}">{name}</a></div>'
        f'<a class="comment-date" href="#comment-{5101 + i}">July 18, 2013 at {i + 1}:05 pm</a>'
        f'<div class="comment-content"><p>{text}</p></div><p class="source">'
        f'<a href="https://social.example.com/{user}/status/{357947973738565635 + i}">'
        "View the original</a></p></li>"
        for i, (name, user, text) in enumerate(_PEOPLE)
    )
    page = f'<div id="comments"><h3>Replies</h3><ol>{rows}</ol></div>'
    assert _authors(page) == [name for name, _, _ in _PEOPLE]


def test_a_comment_hosts_list_whose_links_all_lead_to_the_host_stays() -> None:
    # names linking to the host's profiles, permalinks on the host: no post of a profile; a
    # share control names the comment by its number, and the page it shares by its address
    for perma in (
        "https://disq.example/p/1x{i}b2c",
        "https://comments.example/home/discussion/newsexample/parade/comment-{n}/",
        "https://comments.example/comments/{n}",
    ):
        rows = "".join(
            f'<li class="dsq-comment" id="dsq-comment-{4567891 + i}">'
            f'<div class="dsq-comment-header"><cite class="dsq-comment-header-author">'
            f'<a href="https://comments.example/by/{user}/">{name}</a></cite> '
            f'<span class="dsq-comment-header-meta"><a class="dsq-comment-header-time" '
            f'href="{perma.format(i=i, n=4567891 + i)}">July 18, 2013 {i + 1}:05 PM</a></span>'
            f'</div><div class="dsq-comment-message"><p>{text}</p></div>'
            '<a href="https://comments.example/share?url=https%3A%2F%2Fnews.example.org%2F2013'
            f'%2F07%2F18%2Fparade.html&amp;comment={4567891 + i}">Share</a></li>'
            for i, (name, user, text) in enumerate(_PEOPLE)
        )
        page = f'<div id="disqus_thread"><ul class="dsq-comments">{rows}</ul></div>'
        assert _authors(page) == [name for name, _, _ in _PEOPLE]


def test_a_comment_citing_a_post_elsewhere_in_its_words_stays() -> None:
    rows = "".join(
        f'<li class="comment" id="comment-{5101 + i}"><span class="comment-author">{name}</span> '
        f'<span class="date">July 18, 2013 at {i + 1}:05 pm</span>'
        f'<p>{text} See <a href="https://social.example.com/{user}/status/'
        f'{357947973738565635 + i}">this post</a>.</p>'
        f'<p><a href="https://social.example.com/{user}/status/{357947973738565635 + i}">'
        f"https://social.example.com/{user}/status/{357947973738565635 + i}</a></p></li>"
        for i, (name, user, text) in enumerate(_PEOPLE)
    )
    found = _found(f'<div id="comments"><ol class="commentlist">{rows}</ol></div>')
    assert [c.author for c in found] == [name for name, _, _ in _PEOPLE]
    assert found[0].text.startswith("Happy birthday to the founder")


def test_replies_on_the_posts_own_site_stay() -> None:
    # the page is the post on the social site: its replies' links lead to the page's site
    head = '<link rel="canonical" href="https://www.social.example.com/founder/status/1">'
    rows = "".join(
        f'<div class="comment"><a class="author" href="https://social.example.com/{user}">'
        f'{name}</a> <a class="date" href="https://social.example.com/{user}/status/'
        f'{357947973738565635 + i}">July 18, 2013 {i + 1}:05 PM</a><p>{text}</p></div>'
        for i, (name, user, text) in enumerate(_PEOPLE)
    )
    authors = _authors(f'<div id="comments"><h3>Replies</h3>{rows}</div>', head=head)
    assert authors == [name for name, _, _ in _PEOPLE]
