"""Where did the event happen?  Choose the location of one event trigger in a parsed sentence.

:func:`choose_event_location` takes a dependency-parsed sentence (a spaCy ``Doc`` or anything
with the same token attributes: ``i``, ``idx``, ``text``, ``lower_``, ``pos_``, ``tag_``,
``dep_``, ``head``, ``ent_type_``), the index of the trigger token and the toponyms of the
text, and returns the place(s) where the trigger's event happened, or ``[]``.

Every candidate (a geoparser toponym, an unresolved NER place, or a proper-noun phrase
governed by a locative preposition) gets a linear score over syntactic features:

* how it attaches: object of which preposition, and whether that preposition hangs on the
  trigger, on one of its arguments or elsewhere; direct object / passive subject of the
  trigger ("Kisangani was captured"); subject of a verb or possessor of a non-place noun
  (an actor: "Syria's army", "Baghdad police"); possessor or modifier of a place noun (a
  container: "Baghdad's Doura district");
* the dependency path to the trigger: up-steps on either side, verbs crossed (another
  clause), whether another candidate lies on the path (the candidate then contains or
  qualifies a more specific place: "Karradah neighbourhood in central Baghdad");
* origins ("from X to Y", except for withdrawals), token distance, side of the trigger;
* what the gazetteer made of it (country, admin unit, settlement, unresolved) and its source;
* which argument of the trigger holds it (subject, object, prepositional phrase, agent,
  clause), whether it sits in the subject of the verb governing the trigger or under a
  reporting verb ("officials in Kabul said ..."), the trigger's own clause (main, subordinate,
  relative, nominal; reporting verb; passive);
* specificity against the other candidates: a place qualifying another candidate's phrase
  ("Sadr city in eastern Baghdad": the annotators keep the most specific place), the
  coarsest/finest gazetteer level present, the nearest candidate to the trigger.

Proper names the trigger takes as object ("captured Kasumbalesa", "captured the Kokkadicholai
base") and names coordinated with a candidate ("Taba and Ras Shitan") are candidates too; a
name heading a place noun is one whatever NER calls it ("the Minyan district", "the village of
Ma'ardes").  A candidate span is the whole name: the compound it heads ("Kfar Falous", not
"Kfar"), hyphen- or slash-joined parts ("Al-Assad Suburb", "Katsina/Ala") and ayn/hamza marks
("‘Ayn ‘Issa"); an NER span is cut into the names it holds ("Barentu and Omohager", "Aleppo
for the ninth day"); overlapping candidates are merged.  Features also mark a name inside a
longer organisation or person entity ("Iraq" in "the Islamic State of Iraq"), names of units
and institutions ("Brigade 550", "Police Headquarters"), of buildings ("Plaza Hotel"), of
people ("journalist John Smith", "Ali, 34,") and modifiers of person nouns ("the U.S. soldier").
On top of the linear score, a few hundred small regression trees (gradient boosting of the
same loss, fitted after the linear weights) add the feature interactions a linear score
cannot express; the trees are stored in the same weights file.

The weights are fitted (a softmax over each sentence's candidates plus a "no location"
option, L2-regularised, numpy) on the even-numbered rows of Halterman's (2019)
event-location development set by ``python -m frontlines.geo.fit_eventloc`` (or
``frontlines eval event-location --fit``), which writes them with the threshold and the
training data's hash to ``frontlines/geo/data/eventloc_weights.json``, loaded here as
``WEIGHTS``/``THRESHOLD``; ``frontlines eval event-location --rows odd`` gives the held-out
figure.  A candidate's score is the sigmoid of its margin over "no location"; the best
candidate is returned when it passes ``THRESHOLD`` (chosen where precision and recall are
about equal on the training rows), with the places coordinated with it ("in Yala and
Pattani", "Rafah ... and the town of Khan Yunis"; not a country or province after a comma:
"Izmir, Turkey").
"""
from __future__ import annotations

import bisect
import json
import logging
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from frontlines.records import Toponym
from frontlines.geo.geoparse import _trim

log = logging.getLogger(__name__)

LOCATIVE_PREPS = ("in", "at", "near", "around", "outside", "inside", "into", "across",
                  "throughout", "on", "over", "toward", "towards", "to", "from", "of", "by",
                  "within", "off", "between", "against", "along", "through", "onto", "upon",
                  "behind", "beyond", "north", "south", "east", "west", "for", "with", "after",
                  "during", "like", "including", "among", "outskirts")
_PREP_FEATURES = {"in": "in", "at": "at", "near": "near", "around": "near", "outside": "near",
                  "inside": "in", "within": "in", "throughout": "across", "across": "across",
                  "into": "into", "onto": "into", "on": "on", "upon": "on", "over": "over",
                  "toward": "to", "towards": "to", "to": "to", "from": "from", "of": "of",
                  "by": "by", "off": "near", "between": "between", "against": "against",
                  "along": "along", "through": "through", "behind": "near", "beyond": "near"}
PLACE_NOUNS = frozenset({
    "city", "cities", "town", "towns", "village", "villages", "hamlet", "settlement",
    "settlements", "outskirts", "region", "regions", "province", "provinces", "district",
    "districts", "suburb", "suburbs", "area", "areas", "centre", "center", "port", "capital",
    "neighbourhood", "neighborhood", "neighbourhoods", "neighborhoods", "governorate",
    "governorates", "county", "counties", "state", "states", "oblast", "raion", "countryside",
    "heart", "part", "parts", "east", "west", "north", "south", "camp", "island", "islands",
    "border", "streets", "street", "municipality", "prefecture", "territory", "territories",
    "outpost", "enclave", "stronghold", "valley", "community", "quarter", "zone", "vicinity",
    "environs", "periphery", "flank", "axis", "front", "countryside", "province's", "locality",
    "sector", "district's", "division", "department", "commune", "borough", "waters", "coast",
    "desert", "plain", "mountains", "hills", "villages", "town's", "city's"})
# lowercase words after a name that are not part of it for the annotators: "Kapho district"
_TRAIL_GENERIC = re.compile(
    r"(?:\s+(?:district|districts|province|provinces|region|regions|governorate|governorates|"
    r"oblast|raion|rayon|county|state|city|town|village|area|areas|neighbou?rhood|"
    r"municipality|prefecture|countryside|local government area))+$")
_LEAD_GENERIC = re.compile(
    r"^(?:the\s+)?(?:(?:north|south|east|west|northeast|northwest|southeast|southwest|"
    r"north-east|north-west|south-east|south-west|central|northern|southern|eastern|western|"
    r"northeastern|northwestern|southeastern|southwestern|rural|downtown|greater|suburban|"
    r"upper|lower)\s+)*(?:(?:city|town|village|province|region|district|governorate|county|"
    r"state|port|capital|settlement)\s+of\s+(?:the\s+)?)?")
