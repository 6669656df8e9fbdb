"""Shared fixtures. Tests in tests/unit need no model; tests marked e2e load spaCy and read ../shared."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def pipeline():
    from frontlines.pipeline import Pipeline

    p = Pipeline()
    p.warm_up()
    return p


@pytest.fixture(scope="session")
def background_pipeline(pipeline):
    """The same model and gazetteer, keeping what the coder sets aside (with its reason codes):
    for tests of a coder decision that the report-level rules would then hide (an event with no
    named place is no ACLED event, but who did it and where it is *not* still matter)."""
    from frontlines.pipeline import Pipeline

    return Pipeline(lexicon=pipeline.lexicon, gazetteer=pipeline._gazetteer, include_background=True,
                    nlp=pipeline.nlp)


# ---------------------------------------------------------------------- PostgreSQL (e2e)
@pytest.fixture(scope="session")
def pg_url():
    """A database on a throwaway PostgreSQL server started for the session (see tests/pg_server.py)."""
    import pg_server

    yield pg_server.new_database()


def pytest_sessionfinish(session, exitstatus):
    import sys

    mod = sys.modules.get("pg_server")
    if mod is not None:
        mod.stop()
