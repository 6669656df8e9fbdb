"""PostgresStore: the EventStore on a PostgreSQL server (psycopg 3; the ``postgres`` extra).

    frontlines run reports/ --db postgresql://user@host/dbname
    open_store("postgresql://...")  -> PostgresStore

* The schema is created and upgraded by versioned migrations (``frontlines.store.migrations``),
  applied once under an advisory lock however many processes open the database at once.
* Writes are idempotent upserts on the content ids: an article already stored is left as it
  is (``INSERT ... ON CONFLICT DO NOTHING``), and an event coded again from another article is
  merged into the stored one, as SQLite's store does.
* Several processes may write at once: a batch locks the event rows it merges into (in id
  order, so two batches never wait on each other in a circle) and is retried whole on a
  deadlock or serialization failure.  ``atomic()`` (an article stored and fused, as `run` does)
  holds a transaction-level advisory lock, so those run one at a time across processes.
* With PostGIS, events carry a point geometry with a GiST index (``events_in_bbox`` uses it);
  without, a B-tree on (latitude, longitude).
* ``connection`` speaks SQLite's dialect (``pgcompat``) so fusion, control and the server's
  index run on it unchanged.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

from frontlines.errors import StoreError
from frontlines.records import Article, Event

from .base import EventStore, user_ref
from .migrations import LATEST, MIGRATION_LOCK, MIGRATIONS
from .pgcompat import CompatConnection, row_factory, translate
from .rows import _date_str, _json, absorb, event_filters, event_values, evidence_rows, row_to_event, with_article
from .schema import EVENT_COLUMNS, SCHEMA_VERSION, q

log = logging.getLogger(__name__)

URL_PREFIXES = ("postgresql://", "postgres://")
RETRIES = 6
ATOMIC_LOCK = 0x66726F6E746C6961      # pg_advisory_xact_lock key of atomic() (the migrations' is ...696E)
_COLS = EVENT_COLUMNS + ("updated_at",)
_UPSERT_EVENT = (f"INSERT INTO events ({', '.join(q(c) for c in _COLS)}) VALUES ({', '.join('%s' for _ in _COLS)}) "
                 f"ON CONFLICT (event_id) DO UPDATE SET "
                 + ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in _COLS if c != "event_id"))
_INSERT_EVIDENCE = ('INSERT INTO evidence(event_id, article_id, sentence, "start", "end", "trigger", trigger_start,'
                    " trigger_end) VALUES (%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING")
_INSERT_EVENT_ARTICLE = "INSERT INTO event_articles(event_id, article_id) VALUES (%s, %s) ON CONFLICT DO NOTHING"


class PostgresError(StoreError):
    """E506 no connection, E507 not a frontlines database or a newer one, E508 psycopg missing."""

    MESSAGES = {
        "E506": "{url}: could not connect to PostgreSQL ({detail}).",
        "E507": "{url}: {detail}",
        "E508": "{url}: the PostgreSQL store needs psycopg: pip install 'frontlines[postgres]'.",
    }

    def __init__(self, code: str, **kwargs: object) -> None:
        self.code = code
        self.detail = self.MESSAGES[code].format(**kwargs)
        Exception.__init__(self, f"[{code}] {self.detail}")


def is_postgres_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(URL_PREFIXES)


def redact(url: str) -> str:
    """The URL with any password replaced, fit for messages and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "postgresql://…"
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _retryable(exc: BaseException) -> bool:
    import psycopg

    return isinstance(exc, (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure))


