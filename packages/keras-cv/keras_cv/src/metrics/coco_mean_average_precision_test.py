# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_cv.src.metrics.coco_evaluation import evaluate_coco
from keras_cv.src.metrics.coco_mean_average_precision import COCOMeanAveragePrecision
from keras_cv.src.metrics.coco_testing import pycocotools_stats
from keras_cv.src.metrics.coco_testing import random_problem


def padded(arrays, width, fill=-1.0, n=None):
    n = n or max(max(len(a) for a in arrays), 1)
    out = np.full((len(arrays), n) + ((width,) if width else ()), fill, "float32")
    for i, a in enumerate(arrays):
        out[i, : len(a)] = a
    return out


def test_accumulates_batches_like_one_evaluation():
    rng = np.random.default_rng(11)
    gb, gl, db, dl, ds = random_problem(rng, 8, 3, 6, 10)
    gb = [b.astype("float32") for b in gb]
    db = [b.astype("float32") for b in db]
    ds = [s.astype("float32") for s in ds]
    metric = COCOMeanAveragePrecision(bounding_box_format="xywh", stat="AP50")
    for lo in (0, 4):
        sl = slice(lo, lo + 4)
        metric.update_state(
            {"boxes": padded(gb[sl], 4), "classes": padded(gl[sl], 0)},
            {
                "boxes": padded(db[sl], 4),
                "labels": padded(dl[sl], 0),
                "scores": padded(ds[sl], 0, 0.0),
            },
        )
    expected = pycocotools_stats(gb, gl, db, dl, ds)
    np.testing.assert_allclose(list(metric.all_results().values()), expected, atol=1e-6)
    assert float(metric.result()) == pytest.approx(expected[1], abs=1e-6)
    metric.reset_state()
    assert float(metric.result()) == -1.0


def test_in_compile_and_evaluate():
    rng = np.random.default_rng(2)
    gb, gl, db, dl, ds = random_problem(rng, 6, 2, 4, 5, empty_fraction=0.0)
    y_true = np.concatenate([padded(gb, 4, n=5), padded(gl, 0, n=5)[..., None]], -1)
    y_pred = np.concatenate(
        [
            padded(db, 4, n=5),
            padded(dl, 0, n=5)[..., None],
            padded(ds, 0, 0.0, n=5)[..., None],
        ],
        -1,
    )
    inputs = keras.Input(y_pred.shape[1:])
    model = keras.Model(inputs, keras.layers.Identity()(inputs))
    model.compile(
        loss="mse",
        metrics=[COCOMeanAveragePrecision(bounding_box_format="xywh")],
        jit_compile=False,
    )
    logs = model.evaluate(
        y_pred,
        np.pad(y_true, [(0, 0), (0, 0), (0, 1)]),
        batch_size=3,
        verbose=0,
        return_dict=True,
    )
    expected = evaluate_coco(
        {"boxes": gb, "labels": gl},
        {"boxes": db, "labels": dl, "scores": [s.astype("float32") for s in ds]},
        bounding_box_format="xywh",
    )
    # The packed y_true has one extra (zero) column for the loss; drop it.
    assert logs["coco_map"] == pytest.approx(expected["AP"], abs=1e-5)


def test_config_and_bad_input():
    metric = COCOMeanAveragePrecision(
        bounding_box_format="rel_xyxy", image_shape=(10, 20), stat="ARl"
    )
    clone = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(metric)
    )
    assert clone.get_config() == metric.get_config()
    with pytest.raises(ValueError, match="`stat` must be one of"):
        COCOMeanAveragePrecision(stat="mAP")
    with pytest.raises(ValueError, match="missing the entries"):
        metric.update_state(
            {"boxes": np.zeros((1, 1, 4))}, {"boxes": np.zeros((1, 1, 4))}
        )
    with pytest.raises(ValueError, match="last dimension of 6"):
        metric.update_state(np.zeros((1, 1, 5)), np.zeros((1, 1, 5)))
    ragged = tf.ragged.constant(
        [[[0.0, 0.0, 0.5, 0.5]], []], ragged_rank=1, inner_shape=(4,)
    )
    metric.update_state(
        {"boxes": ragged, "labels": tf.ragged.constant([[1], []])},
        {
            "boxes": ragged,
            "labels": tf.ragged.constant([[1], []]),
            "scores": tf.ragged.constant([[0.9], []]),
        },
    )
    # One perfect small box (10 x 5 pixels) and one empty image.
    assert float(metric.result()) == pytest.approx(-1.0)
    small = COCOMeanAveragePrecision(
        bounding_box_format="rel_xyxy", image_shape=(10, 20), stat="APs"
    )
    small.update_state(
        {"boxes": ragged, "labels": tf.ragged.constant([[1], []])},
        {
            "boxes": ragged,
            "labels": tf.ragged.constant([[1], []]),
            "scores": tf.ragged.constant([[0.9], []]),
        },
    )
    assert float(small.result()) == pytest.approx(1.0)


def test_xla_compiled_step_gives_a_clear_error():
    inputs = keras.Input((2, 6))
    model = keras.Model(inputs, keras.layers.Identity()(inputs))
    model.compile(
        loss="mse",
        metrics=[COCOMeanAveragePrecision(bounding_box_format="xyxy")],
        jit_compile=True,
    )
    data = np.zeros((2, 2, 6), "float32")
    with pytest.raises(ValueError, match="jit_compile=False"):
        model.evaluate(data, data, verbose=0)
