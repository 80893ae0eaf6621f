# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`Task.fit` traces its training step once, with unchanged numerics."""

import keras
import numpy as np
import pytest

from keras_nlp.src.models.bert.bert_classifier import BertClassifier
from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.models.bert.bert_preprocessor import BertPreprocessor
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "good", "bad", "film"]
TEXTS = ["a good film", "a bad film", "good film", "bad bad film"]
LABELS = [1, 0, 1, 0]


def _classifier():
    keras.utils.set_random_seed(0)
    preprocessor = BertPreprocessor(WordPieceTokenizer(VOCAB), sequence_length=8)
    encoder = BertEncoder(
        vocab_size=len(VOCAB),
        hidden_size=8,
        num_layers=1,
        num_attention_heads=2,
        inner_dim=16,
        max_sequence_length=8,
    )
    model = BertClassifier(encoder, 2, preprocessor, dropout=0.0)
    model.compile(
        optimizer=keras.optimizers.Adam(1e-2),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def _count_train_step_traces(model):
    traces = []
    train_step = model.train_step

    def counting(data):
        traces.append(1)  # runs once per trace (graph mode)
        return train_step(data)

    model.train_step = counting
    return traces


def test_first_fit_traces_the_training_step_once():
    model = _classifier()
    traces = _count_train_step_traces(model)
    model.fit(TEXTS, LABELS, batch_size=2, epochs=2, verbose=0)
    # Before: twice (the optimizer created its variables in the first trace).
    assert len(traces) == 1
    model.fit(TEXTS, LABELS, batch_size=2, verbose=0)
    assert len(traces) == 1
    assert model.optimizer.built
    # The user's Keras Adam computes its step's scalars once per step
    # (`adam_update_test.py`) and keeps its class and saved form.
    assert type(model.optimizer) is keras.optimizers.Adam
    assert "update_step" in model.optimizer.__dict__
    config = keras.saving.serialize_keras_object(model.optimizer)
    assert (config["module"], config["class_name"]) == ("keras.optimizers", "Adam")
    restored = keras.saving.deserialize_keras_object(config)
    assert type(restored) is keras.optimizers.Adam


@pytest.mark.large  # default-suite time budget
def test_building_the_optimizer_first_leaves_training_unchanged():
    built_first = _classifier()
    built_first.fit(TEXTS, LABELS, batch_size=2, epochs=2, shuffle=False, verbose=0)
    # Keras' own path: the optimizer builds itself inside the first step.
    keras_path = _classifier()
    keras_path._build_optimizer = lambda: None
    keras_path.fit(TEXTS, LABELS, batch_size=2, epochs=2, shuffle=False, verbose=0)
    assert keras_path.optimizer.iterations.numpy() == 4
    assert built_first.optimizer.iterations.numpy() == 4
    for ours, reference in zip(built_first.weights, keras_path.weights):
        np.testing.assert_allclose(
            ours.numpy(), reference.numpy(), rtol=1e-6, atol=1e-7
        )
