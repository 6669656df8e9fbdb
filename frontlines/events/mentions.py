"""Sentence-level event mentions: triggers, their class, arguments, modality and claimant.

A *mention* is what one trigger word in one parsed sentence says happened.  The article
stage (``frontlines.events.extract``) turns mentions into events: it dates them, places
them, merges mentions of the same happening and composes the record.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from . import taxonomy as tx
from .actors import ActorNamer, ActorRef
from .lexicon import Lexicon, Trigger

REPORT_VERBS = {
    "say", "claim", "report", "announce", "state", "confirm", "deny", "accuse", "tell", "add", "write",
    "allege", "insist", "assert", "declare", "note", "argue", "estimate", "post", "publish", "warn",
    "acknowledge", "admit", "call", "describe", "show", "suggest", "indicate", "believe", "quote",
}
DENY_VERBS = {"deny", "dismiss", "refute", "reject"}
ACCUSING_VERBS = {"accuse", "blame", "charge", "suspect", "convict", "acquit", "indict", "allege", "accusation",
                  "allegation", "suspicion"}
# Verbs whose noun object is an event that happened ("launched an offensive").
SUPPORT_VERBS = {
    "launch", "carry", "conduct", "mount", "begin", "start", "stage", "unleash", "intensify", "resume",
    "continue", "repel", "repulse", "step", "wage", "make", "force", "push", "perform", "commit",
    "execute", "suffer", "come", "face", "report", "confirm", "record", "hold", "organise", "organize",
    "endure", "withstand", "fend", "beat", "fight", "survive", "deliver",
}
# Nouns that count a series of happenings: "a string of attacks", "a wave of strikes".
_OPERATION_NOUNS = {"operation", "operations", "action", "actions", "push", "drive", "effort", "efforts"}
SERIES_NOUNS = {"string", "series", "wave", "number", "barrage", "round", "spate", "volley", "salvo", "hail",
                "hell", "storm", "flurry", "succession"}
# Verbs whose noun subject is an event that happened ("shelling killed two").
OCCUR_VERBS = {
    "hit", "kill", "rock", "destroy", "damage", "erupt", "break", "rage", "take", "occur", "continue",
    "leave", "injure", "wound", "cause", "target", "strike", "happen", "claim", "spark", "shake",
    "level", "flatten", "knock", "cut", "set", "tear", "ravage", "engulf", "resume", "intensify",
    "unfold", "escalate", "end", "begin", "start", "last", "follow", "trigger", "reach", "affect",
    "amount", "total", "exceed", "rise", "climb", "stand",
}
FUTURE_HEADS = {"plan", "threaten", "intend", "prepare", "vow", "want", "aim", "seek", "try", "attempt",
                "promise", "pledge", "hope", "expect", "propose", "consider", "mull", "need", "urge",
                "call", "ask", "demand", "warn", "refuse", "fail", "avoid", "prevent",
                "stop", "able", "ready", "likely", "set", "going", "begin"}
NEGATING_HEADS = {"refuse", "fail", "avoid", "prevent", "stop", "deny", "halt", "thwart", "foil"}
INTENT_NOUNS = {"effort", "attempt", "plan", "bid", "threat", "intention", "goal", "aim", "order", "call",
                "demand", "ultimatum", "risk", "possibility", "fear", "prospect", "hope", "readiness",
                "preparation", "purpose", "objective", "task", "need", "right", "capacity", "ability",
                "speed", "tide", "success", "failure", "pace"}
MODAL_HYPOTHETICAL = {"may", "might", "could", "would", "should", "must", "can"}
MODAL_FUTURE = {"will", "shall", "'ll", "wo"}

WEAPON_CUES: tuple[tuple[str, re.Pattern], ...] = (
    ("Chemical weapon", re.compile(r"\b(chemical (weapon|attack|agent|munition)s?|chlorine|sarin|nerve agent|toxic gas|poison(ous)? gas|mustard gas|sulfur mustard|gas attack)", re.I)),
    ("Air/drone strike", re.compile(r"\b(air ?strikes?|air-strikes?|air raids?|air attacks?|aerial attacks?|warplanes?|fighter jets?|jets?|aircraft|helicopters?|(?<!suicide )bombers?|drones?|uavs?|shaheds?|kamikaze|loitering munitions?|glide bombs?|aerial bomb\w*|guided bombs?|from the air|air force)\b", re.I)),
    ("Suicide bomb", re.compile(r"\bsuicide (bomb\w*|attack\w*|car|vest|drone)?|\bblew (themselves|himself|herself) up\b|"
                                r"\bkamikazes? (went off|blew up|detonated)", re.I)),
    ("Shelling/artillery/missile attack", re.compile(r"\b(missiles?|rockets?|artillery|shell(s|ing|ed)?|mortars?|howitzers?|himars|grads?|mlrs|multiple rocket|cluster (munitions?|bombs?)|iskanders?|kalibrs?|s-300s?|tochka|kh-\d+|cruise|ballistic|tank fire|barrage|bombard\w*)\b", re.I)),
    ("Remote explosive/landmine/IED", re.compile(r"\b(land ?mines?|mines?|limpet\w*|ieds?|vbieds?|improvised explosive|roadside bomb|car bomb|bomb (went off|exploded)|explosive devices?|explosives|booby.trap\w*|tripwire|planted (a )?bomb|detonated (\w+ )?bombs?)\b", re.I)),
    ("Grenade", re.compile(r"\bgrenades?\b", re.I)),
)
POWER_RESTORED = re.compile(r"\b(restor\w+|reconnect\w*|brought back)\b.{0,40}\b(power|electricity|supply|supplies|heating|water|light)", re.I)
BLACKOUT = re.compile(r"\b(blackouts?|power outages?|power cuts?|without (power|electricity|light|heating)|outages?)\b", re.I)
NEW_LINE_PREP = re.compile(r"\b(across|beyond|behind|over|to the (east|west|left|right|far) bank of|to|toward|towards)\s+(the\s+)?$", re.I)


@dataclass(slots=True)
class Mention:
    sentence: object                 # frontlines.nlp.Sentence
    token: object                    # spaCy Token of the trigger
    trigger: Trigger
    sub_event: str
    start: int                       # trigger offsets in the article
    end: int
    actor1: ActorRef | None = None
    actor2: ActorRef | None = None
    target: str = ""
    target_category: str = ""
    mode: str = ""                   # "" or one of PLOVER's auxiliary modes
    claimants: list[str] = field(default_factory=list)
    claim_status: str = "reported"
    plover_mode: str = ""
    reasons: list[str] = field(default_factory=list)

    @property
    def cls(self) -> str:
        return self.trigger.cls


# --------------------------------------------------------------------------------------
# trigger detection
# --------------------------------------------------------------------------------------

_PHRASES: tuple[tuple[re.Pattern, Trigger], ...] = (
    (re.compile(r"\bsit-ins?\b", re.I), Trigger("sit-in", "NOUN", "PROTEST", 0.8)),
    (re.compile(r"\bshoot-outs?\b|\bexchang\w* (of )?(gun)?fire\b|\bfire ?fights?\b", re.I),
     Trigger("shoot-out", "NOUN", "CLASH", 0.8)),
    (re.compile(r"\b(took|take|takes|taking|returned|return|poured|pour|spilled|flooded) (in)?to the streets\b", re.I),
     Trigger("take to the streets", "VERB", "PROTEST", 0.8)),
)


def find_triggers(doc, lex: Lexicon) -> Iterator[tuple[object, Trigger]]:
    """Trigger tokens of a parsed sentence, after the guards that weak triggers need."""
    text = doc.text
    for pattern, trig in _PHRASES:
        m = pattern.search(text)
        if m:
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None and _guard(span[0], trig, trig.pos, lex, trig.lemma):
                yield span[0], trig       # (the guards hold for phrases too: "poured into the streets to celebrate")
    for tok in doc:
        if tok.pos_ not in ("VERB", "NOUN", "PROPN", "ADJ") and not _mistagged_noun(tok):
            continue
        lemma = _LEMMA_REPAIRS.get(tok.lower_, tok.lemma_.lower())
        pos = "VERB" if tok.pos_ == "VERB" else "NOUN"
        trig = None
        if lemma == "take" and any(c.dep_ == "prep" and c.lower_ == "to" and any(
                g.lower_ in ("streets", "street") for g in c.children) for c in tok.children):
            if _guard(tok, _TAKE_TO_STREETS, "VERB", lex, _TAKE_TO_STREETS.lemma):
                yield tok, _TAKE_TO_STREETS
            continue
        if pos == "VERB" and lemma in lex.particles:
            for child in tok.children:
                if child.dep_ in ("prt", "advmod") and child.lower_ in lex.particles[lemma]:
                    trig = lex.particles[lemma][child.lower_]
                    break
        if trig is None:
            trig = lex.trigger_for(lemma, pos)
            if trig is None and tok.pos_ == "ADJ":
                continue
        if trig is None:
            # plural nouns the lemmatiser missed ("strikes" tagged PROPN, "shelling" as VERB)
            trig = lex.trigger_for(tok.lower_, "NOUN") if pos == "NOUN" else None
            if trig is None:
                continue
        if lemma == "strike" and _LABOUR_STRIKE.search(tok.sent.text if hasattr(tok, "sent") else tok.doc.text):
            trig = _LABOUR_STRIKE_TRIGGER
        if _guard(tok, trig, pos, lex, lemma):
            yield tok, trig


_LEMMA_REPAIRS = {"raped": "rape", "rapes": "rape", "raping": "rape"}   # the small model says "rap"
_TAKE_TO_STREETS = Trigger("take to the streets", "VERB", "PROTEST", 0.8)
_LABOUR_STRIKE_TRIGGER = Trigger("strike (labour)", "NOUN", "PROTEST", 0.6)
_LABOUR_STRIKE = re.compile(r"\b(hunger|general|labou?r|workers'?|teachers'?|nationwide|national|transport|miners'?)\s+strikes?\b|"
                            r"\bon strike\b|\bstrik\w+ (workers|teachers|doctors|miners)\b|\bunions?\b.{0,60}\bstrike", re.I)
_DISASTER = re.compile(r"\b(earthquakes?|quakes?|tsunamis?|floods?|flooding|storms?|cyclones?|hurricanes?|typhoons?|"
                       r"landslides?|avalanches?|wildfires?|heatwaves?|crash(es|ed)?|accidents?|collisions?|diseases?|"
                       r"virus|covid|outbreaks?|cholera|eruptions?|volcano(es)?|lightning|drought|famine|stampedes?|"
                       r"gas leak|derail\w*|capsiz\w*|collapsed?|plunged?|boiler|cylinder|gas tank|fuel tank|"
                       r"industrial|refinery fire|mine (blast|explosion|disaster))\b", re.I)
_ARMED = re.compile(r"\b(attack\w*|militants?|terror\w*|bomb\w*|suicide|insurgents?|rebels?|gunm[ae]n|strikes?|"
                    r"forces|separatists?|military|sabotage\w*|occupiers|prisoners? of war|pows|"
                    r"shell\w*|missiles?|rockets?|drones?|mines?|ieds?|explosive devices?|grenades?|troops|soldiers|"
                    r"army|jihadists?|fighters|artillery|sabotage|assassinat\w*|killers?|shot|shooting|explosives)\b",
                    re.I)
_PERSON_OBJECTS = re.compile(r"^(commanders?|soldiers?|servicem[ae]n|troops|people|fighters?|prisoners?|civilians?|"
                             r"men|women|children|officers?|leaders?|members?|militants?|hostages?|crew|pilots?|"
                             r"journalists?|residents?)$", re.I)
_SEIZED_GOODS = re.compile(r"\b(weapons?|arms|guns?|pistols?|rifles?|ammunition|ammo|explosives?|drugs|cocaine|"
                           r"heroin|cache|caches|munitions?|grenades?|missiles?|launchers?|tanks?|vehicles?)\b", re.I)


_MILITARY_SITE = re.compile(r"\b(military|army|air|naval|forward|observation|new)?\s*(bases?|headquarters|outposts?|"
                            r"checkpoints?|camps?|posts?|points?|barracks|garrisons?|positions)\b", re.IGNORECASE)
_FIGURATIVE_OBJECTS = {"note", "tone", "chord", "deal", "balance", "agreement", "record", "low", "high", "nerve",
                       "bottom", "wall", "headline", "market", "target", "goal", "pose", "bargain", "compromise"}
# Verbs that characterise rather than report: "called them terrorists who kill civilians".
CHARACTERISING_VERBS = {"call", "brand", "label", "describe", "dub", "term", "condemn", "denounce", "vow",
                        "promise", "threaten", "warn", "pledge"}
_WEAPON_WORDS = re.compile(r"^(missiles?|rockets?|drones?|shells?|bombs?|strikes?|airstrikes?|attacks?|shahed\w*|artillery|mortars?|projectiles?|salvos?|barrage|munitions?|ballistic|cruise|kh-\d+|grads?)$", re.I)
_PLACE_WORDS = re.compile(r"^(city|cities|town|towns|village|villages|settlement|settlements|territory|territories|area|areas|region|control|position|positions|airport|port|base|bridge|outskirts|district|plant|hill|height|heights|island|bank|capital|stronghold|hub|square|building|headquarters|centre|center)$", re.I)
_MILITARY_SUBJ = re.compile(r"\b(troops|forces|army|military|soldiers|units|fighters|brigade|battalion|regiment|separatists|militants|gunmen|marines|paratroopers|invaders|occupiers|defenders|wagner|russia|ukraine|russian|ukrainian|moscow|kyiv|kremlin|israel|israeli|hamas|rebels|insurgents|police|army's|navy)\b", re.I)


_HIT_STRUCTURES = re.compile(r"\b(power (stations?|plants?)|substations?|(energy|electricity|power|critical|civilian) "
                             r"(infrastructure|facilit\w+)|(apartment|residential|office|administrative) (blocks?|"
                             r"buildings?)|depots?|warehouses?|bridges?|railway stations?|airports?|air ?bases?|"
                             r"oil refiner\w+|fuel (depots?|tanks?)|barracks|hospitals?|schools?|headquarters)\b",
                             re.IGNORECASE)
_MILITARY_VICTIMS = re.compile(r"\b(soldiers?|fighters?|servicem[ae]n|troops|marines|paratroopers|officers|"
                               r"militants?|combatants|defenders|mercenaries|conscripts|recruits)\b", re.I)
_FIGURATIVE_FIGHTS = {"flame", "fire", "blaze", "wildfire", "virus", "pandemic", "corruption", "inflation", "illness",
                      "cancer", "disease", "addiction", "poverty", "tear", "traffic", "cold", "heat", "odds", "clock"}
_STATE_VERBS = {"occupy", "hold", "control"}


def is_anaphoric(tok) -> bool:
    """"the strike", "this attack", "the missiles had hit": a mention that refers back to a known event."""
    heads = [tok]
    if tok.pos_ == "VERB":
        heads = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not heads and tok.dep_ == "conj" and tok.head is not tok:
            return is_anaphoric(tok.head)          # "The attack killed 21 and injured 66"
    for h in heads:
        for c in h.children:
            if c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "these", "those", "its", "their"):
                return h == tok or bool(_WEAPON_WORDS.match(h.lemma_) or _WEAPON_WORDS.match(h.lower_))
    return False


def _guard(tok, trig: Trigger, pos: str, lex: Lexicon, lemma: str = "") -> bool:
    lemma = lemma or tok.lemma_.lower()
    sent_text = tok.sent.text if hasattr(tok, "sent") else tok.doc.text
    if trig.cls in ("KILL", "EXPLOSION") and _DISASTER.search(sent_text) and not _ARMED.search(sent_text):
        return False      # an earthquake, a crash, a boiler blast: no political violence
    if trig.cls == "EXPLOSION" and not _ARMED.search(sent_text) and not weapon_subtype(sent_text):
        return False      # an explosion nobody attributes to a weapon or an armed actor
    if trig.cls == "CAPTURE" and lemma in ("capture", "seize", "take", "overrun", "occupy", "retake", "recapture"):
        objs = [c for c in tok.children if c.dep_ in ("dobj", "obj", "nsubjpass")]
        if objs and all(_PERSON_OBJECTS.match(o.lemma_) or _PERSON_OBJECTS.match(o.lower_) for o in objs):
            return False  # "captured a senior commander" is no territorial change
    if trig.cls == "RIOT" and lemma in ("throw", "hurl"):
        return bool(re.search(r"\b(stones?|rocks?|bottles?|petrol bombs?|molotov\w*|bricks?|firebombs?|eggs|objects)\b",
                              sent_text, re.I))
    objs_text = " ".join(span_text(c) for c in tok.children if c.dep_ in ("dobj", "obj", "nsubjpass"))
    if lemma in ("find", "discover", "uncover", "recover", "confiscate", "destroy", "defuse"):
        return bool(_SEIZED_GOODS.search(objs_text) or re.search(r"\b(bombs?|ieds?|explosive devices?|devices?|mines?)\b",
                                                                 objs_text, re.I))
    if lemma == "plant":
        return bool(re.search(r"\b(bombs?|mines?|landmines?|ieds?|explosives?|devices?)\b", objs_text, re.I))
    if lemma == "drop":
        return bool(re.search(r"\b(bombs?|barrels?|containers?|gas|munitions?|explosives?|grenades?|chlorine)\b",
                              objs_text, re.I))
    if lemma == "use":
        return bool(WEAPON_CUES[0][1].search(objs_text))      # "used poison gas": a chemical weapon
    if lemma == "defeat":
        return bool(_MILITARY_SUBJ.search(_subject_text(tok) + " " + objs_text)) and not re.search(
            r"\b(election|runoff|vote|ballot|poll|referendum|match|game|championship|motion|bill)\b", sent_text, re.I)
    if lemma == "violate":
        return bool(re.search(r"\b(ceasefire|truce|cease-fire|armistice)\b", objs_text, re.I))
    if lemma == "loss":
        return bool(re.search(r"\b(troops|soldiers|personnel|servicem[ae]n|forces|brigade|people|fighters|tanks|"
                              r"killed|dead)\b", sent_text, re.I))
    if lemma == "open":
        return any(c.dep_ in ("dobj", "obj") and c.lower_ == "fire" for c in tok.children)
    if trig.cls == "SEXUAL" and lemma == "abuse":
        return bool(re.search(r"\bsexual", sent_text, re.I))
    if trig.cls == "PROTEST" and re.search(r"\bto (celebrate|welcome|greet|mark|mourn|commemorate|honour|honor)\b",
                                           sent_text, re.I) and not re.search(r"\bprotest", sent_text, re.I):
        return False      # residents poured into the streets to celebrate: no protest
    if trig.cls == "PROTEST" and lemma == "gather":
        return bool(re.search(r"\b(protest\w*|demonstrat\w*|rall\w+|vigil|against|demand\w*|chant\w*|slogans?|placards?)\b",
                              sent_text, re.I))
    if trig.cls == "HQ" and lemma in ("set",):
        return any(re.match(r"^(base|bases|headquarters|outpost|checkpoints?|camp|command|observation)$", o.lower_)
                   for o in tok.subtree)
    if trig.cls == "CLASH" and (any(c.lemma_.lower() in _FIGURATIVE_FIGHTS for c in tok.subtree if c != tok)
                                and not _MILITARY_SUBJ.search(_subject_text(tok))):
        return False
    if trig.cls == "CLASH" and tok.dep_ == "amod" and tok.head.lemma_.lower() in _FIGURATIVE_FIGHTS:
        return False      # "firefighters were pictured battling flames"
    if trig.cls == "CAPTURE" and lemma in _STATE_VERBS and (tok.dep_ in ("acomp", "oprd", "pcomp") or any(
            c.dep_ == "advmod" and c.lower_ in ("temporarily", "still", "partially", "partly") for c in tok.children)):
        return False      # "a city it described as temporarily occupied", "which remains occupied": a state
    if trig.cls in ("CAPTURE", "WITHDRAW", "KILL", "ARREST", "ABDUCT") and pos == "VERB" and tok.dep_ == "amod":
        return False      # "a captured mine", "captured soldiers": a participle describing, not a happening
    if trig.cls in ("CAPTURE", "WITHDRAW") and lemma in _STATE_VERBS and tok.tag_ in ("VBZ", "VBP") and not any(
            c.dep_ in ("aux", "auxpass") for c in tok.children):
        return False      # "which Russia occupies": a state, not a happening
    if tok.dep_ == "amod" and pos == "NOUN" and trig.cls not in ("REMOTE", "AIR"):
        # "counteroffensive operations continued": the operation is the happening
        return tok.head.lemma_.lower() in _OPERATION_NOUNS and _noun_is_happening(tok.head)
    if pos == "NOUN" and lemma == "gain":
        # "forces made small gains": an advance; "economic gains" are not
        verb = tok.head if tok.dep_ in ("dobj", "obj") else None
        return verb is not None and bool(_MILITARY_SUBJ.search(_subject_text(verb)))
    if pos == "NOUN" and lemma == "fire" and not any(
            re.match(r"^(artillery|rocket|mortar|drone|tank|gun|cannon|sniper|machine-gun|heavy|enemy|"
                     r"shell|mlrs|howitzer|counter-battery|small-arms)$", c.lower_) for c in tok.subtree) and \
            not (tok.dep_ in ("conj", "appos") and re.search(r"\b(artillery|rocket|mortar|drone)\b", sent_text, re.I)):
        return False      # "a fire broke out", "set on fire": not gunfire
    if pos == "NOUN":
        return _noun_is_happening(tok)
    objs = [c for c in tok.children if c.dep_ in ("dobj", "obj", "attr", "nsubjpass")]
    preps = {c.lower_ for c in tok.children if c.dep_ == "prep"}
    subj = _subject_text(tok)
    if lemma == "launch" or lemma == "fire":
        return any(_WEAPON_WORDS.match(o.lemma_) or _WEAPON_WORDS.match(o.lower_) for o in objs) or (
            lemma == "fire" and ("at" in preps or "on" in preps))
    if lemma == "free":
        # "freed Balakliia" is a recapture; "freed prisoners" or "freed up funds" is not
        armed = bool(_MILITARY_SUBJ.search(_subject_text(tok)))
        return any(o.ent_type_ in ("GPE", "LOC", "FAC") or _PLACE_WORDS.match(o.lemma_) or
                   (o.pos_ == "PROPN" and o.ent_type_ not in ("ORG", "NORP") and
                    (o.ent_type_ != "PERSON" or armed and _single_token_entity(o)))   # small model: "Balakliia" PERSON
                   for o in objs)
    if lemma == "take":
        return any(_PLACE_WORDS.match(o.lemma_) or o.ent_type_ in ("GPE", "LOC", "FAC") for o in objs) and \
            not any(o.lemma_ in ("position", "positions") for o in objs)
    if lemma in ("hoist", "raise"):
        # "soldiers hoisting national flags in Pravdyne", "the flag was raised over Kherson": control shown
        doer = agent_phrase(tok)[0]
        return any(o.lemma_.lower() == "flag" for o in objs) and (not doer or bool(_MILITARY_SUBJ.search(doer)))
    if lemma == "enter":
        return any(o.ent_type_ in ("GPE", "LOC", "FAC") or _PLACE_WORDS.match(o.lemma_) for o in objs) and \
            bool(_MILITARY_SUBJ.search(subj))
    if trig.cls == "WITHDRAW":
        subj_tok = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj_tok is not None and not _MILITARY_SUBJ.search(span_text(subj_tok)) and (
                subj_tok.pos_ == "NOUN" or subj_tok.pos_ == "PROPN" and subj_tok.ent_type_ not in ("GPE", "NORP", "ORG")):
            return False  # "floodwaters retreated", "prices pulled back"
    if lemma == "move":
        return any(c.dep_ == "prep" and c.lower_ == "into" for c in tok.children) and bool(_MILITARY_SUBJ.search(subj))
    if lemma in ("leave", "flee", "abandon"):
        return bool(_MILITARY_SUBJ.search(subj)) and any(
            o.ent_type_ in ("GPE", "LOC", "FAC") or _PLACE_WORDS.match(o.lemma_) for o in objs) or (
            lemma == "flee" and bool(_MILITARY_SUBJ.search(subj)))
    if lemma in ("advance", "push", "engage", "penetrate", "encircle", "surround", "seal", "cut"):
        return bool(_MILITARY_SUBJ.search(subj)) or lemma in ("penetrate", "encircle") and bool(objs)
    if lemma == "land":
        # "a missile that landed in the town": a weapon coming down, not troops landing
        subj = _subject_text(tok) or (tok.head.text if tok.dep_ == "relcl" else "")
        return bool(_WEAPON_WORDS.match(subj.split()[-1] if subj.split() else "") or re.search(
            r"\b(missiles?|rockets?|shells?|drones?|bombs?|debris|projectiles?|munitions?)\b", subj, re.I))
    if lemma in ("wound", "injure"):
        return bool(_ARMED.search(sent_text)) and not _DISASTER.search(sent_text)
    if lemma == "gain":
        # "gaining small amounts of ground": an advance in fighting, not a gain in polls
        return bool(_MILITARY_SUBJ.search(subj)) and any(
            re.match(r"^(ground|territory|positions?|foothold|control)$", o.lemma_, re.I) or
            any(re.match(r"^(ground|territory)$", g.lemma_, re.I) for g in o.subtree) for o in objs)
    if lemma == "wipe":
        return bool(_MILITARY_SUBJ.search(subj))
    if lemma in ("hit", "target", "strike"):
        # "the storm hit", "struck a cautious note": no attacks. Need an armed subject or a weapon,
        # and an object that can be hit.
        if any(o.lemma_.lower() in _FIGURATIVE_OBJECTS for o in objs):
            return False
        subj_tok = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj_tok is not None and subj_tok.ent_type_ == "PERSON":
            return False
        sent_text = tok.sent.text if hasattr(tok, "sent") else tok.doc.text
        if subj_tok is not None and subj_tok.dep_ == "nsubjpass" and _HIT_STRUCTURES.search(span_text(subj_tok)):
            return True   # "power stations were struck in the Odesa region": what is hit says it was an attack
        return bool(_MILITARY_SUBJ.search(subj) or re.search(
            r"\b(missile|rocket|drone|shell|strike|bomb|artillery|airstrike|attack|troops|forces)", sent_text, re.I))
    if lemma in ("down", "neutralise", "neutralize", "intercept"):
        return any(_WEAPON_WORDS.match(o.lemma_) or re.match(r"^(drones?|missiles?|aircraft|jets?|helicopters?|uavs?|shaheds?|targets?)$", o.lower_)
                   for o in objs)
    if lemma in ("establish", "create"):
        # "established 156 military observation points", "a new military post was established"
        return bool(_MILITARY_SITE.search(" ".join(span_text(o) for o in objs)))
    if lemma in ("march", "demonstrate", "rally"):
        return not bool(_MILITARY_SUBJ.search(subj)) and lemma != "rally" or bool(
            re.search(r"\b(protesters|demonstrators|supporters|thousands|hundreds|people|crowds?)\b", subj, re.I))
    if lemma == "shoot":
        return True
    if lemma in ("beat",):
        return any(o.lemma_ in ("protester", "civilian", "man", "woman", "prisoner", "detainee") for o in objs)
    if lemma == "regroup":
        return True
    if lemma in ("exchange", "swap"):
        return bool(re.search(r"prisoner|captive|bodies|pows|detainee|\bfire\b", tok.sent.text, re.I))
    if lemma == "occupy":
        return not tok.dep_ == "amod"
    return True


_AUXILIARIES = {"be", "have", "do", "will", "shall", "would", "should", "can", "could", "may", "might", "must"}


def _mistagged_noun(tok) -> bool:
    """The small model sometimes tags "shelling" in "Russian shelling wounded ..." as AUX."""
    return tok.pos_ == "AUX" and tok.lemma_.lower() not in _AUXILIARIES and tok.lower_.endswith(("ing", "s"))


_RESULT_VERBS = {"kill", "injure", "wound", "destroy", "damage", "die", "hit", "lose", "suffer", "perish", "flee",
                 "evacuate", "burn", "collapse", "level"}
_AGREE_VERBS = {"sign", "reach", "agree", "announce", "declare", "broker", "seal", "strike", "conclude", "accept",
                "implement", "secure", "hold"}
_JOIN_VERBS = {"join", "attend", "lead", "organise", "organize", "rock", "sweep", "spread", "erupt", "hold"}


def _single_token_entity(tok) -> bool:
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return tok.ent_iob_ == "B" and (nxt is None or nxt.ent_iob_ != "I")


def _noun_is_happening(tok) -> bool:
    """A noun trigger counts when the text says the thing happened, not when it is merely named."""
    head = tok.head
    hl = head.lemma_.lower()
    if tok.dep_ in ("pobj", "appos", "conj") and head is not tok:
        # "a string of attacks", "a fiery hell of artillery, rocket and drone fire": the series is the noun
        series = head.head if tok.dep_ == "pobj" and head.lower_ == "of" else head
        while series.dep_ in ("appos", "conj", "pobj", "prep") and series.head is not series and \
                series.lemma_.lower() not in SERIES_NOUNS:
            series = series.head
        if series != tok and series.lemma_.lower() in SERIES_NOUNS:
            return _noun_is_happening(series)
    if tok.dep_ == "nsubj" and hl == "be" and any(
            c.dep_ == "prep" and c.lower_ == "under" and any(g.lower_ == "way" for g in c.children)
            for c in head.children):
        return True      # "Fighting is under way around Balakliya"
    if tok.dep_ == "compound" and head.pos_ == "NOUN" and head.lemma_.lower() in _OPERATION_NOUNS:
        return _noun_is_happening(head)     # "counteroffensive operations continued near Bakhmut"
    if tok.dep_ in ("dobj", "obj", "nsubjpass") and hl in _AGREE_VERBS and tok.lemma_.lower() in (
            "agreement", "ceasefire", "truce", "deal", "swap", "exchange", "surrender"):
        return True
    if tok.dep_ in ("dobj", "obj", "nsubj", "nsubjpass") and hl in _JOIN_VERBS:
        return True
    if tok.dep_ == "pobj" and head.lower_ == "in" and head.head.lemma_.lower() in ("participate", "take", "join"):
        return True
    if tok.dep_ == "aux" and _mistagged_noun(tok) and head.lemma_.lower() in OCCUR_VERBS:
        return True
    if tok.dep_ in ("dobj", "obj", "nsubjpass") and head.lemma_.lower() in SUPPORT_VERBS:
        return True
    if tok.dep_ in ("nsubj",) and head.lemma_.lower() in OCCUR_VERBS:
        return True
    if tok.dep_ == "pobj" and head.dep_ == "prep" and head.head.lemma_.lower() in SUPPORT_VERBS | {"force"}:
        return True
    if tok.dep_ == "ROOT":                        # headline-style fragment
        return True
    if tok.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in ("be",) and any(
            c.dep_ in ("acomp", "attr") and c.lemma_.lower() in ("heavy", "fierce", "ongoing", "intense", "underway")
            for c in head.children):
        return True
    if tok.dep_ == "pobj" and head.lower_ in ("in", "during", "by", "after", "following", "amid", "from", "of") \
            and _RESULT_VERBS & {a.lemma_.lower() for a in list(tok.ancestors)[:4]}:
        return True         # "killed in a missile strike", "died as a result of the shelling", "lost 150 after the strike"
    if tok.dep_ == "nsubj" and head.lemma_.lower() in ("be",) and any(c.dep_ == "prep" for c in head.children):
        return False
    return False


# --------------------------------------------------------------------------------------
# classification
# --------------------------------------------------------------------------------------

def weapon_subtype(text: str) -> str | None:
    """The Explosions/Remote violence sub-event type the weapons in ``text`` point to (precedence order)."""
    for name, pattern in WEAPON_CUES:
        if pattern.search(text):
            return name
    return None


def classify(tok, trig: Trigger, sent_text: str, actor1: ActorRef | None, victims: ActorRef | None,
             place_country: str) -> tuple[str, list[str]]:
    """ACLED sub-event type for one trigger, with the reasons."""
    cls = trig.cls
    reasons = [f"type:trigger={tok.lemma_.lower()}", f"type:class={cls}"]
    civilians = victims is not None and victims.inter == tx.INTER_CIVILIANS
    weapon = weapon_subtype(sent_text)
    chemical = WEAPON_CUES[0][1].search(sent_text)
    if chemical and cls in ("REMOTE", "AIR", "EXPLOSION", "ATTACK", "KILL"):
        reasons.append("type:weapon=Chemical weapon")
        return "Chemical weapon", reasons
    crowd = re.search(r"\b(tear ?gas|water cannons?|rubber bullets|pepper spray|stun grenades?|batons?)\b", sent_text, re.I)
    protesters_here = re.search(r"\b(protest\w*|demonstrat\w*|rall(y|ies)|marchers|activists)\b", sent_text, re.I)
    if crowd and protesters_here and cls in ("REMOTE", "ATTACK", "CLASH", "KILL", "EXPLOSION"):
        if re.search(r"\b(live (ammunition|rounds|bullets|fire)|killed|killing|shot dead)\b", sent_text, re.I):
            return "Excessive force against protesters", reasons + ["type:crowd_control_lethal"]
        return "Protest with intervention", reasons + ["type:crowd_control"]
    rioting = (actor1 is not None and actor1.inter in (tx.INTER_PROTESTERS, tx.INTER_RIOTERS)) or (
        victims is not None and victims.inter in (tx.INTER_PROTESTERS, tx.INTER_RIOTERS))
    if cls == "CLASH" and protesters_here and re.search(r"\b(protesters|demonstrators|rioters)\b", sent_text, re.I):
        reasons.append("type:protesters_clashed")
        return "Violent demonstration", reasons
    if cls in ("CLASH", "ATTACK") and rioting:
        reasons.append("type:demonstrators_in_clash")
        return "Violent demonstration", reasons
    if cls == "CLASH" and (actor1 is None or actor1.inter == tx.INTER_CIVILIANS) and re.search(
            r"\b(villagers|residents|locals|mobs?|youths|neighbours|neighbors|tribesmen|communities|groups of men)\b",
            sent_text, re.I) and not _MILITARY_SUBJ.search(sent_text):
        reasons.append("type:communal_clash")
        return "Mob violence", reasons
    if cls in ("REMOTE", "AIR", "EXPLOSION"):
        if weapon:
            reasons.append(f"type:weapon={weapon}")
            return weapon, reasons
        if cls == "AIR":
            return "Air/drone strike", reasons
        if cls == "EXPLOSION":
            reasons.append("type:explosion_no_weapon_named")
            return "Remote explosive/landmine/IED", reasons
        reasons.append("type:default_remote")
        return "Shelling/artillery/missile attack", reasons
    if cls == "ATTACK":
        if weapon and weapon != "Remote explosive/landmine/IED":
            reasons.append(f"type:weapon={weapon}")
            return weapon, reasons
        if victims is not None and victims.inter == tx.INTER_PROTESTERS:
            return "Excessive force against protesters", reasons
        if civilians:
            reasons.append("type:civilian_victims")
            return "Attack", reasons
        if weapon:
            return weapon, reasons
        return "Armed clash", reasons
    if cls == "CLASH" or cls == "LOSSES":
        if civilians and not (actor1 and actor1.inter == tx.INTER_CIVILIANS):
            reasons.append("type:civilian_victims")
            return "Attack", reasons
        return "Armed clash", reasons
    if cls == "CAPTURE":
        lemma = tok.lemma_.lower()
        # the object itself, not a clause about it ("a doctor who had been ordered to operate a tank")
        objs = " ".join(_phrase_core(c) for c in tok.children if c.dep_ in ("dobj", "obj", "nsubjpass"))
        if objs and _SEIZED_GOODS.search(objs) and not re.search(r"\b(city|town|village|territory|area)\b", objs, re.I):
            reasons.append("type:seized_weapons")
            return "Disrupted weapons use", reasons
        if actor1 is not None and place_country:
            if actor1.inter == tx.INTER_STATE and actor1.country == place_country:
                reasons.append("type:state_regains_own_territory")
                return "Government regains territory", reasons
            reasons.append("type:foreign_or_nonstate_takes_territory")
            return "Non-state actor overtakes territory", reasons
        if lemma in ("retake", "recapture", "regain", "liberate", "liberation", "free"):
            reasons.append("type:regain_verb")
            return "Government regains territory", reasons
        return "Non-state actor overtakes territory", reasons
    if cls == "WITHDRAW":
        if is_ordered(tok):
            reasons.append("type:withdrawal_order")      # an order to pull back is no change of control yet
            return "Change to group/activity", reasons
        return "Non-violent transfer of territory", reasons
    if cls == "DISRUPT" and tok.lemma_.lower() == "destroy":
        # "forces destroyed two launchers and two depots": a strike on the enemy's weapons, not an interception
        reasons.append(f"type:weapon={weapon}" if weapon else "type:strike_on_weapons")
        return (weapon if weapon and weapon in tx.BY_NAME and tx.BY_NAME[weapon].event_type == tx.REMOTE
                else "Shelling/artillery/missile attack"), reasons
    if cls == "KILL":
        if victims is not None and victims.inter in (2, 3, 4):
            reasons.append("type:armed_victims")
            return "Armed clash", reasons
        victims_text = " ".join(span_text(c) for c in tok.children if c.dep_ in ("dobj", "obj", "nsubjpass"))
        if tok.dep_ == "acl":
            victims_text += " " + tok.head.text          # "two fighters killed there"
        if not weapon and _MILITARY_VICTIMS.search(victims_text):
            reasons.append("type:military_victims")      # "two fighters killed there": fighting
            return "Armed clash", reasons
        if weapon:
            reasons.append(f"type:weapon={weapon}")
            return weapon, reasons
        if victims is not None and victims.inter == tx.INTER_PROTESTERS:
            return "Excessive force against protesters", reasons
        if victims is not None and victims.inter == tx.INTER_STATE:
            return "Armed clash", reasons
        return "Attack", reasons
    if cls == "ARREST" and (victims is not None and victims.inter == tx.INTER_PROTESTERS or protesters_here and
                            re.search(r"\b(protesters|demonstrators|activists|marchers|protests?|rall(y|ies)|"
                                      r"demonstrations?)\b", sent_text, re.I)):
        reasons.append("type:protesters_detained")
        return "Protest with intervention", reasons
    if cls == "AGREE" and tok.lemma_.lower() == "exchange" and re.search(r"\bexchang\w* (of )?fire\b", sent_text, re.I):
        return "Armed clash", reasons
    simple = {"ABDUCT": "Abduction/forced disappearance", "SEXUAL": "Sexual violence", "ARREST": "Arrests",
              "CHANGE": "Change to group/activity",
              "AGREE": "Agreement", "LOOT": "Looting/property destruction", "DISRUPT": "Disrupted weapons use",
              "HQ": "Headquarters or base established", "RIOT": "Violent demonstration"}
    if cls == "RIOT" and tok.lemma_.lower() in ("mob", "lynch"):
        return "Mob violence", reasons
    if cls == "PROTEST":
        if re.search(r"\b(police|security forces|troops)\b.{0,60}\b(fired|shot|killed)\b|\bkilled\b.{0,40}\bprotesters\b", sent_text, re.I):
            return "Excessive force against protesters", reasons
        if re.search(r"\b(tear ?gas|water cannon|rubber bullets|broke up|clash\w* with police)\b", sent_text, re.I) or (
                re.search(r"\b(police|security forces|riot police|troops|authorities|officers)\b", sent_text, re.I) and
                re.search(r"\b(dispers\w+|detain\w+|arrest(ed|ing)|rounded up|beat(en)?|suppress\w*)\b", sent_text, re.I)):
            return "Protest with intervention", reasons
        return "Peaceful protest", reasons
    return simple.get(cls, "Other"), reasons


# --------------------------------------------------------------------------------------
# arguments
# --------------------------------------------------------------------------------------

def _phrase_core(tok) -> str:
    """A noun phrase without its relative and participle clauses."""
    drop = {t.i for c in tok.children if c.dep_ in ("relcl", "acl", "advcl") for t in c.subtree}
    return " ".join(t.text for t in tok.subtree if t.i not in drop)


def span_text(tok) -> str:
    sub = list(tok.subtree)
    return tok.doc[sub[0].i: sub[-1].i + 1].text if sub else tok.text


def _subject_text(tok) -> str:
    for c in tok.children:
        if c.dep_ in ("nsubj", "csubj"):
            return span_text(c)
    if tok.dep_ in ("xcomp", "conj", "advcl", "relcl") and tok.head is not tok:
        return _subject_text(tok.head) if tok.dep_ != "relcl" else tok.head.text
    return ""


def agent_phrase(tok) -> tuple[str, str]:
    """Who did it, as a noun phrase, and how it was found."""
    for c in tok.children:
        if c.dep_ == "nsubj":
            return span_text(c), "actor1:subject"
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return span_text(g), "actor1:passive_agent"
    if tok.pos_ in ("NOUN", "PROPN"):
        for c in tok.children:
            if c.dep_ in ("poss", "amod", "compound") and c.lower_ not in ("large", "scale", "large-scale"):
                if c.dep_ == "poss" or c.ent_type_ in ("NORP", "GPE", "ORG") or c.lower_.endswith("ian"):
                    return span_text(c), "actor1:modifier"
        head = tok.head
        if tok.dep_ in ("dobj", "obj") and head.pos_ == "VERB":
            return agent_phrase(head)
        if tok.dep_ == "pobj" and head.dep_ == "prep" and head.head.lemma_ == "force":
            for c in head.head.children:
                if c.dep_ in ("dobj", "obj"):
                    return span_text(c), "actor1:forced_object"
    if tok.dep_ == "xcomp":
        head = tok.head
        objs = [c for c in head.children if c.dep_ in ("dobj", "obj")]
        if objs:
            poss = [c for c in objs[0].children if c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her")]
            subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
            if poss and subj is not None:
                # "the ministry ordered its forces to pull back": the forces are the subject's
                return span_text(subj), "actor1:possessor_is_subject"
            return span_text(objs[0]), "actor1:controller_object"
        return agent_phrase(head)
    if tok.dep_ in ("conj",) and tok.head is not tok:
        return agent_phrase(tok.head)
    if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.pos_ in ("NOUN", "PROPN"):
        # "soldiers hoisting flags": the noun an active participle describes does it
        noun = tok.head
        return " ".join(t.text for t in noun.subtree if t.i <= noun.i), "actor1:participle_subject"
    if tok.dep_ == "advcl" and tok.head is not tok:
        return agent_phrase(tok.head)
    # "it was decided to regroup the Russian forces": the object regroups
    if tok.lemma_.lower() in ("regroup", "withdraw", "pull", "redeploy", "relocate", "evacuate"):
        for c in tok.children:
            if c.dep_ in ("dobj", "obj", "nsubjpass"):
                return span_text(c), "actor1:moved_object"   # "troops had been regrouped"
    return "", ""


def patient_phrases(tok) -> list[tuple[str, object]]:
    """What or whom it was done to: direct objects and on/at/against phrases, as (text, token)."""
    out = []
    for c in tok.children:
        if c.dep_ in ("dobj", "obj", "nsubjpass"):
            out.append((span_text(c), c))
        elif c.dep_ == "prep" and c.lower_ in ("on", "at", "against", "upon", "into"):
            for g in c.children:
                if g.dep_ == "pobj":
                    out.append((span_text(g), g))
    if tok.dep_ in ("dobj", "obj") and tok.head.pos_ == "VERB":
        # "launched missiles at X": the prepositions hang on the verb
        for c in tok.head.children:
            if c.dep_ == "prep" and c.lower_ in ("on", "at", "against"):
                for g in c.children:
                    if g.dep_ == "pobj":
                        out.append((span_text(g), g))
    return out


def target_of(patients: list[tuple[str, object]], lex: Lexicon) -> tuple[str, str, str]:
    """(target phrase, category, reason) from the patient phrases."""
    for text, tok in patients:
        # the noun phrase proper: the head and its left modifiers
        left = [t for t in tok.subtree if t.i <= tok.i]
        words = [t.lower_ for t in left if t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB") and t.lower_ not in
                 ("major", "several", "many", "key", "main", "large", "big", "some")]
        for n in range(min(4, len(words)), 0, -1):
            phrase = " ".join(words[-n:])
            if phrase in lex.targets:
                return phrase, lex.targets[phrase], "target:lexicon"
    return "", "", ""


# --------------------------------------------------------------------------------------
# modality and claims
# --------------------------------------------------------------------------------------

def modality(tok, sent_text: str) -> tuple[str, str]:
    """PLOVER auxiliary mode of a trigger ("" when it happened as told) and the reason."""
    if sent_text.rstrip().endswith("?"):
        return "hypothetical", "mode:question"
    if tok.dep_ in ("acl", "relcl") and tok.head.pos_ == "NOUN" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return "hypothetical", "mode:purpose"                        # "a counteroffensive to take back territory"
    if tok.dep_ == "pcomp" and tok.tag_ == "VBG" and (tok.head.lower_ == "for" or tok.head.lower_ == "of" and (
            tok.head.head.lemma_.lower() in INTENT_NOUNS)):
        return "hypothetical", "mode:purpose"     # "mobilising members for attacking X", "the aim of taking X"
    if tok.dep_ == "pcomp" and tok.tag_ == "VBG" and tok.head.lower_ == "of" and \
            tok.head.head.lemma_.lower() in ACCUSING_VERBS:
        return "hypothetical", "mode:accusation"  # "accused the rebels of violating the ceasefire"
    if tok.dep_ in ("csubj", "nsubj", "csubjpass") and tok.tag_ == "VBG" and any(
            c.dep_ == "aux" and c.lower_ in MODAL_HYPOTHETICAL | MODAL_FUTURE for c in tok.head.children):
        return "hypothetical", "mode:gerund_subject_of_modal"     # "Capturing it would be a win"
    chain = [tok]
    cur = tok
    for _ in range(4):
        if cur.dep_ in ("xcomp", "ccomp", "acl", "conj", "advcl", "pobj", "dobj", "prep", "relcl", "nsubj", "nsubjpass", "aux") and cur.head is not cur:
            cur = cur.head
            chain.append(cur)
        else:
            break
    for i, t in enumerate(chain):
        for c in t.children:
            if c.dep_ == "neg" and (i == 0 or t.lemma_ not in REPORT_VERBS):
                return "negation", "mode:negated"
            if c.dep_ == "aux" and c.lower_ in MODAL_FUTURE and i <= 1:
                return "future", "mode:will"
            if c.dep_ == "aux" and c.lower_ in MODAL_HYPOTHETICAL and i <= 1:
                # "may have turned" about the past is still a hypothesis
                return "hypothetical", f"mode:modal_{c.lower_}"
            if c.dep_ == "mark" and c.lower_ in ("if", "unless") and i <= 1:
                return "hypothetical", "mode:conditional"
        if i == 0:
            continue
        lemma = t.lemma_.lower()
        if lemma in NEGATING_HEADS and chain[i - 1].dep_ in ("xcomp", "ccomp", "dobj", "pobj"):
            return "negation", f"mode:head_{lemma}"
        if lemma in FUTURE_HEADS and chain[i - 1].dep_ in ("xcomp",) and lemma not in ("begin", "continue"):
            return "future", f"mode:head_{lemma}"
        if t.pos_ == "NOUN" and lemma in INTENT_NOUNS and chain[i - 1].dep_ in ("acl", "pobj", "xcomp", "compound"):
            return "hypothetical", f"mode:intent_{lemma}"
        if lemma in ("be", "get") and any(c.lower_ == "going" for c in t.children):
            return "future", "mode:going_to"
        if lemma in CHARACTERISING_VERBS and chain[i - 1].dep_ in ("relcl", "oprd", "dobj", "ccomp", "xcomp", "acl"):
            return "hypothetical", f"mode:characterised_by_{lemma}"
    return "", ""


BACKGROUND_PHRASES = re.compile(
    r"\b(at the (start|beginning|outset|onset) of the (war|invasion|conflict|full-scale invasion)|"
    r"(early|earlier) in the (war|invasion|conflict)|in the (first|early|opening) (days|weeks|months) of the "
    r"(war|invasion|conflict)|(years|decades) ago|during the soviet|in world war|since the (start|beginning) of the (war|invasion|conflict))",
    re.IGNORECASE)


def background_clause(tok, sent_text: str, times_in_clause: bool) -> str:
    """A capture told in a relative clause about a place, with no date of its own, is background
    (also when coordinated in it: "the region, which is occupied and was illegally seized")."""
    head = tok
    while head.dep_ in ("conj", "xcomp") and head.head is not head:   # "which ... managed to seize"
        head = head.head
    if head.dep_ in ("relcl", "acl") and not times_in_clause and not _depicted(head):
        return "mode:relative_clause_background"
    if head.dep_ == "advcl" and tok.pos_ in ("VERB", "AUX") and any(
            c.dep_ == "mark" and c.lower_ == "since" for c in head.children):
        # "the area has become the main target since they captured Luhansk": the capture dates the
        # state of things the sentence tells; the report tells it as what came before
        return "mode:since_clause_background"
    window = sent_text[max(0, tok.idx - 80): tok.idx + 120]
    if BACKGROUND_PHRASES.search(window):
        return "mode:background_phrase"
    return ""


_DEPICTING = {"show", "depict", "film", "record", "capture", "picture", "photograph", "see"}


def _depicted(clause) -> bool:
    """"video showing soldiers hoisting flags": what the footage shows is the happening itself."""
    noun = clause.head
    return clause.dep_ == "acl" and clause.tag_ == "VBG" and noun.dep_ in ("dobj", "obj") and \
        noun.head.lemma_.lower() in _DEPICTING


_ORDER_WORDS = {"order", "command", "instruct", "authorize", "authorise", "approve", "go-ahead", "instruction",
                "directive"}


def is_ordered(tok) -> bool:
    """"Shoigu ordered the troops to withdraw": an order, not yet the happening itself."""
    for depth, anc in enumerate(tok.ancestors):
        if depth > 2:
            break
        if anc.lemma_.lower() in _ORDER_WORDS or anc.lower_ == "go-ahead":
            return True
        if anc.lemma_.lower() in _ANNOUNCE_WORDS and (tok.tag_ == "VBG" or any(
                c.dep_ == "aux" and c.lower_ in ("to", "will") for c in tok.children)):
            return True     # "Moscow announced it was withdrawing its troops": an announced move, not yet done
    return False


_ANNOUNCE_WORDS = {"announce", "declare", "decide", "say"}


_MEDIA = {"video", "videos", "footage", "image", "images", "photo", "photos", "photograph", "photographs",
          "picture", "pictures", "clip", "clips", "recording", "recordings"}


def is_media_description(tok) -> bool:
    """"Videos showed blasts rocking towns": what footage shows, with no date of its own, is no event."""
    for anc in list(tok.ancestors)[:4]:
        if anc.lemma_.lower() in ("show", "depict", "capture", "feature", "purport", "appear"):
            subj = next((c for c in anc.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.lower_ in _MEDIA:
                return True
    return False


def in_quotes(sent_text: str, rel: int) -> bool:
    before = sent_text[:rel]
    opens = before.count("“") + before.count("‘") * 0
    closes = before.count("”")
    if opens or closes:
        return opens > closes
    return before.count('"') % 2 == 1


def find_claim(tok, doc, namer: ActorNamer, sent_text: str) -> tuple[list[str], str, str]:
    """Who asserts the event (normalised), the claim status and the reason."""
    # "according to X"
    for t in doc:
        if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            objs = [g for g in doc[t.i + 1].children if g.dep_ == "pobj"]
            phrase = span_text(objs[0]) if objs else doc[t.i + 2: t.i + 8].text
            ref = namer.speaker(phrase, person=_person_in(objs[0]) if objs else "")
            if ref is not None:
                return [ref.name], "claimed", "claim:according_to"
            return [], "reported", "claim:according_to_unnamed"
    # a reporting verb that governs the trigger, or a quote attributed outside it
    trig_in_quote = in_quotes(sent_text, tok.idx)
    for t in doc:
        if t.pos_ != "VERB" or t.lemma_.lower() not in REPORT_VERBS:
            continue
        # "X happened, the ministry said" is often parsed with "said" hanging under the happening
        root = tok if tok.dep_ == "ROOT" else next((a for a in tok.ancestors if a.dep_ == "ROOT"), tok)
        tail_report = t.head in (tok, root) and t.dep_ in ("parataxis", "ccomp", "advcl", "conj") and t.i > tok.i
        governs = t in list(tok.ancestors) or tail_report or (trig_in_quote and not in_quotes(sent_text, t.idx))
        if not governs:
            continue
        # "the ministry was quoted (by TASS) as saying ...": the quoted one is the speaker
        speaker_deps = ("nsubj", "nsubjpass") if t.lemma_.lower() in ("quote", "cite") else ("nsubj",)
        if t.lemma_.lower() == "say" and t.dep_ in ("pcomp", "advcl") and t.head.lemma_.lower() in ("as",) and \
                t.head.head.lemma_.lower() in ("quote", "cite"):
            t = t.head.head
            speaker_deps = ("nsubj", "nsubjpass")
        subj = next((c for c in t.children if c.dep_ in speaker_deps), None)
        if subj is None:
            continue
        ref = namer.speaker(span_text(subj), person=_person_in(subj))
        lemma = t.lemma_.lower()
        status = "denied" if lemma in DENY_VERBS else "claimed"
        if ref is None:
            name = _named_person(subj)
            if name:
                # "..., Shtupun said": a person the parser gave no entity, named by surname
                return [name], status, f"claim:report_verb={lemma}"
            continue
        return [ref.name], status, f"claim:report_verb={lemma}"
    return [], "reported", "claim:outlet_voice"


def _named_person(subj) -> str:
    """A speaker named only by a proper name that is no place or people: a person or a body the
    lexicon does not know."""
    words = list(subj.subtree)
    if words and len(words) <= 4 and all(w.pos_ == "PROPN" and w.text[:1].isupper() for w in words) and \
            not any(w.ent_type_ in _NOT_PEOPLE for w in words):
        return " ".join(w.text for w in words)
    # "Zaporizhzhia, Oleksandr Starukh, head of the administration, said" (however it is parsed): a
    # first name and a surname in the speaker's phrase
    for w in words:
        first = w.doc[w.i - 1] if w.i > 0 else None
        if w.pos_ == "PROPN" and first is not None and first.pos_ == "PROPN" and first.dep_ == "compound" and \
                first.head == w and w.text[:1].isupper() and first.text[:1].isupper() and \
                not {w.ent_type_, first.ent_type_} & _NOT_PEOPLE:
            return f"{first.text} {w.text}"
    return ""


_NOT_PEOPLE = {"GPE", "LOC", "NORP", "FAC"}   # an unknown organisation ("Ukrenergo said") is a source too


def _person_in(tok) -> str:
    for t in tok.subtree:
        if t.ent_type_ == "PERSON" and t.ent_iob_ == "B":
            ent = next((e for e in t.doc.ents if e.start == t.i), None)
            if ent is not None and len(ent) >= 2:
                return ent.text
    return ""
