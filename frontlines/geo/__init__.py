"""Offline gazetteer and geoparser: place names in news text -> geolocated Toponyms."""
from __future__ import annotations

from frontlines.geo.gazetteer import (Candidate, Gazetteer, MemoryGazetteer, SQLiteGazetteer,
                                      open_gazetteer)
from frontlines.geo.normalize import normalize_name

__all__ = ["Candidate", "Gazetteer", "MemoryGazetteer", "SQLiteGazetteer", "open_gazetteer",
           "normalize_name", "Geoparser", "pick_event_location", "choose_event_location"]


def __getattr__(name: str):
    if name in ("Geoparser", "pick_event_location"):
        from frontlines.geo import geoparse
        return getattr(geoparse, name)
    if name == "choose_event_location":
        from frontlines.geo.eventloc import choose_event_location
        return choose_event_location
    raise AttributeError(name)
