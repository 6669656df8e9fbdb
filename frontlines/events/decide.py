"""Which drafted events of a report become events: ACLED's rules, applied with the whole report in view.

A draft that passed the sentence-level tests can still be no event for an analyst's database:
- **vagueness**: ACLED codes nothing without a place (at least a named region) and a time; a
  draft placed nowhere, at a whole country, or only at the story's main region because its own
  sentences name no place, is left out (``vague:*``);

Each rule returns a reason code; :func:`set_aside_reason` gives the first that applies.  The
extractor drops such drafts, or keeps them with the reason when asked for background
(``include_background``), so the sentence- and headline-level scorers still see what the coder
made of them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..records import place_key

if TYPE_CHECKING:      # pragma: no cover
    from .extract import Draft

NO_SCENE_FEATURES = frozenset({"country", "continent"})


def vagueness_reason(d: "Draft") -> str:
    topo = d.toponym
    if topo is None or topo.place is None:
        return "vague:no_place"
    if topo.place.feature in NO_SCENE_FEATURES:
        return "vague:country_only"
    if "geo:document_focus" in topo.reasons:
        return "vague:place_not_stated"
    return ""


TERRITORY = frozenset({"Government regains territory", "Non-state actor overtakes territory",
                       "Non-violent transfer of territory"})
VIOLENT_OR_TERRITORY = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "territory"})


def is_claim(d: "Draft") -> bool:
    """A draft that asserts a tally or an outcome on someone's word: losses inflicted, ground taken."""
    if d.family not in VIOLENT_OR_TERRITORY:
        return False
    tally = all(m.cls == "LOSSES" for m in d.mentions) or bool(d.quantities)
    return tally and (bool(d.claimants) or all(m.cls == "LOSSES" for m in d.mentions))


def claim_home(d: "Draft", kept: "list[Draft]") -> "Draft | None":
    """The placed event of the report a claim is about: of a compatible kind, in the claim's area
    when it has one, else the nearest told before it (or after, when none is)."""
    homes = [k for k in kept if k.family in VIOLENT_OR_TERRITORY and k.toponym is not None]
    if not homes:
        return None
    area = d.toponym.place if d.toponym is not None else None
    if area is not None and area.feature not in NO_SCENE_FEATURES:
        inside = [k for k in homes if k.toponym.place is not None and (
            k.toponym.place.admin1 == area.admin1 and k.toponym.place.iso2 == area.iso2)]
        homes = inside or homes
    first = min(m.sentence.index for m in d.mentions)
    before = [k for k in homes if min(m.sentence.index for m in k.mentions) <= first]
    pool = before or homes
    same_area = area is not None and area.feature not in NO_SCENE_FEATURES
    return min(pool, key=lambda k: (not (same_area and k.toponym.place is not None and
                                         place_key(k.toponym.place) == place_key(area)),
                                    abs(first - min(m.sentence.index for m in k.mentions))))


def set_aside_reason(d: "Draft") -> str:
    """Why a draft is no event of the report ("" when it is one)."""
    return vagueness_reason(d)
