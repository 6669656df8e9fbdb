"""Storage of articles, events and evidence.

Public API::

    open_store(path) -> EventStore          # SQLiteStore for a file path or ":memory:";
                                             # PostgresStore for postgresql://... (the 'postgres' extra)
    EventStore                               # the abstract interface
    user_ref(meta) -> str                    # the user's own id of an article (USER_ID_KEYS in its meta)
    SQLiteStore(path)                        # stdlib sqlite3, WAL, datasette-friendly schema
    PostgresStore(url)                       # psycopg 3; versioned migrations; PostGIS when there
    is_database_url(value)                   # a server URL rather than a file path
"""
from __future__ import annotations

from pathlib import Path

from .base import USER_ID_KEYS, EventStore, user_ref
from .schema import EVENT_COLUMNS, SCHEMA_VERSION
from .sqlite import SQLiteStore


def open_store(path: str | Path) -> EventStore:
    """Open (creating if needed) the store at ``path``.  ``sqlite:///file.db`` and plain
    paths both give a SQLiteStore; ``postgresql://...`` a PostgresStore.  Raises StoreError
    E501/E503/E504 for files that are not frontlines databases, E506-E508 for servers."""
    p = str(path)
    if is_database_url(p):
        from .postgres import PostgresStore

        return PostgresStore(p)
    if p.startswith("sqlite:///"):
        p = p[len("sqlite:///"):]
    return SQLiteStore(p)


def is_database_url(value: object) -> bool:
    """Is ``value`` a database server's URL (``postgresql://``, ``postgres://``) rather than a file?"""
    return isinstance(value, str) and value.startswith(("postgresql://", "postgres://"))


__all__ = ["EventStore", "SQLiteStore", "open_store", "is_database_url", "EVENT_COLUMNS", "SCHEMA_VERSION", "USER_ID_KEYS", "user_ref"]
