"""Merging the parts of one happening into one event, with its claims and disputes.

A *part* is an event as first coded from one article.  ``merge_parts`` builds the fused
record from all of a happening's parts: place and date from the most precise part, the
highest-precedence sub-event type, every article, evidence sentence and outlet, a count
of independent sources, ACLED's lowest fatality figure (among the latest reports that give
one, since ACLED revises as reports change), and every claim with its claimant.  Two sides
(or a side and an independent source) saying different things make the event disputed.
"""
from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from frontlines.events import taxonomy as tx
from frontlines.records import Event

from .match import F_LEVEL, TERRITORY, primary_key, sides_of, signature
from .sides import INDEPENDENT, side_of

log = logging.getLogger(__name__)

SOURCES_TAG = "independent sources="
_SOURCES_TAG_RE = re.compile(r"^independent sources=\d+$")


@dataclass(slots=True)
class Part:
    """One article's coding of a happening, with what fusion needs to know of its article."""

    event: Event
    article_id: str
    outlet: str = ""            # the publishing outlet (host or name)
    source_key: str = ""        # who independently reported it: the wire agency if syndicated, else the outlet
    article_date: str = ""
    seq: int = 0                # ingestion order

    @property
    def part_id(self) -> str:
        return self.event.event_id


@dataclass(slots=True)
class Claim:
    event_id: str
    part_id: str
    article_id: str
    claimant: str
    side: str
    claim_status: str
    sub_event_type: str
    actor1: str
    actor2: str
    fatalities: int
    quantities: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(slots=True)
class Merged:
    event: Event
    n_sources: int
    sources: list[str]
    claims: list[Claim]
    disputed: bool
    dispute_reasons: list[str]


def order_parts(parts: list[Part]) -> list[Part]:
    """The parts with the primary one (best place, then best date) first."""
    def key(p: Part) -> tuple:
        ev = p.event
        return primary_key(signature(ev, p.article_id), ev.geo_precision, ev.time_precision,
                           ev.confidence or 0.0, p.seq)
    return sorted(parts, key=key)


ACTOR_FIELDS = ("actor1", "inter1", "actor2", "inter2", "assoc_actor_1", "assoc_actor_2")
OTHER_FIELDS = ("target", "target_category", "civilian_targeting", "admin2", "admin3")
CAPTURES = ("Government regains territory", "Non-state actor overtakes territory")
WITHDRAWAL = "Non-violent transfer of territory"


def merge_parts(parts: list[Part], event_id: str, fuse_reasons: list[str] = ()) -> Merged:
    """The fused event of ``parts`` (at least one), with id ``event_id``."""
    if not parts:
        raise ValueError("nothing to merge")
    ordered = order_parts(parts)
    by_seq = sorted(parts, key=lambda p: (p.seq, p.part_id))
    primary = ordered[0].event
    ev = Event.from_dict(primary.to_full_dict())
    ev.event_id = event_id
    # -- type: ACLED precedence among the parts; actors from the part that has that type
    best_type = min((p.event.sub_event_type for p in parts), key=lambda s: tx.PRECEDENCE.get(s, 99))
    if best_type != ev.sub_event_type:
        donor = next(p.event for p in ordered if p.event.sub_event_type == best_type)
        st = tx.BY_NAME.get(best_type)
        ev.sub_event_type = best_type
        if st is not None:
            ev.event_type, ev.disorder_type = st.event_type, st.disorder_type
            ev.plover_event, ev.cameo_root = st.plover_event, st.cameo_root
            ev.plover_mode = donor.plover_mode or st.plover_mode
        for f in ACTOR_FIELDS:                      # the sides are the donor's, as it tells them
            setattr(ev, f, getattr(donor, f))
    capture = ev.sub_event_type in CAPTURES
    for p in ordered:
        o = p.event
        if capture and o.sub_event_type == WITHDRAWAL:
            # a report of the withdrawal names the side that lost the place, never the one that took it
            if not ev.actor2 and o.actor1 and o.actor1 != ev.actor1:
                ev.actor2, ev.inter2 = o.actor1, o.inter1
            fields = OTHER_FIELDS
        else:
            fields = ACTOR_FIELDS + OTHER_FIELDS
        if p is ordered[0] and not (capture and o.sub_event_type == WITHDRAWAL):
            continue
        for f in fields:
            if not getattr(ev, f) and getattr(o, f):
                setattr(ev, f, getattr(o, f))
    if capture and primary.sub_event_type == WITHDRAWAL and ev.actor1 == primary.actor1 and ev.actor1:
        ev.actor1, ev.inter1 = "", None          # the withdrawer came from the primary report: it lost the place
    if ev.actor2 and ev.actor2 == ev.actor1:
        ev.actor2, ev.inter2 = "", None
    ev.interaction = tx.interaction(ev.inter1, ev.inter2)
    # -- fatalities: the lowest figure among the latest reports that give one
    figures = [(p.article_date, p.event.fatalities) for p in parts if p.event.fatalities]
    reasons = list(primary.reasons)
    if figures:
        latest = max(d for d, _n in figures)
        ev.fatalities = min(n for d, n in figures if d == latest)
        if len({n for _d, n in figures}) > 1:
            reasons.append("fatalities:lowest_of_latest_reports")
    else:
        ev.fatalities = 0
    # -- articles, evidence, outlets, quantities, tags
    ev.article_ids = list(dict.fromkeys(p.article_id for p in by_seq))
    seen_ev: set[tuple] = set()
    evidence = []
    for p in by_seq:
        for e in p.event.evidence:
            e = dict(e)
            if not e.get("article_id"):
                e["article_id"] = p.article_id
            k = (e.get("article_id"), e.get("start"), e.get("end"), e.get("trigger_start"))
            if k not in seen_ev:
                seen_ev.add(k)
                evidence.append(e)
    ev.evidence = evidence
    outlets = list(dict.fromkeys(o for p in by_seq for o in _split(p.outlet or p.event.source)))
    ev.source = "; ".join(outlets)
    keys = list(dict.fromkeys(p.source_key or p.outlet or f"article:{p.article_id}" for p in by_seq))
    n_sources = len(keys)
    seen_q = set()
    quants = []
    for p in by_seq:
        for q in p.event.quantities:
            k = (q.get("value"), q.get("unit"), q.get("of"))
            if k not in seen_q:
                seen_q.add(k)
                quants.append(q)
    ev.quantities = quants
    tags = [t for p in by_seq for t in _split(p.event.tags) if not _SOURCES_TAG_RE.match(t)]
    tags = list(dict.fromkeys(tags))
    tags.append(f"{SOURCES_TAG}{n_sources}")
    ev.tags = "; ".join(tags)
    # -- claims and disputes
    claims = _claims(parts, event_id)
    disputed, why = _disputed(parts, claims)
    claimants = list(dict.fromkeys(c.claimant for c in claims if c.claimant))
    ev.claimed_by = "; ".join(claimants)
    statuses = [p.event.claim_status for p in parts]
    if disputed:
        ev.claim_status = "disputed"
    elif "reported" in statuses:
        ev.claim_status = "reported"
    elif "claimed" in statuses:
        ev.claim_status = "claimed"
    else:
        ev.claim_status = statuses[0] if statuses else "reported"
    # -- confidence grows with independent confirmation
    ev.confidence = round(min(0.99, max(p.event.confidence or 0.0 for p in parts) + 0.05 * (n_sources - 1)), 2)
    ev.time_precision = min(p.event.time_precision or 1 for p in parts if p.event.event_date == ev.event_date)
    for p in parts:
        for r in p.event.reasons:
            if r not in reasons:
                reasons.append(r)
    reasons = [r for r in reasons if not r.startswith(("fuse:", "dispute:"))]
    reasons.extend(dict.fromkeys(fuse_reasons))
    reasons.extend(why)
    ev.reasons = list(dict.fromkeys(reasons))
    try:
        from frontlines.events.extract import compose_notes

        ev.notes = compose_notes(ev)
        if n_sources > 1:
            ev.notes += f" Reported by {n_sources} independent sources."
    except Exception:  # pragma: no cover - notes are a courtesy
        log.debug("could not compose notes for %s", event_id, exc_info=True)
    return Merged(ev, n_sources, keys, claims, disputed, why)


