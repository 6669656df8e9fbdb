"""Unit tests for frontlines.geo: a hand-built in-memory gazetteer, no spaCy model."""
from __future__ import annotations

import pytest

from frontlines.errors import GazetteerError
from frontlines.geo import MemoryGazetteer, normalize_name
from frontlines.geo.evaluate import auc_log_error, haversine_km
from frontlines.geo.geoparse import Geoparser, pick_event_location
from frontlines.geo.gazetteer import SQLiteGazetteer
from frontlines.records import Place


def _ua(name, lat, lon, pop, feature="settlement", admin1="Kharkiv", gid=None):
    return Place(geonameid=gid, name=name, latitude=lat, longitude=lon, feature=feature,
                 country="Ukraine", iso2="UA", iso=804, admin1=admin1, population=pop)


@pytest.fixture(scope="module")
def gaz() -> MemoryGazetteer:
    g = MemoryGazetteer()
    g.add(Place(690791, "Ukraine", 49.0, 32.0, "country", "Ukraine", "UA", 804, population=40_000_000))
    g.add(Place(2017370, "Russia", 60.0, 100.0, "country", "Russia", "RU", 643, population=144_000_000))
    g.add(_ua("Kharkiv", 49.78, 36.47, 2_700_000, feature="admin1", gid=706482),
          ["Kharkiv region", "region of Kharkiv", "Kharkiv oblast", "Kharkivska oblast"], a1code="UA.07")
    g.add(_ua("Kharkiv", 49.98, 36.25, 1_421_125, gid=706483), ["Харків", "Kharkov"], a1code="UA.07")
    g.add(_ua("Izyum", 49.207, 37.277, 45_884, gid=707292), ["Izium", "Ізюм", "Изюм"], a1code="UA.07")
    g.add(_ua("Balakliya", 49.456, 36.844, 26_334, gid=712926), ["Balakliia", "Balakleya"], a1code="UA.07")
    g.add(_ua("Balakliia", 49.61, 33.75, 503, admin1="Poltava", gid=712925), ["Balakleya"], a1code="UA.18")
    g.add(_ua("Kupyansk", 49.71, 37.616, 27_169, gid=703656), ["Kupiansk", "Kup'yans'k"], a1code="UA.07")
    g.add(_ua("Hrakove", 49.85, 37.68, 0, gid=None), ["Гракове"], a1code="UA.07", precision=2,
          note="hromada_seat:Dvorichna")
    g.add(_ua("Oskil River", 49.45, 37.65, 50_000, feature="river"), ["Oskil", "Oskol"], a1code="UA.07")
    g.add(_ua("Donbas", 48.3, 38.3, 3_000_000, feature="region", admin1=""), [])
    g.add(_ua("eastern Ukraine", 48.6, 37.5, 2_000_000, feature="region", admin1=""), [])
    g.add(_ua("central Ukraine", 49.0, 32.0, 1_000_000, feature="region", admin1=""), [])
    # common words that are also places somewhere
    g.add(Place(1, "Mobile", 30.69, -88.04, "settlement", "United States", "US", 840,
                admin1="Alabama", population=190_000), [], a1code="US.AL")
    g.add(Place(2, "Reading", 51.45, -0.97, "settlement", "United Kingdom", "GB", 826,
                admin1="England", population=318_000), [], a1code="GB.ENG")
    g.add(Place(3, "Victory", 43.0, -76.0, "settlement", "United States", "US", 840,
                admin1="New York", population=600), [], a1code="US.NY")
    g.add(Place(4, "Vladimir", 56.13, 40.4, "settlement", "Russia", "RU", 643,
                admin1="Vladimir", population=350_000), [], a1code="RU.83")
    g.add_demonym("Russian", "RU")
    g.add_demonym("Ukrainian", "UA")
    return g


@pytest.fixture(scope="module")
def gp(gaz) -> Geoparser:
    return Geoparser(gaz)


def by_text(tops, text):
    return [t for t in tops if t.text == text]


def test_normalize_name_variants():
    assert normalize_name("Kup'yans'k") == normalize_name("Kupyansk") == "kupyansk"
    assert normalize_name("Ivano-Frankivsk") == "ivano frankivsk"
    assert normalize_name("São Paulo") == "sao paulo"
    assert normalize_name("the Donbas") == "donbas"
    assert normalize_name("St. Louis") == normalize_name("Saint Louis")


def test_transliteration_variants_resolve_to_same_town(gp):
    for spelling in ("Izium", "Izyum", "Ізюм"):
        tops = gp.parse(f"Ukrainian troops entered {spelling} on Saturday.")
        [t] = by_text(tops, spelling)
        assert t.place is not None and t.place.geonameid == 707292
    [t] = by_text(gp.parse("Fighting near Kup'yans'k went on."), "Kup'yans'k")
    assert t.place.geonameid == 703656


def test_balakleya_prefers_the_kharkiv_town_in_context(gp):
    text = "Russian forces near Balakleya and Izyum in the Kharkiv region withdrew."
    [t] = by_text(gp.parse(text), "Balakleya")
    assert t.place.geonameid == 712926
    assert "geo:doc_country=UA" in t.reasons


def test_qualifier_sets_geo_precision(gp):
    text = "Shelling near Balakleya. Ukrainian troops took Izyum. Blasts hit the Kharkiv region."
    tops = gp.parse(text)
    [near] = by_text(tops, "Balakleya")
    assert near.qualifier == "near" and near.geo_precision == 2
    assert "geo:qualifier_near" in near.reasons
    [town] = by_text(tops, "Izyum")
    assert town.geo_precision == 1 and town.qualifier == ""
    [region] = [t for t in tops if t.text.startswith("Kharkiv")]
    assert region.place.feature == "admin1" and region.geo_precision == 3


