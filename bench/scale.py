"""Scale: the Dask engine, partitioned fusion, and PostgreSQL against SQLite.

    .venv/bin/python bench/scale.py                         # every part, the issue's sizes (hours)
    .venv/bin/python bench/scale.py --part throughput --articles 2000
    .venv/bin/python bench/scale.py --part backfill --backfill 100000
    .venv/bin/python bench/scale.py --part fusion --fusion-events 1000000
    .venv/bin/python bench/scale.py --part postgres --db-events 100000
    ... --json                                             # one JSON object at the end

Parts:

* ``throughput``: the same synthetic reports (``bench/synth_corpus.py``) coded, stored and fused by
  one process (one spaCy process, as one Dask worker has), then by ``run --engine dask`` with 1
  and 2 workers of one thread each: articles/s of coding+storing, of the whole run with fusion,
  and the overhead of one worker against the single process; whether the events are the same.
* ``backfill``: a synthetic backfill (100,000 reports) with 2 workers into SQLite: total time,
  peak memory of each worker, events before and after fusion; then the same backfill as the
  command, killed (SIGKILL to its process group) twice part-way and started again: the same counts
  and the same events?
* ``fusion``: 1M synthetic event reports (bench/fusion.py's generator, as full events) fused in one
  process (``recluster`` + ``merge_parts``) and partitioned by time window on 2 workers
  (``recluster_partitioned`` + ``merge_partitioned``): time, representatives reused, identical output?
* ``postgres``: the same articles and events written into SQLite and into PostgreSQL (a throwaway
  server, synchronous_commit off as SQLite's WAL with synchronous=NORMAL): events/s one article a
  transaction and in batches; then ``/api/events`` (a filtered page of 100, as bench/serve.py asks
  it) against each, in process: p50/p99; and the store's own filtered query (a week and a type).

Timing figures go to standard output; nothing here is run by the tests.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synth_corpus  # noqa: E402

RESULTS: dict = {}


def say(*args) -> None:
    print(*args, flush=True)


def cache_dir() -> Path:
    base = Path(os.environ.get("FRONTLINES_CACHE") or Path.home() / ".cache" / "frontlines")
    d = base / "bench-scale"
    d.mkdir(parents=True, exist_ok=True)
    return d


def corpus(n: int) -> Path:
    path = cache_dir() / f"synth-{n}.jsonl"
    if not path.exists():
        t = time.perf_counter()
        synth_corpus.write(n, path)
        say(f"  (wrote the synthetic corpus of {n} reports in {time.perf_counter() - t:.1f}s: {path})")
    return path


def events_digest(db: str) -> tuple[int, str]:
    from frontlines.store import open_store

    h = hashlib.sha256()
    n = 0
    with open_store(db) as s:
        for e in s.iter_events():
            h.update(json.dumps(e.to_full_dict(), sort_keys=True, ensure_ascii=False).encode())
            n += 1
    return n, h.hexdigest()[:16]


# ---------------------------------------------------------------------------- throughput
def single_process(path: Path, db: str) -> dict:
    from frontlines.fusion import fuse_article
    from frontlines.ingest import read_sources
    from frontlines.pipeline import Pipeline, split_results
    from frontlines.store import open_store

    articles, _problems = split_results(read_sources([str(path)], max_bytes=1 << 40))
    pipeline = Pipeline()
    t0 = time.perf_counter()
    pipeline.warm_up()
    load = time.perf_counter() - t0
    t1 = time.perf_counter()
    with open_store(db) as store:
        for r in pipeline.process(articles, n_process=1):
            store.add_article(r.article, r.events)
            fuse_article(store, r.article.article_id)
    took = time.perf_counter() - t1
    return {"articles": len(articles), "load_s": round(load, 1), "seconds": round(took, 1),
            "articles_per_s": round(len(articles) / took, 1)}


def dask_run(path: Path, db: str, workers: int, partition_size: int = 200) -> dict:
    from frontlines.distributed import make_client, run_backfill
    from frontlines.store import open_store

    t0 = time.perf_counter()
    client, cluster = make_client(None, workers)
    start = time.perf_counter() - t0
    try:
        with open_store(db) as store:
            rep = run_backfill([str(path)], store, client=client, max_bytes=1 << 40, partition_size=partition_size)
            before = rep.events
            after = store.count_events()
    finally:
        client.close()
        cluster.close()
    code = rep.seconds["code_and_store"]
    return {"workers": workers, "articles": rep.articles, "cluster_start_s": round(start, 1),
            "plan_and_load_s": round(rep.seconds["plan_and_load"], 1), "code_and_store_s": round(code, 1),
            "fuse_s": round(rep.seconds.get("fuse", 0.0), 1), "articles_per_s": round(rep.articles / code, 1),
            "articles_per_s_with_fusion": round(rep.articles / (code + rep.seconds.get("fuse", 0.0)), 1),
            "peak_rss_mb": {k.rsplit(":", 1)[-1]: round(v) for k, v in rep.peak_rss_mb.items()},
            "events_before_fusion": before, "events_after_fusion": after,
            "fusion_reused": f"{rep.fusion_stats.reused}/{rep.fusion_stats.joins}"}


def part_throughput(n: int, tmp: Path) -> None:
    say(f"\n== throughput: {n} synthetic reports, code + store + fuse")
    path = corpus(n)
    single = single_process(path, str(tmp / "single.db"))
    single_digest = events_digest(str(tmp / "single.db"))
    say(f"  single process (1 spaCy process): {single['articles_per_s']} articles/s "
        f"({single['seconds']}s; model+gazetteer {single['load_s']}s once)")
    runs = []
    for w in (1, 2):
        db = str(tmp / f"dask{w}.db")
        r = dask_run(path, db, w)
        r["same_events_as_single"] = events_digest(db) == single_digest
        runs.append(r)
        say(f"  dask, {w} worker(s): {r['articles_per_s']} articles/s coding+storing, "
            f"{r['articles_per_s_with_fusion']} with the fusion pass ({r['code_and_store_s']}s + {r['fuse_s']}s; "
            f"cluster start {r['cluster_start_s']}s, model load {r['plan_and_load_s']}s); "
            f"same events as single: {r['same_events_as_single']}")
    one = runs[0]
    overhead = (one["code_and_store_s"] + one["fuse_s"]) / single["seconds"] - 1
    speedup = (one["code_and_store_s"] + one["fuse_s"]) / (runs[1]["code_and_store_s"] + runs[1]["fuse_s"])
    say(f"  overhead of 1 Dask worker against the single process: {overhead:+.0%}; 2 workers / 1 worker: "
        f"{speedup:.2f}x")
    RESULTS["throughput"] = {"single": single, "dask": runs, "overhead_1_worker": round(overhead, 3),
                             "speedup_2_workers": round(speedup, 2)}


# ---------------------------------------------------------------------------- backfill
def _finished(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            return con.execute("SELECT COUNT(*) FROM backfill_partitions").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0


def _partition_events(db: Path) -> tuple[int, int]:
    con = sqlite3.connect(db)
    try:
        rows = [json.loads(r[0]) for r in con.execute("SELECT info FROM backfill_partitions")]
        return sum(r["articles"] for r in rows), sum(r["events"] for r in rows)
    finally:
        con.close()


def part_backfill(n: int, tmp: Path, partition_size: int) -> None:
    say(f"\n== backfill: {n} synthetic reports, 2 Dask workers, SQLite")
    path = corpus(n)
    db = tmp / "backfill.db"
    t0 = time.perf_counter()
    r = dask_run(path, str(db), 2, partition_size)
    total = time.perf_counter() - t0
    r["total_s"] = round(total, 1)
    digest = events_digest(str(db))
    say(f"  {r['articles']} reports in {total:.0f}s ({r['articles'] / total:.1f}/s overall; coding+storing "
        f"{r['code_and_store_s']}s, fusion {r['fuse_s']}s); peak memory per worker {r['peak_rss_mb']} MB; "
        f"events {r['events_before_fusion']} coded, {r['events_after_fusion']} after fusion")
    # the same, killed twice and resumed (as a command, in its own process group)
    killed = tmp / "killed.db"
    n_parts = -(-n // partition_size)
    cmd = [sys.executable, "-m", "frontlines.cli", "run", str(path), "--db", str(killed), "--engine", "dask",
           "--workers", "2", "--partition-size", str(partition_size), "--rows", "0", "--max-bytes", str(1 << 40)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kills = []
    t1 = time.perf_counter()
    for fraction in (1 / 3, 2 / 3):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        while _finished(killed) < fraction * n_parts and proc.poll() is None:
            time.sleep(1)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        kills.append(_finished(killed))
        say(f"  killed with {kills[-1]} of {n_parts} partitions stored")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    resumed_s = time.perf_counter() - t1
    arts, coded = _partition_events(killed)
    again = events_digest(str(killed))
    r2 = {"killed_at_partitions": kills, "partitions": _finished(killed), "articles": arts,
          "events_before_fusion": coded, "events_after_fusion": again[0], "same_events": again == digest,
          "exit": done.returncode, "seconds_all_three_runs": round(resumed_s, 1),
          "summary": " ".join(done.stderr.split())[-400:]}
    say(f"  killed twice and resumed: {arts} reports, events {coded} coded, {again[0]} after fusion; "
        f"the same events as the uninterrupted run: {again == digest} ({resumed_s:.0f}s for the three runs)")
    RESULTS["backfill"] = {"uninterrupted": r, "killed_twice": r2}


# ---------------------------------------------------------------------------- fusion
def synth_parts(n: int):
    """bench/fusion.py's synthetic reports as fusion parts with full events."""
    import fusion as bench_fusion

    from frontlines.fusion.merge import Part
    from frontlines.records import Event

    sigs, _truth = bench_fusion.synth(n)
    types = {"strike": "Shelling/artillery/missile attack", "battle": "Armed clash",
             "territory": "Government regains territory", "demonstration": "Peaceful protest"}
    actor = {"Russia": "Military Forces of Russia (2000-)", "Ukraine": "Military Forces of Ukraine (2019-)"}
    parts = []
    for i, s in enumerate(sigs):
        day = dt.date.fromordinal(s[1])
        e = Event(event_id=f"E{i:07d}", event_date=day.isoformat(), sub_event_type=types.get(s[0], s[0]),
                  actor1=actor.get(s[9], ""), geonameid=s[3], latitude=s[4], longitude=s[5], admin1=s[6],
                  location=s[8], geo_precision=1 if s[7] == 1 else 3, country="Ukraine", target_category=s[12],
                  article_ids=[s[14]], time_precision=1 if s[1] == s[2] else 2, fatalities=i % 3,
                  source=f"outlet{i % 50}", confidence=0.6)
        parts.append(Part(e, s[14], outlet=f"outlet{i % 50}", source_key=f"outlet{i % 50}",
                          article_date=day.isoformat(), seq=i * 10_000))
    return parts


