"""SQLiteStore: the default EventStore (stdlib sqlite3, WAL journal).

Transactions are explicit (``BEGIN IMMEDIATE`` ... ``COMMIT``, ``ROLLBACK`` on any
error), so an article and its events are stored entirely or not at all.  Foreign keys
are declared (datasette shows them as links) but not enforced: an event may cite an
article stored later.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from frontlines.errors import StoreError
from frontlines.records import Article, Event

from .base import EventStore, user_ref
from .rows import _date_str, _json, absorb, event_filters, event_values, evidence_rows, row_to_event, with_article
from .schema import EVENT_COLUMNS, REQUIRED_TABLES, SCHEMA, SCHEMA_VERSION, q

log = logging.getLogger(__name__)

_EVENT_INSERT_COLS = EVENT_COLUMNS + ("updated_at",)
_SQL_VARS = 500          # ids per IN (...) query, well under SQLite's variable limit
BUSY_SECONDS = 600.0     # how long a write waits for another process's write lock before it gives up


def _busy(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def _busy_retry(step: Callable[[], Any], seconds: float, path: str) -> Any:
    """``step()``, repeated while SQLite answers "database is locked" (SQLITE_BUSY), for up to ``seconds``."""
    deadline = time.monotonic() + seconds
    pause = 0.05
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() + pause > deadline:
                raise
            log.info("%s: %s; trying again in %.2fs", path, exc, pause)
            time.sleep(pause)
            pause = min(pause * 2, 2.0)


#: Finished partitions of backfills (``frontlines run --engine dask``); created when first needed.
PARTITIONS_TABLE = """CREATE TABLE IF NOT EXISTS backfill_partitions (
  run_key TEXT NOT NULL,
  partition_id TEXT NOT NULL,
  info TEXT,
  finished_at TEXT,
  PRIMARY KEY (run_key, partition_id)
)"""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class SQLiteStore(EventStore):
    """``SQLiteStore(path)``; ``":memory:"`` works for tests.  Use as a context manager."""

    def __init__(self, path: str | Path, *, timeout: float = 30.0, busy_seconds: float = BUSY_SECONDS) -> None:
        self.path = str(path)
        self.busy_seconds = busy_seconds
        self.timeout = timeout
        self._lock = threading.RLock()
        self._depth = 0                  # nesting of transaction(): 0 outside one
        memory = self.path == ":memory:" or self.path.startswith("file::memory:")
        if not memory:
            p = Path(self.path)
            if p.is_dir():
                raise StoreError("E503", path=self.path, detail="it is a directory")
            existed = p.exists() and p.stat().st_size > 0
            if not existed:
                p.parent.mkdir(parents=True, exist_ok=True)
        else:
            existed = False
        try:
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None,
                                       check_same_thread=False)
            self._db.row_factory = sqlite3.Row
            tables = _busy_retry(lambda: {r[0] for r in self._db.execute("SELECT name FROM sqlite_master"
                                                                         " WHERE type='table'")},
                                 busy_seconds, self.path)
        except sqlite3.DatabaseError as exc:
            if getattr(self, "_db", None) is not None:
                self._db.close()
            raise StoreError("E503", path=self.path, detail=str(exc)) from None
        try:
            self._check_or_create(tables, existed)
        except Exception:
            self._db.close()
            raise

    # ------------------------------------------------------------------ setup
    def _check_or_create(self, tables: set[str], existed: bool) -> None:
        if tables:
            for table in REQUIRED_TABLES:
                if table not in tables:
                    raise StoreError("E501", path=self.path, table=table)
            row = self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row is None:
                raise StoreError("E501", path=self.path, table="meta")
            found = int(row[0])
            if found > SCHEMA_VERSION:
                raise StoreError("E504", path=self.path, found=found, expected=SCHEMA_VERSION)
            # (no older versions exist yet; migrations go here)
        if self.path != ":memory:":
            mode = _busy_retry(lambda: self._db.execute("PRAGMA journal_mode=WAL").fetchone()[0], self.busy_seconds,
                               self.path)
            if str(mode).lower() != "wal":
                log.debug("%s: journal mode %s (WAL not available)", self.path, mode)
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
        if not tables:
            with self.transaction():
                for stmt in SCHEMA:
                    self._db.execute(stmt)
                self._db.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", [
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("created_by", "frontlines"),
                    ("created_at", _now()),
                ])

    @property
    def connection(self) -> sqlite3.Connection:
        """The open SQLite connection, for stages that keep tables of their own (fusion, control)."""
        return self._db

    @property
    def lock(self):
        """The lock every write holds; stages writing through ``connection`` take it too."""
        return self._lock

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT, ROLLBACK on error) under the store's lock.

        Nested calls (fusion's writes inside ``atomic``) are savepoints of the outer transaction:
        their writes commit with it or not at all.  ``BEGIN IMMEDIATE`` takes the write lock at
        once, so a transaction never has to upgrade a read lock (which SQLite refuses at once with
        SQLITE_BUSY when another connection writes); waiting for that lock is the busy timeout's job,
        and beyond it ``_begin`` keeps trying."""
        with self._lock:
            if self._depth:
                name = f"nested_{self._depth}"
                self._db.execute(f"SAVEPOINT {name}")
                self._depth += 1
                try:
                    yield self._db
                except BaseException:
                    self._db.execute(f"ROLLBACK TO {name}")
                    self._db.execute(f"RELEASE {name}")
                    raise
                else:
                    self._db.execute(f"RELEASE {name}")
                finally:
                    self._depth -= 1
                return
            self._begin()
            self._depth = 1
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:      # (SQLite may have rolled back already, as on SQLITE_FULL)
                    self._db.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, again after "database is locked" until ``busy_seconds`` have passed: the
        busy timeout covers one wait, and another process may hold the lock for longer (a long
        fusion, a checkpoint, a second run storing a large batch)."""
        _busy_retry(lambda: self._db.execute("BEGIN IMMEDIATE"), self.busy_seconds, self.path)

    # ------------------------------------------------------------------ articles
    def has_article(self, article_id: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM articles WHERE article_id=?", (article_id,)).fetchone() is not None

    def add_article(self, article: Article, events: Sequence[Event] = ()) -> bool:
        try:
            with self.transaction() as db:
                return self._add(db, article, events)
        except sqlite3.Error as exc:
            raise StoreError("E505", path=self.path, detail=str(exc), article_id=article.article_id) from exc

    def _add(self, db: sqlite3.Connection, article: Article, events: Sequence[Event]) -> bool:
        if db.execute("SELECT 1 FROM articles WHERE article_id=?", (article.article_id,)).fetchone():
            return False
        self._insert_article(db, article)
        for event in events:
            self._merge_event(db, event, article.article_id)
        return True

    def add_articles(self, items: Sequence[tuple[Article, Sequence[Event]]]) -> list[bool]:
        """Several articles in one transaction (faster than one each; a failure stores none)."""
        return self.add_partition("", "", items)

    def finished_partitions(self, run_key: str) -> dict[str, dict[str, Any]]:
        with self._lock:
            if not self._has_partitions_table():
                return {}
            rows = self._db.execute("SELECT partition_id, info FROM backfill_partitions WHERE run_key=?",
                                    (run_key,)).fetchall()
        return {r[0]: json.loads(r[1] or "{}") for r in rows}

    def add_partition(self, run_key: str, partition_id: str, items: Sequence[tuple[Article, Sequence[Event]]],
                      info: Any = None) -> list[bool]:
        first = items[0][0].article_id if items else ""
        try:
            with self.transaction() as db:
                out = [self._add(db, article, events) for article, events in items]
                if partition_id:
                    if not self._has_partitions_table():
                        db.execute(PARTITIONS_TABLE)
                    db.execute("INSERT OR REPLACE INTO backfill_partitions(run_key, partition_id, info, finished_at)"
                               " VALUES (?,?,?,?)", (run_key, partition_id, _json(dict(info or {})), _now()))
                return out
        except sqlite3.Error as exc:
            raise StoreError("E505", path=self.path, detail=str(exc), article_id=first) from exc

    def _has_partitions_table(self) -> bool:
        return self._db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='backfill_partitions'"
                                ).fetchone() is not None

    def _insert_article(self, db: sqlite3.Connection, a: Article) -> None:
        db.execute(
            "INSERT INTO articles(article_id, url, title, source, date, date_reason, origin, text, meta,"
            " ingested_at, superseded_by) VALUES (?,?,?,?,?,?,?,?,?,?,NULL)",
            (a.article_id, a.url, a.title, a.source, _date_str(a.date), a.date_reason, a.origin, a.text,
             _json(a.meta or {}), _now()))
        if a.source:
            db.execute("INSERT INTO sources(source, article_count) VALUES (?, 1) "
                       "ON CONFLICT(source) DO UPDATE SET article_count = article_count + 1", (a.source,))

    def mark_superseded(self, article_id: str, by: str) -> None:
        """Record that ``article_id`` is a copy or older version of article ``by``."""
        with self.transaction() as db:
            db.execute("UPDATE articles SET superseded_by=? WHERE article_id=?", (by, article_id))

    def get_article(self, article_id: str) -> Article | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM articles WHERE article_id=?", (article_id,)).fetchone()
        return self._row_to_article(row) if row else None

    def iter_articles(self) -> Iterator[Article]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM articles ORDER BY date, article_id").fetchall()
        for row in rows:
            yield self._row_to_article(row)

    @staticmethod
    def _row_to_article(row: sqlite3.Row) -> Article:
        date = dt.date.fromisoformat(row["date"]) if row["date"] else None
        meta = json.loads(row["meta"]) if row["meta"] else {}
        return Article(article_id=row["article_id"], text=row["text"] or "", date=date,
                       title=row["title"] or "", url=row["url"] or "", source=row["source"] or "",
                       origin=row["origin"] or "", date_reason=row["date_reason"] or "", meta=meta)

    def article_refs(self, article_ids: Iterable[str] | None = None) -> dict[str, str]:
        sql = "SELECT article_id, meta FROM articles WHERE meta IS NOT NULL AND meta != '{}'"
        with self._lock:
            if article_ids is None:
                rows = self._db.execute(sql).fetchall()
            else:
                ids, rows = list(dict.fromkeys(article_ids)), []
                for i in range(0, len(ids), _SQL_VARS):
                    chunk = ids[i:i + _SQL_VARS]
                    rows += self._db.execute(sql + f" AND article_id IN ({','.join('?' * len(chunk))})",
                                             chunk).fetchall()
        refs = {}
        for article_id, meta in rows:
            ref = user_ref(json.loads(meta))
            if ref:
                refs[article_id] = ref
        return refs

    def count_articles(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    # ------------------------------------------------------------------ events
    def _merge_event(self, db: sqlite3.Connection, event: Event, article_id: str) -> None:
        """Insert an event coded from ``article_id``; if its id is already stored (the
        same event reported by another article), keep the stored fields and add this
        article's id, evidence and source to it."""
        event = with_article(event, article_id)
        row = db.execute("SELECT * FROM events WHERE event_id=?", (event.event_id,)).fetchone()
        if row is not None:
            event = absorb(self._row_to_event(row), event)
        self._write_event(db, event)

    def _write_event(self, db: sqlite3.Connection, event: Event) -> None:
        values = event_values(event)
        values.append(_now())
        cols = ", ".join(q(c) for c in _EVENT_INSERT_COLS)
        marks = ", ".join("?" for _ in _EVENT_INSERT_COLS)
        updates = ", ".join(f"{q(c)}=excluded.{q(c)}" for c in _EVENT_INSERT_COLS if c != "event_id")
        db.execute(f"INSERT INTO events ({cols}) VALUES ({marks}) "
                   f"ON CONFLICT(event_id) DO UPDATE SET {updates}", values)
        db.execute("DELETE FROM evidence WHERE event_id=?", (event.event_id,))
        db.executemany(
            'INSERT OR IGNORE INTO evidence(event_id, article_id, sentence, "start", "end", "trigger",'
            " trigger_start, trigger_end) VALUES (?,?,?,?,?,?,?,?)", evidence_rows(event))
        db.execute("DELETE FROM event_articles WHERE event_id=?", (event.event_id,))
        db.executemany("INSERT OR IGNORE INTO event_articles(event_id, article_id) VALUES (?, ?)",
                       [(event.event_id, aid) for aid in event.article_ids])

    def upsert_event(self, event: Event) -> None:
        with self.transaction() as db:
            self._write_event(db, event)

    def replace_events(self, events: Sequence[Event], *, remove: Iterable[str] = ()) -> None:
        with self.transaction() as db:
            self._delete(db, list(remove))
            for event in events:
                self._write_event(db, event)

    def delete_events(self, event_ids: Iterable[str]) -> int:
        with self.transaction() as db:
            return self._delete(db, list(event_ids))

    @staticmethod
    def _delete(db: sqlite3.Connection, ids: list[str]) -> int:
        n = 0
        for eid in ids:
            db.execute("DELETE FROM evidence WHERE event_id=?", (eid,))
            db.execute("DELETE FROM event_articles WHERE event_id=?", (eid,))
            n += db.execute("DELETE FROM events WHERE event_id=?", (eid,)).rowcount
        return n

    @staticmethod
    def _row_to_event(row: sqlite3.Row) -> Event:
        return row_to_event(row)

    def get_event(self, event_id: str) -> Event | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM events WHERE event_id=?", (event_id,)).fetchone()
        return self._row_to_event(row) if row else None

    def query_events(self, where: str, params: Sequence[Any] = ()) -> list[Event]:
        """Events matching an SQL condition on the events table, in one query (for stages such as
        fusion that select candidates by their own criteria)."""
        with self._lock:
            rows = self._db.execute(f"SELECT * FROM events WHERE {where}", tuple(params)).fetchall()
        return [self._row_to_event(r) for r in rows]

    def iter_events(self, *, since: str | dt.date | None = None, until: str | dt.date | None = None,
                    event_type: str | None = None, location: str | None = None,
                    limit: int | None = None) -> Iterator[Event]:
        """Events ordered by date then id.  ``since``/``until`` are inclusive dates;
        ``event_type`` matches event_type or sub_event_type; ``location`` matches
        location, admin1 or admin2 (case-insensitive)."""
        where, params = event_filters(since, until, event_type, location, same=_nocase)
        sql = "SELECT * FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY event_date, event_id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        for row in rows:
            yield self._row_to_event(row)

    def count_events(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0]

    def close(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            with self._lock:
                db.close()
            self._db = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"


def _nocase(column: str) -> str:
    return f"{column} = ? COLLATE NOCASE"
