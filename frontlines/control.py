"""Territorial control: for each settlement, who controlled it since when, and on what evidence.

Derived from the (fused) territorial events: *Government regains territory* and
*Non-state actor overtakes territory* give the settlement to actor1's side; *Non-violent
transfer of territory* (a withdrawal) gives it to the other side (actor2's, else the
opponent of the side that left).  Successive events giving a place to the side that already
holds it confirm the change (their ids join it); a new controller starts a new change.

Only settlements have controllers, and a settlement's control changes only on reports placed
at that settlement itself.  An event is left out, with a reason code, when

* its place is not a settlement in the gazetteer: a river, a region, a country, a sea
  (``control:not_a_settlement``), or it is placed at region level, geo_precision 3 (same code);
* none of its reports names the settlement itself in its evidence: the coder moved a
  region-level report to the only town the story names ("withdrew from the Kherson region"
  is not Kherson city), or fusion joined region-level reports to a town's event
  (``control:settlement_not_named``).  When some reports of a fused event name the town and
  others only its region, the change is dated by the ones that name the town
  (``control:dated_by_settlement_report``);
* it is denied, ordered but not done, or its gaining side is unknown (see ``controller_of``);
* its only dated reports got their date from ``--date`` (``control:date_unknown``).

A place the user types is resolved through the gazetteer as the coder resolves a name
(alternate names, transliterations, Cyrillic), then looked up by the resolved place.

Public API::

    control_timelines(events, undated_articles=(), *, gazetteer, parts=None, skipped=None)
                                   -> dict[str, list[ControlChange]]   # place key -> changes in date order
    all_timelines(store, *, include_guessed_dates=False, gazetteer=None, skipped=None)
    find_place(store, place) -> PlaceMatch                          # what a typed name resolves to, with its changes
    timeline(store, place) -> list[ControlChange]                   # raises ControlError E611 (unknown), E612 (ambiguous)
    control_on(store, day, region=None) -> list[dict]               # settlements and their controller that day
    changes_json(changes) -> list[{place, geonameid, date, controller, event_ids}]
    to_geojson(rows) -> dict                                        # FeatureCollection of points
    save_control(store) -> int                                      # (re)write the control_changes table
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from frontlines.errors import FrontlinesError
from frontlines.fusion.match import TERRITORY, sides_of
from frontlines.fusion.sides import opponent_of
from frontlines.geo.normalize import normalize_name

log = logging.getLogger(__name__)

SETTLEMENT_MAX_PRECISION = 2     # geo_precision 1 (the town) or 2 (near it); 3 is a region
SETTLEMENT_FEATURES = frozenset({"settlement", "capital"})
REGION_FEATURES = frozenset({"admin1"})            # a typed region name lists the settlements in it
CANDIDATE_LIMIT = 1000           # readings of a name looked at (Ukraine has dozens of villages per name)
#: Mention classes the geoparser gives a name that stands for a unit around a town, not the town.
_UNIT_CLASSES = frozenset({"admin1", "admin2", "water"})
#: "the city of Lyman", "Kherson city": the town's own name inside a longer phrase.
_TOWN_WORDS = re.compile(r"^(?:the\s+)?(?:city|town|village|settlement)\s+of\s+|\s+(?:city|town|village)$",
                         re.IGNORECASE)
_COORD_TOLERANCE = 0.01          # degrees: an event's point is its gazetteer entry's, rounded to 4 places


class ControlError(FrontlinesError):
    """A typed place the control commands cannot answer for: E611 unknown, E612 ambiguous."""

    MESSAGES = {
        "E611": ("No place called {query!r} in the gazetteer; try another spelling or a geonameid "
                 "(`frontlines gazetteer find NAME` lists what a name can mean)."),
        "E612": ("{query!r} names {n} settlements with control changes: {choices}. Say which one: "
                 "'Name, Province' or its geonameid."),
    }

    def __init__(self, code: str, **kwargs: object) -> None:
        # (FrontlinesError.__init__ reads its templates from frontlines.errors.Errors; these are ours)
        self.code = code
        self.detail = self.MESSAGES[code].format(**kwargs)
        Exception.__init__(self, f"[{code}] {self.detail}")


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


def place_key(x) -> str:
    """The timeline key of an event's place or a gazetteer Place: its geonameid, else name|admin1."""
    if x.geonameid is not None:
        return str(x.geonameid)
    name = x.location if hasattr(x, "location") else x.name
    return f"{name}|{x.admin1 or ''}".lower()


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


