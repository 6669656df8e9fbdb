"""The storage interface the pipeline talks to."""
from __future__ import annotations

import abc
import datetime as dt
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

from frontlines.records import Article, Event

T = TypeVar("T")

#: Keys of an input record (a JSONL/CSV field, a feed item's guid) that carry the user's own id
#: for the article; ingest keeps them in ``articles.meta``.  The first present wins.
USER_ID_KEYS: tuple[str, ...] = ("id", "doc_id", "document_id", "article_id", "uid", "guid")


def user_ref(meta: Mapping[str, Any] | None) -> str:
    """The user's own id of an article from its ``meta`` ("" when its input carried none)."""
    lower = {str(k).lower(): v for k, v in (meta or {}).items()}
    for key in USER_ID_KEYS:
        value = lower.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return ""


class EventStore(abc.ABC):
    """Articles, the events coded from them, and their evidence.

    Writes are per article and atomic: ``add_article`` stores an article with all of
    its events in one transaction, and does nothing if the article is already stored,
    so re-running the same input never duplicates anything.
    """

    @abc.abstractmethod
    def has_article(self, article_id: str) -> bool: ...

    @abc.abstractmethod
    def add_article(self, article: Article, events: Sequence[Event]) -> bool:
        """Store the article and its events in one transaction.  False (and no change)
        when the article is already there."""

    def add_articles(self, items: Sequence[tuple[Article, Sequence[Event]]]) -> list[bool]:
        """Store several articles with their events, in one transaction where the backend can
        (each article still all or nothing).  Per item: True if it was new."""
        return [self.add_article(article, events) for article, events in items]

    # -- backfills: a record of finished input partitions, written with the partition's articles
    def finished_partitions(self, run_key: str) -> dict[str, dict[str, Any]]:
        """Partition id -> what was recorded when it was stored, for the backfill ``run_key``."""
        raise NotImplementedError(f"{type(self).__name__} keeps no backfill record")

    def add_partition(self, run_key: str, partition_id: str, items: Sequence[tuple[Article, Sequence[Event]]],
                      info: Mapping[str, Any] | None = None) -> list[bool]:
        """``add_articles(items)`` and the record that partition ``partition_id`` of backfill
        ``run_key`` is done, in one transaction: a backfill killed at any moment resumes from
        the partitions recorded, without losing or duplicating anything."""
        raise NotImplementedError(f"{type(self).__name__} keeps no backfill record")

    @abc.abstractmethod
    def get_article(self, article_id: str) -> Article | None: ...

    @abc.abstractmethod
    def iter_articles(self) -> Iterator[Article]: ...

    def article_refs(self, article_ids: Iterable[str] | None = None) -> dict[str, str]:
        """Article id -> the user's own id for it (see ``USER_ID_KEYS``), for the given articles
        (default: all); articles whose input carried no id are left out."""
        if article_ids is None:
            articles: Iterable[Article | None] = self.iter_articles()
        else:
            articles = (self.get_article(a) for a in dict.fromkeys(article_ids))
        return {a.article_id: ref for a in articles if a is not None and (ref := user_ref(a.meta))}

    @abc.abstractmethod
    def get_event(self, event_id: str) -> Event | None: ...

    @abc.abstractmethod
    def iter_events(self, *, since: str | dt.date | None = None, until: str | dt.date | None = None,
                    event_type: str | None = None, location: str | None = None,
                    limit: int | None = None) -> Iterator[Event]: ...

    @abc.abstractmethod
    def query_events(self, where: str, params: Sequence[Any] = ()) -> list[Event]:
        """Events matching an SQL condition on the events table, written in SQLite's dialect with
        ``?`` parameters (other backends translate it); for stages such as fusion."""

    @abc.abstractmethod
    def mark_superseded(self, article_id: str, by: str) -> None:
        """Record that ``article_id`` is a copy or older version of article ``by``."""

    @abc.abstractmethod
    def count_events(self) -> int: ...

    @abc.abstractmethod
    def count_articles(self) -> int: ...

    @abc.abstractmethod
    def upsert_event(self, event: Event) -> None:
        """Insert the event, or replace the stored one with the same id entirely."""

    @abc.abstractmethod
    def replace_events(self, events: Sequence[Event], *, remove: Iterable[str] = ()) -> None:
        """In one transaction: delete the events whose ids are in ``remove``, then upsert
        ``events`` (for fusion: remove the parts, store the merged event)."""

    @abc.abstractmethod
    def delete_events(self, event_ids: Iterable[str]) -> int: ...

    @abc.abstractmethod
    def close(self) -> None: ...

    def atomic(self, work: Callable[[], T]) -> T:
        """``work()`` in one transaction of this store: whatever it writes through the store (its
        methods, and ``transaction()``, which nests) commits together, or nothing of it does.
        Backends retry the whole of it where the database asks for that (a deadlock)."""
        with self.transaction():          # type: ignore[attr-defined]
            return work()

    # Backends whose tables other stages read and write directly (fusion, control, the server's
    # index) also offer ``connection`` (an object with sqlite3's execute/executemany/fetch
    # methods, taking SQLite-dialect SQL), ``lock`` and ``transaction()``.

    def __enter__(self) -> "EventStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
