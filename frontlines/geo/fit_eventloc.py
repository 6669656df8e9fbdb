"""Fit the event-location weights of :mod:`frontlines.geo.eventloc` and write them as data.

Usage::

    python -m frontlines.geo.fit_eventloc [--data PATH] [--rows even] [--out PATH] [--check]
    frontlines eval event-location --fit [--data PATH] [--rows even] [--out PATH] [--check]

The rows of Halterman's (2019) event-location set (``event_location_dev.jsonl``) are parsed
once with spaCy (``nlp.pipe``), geoparsed, and turned into candidates with their features by
:func:`frontlines.geo.eventloc.candidates`, exactly as ``frontlines eval event-location`` does.
The model is a softmax over each sentence's candidates plus a "no location" option whose
logit is fixed at 0, so a candidate's score ``sigmoid(w . f)`` is its probability against "no
location" alone.  A candidate is a positive when its name span
(:func:`~frontlines.geo.eventloc.location_name_span`) shares a token with a gold location;
a sentence without such a candidate (no gold location, or none the candidates reach) has "no
location" as its answer.  The loss is the negative log of the probability given to the
positives (or to "no location"), averaged over the training sentences, plus ``l2/2 * |w|^2``
(the bias is not penalised).  It is minimised by full-batch L-BFGS from zero weights: nothing
is random, so the fit is deterministic.  Then ``--rounds`` regression trees of depth
``--depth`` are grown on the same loss, starting from the (rounded) linear scores: each tree
is a Newton step on the candidates' scores (gradient ``p - q``, curvature ``p(1-p) - q(1-q)``,
features cut at most ``TREE_MAX_BINS`` ways), shrunk by ``--learning-rate``; also
deterministic.  ``--rounds 0`` gives the linear model alone.

The threshold is then the break-even point of token precision and recall on the training rows
(on a 0.005 grid, :func:`balanced_threshold`).  The weights, the threshold, the SHA-256 of the
data file, the rows used, the spaCy model and the token P/R/F1 of the training and held-out
rows are written to ``frontlines/geo/data/eventloc_weights.json`` (``--out`` elsewhere).
Training rows are the even-numbered ones by default; the odd rows are the held-out figure and
are never used to choose anything (``--cv`` prints the 4-fold cross-validated F1 of a few L2
values on the training rows, and the F1 after a few numbers of boosting rounds; ``DEFAULT_L2``
and ``DEFAULT_ROUNDS`` were chosen that way).  ``--check`` refits without writing and exits 1
unless the weights, the threshold and the trees (mean absolute difference of their part of
the training candidates' scores) match the shipped file within ``--tolerance``.

Metrics are computed here from the same candidates, with the same rules as
:func:`frontlines.geo.evaluate.evaluate_event_location` (first VERB span as trigger, realigned
gold spans, coordinated places joined to the best one, token-level P/R), so the printed
held-out figure is the one ``frontlines eval event-location --rows odd`` reports.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from frontlines.geo.eventloc import FEATURES, WEIGHTS_FORMAT, WEIGHTS_PATH, Weights, load_weights
from frontlines.geo.roles import scene_toponyms

log = logging.getLogger(__name__)

DEFAULT_L2 = 0.001          # best 4-fold cross-validated F1 on the even rows (``--cv``)
CV_L2_GRID = (0.0, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03)
DEFAULT_MAX_ITER = 500
# boosted trees on top of the linear model (4-fold cross-validation on the even rows, ``--cv``)
DEFAULT_ROUNDS = 300
DEFAULT_DEPTH = 4
DEFAULT_LEARNING_RATE = 0.1
TREE_L2 = 1.0               # leaf-value penalty (Newton step: -G / (H + TREE_L2))
TREE_MIN_HESS = 5.0         # least curvature (about 20 uncertain candidates) on either side of a split
TREE_MAX_BINS = 16
CV_ROUNDS = (0, 100, 200, 300, 400, 600)
THRESHOLD_GRID = tuple(round(0.05 + 0.005 * k, 3) for k in range(181))   # 0.05 .. 0.95


# ---------------------------------------------------------------------------------------
# the feature set: one row per candidate, grouped by sentence
# ---------------------------------------------------------------------------------------

@dataclass(slots=True)
class Sentence:
    """One scored row: its candidates' features and what each choice would score."""

    row: int                                   # row number in the data file (0-based)
    features: list[dict[str, float]] = field(default_factory=list)
    positive: list[bool] = field(default_factory=list)   # name span overlaps a gold location
    hit: list[int] = field(default_factory=list)         # gold tokens among the chosen tokens
    pred: list[int] = field(default_factory=list)        # tokens chosen with this candidate
    gold: int = 0                                         # gold location tokens


