"""What the server reads: one open store, its event index kept fresh, and cached control answers.

The index (``frontlines.store.query.EventIndex``) is rebuilt when the database changes:
SQLite's ``data_version`` tells when another process committed, and the server's own writes
say so themselves.  A rebuild runs in a background thread while the previous index keeps
answering, so a million-event database stays responsive while it reloads.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

from frontlines.store import open_store
from frontlines.store.query import EventIndex, TextSource, data_version

log = logging.getLogger(__name__)

CONTROL_CACHE = 64


class ServeData:
    """The store the server reads and writes, and the index over its events."""

    def __init__(self, db: str | Path, *, gazetteer: Any = None) -> None:
        self.path = str(db)
        self.store = open_store(db)
        self.db = self.store.connection
        self.lock = self.store.lock
        self._gazetteer = gazetteer
        self._index: EventIndex | None = None
        self._version: int | None = None
        self._writes = 0
        self._rebuilding = False
        self._state = threading.Lock()
        self._control: OrderedDict[tuple, Any] = OrderedDict()
        self.text = TextSource(self.db, self.lock)
        self.loaded_at = 0.0
        self.load_seconds = 0.0

    # ------------------------------------------------------------------ the index
    def _stamp(self) -> tuple[int, int]:
        return data_version(self.db, self.lock), self._writes

    def _build(self) -> EventIndex:
        started = time.perf_counter()
        stamp = self._stamp()
        index = EventIndex.load(self.db, lock=self.lock)
        index.generation = stamp
        self.load_seconds = time.perf_counter() - started
        self.loaded_at = time.time()
        log.info("indexed %d events in %.2fs", index.size, self.load_seconds)
        return index

    def index(self) -> EventIndex:
        """The current index; the first call builds it, later calls start a rebuild in the
        background when the database has changed and answer from the previous one meanwhile."""
        current = self._index
        if current is None:
            with self._state:
                if self._index is None:
                    self._index = self._build()
                return self._index
        if current.generation != self._stamp():
            self._refresh_in_background()
        return current

    def _refresh_in_background(self) -> None:
        with self._state:
            if self._rebuilding:
                return
            self._rebuilding = True

        def work() -> None:
            try:
                self._index = self._build()
                self._control.clear()
            except Exception:                       # the old index keeps answering
                log.exception("rebuilding the event index failed")
            finally:
                self._rebuilding = False

        threading.Thread(target=work, name="frontlines-index", daemon=True).start()

    def refresh_now(self) -> EventIndex:
        """Rebuild at once (after the server's own writes, so a client sees what it added)."""
        with self._state:
            self._writes += 1
            self._index = self._build()
            self._control.clear()
            return self._index

    # ------------------------------------------------------------------ control
    @property
    def gazetteer(self):
        if self._gazetteer is None:
            from frontlines.control import default_gazetteer

            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def cached(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """A control answer for this state of the database (cached: timelines are rebuilt from
        the territorial events each time)."""
        full = (self._stamp(),) + key
        hit = self._control.get(full)
        if hit is not None:
            self._control.move_to_end(full)
            return hit
        value = compute()
        self._control[full] = value
        while len(self._control) > CONTROL_CACHE:
            self._control.popitem(last=False)
        return value

    def close(self) -> None:
        self.store.close()
