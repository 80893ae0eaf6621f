# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The classifiers call their backbone with `output_range=1` (the last layer
at the first position only): checked against the whole computation.

The reference is the same classifier class with `first_position_head =
False` (the backbone called without `output_range`, every position of every
layer computed), on the same backbone object or on a copy of its weights.
"""

import os
import zipfile

import h5py
import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_nlp
from keras_nlp.src.models.bert.bert_classifier import BertClassifier
from keras_nlp.src.models.bert.bert_encoder import BertEncoder
from keras_nlp.src.models.bert.bert_preprocessor import BertPreprocessor
from keras_nlp.src.models.text_classifier import TextClassifier
from keras_nlp.src.tokenizers.word_piece_tokenizer import WordPieceTokenizer

ATOL = 1e-5
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "good", "bad", "film"]
VOCAB += ["great", "awful", "plot", "was", "the", "!"]
TEXTS = ["a good film", "the plot was awful", "great film !", "a bad plot"]
TEXTS += ["good good film", "awful awful", "the film was great", "bad film"]
LABELS = [1, 0, 1, 0, 1, 0, 1, 0]
SIZES = dict(hidden_size=16, num_layers=2, num_attention_heads=2, inner_dim=32)


def _full(cls):
    """`cls` computing every position (the reference)."""
    return type(f"Full{cls.__name__}", (cls,), {"first_position_head": False})


def _bert(dropout=0.0, **kwargs):
    return BertEncoder(
        vocab_size=len(VOCAB),
        max_sequence_length=12,
        type_vocab_size=2,
        output_dropout=dropout,
        attention_dropout=dropout,
        **{**SIZES, **kwargs},
    )


def _inputs(names, vocab_size=len(VOCAB), batch=4, length=10, seed=0):
    """Random ids with padding (`input_mask` 0 and id 0 past each length)."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(2, vocab_size, (batch, length)).astype("int32")
    mask = np.ones_like(ids)
    for row, n in enumerate([length, 6, 3, 1][:batch]):
        mask[row, n:] = 0
    ids = ids * mask
    values = {"input_ids": ids, "input_mask": mask}
    values["input_type_ids"] = (np.arange(length)[None, :] >= 4).astype("int32") * mask
    return {name: values[name] for name in names}


def _pair(cls, encoder, **kwargs):
    """The classifier and the reference on the same encoder, same head
    weights."""
    model = cls(encoder, 3, dropout=0.0, **kwargs)
    reference = _full(cls)(encoder, 3, dropout=0.0, **kwargs)
    reference.set_weights(model.get_weights())
    return model, reference


def _logits_and_grads(model, x, training, wrap=None):
    variables = model.trainable_variables

    def step(x):
        with tf.GradientTape() as tape:
            logits = model(x, training=training)
            loss = tf.reduce_sum(logits * tf.range(1.0, 4.0))
        grads = tape.gradient(loss, variables)
        return logits, [tf.convert_to_tensor(g) for g in grads]

    if wrap is not None:
        step = wrap(step)
    logits, grads = step(x)
    assert all(g is not None for g in grads)
    return np.asarray(logits), [np.asarray(g) for g in grads]


def _assert_close(a, b):
    logits_a, grads_a = a
    logits_b, grads_b = b
    np.testing.assert_allclose(logits_a, logits_b, atol=ATOL, rtol=0)
    assert len(grads_a) == len(grads_b)
    for ga, gb in zip(grads_a, grads_b):
        np.testing.assert_allclose(ga, gb, atol=ATOL, rtol=0)


MODES = {
    "eager": None,
    "tf_function": tf.function,
    "xla": lambda f: tf.function(f, jit_compile=True),
}


