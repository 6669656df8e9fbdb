"""The pipeline: ingest -> nlp -> geo/time/actors -> events -> store.

``Pipeline`` loads the spaCy model, the gazetteer and the lexicons once and codes batches
of articles; every sentence that can hold an event across a whole batch is parsed in one
``nlp.pipe`` stream.

Each article has a time budget (``article_seconds``, default 30 s; see ``frontlines.budget``):
one that runs past it, or that breaks the coder, is skipped with a coded error (E701, E702)
naming it, nothing of it is stored, and the batch goes on.
"""
from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .budget import DEFAULT_ARTICLE_SECONDS, ArticleTimeout, Budget
from .errors import FrontlinesError
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


class CodingError(FrontlinesError):
    """An article that could not be coded (E701 over its time budget, E702 the coder failed on it)."""

    def __init__(self, code: str, article: Article, **kwargs: object) -> None:
        super().__init__(code, origin=article.origin or "<article>", article_id=article.article_id, **kwargs)
        self.article_id = article.article_id
        self.origin = article.origin

    def problem(self) -> IngestProblem:
        return IngestProblem(origin=self.origin, code=self.code, message=self.detail)


@dataclass(slots=True)
class _Pending:
    article: Article
    sentences: list[Sentence]
    left: int                          # candidate sentences still to parse
    spent: float = 0.0                 # seconds of the article's budget used before parsing
    error: CodingError | None = None


class Pipeline:
    """Codes articles into events. Heavy resources are loaded once, on first use."""

    def __init__(self, *, lexicon: Lexicon | None = None, gazetteer=None, include_background: bool = False,
                 nlp=None, decider=None, article_seconds: float | None = DEFAULT_ARTICLE_SECONDS) -> None:
        self.article_seconds = article_seconds
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
                on_article: Callable[[ArticleResult], None] | None = None,
                on_skip: Callable[[IngestProblem], None] | None = None) -> Iterator[ArticleResult]:
        """Code a stream of articles, in order.

        Every candidate sentence of the stream goes through one ``nlp.pipe`` call (``n_process``
        worker processes when > 1), and each article is coded as soon as its sentences are parsed.
        An article that runs past its time budget or breaks the coder is not yielded: ``on_skip``
        gets its coded problem (E701/E702, naming the article), and the stream goes on.
        """
        pending: deque[_Pending] = deque()

        def texts() -> Iterator[tuple[str, tuple[int, int]]]:
            for serial, article in enumerate(articles):
                item = self._prepare_within_budget(article)
                pending.append(item)
                for i, s in enumerate(item.sentences):
                    if s.candidate:
                        yield s.text, (serial, i)

        def finished() -> Iterator[ArticleResult]:
            nonlocal first_serial
            item = pending.popleft()
            first_serial += 1
            result = self._finish(item)
            if isinstance(result, ArticleResult):
                yield result
            else:
                logger.warning("[%s] %s", result.code, result.message)
                if on_skip is not None:
                    on_skip(result)

        first_serial = 0
        docs = self.nlp.pipe(texts(), as_tuples=True, batch_size=batch_size, n_process=n_process)
        for doc, (serial, index) in docs:
            # articles before this one (and this one's earlier sentences) are fully parsed now
            while pending and first_serial < serial and pending[0].left == 0:
                yield from finished()
            item = pending[serial - first_serial]
            item.sentences[index].doc = doc
            item.left -= 1
            while pending and pending[0].left == 0:
                yield from finished()
        while pending:                       # articles with nothing to parse at the end of the stream
            yield from finished()

    def _prepare_within_budget(self, article: Article) -> _Pending:
        try:
            with Budget(self.article_seconds) as budget:
                sentences = self.prepare(article)
                budget.check()
        except ArticleTimeout:
            return _Pending(article, [], 0, error=CodingError("E701", article, seconds=self.article_seconds))
        except Exception as exc:            # noqa: BLE001 - one bad article must not stop the batch
            return _Pending(article, [], 0, error=self._broken(article, exc))
        return _Pending(article, sentences, sum(1 for s in sentences if s.candidate), spent=budget.elapsed)

    def _finish(self, item: _Pending) -> ArticleResult | IngestProblem:
        if item.error is not None:
            return item.error.problem()
        left = None if not self.article_seconds else max(self.article_seconds - item.spent, 0.001)
        try:
            return self.code_article(item.article, item.sentences, seconds=left)
        except CodingError as exc:
            return exc.problem()

    def _broken(self, article: Article, exc: BaseException) -> CodingError:
        logger.error("coding %s (%s) failed", article.article_id, article.origin, exc_info=exc)
        detail = f"{type(exc).__name__}: {exc}"
        return CodingError("E702", article, detail=detail[:200])

    def code_article(self, article: Article, sentences: list[Sentence] | None = None, *,
                     seconds: float | None | object = ...) -> ArticleResult:
        """Code one article within its time budget (``seconds``, default ``article_seconds``).

        Raises CodingError (E701 over the budget, E702 the coder failed on this article); errors
        that are not the article's (a missing model, a damaged gazetteer) pass through as they are."""
        seconds = self.article_seconds if seconds is ... else seconds
        try:
            with Budget(seconds) as budget:
                return self._code(article, sentences, budget)
        except ArticleTimeout:
            raise CodingError("E701", article, seconds=self.article_seconds or seconds) from None
        except FrontlinesError:
            raise
        except Exception as exc:            # noqa: BLE001
            raise self._broken(article, exc) from exc

    def _code(self, article: Article, sentences: list[Sentence] | None, budget: Budget) -> ArticleResult:
        if sentences is None:
            sentences = self.prepare(article)
            budget.check()
            parse_sentences(sentences, self.nlp)
        budget.check()
        ents = list(iter_ents(sentences))
        try:
            toponyms = self.geoparser.parse(article.text, ents)
        except FrontlinesError:
            raise
        except Exception:  # a geoparser failure must not lose the article's events
            logger.exception("geoparsing failed for %s; coding without places", article.origin)
            toponyms = []
        budget.check()
        events = self.extractor.extract(article, sentences, toponyms)
        budget.check()
        return ArticleResult(article, events, sentences, toponyms)


def split_results(items: Iterable[Article | IngestProblem]) -> tuple[list[Article], list[IngestProblem]]:
    articles, problems = [], []
    for item in items:
        (problems if isinstance(item, IngestProblem) else articles).append(item)
    return articles, problems
