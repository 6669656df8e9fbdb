"""Unit tests for frontlines.quantities (sentences written by hand for these tests)."""
from __future__ import annotations

import pytest

from frontlines.quantities import (
    find_fatalities,
    find_injuries,
    find_numbers,
    find_quantities,
    parse_number,
    parse_number_ex,
)


# ------------------------------------------------------------------ parse_number
@pytest.mark.parametrize("text,expected", [
    ("70", 70),
    ("3,000", 3000),
    ("12,500", 12500),
    ("1,234,567", 1234567),
    ("1.5 million", 1_500_000),
    ("2 million", 2_000_000),
    ("3.000", 3000),              # continental thousands separator
    ("six", 6),
    ("Six", 6),
    ("eleven", 11),
    ("twenty-one", 21),
    ("twenty one", 21),
    ("ninety-nine", 99),
    ("a hundred", 100),
    ("two hundred and fifty", 250),
    ("one thousand five hundred", 1500),
    ("two thousand", 2000),
    ("a dozen", 12),
    ("two dozen", 24),
    ("half a dozen", 6),
    ("a couple of", 2),
    ("dozens", 12),
    ("several", 3),
    ("a few", 3),
    ("few", 3),
    ("some", 3),
    ("many", 10),
    ("scores", 10),
    ("hundreds", 100),
    ("thousands", 1000),
    ("tens of thousands", 10000),
    ("hundreds of thousands", 100000),
    ("at least 12", 12),
    ("up to 70", 70),
    ("more than 40", 40),
    ("over 3,000", 3000),
    ("nearly 500", 500),
    ("some 200", 200),
    ("between 5 and 7", 5),
    ("between seven and five", 5),
    ("5-7", 5),
    ("5 to 7", 5),
    ("five or six", 5),
])
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "nothing", "a", "the troops", "Kyiv"])
def test_parse_number_none(text):
    assert parse_number(text) is None


def test_parse_number_ex_reports_kind():
    assert parse_number_ex("dozens").reason == "vague_dozens"
    assert parse_number_ex("between 5 and 7").reason == "lowest_of_range"
    assert parse_number_ex("at least 12").qualifier == "at least"
    assert parse_number_ex("2.5").float_value == 2.5
    assert parse_number("2.5") == 2   # counts are truncated


def test_find_numbers_does_not_split_words():
    # "someone", "oneself", "tenfold" are not numbers
    assert find_numbers("Someone said it was tenfold.") == []


# ------------------------------------------------------------------ find_quantities
def q_by_unit(text, unit, **kw):
    got = [q for q in find_quantities(text, **kw) if q.unit == unit]
    assert got, find_quantities(text, **kw)
    return got[0]


def test_area_square_kilometers_territory():
    text = "The army captured over 3,000 square kilometers of territory this week."
    q = q_by_unit(text, "km2")
    assert q.value == 3000
    assert "territory" in q.of
    assert text[q.start:q.end] == q.text == "over 3,000 square kilometers"


@pytest.mark.parametrize("phrase,value", [
    ("1,000 sq km", 1000), ("500 km2", 500), ("40 km²", 40), ("120 sq. km", 120),
])
def test_area_abbreviations(phrase, value):
    q = q_by_unit(f"They retook {phrase} of land.", "km2")
    assert q.value == value


def test_area_square_miles_converted():
    q = q_by_unit("They held 10 square miles near the river.", "km2")
    assert q.value == pytest.approx(25.9, abs=0.01)


def test_distance_depth_of_advance():
    q = q_by_unit("Units penetrated the lines to a depth of up to 70 kilometers.", "km")
    assert q.value == 70
    assert q.of == "depth of advance"


def test_distance_km_and_miles():
    q = q_by_unit("The town lies 20 km from the front line.", "km")
    assert q.value == 20
    assert q.of == "distance from front line"
    q = q_by_unit("The village is 10 miles from the border.", "km")
    assert q.value == pytest.approx(16.093, abs=0.01)
    assert q.of == "distance from border"
    q = q_by_unit("A column moved 70km overnight.", "km")
    assert q.value == 70


def test_weapons_launched_and_shot_down():
    text = "Russia launched 11 missiles and 35 Shahed drones; air defence shot down 30 drones."
    got = find_quantities(text)
    assert [(q.value, q.unit) for q in got] == [(11, "missiles"), (35, "drones"), (30, "drones")]
    assert got[0].of == "missiles launched"
    assert got[2].of == "drones shot down"