@dataclass(slots=True)
class FeatureSet:
    """Candidates of many sentences as arrays (``sid`` maps a candidate to its sentence)."""

    names: tuple[str, ...]
    X: np.ndarray            # (candidates, features)
    sid: np.ndarray          # (candidates,) sentence index
    positive: np.ndarray     # (candidates,) bool
    hit: np.ndarray          # (candidates,) int
    pred: np.ndarray         # (candidates,) int
    gold: np.ndarray         # (sentences,) int
    rows: np.ndarray         # (sentences,) row numbers

    @property
    def n_sentences(self) -> int:
        return len(self.gold)

    def subset(self, rows: str) -> np.ndarray:
        """Boolean mask over sentences: "even", "odd" or "all" row numbers."""
        if rows == "all":
            return np.ones(self.n_sentences, dtype=bool)
        if rows not in ("even", "odd"):
            raise ValueError(f"rows must be all, even or odd, not {rows!r}")
        return (self.rows % 2 == 0) == (rows == "even")


def build_feature_set(sentences: Sequence[Sentence],
                      names: Sequence[str] = FEATURES) -> FeatureSet:
    """Arrays from :class:`Sentence` records (features not in ``names`` are dropped, with a warning)."""
    col = {n: j for j, n in enumerate(names)}
    n_cand = sum(len(s.features) for s in sentences)
    X = np.zeros((n_cand, len(names)))
    sid = np.zeros(n_cand, dtype=np.int64)
    unknown: set[str] = set()
    k = 0
    for i, s in enumerate(sentences):
        for f in s.features:
            for name, v in f.items():
                j = col.get(name)
                if j is None:
                    unknown.add(name)
                else:
                    X[k, j] = v
            sid[k] = i
            k += 1
    if unknown:
        log.warning("features not in the model ignored: %s", ", ".join(sorted(unknown)))
    return FeatureSet(
        tuple(names), X, sid,
        np.array([p for s in sentences for p in s.positive], dtype=bool),
        np.array([h for s in sentences for h in s.hit], dtype=np.int64),
        np.array([p for s in sentences for p in s.pred], dtype=np.int64),
        np.array([s.gold for s in sentences], dtype=np.int64),
        np.array([s.row for s in sentences], dtype=np.int64))


def extract_sentences(rows: Iterable[tuple[int, dict]], *, nlp=None, geoparser=None,
                      realign: bool = True, batch_size: int = 64) -> list[Sentence]:
    """Parse the rows once and collect each scored row's candidates, as the evaluator sees them."""
    from frontlines.geo.evaluate import event_row, load_spacy, span_tokens, trigger_token
    from frontlines.geo.eventloc import _coordinated, candidates, location_name_span
    from frontlines.geo.geoparse import Geoparser

    gp = geoparser or Geoparser()
    nlp = nlp or load_spacy()
    rows = list(rows)
    out: list[Sentence] = []
    t0 = time.perf_counter()
    for k, ((n, row), sdoc) in enumerate(zip(rows, nlp.pipe((r["text"] for _, r in rows),
                                                          batch_size=batch_size))):
        if k and k % 1000 == 0:
            log.info("%d/%d rows parsed (%.0fs)", k, len(rows), time.perf_counter() - t0)
        ev = event_row(row, sdoc, realign)
        if ev.verb is None or ev.empty_gold:
            continue
        text = row["text"]
        gold = span_tokens(sdoc, ev.golds)
        s = Sentence(n, gold=len(gold))
        out.append(s)
        ents = [(e.start_char, e.end_char, e.label_) for e in sdoc.ents]
        # the toponyms the event coder may place an event at (as in the pipeline)
        tops = scene_toponyms(gp.parse(text, ents))
        try:
            cands = candidates(sdoc, trigger_token(sdoc, ev.verb), tops, 0)
        except Exception:  # as choose_event_location_candidates: no location for this row
            log.exception("event-location features failed on row %d", n)
            continue
        for c in cands:
            own = span_tokens(sdoc, [location_name_span(text, c.start, c.end)])
            group = span_tokens(sdoc, [location_name_span(text, g.start, g.end)
                                       for g in _coordinated(sdoc, c, cands)])
            s.features.append(dict(c.features))
            s.positive.append(bool(own & gold))
            s.hit.append(len(group & gold))
            s.pred.append(len(group))
    log.info("%d rows parsed, %d scored, in %.0fs", len(rows), len(out), time.perf_counter() - t0)
    return out


