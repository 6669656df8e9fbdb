"""The CLI end to end on the project's own example reports."""
from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontlines.cli import main
from frontlines.export import RECORD_FIELDS

pytestmark = pytest.mark.e2e
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def db(tmp_path_factory, pipeline):
    path = tmp_path_factory.mktemp("cli") / "events.db"
    result = CliRunner().invoke(main, ["run", str(EXAMPLES), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_run_prints_a_table_and_stores_events(db):
    con = sqlite3.connect(db)
    n_events = con.execute("select count(*) from events").fetchone()[0]
    n_articles = con.execute("select count(*) from articles").fetchone()[0]
    assert n_articles == 4          # two text reports and two JSONL records
    assert n_events >= 6


def test_rerun_adds_nothing(db):
    con = sqlite3.connect(db)
    before = con.execute("select count(*) from events").fetchone()[0]
    result = CliRunner().invoke(main, ["run", str(EXAMPLES), "--db", str(db)])
    assert result.exit_code == 0
    assert con.execute("select count(*) from events").fetchone()[0] == before
    assert con.execute("select count(*) from evidence").fetchone()[0] >= before


def test_export_jsonl_contract(db):
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert rows
    for row in rows:
        assert list(row) == list(RECORD_FIELDS)
    # the feed's own ids ("id" in examples/feed.jsonl) come back with the events coded from it
    assert {r for row in rows for r in row["article_refs"]} == {"ex-001", "ex-002"}


def test_csv_and_show_carry_the_users_ids(db):
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    kramatorsk = [r for r in rows if r["location"] == "Kramatorsk"]
    assert kramatorsk and {r["article_refs"] for r in kramatorsk} == {"ex-001"}
    shown = CliRunner().invoke(main, ["show", kramatorsk[0]["event_id_cnty"], "--db", str(db), "--json"])
    assert json.loads(shown.output)["article_refs"] == ["ex-001"]
    shown = CliRunner().invoke(main, ["show", kramatorsk[0]["event_id_cnty"], "--db", str(db)])
    assert "ex-001" in shown.output


def test_export_csv_starts_with_acled_columns(db):
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "csv"])
    header = next(csv.reader(io.StringIO(result.output)))
    assert header[:5] == ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type"]
    assert header[30] == "timestamp"


def test_export_geojson(db, tmp_path):
    out = tmp_path / "e.geojson"
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "geojson", "-o", str(out)])
    assert result.exit_code == 0
    data = json.loads(out.read_text())
    assert data["type"] == "FeatureCollection" and data["features"]
    lon, lat = data["features"][0]["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_show_highlights_evidence_and_reasons(db):
    con = sqlite3.connect(db)
    event_id = con.execute("select event_id from events limit 1").fetchone()[0]
    result = CliRunner().invoke(main, ["show", event_id, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "evidence" in result.output and "reasons" in result.output
    missing = CliRunner().invoke(main, ["show", "NOPE", "--db", str(db)])
    assert missing.exit_code != 0 and "E502" in missing.output


def test_bad_inputs_are_skipped_with_a_clear_message_and_exit_1(tmp_path, pipeline):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (tmp_path / "undated.txt").write_text("Russian forces shelled the town of Kupiansk on Monday.")
    shutil.copy(EXAMPLES / "2022-10-01-lyman.txt", tmp_path / "good.txt")
    result = CliRunner().invoke(main, ["run", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    out = result.output
    assert "E101" in out and "E102" in out and "E105" in out and "undated.txt" in out
    con = sqlite3.connect(tmp_path / "x.db")
    assert con.execute("select count(*) from articles").fetchone()[0] == 1   # the good one went through


def test_date_option_rescues_undated_text(tmp_path, pipeline):
    path = tmp_path / "undated.txt"
    path.write_text("Russian forces shelled the town of Kupiansk on Monday, killing two civilians.")
    result = CliRunner().invoke(main, ["run", str(path), "--date", "2022-12-07", "--db", str(tmp_path / "y.db")])
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(tmp_path / "y.db")
    row = con.execute("select event_date, sub_event_type, fatalities from events").fetchone()
    assert row == ("2022-12-05", "Shelling/artillery/missile attack", 2)


def test_python_api_opens_the_database_and_iterates_events(db):
    import frontlines

    with frontlines.open_database(db) as database:
        events = list(database.events())
        assert events and all(e.event_id for e in events)
        battles = list(database.events(event_type="Battles"))
        assert all(e.event_type == "Battles" for e in battles)
        assert database.event(events[0].event_id).event_id == events[0].event_id


def test_python_api_extracts_without_a_database(pipeline):
    import frontlines

    events = frontlines.extract_events("Russian forces shelled Kupiansk on Sunday, killing two civilians.",
                                       "2022-12-06", pipeline=pipeline)
    assert [(e.event_date, e.fatalities, e.location) for e in events] == [("2022-12-04", 2, "Kupiansk")]


def test_python_api_adds_a_report_once(tmp_path, pipeline):
    import frontlines

    text = "Russian forces shelled Kupiansk on Sunday, killing two civilians."
    with frontlines.open_database(tmp_path / "api.db") as db:
        first = db.add_text(text, "2022-12-06", pipeline=pipeline)
        again = db.add_text(text, "2022-12-06", pipeline=pipeline)
        assert first and again == []
        assert [e.event_id for e in db.events()] == [e.event_id for e in first]


def test_gazetteer_find_ranks_by_context_and_shows_the_choice_first(pipeline):
    args = ["gazetteer", "find", "Edmonton", "--json", "--limit", "3"]
    alone = json.loads(CliRunner().invoke(main, args).output)
    assert alone[0]["chosen"] and alone[0]["country"] == "CA"
    story = "Pupils from a school in Edmonton, near Enfield in north London, planted a garden."
    result = CliRunner().invoke(main, [*args, "--context", story])
    rows = json.loads(result.output)
    assert rows[0]["chosen"] and rows[0]["country"] == "GB"
    assert "geo:doc_country=GB" in rows[0]["reasons"]
    assert not any(r["chosen"] for r in rows[1:])
    table = CliRunner().invoke(main, ["gazetteer", "find", "Izyum", "--limit", "2"])
    assert table.exit_code == 0 and "Izium" in table.output and "choice" in table.output
