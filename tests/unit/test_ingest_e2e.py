"""Ingest the shared development corpus and the seed report (read by path, never copied)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from frontlines.ingest import read_sources
from frontlines.records import Article, IngestProblem

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus" / "war_news_dev.jsonl"
SEED = SHARED / "corpus" / "seed-2022-09-12-kharkiv.txt"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not (CORPUS.exists() and SEED.exists()), reason="../shared/corpus is not there"),
]


def test_dev_corpus_and_seed():
    out = list(read_sources([str(CORPUS), str(SEED)]))
    arts = [x for x in out if isinstance(x, Article)]
    probs = [x for x in out if isinstance(x, IngestProblem)]
    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) == 137

    seed = [a for a in arts if a.origin == str(SEED)]
    assert len(seed) == 1
    assert seed[0].date == dt.date(2022, 9, 12) and seed[0].date_reason == "date:first_line"
    assert seed[0].title and not seed[0].text.startswith("date ")

    corpus_arts = [a for a in arts if a.origin != str(SEED)]
    # Every record is accounted for: an article or a problem, one each, in order.
    assert len(corpus_arts) + len(probs) == 137
    assert all(p.code == "E105" for p in probs)
    by_line = {int(a.origin.rsplit(":", 1)[1]): a for a in corpus_arts}
    problem_lines = {int(p.origin.rsplit(":", 1)[1]) for p in probs}
    assert set(by_line) | problem_lines == set(range(1, 138)) and not set(by_line) & problem_lines

    for lineno, rec in enumerate(records, start=1):
        if rec["date"]:
            a = by_line[lineno]
            assert a.date.isoformat().startswith(rec["date"])
            assert a.date_reason == ("date:month_only" if len(rec["date"]) == 7 else "date:field")
            assert a.text == rec["text"].strip() and a.meta["id"] == rec["id"]
        elif lineno in by_line:
            assert by_line[lineno].date_reason == "date:dateline"
        else:
            assert lineno in problem_lines
    undated = [r for r in records if not r["date"]]
    assert len(undated) == 41
    dateline_dated = [a for a in corpus_arts if a.date_reason == "date:dateline"]
    assert 5 <= len(dateline_dated) <= 20          # 9 with today's rules
    assert len(dateline_dated) + len(probs) == 41
    assert len({a.article_id for a in arts}) == len(arts)      # ids are distinct

    # With a default date nothing is lost, and datelines still win over it.
    out = list(read_sources([str(CORPUS)], default_date=dt.date(2023, 12, 31)))
    assert len(out) == 137 and all(isinstance(x, Article) for x in out)
    assert sum(a.date_reason == "date:dateline" for a in out) == len(dateline_dated)
    # Re-ingesting gives the same ids.
    again = {a.origin: a.article_id for a in read_sources([str(CORPUS)]) if isinstance(a, Article)}
    assert again == {a.origin: a.article_id for a in corpus_arts}
