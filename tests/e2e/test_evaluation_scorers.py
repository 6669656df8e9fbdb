"""The three scorers on small, evenly spread samples of the real gold sets (read from ../shared).

They assert the output contract and floors a working coder clears with room to spare;
a broken coder (no events, wrong labels, wrong dates) falls under them.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontlines.evaluation.cli import eval_event_type, eval_plover, eval_ucdp

pytestmark = pytest.mark.e2e

BENCH = Path(__file__).resolve().parents[2].parent / "shared" / "bench"
CASE = BENCH / "event-type" / "case2021-task2-dev.tsv"
UCDP = BENCH / "ucdp-ged-ukraine" / "ucdp-ged-ukraine.csv"
PLOVER = BENCH / "plover" / "PLOVER_GSR_CAMEO.json"


def _run(command, path: Path, *args: str) -> dict:
    if not path.exists():
        pytest.skip(f"{path} not present")
    result = CliRunner().invoke(command, ["--data", str(path), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _fraction(x) -> bool:
    return isinstance(x, (int, float)) and 0.0 <= x <= 1.0


def test_event_type_sample():
    out = _run(eval_event_type, CASE, "--limit", "40")
    assert out["n"] == 40
    for key in ("weighted_f1", "macro_f1", "false_event_rate", "detection_rate", "accuracy_acled"):
        assert _fraction(out[key]), key
    assert out["weighted_f1"] > 0.2          # a coder that codes nothing, or the wrong types, scores ~0
    assert out["detection_rate"] > 0.3
    assert out["false_event_rate"] < 0.8     # the non-ACLED snippets must not all yield events
    assert {c["label"] for c in out["per_class"]} >= {"ARMED_CLASH", "PEACE_PROTEST", "ARREST"}


def test_event_type_table_output():
    if not CASE.exists():
        pytest.skip(f"{CASE} not present")
    result = CliRunner().invoke(eval_event_type, ["--data", str(CASE), "--limit", "10"])
    assert result.exit_code == 0, result.output
    assert "weighted F1" in result.output and "top errors" in result.output


def test_ucdp_sample(tmp_path):
    dump = tmp_path / "rows.jsonl"
    out = _run(eval_ucdp, UCDP, "--limit", "30", "--dump", str(dump))
    assert out["n"] == 30
    for key in ("date_exact", "within_25km", "fatalities_exact", "coverage"):
        assert _fraction(out[key]), key
    assert out["median_km"] is None or out["median_km"] >= 0
    assert out["coverage"] > 0.2                       # headlines with "killed", "shelling" yield events
    assert out["given_event"]["date_exact"] > 0.3      # dated from the source date, not at random
    rows = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 30 and {"date_ok", "km", "fatalities_ok", "event"} <= set(rows[0])


def test_plover_sample():
    out = _run(eval_plover, PLOVER, "--limit", "40")
    assert out["n"] == 40
    for key in ("accuracy", "accuracy_reachable", "false_event_rate"):
        assert _fraction(out[key]), key
    assert out["accuracy_reachable"] > 0.0     # some ASSAULT / PROTEST sentences are coded right
    assert len(out["mapping"]) == 25
    assert all(d["status"] in ("agree", "partial", "disagree", "unmapped") for d in out["mapping"])
