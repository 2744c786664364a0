"""Pages per second of the indexing job on a Dask cluster (1 and 2 workers) and on the local pool.

    python benchmarks/bench_dask.py --pages 1000 --out benchmarks/results/dask.md

Generates (once) a corpus with benchmarks/gen_corpus.py, as page files and as web archives (one
archive per 1000 pages), then, for each source kind, runs the whole job (read, extract, index
with the default engine, commit) on a fresh index: with the local pool of one process per core,
and with ``--scheduler`` on a cluster of ``dask scheduler`` and one or two ``dask worker``
processes (one thread each) started on 127.0.0.1. Each cluster first indexes a few pages into a
throw-away index, so that the timed job does not include the workers' start-up (a cluster
outlives its jobs). The pipeline rate is articles indexed over the job's own seconds; CPU
seconds are those of the job's process (the writer, and the Dask client) and of the processes
that extract (the local pool's, or the Dask workers).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from corpsearch.config import JobSettings  # noqa: E402
from corpsearch.jobs import run_job  # noqa: E402

DASK = Path(sys.executable).parent / "dask"


@dataclass(frozen=True, slots=True)
class Row:
    kind: str
    mode: str
    articles: int
    seconds: float
    job_cpu: float
    worker_cpu: float
    load: tuple[float, float]

    @property
    def rate(self) -> float:
        return self.articles / self.seconds


def corpus(pages: int) -> Path:
    folder = ROOT / "benchmarks" / "corpus" / f"dask-{pages}"
    if not (folder / "summary.json").exists():
        command = [sys.executable, str(ROOT / "benchmarks" / "gen_corpus.py"), "--pages",
                   str(pages), "--out", str(folder), "--warc", "--overwrite"]  # fmt: skip
        subprocess.run(command, check=True)
    return folder


def sources(folder: Path, kind: str) -> tuple[Path, ...]:
    if kind == "archives":
        return (folder / "warc",)
    return tuple(sorted(p for p in folder.iterdir() if p.is_dir() and p.name.isdigit()))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def cluster(workers: int, scratch: Path) -> Iterator[tuple[str, list[psutil.Process]]]:
    """``dask scheduler`` and ``workers`` ``dask worker`` processes, as docs/dask.md starts them."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port",
                                   str(port), "--no-dashboard"], **quiet)]  # fmt: skip
    processes += [
        subprocess.Popen(
            [
                str(DASK),
                "worker",
                address,
                "--host",
                "127.0.0.1",
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
                "--local-directory",
                str(scratch),
            ],
            **quiet,
        )
        for _ in range(workers)
    ]
    try:
        from distributed import Client

        deadline = time.monotonic() + 120
        while True:
            try:
                with Client(address, timeout=5, set_as_default=False) as client:
                    client.wait_for_workers(workers, timeout=max(1, deadline - time.monotonic()))
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address, [psutil.Process(p.pid) for p in processes[1:]]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a loaded machine: a worker slow to close
                process.kill()
                process.wait()


def cpu(processes: list[psutil.Process]) -> float:
    return sum(sum(p.cpu_times()[:2]) for p in processes)


def children_cpu() -> float:
    """CPU seconds of this process's finished children (the local pool's processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(kind: str, mode: str, settings: JobSettings, workers: list[psutil.Process]) -> Row:
    me = psutil.Process()
    load_before = os.getloadavg()[0]
    job_before, workers_before = cpu([me]), cpu(workers) + children_cpu()
    summary = run_job(settings)
    assert summary.status == "ok" and summary.failed == 0, summary.to_dict()
    row = Row(
        kind,
        mode,
        summary.articles,
        summary.seconds,
        cpu([me]) - job_before,
        cpu(workers) + children_cpu() - workers_before,
        (load_before, os.getloadavg()[0]),
    )
    print(f"{kind:9} {mode:18} {row.rate:7.1f} pages/s ({row.seconds:.1f} s)", file=sys.stderr)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--kinds", default="files,archives")
    parser.add_argument("--out", type=Path, help="write the Markdown results here")
    options = parser.parse_args()
    folder = corpus(options.pages)
    kinds = options.kinds.split(",")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for kind in kinds:
            settings = JobSettings(sources=sources(folder, kind), index=work / f"local-{kind}")
            rows.append(timed(kind, f"local pool, {os.cpu_count()} processes", settings, []))
        for count in (1, 2):
            with cluster(count, work / "scratch") as (address, workers):
                warm = JobSettings(sources=(sources(folder, "files")[0] / "000000.html",),
                                   index=work / f"warm-{count}", scheduler=address)  # fmt: skip
                run_job(warm)
                for kind in kinds:
                    settings = JobSettings(sources=sources(folder, kind),
                                           index=work / f"dask{count}-{kind}", scheduler=address)  # fmt: skip
                    mode = f"Dask, {count} worker{'s' if count > 1 else ''}"
                    rows.append(timed(kind, mode, settings, workers))
                    shutil.rmtree(work / f"dask{count}-{kind}")
    text = report(rows, options.pages)
    print(text)
    if options.out is not None:
        options.out.write_text(text, encoding="utf-8")


def report(rows: list[Row], pages: int) -> str:
    lines = [
        f"Run: CPython {platform.python_version()}, {os.cpu_count()} cores "
        f"({platform.machine()}), {pages} generated pages (benchmarks/gen_corpus.py, seed 42), "
        "default engine, one run of each.",
        "",
        "| sources | extraction on | pages/s | job s | job process CPU s | extraction "
        "processes' CPU s "
        "| load before / after |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row.kind} | {row.mode} | {row.rate:.1f} | {row.seconds:.1f} | "
            f"{row.job_cpu:.1f} | {row.worker_cpu:.1f} | "
            f"{row.load[0]:.1f} / {row.load[1]:.1f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
