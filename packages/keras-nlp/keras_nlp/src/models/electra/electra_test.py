# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""ELECTRA (discriminator) against `transformers` (testdata/make_fixture.py),
and its tasks and conversion."""

import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_nlp
from keras_nlp.src.models.checkpoint_reference_test import CheckpointReference
from keras_nlp.src.models.electra import electra_converter

TINY = os.path.join(os.path.dirname(__file__), "testdata", "tiny_electra")
REF = CheckpointReference(TINY, ("input_ids", "input_mask", "input_type_ids"))
INPUTS = REF.inputs


def test_encoder_and_heads_match_transformers():
    encoder = keras_nlp.convert.from_huggingface(TINY)
    assert type(encoder) is keras_nlp.encoders.ElectraEncoder
    assert encoder.get_config()["embedding_width"] == 16
    REF.check_encoder(encoder)
    # Where the segment ids mark the context (and at [CLS]) nothing is masked.
    allowed = REF.real & (INPUTS["input_type_ids"] == 1)
    allowed[:, 0] = True
    REF.check_heads(
        electra_converter,
        keras_nlp.models.ElectraClassifier(encoder, 3),
        keras_nlp.models.ElectraSpanLabeler(encoder),
        keras_nlp.models.ElectraTokenClassifier(encoder, 4),
        span_where=allowed,
        token_where=REF.real,
    )


def test_to_huggingface_round_trip(tmp_path):
    encoder = keras_nlp.convert.from_huggingface(TINY)
    directory = keras_nlp.convert.to_huggingface(encoder, str(tmp_path / "out"))
    with open(os.path.join(directory, "config.json")) as f:
        config = json.load(f)
    assert config["model_type"] == "electra" and config["embedding_size"] == 16
    restored = keras_nlp.convert.from_huggingface(directory)
    np.testing.assert_allclose(
        restored(INPUTS)["sequence_output"].numpy(),
        encoder(INPUTS)["sequence_output"].numpy(),
        atol=1e-6,
    )
    with pytest.raises(ValueError, match=r"\['embedding_width'\] are set by"):
        keras_nlp.convert.from_huggingface(TINY, embedding_width=8)


@pytest.mark.large  # fit, save and SavedModel export: ~30-60 s on 2 cores
def test_classifier_from_checkpoint_fits_raw_strings_and_exports(tmp_path):
    classifier = keras_nlp.models.ElectraClassifier.from_preset(
        TINY, num_classes=2, sequence_length=12
    )
    assert keras_nlp.models.ElectraClassifier.presets[
        "electra_small_discriminator_en_uncased"
    ]["source"] == ("hf://google/electra-small-discriminator")
    texts = ["tok1 tok2 tok3", "tok4 tok5", "tok6", "tok7 tok8"]
    classifier.fit(texts, [0, 1, 0, 1], epochs=1, verbose=0)
    expected = classifier.predict(texts, verbose=0)
    path = str(tmp_path / "classifier.keras")
    classifier.save(path)
    restored = keras.saving.load_model(path)
    np.testing.assert_allclose(restored.predict(texts, verbose=0), expected, atol=1e-5)
    classifier.export(str(tmp_path / "served"))
    served = tf.saved_model.load(str(tmp_path / "served"))
    logits = served.signatures["serving_default"](text=tf.constant(texts))["logits"]
    np.testing.assert_allclose(logits.numpy(), expected, atol=1e-5)
