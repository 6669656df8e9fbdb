"""The report-level decision's model wrapper and fitter, on hand-made numbers (no model, no ../shared)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from frontlines.events import decide, fit_decide


def record(weights, threshold=0.5):
    return {"format": decide.WEIGHTS_FORMAT, "weights": weights, "threshold": threshold}


def test_a_decider_keeps_what_scores_at_or_above_its_threshold():
    d = decide.Decider(record({"bias": -1.0, "sub_clash": 2.0}, threshold=0.5))
    keep, why = d.keep({"bias": 1.0, "sub_clash": 1.0})
    assert keep and why.startswith("decide:p=0.73")
    keep, why = d.keep({"bias": 1.0})
    assert not keep and why == "decide:below_threshold"


def test_without_weights_every_draft_is_kept(tmp_path):
    d = decide.load_decider(str(tmp_path / "missing.json"))
    assert not d.fitted and d.keep({"bias": 1.0}) == (True, "decide:no_model")


def test_weights_from_another_format_or_unknown_features_are_refused():
    with pytest.raises(ValueError):
        decide.Decider({"format": "something/else", "weights": {}, "threshold": 0.5})
    with pytest.raises(ValueError):
        decide.Decider(record({"no_such_feature": 1.0}))


def test_the_logistic_fit_separates_a_separable_toy_set():
    X = np.array([[1, 0.0], [1, 0.1], [1, 0.9], [1, 1.0]] * 5)
    y = np.array([0, 0, 1, 1] * 5, dtype=float)
    w = fit_decide.fit(X, y, l2=0.1)
    p = fit_decide.predict(w, X)
    assert (p[y == 1] > 0.5).all() and (p[y == 0] < 0.5).all()


def test_folds_split_reports_not_drafts():
    folds = fit_decide.folds_of(["b", "a", "c", "d"], 2)
    assert folds == {"a": 0, "b": 1, "c": 0, "d": 1}
