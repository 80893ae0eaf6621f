# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Learning-rate schedules used to train BERT: linear warmup, then decay."""

import keras
from keras import ops

from keras_core import api_export
from keras_nlp.src.tokenizers.tokenizer import RFC


def _check(name, value, minimum=0, integer=False):
    kind = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kind) or value < minimum:
        raise ValueError(
            f"`{name}` must be a{'n int' if integer else ' number'} >= {minimum}. "
            f"Received: {name}={value!r}."
        )


@api_export("keras_nlp.schedules.WarmupPolynomialDecay", stability="stable", rfc=RFC)
class WarmupPolynomialDecay(keras.optimizers.schedules.LearningRateSchedule):
    """Linear warmup to a peak learning rate, then polynomial decay.

    For `step < warmup_steps` the rate grows linearly from 0 to
    `learning_rate` (reached at `step == warmup_steps`). Afterwards it
    decays from `learning_rate` to `end_learning_rate` over
    `decay_steps - warmup_steps` steps as
    `(lr - end) * (1 - t) ** power + end`, `t` the fraction of decay steps
    done, and stays at `end_learning_rate` after `decay_steps`. With
    `power=1.0` this is BERT's linear decay.

    Args:
        learning_rate: float. Peak learning rate.
        decay_steps: int. Step at which the rate reaches `end_learning_rate`
            (total training steps, warmup included).
        warmup_steps: int. Number of linear warmup steps (0 for none).
        end_learning_rate: float. Final learning rate.
        power: float. Exponent of the decay (1.0 is linear).

    Examples:

    >>> schedule = keras_nlp.schedules.WarmupPolynomialDecay(
    ...     learning_rate=1e-3, decay_steps=100, warmup_steps=10)
    >>> [round(float(schedule(s)), 6) for s in (0, 5, 10, 55, 100, 200)]
    [0.0, 0.0005, 0.001, 0.0005, 0.0, 0.0]
    >>> optimizer = keras.optimizers.AdamW(learning_rate=schedule)
    """

    def __init__(
        self,
        learning_rate,
        decay_steps,
        warmup_steps=0,
        end_learning_rate=0.0,
        power=1.0,
        name=None,
    ):
        super().__init__()
        _check("learning_rate", learning_rate)
        _check("end_learning_rate", end_learning_rate)
        _check("warmup_steps", warmup_steps, integer=True)
        _check("decay_steps", decay_steps, minimum=1, integer=True)
        _check("power", power)
        if warmup_steps > decay_steps:
            raise ValueError(
                f"`warmup_steps` ({warmup_steps}) must not exceed `decay_steps` "
                f"({decay_steps}), the total number of steps. Lower the warmup "
                "(BERT warms up over about 10% of training)."
            )
        self.learning_rate = float(learning_rate)
        self.decay_steps = int(decay_steps)
        self.warmup_steps = int(warmup_steps)
        self.end_learning_rate = float(end_learning_rate)
        self.power = float(power)
        self.name = name

    def __call__(self, step):
        step = ops.cast(step, "float32")
        peak = self.learning_rate
        warmup = float(self.warmup_steps)
        if self.warmup_steps > 0:
            warmup_rate = peak * step / warmup
        else:
            warmup_rate = ops.convert_to_tensor(peak, "float32")
        span = max(float(self.decay_steps - self.warmup_steps), 1.0)
        done = ops.clip((step - warmup) / span, 0.0, 1.0)
        decayed = (peak - self.end_learning_rate) * ops.power(
            1.0 - done, self.power
        ) + self.end_learning_rate
        return ops.where(step < warmup, warmup_rate, decayed)

    def get_config(self):
        return {
            "learning_rate": self.learning_rate,
            "decay_steps": self.decay_steps,
            "warmup_steps": self.warmup_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "name": self.name,
        }


@api_export("keras_nlp.schedules.WarmupLinearDecay", stability="stable", rfc=RFC)
class WarmupLinearDecay(WarmupPolynomialDecay):
    """Linear warmup, then linear decay: BERT's fine-tuning schedule.

    The same as `WarmupPolynomialDecay` with `power=1.0`.

    Args:
        learning_rate: float. Peak learning rate.
        decay_steps: int. Total number of steps (warmup included).
        warmup_steps: int. Number of linear warmup steps.
        end_learning_rate: float. Final learning rate.

    Examples:

    >>> schedule = keras_nlp.schedules.WarmupLinearDecay(
    ...     learning_rate=2e-5, decay_steps=1000, warmup_steps=100)
    >>> round(float(schedule(100)), 8)
    2e-05
    """

    def __init__(
        self,
        learning_rate,
        decay_steps,
        warmup_steps=0,
        end_learning_rate=0.0,
        name=None,
    ):
        super().__init__(
            learning_rate,
            decay_steps,
            warmup_steps=warmup_steps,
            end_learning_rate=end_learning_rate,
            power=1.0,
            name=name,
        )

    def get_config(self):
        config = super().get_config()
        config.pop("power")
        return config
