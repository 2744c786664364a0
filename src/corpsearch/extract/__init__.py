"""Turning HTML pages into article fields: metadata, body text and dates."""