_WITHDRAW = re.compile(r"withdr|retreat|pull|left|leav|fled|flee|evacuat|abandon|driven|"
                       r"pushed|expel|exit|escap|oust|chased|recaptur|regain|liberat",
                       re.IGNORECASE)
_ACTOR_AFTER = re.compile(r"^\s*(?:-|‑)\s*(?:based|backed|led|made|held|controlled|born)\b|"
                          r"^\s*(?:'s|’s)?\s*(?:forces|troops|army|military|police|officials?|"
                          r"government|authorities|soldiers|militia|rebels|president|ministry|"
                          r"leader|navy|air force|warplanes|jets)\b", re.IGNORECASE)
_CLAUSE_DEPS = frozenset({"advcl", "ccomp", "relcl", "acl", "xcomp", "conj", "parataxis",
                          "csubj", "pcomp"})
_SUBJ_DEPS = frozenset({"nsubj", "csubj", "expl"})
_NER_PLACE = frozenset({"GPE", "LOC", "FAC"})
_NER_NEVER = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL",
                        "NORP"})
_FACILITY_WORDS = frozenset({
    "airport", "airbase", "base", "hospital", "mosque", "church", "camp", "bridge", "school",
    "university", "prison", "hotel", "market", "square", "stadium", "palace", "station",
    "checkpoint", "highway", "road", "street", "district", "province", "governorate", "hill",
    "mountain", "park", "compound", "embassy", "building", "village", "town", "city", "dam",
    "port", "plant", "refinery", "field", "crossing", "valley", "quarter", "neighborhood",
    "neighbourhood", "academy", "college", "center", "centre", "barracks", "garrison", "mall",
    "cathedral", "temple", "shrine", "housing", "project", "factory", "zone", "island"})

FEATURES = (
    "bias", "src_gaz", "src_ner", "src_pp",
    "ner_place", "ner_org", "ner_person", "ner_other", "ner_none",
    "feat_country", "feat_admin1", "feat_admin2", "feat_settlement", "feat_water",
    "feat_region", "feat_facility", "feat_unresolved", "big_city",
    "role_pobj", "role_dobj_trig", "role_subjpass_trig", "role_subj", "role_subj_trig",
    "role_poss_place", "role_poss_other", "role_mod_other", "role_appos", "role_conj",
    "role_npadvmod", "role_other",
    "prep_in", "prep_at", "prep_near", "prep_across", "prep_into", "prep_on", "prep_over",
    "prep_to", "prep_from", "prep_of", "prep_by", "prep_between", "prep_against",
    "prep_along", "prep_through", "prep_otherprep",
    "gov_trigger", "gov_trigger_arg", "gov_trigger_subtree", "gov_place_noun",
    "in_trig_subtree", "trig_in_cand_subtree", "same_clause",
    "up_cand", "up_trig", "verbs_on_path", "clause_on_trig_path",
    "cand_on_path", "contains_other", "qualifies_other",
    "from_withdraw", "from_origin", "actor_after", "hyphen_after",
    "tok_dist", "after_trigger", "n_cands", "sent_initial_dateline",
    "first_of_chain", "place_noun_head", "trigger_noun", "name_of_place_noun",
    "shares_head_with_of_name", "propn_person_like", "sent_first_token",
    # added: how the candidate hangs on the trigger / the trigger on its clause, reporting
    # clauses, specificity relative to the other candidates, trigger objects as candidates
    "src_arg", "tchild_subj", "tchild_obj", "tchild_prep", "tchild_agent", "tchild_clause",
    "tchild_other", "gov_subj", "report_on_path", "trig_report", "trig_dep_clause",
    "trig_dep_rel", "trig_dep_nominal", "trig_passive", "qualifies_other_phrase",
    "has_qualifier", "coarser_than_other", "finest_level", "nearest_cand", "sent_len",
    # added: a name inside a longer non-place entity ("Iraq" in "the Islamic State of Iraq"),
    # a name made of words that name units or institutions ("Brigade 550", "Police Headquarters")
    "in_longer_ent", "org_word",
    # added: a person's name ("journalist John Smith", "Ali, 34,"), a modifier of a noun for
    # people ("the U.S. soldier", "Iraqi officials")
    "person_cue", "mod_person",
    # added: the name of a building or institution ("Plaza Hotel", "Heart Hospital")
    "building_name",
)
_BUILDING_WORDS = frozenset({
    "hospital", "hotel", "mosque", "church", "school", "university", "college", "academy",
    "embassy", "consulate", "consulate-general", "bank", "exchange", "parliament", "palace",
    "temple", "shrine", "cathedral", "stadium", "mall", "market", "centre", "center", "station",
    "prison", "jail", "building", "tower", "towers", "office", "offices", "club", "restaurant",
    "cafe", "theatre", "theater", "museum", "court", "house", "hall", "plaza", "compound",
    "factory", "plant", "refinery", "airport", "airbase", "base", "barracks", "checkpoint",
    "bridge", "crossing", "street", "road", "avenue", "highway", "square", "camp", "complex",
    "project", "institute", "headquarters", "gate", "port", "terminal", "park", "garden"})
_PERSON_NOUN = re.compile(
    r"(?:soldier|troop|policem[ae]n|police|officer|civilian|journalist|reporter|citizen|national|"
    r"diplomat|worker|official|leader|commander|president|minister|ambassador|envoy|militant|"
    r"rebel|fighter|marine|pilot|tourist|hostage|contractor|peacekeeper|servicem[ae]n|man|men|"
    r"woman|women|people|person|student|resident|villager|settler|guard|gunm[ae]n|agent|"
    r"spokesm[ae]n|spokeswom[ae]n|spokesperson|general|colonel|captain|lieutenant|sergeant|"
    r"major|chief|commando|paratrooper|sailor|airm[ae]n|insurgent|terrorist|suspect|"
    r"bomber|prisoner|detainee|refugee|migrant|child|children|boy|girl|priest|cleric|imam|"
    r"lawmaker|politician|activist|employee|staff|crew|personnel|businessm[ae]n|engineer|"
    r"doctor|nurse|teacher|monk|mayor|governor|king|prince|ruler|premier|chancellor)s?")
# capitalised words that name armed units and institutions rather than places
_ORG_WORDS = frozenset({
    "police", "brigade", "brigades", "army", "armies", "forces", "force", "division", "battalion",
    "regiment", "corps", "guard", "guards", "militia", "militias", "command", "headquarters",
    "ministry", "party", "front", "movement", "committee", "council", "agency", "directorate",
    "unit", "units", "squadron", "platoon", "company", "navy", "government", "administration",
    "authority", "authorities", "service", "services", "organization", "organisation", "group",
    "coalition", "alliance", "state"})
