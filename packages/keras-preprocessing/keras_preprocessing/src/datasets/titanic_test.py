# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The feature-column migration, replacement by replacement, and the Titanic workflow."""

import os

import keras
import numpy as np
import pandas as pd
import pytest
import tensorflow as tf

from keras_preprocessing.src.datasets.titanic import INTEGER_COLUMNS
from keras_preprocessing.src.datasets.titanic import NUMERIC_COLUMNS
from keras_preprocessing.src.datasets.titanic import STRING_COLUMNS
from keras_preprocessing.src.datasets.titanic import load_titanic
from keras_preprocessing.src.datasets.titanic import titanic_csv_path
from keras_preprocessing.src.layers.category_crossing import CategoryCrossing
from keras_preprocessing.src.layers.category_encoding import CategoryEncoding
from keras_preprocessing.src.layers.discretization import Discretization
from keras_preprocessing.src.layers.hashing import Hashing
from keras_preprocessing.src.layers.integer_lookup import IntegerLookup
from keras_preprocessing.src.layers.normalization import Normalization
from keras_preprocessing.src.layers.string_lookup import StringLookup


def test_bundled_csv():
    train, evaluation = load_titanic("train"), load_titanic("eval")
    assert len(train) == 320 and len(evaluation) == 80
    assert set(
        STRING_COLUMNS + INTEGER_COLUMNS + NUMERIC_COLUMNS + ("survived",)
    ) == set(train.columns)
    assert 0.3 < train["survived"].mean() < 0.7
    with pytest.raises(ValueError, match="split"):
        titanic_csv_path("test")


def test_hash_bucket_column():
    x = np.array([["a"], ["b"]])
    np.testing.assert_array_equal(
        Hashing(num_bins=7)(x), tf.strings.to_hash_bucket_fast(x, 7)
    )


def test_vocabulary_list_and_file_columns(tmp_path):
    # categorical_column_with_vocabulary_list(key, vocab, num_oov_buckets=2)
    vocab = ["red", "green", "blue"]
    layer = StringLookup(
        max_tokens=len(vocab) + 2, num_oov_indices=2, mask_token=None, vocabulary=vocab
    )
    out = layer(np.array(["green", "purple"])).numpy()
    assert out[0] == 3 and out[1] in (0, 1)
    # ..._with_vocabulary_file with int64 keys
    path = tmp_path / "ids.txt"
    path.write_text("10\n20\n30\n")
    ids = IntegerLookup(num_oov_indices=0, mask_value=None, vocabulary=str(path))
    np.testing.assert_array_equal(ids(np.array([30, 10, 99])), [2, 0, -1])


def test_crossed_column_hashed_and_not_hashed():
    a, b = np.array([["x"], ["y"]]), np.array([["1"], ["2"]])
    crossed = CategoryCrossing()([a, b])
    np.testing.assert_array_equal(crossed, [[b"x_X_1"], [b"y_X_2"]])
    np.testing.assert_array_equal(
        Hashing(num_bins=50)([a, b]), tf.strings.to_hash_bucket_fast(crossed, 50)
    )


def test_embedding_and_shared_embedding_columns():
    vocab = ["a", "b", "c"]
    inputs = keras.Input((None,), dtype="string")
    ids = StringLookup(vocabulary=vocab, mask_token=None, num_oov_indices=0)(inputs)
    embedding = keras.layers.Embedding(len(vocab), 4)
    summed = keras.ops.sum(embedding(ids), axis=-2)  # combiner="sum"
    model = keras.Model(inputs, summed)
    table = embedding.embeddings.numpy()
    np.testing.assert_allclose(
        model(np.array([["a", "c"]])), [table[0] + table[2]], atol=1e-6
    )
    # shared_embeddings: one Embedding layer called on two inputs.
    watched, shown = keras.Input((1,), dtype="int64"), keras.Input((1,), dtype="int64")
    shared = keras.layers.Embedding(10, 2)
    model = keras.Model([watched, shown], [shared(watched), shared(shown)])
    out = model([np.array([[3]]), np.array([[3]])])
    np.testing.assert_allclose(out[0], out[1])


def test_indicator_and_weighted_categorical_columns():
    vocab = ["a", "b", "c"]
    lookup = StringLookup(vocabulary=vocab, mask_token=None, num_oov_indices=0)
    ids = lookup(np.array([["a", "c", "a"]]))
    indicator = CategoryEncoding(max_tokens=3, output_mode="count", sparse=True)(ids)
    np.testing.assert_array_equal(tf.sparse.to_dense(indicator), [[2, 0, 1]])
    weighted = CategoryEncoding(max_tokens=3, output_mode="count")(
        ids, count_weights=np.array([[0.5, 2.0, 1.0]])
    )
    np.testing.assert_allclose(weighted, [[1.5, 0.0, 2.0]])


