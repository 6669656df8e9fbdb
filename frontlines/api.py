"""The Python API.

    >>> import frontlines
    >>> events = frontlines.extract_events(text, "2022-09-12")          # no database
    >>> with frontlines.open_database("frontlines.db") as db:
    ...     for ev in db.events(event_type="Battles"):
    ...         print(ev.event_date, ev.location)
"""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Iterator

from .ingest import make_article_id
from .pipeline import Pipeline
from .records import Article, Event


@functools.lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()


def _as_date(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def extract_events(text: str, date: str | dt.date, *, title: str = "", url: str = "", source: str = "",
                   pipeline: Pipeline | None = None) -> list[Event]:
    """Code the events of one report, given its text and publication date. Nothing is stored."""
    article = Article(article_id=make_article_id(text, url), text=text, date=_as_date(date), title=title,
                      url=url, source=source, origin="<api>", date_reason="date:api")
    return (pipeline or default_pipeline()).code_article(article).events


class Database:
    """A frontlines database opened for reading and adding reports."""

    def __init__(self, path: str | Path = "frontlines.db") -> None:
        from .store import open_store

        self.path = str(path)
        self.store = open_store(path)

    def events(self, **filters) -> Iterator[Event]:
        """Iterate stored events; filters: since, until, event_type, location, limit."""
        return self.store.iter_events(**filters)

    def __iter__(self) -> Iterator[Event]:
        return self.events()

    def event(self, event_id: str) -> Event | None:
        return self.store.get_event(event_id)

    def add_text(self, text: str, date: str | dt.date, *, title: str = "", url: str = "", source: str = "",
                 pipeline: Pipeline | None = None) -> list[Event]:
        """Code one report, store it and fuse it with what the database holds (a report already
        stored adds nothing). Returns the report's own coded events."""
        article = Article(article_id=make_article_id(text, url), text=text, date=_as_date(date), title=title,
                          url=url, source=source, origin="<api>", date_reason="date:api")
        if self.store.has_article(article.article_id):
            return []
        from .fusion import store_and_fuse

        events = (pipeline or default_pipeline()).code_article(article).events
        if store_and_fuse(self.store, article, events) is None:     # one transaction, as `frontlines run`
            return []                                                # stored meanwhile by another writer
        return events

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_database(path: str | Path = "frontlines.db") -> Database:
    return Database(path)
