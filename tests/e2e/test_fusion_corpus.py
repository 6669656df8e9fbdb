"""Fusion and control on the real dev corpus (loads spaCy; reads ../shared)."""
from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fused(shared_dir, pipeline, tmp_path_factory):
    from frontlines.fusion import fuse_article
    from frontlines.ingest import read_sources
    from frontlines.pipeline import split_results
    from frontlines.store import open_store

    corpus = shared_dir / "corpus" / "war_news_dev.jsonl"
    if not corpus.exists():
        pytest.skip("dev corpus missing")
    articles, _problems = split_results(read_sources([str(corpus)], default_date=dt.date(2023, 1, 1)))
    store = open_store(tmp_path_factory.mktemp("fusion") / "dev.db")
    coded = 0
    for result in pipeline.process(articles):
        store.add_article(result.article, result.events)
        coded += len(result.events)
        fuse_article(store, result.article.article_id)
    yield store, coded
    store.close()


def _ids(store):
    return sorted((e.event_id, tuple(e.article_ids)) for e in store.iter_events())


def test_fusion_reduces_and_is_idempotent(fused):
    from frontlines.fusion import fuse_all

    store, coded = fused
    after = store.count_events()
    assert after < coded
    multi = [e for e in store.iter_events() if len(e.article_ids) > 1]
    assert len(multi) >= 20
    assert all("independent sources=" in e.tags for e in store.iter_events())
    before = _ids(store)
    report = fuse_all(store)
    assert report.events_before == coded and report.events_after == after
    assert _ids(store) == before


def test_control_matches_public_record(fused):
    from frontlines.control import timeline

    store, _ = fused
    public = {"Izium": "2022-09-10", "Lyman": "2022-10-01", "Kherson": "2022-11-11", "Balakliia": "2022-09-08",
              "Robotyne": "2023-08-28"}
    for place, day in public.items():
        changes = [c for c in timeline(store, place) if c.controller == "Ukraine"]
        assert changes, place
        got = dt.date.fromisoformat(changes[0].date)
        assert abs((got - dt.date.fromisoformat(day)).days) <= 1, (place, got)


@pytest.mark.parametrize("typed, usual", [("Izium", "Izyum"), ("Ізюм", "Izyum"), ("izyum", "Izyum"),
                                          ("Balakliia", "Balakliya"), ("Balakleya", "Balakliya")])
def test_control_answers_any_spelling(fused, typed, usual):
    from frontlines.control import timeline

    store, _ = fused
    changes = timeline(store, typed)
    assert changes and changes == timeline(store, usual)


def test_only_settlements_have_control_timelines(fused):
    from frontlines.control import SETTLEMENT_FEATURES, SettlementCheck, all_timelines, find_place
    from frontlines.geo.gazetteer import open_gazetteer

    store, _ = fused
    check = SettlementCheck(open_gazetteer())
    lines = all_timelines(store, include_guessed_dates=True)
    assert lines
    for changes in lines.values():
        place = check.place_of(store.get_event(changes[0].event_ids[0]))
        assert place is not None and place.feature in SETTLEMENT_FEATURES, changes[0]
    river = find_place(store, "Dnipro River", include_guessed_dates=True)
    assert river.status == "control:not_a_settlement" and river.changes == []


def test_fused_events_carry_every_users_id(fused):
    from frontlines.export import event_record

    store, _ = fused
    refs = store.article_refs()
    multi = [e for e in store.iter_events() if len(e.article_ids) > 1]
    assert multi
    for e in multi:
        wanted = list(dict.fromkeys(store.get_article(a).meta["id"] for a in e.article_ids))
        assert event_record(e, refs)["article_refs"] == wanted
        assert all(r.startswith("dev-") for r in wanted)
