"""Where a watch's new hits go: the notification targets.

A target is written ``KIND:WHERE`` on the command line and in the watch file:

- ``jsonl:PATH`` appends one JSON line per hit (the fields of ``query --format jsonl`` plus the
  watch's name and the run) to a file;
- ``webhook:URL`` POSTs the delivery as JSON, with a timeout and retries;
- ``command:CMD`` runs a local command (split like a shell would, but never run by one) with the
  delivery as JSON on its standard input;
- ``email:ADDRESS`` sends a mail through the SMTP server named in ``corpsearch.toml``.

A delivery is one watch, one run and a list of hits. Every target raises
:class:`~corpsearch.errors.DeliveryError` when it could not deliver; the caller keeps the hits
and tries again on the next run. The standard library does all of it (``urllib``, ``smtplib``,
and running a process), so the watches add no dependency.
"""

from __future__ import annotations

import json
import os
import shlex
import smtplib
import socket
import subprocess
import time
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from .errors import ConfigError, DeliveryError
from .export import json_text, safe_terminal_text

__all__ = [
    "TARGET_KINDS",
    "Delivery",
    "NotifySettings",
    "Target",
    "absolute_target",
    "check_target",
    "open_target",
]

TARGET_KINDS = ("jsonl", "webhook", "command", "email")
_ERROR_TEXT = 300  # characters of a failing command's stderr or server's reply kept in the error


@dataclass(frozen=True, slots=True)
class NotifySettings:
    """How targets reach the outside: from ``corpsearch.toml`` (``smtp``, ``mail_from``,
    ``notify_timeout``, ``notify_retries``)."""

    smtp: str | None = None  # host or host:port of the SMTP server for email: targets
    mail_from: str = "corpsearch@localhost"
    timeout: float = 10.0  # seconds per attempt (webhook, command, SMTP)
    retries: int = 3  # attempts per delivery of a webhook
    base: Path = field(default_factory=Path.cwd)  # relative jsonl: paths are relative to this


@dataclass(frozen=True, slots=True)
class Delivery:
    """What one target receives: the hits one watch found, in one run (or one digest)."""

    id: str  # the same on every retry of the same hits, so a receiver can drop duplicates
    watch: str
    query: str
    run: str
    hits: tuple[dict[str, Any], ...]  # hit records, each with the run that found it
    digest: str | None = None  # the period of a digest ("2026-12-01"), else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "delivery": self.id,
            "watch": self.watch,
            "query": self.query,
            "run": self.run,
            "digest": self.digest,
            "count": len(self.hits),
            "hits": list(self.hits),
        }


class Target(ABC):
    """One place deliveries go to."""

    def __init__(self, spec: str) -> None:
        self.spec = spec

    @abstractmethod
    def send(self, delivery: Delivery) -> None:
        """Deliver or raise :class:`DeliveryError`."""

    def mark(self) -> int | None:
        """Where the target stands before a delivery, if it can tell what it already holds
        after a crash (see :meth:`already_sent`)."""
        return None

    def already_sent(self, mark: int, watch: str) -> set[str]:
        """Ids of the hits of ``watch`` the target received since ``mark``."""
        return set()


def check_target(spec: str) -> str:
    """``spec`` if it is a target corpsearch can deliver to; else a ConfigError saying why."""
    kind, sep, where = spec.partition(":")
    if not sep or kind not in TARGET_KINDS or not where.strip():
        raise ConfigError(
            f"cannot read the target {spec!r}; write jsonl:PATH, webhook:URL, command:CMD "
            "or email:ADDRESS"
        )
    if kind == "webhook" and not where.startswith(("http://", "https://")):
        raise ConfigError(f"a webhook is an http:// or https:// address, not {where!r}")
    if kind == "command":
        try:
            words = shlex.split(where)
        except ValueError as error:
            raise ConfigError(f"cannot split the command {where!r} ({error})") from error
        if not words:
            raise ConfigError("the command of a command: target is empty")
    if kind == "email" and ("@" not in where or any(c.isspace() for c in where.strip())):
        raise ConfigError(f"{where!r} is not an e-mail address")
    return spec


