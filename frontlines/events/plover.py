"""PLOVER coding of a sentence's main happening, for what the ACLED coder leaves out.

ACLED codes political violence, demonstrations and strategic developments; PLOVER also has
verbal and cooperative categories (AGREE, CONSULT, REQUEST, ACCUSE, REJECT, THREATEN ...).
``code_plover`` reads the sentence's main predicate (under a reporting verb, the reported
clause; with a control verb such as "offered to" or "refused to", the control verb first)
and looks it up in ``data/plover_verbs.tsv``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from .mentions import REPORT_VERBS

# Control verbs whose own category wins over their complement's ("refused to meet" is REJECT).
_DECISIVE_CONTROL = {"agree", "offer", "promise", "pledge", "refuse", "decline", "threaten", "vow", "warn",
                     "demand", "urge", "ask", "appeal", "call", "accuse", "reject", "apologize", "apologise"}
# Reporting verbs that are happenings in PLOVER when nothing else is reported.
_REPORTING = REPORT_VERBS - {"accuse", "deny", "warn", "call", "insist", "admit", "acknowledge", "allege"}


@dataclass(frozen=True, slots=True)
class PloverCoding:
    category: str
    mode: str
    trigger: str
    reason: str


@functools.lru_cache(maxsize=1)
def plover_lexicon() -> dict[str, tuple[str, str]]:
    text = resources.files("frontlines").joinpath("data", "plover_verbs.tsv").read_text(encoding="utf-8")
    out: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        out[cells[0].strip()] = (cells[1].strip(), cells[2].strip() if len(cells) > 2 else "")
    return out


def _lookup(tok, lex: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    lemma = tok.lemma_.lower()
    for child in tok.children:
        if child.dep_ in ("prt", "prep") and f"{lemma} {child.lower_}" in lex:
            return lex[f"{lemma} {child.lower_}"]
    return lex.get(lemma)


def _main_predicates(doc):
    """Predicates in the order a reader weighs them: the reported clause before the reporting verb."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    seen = set()
    stack = list(roots)
    ordered = []
    while stack:
        t = stack.pop(0)
        if t.i in seen:
            continue
        seen.add(t.i)
        reported = [c for c in t.children if c.dep_ in ("ccomp", "xcomp", "conj", "advcl")]
        if t.lemma_.lower() in _REPORTING and reported:
            stack = reported + stack + [t]
            continue
        ordered.append(t)
        stack.extend(c for c in t.children if c.dep_ in ("xcomp", "ccomp", "conj"))
    return ordered


def code_plover(doc) -> PloverCoding | None:
    """The PLOVER category of a parsed sentence's main happening, or None."""
    lex = plover_lexicon()
    for pred in _main_predicates(doc):
        if pred.pos_ not in ("VERB", "AUX", "NOUN"):
            continue
        hit = _lookup(pred, lex)
        xcomp = next((c for c in pred.children if c.dep_ == "xcomp"), None)
        if xcomp is not None and pred.lemma_.lower() not in _DECISIVE_CONTROL:
            inner = _lookup(xcomp, lex)
            if inner is not None:
                return PloverCoding(inner[0], inner[1], xcomp.text, f"plover:complement_of={pred.lemma_.lower()}")
        if hit is not None:
            return PloverCoding(hit[0], hit[1], pred.text, f"plover:predicate={pred.lemma_.lower()}")
    return None
