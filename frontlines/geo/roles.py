"""Which place names can be where an event happened.

A place name in a news report is often not a scene: "shelling by Kiev's forces" names an
actor, "Moscow says" a speaker, "pro-Russia militants" an allegiance, "the Moskva missile
cruiser" a ship, "00:01 Moscow time" a clock, "a monitor based in London" an organisation's
seat, "the Minsk peace summit" an event named after a place, "the Kharkiv Regional Military
Administration" an institution, "speaking in Washington" where someone spoke.  GDELT places
events at such names (its capital-city bias); the geoparser keeps them as toponyms (they are
place names and say whose story it is) but marks each with a reason code, and
:func:`scene_toponyms` leaves them out of what the event coder may choose as a location.
"""
from __future__ import annotations

import re
from typing import Sequence

from frontlines.records import Toponym

ORG_MODIFIER_REASON = "geo:organisation_modifier"   # set by recognition: "the Minnesota Department of..."
ACTOR_METONYM_REASON = "geo:actor_metonym"          # a country or capital standing for its state
VESSEL_REASON = "geo:vessel_name"                   # "the Moskva missile cruiser"
TIME_ZONE_REASON = "geo:time_zone"                  # "00:01 Moscow time"
ORG_SEAT_REASON = "geo:organisation_seat"           # "a monitor based in London", "a London-based group"
NAMED_EVENT_REASON = "geo:names_an_event"          # "the Minsk peace summit", "the Minsk agreements"
SPEECH_VENUE_REASON = "geo:speech_venue"            # "speaking in Washington", "told reporters in Kyiv"
NON_SCENE_REASONS = frozenset({ORG_MODIFIER_REASON, ACTOR_METONYM_REASON, VESSEL_REASON,
                               TIME_ZONE_REASON, ORG_SEAT_REASON, NAMED_EVENT_REASON, SPEECH_VENUE_REASON})

# what a state does through its forces and government
_STATE_NOUNS = (r"forces|troops|army|armed\s+forces|military|soldiers|servicemen|government|regime|junta|"
                r"leadership|side|negotiators|diplomats|envoy|ambassador|defen[cs]e\s+ministry|"
                r"foreign\s+ministry|ministry\s+of\s+defen[cs]e|general\s+staff|proxies|allies")
# ... and, after a possessive, its operations ("Moscow's supply routes", "Kyiv's counteroffensive")
_STATE_OPERATIONS = (r"offensive|counteroffensive|counter-offensive|invasion|war|war\s+effort|campaign|"
                     r"supply\s+routes?|supply\s+lines?|positions|occupation|annexation|"
                     r"(?:territorial\s+|battlefield\s+)?(?:gains|losses|advances?|successes|victory|victories|"
                     r"setbacks?|retreat|withdrawal|counterattacks?|counter-attacks?|assaults?|attacks?|"
                     r"claims?|allies|partners|backers)")
# ... and the holders of its offices ("Kyiv's Deputy Defence Minister", "Moscow's envoy"); a city's
# own offices ("Kyiv's mayor", "Kyiv's military administration") are not the state's
_STATE_OFFICE_AFTER = re.compile(
    r"^['’]s?\s+(?:(?:first|deputy|acting|former|top|senior|chief|lead|main|own|vice|defen[cs]e|foreign|"
    r"prime|interior|justice|finance|energy|economy|health|culture|digital|intelligence|security)\s+){0,3}"
    r"(?:ministers?|president|premier|spokes(?:man|woman|person)|envoys?|negotiators?|ambassadors?|"
    r"commander-in-chief|leaders?|leadership|representatives?|delegation|diplomats?|officials|"
    r"chief\s+of\s+staff|general\s+staff|intelligence\s+(?:service|agency|chief))\b", re.IGNORECASE)
