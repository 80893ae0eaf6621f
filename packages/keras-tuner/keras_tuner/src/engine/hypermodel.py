# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`HyperModel`: how to build and train a model for given hyperparameters."""

from keras_core import api_export
from keras_tuner.src.engine import errors

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

    Examples:

    ```python
    import tempfile
    import keras
    import numpy as np
    import keras_tuner as kt

    class MyHyperModel(kt.HyperModel):
        def build(self, hp):
            model = keras.Sequential([
                keras.Input((2,)),
                keras.layers.Dense(hp.Int("units", 2, 4, step=2), activation="relu"),
                keras.layers.Dense(1),
            ])
            model.compile(optimizer="adam", loss="mse")
            return model

        def fit(self, hp, model, x, y, **kwargs):
            batch_size = hp.Choice("batch_size", [4, 8])
            return model.fit(x, y, batch_size=batch_size, **kwargs)

    x = np.random.rand(16, 2).astype("float32")
    y = x.sum(axis=1)
    tuner = kt.RandomSearch(MyHyperModel(), objective="loss", max_trials=2,
                            directory=tempfile.mkdtemp(), project_name="demo")
    tuner.search(x, y, epochs=1, verbose=0)
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
        # A subclass may skip `HyperModel.__init__` (keras-tuner 1.4 allowed it).
        if getattr(self, "tunable", True):
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
    raise errors.InvalidArgumentError(
        "The `hypermodel` argument should be either a `kt.HyperModel`, a function "
        f"`build(hp)` returning a compiled model, or None. Received: {hypermodel!r}."
    )