@pytest.mark.parametrize("phrase", ["the Kharkiv region", "the region of Kharkiv",
                                    "Kharkiv oblast", "Kharkivska oblast"])
def test_kharkiv_region_forms(gp, phrase):
    tops = gp.parse(f"Russian troops retreated from {phrase} on Sunday.")
    regional = [t for t in tops if "Kharkiv" in t.text]
    assert regional, tops
    t = regional[0]
    assert t.place.feature == "admin1" and t.place.admin1 == "Kharkiv"
    assert t.geo_precision == 3


def test_bare_kharkiv_is_the_city(gp):
    [t] = by_text(gp.parse("Missiles struck Kharkiv overnight."), "Kharkiv")
    assert t.place.feature == "settlement" and t.place.geonameid == 706483


def test_river(gp):
    tops = gp.parse("The troops took up positions across the Oskil River and reservoir.")
    [t] = by_text(tops, "Oskil River")
    assert t.place.feature == "river" and t.geo_precision == 2


def test_hromada_seat_fallback(gp):
    [t] = by_text(gp.parse("Ukrainian forces recaptured the village of Hrakove."), "Hrakove")
    assert t.place is not None and t.geo_precision == 2
    assert "geo:hromada_seat" in t.reasons


def test_unresolvable_name_from_ner(gp):
    text = "Fighting was reported in Zzyzxgrad and Izyum."
    s = text.index("Zzyzxgrad")
    tops = gp.parse(text, [(s, s + 9, "GPE")])
    [bad] = by_text(tops, "Zzyzxgrad")
    assert bad.place is None and "geo:unresolved" in bad.reasons
    [good] = by_text(tops, "Izyum")
    assert good.place is not None


@pytest.mark.parametrize("text,word", [
    ("Mobile phones were cut off in the city.", "Mobile"),
    ("Reading the statement, he paused.", "Reading"),
    ("Victory Day parades were cancelled.", "Victory"),
    ("Russian President Vladimir Putin spoke on Saturday.", "Vladimir"),
    ("NATO said on Saturday that the Kremlin was isolated.", "Saturday"),
])
def test_common_word_guard(gp, text, word):
    assert not by_text(gp.parse(text), word)


def test_demonyms_are_context_not_locations(gp):
    tops = gp.parse("Russian troops and Ukrainian volunteers clashed.")
    assert not tops


def test_coordinated_directions(gp):
    tops = gp.parse("Missiles hit power plants in eastern and central Ukraine.")
    names = {t.place.name for t in tops if t.place}
    assert {"eastern Ukraine", "central Ukraine"} <= names


def test_parse_never_raises_on_odd_input(gp):
    assert gp.parse("") == []
    assert isinstance(gp.parse("...!!! \n\n  ' ’ -- "), list)
    assert isinstance(gp.parse("Izyum", [(0, 99, "GPE"), (3, 2, "LOC")]), list)


def test_pick_event_location_prefers_locative_settlement(gp):
    text = "Russia launched missiles at power plants in Izyum on Sunday."
    tops = gp.parse(text)
    trig = text.index("launched")
    t = pick_event_location(text, tops, trig, trig + 8, 0, len(text))
    assert t is not None and t.text == "Izyum"


def test_pick_event_location_withdrawal_from(gp):
    text = "Russian troops withdrew from Kupyansk, according to Ukraine."
    tops = gp.parse(text)
    trig = text.index("withdrew")
    t = pick_event_location(text, tops, trig, trig + 8, 0, len(text))
    assert t is not None and t.text == "Kupyansk"


def test_pick_event_location_skips_origin_of_from_to(gp):
    text = "Missiles fired from Russia struck Kharkiv overnight."
    tops = gp.parse(text)
    trig = text.index("struck")
    t = pick_event_location(text, tops, trig, trig + 6, 0, len(text))
    assert t is not None and t.text == "Kharkiv"


def test_pick_event_location_none_without_place(gp):
    text = "Russian troops withdrew quickly."
    assert pick_event_location(text, gp.parse(text), 15, 22, 0, len(text)) is None


def test_missing_index_is_coded_error(tmp_path):
    with pytest.raises(GazetteerError) as exc:
        SQLiteGazetteer(tmp_path / "nope.sqlite")
    assert exc.value.code == "E301"
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(GazetteerError):
        SQLiteGazetteer(bad)


def test_metric_helpers():
    assert haversine_km(49.21, 37.26, 49.21, 37.26) == 0
    assert 105 < haversine_km(49.21, 37.26, 49.99, 36.23) < 125
    assert auc_log_error([0, 0, 0]) == 0
    assert auc_log_error([20039, 20039]) == pytest.approx(1.0, abs=1e-4)


def test_import_geonames_dump_into_empty_index(tmp_path):
    import sqlite3

    from frontlines.geo.build import SCHEMA, import_geonames_dump

    db = tmp_path / "g.sqlite"
    con = sqlite3.connect(db)
    con.executescript(SCHEMA)
    con.commit()
    con.close()
    row = ["99000001", "Hrakove", "Hrakove", "Grakovo,Гракове", "49.72", "36.93", "P", "PPL",
           "UA", "", "07", "", "", "", "0", "", "150", "Europe/Kyiv", "2024-01-01"]
    dump = tmp_path / "UA.txt"
    dump.write_text("\t".join(row) + "\n", encoding="utf-8")
    assert import_geonames_dump(db, dump) == 1
    g = SQLiteGazetteer(db)
    [c] = g.candidates("Grakovo")
    assert c.place.geonameid == 99000001 and c.place.latitude == pytest.approx(49.72)
    assert g.get(99000001).name == "Hrakove"


