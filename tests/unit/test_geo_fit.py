"""Unit tests for frontlines.geo.fit_eventloc on hand-made feature sets (no spaCy, no data)."""
from __future__ import annotations

import json
import logging

import numpy as np
import pytest

from frontlines.geo import eventloc
from frontlines.geo.fit_eventloc import (Sentence, balanced_threshold, build_feature_set,
                                         compare, fit, loss_and_grad, make_record, prf,
                                         weight_vector, write_record)

NAMES = ("bias", "prep_in", "role_subj")


def _toy(n: int = 40) -> list[Sentence]:
    """Even rows: "X attacked in Y" (the pobj of "in" is the place, the subject is not);
    odd rows: only an actor-like subject and no gold location."""
    out = []
    for k in range(n):
        if k % 2 == 0:
            out.append(Sentence(k, features=[{"bias": 1.0, "role_subj": 1.0},
                                             {"bias": 1.0, "prep_in": 1.0}],
                                positive=[False, True], hit=[0, 1], pred=[1, 1], gold=1))
        else:
            out.append(Sentence(k, features=[{"bias": 1.0, "role_subj": 1.0}],
                                positive=[False], hit=[0], pred=[1], gold=0))
    out.append(Sentence(n))                      # a row without candidates or gold
    return out


def test_fit_separates_place_from_actor():
    fs = build_feature_set(_toy(), NAMES)
    mask = fs.subset("all")
    w, info = fit(fs, mask, l2=0.01)
    assert info["max_abs_grad"] < 1e-4
    assert w["prep_in"] > 1.0 > -1.0 > w["role_subj"]
    t = balanced_threshold(fs, w, mask)
    m = prf(fs, w, t, mask)
    assert m["precision"] == m["recall"] == 1.0
    # the subject alone scores below the threshold, the "in" candidate above it
    assert eventloc._sigmoid(w["bias"] + w["role_subj"]) < t < eventloc._sigmoid(w["bias"] + w["prep_in"])


def test_fit_is_deterministic_and_subset_masks_rows():
    fs = build_feature_set(_toy(), NAMES)
    a, _ = fit(fs, fs.subset("even"), l2=0.01)
    b, _ = fit(fs, fs.subset("even"), l2=0.01)
    assert a == b
    assert fs.subset("even").sum() + fs.subset("odd").sum() == fs.n_sentences
    with pytest.raises(ValueError):
        fs.subset("thirds")


def test_gradient_matches_finite_differences():
    sents = _toy(6)
    sents[0].features[1]["role_subj"] = 0.5     # two positives and a fractional feature
    sents[0].positive = [True, True]
    fs = build_feature_set(sents, NAMES)
    mask = fs.subset("all")
    w = np.array([0.3, -0.7, 0.2])
    _, g = loss_and_grad(w, fs, mask, 0.1)
    eps = 1e-6
    num = [(loss_and_grad(w + eps * e, fs, mask, 0.1)[0] - loss_and_grad(w - eps * e, fs, mask, 0.1)[0])
           / (2 * eps) for e in np.eye(3)]
    assert np.allclose(g, num, atol=1e-6)


def test_metrics_count_tokens_of_the_best_candidate():
    fs = build_feature_set([
        Sentence(0, features=[{"prep_in": 1.0}, {"role_subj": 1.0}], positive=[True, False],
                 hit=[2, 0], pred=[3, 1], gold=2),
        Sentence(1, features=[{"role_subj": 1.0}], positive=[False], hit=[0], pred=[1], gold=4),
    ], NAMES)
    w = {"bias": 0.0, "prep_in": 2.0, "role_subj": 1.0}
    m = prf(fs, w, 0.5)
    assert (m["precision"], m["recall"]) == (pytest.approx(2 / 4), pytest.approx(2 / 6))
    m = prf(fs, w, 0.8)              # sigmoid(1) = 0.73: the second sentence drops out
    assert (m["precision"], m["recall"]) == (pytest.approx(2 / 3), pytest.approx(2 / 6))


def test_balanced_threshold_is_not_the_empty_choice():
    # every threshold above 0.9 keeps nothing (P = R = 0); the break-even point is lower
    sents = [Sentence(k, features=[{"prep_in": 1.0}], positive=[k % 3 != 0], hit=[int(k % 3 != 0)],
                      pred=[1], gold=int(k % 3 != 0) + (k % 4 == 0)) for k in range(60)]
    fs = build_feature_set(sents, NAMES)
    t = balanced_threshold(fs, {"prep_in": 1.0}, grid=[0.1, 0.3, 0.5, 0.7, 0.95])
    assert t < 0.9


def test_unknown_features_are_dropped_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="frontlines.geo.fit_eventloc"):
        fs = build_feature_set([Sentence(0, features=[{"bias": 1.0, "made_up": 2.0}],
                                         positive=[True], hit=[1], pred=[1], gold=1)], NAMES)
    assert fs.X.tolist() == [[1.0, 0.0, 0.0]]
    assert "made_up" in caplog.text


