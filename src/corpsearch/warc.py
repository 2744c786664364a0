"""Web archives as sources: every HTML response record of a WARC or ARC file is one page.

Reads ``.warc``, ``.warc.gz``, ``.arc`` and ``.arc.gz`` with warcio. Each HTML response (2xx,
``text/html`` or XHTML), and each ``resource`` record holding HTML (a page saved without HTTP
headers), becomes a :class:`~corpsearch.sources.SourceDocument` whose
:class:`~corpsearch.records.SourceRef` holds the file, the record's offset in it, the captured URL
(``WARC-Target-URI``) and the capture time (``WARC-Date``); the charset of the HTTP
``Content-Type`` header travels with it. Other records (requests, metadata, images, redirects)
are skipped. A truncated or corrupt record becomes a :class:`~corpsearch.sources.SourceFailure`
for that record, and reading resumes at the next record start found after it.
"""

from __future__ import annotations

import io
import mmap
import re
from collections.abc import Iterator
from contextlib import redirect_stderr
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .sources import SourceDocument, SourceFailure, SourceLimits

__all__ = ["ARCHIVE_SUFFIXES", "iter_archive", "record_at"]

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")

_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def iter_archive(path: Path, limits: SourceLimits) -> Iterator[SourceDocument | SourceFailure]:
    """Yield a document for every HTML response record of the archive at ``path``, in file order,
    and a failure for every record that cannot be read."""
    # warcio is imported here, not with the module, so commands that read no archive (query,
    # stats, status) start without it
    from warcio.archiveiterator import ArchiveIterator

    from .sources import SourceFailure

    try:
        fh = path.open("rb")
    except OSError as error:
        yield SourceFailure(str(path), f"cannot read file: {error.strerror or error}")
        return
    with fh:
        gzipped = fh.read(2) == _GZIP_MAGIC[:2]
        start: int | None = 0
        found = False
        while start is not None:
            fh.seek(start)
            archive = ArchiveIterator(fh, arc2warc=True)
            records = iter(archive)
            offset, done = start, False
            while True:
                # warcio reports some damage on stderr only: catch it for the failure's reason
                noise = io.StringIO()
                try:
                    with redirect_stderr(noise):
                        record = next(records, None)
                        if record is None:
                            start = None
                            left = _unread_tail(fh, archive.offset)
                            if left is not None:
                                found = True
                                yield _left_failure(path, archive.offset, left)
                            break
                        offset, done = archive.offset, False
                        item, damaged = _read_record(record, path, offset, limits, noise)
                except Exception as error:  # warcio raises many kinds on damaged input
                    if done:  # the error is in what follows the last record read
                        offset = max(archive.offset, offset + 1)
                    detail = " ".join(str(error).split())[:120]
                    found = True
                    yield SourceFailure(
                        f"{path}#{offset}",
                        f"damaged archive record ({type(error).__name__}: {detail}); "
                        "the records after it are still read",
                    )
                    break
                done = True
                if item is not None:
                    found = True
                    yield item
                if damaged:
                    break
            if start is not None:
                start = _next_start(fh, offset + 1, gzipped)
        if not found:
            yield SourceFailure(
                str(path), "the archive holds no HTML response records (status 2xx, text/html)"
            )


def record_at(path: Path, offset: int, limits: SourceLimits) -> SourceDocument | SourceFailure:
    """The page of the HTML response record that starts at ``offset`` (as a
    :class:`~corpsearch.records.SourceRef` names it), or why it cannot be read."""
    from warcio.archiveiterator import ArchiveIterator  # imported here: see iter_archive

    from .sources import SourceFailure

    where = f"{path}#{offset}"
    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            noise = io.StringIO()
            with redirect_stderr(noise):
                archive = ArchiveIterator(fh, arc2warc=True)
                record = next(iter(archive), None)
                if record is None:
                    return SourceFailure(where, "no archive record starts there")
                item, _ = _read_record(record, path, offset, limits, noise)
    except OSError as error:
        return SourceFailure(where, f"cannot read file: {error.strerror or error}")
    except Exception as error:  # warcio raises many kinds on damaged input
        return SourceFailure(where, f"damaged archive record ({type(error).__name__})")
    if item is None:
        return SourceFailure(where, "the record there is not an HTML response")
    return item


