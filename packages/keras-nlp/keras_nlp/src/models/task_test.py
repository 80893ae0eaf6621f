# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""`Task` with a user's own subclass."""

import warnings

import keras
import numpy as np

from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.models.bert.bert_preprocessor import BertPreprocessor
from keras_nlp.src.models.bert.bert_tasks_test import LABELS
from keras_nlp.src.models.bert.bert_tasks_test import TEXTS
from keras_nlp.src.models.bert.bert_tasks_test import VOCAB
from keras_nlp.src.models.bert.bert_tasks_test import _encoder
from keras_nlp.src.models.task import Task
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer


class MeanPooledClassifier(Task):
    """A user's task: its head reads `sequence_output` only."""

    backbone_cls = BertEncoder
    preprocessor_cls = BertPreprocessor

    def __init__(self, encoder, preprocessor=None, **kwargs):
        self.check_family(encoder, preprocessor)
        inputs = self.backbone_inputs()
        sequence = encoder(inputs)["sequence_output"]
        pooled = keras.layers.GlobalAveragePooling1D()(sequence)
        logits = keras.layers.Dense(2, name="user_logits")(pooled)
        super().__init__(inputs=inputs, outputs=logits, **kwargs)
        self.encoder = encoder
        self.preprocessor = preprocessor


def test_user_subclass_reading_sequence_output_trains_without_pooler_warning():
    encoder = _encoder()
    preprocessor = BertPreprocessor(WordPieceTokenizer(VOCAB), sequence_length=12)
    task = MeanPooledClassifier(encoder, preprocessor)
    task.compile(
        optimizer=keras.optimizers.Adam(1e-2),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    pooler = {v.path for v in encoder.pooler_layer.weights}
    trained = {v.path for v in task.trainable_weights}
    assert pooler and not pooler & trained
    # Every other encoder weight and the user's head are trained.
    assert {v.path for v in encoder.trainable_weights} - pooler <= trained
    assert {v.path for v in task.get_layer("user_logits").weights} <= trained
    pooler_before = [v.numpy() for v in encoder.pooler_layer.weights]
    head_before = task.get_layer("user_logits").kernel.numpy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = task.fit(TEXTS, np.array(LABELS), batch_size=4, epochs=2)
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "Gradients do not exist" in m], messages
    assert np.all(np.isfinite(history.history["loss"]))
    assert not np.allclose(task.get_layer("user_logits").kernel.numpy(), head_before)
    for before, variable in zip(pooler_before, encoder.pooler_layer.weights):
        np.testing.assert_array_equal(before, variable.numpy())


def test_user_subclass_reading_pooled_output_trains_the_pooler():
    class PooledClassifier(MeanPooledClassifier):
        def __init__(self, encoder, preprocessor=None, **kwargs):
            self.check_family(encoder, preprocessor)
            inputs = self.backbone_inputs()
            pooled = encoder(inputs)["pooled_output"]
            logits = keras.layers.Dense(2)(pooled)
            Task.__init__(self, inputs=inputs, outputs=logits, **kwargs)
            self.encoder = encoder
            self.preprocessor = preprocessor

    encoder = _encoder()
    task = PooledClassifier(encoder)
    pooler = {v.path for v in encoder.pooler_layer.weights}
    assert pooler <= {v.path for v in task.trainable_weights}
