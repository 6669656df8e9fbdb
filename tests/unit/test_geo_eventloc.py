"""Unit tests for frontlines.geo.eventloc on hand-built parses (no spaCy, no model)."""
from __future__ import annotations

import json

import pytest

from frontlines.geo import MemoryGazetteer
from frontlines.geo.eventloc import (EventLocationCandidate, candidates, choose_event_location,
                                     choose_event_location_candidates, location_name_span)
from frontlines.geo.evaluate import _realign_gold
from frontlines.geo.geoparse import Geoparser
from frontlines.records import Place, Toponym
from handparse import HandParsedDoc as FakeDoc


def _top(doc, word, feature="settlement", pop=50_000, cc="IQ", nth=0, reasons=()):
    s, e = doc.char(word, nth)
    place = Place(None, word, 33.0, 44.0, feature, "", cc, 0, population=pop) if feature else None
    return Toponym(text=word, start=s, end=e, place=place, reasons=list(reasons))


def _texts(tops):
    return [t.text for t in tops]


def test_place_after_in_beats_place_qualifying_it():
    # "In Dura , south of Baghdad , gunmen killed a family ."
    doc = FakeDoc([("In", "ADP", "prep", 8), ("Dura", "PROPN", "pobj", 0), (",", "PUNCT", "punct", 1),
                   ("south", "ADV", "advmod", 1), ("of", "ADP", "prep", 3),
                   ("Baghdad", "PROPN", "pobj", 4), (",", "PUNCT", "punct", 8),
                   ("gunmen", "NOUN", "nsubj", 8), ("killed", "VERB", "ROOT", 8),
                   ("a", "DET", "det", 10), ("family", "NOUN", "dobj", 8), (".", "PUNCT", "punct", 8)])
    tops = [_top(doc, "Dura"), _top(doc, "Baghdad", "capital", 7_000_000)]
    assert _texts(choose_event_location(doc, 8, tops)) == ["Dura"]


def test_possessor_actor_is_not_the_location():
    # "Syria 's army shelled rebels in Idlib ."
    doc = FakeDoc([("Syria", "PROPN", "poss", 2), ("'s", "PART", "case", 0), ("army", "NOUN", "nsubj", 3),
                   ("shelled", "VERB", "ROOT", 3), ("rebels", "NOUN", "dobj", 3), ("in", "ADP", "prep", 3),
                   ("Idlib", "PROPN", "pobj", 5), (".", "PUNCT", "punct", 3)])
    tops = [_top(doc, "Syria", "country", 20_000_000, "SY"), _top(doc, "Idlib", cc="SY")]
    assert _texts(choose_event_location(doc, 3, tops)) == ["Idlib"]


def test_subject_actor_alone_gives_no_location():
    # "Syria said its army killed 20 militants ."
    doc = FakeDoc([("Syria", "PROPN", "nsubj", 1), ("said", "VERB", "ROOT", 1), ("its", "PRON", "poss", 3),
                   ("army", "NOUN", "nsubj", 4), ("killed", "VERB", "ccomp", 1), ("20", "NUM", "nummod", 6),
                   ("militants", "NOUN", "dobj", 4), (".", "PUNCT", "punct", 1)])
    tops = [_top(doc, "Syria", "country", 20_000_000, "SY")]
    assert choose_event_location(doc, 4, tops) == []


def test_direct_object_of_trigger_is_the_location():
    # "Police patrolled Harare on Saturday ."
    doc = FakeDoc([("Police", "NOUN", "nsubj", 1), ("patrolled", "VERB", "ROOT", 1),
                   ("Harare", "PROPN", "dobj", 1), ("on", "ADP", "prep", 1),
                   ("Saturday", "PROPN", "pobj", 3), (".", "PUNCT", "punct", 1)],
                  ents=[(4, 5, "DATE")])
    tops = [_top(doc, "Harare", "capital", 1_500_000, "ZW")]
    assert _texts(choose_event_location(doc, 1, tops)) == ["Harare"]


def test_coordinated_places_come_together():
    # "Gunmen shot two policemen in Yala and Pattani ."
    doc = FakeDoc([("Gunmen", "NOUN", "nsubj", 1), ("shot", "VERB", "ROOT", 1), ("two", "NUM", "nummod", 3),
                   ("policemen", "NOUN", "dobj", 1), ("in", "ADP", "prep", 1), ("Yala", "PROPN", "pobj", 4),
                   ("and", "CCONJ", "cc", 5), ("Pattani", "PROPN", "conj", 5), (".", "PUNCT", "punct", 1)])
    tops = [_top(doc, "Yala", cc="TH"), _top(doc, "Pattani", cc="TH")]
    assert _texts(choose_event_location(doc, 1, tops)) == ["Yala", "Pattani"]


