# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Resuming `adapt` after a `.keras` reload, for every lookup-based layer."""

import os

import keras
import numpy as np
import pytest

from keras_preprocessing.src.layers import index_lookup
from keras_preprocessing.src.layers.integer_lookup import IntegerLookup
from keras_preprocessing.src.layers.string_lookup import StringLookup
from keras_preprocessing.src.layers.text_vectorization import TextVectorization

# Part A alone ranks "b" first; A + B ranks "a" first, then "c" and "b" tie
# (3 each) and the tie is broken the way Keras breaks it on A + B.
CASES = {
    "string": (
        lambda: StringLookup(),
        "string",
        np.array([["a"], ["b"], ["b"], ["b"], ["\x00z\x00"]]),
        np.array([["a"], ["a"], ["a"], ["c"], ["c"], ["c"], ["d"]]),
    ),
    "integer": (
        lambda: IntegerLookup(),
        "int64",
        np.array([[5], [9], [9], [9], [-3]]),
        np.array([[5], [5], [5], [7], [7], [7], [11]]),
    ),
    "text_tfidf": (
        lambda: TextVectorization(tokens=10, mode="tfidf"),
        "string",
        np.array(["a b b", "b x"]),
        np.array(["a a c", "c c a d"]),
    ),
    "text": (
        lambda: TextVectorization(),
        "string",
        np.array(["a b b", "b x"]),
        np.array(["a a c", "c c a d"]),
    ),
}


def _vocabulary(layer):
    return [
        v.item() if isinstance(v, np.generic) else v for v in layer.get_vocabulary()
    ]


def _round_trip(layer, dtype, sample, path):
    shape = sample.shape[1:] or ()
    inputs = keras.Input(shape if shape else (), dtype=dtype)
    model = keras.Model(inputs, layer(inputs))
    model.save(path)
    return keras.saving.load_model(path, safe_mode=True).layers[-1]


@pytest.mark.parametrize("case", sorted(CASES))
def test_adapt_resumes_after_reload_like_one_adapt(case, tmp_path):
    make, dtype, part_a, part_b = CASES[case]
    reference = make()
    reference.adapt(np.concatenate([part_a, part_b]))

    layer = make()
    layer.adapt(part_a)
    restored = _round_trip(layer, dtype, part_a, os.path.join(tmp_path, "m.keras"))
    assert os.path.exists(os.path.join(tmp_path, "m.keras"))
    restored.adapt(part_b, reset_state=False)
    assert _vocabulary(restored) == _vocabulary(reference)
    # Forgetting the counts (the previous behaviour, or reset_state=True)
    # gives a different vocabulary, so the test can tell them apart.
    fresh = make()
    fresh.adapt(part_b)
    assert _vocabulary(fresh) != _vocabulary(reference)
    if case == "text_tfidf":  # the IDF weights come from the merged counts too
        probe = np.array(["a b c d x"])
        np.testing.assert_allclose(restored(probe), reference(probe), rtol=1e-6)


def test_count_asset_keeps_nul_bytes_and_ints(tmp_path):
    keys = np.array([b"a\x00", b"\x00", b"", "é".encode()], dtype=object)
    snap = {"counts": (keys, np.array([3, 2, 1, 4])), "num_documents": np.int64(5)}
    index_lookup.save_counts(snap, str(tmp_path))
    loaded = index_lookup.load_counts(str(tmp_path), "string")
    assert loaded["counts"][0].numpy().tolist() == keys.tolist()
    assert loaded["counts"][1].numpy().tolist() == [3, 2, 1, 4]
    assert int(loaded["num_documents"]) == 5
    os.remove(os.path.join(tmp_path, index_lookup.COUNTS_ASSET))
    index_lookup.save_counts(
        {"counts": (np.array([7, -1]), np.array([1, 2]))}, str(tmp_path)
    )
    loaded = index_lookup.load_counts(str(tmp_path), "int64")
    assert loaded["counts"][0].numpy().tolist() == [7, -1]