_REPORT = re.compile(r"(?:say|says|said|saying|tell|tells|told|telling|report|reports|reported|"
                     r"reporting|add|adds|added|claim|claims|claimed|claiming|state|states|"
                     r"stated|announce[sd]?|announcing|confirm|confirms|confirmed|according|"
                     r"quoted?|accuse[sd]?|accusing|condemn|condemns|condemned|condemning|"
                     r"den(?:y|ies|ied|ying)|blame[sd]?|blaming|warn|warns|warned|urge[sd]?|"
                     r"call|calls|called|calling)")
_TCHILD = {"nsubj": "subj", "nsubjpass": "subj", "csubj": "subj", "csubjpass": "subj",
           "expl": "subj", "dobj": "obj", "obj": "obj", "attr": "obj", "oprd": "obj",
           "dative": "obj", "prep": "prep", "agent": "agent", "advcl": "clause",
           "ccomp": "clause", "xcomp": "clause", "conj": "clause", "parataxis": "clause",
           "relcl": "clause", "acl": "clause", "pcomp": "clause"}
# granularity of a resolved place: country 0 .. settlement 3, unresolved names (mostly small
# places: neighbourhoods, villages, facilities) 4
_LEVEL = {"country": 0, "continent": 0, "admin1": 1, "region": 1, "water": 1, "admin2": 2,
          "settlement": 3, "facility": 4, "unresolved": 4}


@dataclass(slots=True)
class EventLocationCandidate:
    """A span that may be the event's location, with its features and score."""

    start: int                       # character offsets into the doc
    end: int
    toponym: Toponym | None
    source: str                      # "gaz" (a geoparser toponym), "ner", "pp"
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0


WEIGHTS_PATH = Path(__file__).resolve().parent / "data" / "eventloc_weights.json"
WEIGHTS_FORMAT = "frontlines.eventloc-weights/1"


class Weights(dict):
    """Feature weights (a ``dict``) and the boosted trees fitted on top of them (``trees``).

    A tree is a leaf value (a number) or ``[feature, threshold, left, right]``: ``left`` when
    the candidate's feature value (0 when absent) is ``<= threshold``, else ``right``.  A
    candidate's margin over "no location" is ``w . features`` plus the leaves it reaches."""

    def __init__(self, weights: Any = (), trees: Sequence[Any] = ()) -> None:
        super().__init__(weights)
        self.trees = [_float_leaves(t) for t in trees]


def _float_leaves(tree: Any) -> Any:
    """The tree with its leaves as floats (so scoring adds them without converting)."""
    if isinstance(tree, list):
        return [tree[0], tree[1], _float_leaves(tree[2]), _float_leaves(tree[3])]
    return float(tree)


def margin(feats: dict[str, float], weights: dict[str, float]) -> float:
    """A candidate's score before the sigmoid: the linear part plus the trees (if any)."""
    x = sum(weights.get(k, 0.0) * v for k, v in feats.items())
    get = feats.get
    for node in getattr(weights, "trees", ()):   # walk each tree to the leaf the candidate reaches
        while node.__class__ is list:
            node = node[2] if get(node[0], 0.0) <= node[1] else node[3]
        x += node
    return x


def load_weights(path: str | Path | None = None) -> tuple[dict[str, float], float, dict[str, Any]]:
    """The weights, threshold and whole record of a weights file (default: the shipped one,
    written by ``python -m frontlines.geo.fit_eventloc``).  The weights are a :class:`Weights`
    dict carrying the file's trees, so passing them on scores with the whole model."""
    p = Path(path) if path is not None else WEIGHTS_PATH
    data = json.loads(p.read_text(encoding="utf-8"))
    if data.get("format") != WEIGHTS_FORMAT:
        raise ValueError(f"{p}: not an event-location weights file (format {data.get('format')!r})")
    weights = {str(k): float(v) for k, v in data["weights"].items()}
    unknown = sorted(set(weights) - set(FEATURES))
    if unknown:
        log.warning("%s: weights for unknown features ignored: %s", p, ", ".join(unknown))
        for k in unknown:
            del weights[k]
    trees = data.get("trees", [])
    bad = sorted({n for t in trees for n in _tree_features(t)} - set(FEATURES))
    if bad:
        raise ValueError(f"{p}: trees split on unknown features: {', '.join(bad)}")
    return Weights(weights, trees), float(data["threshold"]), data


def _tree_features(tree: Any) -> set[str]:
    if not isinstance(tree, list):
        return set()
    return {tree[0]} | _tree_features(tree[2]) | _tree_features(tree[3])


# fitted weights (see module docstring; rebuilt by ``python -m frontlines.geo.fit_eventloc``)
WEIGHTS, THRESHOLD, _WEIGHTS_RECORD = load_weights()


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


