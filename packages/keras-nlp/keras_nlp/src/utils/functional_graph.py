# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Which outputs of a nested layer a Functional model reads.

Keras has no public way to ask this, so this module is the one place that
walks a Functional graph through Keras' private `_keras_history` and
`_inbound_nodes` (pinned by `functional_graph_test.py`).
"""

import keras


def outputs_read(model, layer):
    """The positions in `keras.tree.flatten(layer.output)` of the outputs of
    `layer` that `model`'s outputs depend on.

    Args:
        model: a Functional `keras.Model`.
        layer: a layer (e.g. an encoder) called inside `model`'s graph.

    Returns:
        A sorted tuple of positions, or None when `model` has no Functional
        graph to walk (a subclassed model).
    """
    try:
        pending = list(keras.tree.flatten(model.outputs))
    except (AttributeError, ValueError):
        return None
    read, seen = set(), set()
    while pending:
        tensor = pending.pop()
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        history = getattr(tensor, "_keras_history", None)
        if history is None:
            return None
        operation, node_index, tensor_index = history
        if operation is layer:
            read.add(tensor_index)
            continue
        nodes = getattr(operation, "_inbound_nodes", None)
        if nodes is None or node_index >= len(nodes):
            return None
        pending.extend(keras.tree.flatten(nodes[node_index].input_tensors))
    return tuple(sorted(read))
