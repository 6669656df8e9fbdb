"""Territorial control: for each settlement, who controlled it since when, and on what evidence.

Derived from the (fused) territorial events: *Government regains territory* and
*Non-state actor overtakes territory* give the settlement to actor1's side; *Non-violent
transfer of territory* (a withdrawal) gives it to the other side (actor2's, else the
opponent of the side that left).  Events at region level, denied claims and events whose
gaining side is unknown are left out, each with a reason code.  Successive events giving
a place to the side that already holds it confirm the change (their ids join it); a new
controller starts a new change.

Public API::

    control_timelines(events) -> dict[str, list[ControlChange]]   # place key -> changes in date order
    timeline(store, place) -> list[ControlChange]
    control_on(store, day, region=None) -> list[dict]             # settlements and their controller that day
    changes_json(changes) -> list[{place, geonameid, date, controller, event_ids}]
    to_geojson(rows) -> dict                                      # FeatureCollection of points
    save_control(store) -> int                                    # (re)write the control_changes table
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import Any, Iterable

from frontlines.fusion.match import TERRITORY, sides_of
from frontlines.fusion.sides import opponent_of

log = logging.getLogger(__name__)

SETTLEMENT_MAX_PRECISION = 2     # geo_precision 1 (the town) or 2 (near it); 3 is a region


@dataclass(slots=True)
class ControlChange:
    place: str
    geonameid: int | None
    date: str
    controller: str
    previous: str = ""
    admin1: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    claim_status: str = "reported"
    event_ids: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ``frontlines control --json`` record."""
        return {"place": self.place, "geonameid": self.geonameid, "date": self.date,
                "controller": self.controller, "event_ids": list(self.event_ids)}

    def to_full_dict(self) -> dict[str, Any]:
        return {"place": self.place, "geonameid": self.geonameid, "date": self.date, "controller": self.controller,
                "previous": self.previous, "admin1": self.admin1, "country": self.country,
                "latitude": self.latitude, "longitude": self.longitude, "claim_status": self.claim_status,
                "event_ids": list(self.event_ids), "reasons": list(self.reasons)}


def place_key(ev) -> str:
    return str(ev.geonameid) if ev.geonameid is not None else f"{ev.location}|{ev.admin1}".lower()


def controller_of(ev) -> tuple[str, str]:
    """(side that controls the place after the event, reason code) or ("", why not)."""
    if ev.sub_event_type not in TERRITORY:
        return "", "control:not_territorial"
    if ev.claim_status == "denied":
        return "", "control:denied"
    if ev.sub_event_type == "Non-violent transfer of territory" and "ordered withdrawal" in (ev.tags or ""):
        return "", "control:only_ordered"
    _s1, _sides, gain = sides_of(ev)
    if not gain and ev.sub_event_type == "Government regains territory" and opponent_of(ev.country):
        return ev.country, "control:government_of_country"
    if not gain:
        return "", "control:unknown_gainer"
    if ev.sub_event_type == "Non-violent transfer of territory":
        return gain, "control:other_side_after_withdrawal"
    if ev.sub_event_type == "Government regains territory":
        return gain, "control:government_regains"
    return gain, "control:taken_by_actor1"


def control_timelines(events: Iterable, undated_articles: Iterable[str] = ()) -> dict[str, list[ControlChange]]:
    """Place key -> that settlement's control changes in date order.  Events known only
    from ``undated_articles`` (publication date unknown, so the event date is a guess) are
    left out."""
    undated = set(undated_articles)
    by_place: dict[str, list] = {}
    for ev in events:
        if ev.sub_event_type not in TERRITORY:
            continue
        if undated and ev.article_ids and all(a in undated for a in ev.article_ids):
            log.debug("control: %s left out (control:date_unknown)", ev.event_id)
            continue
        if not ev.location or (ev.geo_precision or 1) > SETTLEMENT_MAX_PRECISION:
            log.debug("control: %s left out (control:not_a_settlement)", ev.event_id)
            continue
        who, why = controller_of(ev)
        if not who:
            log.debug("control: %s left out (%s)", ev.event_id, why)
            continue
        by_place.setdefault(place_key(ev), []).append((ev.event_date, ev.event_id, who, why, ev))
    out: dict[str, list[ControlChange]] = {}
    for key, items in by_place.items():
        items.sort(key=lambda t: (t[0], t[1]))
        changes: list[ControlChange] = []
        for day, eid, who, why, ev in items:
            cur = changes[-1] if changes else None
            if cur is not None and cur.controller == who:
                cur.event_ids.append(eid)
                if why not in cur.reasons:
                    cur.reasons.append(why)
                if "control:confirmed" not in cur.reasons:
                    cur.reasons.append("control:confirmed")
                if cur.claim_status != "reported" and ev.claim_status == "reported":
                    cur.claim_status = "reported"
                continue
            changes.append(ControlChange(
                place=ev.location, geonameid=ev.geonameid, date=day, controller=who,
                previous=cur.controller if cur else "", admin1=ev.admin1, country=ev.country,
                latitude=ev.latitude, longitude=ev.longitude, claim_status=ev.claim_status or "reported",
                event_ids=[eid], reasons=[why] + (["control:reverses_previous"] if cur else [])))
        out[key] = changes
    return out


