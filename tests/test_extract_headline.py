"""Headlines chosen by agreement between what a page shows and what it declares.

Small pages in the shapes real templates use (the dev-set pages themselves are checked in
test_extract_article.py and by the extraction gate).
"""

from __future__ import annotations

import json

import pytest

from corpsearch.extract.article import extract_article


def _page(
    body: str,
    *,
    og: str | None = None,
    title: str | None = None,
    jsonld: str | None = None,
    site: str | None = None,
) -> str:
    head = []
    if title is not None:
        head.append(f"<title>{title}</title>")
    if og is not None:
        head.append(f'<meta property="og:title" content="{og}">')
    if site is not None:
        head.append(f'<meta property="og:site_name" content="{site}">')
    if jsonld is not None:
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": jsonld}
        head.append(f'<script type="application/ld+json">{json.dumps(data)}</script>')
    text = "<p>" + "The council met on Tuesday and voted on the budget for next year. " * 8
    return f"<html><head>{''.join(head)}</head><body>{body}{text}</p></body></html>"


def headline(markup: str) -> str | None:
    return extract_article(markup, url="https://news.example.org/a/1").headline


def test_a_logo_heading_linking_home_gives_way_to_the_confirmed_heading() -> None:
    markup = _page(
        '<header><h1><a href="/">Morning Ledger</a></h1></header>'
        "<article><h2>Council approves the budget after a long night</h2></article>",
        og="Council approves the budget after a long night",
    )
    assert headline(markup) == "Council approves the budget after a long night"


def test_kicker_and_headline_on_two_lines_of_one_heading_are_not_glued() -> None:
    markup = _page(
        "<h1>Budget<br>Council approves the budget after a long night</h1>",
        og="Council approves the budget after a long night",
        title="Council approves the budget after a long night | Morning Ledger",
        site="Morning Ledger",
    )
    assert headline(markup) == "Council approves the budget after a long night"


def test_kicker_in_its_own_element_is_left_out_when_the_metadata_names_the_rest() -> None:
    markup = _page(
        '<h1><span class="kicker">Budget</span> Council approves the budget at last</h1>',
        jsonld="Council approves the budget at last",
    )
    assert headline(markup) == "Council approves the budget at last"


def test_the_shown_headline_wins_over_a_different_search_title() -> None:
    markup = _page(
        "<h1>‘We had some issues,’ the mayor says of the budget night</h1>",
        og="Mayor admits budget night problems as council votes",
        title="Mayor admits budget night problems as council votes - Morning Ledger",
    )
    assert headline(markup) == "‘We had some issues,’ the mayor says of the budget night"


def test_a_later_heading_that_two_sources_confirm_beats_an_unconfirmed_first_one() -> None:
    markup = _page(
        "<h1>Latest news from the council chamber today</h1>"
        "<article><h2>Council approves the budget after a long night</h2></article>",
        og="Council approves the budget after a long night",
        jsonld="Council approves the budget after a long night",
    )
    assert headline(markup) == "Council approves the budget after a long night"


@pytest.mark.parametrize(
    "title",
    [
        "Council approves the budget | Morning Ledger",
        "Morning Ledger - Council approves the budget",
    ],
)
def test_without_a_heading_the_title_loses_the_site_name(title: str) -> None:
    markup = _page("<h1>Editorial</h1>", title=title, site="Morning Ledger")
    assert headline(markup) == "Council approves the budget"


def test_a_heading_that_opens_the_declared_title_is_confirmed_by_it() -> None:
    markup = _page(
        "<h1>Couscous with vegetables (for babies and the whole family)</h1>"
        "<article><h2>Couscous with vegetables</h2></article>",
        jsonld="Couscous with vegetables",
        title="Couscous with vegetables (for babies and the whole family) - Baby Kitchen",
        site="Baby Kitchen",
    )
    assert headline(markup) == "Couscous with vegetables (for babies and the whole family)"


def test_a_heading_wrapped_in_a_link_home_is_the_sites_logo() -> None:
    # the site's name in another script than its host, the title only in <title> and a <dt>
    body = (
        '<a href="/"><h1>엔터 미디어</h1></a><h2>분야별 뉴스</h2>'
        "<dl><dt>엘제이-류화영 진흙탕 싸움, 공적인 사안으로 봐야하는 이유</dt></dl>"
    )
    title = "엘제이-류화영 진흙탕 싸움, 공적인 사안으로 봐야하는 이유 - Entermedia"
    markup = _page(body, title=title)
    found = extract_article(markup, url="http://entermedia.co.kr/news/news_view.html?idx=1")
    assert found.headline == "엘제이-류화영 진흙탕 싸움, 공적인 사안으로 봐야하는 이유"


def test_a_headline_in_chinese_is_no_single_word_and_underscores_part_a_title() -> None:
    markup = _page(
        "<h1>老城区二十条背街小巷完成改造</h1>",
        title="老城区二十条背街小巷完成改造_城市_江城日报网",
    )
    assert headline(markup) == "老城区二十条背街小巷完成改造"
    # a one-word section heading still counts half
    markup = _page(
        "<h1>Editorial</h1><h2>Council votes on the budget</h2>", og="Council votes on the budget"
    )
    assert headline(markup) == "Council votes on the budget"