class _Index:
    """Character offset -> token lookups for a doc."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]

    def tokens(self, start: int, end: int) -> list[Any]:
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        out = []
        doc = self.doc
        n = len(self.starts)
        while i < n and self.starts[i] < end:
            t = doc[i]
            if t.idx + len(t.text) > start and not t.text.isspace():
                out.append(t)
            i += 1
        return out


def _root(toks: Sequence[Any]) -> Any:
    ids = {t.i for t in toks}
    for t in toks:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return toks[0]


def _ancestors(tok: Any) -> list[Any]:
    out = [tok]
    seen = {tok.i}
    while out[-1].head.i != out[-1].i:
        h = out[-1].head
        if h.i in seen:
            break
        seen.add(h.i)
        out.append(h)
    return out


def _is_place_noun(tok: Any) -> bool:
    return tok.lower_ in PLACE_NOUNS and tok.pos_ in ("NOUN", "PROPN")


def _attachment(root: Any, cand_ids: set[int]) -> tuple[Any, list[str]]:
    """Climb from a name to the word that attaches its noun phrase; notes on the way."""
    a = root
    notes: list[str] = []
    for _ in range(6):
        dep = a.dep_
        h = a.head
        if h.i == a.i:
            break
        if dep in ("compound", "amod", "nmod", "nn", "flat", "nummod") and h.pos_ in ("NOUN", "PROPN"):
            if _is_place_noun(h) or h.i in cand_ids:
                notes.append("place_noun_head")
                a = h
                continue
            if h.pos_ == "PROPN" or h.lower_ in _FACILITY_WORDS:
                a = h
                continue
            notes.append("mod_other")
            return a, notes
        if dep == "pobj" and h.lower_ == "of" and (_is_place_noun(h.head) or h.head.lower_ in _FACILITY_WORDS):
            notes.append("name_of_place_noun")
            a = h.head
            continue
        if dep == "appos":
            notes.append("appos")
            a = h
            continue
        break
    return a, notes


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z'’-]+", text)



def _take_name(tok, source: str, cands: list["EventLocationCandidate"],
               taken: list[tuple[int, int]], lo: int = 0, hi: int | None = None) -> None:
    """Add the proper name ``tok`` belongs to as an unresolved candidate unless it overlaps one."""
    a, b = _proper_name_span(_compound_head(tok), lo, hi)
    over = [c for c in cands if c.start < b and a < c.end]
    if not over:
        cands.append(EventLocationCandidate(a, b, None, source))
        taken.append((a, b))
    elif all(_unresolved(c) and a <= c.start and c.end <= b for c in over):
        # a part of the name was found unresolved (NER "Misreen" of "Ma'arat Misreen")
        over[0].start, over[0].end = a, b
        taken.append((a, b))


# lowercase words inside a place name ("Ain el-Hilweh", "Deir ez-Zor", "Perchting bei Starnberg")
_NAME_PARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "ez", "es", "ed", "en",
                             "de", "del", "della", "di", "da", "do", "dos", "das", "du", "des",
                             "la", "le", "les", "bin", "ibn", "bint", "bani", "bei", "am", "an",
                             "im", "e", "i", "y", "von", "van", "der", "den", "sur", "upon",
                             "on", "-", "‑", "/", "'", "’", "‘", "ʿ", "ʾ", "."})
# capitalised generic words whose "of" belongs to the name ("Gulf of Aden", "University of Jordan")
_OF_GENERICS = frozenset({
    "gulf", "bay", "sea", "strait", "straits", "university", "republic", "isle", "island",
    "islands", "cape", "port", "mount", "lake", "city", "state", "province", "kingdom",
    "sultanate", "emirate", "emirates", "district", "governorate", "region", "county",
    "municipality", "town", "village", "valley", "coast", "bank", "horn", "mouth",
    "isles", "territory", "commonwealth", "federation", "union", "principality",
    "duchy", "canal", "river", "peninsula", "plain", "plains", "heights", "hills", "mountains"})


def _name_pieces(toks: Sequence[Any]) -> list[list[Any]]:
    """An NER span cut into the names it holds: at commas, brackets and conjunctions ("Bari,
    Catania", "Barentu and Omohager"), and before lowercase words that are no name particle
    ("Aleppo for the ninth consecutive day", "Iraq war", "Sabr 20 kilometers")."""
    pieces: list[list[Any]] = []
    cur: list[Any] = []
    for k, t in enumerate(toks):
        w = t.text
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        part = (w[:1].isupper() or w.lower() in _NAME_PARTICLES and cur
                or w in ("of", "the") and cur and (cur[-1].lower_ in _OF_GENERICS or
                                                   w == "the" and cur[-1].text == "of")
                or w[:1].isdigit() and cur and (nxt is None or nxt.text[:1].isupper())
                or w[:1].isdigit() and nxt is not None and nxt.text[:1].isupper())
        if part:
            cur.append(t)
            continue
        if cur:
            pieces.append(cur)
        cur = []
        if w[:1].isalpha() and w[:1].islower() and t.pos_ not in ("CCONJ", "ADP", "DET"):
            break          # "Iraq war", "Aleppo for the ninth consecutive day": the rest is no name
    if cur:
        pieces.append(cur)
    out = []
    for p in pieces:
        while p and (p[-1].text.lower() in _NAME_PARTICLES or p[-1].text in ("of", "the")) \
                and not p[-1].text[:1].isupper():
            p = p[:-1]
        if p and any(t.text[:1].isupper() for t in p):
            out.append(p)
    return out or [list(toks)]


def _unresolved(c: "EventLocationCandidate") -> bool:
    return c.toponym is None or c.toponym.place is None


# marks that belong to a transliterated name: ayn/hamza apostrophes ("‘Ayn ‘Issa", "‘Arak"),
# and the hyphen or slash inside a compound name ("Al-Assad", "Katsina/Ala", "Hawsh-Nasri")
_NAME_MARKS = frozenset({"‘", "’", "ʿ", "ʾ", "'", "`"})
_NAME_JOINERS = frozenset({"-", "‑", "/"})


def _glued(a: Any, b: Any) -> bool:
    """No space between token ``a`` and the token ``b`` after it."""
    return a.idx + len(a.text) == b.idx


def _name_part(tok: Any) -> bool:
    """A word that can be part of a hyphenated name: capitalised, a number ("T-3") or a
    particle ("el" of "Ain el-Hilweh"); not "pro" of "pro-Assad" nor "run" of "U.S.-run"."""
    w = tok.text
    return w[:1].isupper() or w[:1].isdigit() or w.lower() in _NAME_PARTICLES and w[:1].isalpha()


def _joined_right(doc: Any, last: Any, hi: int) -> Any:
    """The last token of a name continued by hyphen- or slash-joined parts ("Katsina/Ala",
    "Mazar-e-Sharif"), stopping before a lowercase word ("U.S.-run", "London-based")."""
    end = last
    while (last.i + 2 < hi and doc[last.i + 1].text in _NAME_JOINERS
           and _glued(last, doc[last.i + 1]) and _glued(doc[last.i + 1], doc[last.i + 2])
           and _name_part(doc[last.i + 2])):
        last = doc[last.i + 2]
        if not (last.text[:1].islower() and last.text.lower() in _NAME_PARTICLES):
            end = last       # a name does not end in a particle ("Deir ez-")
    return end


def _compound_head(tok: Any) -> Any:
    """The proper noun a name's compound chain ends in ("Kfar" -> "Falous" in "Kfar Falous
    crossing", "Sheikh" -> "District" in "Sheikh Sa'eed District"), or ``tok``."""
    h = tok
    for _ in range(4):
        nh = h.head
        if (h.dep_ in ("compound", "flat") and nh.i != h.i and 0 < abs(nh.i - h.i) <= 3
                and nh.pos_ == "PROPN" and nh.text[:1].isupper()):
            h = nh
            continue
        break
    return h


def _proper_name_span(tok: Any, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """Character span of the proper name headed by ``tok``: the capitalised words before it
    that modify it ("Kfar Falous", "Al-Assad Suburb", "Ayn" in "‘Ayn ‘Issa" though tagged an
    adjective), an ayn/hamza mark glued to a word ("‘Arak") and hyphen- or slash-joined parts
    ("Katsina/Ala"); not a demonym or a lowercase word ("northern").  ``lo``/``hi`` bound the
    token indices (the sentence)."""
    doc = tok.doc
    hi = len(doc) if hi is None else hi
    name = {tok.i}
    first = tok
    j = tok.i - 1
    while j >= lo:
        t, nxt = doc[j], doc[j + 1]
        if t.text in _NAME_MARKS and _glued(t, nxt) and nxt.text[:1].isalpha():
            name.add(j)
            first = t
            j -= 1
        elif (t.text in _NAME_JOINERS and _glued(t, nxt) and j - 1 >= lo
              and _glued(doc[j - 1], t) and _name_part(doc[j - 1])):
            name.update((j, j - 1))
            first = doc[j - 1]
            j -= 2
        elif (t.head.i in name and t.dep_ in ("compound", "flat", "nmod", "amod")
              and t.text[:1].isupper() and t.pos_ in ("PROPN", "ADJ", "NOUN")
              and t.ent_type_ not in ("NORP", "PERSON") or
              t.head.i in name and t.dep_ in ("compound", "flat", "nmod") and t.pos_ == "PROPN"
              and t.text[:1].isupper()):
            name.add(j)
            first = t
            j -= 1
        else:
            break
    if first.text in _NAME_JOINERS:
        first = doc[first.i + 1]
    last = _joined_right(doc, tok, hi)
    return first.idx, last.idx + len(last.text)


def _glue_span(doc: Any, index: "_Index", a: int, b: int, lo: int, hi: int) -> tuple[int, int]:
    """A name span grown over the marks and joiners glued to it: "Arak" -> "‘Arak",
    "Katsina" -> "Katsina/Ala", "Assad" -> "Al-Assad"."""
    toks = index.tokens(a, b)
    if not toks:
        return a, b
    first, last = toks[0], toks[-1]
    while True:
        j = first.i - 1
        if j < lo:
            break
        t = doc[j]
        if t.text in _NAME_MARKS and _glued(t, first) and first.text[:1].isalpha() and (
                j == lo or not _glued(doc[j - 1], t)):
            first = t
        elif (t.text in _NAME_JOINERS and _glued(t, first) and j - 1 >= lo
              and _glued(doc[j - 1], t) and _name_part(doc[j - 1])):
            first = doc[j - 1]
        else:
            break
    last = _joined_right(doc, last, hi)
    return min(a, first.idx), max(b, last.idx + len(last.text))


def _merge_overlaps(cands: list["EventLocationCandidate"]) -> list["EventLocationCandidate"]:
    """One candidate per name: a later candidate overlapping an earlier one is folded into it
    (the earlier keeps its toponym; a resolved toponym wins over an unresolved one)."""
    out: list[EventLocationCandidate] = []
    for c in cands:
        for o in out:
            if o.start < c.end and c.start < o.end:
                o.start, o.end = min(o.start, c.start), max(o.end, c.end)
                if (o.toponym is None or o.toponym.place is None) and \
                        c.toponym is not None and c.toponym.place is not None:
                    o.toponym, o.source = c.toponym, c.source
                break
        else:
            out.append(c)
    return out


def candidates(doc: Any, trigger: int, toponyms: Sequence[Toponym], sent_start: int = 0,
               *, index: _Index | None = None) -> list[EventLocationCandidate]:
    """Candidate spans of the trigger's sentence with their features (no scores yet)."""
    index = index or _Index(doc)
    trig = doc[trigger]
    try:
        sent = trig.sent
        s_lo, s_hi, t_lo, t_hi = sent.start_char, sent.end_char, sent.start, sent.end
    except (AttributeError, ValueError):
        s_lo, s_hi, t_lo, t_hi = 0, len(doc.text), 0, len(doc)
    cands: list[EventLocationCandidate] = []
    taken: list[tuple[int, int]] = []
    for t in toponyms:
        a, b = t.start - sent_start, t.end - sent_start
        if a < s_lo or b > s_hi or b <= a:
            continue
        if any("demonym" in r for r in t.reasons):
            continue
        cands.append(EventLocationCandidate(a, b, t, "gaz"))
        taken.append((a, b))
    # NER places the geoparser left out, and names after locative prepositions
    for e in getattr(doc, "ents", ()):
        if e.start_char < s_lo or e.end_char > s_hi or e.label_ in _NER_NEVER:
            continue
        if any(x < e.end_char and e.start_char < y for x, y in taken):
            continue
        toks = [t for t in doc[e.start:e.end] if not t.is_space] if hasattr(e, "start") else []
        if not toks:
            continue
        er = _root(toks)
        if e.label_ in _NER_PLACE or _after_locative(er):
            for piece in _name_pieces(toks):
                a, b = _trim_span(doc.text, piece[0].idx, piece[-1].idx + len(piece[-1].text))
                if b > a:
                    cands.append(EventLocationCandidate(a, b, None, "ner"))
                    taken.append((a, b))
    for tok in doc[t_lo:t_hi]:
        if tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            continue
        if tok.ent_type_ in _NER_NEVER and not _names_place_noun(tok):
            continue
        if any(x <= tok.idx < y for x, y in taken):
            continue
        if not _after_locative(tok):
            continue
        _take_name(tok, "pp", cands, taken, t_lo, t_hi)
    # a proper name coordinated with a candidate ("Taba and Ras Shitan", "Muqdadiyah, Balad Ruz")
    for tok in doc[t_lo:t_hi]:
        if (tok.pos_ != "PROPN" or not tok.text[:1].isupper() or tok.ent_type_ in _NER_NEVER
                or tok.dep_ in ("compound", "flat") or any(x <= tok.idx < y for x, y in taken)):
            continue
        h = tok.head
        if tok.dep_ == "conj" and h.i != tok.i and any(c.start <= h.idx < c.end for c in cands):
            _take_name(tok, "pp", cands, taken, t_lo, t_hi)
    # a proper name the trigger takes as object ("captured Kasumbalesa", "entered Tal Bizam")
    for tok in doc[t_lo:t_hi]:
        if (tok.pos_ != "PROPN" or not tok.text[:1].isupper() or tok.ent_type_ in _NER_NEVER
                or tok.ent_type_ == "PERSON"):
            continue
        if tok.dep_ in ("compound", "flat") and not (
                tok.head.pos_ == "NOUN" and (_is_place_noun(tok.head) or tok.head.lower_ in _FACILITY_WORDS)):
            continue      # but "captured the Kokkadicholai base", "attacked Sontyo village"
        if any(x <= tok.idx < y for x, y in taken) or not _argument_of(tok, trig):
            continue
        _take_name(tok, "arg", cands, taken, t_lo, t_hi)
    # whole names: the marks and joiners glued to a toponym or NER span ("‘Arak",
    # "Katsina/Ala"), then one candidate per name
    for c in cands:
        if c.source in ("gaz", "ner"):
            c.start, c.end = _glue_span(doc, index, c.start, c.end, t_lo, t_hi)
    cands = _merge_overlaps(cands)
    if not cands:
        return cands
    roots = []
    for c in cands:
        toks = index.tokens(c.start, c.end)
        roots.append(_root(toks) if toks else None)
    cand_ids = {t.i for c in cands for t in index.tokens(c.start, c.end)}
    root_of = {r.i: k for k, r in enumerate(roots) if r is not None}
    trig_anc = _ancestors(trig)
    trig_anc_ids = {t.i: k for k, t in enumerate(trig_anc)}
    withdraw = bool(_WITHDRAW.search(trig.lower_))
    text = doc.text
    # the trigger and its clause, the same for every candidate (they move "no location")
    trig_f: dict[str, float] = {"sent_len": min(t_hi - t_lo, 60) / 30.0}
    if _REPORT.fullmatch(trig.lower_):
        trig_f["trig_report"] = 1.0
    if trig.head.i != trig.i:
        td = trig.dep_
        trig_f["trig_dep_clause" if td in ("advcl", "ccomp", "xcomp", "conj", "parataxis", "pcomp")
               else "trig_dep_rel" if td in ("relcl", "acl") else "trig_dep_nominal"] = 1.0
    if any(ch.dep_ in ("auxpass", "nsubjpass") for ch in trig.children):
        trig_f["trig_passive"] = 1.0
    # entities that are not places (organisations, people, works) the candidates may sit in
    other_ents = [(e.start_char, e.end_char) for e in getattr(doc, "ents", ())
                  if e.label_ not in _NER_PLACE and s_lo <= e.start_char and e.end_char <= s_hi]
    levels = []
    for k, (c, r) in enumerate(zip(cands, roots)):
        f = c.features
        f["bias"] = 1.0
        f["src_" + c.source] = 1.0
        f["n_cands"] = min(len(cands), 6) / 6.0
        f.update(trig_f)
        levels.append(_LEVEL["unresolved"] if c.toponym is None or c.toponym.place is None
                      else _LEVEL.get(_feature_key(c.toponym.place.feature), 4))
        if r is None:
            f["role_other"] = 1.0
            continue
        span_ids = {t.i for t in index.tokens(c.start, c.end)}
        ent = r.ent_type_
        f["ner_place" if ent in _NER_PLACE else "ner_org" if ent == "ORG" else
          "ner_person" if ent == "PERSON" else "ner_none" if not ent else "ner_other"] = 1.0
        p = c.toponym.place if c.toponym is not None else None
        if p is None:
            f["feat_unresolved"] = 1.0
        else:
            ft = p.feature
            f["feat_" + _feature_key(ft)] = 1.0
            if ft in ("settlement", "capital") and p.population >= 1_000_000:
                f["big_city"] = 1.0
        a, notes = _attachment(r, cand_ids - span_ids)
        for n in notes:
            if n == "place_noun_head":
                f["place_noun_head"] = 1.0
            elif n == "mod_other":
                f["role_mod_other"] = 1.0
            elif n == "name_of_place_noun":
                f["name_of_place_noun"] = 1.0
            elif n == "appos":
                f["role_appos"] = 1.0
        dep = a.dep_
        prep = None
        if "mod_other" in notes:
            pass
        elif dep == "pobj" or (dep == "npadvmod" and a.head.pos_ == "ADP"):
            prep = a.head
            f["role_pobj"] = 1.0
        elif dep in ("dobj", "obj", "attr", "oprd") and a.head.i == trig.i:
            f["role_dobj_trig"] = 1.0
        elif dep == "nsubjpass" and a.head.i == trig.i:
            f["role_subjpass_trig"] = 1.0
        elif dep in _SUBJ_DEPS:
            f["role_subj_trig" if a.head.i == trig.i else "role_subj"] = 1.0
        elif dep == "poss":
            f["role_poss_place" if (_is_place_noun(a.head) or a.head.i in cand_ids
                                    or a.head.pos_ == "PROPN") else "role_poss_other"] = 1.0
        elif dep == "conj":
            f["role_conj"] = 1.0
        elif dep == "npadvmod":
            f["role_npadvmod"] = 1.0
        else:
            f["role_other"] = 1.0
        if prep is not None:
            pw = prep.lower_
            f["prep_" + _PREP_FEATURES.get(pw, "otherprep")] = 1.0
            gov = prep.head
            if gov.i == trig.i:
                f["gov_trigger"] = 1.0
            elif gov.head.i == trig.i and gov.dep_ in ("dobj", "obj", "nsubjpass", "nsubj", "attr", "npadvmod"):
                f["gov_trigger_arg"] = 1.0
            elif _is_place_noun(gov) or gov.i in cand_ids:
                f["gov_place_noun"] = 1.0
            if pw == "from":
                if withdraw:
                    f["from_withdraw"] = 1.0
                elif any(s.dep_ == "prep" and s.lower_ in ("to", "toward", "towards", "into")
                         for s in gov.children):
                    f["from_origin"] = 1.0
        # dependency path between the candidate and the trigger
        anc = _ancestors(r)
        lca_c = lca_t = None
        for j, t in enumerate(anc):
            if t.i in trig_anc_ids:
                lca_c, lca_t = j, trig_anc_ids[t.i]
                break
        if lca_c is None:
            lca_c, lca_t = len(anc), len(trig_anc)
        f["up_cand"] = min(lca_c, 8) / 4.0
        f["up_trig"] = min(lca_t, 8) / 4.0
        if lca_t == 0:
            f["in_trig_subtree"] = 1.0
        if lca_c == 0 or trig.i in span_ids:
            f["trig_in_cand_subtree"] = 1.0
        path_c = anc[1:lca_c]
        verbs = sum(1 for t in path_c if t.pos_ in ("VERB", "AUX") and t.i != trig.i)
        f["verbs_on_path"] = min(verbs, 3)
        f["clause_on_trig_path"] = float(any(t.dep_ in _CLAUSE_DEPS for t in trig_anc[:lca_t]))
        if lca_t == 0 and 0 < lca_c <= len(anc):
            # which argument of the trigger holds it: "in Y" (prep), "X was captured" (subj),
            # "targeting positions near Y" (obj), "by X's troops" (agent)
            f["tchild_" + _TCHILD.get(anc[lca_c - 1].dep_, "other")] = 1.0
        elif 0 < lca_c < len(anc) and anc[lca_c - 1].dep_ in _TCHILD and \
                _TCHILD[anc[lca_c - 1].dep_] == "subj":
            # the subject of the verb that governs the trigger ("groups in Aleppo said that ...")
            f["gov_subj"] = 1.0
        if any(_REPORT.fullmatch(t.lower_) for t in anc[1:lca_c + 1] if t.i != trig.i):
            f["report_on_path"] = 1.0
        if verbs == 0 and f["clause_on_trig_path"] == 0:
            f["same_clause"] = 1.0
        if any(t.i in root_of and root_of[t.i] != k for t in path_c):
            f["cand_on_path"] = 1.0
        # the candidate modifies another place ("Baghdad" in "Baghdad's Doura district")
        if any(t.i in cand_ids and t.i not in span_ids for t in anc[1:4]):
            f["qualifies_other"] = 1.0
        f["tok_dist"] = min(abs(r.i - trig.i), 30) / 10.0
        if r.i > trig.i:
            f["after_trigger"] = 1.0
        after = text[c.end:c.end + 30]
        if _ACTOR_AFTER.match(after):
            f["actor_after"] = 1.0
        if after[:1] in ("-", "‑"):
            f["hyphen_after"] = 1.0
        before = text[s_lo:c.start]
        if not before.strip() and re.match(r"^\s*,\s*[A-Z][\w .]+(?:--|—|–|\()", after):
            f["sent_initial_dateline"] = 1.0
        if trig.pos_ in ("NOUN", "PROPN"):
            f["trigger_noun"] = 1.0
        if any(ea <= c.start and c.end <= eb and (ea, eb) != (c.start, c.end) and
               text[ea:eb].strip(" \"'‘’“”") != text[c.start:c.end] for ea, eb in other_ents):
            f["in_longer_ent"] = 1.0
        if any(t.lower_ in _ORG_WORDS and t.text[:1].isupper() for t in index.tokens(c.start, c.end)):
            f["org_word"] = 1.0
        if any(t.lower_ in _BUILDING_WORDS and t.text[:1].isupper()
               for t in index.tokens(c.start, c.end)):
            f["building_name"] = 1.0
        if _person_cue(r):
            f["person_cue"] = 1.0
        if ("mod_other" in notes or dep == "poss") and _PERSON_NOUN.fullmatch(a.head.lower_):
            f["mod_person"] = 1.0
    # "the Algiers suburb of Oued Kniss": the modifier of a place noun whose "of" names a place
    heads_of = {}
    for k, c in enumerate(cands):
        if c.features.get("name_of_place_noun") and roots[k] is not None:
            a, _ = _attachment(roots[k], cand_ids)
            heads_of[a.i] = k
    for k, c in enumerate(cands):
        r = roots[k]
        if r is None or c.features.get("name_of_place_noun"):
            continue
        a, notes = _attachment(r, set())
        if "place_noun_head" in notes and a.i in heads_of:
            c.features["shares_head_with_of_name"] = 1.0
        if c.toponym is None and r.ent_type_ == "PERSON":
            c.features["propn_person_like"] = 1.0
        if c.start == s_lo or not doc.text[s_lo:c.start].strip():
            c.features["sent_first_token"] = 1.0
    # a place inside another candidate's phrase qualifies it ("Sadr city in eastern Baghdad",
    # "the Zahra neighborhood of the port city of Jiddah", "Ramadi, the capital of Anbar"):
    # the annotators keep the most specific place
    heads = [(_attachment(r, cand_ids)[0] if r is not None else None) for r in roots]
    for k, r in enumerate(roots):
        if r is None:
            continue
        span_k = {t.i for t in index.tokens(cands[k].start, cands[k].end)}
        for k2, h2 in enumerate(heads):
            if k2 == k or h2 is None or h2.i in span_k:
                continue
            if heads[k] is not None and heads[k].i == h2.i:
                # one head: "the Zahra neighborhood of Jiddah" - the "of" name is the container
                # when the place noun has a name of its own
                if cands[k].features.get("name_of_place_noun") and \
                        not cands[k2].features.get("name_of_place_noun"):
                    cands[k].features["qualifies_other_phrase"] = 1.0
                    cands[k2].features["has_qualifier"] = 1.0
                continue
            path = _ancestors(r)[1:7]
            ids = [t.i for t in path]
            if h2.i in ids and trig.i not in ids[:ids.index(h2.i) + 1] and not any(
                    t.dep_ == "conj" for t in [r] + path[:ids.index(h2.i)]):
                cands[k].features["qualifies_other_phrase"] = 1.0
                cands[k2].features["has_qualifier"] = 1.0
    # granularity against the other candidates, nearness to the trigger
    if levels:
        top = max(levels)
        dists = [abs(r.i - trig.i) if r is not None else 10 ** 6 for r in roots]
        near = min(dists)
        for k, c in enumerate(cands):
            if levels[k] == top:
                c.features["finest_level"] = 1.0
            elif levels[k] <= 1 and top >= 2:
                c.features["coarser_than_other"] = 1.0
            if dists[k] == near and roots[k] is not None:
                c.features["nearest_cand"] = 1.0
    # a name that other candidates hang on (a container, "Baghdad" for "Karradah ... in Baghdad")
    for k, c in enumerate(cands):
        r = roots[k]
        if r is None:
            continue
        for k2, r2 in enumerate(roots):
            if k2 != k and r2 is not None and r in _ancestors(r2)[1:5]:
                c.features["contains_other"] = 1.0
        if "first_of_chain" not in c.features and all(
                roots[k2] is None or roots[k2].i > r.i for k2 in range(len(cands)) if k2 != k):
            c.features["first_of_chain"] = 1.0
    return cands


def _feature_key(ft: str) -> str:
    """The gazetteer feature class of a resolved place (``feat_*``)."""
    return ("country" if ft in ("country", "continent") else "admin1" if ft == "admin1" else
            "admin2" if ft in ("admin2", "admin3") else
            "settlement" if ft in ("settlement", "capital") else
            "water" if ft in ("river", "reservoir", "sea", "ocean", "lake", "strait", "bay") else
            "region" if ft == "region" else "facility")


def _name_head(tok: Any) -> Any:
    """The head a (multi-word, apposed or coordinated) name hangs from, at most three steps up."""
    h = tok
    for _ in range(3):
        if h.dep_ in ("compound", "flat", "nmod", "appos", "conj") and h.head.i != h.i:
            h = h.head
            continue
        break
    return h


def _person_cue(tok: Any) -> bool:
    """A proper name read as a person's: a lowercase role noun before it ("journalist John
    Smith", "British national Edward Stuart ...")
    or an age after it ("Ali, 34,")."""
    h = _compound_head(tok)
    for ch in h.children:
        if (ch.i < h.i and ch.dep_ in ("compound", "amod", "nmod") and ch.pos_ in ("NOUN", "ADJ")
                and ch.text[:1].islower() and _PERSON_NOUN.fullmatch(ch.lower_)):
            return True
        if ch.i > h.i and ch.dep_ == "appos" and ch.pos_ == "NUM" and ch.text.isdigit() \
                and 0 < int(ch.text) < 110:
            return True
    return False


def _argument_of(tok: Any, trig: Any) -> bool:
    """A proper name that is the trigger's object or passive subject ("patrolled Harare")."""
    h = _name_head(tok)
    return h.head.i == trig.i and h.dep_ in ("dobj", "obj", "nsubjpass")


def _names_facility(tok: Any) -> bool:
    """A proper name heading or modifying a facility or place noun ("Tabaqa Dam", "Bakara market")."""
    return (tok.dep_ == "compound" and tok.head.lower_ in _FACILITY_WORDS) or (
        tok.lower_ in _FACILITY_WORDS and tok.text[:1].isupper())


_CALENDAR = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|january|february|march|april|"
                       r"may|june|july|august|september|october|november|december|jan|feb|mar|"
                       r"apr|jun|jul|aug|sep|sept|oct|nov|dec", re.IGNORECASE)


def _names_place_noun(tok: Any) -> bool:
    """A proper name that names a place noun, whatever NER calls it (the small model often
    tags such names NORP or DATE): "the Minyan district", "the village of Ma'ardes"."""
    if _CALENDAR.fullmatch(tok.text):
        return False
    h = _name_head(tok)
    if h != tok and _is_place_noun(h) and h.pos_ == "NOUN":
        return True
    return h.dep_ == "pobj" and h.head.lower_ == "of" and _is_place_noun(h.head.head)


def _after_locative(tok: Any) -> bool:
    h = _name_head(tok)
    if h.dep_ == "pobj":
        if h.head.lower_ in _PREP_FEATURES and h.head.lower_ not in ("of", "by", "against", "to", "from"):
            return True
        if h.head.lower_ == "of" and _is_place_noun(h.head.head):
            return True
    return False


def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A candidate's name without article, possessive, punctuation or quotes (as the geoparser trims)."""
    return _trim(text, start, end)


def score_candidates(cands: Sequence[EventLocationCandidate],
                     weights: dict[str, float] | None = None) -> None:
    w = WEIGHTS if weights is None else weights
    for c in cands:
        c.score = _sigmoid(margin(c.features, w))


def choose_event_location_candidates(doc: Any, trigger: int, toponyms: Sequence[Toponym],
                                     sent_start: int = 0, *, threshold: float | None = None,
                                     weights: dict[str, float] | None = None
                                     ) -> list[EventLocationCandidate]:
    """Like :func:`choose_event_location` but returns candidates (unresolved spans included)."""
    try:
        cands = candidates(doc, trigger, toponyms, sent_start)
    except Exception:  # a malformed parse must not lose the event
        log.exception("event-location features failed")
        return []
    if not cands:
        return []
    score_candidates(cands, weights)
    best = max(cands, key=lambda c: c.score)
    if best.score < (THRESHOLD if threshold is None else threshold):
        return []
    return _coordinated(doc, best, cands)


def _coordinated(doc: Any, best: EventLocationCandidate,
                 cands: Sequence[EventLocationCandidate]) -> list[EventLocationCandidate]:
    """The chosen place and those coordinated with it ("in Yala and Pattani")."""
    text = doc.text
    ordered = sorted(cands, key=lambda c: c.start)
    k = ordered.index(best)

    def joined(a: EventLocationCandidate, b: EventLocationCandidate) -> bool:
        between = text[a.end:b.start]
        if _SPLIT_NAME.fullmatch(between) or _AND_JOIN.fullmatch(between):
            return True
        if _COMMA_JOIN.fullmatch(between):
            # "Izmir, Turkey", "Dambar, Central Darfur": a larger unit after a comma is the
            # container of the place before it, not a second place
            return not (_coarse(b) and not _coarse(a))
        return False

    return coordinated_run(ordered, k, joined)


# what links coordinated places: "Yala and Pattani", "Rafah ... and the town of Khan Yunis",
# "and in Zubair"; a name the parser split in two ("Beit Yahoun", "Sa'eed-Kaunin")
_AND_JOIN = re.compile(
    r"\s*,?\s*(?:and|or|&|/)\s*(?:(?:in|at|near|on)\s+)?(?:the\s+)?(?:nearby\s+)?"
    r"(?:(?:north|south|east|west|central|northern|southern|eastern|western|northeastern|"
    r"northwestern|southeastern|southwestern|north-eastern|north-western|south-eastern|"
    r"south-western)\s+)?"
    r"(?:(?:\w+\s+)?(?:towns?|city|cities|villages?|districts?|provinces?|regions?|areas?|"
    r"neighbou?rhoods?|suburbs?|settlements?)\s+of\s+)?")
_COMMA_JOIN = re.compile(r"\s*,\s*")
_SPLIT_NAME = re.compile(r"\s{1,2}|\s*[-‑]\s*")


def _coarse(c: EventLocationCandidate) -> bool:
    """A country, continent or first-level division (the container of a settlement)."""
    p = c.toponym.place if c.toponym is not None else None
    return p is not None and p.feature in ("country", "continent", "admin1")


def coordinated_run(ordered: Sequence[Any], k: int, joined: Any) -> list[Any]:
    """``ordered[k]`` and its neighbours on either side linked pairwise by ``joined(left, right)``."""
    group = [ordered[k]]
    j = k
    while j + 1 < len(ordered) and joined(ordered[j], ordered[j + 1]):
        group.append(ordered[j + 1])
        j += 1
    j = k
    while j - 1 >= 0 and joined(ordered[j - 1], ordered[j]):
        group.insert(0, ordered[j - 1])
        j -= 1
    return group


def choose_event_location(doc: Any, trigger: int, toponyms: Sequence[Toponym],
                          sent_start: int = 0, *, threshold: float | None = None
                          ) -> list[Toponym]:
    """The toponym(s) where the event of ``doc[trigger]`` happened, or ``[]``.

    ``toponyms`` carry offsets into a text whose offset ``sent_start`` is ``doc``'s first
    character (pass 0 when the doc is the whole text).  Returns the original Toponym objects:
    the best one and those coordinated with it.  Unresolved candidates (NER spans, names after
    locative prepositions) are considered but only geoparser toponyms are returned; use
    :func:`choose_event_location_candidates` to get spans as well.
    """
    chosen = choose_event_location_candidates(doc, trigger, toponyms, sent_start,
                                              threshold=threshold)
    return [c.toponym for c in chosen if c.toponym is not None]


def location_name_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The name inside a location phrase: "the northern province of Helmand" -> "Helmand",
    "Kapho district" -> "Kapho" (capitalised generic words stay: "Meiyuan District")."""
    s = text[start:end]
    m = _LEAD_GENERIC.match(s)
    if m and m.end() < len(s):
        start += m.end()
        s = text[start:end]
    m = _TRAIL_GENERIC.search(s)
    if m and m.start() > 0:
        end = start + m.start()
    return start, end
