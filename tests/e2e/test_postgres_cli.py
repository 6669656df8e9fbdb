"""`--db postgresql://...` for the commands: export, show, explain, fuse, control, and serve (every
API test of tests/e2e/test_serve_api.py again, on the same fixture database built in PostgreSQL)."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import pg_server
import serve_fixture

pytestmark = pytest.mark.e2e

_spec = importlib.util.spec_from_file_location("pg_test_serve_api", Path(__file__).with_name("test_serve_api.py"))
_api = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _api
_spec.loader.exec_module(_api)
for _name, _fn in vars(_api).items():
    if _name.startswith("test_") and callable(_fn):
        globals()[_name] = _fn
client = _api.client
info = _api.info
TOKEN = _api.TOKEN


@pytest.fixture(scope="module")
def fixture_db():
    url = pg_server.new_database()
    return url, serve_fixture.build(url)


def _run(*args: str):
    from frontlines.cli import main

    return CliRunner().invoke(main, list(args))


def test_commands_take_a_postgres_url(fixture_db, tmp_path):
    url, facts = fixture_db
    out = _run("export", "--db", url, "--format", "jsonl")
    assert out.exit_code == 0, out.output
    records = [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]
    assert len(records) == facts["events"]
    assert _run("show", serve_fixture.DISPUTED_EVENT, "--db", url, "--json").exit_code == 0
    lake = _run("export", "--db", url, "--format", "parquet", "--partition", "month", "-o", str(tmp_path / "lake"))
    assert lake.exit_code == 0, lake.output
    from frontlines.export import read_lake

    assert len(list(read_lake(tmp_path / "lake"))) == facts["events"]


def test_fuse_and_control_on_postgres_equal_sqlite(tmp_path):
    """The same hand-built database in SQLite and in PostgreSQL, re-fused: the same events,
    the same explanation, the same control answer."""
    url = pg_server.new_database()
    lite = str(tmp_path / "same.db")
    from frontlines.store import open_store

    for db in (url, lite):
        serve_fixture.build(db)
        with open_store(db) as s, s.transaction() as con:       # its fusion rows are made up: start afresh
            for table in ("fusion_parts", "fusion_events", "event_claims", "merges", "event_links"):
                con.execute(f"DELETE FROM {table}")
    for db in (url, lite):
        out = _run("fuse", "--db", db, "--json")
        assert out.exit_code == 0, out.output
    with open_store(url) as a, open_store(lite) as b:
        assert [e.to_full_dict() for e in a.iter_events()] == [e.to_full_dict() for e in b.iter_events()]
        eid = next(e.event_id for e in a.iter_events() if len(e.article_ids) > 1)
    explained = [json.loads(_run("explain", eid, "--db", db, "--json").output) for db in (url, lite)]
    for e in explained:
        for row in e["log"]:
            row.pop("at", None)
        if e.get("fusion"):
            e["fusion"].pop("updated_at", None)
        for link in e["links"]:
            link.pop("at", None)
    assert explained[0] == explained[1]
    on = [_run("control", "--on", "2022-10-15", "--db", db, "--json") for db in (url, lite)]
    assert on[0].exit_code == on[1].exit_code == 0
    assert json.loads(on[0].output) == json.loads(on[1].output)
    missing = _run("show", "NOPE", "--db", url)
    assert missing.exit_code == 1 and "E502" in missing.output
