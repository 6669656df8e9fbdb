"""The PostgreSQL store on a real (throwaway) server: the same behaviour as SQLite's, shown by
running the store, fusion and event-index unit tests again on it, plus what only a server has
(migrations, concurrent writers, PostGIS, data_version across connections)."""
from __future__ import annotations

import datetime as dt
import importlib.util
import multiprocessing
import sys
from pathlib import Path

import pytest

import pg_server
from frontlines.records import Article, Event
from frontlines.store import open_store

pytestmark = pytest.mark.e2e
UNIT = Path(__file__).resolve().parents[1] / "unit"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"pg_{name}", UNIT / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


_fusion = _load("test_fusion")
_query = _load("test_store_query")

# every fusion unit test, and every event-index test, again on PostgreSQL (collected here, with
# this module's `store` and `db` fixtures)
for _name, _fn in list(vars(_fusion).items()) + list(vars(_query).items()):
    if _name.startswith("test_") and callable(_fn):
        globals()[_name] = _fn


@pytest.fixture(scope="module")
def pg_store(pg_url):
    s = open_store(pg_url)
    yield s
    s.close()


@pytest.fixture()
def store(pg_store):
    pg_server.empty(pg_store)
    return pg_store


@pytest.fixture()
def db(pg_store):
    """test_store_query's fixture data, in PostgreSQL."""
    pg_server.empty(pg_store)
    return _query.fill(pg_store)


def test_empty_index_on_postgres(pg_store):
    from frontlines.store.query import EventIndex

    pg_server.empty(pg_store)
    assert EventIndex.load(pg_store.connection).size == 0


# ------------------------------------------------------------------------- what only a server has
def _article(n: int, text: str | None = None) -> Article:
    return Article(article_id=f"A{n:05d}", text=text or f"report {n}", date=dt.date(2022, 9, 1 + n % 28),
                   source=f"outlet{n % 3}", meta={"id": f"doc-{n}"})


def _event(eid: str, n: int) -> Event:
    return Event(event_id=eid, event_date=f"2022-09-{1 + n % 28:02d}", event_type="Battles",
                 sub_event_type="Armed clash", location="Izium", latitude=49.21, longitude=37.26, geo_precision=1,
                 country="Ukraine", admin1="Kharkiv Oblast", source=f"outlet{n % 3}",
                 evidence=[{"article_id": f"A{n:05d}", "sentence": f"Fighting {n}.", "start": 0, "end": 9,
                            "trigger": "Fighting", "trigger_start": 0, "trigger_end": 8}])


def test_migrations_are_versioned_and_applied_once(pg_url):
    from frontlines.store.migrations import LATEST

    with open_store(pg_url) as a, open_store(pg_url) as b:
        assert [v for v, _ in a.migrations()] == list(range(1, LATEST + 1))
        assert a.migrations() == b.migrations()
        tables = {r[0] for r in a.connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"articles", "events", "evidence", "fusion_parts", "backfill_partitions", "schema_migrations"} <= tables


def test_newer_schema_is_refused(pg_url):
    from frontlines.store.postgres import PostgresError

    url = pg_server.new_database()
    with open_store(url) as s:
        s.connection.execute("INSERT INTO schema_migrations(version, name) VALUES (99, 'from the future')")
    with pytest.raises(PostgresError) as err:
        open_store(url)
    assert err.value.code == "E507"


def test_unreachable_server_is_a_coded_error(tmp_path):
    from frontlines.store.postgres import PostgresError

    with pytest.raises(PostgresError) as err:
        open_store(f"postgresql://nobody:secret@/x?host={tmp_path}&port=1")
    assert err.value.code == "E506"
    assert "secret" not in str(err.value)


