# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import numpy as np
import pytest

from keras_core.testing import TestCase
from keras_cv.src.layers.pad_to_multiple import PadToMultiple


class PadToMultipleTest(TestCase):
    def test_layer_harness(self):
        self.run_layer_test(
            PadToMultiple,
            {"multiple": 8},
            np.ones((2, 9, 16, 3), "float32"),
            expected_output_shape=(2, 16, 16, 3),
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=0,
        )

    def test_pads_bottom_right_with_zeros(self):
        x = np.random.default_rng(0).uniform(1, 2, (1, 5, 3, 2)).astype("float32")
        out = np.asarray(PadToMultiple(4)(x))
        assert out.shape == (1, 8, 4, 2)
        np.testing.assert_array_equal(out[:, :5, :3], x)  # pixels do not move
        assert not out[:, 5:].any() and not out[:, :, 3:].any()
        same = np.asarray(PadToMultiple(4)(np.ones((1, 8, 4, 1), "float32")))
        assert same.shape == (1, 8, 4, 1)

    def test_bad_arguments(self):
        for multiple in (0, -32, 2.5, True, "32", None):
            with pytest.raises(ValueError, match="multiple.*positive int"):
                PadToMultiple(multiple)
        with pytest.raises(ValueError, match=r"\(batch, height, width, channels\)"):
            PadToMultiple(4)(np.ones((5, 3, 2), "float32"))
