from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpsearch import Index
from corpsearch.engine import ALL_ENGINES, ENGINES

from .pgcluster import cluster_topology, coordinator_dsn
from .pgserver import postgres_server

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SEED_TEXT = FIXTURES / "seed" / "000_0b9b997b58ed1954.txt"
SEED_HTML = FIXTURES / "seed" / "seed_page.html"
PAGES = FIXTURES / "pages"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """The DSN of a PostgreSQL 15 server the tests started (tests/pgserver.py); one per run."""
    yield from (server.dsn for server in postgres_server())


@pytest.fixture(scope="session")
def cluster_folder() -> Iterator[Path]:
    """A local topology the tests started through the CLI (two shards, a replica each; see
    tests/pgcluster.py), destroyed afterwards."""
    yield from cluster_topology()


@pytest.fixture(scope="session")
def cluster_dsn(cluster_folder: Path) -> str:
    """The DSN of the coordinator of ``cluster_folder``."""
    return coordinator_dsn(cluster_folder)


# Every engine, and the postgres engine once more on the sharded topology (tests/pgcluster.py):
# a test parametrised with ``("engine", ENGINE_SETUPS)`` that takes ``dsn`` runs on each. The
# sharded case is the engine "postgres" whose ``dsn`` is the coordinator's; each index is a
# schema of its own on the coordinator and every shard, so the tests share one topology.
SHARDED = pytest.param("postgres", id="postgres-sharded", marks=pytest.mark.sharded)
ENGINE_SETUPS = (*ALL_ENGINES, SHARDED)
POSTGRES_SETUPS = ("postgres", SHARDED)  # one server, and the shards


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine in turn: tests that take this fixture run on every engine."""
    return str(request.param)


@pytest.fixture()
def dsn(request: pytest.FixtureRequest, engine: str) -> str | None:
    """The database of a new index of ``engine``: the tests' server for postgres (a test
    parametrised with ``ALL_ENGINES`` runs on it too), the coordinator of the sharded topology
    for the ``sharded`` case of ``ENGINE_SETUPS``, None for the engines of a folder."""
    if engine != "postgres":
        return None
    if request.node.get_closest_marker("sharded") is not None:
        return str(request.getfixturevalue("cluster_dsn"))
    return str(request.getfixturevalue("postgres_dsn"))


def engine_args(engine: str, dsn: str | None) -> tuple[str, ...]:
    """The command-line options that create an index of ``engine``."""
    return ("--engine", engine, *(("--dsn", dsn) if dsn else ()))


@pytest.fixture()
def seed_index(tmp_path: Path, engine: str) -> Index:
    index = Index.create(tmp_path / "index", engine=engine)
    index.add([SEED_TEXT])
    yield index
    index.close()


def write_warc(
    path: Path,
    records: list[tuple[str, bytes, str, str]],
    *,
    gzip: bool,
    extra: bool = True,
) -> None:
    """records: (url, body, WARC-Date, Content-Type); each response gets a request record
    and (with ``extra``) an image response, which are not pages."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        for url, body, date, content_type in records:
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
            writer.write_record(
                writer.create_warc_record(
                    url, "request", http_headers=request, warc_headers_dict={"WARC-Date": date}
                )
            )
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": date},
                )
            )
            if extra:
                image = StatusAndHeaders(
                    "200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1"
                )
                writer.write_record(
                    writer.create_warc_record(
                        url + ".png",
                        "response",
                        payload=io.BytesIO(b"\x89PNG" * 50),
                        length=200,
                        http_headers=image,
                    )
                )
