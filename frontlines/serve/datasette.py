"""Metadata for browsing a frontlines database in datasette.

    frontlines datasette-metadata --db frontlines.db -o metadata.json
    datasette frontlines.db -m metadata.json          # with datasette-cluster-map: events on a map

The events table opens newest first, faceted by type, province, claim status and country, with
every column described; ``datasette-cluster-map`` (the ``datasette`` extra) finds the latitude
and longitude columns and draws the events on a map.  Canned queries answer the usual
questions (a day's events, disputed claims, an event's evidence, control on a day).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EVENT_COLUMNS = {
    "event_id": "frontlines' id of the event (ACLED's event_id_cnty)",
    "event_date": "the day it happened (YYYY-MM-DD)",
    "time_precision": "1 the day, 2 the week or weekend, 3 the month",
    "event_type": "ACLED event type",
    "sub_event_type": "ACLED sub-event type",
    "actor1": "who acted (ACLED actor name)",
    "actor2": "against whom",
    "location": "the place, named as ACLED names it",
    "admin1": "province", "admin2": "district",
    "latitude": "WGS84", "longitude": "WGS84",
    "geo_precision": "1 the place itself, 2 near it or part of a region, 3 a larger region",
    "fatalities": "deaths by ACLED's counting rules",
    "notes": "a one-line summary composed from the coded fields",
    "source": "the outlets behind the event",
    "article_ids": "the articles behind the event (JSON list)",
    "claimed_by": "who claims it (empty when the outlet says it in its own voice)",
    "claim_status": "reported, claimed, disputed or denied",
    "evidence": "the supporting sentences with character offsets (JSON)",
    "reasons": "why this type, place, date and actors (JSON list of codes)",
    "confidence": "0 to 1",
}

QUERIES = {
    "events_on_a_day": {
        "title": "Events on a day",
        "sql": "select event_id, event_type, sub_event_type, location, admin1, actor1, actor2, fatalities, "
               "claim_status, notes from events where event_date = :day order by fatalities desc",
    },
    "disputed_claims": {
        "title": "Disputed events and each side's claim",
        "sql": "select e.event_date, e.location, e.sub_event_type, c.claimant, c.side, c.claim_status, "
               "c.sub_event_type as claimed_type, c.fatalities as claimed_fatalities, c.event_id "
               "from events e join event_claims c on c.event_id = e.event_id "
               "where e.claim_status = 'disputed' order by e.event_date desc, c.event_id, c.claimant",
    },
    "evidence_of_an_event": {
        "title": "The evidence of an event",
        "sql": "select v.sentence, v.\"trigger\", a.source, a.title, a.url, a.date from evidence v "
               "join articles a on a.article_id = v.article_id where v.event_id = :event_id",
    },
    "control_on_a_day": {
        "title": "Who controlled each settlement on a day (as of the last `frontlines fuse`)",
        "sql": "select place, admin1, controller, max(date) as since, claim_status, event_ids, latitude, longitude "
               "from control_changes where date <= :day group by place, admin1 order by admin1, place",
    },
}


def metadata(db_name: str = "frontlines", *, with_fusion: bool = True) -> dict[str, Any]:
    """datasette metadata for a database that datasette names ``db_name`` (its file name
    without the extension)."""
    queries = dict(QUERIES)
    if not with_fusion:
        queries = {k: v for k, v in queries.items() if k not in ("disputed_claims", "control_on_a_day")}
    return {
        "title": "frontlines",
        "description": "Conflict events coded from news reports, each with the sentences that support it.",
        "databases": {db_name: {
            "tables": {
                "events": {
                    "description": "One row an event, ACLED's columns where ACLED has the field.",
                    "sort_desc": "event_date",
                    "facets": ["event_type", "sub_event_type", "admin1", "claim_status", "country"],
                    "label_column": "location",
                    "columns": EVENT_COLUMNS,
                    "plugins": {"datasette-cluster-map": {"latitude_column": "latitude",
                                                          "longitude_column": "longitude"}},
                },
                "articles": {"description": "The reports the events were coded from.", "sort_desc": "date",
                             "facets": ["source"], "label_column": "title"},
                "evidence": {"description": "The sentences that support each event, with character offsets.",
                             "facets": ["trigger"]},
                "sources": {"description": "Outlets and how many of their reports are stored.",
                            "sort_desc": "article_count"},
                "event_claims": {"description": "Each side's claim about a fused event.",
                                 "facets": ["claimant", "side", "claim_status"]},
                "control_changes": {"description": "Changes of territorial control, one row a change.",
                                    "sort_desc": "date", "facets": ["controller", "admin1"],
                                    "plugins": {"datasette-cluster-map": {"latitude_column": "latitude",
                                                                          "longitude_column": "longitude"}}},
                "meta": {"hidden": True},
                "fusion_parts": {"hidden": True},
            },
            "queries": queries,
        }},
    }


def write_metadata(db: str | Path, out: Any) -> dict[str, Any]:
    """Write the metadata for ``db`` (keyed by its name as datasette will call it) to ``out``
    (a path or a text file); returns it."""
    import sqlite3

    path = Path(db)
    with_fusion = False
    if path.exists():
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            with_fusion = con.execute("SELECT 1 FROM sqlite_master WHERE name='event_claims'").fetchone() is not None
        finally:
            con.close()
    data = metadata(path.stem, with_fusion=with_fusion)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if hasattr(out, "write"):
        out.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")
    return data
