"""Export events as JSONL (our contract), CSV (ACLED's columns, then ours) or GeoJSON.

Public API::

    write_events(events, fmt, out, *, article_refs=None) -> int   # fmt: "jsonl", "csv", "geojson"; rows written
    write_parquet(events, out, *, article_refs=None) -> int        # a path or binary file; needs pyarrow
    parquet_bytes(events, *, article_refs=None) -> bytes
    event_record(event, article_refs=None) -> dict                 # one JSONL record (RECORD_FIELDS)
    FORMATS, ACLED_COLUMNS, EXTRA_COLUMNS, CSV_COLUMNS, RECORD_FIELDS

``article_refs`` maps an article id to the user's own id for it (the ``id`` field of a JSONL or
CSV input, a feed item's guid: ``EventStore.article_refs()``); every format carries, per event,
the user's ids of the articles behind it, so events can be joined back to the user's documents.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import math
import time
from typing import Any, Callable, Iterable, Mapping, TextIO

from frontlines.errors import FrontlinesError
from frontlines.records import EVENT_FIELDS, Event

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("jsonl", "csv", "geojson")
BINARY_FORMATS: tuple[str, ...] = ("parquet",)

#: ACLED's 31 export columns, in ACLED's order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)

#: Our own columns after ACLED's.
EXTRA_COLUMNS: tuple[str, ...] = (
    "geonameid", "article_ids", "article_refs", "claimed_by", "claim_status", "target", "target_category",
    "quantities", "plover_event", "plover_mode", "cameo_root", "confidence", "reasons", "evidence",
)

CSV_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + EXTRA_COLUMNS

#: The JSONL record: the Event's fields in order, with the user's article ids after ``article_ids``.
RECORD_FIELDS: tuple[str, ...] = (EVENT_FIELDS[:EVENT_FIELDS.index("article_ids") + 1] + ("article_refs",)
                                  + EVENT_FIELDS[EVENT_FIELDS.index("article_ids") + 1:])

Refs = Mapping[str, str]


class ExportError(FrontlinesError):
    """E601 unknown format; E602 parquet without pyarrow (its message is kept here)."""

    MESSAGES = {"E602": ("Parquet export needs pyarrow, which is not installed; install the extra: "
                         "pip install 'frontlines[parquet]'.")}

    def __init__(self, code: str, **kwargs: object) -> None:
        if code in self.MESSAGES:
            self.code = code
            self.detail = self.MESSAGES[code].format(**kwargs)
            Exception.__init__(self, f"[{code}] {self.detail}")
        else:
            super().__init__(code, **kwargs)


def _blank(v: Any) -> Any:
    return "" if v is None else v


def _split(value: Any) -> list[str]:
    """A source/tags value as a list: lists pass; strings split on ';'."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [p.strip() for p in str(value).split(";") if p.strip()]


def _finite(v: Any) -> bool:
    try:
        return v is not None and math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def _coord(v: Any) -> str:
    return f"{float(v):.4f}" if _finite(v) else ""


def _year(date: str) -> Any:
    return int(date[:4]) if date and date[:4].isdigit() else ""


def _plain_evidence(ev: Event) -> list[dict[str, Any]]:
    return [e.to_dict() if hasattr(e, "to_dict") else dict(e) for e in ev.evidence]


def article_refs_of(event: Event, refs: Refs | None) -> list[str]:
    """The user's own ids of the articles behind ``event``, in its article order, once each."""
    if not refs:
        return []
    return list(dict.fromkeys(refs[a] for a in event.article_ids if a in refs))


def event_record(event: Event, article_refs: Refs | None = None) -> dict[str, Any]:
    """One JSONL record: ``Event.to_dict()`` with ``article_refs`` (a list, empty when the user's
    inputs carried no ids), in RECORD_FIELDS order."""
    record = event.to_dict()
    record["article_refs"] = article_refs_of(event, article_refs)
    return {name: record[name] for name in RECORD_FIELDS}