def test_upserts_are_idempotent_and_merge_like_sqlite(store, tmp_path):
    sqlite = open_store(tmp_path / "same.db")
    items = [(_article(n), [_event("EV1" if n % 2 else f"EV{n}", n)]) for n in range(10)]
    for s in (store, sqlite):
        assert s.add_articles(items) == [True] * 10
        assert s.add_articles(items) == [False] * 10                # content ids: nothing twice
        assert s.add_article(*items[0]) is False
    assert store.count_articles() == sqlite.count_articles() == 10
    pg_events = [e.to_full_dict() for e in store.iter_events()]
    lite_events = [e.to_full_dict() for e in sqlite.iter_events()]
    assert pg_events == lite_events
    assert store.get_event("EV1").article_ids == [f"A{n:05d}" for n in range(1, 10, 2)]
    assert store.article_refs(["A00001"]) == {"A00001": "doc-1"}
    counts = dict(store.connection.execute("SELECT source, article_count FROM sources").fetchall())
    assert counts == {"outlet0": 4, "outlet1": 3, "outlet2": 3}
    sqlite.close()


def _writer(url: str, lo: int, hi: int) -> int:
    from frontlines.store import open_store as _open

    with _open(url) as s:
        n = 0
        for k in range(lo, hi, 5):
            batch = [(_article(i), [_event(f"SHARED{i % 7}", i), _event(f"OWN{i}", i)]) for i in range(k, k + 5)]
            n += sum(s.add_articles(batch))
        return n


def test_several_writers_at_once_lose_and_duplicate_nothing(store, pg_url):
    """Four processes write overlapping ranges of articles whose events share ids: each article is
    stored once, and every shared event lists every article that coded it."""
    ranges = [(0, 60), (30, 90), (0, 90), (45, 90)]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        stored = pool.starmap(_writer, [(pg_url, lo, hi) for lo, hi in ranges])
    assert sum(stored) == 90
    assert store.count_articles() == 90
    assert store.count_events() == 7 + 90
    for k in range(7):
        ev = store.get_event(f"SHARED{k}")
        assert sorted(ev.article_ids) == sorted(f"A{i:05d}" for i in range(90) if i % 7 == k)
        assert len(ev.evidence) == len(ev.article_ids)
    n_evidence = store.connection.execute("SELECT COUNT(*) FROM evidence").fetchone()[0]
    assert n_evidence == 90 * 2


def test_partition_record_commits_with_its_articles(store):
    items = [(_article(n), [_event(f"E{n}", n)]) for n in range(3)]
    store.add_partition("run1", "p0", items, {"articles": 3})
    assert store.finished_partitions("run1") == {"p0": {"articles": 3}}
    assert store.finished_partitions("other") == {}
    bad = [(_article(50), [Event(event_id="", event_date="2022-09-01")])]
    with pytest.raises(ValueError):
        store.add_partition("run1", "p1", bad)
    assert "p1" not in store.finished_partitions("run1")
    assert not store.has_article("A00050")


def test_spatial_index_answers_boxes(store):
    store.add_articles([(_article(1), [_event("IN", 1)]),
                        (_article(2), [Event(event_id="OUT", event_date="2022-09-02", latitude=50.6, longitude=36.6)]),
                        (_article(3), [Event(event_id="NOWHERE", event_date="2022-09-03")])])
    assert [e.event_id for e in store.events_in_bbox(37.0, 49.0, 37.5, 49.5)] == ["IN"]
    if store.spatial == "postgis":
        plan = "\n".join(r[0] for r in store.connection.execute(
            "EXPLAIN SELECT event_id FROM events WHERE geom && ST_MakeEnvelope(37, 49, 37.5, 49.5, 4326)"))
        assert "idx_events_geom" in plan or "Seq Scan" in plan       # a tiny table may still be scanned
        kind = store.connection.execute("SELECT GeometryType(geom) FROM events WHERE event_id='IN'").fetchone()[0]
        assert kind == "POINT"


def test_data_version_changes_when_another_connection_commits(store, pg_url):
    from frontlines.store.query import data_version

    before = data_version(store.connection)
    assert data_version(store.connection) == before
    with open_store(pg_url) as other:
        other.add_article(_article(7), [_event("X7", 7)])
    import time

    deadline = time.time() + 5
    while data_version(store.connection) == before and time.time() < deadline:
        time.sleep(0.05)
    assert data_version(store.connection) != before
