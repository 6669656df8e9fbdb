"""Geoparser: find place names in an article and resolve them against the gazetteer.

Recognition merges two sources: the NER spans the caller passes (GPE, LOC, FAC and NORP;
PERSON/ORG/... spans only block the matcher) and a gazetteer matcher over capitalised token
runs, guarded against common words, acronyms and parts of person or organisation names.
Phrases such as "the Kharkiv region", "the region of Kharkiv", "Izium district", "near
Balakleya", "the outskirts of X", "eastern and central Ukraine" set the qualifier, restrict
the candidates (admin1, admin2, river...) and set ACLED's ``geo_precision``.

Sites are places too.  A site the project lists (``data/facilities.tsv``: "Azovstal", "the
Zaporizhzhia nuclear power plant", "Engels-2") is matched by any of its names, lower-case words
and numbers included, and resolves to the settlement it belongs to, with the site kept in
``Place.site`` (``geo:facility``, ``geo:site=<key>``): the plant is Enerhodar's, not Zaporizhzhia
city's.  A place name followed by a site's words (``data/facility_kinds.tsv``: "Kramatorsk railway
station", "Dnipro's thermal power plant", an NER span "the Kremenchuk oil refinery") favours the
settlement reading and keeps the site (``geo:facility_of_settlement``); such a phrase is also a
locative cue for a village ("Chaplyne railway station").

Short names that match small places: a two- or three-letter name in capitals is an acronym ("US"
is not the village Us, ``geo:acronym_not_village``), and a recognised name whose best reading is
a town of under 30,000 people that nothing in the story supports (not the story's country or a
neighbour, no other place near it, no "in"/"the village of" before it) is left without a place
(``geo:unsupported_small_namesake``: "Liga reported", "Baza, a Telegram channel").

Recognition also drops the surname of a person named in full ("Mahsa Amini ... Amini"), keeps
press abbreviations whole ("U.S.", "Ind."), and marks a place that only opens an
institution's name ("the Kharkiv Regional Military Administration") with
``geo:organisation_modifier`` so the event coder does not take it for a scene; a country
or capital standing for its state ("shelling by Kiev's forces", "Moscow says", a headline's
closing ": Kiev") is marked ``geo:actor_metonym`` for the same reason (:func:`scene_toponyms`).

Resolution scores every candidate with: feature type and population, how the name matched
(a demonym given as a mention names its country), the countries of the rest of the story and
the countries bordering them (demonyms count as weak context), its admin1 units, distance to
the other places of the story and to the candidates of its other names (places of one story
lie together), the place the text names as holding it, and the reading of that place which
holds it ("Pisky area in Donbas", "Athens, Georgia": the town and the state support each
other), the one kind of place every name of a list can be ("Oregon, Washington and
Wyoming" are states), the qualifier, and which reading a name's namesakes favour (a state over a
village or county named after it; a city and the province named after it over a lone
namesake abroad).  Every decision appends a short reason code to ``Toponym.reasons``.
"""
from __future__ import annotations

import dataclasses
import logging
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, NamedTuple, Sequence

from frontlines.geo.gazetteer import (KIND_ALT, KIND_CODE, KIND_DEMONYM, KIND_LOOSE, KIND_MAIN,
                                      KIND_QUALIFIED, KIND_TRANSLIT, Candidate, Gazetteer, open_gazetteer)
from frontlines.geo.distance import haversine_km
from frontlines.geo.normalize import normalize_name
from frontlines.geo.roles import ORG_MODIFIER_REASON, mark_non_scenes
from frontlines.records import Toponym

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’](?!s\b)[^\W\d_]+)*|\d+|[^\w\s]", re.UNICODE)
_DIRECTIONS = {"eastern", "western", "northern", "southern", "central", "northeastern",
               "northwestern", "southeastern", "southwestern", "north-eastern", "north-western",
               "south-eastern", "south-western", "east", "west", "north", "south", "northeast",
               "northwest", "southeast", "southwest", "north-east", "north-west", "south-east",
               "south-west", "upper", "lower"}
_ADMIN1_WORDS = {"region", "regions", "oblast", "oblasts", "province", "provinces",
                 "governorate", "governorates", "state", "krai", "prefecture"}
_ADMIN2_WORDS = {"district", "districts", "raion", "raions", "rayon", "county", "counties", "municipality"}
_WATER_WORDS = {"river", "reservoir", "lake", "sea", "bay", "gulf", "strait", "canal"}
_AREA_WORDS = {"area", "areas", "direction", "axis", "front", "outskirts", "suburbs",
               "vicinity", "sector", "environs"}
_FACILITY_WORDS = {"airport", "airfield", "air", "base", "airbase", "bridge", "dam", "plant",
                   "station", "steelworks"}   # "the Donetsk airport", "Belbek air base"
_ADMIN3_WORDS = {"community", "hromada"}   # "the Kostiantynivka hromada", "the Konstantinovskaya community"
_NAME_END_WORDS = _ADMIN1_WORDS | _ADMIN2_WORDS | _ADMIN3_WORDS | _WATER_WORDS | _FACILITY_WORDS
_CONNECTORS = {"of", "de", "del", "la", "le", "du", "da", "do", "dos", "das", "upon", "on", "am",
               "an", "der", "al", "el", "y", "sur", "en"}
_TITLES = {"mr", "mrs", "ms", "dr", "president", "general", "lieutenant", "colonel", "minister",
           "governor", "mayor", "senator", "sen", "rep", "gov", "gen", "lt", "col", "capt",
           "sgt", "prof", "judge", "king", "queen", "prince", "pope", "saint", "sir", "lord",
           "spokesman", "spokeswoman", "commander", "chief", "secretary", "ambassador",
           "officer", "sheriff", "deputy", "director", "coach", "chairman", "speaker", "justice"}
_CUE_WORDS = {"in", "at", "near", "from", "to", "outside", "around", "of", "towards", "toward",
              "into", "across", "inside", "on", "over", "via", "through", "between", "and",
              "besieged", "occupied", "liberated", "recaptured", "captured", "retook", "took",
              "seized", "shelled", "struck", "hit", "entered", "reached", "encircled", "outskirts",
              "freed", "retaken", "abandoned", "bombed", "attacked", "stormed", "overran", "regained",
              "within", "beyond", "west", "east", "north", "south", "southwest", "southeast",
              "northwest", "northeast", "nearby",
              # the object of a strike: "striking Kharkiv", "targeting Odesa", "pounded Avdiivka"
              "striking", "targeting", "targeted", "shelling", "hitting", "attacking", "bombing",
              "bombarding", "bombarded", "pounding", "pounded", "raided", "raiding", "storming",
              "encircling", "surrounding", "surrounded", "liberating", "capturing", "retaking"}
_CUE_FILLERS = {"the", "village", "town", "city", "settlement", "villages", "towns", "cities",
                "settlements", "port", "capital", "frontline", "front-line", "embattled",
                "eastern", "western", "northern", "southern", "central", "small", "key"}
# words that head an institution's name when a place name comes first ("Ohio Department...")
_ORG_HEADS = {"police", "department", "dept", "sheriff", "sheriff's", "fire", "council", "house",
              "senate", "legislature", "assembly", "parliament", "government", "ministry", "court",
              "courts", "board", "regional", "municipal", "state", "national", "provincial",
              "metropolitan", "times", "post", "herald", "journal", "tribune", "gazette", "courier",
              "news", "press", "daily", "health", "commission", "committee", "agency",
              "authority", "office", "administration", "corrections", "army", "navy", "guard",
              "patrol", "bureau", "association", "federation", "club", "diocese", "archdiocese",
              "chamber", "military", "emergency", "rescue", "border", "customs", "electoral",
              "election", "elections", "federal", "supreme", "appeals", "prosecutor's",
              "prosecutors", "governor's", "mayor's", "city's"}
# (facility words -- airport, hospital, school, stadium, prison, bridge, plant -- are not here:
# "the Donetsk airport" or "a Kharkiv hospital" is where a strike happened)
_NER_PLACE = {"GPE", "LOC", "FAC", "NORP"}
_NER_BLOCK = {"PERSON", "ORG", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL",
              "ORDINAL", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT", "LANGUAGE"}
_NEAR_BEFORE = re.compile(
    r"(?:\bnear(?:by)?|\boutside(?: of)?|\bclose to|\baround|\boutskirts of|\bsuburbs? of|"
    r"\bvicinity of|\benvirons of|\bapproaches to|\bkilomet(?:er|re)s? (?:\w+ )?(?:of|from)|"
    r"\bkm (?:\w+ )?(?:of|from)|\bmiles? (?:\w+ )?(?:of|from)|\b(?:north|south|east|west|"
    r"northeast|northwest|southeast|southwest|north-east|north-west|south-east|south-west)"
    r"(?:ern)? of)\s+(?:the\s+)?(?:(?:city|town|village|settlement|port|area) of\s+)?$",
    re.IGNORECASE)
_REGION_OF_BEFORE = re.compile(
    r"\b(?:region|regions|oblast|oblasts|province|provinces|governorate|governorates)\s+of\s+"
    r"(?:the\s+)?$", re.IGNORECASE)
_DISTRICT_OF_BEFORE = re.compile(r"\b(?:district|raion|county)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_PLACE_NOUN_BEFORE = re.compile(
    r"\b(?:town|city|village|villages|hamlet|settlement|suburb|neighbou?rhood|port|camp)\s+of\s+$",
    re.IGNORECASE)
_RIVER_BEFORE = re.compile(r"\b(?:river|reservoir|lake)\s+$", re.IGNORECASE)

FEATURE_PRECISION = {"country": 3, "admin1": 3, "region": 3, "sea": 3, "ocean": 3,
                     "continent": 3, "admin2": 2, "admin3": 2, "river": 2, "reservoir": 2,
                     "strait": 2, "spit": 2, "lake": 2, "island": 2}
WATER_FEATURES = {"river", "reservoir", "sea", "ocean", "strait", "lake", "spit", "bay"}
DEMONYM_WEIGHT = 0.5          # "Russian troops": a weak hint of the story's countries
CONTEXT_FLOOR = 2.0           # a lone demonym or place does not make a story all about one country
NEIGHBOUR_WEIGHT = 1.5        # a place in a country bordering the story's countries
CLUSTER_WEIGHT = 0.5          # per other name of the story with a candidate within 50 km (max 2)
PEER_WEIGHT = 2.0              # a reading of the same kind as the names listed beside it
ORG_COUNTRY_WEIGHT = 0.5       # a country named in an organisation's name ("Armed Forces of Ukraine")
CONTAINER_WEIGHT = 2.0         # readings that nest: "Athens, Georgia" (the town in the state, the state holding it)
_CLUSTER_FEATURES = {"settlement", "capital", "admin2", "admin3"}
CITY_SHARE = 0.05             # least share of its namesake unit's people for a city to be the bare name
SEAT_BONUS = 0.5              # a city and the province named after it, against a namesake abroad
SMALL_NAMESAKE_POP = 20000   # below this, a town named like a state yields to the state
AREA_FEATURES = {"country", "admin1", "admin2", "admin3", "region", "continent"} | WATER_FEATURES
FACILITY_WEIGHT = 1.0          # "Kramatorsk railway station": a site's name favours the settlement reading
SENTENCE_START_POP = 20000    # a town this big, known by this very name, may open a sentence
SENTENCE_START_REASON = "geo:sentence_start_town"   # ... and was taken for a place there
_WEAK_START = "weak_sentence_start"
UNSUPPORTED_NAMESAKE_POP = 30000  # below this, a town nothing in the story supports is not taken for the name
UNSUPPORTED_NAMESAKE_REASON = "geo:unsupported_small_namesake"
LISTED_IN_SPAN_REASON = "geo:place_list_in_ner_span"   # "Kyiv, Odesa" tagged as one WORK_OF_ART
LIST_CUE_REASON = "geo:listed_with_places"              # "Bakhmut, Soledar and Siversk": the list is the cue
LOOSE_SOURCE = "gaz:loose"               # a mention only the spelling-blind key found
LOOSE_REASON = "geo:loose_spelling_match"   # recognised by the spelling-blind key (normalize.loose_key)
UNSUPPORTED_LOOSE_REASON = "geo:unsupported_loose_spelling"
LOOSE_PENALTY = 0.3                      # a spelling-blind match is weaker than any listed spelling
WORLD_CITY_NAMES = 20              # a city known by this many names is known the world over
FAME_RATIO = 3                     # a namesake abroad known by a third as many names or fewer ...
FAMOUS_NAMESAKE_PENALTY = 1.5      # ... and with no local support yields to the world city
_LOCAL_SUPPORT = ("geo:doc_admin1", "geo:near_other_names_candidates", "geo:inside_named_container", "geo:holds_named_place",
                  "geo:like_its_list_neighbours")
# a spelling-blind match needs the story in the settlement's own country or near it
_LOOSE_SUPPORT = ("geo:doc_country=", "geo:doc_admin1", "geo:near_other", "geo:inside_named_container",
                  "geo:holds_named_place")
_SUPPORT_REASONS = ("geo:doc_country=", "geo:doc_neighbour_country", "geo:doc_admin1", "geo:near_other",
                    "geo:inside_named_container", "geo:holds_named_place", "geo:like_its_list_neighbours")


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    words: set[str] = set()
    path = Path(__file__).resolve().parent / "data" / "common_words.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(line.split())
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
        words.update(STOP_WORDS)
    except ImportError:  # pragma: no cover
        pass
    return frozenset(words)


@lru_cache(maxsize=1)
def _site_phrases() -> tuple[dict[str, tuple[str, bool]], "re.Pattern[str]"]:
    """The site phrases of data/facility_kinds.tsv (lower case -> as written, and whether the
    phrase alone is a locative cue) and a pattern for one right after a name, possibly after
    "'s" and a word such as "main" ("Kyiv's main railway station")."""
    from frontlines.geo.build import facility_kinds

    phrases: dict[str, tuple[str, bool]] = {}
    for kind_phrases in facility_kinds().values():
        for phrase, cue in kind_phrases:
            key = " ".join(phrase.lower().split())
            old = phrases.get(key)
            phrases[key] = (phrase, cue or (old is not None and old[1]))
    alts = sorted(phrases, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in a.split()) for a in alts) or r"(?!x)x"
    pattern = re.compile(r"(?:['’]s)?\s+(?:(?:main|central|regional|local|big|large|key|major|"
                         r"old|new|former|local|city)\s+)?(" + body + r")\b(?![-‑'’]\w)", re.IGNORECASE)
    return phrases, pattern


