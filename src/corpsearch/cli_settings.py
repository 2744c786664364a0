"""The index folder every reading command uses: ``--index``, else the configuration file's.

``corpsearch.toml`` in the current folder (or the file ``--config`` names) says where the index
is, for ``query``, ``show``, ``stats`` and ``check`` as for ``index``, ``status`` and
``schedule``: a folder set up once works from any command.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = ["index_folder", "index_options"]

F = TypeVar("F", bound=Callable[..., Any])


def index_folder(given: Path | None, config_path: Path | None) -> Path:
    """``given``, else the configuration file's ``index``, else ``index``."""
    if given is not None:
        return given
    from .config import find_config, load_config

    return load_config(find_config(config_path)).index


def index_options(function: F) -> F:
    """--index and --config, passed on to the command as one ``index_dir``."""

    @functools.wraps(function)
    def command(*args: Any, config_path: Path | None, **kwargs: Any) -> Any:
        kwargs["index_dir"] = index_folder(kwargs.get("index_dir"), config_path)
        return function(*args, **kwargs)

    command = click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Configuration file whose index to use (default: ./corpsearch.toml if present).",
    )(command)
    command = click.option(
        "--index",
        "index_dir",
        default=None,
        type=click.Path(file_okay=False, path_type=Path),
        help="Index folder  [default: the configuration file's, else ./index].",
    )(command)
    return command  # type: ignore[return-value]
