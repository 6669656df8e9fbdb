"""FusionStore: the fusion tables beside the store's own.

Events are written through the store's public API (``replace_events``,
``delete_events``, ``mark_superseded``); the fusion tables through the store's
``connection`` (SQLite's, or the PostgreSQL store's, which takes the same SQL). A fused event and
its rows in fusion's tables are written in one transaction; callers make a whole article's (or a
whole re-fusion's) writes one with ``store.atomic`` (the store's transactions nest).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import threading
from typing import Any, Iterable, Sequence
from urllib.parse import urlparse

from frontlines.records import Event

from .match import FAMILY_TYPES, F_D0, F_D1, F_FAM, F_LAT, F_LEVEL, F_LON, signature
from .merge import Merged, Part
from .schema import ensure_schema, schema_ready

log = logging.getLogger(__name__)

SEQ_STRIDE = 10_000      # part seq = article rowid * SEQ_STRIDE + position in the article


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def host_of(url: str) -> str:
    try:
        host = urlparse((url or "").strip()).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


class ArticleInfo:
    __slots__ = ("article_id", "rowid", "url", "title", "outlet", "source_key", "date", "superseded_by")

    def __init__(self, row: sqlite3.Row) -> None:
        meta = json.loads(row["meta"]) if row["meta"] else {}
        self.article_id = row["article_id"]
        self.rowid = row["rowid"]
        self.url = row["url"] or ""
        self.title = row["title"] or ""
        based_on = meta.get("based_on") if isinstance(meta.get("based_on"), str) else ""
        agency = meta.get("agency") if isinstance(meta.get("agency"), str) else ""
        self.outlet = (row["source"] or host_of(self.url) or host_of(based_on) or agency or "")
        self.source_key = (agency or self.outlet or f"article:{self.article_id}").lower()
        self.date = row["date"] or ""
        self.superseded_by = row["superseded_by"] or ""


class FusionStore:
    """Wraps an open store that has ``connection``, ``lock`` and ``transaction()`` besides the
    EventStore methods (SQLiteStore, PostgresStore)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        db = getattr(store, "connection", None)
        if db is None or not callable(getattr(db, "execute", None)) or not hasattr(store, "transaction"):
            raise TypeError("fusion needs a store with an SQL connection (SQLite or PostgreSQL)")
        self.db = db
        self.lock = getattr(store, "lock", None) or threading.RLock()
        with self.lock:
            ready = schema_ready(self.db)
        if not ready:       # only then the write lock: readers (the server's control and explain) never wait for it
            with self.transaction():
                ensure_schema(self.db)
        self._articles: dict[str, ArticleInfo] = {}

    def transaction(self):
        """The store's own write transaction, so fusion tables and events commit alike."""
        return self.store.transaction()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self.db.execute(sql, params).fetchall()

    # ------------------------------------------------------------------ articles
    def article(self, article_id: str) -> ArticleInfo | None:
        info = self._articles.get(article_id)
        if info is None:
            rows = self.query("SELECT rowid, article_id, url, title, source, date, meta, superseded_by"
                              " FROM articles WHERE article_id=?", (article_id,))
            if not rows:
                return None
            info = self._articles[article_id] = ArticleInfo(rows[0])
        return info

    def forget_article(self, article_id: str) -> None:
        self._articles.pop(article_id, None)

    def article_text(self, article_id: str) -> str:
        rows = self.query("SELECT text FROM articles WHERE article_id=?", (article_id,))
        return (rows[0]["text"] or "") if rows else ""

    def articles_in_order(self) -> list[str]:
        return [r[0] for r in self.query("SELECT article_id FROM articles ORDER BY rowid")]

    # ------------------------------------------------------------------ parts
    def is_registered(self, article_id: str) -> bool:
        return bool(self.query("SELECT 1 FROM fusion_parts WHERE article_id=? LIMIT 1", (article_id,)))

    def raw_events_of(self, article_id: str) -> list[Event]:
        """The article's events as the coder stored them, not yet known to fusion."""
        rows = self.query(
            "SELECT e.event_id FROM event_articles ea JOIN events e ON e.event_id = ea.event_id"
            " WHERE ea.article_id=? AND e.event_id NOT IN (SELECT part_id FROM fusion_parts)"
            " AND e.event_id NOT IN (SELECT event_id FROM fusion_parts WHERE event_id IS NOT NULL)"
            " ORDER BY e.rowid", (article_id,))
        out = []
        for r in rows:
            ev = self.store.get_event(r[0])
            if ev is not None:
                out.append(ev)
        return out

    def register(self, article_id: str, events: Sequence[Event]) -> list[Part]:
        info = self.article(article_id)
        base = (info.rowid if info else 0) * SEQ_STRIDE
        parts = []
        with self.transaction() as db:
            for i, ev in enumerate(events):
                seq = base + i
                db.execute("INSERT OR IGNORE INTO fusion_parts(part_id, article_id, event_id, seq, record,"
                           " superseded_by, added_at) VALUES (?,?,NULL,?,?,NULL,?)",
                           (ev.event_id, article_id, seq, json.dumps(ev.to_full_dict(), ensure_ascii=False),
                            now()))
                parts.append(self._part(ev, article_id, seq))
        return parts

    def _part(self, ev: Event, article_id: str, seq: int) -> Part:
        info = self.article(article_id)
        return Part(ev, article_id, info.outlet if info else ev.source, info.source_key if info else "",
                    info.date if info else "", seq)

    def _parts(self, rows: Iterable[sqlite3.Row]) -> list[Part]:
        return [self._part(Event.from_dict(json.loads(r["record"])), r["article_id"], r["seq"]) for r in rows]

    def parts_of_event(self, event_id: str) -> list[Part]:
        return self._parts(self.query("SELECT * FROM fusion_parts WHERE event_id=? AND superseded_by IS NULL"
                                      " ORDER BY seq", (event_id,)))

    def parts_of_article(self, article_id: str, *, active: bool = True) -> list[Part]:
        sql = "SELECT * FROM fusion_parts WHERE article_id=?"
        if active:
            sql += " AND superseded_by IS NULL"
        return self._parts(self.query(sql + " ORDER BY seq", (article_id,)))

    def all_active_parts(self) -> list[Part]:
        return self._parts(self.query("SELECT * FROM fusion_parts WHERE superseded_by IS NULL ORDER BY seq"))

    def event_of_part(self, part_id: str) -> str | None:
        rows = self.query("SELECT event_id FROM fusion_parts WHERE part_id=?", (part_id,))
        return rows[0][0] if rows else None

    def first_seq(self, event_id: str) -> int:
        rows = self.query("SELECT MIN(seq) FROM fusion_parts WHERE event_id=?", (event_id,))
        return rows[0][0] if rows and rows[0][0] is not None else 1 << 62

    def articles_of_event(self, event_id: str) -> set[str]:
        return {r[0] for r in self.query("SELECT article_id FROM event_articles WHERE event_id=?", (event_id,))}

    # ------------------------------------------------------------------ candidates
    def candidates(self, sig: tuple) -> list[Event]:
        """Fused events that may be the same happening: same family, days within reach,
        and (for placed events) the same region or a box around the place."""
        types = FAMILY_TYPES.get(sig[F_FAM], (sig[F_FAM],))
        lo = dt.date.fromordinal(max(1, sig[F_D0] - 17)).isoformat()
        hi = dt.date.fromordinal(max(1, sig[F_D1] + 17)).isoformat()
        marks = ",".join("?" for _ in types)
        where = f"sub_event_type IN ({marks}) AND event_date BETWEEN ? AND ?"
        params: list[Any] = [*types, lo, hi]
        if sig[F_LEVEL] == 1 and sig[F_LAT] is not None:
            where += (" AND ((latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?) OR geo_precision >= 3"
                      " OR location = admin1)")
            params += [sig[F_LAT] - 0.6, sig[F_LAT] + 0.6, sig[F_LON] - 0.9, sig[F_LON] + 0.9]
        return self.store.query_events(where, params)

    # ------------------------------------------------------------------ writing
    def write(self, merged: Sequence[Merged], members: dict[str, list[Part]], *, remove: Iterable[str] = (),
              log_rows: Sequence[tuple[str, str, str, str]] = ()) -> None:
        """Store fused events (replacing ``remove``), point their parts at them, and keep the
        fusion tables in step.  ``members``: fused event id -> its parts."""
        kept = {m.event.event_id for m in merged}           # (once: per removed id it was quadratic)
        remove = [r for r in dict.fromkeys(remove) if r not in kept]
        with self.transaction():          # the events and fusion's tables change together
            self._write(merged, members, remove, log_rows)

    def _write(self, merged: Sequence[Merged], members: dict[str, list[Part]], remove: list[str],
               log_rows: Sequence[tuple[str, str, str, str]]) -> None:
        self.store.replace_events([m.event for m in merged], remove=remove)
        stamp = now()
        with self.transaction() as db:
            for rid in remove:
                db.execute("DELETE FROM fusion_events WHERE event_id=?", (rid,))
                db.execute("DELETE FROM event_claims WHERE event_id=?", (rid,))
            for m in merged:
                eid = m.event.event_id
                parts = members.get(eid, [])
                db.executemany("UPDATE fusion_parts SET event_id=? WHERE part_id=?",
                               [(eid, p.part_id) for p in parts])
                db.execute("INSERT OR REPLACE INTO fusion_events(event_id, n_parts, n_articles, n_sources, sources,"
                           " disputed, updated_at) VALUES (?,?,?,?,?,?,?)",
                           (eid, len(parts), len(m.event.article_ids), m.n_sources, "; ".join(m.sources),
                            int(m.disputed), stamp))
                db.execute("DELETE FROM event_claims WHERE event_id=?", (eid,))
                db.executemany(
                    "INSERT OR REPLACE INTO event_claims(event_id, part_id, article_id, claimant, side, claim_status,"
                    " sub_event_type, actor1, actor2, fatalities, quantities) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    [(eid, c.part_id, c.article_id, c.claimant, c.side, c.claim_status, c.sub_event_type, c.actor1,
                      c.actor2, c.fatalities, json.dumps(c.quantities)) for c in m.claims])
            db.executemany("INSERT INTO merges(kept_id, merged_id, action, reason, at) VALUES (?,?,?,?,?)",
                           [(*row, stamp) for row in log_rows])

    def log(self, rows: Sequence[tuple[str, str, str, str]]) -> None:
        stamp = now()
        with self.transaction() as db:
            db.executemany("INSERT INTO merges(kept_id, merged_id, action, reason, at) VALUES (?,?,?,?,?)",
                           [(*row, stamp) for row in rows])

    def drop_event(self, event_id: str) -> None:
        with self.transaction() as db:
            self.store.delete_events([event_id])
            for table in ("fusion_events", "event_claims"):
                db.execute(f"DELETE FROM {table} WHERE event_id=?", (event_id,))
            db.execute("DELETE FROM event_links WHERE event_id=? OR related_id=?", (event_id, event_id))

    def supersede_parts(self, article_id: str, by: str) -> list[str]:
        """Mark an article's active parts as superseded; returns the fused events they were in."""
        rows = self.query("SELECT DISTINCT event_id FROM fusion_parts WHERE article_id=? AND superseded_by IS NULL"
                          " AND event_id IS NOT NULL", (article_id,))
        with self.transaction() as db:
            db.execute("UPDATE fusion_parts SET superseded_by=?, event_id=NULL WHERE article_id=?"
                       " AND superseded_by IS NULL", (by, article_id))
        return [r[0] for r in rows]

    def link(self, event_id: str, related_id: str, relation: str, reason: str, detail: str = "",
             evidence: str = "") -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO event_links(event_id, related_id, relation, detail, reason, evidence, at)"
                       " VALUES (?,?,?,?,?,?,?)", (event_id, related_id, relation, detail, reason, evidence, now()))

    def links_of(self, event_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.query("SELECT * FROM event_links WHERE event_id=? OR related_id=?"
                                            " ORDER BY relation, event_id", (event_id, event_id))]

    def merges_of(self, event_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.query("SELECT * FROM merges WHERE kept_id=? OR merged_id=? ORDER BY rowid",
                                            (event_id, event_id))]

    def claims_of(self, event_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.query("SELECT * FROM event_claims WHERE event_id=? ORDER BY part_id",
                                            (event_id,))]

    def fusion_row(self, event_id: str) -> dict[str, Any] | None:
        rows = self.query("SELECT * FROM fusion_events WHERE event_id=?", (event_id,))
        return dict(rows[0]) if rows else None


def sig_of(ev: Event) -> tuple:
    return signature(ev, "")