class PostgresStore(EventStore):
    """``PostgresStore("postgresql://user@host:port/dbname")``; use as a context manager."""

    def __init__(self, url: str, *, connect_timeout: int = 10) -> None:
        self.url = url
        self.path = redact(url)          # what messages name, as SQLiteStore.path
        try:
            import psycopg
        except ImportError:
            raise PostgresError("E508", url=self.path) from None
        self._lock = threading.RLock()
        try:
            raw = psycopg.connect(url, autocommit=True, connect_timeout=connect_timeout)
        except psycopg.Error as exc:
            raise PostgresError("E506", url=self.path, detail=str(exc).strip().splitlines()[0]) from None
        self._raw = raw
        self._db = CompatConnection(raw, url=url, lock=self._lock)
        try:
            self._migrate()
            self.spatial = self._meta("spatial") or "plain"
        except Exception:
            raw.close()
            raise

    # ------------------------------------------------------------------ schema
    def _meta(self, key: str) -> str | None:
        row = self._raw.execute("SELECT value FROM meta WHERE key=%s", (key,)).fetchone()
        return row[0] if row else None

    def _migrate(self) -> None:
        raw = self._raw
        tables = {r[0] for r in raw.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
        if tables and "schema_migrations" not in tables:
            if "articles" in tables or "events" in tables:
                raise PostgresError("E507", url=self.path, detail="the database has articles or events tables that "
                                    "frontlines did not create (no schema_migrations); use another database")
        with raw.transaction():
            raw.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            raw.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT,"
                        " applied_at TEXT)")
            done = {r[0] for r in raw.execute("SELECT version FROM schema_migrations")}
            if done and max(done) > LATEST:
                raise PostgresError("E507", url=self.path, detail=(
                    f"the database has schema migration {max(done)}, but this frontlines knows up to {LATEST}; "
                    "upgrade frontlines"))
            for m in MIGRATIONS:
                if m.version in done:
                    continue
                with raw.transaction(), raw.cursor() as cur:
                    if callable(m.steps):
                        m.steps(cur)
                    else:
                        for stmt in m.steps:
                            cur.execute(stmt)
                    if m.version == 1:
                        cur.executemany("INSERT INTO meta(key, value) VALUES (%s, %s)", [
                            ("schema_version", str(SCHEMA_VERSION)), ("created_by", "frontlines"),
                            ("created_at", _now())])
                    cur.execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (%s, %s, %s)",
                                (m.version, m.name, _now()))
                log.info("%s: applied migration %d (%s)", self.path, m.version, m.name)

    def migrations(self) -> list[tuple[int, str]]:
        """(version, name) of every migration this database has had."""
        return [(r[0], r[1]) for r in self._raw.execute("SELECT version, name FROM schema_migrations ORDER BY version")]

    # ------------------------------------------------------------------ plumbing
    @property
    def connection(self) -> CompatConnection:
        """A connection taking SQLite-dialect SQL, for stages that keep tables of their own."""
        return self._db

    @property
    def lock(self):
        return self._lock

    @contextmanager
    def transaction(self) -> Iterator[CompatConnection]:
        """One transaction (COMMIT, or ROLLBACK on any error) under the store's lock; inside another,
        a savepoint of it (psycopg nests them), committed with the outer one."""
        with self._lock, self._raw.transaction():
            yield self._db

    def _nested(self) -> bool:
        import psycopg

        return self._raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def atomic(self, work):
        """``work()`` in one transaction, again (whole) after a deadlock or a serialization failure."""
        import psycopg

        with self._lock:                  # (a thread of the server may be in a transaction of its own)
            if self._nested():
                with self.transaction():
                    return work()
            for attempt in range(RETRIES):
                try:
                    with self.transaction():
                        # one atomic() at a time across processes, as SQLite's write lock makes it: fusion
                        # reads the fused events it then changes, and two at once would each miss the other's
                        self._raw.execute("SELECT pg_advisory_xact_lock(%s)", (ATOMIC_LOCK,))
                        return work()
                except Exception as exc:
                    cause = exc if isinstance(exc, psycopg.Error) else exc.__cause__
                    if cause is not None and _retryable(cause) and attempt < RETRIES - 1:
                        log.info("%s: %s; the transaction runs again", self.path,
                                 str(cause).strip().splitlines()[0])
                        time.sleep(0.01 * (2 ** attempt))
                        continue
                    raise
        raise AssertionError("unreachable")

    def _retry(self, work, *, article_id: str = ""):
        """Run ``work(cursor)`` in a transaction, again (whole) after a deadlock or a serialization
        failure; any other database error is StoreError E505."""
        import psycopg

        with self._lock:
            nested = self._nested()   # inside atomic(): the outer transaction is what runs again
        for attempt in range(RETRIES):
            try:
                with self._lock, self._raw.transaction(), self._raw.cursor(row_factory=row_factory) as cur:
                    return work(cur)
            except psycopg.Error as exc:
                if _retryable(exc) and not nested and attempt < RETRIES - 1:
                    time.sleep(0.01 * (2 ** attempt))
                    continue
                raise StoreError("E505", path=self.path, detail=str(exc).strip().splitlines()[0],
                                 article_id=article_id) from exc
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------ articles
    def has_article(self, article_id: str) -> bool:
        with self._lock:
            return self._raw.execute("SELECT 1 FROM articles WHERE article_id=%s", (article_id,)).fetchone() is not None

    def add_article(self, article: Article, events: Sequence[Event] = ()) -> bool:
        return self.add_articles([(article, events)])[0]

    def add_articles(self, items: Sequence[tuple[Article, Sequence[Event]]]) -> list[bool]:
        return self.add_partition("", "", items)

    def add_partition(self, run_key: str, partition_id: str, items: Sequence[tuple[Article, Sequence[Event]]],
                      info: Mapping[str, Any] | None = None) -> list[bool]:
        items = list(items)
        first = items[0][0].article_id if items else ""

        def work(cur) -> list[bool]:
            new = self._write_batch(cur, items)
            if partition_id:
                cur.execute("INSERT INTO backfill_partitions(run_key, partition_id, info, finished_at)"
                            " VALUES (%s,%s,%s,%s) ON CONFLICT (run_key, partition_id) DO UPDATE SET"
                            " info = EXCLUDED.info, finished_at = EXCLUDED.finished_at",
                            (run_key, partition_id, _json(dict(info or {})), _now()))
            return new

        return self._retry(work, article_id=first)

    def finished_partitions(self, run_key: str) -> dict[str, dict[str, Any]]:
        with self._lock:
            rows = self._raw.execute("SELECT partition_id, info FROM backfill_partitions WHERE run_key=%s",
                                     (run_key,)).fetchall()
        return {r[0]: json.loads(r[1] or "{}") for r in rows}

    def _write_batch(self, cur, items: list[tuple[Article, Sequence[Event]]]) -> list[bool]:
        """Articles new to the database with their events, merged into stored events as one
        article after another would (see SQLiteStore.add_article)."""
        seen: set[str] = set()
        rows = []
        for a, _evs in items:
            if a.article_id in seen:
                continue
            seen.add(a.article_id)
            rows.append((a.article_id, a.url, a.title, a.source, _date_str(a.date), a.date_reason, a.origin, a.text,
                         _json(a.meta or {}), _now()))
        new_ids: set[str] = set()
        if rows:
            cur.executemany(
                "INSERT INTO articles(article_id, url, title, source, date, date_reason, origin, text, meta,"
                " ingested_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (article_id) DO NOTHING"
                " RETURNING article_id", rows, returning=True)
            while True:
                got = cur.fetchone()
                if got is not None:
                    new_ids.add(got[0])
                if not cur.nextset():
                    break
        flags, done = [], set()
        coded: list[tuple[str, Event]] = []
        counts: dict[str, int] = {}
        for a, evs in items:
            fresh = a.article_id in new_ids and a.article_id not in done
            flags.append(fresh)
            if not fresh:
                continue
            done.add(a.article_id)
            if a.source:
                counts[a.source] = counts.get(a.source, 0) + 1
            coded.extend((a.article_id, ev) for ev in evs)
        if counts:
            cur.executemany("INSERT INTO sources(source, article_count) VALUES (%s, %s) ON CONFLICT (source) DO UPDATE"
                            " SET article_count = sources.article_count + EXCLUDED.article_count",
                            sorted(counts.items()))
        if coded:
            order = list(dict.fromkeys(ev.event_id for _aid, ev in coded))     # first appearance, as SQLite writes
            if not all(order):
                raise ValueError("an event needs an event_id before it is stored")
            ids = sorted(order)
            # claim the new ids (in id order: two batches never wait on each other in a circle); a
            # concurrent batch with the same new id waits here, then merges into what this one stored
            cur.execute("INSERT INTO events(event_id) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING"
                        " RETURNING event_id", (ids,))
            claimed = {r[0] for r in cur.fetchall()}
            stored = [i for i in ids if i not in claimed]
            state: dict[str, Event] = {}
            if stored:
                cur.execute("SELECT * FROM events WHERE event_id = ANY(%s) ORDER BY event_id FOR UPDATE", (stored,))
                state = {r["event_id"]: row_to_event(r) for r in cur.fetchall()}
            if claimed:          # ingestion order of the new events, as SQLite's rowids keep it
                cur.executemany("UPDATE events SET rowid = nextval(pg_get_serial_sequence('events', 'rowid'))"
                                " WHERE event_id = %s", [(i,) for i in order if i in claimed])
            touched: dict[str, Event] = {}
            for aid, ev in coded:
                ev = with_article(ev, aid)
                before = touched.get(ev.event_id) or state.get(ev.event_id)
                touched[ev.event_id] = absorb(before, ev) if before is not None else ev
            self._write_events(cur, [touched[i] for i in order])
        return flags

    def _write_events(self, cur, events: Sequence[Event]) -> None:
        if not events:
            return
        stamp = _now()
        ids = [e.event_id for e in events]
        cur.executemany(_UPSERT_EVENT, [event_values(e) + [stamp] for e in events])
        cur.execute("DELETE FROM evidence WHERE event_id = ANY(%s)", (ids,))
        cur.executemany(_INSERT_EVIDENCE, [r for e in events for r in evidence_rows(e)])
        cur.execute("DELETE FROM event_articles WHERE event_id = ANY(%s)", (ids,))
        cur.executemany(_INSERT_EVENT_ARTICLE, [(e.event_id, aid) for e in events for aid in e.article_ids])

    def mark_superseded(self, article_id: str, by: str) -> None:
        self._retry(lambda cur: cur.execute("UPDATE articles SET superseded_by=%s WHERE article_id=%s", (by, article_id)))

    def get_article(self, article_id: str) -> Article | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM articles WHERE article_id=?", (article_id,)).fetchone()
        return _row_to_article(row) if row else None

    def iter_articles(self) -> Iterator[Article]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM articles ORDER BY date, article_id").fetchall()
        for row in rows:
            yield _row_to_article(row)

    def article_refs(self, article_ids: Iterable[str] | None = None) -> dict[str, str]:
        sql = "SELECT article_id, meta FROM articles WHERE meta IS NOT NULL AND meta <> '{}'"
        with self._lock:
            if article_ids is None:
                rows = self._raw.execute(sql).fetchall()
            else:
                ids = list(dict.fromkeys(article_ids))
                rows = self._raw.execute(sql + " AND article_id = ANY(%s)", (ids,)).fetchall() if ids else []
        return {aid: ref for aid, meta in rows if (ref := user_ref(json.loads(meta)))}

    def count_articles(self) -> int:
        with self._lock:
            return self._raw.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    # ------------------------------------------------------------------ events
    def get_event(self, event_id: str) -> Event | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM events WHERE event_id=?", (event_id,)).fetchone()
        return row_to_event(row) if row else None

    def query_events(self, where: str, params: Sequence[Any] = ()) -> list[Event]:
        with self._lock:
            rows = self._db.execute(f"SELECT * FROM events WHERE {where}", tuple(params)).fetchall()
        return [row_to_event(r) for r in rows]

    def iter_events(self, *, since: str | dt.date | None = None, until: str | dt.date | None = None,
                    event_type: str | None = None, location: str | None = None,
                    limit: int | None = None) -> Iterator[Event]:
        """As SQLiteStore.iter_events (names matched without regard to case)."""
        where, params = event_filters(since, until, event_type, location, same=_lower, mark="%s")
        yield from self._select(where, params, limit)

    def events_in_bbox(self, west: float, south: float, east: float, north: float, *,
                       since: str | dt.date | None = None, until: str | dt.date | None = None,
                       limit: int | None = None) -> Iterator[Event]:
        """Events placed inside a box (degrees), by date then id: the GiST index of the PostGIS
        geometry where there is one, else the (latitude, longitude) index."""
        where, params = event_filters(since, until, None, None, same=_lower, mark="%s")
        if self.spatial == "postgis":
            where.append("geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)")
            params += [west, south, east, north]
        else:
            where += ["latitude BETWEEN %s AND %s", "longitude BETWEEN %s AND %s"]
            params += [south, north, west, east]
        yield from self._select(where, params, limit)

    def _select(self, where: list[str], params: list[Any], limit: int | None) -> Iterator[Event]:
        sql = "SELECT * FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY event_date, event_id"
        if limit is not None:
            sql += " LIMIT %s"
            params.append(int(limit))
        with self._lock, self._raw.cursor(row_factory=row_factory) as cur:
            rows = cur.execute(sql, params).fetchall()
        for row in rows:
            yield row_to_event(row)

    def count_events(self) -> int:
        with self._lock:
            return self._raw.execute("SELECT COUNT(*) FROM events").fetchone()[0]

    def upsert_event(self, event: Event) -> None:
        self._retry(lambda cur: self._write_events(cur, [event]))

    def replace_events(self, events: Sequence[Event], *, remove: Iterable[str] = ()) -> None:
        remove = list(remove)

        def work(cur) -> None:
            _delete(cur, remove)
            self._write_events(cur, list(events))

        self._retry(work)

    def delete_events(self, event_ids: Iterable[str]) -> int:
        ids = list(event_ids)
        return self._retry(lambda cur: _delete(cur, ids))

    def close(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            with self._lock:
                db.close()
            self._db = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PostgresStore({self.path!r})"


def _lower(column: str) -> str:
    return f"lower({column}) = lower(%s)"


def _delete(cur, ids: list[str]) -> int:
    if not ids:
        return 0
    cur.execute("DELETE FROM evidence WHERE event_id = ANY(%s)", (ids,))
    cur.execute("DELETE FROM event_articles WHERE event_id = ANY(%s)", (ids,))
    cur.execute("DELETE FROM events WHERE event_id = ANY(%s)", (ids,))
    return cur.rowcount


def _row_to_article(row: Any) -> Article:
    from .sqlite import SQLiteStore

    return SQLiteStore._row_to_article(row)


__all__ = ["PostgresStore", "PostgresError", "is_postgres_url", "redact", "translate"]
