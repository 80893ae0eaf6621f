# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Static-shape helpers shared by ops and layers (not public API).

Ops with a fused kernel (pairwise IoU, box matching) pick it from the size
of their inputs known when a graph is traced.
"""


def known_elements(shape):
    """Product of the known dimensions of a `tf.TensorShape`.

    Unknown dimensions count as 1; a shape of unknown rank gives 0.
    """
    if shape.rank is None:
        return 0
    count = 1
    for dim in shape.as_list():
        if dim is not None:
            count *= dim
    return count
