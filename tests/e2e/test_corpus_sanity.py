"""The whole dev corpus through the real pipeline: the events must be sensible as an analyst reads them."""
from __future__ import annotations

import json

import pytest

from frontlines.events import taxonomy as tx
from frontlines.ingest import read_sources
from frontlines.pipeline import split_results
from frontlines.temporal import month_span

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def coded(shared_dir, pipeline):
    path = shared_dir / "corpus" / "war_news_dev.jsonl"
    kinds = {json.loads(line)["id"]: json.loads(line)["kind"] for line in path.open(encoding="utf-8")}
    articles, problems = split_results(read_sources([str(path)]))
    results = list(pipeline.process(articles))
    return kinds, results, problems


def test_undated_reports_are_named_problems_not_guesses(coded):
    _kinds, results, problems = coded
    assert problems and all(p.code == "E105" and "war_news_dev.jsonl:" in p.origin for p in problems)
    assert len(results) + len(problems) == 137


def test_war_reports_yield_events_and_off_topic_ones_do_not(coded):
    kinds, results, _ = coded
    war = [r for r in results if kinds[r.article.meta["id"]] == "war"]
    assert sum(1 for r in war if r.events) / len(war) >= 0.85
    off_topic = [r for r in results if kinds[r.article.meta["id"]] in
                 ("negative_election", "negative_disaster", "negative_economy")]
    for r in off_topic:
        assert r.events == [], [(e.sub_event_type, e.evidence[0]["sentence"][:80]) for e in r.events]


def test_every_event_is_well_formed(coded):
    _kinds, results, _ = coded
    n = 0
    for r in results:
        for e in r.events:
            n += 1
            st = tx.sub_event(e.sub_event_type)
            assert e.event_type == st.event_type and e.disorder_type == st.disorder_type
            latest = r.article.date
            if r.article.date_reason == "date:month_only":     # the date stands for its whole month
                latest = month_span(latest.year, latest.month)[1]
            assert e.event_date <= latest.isoformat(), (e.event_date, e.notes)
            assert e.time_precision in (1, 2, 3)
            assert e.claim_status in ("reported", "claimed", "disputed", "denied")
            if e.latitude is not None:
                assert -90 <= e.latitude <= 90 and -180 <= e.longitude <= 180 and e.geo_precision in (1, 2, 3)
            if e.interaction is not None:
                assert e.interaction == tx.interaction(e.inter1, e.inter2)
            assert e.fatalities >= 0 and 0 < e.confidence <= 1
            for ev in e.evidence:
                if ev["article_id"]:
                    assert r.article.text[ev["start"]:ev["end"]] == ev["sentence"]
            assert e.reasons and e.notes
    assert n >= 150
