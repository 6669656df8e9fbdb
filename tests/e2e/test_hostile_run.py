"""`frontlines run` on a folder of hostile files and on reports that hang or break the coder:
every bad input is named with its code on standard error, the good reports are all stored, and
the exit status (1) says something was skipped."""
from __future__ import annotations

import sqlite3
import time

import pytest
from click.testing import CliRunner

import hostile_corpus
from frontlines.cli import EXIT_SKIPPED, main
from frontlines.ingest import read_sources
from frontlines.records import Article

pytestmark = pytest.mark.e2e


def _count(db, table: str) -> int:
    with sqlite3.connect(db) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


def test_run_on_the_hostile_folder_names_every_bad_file_and_stores_every_good_report(tmp_path, pipeline):
    folder = tmp_path / "in"
    cases = hostile_corpus.write(folder, line_mb=8)
    good_ids = {a.article_id for a in read_sources([str(folder)]) if isinstance(a, Article)}
    db = tmp_path / "h.db"
    result = CliRunner().invoke(main, ["run", str(folder), "--db", str(db), "--rows", "0"])
    assert result.exit_code == EXIT_SKIPPED, result.output
    flat = "".join(result.output.split())              # the console wraps long paths: compare without spaces
    for case in cases:
        for code in set(case.codes):
            assert flat.count(f"[{code}]{folder / case.name}") == case.codes.count(code), (case.name, code)
    assert _count(db, "articles") == len(good_ids) == sum(c.good for c in cases)
    assert f"{sum(len(c.codes) for c in cases)} skipped" in result.output
    again = CliRunner().invoke(main, ["run", str(folder), "--db", str(db), "--rows", "0"])
    assert again.exit_code == EXIT_SKIPPED and _count(db, "articles") == len(good_ids)      # nothing doubled


def test_a_report_that_hangs_or_breaks_the_coder_is_skipped_and_the_rest_are_stored(tmp_path, pipeline,
                                                                                   monkeypatch):
    from frontlines.events.extract import EventExtractor

    original = EventExtractor.extract

    def extract(self, article, sentences, toponyms):
        if "Slowpoke" in article.text:
            time.sleep(600)              # a pathological article: the budget must cut it short
        if "Poison" in article.text:
            raise KeyError("a coder bug")
        return original(self, article, sentences, toponyms)

    monkeypatch.setattr(EventExtractor, "extract", extract)
    folder = tmp_path / "in"
    folder.mkdir()
    texts = {"a.txt": "Shelling hit Izium on Monday, killing two people.",
             "slow.txt": "Slowpoke. Russian forces shelled Kupiansk on Monday.",
             "poison.txt": "Poison. Russian forces shelled Balakliia on Monday.",
             "b.txt": "Russian forces shelled Lyman on Tuesday, the governor said."}
    for name, text in texts.items():
        (folder / name).write_text(f"date 2022-09-13 {name}\n{text}\n", encoding="utf-8")
    db = tmp_path / "b.db"
    started = time.monotonic()
    result = CliRunner().invoke(main, ["run", str(folder), "--db", str(db), "--rows", "0",
                                       "--article-seconds", "2"])
    assert time.monotonic() - started < 60
    assert result.exit_code == EXIT_SKIPPED, result.output
    flat = " ".join(result.output.split())
    assert f"[E701] {folder / 'slow.txt'}: article" in flat and "time budget of 2s" in flat
    assert f"[E702] {folder / 'poison.txt'}: article" in flat and "KeyError" in flat
    assert "2 report(s) coded" in flat and "2 skipped" in flat
    with sqlite3.connect(db) as con:
        stored = {r[0] for r in con.execute("select origin from articles")}
    assert {s.rsplit("/", 1)[-1] for s in stored} == {"a.txt", "b.txt"}        # nothing of the skipped ones
    monkeypatch.setattr(EventExtractor, "extract", original)
    rerun = CliRunner().invoke(main, ["run", str(folder), "--db", str(db), "--rows", "0"])
    assert rerun.exit_code == 0, rerun.output                                   # retried, and now stored
    assert _count(db, "articles") == 4
