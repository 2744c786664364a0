"""A command whose words are a query, even when one starts with ``-``.

``corpsearch query -author:x kind:comment`` and ``corpsearch query assad regime`` should just
search: click reads ``-author:x`` as options ``-a -u …`` and refuses a second word. Before click
parses, every word that is not one of the command's own options (or an option's value) is moved
after a ``--``, in order, so click takes it as a word of the query.
"""

from __future__ import annotations

import click

__all__ = ["WordsCommand"]


class WordsCommand(click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        own: dict[str, str] = {}  # option name -> "flag" | "value" | "optional"
        for param in self.get_params(ctx):
            if not isinstance(param, click.Option):
                continue
            how: str
            if param.is_flag or param.count:
                how = "flag"
            elif getattr(param, "_flag_needs_value", False):  # --kwic [WIDTH]
                how = "optional"
            else:
                how = "value"
            for name in (*param.opts, *param.secondary_opts):
                own[name] = how
        options: list[str] = []
        words: list[str] = []
        position = 0
        while position < len(args):
            arg = args[position]
            position += 1
            if arg == "--":
                words.extend(args[position:])
                break
            name = arg.split("=", 1)[0]
            found = own.get(name) if arg.startswith("-") else None
            if found is None:
                words.append(arg)
                continue
            options.append(arg)
            if "=" in arg or found == "flag" or position >= len(args):
                continue
            following = args[position]
            if found == "value" or (found == "optional" and following.isdigit()):
                options.append(following)
                position += 1
        return super().parse_args(ctx, [*options, "--", *words] if words else options)
