"""Score the whole extraction pipeline on real pages never used in development
(``fixtures/realheld``).

The pages are test fixtures of public extraction projects (see ``fixtures/realheld/README.md``)
from sites that neither comment-page dev set holds, labelled by reading their HTML, in the fields
of the second dev set (the first three comments of a page, ``n_comments`` counted). No rule of
the extractor was written or tuned for them: their figure estimates how extraction does on sites
nobody profiled. The table has the measures of ``score_extraction.py`` (headline, day, body
sentences, comments found, author, time, text, false comments, comments on pages without any),
then every miss, page by page (gold vs got).

Run ``python benchmarks/score_realheld.py`` from the repository root.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from score_extraction import (  # noqa: E402
    LABELS,
    _cell,
    comment_golds,
    run_pages,
    score_comment_pages,
)

REALHELD = ROOT / "fixtures" / "realheld"


def score(
    folder: Path = REALHELD, prefix: str = ""
) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """(right, of) per measure over the pages never used in development, and the misses.

    ``folder`` holds the pages and their ``gold.jsonl``; ``prefix`` keeps only the pages whose
    name starts so (one round's pages, for its first contact).
    """
    golds = [gold for gold in comment_golds(folder) if gold["file"].startswith(prefix)]
    run = run_pages(folder / gold["file"] for gold in golds)
    misses: list[str] = [f"{name}: {reason}" for name, reason in run.failures.items()]
    return score_comment_pages(run, golds, misses), misses


def report(tally: dict[str, tuple[int, int]]) -> str:
    with_comments = tally.get("false", (0, 0))
    output = tally.get("output", (0, 0))
    invented = tally.get("invented", (0, 0))
    lines = [
        f"real pages never used in development ({tally['read'][1]} pages; the first three "
        "comments of a page labelled):",
        "",
        "| measure | realheld |",
        "| --- | ---: |",
    ]
    lines += [f"| {label} | {_cell(tally[key])} |" for key, label in LABELS if key in tally]
    lines += [
        f"| false comments on pages with comments (of their first three) | "
        f"{with_comments[0]} of {with_comments[1]} |",
        f"| comments output / present in the HTML | {output[0]} / {output[1]} |",
        f"| comments given to the pages without any | {invented[0]} on {invented[1]} pages |",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dir", type=Path, default=REALHELD, help="a folder of pages with their gold.jsonl"
    )
    parser.add_argument("--prefix", default="", help="score only the pages whose name starts so")
    args = parser.parse_args()
    tally, misses = score(args.dir, args.prefix)
    print(report(tally))
    print(f"\nmisses ({len(misses)}; gold vs got):")
    for line in misses:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
