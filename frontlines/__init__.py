"""frontlines: news reports about armed conflict in, coded, geolocated, source-attributed events out."""
from __future__ import annotations

__version__ = "0.1.0"

from .records import Article, Event, EVENT_FIELDS, Evidence, Place, Quantity, TimeExpression, Toponym  # noqa: E402


def extract_events(*args, **kwargs):
    """Code the events of one report (see frontlines.api.extract_events)."""
    from .api import extract_events as _extract

    return _extract(*args, **kwargs)


def open_database(*args, **kwargs):
    """Open a frontlines database (see frontlines.api.open_database)."""
    from .api import open_database as _open

    return _open(*args, **kwargs)


__all__ = ["Article", "Event", "EVENT_FIELDS", "Evidence", "Place", "Quantity", "TimeExpression", "Toponym",
           "extract_events", "open_database", "__version__"]
