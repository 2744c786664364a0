"""The query language: parser, query tree and date values."""