def test_demonym_mention_resolves_to_its_country_not_a_namesake_village():
    """Given a demonym as a place mention ("Spanish"), the country wins over a village called so."""
    from frontlines.geo.geoparse import Mention

    g = MemoryGazetteer()
    g.add(Place(2510769, "Spain", 40.0, -4.0, "country", "Spain", "ES", 724, population=46_000_000))
    g.add(Place(6156, "Spanish", 46.2, -82.3, "settlement", "Canada", "CA", 124,
                admin1="Ontario", population=700), [], a1code="CA.08")
    g.add(Place(6255148, "Europe", 48.7, 9.1, "continent", population=740_000_000))
    g.add_demonym("Spanish", "ES")
    g.add_demonym("European", "@Europe")
    gp = Geoparser(g)
    text = "Spanish police said European leaders met."
    ms = [Mention(0, 7, "Spanish", "gold"), Mention(20, 28, "European", "gold")]
    tops = gp.resolve(text, ms)
    assert tops[0].place.name == "Spain" and "geo:demonym" in tops[0].reasons
    assert tops[1].place.name == "Europe"
    # recognition still treats them as context only
    assert not gp.parse(text)


def test_gold_spans_shifted_by_the_set_are_realigned():
    from frontlines.geo.evaluate import GoldToponym, _realign

    text = "Officials in Edmonton said the storm reached Calgary and then Edmonton again."
    shifted = GoldToponym(20, 28, "Edmonton", 53.5, -113.5)       # 7 characters late
    fixed = _realign(text, shifted)
    assert text[fixed.start:fixed.end] == "Edmonton" and fixed.start == 13
    # the nearest occurrence wins, and a phrase absent from the window is left alone
    late = _realign(text, GoldToponym(60, 68, "Edmonton", 53.5, -113.5))
    assert late.start == text.rindex("Edmonton")
    missing = GoldToponym(0, 5, "Toronto", 43.7, -79.4)
    assert _realign(text, missing) is missing


def test_bare_state_name_is_the_state_not_a_village_named_after_it():
    from frontlines.geo.geoparse import Mention

    g = MemoryGazetteer()
    g.add(Place(6252001, "United States", 39.8, -98.5, "country", "United States", "US", 840,
                population=327_000_000))
    g.add(Place(4155751, "Florida", 28.75, -82.5, "admin1", "United States", "US", 840,
                admin1="Florida", population=20_000_000), [], a1code="US.FL")
    g.add(Place(5117378, "Florida", 41.33, -74.36, "settlement", "United States", "US", 840,
                admin1="New York", population=2_800), [], a1code="US.NY")
    g.add(Place(5128581, "New York City", 40.71, -74.0, "settlement", "United States", "US", 840,
                admin1="New York", population=8_000_000), ["New York"], a1code="US.NY")
    gp = Geoparser(g)
    text = "He moved from New York City to Florida last year."
    tops = gp.resolve(text, [Mention(0 + 14, 27, "New York City", "gold"), Mention(31, 38, "Florida", "gold")])
    assert tops[1].place.feature == "admin1"
    # with an explicit settlement cue the village is still reachable
    assert any(c.place.feature == "settlement" for c in gp._candidates(Mention(31, 38, "Florida", "gold")))


def test_a_story_about_a_country_favours_places_across_its_borders():
    """'Gaza' in a story about Israel is the Palestinian city, not Mozambique's province."""
    from frontlines.geo.geoparse import Mention

    g = MemoryGazetteer()
    g.add(Place(294640, "Israel", 31.5, 34.75, "country", "Israel", "IL", 376, population=8_900_000))
    g.add(Place(281133, "Gaza", 31.5, 34.47, "settlement", "Palestinian Territory", "PS", 275,
                population=410_000), [], a1code="PS.GZ")
    g.add(Place(1045114, "Gaza", -23.0, 33.0, "admin1", "Mozambique", "MZ", 508,
                admin1="Gaza", population=1_400_000), [], a1code="MZ.02")
    text = "Israel said rockets were fired from Gaza."
    ms = [Mention(0, 6, "Israel", "gold"), Mention(36, 40, "Gaza", "gold")]
    assert Geoparser(g).resolve(text, ms)[1].place.iso2 == "MZ"     # no border knowledge
    g.add_neighbours("PS", "IL", "EG", "JO")
    top = Geoparser(g).resolve(text, ms)[1]
    assert top.place.iso2 == "PS" and "geo:doc_neighbour_country" in top.reasons


def test_surname_of_a_person_named_in_full_is_not_a_place():
    g = MemoryGazetteer()
    g.add(Place(1, "Amini", 27.3, 78.1, "settlement", "India", "IN", 356, population=3_000), [])
    g.add(Place(2, "Washington", 38.9, -77.04, "capital", "United States", "US", 840,
                population=690_000), [])
    gp = Geoparser(g)
    text = "Mahsa Amini died in custody. Protests over Amini's death spread to Washington."
    ents = [(0, 11, "PERSON")]
    assert [t.text for t in gp.parse(text, ents)] == ["Washington"]
    # without the full name in the story, "in Amini" is a place
    assert [t.text for t in gp.parse("Protests spread in Amini and Washington.", [])] == ["Amini", "Washington"]
    # a capital keeps its place reading even when it is someone's surname
    text2 = "Denzel Washington spoke. Officials in Washington agreed."
    assert [t.text for t in gp.parse(text2, [(0, 17, "PERSON")])] == ["Washington"]


