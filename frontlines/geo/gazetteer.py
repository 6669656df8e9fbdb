"""Gazetteer interface and its default backend, a SQLite index built once from packages.

``open_gazetteer()`` returns a process-wide cached instance; the index lives in
``$FRONTLINES_CACHE`` (or ``~/.cache/frontlines/``) as ``gazetteer-<version>.sqlite`` and is
built on first use if missing (see :mod:`frontlines.geo.build`).
"""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
from typing import Mapping
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from frontlines.errors import GazetteerError
from frontlines.geo.normalize import loose_key, normalize_name
from frontlines.records import Place

log = logging.getLogger(__name__)

# name kinds, as stored by the builder
KIND_MAIN, KIND_ALT, KIND_TRANSLIT, KIND_QUALIFIED, KIND_CODE = range(5)
# set by the resolver, never stored: the name is a demonym of the place ("Spanish" -> Spain)
KIND_DEMONYM = 5
# set by the lookup, never stored in ``name``: only the spelling-blind key matched ("Paraskoveevka")
KIND_LOOSE = 6


@dataclass(slots=True, frozen=True)
class Candidate:
    """One gazetteer entry that a name can refer to, with what the resolver needs."""

    pid: int                 # backend-local id (stable within one index)
    place: Place
    a1code: str = ""         # admin1 identity, e.g. "UA.07" (GeoNames code)
    precision: int = 1       # 2 when the point is borrowed (hromada/raion seat)
    note: str = ""           # how the point was derived, e.g. "hromada_seat:Izium"
    kind: int = KIND_MAIN    # how the name matched: own name, alternate, transliteration...
    names: int = 0           # how many names the place is known by (a world city has dozens)


class Gazetteer(ABC):
    """What the geoparser needs from a gazetteer; PostGIS or other backends can implement it."""

    @abstractmethod
    def candidates(self, name: str, limit: int = 25) -> list[Candidate]:
        """Entries whose (normalised) name is ``name``, most populous/important first."""

    @abstractmethod
    def has_name(self, norm: str) -> bool:
        """True when the *normalised* name ``norm`` is a known name."""

    @abstractmethod
    def get(self, geonameid: int) -> Place | None:
        """The entry with this GeoNames id."""

    @abstractmethod
    def country(self, iso2: str) -> Candidate | None:
        """The country entry for an ISO 3166-1 alpha-2 code."""

    @abstractmethod
    def admin1(self, a1code: str) -> Candidate | None:
        """The admin1 entry for a GeoNames admin1 code such as ``"UA.07"``."""

    @abstractmethod
    def demonym(self, word: str) -> str | None:
        """ISO alpha-2 of the country a demonym/adjective refers to ("Russian" -> "RU")."""

    def neighbours(self) -> Mapping[str, frozenset[str]]:
        """ISO 3166-1 alpha-2 code -> the codes of the countries that share a land border."""
        return {}

    def loose_candidates(self, name: str, limit: int = 25) -> list[Candidate]:
        """Settlements whose spelling-blind key (:func:`~frontlines.geo.normalize.loose_key`)
        is ``name``'s, with kind :data:`KIND_LOOSE`; for names no listed spelling matches."""
        return []

    def has_loose(self, name: str) -> bool:
        """Whether :meth:`loose_candidates` would find anything for ``name``."""
        return bool(self.loose_candidates(name, 1))

    def search(self, name: str, limit: int = 25) -> list[Place]:
        """Places called ``name`` (case/diacritics/apostrophe-insensitive, all alternate names)."""
        return [c.place for c in self.candidates(name, limit)]

    def admin1_of(self, place: Place | Candidate) -> Candidate | None:
        """The admin1 unit containing ``place`` (None when unknown)."""
        if isinstance(place, Candidate):
            return self.admin1(place.a1code) if place.a1code else None
        for c in self.candidates(place.name, 50):
            if c.place.geonameid == place.geonameid and c.a1code:
                return self.admin1(c.a1code)
        return None

    def close(self) -> None:  # pragma: no cover - optional
        pass


_PLACE_COLS = ("p.pid, p.geonameid, p.name, p.lat, p.lon, p.feature, p.cc, p.a1code, p.admin1, "
               "p.admin2, p.admin3, p.population, p.precision, p.note, p.site, p.names")


