"""Extraction on a Dask cluster (``corpsearch index --scheduler``), on real clusters on 127.0.0.1.

A ``LocalCluster`` (two worker processes) and a cluster started as users start one, with
``dask scheduler`` and ``dask worker`` processes on free ports. The index a cluster builds must
be the one the local pool builds from the same pages; a worker killed mid-run must cost
nothing; a job killed mid-run must lose and duplicate nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpsearch.cli import cli
from corpsearch.config import JobSettings
from corpsearch.dask_pool import extract_on_cluster
from corpsearch.errors import DaskClusterError
from corpsearch.extract import ExtractOptions
from corpsearch.extractpool import Task
from corpsearch.generations import resolve
from corpsearch.index import Index
from corpsearch.jobs import Progress, RunSummary, run_job
from corpsearch.manifest import Manifest
from corpsearch.sources import SourceDocument, SourceLimits, iter_sources

from .conftest import PAGES, SEED_HTML, SEED_TEXT, SHARED_DATA, write_warc
from .pagegen import make_pages, page_html
from .test_jobs_cli import BIN, assert_every_page_once

DASK = Path(sys.executable).parent / "dask"
# One thread per worker process, as docs/dask.md advises; no nanny, so a killed worker is gone.
WORKER_OPTIONS = ("--host", "127.0.0.1", "--nthreads", "1", "--no-nanny", "--no-dashboard",
                  "--death-timeout", "60")  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def local_cluster() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        yield str(cluster.scheduler_address)


class Cluster:
    """A ``dask scheduler`` process, and ``dask worker`` processes started as a user starts
    them; everything is stopped at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.logs = folder / "dask-logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        port = free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        self.processes: list[subprocess.Popen[bytes]] = []
        self.start("scheduler", str(DASK), "scheduler", "--host", "127.0.0.1", "--port",
                   str(port), "--no-dashboard")  # fmt: skip
        _wait_for_workers(self.address, 0, self.logs)  # until the scheduler answers

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        with (self.logs / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    @contextlib.contextmanager
    def workers(
        self, count: int, wrap: tuple[str, ...] = ()
    ) -> Iterator[list[subprocess.Popen[bytes]]]:
        """``count`` workers (each run under ``wrap``), stopped and gone at the end."""
        command = (str(DASK), "worker", self.address, *WORKER_OPTIONS,
                   "--local-directory", str(self.folder / "scratch"))  # fmt: skip
        started = [
            self.start(f"worker{len(self.processes)}", *wrap, *command) for _ in range(count)
        ]
        try:
            _wait_for_workers(self.address, count, self.logs)
            yield started
        finally:
            _stop(started)
            _wait_for_workers(self.address, 0, self.logs)

    def stop(self) -> None:
        _stop(self.processes)


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def dask_cli_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    cluster = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        yield cluster
    finally:
        cluster.stop()


def _wait_for_workers(address: str, count: int, logs: Path) -> None:
    """Until the scheduler at ``address`` has exactly ``count`` workers."""
    from distributed import Client

    deadline = time.monotonic() + 60
    while True:
        try:
            with Client(address, timeout=5, set_as_default=False) as client:
                while len(client.nthreads()) != count and time.monotonic() < deadline:
                    time.sleep(0.1)
                if len(client.nthreads()) == count:
                    return
        except (OSError, TimeoutError):
            time.sleep(0.2)
        if time.monotonic() > deadline:
            text = "\n".join(p.read_text(errors="replace")[-2000:] for p in logs.iterdir())
            raise AssertionError(f"the Dask cluster never had {count} workers:\n{text}")


def corpus(folder: Path) -> Path:
    """The fixture pages, the seed, real pages of both comment-page sets, a web archive of
    real pages, and a page that cannot be read."""
    pages = folder / "corpus"
    shutil.copytree(PAGES, pages / "fixtures")
    shutil.copy(SEED_TEXT, pages / SEED_TEXT.name)
    shutil.copy(SEED_HTML, pages / SEED_HTML.name)
    real = sorted((SHARED_DATA / "comment-pages").glob("*.html"))[:3]
    for page in real:
        shutil.copy(page, pages / page.name)
    archived = sorted((SHARED_DATA / "comment-pages-2").glob("*.html"))[:2]
    write_warc(
        pages / "archive.warc.gz",
        [
            (f"https://example.org/{p.stem}", p.read_bytes(), "2024-01-02T03:04:05Z", "text/html")
            for p in archived
        ],
        gzip=True,
    )
    # Records in more than one task, and an archive cut short in its middle.
    for name, numbers in (("many", range(11)), ("cut", range(100, 106))):
        write_warc(
            pages / f"{name}.warc.gz",
            [(f"https://example.org/{name}/{n}", page_html(n).encode(), "2024-01-02T03:04:05Z",
              "text/html; charset=utf-8") for n in numbers],
            gzip=True,
        )  # fmt: skip
    cut = pages / "cut.warc.gz"
    offsets = [item.ref.offset for item in iter_sources([cut]) if isinstance(item, SourceDocument)]
    cut.write_bytes(cut.read_bytes()[: offsets[3] + 2000])  # inside the fourth page's record
    (pages / "broken.html").write_bytes(b"\x00\x01" * 200)
    return pages


def dump(index_dir: Path) -> list[object]:
    with Index.open(index_dir) as index:
        return sorted(index.documents(), key=lambda d: d.id)


def manifest(index_dir: Path) -> dict[str, tuple[int, str, tuple[str, ...]]]:
    entries = Manifest.load(resolve(index_dir)).entries
    return {source: (e.size, e.sha256, e.ids) for source, e in entries.items()}


def failures(summary: RunSummary) -> list[tuple[str, str]]:
    return sorted((f.source, f.reason) for f in summary.failures)


def counts(summary: RunSummary) -> tuple[int, ...]:
    s = summary
    return (s.new, s.changed, s.removed, s.unchanged, s.failed, s.articles, s.comments, s.merged)


def test_a_cluster_builds_the_local_pools_index_and_reruns_incrementally(
    tmp_path: Path, local_cluster: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # relative sources: the workers read them from this folder
    corpus(tmp_path)
    sources = (Path("corpus"),)
    local = JobSettings(sources=sources, index=Path("local"), workers=1)
    remote = JobSettings(sources=sources, index=Path("remote"), scheduler=local_cluster)
    runs = [(run_job(local), run_job(remote))]
    first_local = runs[0][0]
    assert first_local.new == 12
    assert any(f.source.startswith("corpus/cut.warc.gz#") for f in first_local.failures)
    broken = dict(failures(first_local))["corpus/broken.html"]
    assert "binary" in broken  # a page's error is recorded, not retried

    # A rerun changes nothing; an edit and a removal are one change each.
    runs.append((run_job(local), run_job(remote)))
    assert runs[1][1].unchanged == 12 and runs[1][1].new == runs[1][1].changed == 0
    page = tmp_path / "corpus" / "fixtures" / "pixelmonkey.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</p>", " dasktest</p>", 1))
    (tmp_path / "corpus" / SEED_TEXT.name).unlink()
    runs.append((run_job(local), run_job(remote)))
    assert (runs[2][1].changed, runs[2][1].removed) == (1, 1)

    for on_pool, on_cluster in runs:
        assert counts(on_cluster) == counts(on_pool)
        assert failures(on_cluster) == failures(on_pool)
    assert dump(Path("remote")) == dump(Path("local"))
    assert manifest(Path("remote")) == manifest(Path("local"))
    with Index.open(Path("remote")) as index:
        assert index.search("dasktest").total == 1
        sources_seen = {h.source for h in index.search("kind:article", limit=100).hits}
    assert "corpus/archive.warc.gz#0" not in sources_seen  # records name their offset
    assert any(s.startswith("corpus/archive.warc.gz#") for s in sources_seen)


