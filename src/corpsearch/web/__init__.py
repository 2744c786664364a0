"""``corpsearch serve``: a local, read-only web app over an index (search, chart, facets,
threads, authors, downloads, and a JSON API beside every page). See :mod:`corpsearch.web.app`."""

from __future__ import annotations

import ipaddress
import os

from ..index import Index
from .app import CSP, create_app

__all__ = ["CSP", "create_app", "is_loopback", "serve"]


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address or ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    index_folder: str | os.PathLike[str], *, host: str = "127.0.0.1", port: int = 8000
) -> None:
    """Serve the index in ``index_folder`` on ``host:port`` until interrupted.

    The index is opened first, so a missing or damaged one fails here with its usual error
    instead of on the first page. Off loopback, any Host header is accepted (the server was
    asked to be reachable from elsewhere)."""
    import uvicorn

    Index.open(index_folder).close()
    hosts = None if is_loopback(host) else ["*"]
    if hosts is None and host not in ("127.0.0.1", "localhost", "::1"):
        hosts = ["127.0.0.1", "localhost", "[::1]", host]
    app = create_app(os.fspath(index_folder), allowed_hosts=hosts)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
