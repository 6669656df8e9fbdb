"""The HTTP API on a fixture database built by hand (tests/serve_fixture.py)."""
from __future__ import annotations

import csv
import io
import json

import pytest

import serve_fixture

pytestmark = pytest.mark.e2e

TOKEN = "t0ken-for-the-tests-only-0123456789"


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "fixture.db"
    info = serve_fixture.build(path)
    return path, info


@pytest.fixture(scope="module")
def client(fixture_db):
    from fastapi.testclient import TestClient

    from frontlines.serve import create_app

    with TestClient(create_app(fixture_db[0], token=TOKEN)) as c:
        yield c


@pytest.fixture(scope="module")
def info(fixture_db):
    return fixture_db[1]


def test_events_page_and_total(client, info):
    r = client.get("/api/events")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == info["events"]
    assert body["count"] == 100 and len(body["events"]) == 100
    assert r.headers["x-total-count"] == str(info["events"])
    first = body["events"][0]
    from frontlines.export import RECORD_FIELDS

    assert list(first)[:len(RECORD_FIELDS)] == list(RECORD_FIELDS)
    dates = [e["event_date"] for e in body["events"]]
    assert dates == sorted(dates, reverse=True)


def test_cursor_walks_every_event_once(client, info):
    seen, cursor = [], None
    while True:
        params = {"limit": 70, "sort": "event_date"}
        if cursor:
            params["cursor"] = cursor
        body = client.get("/api/events", params=params).json()
        seen += [e["event_id"] for e in body["events"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == info["events"]


def test_filters(client, info):
    get = lambda **p: client.get("/api/events", params={"limit": 1000, **p}).json()   # noqa: E731
    assert get(event_type="Battles")["total"] == info["by_type"]["Battles"]
    both = get(event_type="Battles,Violence against civilians")["total"]
    assert both == info["by_type"]["Battles"] + info["by_type"]["Violence against civilians"]
    assert [e["event_id"] for e in get(claim_status="disputed")["events"]] == [info["disputed_event"]]
    assert {e["event_id"] for e in get(min_sources=2)["events"]} == {info["disputed_event"], info["fused_event"]}
    assert {e["event_id"] for e in get(claimed_by="ministry of defence")["events"]} == {info["disputed_event"]}
    kh = get(admin1="Kherson Oblast")
    assert kh["total"] > 0 and {e["location"] for e in kh["events"]} == {"Kherson"}
    assert {e["location"] for e in get(bbox="37.5,49.6,37.7,49.8")["events"]} == {"Kupiansk"}
    sept = get(since="2022-09-10", until="2022-09-12")
    assert sept["total"] > 0 and all("2022-09-10" <= e["event_date"] <= "2022-09-12" for e in sept["events"])
    assert get(actor="forces of RUSSIA")["total"] == info["events"] - 1        # the markup event's actor1 is markup
    assert [e["event_id"] for e in get(q="two people")["events"]] == []        # in the article, not the evidence
    assert [e["event_id"] for e in get(q="PWNED = 4")["events"]] == [info["script_event"]]   # in the notes
    assert get(q="captured balakliia")["events"][0]["event_id"] == info["disputed_event"]


def test_sql_in_filters_is_only_text(client, info):
    for hostile in ("' OR 1=1 --", "Battles'; DROP TABLE events; --", "%", "_", "\\", "\"", ")"):
        r = client.get("/api/events", params={"event_type": hostile, "actor": hostile, "q": hostile})
        assert r.status_code == 200, r.text
        assert r.json()["total"] == 0
    assert client.get("/api/events").json()["total"] == info["events"]


@pytest.mark.parametrize("params, needle", [
    ({"since": "2022-02-30"}, "since"),
    ({"until": "yesterday"}, "until"),
    ({"since": "2022-10-01", "until": "2022-09-01"}, "after"),
    ({"bbox": "1,2,3"}, "bbox"),
    ({"bbox": "0,-1e999,1,1"}, "bbox"),
    ({"bbox": "-1e308,-90,1e308,90"}, "bbox"),
    ({"bbox": "0,80,1,10"}, "south"),
    ({"bbox": "nan,0,1,1"}, "bbox"),
    ({"limit": 0}, "limit"),
    ({"limit": 10**9}, "limit"),
    ({"sort": "event_id; DROP TABLE events"}, "sort"),
    ({"format": "xlsx"}, "format"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"min_sources": -1}, "min_sources"),
    ({"actor": "x" * 5000}, "actor"),
    ({"q": "a\x00b"}, "q"),
])
def test_bad_parameters_are_400_with_a_message(client, params, needle):
    r = client.get("/api/events", params=params)
    assert r.status_code == 400, (params, r.status_code, r.text)
    assert needle in r.json()["error"]


def test_a_bbox_wider_than_the_world_is_the_world(client, info):
    r = client.get("/api/events", params={"bbox": "-200,-90,200,90"})
    assert r.status_code == 200 and r.json()["total"] == info["events"]


def test_formats(client, info):
    r = client.get("/api/events", params={"format": "csv", "limit": 5, "event_type": "Battles"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    from frontlines.export import CSV_COLUMNS

    assert list(rows[0]) == list(CSV_COLUMNS) and len(rows) == 5
    assert {row["event_type"] for row in rows} == {"Battles"}
    g = client.get("/api/events", params={"format": "geojson", "limit": 7})
    assert g.headers["content-type"].startswith("application/geo+json")
    fc = g.json()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 7
    assert fc["properties"]["total"] == info["events"] and fc["properties"]["next_cursor"]
    p = client.get("/api/events", params={"format": "parquet", "limit": 1000})
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(p.content))
    assert table.num_rows == info["events"]
    assert "evidence" in table.column_names and str(table.schema.field("event_date").type) == "date32[day]"


def test_event_detail_has_evidence_offsets_sources_and_claims(client, info):
    r = client.get(f"/api/events/{info['disputed_event']}")
    assert r.status_code == 200
    d = r.json()
    ev = d["event"]
    assert ev["claim_status"] == "disputed"
    assert {s["source"] for s in d["sources"]} == {"TASS", "Kyiv Independent"}
    assert [c["claimant"] for c in d["claims"]] == ["Russian Ministry of Defence", "Ukrainian General Staff"]
    for e in ev["evidence"]:
        art = client.get(f"/api/articles/{e['article_id']}").json()
        assert art["text"][e["start"]:e["end"]] == e["sentence"]
        assert art["text"][e["trigger_start"]:e["trigger_end"]] == e["trigger"]
        assert e["source"] in ("TASS", "Kyiv Independent")
    assert d["links"] and d["links"][0]["related_id"] == info["fused_event"]
    fused = client.get(f"/api/events/{info['fused_event']}").json()
    assert fused["fusion"]["n_sources"] == 2
    assert fused["merge_history"][0]["action"] == "join"
    assert [p["part_id"] for p in fused["parts"]] == ["P3", "P4"]


def test_unknown_and_joined_events_are_404(client, info):
    r = client.get("/api/events/NOPE")
    assert r.status_code == 404 and "NOPE" in r.json()["error"]
    r = client.get("/api/events/P4")
    assert r.status_code == 404 and r.json()["now_part_of"] == info["fused_event"]
    assert client.get("/api/articles/NOPE").status_code == 404


def test_article_keeps_markup_as_text_in_json(client, info):
    a = client.get("/api/articles/ASCRIPT").json()
    assert "<script>" in a["text"] and a["events"] == [info["script_event"]]
    assert client.get("/api/articles/A00001").json()["ref"] == "doc-1"


def test_map_aggregates_add_up(client, info):
    r = client.get("/api/map", params={"bbox": "-180,-85,180,85", "zoom": 3})
    body = r.json()
    assert body["mode"] == "clusters"
    assert sum(c[2] for c in body["clusters"]) == body["total"] == info["events"]
    assert sum(c[3] for c in body["clusters"]) == info["fatalities"]
    close = client.get("/api/map", params={"bbox": "37.5,49.6,37.7,49.8", "zoom": 11}).json()
    assert close["mode"] == "points" and {p[0] for p in close["points"]} >= {info["script_event"]}
    assert client.get("/api/map", params={"bbox": "-180,-85,180,85", "zoom": 99}).status_code == 400
    assert client.get("/api/map", params={"zoom": 3}).status_code == 400


def test_histogram_and_stats_agree(client, info):
    h = client.get("/api/histogram").json()
    assert sum(sum(d[1].values()) for d in h["days"]) == info["events"]
    s = client.get("/api/stats").json()
    assert s["events"] == info["events"] and s["fatalities"] == info["fatalities"]
    assert {r["name"]: r["events"] for r in s["by_type"]} == info["by_type"]
    assert sum(r["events"] for r in s["by_day"]) == info["events"]
    battles = client.get("/api/stats", params={"event_type": "Battles", "since": "2022-09-15"}).json()
    assert 0 < battles["events"] < info["by_type"]["Battles"]


def test_writes_need_the_token(client, fixture_db):
    body = {"text": "Shelling hit Izium on Monday.", "date": "2022-09-12"}
    assert client.post("/api/articles", json=body).status_code == 401
    r = client.post("/api/articles", json=body, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and "token" in r.json()["error"]
    r = client.post("/api/articles", content=b"{", headers={"Authorization": f"Bearer {TOKEN}",
                                                             "Content-Type": "application/json"})
    assert r.status_code == 400
    r = client.post("/api/articles", json={"text": "no date"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 400 and "date" in r.json()["error"]
    from fastapi.testclient import TestClient

    from frontlines.serve import create_app

    with TestClient(create_app(fixture_db[0])) as readonly:
        r = readonly.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 403 and "writes are off" in r.json()["error"]


def test_posted_report_is_coded_stored_and_served(tmp_path, pipeline):
    from fastapi.testclient import TestClient

    from frontlines.serve import create_app

    db = tmp_path / "live.db"
    serve_fixture.build(db, n_random=5)
    text = ("Russian forces shelled Kupiansk on Monday, killing two civilians, the regional governor said.")
    with TestClient(create_app(db, token=TOKEN, pipeline=pipeline)) as c:
        before = c.get("/api/events").json()["total"]
        r = c.post("/api/articles", json={"text": text, "date": "2022-09-13", "source": "Test Wire", "id": "w-1"},
                   headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 201, r.text
        stored = r.json()["stored"]
        assert stored and stored[0]["events"]
        assert c.get("/api/events").json()["total"] > before
        ev = c.get(f"/api/events/{stored[0]['events'][0]}").json()["event"]
        assert ev["location"] == "Kupiansk" and ev["article_refs"] == ["w-1"]
        again = c.post("/api/articles", json={"text": text, "date": "2022-09-13"},
                       headers={"Authorization": f"Bearer {TOKEN}"})
        assert again.status_code == 200 and again.json()["already_stored"]
        upload = c.post("/api/articles", files={"file": ("r.txt", b"date 2022-09-14 Strike\nA missile struck "
                                                                   b"Kramatorsk railway station on Tuesday.")},
                        headers={"Authorization": f"Bearer {TOKEN}"})
        assert upload.status_code == 201, upload.text


def test_headers_docs_and_openapi(client):
    r = client.get("/")
    assert r.status_code == 200 and "script-src 'self'" in r.headers["content-security-policy"]
    assert "http://" not in r.text and "https://" not in r.text
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/control", "/api/control/{place}",
            "/api/articles/{article_id}", "/api/articles", "/api/stats", "/api/map"} <= set(spec["paths"])
    for vendor in ("leaflet/LICENSE", "world-atlas/LICENSE", "topojson-client/LICENSE", "swagger-ui/LICENSE"):
        assert client.get(f"/static/vendor/{vendor}").status_code == 200


def test_control_answers_with_clear_errors(client):
    r = client.get("/api/control", params={"on": "not-a-day"})
    assert r.status_code == 400 and "on=" in r.json()["error"]
    assert client.get("/api/control").status_code == 400


def test_config(client, info):
    cfg = client.get("/api/config").json()
    assert cfg["events"] == info["events"] and cfg["writes"] is True
    assert set(cfg["types"]) == set(info["by_type"])
    assert json.dumps(cfg)
