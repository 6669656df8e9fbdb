"""Relations between events, where the text says so.

* ``caused``: a strike's consequences the coder kept as tags (blackouts; power restored
  by a date) become relations of the strike (``related_id`` empty, ``detail`` says what);
* ``retaliation_for``: a strike described as retaliation, revenge or a response to an
  earlier strike by the other side, at a place the sentence names;
* ``contradicts``: one side reports a settlement taken while the other reports fighting
  still going on there (both events become disputed).
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Iterable

from frontlines.records import Event

from .match import day_span, family_of, level_of, norm_place
from .sides import side_of
from .store import FusionStore

log = logging.getLogger(__name__)

RETALIATION = re.compile(r"\b(in retaliation (?:for|against)|retaliat\w+ (?:for|against)|as retaliation|"
                         r"in response to|in revenge for|revenge for|payback for|to avenge|avenging)\b", re.I)
THREAT = re.compile(r"\b(vow\w*|promis\w*|threat\w*|warn\w*|pledg\w*|will|would)\b", re.I)
RETALIATION_DAYS = 14
_SENT = re.compile(r"[^.!?\n]+[.!?]?")


def _sentences(text: str) -> Iterable[tuple[int, str]]:
    for m in _SENT.finditer(text):
        yield m.start(), m.group(0)


def link_consequences(fs: FusionStore, ev: Event) -> int:
    n = 0
    for tag in (t.strip() for t in (ev.tags or "").split(";")):
        if tag.startswith("consequence: "):
            fs.link(ev.event_id, "", "caused", "link:consequence_tag", tag[len("consequence: "):])
            n += 1
        elif tag.startswith("power restored"):
            fs.link(ev.event_id, "", "followed_by", "link:consequence_restoration", tag)
            n += 1
    return n


def link_retaliation(fs: FusionStore, ev: Event, article_id: str) -> int:
    """Link ``ev`` to the earlier strike its article calls it retaliation for."""
    if family_of(ev.sub_event_type) not in ("strike", "battle"):
        return 0
    side = side_of(ev.actor1)
    text = fs.article_text(article_id)
    if not text or not RETALIATION.search(text):
        return 0
    d0, _d1 = day_span(ev.event_date, ev.date_end, ev.time_precision)
    lo = dt.date.fromordinal(d0 - RETALIATION_DAYS).isoformat()
    hi = ev.event_date
    earlier = [e for e in fs.store.iter_events(since=lo, until=hi)
               if e.event_id != ev.event_id and family_of(e.sub_event_type) in ("strike", "battle")
               and e.location and (not side or side_of(e.actor1) not in ("", side))
               and side_of(e.actor1) != "" and (e.event_date < ev.event_date or e.event_date == ev.event_date)]
    n = 0
    for start, sent in _sentences(text):
        m = RETALIATION.search(sent)
        if not m:
            continue
        if THREAT.search(sent[: m.start()]):
            continue        # a promise of revenge: the retaliation has not happened yet
        after = sent[m.end():].lower()
        for e in earlier:
            if side_of(e.actor1) == side:
                continue
            name = norm_place(e.location)
            if name and re.search(r"\b" + re.escape(name) + r"\w*", after):
                fs.link(ev.event_id, e.event_id, "retaliation_for", "link:retaliation_phrase",
                        evidence=sent.strip())
                n += 1
                break
    return n


def link_contradictions(fs: FusionStore, ev: Event) -> list[str]:
    """A capture claimed by one side while the other says fighting goes on there: both
    events are disputed.  Returns the ids of events whose claim status changed."""
    if family_of(ev.sub_event_type) not in ("territory", "battle") or level_of(ev) != 1 or ev.geonameid is None:
        return []
    d0, d1 = day_span(ev.event_date, ev.date_end, ev.time_precision)
    lo = dt.date.fromordinal(d0 - 1).isoformat()
    hi = dt.date.fromordinal(d1 + 1).isoformat()
    want = "battle" if family_of(ev.sub_event_type) == "territory" else "territory"
    mine = {side_of(c) for c in (ev.claimed_by or "").split(";") if c.strip()} - {""}
    changed = []
    for other in fs.store.iter_events(since=lo, until=hi):
        if other.event_id == ev.event_id or other.geonameid != ev.geonameid or family_of(other.sub_event_type) != want:
            continue
        theirs = {side_of(c) for c in (other.claimed_by or "").split(";") if c.strip()} - {""}
        if not mine or not theirs or mine & theirs:
            continue
        fs.link(ev.event_id, other.event_id, "contradicts", "dispute:capture_vs_fighting_continues")
        for e in (ev, other):
            if e.claim_status != "disputed" or "dispute:capture_vs_fighting_continues" not in e.reasons:
                e.claim_status = "disputed"
                if "dispute:capture_vs_fighting_continues" not in e.reasons:
                    e.reasons.append("dispute:capture_vs_fighting_continues")
                fs.store.upsert_event(e)
                with fs.transaction() as db:
                    db.execute("UPDATE fusion_events SET disputed=1 WHERE event_id=?", (e.event_id,))
                changed.append(e.event_id)
    return changed
