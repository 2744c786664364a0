"""How much comment extraction rests on the vocabulary of class names: both labelled comment-page
sets scored as saved, then with every class name replaced by a meaningless one (the same
replacement for the same name on a page, so the repetition of a template is kept), then with
the ids replaced too (and the attributes that refer to an id, `aria-labelledby`, `for`, …, the
same way). Microdata, RDFa, tags, text and links stay as they are.

A page of a site nobody profiled uses class names nobody listed; the second and third rows show
what is left of the method when no listed name matches, the lower bound of what it does on
unseen templates. The pages are read by the whole pipeline, as ``score_extraction.py`` reads
them (``corpsearch.extract.extract``, the file's modification time as the capture time, the
article's zone for naive times), and scored with ``score_comments.score_page``: found, right
author, right time (where the label has one), right text (first 60 characters), and the
comments given to the pages that have none. The template zoo (``fixtures/zoo``, expectations in
``tests/test_extract_zoo.py``) is scored the same way, a comment matched by the start of its
text (else by its author): found, author, time as the zoo test compares it, text start.

After the tables, every miss of the two scrambled variants is listed page by page (a labelled
comment not found, a wrong author, time or text start: gold vs got), as ``score_extraction.py``
lists those of the pages as saved; ``--no-misses`` leaves the list out.

Run ``python benchmarks/score_comment_variants.py`` from the repository root, with ``shared/``
beside the checkout.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import sys
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from lxml import etree  # noqa: E402

from corpsearch.extract import extract  # noqa: E402
from corpsearch.extract.charset import decode_page  # noqa: E402
from corpsearch.extract.comments import FoundComment, find_comments  # noqa: E402
from corpsearch.sources import SourceDocument, iter_sources  # noqa: E402
from score_comments import score_page  # noqa: E402
from score_extraction import PAGES, PAGES2, _as_found, _comment_misses, comment_golds  # noqa: E402

sys.path.insert(0, str(ROOT))
from tests.test_extract_zoo import EMPTY, EXPECTED, ZOO, _same_time  # noqa: E402

VARIANTS = ("as saved", "class names unknown", "class names and ids unknown")
CAPTURED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)  # the zoo test's capture time


def _meaningless(token: str) -> str:
    return "x" + hashlib.sha1(token.encode()).hexdigest()[:7]


_ID_REFERENCES = ("aria-labelledby", "aria-describedby", "aria-controls", "for")


def scrambled(html: str, *, ids: bool) -> str:
    """``html`` with its class names (and ``ids``) replaced by meaningless ones."""
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")
    root = etree.fromstring(html.encode("utf-8"), parser)
    if root is None:
        return html
    for el in root.iter(etree.Element):
        cls = el.get("class")
        if cls:
            el.set("class", " ".join(_meaningless(t) for t in cls.split()))
        ident = el.get("id")
        if ids and ident:
            el.set("id", _meaningless(ident))
        for attr in _ID_REFERENCES if ids else ():
            # what names an id names the new one, as a template's own references would
            refs = el.get(attr)
            if refs:
                el.set(attr, " ".join(_meaningless(t) for t in refs.split()))
    return etree.tostring(root, encoding="unicode", method="html")


def _variant_html(html: str, variant: str) -> str:
    if variant == "as saved":
        return html
    return scrambled(html, ids=variant == "class names and ids unknown")


@dataclass
class Tally:
    """Right of labelled over one set (or the zoo) in one variant, and the misses."""

    labelled: int = 0
    found: int = 0
    author: int = 0
    time: int = 0
    timed: int = 0  # found comments whose label has a time
    text: int = 0
    invented: int = 0  # comments given to the pages without any
    misses: list[str] = field(default_factory=list)


def _found_comments(path: Path, variant: str) -> list[FoundComment]:
    """The comments of one page file as the pipeline extracts them from ``variant``."""
    for item in iter_sources([path]):
        if isinstance(item, SourceDocument):
            html = _variant_html(decode_page(item.data, item.charset).text, variant)
            document = replace(item, data=html.encode("utf-8"), charset="utf-8")
            return _as_found(extract(document))
    raise SystemExit(f"{path} cannot be read")


@functools.cache
def score(folder: Path, variant: str) -> Tally:
    """Every labelled page of one set in one variant (kept: the gate tests ask twice)."""
    tally = Tally()
    for gold in comment_golds(folder):
        comments = _found_comments(folder / gold["file"], variant)
        s = score_page(gold, comments)
        tally.invented += 0 if gold["comments"] else len(comments)
        tally.labelled += s["gold"]
        tally.found += s["matched"]
        tally.author += s["author"]
        tally.time += s["time"]
        tally.timed += s["time_n"]
        tally.text += s["text"]
        tally.misses += _comment_misses(gold, comments)
    return tally


@functools.cache
def score_zoo(variant: str) -> Tally:
    """The template zoo in one variant: a comment is found when one starts with its expected
    words, else when one unused has its author (its text then counts as wrong)."""

    def comments(name: str) -> list[FoundComment]:
        html = _variant_html(decode_page((ZOO / name).read_bytes(), None).text, variant)
        return find_comments(html, captured_at=CAPTURED)

    tally = Tally()
    for name, expected in EXPECTED.items():
        got = comments(name)
        used: set[int] = set()
        pairs: dict[int, int] = {}
        for want_i, (_author, _time, start, _parent) in enumerate(expected):
            at = next(
                (i for i, c in enumerate(got) if i not in used and c.text.startswith(start)), None
            )
            if at is not None:
                used.add(at)
                pairs[want_i] = at
        for want_i, (want_author, _time, _start, _parent) in enumerate(expected):
            if want_i in pairs:
                continue
            at = next(
                (i for i, c in enumerate(got) if i not in used and c.author == want_author), None
            )
            if at is not None:
                used.add(at)
                pairs[want_i] = at
        for want_i, (want_author, want_time, start, _parent) in enumerate(expected):
            tally.labelled += 1
            where = f"{name} #{want_i}"
            if want_i not in pairs:
                tally.misses.append(f"{where}: missed ({want_author!r}, {start[:40]!r})")
                continue
            match = got[pairs[want_i]]
            tally.found += 1
            tally.author += match.author == want_author
            tally.timed += 1
            tally.time += _same_time(match.published, want_time)
            tally.text += match.text.startswith(start)
            if match.author != want_author:
                tally.misses.append(f"{where}: author {want_author!r} got {match.author!r}")
            if not match.text.startswith(start):
                got_text = " ".join(match.text.split())[:40]
                tally.misses.append(f"{where}: text {start[:40]!r} got {got_text!r}")
            if not _same_time(match.published, want_time):
                got_time = match.published.isoformat() if match.published else None
                tally.misses.append(f"{where}: time {want_time} got {got_time}")
    tally.invented = sum(len(comments(name)) for name in EMPTY)
    for name in EMPTY:
        if n := len(comments(name)):
            tally.misses.append(f"{name}: {n} comments on a page without any")
    return tally


def _cell(right: int, of: int) -> str:
    return f"{right}/{of} ({right / of:.0%})" if of else "n/a"


def _row(tally: Tally) -> list[str]:
    return [
        _cell(tally.found, tally.labelled),
        _cell(tally.author, tally.labelled),
        _cell(tally.time, tally.timed),
        _cell(tally.text, tally.labelled),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--no-misses", action="store_true", help="leave out the list of misses, page by page"
    )
    args = parser.parse_args(argv)
    misses: dict[str, list[str]] = {}
    heads = ("found", "author", "time (of found, timed)", "text (first 60)")
    print(
        "| variant | "
        + " | ".join(f"set {n} {h}" for n in (1, 2) for h in heads)
        + " | comments on the 30 pages without any |"
    )
    print("| --- |" + " ---: |" * 9)
    for variant in VARIANTS:
        cells: list[str] = []
        invented = 0
        for name, folder in (("set 1", PAGES), ("set 2", PAGES2)):
            tally = score(folder, variant)
            cells += _row(tally)
            invented += tally.invented
            if variant != "as saved":
                misses[f"{name}, {variant}"] = tally.misses
        print(f"| {variant} | " + " | ".join(cells) + f" | {invented} |")
    print()
    print(
        "| variant | zoo found | zoo author | zoo time | zoo text start | comments on the empty zoo pages |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for variant in VARIANTS:
        tally = score_zoo(variant)
        if variant != "as saved":
            misses[f"zoo, {variant}"] = tally.misses
        print(
            f"| {variant} | " + " | ".join(_row(tally)) + f" | {tally.invented} on {len(EMPTY)} |"
        )
    if not args.no_misses:
        for name, lines in misses.items():
            print(f"\nmisses, {name} ({len(lines)}; gold vs got):")
            for line in lines:
                print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
