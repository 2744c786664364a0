"""The page a record came from, as it was captured: the page file, or the archive record's HTML.

A user checking what the extractor made of a page reads it here (``corpsearch show --source``).
The source is found where the index was told it was: a relative path is relative to the folder
the index was built from, and a file moved since cannot be found.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import SourceError
from .records import SourceRef
from .sources import SourceDocument, SourceFailure, SourceLimits, iter_sources
from .warc import record_at

__all__ = ["Capture", "read_capture"]


@dataclass(frozen=True, slots=True)
class Capture:
    """The captured bytes (decompressed) and their text as the extractor decoded it."""

    source: SourceRef
    data: bytes
    text: str
    encoding: str


def read_capture(source: SourceRef, limits: SourceLimits | None = None) -> Capture:
    """Read the page ``source`` names; :class:`SourceError` says why when it cannot be read."""
    limits = limits or SourceLimits()
    path = Path(source.path)
    if not path.exists():
        raise SourceError(
            f"the source {source} is no longer there (it is read from where it was indexed, "
            "relative to the folder the index was built from); run from that folder or re-index"
        )
    item: SourceDocument | SourceFailure | None
    if source.offset is not None:
        item = record_at(path, source.offset, limits)
    else:
        item = next(iter(iter_sources([path], limits)), None)
    if item is None:
        raise SourceError(f"the source {source} holds no page")
    if isinstance(item, SourceFailure):
        raise SourceError(f"cannot read the source {item.path}: {item.reason}")
    # imported here: corpsearch.extract brings the extraction stack, which the CLI's other
    # commands start without
    from .extract.charset import decode_page

    decoded = decode_page(item.data, item.charset)
    return Capture(source, item.data, decoded.text, decoded.encoding)
