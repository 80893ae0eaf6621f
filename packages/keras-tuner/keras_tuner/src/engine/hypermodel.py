# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`HyperModel`: how to build and train a model for given hyperparameters."""

from keras_core import api_export

RFC = "20261122-keras-tuner-end-to-end-workflows"


@api_export(
    ["keras_tuner.HyperModel", "keras_tuner.engine.hypermodel.HyperModel"],
    stability="stable",
    rfc=RFC,
)
class HyperModel:
    """Builds (and optionally trains) a model from hyperparameters.

    Override `build(hp)` to return a compiled `keras.Model`. Override
    `fit(hp, model, *args, **kwargs)` to tune preprocessing or training as
    well: whatever `tuner.search(...)` receives arrives in `fit`, along
    with `callbacks` that checkpoint the best epoch and log to TensorBoard.
    `fit` returns a `History`, a dict of metrics or a single number.
    Hyperparameters declared in `build` are read in `fit` with `hp.get`.
    After the search, retrain with any hyperparameters by calling
    `build(hp)` then `fit(hp, model, ...)` yourself.

    Args:
        name: optional name.
        tunable: whether the hyperparameters declared in `build` are searched.

    Example:

    ```python
    class MyHyperModel(kt.HyperModel):
        def build(self, hp):
            model = keras.Sequential([
                keras.layers.Dense(hp.Int("units", 8, 32, step=8), activation="relu"),
                keras.layers.Dense(1),
            ])
            model.compile(loss="mse", metrics=["mae"])
            return model

        def fit(self, hp, model, x, y, **kwargs):
            if hp.Boolean("standardize"):
                x = (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-7)
            return model.fit(x, y, batch_size=hp.Choice("batch_size", [16, 32]), **kwargs)

    tuner = kt.RandomSearch(MyHyperModel(), objective="val_mae", max_trials=3)
    tuner.search(x, y, validation_split=0.2, epochs=2)
    ```
    """

    def __init__(self, name=None, tunable=True):
        self.name = name
        self.tunable = tunable

    def build(self, hp):
        """Returns a `keras.Model` for the hyperparameters `hp`."""
        raise NotImplementedError(
            f"{type(self).__name__}.build(hp) is not implemented. Override it to "
            "return a compiled `keras.Model`."
        )

    def declare_hyperparameters(self, hp):
        if self.tunable:
            self.build(hp)

    def fit(self, hp, model, *args, **kwargs):
        """Trains `model`; by default `model.fit(*args, **kwargs)`."""
        return model.fit(*args, **kwargs)


class DefaultHyperModel(HyperModel):
    """Wraps a `build(hp)` function into a `HyperModel`."""

    def __init__(self, build, name=None, tunable=True):
        super().__init__(name=name, tunable=tunable)
        self._build_fn = build

    def build(self, hp):
        return self._build_fn(hp)


def get_hypermodel(hypermodel):
    if hypermodel is None or isinstance(hypermodel, HyperModel):
        return hypermodel
    if callable(hypermodel):
        return DefaultHyperModel(hypermodel)
    raise TypeError(
        "`hypermodel` must be a `kt.HyperModel`, a function `build(hp)` returning a "
        f"compiled model, or None. Received: {hypermodel!r}."
    )
