"""Metric helpers shared by the scorers: precision/recall/F1 by hand, confusions, distances.

Nothing here needs the model: every function takes plain labels or numbers, so the unit
tests can check them on hand-made rows.
"""
from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Hashable, Iterable, Sequence


@dataclass(frozen=True, slots=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int       # gold rows of this label
    predicted: int     # rows predicted as this label

    def to_dict(self) -> dict:
        return {"label": self.label, "precision": self.precision, "recall": self.recall, "f1": self.f1,
                "support": self.support, "predicted": self.predicted}


def safe_div(num: float, den: float) -> float:
    """num / den, 0.0 when den is 0."""
    return num / den if den else 0.0


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 for an undefined ratio, as sklearn's zero_division=0)."""
    p = safe_div(tp, tp + fp)
    r = safe_div(tp, tp + fn)
    f = safe_div(2 * p * r, p + r)
    return p, r, f


def per_class_scores(gold: Sequence[str], pred: Sequence[str], labels: Iterable[str]) -> list[ClassScore]:
    """One ClassScore per label in ``labels``.

    Every row counts: a row whose gold label is outside ``labels`` but predicted as one of
    them is a false positive for that label; a row of a listed label predicted as anything
    else (another label, "no event") is a false negative.
    """
    if len(gold) != len(pred):
        raise ValueError(f"gold and pred differ in length: {len(gold)} != {len(pred)}")
    tp: Counter = Counter()
    n_gold: Counter = Counter(gold)
    n_pred: Counter = Counter(pred)
    for g, p in zip(gold, pred):
        if g == p:
            tp[g] += 1
    out = []
    for label in labels:
        t = tp[label]
        p, r, f = prf(t, n_pred[label] - t, n_gold[label] - t)
        out.append(ClassScore(label, p, r, f, n_gold[label], n_pred[label]))
    return out


def weighted_f1(scores: Sequence[ClassScore]) -> float:
    """F1 averaged over classes, weighted by gold support (sklearn's average='weighted')."""
    total = sum(s.support for s in scores)
    return safe_div(sum(s.f1 * s.support for s in scores), total)


def macro_f1(scores: Sequence[ClassScore]) -> float:
    """Unweighted mean F1 over the classes that occur (in gold or in predictions).

    A class absent from both gold and predictions has no defined F1 and is left out,
    rather than counted as 0 (sklearn counts it as 0 when it is passed in ``labels``).
    """
    present = [s for s in scores if s.support or s.predicted]
    return safe_div(sum(s.f1 for s in present), len(present))


def micro_accuracy(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    if len(gold) != len(pred):
        raise ValueError(f"gold and pred differ in length: {len(gold)} != {len(pred)}")
    return safe_div(sum(1 for g, p in zip(gold, pred) if g == p), len(gold))


def confusions(gold: Sequence[str], pred: Sequence[str], top: int | None = None) -> list[tuple[str, str, int]]:
    """(gold, predicted, count) for the wrong predictions, most frequent first (ties by name)."""
    counts = Counter((g, p) for g, p in zip(gold, pred) if g != p)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if top is not None:
        ranked = ranked[:top]
    return [(g, p, n) for (g, p), n in ranked]




def median(values: Sequence[float]) -> float | None:
    """The median, None for no values."""
    xs = sorted(values)
    n = len(xs)
    if n == 0:
        return None
    mid = n // 2
    return float(xs[mid]) if n % 2 else (xs[mid - 1] + xs[mid]) / 2.0


def share(flags: Iterable[bool]) -> float:
    """Share of true values (0.0 for none)."""
    flags = list(flags)
    return safe_div(sum(1 for f in flags if f), len(flags))


def stratified_folds(labels: Sequence[str], k: int = 5, seed: int = 13) -> list[int]:
    """Fold index (0..k-1) for every row, each label's rows dealt round-robin after a seeded shuffle."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, y in enumerate(labels):
        by_label[y].append(i)
    rng = random.Random(seed)
    folds = [0] * len(labels)
    offset = 0
    for y in sorted(by_label):
        idx = by_label[y]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            folds[i] = (offset + j) % k
        offset += len(idx)   # so small classes do not all start in fold 0
    return folds
