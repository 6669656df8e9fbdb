"""Fusion benchmark: time to fuse 10k, 100k and 1M synthetic event reports.

    python bench/fusion.py                      # 10k, 100k, 1M through the blocking/matching core
    python bench/fusion.py --sizes 10000 --store   # also the full path: Events -> SQLite -> fuse_all

Synthetic reports with realistic overlaps: happenings spread over two years and ~3,000
towns in a Ukraine-sized box, of the ACLED families seen in the war (strikes most, then
battles, territory, other strategic developments); each happening is reported by 1-8
outlets (long-tailed), and each report may shift the day by one, name the region instead
of the town, or "near" a town 5 km away, leave out the actor, or pick a neighbouring
sub-event type.  Fusion is scored against the known happenings (pairwise precision and
recall) and timed; the growth column is time per report relative to the smallest run,
which stays flat when the cost is n log n (it would grow 10x per row if quadratic).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from frontlines.fusion.match import F_ARTICLE, Fuser, norm_place  # noqa: E402

DAY0 = dt.date(2022, 2, 24).toordinal()
FAMILIES = (("strike", 0.55), ("battle", 0.25), ("territory", 0.08), ("Disrupted weapons use", 0.07),
            ("Arrests", 0.03), ("demonstration", 0.02))
SIDES = ("Russia", "Ukraine")


def _towns(rng: random.Random, n: int = 3000) -> list[tuple]:
    """``n`` towns at the density of 3,000 in a Ukraine-sized box (about 23 per square degree): a larger
    data set covers more ground (more theatres, as in ACLED's global data), not the same
    towns more densely."""
    side_lat = 7.5 * (n / 3000) ** 0.5
    side_lon = 17.5 * (n / 3000) ** 0.5
    towns = []
    for i in range(n):
        lat, lon = rng.uniform(0.0, side_lat), rng.uniform(0.0, side_lon)
        region = f"region {int(lat // 1.5)}-{int(lon // 2.5)}"
        towns.append((100000 + i, round(lat, 4), round(lon, 4), region, f"town {i}"))
    return towns


def synth(n_reports: int, seed: int = 7) -> tuple[list[tuple], list[int]]:
    """(signatures in ingestion order, the true happening of each)."""
    rng = random.Random(seed)
    towns = _towns(rng, max(3000, n_reports // 3))
    hot = towns[: max(100, len(towns) // 30)]       # front-line towns, reported on far more often
    weights = [w for _f, w in FAMILIES]
    fams = [f for f, _w in FAMILIES]
    days = 730
    sigs: list[tuple] = []
    truth: list[int] = []
    h = 0
    art = 0
    while len(sigs) < n_reports:
        fam = rng.choices(fams, weights)[0]
        town = rng.choice(hot) if rng.random() < 0.3 else rng.choice(towns)
        day = DAY0 + rng.randrange(days)
        side = rng.choice(SIDES)
        gain = side if fam == "territory" else ""
        tcat = rng.choice(("", "", "energy infrastructure", "residential", "military")) if fam == "strike" else ""
        k = min(8, int(rng.paretovariate(1.6)))      # outlets reporting this happening
        for _ in range(k):
            if len(sigs) >= n_reports:
                break
            art += 1
            gid, lat, lon, region, name = town
            d = day + (rng.choice((-1, 1)) if rng.random() < 0.15 else 0)
            span = (d, d)
            if rng.random() < 0.1:
                span = (d - 1, d + 1)                 # "last week": time_precision 2
            level = 1
            if rng.random() < 0.08:                   # only the region named
                gid, lat, lon, level, name = None, None, None, 2, region
            elif rng.random() < 0.05:                 # "near" the town: a point 5 km off
                gid, lat, lon = gid + 500000, lat + 0.045, lon
            s1 = side if rng.random() < 0.8 else ""
            sigs.append((fam, span[0], span[1], gid, lat, lon, norm_place(region), level, name, s1,
                         frozenset((s1,)) if s1 else frozenset(), gain if s1 else "",
                         tcat if rng.random() < 0.8 else "", "Ukraine", f"a{art}"))
            truth.append(h)
        h += 1
    # reports arrive in publication order, not happening by happening
    order = sorted(range(len(sigs)), key=lambda i: (sigs[i][1], rng.random()))
    return [sigs[i] for i in order], [truth[i] for i in order]


def fuse_core(sigs: list[tuple]) -> tuple[list[int], Fuser]:
    f = Fuser()
    out = []
    for i, s in enumerate(sigs):
        prim = (s[7], i)      # towns before regions, then first come
        cid, _r = f.add(s, i, prim)
        out.append(cid)
    return out, f


def pair_scores(pred: list[int], truth: list[int]) -> tuple[float, float]:
    """Pairwise precision and recall of the clustering against the true happenings."""
    def pairs(labels):
        return sum(c * (c - 1) // 2 for c in Counter(labels).values())
    both = pairs(list(zip(pred, truth)))
    p, t = pairs(pred), pairs(truth)
    return (both / p if p else 1.0), (both / t if t else 1.0)


def bench_store(n: int) -> float:
    """The full path: hand-built Events stored article by article, then fuse_all."""
    import tempfile

    from frontlines.fusion import fuse_all
    from frontlines.records import Article, Event
    from frontlines.store import SQLiteStore

    sigs, _truth = synth(n)
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(os.path.join(tmp, "bench.db"))
        types = {"strike": "Shelling/artillery/missile attack", "battle": "Armed clash",
                 "territory": "Government regains territory", "demonstration": "Peaceful protest"}
        for i, s in enumerate(sigs):
            day = dt.date.fromordinal(s[1])
            a = Article(article_id=s[F_ARTICLE], text=f"report {i}", date=day, source=f"outlet{i % 50}")
            actor = {"Russia": "Military Forces of Russia (2000-)", "Ukraine": "Military Forces of Ukraine (2019-)"}
            e = Event(event_id=f"E{i}", event_date=day.isoformat(), sub_event_type=types.get(s[0], s[0]),
                      event_type="", actor1=actor.get(s[9], ""), geonameid=s[3], latitude=s[4], longitude=s[5],
                      admin1=s[6], location=s[8], geo_precision=1 if s[7] == 1 else 3, country="Ukraine",
                      target_category=s[12], article_ids=[a.article_id], time_precision=1 if s[1] == s[2] else 2)
            store.add_article(a, [e])
        t = time.perf_counter()
        fuse_all(store)
        took = time.perf_counter() - t
        store.close()
    return took


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--store", action="store_true", help="also time the full SQLite path (slow; use small sizes)")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    print(f"{'reports':>9} {'fused':>9} {'gen s':>7} {'fuse s':>7} {'us/report':>9} {'growth':>6} "
          f"{'cmp/report':>10} {'pair P':>7} {'pair R':>7}")
    base = None
    for n in sizes:
        t0 = time.perf_counter()
        sigs, truth = synth(n)
        t1 = time.perf_counter()
        pred, f = fuse_core(sigs)
        t2 = time.perf_counter()
        per = (t2 - t1) / n * 1e6
        base = base or per
        p, r = pair_scores(pred, truth)
        print(f"{n:>9} {len(f.reps):>9} {t1 - t0:>7.1f} {t2 - t1:>7.1f} {per:>9.1f} {per / base:>6.2f} "
              f"{f.comparisons / n:>10.2f} {p:>7.3f} {r:>7.3f}", flush=True)
    if args.store:
        for n in sizes:
            print(f"full path (store + fuse_all) for {n} reports: {bench_store(n):.1f}s", flush=True)


if __name__ == "__main__":
    main()
