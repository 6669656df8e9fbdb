"""Sites (power plants, bridges, airports, stations) and acronyms: a hand-built gazetteer, no model.

The sentences are written for these tests."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from frontlines.geo import MemoryGazetteer
from frontlines.geo import build
from frontlines.geo.geoparse import FACILITY_WEIGHT, Geoparser
from frontlines.records import Place


def _ua(name, lat, lon, pop, gid, a1code, admin1, feature="settlement", **kw):
    return Place(geonameid=gid, name=name, latitude=lat, longitude=lon, feature=feature,
                 country="Ukraine", iso2="UA", iso=804, admin1=admin1, population=pop, **kw)


@pytest.fixture(scope="module")
def gaz() -> MemoryGazetteer:
    g = MemoryGazetteer()
    g.add(Place(690791, "Ukraine", 49.0, 32.0, "country", "Ukraine", "UA", 804, population=40_000_000))
    g.add(Place(6252001, "United States", 39.8, -98.5, "country", "United States", "US", 840,
                population=327_000_000), ["US", "U.S."])
    g.add(Place(2971316, "Us", 49.1, 1.97, "settlement", "France", "FR", 250, population=1_248))
    g.add(Place(1697384, "Oas", 13.26, 123.5, "settlement", "Philippines", "PH", 608, population=64_890))
    g.add(Place(479561, "Ufa", 54.74, 55.97, "settlement", "Russia", "RU", 643, population=1_100_000))
    g.add(Place(2017370, "Russia", 60.0, 100.0, "country", "Russia", "RU", 643, population=144_000_000))
    g.add(_ua("Zaporizhzhia", 47.82, 35.19, 710_052, 687700, "UA.26", "Zaporizhzhia Oblast"),
          ["Zaporizhzhya", "Zaporozhye"], a1code="UA.26")
    g.add(_ua("Enerhodar", 47.49, 34.66, 52_887, 709276, "UA.26", "Zaporizhzhia Oblast"),
          ["Energodar"], a1code="UA.26")
    # a listed site: the place is the settlement it belongs to, the site is kept
    g.add(_ua("Enerhodar", 47.512, 34.586, 100_000, 709276, "UA.26", "Zaporizhzhia Oblast",
              feature="facility", site="Zaporizhzhia nuclear power plant"),
          ["Zaporizhzhia nuclear power plant", "Zaporozhye nuclear plant", "ZNPP"], a1code="UA.26",
          note="facility:zaporizhzhia_npp:own")
    g.add(_ua("Kherson", 46.64, 32.61, 290_000, 706448, "UA.08", "Kherson Oblast"), [], a1code="UA.08")
    g.add(_ua("Chornobaivka", 46.70, 32.55, 8_954, 710715, "UA.08", "Kherson Oblast"), [], a1code="UA.08")
    g.add(_ua("Chornobaivka", 46.676, 32.507, 100_000, 710715, "UA.08", "Kherson Oblast",
              feature="facility", site="Chornobaivka airfield"),
          ["Chornobaivka airfield", "Kherson airport"], a1code="UA.08", note="facility:chornobaivka_airfield:own")
    g.add(_ua("Kramatorsk", 48.73, 37.57, 147_145, 704508, "UA.05", "Donetsk Oblast"), [], a1code="UA.05")
    g.add(_ua("Kremenchuk", 49.06, 33.41, 224_997, 704147, "UA.18", "Poltava Oblast"), [], a1code="UA.18")
    g.add(_ua("Dnipro", 48.45, 34.98, 968_502, 709930, "UA.04", "Dnipropetrovsk Oblast"), [], a1code="UA.04")
    g.add(_ua("Chaplyne", 48.13, 36.23, 3_700, 710932, "UA.04", "Dnipropetrovsk Oblast"), [], a1code="UA.04")
    g.add(_ua("Lozova", 48.89, 36.32, 54_000, 702972, "UA.07", "Kharkiv Oblast"), [], a1code="UA.07")
    g.add_demonym("Russian", "RU")
    return g


@pytest.fixture(scope="module")
def gp(gaz) -> Geoparser:
    return Geoparser(gaz)


def _one(tops, surface):
    found = [t for t in tops if t.text == surface]
    assert len(found) == 1, [(t.text, t.place and t.place.name) for t in tops]
    return found[0]


# ------------------------------------------------------------------------- listed sites
def test_listed_site_is_placed_at_its_settlement_not_its_namesake(gp):
    text = "Shelling hit the Zaporizhzhia nuclear power plant overnight, the operator said."
    t = _one(gp.parse(text), "Zaporizhzhia nuclear power plant")
    assert t.place.name == "Enerhodar" and t.place.site == "Zaporizhzhia nuclear power plant"
    assert t.place.admin1 == "Zaporizhzhia Oblast" and t.place.geonameid == 709276
    assert "geo:facility" in t.reasons and "geo:site=zaporizhzhia_npp" in t.reasons
    assert t.geo_precision == 1


def test_listed_site_by_another_spelling_and_by_acronym(gp):
    text = "Inspectors reached the Zaporozhye nuclear plant; the ZNPP has lost power twice."
    tops = gp.parse(text)
    assert _one(tops, "Zaporozhye nuclear plant").place.name == "Enerhodar"
    assert _one(tops, "ZNPP").place.site == "Zaporizhzhia nuclear power plant"


def test_possessive_site_name_is_the_listed_site(gp):
    # "Kherson's airport" is the Chornobaivka airfield, not Kherson city
    t = _one(gp.parse("Artillery fire was heard near Kherson's airport on Sunday."), "Kherson")
    assert t.place.name == "Chornobaivka" and t.place.site == "Chornobaivka airfield"
    assert "geo:named_site" in t.reasons


# ------------------------------------------------------------------------- "<Settlement> <kind>"
@pytest.mark.parametrize("text, surface, site", [
    ("A missile hit the Kramatorsk railway station on Friday.", "Kramatorsk", "Kramatorsk railway station"),
    ("A missile hit the Kramatorsk Railway Station on Friday.", "Kramatorsk", "Kramatorsk railway station"),
    ("Drones struck Dnipro's thermal power plant before dawn.", "Dnipro", "Dnipro thermal power plant"),
    ("Fires burned at the Kremenchuk oil refinery for a day.", "Kremenchuk", "Kremenchuk oil refinery"),
])
def test_site_of_a_settlement_resolves_to_the_settlement(gp, text, surface, site):
    t = _one(gp.parse(text), surface)
    assert t.place.feature == "settlement" and t.place.site == site
    assert "geo:facility_of_settlement" in t.reasons


def test_ner_span_holding_the_site_words_resolves_to_its_settlement(gp):
    text = "Fires burned at the Kremenchuk oil refinery for a day."
    start = text.index("Kremenchuk")
    end = text.index(" for")
    t = _one(gp.parse(text, [(start - 4, end, "FAC")]), "Kremenchuk oil refinery")
    assert t.place is not None and t.place.name == "Kremenchuk"
    assert t.place.site == "Kremenchuk oil refinery"


def test_a_site_phrase_is_a_locative_cue_for_a_small_place(gp):
    # without "in"/"near", a village is not taken for a place ...
    assert not [t for t in gp.parse("Officials said Chaplyne was quiet.") if t.text == "Chaplyne"]
    # ... but its railway station makes it one
    t = _one(gp.parse("Officials said Chaplyne railway station was hit."), "Chaplyne")
    assert t.place.name == "Chaplyne" and t.place.site == "Chaplyne railway station"


def test_site_word_favours_the_settlement_reading(gp):
    plain = "Officials in Lozova said so."
    site = "Officials in Lozova railway station said so."
    s0 = {c.place.feature: s for c, s, _ in gp.explain(plain, plain.index("Lozova"), plain.index("Lozova") + 6)}
    rows = gp.explain(site, site.index("Lozova"), site.index("Lozova") + 6)
    s1 = {c.place.feature: s for c, s, _ in rows}
    assert s1["settlement"] == pytest.approx(s0["settlement"] + FACILITY_WEIGHT)
    assert "geo:facility_word" in rows[0][2]


def test_plural_or_unrelated_noun_is_not_a_site(gp):
    t = _one(gp.parse("Officials in Kramatorsk ports said nothing."), "Kramatorsk")
    assert t.place.site == ""


# ------------------------------------------------------------------------- acronyms
def test_acronym_is_not_the_village_of_that_name(gp):
    text = "The US and its allies sent more aid on Monday."
    t = _one(gp.parse(text, [(4, 6, "GPE")]), "US")
    assert t.place.name == "United States"
    assert "geo:acronym_not_village" in t.reasons


def test_acronym_with_only_a_village_reading_stays_unresolved(gp):
    text = "Diplomats at the OAS met on Monday."
    t = _one(gp.parse(text, [(17, 20, "GPE")]), "OAS")
    assert t.place is None


def test_dateline_in_capitals_is_a_place(gp):
    text = "UFA, Russia (AP) -- Protesters gathered in the city centre."
    t = _one(gp.parse(text, [(0, 3, "GPE"), (5, 11, "GPE")]), "UFA")
    assert t.place is not None and t.place.name == "Ufa"


# ------------------------------------------------------------------------- the builder
def _tsv(path: Path, rows: list[str]) -> None:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_builder_places_each_site_at_its_settlement(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "DATA_DIR", tmp_path)
    _tsv(tmp_path / "facility_kinds.tsv", ["air base\tair_base\tyes", "airfield\tair_base\tyes"])
    _tsv(tmp_path / "facilities.tsv", [
        # two settlements called Engels: the one nearest the site's point is taken
        "engels_ab\tair_base\t51.48\t46.21\town\tEngels\tRU-SAR\tRU\tEngels\tEngels air base|Engels-2",
        # no point known: the settlement's point, and the file says so
        "lozova_ab\tair_base\t\t\tsettlement\tLozova\tUA-63\tUA\tLozova\tLozova air base",
        # no settlement given: the nearest of 1,000 people or more
        "far_ab\tair_base\t48.95\t36.35\town\t\t\tUA\t\tFar Field",
    ])
    con = sqlite3.connect(":memory:")
    con.executescript(build.SCHEMA)
    b = build._Builder(con)
    b.add_place(geonameid=563464, name="Engels", lat=51.484, lon=46.105, feature="settlement", cc="RU",
                a1code="RU.67", admin1="Saratov Oblast", population=196_011)
    b.add_place(geonameid=1, name="Engels", lat=44.0, lon=40.0, feature="settlement", cc="RU",
                a1code="RU.38", admin1="Krasnodar Krai", population=500_000)
    b.add_place(geonameid=702972, name="Lozova", lat=48.89, lon=36.32, feature="settlement", cc="UA",
                a1code="UA.07", admin1="Kharkiv Oblast", admin2="Lozivskyi", population=54_000)
    n = build._facilities(b, {"RU-SAR": "RU.67", "UA-63": "UA.07"}, {"UA.07": "Kharkiv Oblast"})
    b.flush()
    assert n == 3
    rows = {r[3]: r for r in con.execute("SELECT geonameid, name, lat, site, note, admin1, admin2 FROM place "
                                         "WHERE feature = 'facility'")}
    assert rows["Engels air base"][:3] == (563464, "Engels", 51.48)
    assert rows["Lozova air base"][1:3] == ("Lozova", 48.89)
    assert rows["Lozova air base"][4] == "facility:lozova_ab:settlement_point"
    assert rows["Lozova air base"][6] == "Lozivskyi"
    assert rows["Far Field"][1] == "Lozova"
    names = {n for (n,) in con.execute("SELECT n.norm FROM name n JOIN place p ON p.pid = n.pid "
                                       "WHERE p.site = 'Engels air base'")}
    assert {"engels air base", "engels 2", "engels airfield"} <= names


# ------------------------------------------------------------------------- the project's data files
def test_facility_file_is_well_formed():
    kinds = build.facility_kinds()
    a1 = build._admin1_names()
    keys = set()
    for row in build._read_tsv(build.DATA_DIR / "facilities.tsv"):
        assert len(row) == 10, row
        key, kind_list, lat, lon, point, settlement, a1iso, cc, stems, names = row
        assert key not in keys
        keys.add(key)
        assert all(k in kinds for k in kind_list.split("|")), key
        assert point in ("own", "settlement"), key
        assert (point == "own") == bool(lat and lon), key
        if lat:
            assert -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180
        assert len(cc) == 2 and (not a1iso or a1iso.startswith(cc + "-")), key
        assert not a1iso.startswith(("UA-", "RU-")) or a1iso in a1, key
        assert names or stems, key


def test_admin1_names_follow_the_convention():
    a1 = build._admin1_names()
    assert a1["UA-63"][0] == "Kharkiv Oblast" and a1["UA-23"][0] == "Zaporizhzhia Oblast"
    assert a1["RU-BEL"][0] == "Belgorod Oblast" and a1["RU-KDA"][0] == "Krasnodar Krai"
    assert sum(k.startswith("UA-") for k in a1) == 27 and sum(k.startswith("RU-") for k in a1) == 83


# ------------------------------------------------------------------------- names in ACLED's convention
def test_city_and_the_oblast_named_x_oblast_pair_up():
    # the unit's display name carries its class word ("Kherson Oblast"); the bare name still
    # means the city, which holds a fair share of the unit's people
    g = MemoryGazetteer()
    g.add(_ua("Kherson Oblast", 46.8, 33.4, 600_000, 706442, "UA.08", "Kherson Oblast", feature="admin1"),
          ["Kherson"], a1code="UA.08")
    g.add(_ua("Kherson", 46.64, 32.61, 66_000, 706448, "UA.08", "Kherson Oblast"), [], a1code="UA.08")
    t = _one(Geoparser(g).parse("In Kherson, a shell killed a woman in the street."), "Kherson")
    assert t.place.feature == "settlement"
    assert "geo:city_and_namesake_unit" in t.reasons


def test_explain_reads_a_site_query_as_its_settlement(gp):
    # what `frontlines gazetteer find "Kremenchuk oil refinery"` shows
    text = "Kremenchuk oil refinery"
    rows = gp.explain(text, 0, len(text))
    assert rows and rows[0][0].place.name == "Kremenchuk" and "geo:facility_word" in rows[0][2]


def test_listed_site_inside_an_organisation_span_is_kept():
    # the small model reads "The Black Sea Fleet" as an organisation; the listed site is a place
    g = MemoryGazetteer()
    g.add(_ua("Sevastopol", 44.6, 33.52, 547_820, 694423, "UA.20", "Sevastopol"), [], a1code="UA.20")
    g.add(_ua("Sevastopol", 44.616, 33.525, 100_000, 694423, "UA.20", "Sevastopol", feature="facility",
              site="Black Sea Fleet headquarters"), ["Black Sea Fleet headquarters"], a1code="UA.20",
          note="facility:black_sea_fleet_hq:settlement_point")
    text = "The Black Sea Fleet headquarters was struck at noon, the navy said."
    t = _one(Geoparser(g).parse(text, [(0, 19, "ORG")]), "Black Sea Fleet headquarters")
    assert t.place.site == "Black Sea Fleet headquarters" and t.place.name == "Sevastopol"
    # an organisation that is not a listed site still blocks the match
    assert not Geoparser(g).parse("The Black Sea Fleet said so.", [(0, 19, "ORG")])


# ------------------------------------------------------------------------- small namesakes
@pytest.fixture(scope="module")
def gp_namesakes() -> Geoparser:
    g = MemoryGazetteer()
    g.add(Place(690791, "Ukraine", 49.0, 32.0, "country", "Ukraine", "UA", 804, population=40_000_000))
    g.add(_ua("Bakhmut", 48.6, 38.0, 73_000, 712451, "UA.05", "Donetsk Oblast"), [], a1code="UA.05")
    g.add(Place(2287000, "Liga", 6.6, -6.2, "settlement", "Ivory Coast", "CI", 384, population=1_468))
    return Geoparser(g)


def test_a_name_only_a_small_unsupported_namesake_makes_a_place_stays_unresolved(gp_namesakes):
    text = "Ukrainian troops held their lines near Bakhmut in Ukraine, Liga reported on Monday."
    tops = gp_namesakes.parse(text, [(text.index("Liga"), text.index("Liga") + 4, "GPE")])
    assert _one(tops, "Bakhmut").place is not None
    liga = _one(tops, "Liga")
    assert liga.place is None and "geo:unsupported_small_namesake" in liga.reasons


def test_a_locative_cue_keeps_a_small_namesake(gp_namesakes):
    text = "Ukrainian troops held their lines near Bakhmut in Ukraine, and shelling hit Liga on Monday."
    tops = gp_namesakes.parse(text, [(text.index("Liga"), text.index("Liga") + 4, "GPE")])
    assert [t.place.name for t in tops if t.text == "Liga"] == ["Liga"]


# ------------------------------------------------------------------------- datelines
@pytest.fixture(scope="module")
def gp_dateline() -> Geoparser:
    g = MemoryGazetteer()
    g.add(Place(798544, "Poland", 52.0, 19.0, "country", "Poland", "PL", 616, population=38_000_000))
    g.add(Place(None, "Przewodów", 50.474, 23.933, "settlement", "Poland", "PL", 616, population=400),
          ["Przewodow"])
    g.add(Place(703448, "Kyiv", 50.45, 30.52, "capital", "Ukraine", "UA", 804, population=2_900_000))
    g.add(Place(690791, "Ukraine", 49.0, 32.0, "country", "Ukraine", "UA", 804, population=40_000_000))
    return Geoparser(g)


@pytest.mark.parametrize("text, surface, name", [
    ("Przewodow, Poland — A blast killed two farm workers on Tuesday.", "Przewodow", "Przewodów"),
    ("KYIV, Ukraine (AP) -- Air raid sirens sounded at dawn.", "KYIV", "Kyiv"),
])
def test_a_dateline_names_a_place_without_a_locative_cue(gp_dateline, text, surface, name):
    t = _one(gp_dateline.parse(text), surface)
    assert t.place.name == name and "geo:dateline" in t.reasons


def test_the_same_small_name_inside_a_sentence_still_needs_a_cue(gp_dateline):
    assert not [t for t in gp_dateline.parse("Officials said Przewodow was calm.") if t.text == "Przewodow"]


def test_a_small_name_before_its_country_is_a_place_inside_a_sentence(gp_dateline):
    # "Athens, Georgia": the country after a comma says the name before it is a place in it
    t = _one(gp_dateline.parse("Officials said Przewodow, Poland was calm."), "Przewodow")
    assert t.place.name == "Przewodów" and "geo:dateline" not in t.reasons


# ------------------------------------------------------------------------- hromadas named the Russian way
@pytest.mark.parametrize("russian, adjective", [
    ("Константиновка", "Konstantinovskaya"), ("Березнеговатое", "Bereznegovatskaya"),
    ("Славянск", "Slavyanskaya"), ("Курахово", "Kurakhovskaya"), ("Бахмут", "Bakhmutskaya"),
])
def test_russian_adjective_of_a_seat_name(russian, adjective):
    assert adjective in build._russian_adjective_forms(russian)


def test_ukrainian_or_compound_names_make_no_russian_adjective():
    assert build._russian_adjective_forms("Костянтинівка") == set()
    assert build._russian_adjective_forms("Красный Лиман") == set()


def test_community_named_the_russian_way_is_the_hromada():
    g = MemoryGazetteer()
    g.add(Place(None, "Kostiantynivska", 48.53, 37.71, "admin3", "Ukraine", "UA", 804,
                admin1="Donetsk Oblast", admin3="Kostiantynivska"),
          ["Kostiantynivska hromada", "Konstantinovskaya community"], a1code="UA.05", precision=2,
          note="hromada_seat:Kostiantynivka")
    g.add(Place(545276, "Konstantinovskaya", 44.05, 43.16, "settlement", "Russia", "RU", 643,
                population=7_137))
    t = _one(Geoparser(g).parse("Officials said the Konstantinovskaya community was shelled."),
             "Konstantinovskaya community")
    assert t.place.feature == "admin3" and t.place.iso2 == "UA"