def absolute_target(spec: str, base: Path) -> str:
    """``spec`` with a relative ``jsonl:`` path made absolute against ``base``."""
    kind, _, where = check_target(spec).partition(":")
    if kind != "jsonl":
        return spec
    path = Path(where).expanduser()
    return spec if path.is_absolute() else f"jsonl:{(base / path).absolute()}"


def open_target(spec: str, settings: NotifySettings) -> Target:
    kind, _, where = check_target(spec).partition(":")
    if kind == "jsonl":
        path = Path(where).expanduser()
        return JsonlTarget(spec, path if path.is_absolute() else settings.base / path)
    if kind == "webhook":
        return WebhookTarget(spec, where, settings)
    if kind == "command":
        return CommandTarget(spec, shlex.split(where), settings)
    return EmailTarget(spec, where.strip(), settings)


def hit_lines(delivery: Delivery) -> list[str]:
    """A delivery as JSON Lines: one hit each, with the watch's name and the run."""
    lines = []
    for hit in delivery.hits:
        record = {**hit, "watch": delivery.watch, "delivery": delivery.id}
        lines.append(json_text(record) + "\n")
    return lines


class JsonlTarget(Target):
    """Appends to a file. The delivery loop records :meth:`mark` (the file's size) before it
    writes, so after a crash between writing and recording the hits as sent it reads back what
    the file already holds and writes only the rest: no hit twice."""

    def __init__(self, spec: str, path: Path) -> None:
        super().__init__(spec)
        self.path = path

    def send(self, delivery: Delivery) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write("".join(hit_lines(delivery)))
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            raise DeliveryError(
                f"cannot append to {self.path} ({error.strerror or error}); check the folder "
                "exists and is writable"
            ) from error

    def mark(self) -> int | None:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0
        except OSError:
            return None

    def already_sent(self, mark: int, watch: str) -> set[str]:
        found: set[str] = set()
        try:
            with self.path.open("rb") as handle:
                handle.seek(mark)
                for raw in handle:
                    try:
                        record = json.loads(raw)
                    except ValueError:
                        continue  # a line torn by the crash: written again in full
                    if isinstance(record, dict) and record.get("watch") == watch:
                        found.add(str(record.get("id")))
        except OSError:
            return set()
        return found


