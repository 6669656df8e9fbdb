"""Scorer against UCDP GED (Ukraine): date, place and deaths coded from the source headlines.

Each row's ``source_headline`` (several headlines joined by ';') becomes one report, each
headline its own paragraph, dated by the first ``source_date``; the event it is scored by is
chosen by ``pick_event(..., "violent")`` (UCDP records fatal violence).

Scores (shares of ``n``, the rows with headline text; a row with no event is a miss):
- ``date_exact``: the event's date lies within UCDP's date_start..date_end;
- ``within_25km``: the event's point is within 25 km of UCDP's.  Only rows whose place UCDP
  knows to a town, a 25 km radius or a district (``where_prec`` 1-3) are scored; where_prec
  4-7 (province, a larger area, the country, waters) give a stand-in point, so those rows
  are left out of the km figures (``n_geo`` counts the rows scored);
- ``median_km``: median km error over the n_geo rows whose event has a point;
- ``fatalities_exact``: the event's fatalities equal UCDP's ``best`` or lie within low..high.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..records import Event
from . import metrics as m
from .common import bench_path, code_texts, event_summary, pick_event, spread
from ..geo.distance import haversine_km

logger = logging.getLogger(__name__)

GEO_MAX_PREC = 3          # where_prec 1-3 are scored for distance
KM_TOLERANCE = 25.0
PLACEHOLDER = re.compile(r"^[\W_]*$")


def default_path() -> Path:
    return bench_path("ucdp-ged-ukraine", "ucdp-ged-ukraine.csv")


@dataclass(slots=True)
class UcdpRow:
    id: str
    headlines: list[str]
    source_dates: list[dt.date]
    date_start: dt.date
    date_end: dt.date
    latitude: float | None
    longitude: float | None
    where_prec: int
    best: int
    low: int
    high: int
    where: str = ""

    @property
    def text(self) -> str:
        """The headlines as one report, each its own paragraph ending in a full stop."""
        return "\n\n".join(h if h[-1] in ".!?" else h + "." for h in self.headlines)

    @property
    def report_date(self) -> dt.date:
        return self.source_dates[0] if self.source_dates else self.date_start


def decode_bytes(raw: bytes) -> str:
    """UTF-8, line by line falling back to Windows-1252 (the GED export mixes them)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lines = raw.split(b"\n")
    out = []
    for line in lines:
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(line.decode("cp1252", errors="replace"))
    return "\n".join(out)


def parse_source_date(value: str) -> dt.date | None:
    """``2014-01-22`` or ``27/01/2014`` (day first, as the GED source_date column writes it)."""
    value = value.strip()
    if not value:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
            return dt.date.fromisoformat("-".join(p.zfill(2) for p in value.split("-")))
        mt = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
        if mt:
            return dt.date(int(mt.group(3)), int(mt.group(2)), int(mt.group(1)))
    except ValueError:
        pass
    logger.debug("unparsed source date %r", value)
    return None


def parse_ged_date(value: str) -> dt.date | None:
    """``1/22/2014 12:00:00 AM``, ``09/05/2022 00:00`` (month first) or ISO ``2014-01-22``."""
    value = value.strip()
    if not value:
        return None
    head = value.split()[0].split("T")[0]
    try:
        if "-" in head:
            return dt.date.fromisoformat(head)
        mo, day, year = (int(p) for p in head.split("/"))
        return dt.date(year, mo, day)
    except ValueError:
        logger.debug("unparsed GED date %r", value)
        return None


def split_headlines(value: str) -> list[str]:
    """Distinct non-placeholder headlines of a ``source_headline`` cell, in order."""
    out: list[str] = []
    for h in value.split(";"):
        h = " ".join(h.split())
        if h and not PLACEHOLDER.match(h) and h not in out:
            out.append(h)
    return out