def test_abbreviations_keep_their_final_period_and_names_do_not_gain_one():
    g = MemoryGazetteer()
    g.add(Place(6252001, "United States", 39.8, -98.5, "country", "United States", "US", 840,
                population=327_000_000), ["U.S.", "US"])
    g.add(Place(4921868, "Indiana", 40.0, -86.25, "admin1", "United States", "US", 840,
                population=6_700_000), ["Ind."], a1code="US.IN")
    g.add(Place(281133, "Gaza", 31.5, 34.47, "settlement", "Palestinian Territory", "PS", 275,
                population=410_000), [])
    gp = Geoparser(g)
    text = "Troops came home to the U.S. Others went to Gary, Ind. Aid reached Gaza."
    ents = [(24, 28, "GPE"), (50, 53, "GPE"), (67, 72, "GPE")]   # spans as NER gives them
    assert [t.text for t in gp.parse(text, ents)] == ["U.S.", "Ind.", "Gaza"]


def test_bare_county_name_is_a_surname_without_a_locative_cue():
    g = MemoryGazetteer()
    g.add(Place(1, "Johnson County", 38.9, -94.8, "admin2", "United States", "US", 840,
                population=600_000), ["Johnson"], a1code="US.KS")
    gp = Geoparser(g)
    assert not gp.parse("Johnson said the budget would pass.")
    assert [t.text for t in gp.parse("Flooding hit Johnson County on Monday.")] == ["Johnson County"]
    assert [t.text for t in gp.parse("Flooding hit homes in Johnson on Monday.")] == ["Johnson"]


def test_a_prominent_place_opening_an_institution_name_is_a_toponym_marked_as_such():
    from frontlines.geo.roles import ORG_MODIFIER_REASON

    g = MemoryGazetteer()
    g.add(Place(5037779, "Minnesota", 46.25, -94.25, "admin1", "United States", "US", 840,
                population=5_600_000), [], a1code="US.MN")
    g.add(Place(4, "Benson", 45.3, -95.6, "settlement", "United States", "US", 840,
                population=3_200), [], a1code="US.MN")
    gp = Geoparser(g)
    text = "The Minnesota Department of Transportation closed a road. Benson Ford said so."
    ents = [(0, 42, "ORG"), (58, 69, "PERSON")]
    tops = gp.parse(text, ents)
    assert [t.text for t in tops] == ["Minnesota"]
    assert ORG_MODIFIER_REASON in tops[0].reasons
    # a small place before an institution word is left alone
    assert not gp.parse("The Benson Police said so.", [(0, 16, "ORG")])


def test_bare_state_name_beats_a_county_known_by_it_in_the_same_country():
    from frontlines.geo.geoparse import Mention

    g = MemoryGazetteer()
    g.add(Place(4142224, "Delaware", 39.0, -75.5, "admin1", "United States", "US", 840,
                admin1="Delaware", population=970_000), [], a1code="US.DE")
    g.add(Place(4288809, "Delaware County", 40.3, -85.4, "admin2", "United States", "US", 840,
                admin1="Indiana", population=115_000), ["Delaware"], a1code="US.IN")
    g.add(Place(4259418, "Muncie", 40.19, -85.39, "settlement", "United States", "US", 840,
                admin1="Indiana", population=70_000), [], a1code="US.IN")
    text = "From Muncie the family moved to Delaware."
    tops = Geoparser(g).resolve(text, [Mention(5, 11, "Muncie", "gold"), Mention(32, 40, "Delaware", "gold")])
    assert tops[1].place.feature == "admin1"
    # "Delaware County" itself is still the county
    gp = Geoparser(g)
    m = Mention(0, 15, "Delaware County", "gold")
    gp._qualify("Delaware County", m)
    assert gp.resolve("Delaware County", [m])[0].place.feature == "admin2"


def test_imported_geonames_point_replaces_a_derived_point_but_not_a_settlements(tmp_path):
    import sqlite3

    from frontlines.geo.build import SCHEMA, import_geonames_dump

    db = tmp_path / "g.sqlite"
    con = sqlite3.connect(db)
    con.executescript(SCHEMA)
    con.execute("INSERT INTO place (pid, geonameid, name, lat, lon, feature, cc, a1code, admin1, admin2, admin3,"
                " population, precision, note) VALUES (1, 6251999, 'Canada', 60.0, -96.0, 'country', 'CA', '', '', '',"
                " '', 37000000, 1, 'point:centre')")
    con.execute("INSERT INTO place (pid, geonameid, name, lat, lon, feature, cc, a1code, admin1, admin2, admin3,"
                " population, precision, note) VALUES (2, 6167865, 'Toronto', 43.7, -79.4, 'settlement', 'CA', 'CA.08',"
                " 'Ontario', '', '', 2600000, 1, '')")
    con.executemany("INSERT INTO name VALUES (?,?,0)", [("canada", 1), ("toronto", 2)])
    con.commit()
    con.close()
    rows = [["6251999", "Canada", "Canada", "", "60.10867", "-113.64258", "A", "PCLI", "CA", "", "00",
             "", "", "", "37058856", "", "", "", "2024-01-01"],
            ["6167865", "Toronto", "Toronto", "", "43.70011", "-79.4163", "P", "PPLA", "CA", "", "08",
             "", "", "", "2600000", "", "", "", "2024-01-01"]]
    dump = tmp_path / "CA.txt"
    dump.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    assert import_geonames_dump(db, dump) == 2
    g = SQLiteGazetteer(db)
    [canada] = g.candidates("Canada")
    assert (canada.place.longitude, canada.note) == (pytest.approx(-113.64258), "point:geonames")
    [toronto] = g.candidates("Toronto")
    assert toronto.place.longitude == pytest.approx(-79.4) and toronto.note == ""


