"""Generate a seeded, deterministic corpus of news article pages with reader comments.

    python benchmarks/gen_corpus.py --pages 10000 --out benchmarks/corpus/10k --warc

Writes ``OUT/NNN/NNNNNN.html`` (1000 pages per folder), ``OUT/manifest.jsonl`` (the truth for every
page and comment), ``OUT/summary.json`` and, with ``--warc``, ``OUT/warc/part-NNNNN.warc.gz`` (one
file per 1000 pages). The same seed and page count give byte-identical output whatever ``--jobs``.
Texts are sampled from the real article bodies of the article-extraction benchmark that sits beside
the project checkout (``shared/data``); see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import re
import sys
import time
import uuid
import zlib
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from multiprocessing import Pool
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

if TYPE_CHECKING:
    from warcio.recordloader import ArcWarcRecord

from corpus_templates import URL_RE, Comment, Page, Site, iso, render, slugify
from page_chrome import furnish

GENERATOR_VERSION = 2  # 2: pages furnished to the dev pages' size (page_chrome.py)
PAGES_PER_CHUNK = 1000
DATA_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data"
GROUND_TRUTH = DATA_DIR / "article-extraction-benchmark" / "ground-truth.json"

# fmt: off
SITES: tuple[Site, ...] = (
    Site("naharnet", "Naharnet", "www.naharnet.com", "seed", "Asia/Beirut"),
    Site("levantpost", "The Levant Post", "levantpost.example.com", "wordpress", "Asia/Beirut",
         sections=("Politics", "Region", "Economy", "Opinion")),
    Site("harbourgazette", "Harbour Gazette", "harbourgazette.example.org", "wordpress",
         "America/New_York", sections=("Local", "Nation", "Business", "Culture")),
    Site("rheinblatt", "Rhein Blatt English", "en.rheinblatt.example.net", "wordpress",
         "Europe/Berlin", newest_first=True, sections=("Europe", "World", "Tech", "Sport")),
    Site("dailymeridian", "The Daily Meridian", "www.dailymeridian.example.com", "microdata",
         "Europe/London", date_style="dmy", sections=("UK", "World", "Money", "Science")),
    Site("pacificwire", "Pacific Wire", "pacificwire.example.com", "microdata",
         "America/Los_Angeles", date_style="us", newest_first=True,
         sections=("US", "World", "Tech", "Health")),
)
# fmt: on
TEMPLATE_SITES: dict[str, list[Site]] = {}
for _s in SITES:
    TEMPLATE_SITES.setdefault(_s.template, []).append(_s)
TEMPLATES = ("seed", "wordpress", "microdata")

START = datetime(2014, 1, 1, tzinfo=UTC)
END = datetime(2024, 12, 1, tzinfo=UTC)  # articles; comments follow within 30 days
MAX_COMMENTS = 400

SENT_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")
WORD_RE = re.compile(r"\w+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SMALL_WORDS = frozenset(
    _words("a an the and or but nor of to in on at for with by from as into than via per vs")
)
HEADLINE_OK = re.compile(r"^[\"“‘]?[A-Z][^@/]*[a-z][.!?][\"”’]?$")
LEAD_RE = re.compile(r"^(?:However|Also|But|And|So|Still|Meanwhile|Now|Then|Yet),?\s+")
STOP_END = SMALL_WORDS | frozenset(
    _words("is are was were be been that which who its their his her")
)

FIRST_NAMES = _words(
    "Jane John Mike Sarah Ali Rima Karim Nadia Omar Layla Georges Maya Tony Rania Hassan Lina "
    "Paul Maria Elie Joanna Fadi Carla Ziad Nour Walid Hiba Sami Dana Marc Lara Adam Emma Chris "
    "Anna David Julia Peter Laura Ahmad Yara Michel Rola Bilal Sana James Kate Robert Amal Tom "
    "Nina Jad Zeina Samir Grace Hadi Mona Ben Sophie Rami Leila Alex Hana Nabil Ruth Kevin Dina"
)
LAST_NAMES = _words(
    "Doe Smith Haddad Khoury Nassar Saad Aoun Hariri Gemayel Frangieh Salam Chehab Brown Miller "
    "Wilson Taylor Harb Karam Mansour Azar Sfeir Daher Rizk Najjar Habib Jones Moore Clark Lewis "
    "Walker Young Hall Allen King Wright Scott Green Baker Adams Nelson Carter Mitchell Roberts "
    "Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Khalil Fares Moussa"
)
HANDLE_WORDS = _words(
    "mowaten cedar phoenix patriot lebnani beiruti citizen freeman truth realist watcher thinker "
    "falcon eagle lion wolf tiger shadow ghost storm thunder river mountain ocean desert sun moon "
    "star rebel libre voice reader observer analyst insider outsider nomad wanderer dreamer "
    "skeptic optimist pessimist neutral independent sniper ranger pilot doctor prof engineer "
    "habibi yalla zaatar hummus shawarma kibbeh arak jounieh byblos tyre sidon zahle batroun "
    "baalbek metn chouf akkar bekaa hamra achrafieh gemmayze verdun mar_elias"
)

COMMENT_OPENERS = (
    "lol", "LOL", "Exactly.", "Agreed.", "Nonsense.", "So true.", "Wake up people.", "Really?",
    "Well said.", "Typical.", "Shame.", "Sad.", "haha", "Oh please.", "Good.", "Finally.",
    "Spot on.", "Not again.", "What a joke.", "Interesting.",
)  # fmt: skip
URL_PATTERNS = (
    "http://www.reuters.com/article/{y}/{m:02d}/{d:02d}/us-{w1}-{w2}-id{ID}",
    "https://en.wikipedia.org/wiki/{W1}_{W2}",
    "https://www.youtube.com/watch?v={yt}",
    "https://twitter.com/{w1}{n2}/status/{long}",
    "https://www.bbc.com/news/world-middle-east-{n8}",
    "http://www.aljazeera.com/news/{y}/{m}/{w1}-{w2}-{n6}.html",
    "https://www.theguardian.com/world/{y}/{mon}/{d:02d}/{w1}-{w2}-{w3}",
    "http://bit.ly/{yt7}",
)
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


# ---------------------------------------------------------------------------------------------
# Text and author pools (built once per process, deterministic for a seed)
# ---------------------------------------------------------------------------------------------


@dataclass
class Pools:
    docs: list[list[str]]  # sentences of each English source article
    short: list[str]  # sentences of 4..25 words, for comments
    headline_src: list[str]  # headlines made of sentences of 6..14 words
    doc_heads: list[list[str]]  # the same, per source article
    words: list[str]  # vocabulary for handles, tags and URLs
    authors: list[str]  # Zipf-ranked comment authors
    author_cum: list[float]
    bylines: list[str]


def split_sentences(body: str) -> list[str]:
    out: list[str] = []
    for para in body.split("\n"):
        para = " ".join(para.split())
        if not para:
            continue
        for s in SENT_SPLIT.split(para):
            s = s.strip()
            n = len(s.split())
            if 4 <= n <= 80 and not s.endswith("...") and not s.endswith("…"):
                out.append(s)
    return out


def is_english(text: str) -> bool:
    words = WORD_RE.findall(text.lower())
    common = sum(w in ("the", "and", "of", "to", "a", "in") for w in words)
    return bool(words) and common / len(words) >= 0.08


def make_handle(rng: random.Random, words: list[str]) -> str:
    """A name shaped like real commenters' handles: _mowaten_, imagine_1979, Jane Doe, mike.b."""
    f, la = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    w, w2 = rng.choice(HANDLE_WORDS if rng.random() < 0.5 else words), rng.choice(words)
    shapes: tuple[tuple[int, Callable[[], str]], ...] = (
        (12, lambda: f"_{w}_"), (16, lambda: f"{w}_{rng.randint(1950, 2005)}"),
        (10, lambda: f"{w}_{w2}"), (12, lambda: f"{f} {la}"), (8, lambda: f"{f} {la[0]}."),
        (10, lambda: f"{f.lower()}.{la[0].lower()}"), (6, lambda: f"{f[0].lower()}.{la.lower()}"),
        (10, lambda: w.capitalize() + w2.capitalize()), (9, lambda: f"{w}{rng.randint(1, 999)}"),
        (7, lambda: f"{f.lower()}{la.lower()}{rng.randint(10, 99)}"),
    )  # fmt: skip
    return rng.choices([make for _, make in shapes], [weight for weight, _ in shapes])[0]()


