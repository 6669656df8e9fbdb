"""`frontlines run --engine dask` on the dev corpus: the same events as a single-process run, on
SQLite and on PostgreSQL; a backfill that dies part-way and is started again stores everything
once; a run killed twice (SIGKILL to the driver and its workers) and resumed ends as an
uninterrupted one."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.e2e
distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus(shared_dir, tmp_path_factory):
    """60 dated reports of the dev corpus and 5 undated ones (skipped with E105): 65 lines."""
    lines = (shared_dir / "corpus" / "war_news_dev.jsonl").read_text(encoding="utf-8").splitlines()
    path = tmp_path_factory.mktemp("corpus") / "dev65.jsonl"
    path.write_text("\n".join(lines[:60] + lines[96:101]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def client():
    from frontlines.distributed import make_client

    c, cluster = make_client(None, 2)
    yield c
    c.close()
    cluster.close()


def _events(db: str) -> list[dict]:
    from frontlines.store import open_store

    with open_store(db) as s:
        return [e.to_full_dict() for e in s.iter_events()]


@pytest.fixture(scope="module")
def single_process(corpus, tmp_path_factory):
    from frontlines.cli import main

    db = str(tmp_path_factory.mktemp("single") / "single.db")
    out = CliRunner().invoke(main, ["run", str(corpus), "--db", db, "--rows", "0"])
    assert out.exit_code == 1, out.output          # some reports of the corpus have no date: skipped
    return db


def test_dask_run_equals_single_process_run(corpus, single_process, client, tmp_path):
    from frontlines.distributed import run_backfill
    from frontlines.store import open_store

    db = str(tmp_path / "dask.db")
    with open_store(db) as store:
        report = run_backfill([str(corpus)], store, client=client, partition_size=7)
    assert report.partitions == 10 and report.skipped_partitions == 0
    assert report.problems and all(p.code == "E105" for p in report.problems)
    assert report.fusion.events_before == report.events
    assert report.fusion_stats.windows >= 1
    assert set(report.peak_rss_mb) == set(client.scheduler_info()["workers"])
    assert _events(db) == _events(single_process)
    con = sqlite3.connect(db)
    n = con.execute("SELECT COUNT(*) FROM backfill_partitions WHERE run_key=?", (report.run_key,)).fetchone()[0]
    assert n == 10
    # started again: every partition is recorded, nothing is coded or stored twice
    with open_store(db) as store:
        again = run_backfill([str(corpus)], store, client=client, partition_size=7)
    assert again.skipped_partitions == 10 and again.articles == 0
    assert _events(db) == _events(single_process)


class _Crash(Exception):
    pass


def test_a_backfill_that_dies_resumes_without_loss_or_duplicates(corpus, single_process, client, tmp_path):
    from frontlines.distributed import run_backfill
    from frontlines.store import open_store

    db = str(tmp_path / "crash.db")
    with open_store(db) as store:
        real = store.add_partition
        calls = []

        def dying(*args, **kw):
            if len(calls) == 3:
                raise _Crash("the driver dies while storing its fourth partition")
            calls.append(args[1])
            return real(*args, **kw)

        store.add_partition = dying
        with pytest.raises(_Crash):
            run_backfill([str(corpus)], store, client=client, partition_size=7)
        del store.add_partition
        assert len(store.finished_partitions(next(iter(_keys(db))))) == 3
        report = run_backfill([str(corpus)], store, client=client, partition_size=7)
    assert report.skipped_partitions == 3 and report.already == 0
    assert _events(db) == _events(single_process)


def _keys(db: str) -> set[str]:
    return {r[0] for r in sqlite3.connect(db).execute("SELECT DISTINCT run_key FROM backfill_partitions")}


def test_dask_run_on_postgres_equals_sqlite(corpus, single_process, client, pg_url):
    from frontlines.distributed import run_backfill
    from frontlines.store import open_store

    import pg_server

    with open_store(pg_url) as store:
        pg_server.empty(store)
        run_backfill([str(corpus)], store, client=client, partition_size=11)
    assert _events(pg_url) == _events(single_process)


def test_killed_twice_and_resumed(corpus, single_process, tmp_path):
    """The real thing: the command's process group gets SIGKILL twice mid-run, then runs to the end."""
    db = tmp_path / "killed.db"
    cmd = [sys.executable, "-m", "frontlines.cli", "run", str(corpus), "--db", str(db), "--engine", "dask",
           "--workers", "1", "--partition-size", "4", "--rows", "0"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _kill in range(2):
        before = _finished(db)
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        deadline = time.time() + 240
        while _finished(db) < before + 2 and proc.poll() is None and time.time() < deadline:
            time.sleep(0.2)
        assert proc.poll() is None, "the run ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert 4 <= _finished(db) < 17
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr             # the undated reports are skipped
    assert _finished(db) == 17
    assert _events(str(db)) == _events(single_process)
    summary = " ".join(done.stderr.split())
    assert f"of 17 partition(s) coded ({_finished_before(summary)} finished before)" in summary
    assert _finished_before(summary) >= 4


def _finished_before(summary: str) -> int:
    import re

    m = re.search(r"\((\d+) finished before\)", summary)
    return int(m.group(1)) if m else -1


def _finished(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT COUNT(*) FROM backfill_partitions").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0