def test_a_lone_demonym_does_not_send_a_city_to_a_small_namesake_abroad():
    """'Russian missiles struck Donetsk': Donetsk is the Ukrainian city, not the Rostov town.

    The demonym was counted twice (NER span and matcher) and, alone, made the story 100%
    Russian; it is now counted once and shares are divided by at least CONTEXT_FLOOR."""
    g = MemoryGazetteer()
    g.add(Place(690791, "Ukraine", 49.0, 32.0, "country", "Ukraine", "UA", 804, population=40_000_000))
    g.add(Place(2017370, "Russia", 60.0, 100.0, "country", "Russia", "RU", 643, population=144_000_000))
    g.add(_ua("Donetsk", 48.02, 37.80, 901_645, admin1="Donetsk", gid=709717), [], a1code="UA.05")
    g.add(Place(566532, "Donetsk", 48.34, 39.95, "settlement", "Russia", "RU", 643,
                admin1="Rostov", population=50_850), [], a1code="RU.61")
    g.add_demonym("Russian", "RU")
    g.add_neighbours("UA", "RU")
    text = "Russian missiles struck Donetsk on Sunday."
    [top] = Geoparser(g).parse(text, [(0, 7, "NORP")])
    assert top.place.iso2 == "UA"


def test_a_place_before_a_facility_word_is_not_an_organisation_modifier():
    from frontlines.geo.roles import ORG_MODIFIER_REASON

    g = MemoryGazetteer()
    g.add(_ua("Kharkiv", 49.98, 36.25, 1_421_125, gid=706483), [], a1code="UA.07")
    gp = Geoparser(g)
    hosp = gp.parse("Russian shelling hit a Kharkiv hospital on Monday.")
    assert [t.text for t in hosp] == ["Kharkiv"] and ORG_MODIFIER_REASON not in hosp[0].reasons
    admin = gp.parse("The Kharkiv Regional Military Administration said two people died.")
    assert [t.text for t in admin] == ["Kharkiv"] and ORG_MODIFIER_REASON in admin[0].reasons


def test_place_key_tells_apart_places_without_geonames_ids():
    from frontlines.records import place_key

    a = Place(None, "Donetsk airport", 48.074, 37.74, "facility")
    b = Place(None, "Belbek air base", 44.689, 33.571, "facility")
    assert place_key(a) != place_key(b)
    assert place_key(a) == place_key(Place(None, "Donetsk airport", 48.074, 37.74, "facility"))
    assert place_key(Place(709717, "Donetsk", 48.0, 37.8)) == 709717


def test_a_city_and_the_province_named_after_it_beat_a_lone_namesake_abroad():
    g = MemoryGazetteer()
    g.add(Place(1118, "Gaza", 31.42, 34.37, "admin1", "Palestinian Territory", "PS", 275,
                admin1="Gaza", population=419_328), [], a1code="PS.GZ")
    g.add(Place(281133, "Gaza", 31.50, 34.47, "settlement", "Palestinian Territory", "PS", 275,
                admin1="Gaza", population=410_000), [], a1code="PS.GZ")
    g.add(Place(1046, "Gaza", -23.0, 32.8, "admin1", "Mozambique", "MZ", 508,
                admin1="Gaza", population=384_964), [], a1code="MZ.02")
    [top] = Geoparser(g).parse("Fighting continued in Gaza.")
    assert (top.place.iso2, top.place.feature) == ("PS", "settlement")
    assert "geo:city_and_namesake_unit" in top.reasons


def test_matcher_keeps_press_abbreviations_and_sentence_final_names():
    g = MemoryGazetteer()
    g.add(Place(4921868, "Indiana", 40.0, -86.25, "admin1", "United States", "US", 840,
                population=6_700_000), ["Ind."], a1code="US.IN")
    g.add(Place(99, "Gen", 10.0, 10.0, "admin1", "Nowhere", "NW", 0, population=5_000), [], a1code="NW.1")
    gp = Geoparser(g)
    assert [t.text for t in gp.parse("The plant in Gary, Ind. closed.")] == ["Ind."]
    assert [t.text for t in gp.parse("He visited Indiana. Then he left.")] == ["Indiana"]
    # a title before a name is not a place, even when a unit somewhere has that name
    assert not gp.parse("Later Gen. Smith arrived.")


def test_places_of_one_story_support_each_others_nearby_readings():
    """'London' with 'St. Thomas' and 'Middlesex' nearby in Ontario is London, Ontario."""
    from frontlines.geo.geoparse import Mention

    g = MemoryGazetteer()
    g.add(Place(2643743, "London", 51.51, -0.13, "capital", "United Kingdom", "GB", 826,
                population=8_900_000), [], a1code="GB.ENG")
    g.add(Place(6058560, "London", 42.98, -81.23, "settlement", "Canada", "CA", 124,
                admin1="Ontario", population=346_000), [], a1code="CA.08")
    g.add(Place(6155721, "St. Thomas", 42.78, -81.18, "settlement", "Canada", "CA", 124,
                admin1="Ontario", population=38_000), [], a1code="CA.08")
    g.add(Place(3488998, "St. Thomas", 17.95, -76.45, "admin1", "Jamaica", "JM", 388,
                admin1="Saint Thomas", population=94_000), [], a1code="JM.14")
    g.add(Place(6072350, "Middlesex", 43.0, -81.5, "admin2", "Canada", "CA", 124,
                admin1="Ontario", population=450_000), [], a1code="CA.08")
    text = "London shelters are full, and St. Thomas and Middlesex report the same."
    ms = [Mention(0, 6, "London", "gold"), Mention(30, 40, "St. Thomas", "gold"),
          Mention(45, 54, "Middlesex", "gold")]
    tops = Geoparser(g).resolve(text, ms)
    assert [t.place.iso2 for t in tops] == ["CA", "CA", "CA"]
    assert "geo:near_other_names_candidates" in tops[0].reasons
    # alone, London is the capital
    assert Geoparser(g).resolve("London", [Mention(0, 6, "London", "gold")])[0].place.iso2 == "GB"


