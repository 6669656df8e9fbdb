"""Stable article ids: a short hash of the normalised text (and the URL when known)."""
from __future__ import annotations

import hashlib
import re
import unicodedata

_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Unicode NFC, whitespace runs collapsed to one space, ends stripped; case is kept."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def make_article_id(text: str, url: str = "") -> str:
    """16 hex digits of SHA-1 over the normalised text, plus the URL when there is one.

    The same report ingested twice (from a .txt, a JSONL line or a CSV row, with any
    line endings or runs of spaces) gets the same id; the title is deliberately not part
    of the id, so a headline fix does not make a new article.
    """
    key = normalise_text(text)
    url = (url or "").strip()
    if url:
        key = f"{key}\x00{url}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
