"""Storage of articles, events and evidence.

Public API::

    open_store(path) -> EventStore          # SQLiteStore for a file path or ":memory:"
    EventStore                               # the abstract interface
    user_ref(meta) -> str                    # the user's own id of an article (USER_ID_KEYS in its meta)
    SQLiteStore(path)                        # stdlib sqlite3, WAL, datasette-friendly schema
"""
from __future__ import annotations

from pathlib import Path

from .base import USER_ID_KEYS, EventStore, user_ref
from .schema import EVENT_COLUMNS, SCHEMA_VERSION
from .sqlite import SQLiteStore


def open_store(path: str | Path) -> EventStore:
    """Open (creating if needed) the store at ``path``.  ``sqlite:///file.db`` and plain
    paths both give a SQLiteStore.  Raises StoreError E501/E503/E504 for files that are
    not frontlines databases."""
    p = str(path)
    if p.startswith("sqlite:///"):
        p = p[len("sqlite:///"):]
    return SQLiteStore(p)


__all__ = ["EventStore", "SQLiteStore", "open_store", "EVENT_COLUMNS", "SCHEMA_VERSION", "USER_ID_KEYS", "user_ref"]
