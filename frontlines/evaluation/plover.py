"""Scorer against the PLOVER gold-standard records (coded from the CAMEO manual's examples),
and a check of our taxonomy's CAMEO -> PLOVER mapping against the CAMEO2PLOVER table.

The gold records predate PLOVER 0.8, which frontlines follows: FIGHT became part of ASSAULT,
DEMAND became REQUEST, DISAPPROVE and INVESTIGATE became ACCUSE.  Gold labels are mapped
to 0.8 (``LEGACY``) before scoring; ``accuracy`` counts every record.  frontlines codes
conflict events only, so most cooperative and verbal categories can only be right as
"no event": ``accuracy_reachable`` scores the records of the categories our taxonomy can
emit, and ``false_event_rate`` the share of the other records that yield an event anyway.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..events import taxonomy as tx
from . import metrics as m
from .common import EVAL_DATE, bench_path, code_texts, event_summary, pick_event, spread

logger = logging.getLogger(__name__)

NONE = "none"
LEGACY: dict[str, str] = {"FIGHT": "ASSAULT", "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE"}
PLOVER_CATEGORIES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
    "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
REACHABLE: frozenset[str] = frozenset(s.plover_event for s in tx.SUB_EVENT_TYPES if s.plover_event)


def default_path() -> Path:
    return bench_path("plover", "PLOVER_GSR_CAMEO.json")


def default_table_path() -> Path:
    return bench_path("plover", "CAMEO2PLOVER-2021.txt")


@dataclass(slots=True)
class PloverItem:
    id: str
    text: str
    event: str          # PLOVER 0.8 category
    raw_event: str      # as the record spells it
    mode: str = ""


def normalise_category(label: str) -> str:
    label = (label or "").strip().upper()
    return LEGACY.get(label, label)


def parse_records(records: Sequence[dict], limit: int | None = None) -> list[PloverItem]:
    """Gold items from the JSON records; documentation records and records without text are skipped.
    ``limit``: that many items spread evenly over the records (the file is sorted by category)."""
    out: list[PloverItem] = []
    for rec in records:
        raw = str(rec.get("event") or "").strip().upper()
        text = str(rec.get("text") or "").strip()
        if not raw or raw == "DOCUMENT" or not text:
            continue
        cat = normalise_category(raw)
        if cat not in PLOVER_CATEGORIES:
            logger.warning("record %s: unknown PLOVER category %r", rec.get("id"), raw)
        out.append(PloverItem(str(rec.get("id") or len(out)), text, cat, raw, str(rec.get("mode") or "")))
    return spread(out, limit)


def read_plover(path: str | Path, limit: int | None = None) -> list[PloverItem]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict):          # tolerate {"records": [...]} or {id: record}
        data = data.get("records") or data.get("data") or list(data.values())
    return parse_records(data, limit)


@dataclass(slots=True)
class PloverReport:
    n: int
    accuracy: float
    accuracy_reachable: float
    n_reachable: int
    false_event_rate: float
    per_category: list[m.ClassScore]
    confusions: list[tuple[str, str, int]]
    mapping: list[dict] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)

    def to_dict(self, with_rows: bool = False) -> dict:
        out = {"accuracy": round(self.accuracy, 4), "n": self.n,
               "accuracy_reachable": round(self.accuracy_reachable, 4), "n_reachable": self.n_reachable,
               "reachable_categories": sorted(REACHABLE),
               "false_event_rate": round(self.false_event_rate, 4),
               "per_category": [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in s.to_dict().items()}
                                for s in self.per_category if s.support or s.predicted],
               "top_confusions": [{"gold": g, "predicted": p, "count": c} for g, p, c in self.confusions],
               "mapping_disagreements": [d for d in self.mapping if d["status"] != "agree"],
               "mapping": self.mapping}
        if with_rows:
            out["rows"] = self.rows
        return out


def score_plover(gold: Sequence[str], pred: Sequence[str], mapping: list[dict] | None = None) -> PloverReport:
    reach = [i for i, g in enumerate(gold) if g in REACHABLE]
    other = [i for i, g in enumerate(gold) if g not in REACHABLE]
    return PloverReport(
        n=len(gold), accuracy=m.micro_accuracy(gold, pred),
        accuracy_reachable=m.micro_accuracy([gold[i] for i in reach], [pred[i] for i in reach]),
        n_reachable=len(reach), false_event_rate=m.share(pred[i] != NONE for i in other),
        per_category=m.per_class_scores(gold, pred, PLOVER_CATEGORIES),
        confusions=m.confusions(gold, pred, top=12), mapping=mapping or [])


# ----------------------------------------------------------------------------------------
# the CAMEO -> PLOVER table
# ----------------------------------------------------------------------------------------
_TABLE_LINE = re.compile(r"^\s*(\d{2,4})\s*:\s*([A-Z]+)\s*(?:,([^,#]*))?(?:,([^#]*))?(?:#(.*))?$")


@dataclass(frozen=True, slots=True)
class CameoEntry:
    code: str
    category: str
    mode: str
    context: str
    description: str


def parse_cameo_table(text: str) -> list[CameoEntry]:
    """Entries ``code: CATEGORY, mode, context # description`` (root headers such as
    ``18: ASSAULT`` are entries too; comments and the trailing ``~~~~~`` part are ignored)."""
    out: list[CameoEntry] = []
    for line in text.splitlines():
        if line.startswith("~~~"):
            break
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        mt = _TABLE_LINE.match(line)
        if not mt:
            continue
        code, cat, mode, ctx, desc = mt.groups()
        out.append(CameoEntry(code, cat.strip(), (mode or "").strip(), (ctx or "").strip(), (desc or "").strip()))
    return out


def check_mapping(entries: Sequence[CameoEntry]) -> list[dict]:
    """Each ACLED sub-event type's (CAMEO root, PLOVER category, mode) against the table.

    status: ``agree`` when the root's base code (e.g. 190) or root header maps to our
    category; ``partial`` when only some codes under the root do; ``disagree`` when none
    does; ``unmapped`` when we give no CAMEO root or category.  ``mode_in_table`` says whether
    our mode is among the modes the table gives for that root.
    """
    out = []
    for st in tx.SUB_EVENT_TYPES:
        root = st.cameo_root
        item = {"sub_event_type": st.name, "cameo_root": root, "plover_event": st.plover_event,
                "plover_mode": st.plover_mode}
        if not root or not st.plover_event:
            out.append({**item, "status": "unmapped", "table_categories": [], "mode_in_table": None,
                        "note": "no CAMEO root / PLOVER category in the taxonomy"})
            continue
        under = [e for e in entries if e.code.startswith(root)]
        base = [e for e in under if e.code in (root, root + "0")]
        cats = sorted({e.category for e in under})
        base_cats = {e.category for e in base}
        modes = {e.mode for e in under if e.mode}
        if st.plover_event in base_cats:
            status = "agree"
        elif st.plover_event in cats:
            status = "partial"
        else:
            status = "disagree"
        where = sorted({e.code for e in entries if e.category == st.plover_event and
                        (not st.plover_mode or e.mode == st.plover_mode)})
        note = ""
        if status != "agree":
            note = (f"CAMEO {root} maps to {', '.join(sorted(base_cats)) or '?'} in the table; "
                    f"{st.plover_event}" + (f"/{st.plover_mode}" if st.plover_mode else "") +
                    f" is at CAMEO {', '.join(where[:6]) or 'no code'}")
        out.append({**item, "status": status, "table_categories": cats,
                    "mode_in_table": (st.plover_mode in modes) if st.plover_mode else None, "note": note})
    return out


def check_mapping_file(path: str | Path | None = None) -> list[dict]:
    return check_mapping(parse_cameo_table(Path(path or default_table_path()).read_text(encoding="utf-8")))


def evaluate_plover(path: str | Path | None = None, *, table: str | Path | None = None, limit: int | None = None,
                    pipeline=None, strategy: str = "confidence", on_item=None) -> PloverReport:
    items = read_plover(path or default_path(), limit=limit)
    events = code_texts([(it.text, EVAL_DATE) for it in items], pipeline=pipeline, ignore_dates=True,
                        on_item=on_item)
    from ..events.plover import code_plover
    from ..nlp import load_nlp

    nlp = pipeline.nlp if pipeline is not None else load_nlp()
    pred = []
    for it, evs, doc in zip(items, events, nlp.pipe(it.text for it in items)):
        ev = pick_event(evs, strategy)
        if ev is not None and ev.plover_event:
            pred.append(ev.plover_event)           # the ACLED coder's event, with its PLOVER equivalent
            continue
        coding = code_plover(doc)                  # otherwise the sentence's main happening
        pred.append(coding.category if coding is not None else NONE)
    table_path = Path(table) if table else default_table_path()
    mapping = check_mapping_file(table_path) if table_path.exists() else []
    report = score_plover([it.event for it in items], pred, mapping)
    report.rows = [{"id": it.id, "gold": it.event, "gold_raw": it.raw_event, "predicted": p, "text": it.text,
                    "events": [event_summary(e) for e in evs]} for it, p, evs in zip(items, pred, events)]
    return report
