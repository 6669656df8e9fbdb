"""The throwaway PostgreSQL server the e2e tests share (one per test session), and an empty
PostgresStore per test (tables truncated, identities restarted)."""
from __future__ import annotations

import os
import uuid

import pytest

from frontlines.store.pgtemp import TempPostgres, available

TABLES = ("articles", "events", "evidence", "sources", "event_articles", "fusion_parts", "fusion_events", "merges",
          "event_claims", "event_links", "control_changes", "backfill_partitions")
_server: TempPostgres | None = None


def server() -> TempPostgres:
    """The session's server, started on first use.  Skips the test where no PostgreSQL can be
    started, unless FRONTLINES_REQUIRE_POSTGRES is set (as `make test` does), where it fails."""
    global _server
    if _server is None:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            _missing("psycopg is not installed (pip install 'frontlines[postgres]')")
        if not available():
            _missing("no PostgreSQL server binaries (Debian: apt-get install postgresql postgis)")
        _server = TempPostgres().start()
    return _server


def _missing(why: str) -> None:
    if os.environ.get("FRONTLINES_REQUIRE_POSTGRES"):
        pytest.fail(why)
    pytest.skip(why)


def stop() -> None:
    global _server
    if _server is not None:
        _server.stop()
        _server = None


def new_database() -> str:
    return server().create_database("t_" + uuid.uuid4().hex[:12])


def empty(store) -> None:
    """Truncate every table of a PostgresStore (a fresh database costs a third of a second)."""
    with store.transaction() as db:
        db.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY")
