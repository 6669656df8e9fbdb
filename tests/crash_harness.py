"""Crash and concurrency campaigns against `frontlines run` (used by tests/e2e/test_crash_recovery.py
and bench/crash.py).

* ``write_corpus(path, n, seed)``: ``n`` reports recombined from the dev corpus' sentences, dense
  enough for fusion to have work: few towns, a few weeks, few outlets, so reports of one happening
  meet; one in eight is a later version of an earlier report (same URL, a sentence more), so
  developing stories are superseded; one in twenty-five repeats an earlier report word for word
  (the same content id: stored once).
* ``run_cli`` / ``start_run``: `frontlines run` as a child process (its own process group, so a
  SIGKILL takes its spaCy worker with it).
* ``crash_campaign``: kill a run with SIGKILL at random moments, re-run each time, and check the
  database after every kill and at the end.
* ``state``: what the database holds, as digests of the export and of every table (timestamps left
  out), with counts, duplicate checks and the invariant that no stored event waits for fusion.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import synth_corpus  # noqa: E402

FRONTLINES = str(Path(sys.executable).with_name("frontlines"))
RUN_FLAGS = ("--rows", "0", "--article-seconds", "0")   # no time budget: a loaded machine codes the same
TOWNS = ("Kharkiv", "Izium", "Bakhmut", "Kherson", "Avdiivka", "Kupiansk", "Zaporizhzhia", "Lyman")
TIMESTAMPS = {"ingested_at", "updated_at", "added_at", "at", "finished_at"}
TABLES = ("articles", "events", "evidence", "event_articles", "sources", "fusion_parts", "fusion_events", "merges",
          "event_claims", "event_links")


# ---------------------------------------------------------------------------------------------- corpus
def corpus_records(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    pool = synth_corpus.sentences()
    start = synth_corpus.START
    out: list[dict[str, Any]] = []
    for i in range(n):
        if out and i % 25 == 24:                            # a repeat, word for word, under another id
            rec = dict(rng.choice(out[-40:]))
            rec["id"] = f"crash-{seed}-{i:06d}"
            out.append(rec)
            continue
        if out and i % 8 == 7:                              # a later version of a recent report
            old = rng.choice(out[-30:])
            extra = synth_corpus._TOWN.sub(old["town"], rng.choice(pool)[1])
            day = min(synth_corpus.dt.date.fromisoformat(old["date"]) + synth_corpus.dt.timedelta(days=1),
                      start + synth_corpus.dt.timedelta(days=60))
            out.append({**old, "id": f"crash-{seed}-{i:06d}", "date": day.isoformat(),
                        "text": old["text"] + "\n\n" + extra})
            continue
        town = rng.choice(TOWNS)
        picked = rng.sample(pool, rng.randint(2, 5))
        text = "\n\n".join(synth_corpus._TOWN.sub(town, s) for _n, s in picked)
        day = start + synth_corpus.dt.timedelta(days=rng.randrange(45))
        outlet = f"outlet{rng.randrange(40):02d}.example"
        out.append({"id": f"crash-{seed}-{i:06d}", "date": day.isoformat(), "title": text.split("\n")[0][:80],
                    "text": text, "source": outlet, "url": f"https://{outlet}/news/{seed}-{i}", "town": town})
    return out


def write_corpus(path: Path, n: int, seed: int) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for rec in corpus_records(n, seed):
            fh.write(json.dumps({k: v for k, v in rec.items() if k != "town"}, ensure_ascii=False) + "\n")
    return path


def split_corpus(path: Path, parts: dict[str, tuple[int, int]]) -> dict[str, Path]:
    """Line ranges of a corpus as files of their own: {name: (first, last+1)}."""
    lines = Path(path).read_text(encoding="utf-8").splitlines(keepends=True)
    out = {}
    for name, (a, b) in parts.items():
        p = Path(path).with_name(f"{Path(path).stem}-{name}.jsonl")
        p.write_text("".join(lines[a:b]), encoding="utf-8")
        out[name] = p
    return out


# ---------------------------------------------------------------------------------------------- runs
def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def start_run(corpus: Path | str, db: str, *extra: str, log: Path | None = None) -> subprocess.Popen:
    out = open(log, "ab") if log else subprocess.DEVNULL
    return subprocess.Popen([FRONTLINES, "run", str(corpus), "--db", db, *RUN_FLAGS, *extra], stdout=out,
                            stderr=subprocess.STDOUT if log else subprocess.PIPE, env=_env(),
                            start_new_session=True)


def start_serve(db: str, port: int, token: str) -> subprocess.Popen:
    """`frontlines serve` (with a write token, so it may start before the database exists)."""
    env = {**_env(), "FRONTLINES_TOKEN": token}
    return subprocess.Popen([FRONTLINES, "serve", "--db", db, "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env, start_new_session=True)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(corpus: Path | str, db: str, *extra: str, timeout: float = 1800) -> subprocess.CompletedProcess:
    return subprocess.run([FRONTLINES, "run", str(corpus), "--db", db, *RUN_FLAGS, *extra], capture_output=True,
                          text=True, env=_env(), timeout=timeout)


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


# ---------------------------------------------------------------------------------------------- state
class Reader:
    """Reading (only) a SQLite file or a PostgreSQL database, for counting and digests."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.pg = db.startswith(("postgresql://", "postgres://"))
        if self.pg:
            import psycopg

            self.conn = psycopg.connect(db, autocommit=True)
        else:
            self.conn = sqlite3.connect(db, timeout=60)

    def rows(self, sql: str) -> list[tuple]:
        try:
            return [tuple(r) for r in self.conn.execute(sql).fetchall()]
        except Exception as exc:               # a table not created yet counts as empty
            if "no such table" in str(exc) or "does not exist" in str(exc):
                return []
            raise

    def columns(self, table: str) -> list[str]:
        if self.pg:
            rows = self.rows(f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}'"
                             " AND table_schema = current_schema() ORDER BY ordinal_position")
        else:
            rows = [(r[1],) for r in self.rows(f"PRAGMA table_info({table})")]
        return [r[0] for r in rows if r[0] not in TIMESTAMPS and r[0] not in ("rowid", "geom")]

    def count(self, table: str) -> int:
        rows = self.rows(f"SELECT COUNT(*) FROM {table}")
        return int(rows[0][0]) if rows else 0

    def close(self) -> None:
        self.conn.close()


