"""Territorial control timelines on hand-built events."""
from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from frontlines.control import (changes_json, control_on, control_timelines, controller_of, save_control,
                                timeline, to_geojson)
from frontlines.fusion.cli import COMMANDS
from frontlines.store import SQLiteStore

from test_fusion import RUS, UKR, add, art, ev

REGAIN, TAKE, LEAVE = ("Government regains territory", "Non-state actor overtakes territory",
                       "Non-violent transfer of territory")


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
    lines = control_timelines(events)
    assert list(lines) == ["707688"]
    changes = lines["707688"]
    assert [(c.date, c.controller, c.previous) for c in changes] == [
        ("2022-04-01", "Russia", ""), ("2022-09-10", "Ukraine", "Russia")]
    assert changes[1].event_ids == [events[0].event_id, events[2].event_id]
    assert "control:confirmed" in changes[1].reasons and "control:reverses_previous" in changes[1].reasons
    assert changes_json(changes)[1] == {"place": "Izium", "geonameid": 707688, "date": "2022-09-10",
                                        "controller": "Ukraine", "event_ids": [events[0].event_id,
                                                                               events[2].event_id]}


def test_undated_reports_are_left_out():
    e = ev(sub=TAKE, actor1=RUS, place="Izium", date="2023-01-01")
    e.article_ids = ["X"]
    assert control_timelines([e], undated_articles={"X"}) == {}


@pytest.fixture()
def store():
    s = SQLiteStore(":memory:")
    add(s, art(1, date="2022-04-01"), ev(sub=TAKE, actor1=RUS, place="Izium", date="2022-04-01"))
    add(s, art(2, date="2022-09-10"), ev(sub=REGAIN, actor1=UKR, place="Izium", date="2022-09-10"))
    add(s, art(3, date="2022-09-11"), ev(sub=LEAVE, actor1=RUS, place="Izium", date="2022-09-10"),
        ev(sub=REGAIN, actor1=UKR, place="Kupiansk", date="2022-09-10"))
    add(s, art(4, date="2023-01-11"), ev(sub=TAKE, actor1="Wagner Group", place="Soledar", date="2023-01-11"))
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


def test_geojson(store):
    gj = to_geojson(timeline(store, "Izium"))
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 2
    f = gj["features"][0]
    assert f["geometry"] == {"type": "Point", "coordinates": [37.2579, 49.2077]}
    assert f["properties"]["controller"] == "Russia" and f["properties"]["date"] == "2022-04-01"
    gj = to_geojson(control_on(store, "2023-02-01"))
    assert {f["properties"]["place"] for f in gj["features"]} == {"Izium", "Kupiansk", "Soledar"}


def test_cli(tmp_path):
    db = tmp_path / "c.db"
    s = SQLiteStore(db)
    add(s, art(1, date="2022-09-10"), ev(sub=REGAIN, actor1=UKR, place="Izium", date="2022-09-10"))
    s.close()
    group = click.Group(commands=COMMANDS)
    r = CliRunner().invoke(group, ["control", "Izium", "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data == [{"place": "Izium", "geonameid": 707688, "date": "2022-09-10", "controller": "Ukraine",
                     "event_ids": data[0]["event_ids"]}]
    r = CliRunner().invoke(group, ["control", "--on", "2022-09-12", "--db", str(db), "--geojson"])
    assert r.exit_code == 0 and json.loads(r.output)["features"][0]["properties"]["controller"] == "Ukraine"
    r = CliRunner().invoke(group, ["fuse", "--db", str(db), "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["events_after"] == 1
    r = CliRunner().invoke(group, ["explain", data[0]["event_ids"][0], "--db", str(db), "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["found"]
    r = CliRunner().invoke(group, ["control", "--db", str(db)])
    assert r.exit_code != 0


def test_guessed_dates_can_be_included_on_request(tmp_path):
    import datetime as dt

    from frontlines import control as ctl
    from frontlines.records import Article, Event
    from frontlines.store import open_store

    ev = Event(event_id="UKR-T1", event_date="2023-02-05", event_type="Strategic developments",
               sub_event_type="Non-violent transfer of territory", actor1="Military Forces of Russia (2000-)",
               inter1=1, location="Dvorichna", geonameid=710000, latitude=49.85, longitude=37.68,
               geo_precision=1, country="Ukraine", admin1="Kharkiv", article_ids=["a1"])
    art = Article(article_id="a1", text="Russian troops withdrew from Dvorichna on Sunday.",
                  date=dt.date(2023, 2, 7), origin="-", date_reason="date:cli")
    with open_store(tmp_path / "c.db") as store:
        store.add_article(art, [ev])
        assert ctl.timeline(store, "Dvorichna") == []
        changes = ctl.timeline(store, "Dvorichna", include_guessed_dates=True)
        assert [(c.date, c.controller) for c in changes] == [("2023-02-05", "Ukraine")]