def test_demonym_toponyms_are_skipped():
    doc = FakeDoc([("Turkish", "ADJ", "amod", 1), ("troops", "NOUN", "nsubj", 2),
                   ("attacked", "VERB", "ROOT", 2), (".", "PUNCT", "punct", 2)])
    tops = [_top(doc, "Turkish", "country", 80_000_000, "TR", reasons=["geo:demonym"])]
    assert candidates(doc, 2, tops) == []
    assert choose_event_location(doc, 2, tops) == []


def test_unknown_name_after_in_is_a_span_candidate():
    # the small NER model calls the town a PERSON; the gazetteer does not know it
    doc = FakeDoc([("He", "PRON", "nsubjpass", 2), ("was", "AUX", "auxpass", 2),
                   ("captured", "VERB", "ROOT", 2), ("in", "ADP", "prep", 2), ("Qaimx", "PROPN", "pobj", 3),
                   (".", "PUNCT", "punct", 2)], ents=[(4, 5, "PERSON")])
    # (whether it passes the threshold depends on the fitted weights; that it is a candidate,
    # scored like any other, does not)
    cands = candidates(doc, 2, [])
    assert [doc.text[c.start:c.end] for c in cands] == ["Qaimx"]
    assert all(isinstance(c, EventLocationCandidate) and c.toponym is None for c in cands)
    chosen = choose_event_location_candidates(doc, 2, [])
    assert all(c.toponym is None for c in chosen)
    assert choose_event_location(doc, 2, []) == []  # only toponyms are returned to the coder


def test_origin_of_withdrawal_versus_attack():
    # "Troops withdrew from Kherson ." - the place left is where the withdrawal happened
    doc = FakeDoc([("Troops", "NOUN", "nsubj", 1), ("withdrew", "VERB", "ROOT", 1), ("from", "ADP", "prep", 1),
                   ("Kherson", "PROPN", "pobj", 2), (".", "PUNCT", "punct", 1)])
    tops = [_top(doc, "Kherson", cc="UA")]
    [c] = candidates(doc, 1, tops)
    assert c.features.get("from_withdraw") == 1.0


def test_returns_original_toponym_objects_and_survives_bad_parse():
    doc = FakeDoc([("Shelling", "NOUN", "nsubj", 1), ("hit", "VERB", "ROOT", 1), ("Donetsk", "PROPN", "dobj", 1)])
    t = _top(doc, "Donetsk", cc="UA")
    assert choose_event_location(doc, 1, [t])[0] is t
    broken = FakeDoc([("x", "NOUN", "ROOT", 0)])
    assert choose_event_location(broken, 0, [t]) == []  # toponym outside the doc: ignored


@pytest.mark.parametrize("phrase,name", [
    ("the northern province of Helmand", "Helmand"), ("Kapho district", "Kapho"),
    ("Meiyuan District", "Meiyuan District"), ("east Jerusalem", "Jerusalem"),
    ("Aleppo", "Aleppo"), ("the city of Kobane", "Kobane"), ("Borno state", "Borno")])
def test_location_name_span(phrase, name):
    s, e = location_name_span(phrase, 0, len(phrase))
    assert phrase[s:e] == name


def test_realign_token_indexed_gold_span():
    # regression: some rows give token indices as character offsets
    text = "McCoy was captured in March in Las Vegas."
    span = {"start": 7, "end": 8, "token_start": 7, "token_end": 8, "label": "LOCATION", "text": "Las Vegas"}

    class _D(list):
        pass
    doc = _D(type("T", (), {"idx": i})() for i in [0, 6, 10, 19, 22, 28, 31, 35, 40])
    s, e = _realign_gold(text, span, doc)
    assert text[s:e] == "Las Vegas"
    ok = {"start": 31, "end": 40, "token_start": 7, "token_end": 8, "text": "Las Vegas"}
    assert _realign_gold(text, ok, doc) == (31, 40)


# ---------------------------------------------------------------- recognition regressions
@pytest.fixture(scope="module")
def gp() -> Geoparser:
    g = MemoryGazetteer()
    g.add(Place(170063, "Aleppo", 36.2, 37.16, "settlement", "Syria", "SY", 760, admin1="Aleppo",
                population=1_600_000), [], a1code="SY.09")
    g.add(Place(172256, "Ayn al Arab", 36.89, 38.35, "settlement", "Syria", "SY", 760, admin1="Aleppo",
                population=4_000), ["Kobanex"], a1code="SY.09")
    return Geoparser(g)