def _digest(items) -> str:
    h = hashlib.sha256()
    for item in items:
        h.update(json.dumps(item, sort_keys=True, ensure_ascii=False, default=str).encode())
        h.update(b"\n")
    return h.hexdigest()[:16]


def export_lines(db: str) -> list[str]:
    """The events as `frontlines export --format jsonl` writes them (in-process)."""
    import io

    from frontlines.export import write_events
    from frontlines.store import open_store

    buf = io.StringIO()
    with open_store(db) as store:
        write_events(store.iter_events(), "jsonl", buf, article_refs=store.article_refs())
    return buf.getvalue().splitlines()


#: Rows that would say a write happened twice or half: (name, SQL giving the offending rows).
DUPLICATE_CHECKS = (
    ("articles", "SELECT article_id, COUNT(*) FROM articles GROUP BY article_id HAVING COUNT(*) > 1"),
    ("events", "SELECT event_id, COUNT(*) FROM events GROUP BY event_id HAVING COUNT(*) > 1"),
    ("evidence", 'SELECT event_id, article_id, "start", "end", trigger_start, COUNT(*) FROM evidence'
                 ' GROUP BY event_id, article_id, "start", "end", trigger_start HAVING COUNT(*) > 1'),
    ("event_articles", "SELECT event_id, article_id, COUNT(*) FROM event_articles GROUP BY event_id, article_id"
                       " HAVING COUNT(*) > 1"),
    ("fusion_parts", "SELECT part_id, COUNT(*) FROM fusion_parts GROUP BY part_id HAVING COUNT(*) > 1"),
    ("merges", "SELECT kept_id, merged_id, action, reason, COUNT(*) FROM merges"
               " GROUP BY kept_id, merged_id, action, reason HAVING COUNT(*) > 1"),
    ("sources", "SELECT s.source, s.article_count, COUNT(a.article_id) FROM sources s LEFT JOIN articles a"
                " ON a.source = s.source GROUP BY s.source, s.article_count"
                " HAVING s.article_count != COUNT(a.article_id)"),
    # rows that point at nothing (the foreign keys are declared, not enforced)
    ("orphan evidence", "SELECT event_id FROM evidence WHERE event_id NOT IN (SELECT event_id FROM events)"),
    ("orphan event_articles", "SELECT event_id FROM event_articles WHERE event_id NOT IN (SELECT event_id FROM events)"
                              " OR article_id NOT IN (SELECT article_id FROM articles)"),
    ("orphan fusion_parts", "SELECT part_id FROM fusion_parts WHERE article_id NOT IN (SELECT article_id FROM articles)"
                            " OR (event_id IS NOT NULL AND event_id NOT IN (SELECT event_id FROM events))"),
    ("orphan fusion_events", "SELECT event_id FROM fusion_events WHERE event_id NOT IN (SELECT event_id FROM events)"),
    ("unfused events", "SELECT event_id FROM events WHERE event_id NOT IN (SELECT event_id FROM fusion_events)"),
)

