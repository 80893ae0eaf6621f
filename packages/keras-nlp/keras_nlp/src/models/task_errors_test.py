# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Bad data into the BERT tasks gives plain, actionable errors.

Before: a bad label in a later batch surfaced as a TensorFlow "Graph
execution error", mismatched lengths as "Dimensions 8 and 5 are not
compatible", one-hot labels as a rank error of the loss, `predict([])` as a
TypeError from deep inside `tf.data`, and float token ids were truncated.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_nlp.src.models.bert import bert_token_classifier_test
from keras_nlp.src.models.bert.bert_classifier import BertClassifier
from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.models.bert.bert_preprocessor import BertPreprocessor
from keras_nlp.src.models.bert.bert_tasks_test import LABELS
from keras_nlp.src.models.bert.bert_tasks_test import TEXTS
from keras_nlp.src.models.bert.bert_tasks_test import VOCAB
from keras_nlp.src.models.bert.bert_tasks_test import _encoder
from keras_nlp.src.models.seq2seq_transformer import Seq2SeqTransformer
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer


def _classifier():
    preprocessor = BertPreprocessor(WordPieceTokenizer(VOCAB), sequence_length=8)
    return BertClassifier(_encoder(), 2, preprocessor=preprocessor)


@pytest.mark.large  # over 4 s; default-suite time budget
def test_bad_label_in_a_later_batch_names_it():
    model = _classifier()
    labels = [0, 1, 0, 1, 1, 0, 1, 0] + [0, 5, -2, 0, 1, 0, 1, 0]
    dataset = tf.data.Dataset.from_tensor_slices((TEXTS * 2, labels)).batch(4)
    for call in (
        lambda: model.fit(dataset, epochs=1, verbose=0),
        lambda: model.evaluate(dataset, verbose=0),
    ):
        with pytest.raises(ValueError) as info:
            call()
        message = str(info.value)
        assert "in [0, num_classes=2)" in message
        assert "[5 -2]" in message
        assert "Graph execution error" not in message
    # In-memory labels are checked before training.
    with pytest.raises(ValueError, match=r"outside it: \[5\]"):
        model.fit(TEXTS, [0, 1, 5, 0, 1, 0, 1, 0], epochs=1, verbose=0)


@pytest.mark.large  # over 4 s; default-suite time budget
def test_bad_tag_in_a_later_batch_names_it():
    model = bert_token_classifier_test._tagger()
    words = [["ada", "wrote"], ["in", "paris"], ["ada", "."]]
    tags = tf.ragged.constant([[1, 0], [0, 3], [9, 0]])
    dataset = tf.data.Dataset.from_tensor_slices(
        (tf.ragged.constant(words), tags)
    ).batch(1)
    with pytest.raises(ValueError) as info:
        model.fit(dataset, epochs=1, verbose=0)
    assert "Tag ids must be integer class ids in [0, num_classes=4)" in str(info.value)
    assert "[9]" in str(info.value)


def test_label_count_must_match_text_count():
    model = _classifier()
    with pytest.raises(ValueError, match="x has 8, y has 5"):
        model.fit(TEXTS, LABELS[:5], epochs=1, verbose=0)
    with pytest.raises(ValueError, match="sample_weight has 3"):
        model.fit(TEXTS, LABELS, sample_weight=[1.0] * 3, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="segment 1 has 2"):
        model.evaluate((TEXTS, TEXTS[:2]), LABELS, verbose=0)


@pytest.mark.large
def test_one_hot_labels_are_explained_or_accepted():
    model = _classifier()
    one_hot = np.eye(2)[LABELS]
    with pytest.raises(ValueError, match="np.argmax"):
        model.fit(TEXTS, one_hot, epochs=1, verbose=0)
    dataset = tf.data.Dataset.from_tensor_slices((TEXTS, one_hot)).batch(4)
    with pytest.raises(ValueError, match="look one-hot"):
        model.fit(dataset, epochs=1, verbose=0)
    # Documented: with a categorical loss one-hot labels are right.
    model.compile(
        optimizer="adam",
        loss=keras.losses.CategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.CategoricalAccuracy()],
    )
    history = model.fit(TEXTS, one_hot, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_predict_on_empty_input_raises():
    model = _classifier()
    for empty in ([], np.array([], dtype=str), ([], [])):
        with pytest.raises(ValueError, match="`x` is empty"):
            model.predict(empty, verbose=0)


def test_float_token_ids_are_refused():
    model = _classifier()
    x = {k: v.numpy() for k, v in model.preprocessor(TEXTS[:2]).items()}
    ints = model.predict(x, verbose=0)
    floats = dict(x, input_ids=x["input_ids"].astype("float32") + 0.7)
    with pytest.raises(TypeError, match="`input_ids` must hold integers"):
        model(floats)
    with pytest.raises(TypeError, match="`input_ids` must hold integers"):
        model.predict(floats, verbose=0)
    with pytest.raises(TypeError, match="`input_mask` must hold integers"):
        model.encoder(dict(x, input_mask=x["input_mask"].astype("float64")))
    assert ints.shape == (2, 2)
    encoder = BertEncoder(
        vocab_size=10,
        hidden_size=8,
        num_layers=1,
        num_attention_heads=2,
        inner_dim=8,
        max_sequence_length=4,
    )
    ids = np.array([[2, 5, 3, 0]], "float32")
    with pytest.raises(TypeError, match="`input_ids` must hold integers"):
        encoder([ids, np.ones_like(ids, "int32"), np.zeros_like(ids, "int32")])
    seq2seq = Seq2SeqTransformer(
        vocab_size=8,
        hidden_size=8,
        num_layers=1,
        num_attention_heads=1,
        inner_dim=8,
        max_source_length=4,
        max_target_length=4,
    )
    with pytest.raises(TypeError, match="`source_ids` must hold integer"):
        seq2seq({"source_ids": ids, "decoder_ids": np.ones((1, 3), "int32")})


def test_dict_labels_count_examples_not_keys():
    # A dict of labels (span labels: answer_start and answer_text) holds one
    # entry per example in each value; its number of keys does not matter.
    from keras_nlp.src.models.task import check_same_length

    questions, contexts = ["q"] * 3, ["c"] * 3
    check_same_length(
        (questions, contexts), {"answer_start": [0] * 3, "answer_text": ["c"] * 3}, None
    )
    with pytest.raises(ValueError, match="x has 3, y has 2"):
        check_same_length(
            (questions, contexts),
            {"answer_start": [0] * 2, "answer_text": ["c"] * 2},
            None,
        )


def test_a_family_without_a_pooler_must_override_the_classification_head():
    # Before: KeyError: 'pooled_output' from inside TextClassifier.__init__.
    import keras_nlp
    from keras_nlp.src.models.distil_bert.distil_bert_encoder import DistilBertEncoder

    class NoPoolerClassifier(keras_nlp.models.TextClassifier):
        backbone_cls = DistilBertEncoder
        preprocessor_cls = keras_nlp.models.DistilBertPreprocessor

    encoder = DistilBertEncoder(
        vocab_size=8,
        hidden_size=8,
        num_layers=1,
        num_attention_heads=2,
        inner_dim=8,
        max_sequence_length=8,
    )
    with pytest.raises(TypeError) as error:
        NoPoolerClassifier(encoder, 2)
    message = str(error.value)
    assert "NoPoolerClassifier cannot build its classification head" in message
    assert "DistilBertEncoder returns no 'pooled_output'" in message
    assert "(it returns encoder_outputs, sequence_output)" in message
    assert "override the class method `classification_head(" in message
