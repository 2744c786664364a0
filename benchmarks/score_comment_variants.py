"""How much comment extraction rests on the vocabulary of class names: both labelled comment-page
sets scored as saved, then with every class name replaced by a meaningless one (the same
replacement for the same name on a page, so the repetition of a template is kept), then with
the ids replaced too. Microdata, RDFa, tags, text and links stay as they are.

A page of a site nobody profiled uses class names nobody listed; the second and third rows show
what is left of the method when no listed name matches, the lower bound of what it does on
unseen templates. Scored with ``score_comments.score_page`` (found, right author; times are left
out, as relative dates need the capture time that only the pipeline has), and the comments
given to the pages that have none.

Run ``python benchmarks/score_comment_variants.py`` from the repository root, with ``shared/``
beside the checkout.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from lxml import etree  # noqa: E402

from corpsearch.extract.charset import decode_page  # noqa: E402
from corpsearch.extract.comments import FoundComment, find_comments  # noqa: E402
from score_comments import score_page  # noqa: E402
from score_extraction import PAGES, PAGES2, comment_golds  # noqa: E402

sys.path.insert(0, str(ROOT))
from tests.test_extract_zoo import EMPTY, EXPECTED, ZOO  # noqa: E402


def _meaningless(token: str) -> str:
    return "x" + hashlib.sha1(token.encode()).hexdigest()[:7]


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
    return etree.tostring(root, encoding="unicode", method="html")


def score(folder: Path, variant: str) -> tuple[int, int, int, int]:
    """(labelled, found, right author, comments given to pages without any) over one set."""
    labelled = found = author = invented = 0
    for gold in comment_golds(folder):
        html = decode_page((folder / gold["file"]).read_bytes(), None).text
        if variant != "as saved":
            html = scrambled(html, ids=variant == "class names and ids unknown")
        comments = find_comments(html)
        s = score_page(gold, comments)
        invented += 0 if gold["comments"] else len(comments)
        labelled += s["gold"]
        found += s["matched"]
        author += s["author"]
    return labelled, found, author, invented


def score_zoo(variant: str) -> tuple[int, int, int, int]:
    """The same over the template zoo (``fixtures/zoo``, its expectations in
    ``tests/test_extract_zoo.py``): a comment is found when one starts with its expected words."""
    captured = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)  # the zoo test's capture time

    def comments(name: str) -> list[FoundComment]:
        html = decode_page((ZOO / name).read_bytes(), None).text
        if variant != "as saved":
            html = scrambled(html, ids=variant == "class names and ids unknown")
        return find_comments(html, captured_at=captured)

    labelled = found = author = 0
    for name, expected in EXPECTED.items():
        got = comments(name)
        for want_author, _time, start, _parent in expected:
            labelled += 1
            match = next((c for c in got if c.text.startswith(start)), None)
            if match is not None:
                found += 1
                author += match.author == want_author
    invented = sum(len(comments(name)) for name in EMPTY)
    return labelled, found, author, invented


def main() -> int:
    print(
        "| variant | set 1 found | set 1 author | set 2 found | set 2 author "
        "| comments on the 30 pages without any |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for variant in ("as saved", "class names unknown", "class names and ids unknown"):
        cells = []
        invented = 0
        for folder in (PAGES, PAGES2):
            of, found, author, none = score(folder, variant)
            cells += [f"{found}/{of} ({found / of:.0%})", f"{author}/{of} ({author / of:.0%})"]
            invented += none
        print(f"| {variant} | " + " | ".join(cells) + f" | {invented} |")
    print()
    print("| variant | zoo found | zoo author | comments on the empty zoo pages |")
    print("| --- | ---: | ---: | ---: |")
    for variant in ("as saved", "class names unknown", "class names and ids unknown"):
        of, found, author, none = score_zoo(variant)
        print(
            f"| {variant} | {found}/{of} ({found / of:.0%}) | {author}/{of} ({author / of:.0%}) "
            f"| {none} on {len(EMPTY)} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
