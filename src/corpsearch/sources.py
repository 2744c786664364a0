"""Source stage: turn paths given by the user into raw documents to extract.

Web archives (``.warc``, ``.warc.gz``, ``.arc``, ``.arc.gz``) give one document per HTML
response record (see :mod:`corpsearch.warc`). A folder is walked recursively (symbolic links to
folders are not followed, so a link loop cannot trap the walk; links to files outside the folder
are skipped unless asked for, so a link such as ``passwd.txt -> /etc/passwd`` brings no file of
the machine into the index). Every file that is skipped or cannot be read becomes a
:class:`SourceFailure`
with its reason, so the run report accounts for it.
"""

from __future__ import annotations

import os
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from .records import SourceRef
from .warc import ARCHIVE_SUFFIXES, iter_archive

__all__ = [
    "ARCHIVE_SUFFIXES",
    "HTML_SUFFIXES",
    "LINKED_FOLDER",
    "LINK_OUT_OF_TREE",
    "TEXT_SUFFIXES",
    "SourceDocument",
    "SourceFailure",
    "SourceLimits",
    "is_archive",
    "iter_sources",
    "links_out",
    "source_kind",
]

HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
TEXT_SUFFIXES = (".txt", ".txt.gz")

Kind = Literal["html", "text"]


@dataclass(frozen=True, slots=True)
class SourceLimits:
    """Limits that keep one hostile file from exhausting memory (documented settings)."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_decompressed_bytes: int = 100 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """The raw bytes of one page and where they came from.

    ``charset`` is the one a server declared for them (an archive's HTTP header), ``modified`` the
    file's modification time (the best guess of when a page file was saved).
    """

    ref: SourceRef
    kind: Kind
    data: bytes
    charset: str | None = None
    modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class SourceFailure:
    """A file that was skipped or could not be read, with the reason."""

    path: str
    reason: str


def source_kind(path: Path) -> Kind | None:
    name = path.name.lower()
    if name.endswith(HTML_SUFFIXES):
        return "html"
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    return None


def iter_sources(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    limits: SourceLimits | None = None,
    *,
    follow_links: bool = False,
) -> Iterator[SourceDocument | SourceFailure]:
    """Yield a document or a failure for every page file under ``paths``, in a stable order.

    A single string or path is one path (a string is not walked letter by letter: "pages/"
    read as the paths "p", "a", ... would have walked the file system from "/"). In a folder,
    a file that is a link to a file outside the folder is a failure (:data:`LINK_OUT_OF_TREE`)
    unless ``follow_links``; a path given itself is always read.
    """
    limits = limits or SourceLimits()
    if isinstance(paths, str | bytes | os.PathLike):
        paths = [paths]
    for given in paths:
        path = Path(given)
        try:
            yield from _given(path, limits, follow_links)
        except OSError as error:  # a name too long, a folder on the way that cannot be entered
            yield SourceFailure(str(path), f"cannot read: {error.strerror or error}")


def _given(
    path: Path, limits: SourceLimits, follow_links: bool
) -> Iterator[SourceDocument | SourceFailure]:
    if path.is_dir():
        yield from _walk(path, limits, follow_links)
    elif path.is_symlink() and not path.exists():
        yield SourceFailure(str(path), "a broken or looping symbolic link; skipped")
    elif path.exists() and is_archive(path):
        yield from iter_archive(path, limits)
    elif path.exists():
        kind = source_kind(path)
        if kind is None:
            yield SourceFailure(str(path), _unsupported(path))
        else:
            yield _read(path, kind, limits)
    else:
        yield SourceFailure(str(path), "no such file or folder; check the path")


def _walk(
    root: Path, limits: SourceLimits, follow_links: bool
) -> Iterator[SourceDocument | SourceFailure]:
    failures: list[SourceFailure] = []
    tree = os.path.realpath(root)

    def on_error(error: OSError) -> None:
        failures.append(SourceFailure(str(error.filename), f"cannot read folder: {error.strerror}"))

    for folder, dirs, files in os.walk(root, onerror=on_error):
        dirs.sort()
        yield from failures
        failures.clear()
        for name in dirs:
            if os.path.islink(os.path.join(folder, name)):
                yield SourceFailure(os.path.join(folder, name), LINKED_FOLDER)
        for name in sorted(files):
            path = Path(folder, name)
            page = is_archive(path) or source_kind(path) is not None
            if page and not follow_links and links_out(str(path), tree):
                yield SourceFailure(str(path), LINK_OUT_OF_TREE)
                continue
            if is_archive(path):
                yield from iter_archive(path, limits)
                continue
            kind = source_kind(path)
            if kind is not None:
                yield _read(path, kind, limits)
    yield from failures


def _unsupported(path: Path) -> str:
    return (
        f"not a supported page file ({path.suffix or 'no extension'}); "
        "corpsearch reads .html, .htm, .txt, the same gzipped, and .warc, .warc.gz, .arc, .arc.gz"
    )


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


LINKED_FOLDER = (
    "a link to a folder, not followed (so link loops cannot trap a run); pass its target"
)
LINK_OUT_OF_TREE = (
    "a link to a file outside the folder, not followed (so a link cannot bring a file of the "
    "machine into the index); pass --follow-links (follow_links = true) to read it"
)


def links_out(path: str, tree: str) -> bool:
    """Whether ``path`` is a symbolic link to something outside the folder ``tree`` (a real
    path, links resolved); a link within the folder is read like any file there."""
    if not os.path.islink(path):
        return False
    target = os.path.realpath(path)
    return os.path.commonpath([target, tree]) != tree


def _read(path: Path, kind: Kind, limits: SourceLimits) -> SourceDocument | SourceFailure:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return SourceFailure(str(path), "not a regular file (a pipe or device); skipped")
        size = info.st_size
        if size > limits.max_file_bytes:
            return SourceFailure(
                str(path),
                f"file is {size} bytes, over the limit of {limits.max_file_bytes}; "
                "raise max_file_bytes to read it",
            )
        data = path.read_bytes()
    except OSError as error:
        return SourceFailure(str(path), f"cannot read file: {error.strerror or error}")
    if path.name.lower().endswith(".gz"):
        try:
            data = _gunzip(data, limits.max_decompressed_bytes)
        except ValueError as error:
            return SourceFailure(str(path), str(error))
    if not data.strip():
        return SourceFailure(str(path), "file is empty")
    modified = datetime.fromtimestamp(info.st_mtime, UTC)
    return SourceDocument(SourceRef(str(path)), kind, data, modified=modified)


def _gunzip(data: bytes, limit: int) -> bytes:
    """Decompress at most ``limit`` bytes, so a gzip bomb is refused instead of filling memory."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as error:
        raise ValueError(f"not a readable gzip file ({error})") from error
    if len(out) > limit:
        raise ValueError(
            f"decompresses to more than {limit} bytes; raise max_decompressed_bytes to read it"
        )
    if not decompressor.eof:
        raise ValueError("gzip file is truncated; the page was read only in part and skipped")
    return out
