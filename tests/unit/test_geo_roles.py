"""Place names that are not scenes (an actor, a speaker, a ship, a clock, a seat) are marked, not dropped."""
from __future__ import annotations

import re

import pytest

from frontlines.geo.roles import (ACTOR_METONYM_REASON, NAMED_EVENT_REASON, ORG_SEAT_REASON, SPEECH_VENUE_REASON,
                                  TIME_ZONE_REASON, VESSEL_REASON, mark_non_scenes, scene_toponyms)
from frontlines.records import Place, Toponym

KYIV = Place(703448, "Kyiv", 50.45, 30.52, "capital", "Ukraine", "UA", 804, population=2_800_000)
RUSSIA = Place(2017370, "Russia", 60.0, 100.0, "country", "Russia", "RU", 643, population=144_000_000)
DONETSK = Place(709717, "Donetsk", 48.0, 37.8, "settlement", "Ukraine", "UA", 804, population=930_000)


def _toponyms(text: str, names: dict[str, Place]) -> list[Toponym]:
    out = []
    for name, place in names.items():
        for m in re.finditer(re.escape(name), text):
            out.append(Toponym(text=name, start=m.start(), end=m.end(), place=place, reasons=[]))
    return sorted(out, key=lambda t: t.start)


def _marked(text: str, names: dict[str, Place]) -> dict[str, bool]:
    tops = _toponyms(text, names)
    mark_non_scenes(text, tops)
    return {t.text: ACTOR_METONYM_REASON in t.reasons for t in tops}


@pytest.mark.parametrize("text", [
    "Three civilians killed in shelling by Kiev's forces.",
    "Three civilians killed in shelling by Kiev’s armed forces.",
    "Kiev troops shell a village, killing two.",
    "Kiev says rebels are massing forces.",
    "Two soldiers killed in the east, according to Kiev.",
    "Three more troops killed in the east: Kiev.",
    "More clashes near the airport, three soldiers killed - Kiev.",
    "Four months after Kiev began its long-awaited counteroffensive, losses are mounting.",
    "Russian troops pulled out, handing Kiev a major victory.",
    "Kiev's counteroffensive has stalled near the river.",
    "Western governments urged Kiev to hold talks.",
    "Two villages were shelled by Kiev overnight, the separatists said.",
    "A rescuer hurt in a night attack by Kiev died in hospital.",
    "Kiev suffered heavy losses near the river, the rebels said.",
    # a capital's offices, gains and losses; the object of blame; the army at its seat
    "Olha Petrenko, Kiev's Deputy Defence Minister, said the brigade moved up.",
    "Moscow's envoy called Kiev's gains a bitter surprise.",
    "The separatists blamed Kiev for the blast at the depot.",
    "Hours after the army in Kiev claimed to have cut the road, the town fell.",
    "The government in Kiev says the figures are false.",
    "Kiev's top negotiator left the talks early.",
])
def test_capital_standing_for_its_state_is_marked(text):
    assert _marked(text, {"Kiev": KYIV}) == {"Kiev": True}


@pytest.mark.parametrize("text", [
    "Two people were killed in a missile strike on Kiev on Monday.",
    "A drone hit a building in Kiev's Podil district.",
    "Kiev's military administration said two people were killed.",
    "Kiev police said a man was detained.",
    "Kiev: three people were injured when debris fell on a house.",
    "This month Russia has hammered Kiev with repeated missile strikes.",
    "Kiev's air defences shot down twenty drones overnight.",
    "The drones were shot down by air defences near Kiev.",
    # the city's own offices and parts are the city's
    "Kiev's mayor said three people were hurt.",
    "Kiev's military administration chief said debris fell on a school.",
    "Police in Kiev said the blast gutted a shop.",
])
def test_capital_as_a_scene_is_not_marked(text):
    assert _marked(text, {"Kiev": KYIV}) == {"Kiev": False}


