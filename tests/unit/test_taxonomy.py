import pytest

from frontlines.events import taxonomy as tx


def test_all_acled_sub_event_types_present_with_types():
    assert len(tx.SUB_EVENT_TYPES) == 25
    counts = {}
    for s in tx.SUB_EVENT_TYPES:
        counts[s.event_type] = counts.get(s.event_type, 0) + 1
    assert counts == {tx.BATTLES: 3, tx.PROTESTS: 3, tx.RIOTS: 2, tx.REMOTE: 6, tx.VAC: 3, tx.STRATEGIC: 8}


def test_precedence_follows_the_codebook():
    # an airstrike during a ground battle is Battles; airstrike plus shelling is Air/drone strike
    assert tx.higher_precedence("Air/drone strike", "Armed clash") == "Armed clash"
    assert tx.higher_precedence("Shelling/artillery/missile attack", "Air/drone strike") == "Air/drone strike"
    assert tx.higher_precedence("Abduction/forced disappearance", "Attack") == "Attack"


def test_interaction_codes():
    assert tx.interaction(1, 7) == 17
    assert tx.interaction(7, 1) == 17
    assert tx.interaction(1, 1) == 11
    assert tx.interaction(6, None) == 60
    assert tx.interaction(None, None) is None


def test_plover_and_cameo_equivalents():
    st = tx.sub_event("Non-violent transfer of territory")
    assert (st.plover_event, st.plover_mode, st.cameo_root) == ("RETREAT", "withdraw", "08")
    assert tx.sub_event("Air/drone strike").plover_mode == "aerial"
    with pytest.raises(KeyError):
        tx.sub_event("Skirmish")
