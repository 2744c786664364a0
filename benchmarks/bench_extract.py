"""Extraction speed on the dev pages: corpsearch next to trafilatura alone.

Pages: the article-extraction benchmark and both comment-page sets in ``shared/data`` next to
the checkout (266 pages; ``--every N`` takes every Nth). For each page, CPU milliseconds on one
core (the process pins itself to one) of

* ``corpsearch``: ``corpsearch.extract.extract`` on the page as ``iter_sources`` read it (the
  whole pipeline: characters, parsing, metadata, date, body, comments, records);
* ``trafilatura``: ``trafilatura.bare_extraction`` on the decoded text with the options
  corpsearch uses for the body (precision, fast, no comments), i.e. the body extractor alone;
* ``trafilatura default``: ``trafilatura.extract`` with its default options.

The three are interleaved page by page and each page is run ``--repeat`` times (default 3),
keeping the fastest: other load on a shared machine only ever adds time, so the minimum is the
steadiest figure. The medians over pages are printed, with the load average.

``--stages`` adds where corpsearch's time goes (mean ms per page of each step, by timing the
step functions). ``--write`` adds the figures to ``benchmarks/results/extract.md`` as its
first section, dated, above the earlier runs (which it keeps).

``--corpus DIR`` measures ``--sample`` pages of a generated corpus (gen_corpus.py), evenly
spread, instead of the dev pages. ``bench_extract_versions.py`` compares two versions of
corpsearch the same way.

Run ``PYTHONPATH=src python benchmarks/bench_extract.py --stages --write``.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpsearch.extract import ExtractOptions, decode, extract  # noqa: E402
from corpsearch.sources import SourceDocument, iter_sources  # noqa: E402
from score_bodies import BENCH, PAGES  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "extract.md"
SETS = (BENCH / "html", PAGES, PAGES.parent / "comment-pages-2")

# (module, function, label): the steps of corpsearch.extract.extract, in pipeline order; a
# label starting with "  " is a part of the step above it
STAGES = (
    ("corpsearch.extract", "decode_page", "characters (decode_page)"),
    ("corpsearch.extract", "flatten_deep", "depth scan of the markup (flatten_deep)"),
    ("corpsearch.extract", "parse_html", "parsing (lxml, once per page)"),
    ("corpsearch.extract.article", "_parse", "parsing for the article (trafilatura's loader)"),
    ("corpsearch.extract", "deepcopy", "copy of the tree for the comments"),
    ("corpsearch.extract", "_profile_for", "site profile match"),
    ("corpsearch.extract", "extract_with_profile", "site profile extraction (profile pages)"),
    ("corpsearch.extract.article", "read_metadata", "metadata (JSON-LD, meta, microdata, h1)"),
    ("corpsearch.extract.body", "_trafilatura_paragraphs", "body"),
    ("corpsearch.extract.body", "_merge_split_bodies", "  joining split bodies"),
    ("corpsearch.extract.body", "_drop_hidden", "  removing hidden elements"),
    ("corpsearch.extract.body", "body_tree", "  trafilatura's steps (boilerplate.body_tree)"),
    ("corpsearch.extract.body", "_serialise", "  trimming and text"),
    ("corpsearch.extract.body", "_trim_head", "  head of the body"),
    ("corpsearch.extract.article", "_published", "publication date"),
    ("corpsearch.extract.article", "_language", "article language"),
    ("corpsearch.extract", "find_comments", "comments"),
    ("corpsearch.extract", "assemble", "records (ids, quotes, comment languages)"),
)


def documents(every: int) -> list[tuple[str, SourceDocument]]:
    paths = [p for folder in SETS for p in sorted(folder.glob("*.htm*"))][::every]
    found = []
    for path in paths:
        for item in iter_sources([path]):
            if isinstance(item, SourceDocument):
                found.append((path.name, item))
    return found


def _cpu_ms(call: Callable[[], object]) -> float:
    start = time.process_time()
    call()
    return (time.process_time() - start) * 1000


def measure(docs: list[tuple[str, SourceDocument]], repeat: int) -> dict[str, list[float]]:
    """The fastest of ``repeat`` runs per page of each candidate, interleaved page by page."""
    import trafilatura

    options = ExtractOptions()
    texts = [decode(doc.data, doc.charset) for _name, doc in docs]
    candidates: dict[str, Callable[[int], object]] = {
        "corpsearch": lambda i: extract(docs[i][1], options),
        "trafilatura": lambda i: trafilatura.bare_extraction(
            texts[i], include_comments=False, favor_precision=True, fast=True
        ),
        "trafilatura default": lambda i: trafilatura.extract(texts[i]),
    }
    for call in candidates.values():  # load models and caches before timing
        call(0)
    best: dict[str, list[float]] = {name: [] for name in candidates}
    for i in range(len(docs)):
        for name, call in candidates.items():
            best[name].append(min(_cpu_ms(functools.partial(call, i)) for _ in range(repeat)))
    return best


def stages(docs: list[tuple[str, SourceDocument]]) -> tuple[list[tuple[str, float]], float]:
    """Mean CPU ms per page of each step of corpsearch's extraction, and of the whole."""
    spent: dict[str, float] = defaultdict(float)
    undo: list[tuple[Any, str, Any]] = []

    def timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - start

        return wrapper

    for module_name, attribute, label in STAGES:
        module = importlib.import_module(module_name)
        original = getattr(module, attribute, None)
        if original is None:  # a step this version does not have
            continue
        undo.append((module, attribute, original))
        setattr(module, attribute, timed(label, original))
        spent[label] = 0.0
    options = ExtractOptions()
    try:
        extract(docs[0][1], options)
        spent.update(dict.fromkeys(spent, 0.0))
        total = sum(_cpu_ms(functools.partial(extract, doc, options)) for _name, doc in docs)
    finally:
        for module, attribute, original in undo:
            setattr(module, attribute, original)
    pages = len(docs)
    rows = [(label, spent[label] * 1000 / pages) for _m, _a, label in STAGES if label in spent]
    return rows, total / pages


