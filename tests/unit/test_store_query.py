"""The read-side event index (frontlines.store.query): filters, cursor pages, map cells, charts."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from frontlines.records import Article, Event
from frontlines.store import open_store
from frontlines.store.query import (EventIndex, Filters, QueryError, TextSource, day_number, decode_cursor,
                                    encode_cursor, fetch_events)


def _art(n: int) -> Article:
    return Article(article_id=f"a{n:04d}", text=f"Report {n}: shelling hit the town.", date=dt.date(2022, 9, 1),
                   source="Outlet A" if n % 2 else "Outlet B", origin="t", date_reason="date:field")


def _ev(n: int, day: str, lat: float | None, lon: float | None, **kw) -> Event:
    base = dict(event_id=f"E{n:04d}", event_date=day, event_type="Battles", sub_event_type="Armed clash",
                actor1="Military Forces of Russia (2000-)", actor2="Military Forces of Ukraine (2019-)",
                country="Ukraine", admin1="Kharkiv Oblast", location=f"Town {n}", latitude=lat, longitude=lon,
                fatalities=n % 4, article_ids=[f"a{n:04d}"], notes=f"Event number {n} near Town {n}.",
                evidence=[{"article_id": f"a{n:04d}", "sentence": f"Shelling hit town {n}.", "start": 0, "end": 10,
                           "trigger": "Shelling", "trigger_start": 0, "trigger_end": 8}])
    base.update(kw)
    return Event(**base)


def fill(store):
    """The fixture's events: eight days (one undated, one without coordinates), a disputed claim,
    three sources, and two events either side of the antimeridian."""
    days = ["2022-09-01", "2022-09-01", "2022-09-02", "2022-09-05", "2022-09-05", "2022-09-05", "2022-09-09", ""]
    for n, day in enumerate(days):
        kw = {}
        if n == 3:
            kw = dict(event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
                      claim_status="disputed", claimed_by="Ministry of Defence of Russia", country="Russia",
                      admin1="Belgorod Oblast", actor2="")
        if n == 4:
            kw = dict(source="Outlet A; Outlet B; Outlet C")
        lat, lon = (49.0 + n / 10, 36.0 + n / 10) if n != 5 else (None, None)
        store.add_article(_art(n), [_ev(n, day, lat, lon, **kw)])
    # across the antimeridian
    store.add_article(_art(20), [_ev(20, "2022-09-03", 64.7, 177.5, country="Russia", admin1="Chukotka")])
    store.add_article(_art(21), [_ev(21, "2022-09-03", 65.0, -170.0, country="United States", admin1="Alaska")])
    return store


@pytest.fixture
def db(tmp_path):
    store = fill(open_store(tmp_path / "q.db"))
    yield store
    store.close()


def test_loads_every_event_in_date_then_id_order(db):
    idx = EventIndex.load(db.connection)
    assert idx.size == 10
    keyed = list(zip(idx.day.tolist(), idx.event_id.tolist()))
    assert keyed == sorted(keyed)
    assert idx.has_point.sum() == 9                      # E0005 has no coordinates


def test_filters_combine(db):
    idx = EventIndex.load(db.connection)
    ids = lambda f: sorted(idx.event_id[idx.select(f)].tolist())   # noqa: E731
    assert ids(Filters(since="2022-09-05", until="2022-09-05")) == ["E0003", "E0004", "E0005"]
    assert ids(Filters(event_type=["explosions/remote VIOLENCE"])) == ["E0003"]
    assert ids(Filters(claim_status=["disputed"])) == ["E0003"]
    assert ids(Filters(claimed_by="defence of russia")) == ["E0003"]
    assert ids(Filters(country=["Russia"], admin1=["belgorod oblast"])) == ["E0003"]
    assert ids(Filters(min_sources=3)) == ["E0004"]
    assert len(ids(Filters(actor="Forces of Ukraine"))) == 9          # every event but E0003 (no actor2)
    assert ids(Filters(actor="no such actor")) == []
    assert ids(Filters(country=["'; DROP TABLE events; --"])) == []
    assert ids(Filters(bbox=(36.25, 49.25, 36.45, 49.45))) == ["E0003", "E0004"]
    assert ids(Filters(bbox=(170.0, 60.0, -160.0, 70.0))) == ["E0020", "E0021"]   # crosses the antimeridian
    assert ids(Filters(until="2022-12-31")) == sorted(set(ids(Filters())) - {"E0007"})  # the undated one drops


def test_text_search_reads_notes_and_evidence(db):
    idx = EventIndex.load(db.connection)
    src = TextSource(db.connection)
    assert idx.event_id[idx.select(Filters(q="number 4 NEAR"), text_source=src)].tolist() == ["E0004"]
    assert idx.event_id[idx.select(Filters(q="hit town 21"), text_source=src)].tolist() == ["E0021"]
    assert idx.select(Filters(q="zebra"), text_source=src).size == 0
    with pytest.raises(QueryError):
        idx.select(Filters(q="town"))


@pytest.mark.parametrize("sort", ["event_date", "-event_date", "fatalities", "-fatalities"])
def test_cursor_pages_cover_everything_once_in_order(db, sort):
    idx = EventIndex.load(db.connection)
    seen, cursor = [], None
    while True:
        page = idx.page(Filters(), sort=sort, cursor=cursor, limit=3)
        assert page.total == 10
        seen += page.rowids
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(idx.rowid.tolist()) and len(seen) == len(set(seen))
    events = fetch_events(db.connection, seen)
    if sort.endswith("fatalities"):
        keys = [e.fatalities for e in events]
        assert keys == sorted(keys, reverse=sort.startswith("-"))
    else:
        keys = [(e.event_date, e.event_id) for e in events]
        assert keys == sorted(keys, reverse=sort.startswith("-"))


def test_cursor_survives_new_events_and_rejects_forgeries(db):
    idx = EventIndex.load(db.connection)
    first = idx.page(Filters(), sort="-event_date", limit=4)
    db.add_article(_art(30), [_ev(30, "2022-09-04", 49.0, 36.0)])     # lands between pages
    idx2 = EventIndex.load(db.connection)
    second = idx2.page(Filters(), sort="-event_date", cursor=first.next_cursor, limit=100)
    got = [e.event_id for e in fetch_events(db.connection, second.rowids)]
    assert "E0030" in got                                              # after the cursor's position, so still seen
    assert not set(got) & {e.event_id for e in fetch_events(db.connection, first.rowids)}
    for bad in ("garbage", encode_cursor("event_date", 1, "x", None), "eyJzIjoxfQ"):
        with pytest.raises(QueryError):
            idx.page(Filters(), sort="-event_date", cursor=bad)
    assert decode_cursor(first.next_cursor, "-event_date")["i"]


def test_map_cells_add_up_and_points_when_few(db):
    idx = EventIndex.load(db.connection)
    world = (-180.0, -85.0, 180.0, 85.0)
    pts = idx.grid(Filters(), world, 3)
    assert pts["mode"] == "points" and pts["total"] == 9
    clusters = idx.grid(Filters(), world, 3, max_points=2)
    import frontlines.store.query as q

    old, q.FEW_POINTS = q.FEW_POINTS, 2
    try:
        clusters = idx.grid(Filters(), world, 3)
    finally:
        q.FEW_POINTS = old
    assert clusters["mode"] == "clusters"
    assert sum(c[2] for c in clusters["clusters"]) == 9
    assert sum(sum(c[4].values()) for c in clusters["clusters"]) == 9
    assert sum(c[3] for c in clusters["clusters"]) == int(idx.fatalities[idx.has_point].sum())
    assert len(clusters["clusters"]) < 9                               # the Kharkiv events share a cell


def test_histogram_and_stats(db):
    idx = EventIndex.load(db.connection)
    h = idx.histogram(Filters(since="2022-09-05"))                      # dates are ignored for the brush
    assert h["first"] == "2022-09-01" and h["last"] == "2022-09-09"
    assert sum(sum(d[1].values()) for d in h["days"]) == 9             # the undated event is not charted
    s = idx.stats(Filters(country=["Ukraine"]))
    assert s["events"] == 7
    assert s["fatalities"] == sum(n % 4 for n in (0, 1, 2, 4, 5, 6, 7))
    assert sum(d["events"] for d in s["by_day"]) == 6
    assert {r["name"] for r in s["by_admin1"]} == {"Kharkiv Oblast"}


def test_day_number_rejects_what_is_not_a_date():
    assert day_number("1970-01-02") == 1
    assert day_number(dt.date(1970, 1, 1)) == 0
    for bad in ("2022-13-01", "yesterday", "2022-1-1", ""):
        with pytest.raises(QueryError):
            day_number(bad)


def test_empty_database(tmp_path):
    with open_store(tmp_path / "empty.db") as store:
        idx = EventIndex.load(store.connection)
        assert idx.size == 0
        assert idx.page(Filters(), limit=5).rowids == []
        assert idx.grid(Filters(), (-180, -85, 180, 85), 2)["total"] == 0
        assert idx.histogram(Filters())["days"] == []
        assert idx.stats(Filters())["events"] == 0
        assert isinstance(idx.mask(Filters(since="2022-01-01")), np.ndarray)
