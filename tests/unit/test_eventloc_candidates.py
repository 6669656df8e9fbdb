"""Candidate spans and features of frontlines.geo.eventloc on hand-built parses (no spaCy model).

Whole names (hyphens, slashes, ayn marks, the compound a name heads), NER spans cut into the
names they hold, and the features that mark organisation, person and building names."""
from __future__ import annotations

from frontlines.geo.eventloc import _coordinated, candidates
from frontlines.records import Place, Toponym
from handparse import HandParsedDoc


class Doc(HandParsedDoc):
    def top(self, word, feature="settlement", nth=0):
        s, e = self.char(word, nth)
        place = Place(None, word, 33.0, 44.0, feature, "", "SY", 0, population=50_000)
        return Toponym(text=word, start=s, end=e, place=place)


def _spans(doc, cands):
    return [doc.text[c.start:c.end] for c in cands]


def _cand(doc, cands, text):
    return next(c for c in cands if doc.text[c.start:c.end] == text)


def test_name_after_preposition_is_the_whole_compound():
    # "Troops cleared mines near the Kfar Falous crossing ." (not "Kfar")
    doc = Doc([("Troops", "NOUN", "nsubj", 1), ("cleared", "VERB", "ROOT", 1),
               ("mines", "NOUN", "dobj", 1), ("near", "ADP", "prep", 1), ("the", "DET", "det", 7),
               ("Kfar", "PROPN", "compound", 6), ("Falous", "PROPN", "compound", 7),
               ("crossing", "NOUN", "pobj", 3), (".", "PUNCT", "punct", 1)])
    assert _spans(doc, candidates(doc, 1, [])) == ["Kfar Falous"]


def test_hyphenated_name_is_one_candidate():
    # "Rebels shelled the Al-Assad Suburb ." (not "Al" and "Assad")
    doc = Doc([("Rebels", "NOUN", "nsubj", 1), ("shelled", "VERB", "ROOT", 1),
               ("at", "ADP", "prep", 1), ("the", "DET", "det", 7),
               ("Al", "PROPN", "compound", 7, True), ("-", "PUNCT", "punct", 7, True),
               ("Assad", "PROPN", "compound", 7), ("Suburb", "PROPN", "pobj", 2),
               (".", "PUNCT", "punct", 1)])
    assert _spans(doc, candidates(doc, 1, [])) == ["Al-Assad Suburb"]


def test_ayn_marks_belong_to_the_name():
    # "A bomb went off in northern ‘Ayn ‘Issa ." - "Ayn" parsed as an adjective
    doc = Doc([("A", "DET", "det", 1), ("bomb", "NOUN", "nsubj", 2), ("exploded", "VERB", "ROOT", 2),
               ("in", "ADP", "prep", 2), ("northern", "ADJ", "amod", 8),
               ("‘", "PUNCT", "punct", 8, True), ("Ayn", "ADJ", "amod", 8),
               ("‘", "PUNCT", "punct", 8, True), ("Issa", "PROPN", "pobj", 3),
               (".", "PUNCT", "punct", 2)])
    assert _spans(doc, candidates(doc, 2, [])) == ["‘Ayn ‘Issa"]


def test_toponym_grows_over_glued_marks_and_slashes():
    # "Gunmen killed 30 in Kwande , Katsina/Ala and ‘Arak ." - the gazetteer found "Katsina",
    # "Ala" and "Arak"
    doc = Doc([("Gunmen", "NOUN", "nsubj", 1), ("killed", "VERB", "ROOT", 1), ("30", "NUM", "dobj", 1),
               ("in", "ADP", "prep", 1), ("Kwande", "PROPN", "pobj", 3), (",", "PUNCT", "punct", 4),
               ("Katsina", "PROPN", "nmod", 8, True), ("/", "SYM", "punct", 8, True),
               ("Ala", "PROPN", "conj", 4), ("and", "CCONJ", "cc", 8),
               ("‘", "PUNCT", "punct", 11, True), ("Arak", "PROPN", "conj", 8),
               (".", "PUNCT", "punct", 1)])
    tops = [doc.top("Kwande"), doc.top("Katsina"), doc.top("Ala"), doc.top("Arak")]
    cands = candidates(doc, 1, tops)
    assert _spans(doc, cands) == ["Kwande", "Katsina/Ala", "‘Arak"]
    assert _cand(doc, cands, "Katsina/Ala").toponym is tops[1]
    # the coordinated places come together
    assert _spans(doc, _coordinated(doc, cands[0], cands)) == ["Kwande", "Katsina/Ala", "‘Arak"]


