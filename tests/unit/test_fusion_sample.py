"""The hand-checked sample of fused events from the dev corpus (tests/fixtures/fusion_sample_dev.json)."""
from __future__ import annotations

import json
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "fusion_sample_dev.json"


def test_sample_is_complete_and_consistent():
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    rows = doc["sample"]
    assert len(rows) == 50 and len({r["event_id"] for r in rows}) == 50
    for r in rows:
        assert r["duplicate"] in ("", "cross_article", "same_article")
        assert r["note"]
        assert not (r["wrongly_merged"] and r["n_reports"] < 2), "only a join of reports can be wrong"
        assert len(r["corpus_ids"]) == r["n_reports"]
    s = doc["summary"]
    assert s["cross_article_duplicates"] == sum(r["duplicate"] == "cross_article" for r in rows)
    assert s["wrongly_merged"] == sum(r["wrongly_merged"] for r in rows)
    # the measured rates, kept as a floor for regressions
    assert s["cross_article_duplicates"] / 50 <= 0.25
    assert s["wrongly_merged"] / max(1, s["multi_report"]) <= 0.5
