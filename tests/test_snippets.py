"""Snippets: mark offsets and wrapping to a terminal width."""

from __future__ import annotations

from corpsearch.snippets import mark_spans, plain_text, wrap_marked

SNIPPET = (
    "referring to the devastating four-year <mark>civil</mark> <mark>war</mark> that has left "
    "more than 160,000 people dead"
)


def test_mark_offsets_point_into_the_plain_text() -> None:
    plain, spans = mark_spans(SNIPPET)
    assert plain == plain_text(SNIPPET)
    assert [plain[start:end] for start, end in spans] == ["civil", "war"]
    assert mark_spans("no marks") == ("no marks", [])


def test_wrapping_fits_the_width_and_keeps_colour_on_marked_words() -> None:
    lines = wrap_marked(SNIPPET, 30, on="[", off="]")
    assert all(len(line.replace("[", "").replace("]", "")) <= 30 for line in lines)
    joined = " ".join(lines)
    assert "[civil]" in joined and "[war]" in joined
    assert plain_text(SNIPPET).startswith(" ".join(lines).replace("[", "").replace("]", "")[:40])


def test_long_snippets_end_with_an_ellipsis() -> None:
    lines = wrap_marked(SNIPPET * 5, 40, max_lines=2)
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert all(len(line) <= 40 for line in lines)


def test_a_word_longer_than_the_line_is_cut() -> None:
    lines = wrap_marked("x" * 25, 10)
    assert lines == ["x" * 10, "x" * 10, "xxxxx"]