# ---------------------------------------------------------------------------------------
# the model
# ---------------------------------------------------------------------------------------

def weight_vector(weights: dict[str, float], names: Sequence[str] = FEATURES) -> np.ndarray:
    return np.array([float(weights.get(n, 0.0)) for n in names])


def _segment_max(values: np.ndarray, sid: np.ndarray, n: int, floor: float) -> np.ndarray:
    m = np.full(n, floor)
    np.maximum.at(m, sid, values)
    return m


def _softmax_parts(s: np.ndarray, fs: FeatureSet) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per sentence: log of the partition function, log of the answer's mass, and per
    candidate whether it is a positive, for candidate scores ``s``."""
    n = fs.n_sentences
    # log of the partition function: "no location" (logit 0) plus every candidate
    m = _segment_max(s, fs.sid, n, 0.0)
    e = np.exp(s - m[fs.sid])
    log_z = m + np.log(np.exp(-m) + np.bincount(fs.sid, e, n))
    # log of the answer's mass: the positive candidates, or "no location"
    has_pos = np.bincount(fs.sid, fs.positive, n) > 0
    mp = _segment_max(np.where(fs.positive, s, -np.inf), fs.sid, n, -np.inf)
    mp = np.where(has_pos, mp, 0.0)
    ep = np.where(fs.positive, np.exp(s - mp[fs.sid]), 0.0)
    log_num = np.where(has_pos, mp + np.log(np.maximum(np.bincount(fs.sid, ep, n), 1e-300)), 0.0)
    return log_z, log_num, has_pos


def score_gradients(s: np.ndarray, fs: FeatureSet, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradient and (diagonal, floored) curvature of the summed loss in each candidate's score,
    zero outside the ``mask``-ed sentences: what the boosted trees are fitted to."""
    log_z, log_num, _ = _softmax_parts(s, fs)
    p = np.exp(s - log_z[fs.sid])
    q = np.where(fs.positive, np.exp(s - log_num[fs.sid]), 0.0)
    cm = mask[fs.sid]
    g = np.where(cm, p - q, 0.0)
    h = np.where(cm, np.maximum(p * (1 - p) - q * (1 - q), 1e-3), 0.0)
    return g, h


def loss_and_grad(w: np.ndarray, fs: FeatureSet, mask: np.ndarray,
                  l2: float) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood over the ``mask``-ed sentences, plus the L2 penalty."""
    s = fs.X @ w
    cmask = mask[fs.sid]
    log_z, log_num, _ = _softmax_parts(s, fs)
    n_train = max(int(mask.sum()), 1)
    penalty = np.ones_like(w)
    if fs.names and fs.names[0] == "bias":
        penalty[0] = 0.0
    loss = float(np.sum((log_z - log_num)[mask])) / n_train + 0.5 * l2 * float(np.sum(penalty * w * w))
    p = np.exp(s - log_z[fs.sid])
    q = np.where(fs.positive, np.exp(s - log_num[fs.sid]), 0.0)
    g_s = np.where(cmask, p - q, 0.0)
    grad = fs.X.T @ g_s / n_train + l2 * penalty * w
    return loss, grad


def lbfgs(fun, x0: np.ndarray, *, max_iter: int = DEFAULT_MAX_ITER, memory: int = 10,
          gtol: float = 1e-6) -> tuple[np.ndarray, dict[str, Any]]:
    """Minimise ``fun(x) -> (value, gradient)`` by L-BFGS with a backtracking (Armijo) search."""
    x = x0.astype(float).copy()
    f, g = fun(x)
    ss: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    it = 0
    for it in range(1, max_iter + 1):
        if float(np.max(np.abs(g))) < gtol:
            break
        q = g.copy()
        alphas = []
        for s_, y_ in reversed(list(zip(ss, ys))):
            a = float(s_ @ q) / float(y_ @ s_)
            alphas.append(a)
            q -= a * y_
        if ys:
            q *= float(ss[-1] @ ys[-1]) / float(ys[-1] @ ys[-1])
        for (s_, y_), a in zip(zip(ss, ys), reversed(alphas)):
            b = float(y_ @ q) / float(y_ @ s_)
            q += (a - b) * s_
        d = -q
        slope = float(g @ d)
        if slope >= 0:          # not a descent direction: restart from the gradient
            ss.clear()
            ys.clear()
            d, slope = -g, -float(g @ g)
        step = 1.0
        for _ in range(40):
            x_new = x + step * d
            f_new, g_new = fun(x_new)
            if f_new <= f + 1e-4 * step * slope:
                break
            step *= 0.5
        else:
            break
        s_, y_ = x_new - x, g_new - g
        if float(s_ @ y_) > 1e-12:
            ss.append(s_)
            ys.append(y_)
            if len(ss) > memory:
                ss.pop(0)
                ys.pop(0)
        x, f, g = x_new, f_new, g_new
    return x, {"iterations": it, "loss": f, "max_abs_grad": float(np.max(np.abs(g)))}


def fit(fs: FeatureSet, mask: np.ndarray, *, l2: float = DEFAULT_L2,
        max_iter: int = DEFAULT_MAX_ITER) -> tuple[dict[str, float], dict[str, Any]]:
    """Weights fitted on the ``mask``-ed sentences (see the module docstring)."""
    w, info = lbfgs(lambda v: loss_and_grad(v, fs, mask, l2), np.zeros(len(fs.names)),
                    max_iter=max_iter)
    log.info("fit: %d iterations, loss %.5f, max |grad| %.2g", info["iterations"], info["loss"],
             info["max_abs_grad"])
    return {n: float(v) for n, v in zip(fs.names, w)}, info


# ---------------------------------------------------------------------------------------
# scoring and the threshold
# ---------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------
# boosted trees on the linear model's scores
# ---------------------------------------------------------------------------------------

def _bins(X: np.ndarray, max_bins: int = TREE_MAX_BINS) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each feature cut at the midpoints of its values (of quantiles when there are many)."""
    B = np.zeros(X.shape, dtype=np.int32)
    edges = []
    for j in range(X.shape[1]):
        u = np.unique(X[:, j])
        if len(u) > max_bins:
            u = np.unique(np.quantile(X[:, j], np.linspace(0.0, 1.0, max_bins + 1)))
        cut = np.round((u[:-1] + u[1:]) / 2, 6) if len(u) > 1 else np.zeros(0)
        edges.append(cut)
        B[:, j] = np.searchsorted(cut, X[:, j], side="left")
    return B, edges