def _site_after(text: str, end: int, *, cue_only: bool = False) -> str:
    """The site phrase right after a name ending at ``end`` ("railway station"), as the kinds
    file writes it, or ""; with ``cue_only`` only phrases that are locative cues count."""
    phrases, pattern = _site_phrases()
    mt = pattern.match(text, end, min(len(text), end + 80))
    if not mt:
        return ""
    phrase, cue = phrases.get(" ".join(mt.group(1).lower().split()), ("", False))
    return phrase if phrase and (cue or not cue_only) else ""


def _site_tail(name: str) -> tuple[str, str] | None:
    """("Kremenchuk", "oil refinery") for "Kremenchuk oil refinery" or "Dnipro's power plant"."""
    phrases, _ = _site_phrases()
    words = name.split()
    for n in range(min(5, len(words) - 1), 0, -1):
        tail = " ".join(words[-n:]).lower()
        if tail in phrases:
            base = re.sub(r"['’]s$", "", " ".join(words[:-n])).strip()
            base = re.sub(r"^(?:the|The)\s+", "", base)
            return (base, phrases[tail][0]) if base else None
    return None


@lru_cache(maxsize=1)
def _facility_vocab() -> frozenset[str]:
    """Lower-case words that may run on inside a site's name: the words of the site phrases and
    of the lower-case words of the listed sites' names ("Chornobyl exclusion zone")."""
    from frontlines.geo.build import facility_names

    words = {w for p in _site_phrases()[0] for w in p.split()}
    for name in facility_names():
        words.update(w for w in re.findall(r"[^\W\d_]+", name) if w.islower())
    return frozenset(w for w in words if len(w) > 2 and w != "the")


def _written_as_acronym(text: str, start: int, end: int) -> bool:
    """A short name (two or three letters) written in capitals like an acronym ("the US and its
    allies", "the OAS"), but not a dateline ("UFA, Russia --") or a line written all in capitals;
    longer all-capital names are as often places in a dateline or headline ("OMAHA", "XENIA")."""
    name = text[start:end]
    if not (2 <= len(name) <= 3 and name.isalpha() and name.isupper()):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip(" \t\"“(") and re.match(r"\s*(?:,|\(|—|–|-|:)", text[end:end + 3]):
        return False
    prev = re.search(r"([^\W\d_]{2,})[^\w\n]*$", text[max(line_start, start - 40):start])
    nxt = re.match(r"[^\w\n]*([^\W\d_]{2,})", text[end:end + 40])
    near = [w.group(1) for w in (prev, nxt) if w]
    return not (near and all(w.isupper() for w in near))


_DATELINE_AFTER = re.compile(r",\s+(?:[A-Z][\w.'’-]*\s+){0,2}[A-Z][\w.'’-]*\s*(?:\(\w+\)\s*)?(?:—|–|--|-\s|:)")


def _dateline(text: str, start: int, end: int) -> bool:
    """Whether the name at [start, end) opens a line as a dateline: "Przewodow, Poland --",
    "KYIV, Ukraine (AP) --"."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip(" \t\"“(") and bool(_DATELINE_AFTER.match(text, end, end + 60))


def _ordinary_name_read_as_acronym(c: Candidate, norm: str) -> bool:
    """A small place whose own name, in ordinary case, is the acronym's letters (Us, Oas)."""
    p = c.place
    return (p.feature not in ("country", "admin1", "capital", "continent") and not p.name.isupper()
            and c.kind != KIND_CODE and normalize_name(p.name) == norm)


@dataclass(slots=True)
class Mention:
    """A candidate place name in the text before resolution."""

    start: int
    end: int
    name: str                 # what to look up
    source: str               # "ner:GPE", "gaz", "gold"...
    cls: str = ""             # "admin1", "admin2", "water" when the text says so
    qualifier: str = ""
    reasons: list[str] = field(default_factory=list)
    strong: bool = False      # a prominent place or one after a locative cue
    facility: str = ""        # "railway station" when the text names a site of the place
    site: bool = False        # the whole name is a site the gazetteer lists ("Black Sea Fleet headquarters")
    acronym: bool = False     # written in capitals like an acronym ("US", "OAS"), not a dateline


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


