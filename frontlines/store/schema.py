"""The SQLite schema: plain tables that `datasette` can open and browse as they are."""
from __future__ import annotations

import dataclasses

from frontlines.records import EVENT_FIELDS, Event

SCHEMA_VERSION = 1

#: Event columns in table order: EVENT_FIELDS, then the store-only Event fields.
EVENT_COLUMNS: tuple[str, ...] = EVENT_FIELDS + tuple(
    f.name for f in dataclasses.fields(Event) if f.name not in EVENT_FIELDS)

#: Event fields stored as JSON text.
JSON_COLUMNS = frozenset(f.name for f in dataclasses.fields(Event)
                         if str(f.type).startswith(("list", "dict")))


def _sql_type(annotation: str) -> str:
    a = str(annotation)
    if a.startswith(("list", "dict")):
        return "TEXT"          # JSON
    if a.startswith("int"):
        return "INTEGER"
    if a.startswith("float"):
        return "REAL"
    return "TEXT"


_TYPES = {f.name: _sql_type(f.type) for f in dataclasses.fields(Event)}


def q(name: str) -> str:
    """Quote an identifier ("end", "start" and "source" need it in places)."""
    return '"' + name.replace('"', '""') + '"'


def _events_table() -> str:
    cols = [f'{q("event_id")} TEXT PRIMARY KEY']
    cols += [f"{q(c)} {_TYPES[c]}" for c in EVENT_COLUMNS if c != "event_id"]
    cols.append(f'{q("updated_at")} TEXT')
    return "CREATE TABLE IF NOT EXISTS events (\n  " + ",\n  ".join(cols) + "\n)"


SCHEMA: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
    """CREATE TABLE IF NOT EXISTS articles (
  article_id TEXT PRIMARY KEY,
  url TEXT,
  title TEXT,
  source TEXT,
  date TEXT,
  date_reason TEXT,
  origin TEXT,
  text TEXT,
  meta TEXT,
  ingested_at TEXT,
  superseded_by TEXT REFERENCES articles(article_id)
)""",
    _events_table(),
    """CREATE TABLE IF NOT EXISTS evidence (
  event_id TEXT NOT NULL REFERENCES events(event_id),
  article_id TEXT NOT NULL REFERENCES articles(article_id),
  sentence TEXT,
  "start" INTEGER,
  "end" INTEGER,
  "trigger" TEXT,
  trigger_start INTEGER,
  trigger_end INTEGER,
  UNIQUE (event_id, article_id, "start", "end", trigger_start, trigger_end)
)""",
    """CREATE TABLE IF NOT EXISTS sources (
  source TEXT PRIMARY KEY,
  article_count INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE IF NOT EXISTS event_articles (
  event_id TEXT NOT NULL REFERENCES events(event_id),
  article_id TEXT NOT NULL REFERENCES articles(article_id),
  PRIMARY KEY (event_id, article_id)
)""",
    "CREATE INDEX IF NOT EXISTS idx_events_event_date ON events(event_date)",
    "CREATE INDEX IF NOT EXISTS idx_events_type ON events(event_type, sub_event_type)",
    "CREATE INDEX IF NOT EXISTS idx_events_location ON events(location, admin1)",
    "CREATE INDEX IF NOT EXISTS idx_events_geonameid ON events(geonameid)",
    "CREATE INDEX IF NOT EXISTS idx_evidence_event ON evidence(event_id)",
    "CREATE INDEX IF NOT EXISTS idx_evidence_article ON evidence(article_id)",
    "CREATE INDEX IF NOT EXISTS idx_event_articles_article ON event_articles(article_id)",
    "CREATE INDEX IF NOT EXISTS idx_articles_date ON articles(date)",
    "CREATE INDEX IF NOT EXISTS idx_articles_source ON articles(source)",
)

REQUIRED_TABLES = ("meta", "articles", "events", "evidence", "sources", "event_articles")