def test_an_unreachable_scheduler_is_a_clear_error_before_anything_is_created(
    tmp_path: Path,
) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    started = time.monotonic()
    result = CliRunner().invoke(
        cli, ["index", str(PAGES), "--index", str(tmp_path / "ix"), "--scheduler", address]
    )
    assert result.exit_code == 1
    assert (
        f"could not reach the Dask scheduler at {address} (Connection refused); start one with "
        "`dask scheduler` or drop --scheduler"
    ) in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "ix").exists()
    assert time.monotonic() - started < 5
    with pytest.raises(DaskClusterError, match="could not reach the Dask scheduler"):
        run_job(JobSettings(sources=(PAGES,), index=tmp_path / "ix", scheduler="127.0.0.1:1"))


def test_a_worker_killed_mid_run_and_a_job_killed_mid_run(
    tmp_path: Path, dask_cli_cluster: Cluster
) -> None:
    pages = tmp_path / "pages"
    make_pages(pages, 24)
    address = dask_cli_cluster.address
    with dask_cli_cluster.workers(2) as workers:
        killed: list[int] = []

        def kill_a_worker(progress: Progress) -> None:
            if progress.done >= 4 and not killed:
                workers[0].send_signal(signal.SIGKILL)  # no nanny: it does not come back
                workers[0].wait()
                killed.append(progress.done)

        settings = JobSettings(sources=(pages,), index=tmp_path / "ix", scheduler=address, batch=10)
        summary = run_job(settings, on_progress=kill_a_worker)
        assert killed and killed[0] < 24  # killed while pages were still out
        assert (summary.new, summary.failed) == (24, 0)
        assert_every_page_once(tmp_path / "ix", 24)
        entries = manifest(tmp_path / "ix")
        assert len(entries) == 24 and all(len(ids) == 1 for _, _, ids in entries.values())
        again = run_job(settings)
        assert (again.unchanged, again.new, again.changed) == (24, 0, 0)

        # The job itself killed (kill -9) after a commit: the next run completes the work.
        make_pages(pages, 24, start=24)
        args = [str(BIN), "index", str(pages), "--index", str(tmp_path / "ix"),
                "--scheduler", address, "--batch", "3"]  # fmt: skip
        job = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        journal = resolve(tmp_path / "ix") / "manifest.journal"
        deadline = time.monotonic() + 120
        while not journal.exists() and job.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        job.kill()
        job.communicate()
        rerun = run_job(settings)
        assert rerun.failed == 0 and rerun.new + rerun.unchanged == 48
        assert rerun.new < 24  # the killed job had committed some pages
        assert_every_page_once(tmp_path / "ix", 48)
        assert len(manifest(tmp_path / "ix")) == 48