def test_prominent_place_labelled_language_is_kept(gp):
    # regression: the small model tags "Aleppo" LANGUAGE, which blocked the gazetteer match
    text = "The army launched an offensive in southern Aleppo tonight."
    s = text.index("Aleppo")
    assert [t.text for t in gp.parse(text, [(s, s + 6, "LANGUAGE")])] == ["Aleppo"]


def test_city_of_is_a_locative_cue_against_org_label(gp):
    # regression: "the city of X" with X tagged ORG lost a small gazetteer name
    text = "Militants clashed with Kurdish forces in the city of Kobanex on Monday."
    s = text.index("Kobanex")
    tops = gp.parse(text, [(s, s + 7, "ORG")])
    assert [t.text for t in tops] == ["Kobanex"] and tops[0].place is not None


def test_choose_event_location_exported():
    from frontlines.geo import choose_event_location as exported
    from frontlines.geo.geoparse import choose_event_location as wrapper
    assert exported is choose_event_location and callable(wrapper)
    json.dumps(location_name_span("x", 0, 1))


# --- features added for the specificity / clause / reporting conventions ----------------------

def _feats(doc, trig, tops, word):
    c = next(c for c in candidates(doc, trig, tops) if doc.text[c.start:c.end] == word)
    return c.features


def test_container_after_comma_is_not_coordinated():
    # "Gunmen shot a man in Izmir , Turkey ." : Turkey contains Izmir, it is not a second place
    doc = FakeDoc([("Gunmen", "NOUN", "nsubj", 1), ("shot", "VERB", "ROOT", 1), ("a", "DET", "det", 3),
                   ("man", "NOUN", "dobj", 1), ("in", "ADP", "prep", 1), ("Izmir", "PROPN", "pobj", 4),
                   (",", "PUNCT", "punct", 5), ("Turkey", "PROPN", "appos", 5), (".", "PUNCT", "punct", 1)])
    tops = [_top(doc, "Izmir", cc="TR"), _top(doc, "Turkey", "country", 80_000_000, "TR")]
    assert _texts(choose_event_location(doc, 1, tops)) == ["Izmir"]
    # two towns after a comma are still both places
    tops = [_top(doc, "Izmir", cc="TR"), _top(doc, "Turkey", "settlement", 5_000, "TR")]
    assert _texts(choose_event_location(doc, 1, tops)) == ["Izmir", "Turkey"]


def test_coordination_through_the_town_of():
    # "Troops shelled Rafah and the town of Khan Yunis ."
    doc = FakeDoc([("Troops", "NOUN", "nsubj", 1), ("shelled", "VERB", "ROOT", 1), ("Rafah", "PROPN", "dobj", 1),
                   ("and", "CCONJ", "cc", 2), ("the", "DET", "det", 5), ("town", "NOUN", "conj", 2),
                   ("of", "ADP", "prep", 5), ("Khan", "PROPN", "compound", 8), ("Yunis", "PROPN", "pobj", 6),
                   (".", "PUNCT", "punct", 1)])
    s, _ = doc.char("Khan")
    _, e = doc.char("Yunis")
    tops = [_top(doc, "Rafah", cc="PS"), Toponym("Khan Yunis", s, e, Place(None, "Khan Yunis", 31.3, 34.3,
                                                                           "settlement", "", "PS", 0))]
    assert _texts(choose_event_location(doc, 1, tops)) == ["Rafah", "Khan Yunis"]


def test_trigger_argument_features():
    # "Rebels from Goma captured Kasumbalesa ." : Goma is in the subject, Kasumbalesa (unknown to the
    # gazetteer and the NER) is the trigger's object and becomes an "arg" candidate
    doc = FakeDoc([("Rebels", "NOUN", "nsubj", 3), ("from", "ADP", "prep", 0), ("Goma", "PROPN", "pobj", 1),
                   ("captured", "VERB", "ROOT", 3), ("Kasumbalesa", "PROPN", "dobj", 3), (".", "PUNCT", "punct", 3)])
    tops = [_top(doc, "Goma", cc="CD")]
    goma = _feats(doc, 3, tops, "Goma")
    assert goma.get("tchild_subj") == 1.0 and not goma.get("tchild_obj")
    kas = _feats(doc, 3, tops, "Kasumbalesa")
    assert kas.get("src_arg") == 1.0 and kas.get("tchild_obj") == 1.0
    # a person's name as object is not a place candidate
    doc2 = FakeDoc(doc and [("Rebels", "NOUN", "nsubj", 1), ("captured", "VERB", "ROOT", 1),
                            ("Montoya", "PROPN", "dobj", 1), (".", "PUNCT", "punct", 1)], ents=[(2, 3, "PERSON")])
    assert candidates(doc2, 1, []) == []


