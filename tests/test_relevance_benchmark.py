"""benchmarks/relevance.py on the fixture pages: the judgments' relevant documents are found by
their forms, and the report compares two runs."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import relevance  # noqa: E402

from .conftest import FIXTURES  # noqa: E402


def test_relevance_of_fixture_pages_before_and_after(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "comment-pages").mkdir(parents=True)
    (data / "comment-pages-2").mkdir()
    for name in ("tr_skispringen", "xataka"):
        page = FIXTURES / "query-pages" / f"{name}.html"
        (data / "comment-pages-2" / page.name).write_bytes(page.read_bytes())
    figures = relevance.measure(data)
    assert figures["pages"] == 2
    by_query = {r["query"]: r for r in figures["results"]}  # type: ignore[attr-defined]
    # Österreich in the article and two comments, as the page's text shows
    assert by_query["osterreich"]["relevant"] == 3
    assert by_query["espana"]["relevant"] == 1
    # folded: Österreich typed with oe, España typed with n, and nothing else
    for query, count in (("oesterreich", 3), ("espana", 1)):
        assert by_query[query]["found"] == by_query[query]["found_relevant"] == count
    # exact: as written only
    assert by_query["=Österreich"]["relevant"] == by_query["=Österreich"]["found_relevant"]
    assert by_query["=Österreich"]["found"] == by_query["=Österreich"]["relevant"]
    table = relevance.report(figures, figures)
    assert "| de | `osterreich` | Österreich typed without umlaut | 3 | 1.00 | 1.00 |" in table
    assert "| exact |" in table
    assert table.rstrip().splitlines()[-1].startswith("| all |")
