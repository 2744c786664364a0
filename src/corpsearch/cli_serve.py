"""``corpsearch serve``: the local web app (see :mod:`corpsearch.web`)."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["serve_command"]


@click.command("serve")
@click.option(
    "--index",
    "index_dir",
    default="index",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Index folder.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on.",
)
def serve_command(index_dir: Path, host: str, port: int) -> None:
    """Search, read threads and watch attention over time in a browser (read-only).

    Listens on loopback unless --host says otherwise; every page has its JSON under /api/.
    """
    from .web import is_loopback, serve

    if not is_loopback(host):
        click.echo(
            f"warning: listening on {host}: anyone who can reach it can read the whole index",
            err=True,
        )
    shown = f"[{host}]" if ":" in host else host
    click.echo(
        f"corpsearch: serving {index_dir} on http://{shown}:{port}/ (Ctrl+C stops)", err=True
    )
    serve(index_dir, host=host, port=port)
