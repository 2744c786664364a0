"""Pingbacks among the comments: notices a blog engine writes when another page links to the
post, which many templates print in the comment list like reader comments (a loop over all of
a post's comments without a type filter, or a theme that styles them alike).

WordPress, the engine that sends most of them, writes a pingback's text itself: an excerpt of
the linking page framed by ellipses in brackets, ``[…] excerpt […]``, under the linking page's
title as the name. A reader does not frame their own words so, which makes the frame evidence
that holds on any template, whatever its class names say.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpsearch.extract.comments import FoundComment

__all__ = ["drop_pingbacks", "is_pingback_text"]

_FRAME = r"\[\s*(?:…|\.\.\.|&hellip;|&#8230;)\s*\]"
_FRAMED = re.compile(rf"^\s*{_FRAME}.+{_FRAME}\s*$", re.DOTALL)


def is_pingback_text(text: str) -> bool:
    """Whether ``text`` is a pingback's excerpt: framed by ``[…]`` at both ends."""
    return bool(_FRAMED.match(text))


def drop_pingbacks(found: list[FoundComment]) -> tuple[list[FoundComment], int]:
    """``found`` without its pingbacks, parents renumbered (a reply to a pingback keeps no
    parent), and how many were dropped."""
    dropped = {i for i, comment in enumerate(found) if is_pingback_text(comment.text)}
    if not dropped:
        return found, 0
    new_index: dict[int, int] = {}
    for i in range(len(found)):
        if i not in dropped:
            new_index[i] = len(new_index)
    kept = [
        replace(
            comment, parent=new_index.get(comment.parent) if comment.parent is not None else None
        )
        for i, comment in enumerate(found)
        if i not in dropped
    ]
    return kept, len(dropped)