def _merged_digest(merged) -> str:
    h = hashlib.sha256()
    for m in merged:
        h.update(json.dumps(m.event.to_full_dict(), sort_keys=True).encode())
        h.update(json.dumps([c.to_dict() for c in m.claims], sort_keys=True).encode())
    return h.hexdigest()[:16]


def part_fusion(n: int) -> None:
    from frontlines.distributed import make_client
    from frontlines.distributed.fusion import FusionStats, merge_partitioned, recluster_partitioned
    from frontlines.fusion.engine import recluster

    say(f"\n== fusion: {n} synthetic event reports, one process against 2 workers by time window")
    t = time.perf_counter()
    parts = synth_parts(n)
    say(f"  (made {n} parts in {time.perf_counter() - t:.0f}s)")
    t0 = time.perf_counter()
    groups = recluster(parts)
    t1 = time.perf_counter()
    merged = merge_partitioned(groups, None)
    t2 = time.perf_counter()
    one = {"cluster_s": round(t1 - t0, 1), "merge_s": round(t2 - t1, 1), "total_s": round(t2 - t0, 1),
           "events_after": len(merged), "digest": _merged_digest(merged)}
    say(f"  one process: {one['total_s']}s (clustering {one['cluster_s']}s, merging {one['merge_s']}s), "
        f"{len(merged)} fused events")
    del merged, groups
    client, cluster = make_client(None, 2)
    try:
        stats = FusionStats()
        t0 = time.perf_counter()
        groups = recluster_partitioned(parts, None, client, stats=stats)
        t1 = time.perf_counter()
        merged = merge_partitioned(groups, None)
        t2 = time.perf_counter()
        merged_w = merge_partitioned(groups, client)
        t3 = time.perf_counter()
        same_w = _merged_digest(merged_w) == _merged_digest(merged)
        del merged_w
    finally:
        client.close()
        cluster.close()
    part = {"cluster_s": round(t1 - t0, 1), "windows_s": round(stats.seconds["windows"], 1),
            "replay_s": round(stats.seconds["replay"], 1), "merge_s": round(t2 - t1, 1),
            "total_s": round(t2 - t0, 1), "merge_on_workers_s": round(t3 - t2, 1),
            "merge_on_workers_identical": same_w, "windows": stats.windows, "reused": stats.reused,
            "recomputed": stats.recomputed, "events_after": len(merged), "digest": _merged_digest(merged)}
    same = part["digest"] == one["digest"]
    say(f"  2 workers, {stats.windows} windows: {part['total_s']}s (windows {part['windows_s']}s, one pass over "
        f"all parts {part['replay_s']}s, merging here {part['merge_s']}s; merging on the workers instead "
        f"{part['merge_on_workers_s']}s, identical: {same_w}); representatives reused {stats.reused} of "
        f"{stats.joins}; identical output: {same}")
    RESULTS["fusion"] = {"parts": n, "one_process": one, "partitioned": part, "identical": same}


