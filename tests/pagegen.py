"""Generated copies of the seed HTML page, for job tests and the incremental benchmark.

Page ``n`` is the seed page with its own canonical URL, the word ``qNNNNN`` added to its headline
and ``cNNNNN`` to its second comment, so each page's article and comments can be found alone.
"""

from __future__ import annotations

from pathlib import Path

SEED_HTML = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "seed_page.html"
SEED_ID = "146580"
HEADLINE = "Coordination with Assad"
COMMENT_WORD = "chupachups"


def page_html(n: int, seed: str | None = None) -> str:
    seed = seed if seed is not None else SEED_HTML.read_text(encoding="utf-8")
    for needle in (f"stories/en/{SEED_ID}", HEADLINE, COMMENT_WORD):
        assert needle in seed, f"the seed page no longer contains {needle!r}"
    return (
        seed.replace(f"stories/en/{SEED_ID}", f"stories/en/{900000 + n}")
        .replace(HEADLINE, f"{HEADLINE} {headline_word(n)}")
        .replace(COMMENT_WORD, f"{COMMENT_WORD} {comment_word(n)}")
    )


def headline_word(n: int) -> str:
    return f"q{n:05d}"


def comment_word(n: int) -> str:
    return f"c{n:05d}"


def page_path(folder: Path, n: int) -> Path:
    return folder / f"{n // 100:03d}" / f"page{n:05d}.html"


def make_pages(folder: Path, count: int, start: int = 0) -> list[Path]:
    """Write pages ``start`` .. ``start + count - 1`` in sub-folders of 100 pages."""
    seed = SEED_HTML.read_text(encoding="utf-8")
    paths = []
    for n in range(start, start + count):
        path = page_path(folder, n)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_html(n, seed), encoding="utf-8")
        paths.append(path)
    return paths