def test_hyphen_before_a_lowercase_word_is_not_part_of_the_name():
    # "U.S.-run": the toponym stays "U.S." and keeps its "-run" cue
    doc = Doc([("A", "DET", "det", 4), ("U.S.", "PROPN", "npadvmod", 3, True),
               ("-", "PUNCT", "punct", 3, True), ("run", "VERB", "amod", 4),
               ("prison", "NOUN", "nsubjpass", 6), ("was", "AUX", "auxpass", 6),
               ("attacked", "VERB", "ROOT", 6), (".", "PUNCT", "punct", 6)])
    cands = candidates(doc, 6, [doc.top("U.S.", "country")])
    assert _spans(doc, cands) == ["U.S."]
    assert cands[0].features.get("hyphen_after") == 1.0


def test_ner_span_is_cut_into_names():
    # "Troops captured Barentu and Omohager ." with one GPE span over both names, and
    # "Clashes continued in Aleppo for the ninth day ." with a GPE span running on
    doc = Doc([("Troops", "NOUN", "nsubj", 1), ("captured", "VERB", "ROOT", 1),
               ("Barentu", "PROPN", "dobj", 1), ("and", "CCONJ", "cc", 2),
               ("Omohager", "PROPN", "conj", 2), (".", "PUNCT", "punct", 1)], ents=[(2, 5, "GPE")])
    cands = candidates(doc, 1, [])
    assert _spans(doc, cands) == ["Barentu", "Omohager"]
    assert _spans(doc, _coordinated(doc, cands[0], cands)) == ["Barentu", "Omohager"]
    doc = Doc([("Clashes", "NOUN", "nsubj", 1), ("continued", "VERB", "ROOT", 1),
               ("in", "ADP", "prep", 1), ("Aleppo", "PROPN", "pobj", 2), ("for", "ADP", "prep", 1),
               ("the", "DET", "det", 7), ("ninth", "ADJ", "amod", 7), ("day", "NOUN", "pobj", 4),
               (".", "PUNCT", "punct", 1)], ents=[(3, 8, "GPE")])
    assert _spans(doc, candidates(doc, 1, [])) == ["Aleppo"]


def test_of_inside_a_generic_name_is_kept():
    # "Pirates attacked a ship in the Gulf of Aden ."
    doc = Doc([("Pirates", "NOUN", "nsubj", 1), ("attacked", "VERB", "ROOT", 1), ("a", "DET", "det", 3),
               ("ship", "NOUN", "dobj", 1), ("in", "ADP", "prep", 1), ("the", "DET", "det", 6),
               ("Gulf", "PROPN", "pobj", 4), ("of", "ADP", "prep", 6), ("Aden", "PROPN", "pobj", 7),
               (".", "PUNCT", "punct", 1)], ents=[(5, 9, "LOC")])
    assert _spans(doc, candidates(doc, 1, [])) == ["Gulf of Aden"]


