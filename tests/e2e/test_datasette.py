"""datasette opens a frontlines database with our metadata: facets, descriptions, canned
queries, and the events on a map (datasette-cluster-map)."""
from __future__ import annotations

import asyncio
import json

import pytest

import serve_fixture

pytestmark = pytest.mark.e2e
datasette_app = pytest.importorskip("datasette.app")


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    from frontlines.serve.datasette import write_metadata

    path = tmp_path_factory.mktemp("ds") / "frontlines.db"
    info = serve_fixture.build(path, n_random=40)
    meta = write_metadata(path, path.with_name("metadata.json"))
    return datasette_app.Datasette([str(path)], metadata=meta), info


def _get(ds, url):
    async def go():
        return await ds.client.get(url)
    return asyncio.run(go())


def test_events_table_newest_first_with_facets(ds):
    app, info = ds
    r = _get(app, "/frontlines/events.json?_shape=objects&_extra=facet_results")
    assert r.status_code == 200, r.text
    body = r.json()
    dates = [row["event_date"] for row in body["rows"]]
    assert dates == sorted(dates, reverse=True)
    facets = body["facet_results"]
    facets = facets.get("results", facets)
    assert {"event_type", "admin1", "claim_status"} <= set(facets)
    counts = {f["value"]: f["count"] for f in facets["event_type"]["results"]}
    assert sum(counts.values()) == info["events"]


def test_the_events_page_draws_a_map(ds):
    pytest.importorskip("datasette_cluster_map")
    app, _info = ds
    page = _get(app, "/frontlines/events")
    assert page.status_code == 200
    assert "datasette-cluster-map" in page.text or "datasette_cluster_map" in page.text
    assert "event_date" in page.text


def test_canned_queries(ds):
    app, info = ds
    r = _get(app, "/frontlines/disputed_claims.json?_shape=objects")
    assert r.status_code == 200, r.text
    assert {row["claimant"] for row in r.json()["rows"]} == {"Russian Ministry of Defence", "Ukrainian General Staff"}
    r = _get(app, f"/frontlines/evidence_of_an_event.json?_shape=objects&event_id={info['disputed_event']}")
    assert sorted(row["trigger"] for row in r.json()["rows"]) == ["captured", "repelled"]
    r = _get(app, "/frontlines/events_on_a_day.json?_shape=objects&day=2022-09-10")
    assert info["disputed_event"] in {row["event_id"] for row in r.json()["rows"]}


def test_metadata_names_the_database_by_its_file(tmp_path):
    from click.testing import CliRunner

    from frontlines.cli import main

    db = tmp_path / "demo.db"
    serve_fixture.build(db, n_random=3)
    out = tmp_path / "m.json"
    result = CliRunner().invoke(main, ["datasette-metadata", "--db", str(db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    meta = json.loads(out.read_text())
    assert list(meta["databases"]) == ["demo"]
    assert meta["databases"]["demo"]["tables"]["events"]["facets"][0] == "event_type"
