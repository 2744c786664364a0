"""Measure corpsearch's engines at several corpus sizes, next to SQLite FTS5; write the report.

    python benchmarks/run_benchmarks.py --sizes 10000,100000

For each size: generate (or reuse) the corpus of real-sized pages under benchmarks/corpus/, then,
in one run, with the load average written beside every figure:

1. extraction, CPU ms per page on one core: corpsearch next to trafilatura alone, on a sample of
   the corpus's pages and on the dev pages, with where corpsearch's time goes and its profile;
2. for each engine, the end-to-end build as users run it (``corpsearch index`` with 2 workers,
   and with 1 for the engines in ``--one-worker``): pages/s, index size, peak memory;
3. every query type in-process (bench_queries.QUERY_TYPES) on each engine's index and on SQLite
   FTS5 over the same documents (read back from the index, so all index exactly the same ones),
   median and p95; a profile of the tantivy kinds over their target;
4. whole-process ``corpsearch query`` latency (fresh processes, on the seed index and on this
   corpus's indexes);
5. indexing the extracted documents alone, and a rerun with 1% of the pages changed.

Writes benchmarks/results/<size>.json after each step (``--resume`` continues a run stopped
halfway from the steps it has, with ``--keep``'s indexes) and docs/benchmarks.md at the end.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_build import (
    change_pages,
    folder_bytes,
    index_documents,
    job_in_child,
    page_files,
    spread,
)
from bench_extract import corpus_documents, documents, extraction_figures, profile_top
from bench_fts import build_fts, time_fts
from bench_queries import (
    BenchQuery,
    corpsearch_runner,
    draw_queries,
    time_corpsearch,
)
from bench_report import KIND_TARGETS, write_report
from bench_startup import whole_process
from corpsearch import Index
from corpsearch.documents import IndexDocument

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GENERATOR_VERSION = 2  # gen_corpus.py's, whose pages are real-sized


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def git_commit() -> str:
    """The commit measured, with ``+changes`` when src/ differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "src"], cwd=ROOT)
    except OSError:
        return "unknown"
    return head + ("+changes" if dirty.returncode else "")


def size_name(pages: int) -> str:
    return f"{pages // 1000}k" if pages % 1000 == 0 else str(pages)


def ensure_corpus(pages: int, seed: int) -> Path:
    folder = HERE / "corpus" / size_name(pages)
    summary = folder / "summary.json"
    if summary.exists():
        meta = json.loads(summary.read_text(encoding="utf-8"))
        same = (meta.get("pages"), meta.get("seed"), meta.get("generator_version"))
        if same == (pages, seed, GENERATOR_VERSION) and meta.get("real_sized"):
            log(f"reusing the corpus in {folder.relative_to(ROOT)}")
            return folder
        shutil.rmtree(folder)
    log(f"generating {pages} pages into {folder.relative_to(ROOT)}")
    command = [sys.executable, str(HERE / "gen_corpus.py"), "--pages", str(pages)]
    subprocess.run([*command, "--out", str(folder), "--seed", str(seed)], check=True)
    return folder