def build_pools(seed: int, n_authors: int = 30000) -> Pools:
    data = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
    docs: list[list[str]] = []
    for key in sorted(data):
        body = data[key].get("articleBody") or ""
        if is_english(body):
            sents = split_sentences(body)
            if len(sents) >= 3:
                docs.append(sents)
    all_sents = [s for d in docs for s in d]
    short = [s for s in all_sents if len(s.split()) <= 25]
    doc_heads = [
        [headline_of(s) for s in d if 6 <= len(s.split()) <= 14 and HEADLINE_OK.match(s)]
        for d in docs
    ]
    headline_src = [s for d in doc_heads for s in d]
    vocab: dict[str, int] = {}
    for s in all_sents:
        for w in re.findall(r"\b[a-z]{4,9}\b", s):
            vocab[w] = vocab.get(w, 0) + 1
    words = sorted(w for w, c in vocab.items() if c >= 2)
    rng = random.Random(f"authors:{seed}")
    authors = ["_mowaten_", "imagine_1979", "Jane Doe", "mike.b", "FreeLebanon", "cedar_1982"]
    seen = {a.lower() for a in authors}
    while len(authors) < n_authors:
        h = make_handle(rng, words)
        if h.lower() not in seen:
            seen.add(h.lower())
            authors.append(h)
    tail = authors[6:]
    rng.shuffle(tail)
    authors = authors[:6] + tail
    cum: list[float] = []
    total = 0.0
    for r in range(len(authors)):  # Zipf-Mandelbrot: weight 1 / (rank + 4) ** 1.05
        total += 1.0 / (r + 4) ** 1.05
        cum.append(total)
    bylines = sorted({f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(300)})
    return Pools(docs, short, headline_src, doc_heads, words, authors, cum, bylines)


