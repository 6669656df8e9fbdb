"""Read-side queries over a SQLite store, fast enough for an interactive map at a million events.

``EventIndex`` loads the columns that filters, sorting, maps and charts need (date, point,
type, place, actors, claim, sources, fatalities) into NumPy arrays, once, in (event_date,
event_id) order.  A filter is then a boolean mask (a few milliseconds over 1M rows), a map is a
``bincount`` over the grid cells of the view, a chart a ``bincount`` over days.  Full records
are read back from SQLite by rowid, a page at a time.  Nothing here writes to the database.

Public API::

    Filters(...)                                 # what a query asks for (all optional)
    EventIndex.load(connection) -> EventIndex    # one read of the events table
    index.select(filters) -> np.ndarray          # positions of the matching events, in date order
    index.page(filters, sort=..., cursor=..., limit=...) -> Page
    index.grid(filters, bbox, zoom, ...) -> dict # clusters or points for a map view
    index.histogram(filters) -> dict             # events per day and type (for a time brush)
    index.stats(filters) -> dict                 # counts and fatalities by day, type, admin1, country
    fetch_events(connection, rowids) -> list[Event]
    fetch_text(connection) -> (text, starts)    # notes and evidence, folded, for ``q``

``QueryError`` carries a message fit to show a user (an HTTP 400).
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import logging
import math
import sqlite3
import threading
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np

from frontlines.records import Event

log = logging.getLogger(__name__)

EPOCH = dt.date(1970, 1, 1)
NO_DATE = np.iinfo(np.int32).min
CELL_PX = 48              # a map cluster gathers the events of a cell this many pixels wide
KEYED_ZOOM = 9            # every event's cell is kept for zooms up to this one
DENSE_CELLS = 1 << 20     # map cells counted on a dense grid up to this many
FEW_POINTS = 150          # this many events in view are shown as points at any zoom
POINTS_ZOOM = 8           # from this zoom on, up to max_points events are shown as points
SORTS = ("event_date", "-event_date", "fatalities", "-fatalities")
_SQL_VARS = 500


def _isin(column: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``np.isin`` for a few codes: one comparison per code beats a sort."""
    if codes.size == 0:
        return np.zeros(column.shape, dtype=bool)
    if codes.size <= 8:
        out = column == codes[0]
        for c in codes[1:]:
            out |= column == c
        return out
    return np.isin(column, codes)


class QueryError(ValueError):
    """A query that cannot be answered as asked; the message says why (shown to the user)."""


def day_number(value: str | dt.date) -> int:
    """Days since 1970-01-01 of an ISO date; QueryError for anything else."""
    if isinstance(value, dt.date):
        return (value - EPOCH).days
    text = str(value).strip()
    try:
        return (dt.date.fromisoformat(text[:10]) - EPOCH).days if len(text) >= 10 else _bad_date(text)
    except ValueError:
        return _bad_date(text)


def _bad_date(text: str) -> int:
    raise QueryError(f"{text[:40]!r} is not a date in the form YYYY-MM-DD")


def day_text(n: int) -> str:
    return (EPOCH + dt.timedelta(days=int(n))).isoformat()


def _cell_of(mx: np.ndarray, my: np.ndarray, side: int) -> np.ndarray:
    """The cell number (column * side + row) of Web Mercator points on a side x side grid."""
    ix = np.minimum((mx * side).astype(np.int64), side - 1)
    iy = np.clip((my * side).astype(np.int64), 0, side - 1)
    return ix * side + iy


