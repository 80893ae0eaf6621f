# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Models saved by keras-nlp 2.0 (before the family refactoring) still load.

`testdata/v2_0/` was written by `testdata/make_saved_fixture.py` with the
code of commit 441849e; each model must load from its `.keras` file and
from its preset with the same class, config and outputs.
"""

import json
import os

import keras
import numpy as np
import pytest

import keras_nlp
from keras_core import presets
from keras_nlp.src.models.bert.testdata import make_saved_fixture

SAVED = os.path.join(os.path.dirname(__file__), "testdata", "v2_0")
CLASSES = {
    "classifier": keras_nlp.models.BertClassifier,
    "masked_lm": keras_nlp.models.BertMaskedLM,
    "span_labeler": keras_nlp.models.BertSpanLabeler,
    "token_classifier": keras_nlp.models.BertTokenClassifier,
}


def _check_outputs(name, model):
    expected = np.load(os.path.join(SAVED, f"{name}_outputs.npz"))
    actual = make_saved_fixture.outputs(keras_nlp, name, model)
    assert sorted(actual) == sorted(expected.files)
    for key in expected.files:
        if expected[key].dtype.kind == "U":
            _assert_close_json(
                json.loads(str(actual[key])), json.loads(str(expected[key]))
            )
        else:
            np.testing.assert_allclose(actual[key], expected[key], atol=1e-6)


def _assert_close_json(actual, expected):
    """Equal structure, strings and ints; floats (the span labeler's answer
    scores) to 1e-6 relative: the TensorFlow computation of
    `TransformerEncoder` (issue 30) sums its products in another order than
    the Keras sub-layers that wrote the fixture, so a score can differ in
    its last float32 bit."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and sorted(actual) == sorted(expected)
        for key in expected:
            _assert_close_json(actual[key], expected[key])
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected)
        for a, e in zip(actual, expected):
            _assert_close_json(a, e)
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, rel=1e-6, abs=1e-7)
    else:
        assert actual == expected


def _params(slow=("span_labeler", "token_classifier")):
    # The span labeler and token classifier files take 5 to 7 s each: they
    # run with --large (default-suite time budget).
    return [
        pytest.param(n, marks=[pytest.mark.large] if n in slow else [])
        for n in sorted(CLASSES)
    ]


@pytest.mark.parametrize("name", _params())
def test_keras_file_of_2_0_loads_with_equal_outputs(name):
    model = keras.saving.load_model(os.path.join(SAVED, f"{name}.keras"))
    assert type(model) is CLASSES[name]
    _check_outputs(name, model)


@pytest.mark.parametrize("name", _params())
def test_preset_of_2_0_loads_with_equal_outputs(name):
    model = CLASSES[name].from_preset(os.path.join(SAVED, f"{name}_preset"))
    assert type(model) is CLASSES[name]
    config = presets.load_preset_config(os.path.join(SAVED, f"{name}_preset"))
    # The saved config still describes the rebuilt model entry by entry.
    assert set(config["config"]) <= set(model.get_config()) | {"name", "trainable"}
    _check_outputs(name, model)


def test_encoder_preset_of_2_0_loads_with_equal_outputs():
    encoder = presets.from_preset(os.path.join(SAVED, "encoder_preset"))
    assert type(encoder) is keras_nlp.encoders.BertEncoder
    tokenizer = keras_nlp.tokenizers.WordPieceTokenizer(make_saved_fixture.VOCAB)
    x = keras_nlp.models.BertTokenClassifierPreprocessor(tokenizer, sequence_length=10)(
        make_saved_fixture.SENTENCES
    )
    out = encoder(x, training=False)
    expected = np.load(os.path.join(SAVED, "encoder_outputs.npz"))
    for key in expected.files:
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(out[key]), expected[key], atol=1e-6
        )
