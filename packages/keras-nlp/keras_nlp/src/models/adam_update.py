# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Keras' Adam and AdamW updates with the step's scalars computed once.

`keras.optimizers.Adam.update_step` recomputes the step's scalars (the
learning-rate cast, `beta ** step` twice, the bias-corrected step size)
for every variable: 36 graph ops per variable, 1,486 of the 3,293 ops of
a traced BERT fine-tuning step (issue 30), and tracing and optimising
graph ops is most of a first training step. `scalars_once(optimizer)`
gives a Keras `Adam` or `AdamW` instance an `update_step` that computes those
scalars once per `apply` (the same ops in the same order, so the same
values) and updates each variable with Keras' own element-wise formula:
the updates are those of `keras.optimizers.Adam` bit for bit
(`adam_update_test.py` checks it, which also pins the Keras members used
here: `_momentums`, `_velocities`, `_get_variable_index`). keras-cv's
`Adam` does the same as a subclass; keras-nlp cannot import keras-cv,
and a shared copy would be new keras-core API (an RFC).

TensorFlow's fused `ResourceApplyAdam` kernel would take one op per
variable, but it subtracts `1 - beta_2` in float32 (0.00099998712 for
0.999, where Keras has 0.0010000000475): the second moments differ from
Keras' by 1.3e-5 relatively, beyond float rounding, so it is not used.
Updating the variables of one shape as a stacked group (2,222 instead of
2,493 ops in that step, bit-exact without XLA) was tried and dropped: the
stack and unstack copies cost more CPU per step than the ops saved (0.34
against 0.30 CPU seconds per step, measured under load).

Each variable's element-wise update is one call of a `tf.function` traced
once per dtype (per process), on the resource handles of the variable and
its moments: a traced BERT training step holds 41 calls instead of 41
copies of the ~17 update ops (770 to about 170 ops in the `finetune_step`
benchmark's step; tracing the update of 42 BERT-shaped variables took about
0.1 instead of 0.28 CPU seconds, measured under load). TensorFlow inlines
the calls when it optimises the step, so the graph that runs is unchanged.
Under a `tf.distribute` strategy (mirrored variables), with a sparse
gradient or mixed dtypes the update is traced inline as before.

The optimizer keeps its class, configuration, variables and saved form;
only the instance's `update_step` and `apply` are replaced. Where the
cached scalars do not apply (AMSGrad, eager updates) Keras' own
`update_step` runs.
"""

import types

import keras
import tensorflow as tf
from keras import ops


def scalars_once(optimizer):
    """Gives `optimizer` the update with once-per-step scalars if it is
    exactly Keras' `Adam` or `AdamW` (also inside a `LossScaleOptimizer`);
    returns `optimizer`. Idempotent.

    Subclasses keep their own `update_step`: they may have changed it.
    A copy made with `from_config` is a plain Keras optimizer again.
    """
    inner = optimizer
    if type(inner) is keras.optimizers.LossScaleOptimizer:
        inner = inner.inner_optimizer
    if type(inner) not in (keras.optimizers.Adam, keras.optimizers.AdamW):
        return optimizer
    if inner.__dict__.get("update_step") is not None:
        return optimizer  # already done
    inner.apply = types.MethodType(apply, inner)
    inner.update_step = types.MethodType(update_step, inner)
    return optimizer


def apply(self, grads, trainable_variables=None):
    """Keras' `apply`, with a cache for the step's scalars.

    The scalars depend on `iterations`, which `apply` increments at its
    end: they are valid during one `apply` only.
    """
    self.__dict__["_step_scalars_cache"] = {}
    try:
        return type(self).apply(self, grads, trainable_variables)
    finally:
        self.__dict__["_step_scalars_cache"] = None


def step_scalars(self, learning_rate, dtype):
    """`(alpha, 1 - beta_1, 1 - beta_2, epsilon)` in `dtype`, computed as
    Keras' `Adam.update_step` computes them, once per `apply`."""
    cache = self.__dict__.get("_step_scalars_cache")
    key = (id(learning_rate), dtype, tf.compat.v1.get_default_graph())
    if cache is not None and key in cache:
        return cache[key]
    # Keras' `Adam.update_step` (3.x), verbatim.
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
        return type(self).update_step(self, gradient, variable, learning_rate)
    alpha, one_minus_beta_1, one_minus_beta_2, epsilon = step_scalars(
        self, learning_rate, variable.dtype
    )
    index = self._get_variable_index(variable)
    m = self._momentums[index]
    v = self._velocities[index]
    handles = _handles(gradient, variable, m, v)
    if handles is not None:
        _element_update(variable.dtype)(
            gradient, *handles, alpha, one_minus_beta_1, one_minus_beta_2, epsilon
        )
        return
    gradient = ops.cast(gradient, variable.dtype)
    self.assign_add(m, ops.multiply(ops.subtract(gradient, m), one_minus_beta_1))
    self.assign_add(
        v, ops.multiply(ops.subtract(ops.square(gradient), v), one_minus_beta_2)
    )
    self.assign_sub(
        variable, ops.divide(ops.multiply(m, alpha), ops.add(ops.sqrt(v), epsilon))
    )


