"""Site profiles: declarative TOML files describing the layout of a known site.

Profiles ship inside the package (``corpsearch/profiles/*.toml``); users add their own by pointing
corpsearch at a folder of such files (``--profiles DIR``), and a user profile with the same name
replaces the bundled one. The format is documented in ``docs/profiles.md``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ProfileError

__all__ = ["HtmlLayout", "Profile", "TextLayout", "load_profiles"]


@dataclass(frozen=True, slots=True)
class HtmlLayout:
    """CSS selectors for the parts of a page."""

    detect: str | None = None
    headline: str | None = None
    body: str | None = None
    published: str | None = None
    comment_count: str | None = None
    comment: str | None = None
    comment_author: str | None = None
    comment_date: str | None = None
    comment_text: str | None = None
    comment_quote: str | None = None


@dataclass(frozen=True, slots=True)
class TextLayout:
    """Regular expressions for the plain-text rendering of the site's pages."""

    comment_header: re.Pattern[str]
    comment_count: re.Pattern[str] | None = None
    debris: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    hosts: tuple[str, ...]
    timezone: ZoneInfo
    language: str | None = None
    date_formats: tuple[str, ...] = ()
    html: HtmlLayout | None = None
    text: TextLayout | None = None
    origin: str = field(default="", compare=False)

    def matches_host(self, host: str | None) -> bool:
        if not host:
            return False
        host = host.lower()
        return any(host == h or host.endswith("." + h) for h in self.hosts)


def load_profiles(folders: Iterable[Path] = ()) -> tuple[Profile, ...]:
    """The bundled profiles, then those in ``folders`` (a later profile replaces one of the same
    name)."""
    by_name = {profile.name: profile for profile in _bundled()}
    for folder in folders:
        if not Path(folder).is_dir():
            raise ProfileError(f"profile folder {folder} does not exist; check --profiles")
        for path in sorted(Path(folder).glob("*.toml")):
            profile = _parse(path.read_text(encoding="utf-8"), str(path))
            by_name[profile.name] = profile
    return tuple(by_name.values())


@lru_cache(maxsize=1)
def _bundled() -> tuple[Profile, ...]:
    """The profiles shipped in the package, read once per process (``extract`` without
    options loads them for every page)."""
    bundled = resources.files("corpsearch") / "profiles"
    return tuple(
        _parse(entry.read_text(encoding="utf-8"), f"bundled profile {entry.name}")
        for entry in sorted(bundled.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml")
    )


def _parse(source: str, origin: str) -> Profile:
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{origin} is not valid TOML ({error}); fix the file") from error
    try:
        name = _get(data, "name", str, origin)
        zone_name = data.get("timezone", "UTC")
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ProfileError(
                f"{origin}: unknown timezone {zone_name!r}; use an IANA name such as Asia/Beirut"
            ) from error
        html = data.get("html")
        text = data.get("text")
        layout = HtmlLayout(**html) if html is not None else None
        if layout is not None:
            _check_selectors(layout, origin)
        return Profile(
            name=name,
            hosts=tuple(data.get("hosts", ())),
            timezone=zone,
            language=data.get("language"),
            date_formats=tuple(data.get("date_formats", ())),
            html=layout,
            text=_text_layout(text, origin) if text is not None else None,
            origin=origin,
        )
    except TypeError as error:
        raise ProfileError(f"{origin}: {error}; see docs/profiles.md for the keys") from error


def _check_selectors(layout: HtmlLayout, origin: str) -> None:
    """Every selector must be one the extractor can run (cssselect's CSS 3 selectors): a
    mistake is reported when the profile is read, not on each page."""
    from cssselect import HTMLTranslator, SelectorError

    translator = HTMLTranslator()
    for key in HtmlLayout.__slots__:
        selector = getattr(layout, key)
        if selector is not None and not isinstance(selector, str):
            raise ProfileError(f"{origin}: html.{key} must be a CSS selector (a string)")
        if not selector:
            continue  # left out
        try:
            translator.css_to_xpath(selector)
        except SelectorError as error:
            raise ProfileError(
                f"{origin}: html.{key} = {selector!r} is not a CSS selector corpsearch can "
                f"read ({error}); see docs/profiles.md"
            ) from error


def _text_layout(table: dict[str, Any], origin: str) -> TextLayout:
    def compile_(pattern: str) -> re.Pattern[str]:
        try:
            return re.compile(pattern)
        except re.error as error:
            raise ProfileError(f"{origin}: bad regular expression {pattern!r} ({error})") from error

    header = compile_(_get(table, "comment_header", str, origin))
    if not {"author", "date"} <= set(header.groupindex):
        raise ProfileError(
            f"{origin}: text.comment_header needs groups (?P<author>) and (?P<date>)"
        )
    count = table.get("comment_count")
    return TextLayout(
        comment_header=header,
        comment_count=compile_(count) if count else None,
        debris=tuple(compile_(p) for p in table.get("debris", ())),
    )


def _get(table: dict[str, Any], key: str, kind: type, origin: str) -> Any:
    value = table.get(key)
    if not isinstance(value, kind):
        raise ProfileError(f"{origin}: missing or invalid {key!r}; see docs/profiles.md")
    return value
