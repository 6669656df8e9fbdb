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
