"""Scorer for CASE 2021 Task 2 (event-type snippets): the coder's sub-event type per snippet.

Each snippet is coded as a report of its own, dated EVAL_DATE; the event it is scored by
is chosen by ``pick_event`` and its ACLED sub-event type is spelt as the task spells it
(``CASE_CODES``).  No event gives NO_EVENT.  Scores: weighted and macro F1 over the 25
ACLED types (all rows count, so a conflict event coded on a non-ACLED snippet costs
precision), and the false-event rate on the 5 non-ACLED classes.
"""
from __future__ import annotations

import csv
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..events import taxonomy as tx
from ..records import Event
from . import metrics as m
from .common import EVAL_DATE, bench_path, code_texts, event_summary, pick_event, spread

logger = logging.getLogger(__name__)

NO_EVENT = "no event"

# ACLED sub-event type -> the label CASE 2021 Task 2 uses for it.  (taxonomy.SubEventType.code
# is spelt differently for most types, hence this table.)
CASE_CODES: dict[str, str] = {
    "Government regains territory": "GOV_REGAINS_TERIT",
    "Non-state actor overtakes territory": "NON_STATE_ACTOR_OVERTAKES_TER",
    "Armed clash": "ARMED_CLASH",
    "Excessive force against protesters": "FORCE_AGAINST_PROTEST",
    "Protest with intervention": "PROTEST_WITH_INTER",
    "Peaceful protest": "PEACE_PROTEST",
    "Violent demonstration": "VIOL_DEMONSTR",
    "Mob violence": "MOB_VIOL",
    "Chemical weapon": "CHEM_WEAP",
    "Air/drone strike": "AIR_STRIKE",
    "Suicide bomb": "SUIC_BOMB",
    "Shelling/artillery/missile attack": "ART_MISS_ATTACK",
    "Remote explosive/landmine/IED": "REM_EXPLOS",
    "Grenade": "GRENADE",
    "Sexual violence": "SEX_VIOL",
    "Attack": "ATTACK",
    "Abduction/forced disappearance": "ABDUCT_DISSAP",
    "Agreement": "AGREEMENT",
    "Arrests": "ARREST",
    "Change to group/activity": "CHANGE_TO_GROUP_ACT",
    "Disrupted weapons use": "DISR_WEAP",
    "Headquarters or base established": "HQ_ESTABLISHED",
    "Looting/property destruction": "PROPERTY_DISTRUCT",
    "Non-violent transfer of territory": "NON_VIOL_TERRIT_TRANSFER",
    "Other": "OTHER",
}
# The 25 ACLED labels, in ACLED's order of precedence.
ACLED_LABELS: tuple[str, ...] = tuple(CASE_CODES[s.name] for s in tx.SUB_EVENT_TYPES)
NON_ACLED_LABELS: tuple[str, ...] = ("DIPLO", "ATTRIB", "ORG_CRIME", "MAN_MADE_DISASTER", "NATURAL_DISASTER")
ALL_LABELS = frozenset(ACLED_LABELS) | frozenset(NON_ACLED_LABELS)


def default_path() -> Path:
    return bench_path("event-type", "case2021-task2-dev.tsv")


@dataclass(slots=True)
class Snippet:
    id: str
    text: str
    label: str


def read_case_tsv(path: str | Path, limit: int | None = None) -> list[Snippet]:
    """Rows of a CASE 2021 Task 2 TSV (header ``id, EventSnippet, SubType``; quoted fields allowed).

    Columns are found by name, case-insensitively; without a recognised header the first
    three columns are taken as id, snippet, label.  Unknown labels are kept (and warned about).
    ``limit``: that many rows spread evenly over the file (see ``common.spread``).
    """
    rows: list[Snippet] = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        header = next(reader, None)
        if header is None:
            return rows
        names = [h.strip().lower() for h in header]
        if {"eventsnippet", "subtype"} <= set(names):
            i_id = names.index("id") if "id" in names else None
            i_text, i_label = names.index("eventsnippet"), names.index("subtype")
            pending = []
        else:
            i_id, i_text, i_label = 0, 1, 2
            pending = [header]
        for n, rec in enumerate([*pending, *reader]):
            if not rec or all(not c.strip() for c in rec):
                continue
            if len(rec) <= max(i_text, i_label):
                logger.warning("%s: row %d has %d fields; skipped", path, n + 2, len(rec))
                continue
            label = rec[i_label].strip()
            if label not in ALL_LABELS:
                logger.warning("%s: unknown label %r", path, label)
            rows.append(Snippet(rec[i_id].strip() if i_id is not None else str(n), rec[i_text].strip(), label))
    return spread(rows, limit)


