"""docs/benchmarks.md from every results file in benchmarks/results/ (one per corpus size).

Nothing here is extrapolated: a size that was not measured is not in the tables, a figure that
was not measured at a size is shown as "–", and a run that stopped early is marked incomplete.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_queries import QUERY_TYPES

__all__ = ["KIND_TARGETS", "TARGETS", "engines_of", "write_report"]

MB = 1024 * 1024
Result = dict[str, Any]
Figure = Callable[[Result, str], float | None]

# The targets for the embedded default at 100k pages on this 2-core machine.
TARGET_PAGES = 100_000
TARGETS = {
    "end to end": 100.0,  # pages/s, at least
    "query p95": 100.0,  # ms, at most, every query type
    "rerun share": 5.0,  # % of a full build, at most
    "peak memory": 1536.0,  # MB, at most
}


# p95 targets in ms of the query kinds on tantivy at 100k pages (1.1M documents), in-process
KIND_TARGETS = {
    "common word": 20.0,
    "facets": 20.0,
    "histogram": 20.0,
    "--group article": 20.0,
    "proximity": 20.0,
    "fuzzy": 20.0,
    "first CSV row of --all": 50.0,
}


def engines_of(results: list[Result]) -> list[str]:
    """Every engine measured, in the order the runs measured them."""
    seen: list[str] = []
    for r in results:
        seen += [e for e in r.get("engines", {}) if e not in seen]
    return seen


def _engine(r: Result, engine: str, *keys: str) -> Any:
    value: Any = r.get("engines", {}).get(engine)
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _per_second(count: float, seconds: Any) -> float | None:
    return count / seconds if isinstance(seconds, int | float) and seconds > 0 else None


def _mb(value: Any) -> float | None:
    return value / MB if isinstance(value, int | float) else None


def _rerun_share(r: Result, e: str) -> float | None:
    rerun, full = _engine(r, e, "rerun", "seconds"), _engine(r, e, "end_to_end", "seconds")
    return 100 * rerun / full if rerun is not None and full else None


def _end_to_end(r: Result, e: str) -> float | None:
    return _per_second(r["pages"], _engine(r, e, "end_to_end", "seconds"))


def _indexing(r: Result, e: str) -> float | None:
    return _per_second(r.get("documents", 0), _engine(r, e, "index_records", "seconds"))


def _peak_all(r: Result, e: str) -> float | None:
    return _mb(_engine(r, e, "end_to_end", "peak_rss_all_processes_bytes"))


def _extraction_all_cores(r: Result) -> float | None:
    return _per_second(r["extract_all_cores"]["pages"], r["extract_all_cores"]["seconds"])


# (label, unit, value per result and engine)
ENGINE_FIGURES: list[tuple[str, str, Figure]] = [
    ("end to end, files → searchable", "pages/s", _end_to_end),
    ("full build", "s", lambda r, e: _engine(r, e, "end_to_end", "seconds")),
    ("indexing the extracted documents alone", "documents/s", _indexing),
    ("index size on disk", "MB", lambda r, e: _mb(_engine(r, e, "index_bytes"))),
    (
        "peak memory, largest process",
        "MB",
        lambda r, e: _mb(_engine(r, e, "end_to_end", "peak_rss_largest_process_bytes")),
    ),
    ("peak memory, all processes together", "MB", _peak_all),
    ("rerun, 1% of pages changed", "s", lambda r, e: _engine(r, e, "rerun", "seconds")),
    ("rerun / full build", "%", _rerun_share),
]

SHARED_FIGURES: list[tuple[str, str, Callable[[Result], float | None]]] = [
    (
        "extraction, 1 core",
        "pages/s",
        lambda r: _per_second(r["extract_1core"]["pages"], r["extract_1core"]["seconds"]),
    ),
    ("extraction, all cores", "pages/s", _extraction_all_cores),
    (
        "SQLite FTS5: indexing the same documents",
        "documents/s",
        lambda r: _per_second(r.get("documents", 0), r.get("fts5", {}).get("index_seconds")),
    ),
    ("SQLite FTS5: database size", "MB", lambda r: _mb(r.get("fts5", {}).get("bytes"))),
]


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def _ratio(a: float | None, b: float | None) -> str:
    return f"×{a / b:.1f}" if a is not None and b else "–"


def _size(r: Result) -> str:
    return f"{r['pages'] // 1000}k" if r["pages"] % 1000 == 0 else str(r["pages"])


def _p95(r: Result, engine: str, kind: str) -> float | None:
    return _engine(r, engine, "queries", kind, "p95_ms")


def _judged(value: float | None, unit: str, ok: bool) -> str:
    if value is None:
        return "–"
    space = "" if unit == "%" else " "
    return f"{_fmt(value)}{space}{unit} " + ("**met**" if ok else "**not met**")


def _targets(r: Result, engines: list[str]) -> list[str]:
    lines = [
        f"## Targets at {_size(r)} pages on {r['cores']} cores",
        "",
        "| target | " + " | ".join(engines) + " |",
        "| --- | " + " | ".join("---" for _ in engines) + " |",
    ]
    rows: dict[str, list[str]] = {k: [] for k in TARGETS}
    for e in engines:
        e2e = _end_to_end(r, e)
        rows["end to end"].append(_judged(e2e, "pages/s", e2e is not None and e2e >= 100))
        known = [(k, v) for k in QUERY_TYPES if (v := _p95(r, e, k)) is not None]
        if known:
            kind, worst = max(known, key=lambda kv: kv[1])
            rows["query p95"].append(f"worst: {kind}, {_judged(worst, 'ms', worst <= 100)}")
        else:
            rows["query p95"].append("–")
        share = _rerun_share(r, e)
        rows["rerun share"].append(_judged(share, "%", share is not None and share <= 5))
        peak = _peak_all(r, e)
        ok = peak is not None and peak <= TARGETS["peak memory"]
        rows["peak memory"].append(_judged(peak, "MB", ok))
    labels = {
        "end to end": "end to end ≥ 100 pages/s",
        "query p95": "query p95 ≤ 100 ms for every type",
        "rerun share": "rerun with 1% changed ≤ 5% of a full build",
        "peak memory": "peak memory (all processes) ≤ 1.5 GB",
    }
    lines += [f"| {labels[k]} | " + " | ".join(v) + " |" for k, v in rows.items()]
    return lines


def _limits(r: Result, engines: list[str]) -> list[str]:
    """What bounds each engine's build, from the figures of one run."""
    extract_all = _extraction_all_cores(r)
    per_page = r.get("documents", 0) / r["pages"]
    lines = ["", f"What bounds the build at {_size(r)} pages:", ""]
    for e in engines:
        e2e = _end_to_end(r, e)
        indexing = _indexing(r, e)
        if e2e is None:
            continue
        text = f"- {e}: {_fmt(e2e)} pages/s end to end, against {_fmt(extract_all)} pages/s for "
        text += "extraction alone on all cores"
        if indexing is not None and per_page:
            text += (
                f" and {_fmt(indexing / per_page)} pages/s ({_fmt(indexing)} documents/s) for "
                "indexing alone"
            )
        text += (
            "; the job extracts in worker processes while the main process indexes, so the "
            "slower of the two sets the pace."
        )
        lines.append(text)
    return lines


