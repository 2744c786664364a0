"""docs/benchmarks.md from every run's results in benchmarks/results/ (one file per corpus size).

Nothing here is extrapolated: a figure that was not measured is shown as "–", a step left out
is named, a run that stopped early is marked so. Every figure has the load average of the
machine beside it (1-minute average when it was taken; for builds, before and after).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench_queries import QUERY_TYPES

__all__ = ["KIND_TARGETS", "TARGET_PAGES", "engines_of", "load_results", "render", "write_report"]

MB = 1024 * 1024
Result = dict[str, Any]
TARGET_PAGES = 100_000
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
CLI_TARGETS = {"seed index": 150.0, "this corpus": 200.0}  # ms, whole process
EXTRACTION_TARGET = 15.0  # ms per real page, median, one core
END_TO_END_TARGET = 100.0  # pages/s on 2 cores


def engines_of(results: list[Result]) -> list[str]:
    """Every engine measured, in the order the runs measured them."""
    seen: list[str] = []
    for r in results:
        seen += [e for e in r.get("engines", []) if e not in seen]
    return seen


def load_results(folder: Path) -> list[Result]:
    """The runs (files with steps and pages), smallest corpus first."""
    loaded = (json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json"))
    return sorted((r for r in loaded if "steps" in r and "pages" in r), key=lambda r: r["pages"])


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


def _size(r: Result) -> str:
    return f"{r['pages'] // 1000}k" if r["pages"] % 1000 == 0 else str(r["pages"])


def _step(r: Result, name: str) -> Any:
    return r.get("steps", {}).get(name)


def _load(r: Result, name: str) -> str:
    seen = r.get("loads", {}).get(name)
    if not seen:
        return "–"
    return f"{seen['before'][0]:.1f} → {seen['after'][0]:.1f}"


def _build(r: Result, engine: str, workers: int) -> Any:
    return _step(r, f"end to end, {engine}, {workers} workers")


def _rate(r: Result, engine: str, workers: int) -> float | None:
    build = _build(r, engine, workers)
    return r["pages"] / build["seconds"] if build else None


def _verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("**holds**" if ok else "**does not hold**")


def _runs(results: list[Result]) -> list[str]:
    out = [
        "| pages | documents | comments | HTML | cores | Python | commit | complete | left out |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        html = r.get("corpus", {}).get("html_bytes")
        out.append(
            f"| {r['pages']:,} | {r.get('documents', 0):,} | {r.get('comments', 0):,} "
            f"| {_fmt(html / MB) + ' MB' if html else '–'} | {r.get('cores', '?')} "
            f"| {r.get('machine', {}).get('python', '?')} | {r.get('commit', '?')} "
            f"| {'yes' if r.get('complete') else 'no (stopped early)'} "
            f"| {', '.join(r.get('skipped', [])) or '–'} |"
        )
    for r in results:
        if r.get("documents_from"):
            out += ["", f"The {_size(r)} run's indexes hold {r['documents_from']}."]
    out += ["", "Commands (`python benchmarks/run_benchmarks.py …`, one line per invocation):", ""]
    for r in results:
        out += [f"- {_size(r)}: " + "; ".join(f"`{c}`" for c in r.get("commands", []))]
    return out


def _extraction(results: list[Result]) -> list[str]:
    out = [
        "CPU milliseconds per page on one core (the fastest of a few runs per page; the "
        "candidates interleaved page by page): corpsearch's whole `extract`, trafilatura's "
        "`bare_extraction` with the options corpsearch uses for the body (trafilatura alone), "
        "and `trafilatura.extract` with its defaults. Corpus pages: an even sample of the "
        "generated corpus; dev pages: every other page of the article benchmark and both "
        "comment-page sets.",
        "",
        "| corpus | pages | corpsearch median | trafilatura alone | trafilatura default "
        "| corpsearch / trafilatura alone | load |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        for which in ("corpus pages", "dev pages"):
            name = f"extraction, {which}"
            f = _step(r, name)
            if not f:
                continue
            m = f["median_ms"]
            out.append(
                f"| {_size(r)} run, {which} | {f['pages']} | {_fmt(m['corpsearch'])} "
                f"| {_fmt(m['trafilatura'])} | {_fmt(m['trafilatura default'])} "
                f"| ×{f['ratio_to_trafilatura']:.2f} | {_load(r, name)} |"
            )
    last = next((r for r in reversed(results) if _step(r, "extraction, corpus pages")), None)
    if last is not None:
        f = _step(last, "extraction, corpus pages")
        out += [
            "",
            f"Where corpsearch's time goes on the corpus pages ({_size(last)} run, mean ms per "
            f"page, {f['stages_total_ms']:.1f} ms in all):",
            "",
            "| step | mean ms/page | share |",
            "| --- | ---: | ---: |",
        ]
        for label, ms in f["stages_ms"]:
            shown = label.replace("  ", "… ", 1) if label.startswith("  ") else label
            out.append(f"| {shown} | {ms:.2f} | {ms / f['stages_total_ms']:.0%} |")
        out += ["", "cProfile, functions with the most time of their own:", "", "```"]
        out += [*f["profile"], "```"]
    return out


def _builds(results: list[Result], engines: list[str]) -> list[str]:
    out = [
        "`corpsearch index CORPUS --engine E --workers N --json` in a fresh process on a fresh "
        "index, as a user runs it: extraction in N worker processes, indexing in the main "
        "process. Memory is read from /proc every half second over the job and its workers.",
        "",
        "| pages | engine | workers | pages/s | seconds | index MB | peak MB, largest process "
        "| peak MB, all processes | load before → after |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        for name, b in r.get("steps", {}).items():
            if not name.startswith("end to end, ") or not b:
                continue
            engine, _workers, *part = name.removeprefix("end to end, ").split(", ")
            pages = int(part[0].split()[1]) if part else r["pages"]
            out.append(
                f"| {pages:,}{' (the first)' if part else ''} | {engine} | {b['workers']} "
                f"| {_fmt(pages / b['seconds'])} | {_fmt(b['seconds'])} "
                f"| {_fmt(b['index_bytes'] / MB)} "
                f"| {_fmt(b['peak_rss_largest_process_bytes'] / MB)} "
                f"| {_fmt(b['peak_rss_all_processes_bytes'] / MB)} | {_load(r, name)} |"
            )
    out += [
        "",
        "| pages | figure | engine | value | load before → after |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in results:
        for e in engines:
            rerun = _step(r, f"rerun, 1% changed, {e}")
            if rerun:
                full = _build(r, e, 2)
                share = (
                    f" ({100 * rerun['seconds'] / full['seconds']:.1f}% of the build)"
                    if full
                    else ""
                )
                out.append(
                    f"| {r['pages']:,} | rerun, {rerun['changed_pages']} pages changed | {e} "
                    f"| {_fmt(rerun['seconds'])} s{share} | {_load(r, f'rerun, 1% changed, {e}')} |"
                )
            alone = _step(r, f"index from the documents, {e}")
            if alone:
                out.append(
                    f"| {r['pages']:,} | indexing the extracted documents alone, one commit | {e} "
                    f"| {_fmt(r.get('documents', 0) / alone)} documents/s "
                    f"| {_load(r, f'index from the documents, {e}')} |"
                )
        fts = _step(r, "queries, SQLite FTS5")
        if fts:
            out.append(
                f"| {r['pages']:,} | SQLite FTS5 {fts['sqlite_version']}, indexing the same "
                f"documents | – | {_fmt(r.get('documents', 0) / fts['index_seconds'])} "
                f"documents/s, {_fmt(fts['bytes'] / MB)} MB | {_load(r, 'queries, SQLite FTS5')} |"
            )
    return out


def _queries(results: list[Result], engines: list[str]) -> list[str]:
    out = [
        "In-process, on each run's indexes (Building says how each was made): "
        "`Index.search(query, limit=10)` (the top 10 with "
        "snippets and the exact total) for the plain kinds, `Index.summary` for facets (site, "
        "author, kind) and the histogram (by month, Europe/Berlin), `search(group='article')`, "
        "and the first CSV line of `render_csv(iter_hits(query))`; SQLite FTS5 answers the same "
        "question over the same documents where it has an equivalent (bench_fts.py says how; "
        "FTS5's proximity is unordered, its histogram in UTC; it has no fuzzy words). Each kind "
        "runs its queries after a 5-query warm-up until its time budget is spent (at least the "
        "minimum count); a query corpsearch refuses by one of its limits (a proximity over "
        "20,000 candidates) is counted as refused, not timed. Milliseconds, wall-clock, and the "
        "CPU time of the process per query (which the machine's other load adds less to); the "
        "load is the 1-minute average at the end of each kind.",
        "",
    ]
    columns = [*engines, "FTS5"]
    for r in results:
        timed = {e: _step(r, f"queries, {e}") or {} for e in engines}
        timed["FTS5"] = (_step(r, "queries, SQLite FTS5") or {}).get("queries", {})
        if not any(timed.values()):
            continue
        out += [
            f"### {_size(r)} pages ({r.get('documents', 0):,} documents)",
            "",
            "| kind | "
            + " | ".join(f"{c} median | {c} p95 | {c} CPU p95" for c in columns)
            + " | queries timed | load |",
            "| --- | " + " | ".join("--- | --- | ---" for _ in columns) + " | --- | --- |",
        ]
        for kind in QUERY_TYPES:
            cells, counts, loads = [], [], []
            for c in columns:
                q = timed[c].get(kind) or {}
                cells += [_fmt(q.get(k)) for k in ("median_ms", "p95_ms", "cpu_p95_ms")]
                refused = f" ({q['refused']} refused)" if q.get("refused") else ""
                counts.append(str(q.get("queries", "–")) + refused)
                loads.append(f"{q['load']:.1f}" if "load" in q else "–")
            out.append(
                f"| {kind} | "
                + " | ".join(cells)
                + f" | {' / '.join(counts)} | {' / '.join(loads)} |"
            )
        out.append("")
        examples = r.get("query_examples", {})
        out += ["Examples: " + "; ".join(f"{k} `{v[0]}`" for k, v in examples.items() if v), ""]
    return out


def _whole_process(results: list[Result]) -> list[str]:
    out = [
        "Fresh `corpsearch` processes (the installed command: start-up, imports, opening the "
        "index, the query, printing), the commands interleaved; wall-clock median and p95 and "
        "the CPU time (user + system), milliseconds.",
        "",
        "| pages | command | wall median | wall p95 | CPU median | runs | load |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        for label, f in _whole(r).items():
            out.append(
                f"| {r['pages']:,} | `{label}` | {_fmt(f['median_ms'])} | {_fmt(f['p95_ms'])} "
                f"| {_fmt(f['cpu_median_ms'])} | {f['runs']} | {f['load']:.1f} |"
            )
    return out


def _whole(r: Result) -> dict[str, Any]:
    """Every whole-process figure of a run (one step per engine)."""
    found: dict[str, Any] = {}
    for name, figures in r.get("steps", {}).items():
        if name.startswith("whole process") and figures:
            found.update(figures)
    return found


def _targets(results: list[Result]) -> list[str]:
    """Each target of the table, judged on the largest run that measured it."""
    out = [
        "| target | measured | run | load | holds |",
        "| --- | --- | --- | --- | --- |",
    ]

    def largest(name: str) -> Result | None:
        return next((r for r in reversed(results) if _step(r, name)), None)

    r = largest("queries, tantivy")
    if r is not None:
        timed = _step(r, "queries, tantivy")
        answered = {k: v for k, v in timed.items() if v.get("p95_ms") is not None}
        worst = max(answered.items(), key=lambda kv: kv[1]["p95_ms"])
        whoosh = _step(r, "queries, whoosh")
        against = ""
        if whoosh and "common word" in whoosh:
            against = f"; whoosh's common word p95 {_fmt(whoosh['common word']['p95_ms'])} ms"
        out.append(
            f"| tantivy the default engine (worst p95 26.5 ms at 1.1M) | worst tantivy p95: "
            f"{worst[0]}, {_fmt(worst[1]['p95_ms'])} ms{against} | {_size(r)} "
            f"| {worst[1].get('load', 0):.1f} | (the default is set in the code, not measured) |"
        )
        for kind, target in KIND_TARGETS.items():
            f = timed.get(kind)
            if f is None or f.get("p95_ms") is None:
                continue
            ok = f["p95_ms"] <= target if r["pages"] >= TARGET_PAGES else None
            note = "" if r["pages"] >= TARGET_PAGES else " (target set at 100k)"
            verdict = _verdict(ok)
            cpu = f.get("cpu_p95_ms")
            if ok is False and cpu is not None and cpu <= target:
                verdict += " in wall-clock time at this load; its CPU p95 is within it"
            shown = f", CPU p95 {_fmt(cpu)}" if cpu is not None else ""
            out.append(
                f"| {kind}, tantivy in-process, p95 ≤ {target:.0f} ms | median "
                f"{_fmt(f['median_ms'])}, p95 {_fmt(f['p95_ms'])} ms{shown} | {_size(r)}{note} "
                f"| {f.get('load', 0):.1f} | {verdict} |"
            )
    for r in results:
        for label, f in _whole(r).items():
            if not label.startswith("query"):
                continue
            target = CLI_TARGETS["seed index" if "seed index" in label else "this corpus"]
            verdict = _verdict(f["median_ms"] <= target)
            if f["median_ms"] > target and f["cpu_median_ms"] <= target:
                verdict += " in wall-clock time at this load; its CPU time is within it"
            out.append(
                f"| `corpsearch {label}` whole process ≤ {target:.0f} ms | wall median "
                f"{_fmt(f['median_ms'])} ms (CPU {_fmt(f['cpu_median_ms'])}) | {_size(r)} "
                f"| {f['load']:.1f} | {verdict} |"
            )
    r = largest("extraction, corpus pages")
    if r is not None:
        for which in ("corpus pages", "dev pages"):
            f = _step(r, f"extraction, {which}")
            if f:
                ms = f["median_ms"]["corpsearch"]
                out.append(
                    f"| extraction median ≤ {EXTRACTION_TARGET:.0f} ms per real page, {which} "
                    f"| {_fmt(ms)} ms (trafilatura alone {_fmt(f['median_ms']['trafilatura'])}) "
                    f"| {_size(r)} | {_load(r, f'extraction, {which}')} "
                    f"| {_verdict(ms <= EXTRACTION_TARGET)} |"
                )
    for r in results:
        for e in engines_of([r]):
            rate = _rate(r, e, 2)
            if rate is None:
                continue
            ok = rate >= END_TO_END_TARGET
            out.append(
                f"| end to end on 2 cores ≥ {END_TO_END_TARGET:.0f} pages/s, {e} "
                f"| {_fmt(rate)} pages/s | {_size(r)} "
                f"| {_load(r, f'end to end, {e}, 2 workers')} | {_verdict(ok)} |"
            )
    return out


def _profiles(results: list[Result]) -> list[str]:
    out: list[str] = []
    for r in results:
        profiles = _step(r, "profiles of the query kinds over their target, tantivy") or {}
        for kind, rows in profiles.items():
            out += [
                f"{kind} on tantivy, {_size(r)} pages (20 queries; cProfile, most time of their "
                "own):",
                "",
                "```",
                *rows,
                "```",
                "",
            ]
    return out


def render(results: list[Result], notes: Iterable[str] = ()) -> str:
    engines = engines_of(results)
    out: list[str] = [
        "# Benchmarks",
        "",
        "Written by `benchmarks/run_benchmarks.py` (`make bench`) from "
        "`benchmarks/results/<size>.json`; do not edit by hand: the notes at the end come from "
        "`benchmarks/benchmark_notes.md`. The pages are generated at the size and markup density "
        "of the dev pages (`benchmarks/gen_corpus.py`, seed 42; benchmarks/README.md compares "
        "them). The machine is shared: every figure has the load average beside it, and the "
        "ratios measured in one run are the figures to compare.",
        "",
        "## Runs",
        "",
        *_runs(results),
        "",
        "## Against the targets",
        "",
        *_targets(results),
        "",
        "## Extraction",
        "",
        *_extraction(results),
        "",
        "## Building",
        "",
        *_builds(results, engines),
        "",
        "## Queries",
        "",
        *_queries(results, engines),
        "## Whole process",
        "",
        *_whole_process(results),
        "",
    ]
    profiles = _profiles(results)
    if profiles:
        out += ["## Profiles of the query kinds over their target", "", *profiles]
    out += [line.rstrip("\n") for line in notes]
    return "\n".join(out).rstrip() + "\n"


def write_report(report: Path, results_dir: Path) -> None:
    results = load_results(results_dir)
    if not results:
        raise SystemExit(f"no results in {results_dir}; run the benchmarks first")
    notes_file = Path(__file__).with_name("benchmark_notes.md")
    notes = notes_file.read_text(encoding="utf-8").splitlines() if notes_file.exists() else []
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(render(results, notes), encoding="utf-8")
