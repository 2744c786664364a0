"""Where extraction spends its time, function by function: cProfile over the dev pages.

    PYTHONPATH=src python benchmarks/profile_extract.py --top 40

Profiles ``corpsearch.extract.extract`` on the pages ``bench_extract.py`` times (the article
benchmark and both comment-page sets in ``shared/data``; ``--every N`` takes every Nth,
``--set`` one of ``articles``, ``comments``), after one page has loaded the models, and prints
the functions by their own time and by their time with what they call. cProfile's cost per
call weighs on small Python functions: compare functions with each other, and measure a change
with ``bench_extract_versions.py``. ``--out FILE`` keeps the profile for ``pstats``.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_extract import SETS, documents  # noqa: E402
from corpsearch.extract import ExtractOptions, extract  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=int, default=1, help="take every Nth page")
    parser.add_argument("--set", choices=("articles", "comments"), help="one kind of page only")
    parser.add_argument("--top", type=int, default=30, help="functions to list in each order")
    parser.add_argument("--out", type=Path, help="write the profile here (pstats format)")
    args = parser.parse_args(argv)
    docs = documents(args.every)
    if args.set is not None:
        want_articles = args.set == "articles"
        docs = [(n, d) for n, d in docs if (Path(d.ref.path).parent == SETS[0]) == want_articles]
    if not docs:
        raise SystemExit("no pages: is shared/data next to the checkout?")
    options = ExtractOptions()
    extract(docs[0][1], options)  # models and caches loaded before profiling
    profile = cProfile.Profile()
    profile.enable()
    for _name, doc in docs:
        extract(doc, options)
    profile.disable()
    if args.out is not None:
        profile.dump_stats(args.out)
    print(f"{len(docs)} pages")
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