def test_weights_json_round_trips(tmp_path):
    w = {n: 0.0 for n in eventloc.FEATURES}
    w.update({"bias": -1.23456, "prep_in": 0.88888, "role_subj": -0.5})
    rec = make_record(w, 0.4149, training={"data": "toy.jsonl", "sha256": "0" * 64, "rows": "even"},
                      metrics={"train": {"precision": 1.0}})
    path = write_record(tmp_path / "w.json", rec)
    weights, threshold, data = eventloc.load_weights(path)
    assert threshold == 0.415
    assert list(weights) == list(eventloc.FEATURES)
    assert weights["bias"] == -1.2346 and weights["prep_in"] == 0.8889 and weights["role_subj"] == -0.5
    assert data["training"]["rows"] == "even" and data["features_sha1"]
    assert np.allclose(weight_vector(weights), [weights[n] for n in eventloc.FEATURES])
    c = compare(weights, threshold, w, 0.4149, tolerance=0.001)
    assert c["match"] and c["max_weight_diff"] < 1e-4
    assert not compare(weights, threshold, {**w, "prep_in": 0.8}, 0.4149, tolerance=0.05)["match"]


def test_load_weights_rejects_other_files(tmp_path):
    p = tmp_path / "other.json"
    p.write_text(json.dumps({"weights": {}, "threshold": 0.5}))
    with pytest.raises(ValueError):
        eventloc.load_weights(p)


def test_shipped_weights_file_is_the_module_constants():
    weights, threshold, data = eventloc.load_weights()
    assert weights == eventloc.WEIGHTS and threshold == eventloc.THRESHOLD
    assert set(weights) <= set(eventloc.FEATURES)
    assert len(data["training"]["sha256"]) == 64 and data["training"]["rows"] == "even"
    assert 0.0 < threshold < 1.0


def _xor(n: int = 80) -> list[Sentence]:
    """A place when exactly one of prep_in / role_subj fires: no linear model separates it."""
    out = []
    for k in range(n):
        a = k % 2
        b = int((k // 2) % 4 == 0)          # the interaction is rarer than either feature
        pos = bool(a) != bool(b)
        out.append(Sentence(k, features=[{"bias": 1.0, "prep_in": float(a), "role_subj": float(b)}],
                            positive=[pos], hit=[int(pos)], pred=[1], gold=int(pos)))
    return out


def test_boosted_trees_learn_an_interaction_and_round_trip(tmp_path):
    from frontlines.geo.fit_eventloc import boost, model_scores, tree_scores

    fs = build_feature_set(_xor(), NAMES)
    mask = fs.subset("all")
    w, _ = fit(fs, mask, l2=0.01)
    t_lin = balanced_threshold(fs, w, mask)
    assert prf(fs, w, t_lin, mask)["f1"] < 0.9
    trees = boost(fs, mask, w, rounds=30, depth=2, learning_rate=0.3, min_hess=0.5)
    assert trees and all(isinstance(t, (list, float)) for t in trees)
    wt = eventloc.Weights(w, trees)
    t = balanced_threshold(fs, wt, mask)
    assert prf(fs, wt, t, mask)["f1"] == 1.0
    assert boost(fs, mask, w, rounds=30, depth=2, learning_rate=0.3, min_hess=0.5) == trees  # deterministic
    # the dict-based scorer of eventloc gives the numpy scores
    s = model_scores(fs, wt)
    for k in range(len(fs.X)):
        feats = dict(zip(fs.names, fs.X[k]))
        assert eventloc.margin(feats, wt) == pytest.approx(s[k], abs=1e-9)
    # written and read back with the trees; a plain dict scores with the linear part only
    path = write_record(tmp_path / "w.json", make_record(wt, t, training={"rows": "all"}, names=NAMES))
    weights, threshold, data = eventloc.load_weights(path)
    assert weights.trees == trees and len(data["trees"]) == len(trees)
    assert np.allclose(model_scores(fs, weights), s, atol=1e-3)   # weights rounded to 4 digits
    assert np.allclose(model_scores(fs, dict(w)), fs.X @ weight_vector(w, NAMES))
    assert np.allclose(tree_scores(fs, []), 0.0)


def test_trees_on_unknown_features_are_rejected(tmp_path):
    rec = make_record({"bias": 0.0}, 0.5, training={"rows": "even"})
    rec["trees"] = [["made_up", 0.5, -1.0, 1.0]]
    p = write_record(tmp_path / "w.json", rec)
    with pytest.raises(ValueError):
        eventloc.load_weights(p)


def test_score_gradients_match_the_loss():
    from frontlines.geo.fit_eventloc import score_gradients

    fs = build_feature_set(_toy(6), NAMES)
    mask = fs.subset("all")
    w = np.array([0.3, -0.7, 0.2])
    g, h = score_gradients(fs.X @ w, fs, mask)
    _, grad = loss_and_grad(w, fs, mask, 0.0)
    assert np.allclose(fs.X.T @ g / mask.sum(), grad)       # chain rule through s = X w
    assert (h > 0).all()
