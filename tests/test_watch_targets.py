"""Watch targets against real receivers the tests start on 127.0.0.1: HTTP servers (one that
answers, one that fails, one that hangs), an SMTP server (aiosmtpd), a local command; digests."""

from __future__ import annotations

import email
import json
import shlex
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from corpsearch.cli_jobs import render_status
from corpsearch.config import JobSettings
from corpsearch.jobs import run_job
from corpsearch.status import job_status
from corpsearch.watch_delivery import add_watch, after_job, period_start
from corpsearch.watches import Watch

from .conftest import PAGES, SEED_HTML

QUERY = "kind:comment OR headline:assad"  # the seed page: its article and its five comments


class Receiver:
    """An HTTP server on a free port of 127.0.0.1; ``mode`` says how it answers a POST."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.bodies: list[dict[str, Any]] = []
        self.attempts = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver.attempts += 1
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.mode == "hang":
                    time.sleep(3)  # far past the client's timeout
                    return
                if receiver.mode == "fail":
                    self.send_response(503)
                    self.end_headers()
                    return
                receiver.bodies.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def receivers() -> Iterator[dict[str, Receiver]]:
    found = {mode: Receiver(mode) for mode in ("ok", "fail", "hang")}
    yield found
    for receiver in found.values():
        receiver.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture()
def smtp() -> Iterator[tuple[str, Mailbox]]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield f"127.0.0.1:{controller.port}", mailbox
    controller.stop()


def _site(tmp_path: Path) -> tuple[Path, Path]:
    pages, index_dir = tmp_path / "pages", tmp_path / "index"
    shutil.copytree(PAGES, pages)
    return pages, index_dir


def _run(settings: JobSettings) -> dict[str, Any]:
    summary = run_job(settings)
    assert summary.status == "ok", summary.error
    return summary.to_dict()


def test_webhooks_that_answer_fail_and_hang(tmp_path: Path, receivers: dict[str, Receiver]) -> None:
    pages, index_dir = _site(tmp_path)
    settings = JobSettings(
        sources=(pages,), index=index_dir, workers=1, notify_timeout=0.5, notify_retries=2
    )
    _run(settings)
    out = tmp_path / "hits.jsonl"
    targets = (f"jsonl:{out}", *(f"webhook:{r.url}" for r in receivers.values()))
    add_watch(index_dir, settings, Watch("w", QUERY, targets=targets))
    shutil.copy(SEED_HTML, pages / "seed.html")

    summary = _run(settings)  # the failing and the hanging webhook do not fail the job
    assert summary["watches"]["found"] == {"w": 6}
    ids = sorted(json.loads(line)["id"] for line in out.read_text().splitlines())
    assert len(ids) == 6
    (body,) = receivers["ok"].bodies
    assert sorted(h["id"] for h in body["hits"]) == ids
    assert body["watch"] == "w" and body["run"] == summary["id"] and body["count"] == 6
    for hit in body["hits"]:
        assert {"headline", "author", "published", "snippet", "id", "run"} <= set(hit)
    assert receivers["fail"].attempts == 2 and receivers["hang"].attempts == 2
    failures = summary["watches"]["failures"]
    assert len(failures) == 2
    assert any("answered 503" in f for f in failures)
    assert any("did not answer within 0.5s" in f for f in failures)

    status = job_status(index_dir)
    failing = {item["target"]: item for item in status.watches}
    assert set(failing) == {f"webhook:{receivers['fail'].url}", f"webhook:{receivers['hang'].url}"}
    assert all(item["waiting"] == 6 for item in failing.values())
    shown = "\n".join(render_status(status))
    assert "watch targets failing (2" in shown and "answered 503" in shown

    # The server is back: the next run (nothing new indexed) delivers what waited, once.
    receivers["fail"].mode = "ok"
    summary = _run(settings)
    (late,) = receivers["fail"].bodies
    assert sorted(h["id"] for h in late["hits"]) == ids
    assert len(receivers["ok"].bodies) == 1 and len(out.read_text().splitlines()) == 6
    assert [item["target"] for item in job_status(index_dir).watches] == [
        f"webhook:{receivers['hang'].url}"
    ]


def test_a_command_gets_the_delivery_on_stdin_without_a_shell(tmp_path: Path) -> None:
    pages, index_dir = _site(tmp_path)
    settings = JobSettings(sources=(pages,), index=index_dir, workers=1)
    _run(settings)
    received = tmp_path / "a dir" / "received.json"
    received.parent.mkdir()
    script = "import sys, pathlib; pathlib.Path(sys.argv[1]).write_bytes(sys.stdin.buffer.read())"
    # A shell would expand these; run without one, they are plain words.
    command = shlex.join([sys.executable, "-c", script, str(received)])
    failing = shlex.join([sys.executable, "-c", "import sys; sys.exit('no room; $HOME `id`')"])
    add_watch(
        index_dir,
        settings,
        Watch("c", QUERY, targets=(f"command:{command}", f"command:{failing}")),
    )
    shutil.copy(SEED_HTML, pages / "seed.html")
    summary = _run(settings)
    delivery = json.loads(received.read_text(encoding="utf-8"))
    assert delivery["watch"] == "c" and delivery["count"] == 6
    assert {h["kind"] for h in delivery["hits"]} == {"article", "comment"}
    (failure,) = summary["watches"]["failures"]
    assert "exited with code 1: no room; $HOME `id`" in failure


def test_email_through_the_configured_smtp_server(
    tmp_path: Path, smtp: tuple[str, Mailbox]
) -> None:
    server, mailbox = smtp
    pages, index_dir = _site(tmp_path)
    settings = JobSettings(
        sources=(pages,), index=index_dir, workers=1, smtp=server, mail_from="cs@example.org"
    )
    _run(settings)
    add_watch(index_dir, settings, Watch("mail", QUERY, targets=("email:desk@example.org",)))
    shutil.copy(SEED_HTML, pages / "seed.html")
    summary = _run(settings)
    assert summary["watches"]["failures"] == []
    ((rcpt, message),) = mailbox.messages
    assert rcpt == ["desk@example.org"]
    assert message["Subject"] == "corpsearch watch mail: 6 new hits"
    assert message["From"] == "cs@example.org"
    text, attachment = [part for part in message.walk() if not part.is_multipart()]
    body = text.get_payload(decode=True).decode("utf-8")
    assert "comment by _mowaten_" in body and "U.S. Insists No Anti-Jihadist" in body
    data = json.loads(attachment.get_payload(decode=True))
    assert data["watch"] == "mail" and len(data["hits"]) == 6
    assert all(f"id {hit['id']}" in body for hit in data["hits"])

    # no server configured: the failure is kept and shown, the job is fine
    add_watch(index_dir, settings, Watch("nomail", "author:_mowaten_", targets=("email:a@b.c",)))
    (pages / "seed.html").write_text(SEED_HTML.read_text().replace("<title>", "<title>x "))
    summary = _run(JobSettings(sources=(pages,), index=index_dir, workers=1))
    assert any("no SMTP server" in f for f in summary["watches"]["failures"])


def test_daily_digest_delivers_once_the_day_is_over(tmp_path: Path) -> None:
    pages, index_dir = _site(tmp_path)
    settings = JobSettings(sources=(pages,), index=index_dir, workers=1)
    _run(settings)
    out = tmp_path / "digest.jsonl"
    add_watch(
        index_dir,
        settings,
        Watch("d", QUERY, targets=(f"jsonl:{out}",), digest="daily", tz="Asia/Beirut"),
    )
    shutil.copy(SEED_HTML, pages / "seed.html")
    summary = _run(settings)
    assert summary["watches"]["found"] == {"d": 6} and summary["watches"]["delivered"] == 0
    assert not out.exists()
    # What the job calls after its commit, at a given time: nothing until the day is over
    # in the watch's zone, then the day's hits in one delivery, then nothing again.
    now = datetime.now(UTC)
    same_day = period_start(now, "daily", ZoneInfo("Asia/Beirut")) + timedelta(hours=23)
    report = after_job(index_dir, settings, "later", now=same_day)
    assert report is not None and report.delivered == 0
    tomorrow = now + timedelta(days=1)
    report = after_job(index_dir, settings, "next-day", now=tomorrow)
    assert report is not None and report.delivered == 6
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == 6 and {line["run"] for line in lines} == {summary["id"]}
    assert {line["delivery"] for line in lines} == {lines[0]["delivery"]}
    report = after_job(index_dir, settings, "day-after", now=tomorrow + timedelta(days=1))
    assert report is not None and report.delivered == 0
    assert len(out.read_text().splitlines()) == 6
