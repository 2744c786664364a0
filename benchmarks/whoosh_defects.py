#!/usr/bin/env python3
"""Check known whoosh defects on whichever whoosh distribution is importable.

Usage (no arguments; works in a temporary directory that is removed afterwards):

    python benchmarks/whoosh_defects.py

Install exactly one whoosh distribution in the environment first, e.g.
``pip install whoosh-reloaded==2.7.5``.  The package is imported as ``whoosh``;
if that fails, ``wesh`` (a fork that renamed the package) is tried.  Set
WHOOSH_PKG=name to force a package name.

Checks:
  (a) AndNot(Or([Term a, Term b]), Term c) over a few thousand small generated
      docs: random queries, count exceptions (e.g. IndexError: tuple index out
      of range) from searcher.search, with and without optimize=False.
  (b) StandardAnalyzer on "employer.The public sector": does it glue
      "employer.the" into one token, and do term/phrase queries then miss?
  (c) basic index / search / update_document / delete_by_term / sorting by a
      sortable NUMERIC field / highlighting.
  (d) indexing speed of 5,000 short docs (docs/s, best of 5): default writer,
      and writer(limitmb=256, procs=1, multisegment=False).
  (e) NumericRange with an open lower bound on an unsigned NUMERIC field
      (in several releases it matches every document).
"""

import importlib
import inspect
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
import warnings

SEED = 20261123
N_DOCS_A = 3000
N_QUERIES_A = 2000
N_DOCS_D = 5000
SPEED_REPEATS = 5


def load_pkg():
    names = [os.environ["WHOOSH_PKG"]] if os.environ.get("WHOOSH_PKG") else ["whoosh", "wesh"]
    for name in names:
        try:
            return name, importlib.import_module(name)
        except ImportError:
            continue
    sys.exit("no whoosh-compatible package importable (tried {})".format(", ".join(names)))


PKG_NAME, PKG = load_pkg()


def sub(name):
    return importlib.import_module(f"{PKG_NAME}.{name}")


fields = sub("fields")
index = sub("index")
query = sub("query")
qparser = sub("qparser")
analysis = sub("analysis")
highlight = sub("highlight")

ROWS = []  # (check, result, detail)


def row(check, result, detail=""):
    ROWS.append((check, result, detail))


def distribution_name():
    try:
        from importlib.metadata import packages_distributions, version

        dists = packages_distributions().get(PKG_NAME, [])
        return ", ".join(f"{d}=={version(d)}" for d in dists) or "?"
    except Exception:  # pragma: no cover - very old Python
        return "?"


def short_exc(e):
    return f"{type(e).__name__}: {str(e)[:80]}"


# --------------------------------------------------------------------------
# (a) AndNot(Or(...), Term) IndexError
# --------------------------------------------------------------------------


def check_andnot(tmp):
    rnd = random.Random(SEED)
    vocab = ["w%03d" % i for i in range(120)]
    # Zipf-ish weights so some terms are very common (many posting blocks)
    weights = [1.0 / (i + 1) for i in range(len(vocab))]
    schema = fields.Schema(id=fields.ID(stored=True, unique=True), t=fields.TEXT(stored=False))
    d = os.path.join(tmp, "a")
    os.mkdir(d)
    ix = index.create_in(d, schema)
    # several commits -> several segments; some deletions
    per = N_DOCS_A // 4
    n = 0
    for seg in range(4):
        w = ix.writer()
        for _ in range(per):
            k = rnd.randint(1, 8)
            w.add_document(id=str(n), t=" ".join(rnd.choices(vocab, weights, k=k)))
            n += 1
        if seg == 3:
            for _ in range(50):
                w.delete_by_term("id", str(rnd.randrange(n)))
        w.commit(merge=False)

    # does searcher.search accept optimize=?
    with ix.searcher() as s:
        params = inspect.signature(s.search).parameters
        has_opt = "optimize" in params or any(p.kind == p.VAR_KEYWORD for p in params.values())

    variants = [("default", {})]
    if has_opt:
        variants.append(("optimize=False", {"optimize": False}))

    qs = []
    extra = [*vocab, "zz_absent1", "zz_absent2"]
    for _ in range(N_QUERIES_A):
        a, b, c = (rnd.choice(extra) for _ in range(3))
        limit = rnd.choice([1, 3, 10, None])
        qs.append((a, b, c, limit))

    for name, kw in variants:
        fails = 0
        first = ""
        with ix.searcher() as s:
            for a, b, c, limit in qs:
                q = query.AndNot(
                    query.Or([query.Term("t", a), query.Term("t", b)]), query.Term("t", c)
                )
                try:
                    r = s.search(q, limit=limit, **kw)
                    len(r)
                    list(r)
                except Exception as e:
                    fails += 1
                    if not first:
                        first = short_exc(e)
        row(
            f"a) AndNot(Or,Term) search [{name}]",
            "PASS" if fails == 0 else "FAIL",
            "%d/%d queries raised%s" % (fails, len(qs), (f" (first: {first})") if first else ""),
        )
    if not has_opt:
        row(
            "a) AndNot(Or,Term) search [optimize=False]",
            "n/a",
            "search() has no optimize parameter",
        )

    # same queries after optimize (single segment)
    ix.optimize()
    fails = 0
    first = ""
    with ix.searcher() as s:
        for a, b, c, limit in qs:
            q = query.AndNot(query.Or([query.Term("t", a), query.Term("t", b)]), query.Term("t", c))
            try:
                list(s.search(q, limit=limit))
            except Exception as e:
                fails += 1
                first = first or short_exc(e)
    row(
        "a) AndNot(Or,Term) search [1 segment]",
        "PASS" if fails == 0 else "FAIL",
        "%d/%d queries raised%s" % (fails, len(qs), (f" (first: {first})") if first else ""),
    )


