"""Pingbacks printed in a comment list are no reader comments (extract/pingbacks.py)."""

from __future__ import annotations

from corpsearch.extract.comments import FoundComment
from corpsearch.extract.pingbacks import drop_pingbacks, is_pingback_text


def _found(text: str, parent: int | None = None) -> FoundComment:
    return FoundComment(
        author="x",
        published=None,
        published_reason=None,
        text=text,
        quotes=(),
        parent=parent,
        depth=0,
        platform_id=None,
        links=(),
    )


def test_the_excerpt_frame_marks_a_pingback() -> None:
    assert is_pingback_text("[…] Hamburg feiert CSD. Mein Lieblingslied kennt Ihr ja schon. […]")
    assert is_pingback_text("[...] the guide recommends starting at the garden [...]")
    assert not is_pingback_text("[…] wie oben zitiert: das stimmt so nicht.")
    assert not is_pingback_text("Great post, thanks!")


def test_dropping_renumbers_parents() -> None:
    found = [_found("First"), _found("[…] linked […]"), _found("Reply", parent=0), _found("Re", 1)]
    kept, dropped = drop_pingbacks(found)
    assert dropped == 1
    assert [c.text for c in kept] == ["First", "Reply", "Re"]
    assert [c.parent for c in kept] == [None, 0, None]