def _num(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def parse_row(rec: dict[str, str]) -> UcdpRow | None:
    """A GED record as a UcdpRow; None when it has no dates."""
    start = parse_ged_date(rec.get("date_start", ""))
    end = parse_ged_date(rec.get("date_end", "")) or start
    if start is None:
        return None
    dates = [d for d in (parse_source_date(v) for v in (rec.get("source_date") or "").split(";")) if d]
    best = int(_num(rec.get("best", "")) or 0)
    low = _num(rec.get("low", ""))
    high = _num(rec.get("high", ""))
    prec = _num(rec.get("where_prec", ""))
    return UcdpRow(
        id=(rec.get("id") or "").strip(), headlines=split_headlines(rec.get("source_headline") or ""),
        source_dates=dates, date_start=start, date_end=end or start,
        latitude=_num(rec.get("latitude", "")), longitude=_num(rec.get("longitude", "")),
        where_prec=int(prec) if prec is not None else 9, best=best,
        low=int(low) if low is not None else best, high=int(high) if high is not None else best,
        where=(rec.get("where_description") or rec.get("where_coordinates") or "").strip())


def read_ucdp(path: str | Path, limit: int | None = None) -> tuple[list[UcdpRow], int]:
    """The rows with headline text (``limit``: that many, spread evenly over the file), and how
    many rows had none."""
    text = decode_bytes(Path(path).read_bytes())
    rows: list[UcdpRow] = []
    skipped = 0
    for rec in csv.DictReader(io.StringIO(text)):
        row = parse_row(rec)
        if row is None or not row.headlines:
            skipped += 1
            continue
        rows.append(row)
    return spread(rows, limit), skipped


@dataclass(slots=True)
class RowScore:
    row: UcdpRow
    event: Event | None
    n_events: int
    date_ok: bool
    km: float | None
    fatalities_ok: bool

    @property
    def geo_scored(self) -> bool:
        return self.row.where_prec <= GEO_MAX_PREC and self.row.latitude is not None

    def to_dict(self) -> dict:
        r = self.row
        return {"id": r.id, "text": r.text, "report_date": r.report_date.isoformat(),
                "date_start": r.date_start.isoformat(), "date_end": r.date_end.isoformat(),
                "where": r.where, "where_prec": r.where_prec, "latitude": r.latitude, "longitude": r.longitude,
                "best": r.best, "low": r.low, "high": r.high, "n_events": self.n_events,
                "event": event_summary(self.event) if self.event else None,
                "date_ok": self.date_ok, "km": None if self.km is None else round(self.km, 1),
                "fatalities_ok": self.fatalities_ok}


def score_row(row: UcdpRow, events: Sequence[Event], strategy: str = "violent") -> RowScore:
    ev = pick_event(events, strategy)
    if ev is None:
        return RowScore(row, None, 0, False, None, False)
    try:
        day = dt.date.fromisoformat(ev.event_date[:10])
        date_ok = row.date_start <= day <= row.date_end
    except ValueError:
        date_ok = False
    km = None
    if ev.latitude is not None and ev.longitude is not None and row.latitude is not None and row.longitude is not None:
        km = haversine_km(ev.latitude, ev.longitude, row.latitude, row.longitude)
    fat_ok = ev.fatalities == row.best or row.low <= ev.fatalities <= row.high
    return RowScore(row, ev, len(events), date_ok, km, fat_ok)


@dataclass(slots=True)
class UcdpReport:
    n: int
    skipped_no_headline: int
    coverage: float
    date_exact: float
    within_25km: float
    n_geo: int
    median_km: float | None
    n_located: int
    fatalities_exact: float
    fatalities_exact_nonzero: float     # on rows where UCDP counts deaths and we report some
    covered: dict
    by_where_prec: dict
    rows: list[RowScore] = field(default_factory=list)

    def to_dict(self, with_rows: bool = False) -> dict:
        r4 = lambda x: None if x is None else round(x, 4)  # noqa: E731
        out = {"n": self.n, "date_exact": r4(self.date_exact), "within_25km": r4(self.within_25km),
               "median_km": None if self.median_km is None else round(self.median_km, 1),
               "fatalities_exact": r4(self.fatalities_exact), "coverage": r4(self.coverage),
               "n_geo": self.n_geo, "n_located": self.n_located,
               "skipped_no_headline": self.skipped_no_headline,
               "fatalities_exact_nonzero": r4(self.fatalities_exact_nonzero),
               "given_event": self.covered, "by_where_prec": self.by_where_prec,
               "geo_policy": f"km figures on where_prec <= {GEO_MAX_PREC} only; a row without a located event "
                             f"counts as outside {KM_TOLERANCE:g} km"}
        if with_rows:
            out["rows"] = [s.to_dict() for s in self.rows]
        return out


def summarise(scores: Sequence[RowScore], skipped: int = 0) -> UcdpReport:
    n = len(scores)
    geo = [s for s in scores if s.geo_scored]
    kms = [s.km for s in geo if s.km is not None]
    covered = [s for s in scores if s.event is not None]
    cov_geo = [s for s in geo if s.event is not None]
    nonzero = [s for s in scores if s.row.best > 0 and s.event is not None and s.event.fatalities > 0]
    by_prec: dict[str, dict] = {}
    for p in sorted({s.row.where_prec for s in scores}):
        grp = [s for s in scores if s.row.where_prec == p]
        located = [s.km for s in grp if s.km is not None]
        by_prec[str(p)] = {"n": len(grp), "coverage": round(m.share(s.event is not None for s in grp), 4),
                           "median_km": None if not located else round(m.median(located), 1),
                           "within_25km": round(m.share(s.km is not None and s.km <= KM_TOLERANCE for s in grp), 4)}
    return UcdpReport(
        n=n, skipped_no_headline=skipped, coverage=m.share(s.event is not None for s in scores),
        date_exact=m.share(s.date_ok for s in scores),
        within_25km=m.share(s.km is not None and s.km <= KM_TOLERANCE for s in geo), n_geo=len(geo),
        median_km=m.median(kms), n_located=len(kms),
        fatalities_exact=m.share(s.fatalities_ok for s in scores),
        fatalities_exact_nonzero=m.share(s.fatalities_ok for s in nonzero),
        covered={"n": len(covered), "date_exact": round(m.share(s.date_ok for s in covered), 4),
                 "within_25km": round(m.share(s.km is not None and s.km <= KM_TOLERANCE for s in cov_geo), 4),
                 "fatalities_exact": round(m.share(s.fatalities_ok for s in covered), 4)},
        by_where_prec=by_prec, rows=list(scores))


def evaluate_ucdp(path: str | Path | None = None, *, limit: int | None = None, pipeline=None,
                  strategy: str = "violent", on_item=None) -> UcdpReport:
    rows, skipped = read_ucdp(path or default_path(), limit=limit)
    events = code_texts([(r.text, r.report_date) for r in rows], pipeline=pipeline, keep_vague=True, on_item=on_item)
    return summarise([score_row(r, evs, strategy) for r, evs in zip(rows, events)], skipped)
