"""The crash campaign of issue 13: `frontlines run` over N reports killed with SIGKILL K times at
random moments, run again after each kill, then compared with one clean run; on SQLite and on
PostgreSQL (a throwaway server).  Prints a table per kill and a summary per store.

    python bench/crash.py                          # 5,000 reports, 20 kills, both stores
    python bench/crash.py -n 300 -k 4 --store sqlite --seed 7

The checks are those of tests/e2e/test_crash_recovery.py (the helpers are tests/crash_harness.py):
after every kill, PRAGMA integrity_check (SQLite), no duplicated rows, no article stored without its
fusion; at the end, the digests of the export and of every table equal the clean run's.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import crash_harness as ch  # noqa: E402


def campaign(store: str, n: int, kills: int, seed: int, work: Path, new_db) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    corpus = ch.write_corpus(work / f"corpus-{n}.jsonl", n, seed=n)
    t0 = time.perf_counter()
    done = ch.run_cli(corpus, new_db("clean"), timeout=7200)
    if done.returncode != 0:
        raise SystemExit(f"the clean run failed:\n{done.stderr[-3000:]}")
    clean_seconds = time.perf_counter() - t0
    clean = ch.state(new_db.last)
    print(f"[{store}] clean run: {clean_seconds:.0f}s, {clean.counts}", flush=True)
    camp = ch.crash_campaign(corpus, new_db("crashed"), n=n, kills=kills, seed=seed, workdir=work,
                             say=lambda s: print(f"[{store}] {s}", flush=True))
    final = camp.final
    diff = final.same_as(clean)
    print(f"\n[{store}] {n} reports, {kills} SIGKILLs, seed {seed}\n{camp.table()}")
    print(f"[{store}] final: {final.counts}")
    print(f"[{store}] clean: {clean.counts}")
    print(f"[{store}] export digest {final.export} vs clean {clean.export}; tables "
          f"{'all equal' if not diff else diff}; integrity {final.integrity}; duplicates {final.duplicates};"
          f" unfused {final.unfused}; campaign {camp.seconds:.0f}s (clean run {clean_seconds:.0f}s)\n", flush=True)
    return {"store": store, "kills": len(camp.kills), "at": [k.at for k in camp.kills],
            "broken_after_kill": sum(1 for k in camp.kills if k.integrity not in ("ok", "n/a") or k.duplicates
                                     or k.unfused),
            "equal": not diff, "articles": (final.counts["articles"], clean.counts["articles"]),
            "events": (final.counts["events"], clean.counts["events"]), "integrity": final.integrity,
            "duplicates": sum(final.duplicates.values()), "seconds": camp.seconds, "clean_seconds": clean_seconds}


class SqliteDbs:
    def __init__(self, work: Path) -> None:
        self.work, self.last = work, ""

    def __call__(self, name: str) -> str:
        self.last = str(self.work / f"{name}.db")
        return self.last


class PostgresDbs:
    def __init__(self) -> None:
        from frontlines.store.pgtemp import TempPostgres

        self.server = TempPostgres().start()
        self.last = ""

    def __call__(self, name: str) -> str:
        self.last = self.server.create_database(f"crash_{name}_{random.randrange(10**6)}")
        return self.last


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=5000, help="reports")
    ap.add_argument("-k", "--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=None, help="the kills' seed (default: random, printed)")
    ap.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--keep", help="a folder for the corpus and databases (default: a temporary one)")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1, 10**6)
    work = Path(args.keep or tempfile.mkdtemp(prefix="frontlines-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"crash campaign: {args.n} reports, {args.kills} kills, seed {seed}, in {work}", flush=True)
    rows = []
    if args.store in ("sqlite", "both"):
        rows.append(campaign("sqlite", args.n, args.kills, seed, work / "sqlite", SqliteDbs(work / "sqlite")))
    if args.store in ("postgres", "both"):
        dbs = PostgresDbs()
        try:
            rows.append(campaign("postgres", args.n, args.kills, seed, work / "postgres", dbs))
        finally:
            dbs.server.stop()
    print("| store | kills | stored at the kills | left broken by a kill | final = clean | articles (final/clean)"
          " | events (final/clean) | integrity | duplicates | campaign s | clean run s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['store']} | {r['kills']} | {', '.join(map(str, r['at']))} | {r['broken_after_kill']} |"
              f" {'yes' if r['equal'] else 'NO'} | {r['articles'][0]}/{r['articles'][1]} | {r['events'][0]}/"
              f"{r['events'][1]} | {r['integrity']} | {r['duplicates']} | {r['seconds']:.0f} | {r['clean_seconds']:.0f} |")
    if not all(r["equal"] and not r["broken_after_kill"] and not r["duplicates"] for r in rows):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
