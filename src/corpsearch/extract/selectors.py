"""CSS selectors of site profiles, matched on the page's lxml tree.

``cssselect`` translates a selector to XPath, which lxml runs in C. Matching follows CSS: a
selector used inside an element finds that element's descendants (never the element itself),
and the ancestors a selector names (``div.comments .author``) may lie outside the element, as
in a browser's ``element.querySelectorAll``.
"""

from __future__ import annotations

import functools

from lxml import etree
from lxml.html import HtmlElement

from ..errors import ProfileError

__all__ = ["Matcher", "check_selector"]


@functools.lru_cache(maxsize=1024)
def _compiled(selector: str, prefix: str) -> etree.XPath:
    from cssselect import HTMLTranslator, SelectorError

    try:
        return etree.XPath(HTMLTranslator().css_to_xpath(selector, prefix=prefix))
    except (SelectorError, etree.XPathSyntaxError) as error:
        raise ProfileError(
            f"{selector!r} is not a CSS selector corpsearch can read ({error}); "
            "see docs/profiles.md"
        ) from error


@functools.lru_cache(maxsize=1024)
def _has_combinator(selector: str) -> bool:
    """Whether the selector relates elements (``a b``, ``a > b``, ``a + b``, ``a ~ b``): then
    whether an element matches depends on elements that may lie outside a scope."""
    from cssselect import parse
    from cssselect.parser import CombinedSelector

    return any(isinstance(part.parsed_tree, CombinedSelector) for part in parse(selector))


def check_selector(selector: str) -> None:
    """Raise :class:`~corpsearch.errors.ProfileError` when ``selector`` cannot be read."""
    _compiled(selector, "descendant-or-self::")
    _has_combinator(selector)


class Matcher:
    """The selectors of one page, over its tree (``root``: the document's root element)."""

    def __init__(self, root: HtmlElement) -> None:
        self._root = root
        # selectors with combinators: every match in the document, found once
        self._matches: dict[str, set[HtmlElement]] = {}

    @property
    def root(self) -> HtmlElement:
        return self._root

    def all(self, scope: HtmlElement | None, selector: str) -> list[HtmlElement]:
        """The elements matching ``selector`` in document order: all of them (``scope`` None),
        or those below ``scope``."""
        if scope is None:
            return list(_compiled(selector, "descendant-or-self::")(self._root))
        if not _has_combinator(selector):
            return list(_compiled(selector, "descendant::")(scope))
        found = self._document(selector)
        return [element for element in scope.iterdescendants() if element in found]

    def first(self, scope: HtmlElement | None, selector: str) -> HtmlElement | None:
        """The first element that :meth:`all` would give, or None."""
        if scope is None or not _has_combinator(selector):
            matches = self.all(scope, selector)
            return matches[0] if matches else None
        found = self._document(selector)
        return next((e for e in scope.iterdescendants() if e in found), None)

    def remove(self, element: HtmlElement) -> None:
        """Take ``element`` out of the tree; the text around it stays as two pieces (a comment
        node stands in for it), not joined into one word."""
        parent = element.getparent()
        if parent is None:
            return
        stand_in = etree.Comment()
        stand_in.tail, element.tail = element.tail, None
        parent.replace(element, stand_in)
        self._matches.clear()  # the tree changed: relations found before may not hold

    def _document(self, selector: str) -> set[HtmlElement]:
        found = self._matches.get(selector)
        if found is None:
            found = set(_compiled(selector, "descendant-or-self::")(self._root))
            self._matches[selector] = found
        return found
