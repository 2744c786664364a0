"""Whole-process time of short ``corpsearch`` commands, as a user or a script waits for them.

Builds one small index per engine from the seed and the bundled real pages, then runs each
command ``--repeat`` times in a fresh process (start-up, imports, opening the index, the query,
printing) with ``python -c pass`` as the floor, interleaving the commands so that a change in
the machine's load hits them alike. ``--baseline REV`` times the same commands with the source of
an earlier commit too, in the same run, for a fair before/after. Prints a Markdown table (median
and p95 in ms, CPU time, and the ratios to the baseline and to ``python -c pass``) with the
machine's cores and load, for benchmarks/results/startup.md; ``--importtime`` also prints the
modules that cost most to import for each command (``python -X importtime``), and
``--instructions`` the instructions each command executes (valgrind), which the machine's load
does not change, with what each layer of a search's imports costs.

Both sources are byte-compiled first, as ``pip install`` does: with ``PYTHONDONTWRITEBYTECODE``
set, or a checkout the user cannot write, every run would otherwise compile every module it
imports again, and that (not corpsearch) would be what is timed.

    python benchmarks/bench_startup.py --repeat 20 --baseline main
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent / "corpsearch"
SOURCES = (ROOT / "fixtures" / "seed" / "000_0b9b997b58ed1954.txt", ROOT / "fixtures" / "pages")


def commands(work: Path, large: Path | None = None) -> dict[str, list[str]]:
    """What is timed, by label: the arguments of a ``corpsearch`` process; ``large``, an index
    built beforehand (a benchmark corpus's), adds a rare and a common word searched in it."""
    runs: dict[str, list[str]] = {"corpsearch --version": ["--version"]}
    for engine in ("tantivy", "whoosh"):
        index = str(work / engine)
        runs[f"corpsearch query assad ({engine})"] = ["query", "--index", index, "assad"]
        runs[f"corpsearch query assad --facet site ({engine})"] = [
            *("query", "--index", index, "assad", "--facet", "site"),
        ]
        runs[f"corpsearch stats ({engine})"] = ["stats", "--index", index]
    runs["corpsearch status (tantivy)"] = ["status", "--index", str(work / "tantivy")]
    if large is not None:
        size = _size(large)
        for word in ("assad", "said"):
            label = f"corpsearch query {word} (large index: {size})"
            runs[label] = ["query", "--index", str(large), word]
    return runs


def _size(index: Path) -> str:
    """The number of documents of an index, as ``stats --json`` gives it."""
    stats = subprocess.run(
        [str(BIN), "stats", "--json", "--index", str(index)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return f"{json.loads(stats)['documents']:,} documents"


Run = tuple[list[str], dict[str, str]]  # argv, environment


def variants(runs: dict[str, list[str]], baseline: Path | None) -> dict[str, Run]:
    """Every command as the installed ``corpsearch`` runs it and, with a baseline, as the
    baseline's source (first on ``PYTHONPATH``) runs it; the interpreter alone as the floor."""
    env = dict(os.environ)
    timed: dict[str, Run] = {"python -c pass (the floor)": ([sys.executable, "-c", "pass"], env)}
    for label, args in runs.items():
        timed[label] = ([str(BIN), *args], env)
        if baseline is not None:
            old = {**env, "PYTHONPATH": str(baseline / "src")}
            timed[f"{label}, baseline"] = ([sys.executable, "-c", _RUN_CLI, *args], old)
    return timed


def unpack(revision: str, folder: Path) -> Path:
    """The source tree of ``revision`` in ``folder``."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "src"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def byte_compile(env: dict[str, str]) -> Path:
    """Compile the corpsearch that ``env`` imports (its ``__pycache__`` beside the source)."""
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import corpsearch, os; print(os.path.dirname(corpsearch.__file__))",
        ],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", where], check=True, env=env)
    return Path(where)


def build(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
    for engine in ("tantivy", "whoosh"):
        subprocess.run(
            [str(BIN), "index", "--engine", engine, "--index", str(work / engine), *SOURCES],
            check=True,
            capture_output=True,
        )


def time_all(
    runs: dict[str, Run], repeat: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall-clock and CPU (user + system) milliseconds of every run. On a loaded machine the
    wall clock also counts the time other processes had the cores; the CPU time much less so."""
    wall: dict[str, list[float]] = {label: [] for label in runs}
    cpu: dict[str, list[float]] = {label: [] for label in runs}
    for _ in range(repeat):
        for label, (argv, env) in runs.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True, env=env)
            wall[label].append((time.perf_counter() - started) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            cpu[label].append(used * 1000)
    return wall, cpu


def instructions(argv: list[str], env: dict[str, str]) -> float:
    """Millions of instructions a process executes (valgrind's cachegrind, no cache model): the
    same on every run whatever the machine's load, so small differences show."""
    done = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            *argv,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count from valgrind: {done.stderr[-300:]}")
    return int(found.group(1).replace(",", "")) / 1e6


# What a search imports, in the order it needs it: each step's instructions are the difference
# to the step before (``--steps``), the start-up cost of that layer.
STEPS = (
    ("Python itself (python -c pass)", ""),
    ("click", "import click"),
    ("the command group (corpsearch --version loads this far)", "import corpsearch.cli"),
    ("the query command and its options (pathlib, json)", "import corpsearch.cli_query"),
    (
        "the query language (its 10 frozen dataclasses) and date values",
        "import corpsearch.query.parser",
    ),
    ("the engine seam and documents (7 dataclasses)", "import corpsearch.engine.base"),
    ("the index (generations, short ids, faults)", "import corpsearch.index"),
    ("rendering (the table, JSON, snippets)", "import corpsearch.output"),
    ("word analysis (PyStemmer)", "import corpsearch.analysis"),
    ("the tantivy engine and library", "import corpsearch.engine.tantivy_engine"),
)


def import_steps(env: dict[str, str]) -> list[tuple[str, float]]:
    """The instructions of each step of :data:`STEPS`, over the steps before it."""
    rows, code, before = [], [], 0.0
    for label, statement in STEPS:
        code.append(statement or "pass")
        total = instructions([sys.executable, "-c", "; ".join(code)], env)
        rows.append((label, total - before))
        before = total
    return rows


def slowest_imports(args: list[str], count: int = 8) -> list[tuple[str, int]]:
    """The modules that took longest to import, with their cumulative microseconds."""
    program = [sys.executable, "-X", "importtime", "-c", _RUN_CLI, *args]
    result = subprocess.run(program, capture_output=True, text=True, check=True)
    rows = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((parts[2].rstrip(), int(parts[1])))
    return sorted(rows, key=lambda row: -row[1])[:count]


_RUN_CLI = "import sys; from corpsearch.cli import main; sys.argv[0] = 'corpsearch'; main()"


def _load(averages: tuple[float, float, float]) -> str:
    return ", ".join(f"{value:.2f}" for value in averages)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def whole_process(
    work: Path, large: dict[str, Path], words: dict[str, str], repeat: int
) -> dict[str, dict[str, float]]:
    """Fresh-process ``corpsearch query`` on the seed index and on ``large`` indexes (by engine),
    for each of ``words`` (by label), with ``--version`` and ``python -c pass`` beside them;
    wall and CPU milliseconds (median and p95) and the load average at the end."""
    build(work)
    runs: dict[str, list[str]] = {"corpsearch --version": ["--version"]}
    for engine in ("tantivy", "whoosh"):
        runs[f"query assad, seed index ({engine})"] = [
            *("query", "--index", str(work / engine), "assad"),
        ]
    for engine, index in large.items():
        for label, word in words.items():
            runs[f"query {word} ({label}), this corpus ({engine})"] = [
                *("query", "--index", str(index), word),
            ]
    timed = variants(runs, None)
    byte_compile(timed["corpsearch --version"][1])
    wall, cpu = time_all(timed, repeat)
    load = os.getloadavg()[0]
    return {
        label: {
            "median_ms": statistics.median(wall[label]),
            "p95_ms": percentile(wall[label], 0.95),
            "cpu_median_ms": statistics.median(cpu[label]),
            "runs": len(wall[label]),
            "load": round(load, 2),
        }
        for label in timed
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work" / "startup")
    parser.add_argument("--importtime", action="store_true", help="show the slowest imports")
    parser.add_argument("--baseline", help="also time the source of this git revision")
    parser.add_argument("--large", type=Path, help="also search this (large) index, built before")
    parser.add_argument(
        "--instructions", action="store_true", help="also count instructions (needs valgrind)"
    )
    options = parser.parse_args()
    build(options.work)
    runs = commands(options.work, options.large)
    baseline = unpack(options.baseline, options.work / "baseline") if options.baseline else None
    timed = variants(runs, baseline)
    # each source once (the current one, and the baseline's)
    for env in {env.get("PYTHONPATH", ""): env for _, env in timed.values()}.values():
        byte_compile(env)
    load_before = os.getloadavg()
    times, cpu = time_all(timed, options.repeat)
    load_after = os.getloadavg()
    print(
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, load {_load(load_before)} before / {_load(load_after)} after, "
        f"{options.repeat} runs of each command, index of the seed and "
        f"{len(list(SOURCES[1].iterdir()))} real pages"
        + (f", baseline {options.baseline}" if options.baseline else "")
        + "\n"
    )
    print(
        "| command | wall median ms | wall p95 ms | CPU median ms "
        "| × baseline, wall / CPU | × `python -c pass`, wall / CPU |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    wall = {label: statistics.median(values) for label, values in times.items()}
    used = {label: statistics.median(values) for label, values in cpu.items()}
    floor = "python -c pass (the floor)"
    for label, values in times.items():
        before = f"{label}, baseline"
        against = (
            f"{wall[label] / wall[before]:.2f} / {used[label] / used[before]:.2f}"
            if before in times
            else ""
        )
        print(
            f"| `{label}` | {wall[label]:.0f} | {percentile(values, 0.95):.0f} "
            f"| {used[label]:.0f} | {against} "
            f"| {wall[label] / wall[floor]:.1f} / {used[label] / max(used[floor], 1):.1f} |"
        )
    if options.importtime:
        for label, argv in runs.items():
            rows = slowest_imports(argv)
            if rows:
                print(
                    f"\n{label}: "
                    + ", ".join(f"{name.strip()} {us / 1000:.0f} ms" for name, us in rows)
                )
    if options.instructions:
        print("\n| command | million instructions | × baseline | × `python -c pass` |")
        print("| --- | ---: | ---: | ---: |")
        counted = {label: instructions(argv, env) for label, (argv, env) in timed.items()}
        for label, count in counted.items():
            before = counted.get(f"{label}, baseline")
            against = f"{count / before:.2f}" if before else ""
            print(f"| `{label}` | {count:.0f} | {against} | {count / counted[floor]:.1f} |")
        print(
            "\nWhat a search imports, step by step (million instructions over the step before):\n"
        )
        print("| step | million instructions |")
        print("| --- | ---: |")
        for label, count in import_steps(timed[floor][1]):
            print(f"| {label} | {count:.0f} |")


if __name__ == "__main__":
    main()
