"""Geo benchmark: gazetteer build/open time, RSS memory, toponyms resolved per second on LGL.

    python bench/geoparse.py [--build] [--limit N]

Reads ../shared/bench/geoparsing/lgl.xml (skips the throughput part when it is missing).
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", action="store_true", help="rebuild the index first and time it")
    ap.add_argument("--limit", type=int, default=None, help="LGL articles to parse")
    args = ap.parse_args()

    from frontlines.geo.build import build_index, default_index_path

    print(f"RSS at start: {rss_mb():.0f} MB")
    path = default_index_path()
    if args.build or not path.exists():
        t0 = time.perf_counter()
        build_index(path)
        print(f"build: {time.perf_counter() - t0:.1f} s -> {path} ({path.stat().st_size / 1e6:.0f} MB)")
    from frontlines.geo.gazetteer import SQLiteGazetteer
    from frontlines.geo.geoparse import Geoparser

    t0 = time.perf_counter()
    gaz = SQLiteGazetteer(path)
    print(f"open: {(time.perf_counter() - t0) * 1000:.0f} ms; RSS {rss_mb():.0f} MB")
    t0 = time.perf_counter()
    n = 0
    for name in ("Izyum", "Kupiansk", "Balakleya", "Kharkiv region", "Springfield", "Paris"):
        n += len(gaz.candidates(name))
    print(f"6 cold lookups: {(time.perf_counter() - t0) * 1000:.1f} ms ({n} candidates)")

    from frontlines.geo.evaluate import corpus_path, load_corpus

    if not corpus_path("lgl").exists():
        print("../shared/bench/geoparsing/lgl.xml missing: skipping throughput")
        return
    docs = load_corpus("lgl", args.limit)
    gp = Geoparser(gaz)
    gp.parse(docs[0].text)
    t0 = time.perf_counter()
    tops = 0
    resolved = 0
    words = 0
    for d in docs:
        res = gp.parse(d.text)
        tops += len(res)
        resolved += sum(t.place is not None for t in res)
        words += len(d.text.split())
    dt = time.perf_counter() - t0
    print(f"LGL: {len(docs)} articles, {words} words, {tops} toponyms ({resolved} resolved) in "
          f"{dt:.2f} s -> {resolved / dt:.0f} toponyms/s, {len(docs) / dt:.0f} articles/s, "
          f"{dt / len(docs) * 1000:.1f} ms/article (gazetteer matcher only, no spaCy)")
    print(f"RSS at end: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