# ---------------------------------------------------------------------------- postgres
def _db_items(n_events: int, seed: int = 5):
    """Articles with one or two events each, ~n_events events (bench/serve.py's places and kinds)."""
    import serve as bench_serve

    from frontlines.records import Article, Event

    rng = random.Random(seed)
    items, made, i = [], 0, 0
    weights = [h[5] for h in bench_serve.HUBS]
    type_w = [t[2] for t in bench_serve.TYPES]
    while made < n_events:
        day = bench_serve.START + dt.timedelta(days=rng.randrange(bench_serve.SPAN_DAYS))
        art = Article(article_id=f"A{i:08d}", text=f"Report {i} of the day {day}.", date=day,
                      source=rng.choice(bench_serve.SOURCES), meta={"id": f"doc-{i}"})
        evs = []
        for k in range(rng.choice((1, 1, 2))):
            name, admin1, country, lat, lon, _w = rng.choices(bench_serve.HUBS, weights)[0]
            etype, sub, _p = rng.choices(bench_serve.TYPES, type_w)[0]
            evs.append(Event(event_id=f"E{i:08d}{k}", event_date=day.isoformat(), event_type=etype,
                             sub_event_type=sub, actor1=rng.choice(bench_serve.ACTORS), country=country,
                             admin1=admin1, location=name, latitude=round(lat + rng.gauss(0, 0.3), 4),
                             longitude=round(lon + rng.gauss(0, 0.3), 4), geo_precision=1,
                             fatalities=rng.choice((0, 0, 1, 3)), source=art.source, article_ids=[art.article_id],
                             notes=f"note {i}", evidence=[{"article_id": art.article_id, "sentence": art.text,
                                                           "start": 0, "end": len(art.text), "trigger": "Report",
                                                           "trigger_start": 0, "trigger_end": 6}]))
        items.append((art, evs))
        made += len(evs)
        i += 1
    return items


