"""Crashes: `frontlines run` stopped at any moment, then run again, leaves the database it would
have left without the crash (issue 13 B).  See tests/crash_harness.py for the corpus and checks;
``-m slow`` runs the full campaigns (5,000 articles, twenty SIGKILLs)."""
from __future__ import annotations

import os
import random

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


@pytest.fixture(scope="module")
def short_postgres(tmp_path_factory):
    return _clean(tmp_path_factory, SHORT_N, _pg_db)


def test_sigkilled_runs_on_postgres_resume_to_the_clean_result(short_postgres, short_sqlite):
    d, corpus, clean = short_postgres
    _campaign(d, corpus, clean, _pg_db(d, "crashed"), SHORT_N, SHORT_KILLS, "postgres-short")
    assert clean.export == short_sqlite[2].export, "PostgreSQL and SQLite should store the same events"


@pytest.mark.slow
def test_sigkilled_runs_on_postgres_resume_to_the_clean_result_full(tmp_path_factory):
    d, corpus, clean = _clean(tmp_path_factory, FULL_N, _pg_db)
    _campaign(d, corpus, clean, _pg_db(d, "crashed"), FULL_N, FULL_KILLS, "postgres-full")