_ACTOR_NOUN_AFTER = re.compile(
    rf"^(?:['’]s?\s+(?:(?:own|regular|armed|special|long-awaited|pro-\w+|\w+-backed)\s+)?"
    rf"(?:{_STATE_NOUNS}|{_STATE_OPERATIONS})|\s+(?:{_STATE_NOUNS}))\b"
    r"(?!\s+(?:administration|governor|mayor|council|police|city|region|oblast))",
    re.IGNORECASE)
# the state as the subject of what states do: speak, decide, act
_AGENT_AFTER = re.compile(
    r"^\s+(?:has\s+|had\s+|have\s+|will\s+|would\s+)?"
    r"(?:says|said|claims|claimed|accuses|accused|denies|denied|reports|reported|warns|warned|"
    r"insists|insisted|announces|announced|confirms|confirmed|blames|blamed|alleges|alleged|"
    r"launch(?:es|ed)?|began|begins|start(?:s|ed)|sen[dt]s?|deploy(?:s|ed)|order(?:s|ed)|agree(?:s|d)|"
    r"sign(?:s|ed)|reject(?:s|ed)|refuse(?:s|d)|demand(?:s|ed)|wants?|wanted|needs?|needed|hopes?|"
    r"hoped|plans?|planned|urge[sd]?|vow(?:s|ed)|pledge[sd]?|request(?:s|ed)|retook|recaptured|"
    r"regained|responded|retaliated|admitted|acknowledged|recogni[sz]e[sd]?|suffer(?:s|ed)|los(?:es|t)|"
    r"w[oi]ns?|gain(?:s|ed))\b",
    re.IGNORECASE)
# the state as what other parties deal with: "according to Kyiv", "urged Moscow to", "handing Kyiv a victory"
_METONYM_BEFORE = re.compile(
    r"\b(?:according\s+to|blamed\s+on|accused\s+by|hand(?:s|ed|ing)?|giv(?:e|es|ing)|gave|dealt|"
    r"offer(?:s|ed|ing)?|urg(?:e|es|ed|ing)|ask(?:s|ed|ing)?|tell(?:s|ing)?|told|warn(?:s|ed|ing)?|"
    r"accus(?:e|es|ed|ing)|support(?:s|ed|ing)?|back(?:s|ed|ing)|arm(?:s|ed|ing)|help(?:s|ed|ing)?|"
    r"pressur(?:e|es|ed|ing)|press(?:es|ed|ing)?|sanction(?:s|ed|ing)?|criticis(?:e|es|ed|ing)|"
    r"criticiz(?:e|es|ed|ing)|blam(?:e|es|ed|ing)|condemn(?:s|ed|ing)?|thank(?:s|ed|ing)?|"
    r"call(?:s|ed|ing)?\s+on|"
    # "the army in Kyiv", "the government in Moscow": the state, at its seat
    r"(?:army|government|leadership|regime|junta|rulers|military\s+command|high\s+command)\s+in|"
    r"between|(?:fired|launched|shelled|attacked|struck|hit|killed|shot|"
    r"bombed|seized|captured|occupied|annexed|invaded|backed|supported|armed|attacks?|strikes?|shelling|"
    r"fire|bombardment|offensive|aggression|invasion)\s+by(?:\s+the)?)\s+$",
    re.IGNORECASE)
_SCENE_BEFORE = re.compile(r"\b(?:in|at|near|outside|around|inside|from|into|to|on|across|over|"
                          r"throughout|within)\s+(?:the\s+)?$", re.IGNORECASE)
_ATTRIBUTION_BEFORE = re.compile(r"[:\u2013\u2014]\s*$|\s-\s*$")
_ATTRIBUTION_AFTER = re.compile(r"^\s*[.!]?\s*(?:\n|$)")
_METONYM_FEATURES = frozenset({"country", "capital"})

_ALLEGIANCE_BEFORE = re.compile(r"\b(?:pro|anti)\s*[-‑]\s*$", re.IGNORECASE)    # "pro-Russia militants"
_NAMED_EVENT_AFTER = re.compile(                                                 # "the Minsk peace summit"
    r"^(?:['’]s)?\s+(?:peace\s+|ceasefire\s+|security\s+)?(?:summit|talks|agreements?|accords?|"
    r"deal|format|process|protocols?|memorandum|negotiations|conference|declaration|treaty)\b",
    re.IGNORECASE)
