"""docs/benchmarks.md from every results file in benchmarks/results/ (one per corpus size).

Figures at a size that was not measured (100k pages, the target size) are extrapolated from the
two largest measured sizes with a power law (value ∝ pages^k, k from their ratio), and marked so.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_queries import QUERY_TYPES

__all__ = ["write_report"]

TARGET_PAGES = 100_000
MB = 1024 * 1024
Result = dict[str, Any]

# (label, value, unit, higher is better)
FIGURES: list[tuple[str, Callable[[Result], float], str, bool]] = [
    ("extraction, 1 core", lambda r: r["pages"] / r["extract_1core"]["seconds"], "pages/s", True),
    (
        "extraction, all cores",
        lambda r: r["pages"] / r["extract_all_cores"]["seconds"],
        "pages/s",
        True,
    ),
    (
        "indexing extracted records (whoosh writer)",
        lambda r: r["documents"] / r["index_records"]["seconds"],
        "documents/s",
        True,
    ),
    (
        "indexing the same documents (SQLite FTS5)",
        lambda r: r["documents"] / r["fts5"]["index_seconds"],
        "documents/s",
        True,
    ),
    (
        "end to end, files → searchable (`Index.add`)",
        lambda r: r["pages"] / r["end_to_end"]["seconds"],
        "pages/s",
        True,
    ),
    ("full build (`Index.add`)", lambda r: r["end_to_end"]["seconds"], "s", False),
    ("rerun, 1% of pages changed", lambda r: r["rerun"]["seconds"], "s", False),
    ("rerun / full build", lambda r: 100 * _rerun_share(r), "%", False),
    ("peak memory of the build", lambda r: r["end_to_end"]["peak_rss_bytes"] / MB, "MB", False),
    ("index size on disk", lambda r: r["index_bytes"] / MB, "MB", False),
    ("SQLite FTS5 database size", lambda r: r["fts5"]["bytes"] / MB, "MB", False),
]


def _rerun_share(r: Result) -> float:
    return float(r["rerun"]["seconds"] / r["end_to_end"]["seconds"])


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def _project(results: list[Result], value: Callable[[Result], float]) -> tuple[float, bool]:
    """The value at TARGET_PAGES: measured if there is such a result, else extrapolated."""
    for r in results:
        if r["pages"] == TARGET_PAGES:
            return value(r), True
    if len(results) < 2:
        return value(results[-1]), False
    a, b = results[-2], results[-1]
    va, vb = value(a), value(b)
    if va <= 0 or vb <= 0:
        return vb, False
    k = math.log(vb / va) / math.log(b["pages"] / a["pages"])
    return vb * (TARGET_PAGES / b["pages"]) ** k, False


def _growth(results: list[Result], value: Callable[[Result], float]) -> str:
    if len(results) < 2 or value(results[0]) == 0:
        return "–"
    return f"×{value(results[-1]) / value(results[0]):.2f}"


def _size(r: Result) -> str:
    return f"{r['pages'] // 1000}k" if r["pages"] % 1000 == 0 else str(r["pages"])


def _targets(results: list[Result]) -> list[str]:
    measured = any(r["pages"] == TARGET_PAGES for r in results)
    how = "measured" if measured else "extrapolated from the two largest sizes measured"
    # A rate that rose between two noisy sizes is not extrapolated upwards.
    e2e = min(_project(results, FIGURES[4][1])[0], FIGURES[4][1](results[-1]))
    share, _ = _project(results, lambda r: 100 * _rerun_share(r))
    peak, _ = _project(results, lambda r: r["end_to_end"]["peak_rss_bytes"] / MB)
    worst_type, worst_p95 = "", 0.0
    for kind in QUERY_TYPES:
        p95, _ = _project(results, lambda r, k=kind: r["queries"][k]["p95_ms"])
        if p95 > worst_p95:
            worst_type, worst_p95 = kind, p95

    def verdict(ok: bool) -> str:
        return "**met**" if ok else "**not met**"

    lines = [
        f"## Targets at 100k pages on 2 cores ({how})",
        "",
        "| target | at 100k pages | verdict |",
        "| --- | --- | --- |",
        f"| end to end ≥ 100 pages/s | {_fmt(e2e)} pages/s ({_fmt(100 / e2e)}× too slow) "
        f"| {verdict(e2e >= 100)} |",
        f"| query p95 ≤ 100 ms for every type | worst: {worst_type}, {_fmt(worst_p95)} ms "
        f"| {verdict(worst_p95 <= 100)} |",
        f"| rerun with 1% changed ≤ 5% of a full build | {_fmt(share)}% | {verdict(share <= 5)} |",
        f"| peak memory ≤ 1.5 GB | {_fmt(peak)} MB | {verdict(peak <= 1536)} |",
    ]
    r = results[-1]
    extract_1 = r["pages"] / r["extract_1core"]["seconds"]
    extract_all = r["pages"] / r["extract_all_cores"]["seconds"]
    per_page = r["documents"] / r["pages"]
    index_pages = r["documents"] / r["index_records"]["seconds"] / per_page
    serial = 1 / (1 / extract_1 + 1 / index_pages)
    lines += [
        "",
        f"What limits the build (at {_size(r)} pages): `Index.add` extracts ({_fmt(extract_1)} "
        f"pages/s on one core) and then indexes ({_fmt(index_pages)} pages/s = "
        f"{_fmt(index_pages * per_page)} documents/s at {per_page:.1f} documents per page) in one "
        f"process, one after the other: 1 / (1/{_fmt(extract_1)} + 1/{_fmt(index_pages)}) = "
        f"{_fmt(serial)} pages/s (measured end to end: {_fmt(FIGURES[4][1](r))}). Extracting on "
        f"all cores reaches {_fmt(extract_all)} pages/s, so even with that, whoosh's writer alone "
        f"caps the build at {_fmt(index_pages)} pages/s. 100 pages/s needs both an engine that "
        f"indexes well over {_fmt(100 * per_page)} documents/s (the tantivy engine; SQLite FTS5 "
        "indexes the same documents in the table above at the rates shown) and extraction on "
        f"all cores at ≥ 100 pages/s (×{100 / extract_all:.1f} the measured rate: a faster "
        "parser than BeautifulSoup, or fewer passes over each page).",
    ]
    return lines


def write_report(report: Path, results_dir: Path) -> None:
    results = sorted(
        (json.loads(p.read_text(encoding="utf-8")) for p in results_dir.glob("*.json")),
        key=lambda r: r["pages"],
    )
    if not results:
        raise SystemExit(f"no results in {results_dir}; run the benchmarks first")
    last = results[-1]
    machine = last["machine"]
    sizes = [_size(r) for r in results]
    out: list[str] = [
        "# Benchmarks",
        "",
        "Written by `benchmarks/run_benchmarks.py` (run with `make bench`; "
        "`make bench BENCH_SIZES=1000,10000,100000` for more sizes). Do not edit by hand.",
        "",
        f"Machine: {machine['cores']} cores, Python {machine['python']}, {machine['platform']}, "
        f"SQLite {last['fts5']['sqlite_version']}. The machine is shared: load average "
        f"{', '.join(f'{x:.1f}' for x in machine['load_average'])} at the end of the "
        f"{_size(last)} run, so absolute times are pessimistic; compare the ratios, which were "
        "measured in the same run.",
        "",
        "## Corpora",
        "",
        "Generated by `benchmarks/gen_corpus.py` (seed 42; see benchmarks/README.md).",
        "",
        "| pages | documents | articles | comments | build runs (median) | commit | whoosh segments |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        out.append(
            f"| {r['pages']:,} | {r['documents']:,} | {r['documents'] - r['comments']:,} "
            f"| {r['comments']:,} | {r['runs']} | {r.get('commit', '?')} "
            f"| {r.get('whoosh_segments', 'compound')} |"
        )
    out += [
        "",
        "## Building",
        "",
        "Extraction is `corpsearch.extract.extract` over `sources.iter_sources` (all cores: a "
        "`ProcessPoolExecutor`, pool start-up included). Indexing takes the already extracted "
        "records into a fresh index through the engine writer (`documents_of`, one commit). End to "
        "end is `Index.create(...).add(files)` in a fresh process, whose peak resident memory "
        "(`ru_maxrss`) is the peak memory. The rerun changes 1% of the HTML files (one sentence "
        "added) and times `Index.add` over just those files on the built index.",
        "",
        "| figure | " + " | ".join(sizes) + " | growth |",
        "| --- | " + " | ".join("---" for _ in sizes) + " | --- |",
    ]
    for label, value, unit, _ in FIGURES:
        cells = " | ".join(_fmt(value(r)) for r in results)
        out.append(f"| {label} ({unit}) | {cells} | {_growth(results, value)} |")
    out += ["", "Ratios in the same run:", ""]
    for r in results:
        speedup = r["extract_1core"]["seconds"] / r["extract_all_cores"]["seconds"]
        fts = r["index_records"]["seconds"] / r["fts5"]["index_seconds"]
        share_extract = r["extract_1core"]["seconds"] / r["end_to_end"]["seconds"]
        out.append(
            f"- {_size(r)}: all cores extract ×{speedup:.2f} faster than one; whoosh indexing "
            f"takes ×{fts:.0f} the time of FTS5; extraction is {share_extract:.0%} of the "
            f"end-to-end time on one core."
        )
    out += [
        "",
        "## Queries",
        "",
        "Latency of `Index.search(query, limit=10)` (top 10 with snippets and the total) on the "
        "end-to-end index, and of the same question in SQLite FTS5 (top 10 by bm25 with a snippet, "
        "plus a count). Queries are drawn from the corpus: common words are among the 100 words "
        "in most documents, rare ones in at most 3 documents, phrases are 3 consecutive words of a "
        "document, authors are drawn from the manifest's comments (as often as they write), date "
        "ranges are 30 days (alone) or a year (with a word or phrase; the phrase+author query "
        "takes its three parts from one comment).",
        "",
    ]
    for r in results:
        out += [
            f"### {_size(r)} pages ({r['documents']:,} documents), "
            f"{r['queries'][QUERY_TYPES[0]]['queries']} queries per type",
            "",
            "| query type | median ms | p95 ms | FTS5 median ms | FTS5 p95 ms | p95 ratio "
            "| with hits |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for kind in QUERY_TYPES:
            q, f = r["queries"][kind], r["fts5"]["queries"][kind]
            out.append(
                f"| {kind} | {_fmt(q['median_ms'])} | {_fmt(q['p95_ms'])} "
                f"| {_fmt(f['median_ms'])} | {_fmt(f['p95_ms'])} "
                f"| ×{q['p95_ms'] / f['p95_ms']:.0f} | {q['with_hits']:.0%} |"
            )
        out.append("")
    if len(results) >= 2:
        out += ["Growth of the p95 from the smallest to the largest size:", ""]
        out.append(
            ", ".join(
                f"{kind} {_growth(results, lambda r, k=kind: r['queries'][k]['p95_ms'])}"
                for kind in QUERY_TYPES
            )
            + "."
        )
        out.append("")
    out += ["Examples of the queries:", ""]
    for kind, texts in last["query_examples"].items():
        out.append(f"- {kind}: " + ", ".join(f"`{t}`" for t in texts))
    out += ["", *_targets(results), ""]
    notes = Path(__file__).with_name("benchmark_notes.md")
    if notes.exists():
        out += [notes.read_text(encoding="utf-8").rstrip(), ""]
    out += [
        "## Commands",
        "",
        "```sh",
        "make bench                                   # 1k and 10k pages",
        "make bench BENCH_SIZES=1000,10000,100000     # with 100k pages (about 2 GB of disk)",
        *(
            "python benchmarks/run_benchmarks.py "
            + r.get("command", f"--sizes {r['pages']}")
            + f"   # wrote {_size(r)}.json"
            for r in results
        ),
        "```",
        "",
        "Results per size: `benchmarks/results/<size>.json`; corpora are generated into "
        "`benchmarks/corpus/` (git-ignored) and reused.",
        "",
    ]
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("\n".join(out), encoding="utf-8")