def default_gazetteer():
    """The gazetteer the coder uses (built on first use, like the coder's)."""
    from frontlines.geo.gazetteer import open_gazetteer

    return open_gazetteer()


class SettlementCheck:
    """Is an event placed at a settlement, and does a report's evidence name that settlement itself?

    The gazetteer says what kind of place an event's place is; the geoparser's own recogniser
    finds the place names in an evidence sentence and what they stand for ("the Kherson region"
    is the region, "the city of Kherson" and "Kherson" the city)."""

    def __init__(self, gazetteer) -> None:
        self.gaz = gazetteer
        self._geoparser = None
        self._named: dict[tuple[str, str], bool] = {}

    def place_of(self, ev):
        """The gazetteer entry of an event's place, or None."""
        if ev.geonameid is not None:
            return self.gaz.get(ev.geonameid)
        for c in self.gaz.candidates(ev.location, CANDIDATE_LIMIT):
            if c.place.geonameid is None and place_key(c.place) == place_key(ev) and _same_point(c.place, ev):
                return c.place
        return None

    def settlement(self, ev) -> tuple[Any, str]:
        """(the settlement the event is placed at, "") or (None, reason code)."""
        if not ev.location:
            return None, "control:no_place"
        if (ev.geo_precision or 1) > SETTLEMENT_MAX_PRECISION:
            return None, "control:not_a_settlement"
        place = self.place_of(ev)
        if place is None:
            return None, "control:place_unknown"
        if place.feature not in SETTLEMENT_FEATURES:
            return None, "control:not_a_settlement"
        return place, ""

    def names(self, sentence: str, place) -> bool:
        """True when ``sentence`` names ``place`` itself (not only a region, district or river called so)."""
        key = (sentence, place_key(place))
        hit = self._named.get(key)
        if hit is None:
            hit = self._names(sentence, place)
            self._named[key] = hit
        return hit

    def _names(self, sentence: str, place) -> bool:
        # Where the sentence spells one of the place's names (any the gazetteer knows), the
        # geoparser's recogniser says what each such name stands for; spans are given to it as
        # entities, as spaCy's would be, so that small villages are found without the model.
        spans = [(a, b) for a, b in _name_spans(sentence) if self._is_name_of(sentence[a:b], place)]
        if not spans:
            return False
        if self._geoparser is None:
            from frontlines.geo.geoparse import Geoparser

            self._geoparser = Geoparser(self.gaz)
        mentions, _context = self._geoparser.recognize(sentence, [(a, b, "GPE") for a, b in spans])
        return any(m.cls not in _UNIT_CLASSES and any(m.start < b and a < m.end for a, b in spans)
                   and any(self._is_name_of(n, place) for n in dict.fromkeys((m.name, _TOWN_WORDS.sub("", m.name))))
                   for m in mentions)

    def _is_name_of(self, name: str, place) -> bool:
        return any(_same_place(c.place, place) for c in self.gaz.candidates(name, CANDIDATE_LIMIT))


_WORD = re.compile(r"[^\W\d_][\w'’-]*?(?=['’]s\b|[^\w'’-]|$)")
MAX_NAME_WORDS = 4


def _name_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of 1 to MAX_NAME_WORDS words that start with a capital: where a place name can be
    (a possessive's "'s" is not part of the name)."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(sentence)]
    out = []
    for i, (start, _end, word) in enumerate(words):
        if not word[:1].isupper():
            continue
        for j in range(i, min(i + MAX_NAME_WORDS, len(words))):
            out.append((start, words[j][1]))
    return out


