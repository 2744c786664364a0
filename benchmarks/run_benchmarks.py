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
import contextlib
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
    scaled_documents,
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
from corpsearch.errors import CorpsearchError

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


def save(result: dict[str, Any], results: Path, merge: bool = False) -> None:
    """Write the figures measured so far, so a run stopped halfway still leaves them.

    With ``merge`` (``--resume``), steps already in the file are kept beside this run's, so
    two invocations of one size (``--only`` and ``--leave`` split the steps between them) can
    measure side by side.
    """
    path = results / f"{size_name(result['pages'])}.json"
    merged = dict(result)
    if merge and path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        merged = {**saved, **result}
        for key in ("steps", "loads"):
            merged[key] = {**saved.get(key, {}), **result.get(key, {})}
        merged["commands"] = list(dict.fromkeys([*saved.get("commands", []), *result["commands"]]))
        merged["skipped"] = list(
            dict.fromkeys([*saved.get("skipped", []), *merged.get("skipped", [])])
        )
    path.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")


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
        if (self.args.only and self.args.only not in name) or (
            self.args.leave and self.args.leave in name
        ):
            return None  # another invocation measures it
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
        save(self.result, self.args.results, self.args.resume)
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
        with contextlib.suppress(CorpsearchError):  # refused by a limit, as timing counts it
            run(query)


def query_profiles(
    index: Path, queries: dict[str, list[BenchQuery]], timed: dict[str, Any]
) -> dict[str, list[str]]:
    """cProfile's top entries over 20 queries of each kind whose p95 is over its target."""
    profiles: dict[str, list[str]] = {}
    with Index.open(index) as ix:
        for kind, target in KIND_TARGETS.items():
            figures = (timed or {}).get(kind)
            if not figures or figures.get("p95_ms", 0) <= target or not queries.get(kind):
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