# ---------------------------------------------------------------------------------------------
# Page sampling
# ---------------------------------------------------------------------------------------------


def title_case(words: list[str]) -> str:
    out = []
    for i, w in enumerate(words):
        if w[:1].islower() and (i == 0 or w.lower() not in SMALL_WORDS):
            w = w[0].upper() + w[1:]
        out.append(w)
    return " ".join(out)


def make_headline(rng: random.Random, pools: Pools, doc: int | None = None) -> str:
    cands = pools.doc_heads[doc] if doc is not None else []
    return rng.choice(cands) if cands else rng.choice(pools.headline_src)


def headline_of(s: str) -> str:
    """A short sentence of the source text, title-cased like a news headline."""
    s = LEAD_RE.sub("", re.sub(r"[\"“”()\[\]]|^[‘']|[’']$", "", s))
    words = s.split()
    while len(words) > 4 and (words[-1].lower().strip(".,!?") in STOP_END):
        words.pop()
    words[-1] = words[-1].rstrip(".,!?;:")
    return title_case(words)


def comment_count(rng: random.Random) -> int:
    """Long-tailed: 30% zero, median 3, mean ~10, at most MAX_COMMENTS."""
    if rng.random() < 0.30:
        return 0
    while True:  # truncated (redrawn), not clipped, so there is no pile-up at the maximum
        n = max(1, round(rng.lognormvariate(1.9, 1.25)))
        if n <= MAX_COMMENTS:
            return n


def article_body(rng: random.Random, pools: Pools, doc_i: int) -> tuple[list[str], list[str]]:
    """Paragraphs of a body of log-normal length, and the sentences they are made of."""
    target = min(1600, max(150, int(rng.lognormvariate(math.log(450), 0.45))))
    docs = pools.docs
    d, pos = doc_i, (0 if rng.random() < 0.5 else rng.randrange(len(docs[doc_i])))
    paras: list[str] = []
    used: list[str] = []
    words = 0
    while words < target:
        sents = []
        for _ in range(rng.choices((1, 2, 3, 4), (30, 35, 25, 10))[0]):
            if pos >= len(docs[d]) or rng.random() < 0.02:
                d = rng.randrange(len(docs))
                pos = rng.randrange(len(docs[d]))
            sents.append(docs[d][pos])
            pos += 1
        para = " ".join(sents)
        paras.append(para)
        used.extend(sents)
        words += len(para.split())
    return paras, used


