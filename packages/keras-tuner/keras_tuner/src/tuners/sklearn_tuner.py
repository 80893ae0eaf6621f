# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`SklearnTuner`: cross-validated search over scikit-learn models.

scikit-learn is an optional dependency (`pip install keras-tuner[sklearn]`);
it is imported only when a `SklearnTuner` is created.
"""

import collections
import os
import pickle

import numpy as np

from keras_core import api_export
from keras_tuner.src.engine.tuner import BaseTuner

RFC = "20261122-keras-tuner-end-to-end-workflows"
MODEL_FILE = "model.pickle"


class DataTypeError(TypeError, RuntimeError):
    """Data of a type `SklearnTuner` cannot split: a `TypeError` that is
    also keras-tuner 1.4's `RuntimeError`."""


def _import_sklearn():
    try:
        import sklearn.model_selection  # noqa: F401
        import sklearn.pipeline  # noqa: F401
    except ImportError as error:
        raise ImportError(
            "`SklearnTuner` needs scikit-learn, which is not installed. Please "
            'install sklearn with `pip install "keras-tuner[sklearn]"` (or '
            "`pip install scikit-learn`)."
        ) from error
    return sklearn


def _is_dataframe(data):
    return type(data).__module__.startswith("pandas") and hasattr(data, "iloc")


def _check_data(name, data, optional=False):
    if data is None and optional:
        return
    if isinstance(data, np.ndarray) or _is_dataframe(data):
        return
    raise DataTypeError(
        f"Expected the data to be numpy arrays or pandas DataFrames/Series. "
        f"Received: {name} of type {type(data).__name__}. Convert it with "
        f"`np.asarray({name})`."
    )


def _take(data, indices):
    if data is None:
        return None
    if _is_dataframe(data):
        return data.iloc[indices]
    return data[indices]


@api_export(
    ["keras_tuner.SklearnTuner", "keras_tuner.tuners.SklearnTuner"],
    stability="experimental",
)
class SklearnTuner(BaseTuner):
    """Searches the hyperparameters of a scikit-learn model (or pipeline).

    Each trial builds a model with `hypermodel(hp)` and scores it by
    cross-validation: it is fitted on the training part of each split of
    `cv` and scored on the rest; the trial's `score` is the mean over the
    splits (as are the extra `metrics`). The model of the last split is
    kept (pickled in the trial directory) for `get_best_models()`. Needs
    scikit-learn (`pip install keras-tuner[sklearn]`).

    Args:
        oracle: the search algorithm, e.g.
            `kt.oracles.BayesianOptimizationOracle(objective=kt.Objective(
            "score", "max"), max_trials=10)`. Its objective is usually
            "score" (maximised).
        hypermodel: a `kt.HyperModel` or function `build(hp)` returning an
            unfitted scikit-learn estimator or `Pipeline`.
        scoring: optional scorer `scoring(model, x, y, sample_weight=...)`
            (e.g. `sklearn.metrics.make_scorer(...)`); default
            `model.score`.
        metrics: optional metric function or list of them,
            `metric(y_true, y_pred, sample_weight=...)`, recorded under their
            `__name__`.
        cv: a scikit-learn splitter; default `KFold(5, shuffle=True,
            random_state=1)`.
        **kwargs: `kt.Tuner` arguments (`directory`, `project_name`,
            `overwrite`, ...).

    Examples:

    ```python
    import tempfile
    import numpy as np
    import keras_tuner as kt
    from sklearn import linear_model

    def build(hp):
        return linear_model.Ridge(alpha=hp.Float("alpha", 1e-3, 10, sampling="log"))

    x = np.random.rand(40, 3)
    y = x @ np.array([1.0, -2.0, 0.5])
    tuner = kt.SklearnTuner(
        oracle=kt.oracles.RandomSearchOracle(
            objective=kt.Objective("score", "max"), max_trials=3
        ),
        hypermodel=build,
        directory=tempfile.mkdtemp(),
    )
    tuner.search(x, y)
    best = tuner.get_best_models()[0]
    ```
    """

    def __init__(
        self, oracle, hypermodel, scoring=None, metrics=None, cv=None, **kwargs
    ):
        sklearn = _import_sklearn()
        if hypermodel is None:
            raise ValueError(
                "`SklearnTuner` needs a `hypermodel`: a function `build(hp)` "
                "returning a scikit-learn estimator. Received `hypermodel=None`."
            )
        super().__init__(oracle=oracle, hypermodel=hypermodel, **kwargs)
        self.scoring = scoring
        if metrics is None:
            metrics = []
        elif callable(metrics):
            metrics = [metrics]
        self.metrics = list(metrics)
        if cv is None:
            cv = sklearn.model_selection.KFold(5, shuffle=True, random_state=1)
        self.cv = cv

    def search(self, X, y, sample_weight=None, groups=None):
        """Runs the search on `X`, `y` (numpy arrays or pandas objects).

        Args:
            X: the features.
            y: the targets.
            sample_weight: optional weights, passed to `fit` (except for
                pipelines) and to the scoring.
            groups: optional group labels for group-aware splitters such
                as `GroupKFold`.
        """
        _check_data("X", X)
        _check_data("y", y)
        _check_data("sample_weight", sample_weight, optional=True)
        return super().search(X, y, sample_weight=sample_weight, groups=groups)

    def run_trial(self, trial, X, y, sample_weight=None, groups=None):
        """Cross-validates one configuration; returns its mean metrics."""
        import sklearn.pipeline

        results = collections.defaultdict(list)
        split_kwargs = {"groups": groups} if groups is not None else {}
        model = None
        for train, test in self.cv.split(X, y, **split_kwargs):
            model = self.hypermodel.build(trial.hyperparameters)
            weight_train = _take(sample_weight, train)
            weight_test = _take(sample_weight, test)
            if weight_train is None or isinstance(model, sklearn.pipeline.Pipeline):
                model.fit(_take(X, train), _take(y, train))
            else:
                model.fit(_take(X, train), _take(y, train), sample_weight=weight_train)
            x_test, y_test = _take(X, test), _take(y, test)
            if self.scoring is None:
                score = model.score(x_test, y_test, sample_weight=weight_test)
            else:
                score = self.scoring(model, x_test, y_test, sample_weight=weight_test)
            results["score"].append(score)
            if self.metrics:
                predictions = model.predict(x_test)
                for metric in self.metrics:
                    results[metric.__name__].append(
                        metric(y_test, predictions, sample_weight=weight_test)
                    )
        if model is None:
            raise ValueError(
                f"The splitter `cv`={self.cv!r} produced no split of the data."
            )
        self.save_model(trial.trial_id, model)
        return {name: float(np.mean(values)) for name, values in results.items()}

    def save_model(self, trial_id, model, step=0):
        """Pickles `model` in the directory of trial `trial_id`."""
        path = os.path.join(self.get_trial_dir(trial_id), MODEL_FILE)
        with open(path, "wb") as f:
            pickle.dump(model, f)

    def load_model(self, trial):
        """The model kept for `trial` (fitted on the last split)."""
        path = os.path.join(self.get_trial_dir(trial.trial_id), MODEL_FILE)
        with open(path, "rb") as f:
            return pickle.load(f)
