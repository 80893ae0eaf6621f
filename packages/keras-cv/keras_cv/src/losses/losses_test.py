# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_cv.src.losses.box_losses import GIoULoss
from keras_cv.src.losses.box_losses import SmoothL1Loss
from keras_cv.src.losses.focal_loss import FocalLoss


@pytest.mark.parametrize("from_logits", [True, False])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_focal_matches_keras_binary_focal(from_logits, smoothing):
    rng = np.random.default_rng(0)
    y_true = (rng.random((2, 7, 5)) < 0.3).astype("float32")
    y_pred = rng.normal(0, 2, (2, 7, 5)).astype("float32")
    if not from_logits:
        y_pred = 1 / (1 + np.exp(-y_pred))
    ours = FocalLoss(
        alpha=0.3,
        gamma=1.5,
        from_logits=from_logits,
        label_smoothing=smoothing,
        reduction=None,
    )(y_true, y_pred)
    ref = keras.losses.BinaryFocalCrossentropy(
        apply_class_balancing=True,
        alpha=0.3,
        gamma=1.5,
        from_logits=from_logits,
        label_smoothing=smoothing,
        reduction=None,
    )(y_true, y_pred)
    # Keras averages over classes; FocalLoss sums (one value per anchor).
    np.testing.assert_allclose(ours.numpy(), ref.numpy() * 5, rtol=1e-4, atol=1e-6)


def test_focal_hand_computed_and_class_ids():
    p = 0.8
    loss = FocalLoss(alpha=0.25, gamma=2.0, reduction=None)
    out = loss(np.array([[1.0, 0.0]]), np.array([[p, p]])).numpy()
    expected = 0.25 * (1 - p) ** 2 * -np.log(p) + 0.75 * p**2 * -np.log(1 - p)
    np.testing.assert_allclose(out, [expected], rtol=1e-5)
    # Integer ids: -1 (background) and -2 (ignored) have no positive class.
    ids = np.array([[0, -1, -2]])
    probs = np.full((1, 3, 2), 0.3, "float32")
    one_hot = np.array([[[1, 0], [0, 0], [0, 0]]], "float32")
    np.testing.assert_allclose(loss(ids, probs).numpy(), loss(one_hot, probs).numpy())


def test_smooth_l1_matches_keras_huber():
    rng = np.random.default_rng(1)
    y_true = rng.normal(0, 2, (3, 6, 4)).astype("float32")
    y_pred = rng.normal(0, 2, (3, 6, 4)).astype("float32")
    ours = SmoothL1Loss(cutoff=0.5, reduction=None)(y_true, y_pred)
    huber = keras.losses.Huber(delta=0.5, reduction=None)(y_true, y_pred)
    np.testing.assert_allclose(ours.numpy(), huber.numpy() * 4 / 0.5, rtol=1e-5)


def test_giou_hand_computed():
    loss = GIoULoss(reduction=None)
    y_true = np.array(
        [
            [0.0, 0.0, 2.0, 2.0],
            [0.0, 0.0, 2.0, 2.0],
            [0.0, 0.0, 1.0, 1.0],
            [0, 0, 2, 2],
        ],
        "float32",
    )
    y_pred = np.array(
        [
            [0.0, 0.0, 2.0, 2.0],
            [1.0, 1.0, 3.0, 3.0],
            [2.0, 2.0, 3.0, 3.0],
            [1, 1, 1, 1],
        ],
        "float32",
    )
    # identical: 0; overlap: iou 1/7, enclosing 9, union 7 -> giou 1/7 - 2/9;
    # disjoint: iou 0, enclosing 9, union 2 -> giou -7/9; zero-area pred.
    expected = [0.0, 1 - (1 / 7 - 2 / 9), 1 + 7 / 9, 1 - (0 - (4 - 4) / 4)]
    np.testing.assert_allclose(loss(y_true, y_pred).numpy(), expected, rtol=1e-5)
    yx = GIoULoss(bounding_box_format="yxyx", reduction=None)(
        y_true[:, [1, 0, 3, 2]], y_pred[:, [1, 0, 3, 2]]
    )
    np.testing.assert_allclose(yx.numpy(), expected, rtol=1e-5)


