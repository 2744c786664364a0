"""The configuration file ``corpsearch.toml`` and the settings of an indexing job.

The file is looked for in the current folder (or given with ``--config``); every key is
optional and options on the command line override it. Relative paths in the file are relative
to the file's own folder, so a scheduled job finds the same folders from any working folder::

    sources = ["pages", "/srv/archive/2014"]
    index = "index"
    profiles = ["profiles"]
    site_tz = "Asia/Beirut"
    engine = "tantivy"   # of a new index or a rebuild (default: the one in use, else tantivy)
    dsn = "postgresql://corpsearch@db.example.org/corpsearch"  # --engine postgres only
    batch = 500          # pages per commit
    workers = 0          # extraction processes; 0 = one per core
    scheduler = "tcp://scheduler.example.org:8786"  # extract on a Dask cluster
    wait = 0             # seconds to wait for a running job
    keep_removed = false # keep the articles of files that disappeared
    watches = "watches.json"  # the watch file (default: watches.json in the index folder)
    smtp = "localhost:25"     # the mail server of email: watch targets
    mail_from = "corpsearch@example.org"
    notify_timeout = 10  # seconds per attempt of a watch target
    notify_retries = 3   # attempts of a webhook
    follow_links = false # read files in the sources that are links to files outside them

Paths are kept as written (``pages`` with the file in the current folder stays ``pages``), so
that what a job records, its run history, manifest and each document's ``source``, does not
name the machine's folders.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .engine import ALL_ENGINES
from .errors import ConfigError

__all__ = ["CONFIG_FILE", "JobSettings", "find_config", "load_config", "parse_zone"]

CONFIG_FILE = "corpsearch.toml"


@dataclass(frozen=True, slots=True)
class JobSettings:
    """Everything an indexing job needs to know."""

    sources: tuple[Path, ...] = ()
    index: Path = Path("index")
    profiles: tuple[Path, ...] = ()
    site_tz: str | None = None
    engine: str | None = None  # of a new index: None keeps the engine in use, else tantivy
    dsn: str | None = None  # the database of a new postgres index; None keeps the one in use
    batch: int = 500
    workers: int = 0
    scheduler: str | None = None  # a Dask scheduler's address: extraction runs on its workers
    wait: float = 0.0
    keep_removed: bool = False
    rebuild: bool = False
    watches: Path | None = None  # the watch file; None: watches.json in the index folder
    smtp: str | None = None
    mail_from: str | None = None
    notify_timeout: float | None = None
    notify_retries: int | None = None
    follow_links: bool = False

    def with_overrides(self, **values: Any) -> JobSettings:
        """These settings with every value that is not ``None`` replaced."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})

    def zone(self) -> tzinfo | None:
        return parse_zone(self.site_tz) if self.site_tz else None


def parse_zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(
            f"unknown time zone {name!r}; use an IANA name such as Asia/Beirut or UTC"
        ) from error


def find_config(given: Path | None, folder: Path | None = None) -> Path | None:
    """The configuration file to use: the one given, else ``corpsearch.toml`` in ``folder``
    (the current folder by default) if there is one."""
    if given is not None:
        if not given.is_file():
            raise ConfigError(f"configuration file {given} does not exist; check --config")
        return given
    candidate = folder / CONFIG_FILE if folder is not None else Path(CONFIG_FILE)
    return candidate if candidate.is_file() else None


def load_config(path: Path | None) -> JobSettings:
    """Settings from a configuration file (defaults when ``path`` is ``None``)."""
    if path is None:
        return JobSettings()
    import tomllib  # (imported here: most runs have no file to read)

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read the configuration file {path} ({error})") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML ({error}); fix the file") from error
    known = {f.name for f in fields(JobSettings)} - {"rebuild"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    base = path.parent
    values: dict[str, Any] = {}
    if "sources" in data:
        values["sources"] = tuple(base / p for p in _paths(data["sources"], "sources", path))
    if "profiles" in data:
        values["profiles"] = tuple(base / p for p in _paths(data["profiles"], "profiles", path))
    if "index" in data:
        values["index"] = base / _typed(data, "index", str, path)
    if "site_tz" in data:
        values["site_tz"] = _typed(data, "site_tz", str, path)
        parse_zone(values["site_tz"])
    if "engine" in data:
        values["engine"] = _typed(data, "engine", str, path)
        if values["engine"] not in ALL_ENGINES:
            raise ConfigError(f"{path}: unknown engine {values['engine']!r}; use {ALL_ENGINES}")
    if "dsn" in data:
        values["dsn"] = _typed(data, "dsn", str, path)
    if "scheduler" in data:
        values["scheduler"] = _typed(data, "scheduler", str, path).strip()
        if not values["scheduler"]:
            raise ConfigError(
                f"{path}: scheduler is empty; give an address such as tcp://HOST:8786"
            )
    for key in ("batch", "workers"):
        if key in data:
            values[key] = _typed(data, key, int, path)
            if values[key] < (1 if key == "batch" else 0):
                raise ConfigError(f"{path}: {key} must be at least {1 if key == 'batch' else 0}")
    if "wait" in data:
        values["wait"] = float(_typed(data, "wait", (int, float), path))
    for key in ("keep_removed", "follow_links"):
        if key in data:
            values[key] = _typed(data, key, bool, path)
    if "watches" in data:
        values["watches"] = base / _typed(data, "watches", str, path)
    for key in ("smtp", "mail_from"):
        if key in data:
            values[key] = _typed(data, key, str, path)
    if "notify_timeout" in data:
        values["notify_timeout"] = float(_typed(data, "notify_timeout", (int, float), path))
        if values["notify_timeout"] <= 0:
            raise ConfigError(f"{path}: notify_timeout must be more than 0 seconds")
    if "notify_retries" in data:
        values["notify_retries"] = _typed(data, "notify_retries", int, path)
        if values["notify_retries"] < 1:
            raise ConfigError(f"{path}: notify_retries must be at least 1")
    return JobSettings(**values)


def _paths(value: Any, key: str, path: Path) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise ConfigError(f"{path}: {key} must be a path or a list of paths")


def _typed(data: dict[str, Any], key: str, kind: type | tuple[type, ...], path: Path) -> Any:
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"{path}: {key} has the wrong type ({type(value).__name__})")
    return value
