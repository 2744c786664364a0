"""A real PostgreSQL 15 server for the tests: initdb and pg_ctl in a temporary folder.

Data and socket live in the folder, the server listens on 127.0.0.1 on a free port with small
shared buffers and no fsync (a test server need not survive a power cut). PostgreSQL refuses to
run as root, so under root the folder belongs to the ``postgres`` user and the server runs as it
(``runuser``). Without the server's programs the tests that need it are skipped with the reason.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

BINDIR = Path("/usr/lib/postgresql/15/bin")
SUPERUSER = "corpsearch"


def _programs() -> Path | None:
    if (BINDIR / "pg_ctl").exists():
        return BINDIR
    found = shutil.which("pg_ctl")
    return Path(found).resolve().parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, bindir: Path, folder: Path) -> None:
        self.bindir = bindir
        self.folder = folder
        self.data = folder / "data"
        self.port = _free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(folder, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    @property
    def dsn(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        done = subprocess.run(
            [*self._as, *command], capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> None:
        if not self.data.exists():
            self._run(
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} "
            "-c shared_buffers=16MB -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=40"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


def postgres_server() -> Iterator[Server]:
    """A started server, stopped and removed afterwards (the body of a fixture)."""
    bindir = _programs()
    if bindir is None:
        pytest.skip("PostgreSQL 15 is not installed (apt-get install postgresql-15)")
    folder = Path(tempfile.mkdtemp(prefix="corpsearch-pg-"))
    server = Server(bindir, folder)
    try:
        server.start()
        yield server
    finally:
        try:
            if (server.data / "postmaster.pid").exists():
                server.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