def make_url_in_text(rng: random.Random, pools: Pools) -> str:
    w1, w2, w3 = (rng.choice(pools.words) for _ in range(3))
    y = rng.randint(2008, 2024)
    return rng.choice(URL_PATTERNS).format(
        y=y, m=rng.randint(1, 12), d=rng.randint(1, 28), mon=rng.choice(("jan", "mar", "sep")),
        w1=w1, w2=w2, w3=w3, W1=w1.capitalize(), W2=w2.capitalize(),
        ID="USL" + str(rng.randrange(10**12)), n2=rng.randint(10, 99),
        n6=rng.randrange(10**5, 10**6), n8=rng.randrange(10**7, 10**8),
        long=rng.randrange(10**17, 10**18), yt="".join(rng.choice(ALNUM) for _ in range(11)),
        yt7="".join(rng.choice(ALNUM) for _ in range(7)),
    )  # fmt: skip


def comment_text(
    rng: random.Random, pools: Pools, article: list[str], local: list[str]
) -> tuple[list[list[str]], str | None, list[str]]:
    """Paragraphs (lists of lines), an optional quoted article sentence, and the links.

    ``local`` holds the article's short sentences: a third of a comment's sentences echo them.
    """
    k = min(25, max(1, round(rng.lognormvariate(math.log(2.0), 0.8))))
    local = local or pools.short
    sents = [
        rng.choice(local) if rng.random() < 0.35 else rng.choice(pools.short) for _ in range(k)
    ]
    if rng.random() < 0.08:
        sents.insert(0, rng.choice(COMMENT_OPENERS))
    if len(sents) >= 2 and rng.random() < 0.10:  # "employer.The"
        i = rng.randrange(len(sents) - 1)
        if sents[i].endswith("."):
            sents[i : i + 2] = [sents[i] + sents[i + 1]]
    if rng.random() < 0.15:
        sents = [s.lower() for s in sents]
    links: list[str] = []
    if rng.random() < 0.07:
        url = make_url_in_text(rng, pools)
        links.append(url)
        if rng.random() < 0.5:
            sents.append(url)
        else:
            i = rng.randrange(len(sents))
            sents[i] = f"{sents[i]} see {url}"
    paras: list[list[str]] = []
    i = 0
    while i < len(sents):
        size = len(sents) - i if len(sents) < 4 else rng.randint(1, 4)
        chunk = sents[i : i + size]
        i += size
        lines: list[str] = []
        for s in chunk:
            if lines and rng.random() < 0.8:
                lines[-1] = f"{lines[-1]} {s}"
            else:
                lines.append(s)
        paras.append(lines)
    quoted = None
    if rng.random() < 0.10:
        quoted = rng.choice(article)
    return paras, quoted, links


def comment_times(rng: random.Random, published: datetime, n: int, minute: bool) -> list[datetime]:
    times = []
    t = published.astimezone(UTC)
    for k in range(n):
        median = 12 * 60 if k == 0 else 6 * 60
        gap = rng.lognormvariate(math.log(median), 1.4) * (1.08 ** min(k, 40))
        t = t + timedelta(seconds=int(min(gap, 5 * 86400)) + 1)
        times.append(t)
    limit = published.astimezone(UTC) + timedelta(days=30)
    times = [min(x, limit - timedelta(minutes=n - i)) for i, x in enumerate(times)]
    if minute:
        times = [x.replace(second=0) + timedelta(minutes=1) for x in times]
    return times


def thread(rng: random.Random, n: int, threaded: bool) -> list[int | None]:
    """Parent (time-order index) of each comment; None for top level."""
    parents: list[int | None] = []
    depth: list[int] = []
    for k in range(n):
        if threaded and k and rng.random() < 0.3:
            j = max(0, k - 1 - int(rng.expovariate(0.4)))
            while depth[j] >= 4:
                j = parents[j]  # type: ignore[assignment]
            parents.append(j)
            depth.append(depth[j] + 1)
        else:
            parents.append(None)
            depth.append(0)
    return parents