def case_label(event: Event | None) -> str:
    """The CASE label of the event a snippet is scored by (NO_EVENT for none)."""
    if event is None:
        return NO_EVENT
    return CASE_CODES.get(event.sub_event_type, "OTHER")


@dataclass(slots=True)
class EventTypeReport:
    n: int
    weighted_f1: float
    macro_f1: float
    false_event_rate: float
    accuracy_acled: float              # exact label on the ACLED rows
    detection_rate: float              # ACLED rows that yield any event
    weighted_f1_acled_rows: float      # weighted F1 counting only the ACLED rows
    per_class: list[m.ClassScore]
    false_event_by_class: dict[str, dict]
    confusions: list[tuple[str, str, int]]
    strategy: str
    rows: list[dict] = field(default_factory=list)

    def to_dict(self, with_rows: bool = False) -> dict:
        out = {
            "weighted_f1": round(self.weighted_f1, 4), "macro_f1": round(self.macro_f1, 4),
            "false_event_rate": round(self.false_event_rate, 4), "n": self.n,
            "accuracy_acled": round(self.accuracy_acled, 4), "detection_rate": round(self.detection_rate, 4),
            "weighted_f1_acled_rows": round(self.weighted_f1_acled_rows, 4), "strategy": self.strategy,
            "per_class": [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in s.to_dict().items()}
                          for s in self.per_class],
            "false_event_by_class": self.false_event_by_class,
            "top_confusions": [{"gold": g, "predicted": p, "count": c} for g, p, c in self.confusions],
        }
        if with_rows:
            out["rows"] = self.rows
        return out


def score_predictions(gold: Sequence[str], pred: Sequence[str], *, strategy: str = "",
                      top_confusions: int = 15) -> EventTypeReport:
    """The report from gold and predicted labels (no model: used by the tests and the classifier)."""
    per_class = m.per_class_scores(gold, pred, ACLED_LABELS)
    acled_idx = [i for i, g in enumerate(gold) if g in ACLED_LABELS]
    other_idx = [i for i, g in enumerate(gold) if g in NON_ACLED_LABELS]
    by_class: dict[str, dict] = {}
    for label in NON_ACLED_LABELS:
        idx = [i for i in other_idx if gold[i] == label]
        if idx:
            wrong = Counter(pred[i] for i in idx if pred[i] != NO_EVENT)
            by_class[label] = {"n": len(idx), "false_events": sum(wrong.values()),
                               "as": dict(wrong.most_common())}
    ag = [gold[i] for i in acled_idx]
    ap = [pred[i] for i in acled_idx]
    return EventTypeReport(
        n=len(gold),
        weighted_f1=m.weighted_f1(per_class),
        macro_f1=m.macro_f1(per_class),
        false_event_rate=m.share(pred[i] != NO_EVENT for i in other_idx),
        accuracy_acled=m.micro_accuracy(ag, ap),
        detection_rate=m.share(p != NO_EVENT for p in ap),
        weighted_f1_acled_rows=m.weighted_f1(m.per_class_scores(ag, ap, ACLED_LABELS)),
        per_class=per_class,
        false_event_by_class=by_class,
        # a non-ACLED snippet with no event is right: not an error to list
        confusions=[c for c in m.confusions(gold, pred)
                    if not (c[0] in NON_ACLED_LABELS and c[1] == NO_EVENT)][:top_confusions],
        strategy=strategy,
    )


def predict_labels(snippets: Sequence[Snippet], *, pipeline=None, strategy: str = "confidence",
                   on_item=None) -> tuple[list[str], list[list[Event]]]:
    events = code_texts([(s.text, EVAL_DATE) for s in snippets], pipeline=pipeline, ignore_dates=True,
                        on_item=on_item)
    return [case_label(pick_event(evs, strategy)) for evs in events], events


def evaluate_event_type(path: str | Path | None = None, *, limit: int | None = None, pipeline=None,
                        strategy: str = "confidence", on_item=None) -> EventTypeReport:
    """Code every snippet of a CASE 2021 Task 2 TSV and score the labels."""
    snippets = read_case_tsv(path or default_path(), limit=limit)
    pred, events = predict_labels(snippets, pipeline=pipeline, strategy=strategy, on_item=on_item)
    report = score_predictions([s.label for s in snippets], pred, strategy=strategy)
    report.rows = [{"id": s.id, "gold": s.label, "predicted": p, "text": s.text,
                    "events": [event_summary(e) for e in evs]}
                   for s, p, evs in zip(snippets, pred, events)]
    return report
