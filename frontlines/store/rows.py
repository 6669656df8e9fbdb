"""What every backend does the same way: an Event to column values and back, and the merge of
an event coded again from another article into the stored one."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any, Callable

from frontlines.records import Event

from .schema import EVENT_COLUMNS, JSON_COLUMNS


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return getattr(value, "to_dict", lambda: dataclasses.asdict(value))()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def _evidence_dicts(event: Event) -> list[dict[str, Any]]:
    out = []
    for ev in event.evidence or []:
        if dataclasses.is_dataclass(ev) and not isinstance(ev, type):
            ev = ev.to_dict() if hasattr(ev, "to_dict") else dataclasses.asdict(ev)
        out.append(dict(ev))
    return out


def _date_str(value: str | dt.date | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _evidence_key(e: dict[str, Any]) -> tuple[Any, ...]:
    return (e.get("article_id"), e.get("start"), e.get("end"), e.get("trigger_start"), e.get("trigger_end"))


_TEXT_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Event) if isinstance(f.default, str)}


def event_values(event: Event) -> list[Any]:
    """The events-table values of ``event`` in EVENT_COLUMNS order (lists and dicts as JSON)."""
    if not event.event_id:
        raise ValueError("an event needs an event_id before it is stored")
    values = []
    for col in EVENT_COLUMNS:
        v = getattr(event, col)
        if col == "evidence":
            v = _evidence_dicts(event)
        values.append(_json(v) if col in JSON_COLUMNS else v)
    return values


def evidence_rows(event: Event) -> list[tuple[Any, ...]]:
    """The evidence-table rows of ``event``."""
    return [(event.event_id, e.get("article_id", ""), e.get("sentence", ""), e.get("start"), e.get("end"),
             e.get("trigger", ""), e.get("trigger_start", -1), e.get("trigger_end", -1))
            for e in _evidence_dicts(event)]


def row_to_event(row: Any) -> Event:
    """An Event from a row of the events table (anything with ``keys()`` and ``row[name]``)."""
    data: dict[str, Any] = {}
    keys = row.keys()
    for col in EVENT_COLUMNS:
        if col not in keys:
            continue
        v = row[col]
        if col in JSON_COLUMNS:
            v = json.loads(v) if v else []
        elif v is None and col in _TEXT_DEFAULTS:
            v = _TEXT_DEFAULTS[col]
        data[col] = v
    return Event(**data)


def with_article(event: Event, article_id: str) -> Event:
    """A copy of ``event`` (lists copied, evidence as dicts) that lists ``article_id``."""
    event = dataclasses.replace(event, article_ids=list(event.article_ids), evidence=_evidence_dicts(event))
    if article_id and article_id not in event.article_ids:
        event.article_ids.append(article_id)
    return event


def absorb(stored: Event, event: Event) -> Event:
    """The stored event with ``event``'s articles, evidence and sources added (its other fields kept):
    the same event id coded from another article."""
    for aid in event.article_ids:
        if aid not in stored.article_ids:
            stored.article_ids.append(aid)
    keys = {_evidence_key(e) for e in stored.evidence}
    stored.evidence.extend(e for e in event.evidence if _evidence_key(e) not in keys)
    sources = [s.strip() for s in stored.source.split(";") if s.strip()]
    for s in event.source.split(";"):
        if s.strip() and s.strip() not in sources:
            sources.append(s.strip())
    stored.source = "; ".join(sources)
    return stored


def event_filters(since: str | dt.date | None, until: str | dt.date | None, event_type: str | None,
                  location: str | None, *, same: Callable[[str], str], mark: str = "?") -> tuple[list[str], list[Any]]:
    """The WHERE terms and parameters of ``iter_events``' filters: inclusive dates; ``event_type``
    against event_type or sub_event_type; ``location`` against location, admin1 or admin2.
    ``same(column)`` is the backend's case-insensitive equality of a column and one parameter."""
    where: list[str] = []
    params: list[Any] = []
    if since is not None:
        where.append(f"event_date >= {mark}")
        params.append(_date_str(since))
    if until is not None:
        where.append(f"event_date <= {mark}")
        params.append(_date_str(until))
    if event_type:
        where.append(f"({same('event_type')} OR {same('sub_event_type')})")
        params += [event_type, event_type]
    if location:
        where.append(f"({same('location')} OR {same('admin1')} OR {same('admin2')})")
        params += [location] * 3
    return where, params
