"""Tests of the benchmark helpers: query drawing, the FTS5 reference, jobs, reruns, the report."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build import change_pages, index_documents, job_in_child, spread  # noqa: E402
from bench_fts import build_fts, time_fts  # noqa: E402
from bench_queries import QUERY_TYPES, BenchQuery, draw_queries, latency  # noqa: E402
from bench_report import write_report  # noqa: E402
from corpsearch import Index  # noqa: E402
from corpsearch.documents import IndexDocument  # noqa: E402

from .pagegen import make_pages  # noqa: E402


def _doc(number: int, text: str, author: str, date: datetime) -> IndexDocument:
    return IndexDocument(
        id=f"c{number}",
        kind="comment",
        article_id="a1",
        headline="",
        body="",
        text=text,
        quote="",
        author=author,
        site="example.com",
        url="https://example.com/1",
        lang="en",
        date=date,
        published=date.isoformat(),
        position=number,
        comment_count=0,
        article_headline="A headline",
        source="page.html",
    )


def _docs() -> list[IndexDocument]:
    start = datetime(2015, 1, 1, tzinfo=UTC)
    texts = ["the cedar tree stands tall", "the river runs dry today", "the cedar forest burns"]
    return [
        _doc(n, texts[n % 3], ["Jane Doe", "mike.b"][n % 2], start + timedelta(days=40 * n))
        for n in range(30)
    ]


def test_draw_queries_gives_every_type_with_parts() -> None:
    queries = draw_queries(_docs(), ["Jane Doe", "mike.b"], per_type=4)
    assert set(queries) == set(QUERY_TYPES)
    assert all(len(qs) == 4 for qs in queries.values())
    assert all(q.text.startswith("author:") for q in queries["author"])
    assert {q.text for q in queries["author"]} <= {'author:"Jane Doe"', "author:mike.b"}
    assert all(len(q.phrase) == 3 for q in queries["3-word phrase"])
    assert all(q.text.endswith("~3") and q.match for q in queries["proximity"])
    assert all(q.text.endswith("*") for q in queries["prefix"])
    assert not any(q.fts for q in queries["fuzzy"])
    assert all(q.op == "facets" for q in queries["facets"])
    assert all(q.text.startswith("comments:(") for q in queries["comments:(…)"])
    assert all(q.sort == "-date" for q in queries["word sorted by date"])
    combined = queries["phrase + author + date range"]
    assert all(q.author and q.start is not None and q.end is not None for q in combined)


def test_fts_counts_match_the_documents(tmp_path: Path) -> None:
    db = tmp_path / "fts.sqlite"
    _, count = build_fts(db, _docs())
    assert count == 30
    start = int(datetime(2015, 1, 1, tzinfo=UTC).timestamp())
    queries = {
        "cedar": [BenchQuery("cedar", "relevance", words=("cedar",))],
        "phrase": [BenchQuery('"cedar tree"', "relevance", phrase=("cedar", "tree"))],
        "author": [BenchQuery("author:mike.b", "relevance", author="mike.b")],
        "range": [BenchQuery("date", "relevance", start=start, end=start + 41 * 86400)],
    }
    timed = time_fts(db, queries)
    # 10 documents of each text; "cedar" is in two of the three texts.
    assert timed["cedar"]["with_hits"] == 1.0
    assert timed["phrase"]["with_hits"] == 1.0
    none = {"none": [BenchQuery("zebra", "relevance", words=("zebra",))]}
    assert time_fts(db, none)["none"]["with_hits"] == 0.0


def test_fts_answers_every_op(tmp_path: Path) -> None:
    db = tmp_path / "fts.sqlite"
    build_fts(db, _docs())
    ops = ("facets", "histogram", "group", "comments", "first CSV row of --all")
    queries = {op: [BenchQuery("cedar", "relevance", words=("cedar",), op=op)] for op in ops}
    queries["near"] = [BenchQuery('"cedar tall"~3', "relevance", match='NEAR("cedar" "tall", 3)')]
    queries["prefix"] = [BenchQuery("ced*", "relevance", match='"ced"*')]
    queries["fuzzy"] = [BenchQuery("cedra~2", "relevance", fts=False)]
    timed = time_fts(db, queries)
    assert "fuzzy" not in timed  # no equivalent in FTS5
    assert all(timed[name]["with_hits"] == 1.0 for name in (*ops, "near", "prefix"))


def test_job_builds_and_a_rerun_replaces_the_changed_pages(tmp_path: Path, engine: str) -> None:
    corpus = tmp_path / "pages"
    make_pages(corpus, 3)
    folder = tmp_path / "index"
    built = job_in_child(corpus, folder, engine, workers=1)
    assert (built["summary"]["articles"], built["summary"]["comments"]) == (3, 15)
    # a Python process with corpsearch loaded holds tens of MB; the sum, sampled every half
    # second, is read while the job runs (it cannot be compared with the exact peak: a short
    # job's peak may fall between two samples)
    assert built["peak_rss_largest_process_bytes"] > 20 * 1024 * 1024
    assert built["peak_rss_all_processes_bytes"] > 20 * 1024 * 1024
    originals = change_pages(sorted(corpus.rglob("*.html")), share=0.5)
    assert len(originals) == 2
    rerun = job_in_child(corpus, folder, engine, workers=1)
    assert (rerun["summary"]["changed"], rerun["summary"]["unchanged"]) == (2, 1)
    with Index.open(folder) as ix:
        assert ix.count() == {"article": 3, "comment": 15}
        assert ix.search('"Updated 1 with a correction"').total == 1


def test_index_documents_indexes_every_one(tmp_path: Path, engine: str) -> None:
    seconds = index_documents(tmp_path / "ix", engine, _docs())
    assert seconds > 0
    with Index.open(tmp_path / "ix") as ix:
        assert ix.count() == {"article": 0, "comment": 30}
        assert {d.id for d in ix.documents()} == {d.id for d in _docs()}


def test_spread_takes_an_even_sample() -> None:
    files = [Path(f"{n:03d}.html") for n in range(100)]
    assert spread(files, 200) == files
    assert spread(files, 4) == [files[0], files[25], files[50], files[75]]


def test_latency_stops_when_its_budget_is_spent() -> None:
    calls: list[str] = []

    def slow(query: BenchQuery) -> int:
        calls.append(query.text)
        return 1

    queries = [BenchQuery(f"q{n}", "relevance") for n in range(500)]
    assert latency(slow, queries)["queries"] == 500
    calls.clear()
    timed = latency(slow, queries, budget=0.0)
    assert timed["queries"] == 40  # the fewest worth a p95
    assert len(calls) == 45  # and the warm-up


def _result(pages: int, tantivy_p95: float, complete: bool = True) -> dict[str, object]:
    """A run's results as run_benchmarks.py saves them, with made-up figures."""
    queries = {
        kind: {"median_ms": tantivy_p95 / 2, "p95_ms": tantivy_p95, "queries": 40, "load": 3.0}
        for kind in QUERY_TYPES
    }
    build = {
        "workers": 2,
        "seconds": pages / 50,
        "peak_rss_largest_process_bytes": 300 * 1024 * 1024,
        "peak_rss_all_processes_bytes": 900 * 1024 * 1024,
        "index_bytes": 50 * 1024 * 1024,
    }
    extraction = {
        "pages": 100,
        "median_ms": {"corpsearch": 30.0, "trafilatura": 12.0, "trafilatura default": 25.0},
        "ratio_to_trafilatura": 2.5,
        "stages_ms": [["body", 12.0], ["  trafilatura bare_extraction", 8.0]],
        "stages_total_ms": 30.0,
        "profile": ["1.000 s own (20%), 1.000 s cumulative, 9 calls: <method 'search'>"],
    }
    steps = {
        "end to end, tantivy, 2 workers": build,
        "end to end, tantivy, 1 workers, first 1000 pages": {**build, "workers": 1, "seconds": 40},
        "extraction, corpus pages": extraction,
        "queries, tantivy": queries,
        "queries, SQLite FTS5": {
            "index_seconds": 2.0,
            "bytes": 1024 * 1024,
            "sqlite_version": "3.40.1",
            "queries": {"common word": {"median_ms": 1.0, "p95_ms": 2.0, "queries": 40}},
        },
        "whole process, tantivy": {
            "query assad, seed index (tantivy)": {
                "median_ms": 400.0,
                "p95_ms": 500.0,
                "cpu_median_ms": 120.0,
                "runs": 10,
                "load": 9.0,
            }
        },
        "profiles of the query kinds over their target, tantivy": {
            "fuzzy": ["0.500 s own (50%), 0.600 s cumulative, 20 calls: fuzzy_terms"]
        },
    }
    load = {"before": [4.0, 3.0, 2.0], "after": [5.0, 3.0, 2.0], "seconds": 1.0}
    return {
        "pages": pages,
        "documents": pages * 11,
        "comments": pages * 10,
        "cores": 2,
        "engines": ["tantivy"],
        "commit": "abc1234",
        "complete": complete,
        "commands": [f"--sizes {pages}"],
        "machine": {"cores": 2, "python": "3.11.7", "platform": "Linux"},
        "corpus": {"html_bytes": pages * 110 * 1024},
        "skipped": ["extraction, dev pages"],
        "steps": steps,
        "loads": dict.fromkeys(steps, load),
    }


