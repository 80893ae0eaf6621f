# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import pytest

from keras_tuner.src.engine.objective import MultiObjective
from keras_tuner.src.engine.objective import Objective
from keras_tuner.src.engine.objective import create_objective
from keras_tuner.src.engine.objective import infer_direction


@pytest.mark.parametrize(
    "name,direction",
    [
        ("val_accuracy", "max"),
        ("accuracy", "max"),
        ("val_auc", "max"),
        ("val_precision", "max"),
        ("val_loss", "min"),
        ("loss", "min"),
        ("val_mae", "min"),
        ("mse", "min"),
        ("val_mean_absolute_error", "min"),
        ("val_sparse_categorical_crossentropy", "min"),
        ("val_sparse_categorical_accuracy", "max"),
    ],
)
def test_direction_inferred_from_metric_name(name, direction):
    assert infer_direction(name) == direction
    assert create_objective(name) == Objective(name, direction)


def test_unknown_direction_and_bad_objectives():
    assert infer_direction("my_metric") is None
    with pytest.raises(
        ValueError, match="kt.Objective\\('my_metric', direction='min'\\)"
    ):
        create_objective("my_metric")
    with pytest.raises(ValueError, match="'min' or 'max'"):
        Objective("score", "up")
    with pytest.raises(TypeError, match="Received: 3"):
        create_objective(3)


def test_better_than_and_multi_objective():
    maximise = Objective("val_accuracy", "max")
    assert maximise.better_than(0.9, 0.8) and not maximise.better_than(0.8, 0.9)
    assert maximise.better_than(0.1, None)
    multi = create_objective(["val_loss", Objective("val_accuracy", "max")])
    assert isinstance(multi, MultiObjective) and multi.direction == "min"
    assert multi.get_value({"val_loss": 0.5, "val_accuracy": 0.75}) == pytest.approx(
        -0.25
    )
    assert not multi.has_value({"val_loss": 0.5})
    assert Objective.from_config(multi.get_config()) == multi
    assert create_objective(None).name == "default_objective"
