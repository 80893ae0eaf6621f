# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The models' default Adam: Keras' Adam with fewer graph ops per step.

Keras' `Adam.update_step` recomputes the step's scalars (the learning rate
cast, `beta ** step` twice, the bias-corrected step size) for every
variable: about 40 graph ops per variable, 5,700 of the 13,700 ops of a
RetinaNet training step. Tracing and optimising them is a large part of
the first training step. `Adam` here computes those scalars once per
`apply` (the same ops in the same order, so the same values) and leaves
the per-variable update as Keras writes it: the updates are those of
`keras.optimizers.Adam`, bit for bit.
"""

import keras
import tensorflow as tf
from keras import ops


@keras.saving.register_keras_serializable(package="keras_cv")
class Adam(keras.optimizers.Adam):
    """`keras.optimizers.Adam` whose per-step scalars are computed once.

    The same arguments, variables, configuration and updates as
    `keras.optimizers.Adam`; an `isinstance` of it. In a traced training
    step it creates about 18 ops per variable instead of about 40.
    """

    def apply(self, grads, trainable_variables=None):
        # The scalars depend on `iterations`, which `apply` increments at
        # its end: they are valid during one `apply` only.
        self._step_scalars = {}
        try:
            return super().apply(grads, trainable_variables)
        finally:
            self._step_scalars = None

    def _scalars(self, learning_rate, dtype):
        cache = getattr(self, "_step_scalars", None)
        key = (id(learning_rate), dtype, tf.compat.v1.get_default_graph())
        if cache is not None and key in cache:
            return cache[key]
        # Keras' `Adam.update_step`, verbatim.
        lr = ops.cast(learning_rate, dtype)
        local_step = ops.cast(self.iterations + 1, dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), local_step)
        beta_2_power = ops.power(ops.cast(self.beta_2, dtype), local_step)
        alpha = lr * ops.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        scalars = (
            alpha,
            ops.convert_to_tensor(1 - self.beta_1, dtype),
            ops.convert_to_tensor(1 - self.beta_2, dtype),
            ops.convert_to_tensor(self.epsilon, dtype),
        )
        if cache is not None:
            cache[key] = scalars
        return scalars

    def update_step(self, gradient, variable, learning_rate):
        """Keras' Adam update of one variable, with the step's scalars
        computed once per `apply`."""
        if self.amsgrad or tf.executing_eagerly():
            return super().update_step(gradient, variable, learning_rate)
        alpha, one_minus_beta_1, one_minus_beta_2, epsilon = self._scalars(
            learning_rate, variable.dtype
        )
        gradient = ops.cast(gradient, variable.dtype)
        m = self._momentums[self._get_variable_index(variable)]
        v = self._velocities[self._get_variable_index(variable)]
        self.assign_add(m, ops.multiply(ops.subtract(gradient, m), one_minus_beta_1))
        self.assign_add(
            v,
            ops.multiply(ops.subtract(ops.square(gradient), v), one_minus_beta_2),
        )
        self.assign_sub(
            variable,
            ops.divide(ops.multiply(m, alpha), ops.add(ops.sqrt(v), epsilon)),
        )