class SQLiteGazetteer(Gazetteer):
    """The default backend: a read-only SQLite index (see :func:`frontlines.geo.build.build_index`)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise GazetteerError("E301", path=str(self.path))
        self._local = threading.local()
        try:
            con = self._con()
            con.execute("SELECT site, names FROM place LIMIT 1").fetchone()
            con.execute("SELECT 1 FROM name LIMIT 1").fetchone()
            self._countries = {row[0]: (row[1], row[2]) for row in
                               con.execute("SELECT cc, name, isonum FROM country")}
            self._demonyms = dict(con.execute("SELECT norm, cc FROM demonym"))
        except sqlite3.DatabaseError as exc:
            raise GazetteerError("E301", path=str(self.path)) from exc
        self._cand_cache: dict[str, tuple[Candidate, ...]] = {}
        self._has_cache: dict[str, bool] = {}
        self._neighbours: dict[str, frozenset[str]] | None = None

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            uri = f"file:{self.path}?mode=ro&immutable=1"
            con = sqlite3.connect(uri, uri=True, check_same_thread=False)
            con.execute("PRAGMA query_only=1")
            con.execute("PRAGMA cache_size=-16000")
            self._local.con = con
        return con

    def _place(self, row) -> Candidate:
        (pid, gid, name, lat, lon, feature, cc, a1code, admin1, admin2, admin3, pop,
         precision, note, site, names) = row[:16]
        kind = row[16] if len(row) > 16 else KIND_MAIN
        cname, iso = self._countries.get(cc, ("", None))
        place = Place(geonameid=gid, name=name, latitude=lat, longitude=lon, feature=feature,
                      country=cname, iso2=cc, iso=iso, admin1=admin1, admin2=admin2,
                      admin3=admin3, population=pop, site=site)
        return Candidate(pid=pid, place=place, a1code=a1code, precision=precision, note=note,
                         kind=kind, names=names or 0)

    def _lookup(self, cache_key: str, sql: str, args: tuple) -> list[Candidate]:
        hit = self._cand_cache.get(cache_key)
        if hit is None:
            try:
                rows = self._con().execute(sql, args).fetchall()
            except sqlite3.OperationalError:   # an index from before a table existed
                rows = []
            hit = tuple(self._place(r) for r in rows)
            if len(self._cand_cache) > 50000:
                self._cand_cache.clear()
            self._cand_cache[cache_key] = hit
        return list(hit)

    def candidates(self, name: str, limit: int = 25) -> list[Candidate]:
        norm = normalize_name(name)
        if not norm:
            return []
        return self._lookup(f"{limit}\x00{norm}",
                            f"SELECT {_PLACE_COLS}, n.kind FROM name n JOIN place p ON p.pid = n.pid "
                            "WHERE n.norm = ? ORDER BY p.population DESC LIMIT ?", (norm, limit))

    def loose_candidates(self, name: str, limit: int = 25) -> list[Candidate]:
        key = loose_key(name)
        if not key:
            return []
        return self._lookup(f"{limit}\x01{key}",
                            f"SELECT {_PLACE_COLS}, {KIND_LOOSE} FROM loose l JOIN place p ON p.pid = l.pid "
                            "WHERE l.key = ? ORDER BY p.population DESC LIMIT ?", (key, limit))

    def has_loose(self, name: str) -> bool:
        key = loose_key(name)
        if not key:
            return False
        hk = "\x01" + key
        hit = self._has_cache.get(hk)
        if hit is None:
            try:
                hit = self._con().execute("SELECT 1 FROM loose WHERE key = ? LIMIT 1", (key,)).fetchone() is not None
            except sqlite3.OperationalError:
                hit = False
            self._has_cache[hk] = hit
        return hit

    def has_name(self, norm: str) -> bool:
        hit = self._has_cache.get(norm)
        if hit is None:
            hit = self._con().execute("SELECT 1 FROM name WHERE norm = ? LIMIT 1",
                                      (norm,)).fetchone() is not None
            if len(self._has_cache) > 200000:
                self._has_cache.clear()
            self._has_cache[norm] = hit
        return hit

    def get(self, geonameid: int) -> Place | None:
        if not -2**63 <= geonameid < 2**63:
            return None           # no place has an id SQLite cannot even hold ("control 99999999999999999999")
        row = self._con().execute(f"SELECT {_PLACE_COLS} FROM place p WHERE p.geonameid = ? "
                                  "ORDER BY p.pid LIMIT 1", (geonameid,)).fetchone()
        return self._place(row).place if row else None

    def get_candidate(self, pid: int) -> Candidate | None:
        row = self._con().execute(f"SELECT {_PLACE_COLS} FROM place p WHERE p.pid = ?",
                                  (pid,)).fetchone()
        return self._place(row) if row else None

    @lru_cache(maxsize=512)
    def country(self, iso2: str) -> Candidate | None:
        row = self._con().execute(f"SELECT {_PLACE_COLS} FROM country c JOIN place p ON p.pid = c.pid "
                                  "WHERE c.cc = ?", (iso2,)).fetchone()
        return self._place(row) if row else None

    def neighbours(self) -> Mapping[str, frozenset[str]]:
        if self._neighbours is None:
            try:
                rows = self._con().execute("SELECT cc, neighbours FROM country").fetchall()
            except sqlite3.OperationalError:  # an index from before the column existed
                rows = []
            self._neighbours = {cc: frozenset(n for n in nb.split(",") if n) for cc, nb in rows}
        return self._neighbours

    @lru_cache(maxsize=8192)
    def admin1(self, a1code: str) -> Candidate | None:
        row = self._con().execute(f"SELECT {_PLACE_COLS} FROM place p WHERE p.a1code = ? AND "
                                  "p.feature = 'admin1' ORDER BY p.population DESC LIMIT 1",
                                  (a1code,)).fetchone()
        return self._place(row) if row else None

    def demonym(self, word: str) -> str | None:
        return self._demonyms.get(normalize_name(word))

    def meta(self) -> dict[str, str]:
        return dict(self._con().execute("SELECT key, value FROM meta"))

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None


class MemoryGazetteer(Gazetteer):
    """A tiny in-memory gazetteer (tests, custom lists): ``add()`` places with names."""

    def __init__(self) -> None:
        self._by_norm: dict[str, list[Candidate]] = {}
        self._by_gid: dict[int, Place] = {}
        self._countries: dict[str, Candidate] = {}
        self._admin1: dict[str, Candidate] = {}
        self._demonyms: dict[str, str] = {}
        self._nb: dict[str, set[str]] = {}
        self._loose: dict[str, list[Candidate]] = {}
        self._pid = 0

    def add(self, place: Place, names: list[str] = (), *, a1code: str = "", precision: int = 1,
            note: str = "") -> Candidate:
        self._pid += 1
        count = len({normalize_name(n) for n in (place.name, *names)})
        base = Candidate(pid=self._pid, place=place, a1code=a1code, precision=precision, note=note,
                         names=count)
        for i, n in enumerate([place.name, *names]):
            kind = KIND_MAIN if i == 0 else KIND_ALT
            cand = Candidate(pid=base.pid, place=place, a1code=a1code, precision=precision,
                             note=note, kind=kind, names=count)
            lst = self._by_norm.setdefault(normalize_name(n), [])
            if all(c.pid != base.pid for c in lst):
                lst.append(cand)
        if place.geonameid is not None:
            self._by_gid[place.geonameid] = place
        if place.feature == "country" and place.iso2:
            self._countries[place.iso2] = base
        if place.feature == "admin1" and a1code:
            self._admin1[a1code] = base
        return base

    def add_loose(self, cand: Candidate, *names: str) -> None:
        """Make ``cand`` findable by the spelling-blind keys of ``names`` (and of its own name)."""
        for n in (cand.place.name, *names):
            key = loose_key(n)
            if key and all(c.pid != cand.pid for c in self._loose.setdefault(key, [])):
                self._loose[key].append(Candidate(cand.pid, cand.place, cand.a1code, cand.precision,
                                                  cand.note, KIND_LOOSE, cand.names))

    def loose_candidates(self, name: str, limit: int = 25) -> list[Candidate]:
        return sorted(self._loose.get(loose_key(name), []), key=lambda c: -c.place.population)[:limit]

    def add_demonym(self, word: str, iso2: str) -> None:
        self._demonyms[normalize_name(word)] = iso2

    def add_neighbours(self, iso2: str, *others: str) -> None:
        """Record land borders (both ways)."""
        for o in others:
            self._nb.setdefault(iso2, set()).add(o)
            self._nb.setdefault(o, set()).add(iso2)

    def neighbours(self) -> Mapping[str, frozenset[str]]:
        return {k: frozenset(v) for k, v in self._nb.items()}

    def candidates(self, name: str, limit: int = 25) -> list[Candidate]:
        lst = self._by_norm.get(normalize_name(name), [])
        return sorted(lst, key=lambda c: -c.place.population)[:limit]

    def has_name(self, norm: str) -> bool:
        return norm in self._by_norm

    def get(self, geonameid: int) -> Place | None:
        return self._by_gid.get(geonameid)

    def country(self, iso2: str) -> Candidate | None:
        return self._countries.get(iso2)

    def admin1(self, a1code: str) -> Candidate | None:
        return self._admin1.get(a1code)

    def demonym(self, word: str) -> str | None:
        return self._demonyms.get(normalize_name(word))


_default: dict[str, Gazetteer] = {}
_lock = threading.Lock()


def open_gazetteer(path: str | os.PathLike | None = None, *, build: bool = True) -> Gazetteer:
    """The process-wide gazetteer for ``path`` (default: the versioned index in the cache dir).

    The default index is built on first use (about half a minute) unless ``build`` is False.
    Raises :class:`GazetteerError` E301 when the index is missing or damaged.
    """
    from frontlines.geo.build import build_index, default_index_path

    target = Path(path) if path else default_index_path()
    key = str(target)
    gaz = _default.get(key)
    if gaz is not None:
        return gaz
    with _lock:
        gaz = _default.get(key)
        if gaz is not None:
            return gaz
        if not target.exists():
            if not build or path is not None:
                raise GazetteerError("E301", path=key)
            log.info("building the gazetteer index at %s (first use)", target)
            build_index(target)
        gaz = SQLiteGazetteer(target)
        _default[key] = gaz
        return gaz