#: Events stored from an article that fusion never saw: an article written without its fusion.
UNFUSED = ("SELECT ea.article_id, ea.event_id FROM event_articles ea"
           " WHERE ea.event_id NOT IN (SELECT part_id FROM fusion_parts)"
           " AND ea.event_id NOT IN (SELECT event_id FROM fusion_parts WHERE event_id IS NOT NULL)")


@dataclass
class State:
    counts: dict[str, int]
    export: str                      # digest of the exported events
    tables: dict[str, str]           # digest of each table, timestamps left out
    duplicates: dict[str, int]       # offending rows per check
    unfused: int
    integrity: str

    def same_as(self, other: "State") -> list[str]:
        """What differs from ``other`` (empty: the same database)."""
        out = [f"{k}: {self.counts.get(k)} != {other.counts.get(k)}" for k in sorted(set(self.counts) | set(other.counts))
               if self.counts.get(k) != other.counts.get(k)]
        if self.export != other.export:
            out.append(f"export digest {self.export} != {other.export}")
        out += [f"table {t} digest differs" for t in self.tables if self.tables[t] != other.tables.get(t)]
        return out


def integrity(db: str) -> str:
    if db.startswith(("postgresql://", "postgres://")):
        return "n/a"
    conn = sqlite3.connect(db, timeout=60)
    try:
        return "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check").fetchall())
    finally:
        conn.close()


def check_invariants(db: str) -> tuple[dict[str, int], int]:
    """(duplicate rows per check, events waiting for fusion): what must be zero at every moment."""
    r = Reader(db)
    try:
        dups = {name: len(r.rows(sql)) for name, sql in DUPLICATE_CHECKS}
        return dups, len(r.rows(UNFUSED))
    finally:
        r.close()


def state(db: str, skip: dict[str, set[str]] | None = None) -> State:
    """The database's counts and digests; ``skip``: columns to leave out of a table's digest."""
    r = Reader(db)
    try:
        counts = {t: r.count(t) for t in TABLES}
        tables = {}
        for t in TABLES:
            cols = [c for c in r.columns(t) if c not in (skip or {}).get(t, ())]
            if not cols:
                continue
            rows = r.rows("SELECT " + ", ".join(f'"{c}"' for c in cols) + f" FROM {t}")
            if "seq" in cols:            # fusion's order of parts: its rank, not its value (PostgreSQL's
                i = cols.index("seq")    # sequences skip the numbers of rolled-back transactions)
                rank = {v: n for n, v in enumerate(sorted({row[i] for row in rows}))}
                rows = [row[:i] + (rank[row[i]],) + row[i + 1:] for row in rows]
            tables[t] = _digest(sorted(json.dumps(list(x), default=str) for x in rows))
        dups = {name: len(r.rows(sql)) for name, sql in DUPLICATE_CHECKS}
        unfused = len(r.rows(UNFUSED))
    finally:
        r.close()
    return State(counts, _digest(export_lines(db)), tables, dups, unfused, integrity(db))


