"""Search engines behind one seam (see :mod:`corpsearch.engine.base`)."""

from __future__ import annotations

from .base import Engine, EngineWriter, Hit, SearchPage, SearchRequest, Sort

__all__ = [
    "ALL_ENGINES",
    "DEFAULT_ENGINE",
    "ENGINES",
    "SERVER_ENGINES",
    "Engine",
    "EngineWriter",
    "Hit",
    "SearchPage",
    "SearchRequest",
    "Sort",
    "engine_class",
]

ENGINES = ("whoosh", "tantivy")
# The engine of a new index: tantivy answers every query type in milliseconds at a million
# documents, where whoosh takes seconds (README, *Choosing an engine*). An existing index keeps
# the engine written in its metadata.
DEFAULT_ENGINE = "tantivy"
# Engines whose documents live on a database server (the index folder names it: --dsn).
SERVER_ENGINES = ("postgres",)
ALL_ENGINES = ENGINES + SERVER_ENGINES


def engine_class(name: str) -> type[Engine]:
    """The engine class for a name; imported lazily so an unused engine's library is not loaded."""
    if name == "whoosh":
        from .whoosh_engine import WhooshEngine

        return WhooshEngine
    from ..errors import ConfigError

    if name == "tantivy":
        try:
            from .tantivy_engine import TantivyEngine
        except ImportError as error:  # a platform without a tantivy wheel
            raise ConfigError(
                f"the tantivy engine cannot be loaded ({error}); install it with "
                "'pip install tantivy==0.27.0' or use --engine whoosh"
            ) from error
        return TantivyEngine

    if name == "postgres":
        from .postgres_engine import PostgresEngine

        return PostgresEngine
    raise ConfigError(f"unknown engine {name!r}; choose one of: {', '.join(ALL_ENGINES)}")
