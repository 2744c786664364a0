"""Score the whole extraction pipeline on the held-out pages (``fixtures/heldout``).

The pages were written by the project in the markup of public templates that the dev sets do
not hold (WordPress themes' comment callbacks, Drupal 6 and 7 comment templates, BlogEngine,
pH7CMS, a newspaper layout), each in a realistic page with its own headline and dateline (see
``fixtures/README.md``). They measure the families of differences of issue-style unseen pages:
a site name in the first ``h1``, a kicker glued to the headline, dates only in the URL or after
an image caption's date, numeric dates to read day or month first, UTC machine dates beside the
page's local ones, authors named by a "says" verb in another language, a prose footer or a plain
link, comment titles and moderation notices, date-only machine values, last-edited times.

Labels are in ``fixtures/heldout/gold.jsonl`` in the fields of the first comment-page set. The
figures are printed as ``score_extraction.py`` prints them, then every miss.

Run ``python benchmarks/score_heldout.py`` from the repository root; ``--prefix ha5_`` scores
only the pages whose file name starts so (one set, for its first-contact figure).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from score_extraction import LABELS, _cell, comment_golds, run_pages, score_comment_pages  # noqa: E402

HELDOUT = ROOT / "fixtures" / "heldout"


def score(prefix: str = "") -> tuple[dict[str, tuple[int, int]], list[str]]:
    """(right, of) per measure over the held-out pages (those whose name starts with
    ``prefix``), and the misses."""
    golds = [gold for gold in comment_golds(HELDOUT) if gold["file"].startswith(prefix)]
    run = run_pages(HELDOUT / gold["file"] for gold in golds)
    misses: list[str] = [f"{name}: {reason}" for name, reason in run.failures.items()]
    return score_comment_pages(run, golds, misses), misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", default="", help="score only the pages whose name starts so")
    args = parser.parse_args(argv)
    tally, misses = score(args.prefix)
    print(f"held-out pages ({tally['read'][1]} pages, every comment labelled):\n")
    print("| measure | held out |\n| --- | ---: |")
    for key, label in LABELS:
        if key in tally:
            print(f"| {label} | {_cell(tally[key])} |")
    false = tally.get("false", (0, 0))
    print(f"| false comments (of output) | {false[0]} of {false[1]} |")
    invented = tally.get("invented", (0, 0))
    print(f"| comments given to the pages without any | {invented[0]} on {invented[1]} pages |")
    print(f"\nmisses ({len(misses)}; gold vs got):")
    for line in misses:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
