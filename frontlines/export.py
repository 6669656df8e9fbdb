"""Export events as JSONL (our contract), CSV (ACLED's columns, then ours) or GeoJSON.

Public API::

    write_events(events, fmt, out, *, article_refs=None) -> int   # fmt: "jsonl", "csv", "geojson"; rows written
    write_parquet(events, out, *, article_refs=None) -> int        # a path or binary file; needs pyarrow
    parquet_bytes(events, *, article_refs=None) -> bytes
    write_lake(events, directory, *, partition="month", article_refs=None) -> dict   # a Parquet lake
    read_lake(directory, *, since=None, until=None) -> Iterator[Event]              # and back
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
from typing import Any, Callable, Iterable, Iterator, Mapping, TextIO

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
    """E601 unknown format; E602 parquet without pyarrow; E603 a lake's folder that is something
    else; E604 a folder that is no lake (their messages are kept here)."""

    MESSAGES = {"E602": ("Parquet export needs pyarrow, which is not installed; install the extra: "
                         "pip install 'frontlines[parquet]'."),
                "E603": ("{path} exists and is not a frontlines Parquet lake (no {marker}); give a new or empty "
                         "folder, or the folder of an earlier lake to replace it."),
                "E604": "{path} is not a frontlines Parquet lake (no {marker} in it)."}

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


# ---------------------------------------------------------------------- the Parquet lake
#: The file at the top of a lake that says what it is (readers that scan ``**/*.parquet`` skip it,
#: and Spark skips files whose names begin with ``_``).
LAKE_MARKER = "_frontlines_lake.json"
LAKE_VERSION = 1
PARTITIONS = ("month", "year")
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"      # Hive's (and Spark's) name for a missing value


def _lake_keys(event_date: str, partition: str) -> tuple[str, ...]:
    """The partition folder names of an event: ``year=2022/month=09`` (Hive style)."""
    day = str(event_date or "")[:10]
    ok = len(day) == 10 and day[:4].isdigit() and day[5:7].isdigit()
    year = f"year={day[:4]}" if ok else f"year={NULL_PARTITION}"
    if partition == "year":
        return (year,)
    return (year, f"month={day[5:7]}" if ok else f"month={NULL_PARTITION}")


def write_lake(events: Iterable[Event], directory: Any, *, partition: str = "month",
               article_refs: Refs | None = None, batch_size: int = 50_000) -> dict[str, Any]:
    """Write ``events`` as a Parquet lake: Hive-style folders ``year=YYYY/month=MM/`` (or
    ``year=`` only), one ``part-0.parquet`` each with ``write_parquet``'s columns (the partition
    keys are in the folder names only, as Hive, Spark, DuckDB and Polars expect), and
    ``_frontlines_lake.json`` at the top (version, partitioning, schema, rows per partition).

    Events may come in any order (``iter_events`` gives them by date, so a month is written
    whole before the next).  The lake is built in a new folder beside ``directory`` and put in its
    place when complete: a reader never sees half a lake, and exporting again replaces it.
    Returns the manifest.  E603 when ``directory`` holds something that is not a lake."""
    import os
    import shutil
    import tempfile
    from pathlib import Path

    _require_pyarrow()
    import pyarrow as pa
    import pyarrow.parquet as pq

    if partition not in PARTITIONS:
        raise ValueError(f"partition must be one of {', '.join(PARTITIONS)}")
    target = Path(directory)
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / LAKE_MARKER).exists())):
        raise ExportError("E603", path=str(target), marker=LAKE_MARKER)
    target.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    schema = _parquet_schema()
    names = schema.names
    writers: dict[tuple[str, ...], Any] = {}
    batches: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    rows: dict[str, int] = {}

    def flush(key: tuple[str, ...]) -> None:
        batch = batches.pop(key, [])
        if not batch:
            return
        if key not in writers:
            folder = build.joinpath(*key)
            folder.mkdir(parents=True, exist_ok=True)
            writers[key] = pq.ParquetWriter(folder / "part-0.parquet", schema, compression="zstd")
        writers[key].write_table(pa.Table.from_pydict({n: [r[n] for r in batch] for n in names}, schema=schema))

    try:
        last: tuple[str, ...] | None = None
        for event in events:
            key = _lake_keys(event.event_date, partition)
            if last is not None and key != last and len(writers) + len(batches) > 64:
                flush(last)                                   # events by date: the previous month is done
                writers.pop(last).close()
            rec = event_record(event, article_refs)
            for extra in PARQUET_EXTRA:
                rec[extra] = getattr(event, extra)
            batches.setdefault(key, []).append({n: _parquet_value(n, rec.get(n)) for n in names})
            rows["/".join(key)] = rows.get("/".join(key), 0) + 1
            if len(batches[key]) >= batch_size:
                flush(key)
            last = key
        for key in list(batches):
            flush(key)
        for w in writers.values():
            w.close()
        writers.clear()
        manifest = {"format": "frontlines-parquet-lake", "version": LAKE_VERSION, "partitioning": "hive",
                    "partition_by": ["year"] if partition == "year" else ["year", "month"],
                    "null_partition": NULL_PARTITION, "rows": sum(rows.values()), "partitions": rows,
                    "columns": [{"name": f.name, "type": str(f.type)} for f in schema]}
        (build / LAKE_MARKER).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            target.rename(old)
        build.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return manifest
    except BaseException:
        for w in writers.values():
            w.close()
        shutil.rmtree(build, ignore_errors=True)
        raise


def read_lake(directory: Any, *, since: str | None = None, until: str | None = None) -> Iterator[Event]:
    """The events of a Parquet lake (``write_lake``), by date then id; ``since``/``until``
    (inclusive ISO dates) prune whole partitions before reading.  E604 for a folder that is no lake."""
    from pathlib import Path

    _require_pyarrow()
    import pyarrow.dataset as ds

    root = Path(directory)
    if not (root / LAKE_MARKER).is_file():
        raise ExportError("E604", path=str(root), marker=LAKE_MARKER)
    manifest = json.loads((root / LAKE_MARKER).read_text(encoding="utf-8"))
    files = sorted(str(p) for p in root.rglob("*.parquet"))
    if not files:
        return
    import pyarrow as pa

    keys = manifest.get("partition_by", ["year", "month"])
    part_schema = pa.schema([(k, pa.string()) for k in keys])
    data = ds.dataset(files, schema=_parquet_schema(), format="parquet",
                      partitioning=ds.partitioning(part_schema, flavor="hive"), partition_base_dir=str(root))
    flt = None
    if since:
        flt = ds.field("event_date") >= dt.date.fromisoformat(since[:10])
    if until:
        f2 = ds.field("event_date") <= dt.date.fromisoformat(until[:10])
        flt = f2 if flt is None else flt & f2
    records = []
    for batch in data.to_batches(filter=flt, columns=list(_parquet_schema().names)):
        records.extend(batch.to_pylist())
    records.sort(key=lambda r: (r["event_date"].isoformat() if r["event_date"] else "", r["event_id"] or ""))
    for r in records:
        yield _event_of_record(r)


def _event_of_record(r: dict[str, Any]) -> Event:
    """An Event from one lake row (the inverse of ``event_record`` + ``_parquet_value``)."""
    data = {k: v for k, v in r.items() if k != "article_refs"}
    for k in ("event_date", "date_end"):
        data[k] = data[k].isoformat() if data.get(k) else ""
    if data.get("confidence") is not None:
        data["confidence"] = round(float(data["confidence"]), 6)       # stored as float32
    data["quantities"] = list(data.get("quantities") or [])
    for k, v in list(data.items()):
        if v is None and k in _STRING_FIELDS:
            data[k] = ""
    return Event.from_dict(data)


_STRING_FIELDS = frozenset(f for f in RECORD_FIELDS + PARQUET_EXTRA if f not in (
    "event_date", "date_end", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision",
    "fatalities", "geonameid", "latitude", "longitude", "confidence", "article_ids", "article_refs", "reasons",
    "quantities", "evidence"))