def manifest_authors(corpus: Path) -> list[str]:
    """One entry per comment (and byline), so authors are drawn as often as they write."""
    authors: list[str] = []
    with (corpus / "manifest.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            page = json.loads(line)
            if page.get("byline"):
                authors.append(page["byline"])
            authors.extend(c["author"] for c in page["comments"] if c.get("author"))
    return authors


def load() -> list[float]:
    """The load averages (1, 5, 15 minutes), as ``uptime`` shows them."""
    return [round(x, 2) for x in os.getloadavg()]


def save(result: dict[str, Any], results: Path) -> None:
    """Write the figures measured so far, so a run stopped halfway still leaves them."""
    path = results / f"{size_name(result['pages'])}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


class Steps:
    """Runs each step once: with ``--resume``, a step whose figures are saved is skipped."""

    def __init__(self, result: dict[str, Any], args: argparse.Namespace) -> None:
        self.result, self.args = result, args
        result.setdefault("loads", {})

    def run(self, name: str, step: Callable[[], Any]) -> Any:
        done = self.result.setdefault("steps", {})
        if name in done:
            log(f"{self.result['pages']}: {name}: already measured")
            return done[name]
        if any(name.startswith(prefix) for prefix in self.args.skip):
            log(f"{self.result['pages']}: {name}: left out (--skip)")
            self.result.setdefault("skipped", [])
            if name not in self.result["skipped"]:
                self.result["skipped"].append(name)
            return None
        log(f"{self.result['pages']}: {name}")
        before = load()
        started = time.perf_counter()
        value = step()
        done[name] = value
        self.result["loads"][name] = {
            "before": before,
            "after": load(),
            "seconds": round(time.perf_counter() - started, 1),
        }
        save(self.result, self.args.results)
        return value


def build_figures(corpus: Path, folder: Path, engine: str, workers: int) -> dict[str, Any]:
    build = job_in_child(corpus, folder, engine, workers)
    return {
        "workers": workers,
        "seconds": build["seconds"],
        "peak_rss_largest_process_bytes": build["peak_rss_largest_process_bytes"],
        "peak_rss_all_processes_bytes": build["peak_rss_all_processes_bytes"],
        "articles": build["summary"]["articles"],
        "comments": build["summary"]["comments"],
        "failed": build["summary"]["failed"],
        "index_bytes": folder_bytes(folder),
    }


def read_documents(index: Path) -> list[IndexDocument]:
    with Index.open(index) as ix:
        return sorted(ix.documents(), key=lambda d: (d.article_id, d.position, d.id))


def _each(run: Callable[[BenchQuery], int], queries: list[BenchQuery]) -> None:
    for query in queries:
        run(query)


def query_profiles(
    index: Path, queries: dict[str, list[BenchQuery]], timed: dict[str, Any]
) -> dict[str, list[str]]:
    """cProfile's top entries over 20 queries of each kind whose p95 is over its target."""
    profiles: dict[str, list[str]] = {}
    with Index.open(index) as ix:
        for kind, target in KIND_TARGETS.items():
            figures = (timed or {}).get(kind)
            if figures is None or figures["p95_ms"] <= target or not queries.get(kind):
                continue
            run, some = corpsearch_runner(ix, queries[kind][0].op), queries[kind][:20]
            profiles[kind] = profile_top(functools.partial(_each, run, some))
    return profiles


def rerun(corpus: Path, files: list[Path], index: Path, engine: str, share: float) -> Any:
    originals = change_pages(files, share)
    try:
        again = job_in_child(corpus, index, engine, 2)
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
    if again["summary"]["changed"] != len(originals):
        raise RuntimeError(f"the rerun changed {again['summary']['changed']} pages")
    return {
        "changed_pages": len(originals),
        "seconds": again["seconds"],
        "unchanged": again["summary"]["unchanged"],
    }


def bench_size(pages: int, args: argparse.Namespace, result: dict[str, Any]) -> None:
    corpus = ensure_corpus(pages, args.seed)
    files = page_files(corpus)
    work = HERE / "work" / size_name(pages)
    if not args.resume:
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    result.update(pages=len(files), cores=os.cpu_count() or 1, engines=list(args.engines))
    summary = json.loads((corpus / "summary.json").read_text(encoding="utf-8"))
    result["corpus"] = {"html_bytes": summary["html_bytes"], "generator": GENERATOR_VERSION}
    steps = Steps(result, args)
    indexes = {engine: work / engine for engine in args.engines}
    for engine in args.engines:
        workers = [2, 1] if engine in args.one_worker else [2]
        for count in workers:
            folder = indexes[engine] if count == 2 else work / f"{engine}-1"
            steps.run(
                f"end to end, {engine}, {count} workers",
                functools.partial(build_figures, corpus, folder, engine, count),
            )
            if count != 2:
                shutil.rmtree(folder, ignore_errors=True)

    sample = spread(files, args.sample)
    steps.run(
        "extraction, corpus pages",
        lambda: extraction_figures(corpus_documents(sample), args.repeat),
    )
    steps.run("extraction, dev pages", lambda: extraction_figures(documents(2), args.repeat))

    first = indexes[args.engines[0]]
    docs = read_documents(first)
    result["documents"] = len(docs)
    result["comments"] = sum(d.kind == "comment" for d in docs)
    queries = draw_queries(docs, manifest_authors(corpus), args.queries)
    result["query_examples"] = {k: [q.text for q in qs[:3]] for k, qs in queries.items()}
    result["query_budget_seconds"] = args.budget

    def fts() -> dict[str, Any]:
        db = work / "fts5.sqlite"
        seconds, _count = build_fts(db, docs)
        figures = {
            "index_seconds": seconds,
            "bytes": db.stat().st_size,
            "sqlite_version": __import__("sqlite3").sqlite_version,
            "queries": time_fts(db, queries, args.budget, args.min_queries),
        }
        db.unlink()
        return figures

    for engine in args.engines:

        def timed(engine: str = engine) -> dict[str, Any]:
            with Index.open(indexes[engine]) as ix:
                return time_corpsearch(ix, queries, args.budget, args.min_queries)

        steps.run(f"queries, {engine}", timed)
        if engine == args.engines[0]:
            steps.run("queries, SQLite FTS5", fts)
    if "tantivy" in indexes:
        steps.run(
            "profiles of the query kinds over their target, tantivy",
            lambda: query_profiles(
                indexes["tantivy"], queries, result["steps"]["queries, tantivy"]
            ),
        )
    common = queries["common word"][0].words[0]
    rare = queries["rare word"][0].words[0]
    steps.run(
        "whole process",
        lambda: whole_process(
            work / "startup",
            indexes,
            {"a common word": common, "a rare word": rare},
            args.repeat_cli,
        ),
    )
    for engine in args.engines:
        steps.run(
            f"rerun, 1% changed, {engine}",
            functools.partial(rerun, corpus, files, indexes[engine], engine, args.changed),
        )
        if engine != "whoosh" or pages <= args.whoosh_records_limit:
            steps.run(
                f"indexing the extracted documents, {engine}",
                functools.partial(index_documents, work / f"{engine}-records", engine, docs),
            )
            shutil.rmtree(work / f"{engine}-records", ignore_errors=True)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000", help="corpus sizes in pages")
    parser.add_argument("--queries", type=int, default=200, help="queries per query type")
    parser.add_argument(
        "--budget",
        type=float,
        default=15.0,
        help="seconds per query type and engine, after which timing stops (at least "
        "--min-queries queries)",
    )
    parser.add_argument("--min-queries", type=int, default=40)
    parser.add_argument(
        "--engines",
        type=lambda text: text.split(","),
        default=["tantivy", "whoosh"],
        help="corpsearch engines to measure, comma-separated (default: tantivy,whoosh)",
    )
    parser.add_argument(
        "--one-worker",
        type=lambda text: [name for name in text.split(",") if name],
        default=["tantivy"],
        help="engines whose end-to-end build is also run with one worker (default: tantivy)",
    )
    parser.add_argument(
        "--sample", type=int, default=100, help="corpus pages for the extraction figures"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per page (fastest kept)")
    parser.add_argument("--repeat-cli", type=int, default=10, help="runs of each command")
    parser.add_argument(
        "--whoosh-records-limit",
        type=int,
        default=1000,
        help="largest corpus on which whoosh also indexes the extracted documents alone (its "
        "end-to-end build is bound by the same indexing)",
    )
    parser.add_argument(
        "--skip",
        type=lambda text: [name for name in text.split(",") if name],
        default=[],
        help="leave out the steps whose names start so (comma-separated), e.g. extraction",
    )
    parser.add_argument("--changed", type=float, default=0.01, help="share of pages to change")
    parser.add_argument("--seed", type=int, default=42, help="corpus seed")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the indexes in benchmarks/work")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue the saved run of each size (its indexes kept with --keep)",
    )
    parser.add_argument(
        "--report-only", action="store_true", help="only rewrite the report from the results"
    )
    args = parser.parse_args()
    args.results.mkdir(parents=True, exist_ok=True)
    if args.report_only:
        write_report(args.report, args.results)
        return
    for pages in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        path = args.results / f"{size_name(pages)}.json"
        result: dict[str, Any] = {}
        if args.resume and path.exists():
            result = json.loads(path.read_text(encoding="utf-8"))
            result.setdefault("commands", []).append(" ".join(sys.argv[1:]))
        else:
            result = {"pages": pages, "commands": [" ".join(sys.argv[1:])]}
        result.update(
            commit=git_commit(),
            machine={
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(terse=True),
            },
            complete=False,
        )
        bench_size(pages, args, result)
        result["wall_seconds"] = result.get("wall_seconds", 0) + time.perf_counter() - started
        result["complete"] = True
        save(result, args.results)
        log(f"{pages}: done in {result['wall_seconds']:.0f} s")
    write_report(args.report, args.results)
    log(f"wrote {args.report}")


if __name__ == "__main__":
    main()
