"""Run the time and number stages over the shared dev corpus (read by path, never copied).

Skips when ../shared is not present.  Asserts invariants only (no timing thresholds:
the rate is printed, run with ``-s`` to see it).
"""
from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pytest

from frontlines.quantities import find_fatalities, find_injuries, find_quantities
from frontlines.temporal import find_time_expressions

pytestmark = pytest.mark.e2e

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus" / "war_news_dev.jsonl"
SEED = SHARED / "corpus" / "seed-2022-09-12-kharkiv.txt"
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")


def _dated_articles() -> list[tuple[dt.date, str]]:
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} not present")
    out = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        raw = (rec.get("date") or "").strip()
        try:
            day = dt.date.fromisoformat(raw[:10])
        except ValueError:
            continue      # undated or month-only articles cannot anchor relative dates
        out.append((day, rec.get("text") or ""))
    if not out:
        pytest.skip("no dated articles in the corpus")
    return out


def test_no_past_expression_after_article_date():
    arts = _dated_articles()
    n_sent = n_expr = 0
    problems = []
    t0 = time.perf_counter()
    for day, text in arts:
        pos = 0
        for sent in _SENT_SPLIT.split(text):
            start = text.find(sent, pos)
            pos = start + len(sent)
            if not sent.strip():
                continue
            n_sent += 1
            for e in find_time_expressions(sent, day, offset=start):
                n_expr += 1
                assert text[e.start:e.end] == e.text
                assert e.time_precision in (1, 2, 3)
                assert e.relation in ("past", "present", "future")
                assert e.reason.startswith("time:")
                if e.start_date and e.end_date:
                    assert e.start_date <= e.end_date
                if e.relation != "future":
                    if e.date > day or (e.end_date and e.end_date > day):
                        problems.append((day, e.text, e.date, e.end_date, e.reason))
                else:
                    assert e.date > day
    elapsed = time.perf_counter() - t0
    print(f"\ntemporal: {len(arts)} articles, {n_sent} sentences, {n_expr} expressions, "
          f"{elapsed * 1e6 / max(n_sent, 1):.0f} us/sentence")
    assert not problems, problems
    assert n_expr > 50


def test_whole_articles_at_once_match_sentence_runs():
    arts = _dated_articles()
    t0 = time.perf_counter()
    total = 0
    for day, text in arts:
        got = find_time_expressions(text, day)
        total += len(got)
        for e in got:
            assert text[e.start:e.end] == e.text
    print(f"\ntemporal (whole articles): {total} expressions in {time.perf_counter() - t0:.3f}s")


def test_quantities_and_casualties_run_over_corpus():
    arts = _dated_articles()
    t0 = time.perf_counter()
    n_q = n_f = 0
    for _day, text in arts:
        for sent in _SENT_SPLIT.split(text):
            for q in find_quantities(sent):
                n_q += 1
                assert q.value >= 0
                assert q.unit and q.of
                assert sent[q.start:q.end] == q.text
            f = find_fatalities(sent)
            if f is not None:
                n_f += 1
                assert f[0] >= 0 and f[1].startswith("fatalities:")
            i = find_injuries(sent)
            if i is not None:
                assert i[0] >= 0 and i[1].startswith("injuries:")
    print(f"\nquantities: {n_q} quantities, {n_f} sentences with fatalities, "
          f"{time.perf_counter() - t0:.3f}s")
    assert n_q > 0 and n_f > 0


def test_seed_article():
    if not SEED.exists():
        pytest.skip(f"{SEED} not present")
    text = SEED.read_text(encoding="utf-8")
    day = dt.date(2022, 9, 12)
    got = {e.text.lower(): e for e in find_time_expressions(text, day)}
    assert got["six days ago"].date == dt.date(2022, 9, 6)
    assert got["by saturday"].date == dt.date(2022, 9, 10)
    assert got["by monday"].date == day
    assert got["on sunday"].date == dt.date(2022, 9, 11)
    assert got["on saturday"].date == dt.date(2022, 9, 10)
    wk = got["over the weekend"]
    assert (wk.start_date, wk.end_date, wk.time_precision) == (
        dt.date(2022, 9, 10), dt.date(2022, 9, 11), 2)
    recent = got["in recent weeks"]
    assert recent.end_date < day and recent.time_precision in (2, 3)
    assert got["on feb. 24"].date == dt.date(2022, 2, 24)
    assert got["in 2014"].reason == "time:year_only" and got["in 2014"].date.year == 2014
    assert got["since april"].start_date == dt.date(2022, 4, 1)
    assert got["in march"].date == dt.date(2022, 3, 15) and got["in march"].time_precision == 3
    past5 = got["in the past five days"]
    assert (past5.start_date, past5.end_date) == (dt.date(2022, 9, 7), dt.date(2022, 9, 11))
    units = {(q.unit, q.value) for q in find_quantities(text)}
    assert ("km", 70) in units and ("km2", 3000) in units and ("losses", 1000) in units
    assert find_fatalities("In recent weeks, Ukraine has continued to shell Russian-held "
                           "territories, causing some civilian deaths.")[0] == 3
