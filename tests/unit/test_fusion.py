"""Fusion across articles, on hand-built events (no model, no geoparser)."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from frontlines.fusion import explain, explain_pair, fuse_all, fuse_article, signature, supersede, unmerge
from frontlines.fusion.match import Fuser, compatible, day_span
from frontlines.fusion.sides import side_of
from frontlines.records import Article, Event
from frontlines.store import SQLiteStore

PLACES = {
    "Kramatorsk": dict(geonameid=704508, latitude=48.7232, longitude=37.5563, admin1="Donetsk Oblast"),
    "Sloviansk": dict(geonameid=700569, latitude=48.8528, longitude=37.6052, admin1="Donetsk Oblast"),
    "Izium": dict(geonameid=707688, latitude=49.2077, longitude=37.2579, admin1="Kharkiv Oblast"),
    "Kupiansk": dict(geonameid=704147, latitude=49.7146, longitude=37.6147, admin1="Kharkiv Oblast"),
    "Kharkiv Oblast": dict(geonameid=706482, latitude=49.5, longitude=36.5, admin1="Kharkiv Oblast",
                           geo_precision=3),
    "Soledar": dict(geonameid=697179, latitude=48.6833, longitude=38.0833, admin1="Donetsk Oblast"),
}
RUS = "Military Forces of Russia (2000-)"
UKR = "Military Forces of Ukraine (2019-)"
_ids = itertools.count(1)


def ev(sub="Shelling/artillery/missile attack", place="Kramatorsk", date="2022-04-08", actor1=RUS, actor2="",
       fatalities=0, claimed_by="", claim_status="reported", tags="", target_category="", time_precision=1,
       event_type=None, **kw) -> Event:
    from frontlines.events import taxonomy as tx

    p = dict(PLACES[place]) if place else {}
    gp = p.pop("geo_precision", 1)
    e = Event(event_id=f"E{next(_ids):05d}", event_date=date, time_precision=time_precision,
              event_type=event_type or tx.BY_NAME[sub].event_type, sub_event_type=sub,
              actor1=actor1, inter1=1 if actor1 else None, actor2=actor2, inter2=1 if actor2 else None,
              country="Ukraine" if place else "", location=place or "", geo_precision=gp if place else None,
              fatalities=fatalities, claimed_by=claimed_by, claim_status=claim_status, tags=tags,
              target_category=target_category, confidence=0.6, **p, **kw)
    e.evidence = [{"article_id": "", "sentence": f"{sub} in {place}.", "start": 0, "end": 10, "trigger": "",
                   "trigger_start": -1, "trigger_end": -1}]
    return e


def art(n: int, date="2022-04-08", source="", url="", text=None, title="") -> Article:
    return Article(article_id=f"A{n:03d}", text=text or f"report number {n} " * 5, date=dt.date.fromisoformat(date),
                   title=title or f"title {n}", url=url, source=source or f"outlet{n}.example")


def add(store, article: Article, *events: Event):
    for e in events:
        e.article_ids = [article.article_id]
        for x in e.evidence:
            x["article_id"] = article.article_id
    store.add_article(article, list(events))
    return fuse_article(store, article.article_id)


@pytest.fixture()
def store():
    s = SQLiteStore(":memory:")
    yield s
    s.close()


# ------------------------------------------------------------------------------------ matching
def test_sides():
    assert side_of(RUS) == "Russia"
    assert side_of("Wagner Group") == "Russia"
    assert side_of("Government of Ukraine (2019-)") == "Ukraine"
    assert side_of("Institute for the Study of War") == "independent"
    assert side_of("Civilians (Ukraine)") == ""


def test_compatible_reasons():
    a, b = ev(), ev()
    score, reasons = compatible(signature(a, "x"), signature(b, "y"))
    assert score > 0
    assert {"fuse:same_type", "fuse:same_day", "fuse:same_place", "fuse:same_actor_side"} <= set(reasons)


@pytest.mark.parametrize("other, code", [
    (dict(place="Sloviansk"), "nofuse:different_place"),
    (dict(date="2022-04-11"), "nofuse:different_dates"),
    (dict(sub="Armed clash"), "nofuse:different_type"),
    (dict(actor1=UKR), "nofuse:different_actors"),
])
def test_no_merge(other, code):
    score, reasons = explain_pair(ev(), ev(**other))
    assert score == 0 and reasons == [code]


def test_next_day_and_region_containment():
    assert explain_pair(ev(date="2022-04-08"), ev(date="2022-04-09"))[0] > 0
    s, r = explain_pair(ev(place="Izium"), ev(place="Kharkiv Oblast"))
    assert s > 0 and "fuse:place_inside_region" in r
    assert explain_pair(ev(place="Kramatorsk"), ev(place="Kharkiv Oblast"))[0] == 0


def test_coarse_dates():
    assert day_span("2022-04-08", "", 3)[1] - day_span("2022-04-08", "", 3)[0] == 30
    assert explain_pair(ev(date="2022-04-15", time_precision=3), ev(date="2022-04-02"))[0] > 0


def test_fuser_blocks_and_never_joins_two_parts_of_one_article():
    f = Fuser()
    a, b, c = ev(), ev(), ev(place="Sloviansk")
    ca, _ = f.add(signature(a, "A1"), "a")
    cb, why = f.add(signature(b, "A2"), "b")
    cc, _ = f.add(signature(c, "A2"), "c")
    assert ca == cb and why
    assert cc != ca
    cd, _ = f.add(signature(ev(), "A1"), "d")      # same article as a: a new cluster
    assert cd != ca


# ------------------------------------------------------------------------------------ store
def test_merge_across_articles(store):
    r1 = add(store, art(1, source="Reuters"), ev(fatalities=30))
    r2 = add(store, art(2, date="2022-04-09", source="AP"), ev(fatalities=50, date="2022-04-08"))
    assert r1.new_events and r2.merged
    events = list(store.iter_events())
    assert len(events) == 1
    e = events[0]
    assert e.article_ids == ["A001", "A002"]
    assert e.source == "Reuters; AP"
    assert "independent sources=2" in e.tags
    assert e.fatalities == 50          # the later report revises the toll
    assert len(e.evidence) == 2
    assert any(r.startswith("fuse:joined:") for r in e.reasons)
    info = explain(store, e.event_id)
    assert [p["article_id"] for p in info["parts"]] == ["A001", "A002"]
    assert info["parts"][1]["joined_because"]


def test_lowest_figure_among_same_day_reports(store):
    add(store, art(1, source="Reuters"), ev(fatalities=30))
    add(store, art(2, source="AP"), ev(fatalities=25))
    (e,) = store.iter_events()
    assert e.fatalities == 25


def test_no_merge_in_store(store):
    add(store, art(1), ev())
    add(store, art(2), ev(place="Sloviansk"))
    add(store, art(3), ev(date="2022-04-12"))
    add(store, art(4), ev(sub="Armed clash", actor2=UKR))
    assert store.count_events() == 4


def test_same_outlet_counts_once_and_wire_copies(store):
    add(store, art(1, source="Kyiv Independent"), ev())
    add(store, art(2, source="Kyiv Independent", text="a different text entirely " * 4), ev())
    (e,) = store.iter_events()
    assert "independent sources=1" in e.tags
    assert len(e.article_ids) == 2


def test_incremental_is_idempotent_and_matches_fuse_all(store):
    add(store, art(1), ev(), ev(place="Izium", sub="Government regains territory", actor1=UKR))
    add(store, art(2), ev(date="2022-04-09"), ev(place="Kharkiv Oblast", sub="Government regains territory",
                                                  actor1=UKR))
    add(store, art(3), ev(place="Sloviansk"))
    before = sorted((e.event_id, tuple(e.article_ids)) for e in store.iter_events())
    again = fuse_article(store, "A002")
    assert again.already
    assert sorted((e.event_id, tuple(e.article_ids)) for e in store.iter_events()) == before
    report = fuse_all(store)
    assert report.events_before == 5 and report.events_after == 3
    assert sorted((e.event_id, tuple(e.article_ids)) for e in store.iter_events()) == before
    fuse_all(store)
    assert sorted((e.event_id, tuple(e.article_ids)) for e in store.iter_events()) == before


def test_fuse_all_registers_unfused_store(store):
    for i in range(3):
        a = art(i + 1)
        e = ev()
        e.article_ids = [a.article_id]
        store.add_article(a, [e])
    assert store.count_events() == 3
    report = fuse_all(store)
    assert (report.events_before, report.events_after) == (3, 1)
    assert store.count_events() == 1


def test_supersession_same_url(store):
    add(store, art(1, source="pravda", url="https://x.example/a", text="two killed " * 10), ev(fatalities=2))
    add(store, art(2, source="other"), ev(fatalities=2))
    r = add(store, art(3, date="2022-04-09", source="pravda", url="https://x.example/a",
                       text="death toll rises to five " * 5), ev(fatalities=5))
    assert r.superseded and r.superseded[0][:2] == ("A001", "A003")
    (e,) = store.iter_events()
    assert sorted(e.article_ids) == ["A002", "A003"]
    assert "independent sources=2" in e.tags
    assert e.fatalities == 5
    assert store.get_article("A001") is not None     # history is kept
    row = store._db.execute("SELECT superseded_by FROM articles WHERE article_id='A001'").fetchone()
    assert row[0] == "A003"
    hist = store._db.execute("SELECT COUNT(*) FROM fusion_parts WHERE article_id='A001'").fetchone()[0]
    assert hist == 1


def test_supersession_same_story_updated(store):
    body = ("Russian missile hit an apartment block in Zaporizhzhia overnight, rescuers pulled people from the "
            "rubble and the regional governor said the search goes on ")
    add(store, art(1, source="pravda.example", text=body + "two killed eleven rescued", title="Two killed"), ev())
    r = add(store, art(2, source="pravda.example", text=body + "death toll rises to four five missing",
                       title="Death toll rises"), ev())
    assert r.superseded and r.superseded[0][0] == "A001"
    (e,) = store.iter_events()
    assert e.article_ids == ["A002"]


def test_older_version_arriving_late_is_superseded_at_once(store):
    add(store, art(2, date="2022-04-09", url="https://x.example/a", text="newer " * 10), ev())
    r = add(store, art(1, date="2022-04-08", url="https://x.example/a", text="older " * 10), ev())
    assert r.superseded == [("A001", "A002", "version:same_url")]
    (e,) = store.iter_events()
    assert e.article_ids == ["A002"]


def test_supersession_splits_when_the_bridge_goes(store):
    # a region-level report joins a town report; the town report is then replaced by a
    # version placing the event elsewhere: the old join is re-examined
    add(store, art(1, source="s1", url="https://x.example/1", text="one " * 10),
        ev(place="Izium", sub="Government regains territory", actor1=UKR))
    add(store, art(2, source="s2"), ev(place="Kharkiv Oblast", sub="Government regains territory", actor1=UKR))
    add(store, art(3, source="s3"), ev(place="Izium", sub="Government regains territory", actor1=UKR))
    assert store.count_events() == 1
    supersede(store, "A001", "A002")
    (e,) = store.iter_events()
    assert sorted(e.article_ids) == ["A002", "A003"]


def test_unmerge_is_remembered(store):
    add(store, art(1), ev())
    add(store, art(2), ev())
    (e,) = store.iter_events()
    part = store._db.execute("SELECT part_id FROM fusion_parts WHERE article_id='A002'").fetchone()[0]
    unmerge(store, e.event_id, part)
    assert store.count_events() == 2
    fuse_all(store)
    assert store.count_events() == 2


def test_disputed_when_sides_differ(store):
    add(store, art(1), ev(sub="Shelling/artillery/missile attack", place="Kramatorsk", actor1=UKR, fatalities=63,
                          claimed_by="Ministry of Defence of Russia", claim_status="claimed"))
    add(store, art(2), ev(sub="Shelling/artillery/missile attack", place="Kramatorsk", actor1=UKR, fatalities=0,
                          claimed_by="General Staff of the Armed Forces of Ukraine", claim_status="denied"))
    (e,) = store.iter_events()
    assert e.claim_status == "disputed"
    assert any(r.startswith("dispute:") for r in e.reasons)
    claims = explain(store, e.event_id)["claims"]
    assert {c["side"] for c in claims} == {"Russia", "Ukraine"}
    assert {c["claim_status"] for c in claims} == {"claimed", "denied"}


def test_same_claims_by_one_side_not_disputed(store):
    add(store, art(1), ev(claimed_by="Government of Ukraine (2019-)", claim_status="claimed", fatalities=3))
    add(store, art(2), ev(claimed_by="Government of Ukraine (2019-)", claim_status="claimed", fatalities=4))
    (e,) = store.iter_events()
    assert e.claim_status == "claimed"


def test_side_vs_independent(store):
    add(store, art(1), ev(claimed_by="Ministry of Defence of Russia", claim_status="claimed", fatalities=10))
    add(store, art(2), ev(claimed_by="Institute for the Study of War", claim_status="claimed", fatalities=2))
    (e,) = store.iter_events()
    assert e.claim_status == "disputed" and "dispute:side_vs_independent" in e.reasons


def test_capture_claim_contradicted_by_fighting(store):
    add(store, art(1), ev(sub="Non-state actor overtakes territory", place="Soledar", actor1="Wagner Group",
                          claimed_by="Wagner Group", claim_status="claimed", date="2023-01-11"))
    r = add(store, art(2), ev(sub="Armed clash", place="Soledar", actor1=RUS, actor2=UKR, date="2023-01-11",
                              claimed_by="Government of Ukraine (2019-)", claim_status="claimed"))
    assert len(r.disputed) >= 2
    assert all(e.claim_status == "disputed" for e in store.iter_events())
    links = store._db.execute("SELECT relation FROM event_links").fetchall()
    assert [r[0] for r in links] == ["contradicts"]


def test_consequence_and_retaliation_links(store):
    add(store, art(1, date="2023-12-29"), ev(place="Kupiansk", date="2023-12-29", tags="consequence: blackouts"))
    a2 = art(2, date="2023-12-30", text="Ukraine struck Kramatorsk. Moscow said the attack came in retaliation for"
                                      " the strikes on Kupiansk a day earlier.")
    add(store, a2, ev(place="Kramatorsk", date="2023-12-30", actor1=UKR))
    rows = {(r[0], r[1]) for r in store._db.execute("SELECT relation, detail FROM event_links")}
    assert ("caused", "blackouts") in rows
    assert any(r[0] == "retaliation_for" for r in rows)
