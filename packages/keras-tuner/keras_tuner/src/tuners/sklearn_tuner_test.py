# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest
from sklearn import datasets
from sklearn import decomposition
from sklearn import linear_model
from sklearn import metrics
from sklearn import model_selection
from sklearn import pipeline

import keras_tuner as kt


def _build(hp):
    return linear_model.LogisticRegression(
        C=hp.Float("C", 1e-3, 10.0, sampling="log"), max_iter=500
    )


def _tuner(tmp_path, **kwargs):
    return kt.SklearnTuner(
        oracle=kt.oracles.RandomSearchOracle(
            objective=kt.Objective("score", "max"), max_trials=2, seed=0
        ),
        hypermodel=kwargs.pop("hypermodel", _build),
        directory=str(tmp_path),
        **kwargs,
    )


def test_score_is_scikit_learns_cross_validation_score(tmp_path):
    x, y = datasets.load_iris(return_X_y=True)
    tuner = _tuner(tmp_path)
    tuner.search(x, y)
    cv = model_selection.KFold(5, shuffle=True, random_state=1)
    for trial in tuner.oracle.trials.values():
        expected = model_selection.cross_val_score(
            _build(trial.hyperparameters), x, y, cv=cv
        ).mean()
        assert trial.score == pytest.approx(expected, abs=1e-12)
    best = tuner.get_best_models(1)[0]
    assert best.score(x, y) > 0.8


def test_scoring_metrics_groups_and_sample_weight(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 4))
    y = (x[:, 0] > 0).astype(int)
    groups = np.repeat(np.arange(5), 12)
    weight = rng.uniform(0.1, 1.0, size=60)
    tuner = _tuner(
        tmp_path,
        scoring=metrics.make_scorer(metrics.balanced_accuracy_score),
        metrics=[metrics.recall_score],
        cv=model_selection.GroupKFold(5),
    )
    tuner.search(x, y, sample_weight=weight, groups=groups)
    trial = tuner.oracle.get_best_trials(1)[0]
    assert trial.metrics.exists("score") and trial.metrics.exists("recall_score")
    folds = model_selection.GroupKFold(5).split(x, y, groups=groups)
    expected = []
    for train, test in folds:
        model = _build(trial.hyperparameters)
        model.fit(x[train], y[train], sample_weight=weight[train])
        expected.append(
            metrics.balanced_accuracy_score(
                y[test], model.predict(x[test]), sample_weight=weight[test]
            )
        )
    assert trial.score == pytest.approx(np.mean(expected), abs=1e-12)


def test_pipeline_and_pandas(tmp_path):
    pd = pytest.importorskip("pandas")
    x, y = datasets.load_iris(return_X_y=True, as_frame=True)

    def build(hp):
        return pipeline.Pipeline(
            [
                ("pca", decomposition.PCA(hp.Choice("components", [2, 3]))),
                ("clf", _build(hp)),
            ]
        )

    tuner = _tuner(tmp_path, hypermodel=build)
    tuner.search(x, y)
    assert isinstance(x, pd.DataFrame)
    assert tuner.get_best_models(1)[0].score(x, y) > 0.8


def test_lists_are_rejected_up_front(tmp_path):
    tuner = _tuner(tmp_path)
    # A TypeError, and keras-tuner 1.4's RuntimeError.
    for error in (TypeError, RuntimeError):
        with pytest.raises(
            error, match="Expected the data to be numpy.*X of type list"
        ):
            tuner.search([[1.0], [2.0]], np.array([0, 1]))
    assert tuner.oracle.trials == {}


def test_base_tuner_for_models_that_are_not_keras(tmp_path):
    class MyTuner(kt.engine.base_tuner.BaseTuner):
        def run_trial(self, trial, target):
            a = trial.hyperparameters.Float("a", 0.0, 1.0)
            return {"score": -((a - target) ** 2)}

    tuner = MyTuner(
        oracle=kt.oracles.RandomSearchOracle(
            objective=kt.Objective("score", "max"), max_trials=4, seed=0
        ),
        directory=str(tmp_path),
    )
    tuner.search(0.5)
    best = tuner.get_best_hyperparameters(4)
    distances = [abs(hp.get("a") - 0.5) for hp in best]
    assert distances == sorted(distances)
    with pytest.raises(NotImplementedError, match="load_model"):
        tuner.get_best_models()
