"""Crashes: `frontlines run` stopped at any moment, then run again, leaves the database it would
have left without the crash (issue 13 B).  See tests/crash_harness.py for the corpus and checks;
``-m slow`` runs the full campaigns (5,000 articles, twenty SIGKILLs)."""
from __future__ import annotations

import json
import os
import random
import time

import pytest
from click.testing import CliRunner

import crash_harness as ch

pytestmark = pytest.mark.e2e


def _seed(name: str) -> int:
    """FRONTLINES_CRASH_SEED reproduces a failure; otherwise a fresh seed each time (printed)."""
    seed = int(os.environ.get("FRONTLINES_CRASH_SEED") or random.randrange(1, 10**6))
    print(f"{name}: seed {seed} (FRONTLINES_CRASH_SEED={seed} reproduces)")
    return seed


def _invoke(*args: str):
    from frontlines.cli import main

    return CliRunner().invoke(main, ["run", *args, *ch.RUN_FLAGS])


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    """24 reports (versions and repeats among them) and the database one clean run makes of them."""
    d = tmp_path_factory.mktemp("crash-small")
    corpus = ch.write_corpus(d / "small.jsonl", 24, seed=5)
    db = str(d / "clean.db")
    out = _invoke(str(corpus), "--db", db)
    assert out.exit_code == 0, out.output
    return corpus, ch.state(db)


@pytest.mark.parametrize("nth", [1, 6, 17])
def test_a_run_stopped_between_storing_an_article_and_fusing_it_loses_nothing(small_corpus, tmp_path, monkeypatch,
                                                                             nth):
    """The process dies (SystemExit stands for the kill) as fusion starts on the nth article: the
    article must not stay stored unfused, and a second run must finish it as a clean run would."""
    from frontlines.fusion import store as fusion_store

    corpus, clean = small_corpus
    calls = {"n": 0}
    register = fusion_store.FusionStore.register

    def dies(self, article_id, events):
        calls["n"] += 1
        if calls["n"] == nth:
            raise SystemExit(137)
        return register(self, article_id, events)

    db = str(tmp_path / "crashed.db")
    monkeypatch.setattr(fusion_store.FusionStore, "register", dies)
    assert _invoke(str(corpus), "--db", db).exit_code == 137
    monkeypatch.setattr(fusion_store.FusionStore, "register", register)
    dups, unfused = ch.check_invariants(db)
    assert unfused == 0, "an article's events were stored but never fused"
    again = _invoke(str(corpus), "--db", db)
    assert again.exit_code == 0, again.output
    after = ch.state(db)
    assert after.integrity == "ok"
    assert sum(after.duplicates.values()) == 0, after.duplicates
    assert after.same_as(clean) == []


def test_run_fuses_articles_an_older_run_stored_without_fusing(small_corpus, tmp_path, pipeline):
    """A database left by a run that stored and fused in two transactions and died between them
    (the article is there, its events never fused): the next run fuses it, in storing order, and
    ends as a clean run does."""
    from frontlines.fusion import store_and_fuse
    from frontlines.ingest import read_sources
    from frontlines.pipeline import split_results
    from frontlines.store import open_store

    corpus, clean = small_corpus
    articles, _problems = split_results(read_sources([str(corpus)]))
    results = list(pipeline.process(articles[:10]))
    assert results[9].events, "the test needs an article with events"
    db = str(tmp_path / "old.db")
    with open_store(db) as store:
        for r in results[:9]:
            store_and_fuse(store, r.article, r.events)
        assert store.add_article(results[9].article, results[9].events)   # then the old run died
    assert ch.check_invariants(db)[1] > 0
    again = _invoke(str(corpus), "--db", db)
    assert again.exit_code == 0, again.output
    after = ch.state(db)
    assert after.unfused == 0
    assert after.same_as(clean) == []


def _register_fails(monkeypatch):
    from frontlines.fusion import store as fusion_store

    def fails(self, article_id, events):
        raise RuntimeError("fusion failed")

    monkeypatch.setattr(fusion_store.FusionStore, "register", fails)
    return lambda: monkeypatch.setattr(fusion_store.FusionStore, "register", fusion_store.FusionStore.register)


REPORT = ("Russian forces shelled Kupiansk in Kharkiv Oblast on Monday, killing two civilians and wounding five,"
          " the regional governor said.")


