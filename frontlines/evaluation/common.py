"""What the scorers share: where the gold sets live, running the pipeline over many short
texts, and choosing the one event a text is scored by.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import Callable, Sequence

from ..events import taxonomy as tx
from ..records import Article, Event

logger = logging.getLogger(__name__)

# Snippets of the CASE and PLOVER sets carry no publication date: all are coded as of this day.
EVAL_DATE = dt.date(2021, 6, 30)

# Reason codes the coder leaves when it sets a mention aside as background *because of its date*
# (more than a month before the article).  With a fixed, made-up article date these say nothing
# about the text, so the undated scorers keep such events; every other "mode:" reason is
# linguistic (negation, future, modal, condition, question, intent) and such events are dropped.
DATE_BACKGROUND_REASONS = frozenset({"mode:dated_background", "mode:since_background"})

VIOLENT_TYPES = frozenset({tx.BATTLES, tx.REMOTE, tx.VAC})


def shared_dir() -> Path:
    """The ``shared`` folder beside the repository (or ``$FRONTLINES_SHARED``)."""
    env = os.environ.get("FRONTLINES_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared"


def bench_path(*parts: str) -> Path:
    return shared_dir().joinpath("bench", *parts)


def spread(items: Sequence, limit: int | None) -> list:
    """Up to ``limit`` items spaced evenly over the sequence (all of them for None), in order.

    Gold files are often sorted (by category, by date), so the first N rows of a file are
    not a fair sample; every (len/N)-th row is, and it is the same sample on every run.
    """
    items = list(items)
    if limit is None or limit >= len(items):
        return items
    if limit <= 0:
        return []
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def is_asserted(event: Event) -> bool:
    """False for an event the text only plans, negates, supposes or asks about."""
    return not any(r.startswith("mode:") and r not in DATE_BACKGROUND_REASONS for r in event.reasons)


def code_texts(items: Sequence[tuple[str, dt.date]], *, pipeline=None, ignore_dates: bool = False,
               keep_vague: bool = False, batch_size: int = 64,
               on_item: Callable[[int], None] | None = None) -> list[list[Event]]:
    """Run the pipeline on (text, publication date) pairs; the events of each, in order.

    ``ignore_dates``: the texts' dates are made up, so mentions dated long before them are
    not background (see DATE_BACKGROUND_REASONS); linguistic background is still dropped.
    ``keep_vague``: one-line texts (headlines) are scored on what the coder made of them before
    the report-level vagueness rule (an event with no named place is no database event, but its
    date and toll still say how well the coder read the line); every "mode:" reason still drops.
    """
    from ..pipeline import Pipeline

    background = ignore_dates or keep_vague
    if pipeline is None:
        pipeline = Pipeline(include_background=background)
    elif background and not pipeline.extractor.include_background:
        pipeline = Pipeline(lexicon=pipeline.lexicon, gazetteer=pipeline._gazetteer,
                            include_background=True, nlp=pipeline._nlp)
    articles = [Article(article_id=f"eval-{i:06d}", text=text, date=date, origin=f"eval:{i}",
                        date_reason="date:eval") for i, (text, date) in enumerate(items)]
    out: list[list[Event]] = []
    for i, result in enumerate(pipeline.process(articles, batch_size=batch_size)):
        events = result.events
        if ignore_dates:
            events = [e for e in events if is_asserted(e)]
        elif keep_vague:
            events = [e for e in events if not any(r.startswith("mode:") for r in e.reasons)]
        out.append(events)
        if on_item is not None:
            on_item(i)
    return out


def _precedence(e: Event) -> int:
    return tx.PRECEDENCE.get(e.sub_event_type, 99)


def pick_event(events: Sequence[Event], strategy: str = "confidence") -> Event | None:
    """The event a text is scored by.

    ``confidence``: the most confident event, ties broken by ACLED precedence, then by order.
    ``precedence``: the event whose sub-event type ACLED's codebook lists first.
    ``violent``: violent events (Battles, Explosions/Remote violence, Violence against civilians)
    before the rest, then by confidence (the choice for fatal-event sets such as UCDP).
    """
    if not events:
        return None
    indexed = list(enumerate(events))
    if strategy == "confidence":
        key = lambda ie: (-ie[1].confidence, _precedence(ie[1]), ie[0])  # noqa: E731
    elif strategy == "precedence":
        key = lambda ie: (_precedence(ie[1]), -ie[1].confidence, ie[0])  # noqa: E731
    elif strategy == "violent":
        key = lambda ie: (ie[1].event_type not in VIOLENT_TYPES, -ie[1].confidence, _precedence(ie[1]), ie[0])  # noqa: E731
    else:
        raise ValueError(f"unknown strategy {strategy!r} (confidence, precedence, violent)")
    return min(indexed, key=key)[1]


def event_summary(e: Event) -> dict:
    """The few fields an analyst needs to see why a text was scored as it was."""
    trig = e.evidence[0].get("trigger", "") if e.evidence else ""
    return {"sub_event_type": e.sub_event_type, "plover_event": e.plover_event, "event_date": e.event_date,
            "location": e.location, "latitude": e.latitude, "longitude": e.longitude,
            "fatalities": e.fatalities, "confidence": e.confidence, "trigger": trig,
            "actor1": e.actor1, "actor2": e.actor2, "time_precision": e.time_precision,
            "geo_precision": e.geo_precision, "reasons": list(e.reasons)}