def _grow(B, edges, names, g, h, idx, depth, lr, lam, min_h):
    G, H = float(g[idx].sum()), float(h[idx].sum())
    leaf = round(-lr * G / (H + lam), 4) + 0.0
    if depth == 0 or len(idx) < 2:
        return leaf
    base = G * G / (H + lam)
    best = None
    for j in range(B.shape[1]):
        nb = len(edges[j]) + 1
        if nb < 2:
            continue
        bj = B[idx, j]
        gl = np.cumsum(np.bincount(bj, g[idx], nb))[:-1]
        hl = np.cumsum(np.bincount(bj, h[idx], nb))[:-1]
        gr, hr = G - gl, H - hl
        ok = (hl >= min_h) & (hr >= min_h)
        if not ok.any():
            continue
        gain = np.where(ok, gl ** 2 / (hl + lam) + gr ** 2 / (hr + lam) - base, -np.inf)
        k = int(np.argmax(gain))
        if best is None or gain[k] > best[0]:
            best = (float(gain[k]), j, k)
    if best is None or best[0] <= 1e-9:
        return leaf
    _, j, k = best
    go_left = B[idx, j] <= k
    return [names[j], float(edges[j][k]),
            _grow(B, edges, names, g, h, idx[go_left], depth - 1, lr, lam, min_h),
            _grow(B, edges, names, g, h, idx[~go_left], depth - 1, lr, lam, min_h)]


def tree_scores(fs: FeatureSet, trees: Sequence[Any]) -> np.ndarray:
    """The trees' summed leaves for every candidate of ``fs``."""
    col = {n: j for j, n in enumerate(fs.names)}
    out = np.zeros(len(fs.X))

    def walk(node, rows):
        if not isinstance(node, list):
            out[rows] += float(node)
            return
        j = col.get(node[0])
        v = fs.X[rows, j] if j is not None else np.zeros(len(rows))
        walk(node[2], rows[v <= node[1]])
        walk(node[3], rows[v > node[1]])

    for t in trees:
        walk(t, np.arange(len(fs.X)))
    return out


