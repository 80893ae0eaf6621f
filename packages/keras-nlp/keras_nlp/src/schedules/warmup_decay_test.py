# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest

from keras_nlp.src.schedules.warmup_decay import WarmupLinearDecay
from keras_nlp.src.schedules.warmup_decay import WarmupPolynomialDecay


def _reference(step, lr, decay_steps, warmup, end, power):
    # Written from the definition, in plain Python.
    if step < warmup:
        return lr * step / warmup
    t = min(max((step - warmup) / max(decay_steps - warmup, 1), 0.0), 1.0)
    return (lr - end) * (1 - t) ** power + end


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(
            learning_rate=1e-3,
            decay_steps=100,
            warmup_steps=10,
            end_learning_rate=0.0,
            power=1.0,
        ),
        dict(
            learning_rate=5e-4,
            decay_steps=50,
            warmup_steps=0,
            end_learning_rate=1e-5,
            power=2.0,
        ),
        dict(
            learning_rate=2e-5,
            decay_steps=20,
            warmup_steps=20,
            end_learning_rate=0.0,
            power=0.5,
        ),
    ],
)
def test_matches_definition(kwargs):
    schedule = WarmupPolynomialDecay(**kwargs)
    args = [
        kwargs[k]
        for k in (
            "learning_rate",
            "decay_steps",
            "warmup_steps",
            "end_learning_rate",
            "power",
        )
    ]
    for step in range(0, 130, 3):
        np.testing.assert_allclose(
            float(schedule(step)), _reference(step, *args), rtol=1e-5, atol=1e-9
        )


def test_linear_is_polynomial_with_power_one():
    linear = WarmupLinearDecay(1e-3, decay_steps=40, warmup_steps=4)
    poly = WarmupPolynomialDecay(1e-3, decay_steps=40, warmup_steps=4, power=1.0)
    for step in range(45):
        assert float(linear(step)) == pytest.approx(float(poly(step)))
    assert float(linear(4)) == pytest.approx(1e-3)
    assert float(linear(22)) == pytest.approx(5e-4)


def test_serialization_and_use_in_an_optimizer(tmp_path):
    schedule = WarmupLinearDecay(1e-2, decay_steps=10, warmup_steps=2)
    revived = keras.optimizers.schedules.deserialize(
        keras.optimizers.schedules.serialize(schedule)
    )
    assert isinstance(revived, WarmupLinearDecay)
    assert revived.get_config() == schedule.get_config()
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.AdamW(learning_rate=schedule), "mse")
    model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=3, batch_size=2, verbose=0)
    assert float(model.optimizer.learning_rate) == pytest.approx(float(schedule(6)))
    path = tmp_path / "m.keras"
    model.save(path)
    restored = keras.saving.load_model(path, safe_mode=True)
    assert restored.optimizer._learning_rate.get_config() == schedule.get_config()


def test_bad_arguments():
    with pytest.raises(ValueError, match="warmup_steps"):
        WarmupLinearDecay(1e-3, decay_steps=10, warmup_steps=20)
    with pytest.raises(ValueError, match="decay_steps"):
        WarmupLinearDecay(1e-3, decay_steps=0)
    with pytest.raises(ValueError, match="learning_rate"):
        WarmupPolynomialDecay(-1.0, decay_steps=10)
