"""Faults: what goes wrong with hostile pages, full disks and damaged indexes, as clear errors.

One bad file must never stop a run, and nothing may fail without a word. This module turns the
low-level ways things fail (a ``RecursionError`` on absurdly nested HTML, an ``OSError`` while
the index is written, the engines' own errors on a damaged index file) into
:class:`~corpsearch.errors.CorpsearchError` subclasses whose messages say what to do.
See docs/reliability.md for every case that is tested.
"""

from __future__ import annotations

import errno
import functools
import gc
import os
import re
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from .errors import CorpsearchError, ExtractionError, IndexDamagedError, IndexWriteError

__all__ = [
    "DISK_FULL",
    "damaged_index",
    "failure_reason",
    "guard_extraction",
    "index_writes",
    "rebuild_hint",
    "write_failure",
]

P = ParamSpec("P")
R = TypeVar("R")

DISK_FULL = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT})
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def guard_extraction(function: Callable[P, R]) -> Callable[P, R]:
    """Let only :class:`ExtractionError` out of an extractor for the ways pages defeat parsers."""

    @functools.wraps(function)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except RecursionError as error:
            raise ExtractionError(
                "the page's HTML is nested too deeply to read (a broken or hostile page); "
                "it was skipped"
            ) from error
        except MemoryError as error:
            raise ExtractionError(
                "the page needs more memory than is available to read; it was skipped "
                "(lower --max-file-mb to refuse such files before they are read)"
            ) from error
        except UnicodeError as error:
            raise ExtractionError(
                f"the page or its file name has characters that cannot be handled ({error}); "
                "convert the file to UTF-8 or rename it"
            ) from error

    return guarded


def failure_reason(error: Exception) -> str:
    """The reason a run reports for a page it skipped."""
    if isinstance(error, CorpsearchError):
        return str(error)
    return (
        f"unexpected {type(error).__name__} while reading the page ({error}); the page was "
        "skipped and the run went on. This is a bug in corpsearch: please report it with the page"
    )


def user_folder(folder: str | os.PathLike[str]) -> str:
    """The index folder the user named, for messages: a generation folder (``D/gen-000002``,
    an internal part of ``D``; see generations.py) is shown as ``D``."""
    path = os.fspath(folder)
    parent, name = os.path.split(path.rstrip(os.sep))
    if _GENERATION.match(name) and os.path.exists(os.path.join(parent, "CURRENT")):
        return parent
    return path


_GENERATION = re.compile(r"^gen-\d{6,}$")


def rebuild_hint(folder: str | os.PathLike[str]) -> str:
    return f"rebuild it: corpsearch index --rebuild --index {user_folder(folder)} PATH"


def write_failure(error: OSError, folder: str | os.PathLike[str]) -> IndexWriteError:
    """An ``OSError`` met while writing the index, as a message that says what to do."""
    where = user_folder(folder)
    detail = error.strerror or str(error)
    if error.errno in DISK_FULL:
        what = "the disk is full or a file-size limit was reached"
        fix = "free some space (or choose a folder on another disk with --index) and run again"
    elif error.errno in _DENIED:
        what = "the index folder is not writable"
        fix = "fix its permissions, or choose a writable folder with --index"
    else:
        what = "the index could not be written"
        fix = "check the folder and the disk, and run again"
    return IndexWriteError(
        f"{what} while writing the index in {where} ({detail}); {fix}. "
        "The index as last committed is unchanged and still searchable"
    )


@contextmanager
def index_writes(
    folder: str | os.PathLike[str], damage: tuple[type[BaseException], ...] = ()
) -> Iterator[None]:
    """Turn an ``OSError`` raised inside the block into :class:`IndexWriteError`.

    An engine passes the exceptions its library raises on reading a damaged file as ``damage``;
    those, and ``OSError``s that are not about space or permissions (a segment file that has
    vanished, a read of garbage), become :class:`IndexDamagedError`.
    """
    try:
        yield
    except OSError as error:
        if damage and error.errno not in DISK_FULL | _DENIED:
            raise damaged_index(error, folder) from error
        raise write_failure(error, folder) from error
    except damage as error:
        raise damaged_index(error, folder) from error


def damaged_index(error: BaseException, folder: str | os.PathLike[str]) -> IndexDamagedError:
    """An engine's error on reading a damaged index file, with the way out."""
    _release(error)
    return IndexDamagedError(
        f"the index in {user_folder(folder)} is damaged and cannot be read "
        f"({_name(error)}: {error}); {rebuild_hint(folder)}"
    )


def _name(error: BaseException) -> str:
    kind = type(error)
    # struct.error, zlib.error: the bare name says nothing.
    return f"{kind.__module__}.{kind.__name__}" if kind.__name__ == "error" else kind.__name__


def _release(error: BaseException) -> None:
    """Close, now and quietly, the files a failed engine call left open in its frames.

    An engine that fails half-way through reading a damaged file does not close what it opened;
    the open files live on in the traceback's frames until the error is forgotten.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        seen: set[int] = set()
        current: BaseException | None = error
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            traceback.clear_frames(current.__traceback__)
            current = current.__cause__ or current.__context__
        gc.collect()
