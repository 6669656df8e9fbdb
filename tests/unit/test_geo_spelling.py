"""Spellings no table lists: the spelling-blind key of a Ukrainian settlement's names and the
index table that holds it.  Hand-built inputs, no spaCy model; names written for the tests."""
from __future__ import annotations

import sqlite3

import pytest

from frontlines.geo.build import SCHEMA, _loose_keys
from frontlines.geo.gazetteer import KIND_LOOSE, KIND_MAIN, MemoryGazetteer, SQLiteGazetteer
from frontlines.geo.normalize import loose_key
from frontlines.records import Place


@pytest.mark.parametrize("a,b", [("Paraskoviivka", "Paraskoveevka"), ("Halytsynivka", "Galitsinovka"),
                                 ("Vodiane", "Vodyany"), ("Vodiane", "Vodyanoye"), ("Mariinka", "Maryinka"),
                                 ("Velyka Novosilka", "Velikaya Novoselka"), ("Kurakhove", "Kurakhovo"),
                                 ("Klishchiivka", "Kleshcheevka")])
def test_loose_key_joins_spellings_of_one_name(a, b):
    assert loose_key(a) and loose_key(a) == loose_key(b)


@pytest.mark.parametrize("a,b", [("Kramatorsk", "Kostiantynivka"), ("Vodiane", "Vovchansk"),
                                 ("Lysychansk", "Sievierodonetsk"), ("Pokrovsk", "Pokrovske Selo")])
def test_loose_key_keeps_other_names_apart(a, b):
    assert loose_key(a) != loose_key(b)


def test_loose_key_skips_short_and_non_latin_names():
    assert loose_key("Ivo") == "" and loose_key("Ізюм") == "" and loose_key("M-03") == ""


def test_loose_keys_table_is_built_from_the_names_of_ukrainian_settlements(tmp_path):
    path = tmp_path / "g.sqlite"
    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    rows = [(1, None, "Paraskoviivka", 48.6, 38.0, "settlement", "UA", "UA.05", "Donetsk Oblast", "", "", 0, 2, "", ""),
            (2, None, "Paraskoviivka", 48.6, 38.0, "settlement", "RU", "RU.01", "", "", "", 0, 1, "", ""),
            (3, None, "Donetsk Oblast", 48.0, 37.8, "admin1", "UA", "UA.05", "Donetsk Oblast", "", "", 0, 1, "", "")]
    con.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)", rows)
    con.executemany("INSERT INTO name VALUES (?,?,?)", [("paraskoviivka", 1, KIND_MAIN),
                                                        ("paraskoviivka", 2, KIND_MAIN),
                                                        ("donetsk oblast", 3, KIND_MAIN)])
    con.execute("INSERT INTO country VALUES ('UA', 'Ukraine', 'UKR', 804, 690791, 0, '')")
    assert _loose_keys(con) == 1            # only the Ukrainian settlement
    con.commit()
    con.close()
    g = SQLiteGazetteer(path)
    [c] = g.loose_candidates("Paraskoveevka")
    assert c.pid == 1 and c.kind == KIND_LOOSE and c.place.country == "Ukraine"
    assert g.has_loose("Paraskoveevka") and not g.has_loose("Donetsk Oblast")
    assert g.candidates("Paraskoveevka") == []   # an exact lookup does not see the loose keys


def test_memory_gazetteer_finds_a_settlement_by_its_loose_key():
    g = MemoryGazetteer()
    c = g.add(Place(None, "Halytsynivka", 48.0, 37.6, "settlement", "Ukraine", "UA", 804))
    g.add_loose(c)
    [got] = g.loose_candidates("Galitsinovka")
    assert got.pid == c.pid and got.kind == KIND_LOOSE
    assert g.candidates("Galitsinovka") == [] and not g.has_loose("Kramatorsk")