def test_bare_name_of_a_province_whose_namesake_city_is_small_is_the_province():
    g = MemoryGazetteer()
    g.add(Place(6115047, "Quebec", 52.0, -72.0, "admin1", "Canada", "CA", 124,
                admin1="Quebec", population=8_000_000), [], a1code="CA.10")
    g.add(Place(6325494, "Québec", 46.81, -71.21, "settlement", "Canada", "CA", 124,
                admin1="Quebec", population=300_000), ["Quebec"], a1code="CA.10")
    [top] = Geoparser(g).parse("Voters in Quebec went to the polls.")
    assert top.place.feature == "admin1"


def test_bare_name_of_a_city_holding_a_fair_share_of_its_oblast_is_the_city(gp):
    # Kharkiv city holds about half of the oblast's people in the fixture
    [top] = gp.parse("Shelling hit Kharkiv overnight.")
    assert top.place.feature == "settlement"


def test_explain_ranks_candidates_in_the_story_context_with_the_resolvers_choice_first():
    g = MemoryGazetteer()
    g.add(Place(1, "Edmonton", 53.55, -113.47, "settlement", "Canada", "CA", 124, admin1="Alberta",
                population=1_000_000), [], a1code="CA.01")
    g.add(Place(2, "Edmonton", 51.63, -0.06, "settlement", "United Kingdom", "GB", 826,
                admin1="England", population=82_000), [], a1code="GB.ENG")
    g.add(Place(3, "Enfield", 51.65, -0.08, "settlement", "United Kingdom", "GB", 826,
                admin1="England", population=150_000), [], a1code="GB.ENG")
    gp = Geoparser(g)
    alone = gp.explain("Edmonton", 0, 8)
    assert [c.place.iso2 for c, _, _ in alone] == ["CA", "GB"]
    text = "Pupils from a school in Edmonton, near Enfield, planted a garden."
    ranked = gp.explain(text, 24, 32)
    assert [c.place.iso2 for c, _, _ in ranked] == ["GB", "CA"]
    assert ranked[0][1] > ranked[1][1]
    # the same choice and reasons as resolving the whole text
    top = next(t for t in gp.parse(text) if t.text == "Edmonton")
    assert top.place.geonameid == 2
    assert all(r in top.reasons for r in ranked[0][2])


def test_self_proclaimed_republics_by_full_name_and_project_acronym():
    g = MemoryGazetteer()
    g.add(Place(None, "Donetsk People's Republic", 48.02, 37.80, "region", "Ukraine", "UA", 804,
                admin1="Donetsk", population=2_000_000), ["Donetsk People’s Republic", "DPR"],
          a1code="UA.05", note="feature:donetsk_peoples_republic")
    g.add(Place(3, "Korea", 36.5, 127.8, "country", "South Korea", "KR", 410, population=51_000_000), [])
    g.add(Place(4, "Seoul", 37.57, 126.98, "capital", "South Korea", "KR", 410, population=10_000_000),
          ["SEO"])
    gp = Geoparser(g)
    # an apostrophe-s inside a name ("People's") no longer breaks it
    assert [t.place.name for t in gp.parse("The Donetsk People’s Republic said two civilians died.")] == \
        ["Donetsk People's Republic"]
    # an acronym the project's own feature file lists is a name; any other acronym is not
    assert [t.text for t in gp.parse("Two DPR fighters were killed in shelling. SEO experts met.")] == ["DPR"]
    # ... unless it is spelled out as something else
    assert [t.text for t in gp.parse("The DPR of Korea fired a missile.")] == ["Korea"]


def _containment_gazetteer() -> MemoryGazetteer:
    g = MemoryGazetteer()
    g.add(Place(1, "Pisky", 49.9, 34.0, "settlement", "Ukraine", "UA", 804, admin1="Poltava",
                population=2_200), [], a1code="UA.18")
    g.add(Place(2, "Pisky", 48.10, 37.62, "settlement", "Ukraine", "UA", 804, admin1="Donetsk",
                population=0), [], a1code="UA.05")
    g.add(Place(None, "Donbas", 48.3, 38.3, "region", "Ukraine", "UA", 804, population=3_000_000), [])
    g.add(Place(3, "Oklahoma", 35.5, -97.5, "admin1", "United States", "US", 840, admin1="Oklahoma",
                population=3_900_000), [], a1code="US.OK")
    g.add(Place(4, "Oklahoma", 40.58, -79.57, "settlement", "United States", "US", 840,
                admin1="Pennsylvania", population=800), [], a1code="US.PA")
    g.add(Place(5, "Pennsylvania", 40.9, -77.8, "admin1", "United States", "US", 840,
                admin1="Pennsylvania", population=12_800_000), [], a1code="US.PA")
    return g


def test_a_place_named_as_holding_another_picks_the_namesake_inside_it():
    gp = Geoparser(_containment_gazetteer())
    top = next(t for t in gp.parse("A soldier was wounded in the Pisky area in Donbas.") if t.text == "Pisky")
    assert top.place.admin1 == "Donetsk" and "geo:inside_named_container" in top.reasons
    top = next(t for t in gp.parse("A soldier was wounded in Pisky.") if t.text == "Pisky")
    assert top.place.admin1 == "Poltava"     # no holder named: the bigger village