def test_the_article_items_name_in_a_heading_outweighs_a_subheadline_marked_headline() -> None:
    # Contao's news_full: the title an h1 itemprop=name, the subheadline h2 itemprop=headline
    markup = (
        "<html><head><title>Water main bursts on Station Road - Oberwald</title></head><body>"
        '<div itemscope itemtype="http://schema.org/Article">'
        '<h1 itemprop="name">Water main bursts on Station Road</h1>'
        '<p class="info"><time datetime="2021-03-03T18:30:00+01:00">03.03.2021</time> von '
        '<span itemprop="author"><span itemprop="name">Sabine Kreutzer</span></span></p>'
        '<h2 itemprop="headline">Detour by Linden Avenue, bus 4 stops at temporary stops</h2>'
        "<p>The road stays closed until Friday while the old pipe is replaced.</p></div>"
        "</body></html>"
    )
    assert headline(markup) == "Water main bursts on Station Road"


def test_a_heading_that_is_one_run_of_the_titles_parts_beats_a_masthead() -> None:
    # "Section - Headline - Site" with no site name known to cut its ends: the masthead h1
    # shares nothing with the title's middle, the story's h2 is that middle
    markup = _page(
        "<h1>harbour-radio.example News - <a href='/archiv'>Archiv</a></h1>"
        "<h2>Ferry timetable changes for the spring season</h2>",
        title="News - Ferry timetable changes for the spring season - Harbour Radio",
    )
    assert extract_article(markup).headline == "Ferry timetable changes for the spring season"


def test_a_lower_heading_that_the_title_names_before_a_site_suffix_is_the_headline() -> None:
    # no h1: the headline is an h4 of a cover block, the title glues the site's name on with
    # an unspaced dash (or a bar, an underscore, an en dash)
    story = "港口新航线下月开通，货运时间缩短三成"
    for separator in ("-", "|", "_", "–"):
        markup = _page(
            f'<div class="cover"><h4>{story}</h4><span>时间：2021-05-06</span></div>',
            title=f"{story}{separator}海港 电子周刊",
        )
        assert headline(markup) == story, separator
    markup = _page(
        "<div class='cover'><h5>Ferry timetable changes for the spring season</h5></div>",
        title="Ferry timetable changes for the spring season-Harbour Weekly",
    )
    assert headline(markup) == "Ferry timetable changes for the spring season"


def test_a_dash_of_the_headline_itself_cuts_no_title() -> None:
    # the words before a dash of the headline are a section's name shown in an h4, not the
    # headline: the title cut there keeps too little of it
    markup = _page(
        "<nav><h4>New York</h4><h4>Jean</h4></nav>",
        title="New York-based Jean-Pierre Dupont opens a bakery in the old harbour",
    )
    assert headline(markup) == "New York-based Jean-Pierre Dupont opens a bakery in the old harbour"
    # an h4 that only names a title's first half, where the rest is the page's heading
    # ("Show - Episode"), is no headline
    markup = _page(
        "<h4>Conversations at the harbour</h4><header><h2>Stacy Keach</h2></header>",
        title="Conversations at the harbour - Stacy Keach",
    )
    assert headline(markup) == "Stacy Keach"
    # a lower heading the title does not name in full is no candidate
    markup = _page(
        "<h4>Ferry timetable changes</h4>",
        title="Ferry timetable changes for the spring season-Harbour Weekly",
    )
    assert headline(markup) != "Ferry timetable changes"


def test_a_heading_that_a_title_names_after_a_colon_or_a_dash_is_the_headline() -> None:
    # "Show: Episode" (or "Show - Episode"): no h1, the episode's name in an h2 of its own
    # box, too short a part of the title for a heading the title closes with
    body = (
        "<div class='episode'><h3>Episode #42</h3><h2 class='title'>Ana Ruiz Soler</h2>"
        "<h3>Monday, May 27, 2013</h3></div>"
    )
    for title, og in (
        ("Conversations at the harbour: Ana Ruiz Soler - Harbour Radio", None),
        ("Conversations at the harbour: Ana Ruiz Soler", None),
        (None, "Conversations at the harbour - Ana Ruiz Soler"),
    ):
        assert headline(_page(body, title=title, og=og)) == "Ana Ruiz Soler", (title, og)


def test_a_colon_of_a_headline_shown_whole_cuts_nothing() -> None:
    # the h1 shows the whole title: a subheading that repeats the words after its colon is
    # no headline
    markup = _page(
        "<h1>Brexit: what next for the ferry ports</h1><h3>What next for the ferry ports</h3>",
        title="Brexit: what next for the ferry ports | Harbour Radio",
    )
    assert headline(markup) == "Brexit: what next for the ferry ports"
    # the masthead of "Headline | Site Name", where the headline is a heading too
    markup = _page(
        "<h1>Harbour Weekly Review</h1><div><h2>Ferry timetable changes for spring</h2></div>",
        title="Ferry timetable changes for spring | Harbour Weekly Review",
    )
    assert headline(markup) == "Ferry timetable changes for spring"
    # a heading that only names the title's single last word is no headline either
    markup = _page("<div><h2>Weather</h2></div>", title="Harbour news: Weather")
    assert headline(markup) == "Harbour news: Weather"
    # nor is the rest of a title that no heading shows
    markup = _page("<div><h3>Episode #42</h3></div>", title="Conversations: Ana Ruiz Soler")
    assert headline(markup) == "Conversations: Ana Ruiz Soler"
