"""Fusing a report of a withdrawal with a report of the capture of the same town keeps the sides right."""
from frontlines.fusion.merge import Part, merge_parts
from frontlines.records import Event

RUSSIA, UKRAINE = "Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)"


def ev(event_id, sub, actor1=""):
    return Event(event_id=event_id, event_date="2022-09-10", sub_event_type=sub, actor1=actor1,
                 inter1=1 if actor1 else None, location="Izyum", geonameid=707292, latitude=49.2,
                 longitude=37.3, geo_precision=1, country="Ukraine")


def test_withdrawal_reporter_names_the_loser_and_capture_reporter_the_winner():
    parts = [Part(ev("p-a", "Non-violent transfer of territory", RUSSIA), "a", seq=0),
             Part(ev("p-b", "Government regains territory", UKRAINE), "b", seq=1)]
    merged = merge_parts(parts, "UKR-X").event
    assert merged.sub_event_type == "Government regains territory"
    assert (merged.actor1, merged.actor2) == (UKRAINE, RUSSIA)


def test_capture_with_unstated_gainer_does_not_take_the_withdrawer_as_gainer():
    parts = [Part(ev("p-a", "Non-violent transfer of territory", RUSSIA), "a", seq=0),
             Part(ev("p-b", "Government regains territory"), "b", seq=1)]
    merged = merge_parts(parts, "UKR-X").event
    assert merged.actor1 != RUSSIA and merged.actor2 == RUSSIA
