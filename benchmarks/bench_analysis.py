"""Indexing and query latency of one corpsearch version, for comparing two (before/after).

The pages of a generated corpus (benchmarks/gen_corpus.py) are extracted once and kept in
``--documents`` (a pickle), so two versions index exactly the same documents; then the
documents are indexed ``--runs`` times into a fresh index (median seconds), and the query set
of bench_queries.py (drawn from those documents with its fixed seed) is timed on the last one.

    PYTHONPATH=src python benchmarks/bench_analysis.py CORPUS --documents docs.pickle

It imports whichever corpsearch is on the path, so the same command measures two checkouts.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import extract_all, index_documents, page_files
from bench_queries import draw_queries, time_corpsearch
from corpsearch import Index
from corpsearch.documents import IndexDocument, documents_of


def _documents(corpus: Path, cache: Path) -> list[IndexDocument]:
    if cache.exists():
        documents: list[IndexDocument] = pickle.loads(cache.read_bytes())
        return documents
    _, articles = extract_all(page_files(corpus))
    documents = [doc for article in articles for doc in documents_of(article)]
    cache.write_bytes(pickle.dumps(documents))
    return documents


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a folder written by gen_corpus.py")
    parser.add_argument("--documents", type=Path, required=True, help="extracted documents")
    parser.add_argument("--engine", default="tantivy")
    parser.add_argument("--runs", type=int, default=5, help="indexing runs (median)")
    parser.add_argument("--queries", type=int, default=100, help="queries per query type")
    args = parser.parse_args(argv)
    documents = _documents(args.corpus, args.documents)
    authors = [doc.author for doc in documents if doc.author]
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "index"
        runs = [index_documents(target, args.engine, documents) for _ in range(args.runs)]
        queries = draw_queries(documents, authors, args.queries)
        with Index.open(target) as ix:
            latency = time_corpsearch(ix, queries)
    figures = {
        "engine": args.engine,
        "documents": len(documents),
        "index_seconds_median": statistics.median(runs),
        "index_runs": runs,
        "documents_per_second": len(documents) / statistics.median(runs),
        "query_median_ms": {kind: f["median_ms"] for kind, f in latency.items()},
        "load_average": os.getloadavg(),
    }
    sys.stdout.write(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
