"""Ingest: news reports in text, JSONL/JSON, CSV, saved HTML or RSS/Atom -> Article records.

Public API::

    read_sources(paths, *, default_date=None, max_bytes=5_000_000, stdin=None)
        -> Iterator[Article | IngestProblem]
    read_file(path, *, default_date=None, max_bytes=5_000_000) -> Iterator[...]
    read_text(text, origin="-", *, fmt=None, default_date=None) -> Iterator[...]
    make_article_id(text, url="") -> str
"""
from __future__ import annotations

from .dates import find_dateline, parse_date_value
from .ids import make_article_id, normalise_text
from .lang import detect_non_english
from .reader import EXTENSIONS, read_file, read_sources, read_text

__all__ = ["read_sources", "read_file", "read_text", "make_article_id", "normalise_text",
           "find_dateline", "parse_date_value", "detect_non_english", "EXTENSIONS"]
