"""Index generations: the folder a search opens, and the atomic swap of a rebuilt index.

An index folder either holds the engine's files itself (the simple layout ``Index.create``
makes) or a file ``CURRENT`` naming the generation folder in use::

    index/
      CURRENT            "gen-000002"
      gen-000002/        corpsearch.json, whoosh/ (or tantivy/), manifest.json
      job.lock, runs.jsonl

``corpsearch index --rebuild`` builds the next generation beside the current one and then
replaces ``CURRENT`` in one ``os.replace``; a search opens either the old or the new index,
never a mixture. The previous generation is kept until the next rebuild, so a search that opened
it just before the swap can finish.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from .engine import ALL_ENGINES

__all__ = [
    "CURRENT_FILE",
    "current_generation",
    "generation_folders",
    "new_generation",
    "remove_old_generations",
    "resolve",
    "switch_to",
]

CURRENT_FILE = "CURRENT"
_GEN = re.compile(r"^gen-(\d{6,})$")
# Files of the simple layout, removed when a rebuild moves the folder to generations (the
# engine's folder is named after the engine).
_SIMPLE_LAYOUT = ("corpsearch.json", "manifest.json", *ALL_ENGINES)


def current_generation(folder: Path) -> str | None:
    """The name of the generation in use, or ``None`` for the simple layout."""
    try:
        name = (folder / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def resolve(folder: Path) -> Path:
    """The folder holding the index files a search should open."""
    name = current_generation(folder)
    return folder / name if name else folder


def generation_folders(folder: Path) -> list[Path]:
    """Generation folders, oldest first."""
    if not folder.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in folder.iterdir() if (m := _GEN.match(p.name))]
    return [p for _, p in sorted(found)]


def new_generation(folder: Path) -> Path:
    """A path for the next generation folder (not created)."""
    existing = generation_folders(folder)
    number = int(existing[-1].name[4:]) + 1 if existing else 1
    return folder / f"gen-{number:06d}"


def switch_to(folder: Path, generation: Path) -> None:
    """Make ``generation`` the one searches open, atomically."""
    tmp = folder / f".{CURRENT_FILE}.{os.getpid()}.tmp"
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(generation.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, folder / CURRENT_FILE)
    _fsync_folder(folder)


def remove_old_generations(folder: Path, *, keep: int = 2) -> None:
    """Delete generations older than the current one and the ``keep - 1`` before it, and the
    simple layout's files once generations are in use."""
    current = current_generation(folder)
    if current is None:
        return
    generations = generation_folders(folder)
    if len(generations) >= keep:  # the simple layout counts as the oldest generation
        for name in _SIMPLE_LAYOUT:
            path = folder / name
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            elif path.exists():
                path.unlink()
    older = [p for p in generations if p.name < current]
    for path in older[: max(len(older) - (keep - 1), 0)]:
        shutil.rmtree(path, ignore_errors=True)


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
