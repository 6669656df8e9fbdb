"""A prototype: a linear text classifier for the event type of a snippet, scored by
stratified 5-fold cross-validation on the CASE 2021 Task 2 set, to measure how far a
trained model would beat the rules.  Nothing in the pipeline uses it.

Model: word unigrams and bigrams, sublinear TF-IDF, L2-normalised; a one-vs-rest ridge
classifier (least squares on +1/-1 targets with an L2 penalty), solved exactly in its dual
form, which is cheap for a few hundred snippets (numpy only; numpy comes with spaCy).  The 5 non-ACLED classes are learnt as classes of their own and predicted as
"no event", as the coder would report them.
"""
from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from . import metrics as m
from .event_type import NO_EVENT, NON_ACLED_LABELS, EventTypeReport, score_predictions

logger = logging.getLogger(__name__)

_WORD = re.compile(r"[a-z][a-z'\-]+|\d+")


def tokens(text: str) -> list[str]:
    words = _WORD.findall(text.lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


@dataclass
class LinearTextClassifier:
    l2: float = 1.0
    min_df: int = 2

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> "LinearTextClassifier":
        docs = [tokens(t) for t in texts]
        df = Counter(f for d in docs for f in set(d))
        self.vocab = {f: i for i, f in enumerate(sorted(f for f, n in df.items() if n >= self.min_df))}
        n = len(docs)
        self.idf = np.array([math.log((1 + n) / (1 + df[f])) + 1 for f in sorted(self.vocab, key=self.vocab.get)])
        self.classes = sorted(set(labels))
        X = self._matrix(docs)
        y = np.array([self.classes.index(lab) for lab in labels])
        Y = 2 * np.eye(len(self.classes))[y] - 1
        self.b = Y.mean(axis=0)
        # W = X^T (X X^T + l2 I)^-1 (Y - b)
        alpha = np.linalg.solve(X @ X.T + self.l2 * np.eye(n), Y - self.b)
        self.W = X.T @ alpha
        return self

    def _matrix(self, docs: Sequence[list[str]]) -> np.ndarray:
        X = np.zeros((len(docs), len(self.vocab)))
        for i, d in enumerate(docs):
            for f, c in Counter(d).items():
                j = self.vocab.get(f)
                if j is not None:
                    X[i, j] = 1 + math.log(c)
        X *= self.idf
        norms = np.linalg.norm(X, axis=1, keepdims=True)
        return X / np.where(norms == 0, 1, norms)

    def predict(self, texts: Sequence[str]) -> list[str]:
        X = self._matrix([tokens(t) for t in texts])
        return [self.classes[k] for k in np.argmax(X @ self.W + self.b, axis=1)]


def as_coder_label(label: str) -> str:
    return NO_EVENT if label in NON_ACLED_LABELS else label


def cross_validate(texts: Sequence[str], labels: Sequence[str], *, k: int = 5, seed: int = 13,
                   **params) -> tuple[EventTypeReport, list[str]]:
    """Out-of-fold predictions (as coder labels) for every snippet, and their report."""
    folds = m.stratified_folds(labels, k=k, seed=seed)
    pred: list[str] = [""] * len(texts)
    for f in range(k):
        train = [i for i in range(len(texts)) if folds[i] != f]
        test = [i for i in range(len(texts)) if folds[i] == f]
        clf = LinearTextClassifier(**params).fit([texts[i] for i in train], [labels[i] for i in train])
        for i, p in zip(test, clf.predict([texts[i] for i in test])):
            pred[i] = as_coder_label(p)
    return score_predictions(list(labels), pred, strategy=f"linear-{k}fold"), pred


def main(path: str | None = None, k: int = 5, seeds: Sequence[int] = (13, 7, 1)) -> None:
    """Print the cross-validated scores (``python -m frontlines.evaluation.classifier [TSV]``)."""
    import json

    from .event_type import default_path, read_case_tsv

    snippets = read_case_tsv(path or default_path())
    texts, labels = [s.text for s in snippets], [s.label for s in snippets]
    for seed in seeds:
        report, _pred = cross_validate(texts, labels, k=k, seed=seed)
        d = report.to_dict()
        print(json.dumps({"seed": seed, "k": k, **{key: d[key] for key in (
            "weighted_f1", "macro_f1", "false_event_rate", "accuracy_acled", "n")}}))


if __name__ == "__main__":  # pragma: no cover
    import sys

    main(sys.argv[1] if len(sys.argv) > 1 else None)