def mercator(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator x, y in [0, 1] (y grows southwards, as map tiles do)."""
    x = (lon + 180.0) / 360.0
    la = np.clip(lat, -85.05112878, 85.05112878)
    s = np.sin(np.radians(la))
    y = 0.5 - np.log((1 + s) / (1 - s)) / (4 * math.pi)
    return x, y


@dataclass(slots=True)
class Filters:
    """What a query asks for; every field optional.  Text fields match case-insensitively:
    ``country``, ``admin1``, ``event_type``, ``sub_event_type`` and ``claim_status`` exactly (one
    value or several), ``actor`` and ``claimed_by`` as a part of the name.  ``bbox`` is (west,
    south, east, north) in degrees; ``q`` is text searched for in notes and evidence."""

    since: str | None = None
    until: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    country: Sequence[str] = ()
    admin1: Sequence[str] = ()
    event_type: Sequence[str] = ()
    sub_event_type: Sequence[str] = ()
    actor: str | None = None
    claimed_by: str | None = None
    claim_status: Sequence[str] = ()
    min_sources: int | None = None
    q: str | None = None

    def without_dates(self) -> "Filters":
        copy = Filters(**{f: getattr(self, f) for f in self.__slots__})
        copy.since = copy.until = None
        return copy


@dataclass(slots=True)
class Page:
    rowids: list[int]
    total: int
    next_cursor: str | None


class _Codes:
    """A categorical column: value -> small int code (0 is the empty value)."""

    __slots__ = ("values", "lookup")

    def __init__(self) -> None:
        self.values: list[str] = [""]
        self.lookup: dict[str, int] = {"": 0}

    def code(self, value: str | None) -> int:
        v = value or ""
        c = self.lookup.get(v)
        if c is None:
            c = self.lookup[v] = len(self.values)
            self.values.append(v)
        return c

    def exact(self, wanted: Iterable[str]) -> np.ndarray:
        folded = {w.strip().casefold() for w in wanted if w and w.strip()}
        return np.array([c for c, v in enumerate(self.values) if v and v.casefold() in folded], dtype=np.int32)

    def containing(self, part: str) -> np.ndarray:
        p = part.strip().casefold()
        return np.array([c for c, v in enumerate(self.values) if v and p in v.casefold()], dtype=np.int32)


_LOAD_SQL = """
SELECT e.rowid, e.event_id, e.event_date, e.latitude, e.longitude, e.event_type, e.sub_event_type, e.country,
       e.admin1, e.claim_status, e.actor1, e.actor2, e.assoc_actor_1, e.assoc_actor_2, e.claimed_by,
       e.fatalities, e.source, {n_sources}
FROM events e {join}
ORDER BY e.event_date, e.event_id
"""


def _tables(db: sqlite3.Connection) -> set[str]:
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _n_sources(source: str | None) -> int:
    return max(1, len({s.strip().casefold() for s in (source or "").split(";") if s.strip()}))


def _number(v: Any) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return math.nan
    return f if math.isfinite(f) else math.nan


class EventIndex:
    """The columns of every stored event, in (event_date, event_id) order, as NumPy arrays."""

    def __init__(self) -> None:
        self.size = 0
        self.generation: Any = None
        self._text: tuple[str, np.ndarray] | None = None
        self._text_lock = threading.Lock()
        self._keys: dict[int, np.ndarray] = {}

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, db: sqlite3.Connection, *, lock: threading.RLock | None = None) -> "EventIndex":
        """Read the events table once (a million events take a few seconds)."""
        self = cls()
        lock = lock or threading.RLock()
        with lock:
            fusion = "fusion_events" in _tables(db)
            sql = _LOAD_SQL.format(
                n_sources="f.n_sources" if fusion else "NULL",
                join="LEFT JOIN fusion_events f ON f.event_id = e.event_id" if fusion else "")
            rows = db.execute(sql).fetchall()
        n = self.size = len(rows)
        self.types, self.subs, self.countries = _Codes(), _Codes(), _Codes()
        self.admin1s, self.claims, self.actors = _Codes(), _Codes(), _Codes()
        cols = list(zip(*rows)) if rows else [()] * 18
        self.rowid = np.fromiter(cols[0], dtype=np.int64, count=n)
        self.event_id = np.array(cols[1], dtype=str) if n else np.array([], dtype="<U1")
        dates = np.full(n, NO_DATE, dtype=np.int32)
        cache: dict[str, int] = {}
        for i, d in enumerate(cols[2]):
            if d:
                day = cache.get(d)
                if day is None:
                    try:
                        day = (dt.date.fromisoformat(str(d)[:10]) - EPOCH).days
                    except ValueError:
                        day = NO_DATE
                    cache[d] = day
                dates[i] = day
        self.day = dates
        self.lat = np.fromiter((_number(v) for v in cols[3]), dtype=np.float64, count=n)
        self.lon = np.fromiter((_number(v) for v in cols[4]), dtype=np.float64, count=n)
        bad = ~((np.abs(self.lat) <= 90) & (np.abs(self.lon) <= 180))
        self.lat[bad] = np.nan
        self.lon[bad] = np.nan
        self.has_point = ~np.isnan(self.lat)
        self.mx, self.my = mercator(np.nan_to_num(self.lat), np.nan_to_num(self.lon))
        self.type = np.fromiter((self.types.code(v) for v in cols[5]), dtype=np.int32, count=n)
        self.sub = np.fromiter((self.subs.code(v) for v in cols[6]), dtype=np.int32, count=n)
        self.country = np.fromiter((self.countries.code(v) for v in cols[7]), dtype=np.int32, count=n)
        self.admin1 = np.fromiter((self.admin1s.code(v) for v in cols[8]), dtype=np.int32, count=n)
        self.claim = np.fromiter((self.claims.code(v) for v in cols[9]), dtype=np.int32, count=n)
        self.actor_cols = [np.fromiter((self.actors.code(v) for v in cols[k]), dtype=np.int32, count=n)
                           for k in (10, 11, 12, 13)]
        self.claimant = np.fromiter((self.actors.code(v) for v in cols[14]), dtype=np.int32, count=n)
        self.fatalities = np.fromiter((int(v or 0) if str(v or 0).lstrip("-").isdigit() else 0 for v in cols[15]),
                                      dtype=np.int64, count=n)
        self.sources = np.fromiter((int(ns) if ns else _n_sources(src) for src, ns in zip(cols[16], cols[17])),
                                   dtype=np.int32, count=n)
        if n > 1 and bool(np.any(np.diff(self.day) < 0)):      # a date SQLite sorted as text but is no ISO date
            self._permute(np.lexsort((self.event_id, self.day)))
        # the day of the first and last dated event (for charts)
        dated = self.day[self.day != NO_DATE]
        self.first_day = int(dated.min()) if dated.size else None
        self.last_day = int(dated.max()) if dated.size else None
        log.debug("event index: %d events, %d types, %d actors", n, len(self.types.values), len(self.actors.values))
        return self

    def _permute(self, order: np.ndarray) -> None:
        for name in ("rowid", "event_id", "day", "lat", "lon", "has_point", "mx", "my", "type", "sub", "country",
                     "admin1", "claim", "claimant", "fatalities", "sources"):
            setattr(self, name, getattr(self, name)[order])
        self.actor_cols = [c[order] for c in self.actor_cols]

    # ------------------------------------------------------------------ filtering
    def window(self, f: Filters) -> tuple[int, int]:
        """The slice of the index that the date filters allow: events are in date order, so a
        date window is a binary search, and the other filters only look inside it."""
        lo, hi = 0, self.size
        if f.since:
            lo = int(np.searchsorted(self.day, day_number(f.since), side="left"))
        elif f.until:
            lo = int(np.searchsorted(self.day, NO_DATE, side="right"))     # undated events have no place
        if f.until:
            hi = int(np.searchsorted(self.day, day_number(f.until), side="right"))
        return lo, max(lo, hi)

    def select(self, f: Filters, *, text_source: "TextSource | None" = None, points_only: bool = False) -> np.ndarray:
        """Positions (in index order) of the events that match every filter."""
        lo, hi = self.window(f)
        sl = slice(lo, hi)
        m = np.ones(hi - lo, dtype=bool)
        if points_only:
            m &= self.has_point[sl]
        if f.bbox:
            west, south, east, north = f.bbox
            lat, lon = self.lat[sl], self.lon[sl]
            m &= (lat >= south) & (lat <= north)
            if west <= east:
                m &= (lon >= west) & (lon <= east)
            else:                                   # a box across the antimeridian
                m &= (lon >= west) | (lon <= east)
        for wanted, codes, column in ((f.country, self.countries, self.country), (f.admin1, self.admin1s, self.admin1),
                                      (f.event_type, self.types, self.type), (f.sub_event_type, self.subs, self.sub),
                                      (f.claim_status, self.claims, self.claim)):
            if wanted:
                m &= _isin(column[sl], codes.exact(wanted))
        if f.actor and f.actor.strip():
            codes = self.actors.containing(f.actor)
            hit = np.zeros(hi - lo, dtype=bool)
            for column in self.actor_cols:
                hit |= _isin(column[sl], codes)
            m &= hit
        if f.claimed_by and f.claimed_by.strip():
            m &= _isin(self.claimant[sl], self.actors.containing(f.claimed_by))
        if f.min_sources is not None:
            m &= self.sources[sl] >= int(f.min_sources)
        if f.q and f.q.strip():
            if text_source is None:
                raise QueryError("full-text search (q) is not available here")
            m &= self._text_mask(f.q, text_source)[sl]
        return lo + np.flatnonzero(m)

    def mask(self, f: Filters, *, text_source: "TextSource | None" = None) -> np.ndarray:
        """The matching events as a boolean array over the whole index."""
        m = np.zeros(self.size, dtype=bool)
        m[self.select(f, text_source=text_source)] = True
        return m

    def _text_mask(self, query: str, source: "TextSource") -> np.ndarray:
        """Events whose notes or evidence contain every word of ``query`` (case-insensitive)."""
        with self._text_lock:
            if self._text is None:
                self._text = source.load(self)
        text, starts = self._text
        m = np.ones(self.size, dtype=bool)
        for word in query.casefold().split()[:8]:
            hits = []
            pos = text.find(word)
            while pos != -1:
                hits.append(pos)
                pos = text.find(word, pos + 1)
            rows = np.zeros(self.size, dtype=bool)
            if hits:
                rows[np.searchsorted(starts, np.array(hits, dtype=np.int64), side="right") - 1] = True
            m &= rows
        return m

    # ------------------------------------------------------------------ pages
    def position(self, day: int, event_id: str, side: str) -> int:
        """Where (day, event_id) stands in the index order (as ``bisect`` would say)."""
        lo = int(np.searchsorted(self.day, day, side="left"))
        hi = int(np.searchsorted(self.day, day, side="right"))
        return lo + int(np.searchsorted(self.event_id[lo:hi], event_id, side=side))

    def page(self, f: Filters, *, sort: str = "-event_date", cursor: str | None = None, limit: int = 100,
             text_source: "TextSource | None" = None) -> Page:
        if sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}")
        hits = self.select(f, text_source=text_source)
        total = int(hits.size)
        descending = sort.startswith("-")
        by_fatalities = sort.endswith("fatalities")
        if cursor:
            c = decode_cursor(cursor, sort)
            if by_fatalities:
                k = int(c["k"])
                fat = self.fatalities[hits]
                if descending:
                    keep = (fat < k) | ((fat == k) & (hits < self.position(c["d"], c["i"], "left")))
                else:
                    keep = (fat > k) | ((fat == k) & (hits >= self.position(c["d"], c["i"], "right")))
                hits = hits[keep]
            elif descending:
                hits = hits[:int(np.searchsorted(hits, self.position(c["d"], c["i"], "left")))]
            else:
                hits = hits[int(np.searchsorted(hits, self.position(c["d"], c["i"], "right"))):]
        if by_fatalities and hits.size:
            # one key: fatalities, then the index position (date, id); the top `limit` by partition
            comp = np.clip(self.fatalities[hits], 0, 1 << 30) * (self.size + 1) + hits
            if descending:
                comp = -comp
            k = min(limit, hits.size)
            top = np.argpartition(comp, k - 1)[:k] if k < hits.size else np.arange(hits.size)
            chosen = hits[top[np.argsort(comp[top], kind="stable")]]
        elif by_fatalities:
            chosen = hits
        else:
            chosen = hits[::-1][:limit] if descending else hits[:limit]
        more = len(hits) > limit
        next_cursor = None
        if more and len(chosen):
            last = int(chosen[-1])
            next_cursor = encode_cursor(sort, int(self.day[last]), str(self.event_id[last]),
                                        int(self.fatalities[last]) if by_fatalities else None)
        return Page([int(r) for r in self.rowid[chosen]], total, next_cursor)

    # ------------------------------------------------------------------ map
    def grid(self, f: Filters, bbox: tuple[float, float, float, float], zoom: int, *, cell_px: int = CELL_PX,
             max_points: int = 2000, text_source: "TextSource | None" = None) -> dict[str, Any]:
        """The events in view: every point when they are few (``FEW_POINTS``), or at most
        ``max_points`` at zoom ``POINTS_ZOOM`` or closer, or the map is zoomed in past 12; else one cluster per grid cell of ``cell_px`` screen pixels, with its
        count, fatalities, centroid and count by type."""
        g = Filters(**{k: getattr(f, k) for k in f.__slots__})
        g.bbox = bbox
        hits = self.select(g, text_source=text_source, points_only=True)
        total = int(hits.size)
        if zoom >= 13 or total <= FEW_POINTS or (zoom >= POINTS_ZOOM and total <= max_points):
            chosen = hits[:max_points * 2] if zoom >= 13 else hits
            return {"mode": "points", "total": total, "truncated": total > len(chosen),
                    "types": self.types.values, "points": [
                        [str(self.event_id[i]), round(float(self.lat[i]), 5), round(float(self.lon[i]), 5),
                         int(self.type[i]), int(self.fatalities[i]), int(self.day[i]) if self.day[i] != NO_DATE else None,
                         self.claims.values[int(self.claim[i])]]
                        for i in chosen]}
        side = -(-256 * 2 ** zoom // cell_px)          # cells across the world at this zoom
        key = self._cell_keys(zoom, cell_px)
        key = key[hits] if key is not None else _cell_of(self.mx[hits], self.my[hits], side)
        n_cells = side * side
        if n_cells <= DENSE_CELLS:                     # a small dense grid: no sort
            per_cell = np.bincount(key, minlength=n_cells)
            cells = np.flatnonzero(per_cell)
            remap = np.zeros(n_cells, dtype=np.int64)
            remap[cells] = np.arange(cells.size)
            inverse, counts = remap[key], per_cell[cells]
        else:
            cells, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
        n = cells.size
        lat = np.bincount(inverse, weights=self.lat[hits], minlength=n) / counts
        lon = np.bincount(inverse, weights=self.lon[hits], minlength=n) / counts
        fat = np.bincount(inverse, weights=self.fatalities[hits], minlength=n)
        nt = len(self.types.values)
        by_type = np.bincount(inverse * nt + self.type[hits], minlength=n * nt).reshape(n, nt)
        clusters = []
        for j in range(n):
            row = by_type[j]
            clusters.append([round(float(lat[j]), 5), round(float(lon[j]), 5), int(counts[j]), int(fat[j]),
                             {str(t): int(row[t]) for t in np.flatnonzero(row)}])
        return {"mode": "clusters", "total": total, "types": self.types.values, "clusters": clusters}

    def _cell_keys(self, zoom: int, cell_px: int) -> np.ndarray | None:
        """Every event's map cell at this zoom (cells of ``cell_px`` pixels on a grid fixed to the
        world, so clusters stay put while the map pans), kept for zooms up to KEYED_ZOOM."""
        if zoom > KEYED_ZOOM or cell_px != CELL_PX:
            return None
        keys = self._keys.get(zoom)
        if keys is None:
            keys = self._keys[zoom] = _cell_of(self.mx, self.my, -(-256 * 2 ** zoom // cell_px))
        return keys

    # ------------------------------------------------------------------ charts
    def histogram(self, f: Filters, *, text_source: "TextSource | None" = None) -> dict[str, Any]:
        """Events per day and type over the whole time range (the date filters are not applied,
        so the brush can move anywhere)."""
        hits = self.select(f.without_dates(), text_source=text_source)
        hits = hits[self.day[hits] != NO_DATE]
        if not hits.size:
            return {"first": None, "last": None, "types": self.types.values, "days": []}
        days = self.day[hits]
        first, last = int(days.min()), int(days.max())
        span = last - first + 1
        nt = len(self.types.values)
        table = np.bincount((days - first).astype(np.int64) * nt + self.type[hits], minlength=span * nt)
        table = table.reshape(span, nt)
        return {"first": day_text(first), "last": day_text(last), "types": self.types.values,
                "days": [[day_text(first + d), {str(t): int(table[d, t]) for t in np.flatnonzero(table[d])}]
                         for d in np.flatnonzero(table.sum(axis=1))]}

    def stats(self, f: Filters, *, text_source: "TextSource | None" = None, top: int = 50) -> dict[str, Any]:
        """Counts and fatalities in total, by day, by type, by admin1 and by country."""
        hits = self.select(f, text_source=text_source)
        fat = self.fatalities[hits]

        def grouped(column: np.ndarray, names: list[str]) -> list[dict[str, Any]]:
            codes = column[hits]
            counts = np.bincount(codes, minlength=len(names))
            deaths = np.bincount(codes, weights=fat, minlength=len(names))
            order = np.argsort(-counts, kind="stable")
            return [{"name": names[c], "events": int(counts[c]), "fatalities": int(deaths[c])}
                    for c in order[:top] if counts[c]]

        dated = hits[self.day[hits] != NO_DATE]
        by_day: list[dict[str, Any]] = []
        if dated.size:
            days = self.day[dated]
            first = int(days.min())
            counts = np.bincount(days - first)
            deaths = np.bincount(days - first, weights=self.fatalities[dated])
            by_day = [{"date": day_text(first + d), "events": int(counts[d]), "fatalities": int(deaths[d])}
                      for d in np.flatnonzero(counts)]
        return {"events": int(hits.size), "fatalities": int(fat.sum()),
                "by_day": by_day, "by_type": grouped(self.type, self.types.values),
                "by_sub_event_type": grouped(self.sub, self.subs.values),
                "by_admin1": grouped(self.admin1, self.admin1s.values),
                "by_country": grouped(self.country, self.countries.values)}


class TextSource:
    """Where an index finds the text that ``q`` searches: notes and evidence sentences, read
    once, folded to lower case, into one string with each event's start offset."""

    def __init__(self, db: sqlite3.Connection, lock: threading.RLock | None = None) -> None:
        self.db = db
        self.lock = lock or threading.RLock()

    def load(self, index: EventIndex) -> tuple[str, np.ndarray]:
        return fetch_text(self.db, index, lock=self.lock)


