"""Export: JSONL contract, ACLED CSV column order, GeoJSON."""
from __future__ import annotations

import csv
import io
import json
import time

import pytest

from frontlines.errors import FrontlinesError
from frontlines.export import (ACLED_COLUMNS, CSV_COLUMNS, EXTRA_COLUMNS, FORMATS, RECORD_FIELDS, event_record,
                               write_events)
from frontlines.records import EVENT_FIELDS, Event

ACLED_ORDER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]
OURS = ["geonameid", "article_ids", "article_refs", "claimed_by", "claim_status", "target", "target_category",
        "quantities", "plover_event", "plover_mode", "cameo_root", "confidence", "reasons", "evidence"]


def events():
    return [
        Event(event_id="UKR0001", event_date="2022-09-10", time_precision=1, event_type="Battles",
              sub_event_type="Armed clash", disorder_type="Political violence",
              actor1="Military Forces of Ukraine (2019-)", inter1=1,
              actor2="Military Forces of Russia (2000-)", inter2=8, interaction=18,
              country="Ukraine", iso=804, region="Europe", admin1="Kharkiv", admin2="Izium",
              location="Izium", latitude=49.2103456, longitude=37.25631, geo_precision=1,
              fatalities=0, notes='Ukrainian forces retook Izium, "officials said".',
              source="Courthouse News; Reuters", tags="", geonameid=707688,
              article_ids=["a1", "a2"], quantities=[{"value": 50.0, "unit": "km", "of": "depth"}],
              confidence=0.8, reasons=["type:clash", "geo:town"],
              evidence=[{"article_id": "a1", "sentence": "Izium fell.", "start": 0, "end": 11,
                         "trigger": "fell", "trigger_start": 6, "trigger_end": 10}]),
        Event(event_id="UKR0002", event_date="2022-09-11", event_type="Explosions/Remote violence",
              location="Ukraine", latitude=None, longitude=None, source="Reuters"),
    ]


def test_column_constants():
    assert list(ACLED_COLUMNS) == ACLED_ORDER and len(ACLED_COLUMNS) == 31
    assert list(EXTRA_COLUMNS) == OURS
    assert list(CSV_COLUMNS) == ACLED_ORDER + OURS
    assert set(FORMATS) == {"jsonl", "csv", "geojson"}


def test_jsonl_is_exactly_event_fields_and_article_refs_in_order():
    i = EVENT_FIELDS.index("article_ids") + 1
    assert RECORD_FIELDS == EVENT_FIELDS[:i] + ("article_refs",) + EVENT_FIELDS[i:]
    out = io.StringIO()
    assert write_events(events(), "jsonl", out) == 2
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    for line, ev in zip(lines, events()):
        rec = json.loads(line)
        assert list(rec) == list(RECORD_FIELDS)
        assert rec["article_refs"] == []                 # no ids given: an empty list, never a missing key
        assert {k: v for k, v in rec.items() if k != "article_refs"} == ev.to_dict()
        assert Event.from_dict(rec).to_dict() == ev.to_dict()


REFS = {"a1": "doc-17", "a2": "doc-18", "a9": "doc-99"}


def test_every_format_carries_the_users_article_ids():
    """Regression: the id of a JSONL/CSV input stayed in articles.meta; events could not be joined
    back to the user's documents."""
    fused = events()[0]                                   # two articles behind one event
    fused.article_ids = ["a1", "a3", "a2"]               # a3's input carried no id
    out = io.StringIO()
    write_events([fused], "jsonl", out, article_refs=REFS)
    assert json.loads(out.getvalue())["article_refs"] == ["doc-17", "doc-18"]
    out = io.StringIO()
    write_events([fused], "csv", out, article_refs=REFS)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["article_refs"] == "doc-17;doc-18" and row["article_ids"] == "a1;a3;a2"
    out = io.StringIO()
    write_events([fused], "geojson", out, article_refs=REFS)
    assert json.loads(out.getvalue())["features"][0]["properties"]["article_refs"] == ["doc-17", "doc-18"]
    same = events()[0]
    same.article_ids = ["a1", "a1b"]                     # two versions of one user document
    assert event_record(same, {"a1": "doc-17", "a1b": "doc-17"})["article_refs"] == ["doc-17"]


def test_csv_columns_and_values():
    out = io.StringIO()
    before = int(time.time())
    assert write_events(events(), "csv", out) == 2
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ACLED_ORDER + OURS
    recs = list(csv.DictReader(io.StringIO(out.getvalue())))
    r = recs[0]
    assert r["event_id_cnty"] == "UKR0001" and r["year"] == "2022"
    assert r["latitude"] == "49.2103" and r["longitude"] == "37.2563"
    assert r["source"].split(";")[1].strip() == "Reuters"
    assert r["iso"] == "804" and r["interaction"] == "18" and r["inter1"] == "1"
    assert r["notes"] == 'Ukrainian forces retook Izium, "officials said".'
    assert before <= int(r["timestamp"]) <= int(time.time()) + 1
    assert json.loads(r["quantities"]) == [{"value": 50.0, "unit": "km", "of": "depth"}]
    assert json.loads(r["evidence"])[0]["trigger"] == "fell"
    assert r["reasons"] == "type:clash;geo:town" and r["article_ids"] == "a1;a2"
    assert r["geonameid"] == "707688" and r["confidence"] == "0.8"
    assert recs[1]["latitude"] == "" and recs[1]["inter1"] == "" and recs[1]["tags"] == ""


def test_csv_empty_has_header():
    out = io.StringIO()
    assert write_events([], "csv", out) == 0
    assert out.getvalue().strip() == ",".join(ACLED_ORDER + OURS)


def test_geojson_skips_events_without_coordinates(caplog):
    out = io.StringIO()
    assert write_events(iter(events()), "geojson", out) == 1
    fc = json.loads(out.getvalue())
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 1
    f = fc["features"][0]
    assert f["geometry"] == {"type": "Point", "coordinates": [37.25631, 49.2103456]}
    assert f["properties"]["event_id"] == "UKR0001" and f["properties"]["region"] == "Europe"
    assert list(f["properties"])[: len(RECORD_FIELDS)] == list(RECORD_FIELDS)
    assert fc["properties"]["skipped_without_coordinates"] == 1
    assert "without coordinates" in caplog.text


def test_unknown_format_is_E601():
    out = io.StringIO()
    with pytest.raises(FrontlinesError) as info:
        write_events(events(), "xlsx", out)
    assert info.value.code == "E601" and "jsonl" in str(info.value)
    assert out.getvalue() == ""


def test_format_name_is_case_insensitive():
    out = io.StringIO()
    assert write_events(events(), "JSONL", out) == 2


def test_nan_coordinates_count_as_missing():
    out = io.StringIO()
    ev = Event(event_id="x", latitude=float("nan"), longitude=30.0)
    assert write_events([ev], "geojson", out) == 0
    out = io.StringIO()
    write_events([ev], "csv", out)
    assert list(csv.DictReader(io.StringIO(out.getvalue())))[0]["latitude"] == ""