def test_report_shows_what_was_measured_and_judges_the_targets(tmp_path: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    for name, result in (("10k", _result(10_000, 8.0)), ("100k", _result(100_000, 30.0, False))):
        (results / f"{name}.json").write_text(json.dumps(result), encoding="utf-8")
    (results / "old.json").write_text(json.dumps({"pages": 5}), encoding="utf-8")  # no steps
    report = tmp_path / "benchmarks.md"
    write_report(report, results)
    text = report.read_text(encoding="utf-8")
    assert "| 100,000 | 1,100,000 | 1,000,000 | 10,742 MB | 2 |" in text
    assert "no (stopped early) | extraction, dev pages |" in text
    targets = text[text.index("## Against the targets") : text.index("## Extraction")]
    # p95 30 ms at 100k against ≤ 20 ms; the first CSV row against ≤ 50 ms
    assert "| facets, tantivy in-process, p95 ≤ 20 ms | median 15.0, p95 30.0 ms | 100k " in (
        targets
    )
    assert "| 100k | 3.0 | **does not hold** |" in targets
    assert "p95 ≤ 50 ms | median 15.0, p95 30.0 ms | 100k | 3.0 | **holds** |" in targets
    assert "CPU time is within it" in targets  # 400 ms wall, 120 ms CPU, against 150 ms
    # 100,000 pages in 2,000 s: 50 pages/s, against ≥ 100
    assert "≥ 100 pages/s, tantivy | 50.0 pages/s | 100k | 4.0 → 5.0 | **does not hold** |" in (
        targets
    )
    assert "| extraction median ≤ 15 ms per real page, corpus pages | 30.0 ms" in targets
    assert "| 1,000 (the first) | tantivy | 1 | 25.0 | 40.0 |" in text  # one worker
    assert "| common word | 4.00 | 8.00 | – | 1.00 | 2.00 | – |" in text  # tantivy, FTS5, 10k
    assert "fuzzy on tantivy, 100k pages" in text and "fuzzy_terms" in text


def test_export_at_scale_counts_every_csv_row(tmp_path: Path) -> None:
    from export_at_scale import export

    with Index.create(tmp_path / "ix", engine="tantivy") as ix:
        ix.add([ROOT / "fixtures" / "pages"])
        total = ix.search("*").total
    row = export(tmp_path / "ix", "*")
    assert total > 5
    assert row["rows"] == total  # rows, not lines: snippets may hold line breaks
    assert row["output_bytes"] > 0 and row["seconds"] > 0


def test_resumed_runs_of_one_size_keep_each_others_steps(tmp_path: Path) -> None:
    from run_benchmarks import save

    first = {"pages": 10_000, "commands": ["a"], "steps": {"queries, tantivy": 1}, "loads": {}}
    second = {"pages": 10_000, "commands": ["b"], "steps": {"queries, whoosh": 2}, "loads": {}}
    save(first, tmp_path)
    save(second, tmp_path, merge=True)
    saved = json.loads((tmp_path / "10k.json").read_text(encoding="utf-8"))
    assert saved["steps"] == {"queries, tantivy": 1, "queries, whoosh": 2}
    assert saved["commands"] == ["a", "b"]
    save(second, tmp_path)  # a fresh run replaces what was there
    assert json.loads((tmp_path / "10k.json").read_text(encoding="utf-8"))["steps"] == {
        "queries, whoosh": 2
    }


def test_the_analysis_results_are_what_their_figures_report() -> None:
    """results/analysis.md shows the report bench_analysis prints from results/analysis.json
    (two runs merged); merging a run with itself changes none of its medians."""
    import bench_analysis

    results = ROOT / "benchmarks" / "results"
    figures = json.loads((results / "analysis.json").read_text(encoding="utf-8"))
    assert bench_analysis._report(figures) in (results / "analysis.md").read_text(encoding="utf-8")
    assert figures["rounds"] == len(figures["runs"]["after"]) == len(figures["runs"]["before"])
    assert bench_analysis._medians(figures["runs"]) == figures["medians"]
    for name in ("analysis.json", "analysis_in_writer.json", "analysis_whoosh.json"):
        saved = json.loads((results / name).read_text(encoding="utf-8"))
        twice = bench_analysis.merged([saved, saved])
        assert twice["rounds"] == 2 * saved["rounds"]
        assert twice["medians"] == bench_analysis._medians(saved["runs"])


def test_extract_results_keep_the_earlier_runs(tmp_path: Path) -> None:
    from bench_extract import write_results

    results = tmp_path / "extract.md"
    results.write_text(
        "# Extraction speed\n\n## An earlier run\n\nmedian 22 ms\n", encoding="utf-8"
    )
    write_results(results, "median 18 ms")
    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Extraction speed\n\n## Run of ")
    assert text.count("# Extraction speed") == 1
    assert text.index("median 18 ms") < text.index("## An earlier run") < text.index("median 22")
    write_results(tmp_path / "new.md", "median 17 ms")
    assert "median 17 ms" in (tmp_path / "new.md").read_text(encoding="utf-8")