def test_place_inside_an_organisation_name_is_marked():
    # "The Islamic State of Iraq launched an attack in Deir Ezzor ."
    doc = Doc([("The", "DET", "det", 2), ("Islamic", "PROPN", "compound", 2), ("State", "PROPN", "nsubj", 5),
               ("of", "ADP", "prep", 2), ("Iraq", "PROPN", "pobj", 3), ("launched", "VERB", "ROOT", 5),
               ("an", "DET", "det", 7), ("attack", "NOUN", "dobj", 5), ("in", "ADP", "prep", 7),
               ("Deir", "PROPN", "compound", 10), ("Ezzor", "PROPN", "pobj", 8),
               (".", "PUNCT", "punct", 5)], ents=[(0, 5, "ORG"), (9, 11, "GPE")])
    tops = [doc.top("Iraq", "country")]
    cands = candidates(doc, 5, tops)
    assert _spans(doc, cands) == ["Iraq", "Deir Ezzor"]
    assert _cand(doc, cands, "Iraq").features.get("in_longer_ent") == 1.0
    assert "in_longer_ent" not in _cand(doc, cands, "Deir Ezzor").features


def test_unit_and_building_names_are_marked():
    # "ISIS is entrenched at Brigade 550 near the Plaza Hotel ."
    doc = Doc([("ISIS", "PROPN", "nsubj", 2), ("is", "AUX", "aux", 2),
               ("entrenched", "VERB", "ROOT", 2), ("at", "ADP", "prep", 2),
               ("Brigade", "PROPN", "pobj", 3), ("550", "NUM", "nummod", 4), ("near", "ADP", "prep", 2),
               ("the", "DET", "det", 9), ("Plaza", "PROPN", "compound", 9), ("Hotel", "PROPN", "pobj", 6),
               (".", "PUNCT", "punct", 2)], ents=[(0, 1, "ORG")])
    cands = candidates(doc, 2, [])
    assert _spans(doc, cands) == ["Brigade", "Plaza Hotel"]
    assert _cand(doc, cands, "Brigade").features.get("org_word") == 1.0
    assert "building_name" not in _cand(doc, cands, "Brigade").features
    assert _cand(doc, cands, "Plaza Hotel").features.get("building_name") == 1.0
    assert "org_word" not in _cand(doc, cands, "Plaza Hotel").features


def test_person_object_of_the_trigger_is_marked():
    # "Gunmen shot dead British national Edward Muirhead-Smith in Riyadh ." - NER calls the
    # man an ORG, so he is a trigger-object candidate; the role noun before him marks him
    doc = Doc([("Gunmen", "NOUN", "nsubj", 1), ("shot", "VERB", "ROOT", 1), ("dead", "ADJ", "amod", 8),
               ("British", "ADJ", "amod", 4), ("national", "ADJ", "compound", 8),
               ("Edward", "PROPN", "compound", 8), ("Muirhead", "PROPN", "compound", 8, True),
               ("-", "PUNCT", "punct", 8, True), ("Smith", "PROPN", "dobj", 1),
               ("in", "ADP", "prep", 1), ("Riyadh", "PROPN", "pobj", 9), (".", "PUNCT", "punct", 1)],
              ents=[(5, 9, "ORG"), (10, 11, "GPE")])
    cands = candidates(doc, 1, [doc.top("Riyadh", "capital")])
    person = _cand(doc, cands, "Edward Muirhead-Smith")
    assert person.source == "arg" and person.features.get("person_cue") == 1.0
    assert "person_cue" not in _cand(doc, cands, "Riyadh").features


def test_age_after_a_name_marks_a_person():
    # "Police arrested Jordan , 23 , in Lahore ."
    doc = Doc([("Police", "NOUN", "nsubj", 1), ("arrested", "VERB", "ROOT", 1),
               ("Jordan", "PROPN", "dobj", 1), (",", "PUNCT", "punct", 2), ("23", "NUM", "appos", 2),
               (",", "PUNCT", "punct", 2), ("in", "ADP", "prep", 1), ("Lahore", "PROPN", "pobj", 6),
               (".", "PUNCT", "punct", 1)])
    cands = candidates(doc, 1, [doc.top("Jordan", "country"), doc.top("Lahore")])
    assert _cand(doc, cands, "Jordan").features.get("person_cue") == 1.0
    assert "person_cue" not in _cand(doc, cands, "Lahore").features