def _same_point(a, b) -> bool:
    if a.latitude is None or b.latitude is None or a.longitude is None or b.longitude is None:
        return True
    return abs(a.latitude - b.latitude) <= _COORD_TOLERANCE and abs(a.longitude - b.longitude) <= _COORD_TOLERANCE


def _same_place(a, b) -> bool:
    if a.geonameid is not None or b.geonameid is not None:
        return a.geonameid == b.geonameid
    return place_key(a) == place_key(b) and _same_point(a, b)


@dataclass(slots=True)
class _Report:
    """One article's coding of a fused event (a fusion part), or the event itself when unfused."""

    event: Any
    article_ids: list[str]


def _dated_reports(ev, place, reports: Sequence[_Report], undated: set[str],
                   check: SettlementCheck) -> tuple[list[_Report], str]:
    """The reports of ``ev`` placed at ``place`` whose evidence names it, and with a real date;
    or ([], reason code)."""
    named = []
    for r in reports:
        pe = r.event
        if place_key(pe) != place_key(ev) or (pe.geo_precision or 1) > SETTLEMENT_MAX_PRECISION:
            continue
        if any(check.names(e.get("sentence", ""), place) for e in pe.evidence or ()):
            named.append(r)
    if not named:
        return [], "control:settlement_not_named"
    dated = [r for r in named if not (undated and r.article_ids and all(a in undated for a in r.article_ids))]
    if not dated:
        return [], "control:date_unknown"
    return dated, ""


def control_timelines(events: Iterable, undated_articles: Iterable[str] = (), *, gazetteer=None,
                      parts: dict[str, list] | None = None,
                      skipped: list[tuple[str, str, str]] | None = None) -> dict[str, list[ControlChange]]:
    """Place key -> that settlement's control changes in date order.

    ``parts`` maps a fused event's id to its reports (fusion parts: ``Part`` or ``Event``
    objects); an event without parts is its own only report.  Reports known only from
    ``undated_articles`` (publication date unknown, so the event date is a guess) do not
    count.  Each event left out is appended to ``skipped`` as (event_id, place key, reason)."""
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    check = SettlementCheck(gaz)
    undated = set(undated_articles)
    parts = parts or {}
    by_place: dict[str, list] = {}

    def leave_out(ev, why: str) -> None:
        log.debug("control: %s at %r left out (%s)", ev.event_id, ev.location, why)
        if skipped is not None:
            skipped.append((ev.event_id, place_key(ev) if ev.location else "", why))

    for ev in events:
        if ev.sub_event_type not in TERRITORY:
            continue
        place, why = check.settlement(ev)
        if place is None:
            leave_out(ev, why)
            continue
        who, why = controller_of(ev)
        if not who:
            leave_out(ev, why)
            continue
        reports = [_Report(getattr(p, "event", p), [p.article_id] if hasattr(p, "article_id") else
                           list(getattr(p, "article_ids", None) or ()))
                   for p in parts.get(ev.event_id, ())] or [_Report(ev, list(ev.article_ids))]
        dated, why_not = _dated_reports(ev, place, reports, undated, check)
        if not dated:
            leave_out(ev, why_not)
            continue
        day, reasons = ev.event_date, [why]
        if day not in {r.event.event_date for r in dated}:
            day = min((r.event.time_precision or 1, r.event.event_date) for r in dated)[1]
            reasons.append("control:dated_by_settlement_report")
        by_place.setdefault(place_key(ev), []).append((day, ev.event_id, who, reasons, ev))
    out: dict[str, list[ControlChange]] = {}
    for key, items in by_place.items():
        items.sort(key=lambda t: (t[0], t[1]))
        changes: list[ControlChange] = []
        for day, eid, who, why, ev in items:
            cur = changes[-1] if changes else None
            if cur is not None and cur.controller == who:
                cur.event_ids.append(eid)
                for r in why + ["control:confirmed"]:
                    if r not in cur.reasons:
                        cur.reasons.append(r)
                if cur.claim_status != "reported" and ev.claim_status == "reported":
                    cur.claim_status = "reported"
                continue
            changes.append(ControlChange(
                place=ev.location, geonameid=ev.geonameid, date=day, controller=who,
                previous=cur.controller if cur else "", admin1=ev.admin1, country=ev.country,
                latitude=ev.latitude, longitude=ev.longitude, claim_status=ev.claim_status or "reported",
                event_ids=[eid], reasons=why + (["control:reverses_previous"] if cur else [])))
        out[key] = changes
    return out


