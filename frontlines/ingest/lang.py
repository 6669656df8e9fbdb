"""A cheap "is this English?" check: script first, then the share of English stop words.

No model and no download.  Short texts (under 20 words) are given the benefit of the
doubt.  Returns the name of the language or script detected when it is not English.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

_STOP: dict[str, frozenset[str]] = {
    "English": frozenset(
        "the a an of to in and or but on at by for from with as is are was were be been being "
        "has have had it its this that these those he she they them his her their we our you "
        "i not no said says will would could should can may after before over than then there "
        "which who whom what when where while also into about against during more most some "
        "such up out so if all one two".split()),
    "German": frozenset("der die das und nicht ist ein eine zu den von mit sich des auf für im dem "
                        "auch es an werden aus er hat dass sie nach wird bei einer um noch wie".split()),
    "French": frozenset("le la les de des du et est un une que qui dans pour pas sur au aux avec ce "
                        "il elle ne se plus par sont été leur été cette ont".split()),
    "Spanish": frozenset("el la los las de del y que en un una es por con para no se su al lo como "
                         "más pero sus le ha fue este esta son".split()),
    "Italian": frozenset("il lo la gli le di del della che e è un una per non con sono da nel alla "
                         "si ha dei delle anche come più".split()),
    "Portuguese": frozenset("o a os as de do da dos das e que em um uma para com não se por mais foi "
                            "ao na no como mas seu sua".split()),
    "Dutch": frozenset("de het een en van in is dat op te zijn met voor niet aan er ook als bij door "
                       "maar om dan zal werd".split()),
}


_ASCII_LETTERS = re.compile(r"[A-Za-z]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _script_share(text: str) -> tuple[str, float]:
    sample = text[:20000]
    latin = len("".join(_ASCII_LETTERS.findall(sample)))                # ASCII letters, counted in C
    counts: dict[str, int] = {"LATIN": latin}
    total = latin
    for ch in _NON_ASCII.findall(sample):
        if ch.isalpha():
            total += 1
            try:
                script = unicodedata.name(ch).split(" ")[0]
            except ValueError:
                script = "UNKNOWN"
            counts[script] = counts.get(script, 0) + 1
    if not total:
        return "LATIN", 1.0
    latin = counts.get("LATIN", 0)
    if latin / total >= 0.5:
        return "LATIN", latin / total
    other = max((k for k in counts if k != "LATIN"), key=lambda k: counts[k])
    return other, counts[other] / total


def detect_non_english(text: str, *, min_words: int = 20, threshold: float = 0.12) -> str | None:
    """None when the text is (or may be) English, else a short label such as "German"
    or "Cyrillic script"."""
    script, _share = _script_share(text)
    if script != "LATIN":
        return f"{script.title()} script"
    words = _WORD.findall(text[:20000].lower())
    if len(words) < min_words:
        return None
    counts = Counter(words)
    shares = {lang: sum(n for w, n in counts.items() if w in stop) / len(words) for lang, stop in _STOP.items()}
    if shares["English"] >= threshold:
        return None
    best = max((lang for lang in shares if lang != "English"), key=lambda lang: shares[lang])
    if shares[best] >= threshold:
        return best
    return "unknown (few English function words)"
