"""Plain typed records passed between pipeline stages.

ingest -> Article; nlp -> Sentence; geo -> Toponym (with Place); time -> TimeExpression;
numbers -> Quantity; events -> Event (with Evidence).  Records hold data only: the
logic that fills them lives in the stage modules.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Article:
    """One news report, as ingested.

    ``article_id`` is derived from the normalised text (and URL when known), so
    re-ingesting the same report yields the same id.
    """

    article_id: str
    text: str
    date: dt.date | None
    title: str = ""
    url: str = ""
    source: str = ""          # outlet name, e.g. "Courthouse News" (may be empty)
    origin: str = ""          # where it came from: a path, "path:line", "-" for stdin
    date_reason: str = ""     # how the date was found, e.g. "date:first_line", "date:cli"
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class IngestProblem:
    """An input that could not become an Article; the batch goes on without it."""

    origin: str
    code: str                 # e.g. "E101" (see frontlines.errors)
    message: str


@dataclass(slots=True)
class Place:
    """A gazetteer entry."""

    geonameid: int | None
    name: str
    latitude: float
    longitude: float
    feature: str = ""         # "settlement", "admin1", "admin2", "country", "river", "region", ...
    country: str = ""         # country name, e.g. "Ukraine"
    iso2: str = ""            # ISO 3166-1 alpha-2
    iso: int | None = None    # ISO 3166-1 numeric (ACLED's `iso` column)
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    population: int = 0
    site: str = ""            # a named site in the place ("Azovstal", "Kramatorsk railway station"):
                              # the place is then its settlement, as ACLED's `location` is


def place_key(place: Place) -> object:
    """What identifies a place: its GeoNames id, or for entries without one (the project's
    rivers, regions and facilities) its name and point."""
    if place.geonameid is not None:
        return place.geonameid
    return (place.name, round(place.latitude, 4), round(place.longitude, 4))


@dataclass(slots=True)
class Toponym:
    """A place name found in a text, with offsets and its resolution (if any)."""

    text: str
    start: int                # character offsets into the article text
    end: int
    place: Place | None = None
    geo_precision: int = 1    # ACLED: 1 the town itself, 2 near / part of a region, 3 a larger region
    score: float = 0.0
    qualifier: str = ""       # "near", "outskirts", "district", "region", ... when the text says so
    reasons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class TimeExpression:
    """A date expression found in a text and resolved against the article date."""

    text: str
    start: int
    end: int
    date: dt.date             # the day (or the middle of the span, per ACLED)
    end_date: dt.date | None = None   # last day when the expression covers a span
    start_date: dt.date | None = None  # first day when the expression covers a span
    time_precision: int = 1   # ACLED: 1 day, 2 week/weekend, 3 month
    relation: str = "past"    # "past", "present", "future" relative to the article date
    reason: str = ""          # e.g. "time:weekday_before_article", "time:days_ago"


@dataclass(slots=True)
class Quantity:
    value: float
    unit: str                 # "km", "km2", "missiles", "drones", "people", "losses", ...
    of: str = ""              # what is counted, e.g. "territory captured", "depth of advance"
    text: str = ""
    start: int = -1
    end: int = -1

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit, "of": self.of}


@dataclass(slots=True)
class Evidence:
    article_id: str
    sentence: str
    start: int                # character offsets of the sentence in the article text
    end: int
    trigger: str = ""         # the words that support the event (highlighted by `show`)
    trigger_start: int = -1
    trigger_end: int = -1

    def to_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "sentence": self.sentence,
                "start": self.start, "end": self.end, "trigger": self.trigger,
                "trigger_start": self.trigger_start, "trigger_end": self.trigger_end}


# The JSONL export contract, in order.  Tests and downstream users rely on these names.
EVENT_FIELDS: tuple[str, ...] = (
    "event_id", "event_date", "time_precision", "event_type", "sub_event_type",
    "disorder_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "country", "iso", "admin1", "admin2",
    "location", "latitude", "longitude", "geo_precision", "fatalities", "notes", "source",
    "tags", "geonameid", "article_ids", "claimed_by", "claim_status", "target",
    "target_category", "quantities", "plover_event", "plover_mode", "cameo_root",
    "confidence", "evidence", "reasons",
)


@dataclass(slots=True)
class Event:
    """One coded happening, ACLED names where ACLED has the field."""

    event_id: str = ""
    event_date: str = ""              # YYYY-MM-DD
    time_precision: int = 1
    event_type: str = ""
    sub_event_type: str = ""
    disorder_type: str = ""
    actor1: str = ""
    assoc_actor_1: str = ""
    inter1: int | None = None
    actor2: str = ""
    assoc_actor_2: str = ""
    inter2: int | None = None
    interaction: int | None = None
    civilian_targeting: str = ""
    country: str = ""
    iso: int | None = None
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    fatalities: int = 0
    notes: str = ""
    source: str = ""
    tags: str = ""
    geonameid: int | None = None
    article_ids: list[str] = field(default_factory=list)
    claimed_by: str = ""
    claim_status: str = "reported"    # reported, claimed, disputed, denied
    target: str = ""
    target_category: str = ""
    quantities: list[dict[str, Any]] = field(default_factory=list)
    plover_event: str = ""
    plover_mode: str = ""
    cameo_root: str = ""
    confidence: float = 0.5
    evidence: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    # Not part of the JSONL contract, but kept in the store:
    date_end: str = ""                # last day when the event covers a span
    region: str = ""                  # ACLED region, e.g. "Europe"
    source_scale: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSONL record: exactly EVENT_FIELDS, in that order."""
        return {name: _plain(getattr(self, name)) for name in EVENT_FIELDS}

    def to_full_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Event":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [dict(v) if isinstance(v, dict) else v for v in value]
    return value