class Geoparser:
    """Find and resolve toponyms.  Thread-safe for reading; one instance can serve a pipeline."""

    def __init__(self, gazetteer: Gazetteer | None = None, *, max_ngram: int = 6,
                 candidates: int = 40) -> None:
        self.gaz = gazetteer if gazetteer is not None else open_gazetteer()
        self.max_ngram = max_ngram
        self.limit = candidates
        self._neighbours = self.gaz.neighbours()

    # ------------------------------------------------------------------ public API
    def parse(self, text: str, entities: Sequence[tuple[int, int, str]] = ()) -> list[Toponym]:
        """All toponyms of ``text`` (offsets into ``text``), resolved where possible."""
        try:
            mentions, context = self.recognize(text, entities)
        except Exception:  # never blank a document because of one odd span
            log.exception("geoparser recognition failed; falling back to NER spans only")
            mentions, context = [Mention(s, e, text[s:e], f"ner:{l}") for s, e, l in entities
                                 if l in ("GPE", "LOC", "FAC")], {}
        return self.resolve(text, mentions, context)

    def recognize(self, text: str, entities: Sequence[tuple[int, int, str]] = ()
                  ) -> tuple[list[Mention], dict[str, float]]:
        """Toponym mentions and the demonym country context of ``text``."""
        toks = [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        context: dict[str, float] = {}
        counted: set[int] = set()      # demonyms already counted from the NER spans
        blocked: list[tuple[int, int, str]] = []
        ner: list[Mention] = []
        for start, end, label in entities:
            if label in _NER_BLOCK:
                blocked.append((start, end, label))
                if label == "ORG" and ORG_COUNTRY_WEIGHT:
                    # "the Armed Forces of Ukraine": not a place, but whose story it is
                    for cc in self._countries_named_in(text[start:end]):
                        context[cc] = context.get(cc, 0.0) + ORG_COUNTRY_WEIGHT
                continue
            if label not in _NER_PLACE:
                continue
            start, end = _trim(text, start, end)
            if end <= start:
                continue
            surface = text[start:end]
            if not any(ch.isupper() for ch in surface):
                continue   # "on the east bank": a place name is written with a capital
            cc = self.gaz.demonym(surface)
            if cc and label in ("NORP", "GPE") and not self._is_country_name(surface):
                if not cc.startswith("@"):
                    context[cc] = context.get(cc, 0.0) + DEMONYM_WEIGHT
                    counted.add(start)
                continue
            if label == "NORP" and not self.gaz.has_name(normalize_name(surface)):
                continue
            ner.append(Mention(start, end, surface, f"ner:{label}"))
        gaz = self._match(text, toks, context, counted)
        gaz.extend(_place_noun_mentions(text, ner, gaz))
        mentions = _merge(ner, gaz, blocked, text, self._prominent)
        mentions += _same_name_elsewhere(text, mentions, blocked)
        # "the west bank of the Dnipro": a river's bank, not the West Bank
        mentions = [m for m in mentions if not (_RIVER_BANK.match(m.name) and _OF_AFTER.match(text[m.end:m.end + 5]))]
        surnames = _surnames(text, blocked)
        if surnames:
            mentions = [m for m in mentions if not self._is_surname(m, surnames)]
        for m in mentions:
            self._qualify(text, m)
        self._mark_sites(text, mentions)
        mentions.sort(key=lambda m: m.start)
        return mentions, context

    def resolve(self, text: str, mentions: Sequence[Mention],
                context: dict[str, float] | None = None) -> list[Toponym]:
        """Resolve mentions (e.g. gold spans) to places, using the whole document as context."""
        rounds = self._rounds(mentions, context, text)
        out: list[Toponym] = []
        for i, m in enumerate(mentions):
            key = rounds.keys[i]
            best, score, why = rounds.final[key]
            if best is not None and best.kind == KIND_LOOSE and not any(r.startswith(_LOOSE_SUPPORT) for r in why):
                # a spelling-blind match the story does not back (not its country, no place of it
                # near): no place; a name only such a match proposed is no toponym at all
                if m.source == LOOSE_SOURCE and not _PLACE_NOUN_BEFORE.search(text[max(0, m.start - 40):m.start]):
                    continue    # ... unless the text calls it a place ("the town of Kabani")
                m = dataclasses.replace(m, reasons=[*m.reasons, UNSUPPORTED_LOOSE_REASON])
                best = None
            if best is not None and self._unsupported_namesake(text, m, best, why, rounds.docs[key]):
                if m.source == "gaz" and SENTENCE_START_REASON in m.reasons:
                    continue    # only a sentence start said it was a place: it is not one
                # "Liga", "Baza" in a story about Ukraine: an outlet, not the hamlet of that name
                # in Côte d'Ivoire or Spain; the name stays a toponym, with no place
                m = dataclasses.replace(m, reasons=[*m.reasons, UNSUPPORTED_NAMESAKE_REASON])
                best = None
            if best is not None and _named_vessel(text, m, why):
                # "the Moskva was hit": a ship named after a city, by the city's other name
                m = dataclasses.replace(m, reasons=[*m.reasons, NAMED_VESSEL_REASON])
                best = None
            out.append(self._toponym(text, m, best, score, why, len(rounds.cands[key])))
        mark_non_scenes(text, out)
        return out

    def _unsupported_namesake(self, text: str, m: Mention, c: Candidate, why: Sequence[str],
                              doc: "_DocContext") -> bool:
        """A small town nothing in the story supports: its country is not the story's nor a
        neighbour's, no other place of the story is near it, the story is about somewhere
        (country context), and the text gives no locative cue ("in X", "the village of X")."""
        p = c.place
        if p.feature != "settlement" or p.population >= UNSUPPORTED_NAMESAKE_POP or m.source == "gold":
            return False
        if any(r.startswith(_SUPPORT_REASONS) for r in why) or m.qualifier or m.facility or m.cls:
            return False
        if sum(max(0.0, v) for v in doc.countries.values()) < CONTEXT_FLOOR:
            return False
        return not self._locative_cue(text, m.start)

    def _locative_cue(self, text: str, start: int) -> bool:
        """"in X", "near the town of X", "shelled X": a word before the name that makes it a place."""
        if _PLACE_NOUN_BEFORE.search(text[max(0, start - 40):start]):
            return True
        words = [w.lower() for w in _words_before(text, start, max(0, start - 40), 3)]
        return bool(words) and (words[-1] in _CUE_WORDS - {"and", "of", "on"} or (
            len(words) > 1 and words[-2] in _CUE_WORDS and words[-1] in _CUE_FILLERS))

    def explain(self, text: str, start: int, end: int) -> list[tuple[Candidate, float, list[str]]]:
        """Every candidate for the name at ``text[start:end]`` with the score and reasons the
        resolver gave it in the context of the whole ``text`` (best first; the first is the
        resolver's choice).  What ``frontlines gazetteer find`` shows."""
        mentions, context = self.recognize(text)
        target = next((m for m in mentions if m.start == start and m.end == end), None)
        if target is None:
            target = Mention(start, end, text[start:end], "query")
            self._qualify(text, target)
            self._split_site(target)
            mentions = [m for m in mentions if m.end <= start or m.start >= end] + [target]
        rounds = self._rounds(mentions, context, text)
        key = rounds.keys[mentions.index(target)]
        doc = rounds.docs[key]
        rows = [(c, *self._adjusted_score(target, c, doc, rounds.readings[key], rounds.nested.get(key, {}),
                                          rounds.peer_kinds.get(key, frozenset())))
                for c in rounds.cands[key]]
        chosen = rounds.final[key][0]
        rows.sort(key=lambda r: (r[0] is not chosen, -r[1]))
        return rows

    def _rounds(self, mentions: Sequence[Mention], context: dict[str, float] | None,
                text: str = "") -> "_Rounds":
        context = dict(context or {})
        # mentions with the same name and qualifier class are resolved once
        keys: list[tuple[str, str, bool]] = []
        groups: dict[tuple[str, str, bool], list[int]] = {}
        for i, m in enumerate(mentions):
            key = (normalize_name(m.name), m.cls,
                   m.qualifier in ("near", "outskirts", "outside"))
            keys.append(key)
            groups.setdefault(key, []).append(i)
        order = list(groups)
        # each group is scored through one mention: one that names a site when any does
        rep = {k: next((mentions[i] for i in g if mentions[i].facility), mentions[g[0]])
               for k, g in groups.items()}
        cands: dict[tuple, list[Candidate]] = {}
        for key in order:
            m = rep[key]
            try:
                cands[key] = self._candidates(m)
            except Exception:
                log.exception("gazetteer lookup failed for %r", m.name)
                cands[key] = []
        support = _cluster_support(cands) if CLUSTER_WEIGHT else {}
        readings = {k: _readings(cands[k]) for k in order}
        picks: dict[tuple, Candidate | None] = {
            k: self._best(rep[k], cands[k], None, readings[k])[0] for k in order}
        # "Pisky area in Donbas", "Athens, Georgia": the name right after holds it; the readings
        # that nest (Athens in the state of Georgia) support each other
        nested: dict[tuple, dict[int, str]] = {}
        if text and CONTAINER_WEIGHT:
            for i, m in enumerate(mentions[:-1]):
                nxt = mentions[i + 1]
                if nxt.start < m.end or keys[i + 1] == keys[i]:
                    continue
                gap = text[m.end:nxt.start]
                if _HOLDS_NEXT.match(gap):
                    # "the Kharkiv Oblast village of Hroza": the name before holds the one after
                    _nest(cands[keys[i + 1]], cands[keys[i]], nested.setdefault(keys[i + 1], {}),
                          nested.setdefault(keys[i], {}))
                elif _CONTAINED_BY.match(gap):
                    _nest(cands[keys[i]], cands[keys[i + 1]], nested.setdefault(keys[i], {}),
                          nested.setdefault(keys[i + 1], {}))
        # "Wisconsin, Michigan and New York": the one kind of place every name of a list can be
        peer_kinds = _list_kinds(text, mentions, keys, cands) if text and PEER_WEIGHT else {}
        final: dict[tuple, tuple[Candidate | None, float, list[str]]] = {}
        docs: dict[tuple, _DocContext] = {}
        for rnd in range(3):
            doc = _DocContext.build([(picks[k], len(groups[k])) for k in order], context)
            doc.support = support
            final = {}
            for k in order:
                m = rep[k]
                docs[k] = doc.without(picks[k], len(groups[k]))
                final[k] = self._best(m, cands[k], docs[k], readings[k],
                                      nested.get(k, {}), peer_kinds.get(k, frozenset()))
            picks = {k: v[0] for k, v in final.items()}
        return _Rounds(keys, groups, cands, readings, final, docs, nested, peer_kinds)

    # ------------------------------------------------------------------ recognition
    def _countries_named_in(self, org: str) -> set[str]:
        """ISO codes of the countries an organisation's name names after "of" or as its first
        words ("Armed Forces of Ukraine", "Ukraine's State Emergency Service")."""
        out: set[str] = set()
        for pattern in _ORG_COUNTRY:
            m = pattern.search(org)
            if m:
                out |= self._country_codes(m.group(1))
        return out

    def _country_codes(self, surface: str) -> set[str]:
        """ISO codes of the countries ``surface`` names (by main or alternate name)."""
        return {c.place.iso2 for c in self.gaz.candidates(surface, 5)
                if c.place.feature == "country" and c.kind in (KIND_MAIN, KIND_ALT)}

    def _is_country_name(self, surface: str) -> bool:
        return bool(self._country_codes(surface))

    def _match(self, text: str, toks: list[_Tok], context: dict[str, float],
               counted: "set[int] | frozenset[int]" = frozenset()) -> list[Mention]:
        """Gazetteer names in capitalised token runs; demonyms not yet ``counted`` (by their
        start offset) add to the country ``context``."""
        out: list[Mention] = []
        deferred: list[tuple[int, int, str, int]] = []   # names with no locative cue of their own
        common = _common_words()
        site_words = _facility_vocab()
        n = len(toks)
        i = 0
        while i < n:
            t = toks[i]
            low = t.text.lower()
            starts_ok = t.cap or low in _DIRECTIONS or low in ("region", "oblast", "province")
            if not starts_ok or low == "the":
                i += 1
                continue
            best = None
            for k in range(min(self.max_ngram, n - i), 0, -1):
                span = toks[i:i + k]
                last = span[-1]
                # a site's name runs on in lower case or with a number: "Zaporizhzhia nuclear
                # power plant", "Engels-2"
                if not (last.cap or last.text.lower() in _NAME_END_WORDS or (k == 1 and t.cap)
                        or last.text.lower() in site_words
                        or (last.text.isdigit() and k > 2 and span[-2].text == "-")):
                    continue
                if any(not (s.cap or s.text.lower() in _CONNECTORS or s.text in "-'’."
                            or s.text.lower() in _DIRECTIONS or s.text.lower() in _NAME_END_WORDS
                            or s.text.lower() in site_words
                            or (s.text.isdigit() and j and span[j - 1].text == "-")
                            or (s.text == "s" and j and span[j - 1].text in "'’"))  # "People's Republic"
                       for j, s in enumerate(span)):
                    continue
                if not span[0].cap and not any(x.cap for x in span[1:]):
                    continue
                if any(text[a.end:b.start] not in (" ", "") for a, b in zip(span, span[1:])):
                    continue  # no line breaks or punctuation gaps inside a name
                surface = text[span[0].start:last.end]
                norm = normalize_name(surface)
                if not norm or not self.gaz.has_name(norm):
                    continue
                best = (k, surface)
                break
            if best is None:
                # a demonym is context, never a location
                if t.cap:
                    cc = self.gaz.demonym(t.text)
                    if cc and not cc.startswith("@") and t.start not in counted:
                        context[cc] = context.get(cc, 0.0) + DEMONYM_WEIGHT
                    loose = None if cc else self._loose_match(text, toks, i, out, common)
                    if loose is not None:
                        out.append(loose)
                        i += len(loose.name.split())
                        continue
                i += 1
                continue
            k, surface = best
            span = toks[i:i + k]
            listed = _listed_after(text, out, span[0].start, span[-1].end)
            reason = self._guard(text, toks, i, k, surface, common, listed=listed)
            if reason == "no_locative_cue":
                deferred.append((i, k, surface, len(out)))
            weak = reason == _WEAK_START
            if weak:
                reason = None    # a town opening a sentence: a place unless the model says otherwise
            if reason in (None, "inside_name") and self._organisation_modifier(toks, i, k, surface):
                out.append(Mention(span[0].start, span[-1].end, surface, "gaz",
                                   reasons=["geo:gazetteer_match", ORG_MODIFIER_REASON]))
            elif reason is None:
                end = span[-1].end
                if k == 1 and text[end:end + 1] == "." and surface + "." in _press_abbreviations():
                    end, surface = end + 1, surface + "."
                out.append(Mention(span[0].start, end, surface, "gaz",
                                   reasons=["geo:gazetteer_match"] + (
                                       ["geo:dateline"] if _dateline(text, span[0].start, end) else []) + (
                                       [LIST_CUE_REASON] if listed else []) + (
                                       [SENTENCE_START_REASON] if weak else []),
                                   strong=not weak and self._strong(text, span[0].start, surface),
                                   site=k > 1 and self._is_site(surface)))
            i += k
        out.extend(self._list_heads(text, toks, out, deferred, common))
        out.sort(key=lambda m: m.start)
        return _coordinated_directions(text, toks, out, self.gaz)

    def _loose_match(self, text: str, toks: list[_Tok], i: int, found: list[Mention],
                     common: frozenset[str]) -> Mention | None:
        """A capitalised name no spelling the gazetteer lists matches, found by the spelling-blind
        key of a settlement ("in Galitsinovka" is Halytsynivka), when a locative cue or a list
        of places says it is a place.  Resolved only where the story supports the settlement."""
        start = toks[i].start
        # the cheap test first: a locative word before the name, or a place listed just before it
        words = [w.lower() for w in _words_before(text, start, max(0, start - 40), 3)]
        cue = bool(words) and (words[-1] in _CUE_WORDS or (len(words) > 1 and words[-2] in _CUE_WORDS
                                                          and words[-1] in _CUE_FILLERS))
        if not cue and not (found and _LIST_JOIN.match(text[found[-1].end:start])):
            return None
        for k in (2, 1):
            span = toks[i:i + k]
            if len(span) < k or not all(s.cap and s.text.isalpha() for s in span) \
                    or any(text[a.end:b.start] != " " for a, b in zip(span, span[1:])):
                continue
            surface = text[span[0].start:span[-1].end]
            if len(surface) < 5 or surface.isupper() or any(s.text.lower() in common for s in span):
                continue
            listed = _listed_after(text, found, span[0].start, span[-1].end)
            if not self.gaz.has_loose(surface):
                continue
            if self._guard(text, toks, i, k, surface, common, listed=listed) is not None:
                continue
            return Mention(span[0].start, span[-1].end, surface, LOOSE_SOURCE,
                           reasons=["geo:gazetteer_match", LOOSE_REASON], strong=True)
        return None

    def _list_heads(self, text: str, toks: list[_Tok], found: list[Mention],
                    deferred: list[tuple[int, int, str, int]], common: frozenset[str]) -> list[Mention]:
        """Names turned away only for want of a locative cue that open a list of places:
        "Soledar, Bakhmut and Siversk" (the later names have their cue in the list)."""
        out: list[Mention] = []
        starts = {m.start for m in found if ORG_MODIFIER_REASON not in m.reasons}
        for i, k, surface, _ in reversed(deferred):
            end = toks[i + k - 1].end
            nxt = re.match(r"(?:,|,?\s+and|,?\s+or)\s+", text[end:end + 8])
            if nxt is None or end + nxt.end() not in starts:
                continue
            if self._guard(text, toks, i, k, surface, common, listed=True) is not None:
                continue
            out.append(Mention(toks[i].start, end, surface, "gaz",
                               reasons=["geo:gazetteer_match", LIST_CUE_REASON]))
            starts.add(toks[i].start)
        return out

    def _is_site(self, name: str) -> bool:
        """Whether ``name`` names a site the gazetteer lists (facilities.tsv)."""
        return any(c.place.feature == "facility" for c in self.gaz.candidates(name, 5))

    def _mark_sites(self, text: str, mentions: Sequence[Mention]) -> None:
        """A place name followed by a site's words ("Kramatorsk railway station", "Dnipro's
        thermal power plant") or an NER span ending in them ("the Kremenchuk oil refinery"):
        the site is in that place.  When the gazetteer lists the site under that name
        ("Kherson's airport" is the Chornobaivka airfield) the mention becomes the site."""
        for m in mentions:
            if m.cls or m.facility or self._is_site(m.name):
                continue
            phrase = _site_after(text, m.end)
            if phrase:
                if self._is_site(f"{m.name} {phrase}"):
                    m.name = f"{m.name} {phrase}"
                    m.reasons.append("geo:named_site")
                else:
                    m.facility = phrase
                continue
            self._split_site(m)

    def _split_site(self, m: Mention) -> None:
        """A name that ends in a site's words and is not itself known ("Kremenchuk oil
        refinery"): look up the place ("Kremenchuk") and keep the site's words."""
        split = _site_tail(m.name)
        if split is not None and not self.gaz.has_name(normalize_name(m.name)) \
                and self.gaz.has_name(normalize_name(split[0])):
            m.name, m.facility = split

    def _organisation_modifier(self, toks: list[_Tok], i: int, k: int, surface: str) -> bool:
        """A prominent place that opens an institution's name: "the Minnesota Department of
        Transportation", "Mansfield Police", "Kharkiv Regional Military Administration"."""
        prev = toks[i - 1] if i > 0 else None
        if prev is not None and prev.cap and prev.text.lower() != "the" and not _sentence_start(toks, i - 1):
            return False
        nxt = toks[i + k] if i + k < len(toks) else None
        return nxt is not None and nxt.text.lower() in _ORG_HEADS and self._prominent(surface)

    def _project_acronym(self, word: str) -> bool:
        """An acronym the project's own feature or facility file gives as a name ("DPR", "LPR",
        "ZNPP")."""
        return any((c.place.geonameid is None and c.note.startswith("feature:") or c.note.startswith("facility:"))
                   and c.kind != KIND_CODE for c in self.gaz.candidates(word, 5))

    def _is_surname(self, m: Mention, surnames: dict[str, bool]) -> bool:
        """A one-word mention that is the surname of a person named in full in the story
        ("Mahsa Amini ... Amini's death"), unless it also names a country, a state or a big city,
        or a settlement the story also puts where only a place goes ("Olena Lyman ... stayed in
        Lyman.")."""
        norm = normalize_name(m.name)
        if " " in m.name or norm not in surnames:
            return False
        cands = self.gaz.candidates(m.name, 10)
        if surnames[norm] and any(c.place.feature in ("settlement", "capital") for c in cands):
            return False
        return not any(c.place.feature in ("country", "admin1", "capital", "continent")
                       or c.place.population >= 100000 for c in cands)

    def _prominent(self, surface: str) -> bool:
        # a county or district known by its bare name ("Clark" for Clark County) is no more
        # prominent than a village: most such names are surnames
        bare_unit = not (set(surface.lower().split()) & (_ADMIN2_WORDS | _ADMIN3_WORDS))
        for c in self.gaz.candidates(surface, 10):
            f = c.place.feature
            if bare_unit and f in ("admin2", "admin3"):
                continue
            # a site the project lists by name ("Heathrow", "Azovstal") is known by that name
            if f in AREA_FEATURES or f in ("capital", "facility") or c.place.population >= 150000 \
                    or (c.place.population >= 20000 and c.kind in (KIND_MAIN, KIND_TRANSLIT)):
                return True
        return False

    def _strong(self, text: str, start: int, surface: str) -> bool:
        return self._prominent(surface) or self._locative_cue(text, start)

    def _guard(self, text: str, toks: list[_Tok], i: int, k: int, surface: str,
               common: frozenset[str], *, listed: bool = False) -> str | None:
        """Why a gazetteer-only match is not a place name (None when it may be one); ``listed``
        when the name stands in a list after another place name ("Bakhmut, Soledar")."""
        span = toks[i:i + k]
        if k == 1:
            word = span[0].text
            low = word.lower()
            if low in common:
                return "common_word"
            if len(word) <= 2:
                return "too_short"
        # a dateline opens the report with the place it was filed from ("Przewodow, Poland --",
        # "KYIV, Ukraine (AP) --")
        if _dateline(text, span[0].start, span[-1].end):
            return None
        if k == 1:
            word = span[0].text
            if word.isupper() and len(word) <= 5 and not self._is_country_name(word) and not (
                    # "DPR", "LPR", unless spelled out as something else ("the DPR of Korea")
                    self._project_acronym(word) and not (i + 1 < len(toks) and toks[i + 1].text == "of")):
                return "acronym"
            if self.gaz.demonym(word) and not self._is_country_name(word):
                return "demonym"
        # part of a longer capitalised run (person or organisation name)
        prev = toks[i - 1] if i > 0 else None
        nxt = toks[i + k] if i + k < len(toks) else None
        if prev is not None and prev.text == "." and i > 1 and toks[i - 2].text.lower() in _TITLES \
                and text[toks[i - 2].end:span[0].start] == ". ":
            return "person_name"      # "Mr. Obama", "Gen. Zongo"
        if prev is not None and prev.cap and text[prev.end:span[0].start] == " ":
            pl = prev.text.lower().rstrip(".")
            if pl in _TITLES:
                return "person_name"
            if not (pl in _DIRECTIONS or self.gaz.demonym(prev.text) or
                    _sentence_start(toks, i - 1) or pl in _common_words()):
                return "inside_name"
        if nxt is not None and nxt.cap and text[span[-1].end:nxt.start] == " ":
            nl = nxt.text.lower()
            if nl not in _ADMIN1_WORDS | _ADMIN2_WORDS | _WATER_WORDS | _AREA_WORDS \
                    and nl not in {"city", "town", "village", "airport", "port", "mountains"} \
                    and not self.gaz.has_name(normalize_name(nxt.text)) \
                    and not _site_after(text, span[-1].end):    # "Kramatorsk Railway Station"
                return "inside_name"
        if k == 1 and nxt is not None and nxt.text == "." and len(span[0].text) <= 4 \
                and span[0].text + "." not in _press_abbreviations() \
                and not (_ends_sentence(text, nxt.end) and self._prominent(surface)):
            return "abbreviation"   # "Gen. Smith"; but "Ind." is Indiana and "in Gaza." is Gaza
        # small or alternate-name-only places need a locative cue ("in X", "village of X")
        if not self._prominent(surface):
            words = [w.lower() for w in _words_before(text, span[0].start, max(0, span[0].start - 40), 3)]
            cue = bool(words) and (words[-1] in _CUE_WORDS or (len(words) > 1 and words[-2] in _CUE_WORDS
                                                              and words[-1] in _CUE_FILLERS))
            after = text[span[-1].end:span[-1].end + 30].lower()
            if not cue and not listed and not re.match(r"\s*(?:,\s*(?:a|the)\s+(?:village|town|city|settlement)|"
                                         r"(?:region|oblast|district|raion|province|village|town|"
                                         r"city|direction|area|county|river|reservoir)\b)", after) \
                    and not _site_after(text, span[-1].end, cue_only=True):   # "Chaplyne railway station"
                return "no_locative_cue"
        # a capitalised word that also appears in lower case in the same text is a word
        if k == 1 and re.search(r"\b" + re.escape(span[0].text.lower()) + r"\b", text):
            return "lowercase_elsewhere"
        # sentence-initial single words need a strong candidate: a unit or a city; a town known
        # by this very name ("Kupiansk is Ukraine", in a quote) only where the NER does not call
        # it a person or an organisation
        if k == 1 and _sentence_start(toks, i):
            cs = self.gaz.candidates(surface, 5)
            if not any(c.place.population >= 50000 or c.place.feature in AREA_FEATURES for c in cs):
                if any(c.place.population >= SENTENCE_START_POP and c.kind in (KIND_MAIN, KIND_TRANSLIT)
                       for c in cs):
                    return _WEAK_START
                return "sentence_initial"
        return None

    def _qualify(self, text: str, m: Mention) -> None:
        before = text[max(0, m.start - 60):m.start]
        after = text[m.end:m.end + 40]
        m.acronym = _written_as_acronym(text, m.start, m.end)
        low_name = m.name.lower()
        words = low_name.split()
        last = words[-1] if words else ""
        if last in _ADMIN1_WORDS or (len(words) > 2 and words[0] in _ADMIN1_WORDS
                                       and words[1] == "of"):
            m.cls, m.qualifier = "admin1", "region"
        elif last in _ADMIN2_WORDS:
            m.cls, m.qualifier = "admin2", "district"
        elif last in ("river", "reservoir", "lake", "sea", "strait"):
            m.cls = "water"
        elif words and words[0] in ("river", "lake"):
            m.cls = "water"
        # "Douglas, Sarpy and Lancaster counties": the class word after a list covers it all
        am = re.match(r"(?:\s*(?:,|,?\s*and|,?\s*or)\s+[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?)*"
                      r"\s*(?i:(region|regions|oblast|oblasts|province|provinces|"
                      r"governorate|district|districts|raion|raions|rayon|county|counties|river|reservoir|"
                      r"direction|area|axis|front|sector|outskirts|suburbs))\b", after)
        if am and not m.cls:
            word = am.group(1).lower()
            if word in _ADMIN1_WORDS:
                m.cls, m.qualifier = "admin1", "region"
            elif word in _ADMIN2_WORDS:
                m.cls, m.qualifier = "admin2", "district"
            elif word in ("river", "reservoir"):
                m.cls = "water"
            else:
                m.qualifier = "near" if word in ("direction", "axis", "front", "sector") else word
            # "Kharkiv region" is one name; "Sumy regions" is a name and a class word
            if am.group(0).strip().lower() == word and not word.endswith("s") and word not in (
                    "direction", "axis", "front", "sector", "area", "outskirts", "suburbs"):
                m.end = m.end + am.end()
            m.reasons.append(f"geo:qualifier_{word}")
        if _REGION_OF_BEFORE.search(before):
            m.cls, m.qualifier = "admin1", "region"
            m.reasons.append("geo:qualifier_region_of")
        elif _DISTRICT_OF_BEFORE.search(before):
            m.cls, m.qualifier = "admin2", "district"
            m.reasons.append("geo:qualifier_district_of")
        elif _RIVER_BEFORE.search(before) and not m.cls:
            m.cls = "water"
        if not m.qualifier:
            nm = _NEAR_BEFORE.search(before)
            if nm:
                q = nm.group(0).strip().lower()
                q = "outskirts" if "outskirts" in q or "suburb" in q else (
                    "outside" if q.startswith("outside") else "near")
                m.qualifier = q
                m.reasons.append(f"geo:qualifier_{q}")
        if not m.qualifier:
            dm = re.search(r"\b(north|south|east|west|northeast|northwest|southeast|southwest|"
                           r"north-east|north-west|south-east|south-west)(?:ern)?\s+$", before,
                           re.IGNORECASE)
            if dm and not low_name.startswith(dm.group(1).lower()):
                m.qualifier = dm.group(0).strip().lower()
                m.reasons.append("geo:qualifier_direction")
        if m.cls == "admin1" and not any(r.startswith("geo:qualifier") for r in m.reasons):
            m.reasons.append("geo:qualifier_region")

    # ------------------------------------------------------------------ resolution
    def _candidates(self, m: Mention) -> list[Candidate]:
        names = [m.name]
        low = m.name.lower()
        # "Kharkiv region" -> also "Kharkiv"; "Oskil River" -> "Oskil"
        stripped = re.sub(r"\s+(?:region|regions|oblast|oblasts|province|provinces|governorate|"
                          r"district|districts|raion|raions|rayon|county|counties|river|reservoir|area|city)$",
                          "", m.name,
                          flags=re.IGNORECASE)
        stripped = re.sub(r"^(?:the\s+)?(?:region|province|oblast|city|town|village|river)\s+of\s+",
                          "", stripped, flags=re.IGNORECASE)
        if stripped != m.name:
            names.append(stripped)
        if m.cls == "water" and not low.endswith(("river", "reservoir")):
            names.append(m.name + " River")
        if m.cls == "admin1":
            names.append(stripped + " region")
        if m.cls == "admin2":
            names.append(stripped + " district")
            if low.endswith("counties"):
                names.append(stripped + " County")
        seen: dict[int, Candidate] = {}
        for i, n in enumerate(names):
            for c in self.gaz.candidates(n, self.limit):
                if c.pid not in seen:
                    seen[c.pid] = c if i == 0 else _as_variant(c)
        if not seen:
            # an unknown part of a known place: "North London", "Upper Edmonton", "the Greater
            # Toronto Area", "Plymouth Co." -> the place it is part of, as a vaguer location
            core = _PART_OF_PLACE.sub("", m.name)
            core = re.sub(r"\s+Co\.?$", " County", core, flags=re.IGNORECASE)
            if core and core != m.name:
                for c in self.gaz.candidates(core, self.limit):
                    seen.setdefault(c.pid, _as_variant(c))
                if seen and "geo:part_of_named_place" not in m.reasons:
                    m.reasons.append("geo:part_of_named_place")
                    m.qualifier = m.qualifier or "area"
        if not seen:
            # "Paraskoveevka", "Vodyany": a spelling no table gives, of a settlement's name
            for c in self.gaz.loose_candidates(m.name, self.limit):
                seen.setdefault(c.pid, c)
        cands = list(seen.values())
        if m.acronym:
            # "US", "OAS": capitals make an acronym, not the village called Us or Oas
            norm = normalize_name(m.name)
            kept = [c for c in cands if not _ordinary_name_read_as_acronym(c, norm)]
            if len(kept) < len(cands) and "geo:acronym_not_village" not in m.reasons:
                m.reasons.append("geo:acronym_not_village")
            cands = kept
        demonym = self._demonym_candidate(m.name)
        if demonym is not None and demonym.pid not in seen \
                and not any(c.place.feature in AREA_FEATURES and c.kind == KIND_MAIN for c in cands):
            cands.append(demonym)
            if len(cands) == 1:
                m.reasons.append("geo:demonym")
        if m.cls == "admin1":
            cands = self._as_admin1(cands)
        return cands

    def _demonym_candidate(self, name: str) -> Candidate | None:
        """The country (or continent, for "@Name" entries) a demonym such as "Spanish" names."""
        cc = self.gaz.demonym(name)
        if not cc:
            return None
        if cc.startswith("@"):
            for c in self.gaz.candidates(cc[1:], 10):
                if c.place.feature in ("continent", "region") and c.kind == KIND_MAIN:
                    return Candidate(c.pid, c.place, c.a1code, c.precision, "demonym", KIND_DEMONYM)
            return None
        country = self.gaz.country(cc)
        if country is None:
            return None
        return Candidate(country.pid, country.place, country.a1code, country.precision, "demonym",
                         KIND_DEMONYM)

    def _as_admin1(self, cands: list[Candidate]) -> list[Candidate]:
        """For "X region": admin1 units called X, else the admin1 whose main city is X."""
        admins = [c for c in cands if c.place.feature == "admin1"]
        if admins:
            return admins + [c for c in cands if c.place.feature in ("region",)]
        out: list[Candidate] = []
        for c in cands:
            if c.place.feature in ("settlement", "capital") and c.a1code:
                a1 = self.gaz.admin1(c.a1code)
                if a1 is not None and c.place.population >= 0.05 * max(1, a1.place.population) \
                        and a1.pid not in {o.pid for o in out}:
                    out.append(Candidate(a1.pid, a1.place, a1.a1code, a1.precision,
                                         f"admin1_of:{c.place.name}", KIND_QUALIFIED))
        return out or cands

    def _score(self, m: Mention, c: Candidate, doc: "_DocContext | None",
               city_units: frozenset[str] = frozenset()) -> tuple[float, list[str]]:
        p = c.place
        why: list[str] = []
        f = p.feature
        if f == "country":
            s = 5.0 + (1.5 if c.kind == KIND_MAIN else 0.0)
        elif f == "continent":
            s = 4.0
        elif f in ("region", "sea", "ocean"):
            s = 2.0 + 0.4 * math.log10(max(p.population, 1))
        elif f in WATER_FEATURES or f in ("bridge", "facility", "island", "spit"):
            s = 1.5 + 0.4 * math.log10(max(p.population, 1))
        elif f == "admin1":
            s = 1.0 + 0.45 * math.log10(max(p.population, 1))
        elif f in ("admin2", "admin3"):
            s = 0.5 + 0.3 * math.log10(max(p.population, 1))
        else:
            s = 0.6 * math.log10(max(p.population, 1) + 1)
            if f == "capital":
                s += 1.0
            if c.precision > 1:
                s += 0.4  # a known Ukrainian settlement, no GeoNames entry
        why.append("geo:population" if f in ("settlement", "capital") else f"geo:feature_{f}")
        if c.kind == KIND_MAIN:
            s += 0.6
            why.append("geo:exact_name")
        elif c.kind == KIND_TRANSLIT:
            s += 0.2
            why.append("geo:transliteration")
        elif c.kind == KIND_QUALIFIED:
            s += 0.6
            why.append("geo:qualified_name")
        elif c.kind == KIND_CODE:
            s -= 1.0
        elif c.kind == KIND_DEMONYM:
            why.append("geo:demonym")
        elif c.kind == KIND_LOOSE:
            s -= LOOSE_PENALTY
            why.append("geo:loose_spelling")   # "Paraskoveevka" resolved as Paraskoviivka
        else:
            why.append("geo:alternate_name")
        # a bare name that is both a big city and its admin unit is the city ("Kharkiv")
        if f in ("admin1", "admin2") and m.cls not in ("admin1", "admin2") and c.kind != KIND_QUALIFIED \
                and c.a1code in city_units:
            s -= 2.5
        if m.cls == "water":
            s += 4.0 if f in WATER_FEATURES else -3.0
        elif f in ("river", "reservoir") and c.kind != KIND_MAIN:
            s -= 2.0
        if m.cls == "admin2" and f in ("admin2", "admin3"):
            s += 2.0
        if m.qualifier in ("near", "outskirts", "outside") and f in AREA_FEATURES:
            s -= 1.5
        if m.facility and f in ("settlement", "capital"):
            s += FACILITY_WEIGHT
            why.append("geo:facility_word")
        if doc is not None:
            cw = doc.country_share(p.iso2)
            if cw > 0:
                s += 3.0 * cw
                why.append(f"geo:doc_country={p.iso2}")
            else:
                nw = doc.neighbour_share(self._neighbours.get(p.iso2, ()))
                if nw > 0:
                    s += NEIGHBOUR_WEIGHT * nw
                    why.append("geo:doc_neighbour_country")
            if c.a1code and c.a1code in doc.admin1s and f not in ("admin1", "country"):
                s += 1.5
                why.append("geo:doc_admin1")
            elif f == "admin1" and c.a1code in doc.admin1s and c.kind != KIND_CODE:
                s += 2.5
                why.append("geo:contains_other_places")
            n_near = doc.support.get(c.pid, 0)
            if n_near:
                s += CLUSTER_WEIGHT * min(n_near, 2)
                why.append("geo:near_other_names_candidates")
            d = doc.nearest_km(p.latitude, p.longitude)
            if d is not None and f not in ("country", "continent"):
                bonus = 1.5 * math.exp(-d / 200.0)
                if bonus > 0.1:
                    s += bonus
                    why.append("geo:near_other_places")
        return s, why

    def _best(self, m: Mention, cands: list[Candidate], doc: "_DocContext | None",
              readings: "_Readings | None" = None, nested: "dict[int, str] | None" = None,
              peer_kinds: frozenset[str] = frozenset()) -> tuple[Candidate | None, float, list[str]]:
        """The best-scoring candidate; ``readings`` (from :func:`_readings`) may be passed in
        when the same candidates are scored again in another round; ``nested`` maps the pids
        of candidates that nest with a reading of the name the text pairs with this one
        ("Pisky area in Donbas", "Athens, Georgia") to the reason code."""
        r = readings if readings is not None else _readings(cands)
        best: tuple[Candidate | None, float, list[str]] = (None, -1e9, [])
        for c in cands:
            s, why = self._adjusted_score(m, c, doc, r, nested, peer_kinds)
            if s > best[1]:
                best = (c, s, why)
        return best

    def _adjusted_score(self, m: Mention, c: Candidate, doc: "_DocContext | None",
                        r: "_Readings", nested: "dict[int, str] | None" = None,
                        peer_kinds: frozenset[str] = frozenset()) -> tuple[float, list[str]]:
        """:meth:`_score` plus what the name's other candidates, and the places the text
        says hold it, say about this one."""
        s, why = self._score(m, c, doc, r.city_units)
        if nested and c.pid in nested:
            s += CONTAINER_WEIGHT
            why = [*why, nested[c.pid]]
        if _KIND_OF_PLACE.get(c.place.feature) in peer_kinds:
            s += PEER_WEIGHT
            why = [*why, "geo:like_its_list_neighbours"]
        if c.pid in r.paired:
            # a province and the city it is named after both answer to the name: against
            # a lone namesake abroad, the pair wins ("Gaza" is not Mozambique's province)
            s += SEAT_BONUS
            why = [*why, "geo:city_and_namesake_unit"]
        if r.famous[0] and c.place.iso2 != r.famous[1] and c.names * FAME_RATIO <= r.famous[0] \
                and c.place.feature in ("settlement", "admin2", "admin3") and not m.qualifier and not m.cls \
                and not any(w.startswith(_LOCAL_SUPPORT) for w in why):
            # "Venice", "Paris", "Cambridge": a world city is not a small namesake abroad just
            # because the story is about the namesake's country; the namesake needs support of its
            # own (its province named, other places of the story near it)
            s -= FAMOUS_NAMESAKE_PENALTY
            why = [*why, "geo:namesake_of_world_city"]
        if c.place.iso2 in r.states and m.cls not in ("settlement", "admin2") and c.a1code not in r.city_units and (
                (c.place.feature == "settlement" and c.place.population < SMALL_NAMESAKE_POP)
                or (c.place.feature in ("admin2", "admin3") and c.kind != KIND_MAIN)):
            s -= 2.0
            why = [*why, "geo:namesake_of_state"]
        return s, why

    def _toponym(self, text: str, m: Mention, c: Candidate | None, score: float,
                 why: list[str], n: int) -> Toponym:
        reasons = list(m.reasons)
        if m.source.startswith("ner:"):
            reasons.insert(0, f"geo:{m.source}")
        if c is None:
            reasons.append("geo:unresolved")
            return Toponym(text=text[m.start:m.end], start=m.start, end=m.end, place=None,
                           geo_precision=1, score=0.0, qualifier=m.qualifier, reasons=reasons)
        reasons.extend(why)
        if n > 1:
            reasons.append(f"geo:candidates={n}")
        prec = FEATURE_PRECISION.get(c.place.feature, 1)
        if c.precision > 1 and prec < 2:
            prec = 2
            kind = c.note.split(":", 1)[0] or "borrowed_point"
            reasons.append(f"geo:{kind}")
        if m.qualifier in ("near", "outskirts", "outside", "area", "suburbs") or (
                m.qualifier and m.qualifier.split()[0].replace("ern", "") in
                {"north", "south", "east", "west", "northeast", "northwest", "southeast",
                 "southwest", "north-east", "north-west", "south-east", "south-west"}):
            prec = max(prec, 2)
        if c.note.startswith("admin1_of:"):
            reasons.append("geo:admin1_of_city")
        place = c.place
        if place.feature == "facility":
            # a listed site: placed at the settlement it belongs to, the site kept
            reasons.append("geo:facility")
            key = c.note.split(":")[1] if c.note.startswith("facility:") else ""
            if key:
                reasons.append(f"geo:site={key}")
        elif m.facility and place.feature in ("settlement", "capital"):
            place = dataclasses.replace(place, site=f"{place.name} {m.facility}")
            reasons.append("geo:facility_of_settlement")
        conf = 1.0 / (1.0 + math.exp(-(score - 4.0) / 2.0))
        return Toponym(text=text[m.start:m.end], start=m.start, end=m.end, place=place,
                       geo_precision=prec, score=round(conf, 3), qualifier=m.qualifier,
                       reasons=reasons)


class _DocContext:
    __slots__ = ("countries", "total", "admin1s", "points", "support")

    def __init__(self, countries: dict[str, float], admin1s: dict[str, int],
                 points: list[tuple[float, float, int]]) -> None:
        self.countries = countries
        self.total = max(sum(countries.values()), CONTEXT_FLOOR)
        self.admin1s = admin1s
        self.points = points
        self.support: dict[int, int] = {}

    @classmethod
    def build(cls, picks: Sequence[tuple[Candidate | None, int]],
              context: dict[str, float]) -> "_DocContext":
        countries = dict(context)
        admin1s: dict[str, int] = {}
        points: list[tuple[float, float, int]] = []
        for c, n in picks:
            if c is None:
                continue
            cc = c.place.iso2
            if cc:
                countries[cc] = countries.get(cc, 0.0) + n
            if c.a1code:
                admin1s[c.a1code] = admin1s.get(c.a1code, 0) + n
            # a region inside one country ("Donbas", "eastern Ukraine") is compact enough for
            # its point to say where the story is; a country or "the Middle East" is not
            if c.place.feature not in ("country", "continent", "region", "sea", "ocean", "admin1") or (
                    c.place.feature == "region" and c.place.iso2):
                points.append((c.place.latitude, c.place.longitude, c.pid))
        return cls(countries, admin1s, points)

    def without(self, pick: Candidate | None, n: int = 1) -> "_DocContext":
        if pick is None:
            return self
        countries = dict(self.countries)
        if pick.place.iso2:
            countries[pick.place.iso2] = countries.get(pick.place.iso2, 0.0) - n
        admin1s = dict(self.admin1s)
        if pick.a1code:
            admin1s[pick.a1code] = admin1s.get(pick.a1code, 0) - n
            if admin1s[pick.a1code] <= 0:
                del admin1s[pick.a1code]
        pts = [p for p in self.points if p[2] != pick.pid]
        out = _DocContext(countries, admin1s, pts)
        out.support = self.support
        return out

    def country_share(self, cc: str) -> float:
        if not cc or self.total <= 0:
            return 0.0
        return max(0.0, self.countries.get(cc, 0.0)) / self.total

    def neighbour_share(self, neighbours) -> float:
        """The share of the story's country weight that falls on ``neighbours``."""
        if not neighbours or self.total <= 0:
            return 0.0
        return sum(max(0.0, self.countries.get(cc, 0.0)) for cc in neighbours) / self.total

    def nearest_km(self, lat: float, lon: float) -> float | None:
        best = None
        coslat = math.cos(math.radians(lat))
        for la, lo, _ in self.points:
            dlon = abs(lo - lon)
            if dlon > 180:
                dlon = 360 - dlon
            # equirectangular approximation: plenty for a proximity bonus
            d = 111.2 * math.hypot(la - lat, dlon * coslat)
            if d > 0.5 and (best is None or d < best):
                best = d
        return best


def _surnames(text: str, blocked: Sequence[tuple[int, int, str]]) -> dict[str, bool]:
    """Last words of the multi-word PERSON names of a text, each with whether the text also
    puts the word where only a place goes ("moving into Lyman", "the town of Lyman", "lived in
    Lyman."); a span that opens a sentence with a gerund ("Retaking Lyman would...") is no
    person's name."""
    out: dict[str, bool] = {}
    for start, end, label in blocked:
        if label != "PERSON":
            continue
        words = text[start:end].replace("’s", "").replace("'s", "").split()
        if len(words) < 2 or not words[-1][:1].isupper():
            continue
        if re.fullmatch(r"[A-Z][a-z]{2,}ing", words[0]) and (
                start == 0 or re.search(r"(?:^|[.!?:\n][\"“'‘]?)\s*$", text[max(0, start - 4):start])):
            continue
        name = re.escape(words[-1])
        placed = re.search(r"\b(?:(?:into|near|outside|around|towards?|inside)\s+(?:the\s+)?|"
                           r"(?:town|city|village|settlement)\s+of\s+)" + name + r"\b(?![-'’])", text) or \
            re.search(r"\bin\s+" + name + r"\s*[,.;:)]", text)
        key = normalize_name(words[-1])
        out[key] = out.get(key, False) or bool(placed)
    return out


_ABBREVIATION = re.compile(r"(?:[A-Z]\.){2,4}|[A-Z]\.\s?[A-Z][a-z]{1,3}\.")


@lru_cache(maxsize=1)
def _press_abbreviations() -> frozenset[str]:
    """One-word abbreviations with a final period that the gazetteer knows ("Ind.", "Ont.")."""
    from frontlines.geo.build import ADMIN1_ABBREV, US_STATE_ABBREV

    return frozenset(ab for forms in (*US_STATE_ABBREV.values(), *ADMIN1_ABBREV.values())
                     for ab in forms if ab.endswith("."))


_SPAN_TAIL = re.compile(
    r"\s+(?:(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
    r"earlier|later|this|last|next|yesterday|today|tonight|overnight)(?:\W.*)?$|\s*\(.*$", re.DOTALL)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    s = text[start:end]
    m = re.match(r"(?:the|The)\s+", s)
    if m:
        start += m.end()
    s = text[start:end]
    # an NER span that ran on into a day or a parenthesis: "Sanaa Friday", "Palmyra (Tadmur"
    m = _SPAN_TAIL.search(s)
    if m and m.start() > 0:
        end = start + m.start()
        s = text[start:end]
    m = re.search(r"(?:'s|’s|'|’)$", s)
    if m:
        end = start + m.start()
    while end > start and text[end - 1] in ".,;:!?\"”) ":
        end -= 1
    if end < len(text) and text[end] == "." and (_ABBREVIATION.fullmatch(text[start:end + 1])
                                                 or text[start:end + 1] in _press_abbreviations()):
        end += 1  # "U.S.", "D.C.", "W.Va.", "Ind." keep their final period
    while start < end and text[start] in "\"“( ":
        start += 1
    return start, end


class _Readings(NamedTuple):
    """What a name's candidates say about each other (the same in every scoring round)."""

    city_units: frozenset[str]   # admin units whose bare name means the city inside them
    paired: frozenset[int]       # pids of a city and the unit named after it
    states: frozenset[str]       # countries with an admin1 of exactly this name
    famous: tuple[int, str] = (0, "")   # (names, country) of a world city of this very name


class _Rounds(NamedTuple):
    """The outcome of :meth:`Geoparser._rounds`: mentions grouped by name, their candidates
    and the final choice per group, with the context each group's last round was scored in."""

    keys: list[tuple]                  # each mention's group key
    groups: dict[tuple, list[int]]     # group key -> indices of its mentions
    cands: dict[tuple, list[Candidate]]
    readings: dict[tuple, "_Readings"]
    final: dict[tuple, tuple[Candidate | None, float, list[str]]]
    docs: dict[tuple, "_DocContext"]      # group key -> the context its last round was scored in
    nested: dict[tuple, dict[int, str]]   # group key -> pids nesting with the name paired with it
    peer_kinds: dict[tuple, frozenset[str]]   # group key -> kinds of place listed beside it


# the class words of the admin1 display names (data/admin1_names.tsv)
_UNIT_WORD = re.compile(r"^republic of |\s(?:oblast|krai|kray|voivodeship|autonomous okrug|autonomous oblast|"
                        r"region|republic)$")
_LEVEL = {"facility": 4, "settlement": 3, "capital": 3, "admin3": 2.5, "admin2": 2, "region": 1.5, "admin1": 1,
          "country": 0}
# (a settlement holds only a site: "the Black Sea Fleet headquarters in Sevastopol")
_CONTAINER_FEATURES = frozenset({"country", "admin1", "admin2", "region", "settlement", "capital"})
SITE_REACH_KM = 25.0         # how far from its settlement's point a listed site may lie
_KIND_OF_PLACE = {"settlement": "town", "capital": "town", "admin2": "district", "admin3": "district",
                  "admin1": "state", "country": "country"}
_ORG_COUNTRY = (re.compile(r"^(?:the\s+)?([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)['’]s\s"),     # "Ukraine's State ..."
                re.compile(r"\bof\s+(?:the\s+)?([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)$"))     # "... Forces of Ukraine"
_RIVER_BANK = re.compile(r"^(?:the\s+)?(?:west|east|left|right)(?:ern)?\s+bank$", re.IGNORECASE)
_OF_AFTER = re.compile(r"^\s+of\b")
_PART_OF_PLACE = re.compile(
    r"^(?:the\s+)?(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west|"
    r"central|upper|lower|inner|outer|greater|downtown|metro|metropolitan)\s+)+|"
    r"\s+(?:area|metro\s+area|metropolitan\s+area|metro|region)$", re.IGNORECASE)
_LIST_JOIN = re.compile(r"^\s*(?:,|,?\s*and|,?\s*or)\s+$")
_AND_JOIN = re.compile(r"\b(?:and|or)\b")
_CONTAINED_BY = re.compile(r"^(?:\s+(?:area|areas|village|town|city|settlement|district|raion))?"
                           r"\s*(?:,|\s+in|\s+of)\s+(?:the\s+)?$", re.IGNORECASE)
_HOLDS_NEXT = re.compile(r"^(?:['’]s?)?\s+(?:(?:frontline|front-line|small|key|embattled|strategic|industrial|"
                         r"border|coastal|occupied|liberated|southern|northern|eastern|western|central)\s+)?"
                         r"(?:village|town|city|settlement|hamlet|port|suburb|district)\s+of\s+$", re.IGNORECASE)
REGION_REACH_KM = 300.0      # how far from its point a named region ("Donbas") is taken to reach


def _list_kinds(text: str, mentions: Sequence[Mention], keys: Sequence[tuple],
                cands: dict[tuple, list[Candidate]]) -> dict[tuple, frozenset[str]]:
    """For names coordinated in a list ("Missouri, New York, North Carolina and Virginia"),
    the one kind of place (town, state, country) every name of the list can be, by group key.
    Two names joined by a bare comma are not a list ("Belgrade, Minn.")."""
    out: dict[tuple, frozenset[str]] = {}
    run = [0]

    def close(run: list[int]) -> None:
        if len(run) < 2 or (len(run) == 2 and not _AND_JOIN.search(
                text[mentions[run[0]].end:mentions[run[1]].start])):
            return
        shared = None
        for i in run:
            kinds = {_KIND_OF_PLACE.get(c.place.feature) for c in cands[keys[i]] if c.kind != KIND_DEMONYM}
            shared = kinds if shared is None else shared & kinds
        shared = (shared or set()) - {None}
        # a list of towns needs no help (a bare name is a town unless it is a famous unit);
        # a list of states, countries or districts does ("Oregon, Washington and Wyoming")
        if len(shared) == 1 and shared != {"town"}:
            for i in run:
                out[keys[i]] = frozenset(shared)

    for i in range(1, len(mentions)):
        a, b = mentions[i - 1], mentions[i]
        if b.start >= a.end and _LIST_JOIN.match(text[a.end:b.start]):
            run.append(i)
        else:
            close(run)
            run = [i]
    close(run)
    return out


def _as_variant(c: Candidate) -> Candidate:
    """``c`` found under a derived form of the name ("Kharkiv" for "Kharkiv region", "London"
    for "North London"): it matched no better than a transliteration does."""
    return Candidate(c.pid, c.place, c.a1code, c.precision, c.note, max(c.kind, KIND_TRANSLIT))


def _nest(inner: Sequence[Candidate], outer: Sequence[Candidate], inner_out: dict[int, str],
          outer_out: dict[int, str]) -> None:
    """Mark the readings of a name (``inner``) and of the name the text says holds it
    (``outer``) that nest: a town of the first inside a unit of the second.  Nothing nests
    when the first name can itself be a unit of that level: then the names are a list
    ("Georgia, Oklahoma, Pennsylvania")."""
    for box in outer:
        if box.place.feature not in _CONTAINER_FEATURES or any(
                c.kind == KIND_MAIN and _LEVEL.get(c.place.feature, 3) <= _LEVEL[box.place.feature] for c in inner):
            continue
        for c in inner:
            if _inside(c, box):
                inner_out[c.pid] = "geo:inside_named_container"
                outer_out[box.pid] = "geo:holds_named_place"


def _inside(c: Candidate, box: Candidate) -> bool:
    """Whether candidate ``c`` lies inside the (coarser) place ``box``."""
    p, b = c.place, box.place
    if c.pid == box.pid or _LEVEL.get(p.feature, 3) <= _LEVEL.get(b.feature, 3):
        return False
    if b.feature == "country":
        return bool(p.iso2) and p.iso2 == b.iso2
    if b.feature == "admin1":
        return bool(c.a1code) and c.a1code == box.a1code
    if b.feature == "admin2":
        return bool(c.a1code) and c.a1code == box.a1code and _km(p, b) <= 100.0
    if b.feature in ("settlement", "capital"):
        return p.feature == "facility" and (p.geonameid == b.geonameid if p.geonameid is not None
                                            else _km(p, b) <= SITE_REACH_KM)
    return bool(b.iso2) and p.iso2 == b.iso2 and _km(p, b) <= REGION_REACH_KM


def _km(a, b) -> float:
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def _readings(cands: Sequence[Candidate]) -> _Readings:
    # units whose bare name also names a big city inside them, or the city they are named after
    # a unit is known by its name without the class word ("Kherson Oblast" is "Kherson")
    names = {c.pid: _UNIT_WORD.sub("", normalize_name(c.place.name)) if c.place.feature in ("admin1", "admin2")
             else normalize_name(c.place.name) for c in cands}
    unit_names = {(c.a1code, names[c.pid]) for c in cands if c.place.feature in ("admin1", "admin2")}
    # ... unless the city holds only a small share of the unit's people: then the bare
    # name means the unit ("Quebec" the province; "Kharkiv" and "Kherson" the cities, which
    # hold 47% and 11% of their oblasts in the index)
    unit_pop = {c.a1code: c.place.population for c in cands if c.place.feature in ("admin1", "admin2")}
    city_units = frozenset(c.a1code for c in cands if c.a1code and c.place.feature in ("settlement", "capital")
                           and (c.place.population >= 100000 or (c.a1code, names[c.pid]) in unit_names)
                           and c.place.population >= CITY_SHARE * unit_pop.get(c.a1code, 0))
    paired_keys = {(c.a1code, names[c.pid]) for c in cands if c.place.feature in ("settlement", "capital")
                   and (c.a1code, names[c.pid]) in unit_names}
    paired = frozenset(c.pid for c in cands if (c.a1code, names[c.pid]) in paired_keys)
    # a state of this very name: a village of its country named (or also known) by it, or a
    # county known by it ("Delaware" for Delaware County), is the lesser reading
    states = frozenset(c.place.iso2 for c in cands if c.kind == KIND_MAIN and c.place.feature == "admin1")
    # a world city of this very name: known by dozens of names (languages), as Venice, Paris and
    # Athens are and their namesakes abroad are not
    world = [c for c in cands if c.kind in (KIND_MAIN, KIND_ALT) and c.place.feature in ("settlement", "capital")
             and c.names >= WORLD_CITY_NAMES]
    famous = max(((c.names, c.place.iso2) for c in world), default=(0, ""))
    return _Readings(city_units, paired, states, famous)


def _cluster_support(cands: dict[tuple, list[Candidate]], km: float = 50.0) -> dict[int, int]:
    """For each settlement or district candidate, how many *other* names of the story have a
    candidate of the same kind within ``km``: places of one story tend to lie together, so
    "London", "St. Thomas" and "Middlesex" support their Ontario readings jointly."""
    cell_deg = km / 111.0
    grid: dict[tuple[int, int], list[tuple[float, float, tuple]]] = {}
    local = {k: [c for c in cs if c.place.feature in _CLUSTER_FEATURES and c.kind in (KIND_MAIN, KIND_TRANSLIT)]
             for k, cs in cands.items()}
    for k, cs in local.items():
        for c in cs:
            cell = (int(c.place.latitude // cell_deg), int(c.place.longitude // cell_deg))
            grid.setdefault(cell, []).append((c.place.latitude, c.place.longitude, k))
    out: dict[int, int] = {}
    if len(local) < 2:
        return out
    for k, cs in local.items():
        for c in cs:
            la, lo = c.place.latitude, c.place.longitude
            ci, cj = int(la // cell_deg), int(lo // cell_deg)
            coslat = math.cos(math.radians(la))
            names = set()
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    for la2, lo2, k2 in grid.get((ci + di, cj + dj), ()):
                        if k2[0] != k[0] and k2 not in names \
                                and 111.2 * math.hypot(la2 - la, (lo2 - lo) * coslat) <= km:
                            names.add(k2)
            if names:
                out[c.pid] = len(names)
    return out


def _ends_sentence(text: str, pos: int) -> bool:
    """Whether the character at ``pos`` follows a sentence's final period."""
    rest = text[pos:pos + 3]
    return not rest.strip() or bool(re.match(r"\s+[\"“'‘(]?[A-Z0-9]", text[pos:pos + 4]))


def _sentence_start(toks: list[_Tok], i: int) -> bool:
    if i == 0:
        return True
    prev = toks[i - 1].text
    return prev in (".", "!", "?", "\"", "“", "”", ":", "—", "–", "(") or "\n" in prev


_POSSESSIVE_AFTER = re.compile(r"['’]s?\b")


def _listed_after(text: str, found: Sequence[Mention], start: int, end: int) -> bool:
    """Whether the name at [start, end) follows a place name of ``found`` in a list ("Bakhmut,
    Soledar"); a possessive ("Ohio, Sissy's handler") or an institution ("Ely Army Cadet Force")
    makes no list."""
    return bool(found) and ORG_MODIFIER_REASON not in found[-1].reasons \
        and _LIST_JOIN.match(text[found[-1].end:start]) is not None and not _POSSESSIVE_AFTER.match(text, end)
_LIST_GAP = re.compile(r"\s*(?:,|;|,?\s*(?:and|or|&)|,?\s+in)\s+", re.IGNORECASE)
_LIST_SPAN_HEAD = re.compile(r"(?:the\s+)?", re.IGNORECASE)
_LIST_SPAN_TAIL = re.compile(r"(?:['’]s?)?[\s.,;:!?\"”)]*")
_SOFT_BLOCK = frozenset({"PERSON", "ORG", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "LANGUAGE"})
_PLACE_LIST_LABELS = frozenset({"PERSON", "ORG", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "LANGUAGE"})


def _span_of_places(span: tuple[int, int, str], gaz: Sequence[Mention], text: str,
                    prominent: "Callable[[str], bool]") -> list[Mention]:
    """The gazetteer matches an NER span with a non-place label consists of, when it is
    nothing but such names joined by list words or "in": "Kyiv, Odesa" (WORK_OF_ART),
    "Marinka and Bakhmut" (ORG), "Hroza in Kharkiv Oblast" (ORG).  Such a span lists places;
    it names nothing else.  One of its names must be a city or a unit (``prominent``), all of
    them for a PERSON span ("Pari and Torretta" are two hostages).  Empty when the span is
    anything more."""
    s, e, label = span
    if label not in _PLACE_LIST_LABELS:
        return []
    inside = sorted((g for g in gaz if s <= g.start < e and ORG_MODIFIER_REASON not in g.reasons),
                    key=lambda g: g.start)
    if len(inside) < 2 or any(g.end > e for g in inside[:-1]):
        return []
    known = [prominent(g.name) for g in inside]
    if not (all(known) if label == "PERSON" else any(known)):
        return []
    head = _LIST_SPAN_HEAD.match(text, s, inside[0].start)
    if head is None or head.end() != inside[0].start:
        return []
    for a, b in zip(inside, inside[1:]):
        gap = _LIST_GAP.fullmatch(text, a.end, b.start) if b.start > a.end else None
        if gap is None or (head.end() > s and re.search(r"\bin\b", gap.group(), re.IGNORECASE)):
            return []    # ... but "The George in Twickenham" is a pub in the town
    last = inside[-1].end
    if last < e and _LIST_SPAN_TAIL.fullmatch(text, last, e) is None:
        return []
    return inside


SAME_NAME_AS_PLACE_REASON = "geo:named_as_place_elsewhere_in_story"
NAMED_VESSEL_REASON = "geo:the_before_a_city_by_another_name"
_THE_BEFORE = re.compile(r"(?:^|[^\w])[Tt]he\s+$")
_VESSEL_WORDS = re.compile(r"\b(?:ship|warship|flagship|cruiser|frigate|corvette|destroyer|vessel|submarine|"
                           r"sank|sunk|sinking|tanker|landing craft|crew)\b", re.IGNORECASE)
_ENDS_PHRASE_AFTER = re.compile(r"^(?:\s*[,.;:)]|\s+(?:was|is|had|has|sank|went|and|which|that)\b)")


def _named_vessel(text: str, m: "Mention", why: Sequence[str]) -> bool:
    """A name after "the", known only as another name of a city, ending its phrase, among words about
    ships ("the Moskva, the flagship", "the Moskva was hit ... the cruiser"): a city is written without
    "the" ("the Kiev regime" goes on)."""
    return "geo:alternate_name" in why and bool(_THE_BEFORE.search(text[max(0, m.start - 5):m.start])) and \
        bool(_ENDS_PHRASE_AFTER.match(text[m.end:m.end + 8])) and \
        bool(_VESSEL_WORDS.search(text[max(0, m.start - 150):m.end + 150]))


def _same_name_elsewhere(text: str, mentions: list[Mention], blocked: list[tuple[int, int, str]]) -> list[Mention]:
    """One name, one sense in a story: "the depot in the village of Rykove ... a strike on Rykove",
    the second labelled an organisation, is the same village.  Other occurrences of a name the
    story clearly uses as a place (a gazetteer match after a locative cue, or a prominent one)
    count too, unless an entity longer than the name holds it ("the Kyiv Independent")."""
    sure = {m.name for m in mentions if m.strong and m.source == "gaz" and m.name[:1].isupper()}
    out: list[Mention] = []
    for name in sure:
        for mt in re.finditer(rf"(?<![\w'’-]){re.escape(name)}(?![\w-])", text):
            s, e = mt.span()
            if any(m.start < e and s < m.end for m in mentions + out):
                continue
            clash = [(a, b, l) for a, b, l in blocked if a < e and s < b]
            if any(a != s or b != e or l not in _SOFT_BLOCK for a, b, l in clash):
                continue
            out.append(Mention(s, e, name, "gaz", reasons=["geo:gazetteer_match", SAME_NAME_AS_PLACE_REASON],
                               strong=True))
    return out


def _merge(ner: list[Mention], gaz: list[Mention], blocked: list[tuple[int, int, str]],
           text: str, prominent: "Callable[[str], bool]" = lambda name: True) -> list[Mention]:
    # an NER span that only lists places blocks none of them ("Kyiv, Odesa" as WORK_OF_ART)
    listed = {b: _span_of_places(b, gaz, text, prominent) for b in blocked}
    if any(listed.values()):
        blocked = [b for b in blocked if not listed[b]]
        for places in listed.values():
            for g in places:
                g.strong = True
                if LISTED_IN_SPAN_REASON not in g.reasons:
                    g.reasons.append(LISTED_IN_SPAN_REASON)
    out: list[Mention] = []
    in_list: list[Mention] = []   # listed names a soft NER label blocks
    sure: set[int] = set()        # mentions no NER span contradicts
    for m in ner:
        # a longer gazetteer match containing the NER span wins ("Kharkiv region")
        longer = [g for g in gaz if g.start <= m.start and g.end >= m.end and (g.end - g.start) > (m.end - m.start)]
        if longer:
            continue
        out.append(m)
    for g in gaz:
        if any(m.start < g.end and g.start < m.end for m in out):
            continue
        clash = [(s, e, l) for s, e, l in blocked if s < g.end and g.start < e]
        if clash and g.site and all(g.start <= e and (s >= g.start or text[s:g.start].lower() == "the ")
                                    and e <= g.end for s, e, l in clash):
            out.append(g)  # a listed site the model took for an organisation ("the Black Sea Fleet")
            continue
        if clash and ORG_MODIFIER_REASON in g.reasons and all(
                l in ("ORG", "FAC", "PERSON", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW")
                and (s == g.start or text[s:g.start].lower() == "the ") for s, e, l in clash):
            out.append(g)  # the place that opens an institution's name
            continue
        # the small model often calls a town a PERSON or WORK_OF_ART ("near Balakleya"): an
        # entity inside the match ("Donetsk" of "the Donetsk airport") does not block a
        # prominent or locative match
        soft = all(g.start <= s and e <= g.end and l in _SOFT_BLOCK for s, e, l in clash)
        if clash and not (g.strong and soft):
            # (a lone name the model calls a person must be a city or a unit: "..., and Omar is")
            if soft and LIST_CUE_REASON in g.reasons and (
                    prominent(g.name) or any(l != "PERSON" for _, _, l in clash)):
                in_list.append(g)
            continue
        if not clash:
            sure.add(id(g))
        out.append(g)
    # ... nor a town listed beside a place the model itself or a clear match gives ("striking
    # Bakhmut, Soledar and Siversk" with Soledar a PERSON): the list makes it a place
    sure |= {id(m) for m in out if m.source in ("ner:GPE", "ner:LOC")}
    grew = True
    while grew and in_list:
        grew = False
        for g in list(in_list):
            if any(id(o) in sure and (_LIST_JOIN.match(text[o.end:g.start]) if o.end <= g.start
                                      else _LIST_JOIN.match(text[g.end:o.start]))
                   for o in out if o.end <= g.start or o.start >= g.end):
                in_list.remove(g)
                out.append(g)
                sure.add(id(g))
                grew = True
    return out


_PLACE_NOUN_OF = re.compile(
    r"\b(?:town|city|village|villages|hamlet|settlement|region|province|district|governorate|"
    r"neighbou?rhood|suburb|area|camp|island|port|county|municipality|prefecture)\s+of\s+"
    r"((?:al-|el-|Al-|El-)?[A-Z][\w'’-]+(?:\s+(?:al-|el-)?[A-Z][\w'’-]+){0,3})")


def _place_noun_mentions(text: str, ner: list[Mention], gaz: list[Mention]) -> list[Mention]:
    """Names the gazetteer does not know but the text calls a place ("the village of X")."""
    out: list[Mention] = []
    taken = [(m.start, m.end) for m in ner + gaz]
    for mt in _PLACE_NOUN_OF.finditer(text):
        s, e = mt.span(1)
        if any(a < e and s < b for a, b in taken):
            continue
        out.append(Mention(s, e, mt.group(1), "pattern", reasons=["geo:place_noun_pattern"],
                           strong=True))
    return out


def _coordinated_directions(text: str, toks: list[_Tok], found: list[Mention],
                            gaz: Gazetteer) -> list[Mention]:
    """'eastern and central Ukraine' -> add 'eastern' as 'eastern Ukraine'."""
    extra: list[Mention] = []
    for m in found:
        words = m.name.split()
        if len(words) < 2 or words[0].lower() not in _DIRECTIONS:
            continue
        before = text[max(0, m.start - 40):m.start]
        dm = re.search(r"\b([A-Za-z-]+)\s*(?:,|and|or|,\s*and)\s*$", before)
        if dm and dm.group(1).lower() in _DIRECTIONS:
            name = dm.group(1) + " " + " ".join(words[1:])
            if gaz.has_name(normalize_name(name)):
                s = max(0, m.start - 40) + dm.start(1)
                extra.append(Mention(s, s + len(dm.group(1)), name, "gaz",
                                     reasons=["geo:gazetteer_match", "geo:coordinated_direction"]))
    return found + extra


# ---------------------------------------------------------------------- event location
_LOC_PREP = {"in": 2.0, "at": 1.6, "near": 1.8, "around": 1.5, "outside": 1.6, "inside": 1.6,
             "into": 1.2, "across": 1.2, "throughout": 1.2, "on": 0.8, "over": 1.0,
             "toward": 0.6, "towards": 0.6, "to": 0.5, "from": -0.5, "of": 0.3,
             "outskirts": 1.6, "where": 1.2, "by": 0.2, "within": 1.4, "off": 1.0,
             "between": 0.8, "against": 0.6}
_LOC_PREP["object"] = 1.4
_PLACE_NOUNS = {"city", "town", "village", "outskirts", "region", "province", "district",
                "suburbs", "suburb", "area", "centre", "center", "port", "neighbourhood",
                "neighborhood", "governorate", "capital", "streets", "heart", "east", "west",
                "north", "south", "part", "parts", "camp", "island", "state", "county"}
_CLAUSE_BREAK = {",", ";", ":", "(", ")", "said", "and", "but", "which", "that", "who",
                 "while", "after", "before", "when", "as", "says", "told"}
_WITHDRAW = re.compile(r"withdr|retreat|pull(?:ed|ing|s)? (?:back|out)|left|fled|flee|evacuat|"
                       r"abandon|driven out|pushed out|expelled|exit", re.IGNORECASE)
_ACTOR_AFTER = re.compile(
    r"^\s*(?:'s|’s|said|says|claimed|claims|has|have|had|is|was|were|will|would|accused|denied|"
    r"announced|launched|fired|forces|troops|army|military|officials?|government|authorities|"
    r"police|president|ministry|leader|army's|backed|-backed|-based|citizens?|nationals?)\b",
    re.IGNORECASE)
_FEATURE_BONUS = {"settlement": 1.2, "capital": 1.2, "admin3": 1.0, "admin2": 0.9,
                  "admin1": 0.6, "region": 0.6, "river": 0.5, "reservoir": 0.5, "facility": 1.2,
                  "bridge": 1.0, "island": 0.8, "spit": 0.8, "sea": 0.3, "country": 0.0,
                  "continent": -0.5}


def _words_before(text: str, pos: int, lo: int, n: int = 4) -> list[str]:
    seg = text[lo:pos]
    return re.findall(r"[A-Za-z'’-]+|[,;:()]", seg)[-n:]


def event_location_scores(text: str, toponyms: Sequence[Toponym], trigger_start: int,
                          trigger_end: int, sent_start: int, sent_end: int
                          ) -> list[tuple[float, Toponym]]:
    """Every toponym of the sentence with its score as the event's location."""
    trigger = text[trigger_start:trigger_end]
    withdrawal = bool(_WITHDRAW.search(trigger))
    in_sent = [t for t in toponyms if t.start >= sent_start and t.end <= sent_end]
    scored: list[tuple[float, Toponym]] = []
    for t in in_sent:
        if any("demonym" in r for r in t.reasons):
            continue
        s = 0.0
        words = [w.lower() for w in _words_before(text, t.start, sent_start, 6)]
        prep = None
        skipped = 0
        rev = list(reversed(words))
        for j, w in enumerate(rev):
            if w in _LOC_PREP:
                prep = w
                # "city of X", "outskirts of X": 'of' after a place noun is locative
                if w == "of" and j + 1 < len(rev) and rev[j + 1] in _PLACE_NOUNS:
                    prep = "in"
                    for w2 in rev[j + 2:]:
                        if w2 in _LOC_PREP and w2 != "of":
                            prep = w2
                            break
                break
            if w in _CLAUSE_BREAK:
                break
            skipped += 1
        # a place right after the trigger is its object ("attacked Kharkiv", "entered Izium")
        if prep is None and t.start >= trigger_end and not re.search(r"[,;.]", text[trigger_end:t.start]) \
                and len(text[trigger_end:t.start].split()) <= 2:
            prep = "object"
        if prep is not None:
            val = _LOC_PREP[prep] - 0.1 * skipped
            if prep == "from" and withdrawal:
                val = 1.6
            s += val
        else:
            s -= 0.6
        after = text[t.end:min(sent_end, t.end + 30)]
        if _ACTOR_AFTER.match(after) and prep not in ("in", "at", "near"):
            s -= 1.8
        # "from X to Y": X is an origin
        if prep == "from" and not withdrawal and re.match(r"^[^.;]{0,60}?\b(?:to|toward|towards|at|on)\b",
                                                          text[t.end:sent_end]):
            s -= 1.0
        if t.place is not None:
            s += _FEATURE_BONUS.get(t.place.feature, 0.6)
        else:
            s += 0.5
        # proximity to the trigger (in characters, roughly words * 6)
        if t.start >= trigger_end:
            dist = t.start - trigger_end
        else:
            dist = trigger_start - t.end
        s -= min(2.0, max(0, dist) / 60.0)
        if t.start >= trigger_end:
            s += 0.2
        scored.append((s, t))
    return scored


def pick_event_location(text: str, toponyms: Sequence[Toponym], trigger_start: int,
                        trigger_end: int, sent_start: int, sent_end: int,
                        *, threshold: float = 0.0) -> Toponym | None:
    """The toponym of the sentence where the event at [trigger_start, trigger_end) happened.

    Prefers names after locative prepositions (in/at/near/around/outside, "from" for
    withdrawals), settlements over countries and names close to the trigger; skips
    demonyms, possessive/subject uses ("Russia's army", "Ukraine said") and origins of
    "from X to Y".  Returns None when the sentence gives no place.
    """
    scored = event_location_scores(text, toponyms, trigger_start, trigger_end, sent_start, sent_end)
    if not scored:
        return None
    s, best = max(scored, key=lambda x: x[0])
    return best if s >= threshold else None


def choose_event_location(doc, trigger: int, toponyms: Sequence[Toponym], sent_start: int = 0,
                          *, threshold: float | None = None) -> list[Toponym]:
    """Dependency-based event location: see :func:`frontlines.geo.eventloc.choose_event_location`."""
    from frontlines.geo.eventloc import choose_event_location as _choose
    return _choose(doc, trigger, toponyms, sent_start, threshold=threshold)
