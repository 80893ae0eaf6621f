# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest

from keras_nlp.src.models.bert.bert_classifier import BertClassifier
from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.utils import checks


def _encoder():
    return BertEncoder(
        vocab_size=10,
        hidden_size=8,
        num_layers=1,
        num_attention_heads=2,
        inner_dim=8,
        max_sequence_length=4,
    )


def test_symbolic_float_inputs_are_not_refused():
    # Keras infers shapes under a tf.distribute strategy from the MEAN of
    # the first batch over the replicas: float64 "token ids" (failing fit
    # itself is in models/distributed_test.py, which needs 2 devices).
    # Symbolic inputs carry no values, so the integer check lets them
    # through; this pins the Keras internal `checks` relies on.
    classifier = BertClassifier(_encoder(), num_classes=2)
    spec = keras.KerasTensor((2, 4), "float64")
    out = classifier.compute_output_spec(
        {"input_ids": spec, "input_mask": spec, "input_type_ids": spec}
    )
    assert tuple(out.shape) == (2, 2)
    with keras.src.backend.common.symbolic_scope.SymbolicScope():
        assert checks._in_keras_symbolic_scope()
    assert not checks._in_keras_symbolic_scope()


def test_concrete_float_inputs_are_still_refused():
    ids = np.array([[2, 5, 3, 0]], "float32")
    with pytest.raises(TypeError, match="`input_ids` must hold integers"):
        _encoder()([ids, np.ones_like(ids, "int32"), np.zeros_like(ids, "int32")])