# One traced function per variable dtype, shared by every optimizer of the
# process: the element-wise update of one variable, on resource handles.
_ELEMENT_UPDATES = {}


def _handles(gradient, variable, m, v):
    """The resource handles of `variable` and its moments, when the
    element-wise update can run as one function call: a dense gradient of
    the variable's dtype, outside a `tf.distribute` strategy (whose
    mirrored variables update through Keras' own path). Else None."""
    if tf.distribute.has_strategy() or not isinstance(gradient, tf.Tensor):
        return None
    dtype = tf.as_dtype(variable.dtype)
    if any(tf.as_dtype(x.dtype) != dtype for x in (gradient, m, v)):
        return None
    handles = (variable.handle, m.handle, v.handle)
    if any(h.dtype != tf.resource for h in handles):
        return None
    return handles


def _element_update(dtype):
    """A `tf.function` running Keras' Adam update of one variable on the
    handles of the variable and its moments, with the step's scalars.

    The same ops in the same order as `update_step`'s Keras path (reads,
    `Sub`, `Mul`, `AssignAddVariableOp`, ...), so the same values. Called
    once per variable, it is traced once per dtype instead of tracing ~17
    ops per variable into every training step (issue 30); TensorFlow
    inlines the calls when it optimises the step, so the graph that runs
    is the same.
    """
    dtype = tf.as_dtype(dtype)
    function = _ELEMENT_UPDATES.get(dtype.name)
    if function is not None:
        return function
    scalar = tf.TensorSpec([], dtype)
    handle = tf.TensorSpec([], tf.resource)

    def update(
        gradient, variable, m, v, alpha, one_minus_beta_1, one_minus_beta_2, epsilon
    ):
        def read(h):
            return tf.raw_ops.ReadVariableOp(resource=h, dtype=dtype)

        tf.raw_ops.AssignAddVariableOp(
            resource=m,
            value=tf.multiply(tf.subtract(gradient, read(m)), one_minus_beta_1),
        )
        tf.raw_ops.AssignAddVariableOp(
            resource=v,
            value=tf.multiply(
                tf.subtract(tf.square(gradient), read(v)), one_minus_beta_2
            ),
        )
        tf.raw_ops.AssignSubVariableOp(
            resource=variable,
            value=tf.divide(
                tf.multiply(read(m), alpha), tf.add(tf.sqrt(read(v)), epsilon)
            ),
        )

    function = tf.function(
        update,
        input_signature=[tf.TensorSpec(None, dtype)] + [handle] * 3 + [scalar] * 4,
        autograph=False,
    )
    _ELEMENT_UPDATES[dtype.name] = function
    return function