def test_a_list_of_states_is_not_read_as_town_and_state():
    from frontlines.geo.geoparse import _nest

    g = _containment_gazetteer()
    oklahoma, pennsylvania = g.candidates("Oklahoma", 10), g.candidates("Pennsylvania", 10)
    pisky, donbas = g.candidates("Pisky", 10), g.candidates("Donbas", 10)
    # "Oklahoma, Pennsylvania": Oklahoma can be a state itself, so this is a list
    inner, outer = {}, {}
    _nest(oklahoma, pennsylvania, inner, outer)
    assert inner == {} and outer == {}
    # "Pisky area in Donbas": the Donetsk-oblast Pisky nests in Donbas, the Poltava one does not
    _nest(pisky, donbas, inner, outer)
    assert [c.place.admin1 for c in pisky if c.pid in inner] == ["Donetsk"]
    assert inner[pisky[1].pid] == "geo:inside_named_container" and list(outer.values()) == ["geo:holds_named_place"]
    gp = Geoparser(g)
    tops = gp.parse("Voters in Oklahoma, Pennsylvania and Ohio went to the polls.")
    assert next(t for t in tops if t.text == "Oklahoma").place.feature == "admin1"


def test_a_town_and_the_state_that_holds_it_support_each_other():
    g = MemoryGazetteer()
    g.add(Place(1, "Athens", 37.98, 23.73, "capital", "Greece", "GR", 300, admin1="Attica",
                population=660_000), [], a1code="GR.ESYE31")
    g.add(Place(2, "Athens", 33.96, -83.38, "settlement", "United States", "US", 840, admin1="Georgia",
                population=120_000), [], a1code="US.GA")
    g.add(Place(3, "Georgia", 42.0, 43.5, "country", "Georgia", "GE", 268, population=3_700_000), [])
    g.add(Place(4, "Georgia", 32.75, -83.5, "admin1", "United States", "US", 840, admin1="Georgia",
                population=10_700_000), [], a1code="US.GA")
    gp = Geoparser(g)
    alone = {t.text: t.place.iso2 for t in gp.parse("He studied in Athens and then in Georgia.")}
    assert alone == {"Athens": "GR", "Georgia": "GE"}
    paired = {t.text: t for t in gp.parse("He was born in Athens, Georgia, in 1950.")}
    assert paired["Athens"].place.iso2 == "US" and paired["Georgia"].place.feature == "admin1"
    assert "geo:holds_named_place" in paired["Georgia"].reasons


def test_names_listed_together_are_read_as_the_one_kind_they_can_all_be():
    g = MemoryGazetteer()
    us = dict(country="United States", iso2="US", iso=840)
    g.add(Place(1, "Oregon", 44.0, -120.5, "admin1", admin1="Oregon", population=4_200_000, **us), [], a1code="US.OR")
    g.add(Place(2, "Washington", 47.5, -120.5, "admin1", admin1="Washington", population=7_700_000, **us), [],
          a1code="US.WA")
    g.add(Place(3, "Washington", 38.9, -77.04, "capital", admin1="District of Columbia", population=690_000, **us),
          [], a1code="US.DC")
    g.add(Place(4, "Wyoming", 43.0, -107.5, "admin1", admin1="Wyoming", population=580_000, **us), [], a1code="US.WY")
    g.add(Place(5, "Wyoming", 42.9, -85.7, "settlement", admin1="Michigan", population=76_000, **us), [],
          a1code="US.MI")
    gp = Geoparser(g)
    alone = {t.text: t.place for t in gp.parse("Cases were found in Washington.")}
    assert alone["Washington"].feature == "capital"
    listed = {t.text: t for t in gp.parse("Cases were found in Oregon, Washington and Wyoming.")}
    assert {n: t.place.feature for n, t in listed.items()} == {"Oregon": "admin1", "Washington": "admin1",
                                                               "Wyoming": "admin1"}
    assert "geo:like_its_list_neighbours" in listed["Washington"].reasons


def test_a_class_word_after_a_list_qualifies_every_name_in_it():
    from frontlines.geo.geoparse import Mention

    gp = Geoparser(MemoryGazetteer())
    text = "Douglas, Sarpy and Lancaster counties grew, as did the Kharkiv and Sumy regions."
    for name, cls in (("Douglas", "admin2"), ("Sarpy", "admin2"), ("Kharkiv", "admin1")):
        start = text.index(name)
        m = Mention(start, start + len(name), name, "gold")
        gp._qualify(text, m)
        assert m.cls == cls and m.end == start + len(name), name


def test_an_unknown_part_of_a_known_place_resolves_to_the_place_vaguely():
    from frontlines.geo.geoparse import Mention

    g = MemoryGazetteer()
    g.add(Place(2643743, "London", 51.51, -0.13, "capital", "United Kingdom", "GB", 826, population=8_900_000), [])
    g.add(Place(4, "Plymouth County", 41.99, -70.74, "admin2", "United States", "US", 840,
                admin1="Massachusetts", population=520_000), [], a1code="US.MA")
    gp = Geoparser(g)
    for name, want in (("North London", "London"), ("the Greater London Area", "London"),
                       ("PLYMOUTH CO.", "Plymouth County")):
        text = f"It happened in {name} on Monday."
        m = Mention(15, 15 + len(name), name, "gold")
        gp._qualify(text, m)
        top = gp.resolve(text, [m])[0]
        assert top.place is not None and top.place.name == want, name
        assert top.geo_precision >= 2 and "geo:part_of_named_place" in top.reasons
    # a name that is known as it stands is not cut down
    text = "It happened in London."
    m = Mention(15, 21, "London", "gold")
    assert "geo:part_of_named_place" not in gp.resolve(text, [m])[0].reasons


