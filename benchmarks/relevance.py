"""Recall and precision of queries in several languages on the real dev pages.

Each judgment is a query as a user types it (a word without its accents, a singular where the
pages have plurals, one word of a name) and the forms that count as relevant, written by hand
as a regular expression: a document (an article or a comment) is relevant when its text (or
its author, or its site) holds one of them. The pages are the two comment-page dev sets
(``shared/data`` next to the checkout, or ``--data``), indexed as ``corpsearch index`` does.

    python benchmarks/relevance.py --json before.json        # with the corpsearch to measure
    python benchmarks/relevance.py --report before.json after.json > results/relevance.md

The script imports whichever corpsearch is on the path, so the same judgments measure two
versions (``PYTHONPATH=src`` of each checkout).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from corpsearch import Index

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SETS = ("comment-pages", "comment-pages-2")


@dataclass(frozen=True)
class Judgment:
    language: str
    query: str
    forms: str  # a regular expression of the relevant forms (case-insensitive, whole words)
    target: str = "text"  # "text", "author" or "site"
    what: str = ""


JUDGMENTS = (
    # German: umlauts typed as plain letters or as ae/oe/ue, singular and plural
    Judgment("de", "osterreich", r"(ö|oe)sterreich\w*", what="Österreich typed without umlaut"),
    Judgment("de", "oesterreich", r"(ö|oe)sterreich\w*", what="Österreich typed with oe"),
    Judgment("de", "Corona", r"corona\w*", what="Corona, Coronavirus, …"),
    Judgment("de", "Frage", r"fragen?", what="singular finds plural"),
    Judgment("de", "Pflegeheim", r"pflegeheim(e|en|es|s)?", what="singular finds plural"),
    Judgment("de", "Kommentare", r"kommentar(e|en|es|s)?", what="plural finds singular"),
    Judgment("de", "Menschen", r"mensch(en|s)?", what="plural finds singular"),
    Judgment("de", "grosse", r"gro(ß|ss)(e|en|er|es)?", what="ß typed as ss"),
    Judgment("de", "author:gunther", r"g(ü|ue)nther", "author", "a name's word without umlaut"),
    Judgment("de", "site:spektrum.de", r"(.+\.)?spektrum\.de", "site", "a subdomain's site"),
    # French: accents left out, singular and plural
    Judgment("fr", "societe", r"soci[ée]t[ée]s?", what="société typed without accents"),
    Judgment("fr", "generation", r"g[ée]n[ée]rations?", what="génération(s) without accents"),
    Judgment("fr", "raison", r"raisons?", what="singular finds plural"),
    Judgment("fr", "semaines", r"semaines?", what="plural finds singular"),
    Judgment("fr", "derniere", r"derni[èe]res?", what="dernière(s) without accent"),
    # Spanish
    Judgment("es", "vehiculo", r"veh[íi]culos?", what="vehículo(s) without accent"),
    Judgment("es", "espana", r"espa(ñ|n)a", what="España typed with n"),
    Judgment("es", "coche", r"coches?", what="singular finds plural"),
    Judgment("es", "periodico", r"peri[óo]dicos?", what="periódico(s) without accent"),
    Judgment("es", "capitales", r"capital(es)?", what="plural finds singular"),
    # English
    Judgment("en", "civilian", r"civilians?", what="singular finds plural"),
    Judgment("en", "system", r"systems?", what="singular finds plural"),
    Judgment("en", "things", r"things?", what="plural finds singular"),
    Judgment("en", "world", r"worlds?", what="singular finds plural"),
    Judgment("en", "author:andy", r"andy", "author", "one word of a commenter's name"),
    Judgment("en", "site:wikimedia.org", r"(.+\.)?wikimedia\.org", "site", "a subdomain's site"),
    # Exact words (=): the word as written, case aside, and no other form
    Judgment("de", "=Österreich", r"österreich", what="exact: not Österreichs, not osterreich"),
    Judgment("de", "=Menschen", r"menschen", what="exact: not Mensch"),
    Judgment("de", "=Frage", r"frage", what="exact: not Fragen"),
    Judgment("fr", "=société", r"société", what="exact: not sociétés, not societe"),
    Judgment("es", "=España", r"españa", what="exact: not Espana"),
    Judgment("en", "=systems", r"systems", what="exact: not system"),
    Judgment("en", "=world", r"world", what="exact: not worlds"),
    Judgment("en", '="the world"', r"the\s+world", what="exact phrase: not the worlds"),
)


def _relevant(judgment: Judgment, documents: dict[str, dict[str, str]]) -> set[str]:
    if judgment.target == "site":
        pattern = re.compile(judgment.forms + r"$", re.IGNORECASE)
        return {i for i, d in documents.items() if pattern.fullmatch(d["site"])}
    pattern = re.compile(rf"(?<!\w)(?:{judgment.forms})(?!\w)", re.IGNORECASE)
    return {i for i, d in documents.items() if pattern.search(d[judgment.target])}


def measure(data: Path) -> dict[str, object]:
    """Index the dev pages and run every judgment; per query, what was relevant and found."""
    pages = [page for name in SETS for page in sorted((data / name).glob("*.html"))]
    with tempfile.TemporaryDirectory() as folder:
        index = Index.create(Path(folder) / "index")
        try:
            index.add(pages)
            documents = {
                doc.id: {
                    "text": unicodedata.normalize(
                        "NFC", " ".join((doc.headline, doc.body, doc.text, doc.quote))
                    ),
                    "author": doc.author or "",
                    "site": doc.site or "",
                }
                for doc in index.documents()
            }
            results = []
            for judgment in JUDGMENTS:
                relevant = _relevant(judgment, documents)
                found = {hit.id for hit in index.iter_hits(judgment.query)}
                results.append(
                    {
                        "language": judgment.language,
                        "query": judgment.query,
                        "what": judgment.what,
                        "relevant": len(relevant),
                        "found": len(found),
                        "found_relevant": len(found & relevant),
                    }
                )
        finally:
            index.close()
    return {"pages": len(pages), "documents": len(documents), "results": results}


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def report(before: dict[str, object], after: dict[str, object]) -> str:
    """A markdown table of both runs, query by query, and the means per language."""
    rows = [
        "| language | query | what | relevant | recall before | recall after "
        "| precision before | precision after |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    means: dict[str, list[list[float]]] = {}
    pairs = zip(before["results"], after["results"], strict=True)  # type: ignore[call-overload]
    for old, new in pairs:
        figures = [
            _ratio(old["found_relevant"], old["relevant"]),
            _ratio(new["found_relevant"], new["relevant"]),
            _ratio(old["found_relevant"], old["found"]),
            _ratio(new["found_relevant"], new["found"]),
        ]
        rows.append(
            f"| {new['language']} | `{new['query']}` | {new['what']} | {new['relevant']} | "
            + " | ".join(_cell(f) for f in figures)
            + " |"
        )
        groups = (new["language"], "all", *(("exact",) if new["query"].startswith("=") else ()))
        for key in groups:
            columns = means.setdefault(key, [[], [], [], []])
            for column, figure in zip(columns, figures, strict=True):
                if figure is not None:
                    column.append(figure)
    rows.append("")
    rows.append(
        "Means (a query that finds nothing has no precision and is left out of it; `exact` "
        "are the `=` queries alone):"
    )
    rows.append("")
    rows.append("| language | recall before | recall after | precision before | precision after |")
    rows.append("| --- | --- | --- | --- | --- |")
    order = {"exact": 1, "all": 2}
    for key, columns in sorted(means.items(), key=lambda item: (order.get(item[0], 0), item[0])):
        cells = [_cell(sum(c) / len(c) if c else None) for c in columns]
        rows.append(f"| {key} | " + " | ".join(cells) + " |")
    header = (
        f"{after['pages']} pages, {after['documents']} documents (articles and comments); "
        "a query's recall is the share of the relevant documents it finds, its precision the "
        "share of relevant ones among those it finds.\n\n"
    )
    return header + "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the dev sets")
    parser.add_argument("--json", type=Path, help="write this run's figures to FILE")
    parser.add_argument(
        "--report", type=Path, nargs=2, metavar=("BEFORE", "AFTER"), help="compare two runs"
    )
    args = parser.parse_args(argv)
    if args.report:
        before, after = (json.loads(p.read_text(encoding="utf-8")) for p in args.report)
        sys.stdout.write(report(before, after))
        return 0
    figures = measure(args.data)
    text = json.dumps(figures, indent=2) + "\n"
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