def test_modifier_of_a_person_noun_is_marked():
    # "The grenade killed the U.S. soldier ."
    doc = Doc([("The", "DET", "det", 1), ("grenade", "NOUN", "nsubj", 2), ("killed", "VERB", "ROOT", 2),
               ("the", "DET", "det", 5), ("U.S.", "PROPN", "compound", 5), ("soldier", "NOUN", "dobj", 2),
               (".", "PUNCT", "punct", 2)])
    cands = candidates(doc, 2, [doc.top("U.S.", "country")])
    assert cands[0].features.get("mod_person") == 1.0


def test_coordination_through_a_direction_word():
    # "Bombs went off in southern Kandahar and eastern Khost ."
    doc = Doc([("Bombs", "NOUN", "nsubj", 1), ("exploded", "VERB", "ROOT", 1), ("in", "ADP", "prep", 1),
               ("southern", "ADJ", "amod", 4), ("Kandahar", "PROPN", "pobj", 2), ("and", "CCONJ", "cc", 4),
               ("eastern", "ADJ", "amod", 7), ("Khost", "PROPN", "conj", 4), (".", "PUNCT", "punct", 1)])
    cands = candidates(doc, 1, [doc.top("Kandahar"), doc.top("Khost")])
    assert _spans(doc, _coordinated(doc, cands[0], cands)) == ["Kandahar", "Khost"]


def test_name_of_a_place_noun_is_a_candidate_whatever_ner_says():
    # "Troops shelled positions in the Minyan district and the village of Maheen in May ." -
    # the small NER model calls such names NORP or DATE; a month name is still no place
    doc = Doc([("Troops", "NOUN", "nsubj", 1), ("shelled", "VERB", "ROOT", 1),
               ("positions", "NOUN", "dobj", 1), ("in", "ADP", "prep", 1), ("the", "DET", "det", 6),
               ("Minyan", "PROPN", "compound", 6), ("district", "NOUN", "pobj", 3),
               ("and", "CCONJ", "cc", 6), ("the", "DET", "det", 9), ("village", "NOUN", "conj", 6),
               ("of", "ADP", "prep", 9), ("Maheen", "PROPN", "pobj", 10), ("in", "ADP", "prep", 1),
               ("May", "PROPN", "pobj", 12), (".", "PUNCT", "punct", 1)],
              ents=[(5, 6, "NORP"), (11, 12, "DATE"), (13, 14, "DATE")])
    assert _spans(doc, candidates(doc, 1, [])) == ["Minyan", "Maheen"]


def test_name_coordinated_with_a_candidate_is_a_candidate():
    # "Bombs exploded in Taba and Ras Shitan ." - NER calls "Ras Shitan" a PERSON
    doc = Doc([("Bombs", "NOUN", "nsubj", 1), ("exploded", "VERB", "ROOT", 1), ("in", "ADP", "prep", 1),
               ("Taba", "PROPN", "pobj", 2), ("and", "CCONJ", "cc", 3), ("Ras", "PROPN", "compound", 6),
               ("Shitan", "PROPN", "conj", 3), (".", "PUNCT", "punct", 1)], ents=[(5, 7, "PERSON")])
    cands = candidates(doc, 1, [doc.top("Taba")])
    assert _spans(doc, cands) == ["Taba", "Ras Shitan"]
    assert _spans(doc, _coordinated(doc, cands[0], cands)) == ["Taba", "Ras Shitan"]


def test_name_modifying_the_trigger_object_facility_is_a_candidate():
    # "Rebels captured the Kokkadicholai base ." - NER calls the name an ORG
    doc = Doc([("Rebels", "NOUN", "nsubj", 1), ("captured", "VERB", "ROOT", 1), ("the", "DET", "det", 4),
               ("Kokkadicholai", "PROPN", "compound", 4), ("base", "NOUN", "dobj", 1),
               (".", "PUNCT", "punct", 1)], ents=[(3, 4, "ORG")])
    cands = candidates(doc, 1, [])
    assert _spans(doc, cands) == ["Kokkadicholai"] and cands[0].source == "arg"