def _territorial_events(store) -> list:
    out = []
    for sub in TERRITORY:
        out.extend(store.iter_events(event_type=sub))
    return out


def _fusion_parts(store, event_ids: Iterable[str]) -> dict[str, list]:
    """Each fused event's reports (fusion parts), when the store keeps them."""
    if getattr(store, "connection", None) is None:
        return {}
    from frontlines.fusion.store import FusionStore

    fs = FusionStore(store)
    return {eid: fs.parts_of_event(eid) for eid in event_ids}


#: How an article's date was found when it is only a stand-in (e.g. ``--date`` for reports without one).
GUESSED_DATE_REASONS = ("date:cli", "date:default", "date:api_default")


def undated_articles(store) -> set[str]:
    db = getattr(store, "connection", None)
    if db is None:
        return set()
    marks = ",".join("?" for _ in GUESSED_DATE_REASONS)
    return {r[0] for r in db.execute(f"SELECT article_id FROM articles WHERE date_reason IN ({marks})",
                                     GUESSED_DATE_REASONS)}


def all_timelines(store, *, include_guessed_dates: bool = False, gazetteer=None,
                  skipped: list[tuple[str, str, str]] | None = None) -> dict[str, list[ControlChange]]:
    """Every settlement's timeline. Reports whose publication date was only a stand-in (``--date``
    for undated reports) are left out unless ``include_guessed_dates``."""
    guessed = set() if include_guessed_dates else undated_articles(store)
    events = _territorial_events(store)
    return control_timelines(events, guessed, gazetteer=gazetteer, skipped=skipped,
                             parts=_fusion_parts(store, [e.event_id for e in events]))


@dataclass(slots=True)
class PlaceMatch:
    """What a typed place name resolved to, and its control changes.

    ``status``: ``control:place_resolved`` (one settlement with changes), ``control:region``
    (an admin1 region: the changes of every settlement in it), ``control:no_changes`` (a
    settlement with none recorded), ``control:not_a_settlement`` (a river, region, country...:
    no controller).  ``left_out``: events at the matched place(s) left out, as (event_id, reason)."""

    query: str
    status: str
    places: list = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    changes: list[ControlChange] = field(default_factory=list)
    left_out: list[tuple[str, str]] = field(default_factory=list)


def _split_query(query: str) -> tuple[str, str]:
    """"Balakliia, Kharkiv" -> ("Balakliia", "Kharkiv")."""
    name, _, within = query.partition(",")
    return name.strip(), within.strip()


def _within(place, qualifier: str) -> bool:
    q = _unit_name(qualifier)
    return any(q and q == _unit_name(v) for v in (place.admin1, place.admin2, place.country, place.iso2))


def _unit_name(name: str) -> str:
    """"Kharkiv Oblast", "Kharkiv region", "kharkiv" -> "kharkiv"."""
    return re.sub(r"\s+(?:oblast|region|province|raion|district)$", "", normalize_name(name or ""))


def _readings(gaz, query: str, name: str) -> list:
    """The places ``name`` can be, best first, as the geoparser ranks them with ``query`` as context."""
    from frontlines.geo.geoparse import Geoparser

    start = query.find(name)
    ranked = Geoparser(gaz, candidates=CANDIDATE_LIMIT).explain(query, start, start + len(name))
    return list({place_key(c.place): c.place for c, _score, _why in ranked}.values())


