"""The web app: a read-only face over one index folder, with a JSON API beside every page.

Routes (all GET): ``/`` search, ``/article/{id}``, ``/author?name=``, ``/download.csv`` and
``/download.jsonl`` (every hit, streamed), ``/api/search`` (what ``corpsearch query --format
json`` prints), ``/api/article/{id}`` (``corpsearch show ID --format json``), ``/api/author?name=``, ``/static/{name}``.

Safety: templates escape everything (page text is data), responses carry a Content-Security-
Policy that allows no script at all, the Host header must name this server (so a web page
elsewhere cannot reach it through DNS rebinding), static files are read from the package once
at start-up (no request path reaches the file system), and every error is a page or a JSON
object with a message, never a traceback.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import (
    ConfigError,
    CorpsearchError,
    DocumentNotFoundError,
    IndexError_,
    QueryError,
)
from ..export import json_text, render_export
from ..facets import FACETS, HISTOGRAM_UNITS
from ..fields import field_records, parse_fields, render_fields
from ..generations import resolve
from ..index import Index
from ..output import render_result
from ..query.ast import MatchAll
from ..series import SERIES_BY, time_series
from .forms import MAX_QUERY_CHARS, SearchForm, read_form
from .html import facet_query, local_time, marked_query, snippet_html, web_url
from .views import AllDocuments, Summaries, author_view, search_view

__all__ = ["CSP", "create_app"]

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    # Following a link to a news site must not tell it what was searched here.
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png"}
DOWNLOAD_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}
CHUNK = 64 * 1024
# The columns of the search page's "with full text" downloads.
FULL_TEXT_FIELDS = "id,kind,headline,author,published,url,text,quotes,parent"


class _SecurityHeaders:
    """Adds the security headers to every response, error pages and downloads included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in {header for header, _ in SECURITY_HEADERS}
                ]
                message["headers"] = headers + list(SECURITY_HEADERS)
            await send(message)

        await self.app(scope, receive, sending)