# --------------------------------------------------------------------------
# (b) StandardAnalyzer gluing "employer.The"
# --------------------------------------------------------------------------


def check_analyzer(tmp):
    text = "The employer.The public sector"
    for label, ana in (
        ("default", analysis.StandardAnalyzer()),
        ("stoplist=None", analysis.StandardAnalyzer(stoplist=None)),
    ):
        toks = [t.text for t in ana(text)]
        glued = any("." in t for t in toks)
        row(
            f"b) StandardAnalyzer tokens [{label}]",
            "FAIL" if glued else "PASS",
            " ".join(toks),
        )
        schema = fields.Schema(id=fields.ID(stored=True), body=fields.TEXT(analyzer=ana))
        d = os.path.join(tmp, "b-" + label.replace("=", ""))
        os.mkdir(d)
        ix = index.create_in(d, schema)
        w = ix.writer()
        w.add_document(id="1", body=text)
        w.commit()
        qp = qparser.QueryParser("body", ix.schema)
        with ix.searcher() as s:
            for qs in ("employer", '"the public sector"', '"employer the public"'):
                q = qp.parse(qs)
                hit = len(s.search(q)) == 1
                row(
                    f"b)   query {qs} [{label}]",
                    "PASS" if hit else "FAIL",
                    "hit" if hit else f"MISS ({q})",
                )


# --------------------------------------------------------------------------
# (c) basic functionality
# --------------------------------------------------------------------------


def check_basics(tmp):
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(stored=True),
        body=fields.TEXT(stored=True),
        n=fields.NUMERIC(int, stored=True, sortable=True),
    )
    d = os.path.join(tmp, "c")
    os.mkdir(d)
    docs = [
        ("1", "Budget vote", "The council approved the budget for the public sector.", 30),
        ("2", "Reader comment", "I think the public sector budget is too small.", 10),
        ("3", "Weather", "Rain expected over the weekend in the north.", 20),
        ("4", "Sports", "The local team won the final match.", 40),
    ]

    def step(name, fn):
        try:
            ok, detail = fn()
            row("c) " + name, "PASS" if ok else "FAIL", detail)
        except Exception as e:
            row("c) " + name, "FAIL", short_exc(e))
            if os.environ.get("WHOOSH_DEFECTS_DEBUG"):
                traceback.print_exc()

    state = {}

    def do_index():
        ix = index.create_in(d, schema)
        w = ix.writer()
        for i, t, b, n in docs:
            w.add_document(id=i, title=t, body=b, n=n)
        w.commit()
        state["ix"] = ix
        return ix.doc_count() == 4, "doc_count=%d" % ix.doc_count()

    def do_search():
        ix = state["ix"]
        with ix.searcher() as s:
            q = qparser.QueryParser("body", ix.schema).parse("public sector")
            ids = sorted(h["id"] for h in s.search(q))
        return ids == ["1", "2"], f"ids={ids}"

    def do_update():
        ix = state["ix"]
        w = ix.writer()
        w.update_document(
            id="3", title="Weather", body="Sunny weekend, public parks crowded.", n=25
        )
        w.commit()
        with ix.searcher() as s:
            ids = sorted(h["id"] for h in s.search(query.Term("body", "public")))
            old = len(s.search(query.Term("body", "rain")))
        return ids == [
            "1",
            "2",
            "3",
        ] and old == 0 and ix.doc_count() == 4, "ids=%s old_hits=%d count=%d" % (
            ids,
            old,
            ix.doc_count(),
        )

    def do_delete():
        ix = state["ix"]
        w = ix.writer()
        w.delete_by_term("id", "4")
        w.commit()
        with ix.searcher() as s:
            gone = len(s.search(query.Term("id", "4"))) == 0
        return gone and ix.doc_count() == 3, "count=%d" % ix.doc_count()

    def do_sort():
        ix = state["ix"]
        with ix.searcher() as s:
            up = [h["n"] for h in s.search(query.Every(), sortedby="n", limit=None)]
            down = [h["n"] for h in s.search(query.Every(), sortedby="n", reverse=True, limit=None)]
        return up == [10, 25, 30] and down == [30, 25, 10], f"asc={up} desc={down}"

    def do_highlight():
        ix = state["ix"]
        with ix.searcher() as s:
            q = qparser.QueryParser("body", ix.schema).parse("budget")
            r = s.search(q)
            r.formatter = highlight.UppercaseFormatter()
            hl = [h.highlights("body") for h in r]
        ok = len(hl) == 2 and all("BUDGET" in x for x in hl)
        return ok, repr(hl[0][:60]) if hl else "no hits"

    for name, fn in (
        ("index 4 docs", do_index),
        ("search", do_search),
        ("update_document", do_update),
        ("delete_by_term", do_delete),
        ("sort by NUMERIC sortable", do_sort),
        ("highlights()", do_highlight),
    ):
        if name != "index 4 docs" and "ix" not in state:
            row("c) " + name, "SKIP", "index failed")
            continue
        step(name, fn)