def test_a_rivers_bank_is_not_the_west_bank():
    g = MemoryGazetteer()
    g.add(Place(None, "West Bank", 31.9, 35.2, "region", "Palestinian Territory", "PS", 275,
                population=3_000_000), [])
    gp = Geoparser(g)
    text = "Shoigu ordered his forces to leave the west bank of the Dnipro River."
    start = text.index("west bank")
    assert gp.parse(text, [(start, start + 9, "GPE")]) == []
    text = "Raids continued in the West Bank on Monday."
    start = text.index("West Bank")
    assert [t.text for t in gp.parse(text, [(start, start + 9, "GPE")])] == ["West Bank"]


def test_ner_spans_that_run_on_into_a_day_or_a_parenthesis_are_cut():
    from frontlines.geo.geoparse import _trim

    for span, name in (("Sanaa Friday", "Sanaa"), ("Palmyra (Tadmur", "Palmyra"),
                       ("Bamut earlier this year", "Bamut"), ("Friday Harbor", "Friday Harbor"),
                       ("the Kharkiv region", "Kharkiv region")):
        a, b = _trim(span, 0, len(span))
        assert span[a:b] == name


def test_a_country_named_in_an_organisations_name_is_story_context(monkeypatch):
    import frontlines.geo.geoparse as geoparse

    g = MemoryGazetteer()
    g.add(Place(690791, "Ukraine", 49.0, 32.0, "country", "Ukraine", "UA", 804, population=40_000_000), [])
    g.add(Place(1, "Sevan", 40.55, 44.95, "settlement", "Armenia", "AM", 51, population=19_000), ["Yelenovka"])
    g.add(Place(2, "Olenivka", 47.84, 37.68, "settlement", "Ukraine", "UA", 804, admin1="Donetsk",
                population=7_000), ["Yelenovka"])
    gp = Geoparser(g)
    text = "A prison in Yelenovka was shelled by the Armed Forces of Ukraine."
    org = (text.index("Armed"), len(text) - 1, "ORG")
    assert gp.parse(text, [org])[0].place.name == "Olenivka"
    monkeypatch.setattr(geoparse, "ORG_COUNTRY_WEIGHT", 0.0)   # without the rule: the bigger namesake
    assert gp.parse(text, [org])[0].place.name == "Sevan"
    assert gp._countries_named_in("Ukraine's State Emergency Service") == {"UA"}
    assert gp._countries_named_in("Human Rights Watch") == set()



def test_an_id_too_big_for_sqlite_is_no_place():
    # regression: `frontlines control 99999999999999999999` raised OverflowError from the SQLite gazetteer
    from frontlines.geo.gazetteer import open_gazetteer
    gaz_sql = open_gazetteer()
    assert isinstance(gaz_sql, SQLiteGazetteer)
    assert gaz_sql.get(10 ** 20) is None and gaz_sql.get(-(10 ** 20)) is None


def test_a_name_the_story_uses_as_a_place_is_that_place_where_the_model_calls_it_an_organisation(gp):
    text = "The depot in the village of Hrakove was destroyed. Hrakove was quiet again by Sunday."
    second = text.rindex("Hrakove")
    tops = gp.parse(text, [(second, second + 7, "ORG")])
    found = by_text(tops, "Hrakove")
    assert len(found) == 2 and all(t.place is not None for t in found), [(t.start, t.reasons) for t in found]


def test_a_longer_organisation_holding_the_name_still_blocks_it(gp):
    text = "Shelling hit the village of Hrakove. The Hrakove Grain Company said its silo burned."
    s = text.index("Hrakove Grain")
    tops = gp.parse(text, [(s, s + len("Hrakove Grain Company"), "ORG")])
    assert [t.start for t in by_text(tops, "Hrakove")] == [text.index("Hrakove")]


def test_a_settlement_inside_the_chosen_district_is_the_scene():
    from frontlines.events.extract import _one_settlement_inside
    from frontlines.records import Toponym

    district = Place(None, "Henicheskyi", 46.17, 34.81, "admin2", "Ukraine", "UA", 804, admin1="Kherson",
                     admin2="Henicheskyi")
    village = Place(697957, "Rykove", 46.33, 34.75, "settlement", "Ukraine", "UA", 804, admin1="Kherson",
                    admin2="Henicheskyi")
    elsewhere = Place(1, "Kakhovka", 46.8, 33.5, "settlement", "Ukraine", "UA", 804, admin1="Kherson",
                      admin2="Kakhovskyi")
    d, v, e = Toponym("Henichesk district", 30, 48, district), Toponym("Rykove", 10, 16, village), \
        Toponym("Kakhovka", 60, 68, elsewhere)
    assert _one_settlement_inside(d, [d, v, e]) is v
    assert _one_settlement_inside(d, [d, e]) is None
    province = Place(None, "Kherson", 46.6, 33.4, "admin1", "Ukraine", "UA", 804, admin1="Kherson")
    assert _one_settlement_inside(Toponym("Kherson region", 0, 14, province), [v]) is None


def test_a_ship_named_after_a_city_by_its_other_name_is_no_place(gp):
    text = "Officials said the Kharkov was hit by two missiles and sank."
    [t] = by_text(gp.parse(text, []), "Kharkov")
    assert t.place is None and "geo:the_before_a_city_by_another_name" in t.reasons
    text = "Officials said the Kharkov was hit by two missiles on Monday."   # no ship in sight: the city
    [t] = by_text(gp.parse(text, []), "Kharkov")
    assert t.place is not None
    text = "The warship, the Kharkov, was hit by two missiles."
    [t] = by_text(gp.parse(text, []), "Kharkov")
    assert t.place is None and "geo:the_before_a_city_by_another_name" in t.reasons
    text = "Officials said the Kharkov authorities were evacuating residents."
    [t] = by_text(gp.parse(text, []), "Kharkov")
    assert t.place is not None and t.place.name == "Kharkiv"