class _Indexes:
    """The open index of the folder, reopened when a job switches it to a new generation."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._open: tuple[Path, Index] | None = None

    def get(self) -> Index:
        current = resolve(self.folder)
        with self._lock:
            if self._open is None or self._open[0] != current:
                # The index before stays open for any download still reading it.
                self._open = (current, Index.open(self.folder))
            return self._open[1]


def _templates() -> Environment:
    env = Environment(
        loader=PackageLoader("corpsearch.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["snippet"] = snippet_html
    env.filters["web_url"] = web_url
    env.globals["facet_query"] = facet_query
    env.globals["local_time"] = local_time
    env.globals["full_text_fields"] = FULL_TEXT_FIELDS
    return env


def _static_files() -> dict[str, tuple[bytes, str]]:
    files: dict[str, tuple[bytes, str]] = {}
    for entry in resources.files("corpsearch.web").joinpath("static").iterdir():
        suffix = Path(entry.name).suffix
        if entry.is_file() and suffix in STATIC_TYPES:
            files[entry.name] = (entry.read_bytes(), STATIC_TYPES[suffix])
    return files


def create_app(
    index_folder: str | Path, *, allowed_hosts: Iterable[str] | None = None
) -> Starlette:
    """The app over the index in ``index_folder``; ``allowed_hosts`` are the names the Host
    header may give (default: loopback names only; ``["*"]`` for any)."""
    indexes = _Indexes(Path(index_folder))
    everything = AllDocuments()
    summaries = Summaries()
    env = _templates()
    static = _static_files()

    def page(request: Request, name: str, code: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault(
            "form", SearchForm(q=request.query_params.get("q", "")[:MAX_QUERY_CHARS])
        )
        html = env.get_template(name).render(request=request, **context)
        return HTMLResponse(html, status_code=code)

    def search(request: Request) -> Response:
        form = read_form(request.query_params)
        index = indexes.get()
        if not form.q:
            return page(request, "start.html", form=form, counts=index.count())
        try:
            view = search_view(index, form, everything, summaries)
        except (QueryError, ConfigError) as error:
            return page(
                request,
                "search.html",
                400,
                form=form,
                view=None,
                error=error,
                marked=marked_query(error)
                if isinstance(error, QueryError) and error.query
                else None,
            )
        return page(request, "search.html", form=form, view=view, error=None, marked=None)

    def article(request: Request) -> Response:
        asked = request.path_params["doc_id"]
        thread = indexes.get().thread(asked)
        if thread.focus is not None or asked != thread.article.id:
            # A comment's (or a short) id: the article's page, at the comment.
            place = f"#c-{thread.focus}" if thread.focus else ""
            return RedirectResponse(f"/article/{quote(thread.article.id)}{place}", 303)
        return page(request, "article.html", thread=thread, form=read_form({}))

    def author(request: Request) -> Response:
        name = _author_name(request)
        form = read_form(request.query_params)
        return page(request, "author.html", view=author_view(indexes.get(), name, form), form=form)

    def download(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in DOWNLOAD_TYPES:
            raise HTTPException(404)
        form = read_form(request.query_params)
        if not form.q:
            raise ConfigError("give a query to download its hits, e.g. /download.csv?q=assad")
        index = indexes.get()
        # Counting first parses and checks the query, so a bad one is an error page, not a
        # download that breaks off.
        fields = _fields(request)
        total = index.search(form.q, limit=0, **form.filters).total
        hits = index.iter_hits(form.q, sort=form.sort, **form.filters)
        if fields is None:
            chunks = render_export(form.q, total, hits, fmt)
        else:  # 'corpsearch query --all --fields LIST'
            records = field_records(index.engine, hits, fields, index.short_ids())
            chunks = render_fields(form.q, total, records, fields, fmt)
        return StreamingResponse(
            _batched(chunks),
            media_type=DOWNLOAD_TYPES[fmt],
            headers={"content-disposition": f'attachment; filename="corpsearch-hits.{fmt}"'},
        )

    def api_search(request: Request) -> Response:
        form = read_form(request.query_params)
        if not form.q:
            raise ConfigError("give a query: /api/search?q=assad (see docs/query-language.md)")
        group = request.query_params.get("group") or None
        facets = request.query_params.getlist("facet")
        histogram = request.query_params.get("histogram") or None
        for name in facets:
            if name not in FACETS:
                raise ConfigError(f"unknown facet {name!r}; choose from {', '.join(FACETS)}")
        if histogram is not None and histogram not in HISTOGRAM_UNITS:
            raise ConfigError(
                f"unknown histogram unit {histogram!r}; choose from {', '.join(HISTOGRAM_UNITS)}"
            )
        fields = _fields(request)
        if fields is not None and group:
            raise ConfigError("fields lists hits one by one; it cannot be used with group")
        if fields is not None and (facets or histogram):
            raise ConfigError(
                "fields cannot be combined with facet or histogram; ask for each apart"
            )
        share = _flag(request, "share")
        by = request.query_params.get("by") or None
        top = _count(request, "top", 5)
        if (share or by) and not histogram:
            raise ConfigError("share and by go with histogram=PERIOD (day, week, month, year)")
        if by is not None and by not in SERIES_BY:
            raise ConfigError(f"cannot split by {by!r}; choose from {', '.join(SERIES_BY)}")
        index = indexes.get()
        if fields is not None:
            page_of = index.search(
                form.q, sort=form.sort, limit=form.limit, offset=form.offset, **form.filters
            )
            records = field_records(index.engine, page_of.hits, fields, index.short_ids())
            rendered = render_fields(
                form.q, page_of.total, records, fields, "json", first=form.offset
            )
            return _json_text("".join(rendered))
        summary = series = None
        if share or by:  # as 'query --histogram PERIOD --share --by site|author --top N'
            base = index.query_tree(MatchAll(), **form.filters)
            series = time_series(
                index.engine,
                index.query_tree(form.q, **form.filters),
                histogram or "",
                share=share,
                by=by,
                top=top,
                kind=form.kind,
                base=base,
                tz=form.tz,
            )
            histogram = None  # drawn as the series
        if facets or histogram:
            summary = index.summary(
                form.q, facets=facets, histogram=histogram, top=50, **form.filters
            )
        result = index.search(
            form.q,
            sort=form.sort,
            limit=form.limit,
            offset=form.offset,
            group=group,
            **form.filters,
        )
        text = "".join(render_result(result, "json", summary=summary, short_id=index.short_ids()))
        if series is not None:
            data = json.loads(text)
            data["histogram"] = series.to_dict()
            text = json_text(data, indent=2) + "\n"
        return _json_text(text)

    def api_article(request: Request) -> Response:
        # What 'corpsearch show ID --format json' prints.
        thread = indexes.get().thread(request.path_params["doc_id"])
        return _json_text(json_text(thread.to_dict(), indent=2) + "\n")

    def api_author(request: Request) -> Response:
        name = _author_name(request)
        form = read_form(request.query_params)
        view = author_view(indexes.get(), name, form)
        data = {
            "author": view.name,
            "query": view.query,
            "total": view.total,
            "kinds": dict(view.kinds),
            "sites": dict(view.sites),
            "histogram": {
                "unit": view.chart.unit,
                "buckets": [
                    {"key": bar.key, "start": bar.start.isoformat(), "count": bar.count}
                    for bar in view.chart.bars
                ],
                "undated": view.chart.undated,
            },
            "articles": view.articles,
            "groups": [group.to_dict() for group in view.groups],
        }
        return _json_text(json_text(data, indent=2) + "\n")

    def static_file(request: Request) -> Response:
        found = static.get(request.path_params["name"])
        if found is None:
            raise HTTPException(404)
        body, media_type = found
        return Response(body, media_type=media_type, headers={"cache-control": "max-age=3600"})

    def error_page(request: Request, exc: Exception) -> Response:
        status, message, marked = _describe(exc)
        if request.url.path.startswith("/api/"):
            data: dict[str, object] = {"error": message, "status": status}
            if isinstance(exc, QueryError) and exc.query:
                data["position"] = exc.position
            response = _json_text(json_text(data) + "\n", status)
        else:
            response = page(
                request, "error.html", status, status=status, message=message, marked=marked
            )
        # A handler of Exception answers outside the header middleware: the headers go here.
        for name, value in SECURITY_HEADERS:
            response.headers[name.decode()] = value.decode()
        return response

    routes = [
        Route("/", search),
        Route("/article/{doc_id}", article),
        Route("/author", author),
        Route("/download.{fmt}", download),
        Route("/api/search", api_search),
        Route("/api/article/{doc_id}", api_article),
        Route("/api/author", api_author),
        Route("/static/{name}", static_file),
    ]
    hosts = list(allowed_hosts) if allowed_hosts is not None else list(LOOPBACK_NAMES)
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(_SecurityHeaders),
            Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
        ],
        exception_handlers={
            Exception: error_page,
            HTTPException: error_page,
            CorpsearchError: error_page,
        },
    )


def _flag(request: Request, name: str) -> bool:
    value = (request.query_params.get(name) or "").lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{name} is a yes or no: {name}=1 or {name}=0, not {value!r}")


def _count(request: Request, name: str, default: int) -> int:
    text = request.query_params.get(name) or ""
    if not text:
        return default
    if not text.isdigit() or int(text) < 1 or int(text) > 100:
        raise ConfigError(f"{name} must be a whole number from 1 to 100, not {text!r}")
    return int(text)


def _fields(request: Request) -> tuple[str, ...] | None:
    spec = request.query_params.get("fields")
    return parse_fields(spec) if spec is not None else None


def _author_name(request: Request) -> str:
    name = request.query_params.get("name", "").strip()
    if not name:
        raise ConfigError("name the author: /author?name=_mowaten_")
    return name


def _json_text(text: str, status: int = 200) -> Response:
    return Response(text, status_code=status, media_type="application/json")


def _batched(chunks: Iterable[str]) -> Iterator[bytes]:
    """Chunks joined to about 64 KiB: one network write per row would be slow on big exports."""
    buffer: list[str] = []
    size = 0
    for chunk in chunks:
        buffer.append(chunk)
        size += len(chunk)
        if size >= CHUNK:
            yield "".join(buffer).encode("utf-8", "replace")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8", "replace")


def _describe(exc: Exception) -> tuple[int, str, object]:
    """Status, message and (for a malformed query) the query with the position marked."""
    if isinstance(exc, HTTPException):
        if exc.status_code == 404:
            return 404, "There is no such page here. Start again from the search page.", None
        return exc.status_code, str(exc.detail), None
    if isinstance(exc, QueryError):
        return 400, str(exc), marked_query(exc) if exc.query else None
    if isinstance(exc, ConfigError):
        return 400, str(exc), None
    if isinstance(exc, DocumentNotFoundError):
        return 404, str(exc), None
    if isinstance(exc, IndexError_):
        return 503, str(exc), None
    if isinstance(exc, CorpsearchError):
        return 500, str(exc), None
    return (
        500,
        f"unexpected {type(exc).__name__}. This is a bug in corpsearch; please report it with "
        "the address of this page.",
        None,
    )
