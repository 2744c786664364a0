"""Run a corpsearch command where file permissions apply.

A normal user is stopped by ``chmod 000``; root is not. Under root the command runs in a new
user namespace as ``nobody`` (``unshare --user``), where the permission bits bind again; if that
is not possible the test is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

NOBODY = ["unshare", "--user", "--map-user=65534", "--map-group=65534"]


def _namespace_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run([*NOBODY, "true"], capture_output=True, check=False)
    return probe.returncode == 0


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``corpsearch ARGS`` in a fresh process whose file access obeys permission bits."""
    command = [sys.executable, "-m", "corpsearch", *args]
    if os.geteuid() == 0:
        if not _namespace_works():
            pytest.skip(
                "running as root, where chmod does not stop reads or writes, and no user "
                "namespace is available to drop that right"
            )
        command = [*NOBODY, *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