def _write_rates(store, items, single: int) -> dict:
    n_single = sum(len(e) for _a, e in items[:single])
    t = time.perf_counter()
    for a, evs in items[:single]:
        store.add_article(a, evs)
    one = n_single / (time.perf_counter() - t)
    rest = items[single:]
    n_rest = sum(len(e) for _a, e in rest)
    t = time.perf_counter()
    for k in range(0, len(rest), 500):
        store.add_articles(rest[k:k + 500])
    batched = n_rest / (time.perf_counter() - t)
    return {"events_per_s_one_article_a_transaction": round(one), "events_per_s_batches_of_500": round(batched)}


def _api_latency(db: str, requests: int, seed: int = 3) -> dict:
    from fastapi.testclient import TestClient

    import serve as bench_serve
    from frontlines.serve import create_app

    rng = random.Random(seed)
    t = time.perf_counter()
    with TestClient(create_app(db)) as c:
        start = time.perf_counter() - t
        times = []
        for _ in range(requests):
            d0 = bench_serve.START + dt.timedelta(days=rng.randrange(bench_serve.SPAN_DAYS - 30))
            params = {"since": d0.isoformat(), "until": (d0 + dt.timedelta(days=rng.choice((7, 30)))).isoformat(),
                      "limit": 100}
            if rng.random() < 0.5:
                params["event_type"] = rng.choice(bench_serve.TYPES)[0]
            if rng.random() < 0.3:
                params["bbox"] = "36,47,39,50"
            q = time.perf_counter()
            r = c.get("/api/events", params=params)
            times.append(time.perf_counter() - q)
            assert r.status_code == 200, r.text
    times.sort()
    return {"index_start_s": round(start, 1), "p50_ms": round(1000 * times[len(times) // 2], 2),
            "p99_ms": round(1000 * times[int(len(times) * 0.99) - 1], 2)}


def _store_query(store, requests: int, seed: int = 4) -> dict:
    import serve as bench_serve

    rng = random.Random(seed)
    times = []
    for _ in range(requests):
        d0 = bench_serve.START + dt.timedelta(days=rng.randrange(bench_serve.SPAN_DAYS - 7))
        q = time.perf_counter()
        list(store.iter_events(since=d0, until=d0 + dt.timedelta(days=7), event_type=rng.choice(bench_serve.TYPES)[1]))
        times.append(time.perf_counter() - q)
    times.sort()
    return {"p50_ms": round(1000 * times[len(times) // 2], 2), "p99_ms": round(1000 * times[int(len(times) * 0.99) - 1], 2)}


def part_postgres(n_events: int, requests: int, tmp: Path) -> None:
    from frontlines.store import open_store
    from frontlines.store.pgtemp import TempPostgres

    say(f"\n== PostgreSQL against SQLite: {n_events} events (articles of 1-2 events)")
    items = _db_items(n_events)
    single = min(2000, len(items) // 10)
    out = {}
    with TempPostgres() as pg:
        for name, db in (("sqlite", str(tmp / "w.db")), ("postgres", pg.create_database("bench"))):
            with open_store(db) as store:
                w = _write_rates(store, items, single)
                w["store_query_week_and_type"] = _store_query(store, requests)
                if name == "postgres":
                    w["spatial"] = store.spatial
            w["api_events"] = _api_latency(db, requests)
            out[name] = w
            say(f"  {name}: writes {w['events_per_s_one_article_a_transaction']} events/s one article a "
                f"transaction, {w['events_per_s_batches_of_500']} events/s in batches of 500; /api/events p50 "
                f"{w['api_events']['p50_ms']} ms, p99 {w['api_events']['p99_ms']} ms (index built in "
                f"{w['api_events']['index_start_s']}s); the store's week-and-type query p50 "
                f"{w['store_query_week_and_type']['p50_ms']} ms, p99 {w['store_query_week_and_type']['p99_ms']} ms")
    RESULTS["postgres"] = {"events": n_events, **out}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", choices=("all", "throughput", "backfill", "fusion", "postgres"), default="all")
    ap.add_argument("--articles", type=int, default=2000, help="reports for the throughput part")
    ap.add_argument("--backfill", type=int, default=100_000, help="reports for the backfill part")
    ap.add_argument("--partition-size", type=int, default=500)
    ap.add_argument("--fusion-events", type=int, default=1_000_000)
    ap.add_argument("--db-events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=500)
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object at the end")
    args = ap.parse_args()
    parts = ("throughput", "backfill", "fusion", "postgres") if args.part == "all" else (args.part,)
    with tempfile.TemporaryDirectory(prefix="frontlines-scale-") as tmp:
        tmp = Path(tmp)
        for p in parts:
            if p == "throughput":
                part_throughput(args.articles, tmp)
            elif p == "backfill":
                part_backfill(args.backfill, tmp, args.partition_size)
            elif p == "fusion":
                part_fusion(args.fusion_events)
            else:
                part_postgres(args.db_events, args.requests, tmp)
    RESULTS["driver_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if args.json:
        print(json.dumps(RESULTS, indent=2))


if __name__ == "__main__":
    main()
