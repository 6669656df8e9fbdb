"""Fit the report-level decision of :mod:`frontlines.events.decide` on the news-events gold.

Usage::

    python -m frontlines.events.fit_decide [--gold DIR] [--articles FILE] [--out PATH] [--folds 5] [--check]

The dev reports (``../shared/corpus/war_news_dev.jsonl``) go through the whole pipeline with the
learned decision switched off, so every draft that survives the rules comes out with its features
(:func:`~frontlines.events.decide.draft_features`).  A draft is a positive when it matches a gold
event of its report under ANNOTATION.md's rule (:func:`frontlines.evaluation.news.matches`).

The model is a logistic regression, ``p = sigmoid(w . f)``, fitted by L-BFGS from zero weights
(deterministic) with an L2 penalty that spares the bias.  The penalty and the threshold are
chosen by cross-validation over reports: the reports are split into ``--folds`` folds (by their
sorted ids, every k-th report in one fold), a model fitted on the other folds scores each fold's
drafts, and the pooled held-out drafts kept at each threshold are scored with the official
scorer (precision, recall, F1 of :func:`frontlines.evaluation.news.score`).  The penalty and
threshold with the best held-out F1 win; the shipped weights are then fitted on all reports.

The held-out figures are the honest estimate of what the decision does on reports it has not
seen; the in-sample figures (the shipped model on the reports it was fitted on) are printed too,
and are higher.  Both go into the weights file with the SHA-256 of the gold and corpus files.
``--check`` refits and exits 1 unless the weights and threshold match the shipped file.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..geo.fit_eventloc import file_sha256
from .decide import FEATURES, WEIGHTS_FORMAT, WEIGHTS_PATH, Decider, vector

log = logging.getLogger(__name__)

L2_GRID = (0.3, 1.0, 3.0, 10.0)
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(2, 19))
DEFAULT_FOLDS = 5


# ------------------------------------------------------------------------------ data
def collect(gold_dir: str | Path, articles_path: str | Path, *, pipeline=None) -> dict[str, Any]:
    """Every draft of every gold report: its event record, features and label."""
    from ..evaluation import news
    from ..ingest import read_sources
    from ..pipeline import Pipeline, split_results

    gold = news.load_gold(gold_dir)
    articles, problems = split_results(read_sources([str(articles_path)], allow_undated=True))
    for p in problems:
        log.warning("not coded: %s", p.message)
    pipe = pipeline or Pipeline(decider=Decider(None))
    if pipe.extractor.decider.fitted:
        raise ValueError("collect() needs a pipeline whose decision is switched off (Decider(None))")
    rows = []
    for result in pipe.process(articles):
        aid = news.corpus_id(result.article)
        if aid not in gold.articles:
            continue
        for ev, feats in pipe.extractor.last_candidates:
            d = ev.to_dict()
            label = any(news.matches(d, g) for g in gold.events.get(aid, []))
            rows.append({"article_id": aid, "event": d, "features": feats, "label": label})
    return {"gold": gold, "rows": rows}


def matrix(rows: Sequence[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    X = np.array([vector(r["features"]) for r in rows], dtype=float)
    y = np.array([1.0 if r["label"] else 0.0 for r in rows])
    return X, y


# ------------------------------------------------------------------------------ model
def _loss_grad(w: np.ndarray, X: np.ndarray, y: np.ndarray, l2: float) -> tuple[float, np.ndarray]:
    z = X @ w
    p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
    eps = 1e-12
    n = max(1, len(y))
    loss = -float(np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))) / n
    grad = X.T @ (p - y) / n
    pen = w.copy()
    pen[0] = 0.0                      # the bias is not penalised
    return loss + 0.5 * l2 / n * float(pen @ pen), grad + l2 / n * pen


def fit(X: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    from ..geo.fit_eventloc import lbfgs

    w, _info = lbfgs(lambda v: _loss_grad(v, X, y, l2), np.zeros(X.shape[1]), max_iter=500)
    return w


def predict(w: np.ndarray, X: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(X @ w, -30, 30)))


# ------------------------------------------------------------------------------ scoring
def official(rows: Sequence[dict[str, Any]], keep: np.ndarray, gold, article_ids: Sequence[str]) -> dict[str, float]:
    from ..evaluation import news

    by_article: dict[str, list[dict]] = {a: [] for a in article_ids}
    for r, k in zip(rows, keep):
        if k:
            by_article[r["article_id"]].append(r["event"])
    rep = news.score(by_article, gold, article_ids)
    return {"precision": round(rep.precision, 4), "recall": round(rep.recall, 4), "f1": round(rep.f1, 4),
            "strict_precision": round(rep.strict_precision, 4), "system_events": rep.system_events,
            "gold_events": rep.gold_events}


def folds_of(article_ids: Sequence[str], k: int) -> dict[str, int]:
    return {a: i % k for i, a in enumerate(sorted(article_ids))}


def cross_validate(rows, gold, *, folds: int = DEFAULT_FOLDS, l2_grid=L2_GRID, thresholds=THRESHOLDS):
    """Held-out probabilities for every draft under each penalty, and the official figures."""
    X, y = matrix(rows)
    ids = sorted(gold.articles)
    fold = folds_of(ids, folds)
    fold_of_row = np.array([fold[r["article_id"]] for r in rows])
    results = []
    for l2 in l2_grid:
        held = np.zeros(len(rows))
        for k in range(folds):
            train, test = fold_of_row != k, fold_of_row == k
            w = fit(X[train], y[train], l2)
            held[test] = predict(w, X[test])
        for t in thresholds:
            m = official(rows, held >= t, gold, ids)
            results.append({"l2": l2, "threshold": t, **m, "_held": held})
    return results


def features_sha1() -> str:
    return hashlib.sha1("\n".join(FEATURES).encode()).hexdigest()[:12]


def run(gold_dir=None, articles=None, *, out=None, folds: int = DEFAULT_FOLDS, check: bool = False,
        tolerance: float = 1e-3, echo=print) -> int:
    from ..evaluation import news

    gold_dir = Path(gold_dir) if gold_dir else news.default_gold_dir()
    articles = Path(articles) if articles else news.default_articles_path()
    t0 = time.perf_counter()
    data = collect(gold_dir, articles)
    rows, gold = data["rows"], data["gold"]
    X, y = matrix(rows)
    echo(f"{len(rows)} drafts from {len(gold.articles)} reports ({int(y.sum())} match a gold event), "
         f"coded in {time.perf_counter() - t0:.1f}s")
    ids = sorted(gold.articles)
    everything = official(rows, np.ones(len(rows), dtype=bool), gold, ids)
    echo(f"keeping every draft:      P {everything['precision']:.3f}  R {everything['recall']:.3f}  "
         f"F1 {everything['f1']:.3f}")
    cv = cross_validate(rows, gold, folds=folds)
    best = max(cv, key=lambda r: (r["f1"], r["precision"], -r["l2"]))
    echo(f"held out ({folds}-fold by report): P {best['precision']:.3f}  R {best['recall']:.3f}  "
         f"F1 {best['f1']:.3f}  (l2 {best['l2']}, threshold {best['threshold']})")
    w = fit(X, y, best["l2"])
    weights = {name: round(float(v), 6) for name, v in zip(FEATURES, w)}
    decider = Decider({"format": WEIGHTS_FORMAT, "weights": weights, "threshold": best["threshold"]})
    p_all = np.array([decider.probability(r["features"]) for r in rows])
    insample = official(rows, p_all >= best["threshold"], gold, ids)
    echo(f"in sample (fitted on all): P {insample['precision']:.3f}  R {insample['recall']:.3f}  "
         f"F1 {insample['f1']:.3f}")
    record = {
        "format": WEIGHTS_FORMAT,
        "model": "logistic regression over draft_features; keep a draft when sigmoid(w . f) >= threshold",
        "threshold": best["threshold"],
        "features_sha1": features_sha1(),
        "training": {"gold": gold_dir.name, "gold_sha256": {p.name: file_sha256(p) for p in sorted(gold_dir.glob("*.jsonl"))},
                     "articles": articles.name, "articles_sha256": file_sha256(articles),
                     "reports": len(ids), "drafts": len(rows), "positives": int(y.sum()), "l2": best["l2"],
                     "optimizer": "L-BFGS from zeros", "folds": folds},
        "held_out": {k: best[k] for k in ("precision", "recall", "f1", "strict_precision", "system_events")},
        "in_sample": {k: insample[k] for k in ("precision", "recall", "f1", "strict_precision", "system_events")},
        "keep_all": {k: everything[k] for k in ("precision", "recall", "f1", "system_events")},
        "weights": weights,
    }
    target = Path(out) if out else WEIGHTS_PATH
    if check:
        if not target.is_file():
            echo(f"{target}: no shipped weights to check")
            return 1
        shipped = json.loads(target.read_text(encoding="utf-8"))
        diff = max(abs(shipped["weights"].get(k, 0.0) - v) for k, v in weights.items())
        same = diff <= tolerance and abs(shipped["threshold"] - record["threshold"]) < 1e-9
        echo(f"check: largest weight difference {diff:.2e}, threshold {shipped['threshold']} vs "
             f"{record['threshold']}: {'match' if same else 'DIFFER'}")
        return 0 if same else 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    echo(f"weights written to {target}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", help="news-events gold folder (default ../shared/bench/news-events)")
    ap.add_argument("--articles", help="the reports (default ../shared/corpus/war_news_dev.jsonl)")
    ap.add_argument("--out", help=f"where to write the weights (default {WEIGHTS_PATH})")
    ap.add_argument("--folds", type=int, default=DEFAULT_FOLDS)
    ap.add_argument("--check", action="store_true", help="refit and compare with the shipped weights")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    return run(args.gold, args.articles, out=args.out, folds=args.folds, check=args.check)


if __name__ == "__main__":
    sys.exit(main())