def test_country_speaker_marked_and_settlement_never():
    text = "Russia says its forces took Donetsk's outskirts; Donetsk troops deny it."
    assert _marked(text, {"Russia": RUSSIA, "Donetsk": DONETSK}) == {"Russia": True, "Donetsk": False}


def test_unresolved_toponym_left_alone():
    text = "Kiev says nothing."
    t = Toponym(text="Kiev", start=0, end=4, place=None, reasons=[])
    mark_non_scenes(text, [t])
    assert t.reasons == []


def test_place_of_the_speakers_is_not_a_speaker():
    # regression: "Police in St. John's said" marked the city as a speaker
    assert _marked("Police in Kiev said a man drowned.", {"Kiev": KYIV}) == {"Kiev": False}


def test_actor_noun_after_a_preposition_is_still_the_actor():
    # regression: "killed in Kiev forces' shelling" was read as a scene because of "in"
    assert _marked("Four killed in Kiev forces’ shelling of a checkpoint.", {"Kiev": KYIV}) == {"Kiev": True}


MOSCOW = Place(524901, "Moscow", 55.75, 37.62, "capital", "Russia", "RU", 643, population=12_000_000)
OSLO = Place(3143244, "Oslo", 59.91, 10.75, "capital", "Norway", "NO", 578, population=580_000)
LONDON = Place(2643743, "London", 51.51, -0.13, "capital", "United Kingdom", "GB", 826, population=8_900_000)
MINSK = Place(625144, "Minsk", 53.9, 27.57, "capital", "Belarus", "BY", 112, population=2_000_000)


@pytest.mark.parametrize("text, names, reason", [
    ("Ukraine's navy struck the Moskva missile cruiser, flagship of the fleet.", {"Moskva": MOSCOW}, VESSEL_REASON),
    ("Rockets were fired at 00:01 Moscow time on January 1.", {"Moscow": MOSCOW}, TIME_ZONE_REASON),
    ("At least 31 were killed, according to a group based in Oslo.", {"Oslo": OSLO}, ORG_SEAT_REASON),
    ("The London-based monitor said 12 fighters died.", {"London": LONDON}, ORG_SEAT_REASON),
    ("Dozens were killed ahead of the Minsk peace summit.", {"Minsk": MINSK}, NAMED_EVENT_REASON),
    ("Troops killed three pro-Russia militants near the base.", {"Russia": RUSSIA}, ACTOR_METONYM_REASON),
])
def test_ships_clocks_and_seats_are_not_scenes(text, names, reason):
    tops = _toponyms(text, names)
    mark_non_scenes(text, tops)
    assert [reason in t.reasons for t in tops] == [True]
    assert scene_toponyms(tops) == []


def test_a_drone_attack_on_moscow_is_a_scene():
    text = "A group of drones attacked Moscow on Tuesday morning, damaging several buildings."
    tops = _toponyms(text, {"Moscow": MOSCOW})
    mark_non_scenes(text, tops)
    assert scene_toponyms(tops) == tops and tops[0].reasons == []


@pytest.mark.parametrize("text", [
    "Speaking in Kiev, the envoy said the front had held.",
    "The minister told reporters in Kiev that two towns had been retaken.",
    "At a news conference in Kiev on Friday the general gave new figures.",
])
def test_where_someone_spoke_is_no_scene(text):
    tops = _toponyms(text, {"Kiev": KYIV})
    mark_non_scenes(text, tops)
    assert [SPEECH_VENUE_REASON in t.reasons for t in tops] == [True]
    assert scene_toponyms(tops) == []


def test_a_strike_after_the_speech_is_still_a_scene():
    text = "The minister told reporters in Kiev that missiles had hit Kiev at dawn."
    tops = _toponyms(text, {"Kiev": KYIV})
    mark_non_scenes(text, tops)
    assert [SPEECH_VENUE_REASON in t.reasons for t in tops] == [True, False]