class WebhookTarget(Target):
    """POSTs the delivery as JSON; any 2xx answer is success. Retries with a growing pause."""

    def __init__(self, spec: str, url: str, settings: NotifySettings) -> None:
        super().__init__(spec)
        self.url = url
        self.settings = settings

    def send(self, delivery: Delivery) -> None:
        body = json_text(delivery.to_dict()).encode("utf-8")
        attempts = max(self.settings.retries, 1)
        problem = ""
        for attempt in range(attempts):
            if attempt:
                time.sleep(min(0.5 * 2 ** (attempt - 1), 5.0))
            request = urllib.request.Request(
                self.url,
                data=body,
                method="POST",
                headers={
                    "Content-Type": "application/json",
                    "User-Agent": "corpsearch-watch",
                    "X-Corpsearch-Delivery": delivery.id,
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=self.settings.timeout) as answer:
                    answer.read(_ERROR_TEXT)
                    return
            except urllib.error.HTTPError as error:
                problem = f"answered {error.code} {error.reason}"
                if 400 <= error.code < 500 and error.code not in (408, 429):
                    break  # the request itself is refused: asking again will not help
            except (urllib.error.URLError, OSError) as error:
                reason = getattr(error, "reason", error)
                if isinstance(reason, socket.timeout | TimeoutError) or "timed out" in str(reason):
                    problem = f"did not answer within {self.settings.timeout:g}s"
                else:
                    problem = f"cannot be reached ({reason})"
        raise DeliveryError(
            f"the webhook {self.url} {problem} after {attempt + 1} attempt(s); the hits are "
            "kept and sent again on the next run"
        )


class CommandTarget(Target):
    """Runs a local command with the delivery as JSON on stdin; exit code 0 is success.

    The command's words are split once, when the watch is read, and given to the operating
    system as a list: no shell ever sees them, nor any page text (which only reaches stdin)."""

    def __init__(self, spec: str, argv: list[str], settings: NotifySettings) -> None:
        super().__init__(spec)
        self.argv = argv
        self.settings = settings

    def send(self, delivery: Delivery) -> None:
        body = json_text(delivery.to_dict()).encode("utf-8")
        limit = max(self.settings.timeout, 1.0) * 6  # a command may do more than an HTTP answer
        try:
            done = subprocess.run(
                self.argv,
                input=body,
                capture_output=True,
                timeout=limit,
                check=False,
                cwd=self.settings.base,
            )
        except FileNotFoundError as error:
            raise DeliveryError(
                f"the command {self.argv[0]!r} of a command: target does not exist; give its "
                "full path"
            ) from error
        except subprocess.TimeoutExpired as error:
            raise DeliveryError(
                f"the command {self.argv[0]!r} did not finish within {limit:g}s and was stopped"
            ) from error
        except OSError as error:
            raise DeliveryError(f"cannot run {self.argv[0]!r} ({error})") from error
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip()[-_ERROR_TEXT:]
            raise DeliveryError(
                f"the command {self.argv[0]!r} exited with code {done.returncode}"
                + (f": {said}" if said else "")
            )


class EmailTarget(Target):
    """One mail per delivery through the SMTP server named in the configuration: a text part
    a person reads and the delivery as a JSON attachment."""

    def __init__(self, spec: str, address: str, settings: NotifySettings) -> None:
        super().__init__(spec)
        self.address = address
        self.settings = settings

    def send(self, delivery: Delivery) -> None:
        server = self.settings.smtp
        if not server:
            raise DeliveryError(
                f'no SMTP server to mail {self.address}; set smtp = "host:port" in corpsearch.toml'
            )
        host, _, port = server.rpartition(":") if ":" in server else (server, "", "25")
        message = EmailMessage()
        count = len(delivery.hits)
        what = f"digest {delivery.digest}" if delivery.digest else f"run {delivery.run}"
        message["Subject"] = (
            f"corpsearch watch {delivery.watch}: {count} new hit{'s' if count != 1 else ''}"
        )
        message["From"] = self.settings.mail_from
        message["To"] = self.address
        message["X-Corpsearch-Delivery"] = delivery.id
        message.set_content(render_text(delivery, what))
        message.add_attachment(
            json_text(delivery.to_dict(), indent=2).encode("utf-8"),
            maintype="application",
            subtype="json",
            filename="hits.json",
        )
        try:
            with smtplib.SMTP(host, int(port), timeout=self.settings.timeout) as smtp:
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError, ValueError) as error:
            raise DeliveryError(
                f"cannot mail {self.address} through {server} ({error}); the hits are kept "
                "and sent again on the next run"
            ) from error


def render_text(delivery: Delivery, what: str) -> str:
    """A delivery as plain text: each hit's kind, headline, author, time, snippet and id."""
    lines = [
        f"Watch {delivery.watch!r} ({delivery.query}), {what}: "
        f"{len(delivery.hits)} new hit{'s' if len(delivery.hits) != 1 else ''}.",
        "",
    ]
    for number, hit in enumerate(delivery.hits, 1):
        kind = hit.get("kind")
        who = hit.get("author") or "unknown"
        when = hit.get("published") or "no date"
        head = f"{number}. {kind} by {who} · {when}"
        lines.append(head)
        lines.append(f"   {'on: ' if kind == 'comment' else ''}{hit.get('headline') or ''}")
        if hit.get("url"):
            lines.append(f"   {hit['url']}")
        lines.append(f"   {hit.get('snippet_text') or ''}")
        lines.append(f"   id {hit.get('id')}")
        lines.append("")
    # Page text may hold control characters; a mail reader's terminal must not obey them.
    return safe_terminal_text("\n".join(lines))
