# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras

from keras_nlp.src.utils.functional_graph import outputs_read


def _encoder():
    ids = keras.Input((None,), dtype="int32")
    sequence = keras.layers.Embedding(10, 4)(ids)
    pooled = keras.layers.Dense(4)(keras.layers.GlobalAveragePooling1D()(sequence))
    return keras.Model(
        ids,
        {
            "sequence_output": sequence,
            "pooled_output": pooled,
            "encoder_outputs": [sequence],
        },
    )


# `keras.tree.flatten` order of the encoder's outputs: encoder_outputs[0],
# pooled_output, sequence_output.
POOLED, SEQUENCE = 1, 2


def test_outputs_read_follows_the_graph_to_the_nested_layer():
    # The Keras internals this module walks: pinned here.
    encoder = _encoder()
    ids = keras.Input((None,), dtype="int32")
    outputs = encoder(ids)
    token_head = keras.layers.Dense(2)(
        keras.layers.Dropout(0.1)(outputs["sequence_output"])
    )
    both = keras.layers.Concatenate()(
        [
            keras.layers.GlobalMaxPooling1D()(outputs["sequence_output"]),
            outputs["pooled_output"],
        ]
    )
    assert outputs_read(keras.Model(ids, token_head), encoder) == (SEQUENCE,)
    assert outputs_read(keras.Model(ids, both), encoder) == (POOLED, SEQUENCE)
    # A layer the model does not call: nothing read.
    assert outputs_read(keras.Model(ids, token_head), _encoder()) == ()


def test_outputs_read_of_a_subclassed_model_is_unknown():
    class Plain(keras.Model):
        def call(self, x):
            return x

    assert outputs_read(Plain(), _encoder()) is None
