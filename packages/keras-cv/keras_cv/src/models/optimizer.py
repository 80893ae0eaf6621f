# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The models' default Adam: Keras' Adam with fewer graph ops per step.

Keras' `Adam.update_step` recomputes the step's scalars (the learning rate
cast, `beta ** step` twice, the bias-corrected step size) for every
variable and writes the update as about a dozen element-wise ops: about 40
graph ops per variable, 5,700 of the 13,700 ops of a RetinaNet training
step. Tracing and optimising them is a large part of the first training
step, and each element-wise op is a pass over the variable's memory.
`Adam` here computes those scalars once per `apply` (the same ops in the
same order, so the same values) and updates each dense float variable
with TensorFlow's fused Adam kernel (`ResourceApplyAdam`: Keras' formula
in one op and one pass, also under XLA). The updates equal those of
`keras.optimizers.Adam` up to float32 rounding: the kernel computes
`1 - beta` in float32 where Keras rounds it from Python's double (e.g.
0.10000002 instead of 0.1 for `beta_1=0.9`).
"""

import keras
import tensorflow as tf
from keras import ops


@keras.saving.register_keras_serializable(package="keras_cv")
class Adam(keras.optimizers.Adam):
    """`keras.optimizers.Adam` whose per-step scalars are computed once.

    The same arguments, variables, configuration and updates (up to
    float32 rounding) as `keras.optimizers.Adam`; an `isinstance` of it. In
    a traced training step its update of a variable is one fused op
    (`ResourceApplyAdam`) instead of about 40 ops, the step's scalars being
    built once.
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
        # The scalars of Keras' `Adam.update_step`, computed the same way.
        lr = ops.cast(learning_rate, dtype)
        local_step = ops.cast(self.iterations + 1, dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), local_step)
        beta_2_power = ops.power(ops.cast(self.beta_2, dtype), local_step)
        scalars = (
            lr,
            beta_1_power,
            beta_2_power,
            ops.convert_to_tensor(self.beta_1, dtype),
            ops.convert_to_tensor(self.beta_2, dtype),
            ops.convert_to_tensor(self.epsilon, dtype),
        )
        if cache is not None:
            cache[key] = scalars
        return scalars

    def update_step(self, gradient, variable, learning_rate):
        """Keras' Adam update of one variable in TensorFlow's fused kernel,
        with the step's scalars computed once per `apply`."""
        if (
            self.amsgrad
            or tf.executing_eagerly()
            or isinstance(gradient, tf.IndexedSlices)
            or keras.backend.standardize_dtype(variable.dtype) not in _FUSED_DTYPES
            # Under a tf.distribute strategy, Keras' own update (the
            # replicas' variables are updated through the strategy).
            or tf.distribute.has_strategy()
        ):
            return super().update_step(gradient, variable, learning_rate)
        lr, beta_1_power, beta_2_power, beta_1, beta_2, epsilon = self._scalars(
            learning_rate, variable.dtype
        )
        index = self._get_variable_index(variable)
        # lr * sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + epsilon),
        # with m and v updated first, as in Keras' `Adam.update_step`.
        tf.raw_ops.ResourceApplyAdam(
            var=variable.handle,
            m=self._momentums[index].handle,
            v=self._velocities[index].handle,
            beta1_power=beta_1_power,
            beta2_power=beta_2_power,
            lr=lr,
            beta1=beta_1,
            beta2=beta_2,
            epsilon=epsilon,
            grad=ops.cast(gradient, variable.dtype),
        )


# The variable dtypes of TensorFlow's fused Adam kernel on every device.
_FUSED_DTYPES = ("float16", "bfloat16", "float32", "float64")