box = st.tuples(
    st.floats(0, 50), st.floats(0, 50), st.floats(0.5, 30), st.floats(0.5, 30)
).map(lambda t: [t[0], t[1], t[0] + t[2], t[1] + t[3]])


@settings(max_examples=40, deadline=None)
@given(box, box)
def test_giou_properties(a, b):
    a = np.array([a], "float32")
    b = np.array([b], "float32")
    loss = GIoULoss(reduction=None)
    ab = loss(a, b).numpy()[0]
    np.testing.assert_allclose(ab, loss(b, a).numpy()[0], atol=1e-6)
    assert -1e-6 <= ab <= 2 + 1e-6
    assert abs(loss(a, a).numpy()[0]) < 1e-6


def test_losses_in_compile_and_config():
    inputs = keras.Input((3, 4))
    model = keras.Model(
        inputs,
        {"cls": keras.layers.Dense(2)(inputs), "box": keras.layers.Dense(4)(inputs)},
    )
    model.compile(
        optimizer="sgd",
        loss={"cls": FocalLoss(from_logits=True), "box": SmoothL1Loss()},
    )
    x = np.random.default_rng(0).normal(size=(4, 3, 4)).astype("float32")
    y = {"cls": np.zeros((4, 3, 2), "float32"), "box": np.zeros((4, 3, 4), "float32")}
    history = model.fit(x, y, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    for loss in (
        FocalLoss(alpha=0.5, label_smoothing=0.1),
        SmoothL1Loss(cutoff=0.2),
        GIoULoss("center_xywh"),
    ):
        clone = keras.saving.deserialize_keras_object(
            keras.saving.serialize_keras_object(loss)
        )
        assert clone.get_config() == loss.get_config()
    ds = tf.data.Dataset.from_tensors((y["box"], y["box"] + 1)).map(
        lambda t, p: SmoothL1Loss()(t, p)
    )
    assert float(next(iter(ds))) == pytest.approx(2.0)


def test_bad_input():
    with pytest.raises(ValueError, match="alpha"):
        FocalLoss(alpha=2.0)
    with pytest.raises(ValueError, match="cutoff"):
        SmoothL1Loss(cutoff=0)
    with pytest.raises(ValueError, match="last dimension of 4"):
        GIoULoss()(np.zeros((2, 3)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="Unknown box format"):
        GIoULoss(bounding_box_format="ltrb")


@pytest.mark.parametrize("bad", [2.0, -1.0, 0.5, np.nan])
def test_focal_binary_targets_must_be_zero_or_one(bad):
    loss = FocalLoss(from_logits=True)
    y_true = np.array([[1.0, bad]], "float32")
    y_pred = np.zeros((1, 2), "float32")
    # Before: 2.0 gave a plausible (negative-weighted) loss.
    with pytest.raises(ValueError, match="must hold only 0 and 1"):
        loss(y_true, y_pred)
    fn = tf.function(lambda t, p: loss(t, p))
    with pytest.raises(tf.errors.InvalidArgumentError, match="must hold only 0 and 1"):
        fn(tf.constant(y_true), tf.constant(y_pred))


@pytest.mark.parametrize("bad", [3, 7, -3, 1.5])
def test_focal_class_ids_must_be_in_range(bad):
    loss = FocalLoss()
    ids = np.array([[0.0, bad]], "float32")
    with pytest.raises(ValueError, match=r"class ids in \[0, num_classes\)"):
        loss(ids, np.full((1, 2, 3), 0.3, "float32"))


def test_focal_targets_are_never_broadcast():
    loss = FocalLoss()
    with pytest.raises(ValueError, match="never broadcast"):
        loss(np.ones((2, 5, 1), "float32"), np.full((2, 5, 3), 0.3, "float32"))
    with pytest.raises(TypeError, match="must hold numbers"):
        loss(np.array([["a", "b"]]), np.full((1, 2), 0.3, "float32"))
