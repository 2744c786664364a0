"""Each thread's whoosh searcher of an index, kept from one search to the next.

Opening a whoosh searcher reads each segment's term table and, at the first stored fields and
sort columns a search reads, those columns' offsets again: on 1,000 pages about a tenth of a
search's CPU, paid by every search. A searcher is kept while the index has no newer commit
(whoosh's ``up_to_date``: the generation of its table of contents, which every commit and
deletion writes anew), one per thread, since whoosh's file readers seek and read a shared file
position. The searchers are closed with the engine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["Searchers"]


class Searchers:
    """The searchers ``open_`` makes, one per thread, each kept while it is up to date."""

    def __init__(self, open_: Callable[[], Any]) -> None:
        self._open = open_
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: set[Any] = set()

    @contextmanager
    def held(self) -> Iterator[Any]:
        """This thread's searcher, reopened if the index has a newer commit; dropped if a
        search with it fails (a damaged or vanished file is not read again)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None and not searcher.up_to_date():
            self._drop(searcher)
            searcher = None
        if searcher is None:
            searcher = self._open()
            self._local.searcher = searcher
            with self._lock:
                self._all.add(searcher)
        try:
            yield searcher
        except BaseException:
            self._drop(searcher)
            raise

    def _drop(self, searcher: Any) -> None:
        if getattr(self._local, "searcher", None) is searcher:
            self._local.searcher = None
        with self._lock:
            self._all.discard(searcher)
        searcher.close()

    def close(self) -> None:
        with self._lock:
            held, self._all = self._all, set()
        for searcher in held:
            searcher.close()
