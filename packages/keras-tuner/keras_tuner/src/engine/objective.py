# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""What a search optimises: a metric name and a direction."""

import json
import math
import re

from keras_core import api_export

RFC = "20261122-keras-tuner-end-to-end-workflows"
DEFAULT_NAME = "default_objective"

# Metric names (without a `val_` prefix) and the direction that improves them.
_MAXIMISED = re.compile(
    r"(acc|accuracy|auc|precision|recall|f1|fbeta|iou|r2|r_squared|map|"
    r"top_k|sensitivity|specificity|reward|psnr|ssim|bleu|rouge|"
    r"true_positives|true_negatives)",
)
_MINIMISED = re.compile(
    r"(loss|error|mae|mse|mape|msle|rmse|crossentropy|hinge|kld|"
    r"kullback_leibler_divergence|poisson|logcosh|huber|regret|perplexity|"
    r"false_positives|false_negatives)",
)


def infer_direction(name):
    """`"min"` or `"max"` for a Keras metric name, or None if unknown."""
    base = name[4:] if name.startswith("val_") else name
    base = base.lower()
    if base.startswith("weighted_"):
        base = base[len("weighted_") :]
    if base == "ce":  # Keras' short name of a crossentropy
        return "min"
    if _MINIMISED.search(base):
        return "min"
    if _MAXIMISED.search(base):
        return "max"
    return None


@api_export(
    "keras_tuner.engine.metrics_tracking.infer_metric_direction",
    stability="experimental",
)
def infer_metric_direction(metric):
    """Whether a metric improves downwards (`"min"`) or upwards (`"max"`).

    Args:
        metric: a metric name (`"val_accuracy"`), a Keras metric or loss
            function (`keras.metrics.binary_crossentropy`), or a Keras
            `Metric`/`Loss` object.

    Returns:
        `"min"`, `"max"`, or None when the name does not tell (give such an
        objective as `kt.Objective(name, direction)`). Every Keras `Loss`
        is `"min"`.

    Examples:

    >>> import keras_tuner as kt
    >>> kt.engine.metrics_tracking.infer_metric_direction("val_acc")
    'max'
    >>> print(kt.engine.metrics_tracking.infer_metric_direction("my_metric"))
    None
    """
    if isinstance(metric, str):
        return infer_direction(metric)
    import keras

    if isinstance(metric, keras.losses.Loss):
        return "min"
    if isinstance(metric, keras.metrics.Metric):
        return infer_direction(metric.name)
    name = getattr(metric, "__name__", None)
    if callable(metric) and name:
        return infer_direction(name)
    raise TypeError(
        "`metric` must be a metric name, a Keras metric or loss function, or a "
        f"Keras `Metric`/`Loss` object. Received: {metric!r} of type "
        f"{type(metric).__name__}."
    )


@api_export(
    [
        "keras_tuner.Objective",
        "keras_tuner.engine.objective.Objective",
        "keras_tuner.engine.oracle.Objective",
    ],
    stability="stable",
    rfc=RFC,
)
class Objective:
    """The metric a search optimises and whether to minimise or maximise it.

    Pass an `Objective` (or just a metric name, whose direction is inferred:
    `"val_accuracy"` is maximised, `"val_loss"` and `"val_mae"` minimised)
    as the `objective` of a tuner. For a metric the name does not reveal,
    such as a custom `"score"`, give the direction explicitly.

    Args:
        name: the metric name, as it appears in `History.history`, in the
            dict your `run_trial` returns, or in `model.fit` logs.
        direction: `"min"` or `"max"`.

    Examples:

    >>> objective = Objective("val_f1", direction="max")
    >>> objective.better_than(0.9, 0.8)
    True
    """

    def __init__(self, name, direction):
        if not isinstance(name, str) or not name:
            raise TypeError(
                f"`Objective.name` must be a non-empty metric name. Received: {name!r}."
            )
        if direction not in ("min", "max"):
            raise ValueError(
                f"`Objective.direction` must be 'min' or 'max'. Received: "
                f"direction={direction!r} for '{name}'."
            )
        self.name = name
        self.direction = direction

    def has_value(self, logs):
        return self.name in logs

    def get_value(self, logs):
        return logs[self.name]

    def better_than(self, a, b):
        """Whether score `a` is strictly better than score `b`."""
        if b is None or (isinstance(b, float) and math.isnan(b)):
            return a is not None
        if a is None or (isinstance(a, float) and math.isnan(a)):
            return False
        return a < b if self.direction == "min" else a > b

    def to_loss(self, value):
        """The value as a quantity to minimise."""
        return value if self.direction == "min" else -value

    def get_config(self):
        return {"name": self.name, "direction": self.direction}

    @classmethod
    def from_config(cls, config):
        if "objectives" in config:
            return MultiObjective([cls.from_config(c) for c in config["objectives"]])
        return cls(**config)

    def __eq__(self, other):
        if isinstance(other, str):
            return other == self.name
        return (
            type(other) is type(self)
            and other.name == self.name
            and other.direction == self.direction
        )

    def __hash__(self):
        return hash((self.name, self.direction))

    def __repr__(self):
        # Double quotes, as keras-tuner 1.4 prints it (JSON escapes keep it
        # unambiguous for any name).
        return (
            f"Objective(name={json.dumps(self.name)}, "
            f"direction={json.dumps(self.direction)})"
        )


@api_export(["keras_tuner.engine.objective.MultiObjective"], stability="experimental")
class MultiObjective(Objective):
    """Several objectives optimised together through their sum.

    Maximised objectives enter the sum negated, so the combined score is
    always minimised. Created for you when a tuner receives a list.

    Args:
        objectives: list of `Objective`.

    Examples:

    >>> import keras_tuner as kt
    >>> objective = kt.Objective("val_loss", direction="min")
    >>> objective.direction
    'min'
    """

    def __init__(self, objectives):
        self.objectives = list(objectives)
        super().__init__("multi_objective", "min")

    def has_value(self, logs):
        return all(o.name in logs for o in self.objectives)

    def get_value(self, logs):
        return float(sum(o.to_loss(float(logs[o.name])) for o in self.objectives))

    def get_config(self):
        return {"objectives": [o.get_config() for o in self.objectives]}

    def __eq__(self, other):
        return isinstance(other, MultiObjective) and other.objectives == self.objectives

    def __hash__(self):
        return hash(tuple(self.objectives))

    def __repr__(self):
        return f"MultiObjective({self.objectives!r})"


def create_objective(objective):
    """Normalises what a user passes as `objective` into an `Objective`."""
    if objective is None:
        return Objective(DEFAULT_NAME, "min")
    if isinstance(objective, Objective):
        return objective
    if isinstance(objective, (list, tuple)):
        objectives = [create_objective(o) for o in objective]
        if len(objectives) == 1:
            return objectives[0]
        return MultiObjective(objectives)
    if isinstance(objective, str):
        direction = infer_direction(objective)
        if direction is None:
            raise ValueError(
                f"Could not infer optimization direction (cannot tell whether the "
                f"objective '{objective}' should be minimised or maximised) from its "
                "name. Pass "
                f"`kt.Objective('{objective}', direction='min')` (or 'max')."
            )
        return Objective(objective, direction)
    raise TypeError(
        "`objective` must be a metric name, a `kt.Objective`, or a list of them. "
        f"Received: {objective!r} of type {type(objective).__name__}."
    )