def boost(fs: FeatureSet, mask: np.ndarray, weights: dict[str, float] | np.ndarray, *,
          rounds: int = DEFAULT_ROUNDS, depth: int = DEFAULT_DEPTH,
          learning_rate: float = DEFAULT_LEARNING_RATE, lam: float = TREE_L2,
          min_hess: float = TREE_MIN_HESS, checkpoints: Sequence[int] = (),
          on_checkpoint=None) -> list[Any]:
    """Regression trees fitted, one Newton step at a time, to the gradient of the sentence
    softmax loss on the ``mask``-ed sentences, starting from the linear model's scores.
    Leaves are rounded to 4 digits as they are grown, so the written trees give exactly the
    scores the threshold is chosen on.  ``on_checkpoint(k, scores)`` is called after the
    rounds listed in ``checkpoints`` (for cross-validation)."""
    w = weights if isinstance(weights, np.ndarray) else weight_vector(weights, fs.names)
    s = fs.X @ w
    B, edges = _bins(fs.X)
    idx = np.nonzero(mask[fs.sid])[0]
    trees: list[Any] = []
    for k in range(1, rounds + 1):
        g, h = score_gradients(s, fs, mask)
        t = _grow(B, edges, fs.names, g, h, idx, depth, learning_rate, lam, min_hess)
        trees.append(t)
        s = s + tree_scores(fs, [t])
        if on_checkpoint is not None and k in checkpoints:
            on_checkpoint(k, s)
    return trees


def model_scores(fs: FeatureSet, weights: dict[str, float] | np.ndarray) -> np.ndarray:
    """Every candidate's margin over "no location": linear part plus the weights' trees."""
    w = weights if isinstance(weights, np.ndarray) else weight_vector(weights, fs.names)
    s = fs.X @ w
    trees = getattr(weights, "trees", ())
    return s + tree_scores(fs, trees) if trees else s