def diff_rows(db_a: str, db_b: str, tables, skip: dict[str, set[str]] | None = None, n: int = 3) -> str:
    """A few rows each of two databases holds and the other does not, per table (for failure messages)."""
    out = []
    ra, rb = Reader(db_a), Reader(db_b)
    try:
        for t in tables:
            cols = [c for c in ra.columns(t) if c not in (skip or {}).get(t, ()) and c not in ("seq", "record")]
            sql = "SELECT " + ", ".join(f'"{c}"' for c in cols) + f" FROM {t}"
            a = {json.dumps(list(r), default=str) for r in ra.rows(sql)}
            b = {json.dumps(list(r), default=str) for r in rb.rows(sql)}
            if a != b:
                out.append(f"{t} {cols}: only in the first {sorted(a - b)[:n]}; only in the second {sorted(b - a)[:n]}")
    finally:
        ra.close()
        rb.close()
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------- crashes
@dataclass
class Kill:
    target: int                  # kill once this many articles were stored ...
    delay: float                 # ... and this many seconds later
    before: int                  # articles stored when the run was started
    at: int                      # articles stored when it died
    seconds: float               # how long the run lived
    integrity: str
    duplicates: int
    unfused: int


@dataclass
class Campaign:
    seed: int
    n: int
    kills: list[Kill] = field(default_factory=list)
    final_exit: int = -1
    final: State | None = None
    seconds: float = 0.0

    def table(self) -> str:
        lines = [f"{'#':>3} {'kill after':>10} {'stored at start':>15} {'stored at kill':>14} {'run lived s':>11}"
                 f" {'integrity':>9} {'dups':>4} {'unfused':>7}"]
        for i, k in enumerate(self.kills, 1):
            lines.append(f"{i:>3} {k.target:>10} {k.before:>15} {k.at:>14} {k.seconds:>11.1f} {k.integrity:>9}"
                         f" {k.duplicates:>4} {k.unfused:>7}")
        return "\n".join(lines)


def _stored(db: str) -> int:
    if not db.startswith(("postgresql://", "postgres://")) and not Path(db).exists():
        return 0
    try:
        r = Reader(db)
    except Exception:
        return 0
    try:
        return r.count("articles")
    except Exception:
        return 0
    finally:
        r.close()


def crash_campaign(corpus: Path, db: str, *, n: int, kills: int, seed: int, workdir: Path,
                   say: Callable[[str], None] = lambda s: None) -> Campaign:
    """Run `frontlines run corpus --db db`, SIGKILL it ``kills`` times at random moments (after a
    random number of stored articles, then a random fraction of a second, so kills land inside
    transactions, between them, and while models load), checking the database after each kill;
    then run it to the end."""
    rng = random.Random(seed)
    camp = Campaign(seed, n)
    targets = sorted(rng.sample(range(0, n - n // 10), kills))
    started = time.perf_counter()
    log = workdir / f"crash-{seed}.log"
    for target in targets:
        before = _stored(db)
        target = max(target, before)
        delay = rng.choice([0.0, rng.uniform(0, 0.05), rng.uniform(0, 0.5)])
        proc = start_run(corpus, db, log=log)
        t0 = time.perf_counter()
        while proc.poll() is None and _stored(db) < target:
            time.sleep(0.02)
        time.sleep(delay)
        if proc.poll() is not None:         # it finished first (a late target on a fast machine): no kill
            if proc.returncode != 0:
                raise AssertionError(f"seed {seed}: the run failed (exit {proc.returncode}); see {log}")
            say(f"the run ended before its kill after {target} articles")
            break
        kill_group(proc)
        lived = time.perf_counter() - t0
        ok = integrity(db)
        dups, unfused = check_invariants(db)
        k = Kill(target, delay, before, _stored(db), lived, ok, sum(dups.values()), unfused)
        camp.kills.append(k)
        say(f"kill {len(camp.kills)}/{kills}: after {k.at} stored article(s) (target {target}, +{delay:.2f}s)"
            f" integrity={ok} duplicates={k.duplicates} unfused={unfused}")
    done = run_cli(corpus, db)
    camp.final_exit = done.returncode
    if done.returncode != 0:
        raise AssertionError(f"seed {seed}: the final run failed ({done.returncode}):\n{done.stderr[-3000:]}")
    camp.final = state(db)
    camp.seconds = time.perf_counter() - started
    return camp