def _can_unshare() -> bool:
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    done = subprocess.run(["unshare", "-m", "--propagation", "private", "true"], check=False)
    return done.returncode == 0


@pytest.mark.skipif(not _can_unshare(), reason="needs root and unshare for a mount namespace")
def test_sources_a_worker_cannot_read(tmp_path: Path, dask_cli_cluster: Cluster) -> None:
    """A worker on which some sources are not mounted (a tmpfs hides them there)."""
    elsewhere = tmp_path / "elsewhere"
    make_pages(elsewhere / "pages", 2, start=6)
    pages = tmp_path / "pages"
    make_pages(pages, 4)
    hidden = pages / "hidden"
    make_pages(hidden, 2, start=4)
    mounts = f'mount -t tmpfs none "{elsewhere}" && mount -t tmpfs none "{hidden}"'
    wrap = ("unshare", "-m", "--propagation", "private", "sh", "-c",
            f'{mounts} && exec "$0" "$@"')  # fmt: skip
    address = dask_cli_cluster.address
    with dask_cli_cluster.workers(1, wrap):
        gone = elsewhere / "pages"
        settings = JobSettings(sources=(gone,), index=tmp_path / "ix", scheduler=address)
        with pytest.raises(DaskClusterError) as error:
            run_job(settings)
        message = str(error.value)
        assert f"cannot read {gone} (no such file or folder there" in message
        assert "mount the sources at the same path on every worker" in message
        # A root the worker sees, with a folder in it that it does not: those pages are
        # recorded failures that name the worker; the others are indexed.
        summary = run_job(JobSettings(sources=(pages,), index=tmp_path / "ix", scheduler=address))
        assert (summary.new, summary.failed) == (4, 2)
        for failure in summary.failures:
            assert failure.source.startswith(str(hidden))
            assert "not found on the Dask worker tcp://127.0.0.1:" in failure.reason


def test_no_more_than_the_window_is_out_on_the_cluster(tmp_path: Path, local_cluster: str) -> None:
    paths = make_pages(tmp_path / "pages", 12)
    pulled = 0

    def feed() -> Iterator[Task]:
        nonlocal pulled
        for path in paths:
            pulled += 1
            yield Task(str(path), path.stat().st_size, path.stat().st_mtime_ns)

    results = extract_on_cluster(
        feed(), ExtractOptions(), SourceLimits(), scheduler=local_cluster,
        roots=[str(tmp_path / "pages")], window=2, chunk=2,
    )  # fmt: skip
    consumed = 0
    for result in results:
        consumed += 1
        assert result.failure is None and result.article is not None
        assert pulled - consumed <= 2 * 2  # two tasks of two pages
    assert consumed == 12


def test_a_scheduler_without_workers(tmp_path: Path, dask_cli_cluster: Cluster) -> None:
    (page,) = make_pages(tmp_path, 1)
    task = Task(str(page), page.stat().st_size, page.stat().st_mtime_ns)
    results = extract_on_cluster(
        [task], ExtractOptions(), SourceLimits(), scheduler=dask_cli_cluster.address,
        roots=[str(page)], timeout=1,
    )  # fmt: skip
    with pytest.raises(DaskClusterError) as error:
        next(results)
    assert str(error.value) == (
        f"the Dask scheduler at {dask_cli_cluster.address} has no workers (waited 1 s); "
        f"start some with `dask worker {dask_cli_cluster.address}`"
    )
