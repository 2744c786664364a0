"""Score the whole extraction pipeline on real pages, as ``corpsearch extract`` runs it.

Every page is read by ``corpsearch.sources.iter_sources`` and turned into an article by
``corpsearch.extract.extract`` (profiles, then embedded metadata, then generic extraction).
Scored on ``shared/data`` next to the checkout:

* ``article-extraction-benchmark``: body F1 by the benchmark's published method
  (``score_bodies.page_scores`` / ``score_bodies.prf``), and headline exact and publication day
  against the project's labels of its pages (``benchmarks/article_benchmark_fields.jsonl``: the
  benchmark itself labels only the body; see ``benchmarks/README.md``);
* ``comment-pages`` (set 1, every comment labelled) and ``comment-pages-2`` (set 2, other sites,
  the first three comments of a page labelled): headline exact, publication day, first and last
  body sentence, and the comments (``score_comments.score_page``: found, right author, right time,
  right text, false comments, comments on the pages without any), per set and both together.
  Every miss is listed after the table, set by set and page by page: a labelled comment not
  found, a wrong author, time or text start (gold vs got), a wrong headline or day (gold vs
  got); ``--no-misses`` leaves the list out.

Then the median CPU milliseconds per page on one core, and pages per second with every core
(a process pool over all pages; ``--no-speed`` leaves the pool out). ``--write`` puts the table
into docs/extraction.md.

Run ``python benchmarks/score_extraction.py --write``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpsearch.extract import extract  # noqa: E402
from corpsearch.extract.comments import FoundComment  # noqa: E402
from corpsearch.records import Article  # noqa: E402
from corpsearch.sources import SourceDocument, iter_sources  # noqa: E402
from score_bodies import BENCH, PAGES, _words, page_scores, prf  # noqa: E402
from score_comments import _time_ok, match_comments, score_page  # noqa: E402

PAGES2 = PAGES.parent / "comment-pages-2"
SETS = {"set 1": PAGES, "set 2": PAGES2}

FIELDS = ROOT / "benchmarks" / "article_benchmark_fields.jsonl"
DOC = ROOT / "docs" / "extraction.md"
COMMAND = "python benchmarks/score_extraction.py --write"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


@dataclass
class Run:
    """The articles of some page files, and the CPU ms each took (read + extract)."""

    articles: dict[str, Article] = field(default_factory=dict)  # file name -> article
    failures: dict[str, str] = field(default_factory=dict)
    ms: list[float] = field(default_factory=list)


def run_pages(paths: Iterable[Path]) -> Run:
    """Read and extract ``paths`` one after the other, as ``corpsearch extract`` does."""
    run = Run()
    for path in paths:
        start = time.process_time()
        for item in iter_sources([path]):
            if isinstance(item, SourceDocument):
                try:
                    run.articles[path.name] = extract(item)
                except Exception as error:  # a crash is a failure to score, not to hide
                    run.failures[path.name] = f"{type(error).__name__}: {error}"
            else:
                run.failures[path.name] = item.reason
        run.ms.append((time.process_time() - start) * 1000)
    return run


def benchmark_paths(names: Iterable[str] | None = None) -> list[Path]:
    if names is None:
        return sorted((BENCH / "html").glob("*.html.gz"))
    return [BENCH / "html" / f"{name}.html.gz" for name in names]


def comment_golds(folder: Path = PAGES) -> list[dict[str, Any]]:
    """The labels of a comment-page set, in set 1's field names (set 2 names a few differently
    and labels only the first three comments of a page, which ``comments_truncated`` says)."""
    lines = (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return [_as_set1(json.loads(line)) for line in lines if line]


def _as_set1(gold: dict[str, Any]) -> dict[str, Any]:
    if "date_published" not in gold:
        return gold
    comments = [
        {
            "author": c["author"],
            "published_shown": c["date_shown"],
            "published": c["date_iso"],
            "text_first60": c["text_first60"],
            "parent": None,  # not labelled in set 2; the parent figure is not reported
        }
        for c in gold["comments"]
    ]
    return {
        **gold,
        "published": gold["date_published"],
        "comments": comments,
        "comments_truncated": bool(comments),
    }


def score_benchmark(run: Run) -> dict[str, float]:
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    scores = []
    for file_name, article in run.articles.items():
        name = file_name.removesuffix(".html.gz")
        scores.append(page_scores(article.body, truth[name]["articleBody"]))
    for file_name in run.failures:
        name = file_name.removesuffix(".html.gz")
        scores.append(page_scores("", truth[name]["articleBody"]))
    f1, precision, recall = prf(scores)
    return {"pages": len(scores), "f1": f1, "precision": precision, "recall": recall}


def benchmark_fields(run: Run, misses: list[str] | None = None) -> dict[str, tuple[int, int]]:
    """(right, of) for the headline (exact) and the publication day on the benchmark's pages,
    against the project's labels; a page labelled with no day (the page does not say which
    of its dates is the publication) is left out of the day figure."""
    tally = {"headline": [0, 0], "date": [0, 0]}
    for line in FIELDS.read_text(encoding="utf-8").splitlines():
        if not line:
            continue
        gold = json.loads(line)
        name = f"{gold['page']}.html.gz"
        if name not in run.articles and name not in run.failures:
            continue  # a page this run did not take
        article = run.articles.get(name)
        got_day = article.published.date().isoformat() if article and article.published else None
        got_headline = article.headline if article else None
        checks = [("headline", gold["headline"], got_headline)]
        if gold["day"]:
            checks.append(("date", gold["day"], got_day))
        for key, want, got in checks:
            tally[key][0] += got == want
            tally[key][1] += 1
            if got != want and misses is not None:
                word = "day" if key == "date" else key
                misses.append(f"{gold['page'][:12]}: {word} {want!r} got {got!r}")
    return {key: (v[0], v[1]) for key, v in tally.items()}


def _as_found(article: Article) -> list[FoundComment]:
    """The article's comments in the shape score_comments.score_page compares."""
    position = {c.id: i for i, c in enumerate(article.comments)}
    return [
        FoundComment(
            author=c.author,
            published=c.published,
            published_reason=None,
            text=c.text,
            quotes=c.quotes,
            parent=position.get(c.parent) if c.parent else None,
            depth=0,
            platform_id=c.platform_id,
            links=c.links,
        )
        for c in article.comments
    ]