def test_numeric_and_bucketized_columns():
    # numeric_column(normalizer_fn=...) -> Normalization with the statistics.
    norm = Normalization(mean=10.0, variance=4.0)
    np.testing.assert_allclose(norm(np.array([[14.0]])), [[2.0]], atol=1e-6)
    # bucketized_column(boundaries=[0, 10]) -> Discretization(bins=[0, 10]).
    buckets = Discretization(bins=[0.0, 10.0])(np.array([[-1.0], [5.0], [10.0]]))
    np.testing.assert_array_equal(np.argmax(buckets, -1), [[0], [1], [2]])


def test_sequence_categorical_column():
    inputs = keras.Input(
        (None,), dtype="string"
    )  # the time dimension is in the Input shape
    ids = StringLookup(vocabulary=["x", "y"])(inputs)
    model = keras.Model(inputs, keras.layers.Embedding(4, 3, mask_zero=True)(ids))
    assert tuple(model(np.array([["x", "y", ""]])).shape) == (1, 3, 3)


def build_titanic_model(train_df):
    """The Titanic linear model of the migration guide, with our layers."""
    inputs, encoded = {}, []
    for key in STRING_COLUMNS:
        inputs[key] = keras.Input((1,), dtype="string", name=key)
        vocab = sorted(train_df[key].astype(str).unique())
        ids = StringLookup(
            vocabulary=vocab, num_oov_indices=0, mask_token=None, name=f"lookup_{key}"
        )(inputs[key])
        encoded.append(
            CategoryEncoding(
                len(vocab), output_mode="count", sparse=True, name=f"encode_{key}"
            )(ids)
        )
    for key in INTEGER_COLUMNS:
        inputs[key] = keras.Input((1,), dtype="int64", name=key)
        vocab = sorted(int(v) for v in train_df[key].unique())
        ids = IntegerLookup(
            vocabulary=vocab, num_oov_indices=0, mask_value=None, name=f"lookup_{key}"
        )(inputs[key])
        encoded.append(
            CategoryEncoding(
                len(vocab), output_mode="count", sparse=True, name=f"encode_{key}"
            )(ids)
        )
    for key in NUMERIC_COLUMNS:
        inputs[key] = keras.Input((1,), dtype="float32", name=key)
        norm = Normalization(name=f"normalize_{key}")
        norm.adapt(train_df[key].to_numpy("float32")[:, None])
        encoded.append(norm(inputs[key]))
    age_x_sex = CategoryCrossing(name="age_x_sex_crossing")(
        [inputs["age"], inputs["sex"]]
    )
    age_x_sex = Hashing(num_bins=100, name="age_x_sex_hashing")(age_x_sex)
    encoded.append(
        CategoryEncoding(
            100, output_mode="count", sparse=True, name="age_x_sex_encoding"
        )(age_x_sex)
    )
    # A linear model: one weight per encoded feature value, summed, plus a bias.
    logits = keras.layers.Add()(
        [
            keras.layers.Dense(1, kernel_initializer="zeros", use_bias=False)(e)
            for e in encoded
        ]
    )
    probability = keras.layers.Activation("sigmoid")(keras.layers.Dense(1)(logits))
    return keras.Model(inputs, probability)


def titanic_dataset(df, batch_size=32):
    labels = df["survived"].to_numpy("float32")
    features = {}
    for key in STRING_COLUMNS:
        features[key] = df[key].astype(str).to_numpy()[:, None]
    for key in INTEGER_COLUMNS:
        features[key] = df[key].to_numpy("int64")[:, None]
    for key in NUMERIC_COLUMNS:
        features[key] = df[key].to_numpy("float32")[:, None]
    return tf.data.Dataset.from_tensor_slices((features, labels)).batch(batch_size)


@pytest.mark.large
def test_titanic_workflow_trains_with_fit_and_round_trips(tmp_path):
    train_df = pd.read_csv(titanic_csv_path("train"))
    eval_df = load_titanic("eval")
    model = build_titanic_model(train_df)
    model.compile(
        keras.optimizers.Ftrl(learning_rate=0.5),
        "binary_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(titanic_dataset(train_df), epochs=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    _, accuracy = model.evaluate(titanic_dataset(eval_df), verbose=0)
    majority = max(eval_df["survived"].mean(), 1 - eval_df["survived"].mean())
    assert accuracy > majority  # the model learned more than the base rate
    path = os.path.join(tmp_path, "titanic.keras")
    model.save(path)
    restored = keras.saving.load_model(path, safe_mode=True)
    batch = next(iter(titanic_dataset(eval_df)))[0]
    np.testing.assert_allclose(restored(batch), model(batch), atol=1e-6)