def test_reporting_clause_and_trigger_clause_features():
    # "Officials in Kabul said militants attacked a base in Ghazni ."
    doc = FakeDoc([("Officials", "NOUN", "nsubj", 3), ("in", "ADP", "prep", 0), ("Kabul", "PROPN", "pobj", 1),
                   ("said", "VERB", "ROOT", 3), ("militants", "NOUN", "nsubj", 5), ("attacked", "VERB", "ccomp", 3),
                   ("a", "DET", "det", 7), ("base", "NOUN", "dobj", 5), ("in", "ADP", "prep", 5),
                   ("Ghazni", "PROPN", "pobj", 8), (".", "PUNCT", "punct", 3)])
    tops = [_top(doc, "Kabul", "capital", 4_000_000, "AF"), _top(doc, "Ghazni", cc="AF")]
    kabul, ghazni = _feats(doc, 5, tops, "Kabul"), _feats(doc, 5, tops, "Ghazni")
    assert kabul.get("report_on_path") == 1.0 and kabul.get("gov_subj") == 1.0
    assert not ghazni.get("report_on_path") and ghazni.get("tchild_prep") == 1.0
    assert kabul.get("trig_dep_clause") == ghazni.get("trig_dep_clause") == 1.0
    assert kabul.get("nearest_cand") == 1.0 and not ghazni.get("nearest_cand")   # 3 tokens v. 4
    assert _feats(doc, 3, tops, "Ghazni").get("trig_report") == 1.0      # "said" as trigger
    assert _texts(choose_event_location(doc, 5, tops)) == ["Ghazni"]


def test_specificity_features():
    # "A man was shot in the Zahra neighborhood of Jiddah , Saudi Arabia ."
    doc = FakeDoc([("A", "DET", "det", 1), ("man", "NOUN", "nsubjpass", 3), ("was", "AUX", "auxpass", 3),
                   ("shot", "VERB", "ROOT", 3), ("in", "ADP", "prep", 3), ("the", "DET", "det", 7),
                   ("Zahra", "PROPN", "compound", 7), ("neighborhood", "NOUN", "pobj", 4), ("of", "ADP", "prep", 7),
                   ("Jiddah", "PROPN", "pobj", 8), (",", "PUNCT", "punct", 9), ("Arabia", "PROPN", "appos", 9),
                   (".", "PUNCT", "punct", 3)])
    tops = [_top(doc, "Zahra", None), _top(doc, "Jiddah", "settlement", 3_000_000, "SA"),
            _top(doc, "Arabia", "country", 30_000_000, "SA")]
    zahra, jiddah, arabia = (_feats(doc, 3, tops, w) for w in ("Zahra", "Jiddah", "Arabia"))
    assert jiddah.get("qualifies_other_phrase") == 1.0 and zahra.get("has_qualifier") == 1.0
    assert not zahra.get("qualifies_other_phrase")
    assert zahra.get("finest_level") == 1.0 and not jiddah.get("finest_level")
    assert arabia.get("coarser_than_other") == 1.0 and not zahra.get("coarser_than_other")
    assert zahra.get("trig_passive") == 1.0
    # the most specific place, not its container
    assert _texts(choose_event_location(doc, 3, tops)) == ["Zahra"]


def test_coordinated_conjuncts_do_not_qualify_each_other():
    # "in Yala and Pattani": Pattani hangs on Yala as a conjunct, not as its container
    doc = FakeDoc([("Gunmen", "NOUN", "nsubj", 1), ("shot", "VERB", "ROOT", 1), ("in", "ADP", "prep", 1),
                   ("Yala", "PROPN", "pobj", 2), ("and", "CCONJ", "cc", 3), ("Pattani", "PROPN", "conj", 3)])
    tops = [_top(doc, "Yala", cc="TH"), _top(doc, "Pattani", cc="TH")]
    assert not any(c.features.get("qualifies_other_phrase") or c.features.get("has_qualifier")
                   for c in candidates(doc, 1, tops))
