"""The whole extraction (model, gazetteer, coder) on generated text (hypothesis): no exception
escapes, every article is coded within its time budget, and what is coded points into the text.
An article the coder failed on would come out as E702: none may."""
from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_hostile_properties import WORDS, any_text, dates  # noqa: E402

from frontlines.ingest import make_article_id, read_text  # noqa: E402
from frontlines.records import Article  # noqa: E402

pytestmark = pytest.mark.e2e

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "60"))
PROFILE = settings(max_examples=EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.function_scoped_fixture])
BUDGET = 30.0

# Sentences that look like reports, with generated words in between: the coder's rules get to run.
sentence = st.lists(st.sampled_from(WORDS), min_size=3, max_size=25).map(" ".join)
report = st.lists(st.one_of(sentence, any_text), min_size=1, max_size=12).map(lambda parts: ". ".join(parts))


def _article(text: str, day: dt.date, n: int = 0) -> Article:
    return Article(article_id=make_article_id(text) + f"{n:x}", text=text, date=day, origin=f"generated#{n}",
                   date_reason="date:api")


@PROFILE
@given(text=report, day=dates)
def test_code_article_never_raises_and_keeps_its_budget(pipeline, text, day):
    started = time.monotonic()
    result = pipeline.code_article(_article(text, day))       # a CodingError would fail the test
    assert time.monotonic() - started < BUDGET
    for ev in result.events:
        for e in ev.evidence:
            assert text[e["start"]:e["end"]] == e["sentence"]
        assert ev.event_type and ev.fatalities >= 0
        assert ev.latitude is None or -90 <= ev.latitude <= 90


@PROFILE
@given(texts=st.lists(report, min_size=1, max_size=6), day=dates)
def test_a_batch_of_generated_reports_loses_none(pipeline, texts, day):
    articles = [_article(t, day, n) for n, t in enumerate(texts)]
    skipped = []
    coded = [r.article.article_id for r in pipeline.process(articles, on_skip=skipped.append)]
    assert [s.code for s in skipped if s.code != "E701"] == []
    assert coded + [s.message.split("article ")[1].split(" ")[0] for s in skipped] != []
    assert len(coded) + len(skipped) == len(articles)
    assert set(coded) <= {a.article_id for a in articles}


@PROFILE
@given(text=any_text)
def test_ingest_then_code_never_raises(pipeline, text):
    for item in read_text(text, "gen.txt", default_date=dt.date(2022, 9, 12)):
        if isinstance(item, Article):
            pipeline.code_article(item)
