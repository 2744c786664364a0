"""docs/reliability.md's table of cases is the one the tests' case lists make."""

from __future__ import annotations

from . import reliability


def test_the_table_of_cases_is_up_to_date() -> None:
    rows = reliability.collect()
    assert {row.area for row in rows} >= {
        "Files",
        "Encodings",
        "Queries",
        "Extraction fuzzing",
        "Index faults",
        "Safety",
    }
    expected = reliability.render_table(rows)
    found = reliability.table_in_doc(reliability.DOC.read_text(encoding="utf-8"))
    assert found == expected, "run: python -m tests.reliability\n" + expected