def _split(value: str) -> list[str]:
    return [s.strip() for s in (value or "").split(";") if s.strip()]


def _claims(parts: list[Part], event_id: str) -> list[Claim]:
    out = []
    for p in sorted(parts, key=lambda p: (p.seq, p.part_id)):
        e = p.event
        claimants = _split(e.claimed_by) or [""]
        for c in claimants:
            out.append(Claim(event_id, p.part_id, p.article_id, c, side_of(c) if c else "", e.claim_status,
                             e.sub_event_type, e.actor1, e.actor2, e.fatalities or 0, list(e.quantities)))
    return out


def _claim_content(c: Claim) -> tuple:
    return (side_of(c.actor1), c.sub_event_type, c.claim_status == "denied")


def _disputed(parts: list[Part], claims: list[Claim]) -> tuple[bool, list[str]]:
    """Different claims by opposing sides, or by a side and an independent source."""
    why: list[str] = []
    if any(p.event.claim_status == "disputed" for p in parts):
        why.append("dispute:disputed_in_report")
    by_side: dict[str, list[Claim]] = {}
    for c in claims:
        if c.claimant and c.side:
            by_side.setdefault(c.side, []).append(c)
    sides = [s for s in by_side if s != INDEPENDENT]
    if len(by_side) >= 2 and (len(sides) >= 2 or INDEPENDENT in by_side):
        groups = list(by_side.values())
        differ = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                for a in groups[i]:
                    for b in groups[j]:
                        if _claims_differ(a, b):
                            differ = True
        if differ:
            why.append("dispute:opposing_claimants" if len(sides) >= 2 else "dispute:side_vs_independent")
    if any(c.claim_status == "denied" for c in claims) and \
            any(c.claim_status in ("claimed", "reported") and c.claimant for c in claims):
        why.append("dispute:claim_and_denial")
    return bool(why), why


def _claims_differ(a: Claim, b: Claim) -> bool:
    if a.fatalities and b.fatalities and a.fatalities != b.fatalities:
        return True
    if (a.claim_status == "denied") != (b.claim_status == "denied"):
        return True
    if a.sub_event_type in TERRITORY and b.sub_event_type in TERRITORY:
        # a withdrawal by one side and a recapture by the other agree on who holds the place
        ga, gb = _gainer(a), _gainer(b)
        return bool(ga and gb and ga != gb)
    sa, sb = side_of(a.actor1), side_of(b.actor1)
    if sa and sb and sa != sb:
        return True
    if a.sub_event_type != b.sub_event_type:
        return True
    qa = {(q.get("unit"), q.get("of")): q.get("value") for q in a.quantities}
    qb = {(q.get("unit"), q.get("of")): q.get("value") for q in b.quantities}
    return any(k in qb and qb[k] != v for k, v in qa.items())


def level_of_part(p: Part) -> int:
    return signature(p.event, p.article_id)[F_LEVEL]


def _gainer(c: Claim) -> str:
    return sides_of(Event(sub_event_type=c.sub_event_type, actor1=c.actor1, actor2=c.actor2))[2]
