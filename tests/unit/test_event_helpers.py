from frontlines.events.extract import compose_notes
from frontlines.events.mentions import BLACKOUT, POWER_RESTORED, in_quotes, weapon_subtype
from frontlines.records import Event


def test_weapon_cues_follow_precedence():
    assert weapon_subtype("Russia launched missiles and Shahed drones at Kyiv") == "Air/drone strike"
    assert weapon_subtype("artillery pounded the town") == "Shelling/artillery/missile attack"
    assert weapon_subtype("a roadside bomb exploded near the convoy") == "Remote explosive/landmine/IED"
    assert weapon_subtype("a grenade was thrown") == "Grenade"
    assert weapon_subtype("troops clashed at dawn") is None


def test_consequence_patterns():
    assert BLACKOUT.search("causing massive blackouts in several regions")
    assert POWER_RESTORED.search("Ukraine said it had restored power in most areas")
    assert not POWER_RESTORED.search("power plants were struck")


def test_in_quotes():
    s = "“We will regroup near the river,” said the spokesman."
    assert in_quotes(s, s.index("regroup"))
    assert not in_quotes(s, s.index("said"))


def test_notes_are_composed_not_copied():
    ev = Event(event_date="2022-09-11", event_type="Explosions/Remote violence",
               sub_event_type="Shelling/artillery/missile attack", actor1="Military Forces of Russia (2000-)",
               target="thermal power plants", target_category="energy infrastructure", location="Kharkiv",
               admin1="Kharkiv", tags="consequence: blackouts", claimed_by="", claim_status="reported")
    notes = compose_notes(ev)
    assert notes.startswith("On 2022-09-11, Military Forces of Russia (2000-)")
    assert "thermal power plants (energy infrastructure)" in notes and "blackouts" in notes
    assert "\n" not in notes
