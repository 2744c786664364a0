"""Score corpsearch's generic article extraction on real pages.

Two data sets from ``shared/data`` (next to the checkout):

* ``article-extraction-benchmark``: body text against the ground truth, by the benchmark's
  published method (``\\w+`` tokens, 4-token shingles with counts; per page the matched, extra
  and missing shingles are scaled to sum to 1; precision and recall are means over pages,
  leaving out pages with nothing to score; F1 is the harmonic mean of the two means);
* ``comment-pages``: headline exact match, publication day, and whether the first and last
  sentence of the article text are found in the body.

Run ``python benchmarks/score_bodies.py`` (``--help`` for options).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
BENCH = DATA / "article-extraction-benchmark"
PAGES = DATA / "comment-pages"

_TOKEN = re.compile(r"\w+")
_QUOTES = "\"'“”„«»‘’‚>"
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def decode_html(raw: bytes) -> str:
    """Bytes to text: UTF-8 when it decodes, else the declared charset, else cp1252."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _CHARSET.search(raw[:20000])
    if match:
        try:
            return raw.decode(match.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return raw.decode("cp1252", errors="replace")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(len(tokens) - n + 1, 0)))


def page_scores(predicted: str, truth: str) -> tuple[float, float, float] | None:
    """(tp, fp, fn) scaled to sum to 1, or None when there is nothing to score."""
    pred, true = shingles(predicted), shingles(truth)
    tp = sum((pred & true).values())
    fp = sum(pred.values()) - tp
    fn = sum(true.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return None
    return tp / total, fp / total, fn / total


def prf(scores: Iterable[tuple[float, float, float] | None]) -> tuple[float, float, float]:
    precisions, recalls = [], []
    for item in scores:
        if item is None:
            continue
        tp, fp, fn = item
        if tp + fp > 0:
            precisions.append(tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(tp / (tp + fn))
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


@dataclass
class BodyResult:
    name: str
    score: tuple[float, float, float] | None
    ms: float


def load_benchmark(names: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
    """(name, html, true body) for the benchmark pages, all of them or those named."""
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    chosen = sorted(truth) if names is None else list(names)
    pages = []
    for name in chosen:
        raw = gzip.decompress((BENCH / "html" / f"{name}.html.gz").read_bytes())
        pages.append((name, decode_html(raw), truth[name]["articleBody"]))
    return pages


def score_bodies(
    extract: Callable[[str], str], pages: list[tuple[str, str, str]]
) -> list[BodyResult]:
    results = []
    for name, html, true_body in pages:
        start = time.process_time()
        body = extract(html)
        ms = (time.process_time() - start) * 1000
        results.append(BodyResult(name, page_scores(body, true_body), ms))
    return results


def _words(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_TOKEN.findall(text))


def score_comment_pages() -> dict[str, object]:
    from corpsearch.extract.article import detect_language, extract_article

    gold = [json.loads(line) for line in (PAGES / "gold.jsonl").read_text("utf-8").splitlines()]
    rows: list[dict[str, object]] = []
    for page in gold:
        html = decode_html((PAGES / page["file"]).read_bytes())
        start = time.process_time()
        fields = extract_article(html)
        ms = (time.process_time() - start) * 1000
        body = _words(fields.body)
        row: dict[str, object] = {"file": page["file"], "ms": ms}
        row["headline"] = fields.headline == page["headline"]
        row["got_headline"] = fields.headline
        if page["published"]:
            want = page["published"][:10]
            got = fields.published.date().isoformat() if fields.published else None
            row["date"] = got == want
            row["got_date"] = got
            row["want_date"] = want
        else:
            row["undated"] = fields.published is None
        for key in ("body_first_sentence", "body_last_sentence"):
            if page[key]:
                row[key] = _words(page[key]) in body
        row["opens"] = body.startswith(_words(page["body_first_sentence"]))
        if page["body_last_sentence"]:
            row["ends"] = body.endswith(_words(page["body_last_sentence"]))
        row["detected"] = detect_language(fields.body) == page["language"]
        row["language"] = fields.language == page["language"]
        row["got_language"] = fields.language
        # comments that open by quoting the article would match the body by right
        comments = [
            c["text_first60"]
            for c in page["comments"]
            if len(_words(c["text_first60"])) >= 30 and c["text_first60"][0] not in _QUOTES
        ]
        row["comments_in_body"] = sum(_words(c) in body for c in comments)
        rows.append(row)

    def share(key: str) -> tuple[int, int]:
        values = [r[key] for r in rows if key in r]
        return sum(bool(v) for v in values), len(values)

    return {
        "rows": rows,
        "headline": share("headline"),
        "date": share("date"),
        "first": share("body_first_sentence"),
        "undated": share("undated"),
        "opens": share("opens"),
        "ends": share("ends"),
        "detected": share("detected"),
        "last": share("body_last_sentence"),
        "language": share("language"),
        "comments_in_body": sum(int(r["comments_in_body"]) for r in rows),  # type: ignore[call-overload]
        "pages_with_comments_in_body": sum(1 for r in rows if r["comments_in_body"]),
        "ms": statistics.median(float(r["ms"]) for r in rows),  # type: ignore[arg-type]
    }


def _extractor(name: str) -> Callable[[str], str]:
    if name == "corpsearch":
        from corpsearch.extract.article import extract_article

        return lambda html: extract_article(html).body
    import trafilatura

    options: dict[str, Any] = {
        "trafilatura": {},
        "trafilatura-precision": {"favor_precision": True},
        "trafilatura-fast": {"fast": True},
    }[name]

    def run(html: str) -> str:
        return trafilatura.extract(html, include_comments=False, **options) or ""

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--extractor",
        default="corpsearch",
        choices=["corpsearch", "trafilatura", "trafilatura-precision", "trafilatura-fast"],
    )
    parser.add_argument("--worst", type=int, default=0, help="list the N worst benchmark pages")
    parser.add_argument("--skip-pages", action="store_true", help="benchmark bodies only")
    args = parser.parse_args(argv)

    import os

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    extract = _extractor(args.extractor)
    pages = load_benchmark()
    results = score_bodies(extract, pages)
    f1, precision, recall = prf(r.score for r in results)
    ms = statistics.median(r.ms for r in results)
    print(f"extractor: {args.extractor}   run at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print()
    print("article-extraction-benchmark (body, 4-token shingles)")
    print("| pages | F1 | precision | recall | median ms/page |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    print(f"| {len(results)} | {f1:.4f} | {precision:.4f} | {recall:.4f} | {ms:.1f} |")
    if args.worst:
        print()
        ranked = sorted(
            (r for r in results if r.score is not None),
            key=lambda r: r.score[0] if r.score else 0.0,
        )
        for r in ranked[: args.worst]:
            assert r.score is not None
            tp, fp, fn = r.score
            print(f"  {r.name[:16]}  tp {tp:.3f}  fp {fp:.3f}  fn {fn:.3f}")
    if args.extractor != "corpsearch" or args.skip_pages:
        return 0

    summary = score_comment_pages()
    print()
    print("comment-pages (39 pages; sentences compared as lower-cased \\w+ words)")
    print("| measure | right | of | share |")
    print("| --- | ---: | ---: | ---: |")
    for key, label in (
        ("headline", "headline exact"),
        ("date", "publication day (dated pages)"),
        ("undated", "no date given to an undated page"),
        ("first", "first sentence in body"),
        ("opens", "body opens with the first sentence"),
        ("last", "last sentence in body"),
        ("ends", "body ends with the last sentence"),
        ("language", "language"),
        ("detected", "language detected from the body alone (py3langid)"),
    ):
        right, total = cast(tuple[int, int], summary[key])
        print(f"| {label} | {right} | {total} | {right / total:.1%} |")
    print(
        f"| comments (first 60 chars, not opening with a quote) in body | {summary['comments_in_body']} "
        f"| on {summary['pages_with_comments_in_body']} pages | |"
    )
    print(f"| median ms/page | {summary['ms']:.1f} | | |")
    misses = []
    for row in summary["rows"]:  # type: ignore[attr-defined]
        wrong = [
            k
            for k in (
                "headline",
                "date",
                "undated",
                "body_first_sentence",
                "body_last_sentence",
                "language",
            )
            if k in row and not row[k]
        ]
        if row["comments_in_body"]:
            wrong.append(f"comments_in_body={row['comments_in_body']}")
        if wrong:
            misses.append(f"  {row['file']}: {', '.join(wrong)}")
    if misses:
        print()
        print("misses:")
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