def _territorial_events(store) -> list:
    out = []
    for sub in TERRITORY:
        out.extend(store.iter_events(event_type=sub))
    return out


#: How an article's date was found when it is only a stand-in (e.g. ``--date`` for reports without one).
GUESSED_DATE_REASONS = ("date:cli", "date:default", "date:api_default")


def undated_articles(store) -> set[str]:
    db = getattr(store, "connection", None)
    if db is None:
        return set()
    marks = ",".join("?" for _ in GUESSED_DATE_REASONS)
    return {r[0] for r in db.execute(f"SELECT article_id FROM articles WHERE date_reason IN ({marks})",
                                     GUESSED_DATE_REASONS)}


def all_timelines(store, *, include_guessed_dates: bool = False) -> dict[str, list[ControlChange]]:
    """Every settlement's timeline. Reports whose publication date was only a stand-in (``--date``
    for undated reports) are left out unless ``include_guessed_dates``."""
    guessed = set() if include_guessed_dates else undated_articles(store)
    return control_timelines(_territorial_events(store), guessed)


def _matches(changes: list[ControlChange], place: str) -> bool:
    c = changes[0]
    p = place.strip().lower()
    return p == str(c.geonameid) or p == c.place.lower()


def timeline(store, place: str, *, include_guessed_dates: bool = False) -> list[ControlChange]:
    """The control changes of the settlement named ``place`` (a name or a geonameid); if
    the name is a region, the changes of every settlement in it."""
    lines = all_timelines(store, include_guessed_dates=include_guessed_dates)
    hits = [ch for ch in lines.values() if _matches(ch, place)]
    if not hits:
        p = place.strip().lower()
        hits = [ch for ch in lines.values() if ch[0].admin1.lower() in (p, p + " oblast")
                or ch[0].admin1.lower().replace(" oblast", "") == p]
    out = [c for ch in hits for c in ch]
    out.sort(key=lambda c: (c.place, c.date))
    return out


def control_on(store, day: str | dt.date, region: str | None = None, *,
               include_guessed_dates: bool = False) -> list[dict[str, Any]]:
    """Settlements with a known controller on ``day``: the last change on or before it."""
    day = day.isoformat() if isinstance(day, dt.date) else str(day)
    reg = (region or "").strip().lower()
    rows = []
    for changes in all_timelines(store, include_guessed_dates=include_guessed_dates).values():
        last = None
        for c in changes:
            if c.date <= day:
                last = c
        if last is None:
            continue
        if reg and reg not in (last.admin1.lower(), last.admin1.lower().replace(" oblast", ""),
                               last.country.lower()):
            continue
        rows.append({"place": last.place, "geonameid": last.geonameid, "controller": last.controller,
                     "since": last.date, "admin1": last.admin1, "country": last.country,
                     "latitude": last.latitude, "longitude": last.longitude,
                     "claim_status": last.claim_status, "event_ids": list(last.event_ids)})
    rows.sort(key=lambda r: (r["admin1"], r["place"]))
    return rows


def changes_json(changes: Iterable[ControlChange]) -> list[dict[str, Any]]:
    return [c.to_json() for c in changes]


def to_geojson(rows: Iterable[ControlChange | dict[str, Any]]) -> dict[str, Any]:
    """Points, one per change (or per settlement for ``control_on`` rows)."""
    feats = []
    for r in rows:
        d = r.to_full_dict() if isinstance(r, ControlChange) else dict(r)
        lat, lon = d.pop("latitude", None), d.pop("longitude", None)
        geom = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        feats.append({"type": "Feature", "geometry": geom, "properties": d})
    return {"type": "FeatureCollection", "features": feats}


def save_control(store) -> int:
    """Rewrite the ``control_changes`` table from the stored events; returns rows written."""
    from frontlines.fusion.store import FusionStore

    fs = FusionStore(store)
    rows = [c for ch in all_timelines(store).values() for c in ch]
    with fs.transaction() as db:
        db.execute("DELETE FROM control_changes")
        db.executemany(
            "INSERT OR REPLACE INTO control_changes(geonameid, place, admin1, country, latitude, longitude, date,"
            " controller, previous, claim_status, event_ids, reasons) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(c.geonameid, c.place, c.admin1, c.country, c.latitude, c.longitude, c.date, c.controller, c.previous,
              c.claim_status, json.dumps(c.event_ids), json.dumps(c.reasons)) for c in rows])
    return len(rows)