def score_comment_pages(
    run: Run, golds: list[dict[str, Any]], misses: list[str] | None = None
) -> dict[str, tuple[int, int]]:
    """(right, of) for every measure on the comment pages; each miss is appended to ``misses``."""
    tally: dict[str, list[int]] = {}

    def count(key: str, ok: bool) -> None:
        right_of = tally.setdefault(key, [0, 0])
        right_of[0] += ok
        right_of[1] += 1

    for gold in golds:
        article = run.articles.get(gold["file"])
        if article is None:
            count("read", False)
            continue
        count("read", True)
        body = _words(article.body)
        count("headline", article.headline == gold["headline"])
        if article.headline != gold["headline"] and misses is not None:
            misses.append(f"{gold['file']}: headline {gold['headline']!r} got {article.headline!r}")
        if gold["published"]:
            got = article.published.date().isoformat() if article.published else None
            count("date", got == gold["published"][:10])
            if got != gold["published"][:10] and misses is not None:
                misses.append(f"{gold['file']}: day {gold['published'][:10]} got {got}")
        for key in ("body_first_sentence", "body_last_sentence"):
            if gold[key]:
                count(key, _words(gold[key]) in body)
        found = _as_found(article)
        s = score_page(gold, found)
        if misses is not None:
            misses.extend(_comment_misses(gold, found))
        tally.setdefault("output", [0, 0])[0] += len(found)
        tally["output"][1] += gold.get("n_comments", len(gold["comments"]))
        for key, of in (("matched", "gold"), ("author", "matched"), ("text", "matched")):
            right_of = tally.setdefault(key, [0, 0])
            right_of[0] += s[key]
            right_of[1] += s[of]
        right_of = tally.setdefault("time", [0, 0])
        right_of[0] += s["time"]
        right_of[1] += s["time_n"]
        if gold["comments"]:
            tally.setdefault("false", [0, 0])[0] += s["false"]
            tally["false"][1] += s["found"]
        else:
            tally.setdefault("invented", [0, 0])[0] += len(article.comments)
            tally["invented"][1] += 1
    return {key: (v[0], v[1]) for key, v in tally.items()}