def document_order(parents: list[int | None], newest_first: bool) -> list[int]:
    kids: dict[int | None, list[int]] = {}
    for k, p in enumerate(parents):
        kids.setdefault(p, []).append(k)
    order: list[int] = []
    tops = kids.get(None, [])
    stack = list(tops) if newest_first else list(reversed(tops))
    while stack:
        k = stack.pop()
        order.append(k)
        stack.extend(reversed(kids.get(k, [])))
    return order


def sample_author(rng: random.Random, pools: Pools) -> str:
    """A comment author from the Zipf-like pool."""
    r = bisect_left(pools.author_cum, rng.random() * pools.author_cum[-1])
    return pools.authors[min(r, len(pools.authors) - 1)]


def author_flags(name: str) -> tuple[bool, str | None]:
    h = zlib.crc32(name.encode("utf-8"))
    url = f"https://{slugify(name, 3)}.blogspot.com/" if h % 7 == 0 else None
    return h % 5 != 0, url


def make_page(index: int, seed: int, pools: Pools) -> Page:
    rng = random.Random(seed * 1_000_003 + index)
    template = rng.choice(TEMPLATES)
    site = rng.choice(TEMPLATE_SITES[template])
    tz = ZoneInfo(site.tz)
    span = int((END - START).total_seconds())
    t_utc = START + timedelta(seconds=rng.randrange(span))
    hour = rng.choices(
        range(24), [1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 8, 7, 7, 7, 7, 6, 6, 5, 4, 3, 3, 2, 1]
    )[0]
    published = t_utc.astimezone(tz).replace(hour=hour).astimezone(UTC).astimezone(tz)
    doc_i = rng.randrange(len(pools.docs))
    paragraphs, sentences = article_body(rng, pools, doc_i)
    headline = make_headline(rng, pools, doc_i)
    article_id = 100000 + index * 3 + rng.randrange(3)
    section = rng.choice(site.sections)
    if template == "seed":
        url = f"https://www.naharnet.com/stories/en/{article_id}"
        byline = None
    elif template == "wordpress":
        url = (
            f"https://{site.host}/{published.year}/{published.month:02d}/{published.day:02d}/"
            f"{slugify(headline)}-{article_id}/"
        )
        byline = rng.choice(pools.bylines)
    else:
        url = (
            f"https://{site.host}/{section.lower()}/{published:%Y/%m/%d}/"
            f"{slugify(headline)}-a{article_id}.html"
        )
        byline = rng.choice(pools.bylines) if rng.random() < 0.8 else None
    short_local = [s for s in sentences if len(s.split()) <= 25]
    n = comment_count(rng)
    times = comment_times(rng, published, n, minute=template == "seed")
    parents = thread(rng, n, threaded=template != "seed")
    order = document_order(parents, site.newest_first)
    if template == "seed":  # the seed site mostly shows time order, with local disorder
        for k in range(len(order) - 1):
            if rng.random() < 0.12:
                order[k], order[k + 1] = order[k + 1], order[k]
    pos_of = {k: i for i, k in enumerate(order)}
    page_authors: list[str] = []
    comments: list[Comment] = []
    for k in order:
        if page_authors and rng.random() < 0.3:
            author = rng.choice(page_authors)
        else:
            author = sample_author(rng, pools)
        by_post_author = bool(parents[k] is not None and byline and rng.random() < 0.1)
        if by_post_author:
            author = byline or author
        page_authors.append(author)
        avatar, author_url = author_flags(author)
        paras, quoted, _links = comment_text(rng, pools, sentences, short_local)
        p = parents[k]
        comments.append(Comment(
            cid=article_id * 1000 + k + 1, author=author, published=times[k].astimezone(tz),
            paragraphs=paras, quote=quoted, parent=None if p is None else pos_of[p],
            avatar=avatar, author_url=author_url if template == "wordpress" else None,
            by_post_author=by_post_author, votes=int(rng.expovariate(0.4)),
        ))  # fmt: skip
    for i, c in enumerate(comments):
        if c.parent is not None:
            comments[c.parent].children.append(i)
            c.depth = comments[c.parent].depth + 1
    related = []
    for _ in range(6):
        rid = rng.randrange(100000, 700000)
        if template == "seed":
            rurl = f"https://www.naharnet.com/stories/en/{rid}"
        elif template == "wordpress":
            rurl = f"https://{site.host}/?p={rid}"
        else:
            rurl = f"https://{site.host}/{rng.choice(site.sections).lower()}/a{rid}.html"
        related.append((make_headline(rng, pools), rurl))
    recent = [(sample_author(rng, pools), t, u) for t, u in related[:5]]
    tags = sorted({rng.choice(pools.words).capitalize() for _ in range(rng.randint(2, 5))})
    return Page(
        index, site, url, article_id, headline, paragraphs, published, byline, section, tags,
        comments, related, recent, image="img" if rng.random() < 0.85 else None,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def own_text(c: Comment) -> str:
    return " ".join(" ".join(line for para in c.paragraphs for line in para).split())


def manifest_entry(page: Page) -> dict[str, object]:
    comments = []
    for i, c in enumerate(page.comments):
        text = own_text(c)
        comments.append({
            "position": i, "id": c.cid, "author": c.author, "published": iso(c.published),
            "parent": c.parent, "depth": c.depth, "text_first60": text[:60],
            "words": len(text.split()), "quote": c.quote, "links": URL_RE.findall(text),
        })  # fmt: skip
    return {
        "file": f"{page.index // PAGES_PER_CHUNK:03d}/{page.index:06d}.html", "url": page.url,
        "site": page.site.host, "template": page.site.template, "headline": page.headline,
        "published": iso(page.published), "published_shown": page.site.template != "seed",
        "byline": page.byline, "words": sum(len(p.split()) for p in page.paragraphs),
        "body_start": page.paragraphs[0][:60], "n_comments": len(page.comments),
        "comments": comments,
    }  # fmt: skip


def warc_date(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def crawl_date(rng: random.Random, page: Page) -> datetime:
    last = max([page.published] + [c.published for c in page.comments])
    return (last + timedelta(hours=rng.randint(1, 72), seconds=rng.randrange(3600))).astimezone(UTC)


class WarcPart:
    """One gzip-per-record WARC file; record ids and dates are deterministic.

    warcio builds the records; each is gzipped here at level 6 (warcio uses 9, 2-3x slower).
    """

    def __init__(self, path: Path, seed: int) -> None:
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        self._sah = StatusAndHeaders
        self.fh = path.open("wb")
        self.buf = io.BytesIO()
        self.writer = WARCWriter(self.buf, gzip=False)
        self.seed = seed
        payload = (
            f"software: corpsearch gen_corpus {GENERATOR_VERSION}\r\n"
            f"format: WARC File Format 1.0\r\nseed: {seed}\r\n"
        ).encode()
        headers = {"WARC-Record-ID": self._id(f"warcinfo:{path.name}"),
                   "WARC-Date": "2025-01-01T00:00:00Z", "WARC-Filename": path.name}  # fmt: skip
        rec = self.writer.create_warc_record(
            "", "warcinfo", payload=io.BytesIO(payload), length=len(payload),
            warc_content_type="application/warc-fields", warc_headers_dict=headers,
        )  # fmt: skip
        self._write(rec)

    def _write(self, rec: ArcWarcRecord) -> None:
        self.buf.seek(0)
        self.buf.truncate()
        self.writer.write_record(rec)
        gz = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self.fh.write(gz.compress(self.buf.getvalue()) + gz.flush())

    def _id(self, key: str) -> str:
        return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{self.seed}:{key}')}>"

    def add(self, url: str, body: bytes, when: datetime) -> int:
        offset = self.fh.tell()
        http = self._sah("200 OK", [
            ("Date", format_datetime(when, usegmt=True)), ("Server", "nginx"),
            ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))),
        ], protocol="HTTP/1.1")  # fmt: skip
        headers = {"WARC-Record-ID": self._id(url), "WARC-Date": warc_date(when)}
        rec = self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
            warc_headers_dict=headers,
        )  # fmt: skip
        self._write(rec)
        return offset

    def close(self) -> None:
        self.fh.close()


