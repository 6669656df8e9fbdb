"""Name normalisation shared by the index builder and the lookups.

A normalised name is case-, diacritic-, apostrophe- and hyphen-insensitive:
``"Kup'yans'k"``, ``"Kupyansk"`` and ``"KUPYANSK"`` all become ``"kupyansk"``;
``"Ivano-Frankivsk"`` becomes ``"ivano frankivsk"``.  Cyrillic keeps its letters
(only combining marks are dropped, so ``й`` and ``и`` meet, which is harmless for
place names).  A leading article ("the") is dropped and the abbreviations
St./Ste./Ft./Mt. are spelled out, since gazetteers write them both ways.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = "'’ʼ`´‘′\"”“«»ʹʺ"
_DROP = str.maketrans({c: None for c in _APOSTROPHES})
_SPACE_LIKE = str.maketrans({c: " " for c in "-‐‑‒–—_/.,;:()[]"})
_WS = re.compile(r"\s+")
_ABBREV = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}
# Characters that NFKD does not decompose but that readers treat as plain letters.
_EXTRA = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
                        "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
                        "ı": "i", "ð": "d", "þ": "th", "ё": "е", "Ё": "е"})


@lru_cache(maxsize=65536)
def normalize_name(value: str) -> str:
    """Return the lookup key of a place name ("" for an empty or symbol-only name)."""
    if not value:
        return ""
    text = value.translate(_EXTRA)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_DROP).translate(_SPACE_LIKE).casefold()
    words = _WS.sub(" ", text).strip().split(" ")
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    words = [_ABBREV.get(w, w) for w in words]
    return " ".join(w for w in words if w)


def is_latin(value: str) -> bool:
    """True when every letter of ``value`` is Latin (with or without diacritics)."""
    for ch in value:
        if ch.isalpha() and not ("LATIN" in unicodedata.name(ch, "")):
            return False
    return True


def script_of(value: str) -> str:
    """"latin", "cyrillic" or "other" (the first letter decides, a mix gives "other")."""
    seen = set()
    for ch in value:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            if "LATIN" in name:
                seen.add("latin")
            elif "CYRILLIC" in name:
                seen.add("cyrillic")
            else:
                return "other"
    if len(seen) == 1:
        return seen.pop()
    return "other" if seen else "latin"