def _comment_misses(gold: dict[str, Any], found: list[FoundComment]) -> list[str]:
    lines = []
    pairs = match_comments(gold["comments"], found)
    for gi, g in enumerate(gold["comments"]):
        where = f"{gold['file']} #{gi}"
        if gi not in pairs:
            lines.append(f"{where}: missed ({g['author']!r}, {g['text_first60'][:40]!r})")
            continue
        f = found[pairs[gi]]
        if f.author != g["author"]:
            lines.append(f"{where}: author {g['author']!r} got {f.author!r}")
        want, got_text = " ".join(g["text_first60"].split())[:60], " ".join(f.text.split())[:60]
        if got_text.rstrip() != want:
            lines.append(f"{where}: text {want[:40]!r} got {got_text[:40]!r}")
        if g["published"] and not _time_ok(f, g["published"]):
            got = f.published.isoformat() if f.published else None
            lines.append(f"{where}: time {g['published']} got {got}")
    if not gold["comments"] and found:
        lines.append(f"{gold['file']}: {len(found)} comments on a page without any")
    return lines


def _extract_one(path: Path) -> int:
    return sum(
        len(extract(item).comments) + 1
        for item in iter_sources([path])
        if isinstance(item, SourceDocument)
    )


def pages_per_second(paths: list[Path], workers: int) -> float:
    """Wall-clock throughput of a process pool of ``workers`` over ``paths``."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_extract_one, paths[:workers]))  # start the workers and load the models
        start = time.perf_counter()
        list(pool.map(_extract_one, paths, chunksize=2))
        return len(paths) / (time.perf_counter() - start)


def _pct(right: int, of: int) -> str:
    return f"{right / of:.1%}" if of else "n/a"


LABELS = (
    ("read", "pages read and extracted"),
    ("headline", "headline exact"),
    ("date", "publication day (dated pages)"),
    ("body_first_sentence", "first body sentence in body"),
    ("body_last_sentence", "last body sentence in body"),
    ("matched", "comments found (of labelled)"),
    ("author", "right author (of found)"),
    ("time", "right time (of found with a labelled time)"),
    ("text", "right text, first 60 characters (of found)"),
)


def combine(*tallies: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """The figures of several sets added up, measure by measure."""
    total: dict[str, tuple[int, int]] = {}
    for tally in tallies:
        for key, (right, of) in tally.items():
            was = total.get(key, (0, 0))
            total[key] = (was[0] + right, was[1] + of)
    return total


def _cell(figure: tuple[int, int] | None) -> str:
    if figure is None:
        return ""
    right, of = figure
    return f"{right}/{of} ({_pct(right, of)})"


def report(
    bench: dict[str, float],
    sets: dict[str, dict[str, tuple[int, int]]],
    timing: str,
    bench_fields: dict[str, tuple[int, int]] | None = None,
) -> str:
    names = list(sets)
    both = combine(*sets.values())
    columns = [*names, "both"]
    tallies = [*sets.values(), both]
    sizes = ", ".join(f"{name}: {sets[name]['read'][1]} pages" for name in names)
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d} with `{COMMAND}` on a machine with "
        f"{os.cpu_count()} cores.",
        "",
        f"article-extraction-benchmark ({bench['pages']:.0f} pages), body by 4-token shingles:",
        "",
        "| F1 | precision | recall |",
        "| ---: | ---: | ---: |",
        f"| {bench['f1']:.4f} | {bench['precision']:.4f} | {bench['recall']:.4f} |",
        "",
    ]
    if bench_fields:
        lines += [
            "its headlines and days, labelled by the project:",
            "",
            "| headline exact | publication day (dated pages) |",
            "| ---: | ---: |",
            f"| {_cell(bench_fields['headline'])} | {_cell(bench_fields['date'])} |",
            "",
        ]
    lines += [
        f"comment pages ({sizes}; set 2 labels the first three comments of a page):",
        "",
        "| measure | " + " | ".join(columns) + " |",
        "| --- |" + " ---: |" * len(columns),
    ]
    for key, label in LABELS:
        lines.append(f"| {label} | " + " | ".join(_cell(t.get(key)) for t in tallies) + " |")
    false = [t.get("false", (0, 0)) for t in tallies]
    lines.append(
        "| false comments on pages with comments (of output, set 2: of its first three) | "
        + " | ".join(f"{w} of {o}" for w, o in false)
        + " |"
    )
    out = [t.get("output", (0, 0)) for t in tallies]
    lines.append(
        "| comments output / present in the HTML | "
        + " | ".join(f"{o} / {n}" for o, n in out)
        + " |"
    )
    invented = [t.get("invented", (0, 0)) for t in tallies]
    lines.append(
        "| comments given to the pages without any | "
        + " | ".join(f"{i} on {n} pages" for i, n in invented)
        + " |"
    )
    lines += ["", timing]
    return "\n".join(lines)


def _write_doc(table: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{DOC} has no {START} … {END} block to fill")
    DOC.write_text(pattern.sub(lambda _: f"{START}\n{table}\n{END}", text), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--write", action="store_true", help="put the table into docs/extraction.md"
    )
    parser.add_argument(
        "--misses", action="store_true", help="list every miss, page by page (the default)"
    )
    parser.add_argument(
        "--no-misses", action="store_true", help="leave out the list of misses, page by page"
    )
    parser.add_argument(
        "--no-speed", action="store_true", help="leave out the pages-per-second runs"
    )
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    everything = None
    if hasattr(os, "sched_setaffinity"):
        everything = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {min(everything)})  # one core for the per-page times
    golds = {name: comment_golds(folder) for name, folder in SETS.items()}
    bench_run = run_pages(benchmark_paths())
    runs = {
        name: run_pages(SETS[name] / gold["file"] for gold in set_golds)
        for name, set_golds in golds.items()
    }
    if everything is not None:
        os.sched_setaffinity(0, everything)
    ms = bench_run.ms + [m for run in runs.values() for m in run.ms]
    paths = benchmark_paths() + [
        SETS[name] / gold["file"] for name, set_golds in golds.items() for gold in set_golds
    ]
    timing = (
        f"Speed (read + extract, every page above, {len(ms)} pages): median "
        f"{statistics.median(ms):.0f} ms CPU per page on one core (mean {statistics.fmean(ms):.0f}, "
        f"max {max(ms):.0f})"
    )
    if args.no_speed:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        timing += (
            f", load average {load:.1f}; `benchmarks/bench_extract.py` compares it with "
            "trafilatura alone in the same run."
        )
    else:
        one, rate = pages_per_second(paths, 1), pages_per_second(paths, cores)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        timing += (
            f"; wall clock {one:.1f} pages/s with one worker process, {rate:.1f} pages/s with a "
            f"process pool on all {cores} cores (load average {load:.1f} at the end)."
        )
    misses: dict[str, list[str]] = {name: [] for name in SETS}
    scores = {name: score_comment_pages(runs[name], golds[name], misses[name]) for name in SETS}
    misses["the article benchmark"] = []
    fields = benchmark_fields(bench_run, misses["the article benchmark"])
    table = report(score_benchmark(bench_run), scores, timing, fields)
    failures = {**bench_run.failures}
    for run in runs.values():
        failures.update(run.failures)
    print(table)
    for name, reason in failures.items():
        print(f"failed: {name}: {reason}")
    if not args.no_misses:
        for name, lines in misses.items():
            print(f"\nmisses, {name} ({len(lines)}; gold vs got):")
            for line in lines:
                print(f"  {line}")
    if args.write:
        _write_doc(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