def csv_row(event: Event, timestamp: int, article_refs: Refs | None = None) -> dict[str, Any]:
    """One CSV row (ACLED names; lists joined with ';'; quantities/evidence as JSON)."""
    return {
        "event_id_cnty": event.event_id,
        "event_date": event.event_date,
        "year": _year(event.event_date),
        "time_precision": _blank(event.time_precision),
        "disorder_type": event.disorder_type,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1,
        "assoc_actor_1": event.assoc_actor_1,
        "inter1": _blank(event.inter1),
        "actor2": event.actor2,
        "assoc_actor_2": event.assoc_actor_2,
        "inter2": _blank(event.inter2),
        "interaction": _blank(event.interaction),
        "civilian_targeting": event.civilian_targeting,
        "iso": _blank(event.iso),
        "region": event.region,
        "country": event.country,
        "admin1": event.admin1,
        "admin2": event.admin2,
        "admin3": event.admin3,
        "location": event.location,
        "latitude": _coord(event.latitude),
        "longitude": _coord(event.longitude),
        "geo_precision": _blank(event.geo_precision),
        "source": "; ".join(_split(event.source)),
        "source_scale": event.source_scale,
        "notes": event.notes,
        "fatalities": _blank(event.fatalities),
        "tags": "; ".join(_split(event.tags)),
        "timestamp": timestamp,
        "geonameid": _blank(event.geonameid),
        "article_ids": ";".join(event.article_ids),
        "article_refs": ";".join(article_refs_of(event, article_refs)),
        "claimed_by": event.claimed_by,
        "claim_status": event.claim_status,
        "target": event.target,
        "target_category": event.target_category,
        "quantities": json.dumps(list(event.quantities), ensure_ascii=False),
        "plover_event": event.plover_event,
        "plover_mode": event.plover_mode,
        "cameo_root": event.cameo_root,
        "confidence": _blank(event.confidence),
        "reasons": ";".join(event.reasons),
        "evidence": json.dumps(_plain_evidence(event), ensure_ascii=False),
    }


def _json_default(v: Any) -> Any:
    if hasattr(v, "to_dict"):
        return v.to_dict()
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return str(v)


def _write_jsonl(events: Iterable[Event], out: TextIO, refs: Refs | None) -> int:
    n = 0
    for event in events:
        out.write(json.dumps(event_record(event, refs), ensure_ascii=False, default=_json_default) + "\n")
        n += 1
    return n


def _write_csv(events: Iterable[Event], out: TextIO, refs: Refs | None) -> int:
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    stamp = int(time.time())
    n = 0
    for event in events:
        writer.writerow(csv_row(event, stamp, refs))
        n += 1
    return n


def _write_geojson(events: Iterable[Event], out: TextIO, refs: Refs | None) -> int:
    features, skipped = [], 0
    for event in events:
        if not (_finite(event.latitude) and _finite(event.longitude)):
            skipped += 1
            continue
        props = event_record(event, refs)
        for extra in ("date_end", "region", "source_scale", "admin3"):
            props[extra] = getattr(event, extra)
        features.append({
            "type": "Feature",
            "id": event.event_id,
            "geometry": {"type": "Point", "coordinates": [float(event.longitude), float(event.latitude)]},
            "properties": props,
        })
    if skipped:
        log.warning("GeoJSON export: %d event(s) without coordinates left out", skipped)
    collection = {"type": "FeatureCollection", "features": features,
                  "properties": {"skipped_without_coordinates": skipped}}
    json.dump(collection, out, ensure_ascii=False, default=_json_default)
    out.write("\n")
    return len(features)


_WRITERS: dict[str, Callable[[Iterable[Event], TextIO, Refs | None], int]] = {
    "jsonl": _write_jsonl, "csv": _write_csv, "geojson": _write_geojson,
}