@pytest.mark.parametrize("text,unit", [
    ("Troops fired 40 rockets at the city.", "rockets"),
    ("Gunners fired 300 artillery shells.", "shells"),
    ("Pilots dropped six glide bombs.", "bombs"),
    ("Crews destroyed 5 tanks.", "tanks"),
    ("Twenty Russian helicopters landed.", "helicopters"),
    ("Russia fired 11 cruise missiles.", "missiles"),
    ("They sent 12 UAVs.", "drones"),
])
def test_weapon_units(text, unit):
    q = q_by_unit(text, unit)
    assert q.value > 0


def test_people_and_troops():
    q = q_by_unit("Thousands of troops massed at the border.", "troops")
    assert q.value == 1000
    q = q_by_unit("About 300 civilians were evacuated.", "people")
    assert q.value == 300
    assert q.of == "people evacuated"


def test_losses_numbering_in_the_thousands():
    text = "Both sides reported heavy losses – numbering in the thousands – inflicted on the enemy."
    q = q_by_unit(text, "losses")
    assert q.value == 1000
    assert q.of == "enemy losses"


def test_settlements_liberated():
    q = q_by_unit("Kyiv said it had liberated 20 villages.", "settlements")
    assert q.value == 20
    assert q.of == "settlements liberated"


def test_prisoners():
    q = q_by_unit("The two sides swapped 215 prisoners.", "prisoners")
    assert q.value == 215
    assert q.of == "prisoners exchanged"


def test_buildings_damaged():
    q = q_by_unit("The blast damaged 12 apartment buildings.", "buildings")
    assert q.value == 12
    assert q.of == "buildings damaged"


def test_ages_are_not_quantities():
    assert find_quantities("A 14-year-old girl and a 70-year-old man were hurt.") == []


def test_quantity_offsets():
    text = "Russia fired 11 missiles."
    q = find_quantities(text, offset=50)[0]
    assert (q.start, q.end) == (50 + text.index("11"), 50 + text.index("missiles") + 8)
    assert q.to_dict() == {"value": 11.0, "unit": "missiles", "of": "missiles launched"}


def test_no_quantity_without_unit():
    assert find_quantities("In 2014 the war began; 70 percent agreed.")[0].unit == "percent"
    assert find_quantities("The war began after the revolution.") == []


# ------------------------------------------------------------------ fatalities
@pytest.mark.parametrize("text,expected", [
    ("Russian shelling killed 12 people in the town.", 12),
    ("12 people were killed in the strike.", 12),
    ("The strike left 12 dead.", 12),
    ("At least 12 civilians died after the attack.", 12),
    ("A missile hit a cafe, killing two.", 2),
    ("Two killed and five wounded in Kharkiv.", 2),
    ("A 14-year-old girl was killed by shrapnel.", 1),
    ("A man died in hospital.", 1),
    ("The attack killed at least five people and injured 20 others.", 5),
    ("Five people were injured and two killed.", 2),
    ("Twenty-one people have been killed.", 21),
    ("The strike on the station killed 3,000.", 3000),
    ("Officials reported 7 deaths.", 7),
])
def test_fatalities_explicit(text, expected):
    got = find_fatalities(text)
    assert got is not None and got[0] == expected, got
    assert got[1].startswith("fatalities:")


def test_fatalities_range_lowest():
    assert find_fatalities("Between 5 and 7 people were killed.") == (5, "fatalities:lowest_of_range")
    assert find_fatalities("Five to seven soldiers died.")[0] == 5


def test_fatalities_several_reports_lowest():
    text = "Kyiv said 40 soldiers were killed; Moscow said 25 soldiers were killed."
    assert find_fatalities(text) == (25, "fatalities:lowest_of_reports")


def test_fatalities_death_toll_wins():
    text = "Three people were killed on Friday. By Sunday the death toll rose to 12."
    assert find_fatalities(text) == (12, "fatalities:death_toll")
    assert find_fatalities("The death toll has risen to at least 23.")[0] == 23


def test_fatalities_vague():
    assert find_fatalities("Dozens of people were killed.") == (12, "fatalities:vague_dozens")
    assert find_fatalities("Shelling caused some civilian deaths.") == (3, "fatalities:vague_some")
    assert find_fatalities("Many soldiers died.")[0] == 10
    assert find_fatalities("Hundreds were killed.")[0] == 100


def test_fatalities_none_reported():
    assert find_fatalities("No one was killed in the attack.") == (0, "fatalities:none_reported")
    assert find_fatalities("There were no casualties.") == (0, "fatalities:none_reported")
    assert find_fatalities("Nobody was hurt.") == (0, "fatalities:none_reported")


