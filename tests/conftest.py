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
