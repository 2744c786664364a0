"""Hits grouped by article: each matching article once, with its matching comments under it.

An article is in the result when it matches the query itself or when at least one of its
comments does; articles come in the order of their best-placed hit (by relevance or date).
The engine tallies the groups (:meth:`~corpsearch.engine.base.Engine.article_tallies`: the
postgres engine by ``GROUP BY article_id``, tantivy by terms aggregations over the matches'
article ids, whoosh from the matches' values, holding only the article ids and counts); hits
with snippets are read for the page of groups that is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .engine import Engine, Hit, SearchRequest, Sort
from .query.ast import And, Node, Or, Term

__all__ = ["Group", "group_by_article"]


@dataclass(slots=True)
class Group:
    """One article and the comments on it that matched."""

    article: Hit
    article_matched: bool
    comment_hits: int  # how many of its comments matched
    comments: list[Hit] = field(default_factory=list)  # the first ``per_group`` of them

    def to_dict(self) -> dict[str, object]:
        return {
            "article": self.article.to_dict(),
            "article_matched": self.article_matched,
            "comment_hits": self.comment_hits,
            "comments": [hit.to_dict() for hit in self.comments],
        }


def group_by_article(
    engine: Engine,
    tree: Node,
    *,
    sort: Sort = "relevance",
    limit: int = 10,
    offset: int = 0,
    per_group: int = 10,
) -> tuple[int, list[Group]]:
    """The number of matching articles, and the page ``offset:offset+limit`` of their groups."""
    total, tallies = engine.article_tallies(tree, sort, offset, limit)
    page = [tally.article_id for tally in tallies]
    if not page:
        return total, []
    in_page = Or(tuple(Term("article", article_id) for article_id in page))
    shown: dict[str, Hit] = {}
    comments: dict[str, list[Hit]] = {article_id: [] for article_id in page}
    # What the page shows is known from the tallies: once every article has its own hit (if
    # it matched) and its first comments, the rest of the matches need no snippet.
    expect = {t.article_id: (t.article_matched, min(per_group, t.comment_hits)) for t in tallies}
    unfinished = len(expect)
    for hit in engine.iter_hits(And((tree, in_page)), sort):
        if hit.kind == "article":
            shown[hit.article_id] = hit
        elif len(comments[hit.article_id]) < per_group:
            comments[hit.article_id].append(hit)
        else:
            continue
        matched, first = expect[hit.article_id]
        if (hit.article_id in shown or not matched) and len(comments[hit.article_id]) == first:
            expect[hit.article_id] = (False, -1)  # finished: never counted twice
            unfinished -= 1
            if not unfinished:
                break
    missing = [article_id for article_id in page if article_id not in shown]
    if missing:
        wanted = And((Term("kind", "article"), Or(tuple(Term("id", i) for i in missing))))
        for hit in engine.search(SearchRequest(wanted, limit=len(missing))).hits:
            shown[hit.id] = hit
    groups = []
    for tally in tallies:
        article_id = tally.article_id
        article = shown.get(article_id) or _placeholder(article_id, comments[article_id])
        groups.append(
            Group(article, tally.article_matched, tally.comment_hits, comments[article_id])
        )
    return total, groups


def _placeholder(article_id: str, comments: list[Hit]) -> Hit:
    """An article whose own document is gone: what its comments know about it."""
    first = comments[0] if comments else None
    return Hit(
        id=article_id,
        kind="article",
        score=0.0,
        headline=first.headline if first else "",
        author=None,
        published=None,
        url=first.url if first else None,
        article_id=article_id,
        snippet="",
        site=first.site if first else None,
    )