def test_fatalities_no_number_or_injuries_only():
    assert find_fatalities("Shelling is killing and wounding civilians.") is None
    assert find_fatalities("Ten people were wounded.") is None
    assert find_fatalities("There were 10 casualties.") is None      # casualties are not deaths
    assert find_fatalities("Troops advanced along the river.") is None
    assert find_fatalities("") is None


def test_fatalities_ignore_ages():
    assert find_fatalities("A 70-year-old man was killed.")[0] == 1


# ------------------------------------------------------------------ injuries
@pytest.mark.parametrize("text,expected", [
    ("Two killed and five wounded in Kharkiv.", 5),
    ("The attack killed at least five people and injured 20 others.", 20),
    ("Eight people were injured.", 8),
    ("At least 30 civilians were hurt.", 30),
    ("A woman was injured by debris.", 1),
    ("Shrapnel wounded three soldiers.", 3),
])
def test_injuries(text, expected):
    got = find_injuries(text)
    assert got is not None and got[0] == expected, got


def test_injuries_none():
    assert find_injuries("No one was injured.") == (0, "injuries:none_reported")
    assert find_injuries("Twelve people were killed.") is None


# ------------------------------------------------------------------ regressions
@pytest.mark.parametrize("text,expected", [
    ("Officials said 23 people, four of them children, were killed in the blast.", 23),
    ("Fourteen people, two of them children, were killed and 108 wounded.", 14),
    ("At least two people had died and 20 had been hurt.", 2),
    ("The strike hit a home, killing a man and injuring four people.", 1),
    ("Mortars hit the bridge, killing three members of one family, whose bodies lay there.", 3),
    ("Twenty-one people have been killed.", 21),
])
def test_fatalities_regressions(text, expected):
    assert find_fatalities(text)[0] == expected


@pytest.mark.parametrize("text", [
    "He said every one of the dead was a civilian.",
    "Officials said one of those killed was a teacher.",
    "The raid left two bombers damaged and put two servicemen in hospital.",
    "It was not yet known how many people had been killed.",
])
def test_fatalities_not_counts(text):
    assert find_fatalities(text) is None


def test_injuries_not_how_many_and_subsets():
    assert find_injuries("It was not known how many people had been hurt.") is None
    assert find_injuries("18 people were reported injured, 11 of them hospitalised.")[0] == 18
    assert find_injuries("Not one person was injured.") == (0, "injuries:none_reported")


@pytest.mark.parametrize("text", [
    "The report of 13 November says Ukrainian troops held the line.",
    "Kyiv lost 11 while Russian troops lost more.",
    "Strikes hit two depots holding rockets.",
    "Multiple rocket launchers fired at dawn.",
])
def test_quantities_do_not_cross_clauses_or_dates(text):
    assert find_quantities(text) == []


def test_quantity_with_long_modifier():
    q = q_by_unit("The crew fired two Neptune anti-ship surface-to-sea missiles.", "missiles")
    assert q.value == 2
    q = q_by_unit("Air defence destroyed 9,008 armoured personnel carriers in total.", "vehicles")
    assert q.value == 9008


# ---------------------------------------------------------------- revised tolls and years
@pytest.mark.parametrize("text,value", [
    ("The number of people killed by the missile has risen from 30 to 35, the governor said.", 35),
    ("That brings the number of dead to 27, according to the emergency service.", 27),
    ("At least 23 people are now known to have died after the strike.", 23),
])
def test_revised_tolls_and_hedged_deaths(text, value):
    assert find_fatalities(text)[0] == value


def test_a_year_is_not_a_toll():
    assert find_fatalities("If confirmed, no strike since 2008 will have killed more people.") is None


def test_a_toll_spread_over_towns_gives_each_its_share():
    from frontlines.quantities import count_at_place

    text = ("Shelling killed seven civilians in the region: three in Sloviansk, two in Marinka, and one each in "
            "Halytsynivka and Vodiane.")
    shares = {name: count_at_place(text, text.index(name)) for name in ("Sloviansk", "Marinka", "Vodiane")}
    assert shares == {"Sloviansk": 3, "Marinka": 2, "Vodiane": 1}
    assert count_at_place("Three people were killed in Kherson on Monday.", 28) is None   # one figure: no list


def test_killed_or_wounded_counts_no_deaths():
    assert find_fatalities("Ukraine claims dozens of officers were killed or wounded.") is None


@pytest.mark.parametrize("text,n", [
    ("The missile hit the port overnight, killing a security guard.", 1),
    ("Shelling killed two farmers in the field.", 2),
    ("Three fishermen were killed when the boat hit a mine.", 3),
])
def test_fatalities_of_people_named_by_their_work(text, n):
    assert find_fatalities(text)[0] == n