def find_place(store, place: str, *, include_guessed_dates: bool = False, gazetteer=None) -> PlaceMatch:
    """Resolve a typed place (any spelling the gazetteer knows, "Name, Province", or a geonameid)
    and return its control changes.  Raises ControlError E611 when no place has that name, E612
    when it names several settlements that have changes."""
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    skipped: list[tuple[str, str, str]] = []
    lines = all_timelines(store, include_guessed_dates=include_guessed_dates, gazetteer=gaz, skipped=skipped)
    query = (place or "").strip()
    name, within = _split_query(query)
    if not name:
        raise ControlError("E611", query=query)
    if name.isdigit():
        found = gaz.get(int(name))
        readings = [found] if found is not None else []
        if not readings and name in lines:
            return PlaceMatch(query, "control:place_resolved", [], [name], list(lines[name]))
    else:
        readings = _readings(gaz, query, name)
    if within:
        readings = [p for p in readings if _within(p, within)]
    if not readings:
        raise ControlError("E611", query=query)

    def left_out(keys) -> list[tuple[str, str]]:
        return [(eid, why) for eid, key, why in skipped if key in keys]

    hits = [p for p in readings if place_key(p) in lines]
    if len(hits) > 1:
        choices = "; ".join(f"{p.name} ({p.admin1 or p.country}, geonameid {p.geonameid})" for p in hits)
        raise ControlError("E612", query=query, n=len(hits), choices=choices)
    if hits:
        key = place_key(hits[0])
        return PlaceMatch(query, "control:place_resolved", hits, [key], list(lines[key]), left_out({key}))
    top = readings[0]
    if top.feature in REGION_FEATURES:
        unit = _unit_name(top.admin1 or top.name)
        keys = [k for k, ch in lines.items() if ch and _unit_name(ch[0].admin1) == unit
                and (not top.country or ch[0].country in ("", top.country))]
        changes = sorted((c for k in keys for c in lines[k]), key=lambda c: (c.place, c.date))
        return PlaceMatch(query, "control:region", [top], keys, changes)
    key = place_key(top)
    status = "control:no_changes" if top.feature in SETTLEMENT_FEATURES else "control:not_a_settlement"
    return PlaceMatch(query, status, [top], [key], [], left_out({key}))


def timeline(store, place: str, *, include_guessed_dates: bool = False, gazetteer=None) -> list[ControlChange]:
    """The control changes of the settlement ``place`` names (any spelling, "Name, Province", or a
    geonameid); for a region (admin1), the changes of every settlement in it.  [] for a settlement
    with none and for a place that is not a settlement.  Raises ControlError E611/E612."""
    return find_place(store, place, include_guessed_dates=include_guessed_dates, gazetteer=gazetteer).changes


def control_on(store, day: str | dt.date, region: str | None = None, *,
               include_guessed_dates: bool = False, gazetteer=None) -> list[dict[str, Any]]:
    """Settlements with a known controller on ``day``: the last change on or before it."""
    day = day.isoformat() if isinstance(day, dt.date) else str(day)
    reg = (region or "").strip().lower()
    rows = []
    for changes in all_timelines(store, include_guessed_dates=include_guessed_dates, gazetteer=gazetteer).values():
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


def save_control(store, *, gazetteer=None) -> int:
    """Rewrite the ``control_changes`` table from the stored events; returns rows written."""
    from frontlines.fusion.store import FusionStore

    fs = FusionStore(store)
    rows = [c for ch in all_timelines(store, gazetteer=gazetteer).values() for c in ch]
    with fs.transaction() as db:
        db.execute("DELETE FROM control_changes")
        db.executemany(
            "INSERT OR REPLACE INTO control_changes(geonameid, place, admin1, country, latitude, longitude, date,"
            " controller, previous, claim_status, event_ids, reasons) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(c.geonameid, c.place, c.admin1, c.country, c.latitude, c.longitude, c.date, c.controller, c.previous,
              c.claim_status, json.dumps(c.event_ids), json.dumps(c.reasons)) for c in rows])
    return len(rows)
