"""corpsearch: full-text search for scraped news articles and their reader comments.

Quick start::

    import corpsearch

    with corpsearch.open_index("index", create=True) as index:
        index.add(["pages/"])
        result = index.search('author:_mowaten_ "civil war"', sort="-date")
        for hit in result.hits:
            print(hit.published, hit.author, hit.snippet)
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

# The errors are plain classes that every command loads anyway; everything else is imported
# on first use (below).
from .errors import (
    AmbiguousIdError,
    ConfigError,
    CorpsearchError,
    DaskClusterError,
    DatabaseError,
    DeliveryError,
    DocumentNotFoundError,
    ExtractionError,
    IndexDamagedError,
    IndexError_,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    IndexWriteError,
    ProfileError,
    QueryError,
    QueryTooBroadError,
    SourceError,
    WatchError,
    WatchNotFoundError,
)

if TYPE_CHECKING:
    from .engine import Hit
    from .extract import ExtractOptions, extract
    from .index import Failure, Index, IndexReport, SearchResult
    from .profiles import Profile, load_profiles
    from .query import ast as query
    from .query.parser import parse_query
    from .records import Article, Comment, Problem, SourceRef
    from .sources import SourceFailure, SourceLimits, iter_sources

__version__ = "0.1.0"

__all__ = [
    "AmbiguousIdError",
    "Article",
    "Comment",
    "ConfigError",
    "CorpsearchError",
    "DaskClusterError",
    "DatabaseError",
    "DeliveryError",
    "DocumentNotFoundError",
    "ExtractOptions",
    "ExtractionError",
    "Failure",
    "Hit",
    "Index",
    "IndexDamagedError",
    "IndexError_",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexReport",
    "IndexVersionError",
    "IndexWriteError",
    "Problem",
    "Profile",
    "ProfileError",
    "QueryError",
    "QueryTooBroadError",
    "SearchResult",
    "SourceError",
    "SourceFailure",
    "SourceLimits",
    "SourceRef",
    "WatchError",
    "WatchNotFoundError",
    "__version__",
    "extract",
    "extract_paths",
    "iter_sources",
    "load_profiles",
    "open_index",
    "parse_query",
    "query",
]


# Every other public name, imported on first use: ``corpsearch --version`` and a search load only the
# modules they need (the extraction stack alone takes most of a second, the engines, profiles
# and records tens of milliseconds), and ``import corpsearch`` stays cheap.
_SOURCES = {
    **dict.fromkeys(("ExtractOptions", "extract"), ".extract"),
    **dict.fromkeys(("Failure", "Index", "IndexReport", "SearchResult"), ".index"),
    **dict.fromkeys(("Profile", "load_profiles"), ".profiles"),
    **dict.fromkeys(("Article", "Comment", "Problem", "SourceRef"), ".records"),
    **dict.fromkeys(("SourceFailure", "SourceLimits", "iter_sources"), ".sources"),
    "Hit": ".engine",
    "parse_query": ".query.parser",
}
_MODULES = {"query": ".query.ast"}  # names of a module, not of something in one


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        value: Any = importlib.import_module(_MODULES[name], __name__)
    elif name in _SOURCES:
        value = getattr(importlib.import_module(_SOURCES[name], __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # the next use finds it without this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """This package, keeping ``corpsearch.extract`` the function and ``corpsearch.query`` the
    module of query nodes: the first import of the subpackages ``corpsearch.extract`` and
    ``corpsearch.query`` would set the package's attribute of that name to the subpackage (as
    the import system does for every submodule)."""

    def __setattr__(self, name: str, value: object) -> None:
        subpackage = isinstance(value, types.ModuleType) and value.__name__ == f"{__name__}.{name}"
        if subpackage and name in ("extract", "query"):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def open_index(folder: str | os.PathLike[str] = "index", *, create: bool = False) -> Index:
    """Open the index in ``folder`` (``create=True`` makes an empty one if there is none)."""
    from .index import Index

    return Index.open(folder, create=create)


def extract_paths(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    options: ExtractOptions | None = None,
    limits: SourceLimits | None = None,
    *,
    follow_links: bool = False,
) -> Iterator[Article | SourceFailure]:
    """Extract every page under ``paths``; unreadable ones come back as :class:`SourceFailure`
    (links out of a folder too, unless ``follow_links``)."""
    from .extract import ExtractOptions, extract
    from .faults import failure_reason
    from .sources import SourceFailure, iter_sources

    options = options or ExtractOptions()
    for item in iter_sources(paths, limits, follow_links=follow_links):
        if isinstance(item, SourceFailure):
            yield item
            continue
        try:
            yield extract(item, options)
        except Exception as error:  # one bad page never stops a run
            yield SourceFailure(str(item.ref), failure_reason(error))
