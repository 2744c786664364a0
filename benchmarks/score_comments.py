"""Score comment extraction on the labelled comment pages.

Usage: python benchmarks/score_comments.py [--verbose] [--data DIR]

Comments are matched to the gold ones by the first 60 characters of their text (whitespace
collapsed), in order. Prints a table per page, the totals and the median time per page.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lxml import etree  # noqa: E402

from corpsearch.extract import decode  # noqa: E402
from corpsearch.extract.comments import FoundComment, find_comments  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "comment-pages"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _time_ok(found: FoundComment, gold: str) -> bool:
    if found.published is None:
        return False
    if len(gold) == 10:
        return found.published.date() == date.fromisoformat(gold)
    g = datetime.fromisoformat(gold.replace("Z", "+00:00"))
    if g.tzinfo is None:
        got = found.published.replace(tzinfo=None, microsecond=0)
        if len(gold) == 16:  # labelled to the minute, as shown: the seconds are not compared
            got = got.replace(second=0)
        return got == g
    return found.published == g


def match_comments(
    gold_comments: list[dict[str, Any]], found: list[FoundComment]
) -> dict[int, int]:
    """Gold comment index -> found comment index: by the first 60 characters of the text, in
    order; a gold comment left over is matched to an unused found one with its author."""
    keys = [_norm(f.text)[:60].rstrip() for f in found]
    used: set[int] = set()
    match: dict[int, int] = {}
    for gi, g in enumerate(gold_comments):
        for fi, key in enumerate(keys):
            if fi not in used and key == _norm(g["text_first60"])[:60]:
                used.add(fi)
                match[gi] = fi
                break
    # comments whose text is wrong but sit where a gold comment is (same author) still count as found
    loose: dict[int, int] = {}
    for gi, g in enumerate(gold_comments):
        if gi in match:
            continue
        for fi, f in enumerate(found):
            if fi not in used and f.author is not None and f.author == g["author"]:
                used.add(fi)
                loose[gi] = fi
                break
    return {**match, **loose}


def score_page(gold: dict[str, Any], found: list[FoundComment]) -> dict[str, Any]:
    gold_comments = gold["comments"]
    everything = match_comments(gold_comments, found)
    match = {
        gi: fi
        for gi, fi in everything.items()
        if _norm(found[fi].text)[:60].rstrip() == _norm(gold_comments[gi]["text_first60"])[:60]
    }
    s: dict[str, Any] = {
        "gold": len(gold_comments),
        "found": len(found),
        "matched": len(everything),
        "text": len(match),
        "author": 0,
        "time_n": 0,
        "time": 0,
        "parent": 0,
    }
    if gold.get("comments_truncated"):
        s["found"] = min(len(found), len(gold_comments))
    back = {fi: gi for gi, fi in everything.items()}
    for gi, fi in everything.items():
        g, f = gold_comments[gi], found[fi]
        s["author"] += f.author == g["author"]
        if g["published"]:
            s["time_n"] += 1
            s["time"] += _time_ok(f, g["published"])
        want = g["parent"]
        got = back.get(f.parent) if f.parent is not None else None
        s["parent"] += want == got
    s["false"] = s["found"] - s["matched"]
    return s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    golds = [
        json.loads(line) for line in (args.data / "gold.jsonl").read_text().splitlines() if line
    ]
    rows = []
    times: list[float] = []
    cpu_times: list[float] = []
    parse_times: list[float] = []
    tot: dict[str, int] = {}
    invented = 0
    for gold in golds:
        html = decode((args.data / gold["file"]).read_bytes())
        best = best_cpu = float("inf")
        found: list[FoundComment] = []
        for _ in range(5):
            t0, c0 = time.perf_counter(), time.process_time()
            found = find_comments(html)
            best = min(best, time.perf_counter() - t0)
            best_cpu = min(best_cpu, time.process_time() - c0)
        times.append(best * 1000)
        cpu_times.append(best_cpu * 1000)
        parse_best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            etree.fromstring(html, etree.HTMLParser())
            parse_best = min(parse_best, time.perf_counter() - t0)
        parse_times.append(parse_best * 1000)
        s = score_page(gold, found)
        if not gold["comments"]:
            invented += len(found)
        for k, v in s.items():
            tot[k] = tot.get(k, 0) + v
        rows.append((gold["file"], s, best * 1000))
        if args.verbose:
            for f in found:
                print(f"  {gold['file']}: {f.author!r} {f.published} p={f.parent} {f.text[:60]!r}")
    head = f"{'page':28} {'gold':>4} {'out':>4} {'found':>5} {'false':>5} {'auth':>4} {'time':>7} {'text':>4} {'par':>4} {'ms':>6}"
    print(head)
    for name, s, ms in rows:
        t = f"{s['time']}/{s['time_n']}"
        print(
            f"{name:28} {s['gold']:4} {s['found']:4} {s['matched']:5} {s['false']:5} {s['author']:4} {t:>7} {s['text']:4} {s['parent']:4} {ms:6.1f}"
        )
    g = tot["gold"]
    m = tot["matched"] or 1

    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:.1f}%" if b else "n/a"

    print()
    print(f"comments found      {tot['matched']}/{g} = {pct(tot['matched'], g)}")
    print(
        f"false comments      {tot['false']} of {tot['found']} output (precision {pct(tot['found'] - tot['false'], tot['found'])})"
    )
    print(f"right author        {tot['author']}/{tot['matched']} = {pct(tot['author'], m)}")
    print(f"right time          {tot['time']}/{tot['time_n']} = {pct(tot['time'], tot['time_n'])}")
    print(f"right text (60)     {tot['text']}/{tot['matched']} = {pct(tot['text'], m)}")
    print(f"right parent        {tot['parent']}/{tot['matched']} = {pct(tot['parent'], m)}")
    negatives = sum(1 for gd in golds if not gd["comments"])
    print(f"invented on the {negatives} pages without comments: {invented}")
    print(
        f"median ms per page  {statistics.median(times):.1f} wall, "
        f"{statistics.median(cpu_times):.1f} CPU (max {max(times):.1f} wall; best of 5 runs)"
    )
    print(f"  of which parsing  {statistics.median(parse_times):.1f} wall (lxml HTML parser)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
