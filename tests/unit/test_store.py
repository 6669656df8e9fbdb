"""SQLiteStore: schema, round trips, idempotence and one transaction per article."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from frontlines.errors import StoreError
from frontlines.records import EVENT_FIELDS, Article, Event, Evidence
from frontlines.store import EventStore, SQLiteStore, open_store
from frontlines.store.schema import REQUIRED_TABLES, SCHEMA_VERSION


def article(n: int = 1, source: str = "Example News") -> Article:
    return Article(article_id=f"art{n:013d}", text=f"Text of article {n}. Shelling hit Izium.",
                   date=dt.date(2022, 9, 10 + n), title=f"Title {n}", url=f"https://example.com/{n}",
                   source=source, origin=f"in.jsonl:{n}", date_reason="date:field", meta={"id": f"x{n}"})


def event(eid: str, art: Article, **kw) -> Event:
    base = dict(event_id=eid, event_date="2022-09-10", event_type="Battles",
                sub_event_type="Armed clash", location="Izium", admin1="Kharkiv",
                latitude=49.2103, longitude=37.2563, geonameid=707688, article_ids=[art.article_id],
                quantities=[{"value": 2.0, "unit": "km", "of": "depth of advance"}],
                evidence=[Evidence(art.article_id, "Shelling hit Izium.", 20, 39, "Shelling", 20, 28).to_dict()],
                reasons=["type:clash"], source=art.source, fatalities=2, iso=804, inter1=1)
    base.update(kw)
    return Event(**base)


@pytest.fixture
def store(tmp_path):
    with SQLiteStore(tmp_path / "events.db") as s:
        yield s


def test_is_an_event_store_and_schema(tmp_path, store):
    assert isinstance(store, EventStore)
    db = sqlite3.connect(tmp_path / "events.db")
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(REQUIRED_TABLES) <= tables
    assert db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    cols = [r[1] for r in db.execute("PRAGMA table_info(events)")]
    assert cols[: len(EVENT_FIELDS)] == list(EVENT_FIELDS)
    assert {"date_end", "region", "source_scale", "admin3"} <= set(cols)
    art_cols = {r[1] for r in db.execute("PRAGMA table_info(articles)")}
    assert {"article_id", "url", "title", "source", "date", "origin", "text", "ingested_at",
            "superseded_by"} <= art_cols
    ev_cols = [r[1] for r in db.execute("PRAGMA table_info(evidence)")]
    assert ev_cols == ["event_id", "article_id", "sentence", "start", "end", "trigger",
                       "trigger_start", "trigger_end"]
    indexed = {r[0] for r in db.execute("SELECT sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL")}
    for col in ("event_date", "event_type", "location", "geonameid"):
        assert any(col in sql for sql in indexed), col
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_round_trip(store):
    a = article()
    e = event("ev1", a)
    assert store.add_article(a, [e]) is True
    assert store.has_article(a.article_id) and not store.has_article("nope")
    assert store.get_article(a.article_id) == a
    got = store.get_event("ev1")
    assert got == e and got.to_dict() == e.to_dict()
    assert store.get_event("missing") is None and store.get_article("missing") is None
    assert store.count_articles() == 1 and store.count_events() == 1


def test_tables_for_browsing(tmp_path, store):
    a = article()
    store.add_article(a, [event("ev1", a), event("ev2", a, event_date="2022-09-11")])
    db = sqlite3.connect(tmp_path / "events.db")
    assert db.execute("SELECT source, article_count FROM sources").fetchall() == [("Example News", 1)]
    assert db.execute("SELECT COUNT(*) FROM event_articles").fetchone()[0] == 2
    row = db.execute('SELECT event_id, article_id, sentence, "start", "end", "trigger" FROM evidence '
                     "WHERE event_id='ev1'").fetchone()
    assert row == ("ev1", a.article_id, "Shelling hit Izium.", 20, 39, "Shelling")
    q = json.loads(db.execute("SELECT quantities FROM events WHERE event_id='ev1'").fetchone()[0])
    assert q == [{"value": 2.0, "unit": "km", "of": "depth of advance"}]
    db.close()


def test_idempotent(store):
    a = article()
    events = [event("ev1", a), event("ev2", a)]
    assert store.add_article(a, events) is True
    assert store.add_article(a, events) is False
    assert store.add_article(a, events[:1]) is False
    assert store.count_articles() == 1 and store.count_events() == 2
    assert store._db.execute("SELECT COUNT(*) FROM evidence").fetchone()[0] == 2
    assert store._db.execute("SELECT article_count FROM sources").fetchone()[0] == 1


def test_same_event_from_two_articles_is_merged(store):
    a, b = article(1), article(2, source="Other Wire")
    store.add_article(a, [event("ev1", a)])
    eb = event("ev1", b, fatalities=9, evidence=[{"article_id": b.article_id, "sentence": "S.", "start": 0,
                                                   "end": 2, "trigger": "", "trigger_start": -1, "trigger_end": -1}])
    store.add_article(b, [eb])
    got = store.get_event("ev1")
    assert got.article_ids == [a.article_id, b.article_id]
    assert len(got.evidence) == 2 and got.fatalities == 2          # the first record's fields stay
    assert got.source == "Example News; Other Wire"
    assert store.count_events() == 1
    assert store._db.execute("SELECT COUNT(*) FROM event_articles").fetchone()[0] == 2


def test_interrupted_insert_leaves_nothing_then_rerun_completes(tmp_path, monkeypatch):
    path = tmp_path / "events.db"
    a = article()
    events = [event("ev1", a), event("ev2", a), event("ev3", a)]
    store = SQLiteStore(path)
    real = SQLiteStore._write_event
    calls = {"n": 0}

    def failing(self, db, ev):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut half-way")
        return real(self, db, ev)

    monkeypatch.setattr(SQLiteStore, "_write_event", failing)
    with pytest.raises(RuntimeError):
        store.add_article(a, events)
    monkeypatch.setattr(SQLiteStore, "_write_event", real)
    assert not store.has_article(a.article_id)
    assert store.count_events() == 0 and store.count_articles() == 0
    for table in ("evidence", "event_articles", "sources"):
        assert store._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
    store.close()
    # A new process opens the same file and re-runs the same input: it completes.
    with open_store(path) as store2:
        assert store2.add_article(a, events) is True
        assert store2.count_events() == 3 and store2.count_articles() == 1


def test_sqlite_error_is_E505_and_rolled_back(store, monkeypatch):
    a = article()
    bad = event("ev2", a, latitude=object())          # sqlite cannot bind this
    with pytest.raises(StoreError) as info:
        store.add_article(a, [event("ev1", a), bad])
    assert info.value.code == "E505"
    assert store.count_articles() == 0 and store.count_events() == 0


def test_iter_events_filters(store):
    a = article()
    store.add_article(a, [
        event("e1", a, event_date="2022-09-08", location="Izium"),
        event("e2", a, event_date="2022-09-10", event_type="Explosions/Remote violence",
              sub_event_type="Shelling/artillery/missile attack", location="Balakliia"),
        event("e3", a, event_date="2022-09-12", location="Kupiansk", admin1="Kharkiv"),
    ])
    ids = lambda **kw: [e.event_id for e in store.iter_events(**kw)]
    assert ids() == ["e1", "e2", "e3"]
    assert ids(since="2022-09-10") == ["e2", "e3"]
    assert ids(until=dt.date(2022, 9, 10)) == ["e1", "e2"]
    assert ids(event_type="Battles") == ["e1", "e3"]
    assert ids(event_type="shelling/artillery/missile attack") == ["e2"]
    assert ids(location="kupiansk") == ["e3"]
    assert ids(location="Kharkiv") == ["e1", "e2", "e3"]
    assert ids(limit=1) == ["e1"]


def test_upsert_replace_delete(store):
    a = article()
    store.add_article(a, [event("e1", a), event("e2", a)])
    store.upsert_event(event("e1", a, fatalities=5, evidence=[]))
    got = store.get_event("e1")
    assert got.fatalities == 5 and got.evidence == []
    assert store._db.execute("SELECT COUNT(*) FROM evidence WHERE event_id='e1'").fetchone()[0] == 0
    merged = event("m1", a, article_ids=[a.article_id, "other"])
    store.replace_events([merged], remove=["e1", "e2"])
    assert [e.event_id for e in store.iter_events()] == ["m1"]
    assert store._db.execute("SELECT COUNT(*) FROM event_articles").fetchone()[0] == 2
    assert store.delete_events(["m1", "zzz"]) == 1 and store.count_events() == 0


def test_non_frontlines_sqlite_is_E501(tmp_path):
    p = tmp_path / "other.db"
    db = sqlite3.connect(p)
    db.execute("CREATE TABLE people (name TEXT)")
    db.commit()
    db.close()
    with pytest.raises(StoreError) as info:
        open_store(p)
    assert info.value.code == "E501" and str(p) in str(info.value)


def test_not_sqlite_is_E503_and_newer_schema_E504(tmp_path):
    p = tmp_path / "notes.db"
    p.write_text("just some text, not a database " * 40)
    with pytest.raises(StoreError) as info:
        open_store(p)
    assert info.value.code == "E503"
    q = tmp_path / "future.db"
    SQLiteStore(q).close()
    db = sqlite3.connect(q)
    db.execute("UPDATE meta SET value='999' WHERE key='schema_version'")
    db.commit()
    db.close()
    with pytest.raises(StoreError) as info:
        open_store(q)
    assert info.value.code == "E504"


def test_reopen_and_memory(tmp_path):
    p = tmp_path / "deep" / "dir" / "x.db"
    a = article()
    with open_store(p) as s:
        s.add_article(a, [event("e1", a)])
    with open_store(f"sqlite:///{p}") as s:
        assert s.count_events() == 1 and s.get_event("e1").location == "Izium"
        assert [x.article_id for x in s.iter_articles()] == [a.article_id]
    with open_store(":memory:") as m:
        assert m.add_article(a, []) and m.count_articles() == 1 and m.count_events() == 0


def test_superseded(store):
    a, b = article(1), article(2)
    store.add_article(a, [])
    store.add_article(b, [])
    store.mark_superseded(a.article_id, b.article_id)
    row = store._db.execute("SELECT superseded_by FROM articles WHERE article_id=?", (a.article_id,)).fetchone()
    assert row[0] == b.article_id


def test_user_ids_of_articles(store):
    """The id a JSONL/CSV input gave an article (kept in meta) is what users join on."""
    from dataclasses import replace

    from frontlines.store import user_ref

    assert user_ref({"id": " doc-7 ", "kind": "war"}) == "doc-7"
    assert user_ref({"ID": 42}) == "42" and user_ref({"Doc_Id": "a"}) == "a"
    assert user_ref({"guid": "urn:feed:9", "feed": "Wire"}) == "urn:feed:9"
    assert user_ref({"id": "", "uid": "u1"}) == "u1"            # the first key with a value
    assert user_ref({"id": True}) == "" and user_ref({"id": ["a"]}) == "" and user_ref(None) == ""
    a1, a2, a3 = article(1), article(2), replace(article(3), meta={"format": "text"})
    for a in (a1, a2, a3):
        store.add_article(a, [])
    assert store.article_refs() == {a1.article_id: "x1", a2.article_id: "x2"}
    assert store.article_refs([a2.article_id, a3.article_id, "missing"]) == {a2.article_id: "x2"}
    # the interface's own version (for other backends) gives the same answer
    assert EventStore.article_refs(store, [a2.article_id, a3.article_id]) == {a2.article_id: "x2"}
    assert EventStore.article_refs(store) == store.article_refs()
