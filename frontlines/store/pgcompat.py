"""SQLite-dialect SQL on a PostgreSQL connection, for the stages that keep tables of their own.

Fusion, control and the server's event index write and read their tables through
``store.connection`` with sqlite3's calls (``execute``, ``executemany``, ``fetchone``,
``fetchall``, rows indexed by position or name).  ``CompatConnection`` offers the same calls
on a psycopg connection and translates the few SQLite forms those stages use:

* ``?`` parameters -> ``%s`` (and a literal ``%`` -> ``%%``), outside quoted text;
* ``INSERT OR IGNORE`` -> ``INSERT ... ON CONFLICT DO NOTHING``;
* ``INSERT OR REPLACE INTO t(cols)`` -> ``INSERT ... ON CONFLICT (t's key) DO UPDATE``;
* ``PRAGMA data_version`` -> a counter that changes when another connection commits to the
  events (LISTEN on the channel the events table's trigger notifies at commit).

``rowid`` is a real column of the PostgreSQL tables that need it (left out of the rows of a
``SELECT *`` that does not name it, as SQLite leaves its rowid out) and ``sqlite_master`` a
view, so the rest reads as it is.  Translations are cached per statement text.
"""
from __future__ import annotations

import functools
import logging
import re
import threading
from typing import Any, Iterable, Iterator, Sequence

log = logging.getLogger(__name__)

#: The conflict target of each table that INSERT OR REPLACE writes to.
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "meta": ("key",),
    "articles": ("article_id",),
    "events": ("event_id",),
    "sources": ("source",),
    "event_articles": ("event_id", "article_id"),
    "fusion_parts": ("part_id",),
    "fusion_events": ("event_id",),
    "event_claims": ("event_id", "part_id", "claimant"),
    "event_links": ("event_id", "related_id", "relation", "detail"),
    "control_changes": ("place", "date", "controller"),
    "backfill_partitions": ("run_key", "partition_id"),
}

NOTIFY_CHANNEL = "frontlines_events_changed"

_INSERT_OR = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+(\w+)\s*\(([^)]*)\)", re.IGNORECASE)
_PRAGMA = re.compile(r"^\s*PRAGMA\s+(\w+)", re.IGNORECASE)


class CompatError(ValueError):
    """A statement this translation does not know how to carry over."""


def _placeholders(sql: str) -> str:
    """``?`` -> ``%s`` and ``%`` -> ``%%``, leaving quoted strings and identifiers alone (but for ``%``,
    which psycopg reads everywhere)."""
    out = []
    quote = ""
    for ch in sql:
        if ch == "%":
            out.append("%%")
            continue
        if quote:
            out.append(ch)
            if ch == quote:
                quote = ""
            continue
        if ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        else:
            out.append(ch)
    return "".join(out)


def _unquote(name: str) -> str:
    name = name.strip()
    return name[1:-1].replace('""', '"') if name.startswith('"') and name.endswith('"') else name


@functools.lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """The PostgreSQL form of one SQLite-dialect statement (see the module's doc)."""
    m = _INSERT_OR.match(sql)
    if m:
        kind, table, cols = m.group(1).upper(), m.group(2), m.group(3)
        body = "INSERT INTO " + sql[m.start(2):]
        if kind == "IGNORE":
            return _placeholders(body.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING")
        key = PRIMARY_KEYS.get(table.lower())
        if key is None:
            raise CompatError(f"INSERT OR REPLACE into {table}: its key is not known")
        names = [c.strip() for c in cols.split(",") if c.strip()]
        updates = [f"{n} = EXCLUDED.{n}" for n in names if _unquote(n) not in key]
        action = "DO UPDATE SET " + ", ".join(updates) if updates else "DO NOTHING"
        return _placeholders(f"{body.rstrip().rstrip(';')} ON CONFLICT ({', '.join(key)}) {action}")
    return _placeholders(sql)


# ---------------------------------------------------------------------- rows
class Row(tuple):
    """A row as sqlite3.Row gives it: by position, by (case-insensitive) column name, ``keys()``."""

    __slots__ = ()
    _names: tuple[str, ...] = ()
    _pos: dict[str, int] = {}

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._pos[key])
            except KeyError:
                return tuple.__getitem__(self, self._pos[key.lower()])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@functools.lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    pos: dict[str, int] = {}
    for i, n in enumerate(names):
        pos.setdefault(n, i)
        pos.setdefault(n.lower(), i)
    return type("Row", (Row,), {"__slots__": (), "_names": names, "_pos": pos})


