"""store.atomic and nested transactions (SQLite): what `run` relies on to store and fuse an article
in one transaction."""
from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time

import pytest

from frontlines.records import Article, Event
from frontlines.store import SQLiteStore


def _article(n: int) -> tuple[Article, list[Event]]:
    a = Article(article_id=f"a{n}", text=f"report {n}", date=dt.date(2023, 1, 1), title=f"t{n}", source=f"s{n % 2}")
    ev = Event(event_id=f"E{n}", event_date="2023-01-0%d" % (n % 9 + 1), location="Izium", article_ids=[a.article_id],
               evidence=[{"article_id": a.article_id, "sentence": "x", "start": 0, "end": 1}])
    return a, [ev]


def test_an_error_inside_atomic_undoes_every_write_of_it(tmp_path):
    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_article(*_article(1))

        def work():
            assert store.add_article(*_article(2))       # a nested transaction: a savepoint
            with store.transaction() as db:
                db.execute("INSERT INTO meta(key, value) VALUES ('x', 'y')")
            raise RuntimeError("killed")

        with pytest.raises(RuntimeError):
            store.atomic(work)
        assert store.count_articles() == 1 and store.get_event("E2") is None
        assert store.connection.execute("SELECT 1 FROM meta WHERE key='x'").fetchone() is None
        assert not store.connection.in_transaction


def test_a_failed_nested_transaction_leaves_the_outer_one_going(tmp_path):
    with SQLiteStore(tmp_path / "s.db") as store:
        def work():
            store.add_article(*_article(1))
            with pytest.raises(ValueError):
                with store.transaction() as db:
                    db.execute("INSERT INTO meta(key, value) VALUES ('x', 'y')")
                    raise ValueError
            store.add_article(*_article(2))

        store.atomic(work)
        assert store.count_articles() == 2
        assert store.connection.execute("SELECT 1 FROM meta WHERE key='x'").fetchone() is None


def test_atomic_commits_all_at_once_for_other_connections(tmp_path):
    path = tmp_path / "s.db"
    with SQLiteStore(path) as store:
        other = sqlite3.connect(path)
        seen = []

        def work():
            store.add_article(*_article(1))
            seen.append(other.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
            store.add_article(*_article(2))

        store.atomic(work)
        assert seen == [0]
        assert other.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2
        other.close()


def test_a_write_waits_out_a_lock_held_longer_than_the_busy_timeout(tmp_path):
    """Another process holds the write lock past the busy timeout: the write keeps trying (the
    user sees no "database is locked")."""
    path = tmp_path / "s.db"
    SQLiteStore(path).close()
    store = SQLiteStore(path, timeout=0.2)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(1.0, lambda: holder.execute("COMMIT")).start()
    started = time.monotonic()
    assert store.add_article(*_article(1))
    assert time.monotonic() - started >= 0.9
    store.close()
    holder.close()


def test_a_write_gives_up_on_a_lock_held_past_busy_seconds(tmp_path):
    path = tmp_path / "s.db"
    SQLiteStore(path).close()
    store = SQLiteStore(path, timeout=0.1, busy_seconds=0.5)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(Exception, match="locked"):
            store.add_article(*_article(1))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        store.close()


def test_reading_fusion_tables_needs_no_write_lock(tmp_path):
    """The server's explain and control read fusion's tables; another process writing (holding the
    write lock) must not make them wait."""
    from frontlines.fusion import explain, fuse_article

    path = tmp_path / "s.db"
    with SQLiteStore(path) as store:
        store.add_article(*_article(1))
        fuse_article(store, "a1")
    reader = SQLiteStore(path, timeout=0.2, busy_seconds=0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        assert explain(reader, "E1")["found"]
        assert time.monotonic() - started < 0.2
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        reader.close()
