# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import sys

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from keras_nlp.src.datasets.synthetic_sentiment import load_synthetic_sentiment
from keras_nlp.src.datasets.tfds_loaders import load_glue
from keras_nlp.src.datasets.tfds_loaders import load_imdb_reviews


def test_synthetic_sentiment_is_balanced_reproducible_and_disjoint():
    texts, labels = load_synthetic_sentiment(
        "train", num_examples=200, as_dataset=False
    )
    assert len(texts) == 200 and labels.dtype == np.int32
    assert labels.sum() == 100
    again, _ = load_synthetic_sentiment("train", num_examples=200, as_dataset=False)
    assert again == texts
    other, _ = load_synthetic_sentiment(
        "train", num_examples=200, seed=1, as_dataset=False
    )
    assert other != texts
    val, _ = load_synthetic_sentiment("validation", as_dataset=False)
    assert len(val) == 400 and val[:50] != texts[:50]
    dataset = load_synthetic_sentiment("test", num_examples=6)
    text, label = next(iter(dataset))
    assert text.dtype == tf.string and label.dtype == tf.int32
    with pytest.raises(ValueError, match="split"):
        load_synthetic_sentiment("dev")


def test_imdb_reviews_with_tfds_mock_data():
    with tfds.testing.mock_data(num_examples=5):
        dataset = load_imdb_reviews("train")
        examples = list(dataset)
    assert len(examples) == 5
    text, label = examples[0]
    assert text.dtype == tf.string and label.dtype == tf.int64
    assert all(int(lbl) in (0, 1) for _, lbl in examples)


def test_glue_single_and_pair_tasks_with_tfds_mock_data():
    with tfds.testing.mock_data(num_examples=4):
        sst2 = list(load_glue("sst2", "train"))
        mrpc = list(load_glue("mrpc", "validation"))
    text, label = sst2[0]
    assert text.dtype == tf.string and label.shape == ()
    (a, b), _ = mrpc[0]
    assert a.dtype == tf.string and b.dtype == tf.string
    assert len(mrpc) == 4
    with pytest.raises(ValueError, match="Unknown GLUE task"):
        load_glue("squad")


def test_public_dataset_loaders_without_tensorflow_datasets_name_the_extra(
    monkeypatch, tmp_path
):
    # tensorflow-datasets is the optional keras-nlp[tfds] extra.
    monkeypatch.setitem(sys.modules, "tensorflow_datasets", None)
    for load in (load_imdb_reviews, lambda **kw: load_glue("sst2", **kw)):
        with pytest.raises(ImportError, match=r'pip install "keras-nlp\[tfds\]"'):
            load(data_dir=str(tmp_path), download=False)
