# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Shared by the benchmarks that time `fit` steps (ours and the peer's run).

Each timed training step waits for its results before the next starts, as
with a progress bar or any per-batch callback. Without it, `fit` ran the
steps of both sides of `keras_cv/retinanet_train` 1.6-1.9x slower by wall
time at the same CPU time per step (keras-cv 0.9: 2.05 s per step over 10
steps, 1.08 s over 3, 1.07 s when each step waits; ours alike).

A script imports it with the repository root on `sys.path` (it runs as
`python benchmarks/<package>/<name>.py` in our environment and in the
peer's, neither of which installs `benchmarks`):

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))))
    from benchmarks._step_sync import wait_for_each_step
"""

import numpy as np


def wait_for_each_step():
    """A Keras callback that reads each training step's logs (the loss),
    so that the step's results are computed before the next step starts."""
    import keras

    class WaitForEachStep(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            for value in (logs or {}).values():
                np.asarray(value)

    return WaitForEachStep()
