"""The one exception hierarchy of corpsearch.

Every error the library raises on purpose is a :class:`CorpsearchError`; its message says what went
wrong *and* what to do about it, so the CLI can show it as one line::

    CorpsearchError
    ├── QueryError            a query string that cannot be parsed (has .position)
    │   └── QueryTooBroadError  a prefix, fuzzy or comments:(...) part that matches too much
    ├── SourceError           a file or archive that cannot be read
    ├── ExtractionError       a page that could be read but not understood
    ├── ProfileError          a site profile file that is malformed
    ├── IndexError_           the index folder is missing, locked, damaged or of another version
    │   ├── IndexNotFoundError
    │   ├── IndexVersionError
    │   ├── IndexLockedError
    │   ├── IndexDamagedError   an index file is corrupt
    │   ├── IndexWriteError     the disk is full or the folder is not writable
    │   └── DatabaseError       the PostgreSQL server of a postgres index is down or refuses
    ├── ConfigError           a bad option value or configuration file
    ├── DaskClusterError      the Dask cluster of a job cannot be reached, has no workers, or
    │                         its workers cannot read the sources or run corpsearch
    ├── DocumentNotFoundError an id (or short id) that names no document of the index
    │   └── AmbiguousIdError    a short id that names several documents
    ├── WatchError            a watch that cannot be used (its file, its name)
    │   └── WatchNotFoundError  no watch of that name
    └── DeliveryError         a watch's target could not be reached (kept, retried next run)
"""

from __future__ import annotations

__all__ = [
    "AmbiguousIdError",
    "ConfigError",
    "CorpsearchError",
    "DaskClusterError",
    "DatabaseError",
    "DeliveryError",
    "DocumentNotFoundError",
    "ExtractionError",
    "IndexDamagedError",
    "IndexError_",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexVersionError",
    "IndexWriteError",
    "ProfileError",
    "QueryError",
    "QueryTooBroadError",
    "SourceError",
    "WatchError",
    "WatchNotFoundError",
    "printable",
]


def printable(text: str) -> str:
    """``text`` as one printable line: every character that is not printable (ESC, BEL, C1
    controls such as U+0085, newlines, U+2028, a byte that is not UTF-8 read as a lone
    surrogate) is written as its escape, so a message quoting a query or a file name can
    neither drive the terminal nor split into two lines, and can always be encoded."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape's stand-in for the byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


class CorpsearchError(Exception):
    """Base class of every error corpsearch raises on purpose; its text is one printable line
    (see :func:`printable`), whatever it quotes."""

    def __str__(self) -> str:
        return printable(super().__str__())


class QueryError(CorpsearchError):
    """A query string that cannot be parsed.

    ``position`` is the 0-based character offset where the problem was found, ``expected`` says
    what the parser wanted there.
    """

    def __init__(self, message: str, *, query: str, position: int, hint: str | None = None) -> None:
        self.query = query
        self.position = position
        self.hint = hint
        full = f"{message} at position {position + 1}"
        if hint:
            full += f"; {hint}"
        super().__init__(full)


class QueryTooBroadError(QueryError):
    """A query part that stands for too many words or documents; ``term`` is that part."""

    def __init__(
        self, reason: str, *, term: str, query: str = "", position: int = 0, hint: str | None = None
    ) -> None:
        self.reason = reason
        self.term = term
        super().__init__(reason, query=query, position=position, hint=hint)
        if not query:
            self.args = (f"{reason}; {hint}" if hint else reason,)

    def __str__(self) -> str:
        return printable(str(self.args[0]))

    def located(self, query: str) -> QueryTooBroadError:
        """The same error with the position of ``term`` in the query string."""
        position = max(query.find(self.term), 0)
        return QueryTooBroadError(
            self.reason, term=self.term, query=query, position=position, hint=self.hint
        )


class SourceError(CorpsearchError):
    """A file, folder or archive that cannot be read."""


class ExtractionError(CorpsearchError):
    """A page that was read but could not be turned into an article."""


class ProfileError(CorpsearchError):
    """A site profile that is malformed."""


class IndexError_(CorpsearchError):  # noqa: N801, N818 - the underscore avoids shadowing IndexError
    """The index folder cannot be used."""


class IndexNotFoundError(IndexError_):
    """No index where one was expected."""


class IndexVersionError(IndexError_):
    """The index was written by another schema version or engine."""


class IndexLockedError(IndexError_):
    """Another job holds the index's write lock."""


class IndexDamagedError(IndexError_):
    """An index file is corrupt; the index must be rebuilt."""


class IndexWriteError(IndexError_):
    """The index could not be written (disk full, folder not writable); nothing was committed."""


class ConfigError(CorpsearchError):
    """A bad option value or configuration file."""


class DaskClusterError(CorpsearchError):
    """The Dask cluster of an indexing job (``--scheduler``) cannot be reached, has no workers,
    or its workers cannot read the sources or run corpsearch."""


class DocumentNotFoundError(CorpsearchError):
    """An id, or a short id, that names no document of the index."""


class AmbiguousIdError(DocumentNotFoundError):
    """A short id that names several documents: more of its digits are needed."""


class WatchError(CorpsearchError):
    """A watch, or the file of watches, that cannot be used."""


class WatchNotFoundError(WatchError):
    """No watch of the name given."""


class DeliveryError(CorpsearchError):
    """A watch's target (file, webhook, command, mail server) did not take a delivery; the hits
    are kept and delivered again on the next run."""


class DatabaseError(IndexError_):
    """The PostgreSQL server of a postgres index cannot be reached or refused a request."""