def row_factory(cursor: Any):
    desc = cursor.description
    if desc is None:
        return tuple
    cls = _row_class(tuple(d.name for d in desc))
    return lambda values: tuple.__new__(cls, values)


def _row_factory_without_rowid(cursor: Any):
    desc = cursor.description
    if desc is None:
        return tuple
    names = [d.name for d in desc]
    if "rowid" not in names:
        return row_factory(cursor)
    keep = [i for i, n in enumerate(names) if n != "rowid"]
    cls = _row_class(tuple(names[i] for i in keep))
    return lambda values: tuple.__new__(cls, [values[i] for i in keep])


_SELECT_LIST = re.compile(r"^\s*SELECT\s+(.*?)\s+FROM\s", re.IGNORECASE | re.DOTALL)


@functools.lru_cache(maxsize=1024)
def hides_rowid(sql: str) -> bool:
    """Does SQLite leave the rowid out of this query's rows (a ``*`` select list that names no rowid)?"""
    m = _SELECT_LIST.match(sql)
    return bool(m and "*" in m.group(1) and "rowid" not in m.group(1).lower())


class Cursor:
    """What ``execute`` returns: sqlite3's cursor calls over a psycopg cursor (or fixed rows)."""

    def __init__(self, cur: Any = None, rows: list[tuple] | None = None) -> None:
        self._cur = cur
        self._rows = rows

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount if self._cur is not None else len(self._rows or [])

    def fetchone(self):
        if self._cur is None:
            return self._rows.pop(0) if self._rows else None
        return self._cur.fetchone() if self._cur.description is not None else None

    def fetchall(self) -> list:
        if self._cur is None:
            rows, self._rows = self._rows or [], []
            return rows
        return self._cur.fetchall() if self._cur.description is not None else []

    def __iter__(self) -> Iterator:
        return iter(self.fetchall())

    def close(self) -> None:
        if self._cur is not None:
            self._cur.close()


class CompatConnection:
    """sqlite3.Connection's ``execute``/``executemany`` for a psycopg connection (see the module)."""

    def __init__(self, conn: Any, *, url: str = "", lock: threading.RLock | None = None) -> None:
        self._conn = conn
        self._url = url
        self._lock = lock or threading.RLock()
        self._listener: Any = None
        self._version = 0

    @property
    def raw(self) -> Any:
        """The psycopg connection underneath."""
        return self._conn

    def execute(self, sql: str, params: Sequence[Any] | None = ()) -> Cursor:
        pragma = _PRAGMA.match(sql)
        if pragma:
            return self._pragma(pragma.group(1).lower())
        cur = self._conn.cursor(row_factory=_row_factory_without_rowid if hides_rowid(sql) else row_factory)
        with self._lock:
            cur.execute(translate(sql), tuple(params or ()))
        return Cursor(cur)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> Cursor:
        rows = [tuple(p) for p in seq]
        cur = self._conn.cursor()
        if rows:
            with self._lock:
                cur.executemany(translate(sql), rows)
        return Cursor(cur)

    def commit(self) -> None:
        """Nothing to do: statements outside ``store.transaction()`` commit as they run."""

    # -------------------------------------------------------------- data_version
    def _pragma(self, name: str) -> Cursor:
        if name == "data_version":
            return Cursor(rows=[(self.data_version(),)])
        log.debug("PRAGMA %s has no PostgreSQL counterpart; ignored", name)
        return Cursor(rows=[])

    def data_version(self) -> int:
        """Changes when another connection has committed a change to the events (as SQLite's
        ``PRAGMA data_version``): the events table's trigger notifies at commit, and a second
        connection listens."""
        import psycopg

        if self._listener is None:
            self._listener = psycopg.connect(self._url, autocommit=True)
            self._listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
        for _note in self._listener.notifies(timeout=0):
            self._version += 1
        return self._version

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        self._conn.close()