@pytest.mark.large  # ~6-27 s: 3 modes x 2 training values, values and gradients
@pytest.mark.parametrize("mode", sorted(MODES))
def test_bert_classifier_equals_the_whole_computation(mode):
    encoder = _bert()
    model, reference = _pair(BertClassifier, encoder)
    assert BertClassifier._head_reads_first_position()
    assert not type(reference)._head_reads_first_position()
    x = _inputs(BertEncoder.input_names)
    for training in (False, True):
        _assert_close(
            _logits_and_grads(model, x, training, MODES[mode]),
            _logits_and_grads(reference, x, training, MODES[mode]),
        )


def _family_encoders():
    common = dict(max_sequence_length=12, output_dropout=0.0, attention_dropout=0.0)
    return {
        "albert": (
            keras_nlp.models.AlbertClassifier,
            keras_nlp.encoders.AlbertEncoder(
                vocab_size=30, embedding_width=8, num_groups=1, **SIZES, **common
            ),
        ),
        "distil_bert": (
            keras_nlp.models.DistilBertClassifier,
            keras_nlp.encoders.DistilBertEncoder(vocab_size=30, **SIZES, **common),
        ),
        "electra": (
            keras_nlp.models.ElectraClassifier,
            keras_nlp.encoders.ElectraEncoder(
                vocab_size=30, embedding_width=8, **SIZES, **common
            ),
        ),
        "roberta": (
            keras_nlp.models.RobertaClassifier,
            keras_nlp.encoders.RobertaEncoder(vocab_size=30, **SIZES, **common),
        ),
        "xlm_roberta": (
            keras_nlp.models.XLMRobertaClassifier,
            keras_nlp.encoders.XLMRobertaEncoder(vocab_size=30, **SIZES, **common),
        ),
    }


@pytest.mark.large  # ~8 s: five families
def test_family_classifiers_equal_the_whole_computation():
    for name, (cls, encoder) in _family_encoders().items():
        assert cls._head_reads_first_position(), name
        model, reference = _pair(cls, encoder)
        x = _inputs(cls.backbone_cls.input_names, vocab_size=30)
        for training in (False, True):
            _assert_close(
                _logits_and_grads(model, x, training, tf.function),
                _logits_and_grads(reference, x, training, tf.function),
            )


def test_the_backbone_stays_whole_and_shared():
    encoder = _bert()
    x = _inputs(BertEncoder.input_names)
    before = encoder(x)
    weights = list(encoder.weights)
    model = BertClassifier(encoder, 3)
    after = encoder(x)
    assert after["sequence_output"].shape == (4, 10, 16)
    for key in ("sequence_output", "pooled_output"):
        np.testing.assert_array_equal(after[key], before[key])
    assert [id(w) for w in encoder.weights] == [id(w) for w in weights]
    # The classifier's weights: the encoder's (the same objects) and the head.
    encoder_ids = {id(w) for w in weights}
    assert encoder_ids <= {id(w) for w in model.weights}
    assert len(model.weights) == len(weights) + 2
    assert any(layer is encoder for layer in model.layers)
    # The encoder's own call at the first position equals its whole call.
    first = encoder(x, output_range=1)
    assert first["sequence_output"].shape == (4, 1, 16)
    assert len(first["encoder_outputs"]) == 2
    np.testing.assert_allclose(
        first["pooled_output"], before["pooled_output"], atol=ATOL, rtol=0
    )
    np.testing.assert_allclose(
        first["sequence_output"][:, 0],
        before["sequence_output"][:, 0],
        atol=ATOL,
        rtol=0,
    )
    np.testing.assert_array_equal(
        first["encoder_outputs"][0], before["encoder_outputs"][0]
    )
    with pytest.raises(ValueError, match="output_range"):
        encoder(x, output_range=0)


def test_an_encoder_built_with_output_range_keeps_its_graph():
    encoder = _bert(output_range=1)
    BertClassifier(encoder, 2)
    assert encoder._output_range_views.models == {}


def _weight_paths(path):
    with zipfile.ZipFile(path) as archive:
        archive.extract("model.weights.h5", os.path.dirname(path))
    names = []
    with h5py.File(os.path.join(os.path.dirname(path), "model.weights.h5")) as f:
        f.visit(names.append)
    return names