_VESSEL_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:(?:guided-missile|missile|nuclear|nuclear-powered|landing|patrol|rescue)\s+)?"
    r"(?:cruiser|warship|frigate|corvette|destroyer|submarine|flagship|ship|vessel|tanker|"
    r"freighter|ferry|tug|icebreaker)\b", re.IGNORECASE)
_TIME_ZONE_AFTER = re.compile(r"^\s+(?:standard\s+|summer\s+|daylight\s+)?time\b", re.IGNORECASE)
# where someone spoke is not where what they spoke of happened
_SPEECH_BEFORE = re.compile(
    r"\b(?:speaking|spoke|speaks|addressing|addressed|told\s+(?:reporters|journalists|a\s+(?:news|press)\s+"
    r"(?:conference|briefing))|(?:a|the|his|her|their)\s+(?:news|press)\s+(?:conference|briefing))"
    r"(?:\s+on\s+\w+day)?\s+(?:in|at)\s+(?:the\s+)?$", re.IGNORECASE)
_SEAT_BEFORE = re.compile(r"\b(?:based|headquartered|registered)\s+in\s+$", re.IGNORECASE)
_SEAT_AFTER = re.compile(r"^\s*[-‑]\s*(?:based|headquartered|registered)\b", re.IGNORECASE)


def mark_non_scenes(text: str, toponyms: Sequence[Toponym]) -> None:
    """Append a reason from :data:`NON_SCENE_REASONS` to each resolved toponym that names
    something other than a scene (see the module docstring)."""
    for t in toponyms:
        if t.place is None or NON_SCENE_REASONS.intersection(t.reasons):
            continue
        after = text[t.end:t.end + 60]
        before = text[max(0, t.start - 30):t.start]
        if _VESSEL_AFTER.match(after):
            t.reasons.append(VESSEL_REASON)
        elif _NAMED_EVENT_AFTER.match(after):
            t.reasons.append(NAMED_EVENT_REASON)
        elif _ALLEGIANCE_BEFORE.search(before):
            t.reasons.append(ACTOR_METONYM_REASON)
        elif _TIME_ZONE_AFTER.match(after):
            t.reasons.append(TIME_ZONE_REASON)
        elif _SEAT_BEFORE.search(before) or _SEAT_AFTER.match(after):
            t.reasons.append(ORG_SEAT_REASON)
        elif _SPEECH_BEFORE.search(text[max(0, t.start - 60):t.start]):
            t.reasons.append(SPEECH_VENUE_REASON)
        elif t.place.feature in _METONYM_FEATURES and is_actor_metonym(before, after,
                                                                       offices=t.place.feature == "capital"):
            t.reasons.append(ACTOR_METONYM_REASON)


def is_actor_metonym(before: str, after: str, *, offices: bool = True) -> bool:
    """Whether a country or capital between ``before`` and ``after`` stands for its state:
    "shelling by Kiev's forces", "Kiev troops", "Moscow says", "after Kiev began its
    counteroffensive", "according to Kyiv", "urged Moscow to", and a headline's closing
    attribution ("... new truce: Kiev.")."""
    if _METONYM_BEFORE.search(before) or _ACTOR_NOUN_AFTER.match(after) or (
            offices and _STATE_OFFICE_AFTER.match(after)):
        return True
    # "police in Kyiv said": the place of the speakers, not a speaker
    if _SCENE_BEFORE.search(before):
        return False
    return bool(_AGENT_AFTER.match(after)) or bool(
        _ATTRIBUTION_BEFORE.search(before) and _ATTRIBUTION_AFTER.match(after))


def scene_toponyms(toponyms: Sequence[Toponym]) -> list[Toponym]:
    """The toponyms that can be where an event happened."""
    return [t for t in toponyms if not NON_SCENE_REASONS.intersection(t.reasons)]
