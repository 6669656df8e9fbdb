"""Which side of a conflict an actor or claimant speaks for.

Fusion needs this to tell whether two reports name compatible actors, who gains a
settlement when the other side withdraws, and whether two claims come from opposing
sides.  Sides are country names ("Russia", "Ukraine"); organisations without a country
(the UN, ISW, the IAEA) are ``INDEPENDENT``; civilians, protesters and unknown speakers
have no side ("").
"""
from __future__ import annotations

import functools
import re

INDEPENDENT = "independent"

# Forces that fight for a side other than the country they are based in.
_ALIGNED = (
    (re.compile(r"donetsk people's republic|luhansk people's republic|separatist|\bdpr\b|\blpr\b|"
                r"wagner|akhmat|kadyrov", re.I), "Russia"),
)
_NON_BELLIGERENT = re.compile(r"^(civilians|protesters|rioters|both sides)\b", re.I)
_OF_COUNTRY = re.compile(r"\bof (?:the )?([A-Z][\w' -]+?)(?: \(\d{4}-?\d*\))?(?:$|[;,)]| [A-Z(])")
_PAREN_COUNTRY = re.compile(r"\(([A-Z][A-Za-z' -]+)\)\s*$")

#: The opposing belligerent in conflicts the lexicon knows; used when a withdrawal names
#: only the side that left.
OPPONENT: dict[str, str] = {"Russia": "Ukraine", "Ukraine": "Russia", "Israel": "Palestine",
                            "Palestine": "Israel", "Armenia": "Azerbaijan", "Azerbaijan": "Armenia"}


@functools.lru_cache(maxsize=1)
def _lexicon_sides() -> tuple[dict[str, str], frozenset[str]]:
    """Actor name -> country from the shipped lexicon, and the known country names."""
    try:
        from frontlines.events.lexicon import default_lexicon

        lex = default_lexicon()
    except Exception:  # pragma: no cover - the lexicon ships with the package
        return {}, frozenset()
    names: dict[str, str] = {}
    for a in lex.actors:
        names[a.name.lower()] = a.country or INDEPENDENT
    for c in lex.countries.values():
        for n in (c.military, c.police, c.government):
            names[n.lower()] = c.name
    return names, frozenset(lex.countries)


@functools.lru_cache(maxsize=4096)
def side_of(name: str) -> str:
    """The side an actor or claimant name belongs to: a country, ``INDEPENDENT`` or ""."""
    if not name:
        return ""
    first = name.split(";")[0].strip()          # "Ministry of Defence of Russia; Igor Konashenkov"
    if not first or _NON_BELLIGERENT.match(first):
        return ""
    for pattern, side in _ALIGNED:
        if pattern.search(first):
            return side
    names, countries = _lexicon_sides()
    hit = names.get(first.lower())
    if hit:
        return hit
    m = _OF_COUNTRY.search(first)
    if m and m.group(1).strip() in countries:
        return m.group(1).strip()
    m = _PAREN_COUNTRY.search(first)
    if m and m.group(1).strip() in countries and not first.lower().startswith("unidentified"):
        return m.group(1).strip()
    for c in countries:
        if first.startswith(c + " ") or first.startswith(c + "'s "):
            return c
    return ""


def opponent_of(side: str) -> str:
    return OPPONENT.get(side, "")