@pytest.mark.large  # ~6 s: two .keras files
def test_saved_files_config_and_loading(tmp_path):
    preprocessor = BertPreprocessor(WordPieceTokenizer(VOCAB), sequence_length=12)
    model = BertClassifier(_bert(dropout=0.1), 2, preprocessor)
    reference = _full(BertClassifier)(_bert(dropout=0.1), 2, preprocessor)
    reference.set_weights(model.get_weights())
    x = preprocessor(TEXTS)
    # The same file layout as the whole computation's.
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    model.save(str(tmp_path / "a" / "model.keras"))
    reference.save(str(tmp_path / "b" / "model.keras"))
    assert _weight_paths(str(tmp_path / "a" / "model.keras")) == _weight_paths(
        str(tmp_path / "b" / "model.keras")
    )
    restored = keras.saving.load_model(str(tmp_path / "a" / "model.keras"))
    assert type(restored) is BertClassifier
    assert restored.get_config() == model.get_config()
    np.testing.assert_allclose(restored(x), reference(x), atol=ATOL, rtol=0)
    clone = BertClassifier.from_config(model.get_config())
    assert clone.get_config() == model.get_config()


def test_a_head_reading_other_positions_gets_the_whole_layer():
    class MeanPooled(BertClassifier):
        @classmethod
        def classification_head(cls, outputs, num_classes, dropout):
            mean = keras.layers.GlobalAveragePooling1D()(outputs["sequence_output"])
            return keras.layers.Dense(num_classes, name="logits")(mean)

    class MeanPooledFirst(MeanPooled):
        first_position_head = True  # declared by the subclass: trusted

    assert not MeanPooled._head_reads_first_position()
    assert MeanPooledFirst._head_reads_first_position()
    assert issubclass(keras_nlp.models.XLMRobertaClassifier, TextClassifier)
    assert keras_nlp.models.XLMRobertaClassifier._head_reads_first_position()
    encoder = _bert()
    model = MeanPooled(encoder, 2)
    x = _inputs(BertEncoder.input_names)
    sequence = encoder(x)["sequence_output"]
    dense = model.get_layer("logits")
    expected = dense(keras.ops.mean(sequence, axis=1))
    np.testing.assert_allclose(model(x), expected, atol=ATOL, rtol=0)


def test_token_level_tasks_read_every_position():
    encoder = _bert()
    x = _inputs(BertEncoder.input_names)
    tagger = keras_nlp.models.BertTokenClassifier(encoder, 4)
    assert tagger(x).shape == (4, 10, 4)
    spans = keras_nlp.models.BertSpanLabeler(encoder)
    assert keras.tree.flatten(spans(x))[0].shape[1] == 10
    # Only the classifier's call made a first-position graph.
    assert list(encoder._output_range_views.models) == []
    BertClassifier(encoder, 2)
    assert list(encoder._output_range_views.models) == [1]


@pytest.mark.large  # ~10 s: two fits on raw strings
def test_fit_from_raw_strings_in_tf_data_equals_the_whole_computation():
    def build(cls):
        preprocessor = BertPreprocessor(WordPieceTokenizer(VOCAB), sequence_length=12)
        return cls(_bert(), 2, preprocessor, dropout=0.0)

    model = build(BertClassifier)
    reference = build(_full(BertClassifier))
    reference.set_weights(model.get_weights())
    initial = model.get_weights()
    results = []
    for task in (model, reference):
        task.compile(
            optimizer=keras.optimizers.SGD(0.5),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        dataset = tf.data.Dataset.from_tensor_slices((TEXTS, LABELS)).batch(4)
        history = task.fit(dataset, epochs=2, verbose=0)
        results.append((history.history["loss"], task.get_weights()))
    np.testing.assert_allclose(results[0][0], results[1][0], atol=ATOL, rtol=0)
    moved = max(float(np.max(np.abs(a - b))) for a, b in zip(results[0][1], initial))
    assert moved > 1e-3
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, atol=ATOL, rtol=0)