def corpus_documents(files: list[Path]) -> list[tuple[str, SourceDocument]]:
    """Pages of a generated corpus, read as ``iter_sources`` reads them."""
    return [
        (Path(item.ref.path).name, item)
        for item in iter_sources(files)
        if isinstance(item, SourceDocument)
    ]


def profile_top(call: Callable[[], object], count: int = 12) -> list[str]:
    """cProfile's ``count`` functions with the most time of their own in ``call``, as lines of
    own seconds, cumulative seconds, calls and where."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (file, line, name), (_pc, calls, own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{Path(file).parent.name}/{Path(file).name}:{line}({name})" if line else name
        rows.append((own, cumulative, calls, where))
    rows.sort(reverse=True)
    total = sum(row[0] for row in rows) or 1.0
    return [
        f"{own:.3f} s own ({own / total:.0%}), {cum:.3f} s cumulative, {calls} calls: {where}"
        for own, cum, calls, where in rows[:count]
    ]


def extraction_figures(docs: list[tuple[str, SourceDocument]], repeat: int) -> dict[str, Any]:
    """Median CPU ms/page of corpsearch and of trafilatura alone (interleaved, fastest of
    ``repeat``), where corpsearch's time goes, and its cProfile top entries."""
    best = measure(docs, repeat)
    ratio = statistics.median(
        c / t for c, t in zip(best["corpsearch"], best["trafilatura"], strict=True) if t
    )
    rows, total = stages(docs)
    options = ExtractOptions()

    def all_pages() -> None:
        for _name, doc in docs:
            extract(doc, options)

    return {
        "pages": len(docs),
        "repeat": repeat,
        "median_ms": {name: statistics.median(times) for name, times in best.items()},
        "mean_ms": {name: statistics.fmean(times) for name, times in best.items()},
        "ratio_to_trafilatura": ratio,
        "stages_ms": rows,
        "stages_total_ms": total,
        "profile": profile_top(all_pages),
        "load": round(os.getloadavg()[0], 2),
    }


def report(
    best: dict[str, list[float]],
    pages: str,
    repeat: int,
    stage_rows: tuple[list[tuple[str, float]], float] | None,
) -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python benchmarks/bench_extract.py`"
        f" on {pages}, one core of "
        f"{os.cpu_count()}, Python {platform.python_version()}; fastest of {repeat} runs per "
        f"page, candidates interleaved; load average {load} at the end.",
        "",
        "| extractor | median ms/page | mean | 90th percentile |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, times in best.items():
        ordered = sorted(times)
        p90 = ordered[int(0.9 * (len(ordered) - 1))]
        lines.append(
            f"| {name} | {statistics.median(times):.1f} | {statistics.fmean(times):.1f} "
            f"| {p90:.1f} |"
        )
    ratio = statistics.median(
        c / t for c, t in zip(best["corpsearch"], best["trafilatura"], strict=True) if t
    )
    lines += [
        "",
        f"corpsearch / trafilatura alone, median of the per-page ratios: {ratio:.2f}",
    ]
    if stage_rows is not None:
        rows, total = stage_rows
        lines += [
            "",
            f"Where corpsearch's time goes (mean ms per page, one run, {total:.1f} ms in all):",
            "",
            "| step | mean ms/page | share |",
            "| --- | ---: | ---: |",
        ]
        for label, ms in rows:
            shown = label.replace("  ", "… ", 1) if label.startswith("  ") else label
            lines.append(f"| {shown} | {ms:.2f} | {ms / total:.0%} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=int, default=1, help="take every Nth page")
    parser.add_argument("--repeat", type=int, default=3, help="runs per page (fastest kept)")
    parser.add_argument("--stages", action="store_true", help="time each step of corpsearch")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.name}")
    parser.add_argument("--corpus", type=Path, help="a generated corpus instead of the dev pages")
    parser.add_argument("--sample", type=int, default=100, help="corpus pages, evenly spread")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    if args.corpus is not None:
        from bench_build import page_files, spread

        docs = corpus_documents(spread(page_files(args.corpus), args.sample))
        what = f"{len(docs)} pages of the generated corpus {args.corpus.name}"
    else:
        docs = documents(args.every)
        what = f"{len(docs)} pages (article benchmark and both comment-page sets)"
    best = measure(docs, args.repeat)
    stage_rows = stages(docs) if args.stages else None
    text = report(best, what, args.repeat, stage_rows)
    print(text)
    if args.write:
        write_results(RESULTS, text)
    return 0


def write_results(path: Path, text: str) -> None:
    """Put ``text`` as the newest section of the results file, under its title, keeping every
    earlier section below it (the file is the history of the measurements)."""
    title = "# Extraction speed"
    earlier = path.read_text(encoding="utf-8") if path.exists() else ""
    earlier = earlier.removeprefix(title).lstrip("\n")
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    section = f"## Run of {stamp}\n\n{text}\n"
    path.write_text(f"{title}\n\n{section}\n{earlier}".rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