_POOLS: Pools | None = None
_POOLS_SEED: int | None = None


def _init(seed: int) -> None:
    global _POOLS, _POOLS_SEED
    if _POOLS is None or seed != _POOLS_SEED:
        _POOLS, _POOLS_SEED = build_pools(seed), seed


def pools_for(seed: int) -> Pools:
    """The (cached) text and author pools of a seed."""
    _init(seed)
    assert _POOLS is not None
    return _POOLS


def write_chunk(
    args: tuple[int, int, int, str, int, bool, bool],
) -> tuple[list[str], dict[str, int]]:
    """Generate pages [start, end) into folder NNN (and WARC part NNNNN); return manifest lines."""
    chunk, start, end, out, seed, warc, plain = args
    assert _POOLS is not None
    folder = Path(out) / f"{chunk:03d}"
    folder.mkdir(parents=True, exist_ok=True)
    part = WarcPart(Path(out) / "warc" / f"part-{chunk:05d}.warc.gz", seed) if warc else None
    lines: list[str] = []
    stats = {"pages": 0, "comments": 0, "bytes": 0}
    for index in range(start, end):
        page = make_page(index, seed, _POOLS)
        html = render(page)
        if not plain:
            rng = random.Random(f"chrome:{seed}:{index}")
            html = furnish(html, rng, _POOLS.words, _POOLS.headline_src)
        body = html.encode("utf-8")
        (folder / f"{index:06d}.html").write_bytes(body)
        entry = manifest_entry(page)
        if part is not None:
            when = crawl_date(random.Random(f"crawl:{seed}:{index}"), page)
            entry["warc"] = f"warc/part-{chunk:05d}.warc.gz"
            entry["warc_offset"] = part.add(page.url, body, when)
            entry["warc_date"] = warc_date(when)
        lines.append(json.dumps(entry, ensure_ascii=False) + "\n")
        stats["pages"] += 1
        stats["comments"] += len(page.comments)
        stats["bytes"] += len(body)
    if part is not None:
        part.close()
    return lines, stats