# --------------------------------------------------------------------------
# (d) indexing speed
# --------------------------------------------------------------------------


def check_speed(tmp):
    rnd = random.Random(SEED + 1)
    vocab = ["word%d" % i for i in range(3000)]
    texts = [" ".join(rnd.choices(vocab, k=rnd.randint(8, 30))) for _ in range(N_DOCS_D)]
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        body=fields.TEXT(stored=True),
        n=fields.NUMERIC(int, stored=True, sortable=True),
    )
    for label, kw in (
        ("default writer()", {}),
        (
            "limitmb=256,procs=1,multisegment=False",
            {"limitmb": 256, "procs": 1, "multisegment": False},
        ),
    ):
        times = []
        try:
            for rep in range(SPEED_REPEATS):
                d = os.path.join(tmp, "d-%d-%d" % (len(kw), rep))
                os.mkdir(d)
                ix = index.create_in(d, schema)
                t0 = time.perf_counter()
                w = ix.writer(**kw)
                for i, t in enumerate(texts):
                    w.add_document(id=str(i), body=t, n=i)
                w.commit()
                times.append(time.perf_counter() - t0)
                count = ix.doc_count()
                ix.close()
                shutil.rmtree(d, ignore_errors=True)
            dt = min(times)
            row(
                "d) index %d docs [%s]" % (N_DOCS_D, label),
                "%.0f docs/s" % (N_DOCS_D / dt),
                "best of %d: %.2fs (all: %s), doc_count=%d%s"
                % (
                    len(times),
                    dt,
                    " ".join(f"{x:.2f}" for x in times),
                    count,
                    "" if count == N_DOCS_D else " WRONG",
                ),
            )
        except Exception as e:
            row("d) index %d docs [%s]" % (N_DOCS_D, label), "FAIL", short_exc(e))


# --------------------------------------------------------------------------
# (e) NumericRange with an open lower bound on an unsigned NUMERIC field
# --------------------------------------------------------------------------


def check_numeric_range(tmp):
    for signed in (True, False):
        schema = fields.Schema(
            id=fields.ID(stored=True), n=fields.NUMERIC(int, signed=signed, stored=True)
        )
        d = os.path.join(tmp, f"e-{signed}")
        os.mkdir(d)
        ix = index.create_in(d, schema)
        w = ix.writer()
        for i in range(0, 100, 10):
            w.add_document(id=str(i), n=i)
        w.commit()
        with ix.searcher() as s:
            got = sorted(h["n"] for h in s.search(query.NumericRange("n", None, 15), limit=None))
        row(
            f"e) NumericRange(n, None, 15) signed={signed}",
            "PASS" if got == [0, 10] else "FAIL",
            f"matched {got}",
        )


def main():
    print(
        f"package: {distribution_name()} (import {PKG_NAME}) from {os.path.dirname(PKG.__file__)}"
    )
    print(
        "version: {}   python: {}".format(
            getattr(PKG, "versionstring", lambda: PKG.__version__)(), sys.version.split()[0]
        )
    )
    tmp = tempfile.mkdtemp(prefix="whoosh-defects-")
    caught = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for fn in (
                check_andnot,
                check_analyzer,
                check_basics,
                check_numeric_range,
                check_speed,
            ):
                try:
                    fn(tmp)
                except Exception as e:
                    row(fn.__name__, "ERROR", short_exc(e))
                    if os.environ.get("WHOOSH_DEFECTS_DEBUG"):
                        traceback.print_exc()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kinds = sorted({f"{w.category.__name__}: {str(w.message)[:70]}" for w in caught})
    row(
        "warnings during run",
        "PASS" if not kinds else "WARN",
        "%d: %s" % (len(caught), "; ".join(kinds[:3])),
    )

    w1 = max(len(r[0]) for r in ROWS)
    w2 = max(len(r[1]) for r in ROWS)
    print("-" * (w1 + w2 + 40))
    print("%-*s  %-*s  %s" % (w1, "check", w2, "result", "detail"))
    print("-" * (w1 + w2 + 40))
    for c, r, dtl in ROWS:
        print("%-*s  %-*s  %s" % (w1, c, w2, r, dtl))
    fails = sum(1 for r in ROWS if r[1] in ("FAIL", "ERROR"))
    print("-" * (w1 + w2 + 40))
    print("%d checks failed" % fails)


if __name__ == "__main__":
    main()