def fetch_text(db: sqlite3.Connection, index: EventIndex, *, lock: threading.RLock | None = None
               ) -> tuple[str, np.ndarray]:
    lock = lock or threading.RLock()
    with lock:
        rows = db.execute("SELECT rowid, notes, evidence FROM events").fetchall()
    by_rowid: dict[int, str] = {}
    for rowid, notes, evidence in rows:
        parts = [notes or ""]
        try:
            parts += [str(e.get("sentence", "")) for e in json.loads(evidence or "[]") if isinstance(e, dict)]
        except (ValueError, TypeError):
            pass
        by_rowid[rowid] = " \x00".join(parts).casefold()
    pieces, starts, at = [], np.zeros(index.size, dtype=np.int64), 0
    for i, rowid in enumerate(index.rowid):
        starts[i] = at
        piece = by_rowid.get(int(rowid), "") + "\x01"
        pieces.append(piece)
        at += len(piece)
    return "".join(pieces), starts


# ---------------------------------------------------------------------- cursors
def encode_cursor(sort: str, day: int, event_id: str, key: int | None) -> str:
    data = {"s": sort, "d": day, "i": event_id}
    if key is not None:
        data["k"] = key
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> dict[str, Any]:
    """The cursor's fields; QueryError when it is not one this API made for this sort."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        ok = (isinstance(data, dict) and data.get("s") == sort and isinstance(data.get("d"), int)
              and isinstance(data.get("i"), str) and (not sort.endswith("fatalities") or isinstance(data.get("k"), int)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        ok = False
    if not ok:
        raise QueryError("cursor is not valid for this query (take next_cursor from the previous page, "
                         "with the same sort)")
    return data


# ---------------------------------------------------------------------- records
def fetch_events(db: sqlite3.Connection, rowids: Sequence[int], *, lock: threading.RLock | None = None
                 ) -> list[Event]:
    """The stored events with these rowids, in the order given."""
    from .sqlite import SQLiteStore

    lock = lock or threading.RLock()
    found: dict[int, Event] = {}
    ids = list(rowids)
    with lock:
        for i in range(0, len(ids), _SQL_VARS):
            chunk = ids[i:i + _SQL_VARS]
            marks = ",".join("?" * len(chunk))
            for row in db.execute(f"SELECT rowid AS _rowid, * FROM events WHERE rowid IN ({marks})", chunk):
                found[row["_rowid"]] = SQLiteStore._row_to_event(row)
    return [found[r] for r in ids if r in found]


@dataclass(slots=True)
class EventDetail:
    """An event with what lies behind it, for ``GET /api/events/{id}``."""

    event: Event
    sources: list[dict[str, Any]] = field(default_factory=list)
    fusion: dict[str, Any] | None = None
    parts: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)


def event_detail(db: sqlite3.Connection, event: Event, *, lock: threading.RLock | None = None) -> EventDetail:
    """The event's articles (outlet, title, url, date, and which newer version replaced any),
    and, where fusion keeps them, its parts, claims, links and merge history."""
    lock = lock or threading.RLock()
    out = EventDetail(event)
    with lock:
        tables = _tables(db)
        ids = list(dict.fromkeys(event.article_ids))
        for i in range(0, len(ids), _SQL_VARS):
            chunk = ids[i:i + _SQL_VARS]
            marks = ",".join("?" * len(chunk))
            for r in db.execute("SELECT article_id, source, title, url, date, superseded_by FROM articles "
                                f"WHERE article_id IN ({marks})", chunk):
                out.sources.append(dict(r))
        out.sources.sort(key=lambda s: ids.index(s["article_id"]))
        if "fusion_events" in tables:
            row = db.execute("SELECT * FROM fusion_events WHERE event_id=?", (event.event_id,)).fetchone()
            out.fusion = dict(row) if row else None
            for r in db.execute("SELECT part_id, article_id, seq, record, superseded_by FROM fusion_parts "
                                "WHERE event_id=? ORDER BY seq", (event.event_id,)):
                try:
                    rec = json.loads(r["record"])
                except ValueError:
                    rec = {}
                out.parts.append({"part_id": r["part_id"], "article_id": r["article_id"],
                                  "superseded_by": r["superseded_by"],
                                  **{k: rec.get(k) for k in ("event_date", "sub_event_type", "location", "actor1",
                                                             "actor2", "fatalities", "claimed_by", "claim_status")}})
            out.claims = [dict(r) for r in db.execute(
                "SELECT part_id, article_id, claimant, side, claim_status, sub_event_type, actor1, actor2, fatalities,"
                " quantities FROM event_claims WHERE event_id=? ORDER BY part_id", (event.event_id,))]
            for c in out.claims:
                try:
                    c["quantities"] = json.loads(c["quantities"] or "[]")
                except ValueError:
                    c["quantities"] = []
            out.links = [dict(r) for r in db.execute(
                "SELECT event_id, related_id, relation, detail, reason FROM event_links "
                "WHERE event_id=? OR related_id=?", (event.event_id, event.event_id))]
            out.history = [dict(r) for r in db.execute(
                "SELECT kept_id, merged_id, action, reason, at FROM merges WHERE kept_id=? OR merged_id=? "
                "ORDER BY at", (event.event_id, event.event_id))]
    return out


def article_events(db: sqlite3.Connection, article_id: str, *, lock: threading.RLock | None = None) -> list[str]:
    """Ids of the stored events an article supports."""
    lock = lock or threading.RLock()
    with lock:
        return [r[0] for r in db.execute("SELECT event_id FROM event_articles WHERE article_id=? ORDER BY event_id",
                                         (article_id,))]


def data_version(db: sqlite3.Connection, lock: threading.RLock | None = None) -> int:
    """SQLite's data_version: changes when another connection commits to the database."""
    with (lock or threading.RLock()):
        return int(db.execute("PRAGMA data_version").fetchone()[0])
