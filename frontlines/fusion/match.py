"""Blocking and matching: are two reports about the same happening?

Every event is reduced to a *signature*, a plain tuple (fast to build, compare and hash):

    (family, day0, day1, geonameid, lat, lon, admin1, level, loc, side1, sides, gainer,
     target_category, country, article_id)

* ``family`` groups sub-event types that different outlets use for one happening
  (a capture and a withdrawal from the same town are one territorial change; a missile
  strike that kills civilians may be coded as shelling or as an attack on civilians);
* ``day0..day1`` is the span of days (ordinals) the event may have happened on, from its
  date, ``date_end`` and ``time_precision``;
* ``level`` is 1 for a town (or a point near one), 2 for a region, 0 for no place.

``compatible(a, b)`` says whether two signatures may be one happening and why (reason
codes), with a score to pick the best of several candidates.  ``Fuser`` clusters a stream
of signatures in n log n: each is compared only with clusters in its block (family x day
x 0.25-degree cell, or family x day x region), never with everything.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Iterable

from frontlines.events import taxonomy as tx

from .sides import opponent_of, side_of

# ---------------------------------------------------------------------------- families
TERRITORY = ("Government regains territory", "Non-state actor overtakes territory",
             "Non-violent transfer of territory")
_STRIKE = tuple(s.name for s in tx.SUB_EVENT_TYPES if s.event_type == tx.REMOTE) + ("Attack",)


def family_of(sub_event_type: str) -> str:
    if sub_event_type in TERRITORY:
        return "territory"
    if sub_event_type == "Armed clash":
        return "battle"
    if sub_event_type in _STRIKE:
        return "strike"
    st = tx.BY_NAME.get(sub_event_type)
    if st is not None and st.event_type in (tx.PROTESTS, tx.RIOTS):
        return "demonstration"
    return sub_event_type or "?"


#: family -> the sub-event types in it (for SQL candidate queries).
FAMILY_TYPES: dict[str, tuple[str, ...]] = {}
for _s in tx.SUB_EVENT_TYPES:
    FAMILY_TYPES.setdefault(family_of(_s.name), ())
    FAMILY_TYPES[family_of(_s.name)] += (_s.name,)

# ---------------------------------------------------------------------------- signature
F_FAM, F_D0, F_D1, F_GID, F_LAT, F_LON, F_ADM1, F_LEVEL, F_LOC, F_SIDE1, F_SIDES, F_GAIN, F_TCAT, \
    F_COUNTRY, F_ARTICLE = range(15)

CELL = 0.25            # degrees: the blocking grid
NEAR_KM = 10.0         # a "near X" report and a report of X itself may be one place
SAME_NAME_KM = 30.0    # two gazetteer entries with one name this close are one place
DAY_SLACK = 1          # "overnight", time zones, a report dated by its publication day
_REGION_WORDS = re.compile(r"\s+(oblast|region|province|governorate|krai|raion|district)$")


def norm_place(name: str | None) -> str:
    return _REGION_WORDS.sub("", (name or "").strip().lower())


def day_span(event_date: str, date_end: str = "", time_precision: int | None = 1) -> tuple[int, int]:
    """The days (ordinals) an event may have happened on."""
    try:
        d = dt.date.fromisoformat(event_date[:10]).toordinal()
    except (TypeError, ValueError):
        return (0, 0)
    try:
        e = dt.date.fromisoformat(date_end[:10]).toordinal() if date_end else d
    except ValueError:
        e = d
    p = time_precision or 1
    if p >= 3:
        return (d - 15, max(e, d + 15))
    if p == 2:
        return (d - 1, max(e, d + 1))
    return (d, max(e, d))


def level_of(ev) -> int:
    if ev.geonameid is None and ev.latitude is None and not ev.location:
        return 0
    # a city may share its name with its province (Kharkiv, Kherson): only the precision tells
    if (ev.geo_precision or 1) >= 3:
        return 2
    return 1


def sides_of(ev) -> tuple[str, frozenset[str], str]:
    """(side of actor1, belligerent sides of both actors, the side that gains territory)."""
    s1 = side_of(ev.actor1)
    s2 = side_of(ev.actor2)
    sides = frozenset(s for s in (s1, s2) if s and s != "independent")
    gain = ""
    if ev.sub_event_type in TERRITORY:
        if ev.sub_event_type == "Non-violent transfer of territory":
            gain = s2 if s2 and s2 != s1 else opponent_of(s1)
        else:
            gain = s1
    return s1, sides, gain


def signature(ev, article_id: str | None = None) -> tuple:
    """The matching signature of an Event (or anything with the same attributes)."""
    d0, d1 = day_span(ev.event_date, getattr(ev, "date_end", ""), ev.time_precision)
    s1, sides, gain = sides_of(ev)
    if article_id is None:
        article_id = ev.article_ids[0] if ev.article_ids else ""
    return (family_of(ev.sub_event_type), d0, d1, ev.geonameid, ev.latitude, ev.longitude,
            norm_place(ev.admin1), level_of(ev), norm_place(ev.location), s1, sides, gain,
            ev.target_category or "", ev.country or "", article_id)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance, ample for a few tens of km."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


# ---------------------------------------------------------------------------- matching
def compatible(a: tuple, b: tuple, near_km: float = NEAR_KM) -> tuple[int, list[str]]:
    """Score (> 0: may be one happening) and the reason codes.  A score of 0 comes with
    the ``nofuse:`` code of the first test that failed."""
    if a[F_FAM] != b[F_FAM]:
        return 0, ["nofuse:different_type"]
    if a[F_D0] > b[F_D1] + DAY_SLACK or b[F_D0] > a[F_D1] + DAY_SLACK:
        return 0, ["nofuse:different_dates"]
    score = 0
    reasons = ["fuse:same_type"]
    if a[F_D0] == b[F_D0] and a[F_D1] == b[F_D1]:
        score += 2
        reasons.append("fuse:same_day" if a[F_D0] == a[F_D1] else "fuse:same_dates")
    else:
        score += 1
        reasons.append("fuse:dates_overlap")
    # -- place
    la, lb = a[F_LEVEL], b[F_LEVEL]
    if la == 0 or lb == 0:
        if la != lb or a[F_COUNTRY] != b[F_COUNTRY] or a[F_D0] != b[F_D0] or not a[F_SIDE1] \
                or a[F_SIDE1] != b[F_SIDE1] or a[F_TCAT] != b[F_TCAT]:
            return 0, ["nofuse:different_place"]
        reasons.append("fuse:both_unplaced_same_actor_target")
    elif a[F_GID] is not None and a[F_GID] == b[F_GID]:
        score += 3
        reasons.append("fuse:same_place")
    elif la == 1 and lb == 1:
        if a[F_LAT] is None or b[F_LAT] is None:
            return 0, ["nofuse:different_place"]
        dist = km(a[F_LAT], a[F_LON], b[F_LAT], b[F_LON])
        if a[F_LOC] and a[F_LOC] == b[F_LOC] and dist <= SAME_NAME_KM:
            score += 2
            reasons.append("fuse:same_place_name")
        elif dist <= near_km and a[F_FAM] != "territory":
            score += 1
            reasons.append(f"fuse:place_within_{near_km:g}km")
        else:
            return 0, ["nofuse:different_place"]
    elif la == 2 and lb == 2:
        if a[F_ADM1] and a[F_ADM1] == b[F_ADM1]:
            score += 2
            reasons.append("fuse:same_region")
        else:
            return 0, ["nofuse:different_place"]
    else:
        region, point = (a, b) if la == 2 else (b, a)
        if region[F_LOC] and region[F_LOC] in (point[F_ADM1], point[F_LOC]) or \
                (region[F_ADM1] and region[F_ADM1] == point[F_ADM1] and region[F_LOC] == region[F_ADM1]):
            score += 1
            reasons.append("fuse:place_inside_region")
        else:
            return 0, ["nofuse:different_place"]
    # -- actors
    if a[F_FAM] == "territory":
        if a[F_GAIN] and b[F_GAIN] and a[F_GAIN] != b[F_GAIN]:
            return 0, ["nofuse:different_gainer"]
        if a[F_GAIN] and a[F_GAIN] == b[F_GAIN]:
            score += 1
            reasons.append("fuse:same_side_gains")
        else:
            reasons.append("fuse:actors_unknown")
    elif a[F_FAM] == "battle":
        if a[F_SIDES] and b[F_SIDES] and not (a[F_SIDES] & b[F_SIDES]):
            return 0, ["nofuse:different_actors"]
        if a[F_SIDES] and b[F_SIDES]:
            score += 1
            reasons.append("fuse:same_sides")
        else:
            reasons.append("fuse:actors_unknown")
    else:
        if a[F_SIDE1] and b[F_SIDE1] and a[F_SIDE1] != b[F_SIDE1]:
            return 0, ["nofuse:different_actors"]
        if a[F_SIDE1] and a[F_SIDE1] == b[F_SIDE1]:
            score += 1
            reasons.append("fuse:same_actor_side")
        else:
            reasons.append("fuse:actors_unknown")
    # -- what was hit
    if a[F_TCAT] and b[F_TCAT]:
        if a[F_TCAT] != b[F_TCAT] and "civilians" not in (a[F_TCAT], b[F_TCAT]):
            return 0, ["nofuse:different_target"]
        if a[F_TCAT] == b[F_TCAT]:
            score += 1
            reasons.append("fuse:same_target")
    return score, reasons


def primary_key(sig: tuple, geo_precision: int | None, time_precision: int | None, confidence: float,
                order: int) -> tuple:
    """Sort key of the part whose place and date a fused event takes: a town before a
    region before nothing, then the finer place, the finer date, the surer coding, the first."""
    level_rank = {1: 0, 2: 1, 0: 2}[sig[F_LEVEL]]
    return (level_rank, geo_precision or 9, time_precision or 9, -confidence, order)


# ---------------------------------------------------------------------------- clustering
def block_keys(sig: tuple) -> tuple[list[tuple], list[tuple]]:
    """(keys a cluster with this signature registers under, keys to look candidates up in).
    Day-less: the caller crosses them with days."""
    fam, level = sig[F_FAM], sig[F_LEVEL]
    adm = sig[F_ADM1]
    if level == 1 and sig[F_LAT] is not None:
        cx, cy = int(math.floor(sig[F_LAT] / CELL)), int(math.floor(sig[F_LON] / CELL))
        reg = [("c", fam, cx, cy)]
        if adm:
            reg.append(("p", fam, adm))
        look = [("c", fam, cx + i, cy + j) for i in (-1, 0, 1) for j in (-1, 0, 1)]
        look += [("r", fam, adm), ("r", fam, sig[F_LOC])] if adm else [("r", fam, sig[F_LOC])]
        return reg, look
    if level == 1:     # a town without coordinates: its id and name are all there is
        reg = [("g", fam, sig[F_GID]), ("p", fam, adm)]
        return reg, [("g", fam, sig[F_GID]), ("r", fam, adm)]
    if level == 2:
        keys = {adm, sig[F_LOC]} - {""}
        reg = [("r", fam, k) for k in keys]
        look = [("r", fam, k) for k in keys] + [("p", fam, k) for k in keys]
        return reg, look
    reg = [("n", fam, sig[F_COUNTRY])]
    return reg, reg


class Fuser:
    """Incremental leader clustering of signatures, blocked by family, day and place.

    ``add(sig, key)`` compares ``sig`` with the representatives of the clusters in its
    blocks and joins the best compatible one (a cluster never takes two parts of one
    article), else starts a new cluster.  The representative is the signature of the
    cluster's primary part (best place, then best date).  Cost per add: the number of
    clusters in a few blocks of a few days, so n adds are O(n log n) overall (the log from
    dict growth; blocks stay small however large n gets).
    """

    __slots__ = ("index", "reps", "rep_keys", "articles", "members", "comparisons")

    def __init__(self) -> None:
        self.index: dict[tuple, list[int]] = {}
        self.reps: list[tuple] = []           # cluster -> representative signature
        self.rep_keys: list[tuple] = []       # cluster -> primary key of the representative
        self.articles: list[set] = []         # cluster -> article ids in it
        self.members: list[list] = []         # cluster -> member keys
        self.comparisons = 0

    def _register(self, cid: int, sig: tuple) -> None:
        reg, _look = block_keys(sig)
        index = self.index
        for day in range(sig[F_D0], sig[F_D1] + 1):
            for k in reg:
                bucket = index.get((k, day))
                if bucket is None:
                    index[(k, day)] = [cid]
                elif bucket[-1] != cid:
                    bucket.append(cid)

    def candidates(self, sig: tuple) -> list[int]:
        _reg, look = block_keys(sig)
        index = self.index
        seen: set[int] = set()
        out: list[int] = []
        for day in range(sig[F_D0] - DAY_SLACK, sig[F_D1] + DAY_SLACK + 1):
            for k in look:
                bucket = index.get((k, day))
                if bucket:
                    for cid in bucket:
                        if cid not in seen:
                            seen.add(cid)
                            out.append(cid)
        return out

    def best(self, sig: tuple, forbidden=None) -> tuple[int, int, list[str]]:
        """(cluster id or -1, score, reasons) of the best compatible cluster; ties go to
        the oldest cluster.  ``forbidden(cid)`` may veto a cluster (an undone merge)."""
        best_cid, best_score, best_reasons = -1, 0, []
        art = sig[F_ARTICLE]
        for cid in self.candidates(sig):
            if art and art in self.articles[cid]:
                continue
            if forbidden is not None and forbidden(cid):
                continue
            self.comparisons += 1
            score, reasons = compatible(self.reps[cid], sig)
            if score > best_score or (score and score == best_score and cid < best_cid):
                best_cid, best_score, best_reasons = cid, score, reasons
        return best_cid, best_score, best_reasons

    def new(self, sig: tuple, key=None, prim: tuple = (0,)) -> int:
        cid = len(self.reps)
        self.reps.append(sig)
        self.rep_keys.append(prim)
        self.articles.append({sig[F_ARTICLE]})
        self.members.append([key])
        self._register(cid, sig)
        return cid

    def join(self, cid: int, sig: tuple, key=None) -> None:
        self.articles[cid].add(sig[F_ARTICLE])
        self.members[cid].append(key)

    def set_rep(self, cid: int, sig: tuple, prim: tuple = (0,)) -> None:
        """Make ``sig`` the cluster's representative (registered in its blocks too)."""
        if sig != self.reps[cid]:
            self.reps[cid] = sig
            self._register(cid, sig)
        self.rep_keys[cid] = prim

    def add(self, sig: tuple, key=None, prim: tuple | None = None) -> tuple[int, list[str]]:
        """Cluster one signature; the representative is the member with the smallest
        ``prim`` key.  Returns (cluster id, reasons: empty for a new cluster)."""
        if prim is None:
            prim = (0,)
        cid, _score, reasons = self.best(sig)
        if cid < 0:
            return self.new(sig, key, prim), []
        self.join(cid, sig, key)
        if prim < self.rep_keys[cid]:
            self.set_rep(cid, sig, prim)
        return cid, reasons


def cluster(sigs: Iterable[tuple]) -> list[list[int]]:
    """Cluster signatures given in order; returns clusters of input positions."""
    f = Fuser()
    for i, s in enumerate(sigs):
        f.add(s, i)
    return f.members