def write_report(report: Path, results_dir: Path) -> None:
    # other results live beside the runs (relevance, serve): only runs have engines and pages
    loaded = (json.loads(p.read_text(encoding="utf-8")) for p in results_dir.glob("*.json"))
    results = sorted(
        (r for r in loaded if "engines" in r and "pages" in r), key=lambda r: r["pages"]
    )
    if not results:
        raise SystemExit(f"no results in {results_dir}; run the benchmarks first")
    engines = engines_of(results)
    last = results[-1]
    sizes = [_size(r) for r in results]
    out: list[str] = [
        "# Benchmarks",
        "",
        "Written by `benchmarks/run_benchmarks.py` from `benchmarks/results/*.json` (run with "
        "`make bench`; `make bench BENCH_SIZES=1000,10000,100000` for every size). Do not edit "
        "by hand: the notes at the end come from `benchmarks/benchmark_notes.md`.",
        "",
        "The machines are shared and noisy: absolute times are pessimistic, so compare the ratios "
        "between engines, which were measured in the same run.",
        "",
        "## Runs",
        "",
        "Corpora are generated by `benchmarks/gen_corpus.py` (seed 42; benchmarks/README.md).",
        "",
        "| pages | documents | comments | cores | Python | commit | runs per figure | load "
        "at the end | complete |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        load = r["machine"].get("load_average_at_end")
        out.append(
            f"| {r['pages']:,} | {r.get('documents', 0):,} | {r.get('comments', 0):,} "
            f"| {r['cores']} | {r['machine']['python']} | {r.get('commit', '?')} | {r['runs']} "
            f"| {', '.join(f'{x:.1f}' for x in load) if load else '–'} "
            f"| {'yes' if r.get('complete') else 'no (stopped early)'} |"
        )
    out += [
        "",
        f"Platform: {last['machine']['platform']}; SQLite "
        f"{last.get('fts5', {}).get('sqlite_version', '?')}.",
        "",
        "## Building",
        "",
        "End to end is `corpsearch index CORPUS --engine E --workers CORES --json` in a fresh "
        "process on a fresh index, as a user runs it: extraction in worker processes, indexing and "
        "commits every 500 pages in the main process. Its memory is read from /proc every half "
        "second over the job and its workers: the largest process's own peak (VmHWM), and the "
        "largest sum over all of them at one reading. Extraction alone is `extract` over "
        "`iter_sources` on an evenly spread sample of the pages (the rate does not depend on the "
        "corpus size), on one core and in a process pool on all cores. Indexing alone takes the "
        "documents the build indexed (read back with `Index.documents()`, so every engine and "
        "SQLite FTS5 get exactly the same ones) into a fresh index in one commit. The rerun changes "
        "1% of the HTML files (a sentence added) and runs the same `corpsearch index` again over "
        "the whole corpus.",
        "",
        "| figure | engine | " + " | ".join(sizes) + " |",
        "| --- | --- | " + " | ".join("---" for _ in sizes) + " |",
    ]
    for label, unit, shared in SHARED_FIGURES:
        cells = " | ".join(_fmt(shared(r)) for r in results)
        out.append(f"| {label} ({unit}) | – | {cells} |")
    for label, unit, figure in ENGINE_FIGURES:
        for e in engines:
            cells = " | ".join(_fmt(figure(r, e)) for r in results)
            out.append(f"| {label} ({unit}) | {e} | {cells} |")
    if len(engines) == 2:
        a, b = engines
        out += ["", f"Side by side at {_size(last)} pages ({a} against {b}, same run):", ""]
        out += [f"| figure | {a} | {b} | {a} / {b} |", "| --- | --- | --- | --- |"]
        for label, unit, figure in ENGINE_FIGURES:
            va, vb = figure(last, a), figure(last, b)
            out.append(f"| {label} ({unit}) | {_fmt(va)} | {_fmt(vb)} | {_ratio(va, vb)} |")
    out += [
        "",
        "## Queries",
        "",
        "Latency of `Index.search(query, limit=10)` (the top 10 with snippets, and the exact "
        "total) on the end-to-end index, and of the same question in SQLite FTS5 (top 10 by bm25 "
        "with a snippet, plus a count). Queries are drawn from the indexed documents: common "
        "words are among the 100 words in most documents, rare ones in at most 3 documents, "
        "phrases are 3 consecutive words of a document, authors are drawn as often as they write, "
        "date ranges are 30 days (alone) or a year (with a word or phrase; the phrase + author "
        "query takes its three parts from one comment). Each type runs its queries one after the "
        "other after a 5-query warm-up; a type stops when its time budget is spent (at least 40 "
        "queries), so the count timed is shown.",
        "",
    ]
    for r in results:
        budget = r.get("query_budget_seconds")
        out += [
            f"### {_size(r)} pages ({r.get('documents', 0):,} documents)"
            + (f", budget {budget:.0f} s per type" if budget else ""),
            "",
            "| query type | "
            + " | ".join(f"{e} median | {e} p95" for e in [*engines, "FTS5"])
            + " | queries timed |",
            "| --- | " + " | ".join("--- | ---" for _ in [*engines, "FTS5"]) + " | --- |",
        ]
        for kind in QUERY_TYPES:
            cells, counts = [], []
            for e in engines:
                q = _engine(r, e, "queries", kind) or {}
                cells += [_fmt(q.get("median_ms")), _fmt(q.get("p95_ms"))]
                counts.append(str(q.get("queries", "–")))
            f = r.get("fts5", {}).get("queries", {}).get(kind, {})
            cells += [_fmt(f.get("median_ms")), _fmt(f.get("p95_ms"))]
            counts.append(str(f.get("queries", "–")))
            out.append(f"| {kind} | " + " | ".join(cells) + f" | {' / '.join(counts)} |")
        out += ["", "(milliseconds; queries timed in the order of the columns)", ""]
    out += ["Examples of the queries:", ""]
    for kind, texts in last.get("query_examples", {}).items():
        out.append(f"- {kind}: " + ", ".join(f"`{t}`" for t in texts))
    target = next((r for r in results if r["pages"] == TARGET_PAGES), None)
    if target is not None:
        out += ["", *_targets(target, engines), *_limits(target, engines), ""]
    else:
        out += ["", f"The targets are set at {TARGET_PAGES:,} pages, which has not been run.", ""]
    notes = Path(__file__).with_name("benchmark_notes.md")
    if notes.exists():
        out += [notes.read_text(encoding="utf-8").rstrip(), ""]
    out += [
        "## Commands",
        "",
        "```sh",
        "make bench                                   # 1k and 10k pages",
        "make bench BENCH_SIZES=1000,10000,100000     # every size (100k: about 2 GB of disk)",
        *(
            f"python benchmarks/run_benchmarks.py {r.get('command', '')}   # wrote {_size(r)}.json"
            for r in results
        ),
        "```",
        "",
        "Results per size: `benchmarks/results/<size>.json`, written after every step; corpora "
        "are generated into `benchmarks/corpus/` (git-ignored) and reused.",
        "",
    ]
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("\n".join(out), encoding="utf-8")
