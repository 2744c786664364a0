"""Listing the page files under the sources of a job, with the fingerprint of each (size and
modification time), without reading them.

The walk follows the same rules as :func:`corpsearch.sources.iter_sources`: folders are walked
recursively in a stable order, links to folders are not followed, links to files outside the
folder given are skipped and reported unless ``follow_links``, and only page files
(:func:`corpsearch.sources.source_kind`) are listed. A source or folder that cannot be listed is
reported, and :attr:`Scan.incomplete` names it so that the job does not take its files for
removed.

Paths are kept as the user gave them (``pages/a.html`` stays relative), so that what a job
records does not name the machine's folders; they are made absolute only to be compared.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .sources import LINK_OUT_OF_TREE, LINKED_FOLDER, SourceFailure, is_archive, source_kind
from .sources import links_out as _links_out

__all__ = ["Scan", "ScannedFile", "scan_sources"]


@dataclass(frozen=True, slots=True)
class ScannedFile:
    path: str  # as the user gave it (under a folder given: the folder as given, then names)
    kind: str
    size: int
    mtime_ns: int


@dataclass(slots=True)
class Scan:
    files: list[ScannedFile] = field(default_factory=list)
    failures: list[SourceFailure] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)  # as given, in the order given
    incomplete: list[str] = field(default_factory=list)  # roots or folders not fully listed


def scan_sources(paths: list[Path] | tuple[Path, ...], *, follow_links: bool = False) -> Scan:
    """Every page file under ``paths`` with its size and modification time; with
    ``follow_links``, files that are links out of their folder too."""
    scan = Scan()
    seen: set[str] = set()  # absolute: the same file given twice is listed once
    for given in paths:
        root = os.fspath(given)
        scan.roots.append(root)
        if os.path.isdir(root):
            _walk(root, scan, seen, follow_links)
            continue
        try:
            stat = os.stat(root)
        except OSError as error:
            scan.incomplete.append(root)
            if os.path.islink(root):
                reason = "a broken or looping symbolic link; skipped (its pages stay in the index)"
            elif isinstance(error, FileNotFoundError):
                reason = "no such file or folder; check the path (its pages stay in the index)"
            else:
                reason = f"cannot read: {error.strerror}"
            scan.failures.append(SourceFailure(root, reason))
            continue
        kind = _kind(Path(root))
        if kind is None:
            scan.failures.append(
                SourceFailure(
                    root,
                    "not a supported page file; corpsearch reads .html, .htm, "
                    ".txt, the same gzipped, and .warc, .warc.gz, .arc, .arc.gz",
                )
            )
        elif os.path.abspath(root) not in seen:
            seen.add(os.path.abspath(root))
            scan.files.append(ScannedFile(root, kind, stat.st_size, stat.st_mtime_ns))
    return scan


def _walk(root: str, scan: Scan, seen: set[str], follow_links: bool) -> None:
    tree = os.path.realpath(root)

    def on_error(error: OSError) -> None:
        folder = str(error.filename)
        scan.incomplete.append(folder)
        scan.failures.append(SourceFailure(folder, f"cannot read folder: {error.strerror}"))

    for folder, dirs, files in os.walk(root, onerror=on_error):
        dirs.sort()
        for name in dirs:
            if os.path.islink(os.path.join(folder, name)):
                scan.failures.append(SourceFailure(os.path.join(folder, name), LINKED_FOLDER))
        for name in sorted(files):
            kind = _kind(Path(name))
            if kind is None:
                continue
            path = os.path.join(folder, name)
            if os.path.abspath(path) in seen:
                continue
            if not follow_links and _links_out(path, tree):
                scan.failures.append(SourceFailure(path, LINK_OUT_OF_TREE))
                continue
            try:
                stat = os.stat(path)
            except OSError as error:
                scan.incomplete.append(path)
                scan.failures.append(SourceFailure(path, f"cannot read file: {error.strerror}"))
                continue
            seen.add(os.path.abspath(path))
            scan.files.append(ScannedFile(path, kind, stat.st_size, stat.st_mtime_ns))


def _kind(path: Path) -> str | None:
    return "archive" if is_archive(path) else source_kind(path)
