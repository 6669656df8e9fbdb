"""The ACLED event taxonomy with its precedence, and PLOVER / CAMEO equivalents.

Each sub-event type carries its event type, disorder type, the PLOVER category and a
default mode, and the CAMEO root code, so our records join to ACLED, POLECAT and GDELT.
The order of ``SUB_EVENT_TYPES`` is ACLED's precedence: when one happening fits several
sub-event types, the one listed first wins.
"""
from __future__ import annotations

from dataclasses import dataclass

BATTLES = "Battles"
PROTESTS = "Protests"
RIOTS = "Riots"
REMOTE = "Explosions/Remote violence"
VAC = "Violence against civilians"
STRATEGIC = "Strategic developments"

POLITICAL_VIOLENCE = "Political violence"
DEMONSTRATIONS = "Demonstrations"
PV_DEMONSTRATIONS = "Political violence; Demonstrations"
STRATEGIC_DISORDER = "Strategic developments"


@dataclass(frozen=True, slots=True)
class SubEventType:
    name: str
    event_type: str
    disorder_type: str
    plover_event: str
    plover_mode: str
    cameo_root: str
    code: str  # short code, as CASE 2021 spells it


# ACLED's order of precedence across and within event types.
SUB_EVENT_TYPES: tuple[SubEventType, ...] = (
    SubEventType("Government regains territory", BATTLES, POLITICAL_VIOLENCE, "ASSAULT", "firearms", "19", "GOV_REGAINS_TERRITORY"),
    SubEventType("Non-state actor overtakes territory", BATTLES, POLITICAL_VIOLENCE, "ASSAULT", "firearms", "19", "NON_STATE_ACTOR_OVERTAKES_TER"),
    SubEventType("Armed clash", BATTLES, POLITICAL_VIOLENCE, "ASSAULT", "firearms", "19", "ARMED_CLASH"),
    SubEventType("Excessive force against protesters", PROTESTS, PV_DEMONSTRATIONS, "ASSAULT", "crowd-control", "18", "PROTEST_WITH_EXCESSIVE_FORCE"),
    SubEventType("Protest with intervention", PROTESTS, DEMONSTRATIONS, "PROTEST", "demo", "14", "PROTEST_WITH_INTERVENTION"),
    SubEventType("Peaceful protest", PROTESTS, DEMONSTRATIONS, "PROTEST", "demo", "14", "PEACEFUL_PROTEST"),
    SubEventType("Violent demonstration", RIOTS, DEMONSTRATIONS, "PROTEST", "riot", "14", "VIOLENT_DEMONSTRATION"),
    SubEventType("Mob violence", RIOTS, POLITICAL_VIOLENCE, "ASSAULT", "primitive", "18", "MOB_VIOLENCE"),
    SubEventType("Chemical weapon", REMOTE, POLITICAL_VIOLENCE, "ASSAULT", "unconventional", "20", "CHEMICAL_WEAPON"),
    SubEventType("Air/drone strike", REMOTE, POLITICAL_VIOLENCE, "ASSAULT", "aerial", "19", "AIR_STRIKE"),
    SubEventType("Suicide bomb", REMOTE, POLITICAL_VIOLENCE, "ASSAULT", "suicide-attack", "18", "SUICIDE_BOMB"),
    SubEventType("Shelling/artillery/missile attack", REMOTE, POLITICAL_VIOLENCE, "ASSAULT", "heavy-weapons", "19", "ARTILLERY_MISSILE_ATTACK"),
    SubEventType("Remote explosive/landmine/IED", REMOTE, POLITICAL_VIOLENCE, "ASSAULT", "explosives", "18", "REMOTE_EXPLOSIVE_LANDMINE_IED"),
    SubEventType("Grenade", REMOTE, POLITICAL_VIOLENCE, "ASSAULT", "explosives", "18", "GRENADE"),
    SubEventType("Sexual violence", VAC, POLITICAL_VIOLENCE, "ASSAULT", "sexual", "18", "SEXUAL_VIOLENCE"),
    SubEventType("Attack", VAC, POLITICAL_VIOLENCE, "ASSAULT", "targeted", "18", "ATTACK"),
    SubEventType("Abduction/forced disappearance", VAC, POLITICAL_VIOLENCE, "ASSAULT", "abduct", "18", "ABDUCTION_FORCED_DISAPPEARANCE"),
    SubEventType("Agreement", STRATEGIC, STRATEGIC_DISORDER, "AGREE", "", "05", "AGREEMENT"),
    SubEventType("Arrests", STRATEGIC, STRATEGIC_DISORDER, "COERCE", "arrest", "17", "ARRESTS"),
    SubEventType("Change to group/activity", STRATEGIC, STRATEGIC_DISORDER, "MOBILIZE", "troops", "15", "CHANGE_TO_GROUP_ACT"),
    SubEventType("Disrupted weapons use", STRATEGIC, STRATEGIC_DISORDER, "ASSAULT", "aerial", "19", "DISRUPTED_WEAPONS_USE"),
    SubEventType("Headquarters or base established", STRATEGIC, STRATEGIC_DISORDER, "MOBILIZE", "troops", "15", "HQ_ESTABLISHED"),
    SubEventType("Looting/property destruction", STRATEGIC, STRATEGIC_DISORDER, "ASSAULT", "destroy", "18", "LOOTING_PROPERTY_DESTRUCTION"),
    SubEventType("Non-violent transfer of territory", STRATEGIC, STRATEGIC_DISORDER, "RETREAT", "withdraw", "08", "NON_VIOLENT_TRANSFER_OF_TERRITORY"),
    SubEventType("Other", STRATEGIC, STRATEGIC_DISORDER, "", "", "", "OTHER"),
)

BY_NAME: dict[str, SubEventType] = {s.name: s for s in SUB_EVENT_TYPES}
BY_CODE: dict[str, SubEventType] = {s.code: s for s in SUB_EVENT_TYPES}
PRECEDENCE: dict[str, int] = {s.name: i for i, s in enumerate(SUB_EVENT_TYPES)}
EVENT_TYPES: tuple[str, ...] = (BATTLES, PROTESTS, RIOTS, REMOTE, VAC, STRATEGIC)

# PLOVER's auxiliary modes for things that did not (yet) happen as reported.
AUX_MODES = ("historical", "future", "hypothetical", "negation")

# ACLED actor type codes (inter1 / inter2).
INTER_STATE = 1
INTER_REBEL = 2
INTER_POLITICAL_MILITIA = 3
INTER_IDENTITY_MILITIA = 4
INTER_RIOTERS = 5
INTER_PROTESTERS = 6
INTER_CIVILIANS = 7
INTER_EXTERNAL = 8


def sub_event(name: str) -> SubEventType:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"not an ACLED sub-event type: {name!r}") from None


def higher_precedence(a: str, b: str) -> str:
    """Of two sub-event types, the one ACLED's codebook puts first."""
    return a if PRECEDENCE.get(a, 99) <= PRECEDENCE.get(b, 99) else b


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: both actor types as a number, the smaller first; 10, 20... alone."""
    if inter1 is None and inter2 is None:
        return None
    if inter1 is None or inter2 is None:
        only = inter1 if inter1 is not None else inter2
        return int(f"{only}0")
    lo, hi = sorted((inter1, inter2))
    return int(f"{lo}{hi}")
