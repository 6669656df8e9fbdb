"""How fast `frontlines serve` answers at 10k, 100k and 1M events.

For each size: a synthetic database (cached in $FRONTLINES_CACHE/bench-serve/), `frontlines serve`
started on loopback in its own process, then a bounded async load generator (httpx, a fixed
number of requests at a fixed concurrency, and a time limit) on

* ``/api/events``: a filtered page of 100 (a date window, sometimes a type, an actor or a
  bounding box, in random combinations);
* ``/api/map``: the map aggregation for a random view and zoom and date window;

and the dashboard's first load in Debian's headless Chromium (navigation to the page's "ready"
mark: config, basemap, clusters, feed and histogram drawn).  Prints p50/p99 latency, requests/s,
the server's index build time and memory.  Client and server share the machine's cores.

    .venv/bin/python bench/serve.py                       # 10k, 100k, 1M; 1 and 8 requests in flight
    .venv/bin/python bench/serve.py --sizes 10000 --requests 200 --json
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TYPES = [
    ("Battles", "Armed clash", 0.30), ("Explosions/Remote violence", "Shelling/artillery/missile attack", 0.35),
    ("Explosions/Remote violence", "Air/drone strike", 0.15), ("Violence against civilians", "Attack", 0.08),
    ("Strategic developments", "Looting/property destruction", 0.05), ("Protests", "Peaceful protest", 0.05),
    ("Riots", "Mob violence", 0.02),
]
HUBS = [  # name, admin1, country, lat, lon, weight
    ("Bakhmut", "Donetsk Oblast", "Ukraine", 48.59, 38.00, 5), ("Kharkiv", "Kharkiv Oblast", "Ukraine", 49.99, 36.23, 3),
    ("Kherson", "Kherson Oblast", "Ukraine", 46.64, 32.62, 3), ("Zaporizhzhia", "Zaporizhzhia Oblast", "Ukraine",
                                                                  47.82, 35.19, 2),
    ("Belgorod", "Belgorod Oblast", "Russia", 50.60, 36.59, 1), ("Kyiv", "Kyiv City", "Ukraine", 50.45, 30.52, 1),
    ("Khartoum", "Khartoum", "Sudan", 15.50, 32.56, 1), ("Gaza", "Gaza Strip", "Palestine", 31.50, 34.47, 1),
]
ACTORS = ["Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)", "Wagner Group",
          "Rapid Support Forces", "Military Forces of Sudan (2019-)", "Civilians (Ukraine)", "Protesters (Russia)",
          "Military Forces of Israel (2022-)", "Hamas Movement"] + [f"Militia {i}" for i in range(40)]
SOURCES = ["Reuters", "AP", "TASS", "Kyiv Independent", "Ukrainska Pravda", "BBC", "Al Jazeera", "Meduza"]
START = dt.date(2022, 2, 24)
SPAN_DAYS = 730


def cache_dir() -> Path:
    base = Path(os.environ.get("FRONTLINES_CACHE") or Path.home() / ".cache" / "frontlines")
    d = base / "bench-serve"
    d.mkdir(parents=True, exist_ok=True)
    return d


def synthetic_db(n: int, seed: int = 11) -> Path:
    """A frontlines database with ``n`` events (written straight into the events table)."""
    from frontlines.store import open_store
    from frontlines.store.schema import EVENT_COLUMNS, q

    path = cache_dir() / f"events-{n}.db"
    if path.exists():
        with open_store(path) as store:
            if store.count_events() == n:
                return path
        path.unlink()
    rng = random.Random(seed)
    weights = [h[5] for h in HUBS]
    type_w = [t[2] for t in TYPES]
    cols = list(EVENT_COLUMNS) + ["updated_at"]
    started = time.perf_counter()
    with open_store(path) as store:
        db = store.connection
        sql = f"INSERT INTO events ({', '.join(q(c) for c in cols)}) VALUES ({', '.join('?' * len(cols))})"
        batch = []
        for i in range(n):
            hub = rng.choices(HUBS, weights)[0]
            etype, sub, _w = rng.choices(TYPES, type_w)[0]
            day = START + dt.timedelta(days=rng.randrange(SPAN_DAYS))
            lat, lon = hub[3] + rng.gauss(0, 0.6), hub[4] + rng.gauss(0, 0.9)
            a1, a2 = rng.sample(ACTORS, 2)
            source = "; ".join(rng.sample(SOURCES, rng.choice([1, 1, 1, 2, 3])))
            deaths = rng.choice([0, 0, 0, 0, 1, 1, 2, 3, 5, 12])
            sentence = f"{a1} {sub.lower()} near {hub[0]} on {day:%A}, officials said."
            row = {c: None for c in cols}
            row.update(event_id=f"BEN{i:010d}", event_date=day.isoformat(), time_precision=1, event_type=etype,
                       sub_event_type=sub, disorder_type="Political violence", actor1=a1, actor2=a2,
                       country=hub[2], admin1=hub[1], location=f"{hub[0]} area {i % 97}", latitude=round(lat, 4),
                       longitude=round(lon, 4), geo_precision=1, fatalities=deaths, source=source,
                       notes=f"On {day}, {a1} attacked near {hub[0]}. {deaths} fatalities.",
                       article_ids=json.dumps([f"ART{i:010d}"]), claimed_by="", claim_status=rng.choice(
                           ["reported"] * 8 + ["claimed", "disputed"]), confidence=0.7,
                       quantities="[]", reasons=json.dumps(["type:trigger", "geo:named"]),
                       evidence=json.dumps([{"article_id": f"ART{i:010d}", "sentence": sentence, "start": 0,
                                             "end": len(sentence), "trigger": sub.split("/")[0].lower(),
                                             "trigger_start": -1, "trigger_end": -1}]),
                       updated_at="2024-01-01T00:00:00+00:00")
            for c in ("assoc_actor_1", "assoc_actor_2", "civilian_targeting", "admin2", "admin3", "tags", "target",
                      "target_category", "plover_event", "plover_mode", "cameo_root", "date_end", "region",
                      "source_scale"):
                row[c] = ""
            batch.append(tuple(row[c] for c in cols))
            if len(batch) == 50_000:
                with store.transaction():
                    db.executemany(sql, batch)
                batch = []
        if batch:
            with store.transaction():
                db.executemany(sql, batch)
    print(f"  built {path.name}: {n:,} events in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db: Path, workers: int = 1) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        exe = Path(sys.executable).with_name("frontlines")
        self.proc = subprocess.Popen([str(exe), "serve", "--db", str(db), "--port", str(self.port),
                                      "--workers", str(workers)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started = time.perf_counter()
        import httpx

        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("the server stopped: " + self.proc.stderr.read().decode()[-2000:])
            try:
                if httpx.get(self.base + "/api/config", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.perf_counter() - started > 300:
                self.stop()
                raise RuntimeError("the server did not start in 300 s")
            time.sleep(0.1)
        self.startup = time.perf_counter() - started

    def rss_mb(self) -> float:
        """Resident memory of the server and its worker processes."""
        total = 0
        pids = [self.proc.pid]
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        for pid in pids:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total / 1024

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def events_params(rng: random.Random) -> dict:
    a = START + dt.timedelta(days=rng.randrange(SPAN_DAYS - 60))
    p = {"limit": 100, "since": a.isoformat(), "until": (a + dt.timedelta(days=rng.choice([7, 30, 60]))).isoformat()}
    r = rng.random()
    if r < 0.3:
        p["event_type"] = rng.choice(TYPES)[0]
    elif r < 0.5:
        p["actor"] = rng.choice(["Russia", "Ukraine", "Wagner", "Militia 1"])
    elif r < 0.7:
        hub = rng.choice(HUBS)
        p["bbox"] = f"{hub[4] - 1.5},{hub[3] - 1},{hub[4] + 1.5},{hub[3] + 1}"
    if rng.random() < 0.2:
        p["min_sources"] = 2
    return p


def map_params(rng: random.Random) -> dict:
    zoom = rng.choice([3, 4, 5, 6, 7, 8, 9, 10])
    hub = rng.choice(HUBS)
    half_w = 360 / 2 ** zoom * 2.5                  # a 1280-pixel-wide view at this zoom
    half_h = half_w * 0.45
    p = {"zoom": zoom, "bbox": f"{max(-180, hub[4] - half_w):.4f},{max(-85, hub[3] - half_h):.4f},"
                               f"{min(180, hub[4] + half_w):.4f},{min(85, hub[3] + half_h):.4f}"}
    if rng.random() < 0.7:
        a = START + dt.timedelta(days=rng.randrange(SPAN_DAYS - 90))
        p.update(since=a.isoformat(), until=(a + dt.timedelta(days=rng.choice([7, 30, 90]))).isoformat())
    if rng.random() < 0.3:
        p["event_type"] = rng.choice(TYPES)[0]
    return p


async def load(base: str, path: str, make_params, *, requests: int, concurrency: int, seconds: float,
               seed: int) -> dict:
    """``requests`` GETs (at most ``seconds`` long), ``concurrency`` at a time; latencies in ms."""
    import httpx

    rng = random.Random(seed)
    todo = [make_params(rng) for _ in range(requests)]
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        for warm in todo[:5]:
            await client.get(path, params=warm)

        async def worker(mine: list[dict]) -> None:
            nonlocal errors
            for params in mine:
                if time.perf_counter() > deadline:
                    return
                t = time.perf_counter()
                r = await client.get(path, params=params)
                latencies.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker(todo[i::concurrency]) for i in range(concurrency)))
        wall = time.perf_counter() - started
    latencies.sort()
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / wall if wall else 0.0,
            "p50_ms": statistics.median(latencies), "p99_ms": latencies[min(len(latencies) - 1,
                                                                           int(len(latencies) * 0.99))]}


def dashboard_first_load(base: str, runs: int = 3) -> float | None:
    """Median ms from navigation to the dashboard's ready mark, in headless Chromium."""
    chromium = os.environ.get("FRONTLINES_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        print(f"  ({chromium} missing: no dashboard timing; `make browser` installs it)", file=sys.stderr)
        return None
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 820}, bypass_csp=True)
            page = context.new_page()
            page.goto(base + "/#view=48.5,35.5,6")
            page.wait_for_selector("body[data-ready='1']", timeout=120_000)
            page.wait_for_function("document.body.dataset.loading === '0'", timeout=120_000)
            times.append(page.evaluate("performance.now()"))
            context.close()
        browser.close()
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--requests", type=int, default=500, help="requests per endpoint and size")
    ap.add_argument("--concurrency", default="1,8", help="requests in flight at once; several give several runs")
    ap.add_argument("--seconds", type=float, default=120, help="time limit per endpoint and size")
    ap.add_argument("--workers", type=int, default=1, help="server processes (frontlines serve --workers)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"{n:,} events", file=sys.stderr)
        db = synthetic_db(n)
        server = Server(db, args.workers)
        try:
            row = {"n": n, "startup_s": round(server.startup, 2), "load": {}}
            for c in (int(x) for x in args.concurrency.split(",")):
                for name, path, make in (("events", "/api/events", events_params), ("map", "/api/map", map_params)):
                    r = asyncio.run(load(server.base, path, make, requests=args.requests, concurrency=c,
                                         seconds=args.seconds, seed=n + c))
                    row["load"][f"{name}@{c}"] = {k: round(v, 1) if isinstance(v, float) else v for k, v in r.items()}
            row["rss_mb"] = round(server.rss_mb())
            first = dashboard_first_load(server.base)
            row["dashboard_first_load_ms"] = round(first) if first is not None else None
        finally:
            server.stop()
        results.append(row)
        print(f"  {row}", file=sys.stderr)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'events':>10} {'in flight':>9} | {'/api/events p50':>15} {'p99':>7} {'req/s':>6} | "
          f"{'/api/map p50':>12} {'p99':>7} {'req/s':>6}")
    for r in results:
        for c in args.concurrency.split(","):
            e, m = r["load"][f"events@{c}"], r["load"][f"map@{c}"]
            print(f"{r['n']:>10,} {c:>9} | {e['p50_ms']:>15} {e['p99_ms']:>7} {e['rps']:>6} | "
                  f"{m['p50_ms']:>12} {m['p99_ms']:>7} {m['rps']:>6}" + (f"  errors {e['errors']}/{m['errors']}"
                                                                          if e["errors"] or m["errors"] else ""))
    print()
    print(f"{'events':>10} | {'server start s':>14} | {'server RSS MB':>13} | {'dashboard first load ms':>23}")
    for r in results:
        print(f"{r['n']:>10,} | {r['startup_s']:>14} | {r['rss_mb']:>13} | {r['dashboard_first_load_ms'] or '-':>23}")


if __name__ == "__main__":
    main()
