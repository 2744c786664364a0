"""The tantivy engine's faults: tantivy's errors on the index's files as corpsearch errors, and
the read-only view through which a read-only index is searched."""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path
from typing import Any

from ..faults import DISK_FULL, damaged_index, write_failure
from .base import translating

__all__ = ["LOCK_DENIED", "fault", "guarded", "read_only_view"]

# How tantivy's errors on files begin (it raises them all as ValueError); a Rust panic, such as
# an assertion on a damaged file's offsets, arrives as pyo3's PanicException, not an Exception.
_FILE_ERRORS = (
    "Failed to open",
    "An IO error occurred",
    "Data corrupted",
    "Incompatible index",
    "An index exists but the schema does not match",
)
_OS_ERROR = re.compile(r"\(os error (\d+)\)|\bcode: (\d+)")


def fault(error: BaseException, folder: Path) -> None:
    """Raise tantivy's error on reading or writing the index's files as a corpsearch error; an
    error that is not about the files is left alone."""
    if type(error).__name__ == "PanicException":
        raise damaged_index(error, folder) from error
    if not isinstance(error, ValueError) or not str(error).startswith(_FILE_ERRORS):
        return
    found = _OS_ERROR.search(str(error))
    code = int(found.group(1) or found.group(2)) if found else 0
    if code in DISK_FULL or code in (errno.EACCES, errno.EPERM, errno.EROFS):
        # The operating system's error, as the whoosh engine reports it, with tantivy's behind.
        cause = OSError(code, os.strerror(code))
        cause.__cause__ = error
        raise write_failure(cause, folder) from cause
    raise damaged_index(error, folder) from error


# tantivy's reader takes a lock file in the index folder, which a read-only folder refuses.
LOCK_DENIED = re.compile(r"Failed to acquire Lockfile.*(PermissionDenied|ReadOnlyFilesystem)")


def read_only_view(folder: Path) -> Path:
    """A temporary folder of links to the index's files, where tantivy can take its reader's
    lock: searching needs no write lock, but tantivy's reader wants a lock file it can open for
    writing beside the files. No writer is ever opened on the view (``writer`` refuses), so the
    index itself is only read."""
    import tempfile  # (imported here: only an index in a read-only folder needs it)

    view = Path(tempfile.mkdtemp(prefix="corpsearch-read-only-"))
    try:
        for entry in folder.iterdir():
            if not entry.name.endswith(".lock"):
                (view / entry.name).symlink_to(entry.resolve())
    except OSError:
        shutil.rmtree(view, ignore_errors=True)
        raise
    return view


def _folder_fault(error: BaseException, owner: Any) -> None:
    fault(error, owner._folder)


# Raise tantivy's errors on damaged files, full disks and read-only folders, met by a method of
# an object with a ``_folder``, as IndexError_ subclasses that say what to do.
guarded = translating(_folder_fault)
