"""The terminal table fits the terminal; parquet export from the command line."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import serve_fixture  # noqa: E402

from frontlines.cli import events_table, main, short_actor  # noqa: E402
from frontlines.store import open_store  # noqa: E402


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("table") / "t.db"
    serve_fixture.build(path, n_random=30)
    return path


def _render(events, width: int, layout: str = "table") -> list[str]:
    console = Console(width=width, record=True, color_system=None)
    console.print(events_table(events, layout=layout, width=width))
    return console.export_text().rstrip("\n").splitlines()


@pytest.mark.parametrize("width", [80, 100, 119])
def test_compact_layout_is_one_line_an_event_within_the_width(db, width):
    with open_store(db) as store:
        events = list(store.iter_events())
    lines = _render(events, width)
    assert max(len(line) for line in lines) <= width
    body = [line for line in lines[2:] if line.strip()]
    assert len(body) == len(events)                       # nothing wrapped onto a second line
    assert lines[0].split() == ["id", "date", "type", "place", "actors", "dead"]
    row = next(line for line in body if line.startswith(serve_fixture.DISPUTED_EVENT))
    assert "Clash?" in row and "Balakliia" in row and "Russia v Ukraine" in row


def test_wide_layout_when_the_terminal_is_wide(db):
    with open_store(db) as store:
        events = list(store.iter_events(limit=3))
    lines = _render(events, 160)
    assert "claimed by" in lines[1] or "claimed by" in "\n".join(lines[:3])
    assert "evidence" in "\n".join(lines[:3])


def test_short_actor_names():
    assert short_actor("Military Forces of Russia (2000-)") == "Russia"
    assert short_actor("Police Forces of Ukraine (2019-)") == "Ukraine pol."
    assert short_actor("Civilians (Ukraine)") == "civilians"
    assert short_actor("Wagner Group") == "Wagner Group"
    assert short_actor("") == ""


def test_export_parquet(db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "events.parquet"
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    with open_store(db) as store:
        assert table.num_rows == store.count_events()
    row = next(r for r in table.to_pylist() if r["event_id"] == serve_fixture.DISPUTED_EVENT)
    assert row["article_refs"] == [] and len(row["evidence"]) == 2 and row["evidence"][1]["trigger"] == "captured"
    assert str(row["event_date"]) == "2022-09-10"
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "parquet"])
    assert result.exit_code == 2 and "-o" in result.output
