"""Developing stories: is a newly stored article a new version of one already ingested?

Two articles are versions of one story when they share a URL, or when they come from the
same outlet within two days and their texts (or their headlines and texts together) are
mostly the same.  The newer one (later publication date, else stored later) supersedes
the older.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .store import ArticleInfo, FusionStore

STORY_DAYS = 2
TEXT_SIMILAR = 0.5          # word 3-shingle Jaccard of the texts
TITLE_SIMILAR = 0.5         # word Jaccard of the headlines ...
TEXT_SIMILAR_WITH_TITLE = 0.2   # ... together with this much of the text

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("the a an of in on at to and or for by with from as is was were are be has have had it its"
                  " that this after says said".split())


def _words(text: str) -> list[str]:
    return _WORD.findall((text or "").lower())


def shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    w = _words(text)
    return {tuple(w[i:i + n]) for i in range(max(0, len(w) - n + 1))}


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def title_words(title: str) -> set[str]:
    return {w for w in _words(title) if w not in _STOP}


@dataclass(slots=True)
class Version:
    older: str
    newer: str
    reason: str


def is_newer(a: ArticleInfo, b: ArticleInfo) -> bool:
    """Is ``a`` a later version than ``b``?"""
    if a.date and b.date and a.date[:10] != b.date[:10]:
        return a.date[:10] > b.date[:10]
    return a.rowid > b.rowid


def find_versions(fs: FusionStore, article_id: str) -> list[Version]:
    """Other stored articles that are versions of the same story as ``article_id``."""
    a = fs.article(article_id)
    if a is None:
        return []
    found: dict[str, str] = {}
    if a.url:
        # (ordered as SQLite's plans read them, so PostgreSQL, whose unordered rows follow the heap,
        # finds the versions in the same order: the first newer one is the one superseding)
        for r in fs.query("SELECT article_id FROM articles WHERE url=? AND article_id<>? ORDER BY rowid",
                          (a.url, article_id)):
            found[r[0]] = "version:same_url"
    if a.outlet and a.date:
        try:
            day = dt.date.fromisoformat(a.date[:10])
        except ValueError:
            day = None
        if day is not None:
            lo = (day - dt.timedelta(days=STORY_DAYS)).isoformat()
            hi = (day + dt.timedelta(days=STORY_DAYS)).isoformat() + "~"
            rows = fs.query("SELECT article_id FROM articles WHERE date BETWEEN ? AND ? AND article_id<>?"
                            " ORDER BY date, rowid", (lo, hi, article_id))
            others = [fs.article(r[0]) for r in rows if r[0] not in found]
            others = [o for o in others if o is not None and o.outlet == a.outlet]
            if others:
                text = fs.article_text(article_id)
                sh = shingles(text)
                tw = title_words(a.title)
                for o in others:
                    osh = shingles(fs.article_text(o.article_id))
                    sim = jaccard(sh, osh)
                    tsim = jaccard(tw, title_words(o.title))
                    if sim >= TEXT_SIMILAR:
                        found[o.article_id] = f"version:same_outlet_text_{sim:.2f}"
                    elif tsim >= TITLE_SIMILAR and sim >= TEXT_SIMILAR_WITH_TITLE:
                        found[o.article_id] = f"version:same_outlet_title_{tsim:.2f}_text_{sim:.2f}"
    out = []
    for other_id, reason in found.items():
        o = fs.article(other_id)
        if o is None:
            continue
        if is_newer(a, o):
            out.append(Version(other_id, article_id, reason))
        else:
            out.append(Version(article_id, other_id, reason))
    return out
