"""Tables fusion adds to a frontlines database (created idempotently, never altered).

* ``fusion_parts``: every event as first coded from one article (its *part*), with the
  fused event it now belongs to.  Fused events are rebuilt from their parts, so a merge can
  be undone and a superseded article version keeps its history here.
* ``fusion_events``: per fused event, how many parts, articles and independent sources.
* ``merges``: the log of joins, splits, unmerges and supersessions, with reason codes.
* ``event_claims``: every claim about a fused event, with its claimant and side.
* ``event_links``: relations between events (retaliation, consequences, contradictions).
* ``control_changes``: territorial control timelines, one row per change.
"""
from __future__ import annotations

import sqlite3

FUSION_SCHEMA_VERSION = 1

FUSION_SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS fusion_parts (
  part_id TEXT PRIMARY KEY,
  article_id TEXT NOT NULL REFERENCES articles(article_id),
  event_id TEXT REFERENCES events(event_id),
  seq INTEGER NOT NULL,
  record TEXT NOT NULL,
  superseded_by TEXT REFERENCES articles(article_id),
  added_at TEXT
)""",
    "CREATE INDEX IF NOT EXISTS idx_fusion_parts_event ON fusion_parts(event_id)",
    "CREATE INDEX IF NOT EXISTS idx_fusion_parts_article ON fusion_parts(article_id)",
    """CREATE TABLE IF NOT EXISTS fusion_events (
  event_id TEXT PRIMARY KEY REFERENCES events(event_id),
  n_parts INTEGER NOT NULL,
  n_articles INTEGER NOT NULL,
  n_sources INTEGER NOT NULL,
  sources TEXT,
  disputed INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT
)""",
    """CREATE TABLE IF NOT EXISTS merges (
  kept_id TEXT NOT NULL,
  merged_id TEXT NOT NULL,
  action TEXT NOT NULL,
  reason TEXT,
  at TEXT
)""",
    "CREATE INDEX IF NOT EXISTS idx_merges_kept ON merges(kept_id)",
    "CREATE INDEX IF NOT EXISTS idx_merges_merged ON merges(merged_id)",
    """CREATE TABLE IF NOT EXISTS event_claims (
  event_id TEXT NOT NULL REFERENCES events(event_id),
  part_id TEXT NOT NULL,
  article_id TEXT REFERENCES articles(article_id),
  claimant TEXT NOT NULL,
  side TEXT,
  claim_status TEXT,
  sub_event_type TEXT,
  actor1 TEXT,
  actor2 TEXT,
  fatalities INTEGER,
  quantities TEXT,
  PRIMARY KEY (event_id, part_id, claimant)
)""",
    """CREATE TABLE IF NOT EXISTS event_links (
  event_id TEXT NOT NULL REFERENCES events(event_id),
  related_id TEXT NOT NULL DEFAULT '',
  relation TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  reason TEXT,
  evidence TEXT,
  at TEXT,
  PRIMARY KEY (event_id, related_id, relation, detail)
)""",
    "CREATE INDEX IF NOT EXISTS idx_event_links_related ON event_links(related_id)",
    """CREATE TABLE IF NOT EXISTS control_changes (
  geonameid INTEGER,
  place TEXT NOT NULL,
  admin1 TEXT,
  country TEXT,
  latitude REAL,
  longitude REAL,
  date TEXT NOT NULL,
  controller TEXT NOT NULL,
  previous TEXT,
  claim_status TEXT,
  event_ids TEXT,
  reasons TEXT,
  PRIMARY KEY (place, date, controller)
)""",
    "CREATE INDEX IF NOT EXISTS idx_control_changes_date ON control_changes(date)",
    # candidate look-ups for incremental fusion: family (sub-event types) x date
    "CREATE INDEX IF NOT EXISTS idx_events_fusion_block ON events(sub_event_type, event_date)",
)

FUSION_TABLES = ("fusion_parts", "fusion_events", "merges", "event_claims", "event_links", "control_changes")


def schema_ready(db: sqlite3.Connection) -> bool:
    """Are the fusion tables and indexes there (a read: no write lock needed to ask)?"""
    have = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
    return all(t in have for t in FUSION_TABLES) and "idx_events_fusion_block" in have


def ensure_schema(db: sqlite3.Connection) -> None:
    """Create the fusion tables and indexes if they are missing (safe to call every time)."""
    if schema_ready(db):
        return
    for stmt in FUSION_SCHEMA:
        db.execute(stmt)
    db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('fusion_schema_version', ?)",
               (str(FUSION_SCHEMA_VERSION),))
