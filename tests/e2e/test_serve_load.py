"""A bounded load test of `frontlines serve` on loopback (bench/load.py): 50 concurrent clients on
100,000 events; no request fails and the server's memory stays flat.  Ten seconds by default;
the two-minute run is behind the `slow` marker.  Latency is reported, not asserted (it is the
machine's): `python bench/load.py` prints p50/p99."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def load(tmp_path_factory):
    """bench/load.py, and the 100k-event database (built in a temporary folder unless
    FRONTLINES_LOAD_CACHE names a folder to keep it in)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("frontlines_bench_load", BENCH / "load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)            # (it puts bench/ on sys.path, for bench/serve.py)
    import serve as bench_serve

    cache = os.environ.get("FRONTLINES_LOAD_CACHE") or str(tmp_path_factory.mktemp("load-cache"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FRONTLINES_CACHE", cache)
        db = bench_serve.synthetic_db(100_000)
    return module, db


def _check(result: dict) -> None:
    print(f"\n{result['requests']} requests by {result['clients']} clients in {result['seconds']}s: "
          f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms; server memory {result['rss_warm_mb']} MB after "
          f"warm-up, {result['rss_end_mb']} MB at the end; every 5 s: {result['rss_every_5s_mb']}")
    assert result["errors"] == 0, (result["error_samples"], result["server_log"])
    assert result["client_errors"] == 0, result["client_error_samples"]
    assert result["requests"] >= result["clients"] * 2
    # flat: what the run adds after warm-up stays within a quarter of the warm figure (and 40 MB at least)
    assert result["rss_end_mb"] <= result["rss_warm_mb"] + max(40.0, result["rss_warm_mb"] * 0.25), result


def test_fifty_clients_for_ten_seconds(load):
    module, db = load
    _check(module.run_load(db, clients=50, seconds=10))


@pytest.mark.slow
def test_fifty_clients_for_two_minutes(load):
    module, db = load
    _check(module.run_load(db, clients=50, seconds=120))