def write_events(events: Iterable[Event], fmt: str, out: TextIO, *, article_refs: Refs | None = None) -> int:
    """Write ``events`` to ``out`` in ``fmt`` and return the number of records written.

    ``article_refs``: article id -> the user's own id for it (``EventStore.article_refs()``).
    jsonl: one ``event_record()`` a line (exactly RECORD_FIELDS, in order).
    csv: a header of CSV_COLUMNS (ACLED's 31, then ours), one row an event; latitude and
    longitude to 4 decimals; source and tags '; '-separated as ACLED writes them, article_ids,
    article_refs and reasons ';'-separated, quantities and evidence as JSON; timestamp = export
    time (Unix).
    geojson: a FeatureCollection of Points (lon, lat) with the record as properties;
    events without coordinates are left out, logged, and counted in the collection's
    ``properties.skipped_without_coordinates``; the return value counts features.
    Unknown ``fmt`` raises ExportError E601 before anything is written.
    """
    key = (fmt or "").strip().lower()
    if key == "json":
        key = "jsonl"
    writer = _WRITERS.get(key)
    if writer is None:
        raise ExportError("E601", fmt=fmt, choices=", ".join(FORMATS))
    return writer(events, out, article_refs)


# ---------------------------------------------------------------------- parquet
#: Parquet columns after RECORD_FIELDS: the store-only fields ACLED also has.
PARQUET_EXTRA: tuple[str, ...] = ("date_end", "admin3", "region", "source_scale")


def _parquet_schema():
    import pyarrow as pa

    text = pa.string()
    types: dict[str, Any] = {name: text for name in RECORD_FIELDS + PARQUET_EXTRA}
    types.update({
        "event_date": pa.date32(), "date_end": pa.date32(),
        "time_precision": pa.int8(), "inter1": pa.int16(), "inter2": pa.int16(), "interaction": pa.int16(),
        "iso": pa.int16(), "geo_precision": pa.int8(), "fatalities": pa.int32(), "geonameid": pa.int64(),
        "latitude": pa.float64(), "longitude": pa.float64(), "confidence": pa.float32(),
        "article_ids": pa.list_(text), "article_refs": pa.list_(text), "reasons": pa.list_(text),
        "quantities": pa.list_(pa.struct([("value", pa.float64()), ("unit", text), ("of", text)])),
        "evidence": pa.list_(pa.struct([("article_id", text), ("sentence", text), ("start", pa.int32()),
                                        ("end", pa.int32()), ("trigger", text), ("trigger_start", pa.int32()),
                                        ("trigger_end", pa.int32())])),
    })
    return pa.schema([(name, types[name]) for name in RECORD_FIELDS + PARQUET_EXTRA])


def _parquet_value(name: str, value: Any) -> Any:
    if name in ("event_date", "date_end"):
        try:
            return dt.date.fromisoformat(str(value)[:10]) if value else None
        except ValueError:
            return None
    if name in ("latitude", "longitude"):
        return float(value) if _finite(value) else None
    if name == "quantities":
        return [{"value": float(q.get("value", 0) or 0), "unit": str(q.get("unit", "")), "of": str(q.get("of", ""))}
                for q in value or []]
    if name == "evidence":
        keys = ("article_id", "sentence", "start", "end", "trigger", "trigger_start", "trigger_end")
        return [{k: e.get(k) for k in keys} for e in value or []]
    return value


def _require_pyarrow():
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise ExportError("E602") from None


def write_parquet(events: Iterable[Event], out: Any, *, article_refs: Refs | None = None,
                  batch_size: int = 50_000) -> int:
    """Write ``events`` as one Parquet file (a path or a binary file object): RECORD_FIELDS then
    PARQUET_EXTRA, with dates as dates, lists as lists and evidence as structs.  Returns rows
    written.  Without pyarrow (the ``parquet`` extra) raises ExportError E602."""
    _require_pyarrow()
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    names = schema.names
    n = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            columns = {name: [row[name] for row in batch] for name in names}
            writer.write_table(pa.Table.from_pydict(columns, schema=schema))
            batch.clear()

        for event in events:
            rec = event_record(event, article_refs)
            for extra in PARQUET_EXTRA:
                rec[extra] = getattr(event, extra)
            batch.append({name: _parquet_value(name, rec.get(name)) for name in names})
            n += 1
            if len(batch) >= batch_size:
                flush()
        if batch or n == 0:
            flush()
    return n


def parquet_bytes(events: Iterable[Event], *, article_refs: Refs | None = None) -> bytes:
    import io

    buf = io.BytesIO()
    write_parquet(events, buf, article_refs=article_refs)
    return buf.getvalue()