def sub_corpus(files: list[Path], count: int, folder: Path) -> Path:
    """The first ``count`` pages, hard-linked into ``folder`` (the same bytes, no copy)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in files[:count]:
        os.link(path, folder / path.name)
    return folder


def bench_size(pages: int, args: argparse.Namespace, result: dict[str, Any]) -> None:
    work = HERE / "work" / size_name(pages)
    if not args.resume:
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    result.update(cores=os.cpu_count() or 1, engines=list(args.engines))
    steps = Steps(result, args)
    indexes = {engine: work / engine for engine in args.engines}
    built = [e for e in args.engines if e not in args.from_documents and not args.scale_from]

    if args.scale_from:
        # a larger corpus's index made of a smaller run's extracted documents (kept with --keep)
        source = HERE / "work" / size_name(args.scale_from) / "tantivy"
        corpus = ensure_corpus(args.scale_from, args.seed)
        copies = pages // args.scale_from
        originals = read_documents(source)
        docs = list(scaled_documents(originals, copies, args.seed))
        result["pages"] = pages
        result["documents_from"] = (
            f"the documents extracted from the {size_name(args.scale_from)} corpus "
            f"({len(docs) // copies:,}), {copies} copies with new ids and dates moved by whole "
            "days: not extracted from pages of this size"
        )
    else:
        corpus = ensure_corpus(pages, args.seed)
        files = page_files(corpus)
        originals = []
        result["pages"] = len(files)
        summary = json.loads((corpus / "summary.json").read_text(encoding="utf-8"))
        result["corpus"] = {"html_bytes": summary["html_bytes"], "generator": GENERATOR_VERSION}
        for engine in built:
            steps.run(
                f"end to end, {engine}, 2 workers",
                functools.partial(build_figures, corpus, indexes[engine], engine, 2),
            )
        docs = read_documents(indexes[built[0]])
    result["documents"] = len(docs)
    result["comments"] = sum(d.kind == "comment" for d in docs)
    # the copies have the originals' words and authors: drawing from the originals is as good
    # and ten times quicker
    drawn_from = originals if args.scale_from else docs
    queries = draw_queries(drawn_from, manifest_authors(corpus), args.queries)
    result["query_examples"] = {k: [q.text for q in qs[:3]] for k, qs in queries.items()}
    result["query_budget_seconds"] = args.budget

    def from_documents(engine: str) -> float:
        return index_documents(indexes[engine], engine, docs)

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

    def timed(engine: str) -> dict[str, Any]:
        with Index.open(indexes[engine]) as ix:
            return time_corpsearch(ix, queries, args.budget, args.min_queries)

    words = {
        "a common word": queries["common word"][0].words[0],
        "a rare word": queries["rare word"][0].words[0],
    }
    later = [e for e in args.engines if e not in built]
    first = args.engines[0]
    if first in later:  # built from the documents, before anything is asked of it
        steps.run(f"index from the documents, {first}", functools.partial(from_documents, first))
    steps.run(f"queries, {first}", functools.partial(timed, first))
    steps.run("queries, SQLite FTS5", fts)
    if first == "tantivy":
        steps.run(
            "profiles of the query kinds over their target, tantivy",
            lambda: query_profiles(
                indexes["tantivy"], queries, result["steps"]["queries, tantivy"]
            ),
        )
    if not args.scale_from:
        sample = spread(files, args.sample)
        steps.run(
            "extraction, corpus pages",
            lambda: extraction_figures(corpus_documents(sample), args.repeat),
        )
        steps.run("extraction, dev pages", lambda: extraction_figures(documents(2), args.repeat))
    steps.run(
        f"whole process, {first}",
        lambda: whole_process(
            work / f"startup-{first}", {first: indexes[first]}, words, args.repeat_cli
        ),
    )
    if not args.scale_from:
        small = sub_corpus(files, args.workers_pages, work / f"sub-corpus-{os.getpid()}")
        for engine in args.one_worker:
            for count in (2, 1):
                name = f"end to end, {engine}, {count} workers, first {args.workers_pages} pages"
                folder = work / f"{engine}-{count}-sub"
                steps.run(name, functools.partial(build_figures, small, folder, engine, count))
                shutil.rmtree(folder, ignore_errors=True)
        for engine in built:
            steps.run(
                f"rerun, 1% changed, {engine}",
                functools.partial(rerun, corpus, files, indexes[engine], engine, args.changed),
            )
    for engine in args.engines[1:]:
        if engine in later:
            steps.run(
                f"index from the documents, {engine}", functools.partial(from_documents, engine)
            )
        steps.run(f"queries, {engine}", functools.partial(timed, engine))
        steps.run(
            f"whole process, {engine}",
            functools.partial(
                whole_process,
                work / f"startup-{engine}",
                {engine: indexes[engine]},
                words,
                args.repeat_cli,
            ),
        )
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
        help="engines whose end-to-end build is also run with 1 and 2 workers on the first "
        "--workers-pages pages (default: tantivy)",
    )
    parser.add_argument("--workers-pages", type=int, default=1000)
    parser.add_argument(
        "--from-documents",
        type=lambda text: [name for name in text.split(",") if name],
        default=[],
        help="engines whose index is built from the documents the first engine extracted, "
        "not end to end",
    )
    parser.add_argument(
        "--scale-from",
        type=int,
        default=0,
        help="build every index from this smaller run's extracted documents, repeated to the "
        "size (that run kept with --keep); no pages are extracted",
    )
    parser.add_argument(
        "--sample", type=int, default=100, help="corpus pages for the extraction figures"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per page (fastest kept)")
    parser.add_argument("--repeat-cli", type=int, default=10, help="runs of each command")
    parser.add_argument(
        "--skip",
        type=lambda text: [name for name in text.split(";") if name],
        default=[],
        help="leave out the steps whose names start so (separated by ;), e.g. extraction",
    )
    parser.add_argument("--only", help="run only the steps whose names hold this text")
    parser.add_argument(
        "--leave", help="do not run the steps whose names hold this text (--only runs them)"
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
        save(result, args.results, args.resume)
        log(f"{pages}: done in {result['wall_seconds']:.0f} s")
    write_report(args.report, args.results)
    log(f"wrote {args.report}")


if __name__ == "__main__":
    main()
