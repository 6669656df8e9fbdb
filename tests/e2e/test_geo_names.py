"""Place names in ACLED's convention and named sites, on the real built index.

The sentences are written for these tests."""
from __future__ import annotations

import pytest

from frontlines.geo.normalize import normalize_name

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def gaz():
    from frontlines.geo import open_gazetteer

    return open_gazetteer()


@pytest.fixture(scope="module")
def gp(gaz):
    from frontlines.geo import Geoparser

    return Geoparser(gaz)


def _place(gp, text, surface):
    tops = [t for t in gp.parse(text) if t.text == surface]
    assert tops and tops[0].place is not None, [(t.text, t.place and t.place.name) for t in gp.parse(text)]
    return tops[0].place


@pytest.mark.parametrize("text, surface, name, admin1", [
    ("Shelling hit Zaporizhzhya on Monday.", "Zaporizhzhya", "Zaporizhzhia", "Zaporizhzhia Oblast"),
    ("Shelling hit Vinnytsya on Monday.", "Vinnytsya", "Vinnytsia", "Vinnytsia Oblast"),
    ("Shelling hit Makiyivka on Monday.", "Makiyivka", "Makiivka", "Donetsk Oblast"),
    ("Fighting went on in Severodonetsk and Lysychansk.", "Severodonetsk", "Sievierodonetsk", "Luhansk Oblast"),
    ("Two strikes hit Kostyantynivka, west of Bakhmut.", "Kostyantynivka", "Kostiantynivka", "Donetsk Oblast"),
    ("Troops left Izyum and Kupyansk in September.", "Izyum", "Izium", "Kharkiv Oblast"),
    ("A drone hit an oil depot in Ryazan on Tuesday.", "Ryazan", "Ryazan", "Ryazan Oblast"),
    ("Air defence was active over the Belgorod region.", "Belgorod region", "Belgorod Oblast", "Belgorod Oblast"),
])
def test_places_take_acled_names_whatever_the_spelling(gp, text, surface, name, admin1):
    p = _place(gp, text, surface)
    assert (p.name, p.admin1) == (name, admin1)


def test_old_spellings_still_find_the_place(gaz):
    for old, new in (("Belgorodskaya oblast'", "Belgorod Oblast"), ("Zaporizhzhya", "Zaporizhzhia"),
                     ("Siverskodonetsk", "Sievierodonetsk"), ("Ryazan'", "Ryazan"),
                     ("Zaporizhia", "Zaporizhzhia Oblast")):
        assert new in {c.place.name for c in gaz.candidates(old, 10)}, old


def test_bare_name_of_a_city_and_its_oblast_is_the_city(gp):
    p = _place(gp, "In Kherson, a shell killed a woman in the street.", "Kherson")
    assert p.feature == "settlement" and p.admin1 == "Kherson Oblast"


@pytest.mark.parametrize("text, surface, settlement, site", [
    ("Shelling hit the Zaporizhzhia nuclear power plant again.", "Zaporizhzhia nuclear power plant",
     "Enerhodar", "Zaporizhzhia nuclear power plant"),
    ("Defenders held out in the Azovstal steelworks for weeks.", "Azovstal steelworks", "Mariupol", "Azovstal"),
    ("The Kakhovka dam was blown up before dawn.", "Kakhovka dam", "Nova Kakhovka", "Kakhovka dam"),
    ("A drone hit the Engels-2 airbase overnight.", "Engels-2 airbase", "Engels", "Engels air base"),
    ("Strikes closed the Antonivskyi bridge to traffic.", "Antonivskyi bridge", "Antonivka", "Antonivskyi Bridge"),
    ("Paratroopers landed at Hostomel airport at dawn.", "Hostomel airport", "Hostomel", "Hostomel airport"),
])
def test_named_sites_are_placed_at_their_settlements(gp, text, surface, settlement, site):
    p = _place(gp, text, surface)
    assert (p.name, p.site, p.feature) == (settlement, site, "facility")


def test_every_listed_site_found_its_settlement(gaz):
    from frontlines.geo.build import DATA_DIR, _read_tsv

    for row in _read_tsv(DATA_DIR / "facilities.tsv"):
        key, settlement, names = row[0], row[5], row[9]
        display = names.split("|")[0] if names else None
        found = [c for c in gaz.candidates(display, 25) if c.note.startswith(f"facility:{key}:")] if display else []
        assert found, key
        if settlement:
            assert normalize_name(found[0].place.name) == normalize_name(settlement) or \
                found[0].place.name == settlement, (key, found[0].place.name)


def test_a_village_the_news_made_known_is_in_the_gazetteer(gp):
    p = _place(gp, "The blast happened near grain dryers in the village of Przewodów.", "Przewodów")
    assert (p.country, p.admin1) == ("Poland", "Lublin Voivodeship")


def test_a_hromada_named_the_russian_way_is_in_ukraine(gp):
    p = _place(gp, "An elevator in the Konstantinovskaya community was also shelled.", "Konstantinovskaya community")
    assert (p.feature, p.admin1, p.admin3) == ("admin3", "Donetsk Oblast", "Kostiantynivska")


def test_an_event_in_a_hromada_takes_its_seats_name(gp):
    # ACLED names the place of an event reported for a hromada after the hromada's seat
    p = _place(gp, "Shells hit a school in the Kostiantynivka hromada overnight.", "Kostiantynivka hromada")
    assert (p.name, p.feature, p.admin3) == ("Kostiantynivka", "admin3", "Kostiantynivska")


@pytest.mark.parametrize("text, surface, name, admin1", [
    ("In Donetsk Oblast a private house in Paraskoveevka was hit.", "Paraskoveevka", "Paraskoviivka", "Donetsk Oblast"),
    ("Shelling in Bakhmut and Soledar killed one man in Galitsinovka.", "Galitsinovka", "Halytsynivka",
     "Donetsk Oblast"),
    ("One civilian was killed in Bakhmut and one in Vodyany.", "Vodyany", "Vodiane", "Donetsk Oblast"),
    ("Russian troops pushed toward Kleshcheevka south of Bakhmut.", "Kleshcheevka", "Klishchiivka", "Donetsk Oblast"),
])
def test_a_russian_style_spelling_finds_the_ukrainian_settlement(gp, text, surface, name, admin1):
    p = _place(gp, text, surface)
    assert (p.name, p.admin1) == (name, admin1)


def test_the_province_before_a_village_picks_the_village_of_that_province(gp):
    p = _place(gp, "A missile hit a cafe in the Kharkiv Oblast village of Hroza; one victim had lived in Dnipro.",
               "Hroza")
    assert (p.admin1, p.admin2) == ("Kharkiv Oblast", "Kupianskyi")


def test_only_the_capital_city_is_a_capital(gaz):
    # Washington, DC is the capital; the county seats called Washington are towns
    cands = [c for c in gaz.candidates("Washington", 40) if c.place.iso2 == "US"
             and c.place.feature in ("settlement", "capital")]
    capitals = [c.place.admin1 for c in cands if c.place.feature == "capital"]
    assert capitals == ["District of Columbia"] and len(cands) > 3


def test_a_world_city_is_known_by_more_names_than_its_namesakes(gaz):
    venice = {c.place.iso2: c.names for c in gaz.candidates("Venice", 20) if c.place.feature == "settlement"}
    assert venice["IT"] >= 3 * venice["US"]
