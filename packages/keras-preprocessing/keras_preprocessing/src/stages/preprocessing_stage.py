# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""A chain or graph of preprocessing layers adapted in one call."""

import keras
import tensorflow as tf

from keras_core import api_export
from keras_preprocessing.src.layers.preprocessing_layer import LAYERS_RFC
from keras_preprocessing.src.layers.preprocessing_layer import PreprocessingLayer
from keras_preprocessing.src.layers.preprocessing_layer import iterate_adapt_batches


def _map_data(data, fn, num_inputs):
    """`data` (anything `adapt` accepts) with `fn` applied to every batch."""
    if isinstance(data, tf.data.Dataset):
        spec = data.element_spec
        if isinstance(spec, tuple) and (num_inputs == 1 or len(spec) != num_inputs):
            data = data.map(lambda *e: e[0])
        return data.map(fn)
    return (fn(batch) for batch in iterate_adapt_batches(data, num_inputs=num_inputs))


@api_export(
    "keras_preprocessing.layers.PreprocessingStage", stability="stable", rfc=LAYERS_RFC
)
class PreprocessingStage(PreprocessingLayer):
    """A chain (or graph) of preprocessing layers adapted in one `adapt` call.

    Build it like a `Sequential` model (a list of layers) or like a
    Functional model (`inputs=` and `outputs=` of a graph of layers called
    on `keras.Input`s). `adapt(data)` adapts the preprocessing layers one
    after the other in graph order, each on the data transformed by the
    layers before it (so a `Discretization` after a `Normalization` learns
    its bins on normalized values). Other layers inside (e.g. a
    `keras.layers.Reshape`) are frozen and only applied. The stage is a
    layer: use it first in a model, or map it over a `tf.data` pipeline.

    Args:
        layers: list of layers, for a Sequential-style stage.
        inputs: input tensor(s) of a Functional-style stage.
        outputs: output tensor(s) of a Functional-style stage.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: what the first layer (or the stage's inputs) accepts.

    Input shape:
        That of the first layer or of `inputs`.

    Output shape:
        That of the last layer or of `outputs`.

    Examples:

    ```python
    from keras_preprocessing.layers import Discretization, Normalization, PreprocessingStage

    stage = PreprocessingStage([Normalization(), Discretization(bins=4)])
    stage.adapt(np.random.normal(size=(100, 1)))
    stage(np.array([[0.0]]))  # one-hot of the bin of 0 after normalizing
    ```
    """

    differentiable = True  # each layer inside checks its own differentiability

    def __init__(self, layers=None, inputs=None, outputs=None, **kwargs):
        super().__init__(**kwargs)
        if layers is not None and (inputs is not None or outputs is not None):
            raise ValueError(
                "Pass either `layers` (Sequential style) or `inputs` and `outputs` (Functional style), not both."
            )
        if layers is not None:
            if not isinstance(layers, (list, tuple)) or not all(
                isinstance(x, keras.layers.Layer) for x in layers
            ):
                raise TypeError(
                    f"`layers` must be a list of Keras layers. Received: {layers!r}."
                )
            self._functional = False
            self._stage = keras.Sequential(list(layers))
        elif inputs is not None and outputs is not None:
            self._functional = True
            self._stage = keras.Model(inputs=inputs, outputs=outputs)
        else:
            raise ValueError(
                "PreprocessingStage needs `layers`, or both `inputs` and `outputs`."
            )
        for layer in self._stage_layers():
            if not isinstance(layer, PreprocessingLayer):
                layer.trainable = False
        self._is_adapted = True

    def _stage_layers(self):
        return [
            x for x in self._stage.layers if not isinstance(x, keras.layers.InputLayer)
        ]

    @property
    def stage_layers(self):
        """The layers of the stage, in graph order."""
        return self._stage_layers()

    @property
    def is_adapted(self):
        return all(
            x.is_adapted
            for x in self._stage_layers()
            if isinstance(x, PreprocessingLayer)
        )

    def _adapt_num_inputs(self):
        return len(self._stage.inputs) if self._functional else 1

    def adapt(self, data, reset_state=True, batch_size=None, steps=None):
        """Adapts every preprocessing layer in cascade (see the class docstring)."""
        num_inputs = self._adapt_num_inputs()
        if not isinstance(data, tf.data.Dataset):
            # Materialize arrays and generators once: every layer replays the batches.
            data = list(iterate_adapt_batches(data, batch_size, steps, num_inputs))
            steps = None
        if self._functional:
            self._adapt_functional(data, reset_state, steps, num_inputs)
        else:
            self._adapt_sequential(data, reset_state, steps)

    def _adapt_sequential(self, data, reset_state, steps):
        layers = self._stage_layers()
        for i, layer in enumerate(layers):
            if not isinstance(layer, PreprocessingLayer):
                continue
            prefix = layers[:i]

            def apply(x, prefix=prefix):
                for p in prefix:
                    x = p(x)
                return x

            # Materialized batches are replayed for every layer.
            source = iter(data) if isinstance(data, list) else data
            layer.adapt(
                _map_data(source, apply, 1) if prefix else source,
                reset_state=reset_state,
                steps=steps,
            )

    def _adapt_functional(self, data, reset_state, steps, num_inputs):
        done = set()
        for depth in sorted(self._stage._nodes_by_depth, reverse=True):
            for node in self._stage._nodes_by_depth[depth]:
                layer = node.operation
                if not isinstance(layer, PreprocessingLayer) or id(layer) in done:
                    continue
                done.add(id(layer))
                feeder = keras.Model(self._stage.inputs, node.arguments.args[0])
                source = iter(data) if isinstance(data, list) else data
                layer.adapt(
                    _map_data(source, feeder, num_inputs),
                    reset_state=reset_state,
                    steps=steps,
                )

    def build(self, input_shape=None):
        if not self._stage.built and input_shape is not None:
            self._stage.build(input_shape)
        self.built = True

    def call(self, inputs, training=None):
        return self._stage(inputs, training=training)

    def compute_output_spec(self, inputs, training=None):
        return self._stage.compute_output_spec(inputs)

    def get_config(self):
        config = super().get_config()
        if self._functional:
            config["functional"] = keras.saving.serialize_keras_object(self._stage)
        else:
            config["layers"] = [
                keras.saving.serialize_keras_object(x) for x in self._stage_layers()
            ]
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "functional" in config:
            model = keras.saving.deserialize_keras_object(config.pop("functional"))
            return cls(inputs=model.input, outputs=model.output, **config)
        layers = [
            keras.saving.deserialize_keras_object(x) for x in config.pop("layers")
        ]
        return cls(layers=layers, **config)
