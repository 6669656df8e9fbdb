"""Pipeline.process streams every candidate sentence through one nlp.pipe and yields articles in order."""
import datetime as dt

from frontlines.pipeline import ArticleResult, Pipeline
from frontlines.records import Article


class FakeNLP:
    """Stands in for spaCy: records what it was asked to parse."""

    def __init__(self):
        self.seen = []

    def pipe(self, items, as_tuples=False, batch_size=128, n_process=1):
        for text, ctx in items:
            self.seen.append(text)
            yield f"DOC:{text}", ctx


def make(i, text):
    return Article(article_id=f"a{i}", text=text, date=dt.date(2022, 9, 12), origin=f"t{i}")


def test_articles_come_out_in_order_with_every_candidate_parsed(monkeypatch):
    nlp = FakeNLP()
    p = Pipeline(nlp=nlp)
    coded = []

    def fake_code(article, sentences, **_budget):
        coded.append(article.article_id)
        for s in sentences:
            assert (s.doc is not None) == s.candidate
        return ArticleResult(article, [], sentences)

    monkeypatch.setattr(p, "code_article", fake_code)
    articles = [
        make(0, "Russian forces shelled Kharkiv. The weather was mild."),
        make(1, "Nothing of note happened. Markets were calm."),        # no candidate sentence
        make(2, "Troops withdrew from Lyman. Fighting continued."),
        make(3, "Prices rose."),                                       # none either, at the end
    ]
    out = [r.article.article_id for r in p.process(articles)]
    assert out == ["a0", "a1", "a2", "a3"] == coded
    assert nlp.seen == ["Russian forces shelled Kharkiv.", "Troops withdrew from Lyman.", "Fighting continued."]


def test_empty_stream_yields_nothing():
    assert list(Pipeline(nlp=FakeNLP()).process([])) == []
