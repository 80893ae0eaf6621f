# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_cv.src.ops.target_gather import TargetGather


def test_hand_computed():
    gather = TargetGather()
    out = gather(
        np.array([7, 9]),
        np.array([1, 0, 0]),
        mask=np.array([False, False, True]),
        mask_value=-1,
    )
    np.testing.assert_array_equal(out.numpy(), [9, 7, -1])
    boxes = np.array(
        [[[0.0, 0, 1, 1], [2, 2, 3, 3]], [[4, 4, 5, 5], [6, 6, 7, 7]]], "float32"
    )
    idx = np.array([[1, 1, 0], [0, 1, 1]])
    mask = np.array([[False, True, False], [False, False, True]])
    out = gather(boxes, idx, mask=mask, mask_value=0.0).numpy()
    np.testing.assert_array_equal(out[0], [[2, 2, 3, 3], [0, 0, 0, 0], [0, 0, 1, 1]])
    np.testing.assert_array_equal(out[1], [[4, 4, 5, 5], [6, 6, 7, 7], [0, 0, 0, 0]])


def test_empty_ground_truth_and_tf_data():
    out = TargetGather()(
        np.zeros((2, 0), "int32"),
        np.zeros((2, 3), "int32"),
        mask=np.ones((2, 3), bool),
        mask_value=-1,
    )
    np.testing.assert_array_equal(out.numpy(), -np.ones((2, 3)))
    ds = tf.data.Dataset.from_tensors((tf.constant([3, 4]), tf.constant([1, 1, 0])))
    ds = ds.map(lambda lab, idx: TargetGather()(lab, idx))
    np.testing.assert_array_equal(next(iter(ds)).numpy(), [4, 4, 3])


def test_functional_and_config():
    labels = keras.Input((2, 4))
    idx = keras.Input((5,), dtype="int32")
    out = TargetGather()(labels, idx)
    model = keras.Model([labels, idx], out)
    lab = np.arange(16, dtype="float32").reshape(2, 2, 4)
    ind = np.array([[0, 1, 1, 0, 0], [1, 1, 1, 1, 0]], "int32")
    np.testing.assert_array_equal(model([lab, ind]).numpy()[1, 0], lab[1, 1])
    layer = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(TargetGather())
    )
    assert isinstance(layer, TargetGather)


def test_bad_input():
    with pytest.raises(ValueError, match="same batch size"):
        TargetGather()(np.zeros((2, 3)), np.zeros((3, 5), "int32"))
    with pytest.raises(ValueError, match=r"\[M\] or \[B, M\]"):
        TargetGather()(np.zeros((2, 3)), np.zeros((3, 5, 1), "int32"))
