"""The founding example: what a careful reader learns from the Kharkiv report must come out as events."""
from __future__ import annotations

import datetime as dt
import math

import pytest

from frontlines.ingest import read_sources
from frontlines.records import Article

pytestmark = pytest.mark.e2e

ARTICLE_DATE = "2022-09-12"
TOWNS = {"Izyum": (49.21, 37.26), "Kupyansk": (49.71, 37.62), "Balakleya": (49.46, 36.86)}


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def seed(shared_dir, pipeline):
    items = list(read_sources([str(shared_dir / "corpus" / "seed-2022-09-12-kharkiv.txt")]))
    assert len(items) == 1 and isinstance(items[0], Article)
    article = items[0]
    assert article.date == dt.date(2022, 9, 12)
    return article, pipeline.code_article(article).events


def near(ev, town, tol_km=12):
    lat, lon = TOWNS[town]
    return ev.latitude is not None and km(ev.latitude, ev.longitude, lat, lon) <= tol_km


def evidence_text(ev):
    return " ".join(e["sentence"] for e in ev.evidence)


def test_offensive_launched_six_days_ago(seed):
    _a, events = seed
    hits = [e for e in events if e.event_type == "Battles" and e.event_date == "2022-09-06"]
    assert hits, [e.notes for e in events]
    ev = hits[0]
    assert ev.actor1 == "Military Forces of Ukraine (2019-)"
    assert ev.actor2 == "Military Forces of Russia (2000-)"
    assert ev.admin1 == "Kharkiv Oblast"


@pytest.mark.parametrize("town", ["Izyum", "Kupyansk"])
def test_control_changes_one_event_per_town(seed, town):
    _a, events = seed
    hits = [e for e in events if near(e, town) and e.sub_event_type in
            ("Government regains territory", "Non-violent transfer of territory")]
    assert len(hits) == 1, [(e.location, e.sub_event_type) for e in events]
    ev = hits[0]
    assert ev.event_date == "2022-09-10"
    assert ev.geo_precision in (1, 2)
    assert "Oskil" in ev.tags            # the new line on the river is recorded


def test_regrouping_from_near_balakleya_announced_by_the_ministry(seed):
    # "it was decided to regroup the Russian forces stationed near Balakleya": a decision to move
    # troops, coded as ACLED's Change to group/activity (news-events ANNOTATION.md: a withdrawal
    # order is not yet a change of control, so Balakleya does not change hands on it)
    _a, events = seed
    hits = [e for e in events if near(e, "Balakleya") and e.sub_event_type == "Change to group/activity"]
    assert hits, [(e.location, e.sub_event_type) for e in events]
    assert not [e for e in events if near(e, "Balakleya") and e.sub_event_type in
                ("Non-violent transfer of territory", "Government regains territory")]
    ev = hits[0]
    assert ev.geo_precision == 2                       # "near Balakleya"
    assert "Ministry of Defence of Russia" in ev.claimed_by
    assert ev.actor1 == "Military Forces of Russia (2000-)"


def test_missile_strikes_on_power_plants_with_blackouts_and_restoration(seed):
    _a, events = seed
    hits = [e for e in events if e.target_category == "energy infrastructure"]
    assert len(hits) == 1, [e.notes for e in hits]
    ev = hits[0]
    assert ev.event_date == "2022-09-11" and ev.time_precision == 1
    assert (ev.event_type, ev.sub_event_type) == ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert ev.actor1 == "Military Forces of Russia (2000-)"
    assert "power plants" in ev.target
    assert "blackouts" in ev.tags
    assert "restored by 2022-09-12" in ev.tags


def test_isw_claim_with_area_and_depth(seed):
    _a, events = seed
    hits = [e for e in events if "Institute for the Study of War" in e.claimed_by]
    assert hits
    quantities = {(q["value"], q["unit"]) for e in hits for q in e.quantities}
    assert (3000, "km2") in quantities and (70, "km") in quantities
    assert all(e.claim_status in ("claimed", "disputed") for e in hits)


def test_both_sides_claim_thousands_of_enemy_losses(seed):
    _a, events = seed
    hits = [e for e in events if "losses" in evidence_text(e) and e.claim_status == "disputed"]
    claimants = {e.claimed_by for e in hits}
    assert any("Russia" in c for c in claimants) and any("Ukraine" in c for c in claimants), claimants
    for e in hits:
        assert any(q["value"] >= 1000 for q in e.quantities)


def test_a_statement_of_strategy_is_no_change_of_control(seed):
    # "Moscow said its troops were 'regrouping' and focusing on the 'liberation' of Luhansk and
    # Donetsk": neither region changed hands that day, and a goal is not where troops regrouped
    _a, events = seed
    for e in events:
        if "liberation" in evidence_text(e):
            assert e.sub_event_type not in ("Non-violent transfer of territory", "Government regains territory",
                                            "Non-state actor overtakes territory"), e.notes
    assert not [e for e in events if e.location in ("Luhansk", "Donetsk") or e.admin1 in ("Luhansk", "Donetsk")], \
        [(e.sub_event_type, e.location, e.notes) for e in events]


def test_regrouping_statement_attributed_to_ministry_and_spokesman(seed):
    _a, events = seed
    hits = [e for e in events if "regroup" in evidence_text(e).lower()]
    assert hits
    claimed = " ".join(e.claimed_by for e in hits)
    assert "Ministry of Defence of Russia" in claimed and "Konashenkov" in claimed


def test_nothing_after_the_article_date_and_no_background_stamped_today(seed):
    _a, events = seed
    for e in events:
        assert e.event_date <= ARTICLE_DATE
        text = evidence_text(e)
        if "Feb. 24" in text or "2014" in text or "Maidan" in text:
            assert e.event_date != ARTICLE_DATE, e.notes


def test_evidence_offsets_point_into_the_article(seed):
    article, events = seed
    assert events
    for e in events:
        assert e.evidence
        for ev in e.evidence:
            assert article.text[ev["start"]:ev["end"]] == ev["sentence"]
        assert e.reasons and e.notes and e.event_id
        assert 0 < e.confidence <= 1
        assert e.plover_event and e.cameo_root