def test_the_python_api_stores_and_fuses_a_report_in_one_transaction(tmp_path, monkeypatch, pipeline):
    from frontlines.api import Database
    from frontlines.fusion import store as fusion_store

    register = fusion_store.FusionStore.register
    _register_fails(monkeypatch)
    with Database(tmp_path / "api.db") as db:
        with pytest.raises(RuntimeError):
            db.add_text(REPORT, "2023-03-06", pipeline=pipeline)
        assert db.store.count_articles() == 0 and db.store.count_events() == 0
        monkeypatch.setattr(fusion_store.FusionStore, "register", register)
        assert db.add_text(REPORT, "2023-03-06", pipeline=pipeline)
    assert ch.check_invariants(str(tmp_path / "api.db")) == ({k: 0 for k, _ in ch.DUPLICATE_CHECKS}, 0)


def test_the_server_stores_and_fuses_a_posted_report_in_one_transaction(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from frontlines.fusion import store as fusion_store
    from frontlines.serve import create_app

    token = "t0ken-for-the-crash-tests-0123456789"
    register = fusion_store.FusionStore.register
    path = tmp_path / "served.db"
    _register_fails(monkeypatch)
    body = {"text": REPORT, "date": "2023-03-06", "id": "r1"}
    with TestClient(create_app(str(path), token=token), raise_server_exceptions=False) as client:
        auth = {"Authorization": f"Bearer {token}"}
        assert client.post("/api/articles", json=body, headers=auth).status_code == 500
        reader = ch.Reader(str(path))
        assert reader.count("articles") == 0
        reader.close()
        monkeypatch.setattr(fusion_store.FusionStore, "register", register)
        assert client.post("/api/articles", json=body, headers=auth).status_code == 201
    assert ch.check_invariants(str(path)) == ({k: 0 for k, _ in ch.DUPLICATE_CHECKS}, 0)


# ------------------------------------------------------------------------------------ SIGKILL campaigns
SHORT_N, SHORT_KILLS = 300, 4
FULL_N, FULL_KILLS = 5000, 20


def _clean(tmp_path_factory, n: int, db_for) -> tuple:
    d = tmp_path_factory.mktemp(f"crash-{n}")
    corpus = ch.write_corpus(d / f"corpus-{n}.jsonl", n, seed=n)
    db = db_for(d, "clean")
    done = ch.run_cli(corpus, db)
    assert done.returncode == 0, done.stderr[-3000:]
    clean = ch.state(db)
    assert clean.integrity in ("ok", "n/a") and clean.unfused == 0
    assert sum(clean.duplicates.values()) == 0, clean.duplicates
    assert clean.counts["merges"] > 0, "the corpus should give fusion some work"
    return d, corpus, clean


def _sqlite_db(d, name: str) -> str:
    return str(d / f"{name}.db")


def _pg_db(d, name: str) -> str:
    import pg_server

    return pg_server.new_database()


def _campaign(d, corpus, clean, db: str, n: int, kills: int, name: str):
    seed = _seed(name)
    camp = ch.crash_campaign(corpus, db, n=n, kills=kills, seed=seed, workdir=d, say=print)
    print(camp.table())
    where = f"seed {seed} (FRONTLINES_CRASH_SEED={seed} reproduces)\n{camp.table()}"
    assert camp.kills, f"no kill landed; {where}"
    bad = [k for k in camp.kills if k.integrity not in ("ok", "n/a") or k.duplicates or k.unfused]
    assert not bad, f"a kill left the database broken or half-written: {bad}; {where}"
    final = camp.final
    assert final.integrity in ("ok", "n/a"), where
    assert sum(final.duplicates.values()) == 0, f"{final.duplicates}; {where}"
    assert final.same_as(clean) == [], f"{final.same_as(clean)}; {where}"
    return camp


@pytest.fixture(scope="module")
def short_sqlite(tmp_path_factory):
    return _clean(tmp_path_factory, SHORT_N, _sqlite_db)


def test_sigkilled_runs_on_sqlite_resume_to_the_clean_result(short_sqlite):
    d, corpus, clean = short_sqlite
    _campaign(d, corpus, clean, _sqlite_db(d, "crashed"), SHORT_N, SHORT_KILLS, "sqlite-short")


@pytest.mark.slow
def test_sigkilled_runs_on_sqlite_resume_to_the_clean_result_full(tmp_path_factory):
    d, corpus, clean = _clean(tmp_path_factory, FULL_N, _sqlite_db)
    _campaign(d, corpus, clean, _sqlite_db(d, "crashed"), FULL_N, FULL_KILLS, "sqlite-full")


def test_sigkilled_runs_on_postgres_resume_to_the_clean_result(short_sqlite):
    """The same campaign on PostgreSQL, compared with the clean run on SQLite: the two stores hold
    the same rows (timestamps aside), so one clean run serves both."""
    d, corpus, clean = short_sqlite
    _campaign(d, corpus, clean, _pg_db(d, "crashed"), SHORT_N, SHORT_KILLS, "postgres-short")


@pytest.mark.slow
def test_sigkilled_runs_on_postgres_resume_to_the_clean_result_full(tmp_path_factory):
    d, corpus, clean = _clean(tmp_path_factory, FULL_N, _sqlite_db)
    _campaign(d, corpus, clean, _pg_db(d, "crashed"), FULL_N, FULL_KILLS, "postgres-full")


# ------------------------------------------------------------------------------------ concurrency
def _read_while(alive, base: str, seen: list, stop) -> None:
    """GET /api/events (a page, and a filtered count) until ``stop`` is set; every answer kept."""
    import httpx

    with httpx.Client(base_url=base, timeout=120) as client:
        while not stop.is_set():
            for params in ({"limit": 200}, {"limit": 1, "event_type": "Battles"}):
                try:
                    r = client.get("/api/events", params=params)
                    seen.append((r.status_code, r.json().get("total") if r.status_code == 200 else r.text[:300]))
                except httpx.TransportError as exc:
                    if alive():
                        seen.append((0, repr(exc)))
            stop.wait(0.1)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_two_runs_and_a_server_share_one_database(short_sqlite, tmp_path, backend):
    """Two `frontlines run` on one new database (half their reports the same) while `frontlines
    serve` answers /api/events: no "database is locked" anywhere, every answer a 200, nothing lost,
    nothing twice; and the database is the one a single run makes of the reports in the order the
    two runs committed them (so the runs serialised, as one)."""
    import threading

    import httpx

    d, corpus, _clean_state = short_sqlite
    records = [line for line in corpus.read_text(encoding="utf-8").splitlines(keepends=True)][:100]
    a, b, both = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "both.jsonl"
    a.write_text("".join(records[:70]), encoding="utf-8")
    b.write_text("".join(records[30:]), encoding="utf-8")
    both.write_text("".join(records), encoding="utf-8")
    new_db = (lambda name: str(tmp_path / f"{name}.db")) if backend == "sqlite" else (lambda name: _pg_db(None, name))
    db = new_db("shared")
    port = ch.free_port()
    server = ch.start_serve(db, port, "t0ken-for-the-crash-tests-0123456789")
    base = f"http://127.0.0.1:{port}"
    runs = []
    try:
        runs = [ch.start_run(a, db), ch.start_run(b, db)]
        started = time.monotonic()
        while True:
            try:
                if httpx.get(base + "/api/config", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stderr.read().decode()[-3000:]
            assert time.monotonic() - started < 300, "the server did not start"
            time.sleep(0.1)
        seen: list = []
        stop = threading.Event()
        reader = threading.Thread(target=_read_while, args=(lambda: server.poll() is None, base, seen, stop))
        reader.start()
        errs = [p.communicate(timeout=900)[1].decode() for p in runs]
        time.sleep(1.0)                          # a last answer after both runs ended
        stop.set()
        reader.join()
    finally:
        for p in runs:
            if p.poll() is None:
                ch.kill_group(p)
        server.terminate()
        server_err = server.communicate(timeout=30)[1].decode()
    for p, err in zip(runs, errs):
        assert p.returncode == 0, err[-3000:]
        assert "locked" not in err.lower(), err[-3000:]
    assert "locked" not in server_err.lower(), server_err[-3000:]
    assert seen and all(code == 200 for code, _ in seen), [s for s in seen if s[0] != 200][:5]
    assert any(total for _code, total in seen), "the reader never saw an event"
    got = ch.state(db)
    assert got.integrity in ("ok", "n/a") and got.unfused == 0
    assert sum(got.duplicates.values()) == 0, got.duplicates
    # nothing lost: the articles of both inputs, and every event coded from them (fusion's parts, as
    # the clean run over the whole corpus coded them)
    from frontlines.ingest import read_sources
    from frontlines.pipeline import split_results

    want = {x.article_id for x in split_results(read_sources([str(both)]))[0]}
    r1, r2 = ch.Reader(db), ch.Reader(_sqlite_db(d, "clean"))
    try:
        assert {r[0] for r in r1.rows("SELECT article_id FROM articles")} == want
        parts = "SELECT part_id, article_id FROM fusion_parts"
        assert sorted(r1.rows(parts)) == sorted(r for r in r2.rows(parts) if r[1] in want)
        stored = [json.loads(m[0]).get("id") for m in r1.rows("SELECT meta FROM articles ORDER BY rowid")]
    finally:
        r1.close()
        r2.close()
    # serialisable: a single run over the reports in commit order makes the same database
    by_id = {json.loads(line)["id"]: line for line in records}
    order = tmp_path / "commit-order.jsonl"
    order.write_text("".join(by_id[i] for i in stored), encoding="utf-8")
    serial = new_db("serial")
    assert ch.run_cli(order, serial).returncode == 0
    skip = {"articles": {"origin"}}
    differs = ch.state(db, skip).same_as(ch.state(serial, skip))
    assert differs == [], f"{differs}\n{ch.diff_rows(db, serial, ch.TABLES, skip)}"
    print(f"{backend}: two runs + server: {len(seen)} answers, all 200; {got.counts}")


def test_a_refusion_that_fails_midway_leaves_the_database_as_it_was(small_corpus, tmp_path, monkeypatch):
    """`frontlines fuse` re-fuses the whole store in one transaction: stopped after fusion and before
    the control timeline is saved, nothing of it stays."""
    from frontlines import control
    from frontlines.cli import main

    corpus, clean = small_corpus
    db = tmp_path / "refuse.db"
    assert _invoke(str(corpus), "--db", str(db)).exit_code == 0
    before = ch.state(str(db))

    def fails(store):
        raise SystemExit(137)

    monkeypatch.setattr(control, "save_control", fails)
    assert CliRunner().invoke(main, ["fuse", "--db", str(db)]).exit_code == 137
    after = ch.state(str(db))
    assert after.same_as(before) == [] and after.integrity == "ok"


def _shelling(n: int):
    import datetime as dt

    from frontlines.records import Article, Event

    a = Article(article_id=f"race{n}", text=f"Russian forces shelled Izium on 5 March (report {n}).",
                date=dt.date(2023, 3, 6), title=f"report {n}", source=f"outlet{n}.example",
                url=f"https://outlet{n}.example/{n}")
    ev = Event(event_id=f"RACE{n}", event_date="2023-03-05", time_precision=1, event_type="Explosions/Remote violence",
               sub_event_type="Shelling/artillery/missile attack", actor1="Military Forces of Russia (2000-)",
               country="Ukraine", admin1="Kharkiv Oblast", location="Izium", latitude=49.2128, longitude=37.2569,
               geo_precision=1, geonameid=707244, article_ids=[a.article_id], source=a.source,
               evidence=[{"article_id": a.article_id, "sentence": a.text, "start": 0, "end": len(a.text)}])
    return a, [ev]


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_two_writers_fusing_reports_of_one_happening_join_them(monkeypatch, tmp_path, backend):
    """Two connections' store-and-fuse transactions, the first still fusing when the second starts:
    the second must see the first's event and join it, not fuse against the state before it and
    leave two events for one shelling (PostgreSQL did, before atomic() took its advisory lock)."""
    import threading

    import pg_server
    from frontlines.fusion import store as fusion_store
    from frontlines.fusion import store_and_fuse
    from frontlines.store import open_store

    url = pg_server.new_database() if backend == "postgres" else str(tmp_path / "race.db")
    first, second = open_store(url), open_store(url)
    candidates = fusion_store.FusionStore.candidates
    in_first = threading.Event()

    def slow(self, sig):
        got = candidates(self, sig)
        if self.store is first:
            in_first.set()
            time.sleep(1.0)              # the first transaction holds on, its event written, not committed
        return got

    monkeypatch.setattr(fusion_store.FusionStore, "candidates", slow)
    t = threading.Thread(target=store_and_fuse, args=(first, *_shelling(1)))
    t.start()
    assert in_first.wait(30)
    report = store_and_fuse(second, *_shelling(2))
    t.join()
    try:
        assert report is not None and [m[1] for m in report.merged] == ["RACE1"]
        assert second.count_events() == 1
    finally:
        first.close()
        second.close()