def _read_record(
    record: Any, path: Path, offset: int, limits: SourceLimits, noise: io.StringIO
) -> tuple[SourceDocument | SourceFailure | None, bool]:
    """The record's page (or why it cannot be read, or None when it is no HTML response), and
    whether the archive is damaged there."""
    from .records import SourceRef
    from .sources import SourceDocument, SourceFailure

    where = f"{path}#{offset}"
    if (
        record.rec_headers is None
        or not record.rec_type
        or not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit()
    ):
        # warcio gives a record without type or length (both mandatory) when the file ends
        # inside its WARC header
        return SourceFailure(where, f"record header is cut short: {_TRUNCATED}"), True
    if record.rec_type == "resource":
        # A page saved as it was, without HTTP headers (wget --warc-file, browser archivers).
        content_type = record.rec_headers.get_header("Content-Type") or ""
        if "html" not in content_type.lower():
            return _skipped(record, where, noise)
    elif record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        content_type = record.http_headers.get_header("Content-Type") or ""
        if not status.startswith("2") or "html" not in content_type.lower():
            return _skipped(record, where, noise)
    else:
        return _skipped(record, where, noise)
    data = record.content_stream().read(limits.max_decompressed_bytes + 1)
    if len(data) > limits.max_decompressed_bytes:
        failure = SourceFailure(
            where,
            f"record holds more than {limits.max_decompressed_bytes} bytes; "
            "raise max_decompressed_bytes to read it",
        )
        return failure, False
    cut = _cut_short(record, where, noise)
    if cut is not None:
        return cut, True
    if not data.strip():
        return SourceFailure(where, "record holds an empty page"), False
    url = record.rec_headers.get_header("WARC-Target-URI")
    ref = SourceRef(str(path), offset, url or None, _warc_date(record))
    match = _CHARSET.search(content_type)
    return SourceDocument(ref, "html", data, charset=match.group(1) if match else None), False


_TRUNCATED = "the archive is truncated or damaged there"


def _cut_short(record: Any, where: str, noise: io.StringIO) -> SourceFailure | None:
    """A failure if the record's content stream ended before its declared length."""
    from .sources import SourceFailure

    missing = getattr(record.raw_stream, "limit", 0)
    if missing <= 0:
        return None
    said = " ".join(noise.getvalue().split())[:120]
    return SourceFailure(
        where,
        f"record is cut short ({missing} bytes missing{'; ' + said if said else ''}): {_TRUNCATED}",
    )


def _skipped(record: Any, where: str, noise: io.StringIO) -> tuple[SourceFailure | None, bool]:
    """A record that is no HTML page is skipped, but not a cut one: its type may have been
    read from a header the cut left half there (``text/ht``). warcio reads the rest of every
    record to reach the next one anyway, so reading it here costs nothing more."""
    stream = record.raw_stream
    while stream.read(1 << 20):
        pass
    cut = _cut_short(record, where, noise)
    return (cut, True) if cut is not None else (None, False)


def _unread_tail(fh: Any, end: int) -> int | None:
    """How many bytes follow ``end``, the end of the last record warcio read, when they hold
    more than blank lines: the start of a record the file ends inside."""
    fh.seek(0, io.SEEK_END)
    size = int(fh.tell())
    if end >= size:
        return None
    fh.seek(end)
    tail = fh.read(min(size - end, 1 << 16))
    return size - end if tail.strip(b"\r\n\0 ") else None


def _left_failure(path: Path, offset: int, size: int) -> SourceFailure:
    """The failure for ``size`` bytes at the end of the archive that hold no whole record."""
    from .sources import SourceFailure

    return SourceFailure(
        f"{path}#{offset}",
        f"the archive ends inside a record: the {size} bytes after the last whole record "
        f"are no readable record; {_TRUNCATED}",
    )


def _warc_date(record: Any) -> datetime | None:
    value = record.rec_headers.get_header("WARC-Date")
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _next_start(fh: Any, after: int, gzipped: bool) -> int | None:
    """The offset of the next record start at or after ``after``, or None."""
    try:
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
            if gzipped:
                found = view.find(_GZIP_MAGIC, after)
            else:  # a record header starts a line
                found = view.find(b"\n" + _WARC_MAGIC, after - 1)
                found = found + 1 if found >= 0 else found
    except (OSError, ValueError):
        return None
    return found if found >= 0 else None
