# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_cv.src.ops.anchor_generator import AnchorGenerator


def test_hand_computed_one_location():
    gen = AnchorGenerator(
        anchor_sizes=[4], scales=[1.0, 2.0], aspect_ratios=[1.0, 4.0], strides=[4]
    )
    out = gen((4, 4)).numpy()
    np.testing.assert_allclose(
        out, [[0, 0, 4, 4], [-2, 1, 6, 3], [-2, -2, 6, 6], [-6, 0, 10, 4]], atol=1e-6
    )
    clipped = AnchorGenerator([4], [1.0, 2.0], [1.0, 4.0], [4], clip_boxes=True)(
        (4, 4)
    ).numpy()
    np.testing.assert_allclose(
        clipped, [[0, 0, 4, 4], [0, 1, 4, 3], [0, 0, 4, 4], [0, 0, 4, 4]]
    )


def test_grid_order_and_ceil():
    gen = AnchorGenerator([2], [1.0], [1.0], [4])
    out = gen((5, 9)).numpy()  # ceil(5/4)=2 rows, ceil(9/4)=3 cols
    centers = (out[:, :2] + out[:, 2:]) / 2
    expected = [[x, y] for y in (2.0, 6.0) for x in (2.0, 6.0, 10.0)]
    np.testing.assert_allclose(centers, expected)


def test_dict_levels_and_concatenation():
    sizes = {"P3": 32, "P4": 64}
    gen = AnchorGenerator(sizes, [1.0, 1.26], [0.5, 1.0, 2.0], {"P3": 8, "P4": 16})
    out = gen((64, 64))
    assert sorted(out) == ["P3", "P4"]
    assert out["P3"].shape == (8 * 8 * 6, 4) and out["P4"].shape == (4 * 4 * 6, 4)
    flat = AnchorGenerator([32, 64], [1.0, 1.26], [0.5, 1.0, 2.0], [8, 16])((64, 64))
    np.testing.assert_allclose(flat.numpy(), np.concatenate([out["P3"], out["P4"]]))
    assert gen.anchors_per_location == [6, 6]
    # Widths/heights follow size * scale * sqrt(r) and size * scale / sqrt(r).
    wh = out["P3"][:6, 2:] - out["P3"][:6, :2]
    exp = [
        [32 * s * np.sqrt(r), 32 * s / np.sqrt(r)]
        for s in (1.0, 1.26)
        for r in (0.5, 1.0, 2.0)
    ]
    np.testing.assert_allclose(wh.numpy(), exp, rtol=1e-5)


def test_format_config_and_tf_data():
    gen = AnchorGenerator([8], [1.0], [1.0], [8], bounding_box_format="center_yxhw")
    np.testing.assert_allclose(gen((8, 16)).numpy(), [[4, 4, 8, 8], [4, 12, 8, 8]])
    clone = AnchorGenerator.from_config(gen.get_config())
    np.testing.assert_allclose(clone((8, 16)), gen((8, 16)))
    revived = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(gen)
    )
    np.testing.assert_allclose(revived((8, 16)), gen((8, 16)))
    ds = tf.data.Dataset.from_tensors(tf.zeros((8, 16, 3))).map(
        lambda im: gen(tf.shape(im)[:2])
    )
    np.testing.assert_allclose(next(iter(ds)).numpy(), gen((8, 16)).numpy())


def test_bad_input():
    with pytest.raises(ValueError, match="one entry per level"):
        AnchorGenerator([8, 16], [1.0], [1.0], [8])
    with pytest.raises(ValueError, match="positive"):
        AnchorGenerator([8], [0.0], [1.0], [8])
    with pytest.raises(ValueError, match="no entry for the levels"):
        AnchorGenerator({"P3": 8}, [1.0], [1.0], {"P4": 8})
    with pytest.raises(ValueError, match="height, width"):
        AnchorGenerator([8], [1.0], [1.0], [8])((1, 2, 3, 4))
