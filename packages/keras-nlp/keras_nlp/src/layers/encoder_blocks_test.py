# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""EncoderEmbeddings and TransformerEncoderStack, against hand-computed
embeddings and the layers they add to a Functional model."""

import keras
import numpy as np
import pytest

import keras_nlp


def _model(embeddings, with_types=False):
    ids = keras.Input(shape=(None,), dtype="int32")
    mask = keras.Input(shape=(None,), dtype="int32")
    types = keras.Input(shape=(None,), dtype="int32") if with_types else None
    out = embeddings(ids, types, mask)
    inputs = [ids, mask] + ([types] if with_types else [])
    return keras.Model(inputs, out)


def _normalize(x, eps):
    mean = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps)


def test_absolute_positions_and_segments_match_hand_computation():
    emb = keras_nlp.layers.EncoderEmbeddings(
        vocab_size=7, embedding_width=4, max_sequence_length=5, type_vocab_size=2
    )
    model = _model(emb, with_types=True)
    ids = np.array([[1, 2, 3], [4, 5, 0]])
    mask = (ids > 0).astype("int32")
    types = np.array([[0, 1, 1], [0, 0, 1]])
    words = emb.word_embedding.embeddings.numpy()
    positions = emb.position_embedding.position_embeddings.numpy()
    segments = emb.type_embedding.embeddings.numpy()
    expected = _normalize(words[ids] + positions[:3][None] + segments[types], 1e-12)
    np.testing.assert_allclose(model([ids, mask, types]).numpy(), expected, atol=1e-5)


def test_padding_position_numbers_real_tokens_after_padding_index():
    emb = keras_nlp.layers.EncoderEmbeddings(
        vocab_size=7,
        embedding_width=4,
        max_sequence_length=5,
        type_vocab_size=1,
        padding_position=1,
    )
    model = _model(emb)
    # RoBERTa: 5 positions + padding index 1 + 1 = 7 rows.
    assert tuple(emb.position_embedding.embeddings.shape) == (7, 4)
    ids = np.array([[3, 4, 5, 6, 2], [3, 4, 1, 1, 1]])
    mask = np.array([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0]])
    positions = np.array([[2, 3, 4, 5, 6], [2, 3, 1, 1, 1]])
    words = emb.word_embedding.embeddings.numpy()
    table = emb.position_embedding.embeddings.numpy()
    segment = emb.type_embedding.embeddings.numpy()[0]
    expected = _normalize(words[ids] + table[positions] + segment, 1e-12)
    np.testing.assert_allclose(model([ids, mask]).numpy(), expected, atol=1e-5)


def test_padding_position_needs_a_mask_and_a_valid_value():
    emb = keras_nlp.layers.EncoderEmbeddings(
        vocab_size=7, embedding_width=4, max_sequence_length=5, padding_position=1
    )
    with pytest.raises(ValueError, match="needs `input_mask`"):
        emb(keras.Input(shape=(None,), dtype="int32"))
    with pytest.raises(ValueError, match="padding_position=-1"):
        keras_nlp.layers.EncoderEmbeddings(7, 4, 5, padding_position=-1)
    with pytest.raises(ValueError, match="embedding_width=0"):
        keras_nlp.layers.EncoderEmbeddings(7, 0, 5)


def test_groups_add_their_own_layers_to_the_model():
    emb = keras_nlp.layers.EncoderEmbeddings(
        vocab_size=7, embedding_width=4, max_sequence_length=5, hidden_size=8
    )
    stack = keras_nlp.layers.TransformerEncoderStack(
        num_layers=2, num_attention_heads=2, inner_dim=8
    )
    ids = keras.Input(shape=(None,), dtype="int32")
    mask = keras.Input(shape=(None,), dtype="int32")
    outputs = stack(emb(ids), mask)
    model = keras.Model([ids, mask], outputs[-1])
    names = [layer.name for layer in model.layers]
    for name in (
        "word_embeddings",
        "position_embedding",
        "embeddings_norm",
        "embedding_projection",
        "self_attention_mask",
        "transformer_layer_0",
        "transformer_layer_1",
    ):
        assert name in names
    assert len(outputs) == 2
    x = np.array([[1, 2, 0]])
    # Padding does not change the outputs at real positions.
    a = model([x, (x > 0).astype("int32")]).numpy()
    b = model([np.array([[1, 2, 6]]), np.array([[1, 1, 0]])]).numpy()
    np.testing.assert_allclose(a[:, :2], b[:, :2], atol=1e-6)


def test_shared_groups_run_each_block_over_consecutive_layers():
    stack = keras_nlp.layers.TransformerEncoderStack(
        num_layers=4, num_attention_heads=2, inner_dim=8, num_groups=2
    )
    x = keras.Input(shape=(None, 4))
    mask = keras.Input(shape=(None,), dtype="int32")
    outputs = stack(x, mask)
    model = keras.Model([x, mask], outputs)
    assert [layer.name for layer in stack.layers] == [
        "transformer_group_0",
        "transformer_group_1",
    ]
    assert len(outputs) == 4
    # Applications 0, 1 run group 0 and 2, 3 group 1: by hand, layer by layer.
    rng = np.random.default_rng(0)
    values = rng.normal(size=(1, 3, 4)).astype("float32")
    mask_values = np.array([[1, 1, 0]])
    got = [o.numpy() for o in model([values, mask_values])]
    attention = stack.mask_layer([values, mask_values])
    h = values
    for i, block in enumerate((0, 0, 1, 1)):
        h = stack.layers[block]([h, attention]).numpy()
        np.testing.assert_allclose(got[i], h, atol=1e-6)
    with pytest.raises(ValueError, match="must divide `num_layers`"):
        keras_nlp.layers.TransformerEncoderStack(3, 2, 8, num_groups=2)
    with pytest.raises(ValueError, match="output_range"):
        keras_nlp.layers.TransformerEncoderStack(2, 2, 8, output_range=1, num_groups=1)
