"""The Parquet lake: Hive-style month folders written from hand-built events, read back as the
same events, and read as it is by DuckDB and Polars."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from frontlines.records import Article, Event

pytest.importorskip("pyarrow")

from frontlines.export import LAKE_MARKER, ExportError, read_lake, write_lake  # noqa: E402


def _event(n: int, date: str) -> Event:
    return Event(event_id=f"E{n:04d}", event_date=date, time_precision=1 + n % 2, event_type="Battles",
                 sub_event_type="Armed clash", actor1="Military Forces of Russia (2000-)", inter1=1,
                 country="Ukraine", iso=804, admin1="Donetsk Oblast", location=f"Town {n}", latitude=48.0 + n / 100,
                 longitude=37.5, geo_precision=1, fatalities=n % 4, notes=f"note {n}", source="outlet",
                 tags="a; b", geonameid=700000 + n, article_ids=[f"A{n}"], claimed_by="", confidence=0.65,
                 quantities=[{"value": 3.0, "unit": "km", "of": "advance"}],
                 evidence=[{"article_id": f"A{n}", "sentence": f"Fighting in Town {n}.", "start": 0, "end": 20,
                            "trigger": "Fighting", "trigger_start": 0, "trigger_end": 8}],
                 reasons=["type:trigger"], date_end="", region="Europe")


EVENTS = [_event(1, "2022-09-01"), _event(2, "2022-09-30"), _event(3, "2022-10-02"), _event(4, "2023-01-15"),
          _event(5, "")]


def test_lake_is_partitioned_by_month_and_reads_back(tmp_path):
    lake = tmp_path / "lake"
    manifest = write_lake(EVENTS, lake, article_refs={"A1": "doc-1"})
    assert manifest["rows"] == 5
    assert manifest["partitions"] == {"year=2022/month=09": 2, "year=2022/month=10": 1, "year=2023/month=01": 1,
                                      "year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__": 1}
    files = sorted(p.relative_to(lake).as_posix() for p in lake.rglob("*.parquet"))
    assert files[0] == "year=2022/month=09/part-0.parquet"
    assert json.loads((lake / LAKE_MARKER).read_text())["partition_by"] == ["year", "month"]
    back = list(read_lake(lake))
    want = sorted(EVENTS, key=lambda e: (e.event_date, e.event_id))
    assert [e.to_full_dict() for e in back] == [e.to_full_dict() for e in want]
    assert [e.event_id for e in read_lake(lake, since="2022-09-15", until="2022-10-31")] == ["E0002", "E0003"]


def test_exporting_again_replaces_the_lake_and_refuses_other_folders(tmp_path):
    lake = tmp_path / "lake"
    write_lake(EVENTS, lake)
    write_lake(EVENTS[:1], lake, partition="year")
    assert [p.relative_to(lake).as_posix() for p in lake.rglob("*.parquet")] == ["year=2022/part-0.parquet"]
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(ExportError) as err:
        write_lake(EVENTS, other)
    assert err.value.code == "E603" and (other / "notes.txt").exists()
    with pytest.raises(ExportError) as err:
        list(read_lake(other))
    assert err.value.code == "E604"


def test_duckdb_and_polars_read_the_lake_as_it_is(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    lake = tmp_path / "lake"
    write_lake(EVENTS, lake)
    con = duckdb.connect()
    rows = con.execute(f"SELECT year, month, count(*), sum(fatalities) FROM read_parquet('{lake}/**/*.parquet', "
                       "hive_partitioning = true) WHERE year = '2022' GROUP BY ALL ORDER BY month").fetchall()
    assert [(str(y), str(m), n, f) for y, m, n, f in rows] == [("2022", "09", 2, 3), ("2022", "10", 1, 3)]
    ev = con.execute(f"SELECT evidence[1].sentence, quantities[1].unit FROM read_parquet('{lake}/**/*.parquet', "
                     "hive_partitioning = true) WHERE event_id = 'E0001'").fetchone()
    assert ev == ("Fighting in Town 1.", "km")
    pl = pytest.importorskip("polars")
    frame = pl.scan_parquet(f"{lake}/**/*.parquet", hive_partitioning=True).filter(pl.col("event_id") == "E0004")
    got = frame.select("year", "month", "location").collect().to_dicts()
    assert [(str(r["year"]), str(r["month"]).zfill(2), r["location"]) for r in got] == [("2023", "01", "Town 4")]


def test_cli_exports_a_lake(tmp_path):
    from frontlines.cli import main
    from frontlines.store import open_store

    db = tmp_path / "e.db"
    with open_store(db) as s:
        for e in EVENTS:
            s.add_article(Article(article_id=e.article_ids[0], text=f"text {e.event_id}", date=None), [e])
    runner = CliRunner()
    out = runner.invoke(main, ["export", "--db", str(db), "--format", "parquet", "--partition", "month",
                               "-o", str(tmp_path / "lake")])
    assert out.exit_code == 0, out.output
    assert "in 4 partition(s) by month" in " ".join(out.output.split())
    assert len(list(read_lake(tmp_path / "lake"))) == 5
    bad = runner.invoke(main, ["export", "--db", str(db), "--format", "csv", "--partition", "month", "-o", "x"])
    assert bad.exit_code == 2 and "Parquet lake" in bad.output
