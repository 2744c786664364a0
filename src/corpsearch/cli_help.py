"""``corpsearch help TOPIC``: documents shipped with the package (a pip install has no docs/)."""

from __future__ import annotations

import sys
from importlib import resources

import click

__all__ = ["TOPICS", "help_command", "topic_text"]

# topic -> (file in corpsearch/help, what it is); the files are copies of docs/ (a test checks).
TOPICS = {"query-language": ("query-language.txt", "the query grammar, with examples")}


def topic_text(topic: str) -> str:
    name, _ = TOPICS[topic]
    return (resources.files("corpsearch") / "help" / name).read_text(encoding="utf-8")


@click.command("help")
@click.argument("topic", required=False, type=click.Choice(sorted(TOPICS)))
def help_command(topic: str | None) -> None:
    """Print a help topic: query-language (the grammar). Without TOPIC, list the topics.

    Every command also has its own help: corpsearch COMMAND --help (or -h).
    """
    if topic is None:
        for name, (_, what) in sorted(TOPICS.items()):
            click.echo(f"{name:<16} {what}  (corpsearch help {name})")
        click.echo("each command: corpsearch COMMAND -h; shell completion: see the README")
        return
    text = topic_text(topic)
    if sys.stdout.isatty():
        click.echo_via_pager(text)
    else:
        click.echo(text, nl=False)