def best_candidates(fs: FeatureSet, w: dict[str, float] | np.ndarray,
                    scores: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence: index of its best candidate (-1 when it has none) and that margin."""
    s = model_scores(fs, w) if scores is None else scores
    n = fs.n_sentences
    best = np.full(n, -1, dtype=np.int64)
    margin = np.full(n, -np.inf)
    # candidates are stored sentence by sentence: the first maximum wins, as max() does
    for k in range(len(s)):
        i = fs.sid[k]
        if s[k] > margin[i]:
            margin[i], best[i] = s[k], k
    return best, margin


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))


def prf(fs: FeatureSet, weights: dict[str, float] | np.ndarray, threshold: float,
        mask: np.ndarray | None = None) -> dict[str, Any]:
    """Token precision/recall/F1 of the chooser on the ``mask``-ed sentences."""
    best, margin = best_candidates(fs, weights)
    return _prf_from_best(fs, best, margin, threshold, mask)


def _prf_from_best(fs, best, margin, threshold, mask) -> dict[str, Any]:
    mask = np.ones(fs.n_sentences, dtype=bool) if mask is None else mask
    take = mask & (best >= 0) & (_sigmoid(margin) >= threshold)
    idx = best[take]
    hit, pred, gold = int(fs.hit[idx].sum()), int(fs.pred[idx].sum()), int(fs.gold[mask].sum())
    p = hit / pred if pred else 0.0
    r = hit / gold if gold else 0.0
    return {"sentences": int(mask.sum()), "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0, "chosen_tokens": pred}


def balanced_threshold(fs: FeatureSet, weights: dict[str, float] | np.ndarray,
                       mask: np.ndarray | None = None,
                       grid: Sequence[float] = THRESHOLD_GRID,
                       scores: np.ndarray | None = None) -> float:
    """The break-even threshold: recall only falls as the threshold rises, so take the first
    grid point where precision reaches recall, or the one before it when P and R are closer
    there (higher F1 on ties).  Thresholds that keep nothing (P = R = 0, the smallest |P - R|)
    are never chosen."""
    best, margin = best_candidates(fs, weights, scores)
    grid = sorted(grid)
    ms = [_prf_from_best(fs, best, margin, t, mask) for t in grid]
    kept = [j for j, m in enumerate(ms) if m["chosen_tokens"]]
    if not kept:
        return grid[0]
    k = next((j for j in kept if ms[j]["precision"] >= ms[j]["recall"]), kept[-1])
    near = [j for j in (k - 1, k) if j in kept]
    j = min(near, key=lambda j: (round(abs(ms[j]["precision"] - ms[j]["recall"]), 6), -ms[j]["f1"]))
    return grid[j]


def cross_validate(fs: FeatureSet, mask: np.ndarray, l2_grid: Sequence[float] = CV_L2_GRID,
                   folds: int = 4, max_iter: int = DEFAULT_MAX_ITER) -> dict[float, float]:
    """Mean held-out-fold token F1 for each L2 value, folds drawn from the training rows only
    (sentence ``rows // 2 % folds``), threshold chosen on each fold's training part."""
    fold = (fs.rows // 2) % folds
    out = {}
    for l2 in l2_grid:
        f1s = []
        for k in range(folds):
            tr, va = mask & (fold != k), mask & (fold == k)
            w = np.array([v for v in fit(fs, tr, l2=l2, max_iter=max_iter)[0].values()])
            f1s.append(prf(fs, w, balanced_threshold(fs, w, tr), va)["f1"])
        out[l2] = float(np.mean(f1s))
    return out


def cross_validate_rounds(fs: FeatureSet, mask: np.ndarray, *, l2: float = DEFAULT_L2,
                          rounds: Sequence[int] = CV_ROUNDS, depth: int = DEFAULT_DEPTH,
                          learning_rate: float = DEFAULT_LEARNING_RATE, folds: int = 4,
                          max_iter: int = DEFAULT_MAX_ITER) -> dict[int, float]:
    """Mean held-out-fold token F1 after each number of boosting rounds (as
    :func:`cross_validate`: folds of the training rows, thresholds on each fold's training part)."""
    fold = (fs.rows // 2) % folds
    f1s: dict[int, list[float]] = {r: [] for r in rounds}
    for k in range(folds):
        tr, va = mask & (fold != k), mask & (fold == k)
        w = np.round(np.array(list(fit(fs, tr, l2=l2, max_iter=max_iter)[0].values())), 4)

        def score(r, s):
            f1s[r].append(_prf_from_best(fs, *best_candidates(fs, w, s),
                                         balanced_threshold(fs, w, tr, scores=s), va)["f1"])

        if 0 in f1s:
            score(0, fs.X @ w)
        boost(fs, tr, w, rounds=max(rounds), depth=depth, learning_rate=learning_rate,
              checkpoints=[r for r in rounds if r], on_checkpoint=score)
    return {r: float(np.mean(v)) for r, v in f1s.items()}


# ---------------------------------------------------------------------------------------
# the weights file
# ---------------------------------------------------------------------------------------

def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def features_sha1(names: Sequence[str] = FEATURES) -> str:
    """A tag of the feature list the weights belong to."""
    return hashlib.sha1(",".join(names).encode()).hexdigest()[:12]


def make_record(weights: dict[str, float], threshold: float, *, training: dict[str, Any],
                metrics: dict[str, Any] | None = None, names: Sequence[str] = FEATURES,
                digits: int = 4, note: str | None = None) -> dict[str, Any]:
    """The JSON object of a weights file (weights in feature order, rounded; the weights'
    boosted trees, if any, after them)."""
    trees = list(getattr(weights, "trees", ()))
    rec: dict[str, Any] = {
        "format": WEIGHTS_FORMAT,
        "model": "softmax over a sentence's candidates and 'no location' (logit 0); "
                 "score = sigmoid(w . features + the leaves of the trees); "
                 "pick the best when score >= threshold",
        "threshold": round(float(threshold), 3),
        "features_sha1": features_sha1(names),
        "training": training,
    }
    if note:
        rec["note"] = note
    if metrics:
        rec["metrics"] = metrics
    rec["weights"] = {n: round(float(weights.get(n, 0.0)), digits) + 0.0 for n in names}
    rec["trees"] = trees
    return rec


def write_record(path: str | Path, record: dict[str, Any]) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(p.suffix + ".tmp")
    trees = record.get("trees")
    head = {k: v for k, v in record.items() if k != "trees"}
    text = json.dumps(head, indent=1, ensure_ascii=False)
    if trees is not None:      # one tree a line
        body = ",\n  ".join(json.dumps(t, separators=(",", ":")) for t in trees)
        text = text[:-2] + ',\n "trees": [\n  ' + body + "\n ]\n}" if trees else \
            text[:-2] + ',\n "trees": []\n}'
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(p)
    return p


def compare(a: dict[str, float], a_threshold: float, b: dict[str, float], b_threshold: float,
            tolerance: float) -> dict[str, Any]:
    """Largest weight difference, threshold difference and whether both are within tolerance."""
    names = sorted(set(a) | set(b))
    diffs = {n: abs(a.get(n, 0.0) - b.get(n, 0.0)) for n in names}
    worst = max(diffs, key=diffs.get) if diffs else None
    max_diff = diffs[worst] if worst else 0.0
    t_diff = abs(a_threshold - b_threshold)
    return {"max_weight_diff": max_diff, "feature": worst, "threshold_diff": t_diff,
            "match": max_diff <= tolerance and t_diff <= max(tolerance, 0.005) + 1e-9}


def _metrics_record(fs: FeatureSet, weights, threshold, train: np.ndarray,
                    heldout: np.ndarray | None, rows: str, heldout_rows: str | None) -> dict:
    out = {"train": {"rows": rows, **_rounded(prf(fs, weights, threshold, train))}}
    if heldout is not None:
        out["heldout"] = {"rows": heldout_rows, **_rounded(prf(fs, weights, threshold, heldout))}
    return out


def _rounded(m: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()}


def run(data: str | Path | None = None, *, rows: str = "even", out: str | Path | None = None,
        check: bool = False, l2: float = DEFAULT_L2, max_iter: int = DEFAULT_MAX_ITER,
        tolerance: float = 0.02, cv: bool = False, rounds: int = DEFAULT_ROUNDS,
        depth: int = DEFAULT_DEPTH, learning_rate: float = DEFAULT_LEARNING_RATE,
        nlp=None, geoparser=None, echo=print) -> int:
    """Parse, fit, report; write the weights file (or, with ``check``, compare with it).
    Returns a process exit code."""
    from frontlines.geo.evaluate import event_location_path, read_event_location_rows

    path = Path(data) if data else event_location_path()
    all_rows = read_event_location_rows(path, rows_subset="all")
    if nlp is None:
        from frontlines.geo.evaluate import load_spacy
        nlp = load_spacy()
    fs = build_feature_set(extract_sentences(all_rows, nlp=nlp, geoparser=geoparser))
    train = fs.subset(rows)
    heldout_rows = {"even": "odd", "odd": "even"}.get(rows)
    heldout = fs.subset(heldout_rows) if heldout_rows else None

    target = Path(out) if out else WEIGHTS_PATH
    results = []
    for name, p in (("shipped", WEIGHTS_PATH), ("--out", target)):
        if name == "--out" and (not check or target == WEIGHTS_PATH):
            continue
        try:
            w_, t_, _ = load_weights(p)
            results.append((name, w_, t_))
        except (OSError, ValueError, KeyError) as exc:
            log.warning("no weights to compare with at %s: %s", p, exc)

    echo(f"data {path} (sha256 {file_sha256(path)[:16]}...): {len(all_rows)} rows, "
         f"{fs.n_sentences} scored; training rows: {rows} ({int(train.sum())}), "
         f"held out: {heldout_rows or '-'} ({int(heldout.sum()) if heldout is not None else 0})")
    if cv:
        scores = cross_validate(fs, train, max_iter=max_iter)
        echo("4-fold cross-validation on the training rows (token F1): "
             + ", ".join(f"l2 {k:g}: {v:.4f}" for k, v in scores.items())
             + f"; best l2 {max(scores, key=scores.get):g}")
        scores = cross_validate_rounds(fs, train, l2=l2, depth=depth, learning_rate=learning_rate,
                                       max_iter=max_iter)
        echo(f"4-fold cross-validation of boosting rounds (depth {depth}, learning rate "
             f"{learning_rate:g}; token F1): "
             + ", ".join(f"{k}: {v:.4f}" for k, v in scores.items())
             + f"; best {max(scores, key=scores.get)}")
    weights, info = fit(fs, train, l2=l2, max_iter=max_iter)
    weights = {n: round(v, 4) + 0.0 for n, v in weights.items()}
    trees = boost(fs, train, weights, rounds=rounds, depth=depth,
                  learning_rate=learning_rate) if rounds > 0 else []
    weights = Weights(weights, trees)
    threshold = balanced_threshold(fs, weights, train)
    results.append(("refit", weights, threshold))

    echo(f"refit: l2 {l2}, {info['iterations']} L-BFGS iterations, loss {info['loss']:.5f}, "
         f"max |grad| {info['max_abs_grad']:.1e}; {len(trees)} trees of depth {depth}, "
         f"learning rate {learning_rate:g}")
    echo(f"{'weights':8} {'thresh':>6}  {'train P':>7} {'R':>6} {'F1':>6}   "
         f"{'held-out P':>10} {'R':>6} {'F1':>6}")
    for name, w, t in results:
        m = _metrics_record(fs, w, t, train, heldout, rows, heldout_rows)
        tr = m["train"]
        line = f"{name:8} {t:6.3f}  {tr['precision']:7.3f} {tr['recall']:6.3f} {tr['f1']:6.3f}"
        if "heldout" in m:
            ho = m["heldout"]
            line += f"   {ho['precision']:10.3f} {ho['recall']:6.3f} {ho['f1']:6.3f}"
        echo(line)

    if check:
        ref = [(w_, t_) for name, w_, t_ in results if name == ("--out" if out else "shipped")]
        if not ref:
            echo(f"check: no weights file at {target}")
            return 1
        c = compare(weights, threshold, ref[0][0], ref[0][1], tolerance)
        # the trees: mean difference of their part of the training candidates' scores
        cm = train[fs.sid]
        t_new, t_ref = tree_scores(fs, trees), tree_scores(fs, getattr(ref[0][0], "trees", ()))
        tree_diff = float(np.mean(np.abs(t_new - t_ref)[cm])) if cm.any() else 0.0
        match = c["match"] and tree_diff <= tolerance
        echo(f"check against {target}: largest weight difference {c['max_weight_diff']:.4f} "
             f"({c['feature']}), threshold difference {c['threshold_diff']:.3f}, mean tree score "
             f"difference {tree_diff:.4f}, tolerance {tolerance}: "
             f"{'MATCH' if match else 'DIFFERENT'}")
        return 0 if match else 1

    record = make_record(weights, threshold, training={
        "data": path.name, "sha256": file_sha256(path), "rows": rows,
        "rows_total": len(all_rows), "sentences_scored": int(train.sum()),
        "spacy_model": _model_tag(nlp), "l2": l2, "optimizer": "L-BFGS from zeros",
        "iterations": info["iterations"], "loss": round(info["loss"], 6),
        "trees": {"rounds": rounds, "depth": depth, "learning_rate": learning_rate,
                  "leaf_l2": TREE_L2, "min_hessian": TREE_MIN_HESS, "max_bins": TREE_MAX_BINS},
        "command": f"python -m frontlines.geo.fit_eventloc --rows {rows}"
                   + (f" --l2 {l2}" if l2 != DEFAULT_L2 else "")
                   + (f" --rounds {rounds}" if rounds != DEFAULT_ROUNDS else "")
                   + (f" --depth {depth}" if depth != DEFAULT_DEPTH else "")
                   + (f" --learning-rate {learning_rate}" if learning_rate != DEFAULT_LEARNING_RATE
                      else ""),
    }, metrics=_metrics_record(fs, weights, threshold, train, heldout, rows, heldout_rows))
    write_record(target, record)
    echo(f"wrote {target}")
    return 0


def _model_tag(nlp) -> str:
    meta = getattr(nlp, "meta", {}) or {}
    return f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}".strip("_-")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m frontlines.geo.fit_eventloc",
                                 description="Fit the event-location weights (see module docstring).")
    ap.add_argument("--data", default=None, help="event_location_dev.jsonl "
                    "(default: ../shared/bench/event-location/)")
    ap.add_argument("--rows", choices=("even", "odd", "all"), default="even",
                    help="training rows; the others are the held-out figure (default: even)")
    ap.add_argument("--out", default=None, help=f"weights file to write (default: {WEIGHTS_PATH})")
    ap.add_argument("--check", action="store_true",
                    help="refit and compare with the weights file instead of writing it")
    ap.add_argument("--tolerance", type=float, default=0.02,
                    help="largest weight difference --check accepts (default: 0.02)")
    ap.add_argument("--l2", type=float, default=DEFAULT_L2, help=f"L2 penalty (default: {DEFAULT_L2})")
    ap.add_argument("--max-iter", type=int, default=DEFAULT_MAX_ITER)
    ap.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS,
                    help=f"boosted trees on top of the linear model (default: {DEFAULT_ROUNDS}; 0: none)")
    ap.add_argument("--depth", type=int, default=DEFAULT_DEPTH,
                    help=f"depth of the trees (default: {DEFAULT_DEPTH})")
    ap.add_argument("--learning-rate", type=float, default=DEFAULT_LEARNING_RATE,
                    help=f"shrinkage of each tree (default: {DEFAULT_LEARNING_RATE})")
    ap.add_argument("--cv", action="store_true",
                    help="also print 4-fold cross-validated F1 over an L2 grid and over "
                         "boosting rounds (training rows only)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    return run(args.data, rows=args.rows, out=args.out, check=args.check, l2=args.l2,
               max_iter=args.max_iter, tolerance=args.tolerance, cv=args.cv,
               rounds=args.rounds, depth=args.depth, learning_rate=args.learning_rate)


if __name__ == "__main__":
    sys.exit(main())
