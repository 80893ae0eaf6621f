# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import tensorflow as tf

from keras_core.testing import TestCase
from keras_nlp.src.layers.self_attention_mask import SelfAttentionMask


class SelfAttentionMaskTest(TestCase):
    def test_layer(self):
        data = (
            np.zeros((2, 3, 5), "float32"),
            np.array([[1, 1, 0], [1, 0, 0]], "int32"),
        )
        # The harness maps single-tensor datasets; tuples are checked below.
        layer = self.run_layer_test(
            SelfAttentionMask,
            init_kwargs={},
            input_data=data,
            expected_output_shape=(2, 3, 3),
            expected_output_dtype="float32",
            expected_num_trainable_weights=0,
            run_tf_data_check=False,
        )
        dataset = (
            tf.data.Dataset.from_tensor_slices(data)
            .batch(2)
            .map(lambda x, m: layer([x, m]))
        )
        self.assertAllEqual(next(iter(dataset)), layer(data))

    def test_values(self):
        padding = np.array([[1, 1, 0, 0], [1, 1, 1, 1]])
        out = SelfAttentionMask()([np.zeros((2, 4, 8), "float32"), padding]).numpy()
        expected = np.stack([np.tile(row, (4, 1)) for row in padding]).astype("float32")
        np.testing.assert_array_equal(out, expected)

    def test_two_dimensional_from_tensor_and_keyword_mask(self):
        ids = np.array([[7, 8, 9]])
        out = SelfAttentionMask()(
            ids, to_mask=np.array([[True, False, True, False, True]])
        )
        np.testing.assert_array_equal(out.numpy(), np.tile([1, 0, 1, 0, 1], (1, 3, 1)))

    def test_bad_inputs(self):
        with self.assertRaisesRegex(ValueError, "from_tensor, to_mask"):
            SelfAttentionMask()(np.zeros((2, 3, 4), "float32"))
        with self.assertRaisesRegex(ValueError, r"to_mask.shape=\(2, 3, 1\)"):
            SelfAttentionMask()([np.zeros((2, 3, 4), "float32"), np.ones((2, 3, 1))])
