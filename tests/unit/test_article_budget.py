"""The per-article time budget: a pathological or breaking article is skipped with a coded error
naming it (E701 over the budget, E702 the coder failed on it), and the batch goes on."""
from __future__ import annotations

import datetime as dt
import re
import threading
import time

import pytest

from frontlines.budget import ArticleTimeout, Budget
from frontlines.pipeline import ArticleResult, CodingError, Pipeline
from frontlines.records import Article

# Catastrophic backtracking: (a+)+ against "aaaa…!" takes exponential time in any backtracking engine.
_EVIL = re.compile(r"^(a+)+$")


class FakeNLP:
    def pipe(self, items, as_tuples=False, batch_size=128, n_process=1):
        for text, ctx in items:
            yield f"DOC:{text}", ctx


def make(i: int, text: str) -> Article:
    return Article(article_id=f"a{i}", text=text, date=dt.date(2022, 9, 12), origin=f"feed.jsonl:{i}")


def test_budget_interrupts_a_backtracking_regex_in_the_main_thread():
    started = time.monotonic()
    with pytest.raises(ArticleTimeout):
        with Budget(0.3):
            _EVIL.match("a" * 40 + "!")
    assert time.monotonic() - started < 5
    import signal
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0          # the timer is disarmed afterwards
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)


def test_budget_without_seconds_never_fires():
    with Budget(None) as b:
        b.check()
    with Budget(0) as b:
        b.check()


def test_budget_in_a_thread_is_checked_between_stages():
    outcome = []

    def work():
        try:
            with Budget(0.05) as b:
                time.sleep(0.2)           # a stage that cannot be interrupted here
                b.check()
            outcome.append("finished")
        except ArticleTimeout:
            outcome.append("timeout")

    t = threading.Thread(target=work)
    t.start()
    t.join(5)
    assert outcome == ["timeout"]


def _pipeline_with_slow_article(seconds: float, fake_coder: bool = True) -> Pipeline:
    p = Pipeline(nlp=FakeNLP(), article_seconds=seconds)
    original = p.prepare

    def prepare(article: Article):
        if article.text.startswith("aaaa"):
            _EVIL.match(article.text)     # hangs for hours without the budget
        return original(article)

    p.prepare = prepare
    if fake_coder:
        p._code = lambda article, sentences, budget: ArticleResult(article, [], sentences)
    return p


def test_a_hanging_article_is_skipped_with_E701_and_the_batch_goes_on():
    p = _pipeline_with_slow_article(0.5)
    articles = [make(0, "Russian forces shelled Kharkiv."), make(1, "a" * 40 + "!"),
                make(2, "Troops withdrew from Lyman.")]
    skipped = []
    started = time.monotonic()
    out = [r.article.article_id for r in p.process(articles, on_skip=skipped.append)]
    assert time.monotonic() - started < 10
    assert out == ["a0", "a2"]
    assert [(s.code, s.origin) for s in skipped] == [("E701", "feed.jsonl:1")]
    assert "a1" in skipped[0].message and "0.5s" in skipped[0].message


def test_an_article_that_breaks_the_coder_is_skipped_with_E702():
    p = Pipeline(nlp=FakeNLP())

    def code(article, sentences, budget):
        if article.article_id == "a1":
            raise IndexError("list index out of range")
        return ArticleResult(article, [], sentences)

    p._code = code
    skipped = []
    out = [r.article.article_id for r in p.process([make(0, "x."), make(1, "y."), make(2, "z.")],
                                                   on_skip=skipped.append)]
    assert out == ["a0", "a2"]
    assert [s.code for s in skipped] == ["E702"]
    assert "IndexError" in skipped[0].message and "a1" in skipped[0].message


def test_code_article_raises_a_coded_error_naming_the_article():
    p = _pipeline_with_slow_article(0.3, fake_coder=False)
    with pytest.raises(CodingError) as info:
        p.code_article(make(7, "a" * 40 + "!"))
    assert info.value.code == "E701" and info.value.article_id == "a7"
    assert str(info.value).startswith("[E701] feed.jsonl:7: article a7")
