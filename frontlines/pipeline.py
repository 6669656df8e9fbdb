"""The pipeline: ingest -> nlp -> geo/time/actors -> events -> store.

``Pipeline`` loads the spaCy model, the gazetteer and the lexicons once and codes batches
of articles; every sentence that can hold an event across a whole batch is parsed in one
``nlp.pipe`` stream.
"""
from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .events.extract import EventExtractor
from .events.lexicon import Lexicon, default_lexicon
from .nlp import Sentence, iter_ents, load_nlp, parse_sentences, split_sentences
from .records import Article, Event, IngestProblem, Toponym

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class ArticleResult:
    article: Article
    events: list[Event]
    sentences: list[Sentence] = field(default_factory=list)
    toponyms: list[Toponym] = field(default_factory=list)


class Pipeline:
    """Codes articles into events. Heavy resources are loaded once, on first use."""

    def __init__(self, *, lexicon: Lexicon | None = None, gazetteer=None, include_background: bool = False,
                 nlp=None, decider=None) -> None:
        self.lexicon = lexicon or default_lexicon()
        self._gazetteer = gazetteer
        self._geoparser = None
        self._nlp = nlp
        self.extractor = EventExtractor(self.lexicon, include_background=include_background, decider=decider)

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load_nlp()
        return self._nlp

    @property
    def geoparser(self):
        if self._geoparser is None:
            from .geo.geoparse import Geoparser

            self._geoparser = Geoparser(self._gazetteer)
        return self._geoparser

    def warm_up(self) -> None:
        """Load the model, the gazetteer and dateparser's locale data now, once, so that progress
        bars and benchmarks measure work rather than loading."""
        import datetime as dt

        from . import temporal

        _ = self.nlp, self.geoparser
        temporal.warm_up(dt.date(2022, 3, 10))

    def prepare(self, article: Article) -> list[Sentence]:
        sentences = split_sentences(article.text)
        for s in sentences:
            s.candidate = self.lexicon.is_candidate(s.text)
        return sentences

    def process(self, articles: Iterable[Article], *, batch_size: int = 64, n_process: int = 1,
                on_article: Callable[[ArticleResult], None] | None = None) -> Iterator[ArticleResult]:
        """Code a stream of articles, in order.

        Every candidate sentence of the stream goes through one ``nlp.pipe`` call (``n_process``
        worker processes when > 1), and each article is coded as soon as its sentences are parsed.
        """
        pending: deque[tuple[Article, list[Sentence], int]] = deque()   # article, sentences, still to parse

        def texts() -> Iterator[tuple[str, tuple[int, int]]]:
            for serial, article in enumerate(articles):
                sentences = self.prepare(article)
                todo = [i for i, s in enumerate(sentences) if s.candidate]
                pending.append((article, sentences, len(todo)))
                for i in todo:
                    yield sentences[i].text, (serial, i)

        first_serial = 0
        docs = self.nlp.pipe(texts(), as_tuples=True, batch_size=batch_size, n_process=n_process)
        for doc, (serial, index) in docs:
            # articles before this one (and this one's earlier sentences) are fully parsed now
            while pending and first_serial < serial and pending[0][2] == 0:
                yield self._finish(pending.popleft())
                first_serial += 1
            article, sentences, left = pending[serial - first_serial]
            sentences[index].doc = doc
            pending[serial - first_serial] = (article, sentences, left - 1)
            while pending and pending[0][2] == 0:
                yield self._finish(pending.popleft())
                first_serial += 1
        while pending:                       # articles with nothing to parse at the end of the stream
            yield self._finish(pending.popleft())
            first_serial += 1

    def _finish(self, item: tuple[Article, list[Sentence], int]) -> ArticleResult:
        article, sentences, _left = item
        return self.code_article(article, sentences)

    def code_article(self, article: Article, sentences: list[Sentence] | None = None) -> ArticleResult:
        if sentences is None:
            sentences = self.prepare(article)
            parse_sentences(sentences, self.nlp)
        ents = list(iter_ents(sentences))
        try:
            toponyms = self.geoparser.parse(article.text, ents)
        except Exception:  # a geoparser failure must not lose the article's events
            logger.exception("geoparsing failed for %s; coding without places", article.origin)
            toponyms = []
        events = self.extractor.extract(article, sentences, toponyms)
        return ArticleResult(article, events, sentences, toponyms)


def split_results(items: Iterable[Article | IngestProblem]) -> tuple[list[Article], list[IngestProblem]]:
    articles, problems = [], []
    for item in items:
        (problems if isinstance(item, IngestProblem) else articles).append(item)
    return articles, problems