def generate(
    pages: int,
    out: Path,
    seed: int = 42,
    warc: bool = False,
    jobs: int | None = None,
    plain: bool = False,
) -> dict[str, object]:
    """Write the corpus; return the summary (also written to OUT/summary.json).

    ``plain`` leaves out the furniture that brings pages to the dev pages' size.
    """
    out.mkdir(parents=True, exist_ok=True)
    if warc:
        (out / "warc").mkdir(exist_ok=True)
    tasks = [
        (c, s, min(s + PAGES_PER_CHUNK, pages), str(out), seed, warc, plain)
        for c, s in enumerate(range(0, pages, PAGES_PER_CHUNK))
    ]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks) or 1))
    totals = {"pages": 0, "comments": 0, "bytes": 0}
    t0 = time.perf_counter()
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as mf:
        results: Iterator[tuple[list[str], dict[str, int]]]
        if jobs == 1:
            _init(seed)
            results = map(write_chunk, tasks)
            pool = None
        else:
            pool = Pool(jobs, initializer=_init, initargs=(seed,))
            results = pool.imap(write_chunk, tasks)
        try:
            for lines, stats in results:
                mf.writelines(lines)
                for k, v in stats.items():
                    totals[k] += v
        finally:
            if pool is not None:
                pool.close()
                pool.join()
    summary: dict[str, object] = {
        "generator_version": GENERATOR_VERSION, "seed": seed, "pages": totals["pages"],
        "comments": totals["comments"], "documents": totals["pages"] + totals["comments"],
        "html_bytes": totals["bytes"], "warc": warc, "real_sized": not plain,
    }  # fmt: skip
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    summary["seconds"] = round(time.perf_counter() - t0, 2)
    summary["jobs"] = jobs
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, required=True, help="number of article pages")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("--warc", action="store_true", help="also write OUT/warc/part-*.warc.gz")
    ap.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    ap.add_argument(
        "--plain",
        action="store_true",
        help="article and comments only (about 14 KiB a page), without the furniture of real pages",
    )
    ap.add_argument(
        "--overwrite",
        action="store_true",
        help="write into an output folder that already holds a corpus",
    )
    a = ap.parse_args(argv)
    if a.pages < 1:
        ap.error("--pages must be at least 1")
    if (a.out / "manifest.jsonl").exists() and not a.overwrite:
        ap.error(f"{a.out} already holds a corpus; pass --overwrite or choose another folder")
    if not GROUND_TRUTH.is_file():
        ap.error(f"source texts not found: {GROUND_TRUTH}")
    summary = generate(a.pages, a.out, a.seed, a.warc, a.jobs, a.plain)
    print(json.dumps(summary), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
