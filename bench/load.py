"""A bounded load test of `frontlines serve` on loopback: many concurrent clients for a fixed time.

A synthetic database of ``--events`` events (bench/serve.py's, cached in $FRONTLINES_CACHE/bench-serve/)
is served by `frontlines serve` in its own process on 127.0.0.1; ``--clients`` asyncio clients
(httpx) then send requests in a loop, each waiting for its answer before the next, until
``--seconds`` have passed (and never more than ``--max-requests`` in all).  The requests are a mix
of what the dashboard and scripts ask: filtered pages of /api/events (sometimes CSV or GeoJSON,
sometimes the next page by cursor), /api/map at random views and zooms, /api/stats,
/api/histogram and single events.

Prints requests, errors (any status >= 500, a timeout or a dropped connection; 4xx are counted
apart), p50/p90/p99/max latency, requests per second, and the server's resident memory after a
warm-up (the first third of the run) and at the end.  Traffic goes to the loopback address only.

    .venv/bin/python bench/load.py                                   # 100k events, 50 clients, 2 minutes
    .venv/bin/python bench/load.py --seconds 10 --json
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Server:
    """`frontlines serve` on a free loopback port, in its own process."""

    def __init__(self, db: Path, extra: tuple[str, ...] = ()) -> None:
        from serve import free_port

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        import tempfile

        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([sys.executable, "-m", "frontlines.cli", "serve", "--db", str(db),
                                      "--host", "127.0.0.1", "--port", str(self.port), *extra],
                                     stdout=subprocess.DEVNULL, stderr=self.log, env=env)

    def log_tail(self, n: int = 3000) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-n:]

    def wait(self, timeout: float = 120) -> float:
        import httpx

        started = time.perf_counter()
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log_tail()}")
            try:
                if httpx.get(f"{self.base}/api/config", timeout=5).status_code == 200:
                    return time.perf_counter() - started
            except httpx.HTTPError:
                pass
            if time.perf_counter() - started > timeout:
                raise RuntimeError("the server did not answer in time")
            time.sleep(0.2)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Strategic developments", "Protests"]
ACTORS = ["Wagner Group", "Military Forces of Russia", "Rapid Support Forces", "Hamas", "Militia 7"]


def _request(rng: random.Random, event_ids: list[str]) -> tuple[str, dict]:
    start = 19045 + rng.randrange(700)                     # 2022-02-24 + days, as in the synthetic data
    since = time.strftime("%Y-%m-%d", time.gmtime(start * 86400))
    until = time.strftime("%Y-%m-%d", time.gmtime((start + rng.choice([7, 30, 90, 365])) * 86400))
    pick = rng.random()
    if pick < 0.40:
        params: dict = {"since": since, "until": until, "limit": rng.choice([20, 100, 500])}
        if rng.random() < 0.4:
            params["event_type"] = rng.choice(TYPES)
        if rng.random() < 0.2:
            params["actor"] = rng.choice(ACTORS)
        if rng.random() < 0.2:
            params["q"] = rng.choice(["shelling", "officials said", "fatalities"])
        if rng.random() < 0.2:
            params["sort"] = rng.choice(["fatalities", "-fatalities", "event_date"])
        if rng.random() < 0.1:
            params["format"] = rng.choice(["csv", "geojson"])
        return "/api/events", params
    if pick < 0.70:
        lat, lon, span = rng.uniform(10, 55), rng.uniform(25, 45), rng.choice([1, 4, 16, 60])
        return "/api/map", {"bbox": f"{lon - span},{max(lat - span / 2, -90)},{lon + span},{min(lat + span / 2, 90)}",
                            "zoom": rng.randrange(3, 14), "since": since, "until": until}
    if pick < 0.82:
        return "/api/stats", {"since": since, "until": until}
    if pick < 0.90:
        return "/api/histogram", {"event_type": rng.choice(TYPES)} if rng.random() < 0.5 else {}
    return f"/api/events/{rng.choice(event_ids)}", {}


async def _load(base: str, clients: int, seconds: float, max_requests: int, pid: int, seed: int) -> dict:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    client_errors = 0
    client_error_samples: list[str] = []
    done = 0
    warm_rss: list[float] = []
    deadline = time.perf_counter() + seconds
    warm_at = time.perf_counter() + seconds / 3
    # Idle connections are dropped by the client before the server's keep-alive timeout (uvicorn's
    # 5 s): with both at 5 s, a request sent on a connection the server is closing fails (ReadError),
    # a race of HTTP/1.1 keep-alive, not an error of the server's.
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=2.0)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
        first = (await http.get("/api/events", params={"limit": 1000})).json()["events"]
        event_ids = [e["event_id"] for e in first]

        async def client(n: int) -> None:
            nonlocal done, client_errors
            rng = random.Random(seed * 1000 + n)
            last: tuple[dict, str] | None = None      # the last page's query and its next cursor
            while time.perf_counter() < deadline and done < max_requests:
                path, params = _request(rng, event_ids)
                if path == "/api/events" and last and rng.random() < 0.3:
                    params = {**last[0], "cursor": last[1]}          # the next page of the same query
                started = time.perf_counter()
                try:
                    r = await http.get(path, params=params)
                except httpx.HTTPError as exc:
                    errors.append(f"{path} {params}: {type(exc).__name__} {exc} after "
                                  f"{time.perf_counter() - started:.2f}s")
                    continue
                finally:
                    done += 1
                latencies.append(time.perf_counter() - started)
                if r.status_code >= 500:
                    errors.append(f"{path} {params}: {r.status_code}")
                elif r.status_code >= 400:
                    client_errors += 1
                    if len(client_error_samples) < 5:
                        client_error_samples.append(f"{path} {params}: {r.status_code} {r.text[:120]}")
                elif path == "/api/events" and r.headers.get("X-Next-Cursor"):
                    last = ({k: v for k, v in params.items() if k != "cursor"}, r.headers["X-Next-Cursor"])
                if not warm_rss and time.perf_counter() >= warm_at:
                    warm_rss.append(rss_mb(pid))

        samples: list[float] = []

        async def sampler() -> None:            # the server's memory every 5 s, for the trend
            while time.perf_counter() < deadline and done < max_requests:
                samples.append(round(rss_mb(pid), 1))
                await asyncio.sleep(5)

        started = time.perf_counter()
        await asyncio.gather(sampler(), *(client(n) for n in range(clients)))
        elapsed = time.perf_counter() - started
    lat = sorted(latencies)

    def pct(p: float) -> float:
        return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 1) if lat else float("nan")

    end_rss = rss_mb(pid)
    return {"clients": clients, "seconds": round(elapsed, 1), "requests": done, "errors": len(errors),
            "error_samples": errors[:10], "client_errors": client_errors,
            "client_error_samples": client_error_samples,
            "requests_per_s": round(done / elapsed, 1) if elapsed else 0.0,
            "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p99_ms": pct(0.99), "max_ms": pct(1.0),
            "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else float("nan"),
            "rss_warm_mb": round(warm_rss[0] if warm_rss else end_rss, 1), "rss_end_mb": round(end_rss, 1),
            "rss_every_5s_mb": samples}


def run_load(db: Path, *, clients: int = 50, seconds: float = 120, max_requests: int = 1_000_000,
             seed: int = 3, server_args: tuple[str, ...] = ()) -> dict:
    """Serve ``db`` and load it; returns the figures (see the module docstring)."""
    server = Server(db, server_args)
    try:
        ready = server.wait()
        result = asyncio.run(_load(server.base, clients, seconds, max_requests, server.proc.pid, seed))
        result["server_start_s"] = round(ready, 1)
        if server.proc.poll() is not None:
            result["errors"] += 1
            result["error_samples"].append("the server exited during the run")
        result["server_log"] = server.log_tail()
        return result
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--max-requests", type=int, default=1_000_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from serve import synthetic_db

    db = synthetic_db(args.events)
    result = run_load(db, clients=args.clients, seconds=args.seconds, max_requests=args.max_requests)
    result["events"] = args.events
    if args.json:
        print(json.dumps(result))
        return
    print(f"{args.events:,} events, {result['clients']} clients, {result['seconds']}s: {result['requests']:,} requests "
          f"({result['requests_per_s']}/s), {result['errors']} errors, {result['client_errors']} 4xx")
    print(f"latency ms: p50 {result['p50_ms']}  p90 {result['p90_ms']}  p99 {result['p99_ms']}  max {result['max_ms']}")
    print(f"server memory: {result['rss_warm_mb']} MB after warm-up, {result['rss_end_mb']} MB at the end "
          f"(every 5 s: {', '.join(map(str, result['rss_every_5s_mb']))})")
    for sample in result["error_samples"]:
        print("  error:", sample)
    for sample in result["client_error_samples"]:
        print("  4xx:", sample)
    if result["server_log"].strip():
        print("server log (the end):\n" + result["server_log"])


if __name__ == "__main__":
    main()
