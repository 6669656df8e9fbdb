"""Territorial control timelines on hand-built events and a hand-built gazetteer."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import click
import pytest
from click.testing import CliRunner

from frontlines import control as ctl
from frontlines.control import (ControlError, SettlementCheck, changes_json, control_on, control_timelines,
                                controller_of, find_place, save_control, timeline, to_geojson)
from frontlines.fusion.cli import COMMANDS
from frontlines.geo import MemoryGazetteer
from frontlines.records import Article, Event, Place
from frontlines.store import SQLiteStore, open_store

from test_fusion import PLACES, RUS, UKR, add, art, ev

REGAIN, TAKE, LEAVE = ("Government regains territory", "Non-state actor overtakes territory",
                       "Non-violent transfer of territory")


def _ua(name, gid, lat, lon, feature="settlement", admin1="Kharkiv", pop=10_000):
    return Place(geonameid=gid, name=name, latitude=lat, longitude=lon, feature=feature, country="Ukraine",
                 iso2="UA", iso=804, admin1=admin1, population=pop)


def _gazetteer() -> MemoryGazetteer:
    g = MemoryGazetteer()
    g.add(Place(690791, "Ukraine", 49.0, 32.0, "country", "Ukraine", "UA", 804, population=40_000_000))
    g.add(_ua("Kharkiv", 706482, 49.5, 36.5, "admin1", pop=2_700_000),
          ["Kharkiv Oblast", "Kharkiv region", "Харківська область"], a1code="UA.07")
    g.add(_ua("Kharkiv", 706483, 49.98, 36.25, pop=1_400_000), ["Харків", "Kharkov"], a1code="UA.07")
    g.add(_ua("Izium", 707688, 49.2077, 37.2579, pop=45_000), ["Izyum", "Ізюм", "Изюм"], a1code="UA.07")
    g.add(_ua("Kupiansk", 704147, 49.7146, 37.6147, pop=27_000), ["Kupyansk", "Куп'янськ"], a1code="UA.07")
    g.add(_ua("Balakliia", 712926, 49.456, 36.844, pop=26_000), ["Balakliya", "Balakleya"], a1code="UA.07")
    g.add(_ua("Balakliia", 712925, 49.61, 33.75, admin1="Poltava", pop=500), ["Balakleya"], a1code="UA.18")
    g.add(_ua("Dvorichna", 710000, 49.85, 37.68, pop=3_000), [], a1code="UA.07")
    g.add(_ua("Kherson", 706442, 46.55, 33.27, "admin1", admin1="Kherson", pop=1_000_000),
          ["Kherson Oblast", "Kherson region"], a1code="UA.08")
    g.add(_ua("Kherson", 706448, 46.6354, 32.6169, admin1="Kherson", pop=280_000), ["Херсон"], a1code="UA.08")
    g.add(_ua("Kakhovka", 706524, 46.8167, 33.4833, admin1="Kherson", pop=35_000), [], a1code="UA.08")
    g.add(_ua("Nova Kakhovka", 698131, 46.7581, 33.3486, admin1="Kherson", pop=45_000), [], a1code="UA.08")
    g.add(_ua("Oleshky", None, 46.6236, 32.7178, admin1="Kherson", pop=0), ["Tsiurupynsk"],
          a1code="UA.08", precision=2, note="hromada_seat:Oleshky")
    g.add(_ua("Dnipro River", None, 47.55, 34.4, "river", admin1="", pop=0), ["Dnipro", "Dnieper"])
    g.add(_ua("Soledar", 697179, 48.6833, 38.0833, admin1="Donetsk"), [], a1code="UA.14")
    g.add(_ua("Kramatorsk", 704508, 48.7232, 37.5563, admin1="Donetsk"), [], a1code="UA.14")
    g.add_demonym("Ukrainian", "UA")
    g.add_demonym("Russian", "RU")
    return g


GAZ = _gazetteer()


@pytest.fixture(autouse=True)
def hand_built_gazetteer(monkeypatch):
    """Every test here reads the hand-built gazetteer, never the index on disk."""
    monkeypatch.setattr(ctl, "default_gazetteer", lambda: GAZ)


def at(place: str, *, gid, lat, lon, admin1, sub=REGAIN, actor1=UKR, date="2022-11-11", precision=1,
       sentence: str | None = None, reasons=(), time_precision=1) -> Event:
    """An event placed at ``place`` (not one of test_fusion's PLACES) with one evidence sentence."""
    e = ev(sub=sub, actor1=actor1, place="", date=date, time_precision=time_precision)
    e = dataclasses.replace(e, location=place, geonameid=gid, latitude=lat, longitude=lon, admin1=admin1,
                            country="Ukraine", geo_precision=precision, reasons=list(reasons))
    e.evidence = [{"article_id": "", "sentence": sentence or f"Troops took {place}.", "start": 0, "end": 10,
                   "trigger": "", "trigger_start": -1, "trigger_end": -1}]
    return e


def kherson_city(**kw) -> Event:
    return at("Kherson", gid=706448, lat=46.6354, lon=32.6169, admin1="Kherson", **kw)


def kherson_region(**kw) -> Event:
    return at("Kherson", gid=706442, lat=46.55, lon=33.27, admin1="Kherson", precision=3, **kw)


# ------------------------------------------------------------------------------------ rules
def test_controller_rules():
    assert controller_of(ev(sub=REGAIN, actor1=UKR, place="Izium")) == ("Ukraine", "control:government_regains")
    assert controller_of(ev(sub=TAKE, actor1="Wagner Group", place="Soledar"))[0] == "Russia"
    assert controller_of(ev(sub=LEAVE, actor1=RUS, place="Izium")) == ("Ukraine", "control:other_side_after_withdrawal")
    assert controller_of(ev(sub=LEAVE, actor1="", place="Izium"))[1] == "control:unknown_gainer"
    assert controller_of(ev(sub=REGAIN, actor1="", place="Izium"))[1] == "control:government_of_country"
    assert controller_of(ev(sub=TAKE, actor1=RUS, place="Izium", claim_status="denied"))[1] == "control:denied"
    assert controller_of(ev(sub="Armed clash"))[1] == "control:not_territorial"


def test_timeline_order_confirmation_and_reversal():
    events = [
        ev(sub=REGAIN, actor1=UKR, place="Izium", date="2022-09-10"),
        ev(sub=TAKE, actor1=RUS, place="Izium", date="2022-04-01"),
        ev(sub=LEAVE, actor1=RUS, place="Izium", date="2022-09-11"),    # confirms Ukraine's control
        ev(sub=TAKE, actor1=RUS, place="Kharkiv Oblast", date="2022-05-01"),   # a region: not a settlement
    ]
    skipped = []
    lines = control_timelines(events, gazetteer=GAZ, skipped=skipped)
    assert list(lines) == ["707688"]
    changes = lines["707688"]
    assert [(c.date, c.controller, c.previous) for c in changes] == [
        ("2022-04-01", "Russia", ""), ("2022-09-10", "Ukraine", "Russia")]
    assert changes[1].event_ids == [events[0].event_id, events[2].event_id]
    assert "control:confirmed" in changes[1].reasons and "control:reverses_previous" in changes[1].reasons
    assert changes_json(changes)[1] == {"place": "Izium", "geonameid": 707688, "date": "2022-09-10",
                                        "controller": "Ukraine", "event_ids": [events[0].event_id,
                                                                               events[2].event_id]}
    assert skipped == [(events[3].event_id, "706482", "control:not_a_settlement")]


def test_undated_reports_are_left_out():
    e = ev(sub=TAKE, actor1=RUS, place="Izium", date="2023-01-01")
    e.article_ids = ["X"]
    skipped = []
    assert control_timelines([e], undated_articles={"X"}, gazetteer=GAZ, skipped=skipped) == {}
    assert skipped == [(e.event_id, "707688", "control:date_unknown")]


def test_only_settlements_have_controllers():
    # a river, a country and a region that is not at geo_precision 3 (the gazetteer says what each is)
    river = at("Dnipro River", gid=None, lat=47.55, lon=34.4, admin1="", sub=TAKE, actor1=RUS, precision=2,
               sentence="Russian units moved onto the islands of the Dnipro River overnight.")
    country = at("Ukraine", gid=690791, lat=49.0, lon=32.0, admin1="", precision=2,
                 sentence="Ukrainian forces took back more ground across Ukraine.")
    region = kherson_region(sentence="The army retook villages in the Kherson region.")
    region.geo_precision = 2
    unknown = at("Atlantis", gid=None, lat=1.0, lon=1.0, admin1="", sentence="Troops took Atlantis.")
    town = at("Oleshky", gid=None, lat=46.6236, lon=32.7178, admin1="Kherson", sub=TAKE, actor1=RUS, precision=2,
              sentence="Russian troops entered Oleshky, on the left bank, at dawn.")
    skipped = []
    lines = control_timelines([river, country, region, unknown, town], gazetteer=GAZ, skipped=skipped)
    assert list(lines) == ["oleshky|kherson"]          # a settlement with no geonameid of its own
    assert skipped == [(river.event_id, "dnipro river|", "control:not_a_settlement"),
                       (country.event_id, "690791", "control:not_a_settlement"),
                       (region.event_id, "706442", "control:not_a_settlement"),
                       (unknown.event_id, "atlantis|", "control:place_unknown")]


@pytest.mark.parametrize("sentence, named", [
    ("Ukrainian soldiers reached the centre of Kherson on Friday.", True),
    ("Crowds cheered in the city of Kherson as the troops drove in.", True),
    ("The flag went up over Херсон on Friday morning.", True),
    ("Kherson's residents waved flags as the first armoured vehicles arrived.", True),
    ("Russian forces pulled back from positions across the Kherson region.", False),
    ("Kyiv said its troops were advancing in Kherson Oblast.", False),
    ("The counter-offensive freed settlements in the region of Kherson.", False),
    ("Ukraine's units crossed the river near Nova Kakhovka.", False),   # another town whose name holds it
])
def test_evidence_names_the_settlement_itself(sentence, named):
    city = GAZ.get(706448) if "Kakhovka" not in sentence else GAZ.get(706524)
    assert SettlementCheck(GAZ).names(sentence, city) is named


def test_districts_named_after_a_town_are_not_the_town():
    check = SettlementCheck(GAZ)
    sentence = "Moscow said units in the Balakliia and Izium districts had been pulled back to regroup."
    assert not check.names(sentence, GAZ.get(712926))
    assert not check.names(sentence, GAZ.get(707688))
    assert check.names("Units were pulled back from Balakleya and Izium to regroup.", GAZ.get(712926))


def test_region_reports_do_not_move_the_city():
    """Regression: a city's change of control was dated by reports about its namesake region
    (the coder had moved them to the only town the story named, or placed them at the region)."""
    moved = kherson_city(date="2022-10-03", precision=2, reasons=["geo:only_town_of_region_in_story"],
                         sentence="Ukrainian brigades broke through in the Kherson region on Monday.")
    region = kherson_region(date="2022-10-04", sentence="Kyiv reported gains in Kherson Oblast on Tuesday.")
    entered = kherson_city(date="2022-11-11", sentence="Ukrainian soldiers reached the centre of Kherson on Friday.")
    skipped = []
    lines = control_timelines([moved, region, entered], gazetteer=GAZ, skipped=skipped)
    assert [(c.date, c.controller, c.event_ids) for c in lines["706448"]] == [
        ("2022-11-11", "Ukraine", [entered.event_id])]
    assert "706442" not in lines
    assert skipped == [(moved.event_id, "706448", "control:settlement_not_named"),
                       (region.event_id, "706442", "control:not_a_settlement")]


def test_fused_event_is_dated_by_the_reports_that_name_the_city():
    region_part = kherson_city(date="2022-11-10", sentence="Ukraine's army pressed on across the Kherson region.")
    city_part = kherson_city(date="2022-11-11", precision=2,
                             sentence="Ukrainian soldiers reached the centre of Kherson on Friday.")
    fused = dataclasses.replace(region_part, event_id="F1", evidence=region_part.evidence + city_part.evidence)
    changes = control_timelines([fused], gazetteer=GAZ, parts={"F1": [region_part, city_part]})["706448"]
    assert [(c.date, c.event_ids) for c in changes] == [("2022-11-11", ["F1"])]
    assert "control:dated_by_settlement_report" in changes[0].reasons
    # when no report of the fused event names the city, it is left out
    skipped = []
    assert control_timelines([fused], gazetteer=GAZ, parts={"F1": [region_part]}, skipped=skipped) == {}
    assert skipped == [("F1", "706448", "control:settlement_not_named")]


def test_fused_store_events_use_their_parts():
    s = SQLiteStore(":memory:")
    add(s, art(1, date="2022-11-10"), kherson_city(date="2022-11-10", precision=2,
                                                   sentence="Ukraine's army pressed on across the Kherson region."))
    add(s, art(2, date="2022-11-11"), kherson_city(date="2022-11-11",
                                                   sentence="Ukrainian soldiers reached the centre of Kherson."))
    assert s.count_events() == 1                      # fusion joined the two reports
    changes = timeline(s, "Kherson")
    assert [c.date for c in changes] == ["2022-11-11"]
    s.close()


# ------------------------------------------------------------------------------------ the store
@pytest.fixture()
def store():
    s = SQLiteStore(":memory:")
    add(s, art(1, date="2022-04-01"), ev(sub=TAKE, actor1=RUS, place="Izium", date="2022-04-01"))
    add(s, art(2, date="2022-09-10"), ev(sub=REGAIN, actor1=UKR, place="Izium", date="2022-09-10"))
    add(s, art(3, date="2022-09-11"), ev(sub=LEAVE, actor1=RUS, place="Izium", date="2022-09-10"),
        ev(sub=REGAIN, actor1=UKR, place="Kupiansk", date="2022-09-10"))
    add(s, art(4, date="2023-01-11"), ev(sub=TAKE, actor1="Wagner Group", place="Soledar", date="2023-01-11"))
    add(s, art(5, date="2022-11-09"), at("Dnipro River", gid=None, lat=47.55, lon=34.4, admin1="", sub=TAKE,
                                         actor1=RUS, precision=2, date="2022-11-09",
                                         sentence="Russian troops dug in on the far bank of the Dnipro River."))
    yield s
    s.close()


def test_store_timeline_and_on_day(store):
    changes = timeline(store, "Izium")
    assert [(c.date, c.controller) for c in changes] == [("2022-04-01", "Russia"), ("2022-09-10", "Ukraine")]
    assert len(changes[1].event_ids) == 1          # the two reports of 10 September were fused
    assert timeline(store, "707688") == changes
    assert {c.place for c in timeline(store, "Kharkiv Oblast")} == {"Izium", "Kupiansk"}
    on = control_on(store, "2022-06-01")
    assert [(r["place"], r["controller"]) for r in on] == [("Izium", "Russia")]
    on = control_on(store, "2023-02-01", region="Kharkiv")
    assert [(r["place"], r["controller"], r["since"]) for r in on] == [
        ("Izium", "Ukraine", "2022-09-10"), ("Kupiansk", "Ukraine", "2022-09-10")]
    assert save_control(store) == 4
    assert {r["place"] for r in control_on(store, "2023-02-01")} == {"Izium", "Kupiansk", "Soledar"}


@pytest.mark.parametrize("typed", ["Izyum", "izium", "Ізюм", "Изюм", "IZIUM", " Izium ", "Izium, Kharkiv"])
def test_any_spelling_finds_the_timeline(store, typed):
    match = find_place(store, typed)
    assert match.status == "control:place_resolved"
    assert [p.geonameid for p in match.places] == [707688]
    assert [(c.date, c.controller) for c in match.changes] == [("2022-04-01", "Russia"), ("2022-09-10", "Ukraine")]


def test_typed_names_that_are_not_one_settlement_with_changes(store):
    assert find_place(store, "Kupyansk").changes[0].place == "Kupiansk"
    m = find_place(store, "Dnipro River")
    assert m.status == "control:not_a_settlement" and m.changes == [] and m.places[0].feature == "river"
    assert [why for _eid, why in m.left_out] == ["control:not_a_settlement"]
    m = find_place(store, "Kharkiv")                  # the city (the coder's reading), which has no changes
    assert (m.status, m.places[0].geonameid, m.changes) == ("control:no_changes", 706483, [])
    m = find_place(store, "Kharkiv region")
    assert m.status == "control:region" and {c.place for c in m.changes} == {"Izium", "Kupiansk"}
    with pytest.raises(ControlError) as err:
        find_place(store, "Nowhereville")
    assert err.value.code == "E611"
    with pytest.raises(ControlError) as err:
        find_place(store, "Izium, Poltava")           # no Izium in that province
    assert err.value.code == "E611"


def test_a_name_shared_by_two_settlements_with_changes(store):
    kharkiv = at("Balakliia", gid=712926, lat=49.456, lon=36.844, admin1="Kharkiv", date="2022-09-08")
    poltava = at("Balakliia", gid=712925, lat=49.61, lon=33.75, admin1="Poltava", date="2022-03-01",
                 sub=TAKE, actor1=RUS)
    add(store, art(6, date="2022-09-08"), kharkiv)
    assert find_place(store, "Balakliia").places[0].admin1 == "Kharkiv"   # the only one with changes
    add(store, art(7, date="2022-03-01"), poltava)
    with pytest.raises(ControlError) as err:
        timeline(store, "Balakleya")
    assert err.value.code == "E612" and "712925" in str(err.value) and "712926" in str(err.value)
    assert [c.controller for c in timeline(store, "Balakleya, Poltava")] == ["Russia"]
    assert [c.controller for c in timeline(store, "712926")] == ["Ukraine"]


def test_geojson(store):
    gj = to_geojson(timeline(store, "Izium"))
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 2
    f = gj["features"][0]
    assert f["geometry"] == {"type": "Point", "coordinates": [37.2579, 49.2077]}
    assert f["properties"]["controller"] == "Russia" and f["properties"]["date"] == "2022-04-01"
    gj = to_geojson(control_on(store, "2023-02-01"))
    assert {f["properties"]["place"] for f in gj["features"]} == {"Izium", "Kupiansk", "Soledar"}


# ------------------------------------------------------------------------------------ the command
def test_cli(tmp_path):
    db = tmp_path / "c.db"
    s = SQLiteStore(db)
    add(s, art(1, date="2022-09-10"), ev(sub=REGAIN, actor1=UKR, place="Izium", date="2022-09-10"))
    add(s, art(2, date="2022-11-09"), at("Dnipro River", gid=None, lat=47.55, lon=34.4, admin1="", sub=TAKE,
                                         actor1=RUS, precision=2, date="2022-11-09",
                                         sentence="Russian troops dug in on the far bank of the Dnipro River."))
    s.close()
    group = click.Group(commands=COMMANDS)
    run = CliRunner().invoke
    r = run(group, ["control", "Ізюм", "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data == [{"place": "Izium", "geonameid": 707688, "date": "2022-09-10", "controller": "Ukraine",
                     "event_ids": data[0]["event_ids"]}]
    r = run(group, ["control", "--on", "2022-09-12", "--db", str(db), "--geojson"])
    assert r.exit_code == 0 and json.loads(r.stdout)["features"][0]["properties"]["controller"] == "Ukraine"
    r = run(group, ["control", "Izyum", "--on", "2022-09-12", "--db", str(db), "--json"])
    assert r.exit_code == 0 and [x["place"] for x in json.loads(r.stdout)] == ["Izium"]
    r = run(group, ["control", "Dnipro River", "--db", str(db)])
    assert r.exit_code == 0 and "not a settlement" in r.output and "control:not_a_settlement" in r.output
    r = run(group, ["control", "Kupyansk", "--db", str(db)])
    assert r.exit_code == 0 and "no control changes recorded" in r.output and "704147" in r.output
    r = run(group, ["control", "Nowhereville", "--db", str(db)])
    assert r.exit_code != 0 and "E611" in r.output
    r = run(group, ["fuse", "--db", str(db), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["control_changes"] == 1
    r = run(group, ["explain", data[0]["event_ids"][0], "--db", str(db), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["found"]
    r = run(group, ["control", "--db", str(db)])
    assert r.exit_code != 0


def test_guessed_dates_can_be_included_on_request(tmp_path):
    text = "Russian troops withdrew from Dvorichna on Sunday."
    event = Event(event_id="UKR-T1", event_date="2023-02-05", event_type="Strategic developments",
                  sub_event_type="Non-violent transfer of territory", actor1="Military Forces of Russia (2000-)",
                  inter1=1, location="Dvorichna", geonameid=710000, latitude=49.85, longitude=37.68,
                  geo_precision=1, country="Ukraine", admin1="Kharkiv", article_ids=["a1"],
                  evidence=[{"article_id": "a1", "sentence": text, "start": 0, "end": len(text)}])
    article = Article(article_id="a1", text=text, date=dt.date(2023, 2, 7), origin="-", date_reason="date:cli")
    with open_store(tmp_path / "c.db") as s:
        s.add_article(article, [event])
        assert ctl.timeline(s, "Dvorichna") == []
        changes = ctl.timeline(s, "Dvorichna", include_guessed_dates=True)
        assert [(c.date, c.controller) for c in changes] == [("2023-02-05", "Ukraine")]
